package web

// Exported for the table-driven money tests in package web_test.
var (
	ProgParsePence = progParsePence
	ProgPounds     = progPounds
)

package importer

import "testing"

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "providers.csv", Row: 12, Column: "Registration date", Value: "31/02/2021", Expected: "a real date as DD/MM/YYYY"},
			`providers.csv row 12, column "Registration date": "31/02/2021" — expected a real date as DD/MM/YYYY`},
		{Problem{File: "providers.csv", Row: 12, Column: "Places", Expected: "a number"},
			`providers.csv row 12, column "Places": blank — expected a number`},
		{Problem{File: "providers.csv", Row: 3, Expected: "46 values"},
			`providers.csv row 3: expected 46 values`},
		{Problem{File: "providers.csv", Column: "Local authority", Expected: "a column headed \"Local authority\""},
			`providers.csv column "Local authority" is missing — expected a column headed "Local authority"`},
		{Problem{File: "providers.csv", Expected: "a CSV file"},
			`providers.csv: expected a CSV file`},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

func TestProblemsError(t *testing.T) {
	c := newCollector(`C:\Users\someone\Downloads\providers.csv`)
	for i := range 103 {
		c.add(i+2, "Places", "x", "a number")
	}
	p := c.err().(*Problems)
	if len(p.List) != MaxProblems || p.Total != 103 || p.List[0].File != "providers.csv" {
		t.Fatalf("listed %d, total %d, file %q", len(p.List), p.Total, p.List[0].File)
	}
	if got, want := p.Error()[len(p.Error())-len("… and 3 more problems"):], "… and 3 more problems"; got != want {
		t.Errorf("ends %q", got)
	}
	one := &Problems{List: []Problem{{File: "a.csv", Expected: "x"}}, Total: 2}
	if one.Error() != "a.csv: expected x\n… and 1 more problem" {
		t.Errorf("got %q", one.Error())
	}
	if newCollector("").err() != nil {
		t.Error("no problems should be a nil error")
	}
}

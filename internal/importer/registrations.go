package importer

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"senco/internal/csvsafe"
	"senco/internal/domain"
)

// Registration is one row of an awarding organisation's registrations
// file: the learner (by application ID) and the numbers to record.
type Registration struct {
	Row           int
	ApplicationID int64
	LearnerNumber string
	ULN           string
}

// RegistrationColumns are the headings of a registrations file, for the
// template and the messages.
var RegistrationColumns = []string{"application_id", "learner_number", "uln"}

// ParseRegistrations reads a registrations CSV (application_id,
// learner_number and an optional uln) against the learners the awarding
// organisation may register (known: application ID → name). Every row is
// checked, and any problem refuses the whole file: it returns the rows, the
// first MaxProblems problems (each naming its row and column) and how many
// there were in all.
func ParseRegistrations(file string, in io.Reader, known map[int64]string) ([]Registration, []Problem, int) {
	c := newCollector(file)
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		c.whole("a CSV file with a header row: application_id, learner_number and (optional) uln")
		return nil, c.probs.List, c.probs.Total
	}
	cols := map[string]int{"application_id": -1, "learner_number": -1, "uln": -1}
	for i, h := range head {
		switch headerKey(h) {
		case "application_id", "application", "id":
			cols["application_id"] = i
		case "learner_number", "learner_no", "candidate_number":
			cols["learner_number"] = i
		case "uln", "unique_learner_number":
			cols["uln"] = i
		}
	}
	for _, name := range []string{"application_id", "learner_number"} {
		if cols[name] < 0 {
			c.add(0, name, "", "a column headed "+name)
		}
	}
	if c.failed() {
		return nil, c.probs.List, c.probs.Total
	}
	cell := func(rec []string, name string) string {
		i := cols[name]
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(csvsafe.Unguard(strings.TrimSpace(rec[i])))
	}
	heading := func(name string) string {
		if i := cols[name]; i >= 0 {
			return strings.TrimSpace(head[i])
		}
		return name
	}
	var out []Registration
	seenApp := map[int64]int{}
	seenNumber := map[string]int{}
	row := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		row++
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				c.add(pe.Line, "", "", "a well-formed CSV row ("+pe.Err.Error()+")")
				continue
			}
			c.add(row, "", "", "a readable CSV row")
			break
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		r := Registration{Row: row, LearnerNumber: cell(rec, "learner_number"), ULN: cell(rec, "uln")}
		checkRegistration(c, &r, cell(rec, "application_id"), heading, known, seenApp, seenNumber)
		out = append(out, r)
	}
	if row == 1 && !c.failed() {
		c.whole("at least one learner below the header row")
	}
	if c.failed() {
		return nil, c.probs.List, c.probs.Total
	}
	return out, nil, 0
}

// checkRegistration checks one registration, of the application id as
// given (idText), against the learners the organisation may register and
// the rows before it, and records its problems under the column heading
// names: the same checks for a CSV row and for an item of the API's list.
func checkRegistration(c *collector, r *Registration, idText string, heading func(string) string, known map[int64]string, seenApp map[int64]int, seenNumber map[string]int) {
	row := r.Row
	id, err := strconv.ParseInt(strings.TrimSpace(idText), 10, 64)
	switch _, ok := known[id]; {
	case err != nil || !ok:
		c.add(row, heading("application_id"), idText, "the application ID of a learner your organisation can register (enrolled, in training or completed, on a qualification you award)")
	case seenApp[id] > 0:
		c.add(row, heading("application_id"), idText, "each learner once; this learner is also on row "+strconv.Itoa(seenApp[id]))
	default:
		r.ApplicationID = id
		seenApp[id] = row
	}
	r.LearnerNumber = strings.TrimSpace(r.LearnerNumber)
	switch {
	case r.LearnerNumber == "":
		c.add(row, heading("learner_number"), "", "the learner number your organisation gives this learner")
	case len([]rune(r.LearnerNumber)) > domain.MaxCodeLength:
		c.add(row, heading("learner_number"), r.LearnerNumber, "a learner number of at most "+strconv.Itoa(domain.MaxCodeLength)+" characters")
	case seenNumber[r.LearnerNumber] > 0:
		c.add(row, heading("learner_number"), r.LearnerNumber, "a learner number for one learner; row "+strconv.Itoa(seenNumber[r.LearnerNumber])+" has it too")
	default:
		seenNumber[r.LearnerNumber] = row
	}
	r.ULN = strings.Join(strings.Fields(r.ULN), "")
	if r.ULN != "" && !domain.ValidULN(r.ULN) {
		c.add(row, heading("uln"), r.ULN, "a ULN of 10 digits with a correct check digit, or blank")
	}
}

// CheckRegistrations checks registrations sent as a list (the API's): the
// checks of ParseRegistrations, each item's Row its number in the list
// from 1, the columns named by the attribute. It returns the first
// MaxProblems problems and how many there were in all; rows are completed
// with their application ids.
func CheckRegistrations(source string, rows []Registration, idTexts []string, known map[int64]string) ([]Problem, int) {
	c := newCollector(source)
	if len(rows) == 0 {
		c.whole("at least one learner to register")
	}
	seenApp, seenNumber := map[int64]int{}, map[string]int{}
	same := func(name string) string { return name }
	for i := range rows {
		checkRegistration(c, &rows[i], idTexts[i], same, known, seenApp, seenNumber)
	}
	return c.probs.List, c.probs.Total
}

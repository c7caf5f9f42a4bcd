package importer

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"senco/internal/domain"
)

// PractitionerRow is one row of a practitioners file: a person and one of
// their employments. The same person may be on several rows (one per
// employment); Key groups them. Whether the setting exists and whether the
// uploader may record staff there is for the caller to check.
type PractitionerRow struct {
	Row          int                 // row number in the file, as a spreadsheet shows it
	Practitioner domain.Practitioner // ID 0
	Employment   domain.Employment   // PractitionerID 0; SettingURN, Role, StartedOn, EndedOn
}

// Key identifies the person: their email in lower case, else their names and
// date of birth. Rows with the same Key are the same person and carry the
// same Practitioner.
func (r PractitionerRow) Key() string {
	return personKey(r.Practitioner)
}

func personKey(p domain.Practitioner) string {
	if p.Email != "" {
		return "email:" + strings.ToLower(p.Email)
	}
	return "name:" + nameKey(p)
}

func nameKey(p domain.Practitioner) string {
	return strings.ToLower(strings.Join(strings.Fields(p.GivenName), " ")) + "|" +
		strings.ToLower(strings.Join(strings.Fields(p.FamilyName), " ")) + "|" + p.DateOfBirth.String()
}

const (
	prGiven = iota
	prFamily
	prEmail
	prDOB
	prLevel
	prQTS
	prEYTS
	prQTLS
	prPriorSEN
	prURN
	prRole
	prStarted
	prEnded
)

var practitionerSpecs = []colSpec{
	prGiven:    {name: "given_name", aliases: []string{"given_name", "first_name", "forename"}, required: true},
	prFamily:   {name: "family_name", aliases: []string{"family_name", "last_name", "surname"}, required: true},
	prEmail:    {name: "email", aliases: []string{"email", "email_address"}},
	prDOB:      {name: "date_of_birth", aliases: []string{"date_of_birth", "dob"}},
	prLevel:    {name: "qualification_level", aliases: []string{"qualification_level"}},
	prQTS:      {name: "qts", aliases: []string{"qts"}},
	prEYTS:     {name: "eyts", aliases: []string{"eyts"}},
	prQTLS:     {name: "qtls", aliases: []string{"qtls"}},
	prPriorSEN: {name: "prior_sen_training", aliases: []string{"prior_sen_training"}},
	prURN:      {name: "setting_urn", aliases: []string{"setting_urn", "urn", "provider_urn"}, required: true},
	prRole:     {name: "role", aliases: []string{"role", "job_role"}, required: true},
	prStarted:  {name: "started_on", aliases: []string{"started_on", "start_date"}, required: true},
	prEnded:    {name: "ended_on", aliases: []string{"ended_on", "end_date"}},
}

var rolesExpected = func() string {
	var ls []string
	for _, r := range domain.EmploymentRoles {
		ls = append(ls, r.Label())
	}
	return "one of " + quoteList(ls, "or")
}()

// validateMessages turns the field keys of domain.Practitioner.Validate into
// what a Problem says was expected.
var validateMessages = map[string]struct {
	col      int
	expected string
}{
	"given_name":          {prGiven, "the person's first name"},
	"family_name":         {prFamily, "the person's last name"},
	"email":               {prEmail, "an email address in the correct format, like name@example.com, or blank"},
	"qualification_level": {prLevel, "a qualification level from 2 to 7, or blank for none"},
}

// triBool is a Y/N/blank value.
type triBool struct{ v, set bool }

type personRow struct {
	row                   int
	dobGiven              bool
	qts, eyts, qtls       triBool
	levelSet              bool
	given, family, email  string
	priorSEN, dobText     string
	practitioner          domain.Practitioner
	employment            domain.Employment
	employmentKey, person string
}

// ParsePractitioners reads a list of practitioners with their employments,
// one employment per row: given_name, family_name, email, date_of_birth
// (YYYY-MM-DD or DD/MM/YYYY), qualification_level (blank or 2–7),
// qts/eyts/qtls (Y/N/blank), prior_sen_training (optional free text),
// setting_urn, role (code or label), started_on, ended_on. Columns are
// found by header name. Each row needs an email or a date of birth, so that
// two people with the same name are told apart. A person on several rows
// must be given the same details on each (details left blank on one row
// are taken from the others); two rows with the same person, setting, role
// and start date are a duplicate. On any problem it returns a *Problems
// error and no data.
func ParsePractitioners(file string, r io.Reader) ([]PractitionerRow, error) {
	c := newCollector(file)
	text, _ := openText(c, r)
	if text == nil {
		return nil, c.err()
	}
	rr := newRowReader(text)
	var h header
	headerRow := 0
	var rows []personRow
	for {
		rec, err := rr.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.addRead(err)
			break
		}
		if blankRecord(rec) {
			continue
		}
		if headerRow == 0 {
			headerRow = rr.row
			h = mapHeader(rec, practitionerSpecs)
			h.missing(c, practitionerSpecs, headerRow)
			if c.failed() {
				return nil, c.err()
			}
			continue
		}
		row := rr.row
		if !h.checkWidth(c, row, rec) {
			continue
		}
		for i := range practitionerSpecs {
			if v := h.get(rec, i); garbled(v) {
				c.add(row, h.names[i], v, garbledExpected)
			}
		}
		rows = append(rows, parsePractitionerRow(c, h, row, rec))
	}
	if headerRow == 0 && !c.failed() {
		c.whole("a header row naming the columns (given_name, family_name, email, date_of_birth, setting_urn, role, started_on, …), but the file has no rows")
	} else if len(rows) == 0 && !c.failed() {
		c.whole(fmt.Sprintf("rows of data below the header row (row %d), but there are none", headerRow))
	}
	if c.failed() {
		return nil, c.err()
	}
	mergePeople(c, h, rows)
	if c.failed() {
		return nil, c.err()
	}
	out := make([]PractitionerRow, len(rows))
	for i, pr := range rows {
		out[i] = PractitionerRow{Row: pr.row, Practitioner: pr.practitioner, Employment: pr.employment}
	}
	return out, nil
}

func parsePractitionerRow(c *collector, h header, row int, rec []string) personRow {
	// Report the row's problems in column order.
	all := c
	c = newCollector(all.file)
	defer func() {
		sort.SliceStable(c.probs.List, func(i, j int) bool {
			return colOrder(h, c.probs.List[i].Column) < colOrder(h, c.probs.List[j].Column)
		})
		for _, q := range c.probs.List {
			all.add(q.Row, q.Column, q.Value, q.Expected)
		}
	}()
	pr := personRow{row: row}
	p := &pr.practitioner
	pr.given, pr.family, pr.email = h.get(rec, prGiven), h.get(rec, prFamily), h.get(rec, prEmail)
	p.GivenName, p.FamilyName, p.Email = strings.Join(strings.Fields(pr.given), " "), strings.Join(strings.Fields(pr.family), " "), pr.email
	pr.priorSEN = h.get(rec, prPriorSEN)
	p.PriorSENTraining = pr.priorSEN

	if v := h.get(rec, prLevel); v != "" {
		n, ok := parseLevel(v)
		if !ok {
			c.add(row, h.names[prLevel], v, validateMessages["qualification_level"].expected)
		} else {
			p.QualificationLevel, pr.levelSet = n, true
		}
	}
	for _, f := range []struct {
		col int
		t   *triBool
		b   *bool
	}{{prQTS, &pr.qts, &p.QTS}, {prEYTS, &pr.eyts, &p.EYTS}, {prQTLS, &pr.qtls, &p.QTLS}} {
		v := h.get(rec, f.col)
		b, set, ok := yesNo(v)
		if !ok {
			c.add(row, h.names[f.col], v, "Y, N or blank")
		}
		*f.t = triBool{b, set}
		*f.b = b
	}
	errs := p.Validate()
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return validateOrder(keys[i]) < validateOrder(keys[j]) })
	for _, k := range keys {
		if k == "qualification_level" && h.get(rec, prLevel) != "" && !pr.levelSet {
			continue // already reported
		}
		if m, ok := validateMessages[k]; ok {
			c.add(row, h.names[m.col], h.get(rec, m.col), m.expected)
		} else {
			c.add(row, k, "", strings.ToLower(errs[k][:1])+errs[k][1:])
		}
	}

	e := &pr.employment
	urn := strings.ToUpper(h.get(rec, prURN))
	if !validURN(urn) {
		c.add(row, h.names[prURN], urn, urnExpected)
	}
	e.SettingURN = urn
	v := h.get(rec, prRole)
	if role, ok := domain.ParseEmploymentRole(v); ok {
		e.Role = role
	} else {
		c.add(row, h.names[prRole], v, rolesExpected)
	}
	startOK := false
	if v := h.get(rec, prStarted); v == "" {
		c.add(row, h.names[prStarted], "", "the date the person started at the setting, as YYYY-MM-DD or DD/MM/YYYY")
	} else if e.StartedOn, startOK = parseAnyDate(v); !startOK {
		c.add(row, h.names[prStarted], v, "a real date as YYYY-MM-DD or DD/MM/YYYY")
	}
	endOK := true
	if v := h.get(rec, prEnded); v != "" {
		if e.EndedOn, endOK = parseAnyDate(v); !endOK {
			c.add(row, h.names[prEnded], v, "a real date as YYYY-MM-DD or DD/MM/YYYY, or blank while the person still works there")
		} else if startOK && e.EndedOn.Before(e.StartedOn) {
			endOK = false
			c.add(row, h.names[prEnded], v, "an end date on or after the start date "+ukDate(e.StartedOn))
		}
	}
	if e.Role != "" && startOK && endOK {
		if err := e.Validate(); err != nil {
			c.add(row, "", "", "a valid employment, but "+err.Error())
		}
	}

	pr.dobText = h.get(rec, prDOB)
	if v := pr.dobText; v != "" {
		d, ok := parseAnyDate(v)
		switch {
		case !ok:
			c.add(row, h.names[prDOB], v, "a real date as YYYY-MM-DD or DD/MM/YYYY")
		case startOK && d.AddMonths(15*12).After(e.StartedOn):
			c.add(row, h.names[prDOB], v, fmt.Sprintf("a date of birth at least 15 years before the start date %s", ukDate(e.StartedOn)))
		default:
			p.DateOfBirth, pr.dobGiven = d, true
		}
	} else if pr.email == "" {
		c.add(row, h.names[prDOB], "", "an email address or a date of birth, so that people with the same name are told apart")
	}

	pr.person = personKey(*p)
	return pr
}

// colOrder is where a column comes in the file; whole-row problems last.
func colOrder(h header, column string) int {
	for s, name := range h.names {
		if name == column && h.idx[s] >= 0 {
			return h.idx[s]
		}
	}
	return len(h.names) + h.width
}

func validateOrder(k string) int {
	if m, ok := validateMessages[k]; ok {
		return m.col
	}
	return len(practitionerSpecs)
}

// parseLevel reads 2–7, also written "Level 3" or "L3".
func parseLevel(s string) (int, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "level")
	t = strings.TrimPrefix(t, "l")
	n, err := strconv.Atoi(strings.TrimSpace(t))
	if err != nil || n < 2 || n > 7 {
		return 0, false
	}
	return n, true
}

// mergePeople checks that the rows of one person agree and fills in details
// a row left blank from the person's other rows, so every row of a person
// carries the same Practitioner; it also refuses duplicate employments.
func mergePeople(c *collector, h header, rows []personRow) {
	// A row without an email is the person of a row with an email when their
	// names and date of birth are the same.
	emails := map[string][]int{} // names+dob key → rows with an email
	for i, pr := range rows {
		if pr.email != "" && pr.dobGiven {
			k := nameKey(pr.practitioner)
			if ix := emails[k]; len(ix) == 0 || !strings.EqualFold(rows[ix[0]].email, pr.email) {
				emails[k] = append(emails[k], i)
			}
		}
	}
	for i := range rows {
		pr := &rows[i]
		if pr.email != "" {
			continue
		}
		switch ix := emails[nameKey(pr.practitioner)]; len(ix) {
		case 0:
		case 1:
			pr.practitioner.Email = rows[ix[0]].practitioner.Email
			pr.person = personKey(pr.practitioner)
		default:
			c.add(pr.row, h.names[prEmail], "", fmt.Sprintf("the person's email address: rows %d and %d have people with this name and date of birth but different emails", rows[ix[0]].row, rows[ix[1]].row))
		}
	}
	byPerson := map[string][]int{}
	var order []string
	seenEmployment := map[string]int{}
	for i := range rows {
		pr := &rows[i]
		e := pr.employment
		pr.employmentKey = pr.person + "|" + e.SettingURN + "|" + string(e.Role) + "|" + e.StartedOn.String()
		if prev, dup := seenEmployment[pr.employmentKey]; dup {
			c.add(pr.row, "", "", fmt.Sprintf("each employment once, but row %d already has the same person at setting %s as %s from %s", prev, pr.employment.SettingURN, pr.employment.Role.Label(), ukDate(pr.employment.StartedOn)))
			continue
		}
		seenEmployment[pr.employmentKey] = pr.row
		if _, ok := byPerson[pr.person]; !ok {
			order = append(order, pr.person)
		}
		byPerson[pr.person] = append(byPerson[pr.person], i)
	}
	for _, key := range order {
		ix := byPerson[key]
		if len(ix) == 1 {
			continue
		}
		merged := rows[ix[0]].practitioner
		first := rows[ix[0]]
		// Where each detail was first given.
		from := map[int]int{}
		note := func(col int, row int) {
			if _, ok := from[col]; !ok {
				from[col] = row
			}
		}
		for _, i := range ix {
			pr := rows[i]
			p := pr.practitioner
			conflict := func(col int, v string) {
				c.add(pr.row, h.names[col], v, fmt.Sprintf("the same %s as row %d for the same person, or blank", practitionerSpecs[col].name, from[col]))
			}
			if !strings.EqualFold(p.GivenName, first.practitioner.GivenName) {
				from[prGiven] = first.row
				conflict(prGiven, pr.given)
			}
			if !strings.EqualFold(p.FamilyName, first.practitioner.FamilyName) {
				from[prFamily] = first.row
				conflict(prFamily, pr.family)
			}
			if pr.dobGiven {
				if merged.DateOfBirth.IsZero() {
					merged.DateOfBirth = p.DateOfBirth
					note(prDOB, pr.row)
				} else if !merged.DateOfBirth.Equal(p.DateOfBirth) {
					conflict(prDOB, pr.dobText)
				} else {
					note(prDOB, pr.row)
				}
			}
			if pr.levelSet {
				if _, ok := from[prLevel]; !ok {
					merged.QualificationLevel = p.QualificationLevel
					note(prLevel, pr.row)
				} else if merged.QualificationLevel != p.QualificationLevel {
					conflict(prLevel, strconv.Itoa(p.QualificationLevel))
				}
			}
			for _, f := range []struct {
				col int
				t   triBool
				dst *bool
			}{{prQTS, pr.qts, &merged.QTS}, {prEYTS, pr.eyts, &merged.EYTS}, {prQTLS, pr.qtls, &merged.QTLS}} {
				if !f.t.set {
					continue
				}
				if _, ok := from[f.col]; !ok {
					*f.dst = f.t.v
					note(f.col, pr.row)
				} else if *f.dst != f.t.v {
					conflict(f.col, yn(f.t.v))
				}
			}
			if pr.priorSEN != "" {
				if _, ok := from[prPriorSEN]; !ok {
					merged.PriorSENTraining = pr.priorSEN
					note(prPriorSEN, pr.row)
				} else if merged.PriorSENTraining != pr.priorSEN {
					conflict(prPriorSEN, pr.priorSEN)
				}
			}
		}
		for _, i := range ix {
			rows[i].practitioner = merged
		}
	}
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

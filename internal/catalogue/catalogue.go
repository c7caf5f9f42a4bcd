// Package catalogue is the qualification catalogue as data: each version of
// each qualification (units, learning outcomes, assessment criteria, guided
// learning hours) and the SENCO qualifications pathway, embedded from the
// JSON files under data/.
//
// A qualification version never changes once published: a change to its
// criteria is a new file with the next version number, and learners keep
// the version they enrolled on. Load stores every version and refuses to
// start when a stored version no longer matches its file.
package catalogue

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/store"
)

//go:embed data/qualifications/*.json data/pathway.json data/self_review/*.json
var data embed.FS

// The files' shapes: snake_case keys, unknown keys refused so a typo in a
// file is an error rather than a silently missing field.
type qualificationFile struct {
	Code                 string     `json:"code"`
	Version              int        `json:"version"`
	Title                string     `json:"title"`
	Level                int        `json:"level"`
	AwardingOrganisation string     `json:"awarding_organisation"`
	GuidedLearningHours  int        `json:"guided_learning_hours"`
	TotalQualification   int        `json:"total_qualification_time"`
	Units                []unitFile `json:"units"`
	// Plan is how the version is assessed: its assignments, the
	// observation, the mandatory criteria ("303/2.1": unit and criterion).
	Plan domain.AssessmentPlan `json:"assessment_plan"`
}

type unitFile struct {
	Ref                 string        `json:"ref"`
	Title               string        `json:"title"`
	GuidedLearningHours int           `json:"guided_learning_hours"`
	Outcomes            []outcomeFile `json:"outcomes"`
}

type outcomeFile struct {
	Ref      string          `json:"ref"`
	Text     string          `json:"text"`
	Criteria []criterionFile `json:"criteria"`
}

type criterionFile struct {
	Ref  string `json:"ref"`
	Text string `json:"text"`
}

type pathwayFile struct {
	Tiers  []Tier             `json:"tiers"`
	Levels []pathwayLevelFile `json:"levels"`
}

type pathwayLevelFile struct {
	Level      int    `json:"level"`
	Tier       string `json:"tier"`
	Title      string `json:"title"`
	Entry      string `json:"entry"`
	Duration   string `json:"duration"`
	EntersHere string `json:"enters_here"`
}

// Tier groups levels of the pathway. Tiers overlap: Level 4 is the top of
// the foundation tier and the start of the intermediate one.
type Tier struct {
	Name string `json:"name"`
	From int    `json:"from"`
	To   int    `json:"to"`
}

// Key names a qualification version, e.g. "EYSENCO-L3@v2".
func Key(code string, version int) string { return code + "@v" + strconv.Itoa(version) }

func decode(name string, v any) error {
	b, err := data.ReadFile(name)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("catalogue %s: %w", name, err)
	}
	return nil
}

// Qualifications returns every version of every qualification in the
// catalogue, by code then version, each checked with Check.
func Qualifications() ([]domain.Qualification, error) {
	names, err := fs.Glob(data, "data/qualifications/*.json")
	if err != nil {
		return nil, err
	}
	var out []domain.Qualification
	seen := map[string]string{}
	for _, name := range names {
		var f qualificationFile
		if err := decode(name, &f); err != nil {
			return nil, err
		}
		q := f.qualification()
		if err := Check(q); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", name, err)
		}
		k := Key(q.Code, q.Version)
		if other, dup := seen[k]; dup {
			return nil, fmt.Errorf("catalogue: %s is in both %s and %s", k, other, name)
		}
		seen[k] = name
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return out[i].Version < out[j].Version
	})
	return out, nil
}

func (f qualificationFile) qualification() domain.Qualification {
	q := domain.Qualification{Code: f.Code, Version: f.Version, Title: f.Title, Level: f.Level,
		AwardingOrganisation: f.AwardingOrganisation, GuidedLearningHours: f.GuidedLearningHours,
		TotalQualificationHrs: f.TotalQualification, Units: []domain.Unit{}, Plan: f.Plan}
	for _, u := range f.Units {
		unit := domain.Unit{Ref: u.Ref, Title: u.Title, GuidedLearningHours: u.GuidedLearningHours, Outcomes: []domain.LearningOutcome{}}
		for _, o := range u.Outcomes {
			lo := domain.LearningOutcome{Ref: o.Ref, Text: o.Text, Criteria: []domain.Criterion{}}
			for _, c := range o.Criteria {
				lo.Criteria = append(lo.Criteria, domain.Criterion{Ref: c.Ref, Text: c.Text})
			}
			unit.Outcomes = append(unit.Outcomes, lo)
		}
		q.Units = append(q.Units, unit)
	}
	return q
}

var (
	codeRE    = regexp.MustCompile(`^[A-Z0-9]+(-[A-Z0-9]+)*$`)
	unitRefRE = regexp.MustCompile(`^[0-9]{3}$`)
)

// Check reports the first thing wrong with a qualification version: a
// missing title, guided learning hours that do not add up, or a reference
// that is out of sequence. Learning outcomes are numbered 1, 2, 3… within
// a unit and their criteria 1.1, 1.2… within the outcome, so a criterion is
// named by its unit and reference (unit 303, criterion 2.1).
func Check(q domain.Qualification) error {
	switch {
	case !codeRE.MatchString(q.Code):
		return fmt.Errorf("code %q is not upper-case letters and digits joined by hyphens", q.Code)
	case q.Version < 1:
		return fmt.Errorf("%s: version %d, want 1 or more", q.Code, q.Version)
	case strings.TrimSpace(q.Title) == "":
		return fmt.Errorf("%s: no title", Key(q.Code, q.Version))
	case q.Level < 1 || q.Level > 8:
		return fmt.Errorf("%s: level %d, want 1 to 8", Key(q.Code, q.Version), q.Level)
	case strings.TrimSpace(q.AwardingOrganisation) == "":
		return fmt.Errorf("%s: no awarding organisation", Key(q.Code, q.Version))
	case q.GuidedLearningHours <= 0:
		return fmt.Errorf("%s: no guided learning hours", Key(q.Code, q.Version))
	case q.TotalQualificationHrs < q.GuidedLearningHours:
		return fmt.Errorf("%s: total qualification time %d is less than the guided learning hours %d", Key(q.Code, q.Version), q.TotalQualificationHrs, q.GuidedLearningHours)
	case len(q.Units) == 0:
		return fmt.Errorf("%s: no units", Key(q.Code, q.Version))
	}
	glh := 0
	units := map[string]bool{}
	for _, u := range q.Units {
		where := fmt.Sprintf("%s unit %q", Key(q.Code, q.Version), u.Ref)
		switch {
		case !unitRefRE.MatchString(u.Ref):
			return fmt.Errorf("%s: a unit reference is three digits, e.g. 301", where)
		case units[u.Ref]:
			return fmt.Errorf("%s: reference used twice", where)
		case strings.TrimSpace(u.Title) == "":
			return fmt.Errorf("%s: no title", where)
		case u.GuidedLearningHours <= 0:
			return fmt.Errorf("%s: no guided learning hours", where)
		case len(u.Outcomes) == 0:
			return fmt.Errorf("%s: no learning outcomes", where)
		}
		units[u.Ref] = true
		glh += u.GuidedLearningHours
		for i, o := range u.Outcomes {
			if want := strconv.Itoa(i + 1); o.Ref != want {
				return fmt.Errorf("%s: learning outcome %q, want %q (numbered in order from 1)", where, o.Ref, want)
			}
			if strings.TrimSpace(o.Text) == "" {
				return fmt.Errorf("%s: learning outcome %s has no text", where, o.Ref)
			}
			if len(o.Criteria) == 0 {
				return fmt.Errorf("%s: learning outcome %s has no assessment criteria", where, o.Ref)
			}
			for j, c := range o.Criteria {
				if want := fmt.Sprintf("%d.%d", i+1, j+1); c.Ref != want {
					return fmt.Errorf("%s: criterion %q, want %q (numbered in order within its outcome)", where, c.Ref, want)
				}
				if strings.TrimSpace(c.Text) == "" {
					return fmt.Errorf("%s: criterion %s has no text", where, c.Ref)
				}
			}
		}
	}
	if glh != q.GuidedLearningHours {
		return fmt.Errorf("%s: the units' guided learning hours add up to %d, not %d", Key(q.Code, q.Version), glh, q.GuidedLearningHours)
	}
	if err := domain.CheckPlan(q); err != nil {
		return fmt.Errorf("%s: assessment plan: %w", Key(q.Code, q.Version), err)
	}
	return nil
}

// Pathway returns the levels of the SENCO qualifications pathway, from
// Level 3 to Level 7.
func Pathway() ([]domain.PathwayLevel, error) {
	p, err := pathway()
	if err != nil {
		return nil, err
	}
	out := make([]domain.PathwayLevel, 0, len(p.Levels))
	for _, l := range p.Levels {
		out = append(out, domain.PathwayLevel{Level: l.Level, Tier: l.Tier, Title: l.Title, Entry: l.Entry, Duration: l.Duration, EntersHere: l.EntersHere})
	}
	return out, nil
}

// Tiers returns the pathway's tiers in order.
func Tiers() ([]Tier, error) {
	p, err := pathway()
	if err != nil {
		return nil, err
	}
	return p.Tiers, nil
}

// TiersOf names the tiers a level belongs to, e.g. ["foundation",
// "intermediate"] for Level 4.
func TiersOf(tiers []Tier, level int) []string {
	var out []string
	for _, t := range tiers {
		if level >= t.From && level <= t.To {
			out = append(out, t.Name)
		}
	}
	return out
}

func pathway() (pathwayFile, error) {
	var p pathwayFile
	if err := decode("data/pathway.json", &p); err != nil {
		return p, err
	}
	tierNames := map[string]bool{}
	for _, t := range p.Tiers {
		if t.Name == "" || t.From > t.To {
			return p, fmt.Errorf("catalogue pathway: tier %+v", t)
		}
		tierNames[t.Name] = true
	}
	for i, l := range p.Levels {
		switch {
		case i > 0 && l.Level <= p.Levels[i-1].Level:
			return p, fmt.Errorf("catalogue pathway: level %d is out of order", l.Level)
		case !tierNames[l.Tier]:
			return p, fmt.Errorf("catalogue pathway: level %d has unknown tier %q", l.Level, l.Tier)
		case !contains(TiersOf(p.Tiers, l.Level), l.Tier):
			return p, fmt.Errorf("catalogue pathway: level %d is outside its tier %q", l.Level, l.Tier)
		case l.Title == "" || l.Entry == "" || l.Duration == "" || l.EntersHere == "":
			return p, fmt.Errorf("catalogue pathway: level %d is missing a title, entry requirements, duration or who enters there", l.Level)
		}
	}
	return p, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Load stores every qualification version of the catalogue (idempotent:
// versions already stored are left as they are) and returns their ids by
// Key ("EYSENCO-L3@v1"). A stored version whose content differs from its
// file is an error: published versions never change, so the file must be
// put back and the change made as a new version.
func Load(ctx context.Context, db *store.DB) (map[string]int64, error) {
	qs, err := Qualifications()
	if err != nil {
		return nil, err
	}
	stored, err := db.Qualifications(ctx)
	if err != nil {
		return nil, err
	}
	byKey := map[string]domain.Qualification{}
	for _, s := range stored {
		byKey[Key(s.Code, s.Version)] = s
	}
	for _, q := range qs {
		s, ok := byKey[Key(q.Code, q.Version)]
		if !ok {
			continue
		}
		// A version stored before plans were catalogue data gets its plan
		// once (SaveQualification); after that the plan never changes either.
		if s.Plan.Empty() {
			s.Plan = q.Plan
		}
		same, err := sameContent(q, s)
		if err != nil {
			return nil, err
		}
		if !same {
			return nil, fmt.Errorf("catalogue: %s in the database differs from the catalogue file; a published version never changes, so restore the file and publish the change as version %d",
				Key(q.Code, q.Version), latest(qs, q.Code)+1)
		}
	}
	ids := map[string]int64{}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for _, q := range qs {
			id, err := tx.SaveQualification(ctx, q)
			if err != nil {
				return err
			}
			ids[Key(q.Code, q.Version)] = id
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	return ids, nil
}

func sameContent(a, b domain.Qualification) (bool, error) {
	a.ID, b.ID = 0, 0
	ja, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	jb, err := json.Marshal(b)
	if err != nil {
		return false, err
	}
	return bytes.Equal(ja, jb), nil
}

func latest(qs []domain.Qualification, code string) int {
	v := 0
	for _, q := range qs {
		if q.Code == code && q.Version > v {
			v = q.Version
		}
	}
	return v
}

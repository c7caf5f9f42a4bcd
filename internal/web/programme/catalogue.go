package programme

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"senco/internal/catalogue"
	"senco/internal/domain"
	"senco/internal/web/page"
)

// The qualification catalogue is public reference data: every signed-in
// user may read it.

type progQualRow struct {
	Q      domain.Qualification
	Latest bool
}

type progPathwayRow struct {
	Level  domain.PathwayLevel
	Tiers  string
	Quals  []domain.Qualification // newest version of each code at the level
	Stored bool
}

type progQualsData struct {
	Rows    []progQualRow
	Pathway []progPathwayRow
}

func (s *Handlers) Qualifications(w http.ResponseWriter, r *http.Request) error {
	qs, err := s.DB.Qualifications(r.Context())
	if err != nil {
		return err
	}
	// The store lists by level, code and newest version first.
	var d progQualsData
	latest := map[string]bool{}
	for _, q := range qs {
		d.Rows = append(d.Rows, progQualRow{Q: q, Latest: !latest[q.Code]})
		latest[q.Code] = true
	}
	levels, err := catalogue.Pathway()
	if err != nil {
		return err
	}
	tiers, err := catalogue.Tiers()
	if err != nil {
		return err
	}
	for _, l := range levels {
		row := progPathwayRow{Level: l, Tiers: progTierNames(catalogue.TiersOf(tiers, l.Level))}
		for _, qr := range d.Rows {
			if qr.Latest && qr.Q.Level == l.Level {
				row.Quals = append(row.Quals, qr.Q)
			}
		}
		d.Pathway = append(d.Pathway, row)
	}
	return s.Render(w, r, "prog-qualifications", "Qualifications", d)
}

func progTierNames(names []string) string {
	for i, n := range names {
		if i == 0 && n != "" {
			names[i] = strings.ToUpper(n[:1]) + n[1:]
		}
	}
	return strings.Join(names, " and ")
}

type progQualData struct {
	Q        domain.Qualification
	Versions []domain.Qualification // every version of the code, newest first
	Newest   domain.Qualification
	Previous domain.Qualification
	Changes  []string
	Marks    map[string]string // "unit criterion" → "Changed" / "New"
	Criteria int
}

func (s *Handlers) Qualification(w http.ResponseWriter, r *http.Request) error {
	id, err := page.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	q, err := s.DB.Qualification(ctx, id)
	if err != nil {
		return err
	}
	all, err := s.DB.Qualifications(ctx)
	if err != nil {
		return err
	}
	d := progQualData{Q: q, Marks: map[string]string{}}
	for _, other := range all {
		if other.Code != q.Code {
			continue
		}
		d.Versions = append(d.Versions, other)
		if other.Version > d.Newest.Version {
			d.Newest = other
		}
		if other.Version < q.Version && other.Version > d.Previous.Version {
			d.Previous = other
		}
	}
	for _, u := range q.Units {
		for _, o := range u.Outcomes {
			d.Criteria += len(o.Criteria)
		}
	}
	if d.Previous.ID != 0 {
		d.Changes, d.Marks = progQualChanges(d.Previous, q)
	}
	return s.Render(w, r, "prog-qualification", fmt.Sprintf("%s version %d", q.Title, q.Version), d)
}

// progQualChanges lists what changed in the criteria between two versions,
// and marks each changed or new criterion of the later one.
func progQualChanges(before, after domain.Qualification) ([]string, map[string]string) {
	type crit struct{ unit, ref, text string }
	flat := func(q domain.Qualification) (map[string]crit, []string) {
		m := map[string]crit{}
		var order []string
		for _, u := range q.Units {
			for _, o := range u.Outcomes {
				for _, c := range o.Criteria {
					k := u.Ref + " " + c.Ref
					m[k] = crit{u.Ref, c.Ref, c.Text}
					order = append(order, k)
				}
			}
		}
		return m, order
	}
	b, bOrder := flat(before)
	a, aOrder := flat(after)
	var changes []string
	marks := map[string]string{}
	for _, k := range aOrder {
		c := a[k]
		old, ok := b[k]
		switch {
		case !ok:
			marks[k] = "New"
			changes = append(changes, fmt.Sprintf("Unit %s, criterion %s added: %s", c.unit, c.ref, c.text))
		case old.text != c.text:
			marks[k] = "Changed"
			changes = append(changes, fmt.Sprintf("Unit %s, criterion %s changed: now “%s”", c.unit, c.ref, c.text))
		}
	}
	var removed []string
	for _, k := range bOrder {
		if _, ok := a[k]; !ok {
			removed = append(removed, fmt.Sprintf("Unit %s, criterion %s removed", b[k].unit, b[k].ref))
		}
	}
	sort.Strings(removed)
	return append(changes, removed...), marks
}

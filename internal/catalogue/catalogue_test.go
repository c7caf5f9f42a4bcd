package catalogue_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"senco/internal/catalogue"
	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

func TestQualificationsParse(t *testing.T) {
	qs, err := catalogue.Qualifications()
	if err != nil {
		t.Fatal(err)
	}
	versions := map[int]domain.Qualification{}
	for _, q := range qs {
		if q.Code == "EYSENCO-L3" {
			versions[q.Version] = q
		}
	}
	v1, ok := versions[1]
	if !ok || versions[2].Code == "" {
		t.Fatalf("want EYSENCO-L3 versions 1 and 2, have %d versions", len(versions))
	}
	if v1.Level != 3 || v1.AwardingOrganisation != "Early Years Awarding Body" || v1.GuidedLearningHours < 34 || v1.TotalQualificationHrs < v1.GuidedLearningHours {
		t.Errorf("EYSENCO-L3 v1: level %d, AO %q, GLH %d, TQT %d", v1.Level, v1.AwardingOrganisation, v1.GuidedLearningHours, v1.TotalQualificationHrs)
	}
	if n := len(v1.Units); n < 6 || n > 8 {
		t.Errorf("EYSENCO-L3 v1 has %d units, want 6 to 8", n)
	}
	// Every topic practitioners asked for has a unit.
	var titles []string
	for _, u := range v1.Units {
		titles = append(titles, strings.ToLower(u.Title))
	}
	all := strings.Join(titles, " | ")
	for _, topic := range []string{"identifying", "graduated approach", "record keeping", "parents", "referrals", "ehc", "agencies", "law", "colleagues", "own practice"} {
		if !strings.Contains(all, topic) {
			t.Errorf("no unit on %q in %s", topic, all)
		}
	}
	codeRef := regexp.MustCompile(`^[0-9]{3}$`)
	critRef := regexp.MustCompile(`^([1-9][0-9]*)\.([1-9][0-9]*)$`)
	for _, q := range qs {
		units := map[string]bool{}
		glh := 0
		for _, u := range q.Units {
			if !codeRef.MatchString(u.Ref) || units[u.Ref] {
				t.Errorf("%s v%d: unit ref %q malformed or repeated", q.Code, q.Version, u.Ref)
			}
			units[u.Ref] = true
			glh += u.GuidedLearningHours
			if n := len(u.Outcomes); n < 2 || n > 4 {
				t.Errorf("%s v%d unit %s: %d learning outcomes, want 2 to 4", q.Code, q.Version, u.Ref, n)
			}
			refs := map[string]bool{}
			for _, o := range u.Outcomes {
				if n := len(o.Criteria); n < 2 || n > 4 {
					t.Errorf("%s v%d unit %s outcome %s: %d criteria, want 2 to 4", q.Code, q.Version, u.Ref, o.Ref, n)
				}
				for _, c := range o.Criteria {
					m := critRef.FindStringSubmatch(c.Ref)
					if m == nil || m[1] != o.Ref || refs[c.Ref] {
						t.Errorf("%s v%d unit %s: criterion %q malformed, repeated or under the wrong outcome (%s)", q.Code, q.Version, u.Ref, c.Ref, o.Ref)
					}
					refs[c.Ref] = true
					if len(c.Text) < 20 || strings.TrimSpace(c.Text) != c.Text {
						t.Errorf("%s v%d unit %s %s: text %q", q.Code, q.Version, u.Ref, c.Ref, c.Text)
					}
				}
			}
		}
		if glh != q.GuidedLearningHours {
			t.Errorf("%s v%d: units add up to %d GLH, qualification says %d", q.Code, q.Version, glh, q.GuidedLearningHours)
		}
	}
}

// criteria flattens a version to "unit criterion" → text.
func criteria(q domain.Qualification) map[string]string {
	out := map[string]string{}
	for _, u := range q.Units {
		for _, o := range u.Outcomes {
			for _, c := range o.Criteria {
				out[u.Ref+" "+c.Ref] = c.Text
			}
		}
	}
	return out
}

func TestVersionTwoChangesCriteria(t *testing.T) {
	qs, err := catalogue.Qualifications()
	if err != nil {
		t.Fatal(err)
	}
	var v1, v2 domain.Qualification
	for _, q := range qs {
		if q.Code == "EYSENCO-L3" && q.Version == 1 {
			v1 = q
		}
		if q.Code == "EYSENCO-L3" && q.Version == 2 {
			v2 = q
		}
	}
	c1, c2 := criteria(v1), criteria(v2)
	var changed, added, removed []string
	for k, text := range c2 {
		old, ok := c1[k]
		switch {
		case !ok:
			added = append(added, k)
		case old != text:
			changed = append(changed, k)
		}
	}
	for k := range c1 {
		if _, ok := c2[k]; !ok {
			removed = append(removed, k)
		}
	}
	if len(changed)+len(added)+len(removed) == 0 {
		t.Fatal("version 2 has the same criteria as version 1")
	}
	if len(changed) < 2 || len(changed)+len(added) > 6 {
		t.Errorf("version 2 should change a couple of criteria: changed %v, added %v, removed %v", changed, added, removed)
	}
}

func TestCheckRefusesMalformedReferences(t *testing.T) {
	qs, err := catalogue.Qualifications()
	if err != nil {
		t.Fatal(err)
	}
	good := qs[0]
	clone := func() domain.Qualification {
		q := good
		q.Units = append([]domain.Unit(nil), good.Units...)
		u := q.Units[0]
		u.Outcomes = append([]domain.LearningOutcome(nil), u.Outcomes...)
		o := u.Outcomes[0]
		o.Criteria = append([]domain.Criterion(nil), o.Criteria...)
		u.Outcomes[0] = o
		q.Units[0] = u
		return q
	}
	for name, spoil := range map[string]func(q *domain.Qualification){
		"criterion out of sequence": func(q *domain.Qualification) { q.Units[0].Outcomes[0].Criteria[1].Ref = "1.3" },
		"criterion under wrong LO":  func(q *domain.Qualification) { q.Units[0].Outcomes[0].Criteria[0].Ref = "2.1" },
		"unit ref repeated":         func(q *domain.Qualification) { q.Units[1].Ref = q.Units[0].Ref },
		"unit ref malformed":        func(q *domain.Qualification) { q.Units[0].Ref = "U1" },
		"GLH do not add up":         func(q *domain.Qualification) { q.GuidedLearningHours++ },
		"empty criterion":           func(q *domain.Qualification) { q.Units[0].Outcomes[0].Criteria[0].Text = " " },
	} {
		q := clone()
		spoil(&q)
		if err := catalogue.Check(q); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := catalogue.Check(clone()); err != nil {
		t.Errorf("the unspoilt copy: %v", err)
	}
}

func TestPathway(t *testing.T) {
	levels, err := catalogue.Pathway()
	if err != nil {
		t.Fatal(err)
	}
	tiers, err := catalogue.Tiers()
	if err != nil {
		t.Fatal(err)
	}
	if len(levels) != 5 || levels[0].Level != 3 || levels[4].Level != 7 {
		t.Fatalf("pathway levels: %+v", levels)
	}
	byLevel := map[int]domain.PathwayLevel{}
	for _, l := range levels {
		byLevel[l.Level] = l
	}
	for _, c := range []struct {
		level    int
		tiers    string
		duration string
	}{
		{3, "foundation", "6 to 12 months"},
		{4, "foundation intermediate", "6 to 12 months"},
		{5, "intermediate", "18 months"},
		{6, "advanced", "2 years"},
		{7, "advanced", "2 years"},
	} {
		if got := strings.Join(catalogue.TiersOf(tiers, c.level), " "); got != c.tiers {
			t.Errorf("level %d tiers %q, want %q", c.level, got, c.tiers)
		}
		if !strings.Contains(byLevel[c.level].Duration, c.duration) {
			t.Errorf("level %d duration %q, want %q", c.level, byLevel[c.level].Duration, c.duration)
		}
	}
	for _, q := range []string{"QTS", "QTLS", "EYTS"} {
		if !strings.Contains(byLevel[7].Entry, q) {
			t.Errorf("level 7 entry %q lacks %s", byLevel[7].Entry, q)
		}
	}
	if !strings.Contains(strings.ToLower(byLevel[3].EntersHere), "early years practitioners") || !strings.Contains(strings.ToLower(byLevel[5].EntersHere), "further education") {
		t.Errorf("who enters where: L3 %q, L5 %q", byLevel[3].EntersHere, byLevel[5].EntersHere)
	}
}

func TestLoadIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		first, err := catalogue.Load(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		qs, _ := catalogue.Qualifications()
		if len(first) != len(qs) || first["EYSENCO-L3@v1"] == 0 || first["EYSENCO-L3@v2"] == 0 || first["EYSENCO-L3@v1"] == first["EYSENCO-L3@v2"] {
			t.Fatalf("ids: %v", first)
		}
		second, err := catalogue.Load(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(first) != fmt.Sprint(second) {
			t.Errorf("second load: %v, first %v", second, first)
		}
		stored, err := db.Qualifications(ctx)
		if err != nil || len(stored) != len(qs) {
			t.Fatalf("stored %d versions, want %d: %v", len(stored), len(qs), err)
		}
		v2, err := db.Qualification(ctx, first["EYSENCO-L3@v2"])
		if err != nil || v2.Version != 2 || len(v2.Units) != len(qs[1].Units) || v2.Units[2].Outcomes[2].Criteria[2].Text != qs[1].Units[2].Outcomes[2].Criteria[2].Text {
			t.Errorf("stored v2: %+v %v", v2.Units, err)
		}
	})
}

func TestLoadRefusesAChangedVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// A v1 stored earlier with other content: the file must not silently
		// differ from what learners enrolled on.
		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.SaveQualification(ctx, domain.Qualification{Code: "EYSENCO-L3", Version: 1, Title: "Something else", Level: 3,
				AwardingOrganisation: "Early Years Awarding Body", GuidedLearningHours: 34})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := catalogue.Load(ctx, db); err == nil || !strings.Contains(err.Error(), "EYSENCO-L3@v1") {
			t.Fatalf("load over a different v1: %v", err)
		}
	})
}

func TestReviewFrameworks(t *testing.T) {
	fws, err := catalogue.ReviewFrameworks()
	if err != nil || len(fws) == 0 {
		t.Fatal(fws, err)
	}
	want := []string{"leadership", "outcomes", "parents", "assessment", "resources", "provision"}
	for i, a := range fws[len(fws)-1].Areas {
		if a.Code != want[i] {
			t.Errorf("area %d is %s, want %s", i, a.Code, want[i])
		}
	}
}

package domain

import (
	"strings"
	"testing"
)

var testFramework = ReviewFramework{Version: 1, Areas: []ReviewArea{
	{Code: "leadership", Title: "Leadership", Items: []ReviewItem{{"leadership.a", "A"}, {"leadership.b", "B"}}},
	{Code: "parents", Title: "Parents", Items: []ReviewItem{{"parents.a", "C"}}},
}}

func allRated(r ReviewRating) map[string]ItemRating {
	return map[string]ItemRating{"leadership.a": {Rating: r}, "leadership.b": {Rating: r}, "parents.a": {Rating: r, Evidence: " e "}}
}

func TestNewReview(t *testing.T) {
	today := NewDate(2026, 6, 1)
	s := Setting{URN: "EY1", Name: "N", LACode: "E1"}
	long := strings.Repeat("x", MaxNoteLength+1)
	cases := []struct {
		name  string
		in    ReviewInput
		last  Date
		field string
	}{
		{"every item rated", ReviewInput{ReviewedOn: today, ReviewedBy: "Sam", Ratings: allRated(RatingSecure)}, Date{}, ""},
		{"after the previous", ReviewInput{ReviewedOn: today, ReviewedBy: "Sam", Ratings: allRated(RatingPartly)}, today.AddDays(-30), ""},
		{"no date", ReviewInput{ReviewedBy: "Sam", Ratings: allRated(RatingSecure)}, Date{}, "reviewed_on"},
		{"future", ReviewInput{ReviewedOn: today.AddDays(1), ReviewedBy: "Sam", Ratings: allRated(RatingSecure)}, Date{}, "reviewed_on"},
		{"before the previous", ReviewInput{ReviewedOn: today.AddDays(-40), ReviewedBy: "Sam", Ratings: allRated(RatingSecure)}, today.AddDays(-30), "reviewed_on"},
		{"no name", ReviewInput{ReviewedOn: today, ReviewedBy: " ", Ratings: allRated(RatingSecure)}, Date{}, "reviewed_by"},
		{"an item unrated", ReviewInput{ReviewedOn: today, ReviewedBy: "Sam", Ratings: map[string]ItemRating{"leadership.a": {Rating: RatingSecure}}}, Date{}, "rating-leadership.b"},
		{"a rating unknown", ReviewInput{ReviewedOn: today, ReviewedBy: "Sam", Ratings: map[string]ItemRating{"leadership.a": {Rating: "great"}}}, Date{}, "rating-leadership.a"},
		{"an item not in the framework", ReviewInput{ReviewedOn: today, ReviewedBy: "Sam", Ratings: func() map[string]ItemRating {
			m := allRated(RatingSecure)
			m["old.x"] = ItemRating{Rating: RatingSecure}
			return m
		}()}, Date{}, "rating-old.x"},
		{"evidence too long", ReviewInput{ReviewedOn: today, ReviewedBy: "Sam", Ratings: func() map[string]ItemRating {
			m := allRated(RatingSecure)
			m["parents.a"] = ItemRating{Rating: RatingSecure, Evidence: long}
			return m
		}()}, Date{}, "evidence-parents.a"},
	}
	for _, c := range cases {
		r, ref := NewReview(testFramework, s, c.in, c.last, today)
		switch {
		case c.field == "" && ref != nil:
			t.Errorf("%s: refused %v", c.name, ref)
		case c.field != "" && (ref == nil || ref.Field != c.field):
			t.Errorf("%s: got %v, want a refusal of %s", c.name, ref, c.field)
		case c.field == "" && (len(r.Ratings) != 3 || r.LACode != "E1" || r.FrameworkVersion != 1):
			t.Errorf("%s: %+v", c.name, r)
		}
	}
	r, _ := NewReview(testFramework, s, ReviewInput{ReviewedOn: today, ReviewedBy: "Sam", Ratings: allRated(RatingSecure)}, Date{}, today)
	if ir, _ := r.Rating("parents.a"); ir.Evidence != "e" {
		t.Errorf("evidence not trimmed: %q", ir.Evidence)
	}
	if err := testFramework.Check(); err != nil {
		t.Error(err)
	}
	bad := ReviewFramework{Version: 1, Areas: []ReviewArea{{Code: "a", Title: "A", Items: []ReviewItem{{"b.x", "X"}}}}}
	if bad.Check() == nil {
		t.Error("an item outside its area passed")
	}
}

func TestCompareReviews(t *testing.T) {
	before := SelfReview{Ratings: []ItemRating{{ItemCode: "leadership.a", Rating: RatingDevelopment}, {ItemCode: "leadership.b", Rating: RatingSecure}}}
	after := SelfReview{Ratings: []ItemRating{{ItemCode: "leadership.a", Rating: RatingSecure}, {ItemCode: "leadership.b", Rating: RatingPartly}, {ItemCode: "parents.a", Rating: RatingPartly}}}
	cmp := CompareReviews(testFramework, before, after)
	if len(cmp) != 2 {
		t.Fatal(cmp)
	}
	l := cmp[0]
	if !l.Items[0].Better || l.Items[0].Worse || !l.Items[1].Worse || l.BeforePoints != 2 || l.AfterPoints != 3 || l.Max != 4 {
		t.Errorf("leadership %+v", l)
	}
	if p := cmp[1].Items[0]; p.HasBefore || !p.HasAfter || p.Better || cmp[1].Max != 0 {
		t.Errorf("an item without a before: %+v", p)
	}
}

func TestPlanAndCompleteAction(t *testing.T) {
	today := NewDate(2026, 6, 1)
	r := SelfReview{ID: 3, SettingURN: "EY1", ReviewedOn: today.AddDays(-2)}
	cases := []struct {
		name, item, action, owner string
		due                       Date
		field                     string
	}{
		{"ok", "parents.a", "Ask families", "Sam", today.AddMonths(2), ""},
		{"unknown item", "x.y", "Ask", "Sam", today, "item"},
		{"no action", "parents.a", " ", "Sam", today, "action"},
		{"no owner", "parents.a", "Ask", "", today, "owner"},
		{"no date", "parents.a", "Ask", "Sam", Date{}, "due_on"},
		{"before the review", "parents.a", "Ask", "Sam", today.AddDays(-3), "due_on"},
		{"too far", "parents.a", "Ask", "Sam", today.AddMonths(25), "due_on"},
	}
	for _, c := range cases {
		a, ref := PlanAction(testFramework, r, c.item, c.action, c.owner, c.due, today)
		if (c.field == "") != (ref == nil) || ref != nil && ref.Field != c.field {
			t.Errorf("%s: %v", c.name, ref)
		}
		if c.field == "" && (a.ReviewID != 3 || a.SettingURN != "EY1") {
			t.Errorf("%s: %+v", c.name, a)
		}
	}
	a := ReviewAction{DueOn: today.AddDays(-1)}
	if !a.Overdue(today) {
		t.Error("not overdue")
	}
	done, ref := CompleteAction(a, today, today)
	if ref != nil || done.Overdue(today) {
		t.Fatal(ref)
	}
	if _, ref := CompleteAction(done, today, today); ref == nil {
		t.Error("done twice")
	}
	if _, ref := CompleteAction(a, today.AddDays(1), today); ref == nil {
		t.Error("done in the future")
	}
}

func scores(s int) map[string]int {
	m := map[string]int{}
	for _, a := range JobRoleAreas {
		m[a.Code] = s
	}
	return m
}

func TestRateConfidence(t *testing.T) {
	today := NewDate(2026, 12, 1)
	enrol := ConfidenceRating{Point: PointEnrolment, RatedOn: NewDate(2026, 1, 10), Scores: scores(2)}
	end := ConfidenceRating{Point: PointEnd, RatedOn: NewDate(2026, 5, 1), Scores: scores(4)}
	lateEnd := ConfidenceRating{Point: PointEnd, RatedOn: NewDate(2026, 7, 1), Scores: scores(4)}
	partial := scores(3)
	delete(partial, "agencies")
	cases := []struct {
		name     string
		existing []ConfidenceRating
		point    RatingPoint
		on       Date
		scores   map[string]int
		field    string
	}{
		{"enrolment", nil, PointEnrolment, today, scores(1), ""},
		{"end after enrolment", []ConfidenceRating{enrol}, PointEnd, today, scores(4), ""},
		{"six months after the end", []ConfidenceRating{enrol, end}, PointFollowUp, today, scores(5), ""},
		{"end without enrolment", nil, PointEnd, today, scores(4), "point"},
		{"six months without end", []ConfidenceRating{enrol}, PointFollowUp, today, scores(4), "point"},
		{"six months too soon", []ConfidenceRating{enrol, lateEnd}, PointFollowUp, today, scores(4), "rated_on"},
		{"end before enrolment", []ConfidenceRating{enrol}, PointEnd, NewDate(2026, 1, 1), scores(4), "rated_on"},
		{"twice", []ConfidenceRating{enrol}, PointEnrolment, today, scores(3), "point"},
		{"unknown point", nil, "later", today, scores(3), "point"},
		{"future", nil, PointEnrolment, today.AddDays(1), scores(3), "rated_on"},
		{"area missing", nil, PointEnrolment, today, partial, "score-agencies"},
		{"score out of range", nil, PointEnrolment, today, scores(6), "score-responsibilities"},
	}
	for _, c := range cases {
		_, ref := RateConfidence(c.existing, c.point, c.on, c.scores, false, today)
		if (c.field == "") != (ref == nil) || ref != nil && ref.Field != c.field {
			t.Errorf("%s: %v", c.name, ref)
		}
	}
	ch := ConfidenceChange([]ConfidenceRating{enrol, end})
	if len(ch) != 5 || ch[0].Change != 2 || ch[0].Gap || ch[0].FollowUp != 0 {
		t.Errorf("change %+v", ch[0])
	}
	if ch := ConfidenceChange([]ConfidenceRating{enrol}); !ch[0].Gap || ch[0].Change != 0 {
		t.Errorf("a gap at enrolment %+v", ch[0])
	}
}

func TestPlanGoalAndCPD(t *testing.T) {
	today := NewDate(2026, 6, 1)
	for _, c := range []struct {
		area, goal string
		by         Date
		field      string
	}{
		{"parents", "Run a coffee morning", today.AddMonths(3), ""},
		{"x", "Goal", today, "area"},
		{"parents", "", today, "goal"},
		{"parents", "Goal", Date{}, "by_on"},
		{"parents", "Goal", today.AddDays(-1), "by_on"},
		{"parents", "Goal", today.AddMonths(37), "by_on"},
	} {
		_, ref := PlanGoal(c.area, c.goal, c.by, today)
		if (c.field == "") != (ref == nil) || ref != nil && ref.Field != c.field {
			t.Errorf("goal %+v: %v", c, ref)
		}
	}
	ok := CPDEntry{DoneOn: today, Title: "Makaton", Minutes: 90, Evidence: "Signed with the group", AreaCode: "advising"}
	for _, c := range []struct {
		name  string
		edit  func(*CPDEntry)
		field string
	}{
		{"ok", func(*CPDEntry) {}, ""},
		{"no area is fine", func(e *CPDEntry) { e.AreaCode = "" }, ""},
		{"future", func(e *CPDEntry) { e.DoneOn = today.AddDays(1) }, "done_on"},
		{"no title", func(e *CPDEntry) { e.Title = " " }, "title"},
		{"no time", func(e *CPDEntry) { e.Minutes = 0 }, "hours"},
		{"no evidence", func(e *CPDEntry) { e.Evidence = "" }, "evidence"},
		{"bad area", func(e *CPDEntry) { e.AreaCode = "x" }, "area"},
	} {
		e := ok
		c.edit(&e)
		_, ref := LogCPD(e, today)
		if (c.field == "") != (ref == nil) || ref != nil && ref.Field != c.field {
			t.Errorf("cpd %s: %v", c.name, ref)
		}
	}
}

func TestPathway(t *testing.T) {
	levels := []PathwayLevel{{Level: 3}, {Level: 4}, {Level: 5}, {Level: 6}, {Level: 7}}
	state := func(rec PathwayRecord) string {
		var b strings.Builder
		for _, s := range Pathway(levels, rec) {
			b.WriteString(string(s.State)[:1])
		}
		return b.String()
	}
	cases := []struct {
		name string
		rec  PathwayRecord
		want string // o open, n not yet, h held, i in training; levels 2..7
	}{
		{"a new assistant", PathwayRecord{Practitioner: Practitioner{QualificationLevel: 2}}, "onnnnn"},
		{"a Level 3 practitioner", PathwayRecord{Practitioner: Practitioner{QualificationLevel: 3}}, "oonnnn"},
		{"training for Level 3", PathwayRecord{Practitioner: Practitioner{QualificationLevel: 3}, Training: 3}, "oinnnn"},
		{"a certified SENCO", PathwayRecord{Practitioner: Practitioner{QualificationLevel: 3}, Certified: []int{3}}, "ohonnn"},
		{"FE staff at Level 5", PathwayRecord{Practitioner: Practitioner{QualificationLevel: 5}}, "oononn"},
		{"a graduate", PathwayRecord{Practitioner: Practitioner{QualificationLevel: 6}}, "oonoon"},
		{"a teacher", PathwayRecord{Practitioner: Practitioner{QualificationLevel: 6, QTS: true}}, "oonooo"},
		{"EYTS", PathwayRecord{Practitioner: Practitioner{QualificationLevel: 3, EYTS: true}}, "oonnno"},
		{"QTLS", PathwayRecord{Practitioner: Practitioner{QualificationLevel: 5, QTLS: true}}, "oonono"},
	}
	for _, c := range cases {
		if got := state(c.rec); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	steps := Pathway(levels, PathwayRecord{Practitioner: Practitioner{QualificationLevel: 3}})
	if steps[5].Why == "" || !strings.Contains(steps[5].Why, "QTS") || steps[0].Months != [2]int{3, 3} || steps[4].Months != [2]int{24, 24} {
		t.Errorf("level 7: %+v", steps[5])
	}
}

func TestRPL(t *testing.T) {
	today := NewDate(2026, 6, 1)
	q := Qualification{ID: 9, Title: "L3", Units: []Unit{{Ref: "1", Outcomes: []LearningOutcome{{Ref: "1.1", Criteria: []Criterion{{Ref: "1.1.1", Text: "Explain"}, {Ref: "1.1.2", Text: "Describe"}}}}}}}
	held := []RPLClaim{{QualificationID: 9, CriterionRef: "1/1.1/1.1.2", State: RPLApproved}, {QualificationID: 9, CriterionRef: "1/1.1/1.1.1", State: RPLRefused}}
	for _, c := range []struct {
		name, crit, source, evidence string
		field                        string
	}{
		{"ok after a refusal", "1/1.1/1.1.1", "LA SENCO course, 2023", "Certificate and notes", ""},
		{"already approved", "1/1.1/1.1.2", "x", "y", "criterion"},
		{"unknown criterion", "9/9/9", "x", "y", "criterion"},
		{"no source", "1/1.1/1.1.1", "", "y", "source"},
		{"no evidence", "1/1.1/1.1.1", "x", " ", "evidence"},
	} {
		cl, ref := ClaimRPL(q, held, c.crit, c.source, c.evidence, today)
		if (c.field == "") != (ref == nil) || ref != nil && ref.Field != c.field {
			t.Errorf("%s: %v", c.name, ref)
		}
		if c.field == "" && (cl.State != RPLClaimed || cl.ClaimedOn != today) {
			t.Errorf("%s: %+v", c.name, cl)
		}
	}
	claim := RPLClaim{QualificationID: 9, CriterionRef: "1/1.1/1.1.1", State: RPLClaimed}
	if _, ref := DecideRPL(claim, false, "", "a", today); ref == nil || ref.Field != "reason" {
		t.Errorf("refusal without a reason: %v", ref)
	}
	ok, ref := DecideRPL(claim, true, "", "assessor", today)
	if ref != nil || ok.State != RPLApproved || ok.DecidedBy != "assessor" {
		t.Fatalf("%+v %v", ok, ref)
	}
	if _, ref := DecideRPL(ok, false, "no", "a", today); ref == nil {
		t.Error("decided twice")
	}
	got := ApprovedCriteria(append(held, ok, RPLClaim{QualificationID: 8, CriterionRef: "x", State: RPLApproved}), 9)
	if len(got) != 2 || got["1/1.1/1.1.1"].DecidedBy != "assessor" {
		t.Errorf("approved %+v", got)
	}
}

func TestImpactWithholdsSmallCells(t *testing.T) {
	if f := (ImpactSums{Units: 4, Scores: 40, First: 40, Latest: 60, Responded: 4, Of: 10}).Figure(); !f.Withheld || f.Change != 0 || f.First != 0 {
		t.Errorf("four units shown: %+v", f)
	}
	f := (ImpactSums{Units: 5, Scores: 50, First: 50, Latest: 75, Responded: 5, Of: 10}).Figure()
	if f.Withheld || f.First != 1 || f.Latest != 1.5 || f.Change != 0.5 || f.ResponseRate != 0.5 {
		t.Errorf("five units: %+v", f)
	}
	las := []AreaInfo{{"E1", "A", "R1", "North"}, {"E2", "B", "R1", "North"}, {"E3", "C", "R2", "South"}}
	sums := map[ImpactKey]ImpactSums{
		{"E1", MeasureReview, GroupTrained, ""}: {Units: 3, Scores: 3, First: 3, Latest: 6},
		{"E2", MeasureReview, GroupTrained, ""}: {Units: 3, Scores: 3, First: 0, Latest: 3},
		{"E3", MeasureReview, GroupTrained, ""}: {Units: 6, Scores: 6, First: 6, Latest: 6},
	}
	rows := ImpactTable(sums, las)
	if len(rows) != 6 || rows[0].Name != "England" || rows[1].Name != "North" || rows[4].Name != "South" {
		t.Fatalf("rows %+v", rows)
	}
	if rows[0].Review[GroupTrained].Units != 12 || rows[1].Review[GroupTrained].Withheld || !rows[2].Review[GroupTrained].Withheld || rows[5].Review[GroupTrained].Withheld {
		t.Errorf("roll-up: %+v", rows)
	}
	if !rows[0].Review[GroupNotTrained].Withheld {
		t.Error("an empty group shown")
	}
}

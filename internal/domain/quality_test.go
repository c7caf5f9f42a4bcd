package domain

import (
	"slices"
	"strings"
	"testing"
)

func decisionsOf(assessors map[int64]int) []QADecision {
	var out []QADecision
	id := int64(0)
	for a := int64(1); a <= int64(len(assessors)); a++ {
		for range assessors[a] {
			id++
			out = append(out, QADecision{Kind: QAInterim, ID: id, ApplicationID: 100 + id%7, AssessorID: a})
		}
	}
	return out
}

func TestDrawSample(t *testing.T) {
	plan := SamplingPlan{LearnerShare: 0, DecisionShare: 20, NewAssessorShare: 50, NewAssessorBelow: 10}
	all := decisionsOf(map[int64]int{1: 40, 2: 6, 3: 12})
	count := func(d Draw, assessor int64) int {
		n := 0
		for _, x := range d.Decisions {
			if x.AssessorID == assessor {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name     string
		plan     SamplingPlan
		reviewer int64
		want     map[int64]int // sampled per assessor
	}{
		{"a fifth of an experienced assessor's, half of a new one's", plan, 99, map[int64]int{1: 8, 2: 3, 3: 3}},
		{"never the reviewer's own decisions", plan, 3, map[int64]int{1: 8, 2: 3, 3: 0}},
		{"a share rounds up to one decision", SamplingPlan{DecisionShare: 1, NewAssessorShare: 1}, 99, map[int64]int{1: 1, 2: 1, 3: 1}},
		{"nothing sampled at nought", SamplingPlan{}, 99, map[int64]int{1: 0, 2: 0, 3: 0}},
		{"every decision at a hundred", SamplingPlan{DecisionShare: 100, NewAssessorShare: 100}, 99, map[int64]int{1: 40, 2: 6, 3: 12}},
	}
	for _, tt := range tests {
		d := DrawSample(tt.plan, all, tt.reviewer, 42)
		for a, n := range tt.want {
			if got := count(d, a); got != n {
				t.Errorf("%s: assessor %d sampled %d, want %d", tt.name, a, got, n)
			}
		}
	}

	// The same decisions, plan and seed draw the same sample, whatever the
	// order they are read in; another seed draws another.
	a := DrawSample(plan, all, 99, 7)
	rev := slices.Clone(all)
	slices.Reverse(rev)
	b := DrawSample(plan, rev, 99, 7)
	if !slices.Equal(a.Decisions, b.Decisions) || a.Seed != 7 {
		t.Errorf("same seed, different sample:\n%v\n%v", a.Decisions, b.Decisions)
	}
	if c := DrawSample(plan, all, 99, 8); slices.Equal(a.Decisions, c.Decisions) {
		t.Error("another seed drew the same sample")
	}

	// A share of learners samples every decision of the learners chosen.
	d := DrawSample(SamplingPlan{LearnerShare: 30}, all, 99, 1)
	learners := map[int64]bool{}
	for _, x := range d.Decisions {
		learners[x.ApplicationID] = true
	}
	if len(learners) != 3 { // 30% of 7 learners, rounded up
		t.Errorf("learners sampled: %v", learners)
	}
	for _, x := range all {
		in := slices.Contains(d.Decisions, x)
		if learners[x.ApplicationID] != in {
			t.Errorf("decision %d of learner %d: sampled %v", x.ID, x.ApplicationID, in)
		}
	}
}

func TestCheckSamplingPlan(t *testing.T) {
	ok := DefaultSamplingPlan(1, QAInternal)
	tests := []struct {
		name  string
		edit  func(*SamplingPlan)
		field string
	}{
		{"the default", func(*SamplingPlan) {}, ""},
		{"over a hundred", func(p *SamplingPlan) { p.LearnerShare = 101 }, "learner_share"},
		{"negative", func(p *SamplingPlan) { p.DecisionShare = -1 }, "decision_share"},
		{"new assessors less than others", func(p *SamplingPlan) { p.NewAssessorShare = 5 }, "new_assessor_share"},
		{"samples nothing", func(p *SamplingPlan) { p.LearnerShare, p.DecisionShare = 0, 0 }, "learner_share"},
		{"threshold out of range", func(p *SamplingPlan) { p.NewAssessorBelow = -2 }, "new_assessor_below"},
	}
	for _, tt := range tests {
		p := ok
		tt.edit(&p)
		r := CheckSamplingPlan(p)
		if (tt.field == "" && r != nil) || (tt.field != "" && (r == nil || r.Field != tt.field)) {
			t.Errorf("%s: %v", tt.name, r)
		}
	}
}

func TestOutcomeAndResolution(t *testing.T) {
	item := QAItem{Decision: QADecision{Kind: QAInterim, ID: 5, AssessorID: 2}}
	tests := []struct {
		name     string
		item     QAItem
		reviewer int64
		outcome  QAOutcome
		action   string
		on       Date
		field    string
	}{
		{"agree", item, 9, QAAgree, "", day, ""},
		{"action with what to do", item, 9, QAAction, "Re-check 1.2 against the observation", day, ""},
		{"action without what to do", item, 9, QAAction, "  ", day, "action"},
		{"own decision", item, 2, QAAgree, "", day, "outcome"},
		{"no outcome chosen", item, 9, QAPending, "", day, "outcome"},
		{"in the future", item, 9, QAAgree, "", day.AddDays(1), "outcome"},
		{"recorded already", QAItem{Decision: item.Decision, Outcome: QAAgree, ReviewedOn: day}, 9, QAAction, "x", day, "outcome"},
	}
	for _, tt := range tests {
		got, err := RecordOutcome(tt.item, tt.reviewer, tt.outcome, tt.action, tt.on, day)
		r, _ := IsRefusal(err)
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.field != "" && (r == nil || r.Field != tt.field):
			t.Errorf("%s: want refusal of %s, got %v", tt.name, tt.field, err)
		case tt.field == "" && (got.Outcome != tt.outcome || got.ReviewerID != tt.reviewer):
			t.Errorf("%s: %+v", tt.name, got)
		}
	}

	open, _ := RecordOutcome(item, 9, QAAction, "Re-check 1.2", day, day)
	if !open.Open() || OpenQAActions([]QAItem{open}) != 1 || !OverturnedDecisions([]QAItem{open})[5] {
		t.Fatalf("open action: %+v", open)
	}
	if _, err := ResolveAction(open, 9, "done", day, day); err == nil {
		t.Error("resolved by someone other than the assessor")
	}
	if _, err := ResolveAction(open, 2, " ", day, day); err == nil {
		t.Error("resolved without a note")
	}
	done, err := ResolveAction(open, 2, "Decided 1.2 again with the observation", day, day)
	if err != nil || done.Open() || OpenQAActions([]QAItem{done}) != 0 {
		t.Fatalf("resolve: %+v %v", done, err)
	}
	// Resolving leaves the decision overturned: a new decision stands for it.
	if !OverturnedDecisions([]QAItem{done})[5] {
		t.Error("resolved action no longer overturns the decision")
	}
	if _, err := ResolveAction(done, 2, "again", day, day); err == nil {
		t.Error("resolved twice")
	}
	final, _ := RecordOutcome(QAItem{Decision: QADecision{Kind: QAFinal, ApplicationID: 3, AssessorID: 2}}, 9, QAAction, "x", day, day)
	if len(OverturnedDecisions([]QAItem{final})) != 0 {
		t.Error("a final decision's action overturned a criterion")
	}
}

func TestReportByAssessor(t *testing.T) {
	ds := []QADecision{{AssessorID: 1, ID: 1}, {AssessorID: 1, ID: 2}, {AssessorID: 2, ID: 3}}
	items := []QAItem{
		{Decision: ds[0], Outcome: QAAgree},
		{Decision: ds[1], Outcome: QAAction},
		{Decision: ds[2], Outcome: QAAction, ResolvedOn: day},
	}
	got := QAReportByAssessor(ds, items, map[int64]string{1: "Bea", 2: "Al"})
	want := []QAAssessorReport{
		{AssessorID: 2, AssessorName: "Al", Decisions: 1, Sampled: 1, Actions: 1},
		{AssessorID: 1, AssessorName: "Bea", Decisions: 2, Sampled: 2, Agreed: 1, Actions: 1, OpenActions: 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("report:\n%+v\nwant\n%+v", got, want)
	}
}

func TestCertificationBlock(t *testing.T) {
	ready := Application{PractitionerName: "Ada", Status: StatusCompleted, LearnerNumber: "LN1", AssessmentCompleteOn: day}
	with := func(edit func(*CertificationFacts)) CertificationFacts {
		f := CertificationFacts{App: ready}
		edit(&f)
		return f
	}
	met := []CriterionStanding{{Ref: "1.1", Unit: "1", Mandatory: true, Met: true}, {Ref: "2.1", Unit: "2", Mandatory: true, Met: true}, {Ref: "2.2", Unit: "2", Met: false}}
	tests := []struct {
		name  string
		f     CertificationFacts
		field string
		says  string
	}{
		{"registered, complete, no action", with(func(*CertificationFacts) {}), "", ""},
		{"not registered", with(func(f *CertificationFacts) { f.App.LearnerNumber = "" }), "learner_number", "not registered"},
		{"still in training", with(func(f *CertificationFacts) { f.App.Status = StatusInTraining }), "status", "in training"},
		{"withdrawn", with(func(f *CertificationFacts) { f.App.Status = StatusWithdrawn }), "status", "withdrawn"},
		{"assessment not complete", with(func(f *CertificationFacts) { f.App.AssessmentCompleteOn = Date{} }), "status", "assessment is not complete"},
		{"every mandatory criterion met (an optional one not)", with(func(f *CertificationFacts) { f.Criteria = met }), "", ""},
		{"a mandatory criterion not met", with(func(f *CertificationFacts) {
			f.Criteria = append(slices.Clone(met), CriterionStanding{Ref: "3.1", Unit: "3", Mandatory: true})
		}), "status", "1 mandatory criterion not yet met: 3.1"},
		{"a QA action open", with(func(f *CertificationFacts) { f.OpenActions = 2 }), "qa", "2 quality assurance actions"},
		{"already certified", with(func(f *CertificationFacts) {
			f.Held = []Award{{Kind: CertificateFull, State: CertificateValid, Number: "C-1"}}
		}), "status", "already holds certificate C-1"},
		{"an invalidated certificate does not stop a new one", with(func(f *CertificationFacts) {
			f.Held = []Award{{Kind: CertificateFull, State: CertificateInvalidated, Number: "C-1"}}
		}), "", ""},
	}
	for _, tt := range tests {
		r := CertificationBlock(tt.f)
		if tt.field == "" {
			if r != nil {
				t.Errorf("%s: refused: %v", tt.name, r)
				continue
			}
			ch, err := Certify(tt.f, "C-9", day, day)
			if err != nil || ch.App.Status != StatusCertified || ch.App.CertificateNumber != "C-9" {
				t.Errorf("%s: certify %+v %v", tt.name, ch.App, err)
			}
			continue
		}
		if r == nil || r.Field != tt.field || !strings.Contains(r.Msg, tt.says) {
			t.Errorf("%s: got %v, want %s refusal saying %q", tt.name, r, tt.field, tt.says)
		}
		if _, err := Certify(tt.f, "C-9", day, day); err == nil {
			t.Errorf("%s: Certify accepted what CertificationBlock refused", tt.name)
		}
	}
	if _, err := Certify(CertificationFacts{App: ready}, "C-9", day.AddDays(1), day); err == nil {
		t.Error("certified in the future")
	}
}

func TestUnitCertificates(t *testing.T) {
	app := Application{PractitionerName: "Ada", Status: StatusWithdrawn, LearnerNumber: "LN1"}
	crit := []CriterionStanding{
		{Ref: "1.1", Unit: "U1", Mandatory: true, Met: true}, {Ref: "1.2", Unit: "U1", Mandatory: true, Met: true},
		{Ref: "2.1", Unit: "U2", Mandatory: true, Met: false}, {Ref: "3.1", Unit: "U3", Mandatory: true, Met: true},
	}
	f := CertificationFacts{App: app, Criteria: crit}
	if got := UnitsAchieved(f); !slices.Equal(got, []string{"U1", "U3"}) {
		t.Fatalf("achieved: %v", got)
	}
	tests := []struct {
		name  string
		f     CertificationFacts
		units []string
		field string
	}{
		{"two achieved units", f, []string{"U1", "U3"}, ""},
		{"a unit not achieved", f, []string{"U2"}, "units"},
		{"none chosen", f, nil, "units"},
		{"not registered", CertificationFacts{App: Application{Status: StatusWithdrawn}, Criteria: crit}, []string{"U1"}, "learner_number"},
		{"action open", CertificationFacts{App: app, Criteria: crit, OpenActions: 1}, []string{"U1"}, "qa"},
		{"already covered", CertificationFacts{App: app, Criteria: crit, Held: []Award{{Kind: CertificateUnit, State: CertificateValid, Units: []string{"U1"}}}}, []string{"U1"}, "units"},
		{"holds the full certificate", CertificationFacts{App: app, Criteria: crit, Held: []Award{{Kind: CertificateFull, State: CertificateValid}}}, []string{"U1"}, "units"},
		{"no criteria recorded", CertificationFacts{App: app}, []string{"U1"}, "units"},
		{"not yet enrolled", CertificationFacts{App: Application{Status: StatusEligible, LearnerNumber: "L"}, Criteria: crit}, []string{"U1"}, "status"},
	}
	for _, tt := range tests {
		got, err := CertifyUnits(tt.f, tt.units, day, day)
		r, _ := IsRefusal(err)
		if tt.field == "" && (err != nil || !slices.Equal(got, tt.units)) {
			t.Errorf("%s: %v %v", tt.name, got, err)
		}
		if tt.field != "" && (r == nil || r.Field != tt.field) {
			t.Errorf("%s: want refusal of %s, got %v", tt.name, tt.field, err)
		}
	}
}

func TestInvalidateAndReview(t *testing.T) {
	c := Award{Number: "C-1", State: CertificateValid}
	if _, err := Invalidate(c, " ", day); err == nil {
		t.Error("invalidated without a reason")
	}
	inv, err := Invalidate(c, "issued in error", day)
	if err != nil || inv.State != CertificateInvalidated || inv.InvalidReason != "issued in error" {
		t.Fatalf("invalidate: %+v %v", inv, err)
	}
	if _, err := Invalidate(inv, "again", day); err == nil {
		t.Error("invalidated twice")
	}
	flagged, ok := FlagForReview(c, "IQA action on 1.2", day)
	if !ok || !flagged.Flagged() || flagged.State != CertificateValid {
		t.Fatalf("flag: %+v", flagged)
	}
	if _, again := FlagForReview(flagged, "another", day); again {
		t.Error("flagged twice")
	}
	if _, ok := FlagForReview(inv, "x", day); ok {
		t.Error("flagged an invalidated certificate")
	}
	cleared, err := ClearReview(flagged)
	if err != nil || cleared.Flagged() {
		t.Errorf("clear: %+v %v", cleared, err)
	}
}

func TestVerificationCode(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"ABCD-EFGH-JKMN-PQRS", "ABCDEFGHJKMNPQRS", true},
		{" abcd efgh jkmn pqrs ", "ABCDEFGHJKMNPQRS", true},
		{"O1IL-0000-0000-0000", "0111000000000000", true},
		{"ABCD-EFGH", "", false},
		{"ABCD-EFGH-JKMN-PQRU", "", false}, // U is not in the alphabet
		{"12", "", false},
		{"<script>", "", false},
	}
	for _, tt := range tests {
		got, ok := NormaliseVerificationCode(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("%q: %q %v", tt.in, got, ok)
		}
	}
	if got := FormatVerificationCode("ABCDEFGHJKMNPQRS"); got != "ABCD-EFGH-JKMN-PQRS" {
		t.Errorf("format: %s", got)
	}
	if got := CertificateNumber("eysenco-l3", 2026, 12); got != "EYSENCO-L3-2026-000012" {
		t.Errorf("number: %s", got)
	}
}

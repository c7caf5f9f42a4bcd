package domain

import (
	"strings"
	"testing"
)

func TestCheckExternalID(t *testing.T) {
	for _, tt := range []struct {
		id    string
		field string
	}{
		{"ep-123", ""},
		{"", "external_id"},
		{"   ", "external_id"},
		{strings.Repeat("x", MaxExternalIDLength), ""},
		{strings.Repeat("x", MaxExternalIDLength+1), "external_id"},
	} {
		err := CheckExternalID(tt.id)
		if r, _ := IsRefusal(err); (tt.field == "" && err != nil) || (tt.field != "" && (r == nil || r.Field != tt.field)) {
			t.Errorf("CheckExternalID(%q) = %v, want refusal of %q", tt.id, err, tt.field)
		}
	}
}

func TestSamePushed(t *testing.T) {
	on := NewDate(2026, 3, 2)
	ev := Evidence{Kind: EvidenceFile, Title: "Plan", File: FileMeta{Name: "plan.pdf", Type: "application/pdf", Size: 10}, AddedOn: on,
		Criteria: []CriterionRef{"301/1.1", "301/1.2"}}
	for _, tt := range []struct {
		name string
		push func(Evidence) Evidence
		same bool
	}{
		{"identical", func(e Evidence) Evidence { return e }, true},
		{"criteria in another order, repeated", func(e Evidence) Evidence {
			e.Criteria = []CriterionRef{"301/1.2", "301/1.1", "301/1.2"}
			return e
		}, true},
		{"title padded", func(e Evidence) Evidence { e.Title = " Plan "; return e }, true},
		{"another title", func(e Evidence) Evidence { e.Title = "Plan 2"; return e }, false},
		{"another criterion", func(e Evidence) Evidence { e.Criteria = []CriterionRef{"301/1.1"}; return e }, false},
		{"another size", func(e Evidence) Evidence { e.File.Size = 11; return e }, false},
		{"another date", func(e Evidence) Evidence { e.AddedOn = on.AddDays(1); return e }, false},
	} {
		if got := SamePushedEvidence(ev, tt.push(ev)); got != tt.same {
			t.Errorf("evidence %s: same = %v, want %v", tt.name, got, tt.same)
		}
	}
	d := CriterionDecision{Criterion: "301/1.1", Outcome: OutcomeNotYet, Feedback: "More on the law", DecidedOn: on, EvidenceID: 4, AssessorID: 7}
	for _, tt := range []struct {
		name string
		push func(CriterionDecision) CriterionDecision
		same bool
	}{
		{"identical", func(x CriterionDecision) CriterionDecision { return x }, true},
		{"feedback padded", func(x CriterionDecision) CriterionDecision { x.Feedback += " "; return x }, true},
		{"met instead", func(x CriterionDecision) CriterionDecision { x.Outcome = OutcomeMet; return x }, false},
		{"another criterion", func(x CriterionDecision) CriterionDecision { x.Criterion = "301/1.2"; return x }, false},
		{"another assessor", func(x CriterionDecision) CriterionDecision { x.AssessorID = 8; return x }, false},
		{"another day", func(x CriterionDecision) CriterionDecision { x.DecidedOn = on.AddDays(-1); return x }, false},
	} {
		if got := SamePushedDecision(d, tt.push(d)); got != tt.same {
			t.Errorf("decision %s: same = %v, want %v", tt.name, got, tt.same)
		}
	}
	item := QAItem{Outcome: QAAction, Action: "Re-read 1.2"}
	for _, tt := range []struct {
		outcome QAOutcome
		action  string
		same    bool
	}{
		{QAAction, "Re-read 1.2", true},
		{QAAction, " Re-read 1.2 ", true},
		{QAAction, "Something else", false},
		{QAAgree, "", false},
	} {
		if got := SamePushedOutcome(item, tt.outcome, tt.action); got != tt.same {
			t.Errorf("outcome %s %q: same = %v, want %v", tt.outcome, tt.action, got, tt.same)
		}
	}
	if !SamePushedOutcome(QAItem{Outcome: QAAgree}, QAAgree, "ignored for agree") {
		t.Error("an agree outcome pushed again with an action is the same agree")
	}
}

func TestCheckPushedDecision(t *testing.T) {
	q := Qualification{Title: "SENCO", Version: 1, Units: []Unit{{Ref: "301", Outcomes: []LearningOutcome{{Ref: "1", Criteria: []Criterion{{Ref: "1.1", Text: "Explain"}}}}}}}
	today := NewDate(2026, 4, 1)
	ev := []Evidence{{ID: 4}}
	ok := CriterionDecision{Criterion: "301/1.1", Outcome: OutcomeMet, DecidedOn: today, EvidenceID: 4, AssessorID: 7}
	for _, tt := range []struct {
		name  string
		edit  func(*CriterionDecision)
		field string
	}{
		{"fine", func(*CriterionDecision) {}, ""},
		{"no evidence or assessor named", func(d *CriterionDecision) { d.EvidenceID, d.AssessorID = 0, 0 }, ""},
		{"unknown criterion", func(d *CriterionDecision) { d.Criterion = "301/9.9" }, "criterion"},
		{"bad outcome", func(d *CriterionDecision) { d.Outcome = "maybe" }, "outcome"},
		{"not yet without feedback", func(d *CriterionDecision) { d.Outcome = OutcomeNotYet }, "feedback"},
		{"in the future", func(d *CriterionDecision) { d.DecidedOn = today.AddDays(1) }, "decided_on"},
		{"another learner's evidence", func(d *CriterionDecision) { d.EvidenceID = 5 }, "evidence_id"},
		{"not the cohort's assessor", func(d *CriterionDecision) { d.AssessorID = 8 }, "assessor_id"},
	} {
		d := ok
		tt.edit(&d)
		err := CheckPushedDecision(d, q, ev, []int64{7}, today)
		if r, _ := IsRefusal(err); (tt.field == "" && err != nil) || (tt.field != "" && (r == nil || r.Field != tt.field)) {
			t.Errorf("%s: %v, want refusal of %q", tt.name, err, tt.field)
		}
	}
}

func TestRecordPushedOutcome(t *testing.T) {
	today := NewDate(2026, 4, 1)
	internal := QAItem{Level: QAInternal, Decision: QADecision{AssessorID: 7}}
	if _, err := RecordPushedOutcome(internal, 9, QAAgree, "", today, today); err != nil {
		t.Errorf("internal sample: %v", err)
	}
	external := QAItem{Level: QAExternal, Decision: QADecision{AssessorID: 7}}
	if _, err := RecordPushedOutcome(external, 9, QAAgree, "", today, today); err == nil {
		t.Error("a supplier recorded an outcome in the external sample")
	}
	if _, err := RecordPushedOutcome(internal, 7, QAAgree, "", today, today); err == nil {
		t.Error("an outcome on the reviewer's own decision")
	}
}

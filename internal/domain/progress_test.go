package domain

import (
	"reflect"
	"testing"
)

func TestComputeProgress(t *testing.T) {
	apps := []ProgressApp{
		{PractitionerID: 1, Status: StatusCertified, Decision: DecisionEligible, EverEnrolled: true, Completed: true},
		{PractitionerID: 2, Status: StatusCompleted, Decision: DecisionEligible, EverEnrolled: true, Completed: true},
		{PractitionerID: 3, Status: StatusInTraining, Decision: DecisionEligible, EverEnrolled: true},
		{PractitionerID: 4, Status: StatusWithdrawn, Decision: DecisionEligible, EverEnrolled: true, WithdrawalReason: WithdrawWorkload},
		{PractitionerID: 5, Status: StatusIneligible, Decision: DecisionIneligible},
		{PractitionerID: 6, Status: StatusApplied, Decision: DecisionManual},
		{PractitionerID: 7, Status: StatusDeferred, Decision: DecisionEligible, EverEnrolled: true},
		// The same person withdrew and came back: one completion, not two.
		{PractitionerID: 1, Status: StatusWithdrawn, Decision: DecisionEligible, EverEnrolled: true, WithdrawalReason: WithdrawPersonal},
		// Revoked: back to completed, counts as completed training, not certified.
		{PractitionerID: 8, Status: StatusCompleted, Decision: DecisionEligible, EverEnrolled: true, Completed: true},
	}
	p := ComputeProgress(apps, 4)
	want := Progress{Target: 4, Applications: 9, Eligible: 7, Ineligible: 1, ManualReview: 1, Enrolled: 7, InTraining: 1,
		CompletedTraining: 3, Certified: 1, Withdrawn: 2, Deferred: 1}
	got := p
	got.WithdrawnBy = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("progress\n got %+v\nwant %+v", got, want)
	}
	if p.WithdrawnBy[WithdrawWorkload] != 1 || p.WithdrawnBy[WithdrawPersonal] != 1 {
		t.Errorf("withdrawn by reason %v", p.WithdrawnBy)
	}
	if p.TargetShare() != 0.25 {
		t.Errorf("target share %v", p.TargetShare())
	}
}

func TestForecast(t *testing.T) {
	cohorts := []CohortFlight{
		{EndsOn: NewDate(2026, 3, 31), Completed: 8, Withdrawn: 2},             // finished: rate 0.8
		{EndsOn: NewDate(2026, 12, 15), Active: 10},                            // in flight
		{EndsOn: NewDate(2026, 12, 1), Active: 5},                              // same month
		{EndsOn: NewDate(2027, 2, 28), Active: 20, Completed: 0, Withdrawn: 0}, // later
	}
	months, rate := Forecast(cohorts, NewDate(2026, 11, 22))
	if rate != 0.8 || len(months) != 2 {
		t.Fatalf("rate %v months %+v", rate, months)
	}
	if !months[0].Month.Equal(NewDate(2026, 12, 1)) || months[0].Expected != 12 || months[1].Expected != 16 {
		t.Errorf("months %+v", months)
	}
	if _, r := Forecast([]CohortFlight{{EndsOn: NewDate(2026, 1, 1), Active: 3}}, NewDate(2026, 1, 1)); r != 1 {
		t.Errorf("no finished learners: rate %v, want 1", r)
	}
	// Cohorts that ended before the as-at date with learners still active
	// are expected in the as-at month, not in a month already past.
	overdue := []CohortFlight{
		{EndsOn: NewDate(2026, 7, 31), Active: 4},
		{EndsOn: NewDate(2026, 11, 30), Active: 6},
		{EndsOn: NewDate(2026, 10, 31), Active: 0, Completed: 3, Withdrawn: 1},
	}
	months, rate = Forecast(overdue, NewDate(2026, 11, 22))
	if rate != 0.75 || len(months) != 1 || !months[0].Month.Equal(NewDate(2026, 11, 1)) || months[0].Expected != 7.5 {
		t.Errorf("overdue cohorts: rate %v months %+v, want one month 2026-11 expecting 7.5", rate, months)
	}
}

func TestCompletionRate(t *testing.T) {
	for _, tt := range []struct {
		done, left int
		rate       float64
		observed   bool
	}{{0, 0, 1, false}, {3, 1, 0.75, true}, {0, 2, 0, true}, {5, 0, 1, true}} {
		if rate, observed := CompletionRate(tt.done, tt.left); rate != tt.rate || observed != tt.observed {
			t.Errorf("CompletionRate(%d, %d) = %v, %v", tt.done, tt.left, rate, observed)
		}
	}
}

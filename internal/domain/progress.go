package domain

import "sort"

// ProgressApp is what programme progress needs of one application.
type ProgressApp struct {
	PractitionerID   int64
	Status           Status
	Decision         Decision
	WithdrawalReason WithdrawalReason
	EverEnrolled     bool
	Completed        bool  // completed training (certified learners included)
	SupplierOrgID    int64 // of the learner's cohort; 0 when not placed
}

// Progress is a programme's progress against its target (DESIGN.md
// section 4): completions are distinct practitioners certified under the
// programme; completed training counts distinct practitioners who
// completed, certified or not.
type Progress struct {
	Target            int
	Applications      int
	Eligible          int // ever judged eligible: enrolled and beyond included
	Ineligible        int
	ManualReview      int
	Enrolled          int // ever enrolled
	InTraining        int // enrolled or in training now
	CompletedTraining int // distinct practitioners
	Certified         int // distinct practitioners: the completions
	Withdrawn         int
	WithdrawnBy       map[WithdrawalReason]int
	Deferred          int
}

// TargetShare is completions ÷ target (0 without a target).
func (p Progress) TargetShare() float64 {
	if p.Target == 0 {
		return 0
	}
	return float64(p.Certified) / float64(p.Target)
}

// ComputeProgress counts a programme's applications by where they are.
func ComputeProgress(apps []ProgressApp, target int) Progress {
	p := Progress{Target: target, Applications: len(apps), WithdrawnBy: map[WithdrawalReason]int{}}
	completed := map[int64]bool{}
	certified := map[int64]bool{}
	for _, a := range apps {
		switch a.Status {
		case StatusIneligible:
			p.Ineligible++
		case StatusApplied:
			if a.Decision == DecisionManual {
				p.ManualReview++
			}
		case StatusEnrolled, StatusInTraining:
			p.InTraining++
		case StatusWithdrawn:
			p.Withdrawn++
			p.WithdrawnBy[a.WithdrawalReason]++
		case StatusDeferred:
			p.Deferred++
		case StatusCertified:
			certified[a.PractitionerID] = true
		}
		if a.Status != StatusApplied && a.Status != StatusIneligible && (a.Status != StatusWithdrawn || a.EverEnrolled || a.Decision == DecisionEligible) {
			p.Eligible++
		}
		if a.EverEnrolled {
			p.Enrolled++
		}
		if a.Completed || a.Status == StatusCompleted || a.Status == StatusCertified {
			completed[a.PractitionerID] = true
		}
	}
	p.CompletedTraining, p.Certified = len(completed), len(certified)
	return p
}

// CohortFlight is what the forecast needs of one cohort.
type CohortFlight struct {
	EndsOn    Date
	Active    int // enrolled or in training now
	Completed int
	Withdrawn int
}

// MonthForecast is the expected completions in one month.
type MonthForecast struct {
	Month    Date // the first of the month
	Expected float64
}

// CompletionRate is the programme's completion rate: learners who
// completed training ÷ those who completed or withdrew after enrolment.
// Before any has finished it is 1 and observed is false: nothing has
// shown the rate yet, and a forecast assumes everyone completes.
func CompletionRate(completed, withdrawnAfterEnrolment int) (rate float64, observed bool) {
	if completed+withdrawnAfterEnrolment == 0 {
		return 1, false
	}
	return float64(completed) / float64(completed+withdrawnAfterEnrolment), true
}

// Forecast expects each cohort still in flight (with active learners) to
// complete, in the month it ends, its active learners times the completion
// rate observed so far: completed ÷ (completed + withdrawn) over every
// cohort. A cohort that ended before asAt with learners still active (their
// assessment is not yet recorded) is expected in asAt's month, never in a
// month already past. It returns the months in order and the rate used;
// with no learner finished yet the rate is 1, and the forecast says so.
func Forecast(cohorts []CohortFlight, asAt Date) ([]MonthForecast, float64) {
	done, left := 0, 0
	for _, c := range cohorts {
		done += c.Completed
		left += c.Withdrawn
	}
	rate, _ := CompletionRate(done, left)
	byMonth := map[Date]float64{}
	for _, c := range cohorts {
		if c.Active == 0 || c.EndsOn.IsZero() {
			continue
		}
		end := c.EndsOn
		if end.Before(asAt) {
			end = asAt
		}
		t := end.Time()
		m := NewDate(t.Year(), t.Month(), 1)
		byMonth[m] += float64(c.Active) * rate
	}
	out := make([]MonthForecast, 0, len(byMonth))
	for m, e := range byMonth {
		out = append(out, MonthForecast{Month: m, Expected: e})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Month.Before(out[j].Month) })
	return out, rate
}

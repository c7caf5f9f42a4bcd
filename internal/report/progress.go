package report

import (
	"context"
	"errors"
	"fmt"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// ErrPastProgress is returned for a progress report asked as at a date
// before today: applications are counted by where they are now, and senco
// does not rebuild where each stood on an earlier day.
var ErrPastProgress = errors.New("programme progress is counted as it stands today; it cannot be counted as at an earlier date")

// ProgressReport is a programme's progress against its target
// (domain.ComputeProgress), its forecast of completions by month from the
// cohorts in flight (domain.Forecast, with the completion rate it used),
// and its suppliers side by side. Its Performance is the whole
// programme's, counted as for a supplier, with the suppliers' places
// allocated summed.
type ProgressReport struct {
	Programme domain.Programme
	AsAt      domain.Date
	domain.Progress
	Forecast     []domain.MonthForecast
	ForecastRate float64
	// ForecastRateObserved is false when no learner has finished yet and
	// the forecast takes the rate as 1.
	ForecastRateObserved bool
	Performance
	Suppliers []SupplierRow
}

// SupplierRow is one supplier's performance on a programme, and its
// learners' progress (domain.ComputeProgress over the applications on its
// cohorts, with no target of its own).
type SupplierRow struct {
	SupplierOrgID int64
	Name          string
	Performance
	domain.Progress
}

// Performance is how places were filled and kept: places allocated (by
// contracts in force); places filled (learners ever enrolled); retention,
// 1 − learners withdrawn after enrolment ÷ learners ever enrolled (0
// before anyone enrolled); completion, the domain's completion rate, the
// one the forecast uses: learners who completed training ÷ those who
// completed or withdrew after enrolment.
type Performance struct {
	Allocated  int
	Filled     int
	Retention  float64
	Completion float64
	// CompletionObserved is false while no learner has finished; there is
	// no rate to report then, and Completion is 0.
	CompletionObserved bool
}

// BuildProgress reports a programme's progress within scope (pass
// policy.Delivery(u)) as it stands on asAt, which must be today or later
// (ErrPastProgress otherwise; today is the store clock's date in
// Europe/London). A programme that does not exist is store.ErrNotFound.
// Suppliers are listed for national scopes and, for a supplier's people,
// their own organisation only.
func BuildProgress(ctx context.Context, db *store.DB, scope policy.Scope, programmeID int64, asAt domain.Date) (ProgressReport, error) {
	r := ProgressReport{AsAt: asAt}
	if asAt.Before(domain.DateOf(db.Now())) {
		return r, ErrPastProgress
	}
	prog, err := db.Programme(ctx, programmeID)
	if err != nil {
		return r, err
	}
	r.Programme = prog
	apps, err := db.ProgressApps(ctx, scope, programmeID, 0)
	if err != nil {
		return r, err
	}
	r.Progress = domain.ComputeProgress(apps, prog.TargetCompletions)
	r.Performance = performance(apps, 0)
	flights, err := db.CohortFlights(ctx, scope, programmeID)
	if err != nil {
		return r, err
	}
	r.Forecast, r.ForecastRate = domain.Forecast(flights, asAt)
	for _, f := range flights {
		if f.Completed+f.Withdrawn > 0 {
			r.ForecastRateObserved = true
		}
	}
	sups, err := db.ProgrammeSuppliers(ctx, scope, programmeID)
	if err != nil {
		return r, err
	}
	// Each supplier's applications are those of the programme in their
	// cohorts: partitioned here rather than read again per supplier.
	bySupplier := map[int64][]domain.ProgressApp{}
	for _, a := range apps {
		if a.SupplierOrgID != 0 {
			bySupplier[a.SupplierOrgID] = append(bySupplier[a.SupplierOrgID], a)
		}
	}
	for _, s := range sups {
		sApps := bySupplier[s.SupplierOrgID]
		row := SupplierRow{SupplierOrgID: s.SupplierOrgID, Name: s.Name, Performance: performance(sApps, s.Allocated), Progress: domain.ComputeProgress(sApps, 0)}
		r.Allocated += s.Allocated
		r.Suppliers = append(r.Suppliers, row)
	}
	return r, nil
}

// performance counts the performance of apps with allocated places.
// Before any learner has finished there is no completion rate to report,
// rather than the forecast's assumption of 1.
func performance(apps []domain.ProgressApp, allocated int) Performance {
	p := Performance{Allocated: allocated}
	withdrawn, completed := 0, 0
	for _, a := range apps {
		if !a.EverEnrolled {
			continue
		}
		p.Filled++
		if a.Status == domain.StatusWithdrawn {
			withdrawn++
		}
		if a.Completed {
			completed++
		}
	}
	if p.Filled == 0 {
		return p
	}
	p.Retention = 1 - float64(withdrawn)/float64(p.Filled)
	if rate, observed := domain.CompletionRate(completed, withdrawn); observed {
		p.Completion, p.CompletionObserved = rate, true
	}
	return p
}

// Table arranges the progress report for export: the programme as a
// whole, then each supplier, side by side. The programme's target and its
// share met are on the programme's row only.
func (r ProgressReport) Table() Table {
	t := Table{Name: "progress", Title: r.Programme.Name + ": progress, as at " + r.AsAt.Long(), AsAt: r.AsAt, Definitions: Definitions()}
	t.Columns = []Column{
		{"name", "Programme or supplier", KindText},
		{"target", "Target completions", KindInt},
		{"target_share", "Share of target met (certified ÷ target)", KindPercent},
		{"allocated", "Places allocated", KindInt},
		{"filled", "Places filled (ever enrolled)", KindInt},
		{"retention", "Retention", KindPercent},
		{"completion", "Completion (completed ÷ completed or withdrawn after enrolment)", KindPercent},
		{"applications", "Applications", KindInt},
		{string(domain.StatusEligible), "Eligible", KindInt},
		{string(domain.StatusIneligible), "Ineligible", KindInt},
		{"manual_review", "Awaiting manual review", KindInt},
		{string(domain.StatusEnrolled), "Enrolled (ever)", KindInt},
		{string(domain.StatusInTraining), "In training now", KindInt},
		{"completed_training", "Completed training (practitioners)", KindInt},
		{string(domain.StatusCertified), "Certified (practitioners): completions", KindInt},
		{string(domain.StatusWithdrawn), "Withdrawn", KindInt},
	}
	for _, w := range domain.WithdrawalReasons {
		t.Columns = append(t.Columns, Column{"withdrawn_" + string(w), "Withdrawn: " + w.Label(), KindInt})
	}
	t.Columns = append(t.Columns, Column{"deferred", "Deferred", KindInt})
	counts := func(p domain.Progress) []any {
		out := []any{p.Applications, p.Eligible, p.Ineligible, p.ManualReview, p.Enrolled, p.InTraining, p.CompletedTraining, p.Certified, p.Withdrawn}
		for _, w := range domain.WithdrawalReasons {
			out = append(out, p.WithdrawnBy[w])
		}
		return append(out, p.Deferred)
	}
	// No completion figure before anyone finished: blank, not 0%.
	perf := func(p Performance) []any {
		var completion any
		if p.CompletionObserved {
			completion = p.Completion
		}
		return []any{p.Allocated, p.Filled, p.Retention, completion}
	}
	row := func(name string, target, share any, p Performance, progress domain.Progress) []any {
		return append(append([]any{name, target, share}, perf(p)...), counts(progress)...)
	}
	t.Rows = append(t.Rows, row(r.Programme.Name, r.Target, r.TargetShare(), r.Performance, r.Progress))
	for _, s := range r.Suppliers {
		t.Rows = append(t.Rows, row(s.Name, nil, nil, s.Performance, s.Progress))
	}
	return t
}

// ForecastTable is the forecast of completions by month, with the rate it
// used in its title.
func (r ProgressReport) ForecastTable() Table {
	rate := fmt.Sprintf("completion rate observed so far %.1f%%", r.ForecastRate*100)
	if !r.ForecastRateObserved {
		rate = "no learner has finished yet, so the completion rate is taken as 100%"
	}
	t := Table{Name: "forecast", Title: r.Programme.Name + ": forecast of completions by month (" + rate + "), as at " + r.AsAt.Long(),
		AsAt: r.AsAt, Definitions: Definitions()}
	t.Columns = []Column{{"month", "Month", KindDate}, {"expected_completions", "Expected completions", KindNumber}}
	for _, m := range r.Forecast {
		t.Rows = append(t.Rows, []any{m.Month, m.Expected})
	}
	return t
}

// GapTable arranges coverage rows of settings (store.CoverageSettings) for
// export: the gap list when they are the settings with no qualified SENCO
// and no one in training.
func GapTable(rows []store.SettingCoverageRow, asAt domain.Date) Table {
	t := Table{Name: "gap-list", Title: "Eligible settings with no qualified SENCO and no one in training, as at " + asAt.Long(), AsAt: asAt, Definitions: Definitions()}
	t.Columns = []Column{
		{"urn", "URN", KindText},
		{"name", "Setting", KindText},
		{"type", "Provider type", KindText},
		{"la_code", "Local authority code", KindText},
		{"places", "Places", KindInt},
		{"outcome", "Latest inspection outcome", KindText},
		{"qualified", "Qualified SENCO", KindText},
		{string(domain.StatusInTraining), "Someone in training", KindText},
	}
	yes := func(b bool) string {
		if b {
			return "Yes"
		}
		return "No"
	}
	for _, s := range rows {
		name := s.Name
		if name == "" {
			name = "(name withheld by Ofsted)"
		}
		t.Rows = append(t.Rows, []any{s.URN, name, s.Type.Label(), s.LACode, s.Places, s.Outcome.String(), yes(s.Qualified), yes(s.InTraining)})
	}
	return t
}

// ForecastTotal is the completions the forecast expects from the cohorts in
// flight, summed over its months.
func (r ProgressReport) ForecastTotal() float64 {
	var t float64
	for _, m := range r.Forecast {
		t += m.Expected
	}
	return t
}

package report_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/report/reporttest"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestBuildProgress checks the seeded programme's progress, forecast and
// suppliers side by side.
func TestBuildProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := reporttest.Seed(t, db)
		today := reporttest.TurnoverDay
		db.SetClock(func() time.Time { return time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC) })

		r, err := report.BuildProgress(ctx, db, rpNational, w.Programme.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		// The domain's own count of the same applications.
		apps, err := db.ProgressApps(ctx, rpNational, w.Programme.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if want := domain.ComputeProgress(apps, 10); r.Applications != want.Applications || r.Certified != want.Certified || r.Target != 10 {
			t.Errorf("progress %+v, domain %+v", r.Progress, want)
		}
		p := r.Progress
		if p.Applications != 4 || p.Enrolled != 4 || p.InTraining != 2 || p.CompletedTraining != 1 || p.Certified != 1 ||
			p.Withdrawn != 1 || p.WithdrawnBy[domain.WithdrawWorkload] != 1 || p.Deferred != 0 || p.TargetShare() != 0.1 {
			t.Errorf("progress %+v", p)
		}
		// The forecast: the cohort's two active learners, at the rate
		// observed so far (one completed, one withdrawn: 1/2), in December.
		if len(r.Forecast) != 1 || !r.Forecast[0].Month.Equal(domain.NewDate(2024, 12, 1)) || r.Forecast[0].Expected != 1 || r.ForecastRate != 0.5 || !r.ForecastRateObserved {
			t.Errorf("forecast %+v at %v (observed %v)", r.Forecast, r.ForecastRate, r.ForecastRateObserved)
		}
		if len(r.Suppliers) != 2 {
			t.Fatalf("suppliers %+v", r.Suppliers)
		}
		// Completion is the domain's completion rate, the forecast's: of
		// Northern's four learners one completed and one withdrew, 1/2.
		north, south := r.Suppliers[0], r.Suppliers[1]
		if north.Name != "Northern Training" || north.Allocated != 20 || north.Filled != 4 || north.Retention != 0.75 || north.Completion != 0.5 ||
			!north.CompletionObserved || north.Certified != 1 {
			t.Errorf("Northern %+v", north)
		}
		// No learner has finished at Southern: no completion rate.
		if south.Name != "Southern Training" || south.Allocated != 5 || south.Filled != 0 || south.Retention != 0 || south.Applications != 0 ||
			south.Completion != 0 || south.CompletionObserved {
			t.Errorf("Southern %+v", south)
		}
		if r.Allocated != 25 || r.Filled != 4 || r.Retention != 0.75 || r.Completion != 0.5 || r.Completion != r.ForecastRate || !r.CompletionObserved {
			t.Errorf("programme totals %+v", r)
		}

		tbl := r.Table()
		if len(tbl.Rows) != 3 || tbl.Rows[0][0] != w.Programme.Name || tbl.Rows[1][1] != nil || tbl.Rows[1][6] != 0.5 || tbl.Rows[2][6] != nil {
			t.Errorf("progress table %v", tbl.Rows)
		}
		for _, row := range tbl.Rows {
			if len(row) != len(tbl.Columns) {
				t.Errorf("row %v for %d columns", row, len(tbl.Columns))
			}
		}
		ft := r.ForecastTable()
		if len(ft.Rows) != 1 || ft.Rows[0][1] != 1.0 {
			t.Errorf("forecast table %v", ft.Rows)
		}

		// A supplier sees itself only; an LA officer no suppliers, and
		// only their authority's applications.
		sup, err := report.BuildProgress(ctx, db, policy.Scope{Kind: policy.Org, OrgID: w.Supplier2.ID}, w.Programme.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(sup.Suppliers) != 1 || sup.Suppliers[0].Name != "Southern Training" || sup.Applications != 0 {
			t.Errorf("Southern's own view: %+v", sup)
		}
		la, err := report.BuildProgress(ctx, db, policy.Scope{Kind: policy.LA, LACode: reporttest.Bradford}, w.Programme.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(la.Suppliers) != 0 || la.Applications != 1 || la.InTraining != 1 {
			t.Errorf("Bradford's view: %+v", la)
		}
		// Bradford's forecast counts Bradford's learner only: one in
		// training, none finished yet, so the rate is 1 and not observed.
		if len(la.Forecast) != 1 || la.Forecast[0].Expected != 1 || la.ForecastRate != 1 || la.ForecastRateObserved {
			t.Errorf("Bradford's forecast %+v at %v (observed %v)", la.Forecast, la.ForecastRate, la.ForecastRateObserved)
		}

		// Not as at an earlier day; not a programme that does not exist.
		if _, err := report.BuildProgress(ctx, db, rpNational, w.Programme.ID, today.AddDays(-1)); !errors.Is(err, report.ErrPastProgress) {
			t.Errorf("yesterday: %v", err)
		}
		if _, err := report.BuildProgress(ctx, db, rpNational, w.Programme.ID+100, today); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("no programme: %v", err)
		}
		if math.IsNaN(r.Retention) {
			t.Error("NaN")
		}
	})
}

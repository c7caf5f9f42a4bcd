package report_test

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"senco/internal/domain"
	"senco/internal/report"
	"senco/internal/report/reporttest"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestCoverageCache checks the kept counts are BuildCoverage's, for many
// callers at once, and follow a change to the data on the next call.
func TestCoverageCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		reporttest.Seed(t, db)
		day := reporttest.TurnoverDay
		c := report.NewCoverageCache(8)
		want, err := report.BuildCoverage(ctx, db, rpNational, day)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		got := make([]report.Coverage, 10)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], _ = c.Build(ctx, db, rpNational, day)
			}()
		}
		wg.Wait()
		for _, g := range got {
			if !reflect.DeepEqual(g, want) {
				t.Fatalf("kept counts differ from BuildCoverage's:\n%+v\n%+v", g.England, want.England)
			}
		}

		// A new eligible nursery in Leeds counts on the next call.
		leeds := domain.Setting{URN: "LDNEW1", Name: "New Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true,
			LACode: reporttest.Leeds, Places: 30, RegisteredOn: domain.NewDate(2015, 1, 1)}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertSettings(ctx, []domain.Setting{leeds}) }); err != nil {
			t.Fatal(err)
		}
		after, err := c.Build(ctx, db, rpNational, day)
		if err != nil {
			t.Fatal(err)
		}
		if after.England.All().Eligible != want.England.All().Eligible+1 {
			t.Errorf("after a new setting: %d eligible, want %d", after.England.All().Eligible, want.England.All().Eligible+1)
		}
		fresh, err := report.BuildCoverage(ctx, db, rpNational, day)
		if err != nil || !reflect.DeepEqual(after, fresh) {
			t.Errorf("kept counts after the change differ from BuildCoverage's (%v)", err)
		}
	})
}

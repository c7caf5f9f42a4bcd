package store_test

import (
	"context"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestSearchTotalsFollowTheRegister checks that the totals kept between
// changes are never older than the register: each write to settings, by
// the store or by any other statement, is seen by the next search.
func TestSearchTotalsFollowTheRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedLAs(t, db)
		national := policy.Scope{Kind: policy.National}
		leeds := store.SettingFilter{LACode: "E08000035", Type: domain.Childminder, Status: domain.Active, Page: 2, PageSize: 1}
		total := func() int {
			t.Helper()
			page, err := db.SearchSettings(ctx, national, leeds)
			if err != nil {
				t.Fatal(err)
			}
			return page.Total
		}
		add := func(urn string) {
			t.Helper()
			err := db.InTx(ctx, func(tx *store.Tx) error {
				return tx.InsertSettings(ctx, []domain.Setting{setting(urn, "Minder "+urn, domain.Childminder, "E08000035", true)})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := total(); n != 0 {
			t.Fatalf("empty register: %d", n)
		}
		add("EY100001")
		add("EY100002")
		if n := total(); n != 2 {
			t.Fatalf("after two added: %d", n)
		}
		if n := total(); n != 2 {
			t.Fatalf("asked again: %d", n)
		}
		if err := db.RawExecForTest(ctx, `UPDATE settings SET status = 'closed' WHERE urn = 'EY100001'`); err != nil {
			t.Fatal(err)
		}
		if n := total(); n != 1 {
			t.Fatalf("after one closed by another statement: %d", n)
		}
		add("EY100003")
		if n := total(); n != 2 {
			t.Fatalf("after another added: %d", n)
		}
	})
}

package store_test

import (
	"context"
	"fmt"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestFirstReleaseKeepsIndexesAndTriggers applies a release large enough
// to take the first-import path (secondary indexes built at the end, the
// coverage triggers suspended) and checks what it leaves behind is a
// register like any other: the coverage version moved, later writes move
// it again, and searches find what they found before.
func TestFirstReleaseKeepsIndexesAndTriggers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedLAs(t, db)
		version := func() int64 {
			t.Helper()
			v, err := db.CoverageVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		var ss []domain.Setting
		for i := range 5200 {
			la := []string{"E08000035", "E09000002", ""}[i%3]
			ss = append(ss, setting(fmt.Sprintf("EY%06d", 5200-i), fmt.Sprintf("Setting %d", i), domain.ProviderTypes[i%4], la, i%5 > 0))
		}
		before := version()
		sum, err := apply(t, db, store.Release{FileName: "first.csv", ReleaseOn: d2021, Settings: ss})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Added != len(ss) {
			t.Fatalf("first import: %+v", sum)
		}
		after := version()
		if after <= before {
			t.Fatalf("the first import left the coverage version at %d", before)
		}
		// The triggers are back: an ordinary write moves the version.
		err = db.InTx(ctx, func(tx *store.Tx) error {
			return tx.InsertSettings(ctx, []domain.Setting{setting("EY999999", "Late", domain.Childminder, "E08000035", true)})
		})
		if err != nil {
			t.Fatal(err)
		}
		if v := version(); v <= after {
			t.Errorf("a setting added after the first import left the version at %d", v)
		}
		page, err := db.SearchSettings(ctx, policy.Scope{Kind: policy.LA, LACode: "E08000035"}, store.SettingFilter{PageSize: 10})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 5200/3+1+1 {
			t.Errorf("Leeds holds %d settings, want %d", page.Total, 5200/3+2)
		}
	})
}

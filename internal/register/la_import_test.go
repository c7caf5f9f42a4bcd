package register

import (
	"context"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestImportLAsKeepsWhatTheFileDoesNotState imports DfE's 2024 list, which
// has no end dates, over the shipped list: Barnsley and Sheffield, which
// ended on 30 April 2025, stay ended. A column the file does have is
// applied, even when it changes what was recorded.
func TestImportLAsKeepsWhatTheFileDoesNotState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		shipped := "../importer/data/local_authorities.csv"
		if _, err := ImportLocalAuthorities(ctx, db, operator, shipped, open(t, shipped)); err != nil {
			t.Fatal(err)
		}
		before := lasByCode(t, db)

		list2024 := "../importer/testdata/england_local_authorities_2024.csv"
		if _, err := ImportLocalAuthorities(ctx, db, operator, list2024, open(t, list2024)); err != nil {
			t.Fatal(err)
		}
		after := lasByCode(t, db)
		ended := domain.NewDate(2025, 4, 30)
		for _, code := range []string{"E08000016", "E08000019"} { // Barnsley, Sheffield
			if got := after[code].EndedOn; got != ended {
				t.Errorf("%s (%s) ended on %v after importing a list without end dates, want %v", code, after[code].Name, got, ended)
			}
		}
		for code, la := range before {
			if after[code].EndedOn != la.EndedOn {
				t.Errorf("%s: end date %v became %v", code, la.EndedOn, after[code].EndedOn)
			}
		}

		// A file that states an end date changes it.
		f := strings.NewReader("code,name,region_code,region_name,started_on,ended_on\nE08000016,Barnsley,E12000003,Yorkshire and The Humber,2009-01-01,2025-03-31\n")
		if _, err := ImportLocalAuthorities(ctx, db, operator, "barnsley.csv", f); err != nil {
			t.Fatal(err)
		}
		if got := lasByCode(t, db)["E08000016"]; got.EndedOn != domain.NewDate(2025, 3, 31) || got.DfECode != "370" || got.Type != before["E08000016"].Type {
			t.Errorf("Barnsley after a file stating its end: %+v", got)
		}
	})
}

func lasByCode(t *testing.T, db *store.DB) map[string]domain.LocalAuthority {
	t.Helper()
	las, err := db.AllLocalAuthorities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]domain.LocalAuthority{}
	for _, la := range las {
		out[la.Code] = la
	}
	return out
}

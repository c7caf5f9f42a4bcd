package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

var (
	d2021 = domain.NewDate(2021, 8, 31)
	op    = domain.OperatorActor("test")
)

func seedLAs(t testing.TB, db *store.DB) {
	t.Helper()
	las := []domain.LocalAuthority{
		{Code: "E09000002", DfECode: "301", Name: "Barking and Dagenham", OfstedName: "Barking and Dagenham", RegionCode: "E12000007", RegionName: "London", StartedOn: domain.NewDate(1965, 4, 1)},
		{Code: "E08000035", DfECode: "383", Name: "Leeds", OfstedName: "Leeds", RegionCode: "E12000003", RegionName: "Yorkshire and The Humber", StartedOn: domain.NewDate(1974, 4, 1)},
		{Code: "E10000006", DfECode: "909", Name: "Cumbria", OfstedName: "Cumbria", RegionCode: "E12000002", RegionName: "North West", StartedOn: domain.NewDate(1974, 4, 1), EndedOn: domain.NewDate(2023, 3, 31)},
	}
	err := db.InTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.UpsertLocalAuthorities(context.Background(), op, las)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func setting(urn, name string, typ domain.ProviderType, la string, eyr bool) domain.Setting {
	return domain.Setting{URN: urn, Name: name, Type: typ, Status: domain.Active, EYR: eyr, LACode: la, Postcode: "LS8 5DT", Town: "Leeds",
		Places: 30, RegisteredOn: domain.NewDate(2010, 1, 4), SourceRelease: d2021.String(), LastSeenOn: d2021}
}

func apply(t *testing.T, db *store.DB, rel store.Release) (store.ReleaseSummary, error) {
	t.Helper()
	var sum store.ReleaseSummary
	err := db.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		sum, err = tx.ApplySettingsRelease(context.Background(), op, rel)
		return err
	})
	return sum, err
}

func TestSettingsRelease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedLAs(t, db)
		var ss []domain.Setting
		for i := range 40 {
			la := "E08000035"
			if i%2 == 0 {
				la = "E09000002"
			}
			ss = append(ss, setting(fmt.Sprintf("EY%06d", i), fmt.Sprintf("Nursery %d", i), domain.NonDomestic, la, true))
		}
		ss = append(ss, setting("123456", "", domain.Childminder, "", true))
		sum, err := apply(t, db, store.Release{FileName: "a.csv", ReleaseOn: d2021, Settings: ss})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Added != 41 || sum.Updated != 0 || sum.Closed != 0 {
			t.Fatalf("first import: %+v", sum)
		}
		sum, err = apply(t, db, store.Release{FileName: "a.csv", ReleaseOn: d2021, Settings: ss})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Added != 0 || sum.Updated != 0 || sum.Unchanged != 41 || sum.Closed != 0 {
			t.Fatalf("re-import: %+v", sum)
		}
		// A partial file is refused and changes nothing.
		_, err = apply(t, db, store.Release{FileName: "b.csv", ReleaseOn: d2021.AddDays(90), Settings: ss[:30]})
		if !errors.Is(err, store.ErrTooManyClosures) {
			t.Fatalf("partial release: got %v, want ErrTooManyClosures", err)
		}
		// One closure, one change, confirmed.
		next := append([]domain.Setting(nil), ss[1:]...)
		next[0].Places = 99
		later := d2021.AddDays(90)
		for i := range next {
			next[i].LastSeenOn, next[i].SourceRelease = later, later.String()
		}
		sum, err = apply(t, db, store.Release{FileName: "c.csv", ReleaseOn: later, Settings: next})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Closed != 1 || sum.Updated != 1 || sum.Unchanged != 39 {
			t.Fatalf("next release: %+v", sum)
		}
		closed, err := db.Setting(ctx, policy.Scope{Kind: policy.National}, "EY000000")
		if err != nil {
			t.Fatal(err)
		}
		if closed.Status != domain.Closed || !closed.ClosedOn.Equal(later) {
			t.Fatalf("closed setting: %+v", closed.Setting)
		}
		// Scope: Leeds sees only Leeds; a setting sees only itself.
		leeds := policy.Scope{Kind: policy.LA, LACode: "E08000035"}
		page, err := db.SearchSettings(ctx, leeds, store.SettingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 20 {
			t.Fatalf("leeds sees %d settings, want 20", page.Total)
		}
		if _, err := db.Setting(ctx, leeds, "EY000002"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("leeds reading a Barking setting: %v", err)
		}
		own := policy.Scope{Kind: policy.Setting, SettingURN: "EY000003"}
		page, _ = db.SearchSettings(ctx, own, store.SettingFilter{})
		if page.Total != 1 || page.Settings[0].URN != "EY000003" {
			t.Fatalf("own setting scope: %+v", page)
		}
		if page, _ = db.SearchSettings(ctx, policy.Scope{}, store.SettingFilter{}); page.Total != 0 {
			t.Fatalf("nothing scope sees %d", page.Total)
		}
		// Search by name, postcode without its space, URN, and no LA.
		// Each word is found anywhere: "nursery 1" is Nursery 1, 10–19, 21
		// and 31.
		for q, want := range map[string]int{"nursery 1": 13, "ls85dt": 40, "ey000005": 1, "EY000005": 1, "no such": 0} {
			page, err := db.SearchSettings(ctx, policy.Scope{Kind: policy.National}, store.SettingFilter{Q: q, Status: domain.Active})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != want {
				t.Errorf("search %q: %d, want %d", q, page.Total, want)
			}
		}
		page, _ = db.SearchSettings(ctx, policy.Scope{Kind: policy.National}, store.SettingFilter{LACode: "none"})
		if page.Total != 1 {
			t.Errorf("no-LA filter: %d", page.Total)
		}
	})
}

// TestEligibleSQLMatchesDomain checks that the SQL count of eligible
// settings is exactly domain.EligibleSetting applied to every setting.
func TestEligibleSQLMatchesDomain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedLAs(t, db)
		var ss []domain.Setting
		n := 0
		for _, typ := range domain.ProviderTypes {
			for _, eyr := range []bool{true, false} {
				for _, reg := range []domain.Date{{}, domain.NewDate(2020, 1, 1), d2021, d2021.AddDays(1)} {
					for _, closed := range []domain.Date{{}, d2021, d2021.AddDays(-1), d2021.AddDays(1)} {
						s := setting(fmt.Sprintf("%06d", 100000+n), "x", typ, "E08000035", eyr)
						s.RegisteredOn, s.ClosedOn = reg, closed
						if !closed.IsZero() {
							s.Status = domain.Closed
						}
						ss = append(ss, s)
						n++
					}
				}
			}
		}
		err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertSettings(ctx, ss) })
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, s := range ss {
			if domain.EligibleSetting(s, d2021) {
				want++
			}
		}
		las, err := db.LocalAuthoritiesWithCounts(ctx, policy.Scope{Kind: policy.National}, d2021)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, la := range las {
			got += la.Eligible
		}
		if got != want || want == 0 {
			t.Fatalf("eligible in SQL %d, domain %d", got, want)
		}
	})
}

func TestPeopleScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedLAs(t, db)
		ss := []domain.Setting{
			setting("EY000001", "Leeds One", domain.NonDomestic, "E08000035", true),
			setting("EY000002", "Barking Two", domain.NonDomestic, "E09000002", true),
		}
		var leedsOrg, barkingOrg, supplier domain.Organisation
		var pID int64
		var emp domain.Employment
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.InsertSettings(ctx, ss); err != nil {
				return err
			}
			var err error
			leedsOrg, err = tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgSetting, Name: "Leeds One", SettingURN: "EY000001"})
			if err != nil {
				return err
			}
			barkingOrg, err = tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgSetting, Name: "Barking Two", SettingURN: "EY000002"})
			if err != nil {
				return err
			}
			supplier, err = tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgSupplier, Name: "Supplier"})
			if err != nil {
				return err
			}
			p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "Ada", FamilyName: "Example", OwnerOrgID: leedsOrg.ID})
			if err != nil {
				return err
			}
			pID = p.ID
			emp, err = tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p.ID, SettingURN: "EY000001", Role: domain.RoleSENCO, StartedOn: domain.NewDate(2020, 1, 1)})
			if err != nil {
				return err
			}
			_, err = tx.AddEmployment(ctx, op, emp)
			if !errors.Is(err, store.ErrConflict) {
				return fmt.Errorf("duplicate employment: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name  string
			scope policy.Scope
			sees  bool
		}{
			{"national", policy.Scope{Kind: policy.National}, true},
			{"own setting", policy.Scope{Kind: policy.Setting, SettingURN: "EY000001", OrgID: leedsOrg.ID}, true},
			{"other setting", policy.Scope{Kind: policy.Setting, SettingURN: "EY000002", OrgID: barkingOrg.ID}, false},
			{"own LA", policy.Scope{Kind: policy.LA, LACode: "E08000035"}, true},
			{"other LA", policy.Scope{Kind: policy.LA, LACode: "E09000002"}, false},
			{"other supplier", policy.Scope{Kind: policy.Org, OrgID: supplier.ID}, false},
			{"self", policy.Scope{Kind: policy.Self, PractitionerID: pID}, true},
			{"someone else", policy.Scope{Kind: policy.Self, PractitionerID: pID + 1}, false},
			{"nothing", policy.Scope{}, false},
		}
		for _, c := range cases {
			_, err := db.Practitioner(ctx, c.scope, pID)
			if (err == nil) != c.sees {
				t.Errorf("%s: practitioner err=%v, want sees=%v", c.name, err, c.sees)
			}
			_, err = db.Employment(ctx, c.scope, emp.ID)
			if (err == nil) != c.sees {
				t.Errorf("%s: employment err=%v, want sees=%v", c.name, err, c.sees)
			}
			page, err := db.SearchPractitioners(ctx, c.scope, store.PeopleFilter{})
			if err != nil || (page.Total == 1) != c.sees {
				t.Errorf("%s: list %d err=%v, want sees=%v", c.name, page.Total, err, c.sees)
			}
		}
		// Ending the employment: current staff list excludes it from that day.
		end := domain.NewDate(2022, 6, 30)
		err = db.InTx(ctx, func(tx *store.Tx) error { _, err := tx.EndEmployment(ctx, op, emp, end); return err })
		if err != nil {
			t.Fatal(err)
		}
		for d, want := range map[domain.Date]int{end.AddDays(-1): 1, end: 0} {
			page, err := db.Employments(ctx, policy.Scope{Kind: policy.National}, store.PeopleFilter{SettingURN: "EY000001", CurrentOn: d})
			if err != nil || page.Total != want {
				t.Errorf("current on %s: %d, err %v, want %d", d, page.Total, err, want)
			}
		}
		entries, err := db.ListAudit(ctx, store.AuditFilter{Entity: "employment"})
		if err != nil || len(entries) != 2 || entries[0].Action != "end" {
			t.Fatalf("audit: %+v %v", entries, err)
		}
	})
}

func TestSessionsAndThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		var u domain.User
		err := db.InTx(ctx, func(tx *store.Tx) error {
			o, err := tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgProgramme, Name: "Programme"})
			if err != nil {
				return err
			}
			u, err = tx.CreateUser(ctx, op, domain.User{Email: "A@Example.org", Name: "A", Role: domain.RoleProgrammeTeam, Org: o}, "hash")
			if err != nil {
				return err
			}
			if _, err := tx.CreateUser(ctx, op, domain.User{Email: "a@example.org", Name: "B", Role: domain.RoleProgrammeTeam, Org: o}, "hash"); !errors.Is(err, store.ErrConflict) {
				return fmt.Errorf("duplicate email: %v", err)
			}
			return tx.CreateSession(ctx, "tok", u.ID, store.SessionLimits{Idle: time.Hour, Max: 12 * time.Hour})
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := db.SessionUser(ctx, "tok", store.SessionLimits{Idle: time.Hour, Max: 12 * time.Hour})
		if err != nil || got.ID != u.ID || got.Org.Kind != domain.OrgProgramme {
			t.Fatalf("session user: %+v %v", got, err)
		}
		now = now.Add(2 * time.Hour)
		if _, _, err := db.SessionUser(ctx, "tok", store.SessionLimits{Idle: time.Hour, Max: 12 * time.Hour}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("expired session: %v", err)
		}
		for range 3 {
			if err := db.RecordSignInFailure(ctx, "a@example.org", 15*time.Minute); err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := db.SignInFailures(ctx, "a@example.org", 15*time.Minute); n != 3 {
			t.Fatalf("failures %d", n)
		}
		now = now.Add(20 * time.Minute)
		if n, _ := db.SignInFailures(ctx, "a@example.org", 15*time.Minute); n != 0 {
			t.Fatalf("failures after window %d", n)
		}
	})
}

func TestAuditIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedLAs(t, db)
		if err := db.RawExecForTest(ctx, "DELETE FROM audit_log"); err == nil && db.Dialect == store.SQLite {
			t.Fatal("deleting the audit log succeeded")
		}
		entries, err := db.ListAudit(ctx, store.AuditFilter{})
		if err != nil || len(entries) == 0 {
			t.Fatalf("audit log after delete: %d entries, %v", len(entries), err)
		}
	})
}

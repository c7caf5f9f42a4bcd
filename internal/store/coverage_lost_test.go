package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// lostByDomain is the rule SettingsLostSENCO writes as SQL, from the
// domain functions: eligible on asAt, a qualified SENCO on since, none on
// asAt, and the employment of one who was qualified on since ended in
// between.
func lostByDomain(s domain.Setting, staff []domain.StaffMember, since, asAt domain.Date) (domain.Date, bool) {
	if !domain.EligibleSetting(s, asAt) {
		return domain.Date{}, false
	}
	before, now := false, false
	var last domain.Date
	left := false
	for _, m := range staff {
		if domain.QualifiedSENCOAt(m, since) {
			before = true
			end := m.Employment.EndedOn
			if !end.IsZero() && end.After(since) && !end.After(asAt) {
				left = true
				if end.After(last) {
					last = end
				}
			}
		}
		if domain.QualifiedSENCOAt(m, asAt) {
			now = true
		}
	}
	return last, before && !now && left
}

// TestSettingsLostSENCOMatchesDomain builds random settings with staff
// turnover and checks the SQL against the domain rules for several
// windows, with the authority filter and the LA scope.
func TestSettingsLostSENCOMatchesDomain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedLAs(t, db)
		rng := rand.New(rand.NewPCG(3, 5))
		day := func(y0, y1 int) domain.Date {
			return domain.NewDate(y0, 1, 1).AddDays(rng.IntN((y1 - y0) * 365))
		}
		las := []string{"E08000035", "E09000002", "E10000006", ""}
		var settings []domain.Setting
		for i := range 50 {
			typ := domain.EligibleTypes[rng.IntN(len(domain.EligibleTypes))]
			s := setting(fmt.Sprintf("EY%06d", i), fmt.Sprint("S", i), typ, las[rng.IntN(len(las))], rng.IntN(8) > 0)
			s.RegisteredOn = day(2015, 2022)
			if rng.IntN(8) == 0 {
				s.Status, s.ClosedOn = domain.Closed, day(2022, 2026)
			}
			settings = append(settings, s)
		}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.InsertSettings(ctx, settings); err != nil {
				return err
			}
			org, err := tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgProgramme, Name: "Programme"})
			if err != nil {
				return err
			}
			for i := range 150 {
				p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "P", FamilyName: fmt.Sprint(i), QualificationLevel: 3, OwnerOrgID: org.ID})
				if err != nil {
					return err
				}
				for range 1 + rng.IntN(2) {
					s := settings[rng.IntN(len(settings))]
					e := domain.Employment{PractitionerID: p.ID, SettingURN: s.URN, Role: domain.RolePractitioner, StartedOn: day(2018, 2025)}
					if rng.IntN(2) == 0 {
						e.EndedOn = e.StartedOn.AddDays(1 + rng.IntN(900))
					}
					if _, err := tx.AddEmployment(ctx, op, e); err != nil {
						continue // an overlap the store refuses: leave it out
					}
				}
				if rng.IntN(3) > 0 {
					if err := tx.RecogniseQualification(ctx, op, p.ID, "Level 3 SENCO award", 3, day(2017, 2025)); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		staff, err := db.StaffFacts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, asAt := range []domain.Date{domain.NewDate(2021, 6, 30), domain.NewDate(2023, 3, 1), domain.NewDate(2024, 9, 15), domain.NewDate(2026, 1, 31)} {
			for _, months := range []int{1, 6, 24} {
				since := asAt.AddMonths(-months)
				for _, la := range []string{"", "E08000035", "none", "E08000035 as its officer"} {
					scope := policy.Scope{Kind: policy.National}
					if code, ok := strings.CutSuffix(la, " as its officer"); ok {
						// The authority's own scope: on PostgreSQL a
						// differently written statement (see probe).
						la, scope = code, policy.Scope{Kind: policy.LA, LACode: code}
					}
					got, err := db.SettingsLostSENCO(ctx, scope, since, asAt, la)
					if err != nil {
						t.Fatal(err)
					}
					want := map[string]domain.Date{}
					for _, s := range settings {
						if la == "none" && s.LACode != "" || la != "" && la != "none" && s.LACode != la {
							continue
						}
						if last, ok := lostByDomain(s, staff[s.URN], since, asAt); ok {
							want[s.URN] = last
						}
					}
					if len(got) != len(want) {
						t.Errorf("%s, %d months, la %q: SQL %d settings %v, domain %d %v", asAt, months, la, len(got), got, len(want), want)
					}
					for urn, d := range want {
						if g, ok := got[urn]; !ok || !g.Equal(d) {
							t.Errorf("%s, %d months, la %q: %s lost on %s by the domain, SQL %s (%v)", asAt, months, la, urn, d, g, ok)
						}
					}
					found += len(want)
				}
			}
		}
		t.Logf("%d settings flagged across the windows", found)
		if found == 0 {
			t.Fatal("the random data has no setting that lost its SENCO: the test proves nothing")
		}
		// Scope: an LA officer's query never returns another authority's setting.
		got, err := db.SettingsLostSENCO(ctx, policy.Scope{Kind: policy.LA, LACode: "E09000002"}, domain.NewDate(2020, 1, 1), domain.NewDate(2026, 1, 1), "")
		if err != nil {
			t.Fatal(err)
		}
		byURN := map[string]domain.Setting{}
		for _, s := range settings {
			byURN[s.URN] = s
		}
		for urn := range got {
			if byURN[urn].LACode != "E09000002" {
				t.Errorf("LA scope returned %s of %q", urn, byURN[urn].LACode)
			}
		}
		none, err := db.SettingsLostSENCO(ctx, policy.Scope{Kind: policy.Nothing}, domain.NewDate(2020, 1, 1), domain.NewDate(2026, 1, 1), "")
		if err != nil || len(none) != 0 {
			t.Errorf("no scope: %v, %v", none, err)
		}
	})
}

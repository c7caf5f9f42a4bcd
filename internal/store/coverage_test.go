package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestCoverageSQLMatchesDomain builds random settings, staff, certificates
// and enrolments, then checks for several dates that the SQL coverage by
// authority equals domain.CoverSetting applied to every setting, that no
// setting is dropped, and that authorities add up to regions and regions
// to England.
func TestCoverageSQLMatchesDomain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedLAs(t, db)
		rng := rand.New(rand.NewPCG(7, 11))
		day := func(y0, y1 int) domain.Date {
			return domain.NewDate(2015, 1, 1).AddDays(rng.IntN((y1-2015)*365) + (y0-2015)*365)
		}
		las := []string{"E08000035", "E09000002", "E10000006", ""}
		var settings []domain.Setting
		for i := range 60 {
			typ := domain.ProviderTypes[rng.IntN(4)]
			s := setting(fmt.Sprintf("EY%06d", i), fmt.Sprint("S", i), typ, las[rng.IntN(len(las))], rng.IntN(5) > 0)
			s.RegisteredOn = day(2015, 2026)
			if rng.IntN(5) == 0 {
				s.Status, s.ClosedOn = domain.Closed, day(2020, 2028)
			}
			settings = append(settings, s)
		}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.InsertSettings(ctx, settings); err != nil {
				return err
			}
			q, err := tx.SaveQualification(ctx, domain.Qualification{Code: "Q", Version: 1, Title: "Q", Level: 3, AwardingOrganisation: "AO"})
			if err != nil {
				return err
			}
			prog, err := tx.SaveProgramme(ctx, op, domain.Programme{Name: "P", QualificationID: q, OpensOn: domain.NewDate(2015, 1, 1), Rules: domain.ProgrammeRules{}})
			if err != nil {
				return err
			}
			org, _ := tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgProgramme, Name: "Programme"})
			for i := range 120 {
				p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "P", FamilyName: fmt.Sprint(i), QualificationLevel: 3, OwnerOrgID: org.ID})
				if err != nil {
					return err
				}
				// One to three employments, some concurrent, some ended.
				for range 1 + rng.IntN(3) {
					s := settings[rng.IntN(len(settings))]
					e := domain.Employment{PractitionerID: p.ID, SettingURN: s.URN, Role: domain.EmploymentRoles[rng.IntN(5)], StartedOn: day(2015, 2026)}
					if rng.IntN(2) == 0 {
						e.EndedOn = e.StartedOn.AddDays(1 + rng.IntN(2000))
					}
					if _, err := tx.AddEmployment(ctx, op, e); err != nil && err.Error() != "" {
						continue
					}
				}
				switch rng.IntN(4) {
				case 0:
					if err := tx.RecogniseQualification(ctx, op, p.ID, "Level 3 SENCO award", 3+rng.IntN(2), day(2016, 2027)); err != nil {
						return err
					}
				case 1:
					// An application on the programme, enrolled and perhaps certified.
					app, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: prog.ID, PractitionerID: p.ID, SettingURN: settings[0].URN, AppliedOn: domain.NewDate(2020, 1, 1), Nominated: true})
					if err != nil {
						return err
					}
					enrolled := day(2020, 2026)
					_ = app
					left := "NULL"
					if rng.IntN(2) == 0 {
						left = "'" + enrolled.AddDays(30+rng.IntN(300)).String() + "'"
					}
					cert := "NULL"
					if rng.IntN(2) == 0 {
						cert = "'" + enrolled.AddDays(200).String() + "'"
					}
					if err := tx.RawExecForTest(ctx, fmt.Sprintf("UPDATE applications SET enrolled_on = '%s', left_training_on = %s, certified_on = %s WHERE id = %d",
						enrolled, left, cert, app.ID)); err != nil {
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
		national := policy.Scope{Kind: policy.National}
		for _, d := range []domain.Date{domain.NewDate(2016, 6, 1), domain.NewDate(2021, 8, 31), domain.NewDate(2024, 1, 15), domain.NewDate(2026, 11, 22), domain.NewDate(2029, 1, 1)} {
			want := map[string]domain.AreaCoverage{}
			var england domain.AreaCoverage
			for _, s := range settings {
				c := domain.CoverSetting(s, staff[s.URN], d)
				ac := want[s.LACode]
				ac.Count(s.Type, c)
				want[s.LACode] = ac
				england.Count(s.Type, c)
			}
			rows, err := db.CoverageByLA(ctx, national, d)
			if err != nil {
				t.Fatal(err)
			}
			var sum domain.AreaCoverage
			regions := map[string]domain.AreaCoverage{}
			seen := map[string]bool{}
			for _, r := range rows {
				if r.AreaCoverage != want[r.Code] {
					t.Errorf("%s %q: SQL %+v, domain %+v", d, r.Code, r.AreaCoverage, want[r.Code])
				}
				seen[r.Code] = true
				sum = sum.Add(r.AreaCoverage)
				regions[r.RegionCode] = regions[r.RegionCode].Add(r.AreaCoverage)
			}
			for code, ac := range want {
				if ac.All().Eligible > 0 && !seen[code] {
					t.Errorf("%s: authority %q with eligible settings missing from the rows", d, code)
				}
			}
			var regionSum domain.AreaCoverage
			for _, r := range regions {
				regionSum = regionSum.Add(r)
			}
			if sum != england || regionSum != england {
				t.Errorf("%s: LA rows %+v, regions %+v, England %+v", d, sum, regionSum, england)
			}
			gap, err := db.CoverageSettings(ctx, national, d, "", true)
			if err != nil {
				t.Fatal(err)
			}
			if len(gap) != england.All().Gap {
				t.Errorf("%s: gap list %d, counts %d", d, len(gap), england.All().Gap)
			}
			// Every setting's flags, as England's set-based statement
			// computes them, are the domain's.
			byURN := map[string]domain.Setting{}
			for _, s := range settings {
				byURN[s.URN] = s
			}
			everyone, err := db.CoverageSettings(ctx, national, d, "", false)
			if err != nil {
				t.Fatal(err)
			}
			if len(everyone) != england.All().Eligible {
				t.Errorf("%s: %d settings listed, %d eligible", d, len(everyone), england.All().Eligible)
			}
			for _, r := range everyone {
				s := byURN[r.URN]
				c := domain.CoverSetting(s, staff[s.URN], d)
				if r.Qualified != c.Qualified || r.InTraining != c.InTraining || r.Designated != c.Designated || !c.Eligible {
					t.Errorf("%s, England: %s flagged %+v, domain %+v", d, r.URN, r, c)
				}
			}
			// One authority's list in England's scope (the correlated
			// statement) flags as the domain does.
			for _, la := range las {
				code := la
				if code == "" {
					code = "none"
				}
				list, err := db.CoverageSettings(ctx, national, d, code, false)
				if err != nil {
					t.Fatal(err)
				}
				if len(list) != want[la].All().Eligible {
					t.Errorf("%s, England's list of %q: %d settings, %d eligible", d, code, len(list), want[la].All().Eligible)
				}
				for _, r := range list {
					s := byURN[r.URN]
					c := domain.CoverSetting(s, staff[s.URN], d)
					if s.LACode != la || r.Qualified != c.Qualified || r.InTraining != c.InTraining || r.Designated != c.Designated {
						t.Errorf("%s, England's list of %q: %s flagged %+v, domain %+v", d, code, r.URN, r, c)
					}
				}
			}
			// An authority's own scope, and a single setting's (the
			// correlated statement, see coveragePlan and probe), count
			// the same.
			for _, s := range settings[:12] {
				rows, err := db.CoverageByLA(ctx, policy.Scope{Kind: policy.Setting, SettingURN: s.URN}, d)
				if err != nil {
					t.Fatal(err)
				}
				var got domain.AreaCoverage
				for _, r := range rows {
					got = got.Add(r.AreaCoverage)
				}
				var want domain.AreaCoverage
				want.Count(s.Type, domain.CoverSetting(s, staff[s.URN], d))
				if got != want {
					t.Errorf("%s, %s's own scope: SQL %+v, domain %+v", d, s.URN, got, want)
				}
			}
			for _, la := range las[:3] {
				scope := policy.Scope{Kind: policy.LA, LACode: la}
				rows, err := db.CoverageByLA(ctx, scope, d)
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != 1 || rows[0].AreaCoverage != want[la] {
					t.Errorf("%s, %s's own scope: SQL %+v, domain %+v", d, la, rows, want[la])
				}
				all, err := db.CoverageSettings(ctx, scope, d, la, false)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range all {
					var s domain.Setting
					for _, x := range settings {
						if x.URN == r.URN {
							s = x
						}
					}
					c := domain.CoverSetting(s, staff[s.URN], d)
					if r.Qualified != c.Qualified || r.InTraining != c.InTraining || r.Designated != c.Designated || !c.Eligible {
						t.Errorf("%s, %s's own scope: %s flagged %+v, domain %+v", d, la, r.URN, r, c)
					}
				}
			}
		}
		// Scope: an LA officer sees only their row.
		rows, _ := db.CoverageByLA(ctx, policy.Scope{Kind: policy.LA, LACode: "E08000035"}, domain.NewDate(2024, 1, 1))
		if len(rows) != 1 || rows[0].Code != "E08000035" {
			t.Errorf("LA scope rows: %+v", rows)
		}
	})
}

package report_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"senco/internal/domain"
	"senco/internal/report"
	"senco/internal/report/reporttest"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestCoverageAddsUp is a property test: on the seeded world plus random
// settings (in several authorities, an ended one, and none), staff with random employments and certificates,
// for random dates, every region is the sum of its authorities, the
// regions and the rows with no region add up to England, England is the
// sum of the authorities, and the spread's best and worst bound every
// authority that takes part.
func TestCoverageAddsUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		reporttest.Seed(t, db)
		rng := rand.New(rand.NewPCG(4, 2))
		day := func() domain.Date { return domain.NewDate(2014, 1, 1).AddDays(rng.IntN(12 * 365)) }
		las := []string{reporttest.Leeds, reporttest.Bradford, reporttest.Barking, reporttest.Cumbria, reporttest.Lancashire, reporttest.Cumberland, ""}
		var settings []domain.Setting
		for i := range 80 {
			typ := domain.ProviderTypes[rng.IntN(4)]
			s := domain.Setting{URN: fmt.Sprintf("RND%04d", i), Name: "Random", Type: typ, Status: domain.Active, EYR: rng.IntN(6) > 0,
				LACode: las[rng.IntN(len(las))], RegisteredOn: day()}
			if rng.IntN(5) == 0 {
				s.Status, s.ClosedOn = domain.Closed, day()
			}
			settings = append(settings, s)
		}
		op := domain.OperatorActor("property test")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.InsertSettings(ctx, settings); err != nil {
				return err
			}
			org, err := tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgProgramme, Name: "Property"})
			if err != nil {
				return err
			}
			for i := range 60 {
				p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "P", FamilyName: fmt.Sprint(i), QualificationLevel: 3, OwnerOrgID: org.ID})
				if err != nil {
					return err
				}
				for range 1 + rng.IntN(2) {
					e := domain.Employment{PractitionerID: p.ID, SettingURN: settings[rng.IntN(len(settings))].URN,
						Role: domain.EmploymentRoles[rng.IntN(len(domain.EmploymentRoles))], StartedOn: day()}
					if rng.IntN(2) == 0 {
						e.EndedOn = e.StartedOn.AddDays(1 + rng.IntN(1500))
					}
					if _, err := tx.AddEmployment(ctx, op, e); err != nil {
						return err
					}
				}
				if rng.IntN(2) == 0 {
					if err := tx.RecogniseQualification(ctx, op, p.ID, "SENCO award", 3+rng.IntN(3), day()); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for range 12 {
			d := day()
			c, err := report.BuildCoverage(ctx, db, rpNational, d)
			if err != nil {
				t.Fatal(err)
			}
			byRegion := map[string]domain.AreaCoverage{}
			var all, noRegion domain.AreaCoverage
			for _, r := range c.LAs {
				all = all.Add(r.AreaCoverage)
				if r.RegionCode == "" {
					noRegion = noRegion.Add(r.AreaCoverage)
				} else {
					byRegion[r.RegionCode] = byRegion[r.RegionCode].Add(r.AreaCoverage)
				}
				a := r.All()
				if a.Qualified > a.Eligible || a.InTraining > a.Eligible || a.Designated > a.Qualified || a.Gap > a.Eligible {
					t.Errorf("%s %s: impossible counts %+v", d, r.Code, a)
				}
			}
			var regions domain.AreaCoverage
			for _, r := range c.Regions {
				if r.AreaCoverage != byRegion[r.Code] {
					t.Errorf("%s region %s: %+v, its authorities %+v", d, r.Code, r.AreaCoverage, byRegion[r.Code])
				}
				regions = regions.Add(r.AreaCoverage)
			}
			if len(c.Regions) != len(byRegion) {
				t.Errorf("%s: %d regions, authorities in %d", d, len(c.Regions), len(byRegion))
			}
			if all != c.England.AreaCoverage || regions.Add(noRegion) != c.England.AreaCoverage {
				t.Errorf("%s: authorities %+v, regions %+v + %+v, England %+v", d, all, regions, noRegion, c.England.AreaCoverage)
			}
			if s := c.Spread; s.Best.Code != "" {
				for _, r := range c.LAs {
					if r.Level != report.LevelLA || r.All().Eligible < report.SpreadMinEligible {
						continue
					}
					if v := r.All().Coverage(); v > s.Best.All().Coverage() || v < s.Worst.All().Coverage() {
						t.Errorf("%s: %s at %v lies outside the spread %v–%v", d, r.Code, v, s.Worst.All().Coverage(), s.Best.All().Coverage())
					}
				}
			}
			// The tables add up the same way.
			for _, by := range []string{"la", "region"} {
				tbl, err := c.Table(by)
				if err != nil {
					t.Fatal(err)
				}
				col := -1
				for i, k := range tbl.Columns {
					if k.Key == "all_eligible" {
						col = i
					}
				}
				sum := 0
				for _, r := range tbl.Rows[:len(tbl.Rows)-1] {
					sum += r[col].(int)
				}
				if sum != c.England.All().Eligible || tbl.Rows[len(tbl.Rows)-1][col] != sum {
					t.Errorf("%s by %s: rows add to %d, England %d", d, by, sum, c.England.All().Eligible)
				}
			}
		}
	})
}

package report_test

import (
	"context"
	"math"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/report/reporttest"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

var rpNational = policy.Scope{Kind: policy.National}

// rpSum adds up rows.
func rpSum(rows []report.CoverageRow) domain.AreaCoverage {
	var s domain.AreaCoverage
	for _, r := range rows {
		s = s.Add(r.AreaCoverage)
	}
	return s
}

func rpRow(t *testing.T, c report.Coverage, area string) report.CoverageRow {
	t.Helper()
	r, ok := c.Find(area)
	if !ok {
		t.Fatalf("%s: no row %q", c.AsAt, area)
	}
	return r
}

// TestBuildCoverage checks the coverage report on the seeded world on
// dates before, on and after the day a certified SENCO moves from one
// setting to another; that every authority row equals the domain rules
// applied to each setting (domain.CoverSetting); that authorities add up
// to regions and to England; that the not-recorded row and the ended
// authority are there; and the spread.
func TestBuildCoverage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		reporttest.Seed(t, db)
		staff, err := db.StaffFacts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		before, on, after := reporttest.TurnoverDay.AddDays(-1), reporttest.TurnoverDay, reporttest.TurnoverDay.AddDays(30)
		type want struct {
			leedsGroup, bradfordCM domain.Counts
			ld01, bd01             bool // qualified SENCO
			cumbriaEnded           bool
		}
		for _, tc := range []struct {
			name string
			d    domain.Date
			want want
		}{
			// Before: the mover counts for LD01; LD02 and LD03 (two jobs at
			// once) and LD06 (certified under the programme on 20 May) too.
			{"day before the move", before, want{
				leedsGroup: domain.Counts{Eligible: 12, Qualified: 4, InTraining: 1, Designated: 2, Gap: 7},
				bradfordCM: domain.Counts{Eligible: 10, Qualified: 0, InTraining: 1, Gap: 9},
				ld01:       true, cumbriaEnded: true}},
			// On the day the employment ends the mover stops counting for
			// LD01 and counts for BD01, as a practitioner (not designated).
			{"day of the move", on, want{
				leedsGroup: domain.Counts{Eligible: 12, Qualified: 3, InTraining: 1, Designated: 1, Gap: 8},
				bradfordCM: domain.Counts{Eligible: 10, Qualified: 1, InTraining: 1, Gap: 8},
				bd01:       true, cumbriaEnded: true}},
			{"a month after", after, want{
				leedsGroup: domain.Counts{Eligible: 12, Qualified: 3, InTraining: 1, Designated: 1, Gap: 8},
				bradfordCM: domain.Counts{Eligible: 10, Qualified: 1, InTraining: 1, Gap: 8},
				bd01:       true, cumbriaEnded: true}},
			// Before the programme, and before Cumbria ended.
			{"2021 register date", domain.NewDate(2021, 8, 31), want{
				leedsGroup: domain.Counts{Eligible: 12, Qualified: 3, Designated: 2, Gap: 9},
				bradfordCM: domain.Counts{Eligible: 10, Gap: 10},
				ld01:       true}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c, err := report.BuildCoverage(ctx, db, rpNational, tc.d)
				if err != nil {
					t.Fatal(err)
				}
				// Every row as the domain rules count it, setting by setting.
				byLA := map[string]domain.AreaCoverage{}
				var england domain.AreaCoverage
				for _, s := range reporttest.Settings() {
					cov := domain.CoverSetting(s, staff[s.URN], tc.d)
					ac := byLA[s.LACode]
					ac.Count(s.Type, cov)
					byLA[s.LACode] = ac
					england.Count(s.Type, cov)
				}
				for _, r := range c.LAs {
					if r.AreaCoverage != byLA[r.Code] {
						t.Errorf("%s %q: report %+v, domain %+v", tc.d, r.Code, r.AreaCoverage, byLA[r.Code])
					}
				}
				// Authorities add up to regions, regions (with the rows
				// that have none) to England.
				if c.England.AreaCoverage != england || rpSum(c.LAs) != england {
					t.Errorf("England %+v, authorities %+v, domain %+v", c.England.AreaCoverage, rpSum(c.LAs), england)
				}
				regions := map[string]domain.AreaCoverage{}
				var noRegion domain.AreaCoverage
				for _, r := range c.LAs {
					if r.RegionCode == "" {
						noRegion = noRegion.Add(r.AreaCoverage)
						continue
					}
					regions[r.RegionCode] = regions[r.RegionCode].Add(r.AreaCoverage)
				}
				for _, r := range c.Regions {
					if r.Level != report.LevelRegion || r.AreaCoverage != regions[r.Code] {
						t.Errorf("region %s: %+v, its authorities %+v", r.Code, r.AreaCoverage, regions[r.Code])
					}
				}
				if rpSum(c.Regions).Add(noRegion) != england {
					t.Errorf("regions %+v + no region %+v != England %+v", rpSum(c.Regions), noRegion, england)
				}
				if got := c.England.All().Eligible; got != 30 {
					t.Errorf("England eligible %d, want 30", got)
				}

				if got := rpRow(t, c, reporttest.Leeds).Group; got != tc.want.leedsGroup {
					t.Errorf("Leeds group settings %+v, want %+v", got, tc.want.leedsGroup)
				}
				if got := rpRow(t, c, reporttest.Bradford).Childminder; got != tc.want.bradfordCM {
					t.Errorf("Bradford childminders %+v, want %+v", got, tc.want.bradfordCM)
				}
				flags, err := db.CoverageSettings(ctx, rpNational, tc.d, "", false)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range flags {
					switch f.URN {
					case "LD01":
						if f.Qualified != tc.want.ld01 {
							t.Errorf("LD01 qualified %v, want %v", f.Qualified, tc.want.ld01)
						}
					case "BD01":
						if f.Qualified != tc.want.bd01 || f.Designated {
							t.Errorf("BD01 qualified %v designated %v, want %v and not designated", f.Qualified, f.Designated, tc.want.bd01)
						}
					}
				}

				// The not-recorded setting is its own row, last, in
				// England's figures and in no region.
				nr := c.LAs[len(c.LAs)-1]
				if nr.Level != report.LevelNotRecorded || nr.Code != "" || nr.RegionCode != "" || nr.All().Eligible != 1 || nr.All().Qualified != 1 || nr.IMD != nil {
					t.Errorf("not-recorded row %+v", nr)
				}
				// Cumbria appears with its settings, marked ended once it
				// has ended.
				cu := rpRow(t, c, reporttest.Cumbria)
				if cu.All().Eligible != 2 || cu.All().Qualified != 1 || (cu.EndedOn == reporttest.CumbriaEnded) != tc.want.cumbriaEnded ||
					(!tc.want.cumbriaEnded && !cu.EndedOn.IsZero()) {
					t.Errorf("Cumbria %+v (ended %s), want ended %v", cu.AreaCoverage, cu.EndedOn, tc.want.cumbriaEnded)
				}
				if cu.IMD == nil || cu.IMD.UTLACode != reporttest.Cumbria || cu.IMD.Relationship != "identical code and area" {
					t.Errorf("Cumbria deprivation %+v", cu.IMD)
				}
				// A live authority with no settings is there with zeros.
				if la := rpRow(t, c, reporttest.Lancashire); la.All() != (domain.Counts{}) || la.Level != report.LevelLA {
					t.Errorf("Lancashire %+v", la)
				}
				// Cumberland's deprivation is Cumbria's, and says so.
				if cb := rpRow(t, c, reporttest.Cumberland); cb.IMD == nil || cb.IMD.UTLACode != reporttest.Cumbria || !cb.IMD.PartOf() {
					t.Errorf("Cumberland deprivation %+v", cb.IMD)
				}
				if l := rpRow(t, c, reporttest.Leeds); l.IMD == nil || l.IMD.RankOfAverageScore != 43 || l.IMD.Decile != 3 {
					t.Errorf("Leeds deprivation %+v", l.IMD)
				}
				if c.England.Name != "England" || c.England.Code != report.EnglandCode {
					t.Errorf("England row %+v", c.England)
				}
			})
		}

		// The spread on the day of the move: Leeds (3 of 14) is the best
		// and Bradford (1 of 11) the worst of the authorities with at
		// least 10 eligible settings.
		c, err := report.BuildCoverage(ctx, db, rpNational, on)
		if err != nil {
			t.Fatal(err)
		}
		wantPoints := (3.0/14 - 1.0/11) * 100
		if c.Spread.Best.Code != reporttest.Leeds || c.Spread.Worst.Code != reporttest.Bradford || math.Abs(c.Spread.Points-wantPoints) > 1e-9 {
			t.Errorf("spread: best %s, worst %s, %.4f points; want Leeds, Bradford, %.4f", c.Spread.Best.Name, c.Spread.Worst.Name, c.Spread.Points, wantPoints)
		}

		// An LA officer's scope: their authority only, and a total that
		// is not called England.
		la, err := report.BuildCoverage(ctx, db, policy.Scope{Kind: policy.LA, LACode: reporttest.Leeds}, on)
		if err != nil {
			t.Fatal(err)
		}
		if len(la.LAs) != 1 || la.LAs[0].Code != reporttest.Leeds || la.England.Name != "Total" || la.England.Code != "" ||
			la.England.AreaCoverage != la.LAs[0].AreaCoverage || len(la.Regions) != 1 {
			t.Errorf("LA scope: %+v", la)
		}
	})
}

// TestCoverageTable checks the table's shape: authority rows, the
// not-recorded row, then England; by region, rows that still add up.
func TestCoverageTable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		reporttest.Seed(t, db)
		c, err := report.BuildCoverage(ctx, db, rpNational, reporttest.TurnoverDay)
		if err != nil {
			t.Fatal(err)
		}
		byLA, err := c.Table("la")
		if err != nil {
			t.Fatal(err)
		}
		if len(byLA.Rows) != len(c.LAs)+1 {
			t.Fatalf("%d rows for %d authority rows", len(byLA.Rows), len(c.LAs))
		}
		col := map[string]int{}
		for i, k := range byLA.Columns {
			col[k.Key] = i
		}
		for _, k := range []string{"code", "name", "region", "ended_on", "group_eligible", "group_qualified", "group_in_training", "group_coverage",
			"childminder_eligible", "childminder_coverage", "all_eligible", "all_qualified", "all_in_training", "all_coverage", "gap"} {
			if _, ok := col[k]; !ok {
				t.Errorf("no column %s", k)
			}
		}
		last := byLA.Rows[len(byLA.Rows)-1]
		if last[col["name"]] != "England" || last[col["all_eligible"]] != 30 {
			t.Errorf("last row %v", last)
		}
		sum := 0
		for _, r := range byLA.Rows[:len(byLA.Rows)-1] {
			sum += r[col["all_qualified"]].(int)
		}
		if sum != last[col["all_qualified"]] {
			t.Errorf("qualified: authorities add to %d, England %v", sum, last[col["all_qualified"]])
		}
		nr := byLA.Rows[len(byLA.Rows)-2]
		if nr[col["name"]] != "Not recorded by Ofsted" {
			t.Errorf("row before England: %v", nr)
		}
		for _, r := range byLA.Rows {
			if r[col["code"]] == reporttest.Cumbria && r[col["ended_on"]] != reporttest.CumbriaEnded {
				t.Errorf("Cumbria's row does not say it ended: %v", r)
			}
		}

		byRegion, err := c.Table("region")
		if err != nil {
			t.Fatal(err)
		}
		// Three regions, the not-recorded row, England.
		if len(byRegion.Rows) != 5 {
			t.Fatalf("by region: %d rows: %v", len(byRegion.Rows), byRegion.Rows)
		}
		rc := map[string]int{}
		for i, k := range byRegion.Columns {
			rc[k.Key] = i
		}
		sum = 0
		for _, r := range byRegion.Rows[:4] {
			sum += r[rc["all_eligible"]].(int)
		}
		if sum != 30 || byRegion.Rows[4][rc["all_eligible"]] != 30 {
			t.Errorf("by region: rows add to %d, England %v", sum, byRegion.Rows[4][rc["all_eligible"]])
		}
		if _, err := c.Table("postcode"); err == nil {
			t.Error("a table by postcode was made")
		}
	})
}

// TestEquity checks coverage and uptake by deprivation decile.
func TestEquity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := reporttest.Seed(t, db)
		for _, tc := range []struct {
			d                       domain.Date
			applications, certified int
		}{
			{domain.NewDate(2024, 1, 31), 0, 0},
			{reporttest.CertifiedOn.AddDays(-1), 4, 0},
			{reporttest.CertifiedOn, 4, 1},
		} {
			rows, err := report.BuildEquity(ctx, db, rpNational, tc.d, w.Programme.ID)
			if err != nil {
				t.Fatal(err)
			}
			c, err := report.BuildCoverage(ctx, db, rpNational, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			var sum domain.AreaCoverage
			apps, certs, las := 0, 0, 0
			byDecile := map[int]report.EquityRow{}
			for i, r := range rows {
				if i < 10 && r.Decile != i+1 {
					t.Errorf("row %d is decile %d", i, r.Decile)
				}
				byDecile[r.Decile] = r
				sum = sum.Add(r.AreaCoverage)
				apps += r.Applications
				certs += r.Certified
				las += r.LAs
			}
			if sum != c.England.AreaCoverage || las != len(c.LAs) {
				t.Errorf("%s: deciles add to %+v over %d rows, England %+v over %d", tc.d, sum, las, c.England.AreaCoverage, len(c.LAs))
			}
			if apps != tc.applications || certs != tc.certified {
				t.Errorf("%s: %d applications, %d certified; want %d, %d", tc.d, apps, certs, tc.applications, tc.certified)
			}
			// Bradford (rank 12) is in decile 1; Leeds (rank 43) in 3; the
			// not-recorded row has no decile.
			if byDecile[1].All().Eligible != 11 || byDecile[3].All().Eligible != 14 || byDecile[0].All().Eligible != 1 || byDecile[0].LAs != 1 {
				t.Errorf("%s: deciles %+v", tc.d, rows)
			}
			if tc.applications > 0 && (byDecile[3].Applications != 3 || byDecile[1].Applications != 1) {
				t.Errorf("%s: applications by decile: Leeds's %d, Bradford's %d", tc.d, byDecile[3].Applications, byDecile[1].Applications)
			}
		}
		// An LA officer sees their own authority only.
		rows, err := report.BuildEquity(ctx, db, policy.Scope{Kind: policy.LA, LACode: reporttest.Bradford}, reporttest.TurnoverDay, 0)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, r := range rows {
			total += r.Applications + r.LAs
		}
		if total != 2 {
			t.Errorf("Bradford's equity rows: %+v", rows)
		}
	})
}

package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// Levels of a coverage row.
const (
	LevelEngland     = "england"
	LevelRegion      = "region"
	LevelLA          = "la"
	LevelNotRecorded = "not_recorded"
)

// EnglandCode is the ONS code of England.
const EnglandCode = "E92000001"

// SpreadMinEligible is the fewest eligible settings an authority needs to
// take part in the spread between best and worst: below it one setting
// moves coverage by ten points or more.
const SpreadMinEligible = 10

// CoverageRow is one area's coverage on a date. Level is "england",
// "region", "la" or "not_recorded" (the settings whose authority Ofsted
// did not record; Code ""). For an authority, RegionCode and RegionName
// are its region's; EndedOn is set when it had ended by the date (it still
// has settings filed under it); IMD is its deprivation, nil when unknown.
type CoverageRow struct {
	Level                              string
	Code, Name, RegionCode, RegionName string
	EndedOn                            domain.Date
	IMD                                *Deprivation
	domain.AreaCoverage
}

// Spread is the best and the worst authority by coverage of all eligible
// settings, among authorities with at least SpreadMinEligible eligible
// settings, and the difference in percentage points. Both rows are zero
// when no authority qualifies.
type Spread struct {
	Best, Worst CoverageRow
	Points      float64
}

// Coverage is the coverage report on a date: England (or, for a narrower
// scope, the total of what the scope sees), its regions and its
// authorities, the not-recorded row among the authorities.
type Coverage struct {
	AsAt    domain.Date
	England CoverageRow
	Regions []CoverageRow
	LAs     []CoverageRow
	Spread  Spread
}

// BuildCoverage counts coverage on asAt for everything scope (a
// policy.Settings scope) sees, from store.CoverageByLA: one row per
// authority (live ones with zeros where they have no eligible settings,
// ended ones that still have settings, marked ended) and the not-recorded
// row; regions are the sums of their authorities; England is the sum of
// every row, so the authorities always add up to their regions and to
// England. Authorities are ordered by name with the not-recorded row last;
// regions by name. For a scope narrower than national the total row is
// named "Total" and has no code: it is not England.
func BuildCoverage(ctx context.Context, db *store.DB, scope policy.Scope, asAt domain.Date) (Coverage, error) {
	c := Coverage{AsAt: asAt}
	rows, err := db.CoverageByLA(ctx, scope, asAt)
	if err != nil {
		return c, err
	}
	c.England = CoverageRow{Level: LevelEngland, Code: EnglandCode, Name: "England"}
	if scope.Kind != policy.National {
		c.England.Code, c.England.Name = "", "Total"
	}
	regions := map[string]*CoverageRow{}
	for _, r := range rows {
		row := CoverageRow{Level: LevelLA, Code: r.Code, Name: r.Name, RegionCode: r.RegionCode, RegionName: r.RegionName, AreaCoverage: r.AreaCoverage}
		if r.Code == "" {
			row.Level = LevelNotRecorded
		} else {
			row.IMD = DeprivationOf(r.Code)
		}
		if !r.EndedOn.IsZero() && r.EndedOn.Before(asAt) {
			row.EndedOn = r.EndedOn
		}
		c.LAs = append(c.LAs, row)
		c.England.AreaCoverage = c.England.AreaCoverage.Add(r.AreaCoverage)
		if r.RegionCode == "" {
			continue
		}
		reg := regions[r.RegionCode]
		if reg == nil {
			reg = &CoverageRow{Level: LevelRegion, Code: r.RegionCode, Name: r.RegionName, RegionCode: r.RegionCode, RegionName: r.RegionName}
			regions[r.RegionCode] = reg
		}
		reg.AreaCoverage = reg.AreaCoverage.Add(r.AreaCoverage)
	}
	for _, r := range regions {
		c.Regions = append(c.Regions, *r)
	}
	slices.SortFunc(c.Regions, func(a, b CoverageRow) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Code, b.Code)) })
	slices.SortStableFunc(c.LAs, func(a, b CoverageRow) int {
		return cmp.Or(cmp.Compare(levelOrder(a), levelOrder(b)), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Code, b.Code))
	})
	c.Spread = spreadOf(c.LAs)
	return c, nil
}

// levelOrder puts authorities with a region first, then any filed under an
// unknown code, then the not-recorded row.
func levelOrder(r CoverageRow) int {
	switch {
	case r.Level == LevelNotRecorded:
		return 2
	case r.RegionCode == "":
		return 1
	}
	return 0
}

func spreadOf(las []CoverageRow) Spread {
	var s Spread
	found := false
	for _, r := range las {
		if r.Level != LevelLA || r.All().Eligible < SpreadMinEligible {
			continue
		}
		cov := r.All().Coverage()
		if !found || cov > s.Best.All().Coverage() {
			s.Best = r
		}
		if !found || cov < s.Worst.All().Coverage() {
			s.Worst = r
		}
		found = true
	}
	if found {
		s.Points = (s.Best.All().Coverage() - s.Worst.All().Coverage()) * 100
	}
	return s
}

// Find returns the row of an area: "england", a region code (E12…), an
// authority code, or "none" for the not-recorded row.
func (c Coverage) Find(area string) (CoverageRow, bool) {
	if area == LevelEngland {
		return c.England, true
	}
	for _, r := range c.Regions {
		if r.Code == area {
			return r, true
		}
	}
	if area == "none" {
		area = ""
	}
	for _, r := range c.LAs {
		if r.Code == area {
			return r, true
		}
	}
	return CoverageRow{}, false
}

// coverageColumns are the count columns of a coverage table, for group
// settings, childminders and all.
func coverageColumns() []Column {
	var cols []Column
	for _, k := range []struct{ key, title string }{{"group", "Group settings"}, {"childminder", "Childminders"}, {"all", "All settings"}} {
		cols = append(cols,
			Column{k.key + "_eligible", k.title + ": eligible", KindInt},
			Column{k.key + "_qualified", k.title + ": with a qualified SENCO", KindInt},
			Column{k.key + "_in_training", k.title + ": with someone in training", KindInt},
			Column{k.key + "_coverage", k.title + ": coverage", KindPercent},
		)
	}
	return append(cols, Column{"gap", "Gap: no qualified SENCO and no one in training", KindInt})
}

func coverageCells(a domain.AreaCoverage) []any {
	var out []any
	for _, c := range []domain.Counts{a.Group, a.Childminder, a.All()} {
		out = append(out, c.Eligible, c.Qualified, c.InTraining, c.Coverage())
	}
	return append(out, a.All().Gap)
}

// Table arranges the report for export, by "la" or by "region". By
// authority: every authority row and the not-recorded row, then England;
// the columns are code, name, region, ended on, then eligible, with a
// qualified SENCO, with someone in training and coverage for group
// settings, childminders and all, then the gap. By region: every region,
// then any row with no region (not recorded, unknown authority codes), so
// the rows still add up to England, then England; without the region and
// ended columns.
func (c Coverage) Table(by string) (Table, error) {
	t := Table{AsAt: c.AsAt, Definitions: Definitions()}
	total := append([]any{c.England.Code, c.England.Name}, coverageCells(c.England.AreaCoverage)...)
	switch by {
	case "la":
		t.Name, t.Title = "coverage-by-la", "Coverage of qualified SENCOs by local authority"
		t.Columns = append([]Column{{"code", "Code", KindText}, {"name", "Local authority", KindText}, {"region", "Region", KindText}, {"ended_on", "Authority ended on", KindDate}}, coverageColumns()...)
		for _, r := range c.LAs {
			t.Rows = append(t.Rows, append([]any{r.Code, r.Name, r.RegionName, r.EndedOn}, coverageCells(r.AreaCoverage)...))
		}
		t.Rows = append(t.Rows, append([]any{c.England.Code, c.England.Name, "", domain.Date{}}, coverageCells(c.England.AreaCoverage)...))
	case "region":
		t.Name, t.Title = "coverage-by-region", "Coverage of qualified SENCOs by region"
		t.Columns = append([]Column{{"code", "Code", KindText}, {"name", "Region", KindText}}, coverageColumns()...)
		for _, r := range c.Regions {
			t.Rows = append(t.Rows, append([]any{r.Code, r.Name}, coverageCells(r.AreaCoverage)...))
		}
		for _, r := range c.LAs {
			if r.RegionCode == "" {
				t.Rows = append(t.Rows, append([]any{r.Code, r.Name}, coverageCells(r.AreaCoverage)...))
			}
		}
		t.Rows = append(t.Rows, total)
	default:
		return t, fmt.Errorf("a coverage table is by la or by region, not %q", by)
	}
	t.Title += ", as at " + c.AsAt.Long()
	return t, nil
}

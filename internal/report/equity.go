package report

import (
	"context"
	"fmt"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// EquityRow is coverage and uptake in the authorities of one IMD 2019
// decile (1 = the most deprived tenth of authorities); Decile 0 gathers
// what has no known deprivation: the not-recorded row and authorities
// with no IMD 2019 figure. LAs counts the authority rows in the decile.
// Applications and Certified are the programme's applications made on or
// before the date from settings in those authorities, and the distinct
// practitioners holding its certificate on the date.
type EquityRow struct {
	Decile int
	LAs    int
	domain.AreaCoverage
	Applications, Certified int
}

// BuildEquity is coverage and uptake of a programme (0: every programme)
// by the deprivation decile of the authority, on asAt: deciles 1 to 10 in
// order, every one present even when empty, then decile 0 when anything
// falls in it. scope limits both the settings (pass policy.Settings(u))
// and the applications counted. Its rows add up to the coverage report's
// England row.
func BuildEquity(ctx context.Context, db *store.DB, scope policy.Scope, asAt domain.Date, programmeID int64) ([]EquityRow, error) {
	cov, err := BuildCoverage(ctx, db, scope, asAt)
	if err != nil {
		return nil, err
	}
	return EquityOf(ctx, db, scope, cov, programmeID)
}

// EquityOf is BuildEquity from a coverage report already built for the
// same scope (on its as-at date), so a page that shows both counts
// coverage once.
func EquityOf(ctx context.Context, db *store.DB, scope policy.Scope, cov Coverage, programmeID int64) ([]EquityRow, error) {
	uptake, err := db.UptakeByLA(ctx, scope, programmeID, cov.AsAt)
	if err != nil {
		return nil, err
	}
	rows := make([]EquityRow, 11)
	for i := range rows {
		rows[i].Decile = i
	}
	for _, r := range cov.LAs {
		d := 0
		if r.IMD != nil {
			d = r.IMD.Decile
		}
		rows[d].LAs++
		rows[d].AreaCoverage = rows[d].AreaCoverage.Add(r.AreaCoverage)
		u := uptake[r.Code]
		rows[d].Applications += u.Applications
		rows[d].Certified += u.Certified
		delete(uptake, r.Code)
	}
	// Applications from authorities with no coverage row (outside the
	// authority list) are still counted, with no known deprivation.
	for code, u := range uptake {
		d := 0
		if dep := DeprivationOf(code); dep != nil {
			d = dep.Decile
		}
		rows[d].Applications += u.Applications
		rows[d].Certified += u.Certified
	}
	out := rows[1:]
	if rows[0] != (EquityRow{}) {
		out = append(out, rows[0])
	}
	return out, nil
}

// EquityTable arranges equity rows for export.
func EquityTable(rows []EquityRow, asAt domain.Date) Table {
	t := Table{Name: "equity", Title: "Coverage and uptake by deprivation of the local authority (IMD 2019), as at " + asAt.Long(), AsAt: asAt, Definitions: Definitions()}
	t.Columns = append([]Column{{"decile", "IMD 2019 decile of the authority (1 = most deprived)", KindText}, {"las", "Local authorities", KindInt}},
		coverageColumns()...)
	t.Columns = append(t.Columns, Column{"applications", "Applications", KindInt}, Column{"certified", "Certified practitioners", KindInt})
	for _, r := range rows {
		label := fmt.Sprint(r.Decile)
		if r.Decile == 0 {
			label = "Not known"
		}
		row := append([]any{label, r.LAs}, coverageCells(r.AreaCoverage)...)
		t.Rows = append(t.Rows, append(row, r.Applications, r.Certified))
	}
	return t
}

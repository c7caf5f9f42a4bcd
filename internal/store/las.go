package store

import (
	"context"
	"fmt"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
)

const laColumns = `code, dfe_code, name, ofsted_name, region_code, region_name, type, started_on, ended_on`

func scanLA(sc interface{ Scan(...any) error }, la *domain.LocalAuthority) error {
	return sc.Scan(&la.Code, &la.DfECode, &la.Name, &la.OfstedName, &la.RegionCode, &la.RegionName, &la.Type, &la.StartedOn, &la.EndedOn)
}

// LASummary counts what an LA list import changed.
type LASummary struct{ Added, Updated, Unchanged int }

// UpsertLocalAuthorities adds new authorities and updates changed ones.
// Authorities missing from the list are kept: settings may still refer to
// them, and an ended authority carries its end date instead.
func (tx *Tx) UpsertLocalAuthorities(ctx context.Context, a domain.Actor, las []domain.LocalAuthority) (LASummary, error) {
	var sum LASummary
	existing := map[string]domain.LocalAuthority{}
	rows, err := tx.tx.QueryContext(ctx, `SELECT `+laColumns+` FROM local_authorities`)
	if err != nil {
		return sum, fmt.Errorf("load local authorities: %w", err)
	}
	for rows.Next() {
		var la domain.LocalAuthority
		if err := scanLA(rows, &la); err != nil {
			rows.Close()
			return sum, fmt.Errorf("load local authorities: %w", err)
		}
		existing[la.Code] = la
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return sum, fmt.Errorf("load local authorities: %w", err)
	}
	for _, la := range las {
		old, ok := existing[la.Code]
		switch {
		case !ok:
			_, err = tx.tx.ExecContext(ctx, `INSERT INTO local_authorities (`+laColumns+`, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
				la.Code, la.DfECode, la.Name, la.OfstedName, la.RegionCode, la.RegionName, la.Type, la.StartedOn, la.EndedOn, tx.now)
			sum.Added++
		case old != la:
			_, err = tx.tx.ExecContext(ctx, `UPDATE local_authorities SET dfe_code = $2, name = $3, ofsted_name = $4, region_code = $5, region_name = $6, type = $7, started_on = $8, ended_on = $9, updated_at = $10 WHERE code = $1`,
				la.Code, la.DfECode, la.Name, la.OfstedName, la.RegionCode, la.RegionName, la.Type, la.StartedOn, la.EndedOn, tx.now)
			if err == nil {
				err = tx.Audit(ctx, a, "update", "local_authority", la.Code, old, la)
			}
			sum.Updated++
		default:
			sum.Unchanged++
		}
		if err != nil {
			return sum, fmt.Errorf("local authority %s: %w", la.Code, err)
		}
	}
	if sum.Added+sum.Updated > 0 {
		if err := tx.Audit(ctx, a, "import", "local_authorities", "", nil, sum); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// AllLocalAuthorities returns every authority, live and ended, by name. It is
// reference data, public to every signed-in user.
func (db *DB) AllLocalAuthorities(ctx context.Context) ([]domain.LocalAuthority, error) {
	recs, err := db.LocalAuthorities(ctx, LAFilter{})
	out := make([]domain.LocalAuthority, len(recs))
	for i, r := range recs {
		out[i] = r.LocalAuthority
	}
	return out, err
}

// LARecord is an authority with when senco last changed it.
type LARecord struct {
	domain.LocalAuthority
	UpdatedAt time.Time
}

// LAFilter narrows the list of authorities.
type LAFilter struct {
	Region       string
	UpdatedSince time.Time // also orders by last change, for API sync
}

// LocalAuthorities lists authorities by name, or by last change when
// UpdatedSince is set.
func (db *DB) LocalAuthorities(ctx context.Context, f LAFilter) ([]LARecord, error) {
	var a args
	where, order := "1=1", "name, code"
	if f.Region != "" {
		where += " AND region_code = " + a.add(f.Region)
	}
	if !f.UpdatedSince.IsZero() {
		where += " AND updated_at >= " + a.add(f.UpdatedSince.UTC())
		order = "updated_at, code"
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+laColumns+`, updated_at FROM local_authorities WHERE `+where+` ORDER BY `+order, a...)
	if err != nil {
		return nil, fmt.Errorf("list local authorities: %w", err)
	}
	defer rows.Close()
	var out []LARecord
	for rows.Next() {
		var r LARecord
		la := &r.LocalAuthority
		if err := rows.Scan(&la.Code, &la.DfECode, &la.Name, &la.OfstedName, &la.RegionCode, &la.RegionName, &la.Type, &la.StartedOn, &la.EndedOn, nullTime{&r.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("list local authorities: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// LACounts is a local authority with the number of its settings.
type LACounts struct {
	domain.LocalAuthority
	Settings int // on the register (active)
	Closed   int
	Eligible int // domain.EligibleSetting at the as-of date
}

// LocalAuthoritiesWithCounts lists the authorities the scope allows, with
// their settings counted. Authorities with no settings and an end date are
// left out unless settings still refer to them.
func (db *DB) LocalAuthoritiesWithCounts(ctx context.Context, scope policy.Scope, asOf domain.Date) ([]LACounts, error) {
	var a args
	where := "1=1"
	switch scope.Kind {
	case policy.National:
	case policy.LA:
		where = "la.code = " + a.add(scope.LACode)
	default:
		return nil, nil
	}
	elig := eligibleSQL(&a, "s", asOf)
	q := `SELECT la.code, la.dfe_code, la.name, la.ofsted_name, la.region_code, la.region_name, la.type, la.started_on, la.ended_on,
		COUNT(CASE WHEN s.status = 'active' THEN 1 END),
		COUNT(CASE WHEN s.status = 'closed' THEN 1 END),
		COUNT(CASE WHEN ` + elig + ` THEN 1 END)
		FROM local_authorities la LEFT JOIN settings s ON s.la_code = la.code
		WHERE ` + where + `
		GROUP BY la.code, la.dfe_code, la.name, la.ofsted_name, la.region_code, la.region_name, la.type, la.started_on, la.ended_on
		HAVING la.ended_on IS NULL OR COUNT(s.urn) > 0
		ORDER BY la.name, la.code`
	rows, err := db.read.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("local authorities with counts: %w", err)
	}
	defer rows.Close()
	var out []LACounts
	for rows.Next() {
		var c LACounts
		if err := rows.Scan(&c.Code, &c.DfECode, &c.Name, &c.OfstedName, &c.RegionCode, &c.RegionName, &c.Type, &c.StartedOn, &c.EndedOn, &c.Settings, &c.Closed, &c.Eligible); err != nil {
			return nil, fmt.Errorf("local authorities with counts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LocalAuthority returns one authority if the scope allows it.
func (db *DB) LocalAuthority(ctx context.Context, scope policy.Scope, code string) (domain.LocalAuthority, error) {
	var la domain.LocalAuthority
	switch scope.Kind {
	case policy.National:
	case policy.LA:
		if scope.LACode != code {
			return la, ErrNotFound
		}
	default:
		return la, ErrNotFound
	}
	err := scanLA(db.read.QueryRowContext(ctx, `SELECT `+laColumns+` FROM local_authorities WHERE code = $1`, code), &la)
	if err != nil {
		return la, notFound(err, "local authority "+code)
	}
	return la, nil
}

// TypeCount is the number of settings of one provider type.
type TypeCount struct {
	Type     domain.ProviderType
	Active   int
	Closed   int
	Eligible int
	Places   int // places of active settings
}

// SettingCountsByType counts one authority's settings by provider type.
// code "" counts settings whose authority Ofsted did not record.
func (db *DB) SettingCountsByType(ctx context.Context, scope policy.Scope, code string, asOf domain.Date) ([]TypeCount, error) {
	var a args
	where, ok := settingScope(&a, scope)
	if !ok {
		return nil, nil
	}
	if code == "" {
		where += " AND s.la_code IS NULL"
	} else {
		where += " AND s.la_code = " + a.add(code)
	}
	elig := eligibleSQL(&a, "s", asOf)
	rows, err := db.read.QueryContext(ctx, `SELECT s.provider_type,
		COUNT(CASE WHEN s.status = 'active' THEN 1 END), COUNT(CASE WHEN s.status = 'closed' THEN 1 END),
		COUNT(CASE WHEN `+elig+` THEN 1 END), COALESCE(SUM(CASE WHEN s.status = 'active' THEN s.places END), 0)
		FROM settings s WHERE `+where+` GROUP BY s.provider_type`, a...)
	if err != nil {
		return nil, fmt.Errorf("count settings by type: %w", err)
	}
	defer rows.Close()
	byType := map[domain.ProviderType]TypeCount{}
	for rows.Next() {
		var c TypeCount
		if err := rows.Scan(&c.Type, &c.Active, &c.Closed, &c.Eligible, &c.Places); err != nil {
			return nil, fmt.Errorf("count settings by type: %w", err)
		}
		byType[c.Type] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []TypeCount
	for _, t := range domain.ProviderTypes {
		if c, ok := byType[t]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

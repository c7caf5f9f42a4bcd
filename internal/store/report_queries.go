package store

import (
	"context"
	"fmt"

	"senco/internal/domain"
	"senco/internal/policy"
)

// Queries for the management information reports (package report).

// Uptake is a programme's reach in one authority on a date: applications
// made on or before it, and the distinct practitioners holding a
// certificate of the programme on it (certified on or before, not revoked
// on or before: domain.Certificate.HeldOn).
type Uptake struct {
	Applications int
	Certified    int
}

// UptakeByLA counts a programme's applications and certified practitioners
// on d by the authority of the applicant's setting ("" where Ofsted did not
// record it), within scope (applications as appScope limits them).
// programmeID 0 counts every programme.
func (db *DB) UptakeByLA(ctx context.Context, scope policy.Scope, programmeID int64, d domain.Date) (map[string]Uptake, error) {
	var a args
	where, ok := appScope(&a, scope)
	if !ok {
		return map[string]Uptake{}, nil
	}
	if programmeID != 0 {
		where += " AND ap.programme_id = " + a.add(programmeID)
	}
	day := a.add(d)
	where += " AND ap.applied_on <= " + day
	rows, err := db.read.QueryContext(ctx, `SELECT COALESCE(ap.la_code, ''), COUNT(*),
		COUNT(DISTINCT CASE WHEN ap.certified_on <= `+day+` AND (ap.revoked_on IS NULL OR ap.revoked_on > `+day+`) THEN ap.practitioner_id END)
		FROM applications ap WHERE `+where+` GROUP BY COALESCE(ap.la_code, '')`, a...)
	if err != nil {
		return nil, fmt.Errorf("uptake by LA: %w", err)
	}
	defer rows.Close()
	out := map[string]Uptake{}
	for rows.Next() {
		var code string
		var u Uptake
		if err := rows.Scan(&code, &u.Applications, &u.Certified); err != nil {
			return nil, fmt.Errorf("uptake by LA: %w", err)
		}
		out[code] = u
	}
	return out, rows.Err()
}

// SupplierPlaces is a supplier of a programme and the places its contract
// in force allocates (0 when it has cohorts but no contract in force).
type SupplierPlaces struct {
	SupplierOrgID int64
	Name          string
	Allocated     int
}

// ProgrammeSuppliers lists the suppliers of a programme — those with a
// contract for it or a cohort on it — by name: every one for a national
// scope, the user's own organisation for a supplier's people (Org and
// Staffed scopes), none for other scopes (contracts are not theirs to see).
func (db *DB) ProgrammeSuppliers(ctx context.Context, scope policy.Scope, programmeID int64) ([]SupplierPlaces, error) {
	var a args
	prog := a.add(programmeID)
	where := "1=1"
	switch scope.Kind {
	case policy.National:
	case policy.Org, policy.Staffed:
		where = "o.id = " + a.add(scope.OrgID)
	default:
		return nil, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT o.id, o.name,
		COALESCE((SELECT SUM(c.allocated_places) FROM contracts c WHERE c.supplier_org_id = o.id AND c.programme_id = `+prog+` AND c.superseded_by IS NULL), 0)
		FROM organisations o
		WHERE (EXISTS (SELECT 1 FROM contracts c2 WHERE c2.supplier_org_id = o.id AND c2.programme_id = `+prog+`)
			OR EXISTS (SELECT 1 FROM cohorts ch WHERE ch.supplier_org_id = o.id AND ch.programme_id = `+prog+`))
		AND `+where+` ORDER BY o.name, o.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("programme suppliers: %w", err)
	}
	defer rows.Close()
	var out []SupplierPlaces
	for rows.Next() {
		var s SupplierPlaces
		if err := rows.Scan(&s.SupplierOrgID, &s.Name, &s.Allocated); err != nil {
			return nil, fmt.Errorf("programme suppliers: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

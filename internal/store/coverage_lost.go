package store

import (
	"context"
	"fmt"

	"senco/internal/domain"
	"senco/internal/policy"
)

// heldByEmploymentSQL: the practitioner of employment le held a SENCO
// certificate on day d (domain.Certificate.HeldOn), and le covered d
// (domain.Employment.Covers): together, domain.QualifiedSENCOAt for that
// one employment.
func heldByEmploymentSQL(a *args, d domain.Date, p probe) string {
	day := a.add(d)
	return "(le.started_on <= " + day + " AND (le.ended_on IS NULL OR le.ended_on > " + day + ")" +
		" AND " + p.certifiedSQL("le.practitioner_id", day) + ")"
}

// SettingsLostSENCO finds the settings in scope, eligible on asAt, that
// lost their qualified SENCO between since and asAt: they had a qualified
// SENCO on since (domain.QualifiedSENCOAt), have none on asAt, and the
// employment of someone who was their qualified SENCO on since ended after
// since and on or before asAt. It returns, for each such setting's URN, the
// day the last of those employments ended. laCode narrows to one authority
// ("none": settings whose authority Ofsted did not record); "" is every
// authority in scope.
func (db *DB) SettingsLostSENCO(ctx context.Context, scope policy.Scope, since, asAt domain.Date, laCode string) (map[string]domain.Date, error) {
	out := map[string]domain.Date{}
	st, ok := db.SettingsLostSENCOStatement(scope, since, asAt, laCode)
	if !ok {
		return out, nil
	}
	rows, err := db.read.QueryContext(ctx, st.SQL, st.Args...)
	if err != nil {
		return nil, fmt.Errorf("settings that lost their SENCO: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var urn string
		var ended domain.Date
		if err := rows.Scan(&urn, &ended); err != nil {
			return nil, fmt.Errorf("settings that lost their SENCO: %w", err)
		}
		out[urn] = ended
	}
	return out, rows.Err()
}

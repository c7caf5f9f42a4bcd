package store

import (
	"context"
	"fmt"

	"senco/internal/domain"
)

// CohortStaffCandidates lists the active users of a supplier organisation
// who may be named on its cohorts, by name: its trainers and assessors. The
// caller is that supplier's admin (policy.CanRunCohorts) and passes their
// own organisation.
func (db *DB) CohortStaffCandidates(ctx context.Context, orgID int64) ([]domain.User, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+userColumns+userFrom+`
		WHERE u.org_id = $1 AND u.role IN ('trainer', 'assessor') AND u.disabled_at IS NULL ORDER BY u.name, u.id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("cohort staff candidates: %w", err)
	}
	defer rows.Close()
	var out []domain.User
	for rows.Next() {
		var u domain.User
		if err := scanUser(rows, &u); err != nil {
			return nil, fmt.Errorf("cohort staff candidates: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CohortStaffRole returns the role ("trainer" or "assessor") a user holds
// on a cohort, or "" when they are not its staff. The caller has loaded
// the cohort in scope.
func (db *DB) CohortStaffRole(ctx context.Context, cohortID, userID int64) (string, error) {
	roles, err := queryStrings(ctx, db.read, `SELECT role FROM cohort_staff WHERE cohort_id = $1 AND user_id = $2 ORDER BY role DESC`, cohortID, userID)
	if err != nil || len(roles) == 0 {
		return "", err
	}
	// A user named as both counts as a trainer.
	return roles[0], nil
}

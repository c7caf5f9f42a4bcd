package store

import (
	"context"
	"fmt"

	"senco/internal/domain"
	"senco/internal/policy"
)

// ProgressApps returns what domain.ComputeProgress needs of every
// application to a programme in scope (and of one supplier's cohorts when
// supplierOrgID is set).
func (db *DB) ProgressApps(ctx context.Context, scope policy.Scope, programmeID, supplierOrgID int64) ([]domain.ProgressApp, error) {
	var a args
	where, ok := appScope(&a, scope)
	if !ok {
		return nil, nil
	}
	where += " AND ap.programme_id = " + a.add(programmeID)
	if supplierOrgID != 0 {
		where += " AND EXISTS (SELECT 1 FROM cohorts sc WHERE sc.id = ap.cohort_id AND sc.supplier_org_id = " + a.add(supplierOrgID) + ")"
	}
	rows, err := db.read.QueryContext(ctx, `SELECT ap.practitioner_id, ap.status, ap.decision, ap.withdrawal_reason, ap.enrolled_on IS NOT NULL,
		COALESCE((SELECT sc.supplier_org_id FROM cohorts sc WHERE sc.id = ap.cohort_id), 0)
		FROM applications ap WHERE `+where, a...)
	if err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	defer rows.Close()
	var out []domain.ProgressApp
	for rows.Next() {
		var p domain.ProgressApp
		if err := rows.Scan(&p.PractitionerID, &p.Status, &p.Decision, &p.WithdrawalReason, &p.EverEnrolled, &p.SupplierOrgID); err != nil {
			return nil, fmt.Errorf("progress: %w", err)
		}
		p.Completed = p.Status == domain.StatusCompleted || p.Status == domain.StatusCertified
		out = append(out, p)
	}
	return out, rows.Err()
}

// CohortFlights returns what domain.Forecast needs of every cohort of a
// programme in scope, counting only the learners the scope may see: an LA
// officer's forecast is of their authority's learners, not of everyone in
// the cohorts that serve it, so it agrees with ProgressApps.
func (db *DB) CohortFlights(ctx context.Context, scope policy.Scope, programmeID int64) ([]domain.CohortFlight, error) {
	var a args
	cohorts, ok := cohortScope(&a, scope)
	if !ok {
		return nil, nil
	}
	apps, _ := appScope(&a, scope)
	where := cohorts + " AND " + apps + " AND ap.programme_id = " + a.add(programmeID)
	rows, err := db.read.QueryContext(ctx, `SELECT ch.ends_on,
		SUM(CASE WHEN `+statusIn("ap.status", domain.Training)+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+statusIn("ap.status", domain.Finished)+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+statusIs("ap.status", domain.StatusWithdrawn)+` AND ap.enrolled_on IS NOT NULL THEN 1 ELSE 0 END)
		FROM applications ap JOIN cohorts ch ON ch.id = ap.cohort_id
		WHERE `+where+`
		GROUP BY ch.id, ch.ends_on ORDER BY ch.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("cohort flights: %w", err)
	}
	defer rows.Close()
	var out []domain.CohortFlight
	for rows.Next() {
		var c domain.CohortFlight
		if err := rows.Scan(&c.EndsOn, &c.Active, &c.Completed, &c.Withdrawn); err != nil {
			return nil, fmt.Errorf("cohort flights: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

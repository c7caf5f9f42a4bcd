package main

// The SQL the store issues for each measured delivery request, copied from
// internal/store as it stands (file and function named at each), so it can
// run bare on database/sql. Each copy is checked against the store's answer
// before it is timed (checkDelivery). The coverage statements need no copy:
// the store hands them out (store.CoverageByLAStatement and its kin).

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"senco/internal/domain"
)

type sqlArgs []any

func (a *sqlArgs) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// drain reads every column of every row, as a handler's scan would, and
// returns the first column of each row.
func drain(rows *sql.Rows, err error) ([]any, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var first []any
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		switch v := vals[0].(type) {
		case []byte:
			first = append(first, string(v))
		default:
			first = append(first, v)
		}
	}
	return first, rows.Err()
}

func ints(vs []any) []int64 {
	out := make([]int64, len(vs))
	for i, v := range vs {
		out[i] = asInt(v)
	}
	return out
}

func inInts(a *sqlArgs, ids []int64) string {
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = a.add(id)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

func asInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int32:
		return int64(n)
	case int:
		return int64(n)
	}
	return 0
}

// ---- internal/store/cohorts.go ----

var cohortColumns = `ch.id, ch.contract_id, ch.programme_id, ch.supplier_org_id, ch.name, ch.mode, ch.starts_on, ch.ends_on, ch.capacity, ch.updated_at,
	o.name, p.name,
	(SELECT COUNT(*) FROM applications a1 WHERE a1.cohort_id = ch.id AND ` + statusIn("a1.status", domain.PlaceHolding) + `),
	(SELECT COUNT(*) FROM applications a2 WHERE a2.waitlist_cohort_id = ch.id AND ` + statusIn("a2.status", []domain.Status{domain.StatusEligible}) + `),
	(SELECT COUNT(*) FROM applications a3 WHERE a3.cohort_id = ch.id AND ` + statusIn("a3.status", []domain.Status{domain.StatusWithdrawn}) + `),
	(SELECT COUNT(*) FROM sessions_taught st WHERE st.cohort_id = ch.id)`

const cohortFrom = ` FROM cohorts ch JOIN organisations o ON o.id = ch.supplier_org_id JOIN programmes p ON p.id = ch.programme_id`

const sessionColumns = `st.id, st.cohort_id, st.held_on, st.minutes, st.mode, st.topic, st.venue, st.units, st.register_version, st.updated_at,
	(SELECT COUNT(*) FROM attendance at WHERE at.session_id = st.id)`

// cohortsDetails: DB.cohortsDetails, the authorities and staff of a page
// of cohorts (ids as text, as scanned).
func cohortsDetails(ctx context.Context, db *sql.DB, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	var a sqlArgs
	in := inInts(&a, ids)
	if _, err := drain(db.QueryContext(ctx, `SELECT cohort_id, la_code FROM cohort_las WHERE cohort_id IN `+in+` ORDER BY cohort_id, la_code`, a...)); err != nil {
		return err
	}
	_, err := drain(db.QueryContext(ctx, `SELECT cs.cohort_id, u.name, cs.role FROM cohort_staff cs JOIN users u ON u.id = cs.user_id
		WHERE cs.cohort_id IN `+in+` ORDER BY cs.cohort_id, u.name`, a...))
	return err
}

// bareCohortList: DB.Cohorts for a supplier (scope Org), page 1 of 50,
// as the page /cohorts asks.
func bareCohortList(ctx context.Context, db *sql.DB, orgID int64) ([]int64, error) {
	var a sqlArgs
	where := "ch.supplier_org_id = " + a.add(orgID)
	order := "ch.starts_on DESC, ch.id DESC"
	var total int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM cohorts ch WHERE `+where, a...).Scan(&total); err != nil {
		return nil, err
	}
	size := 50
	first, err := drain(db.QueryContext(ctx, `SELECT `+cohortColumns+cohortFrom+` WHERE `+where+` ORDER BY `+order+
		` LIMIT `+a.add(size)+` OFFSET `+a.add(0), a...))
	if err != nil {
		return nil, err
	}
	ids := ints(first)
	return ids, cohortsDetails(ctx, db, ids)
}

// bareAttendance: what /sessions/{id}/attendance asks of the store for a
// trainer (scope Staffed): DB.Session (the session, then DB.Cohort in
// scope with its details), DB.CohortStaffRole, DB.Register
// (internal/store/attendance.go).
func bareAttendance(ctx context.Context, db *sql.DB, sessionID, userID int64) ([]int64, error) {
	var cohortID int64
	var held domain.Date
	var skip [9]any
	row := db.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions_taught st WHERE st.id = $1`, sessionID)
	if err := row.Scan(&skip[0], &cohortID, &held, &skip[1], &skip[2], &skip[3], &skip[4], &skip[5], &skip[6], &skip[7], &skip[8]); err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	var a sqlArgs
	where := "EXISTS (SELECT 1 FROM cohort_staff cs WHERE cs.cohort_id = ch.id AND cs.user_id = " + a.add(userID) + ")"
	first, err := drain(db.QueryContext(ctx, `SELECT `+cohortColumns+cohortFrom+` WHERE `+where+` AND ch.id = `+a.add(cohortID), a...))
	if err != nil {
		return nil, fmt.Errorf("cohort: %w", err)
	}
	ids := ints(first)
	if len(ids) != 1 {
		return nil, fmt.Errorf("cohort %d not in scope", cohortID)
	}
	if err := cohortsDetails(ctx, db, ids); err != nil {
		return nil, err
	}
	if _, err := drain(db.QueryContext(ctx, `SELECT role FROM cohort_staff WHERE cohort_id = $1 AND user_id = $2 ORDER BY role DESC`, cohortID, userID)); err != nil {
		return nil, err
	}
	lines, err := drain(db.QueryContext(ctx, `SELECT ap.id, p.given_name || ' ' || p.family_name, s.name, ap.status,
		COALESCE(at.mark, ''), at.caught_up_on, COALESCE(at.catch_up_note, '')
		FROM applications ap JOIN practitioners p ON p.id = ap.practitioner_id JOIN settings s ON s.urn = ap.setting_urn
		LEFT JOIN attendance at ON at.application_id = ap.id AND at.session_id = $2
		WHERE ap.cohort_id = $1 AND (`+statusIn("ap.status", domain.PlaceHolding)+`
			OR (`+statusIn("ap.status", []domain.Status{domain.StatusWithdrawn})+` AND ap.withdrawn_on > $3) OR at.mark IS NOT NULL)
		ORDER BY p.family_name, p.given_name, ap.id`, cohortID, sessionID, held))
	return ints(lines), err
}

// ---- internal/store/applications.go, api_queries.go ----

const appColumns = `ap.id, ap.programme_id, ap.practitioner_id, ap.setting_urn, COALESCE(ap.la_code, ''), ap.applied_on, ap.nominated,
	ap.setting_confirmed_at IS NOT NULL, ap.working_towards_l3, ap.status, ap.decision, ap.reason_code, ap.reason, ap.manual_decision,
	ap.extra_setting_place, COALESCE(ap.cohort_id, 0), COALESCE(ap.waitlist_cohort_id, 0), ap.withdrawal_reason, ap.withdrawn_on,
	ap.assessment_complete_on, ap.learner_number, ap.uln, ap.certificate_number, ap.certified_on, ap.revoked_on, ap.revoke_reason,
	COALESCE(ap.qualification_id, 0), ap.enrolled_on, ap.left_training_on, ap.updated_at,
	p.given_name || ' ' || p.family_name, p.email, s.name, s.provider_type, COALESCE(la.name, ''), pr.name, COALESCE(ch.name, ''), COALESCE(so.name, '')`

const appFrom = ` FROM applications ap JOIN practitioners p ON p.id = ap.practitioner_id JOIN settings s ON s.urn = ap.setting_urn
	LEFT JOIN local_authorities la ON la.code = ap.la_code JOIN programmes pr ON pr.id = ap.programme_id
	LEFT JOIN cohorts ch ON ch.id = ap.cohort_id LEFT JOIN organisations so ON so.id = ch.supplier_org_id`

var learnerWhere = `(` + statusIn("ap.status", domain.PlaceHolding) + `
	OR (` + statusIn("ap.status", domain.Departed) + ` AND EXISTS (SELECT 1 FROM application_events ev WHERE ev.application_id = ap.id AND ` +
	statusIn("ev.to_status", []domain.Status{domain.StatusEnrolled}) + `)))`

// statusIn is the condition on one of the domain's status groups, written
// as the store writes it (literals, so plans are the same).
func statusIn(col string, group []domain.Status) string {
	q := make([]string, len(group))
	for i, s := range group {
		q[i] = "'" + string(s) + "'"
	}
	return col + " IN (" + strings.Join(q, ", ") + ")"
}

// bareLearners: DB.Learners for a supplier (appScope Org) with
// updated_since, then DB.LearnerAttendance for the page, as
// /api/v1/learners asks.
func bareLearners(ctx context.Context, db *sql.DB, orgID int64, since time.Time, size int, today domain.Date) ([]int64, error) {
	var a sqlArgs
	org := a.add(orgID)
	where := "(EXISTS (SELECT 1 FROM contracts c JOIN contract_las cl ON cl.contract_id = c.id WHERE c.supplier_org_id = " + org +
		" AND c.programme_id = ap.programme_id AND c.superseded_by IS NULL AND cl.la_code = ap.la_code)" +
		" OR EXISTS (SELECT 1 FROM cohorts sc WHERE sc.id = ap.cohort_id AND sc.supplier_org_id = " + org + "))"
	where += " AND " + learnerWhere
	where += " AND ap.updated_at >= " + a.add(since.UTC())
	order := "ap.updated_at, ap.id"
	var total int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications ap WHERE `+where, a...).Scan(&total); err != nil {
		return nil, fmt.Errorf("count learners: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT `+appColumns+appFrom+` WHERE `+where+` ORDER BY `+order+
		` LIMIT `+a.add(size)+` OFFSET `+a.add(0), a...)
	if err != nil {
		return nil, err
	}
	// The application's id and its cohort (column 16).
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var ids, withCohort, cohorts []int64
	seen := map[int64]bool{}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return nil, err
		}
		id, cohort := asInt(vals[0]), asInt(vals[15])
		ids = append(ids, id)
		if cohort == 0 {
			continue
		}
		withCohort = append(withCohort, id)
		if !seen[cohort] {
			seen[cohort] = true
			cohorts = append(cohorts, cohort)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(withCohort) == 0 {
		return ids, nil
	}
	var ma, ha sqlArgs
	if _, err := drain(db.QueryContext(ctx, `SELECT at.application_id, st.id, at.mark, at.caught_up_on IS NOT NULL
		FROM attendance at JOIN sessions_taught st ON st.id = at.session_id JOIN applications ap ON ap.id = at.application_id
		WHERE at.application_id IN `+inInts(&ma, withCohort)+` AND st.cohort_id = ap.cohort_id AND st.held_on <= `+ma.add(today), ma...)); err != nil {
		return nil, err
	}
	if _, err := drain(db.QueryContext(ctx, `SELECT cohort_id, COUNT(*) FROM sessions_taught WHERE cohort_id IN `+inInts(&ha, cohorts)+
		` AND held_on <= `+ha.add(today)+` GROUP BY cohort_id`, ha...)); err != nil {
		return nil, err
	}
	return ids, nil
}

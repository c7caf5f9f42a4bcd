package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
)

// Queries the JSON API needs beyond those the pages use: reads inside a
// write transaction (so that a write's response is built from what it
// wrote, and stored with its Idempotency-Key in the same transaction),
// natural keys that stop a retried write from duplicating, idempotency
// keys, and the learners list.

// ScopedApplication returns one application in scope, read inside the
// transaction.
func (tx *Tx) ScopedApplication(ctx context.Context, scope policy.Scope, id int64) (Application, error) {
	var r Application
	var a args
	where, ok := appScope(&a, scope)
	if !ok {
		return r, ErrNotFound
	}
	err := scanApp(tx.tx.QueryRowContext(ctx, `SELECT `+appColumns+appFrom+` WHERE `+where+` AND ap.id = `+a.add(id), a...), &r)
	return r, notFound(err, "application")
}

// ScopedCohort returns one cohort in scope, with its counts and
// authorities, read inside the transaction.
func (tx *Tx) ScopedCohort(ctx context.Context, scope policy.Scope, id int64) (CohortRecord, error) {
	var r CohortRecord
	var a args
	where, ok := cohortScope(&a, scope)
	if !ok {
		return r, ErrNotFound
	}
	if err := scanCohort(tx.tx.QueryRowContext(ctx, `SELECT `+cohortColumns+cohortFrom+` WHERE `+where+` AND ch.id = `+a.add(id), a...), &r); err != nil {
		return r, notFound(err, "cohort")
	}
	return r, cohortDetailsFrom(ctx, tx.tx, &r)
}

// cohortDetailsFrom fills a cohort's authorities and staff.
func cohortDetailsFrom(ctx context.Context, q rowsQuerier, r *CohortRecord) error {
	var err error
	r.LACodes, err = queryStrings(ctx, q, `SELECT la_code FROM cohort_las WHERE cohort_id = $1 ORDER BY la_code`, r.ID)
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT u.name, cs.role FROM cohort_staff cs JOIN users u ON u.id = cs.user_id WHERE cs.cohort_id = $1 ORDER BY u.name`, r.ID)
	if err != nil {
		return fmt.Errorf("cohort staff: %w", err)
	}
	defer rows.Close()
	r.Trainers, r.Assessors = nil, nil
	for rows.Next() {
		var name, role string
		if err := rows.Scan(&name, &role); err != nil {
			return fmt.Errorf("cohort staff: %w", err)
		}
		if role == "assessor" {
			r.Assessors = append(r.Assessors, name)
		} else {
			r.Trainers = append(r.Trainers, name)
		}
	}
	return rows.Err()
}

// ScopedSession returns a session whose cohort is in scope, with the
// cohort, read inside the transaction.
func (tx *Tx) ScopedSession(ctx context.Context, scope policy.Scope, id int64) (SessionRecord, CohortRecord, error) {
	var r SessionRecord
	if err := scanSession(tx.tx.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions_taught st WHERE st.id = $1`, id), &r); err != nil {
		return r, CohortRecord{}, notFound(err, "session")
	}
	c, err := tx.ScopedCohort(ctx, scope, r.CohortID)
	return r, c, err
}

// SessionRegister is the register of a session (as DB.Register), read
// inside the transaction.
func (tx *Tx) SessionRegister(ctx context.Context, s SessionRecord) ([]RegisterLine, error) {
	return register(ctx, tx.tx, s)
}

// RegisterVersion is a session's register version now, read inside the
// transaction (to say which version a stale save lost to).
func (tx *Tx) RegisterVersion(ctx context.Context, sessionID int64) (int, error) {
	var v int
	err := tx.tx.QueryRowContext(ctx, `SELECT register_version FROM sessions_taught WHERE id = $1`, sessionID).Scan(&v)
	return v, notFound(err, "session")
}

// ApplicationsInScope reports which of ids are applications in scope: a
// register read by someone who sees a cohort but not all its learners (an
// LA officer sees a cohort serving their authority, but only the learners
// from it) shows only those.
func (db *DB) ApplicationsInScope(ctx context.Context, scope policy.Scope, ids []int64) (map[int64]bool, error) {
	return appsInScope(ctx, db.read, scope, ids)
}

// ApplicationsInScope is DB.ApplicationsInScope inside the transaction.
func (tx *Tx) ApplicationsInScope(ctx context.Context, scope policy.Scope, ids []int64) (map[int64]bool, error) {
	return appsInScope(ctx, tx.tx, scope, ids)
}

func appsInScope(ctx context.Context, q rowsQuerier, scope policy.Scope, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var a args
	where, ok := appScope(&a, scope)
	if !ok {
		return out, nil
	}
	in := make([]string, len(ids))
	for i, id := range ids {
		in[i] = a.add(id)
	}
	rows, err := q.QueryContext(ctx, `SELECT ap.id FROM applications ap WHERE `+where+` AND ap.id IN (`+strings.Join(in, ", ")+`)`, a...)
	if err != nil {
		return nil, fmt.Errorf("applications in scope: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("applications in scope: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// CohortNamed returns the id of a supplier's cohort of a programme with
// this name (ignoring case and surrounding space), or 0: a cohort's natural
// key, so that a retried create does not make a second cohort.
func (tx *Tx) CohortNamed(ctx context.Context, supplierOrgID, programmeID int64, name string) (int64, error) {
	var id int64
	err := tx.tx.QueryRowContext(ctx, `SELECT id FROM cohorts WHERE supplier_org_id = $1 AND programme_id = $2 AND lower(trim(name)) = $3 ORDER BY id LIMIT 1`,
		supplierOrgID, programmeID, strings.ToLower(strings.TrimSpace(name))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("cohort by name: %w", err)
	}
	return id, nil
}

// SessionScheduled returns the id of a cohort's session on this date with
// this topic (ignoring case and surrounding space), or 0: a session's
// natural key, so that a retried create does not schedule it twice.
func (tx *Tx) SessionScheduled(ctx context.Context, cohortID int64, on domain.Date, topic string) (int64, error) {
	var id int64
	err := tx.tx.QueryRowContext(ctx, `SELECT id FROM sessions_taught WHERE cohort_id = $1 AND held_on = $2 AND lower(trim(topic)) = $3 ORDER BY id LIMIT 1`,
		cohortID, on, strings.ToLower(strings.TrimSpace(topic))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("session by date: %w", err)
	}
	return id, nil
}

// IdempotencyTTL is how long an Idempotency-Key is remembered.
const IdempotencyTTL = 24 * time.Hour

// IdempotentRequest is an API write remembered by its Idempotency-Key: a
// hash of the request, and the response it got.
type IdempotentRequest struct {
	Method      string
	Path        string
	RequestHash string
	Status      int
	Response    []byte
	CreatedAt   time.Time
}

// ClaimIdempotencyKey claims key for a token at the start of a write
// transaction. When the key is new (or its earlier use has expired) it is
// recorded and claimed is true: the caller does the write and then saves
// the response with SaveIdempotentResponse in the same transaction, so the
// key, the change and the response are committed together or not at all.
// When the token already used the key, claimed is false and prev is the
// earlier request and its response; the caller must not write. A
// concurrent request with the same key waits for this transaction (on
// PostgreSQL, at the insert; on SQLite, there is one writer).
func (tx *Tx) ClaimIdempotencyKey(ctx context.Context, tokenID int64, key, method, path, requestHash string) (prev IdempotentRequest, claimed bool, err error) {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE token_id = $1 AND created_at < $2`, tokenID, tx.now.Add(-IdempotencyTTL)); err != nil {
		return prev, false, fmt.Errorf("expire idempotency keys: %w", err)
	}
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO idempotency_keys (token_id, idem_key, method, path, request_hash, status, response, created_at)
		VALUES ($1, $2, $3, $4, $5, 0, '', $6) ON CONFLICT (token_id, idem_key) DO NOTHING`, tokenID, key, method, path, requestHash, tx.now)
	if err != nil {
		return prev, false, fmt.Errorf("claim idempotency key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return prev, false, fmt.Errorf("claim idempotency key: %w", err)
	} else if n == 1 {
		return prev, true, nil
	}
	var body string
	err = tx.tx.QueryRowContext(ctx, `SELECT method, path, request_hash, status, response, created_at FROM idempotency_keys WHERE token_id = $1 AND idem_key = $2`,
		tokenID, key).Scan(&prev.Method, &prev.Path, &prev.RequestHash, &prev.Status, &body, nullTime{&prev.CreatedAt})
	if err != nil {
		return prev, false, fmt.Errorf("read idempotency key: %w", err)
	}
	prev.Response = []byte(body)
	return prev, false, nil
}

// SaveIdempotentResponse stores the response of a write whose key this
// transaction claimed.
func (tx *Tx) SaveIdempotentResponse(ctx context.Context, tokenID int64, key string, status int, response []byte) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE idempotency_keys SET status = $3, response = $4 WHERE token_id = $1 AND idem_key = $2`,
		tokenID, key, status, string(response))
	if err != nil {
		return fmt.Errorf("save idempotent response: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("save idempotent response: key %q was not claimed", key)
	}
	return nil
}

// LearnerFilter narrows the learners list.
type LearnerFilter struct {
	ProgrammeID  int64
	CohortID     int64
	UpdatedSince time.Time
	Page         int
	PageSize     int
}

// learnerWhere is what makes an application a learner: enrolled or beyond
// now, or withdrawn or deferred after having been enrolled (so that a
// client syncing learners sees them leave).
var learnerWhere = `(` + statusIn("ap.status", domain.PlaceHolding) + `
	OR (` + statusIn("ap.status", domain.Departed) + ` AND EXISTS (SELECT 1 FROM application_events ev WHERE ev.application_id = ap.id AND ` + statusIs("ev.to_status", domain.StatusEnrolled) + `)))`

// Learners lists the learners in scope: applications that are enrolled or
// beyond, or that left after enrolment. Ordered by id, or by updated_at
// then id when syncing.
func (db *DB) Learners(ctx context.Context, scope policy.Scope, f LearnerFilter) (AppPage, error) {
	var page AppPage
	var a args
	where, ok := appScope(&a, scope)
	if !ok {
		return page, nil
	}
	where += " AND " + learnerWhere
	if f.ProgrammeID != 0 {
		where += " AND ap.programme_id = " + a.add(f.ProgrammeID)
	}
	if f.CohortID != 0 {
		where += " AND ap.cohort_id = " + a.add(f.CohortID)
	}
	order := "ap.id"
	if !f.UpdatedSince.IsZero() {
		where += " AND ap.updated_at >= " + a.add(f.UpdatedSince.UTC())
		order = "ap.updated_at, ap.id"
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications ap WHERE `+where, a...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count learners: %w", err)
	}
	var err error
	page.Applications, err = collect(ctx, db.read, "list learners", scanApp,
		`SELECT `+appColumns+appFrom+` WHERE `+where+` ORDER BY `+order+pageClause(&a, f.Page, f.PageSize), a...)
	return page, err
}

// LearnerAttendance returns, for a page of learners, each one's marks and
// the number of sessions their cohort has held on or before d: the inputs
// of domain.AttendanceRate, as DB.Attendance gives for one learner, in two
// queries for the page. The caller has loaded the applications in scope.
func (db *DB) LearnerAttendance(ctx context.Context, apps []Application, d domain.Date) (marks map[int64][]domain.Attendance, held map[int64]int, err error) {
	marks, held = map[int64][]domain.Attendance{}, map[int64]int{}
	var ma, ha args
	var appIDs, cohortIDs []string
	seen := map[int64]bool{}
	for _, ap := range apps {
		if ap.CohortID == 0 {
			continue
		}
		appIDs = append(appIDs, ma.add(ap.ID))
		if !seen[ap.CohortID] {
			seen[ap.CohortID] = true
			cohortIDs = append(cohortIDs, ha.add(ap.CohortID))
		}
	}
	if len(appIDs) == 0 {
		return marks, held, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT at.application_id, st.id, at.mark, at.caught_up_on IS NOT NULL
		FROM attendance at JOIN sessions_taught st ON st.id = at.session_id JOIN applications ap ON ap.id = at.application_id
		WHERE at.application_id IN (`+strings.Join(appIDs, ", ")+`) AND st.cohort_id = ap.cohort_id AND st.held_on <= `+ma.add(d), ma...)
	if err != nil {
		return nil, nil, fmt.Errorf("learner attendance: %w", err)
	}
	for rows.Next() {
		var appID int64
		var at domain.Attendance
		if err := rows.Scan(&appID, &at.SessionID, &at.Mark, &at.CaughtUp); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("learner attendance: %w", err)
		}
		marks[appID] = append(marks[appID], at)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = db.read.QueryContext(ctx, `SELECT cohort_id, COUNT(*) FROM sessions_taught WHERE cohort_id IN (`+strings.Join(cohortIDs, ", ")+
		`) AND held_on <= `+ha.add(d)+` GROUP BY cohort_id`, ha...)
	if err != nil {
		return nil, nil, fmt.Errorf("sessions held: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cohort int64
		var n int
		if err := rows.Scan(&cohort, &n); err != nil {
			return nil, nil, fmt.Errorf("sessions held: %w", err)
		}
		held[cohort] = n
	}
	return marks, held, rows.Err()
}

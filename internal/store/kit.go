package store

import (
	"context"
	"database/sql"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
)

// The store's kit for its sub-packages: an aggregate that outgrew the
// package (internal/store/payments) writes its SQL with the same helpers,
// reads through the same pools and writes in the same transactions.

// Querier reads: the read pool (DB.Reader), or a transaction that must see
// its own writes (Tx.Reader).
type Querier = querier

// Scanner is a row to read: *sql.Row or *sql.Rows.
type Scanner = scanner

// Args collects a statement's arguments as it is built.
type Args = args

// Add appends an argument and returns its placeholder.
func (a *args) Add(v any) string { return a.add(v) }

// Reader is the read pool.
func (db *DB) Reader() Querier { return db.read }

// Reader reads inside the transaction.
func (tx *Tx) Reader() Querier { return tx.tx }

// Exec runs a statement in the transaction.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, query, args...)
}

// InsertID runs an INSERT … RETURNING id.
func (tx *Tx) InsertID(ctx context.Context, query string, args ...any) (int64, error) {
	return tx.insertID(ctx, query, args...)
}

// Today is the transaction's date, the "today" of every decision.
func (tx *Tx) Today() domain.Date { return tx.today() }

// AttendanceOf is a learner's marks and the sessions held to date d.
func (tx *Tx) AttendanceOf(ctx context.Context, appID, cohortID int64, d domain.Date) ([]domain.Attendance, int, error) {
	return tx.attendanceOf(ctx, appID, cohortID, d)
}

// ProgrammeIn reads a programme.
func ProgrammeIn(ctx context.Context, q Querier, id int64) (domain.Programme, error) {
	p, err := scanProgramme(q.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes p WHERE p.id = $1`, id))
	return p, notFound(err, "programme")
}

// ApplicationIn reads one application in scope.
func ApplicationIn(ctx context.Context, q Querier, scope policy.Scope, id int64) (Application, error) {
	var r Application
	var a args
	where, ok := appScope(&a, scope)
	if !ok {
		return r, ErrNotFound
	}
	err := scanApp(q.QueryRowContext(ctx, `SELECT `+appColumns+appFrom+` WHERE `+where+` AND ap.id = `+a.add(id), a...), &r)
	return r, notFound(err, "application")
}

// Collect runs a query and reads every row with scan.
func Collect[T any](ctx context.Context, q Querier, what string, scan func(Scanner, *T) error, query string, args ...any) ([]T, error) {
	return collect(ctx, q, what, scan, query, args...)
}

// PageClause is the LIMIT and OFFSET of a page.
func PageClause(a *Args, page, size int) string { return pageClause(a, page, size) }

// StatusIn is the condition "col is one of the group", from the domain's lists.
func StatusIn[S ~string](col string, group []S) string { return statusIn(col, group) }

// StatusIs is the condition "col is s".
func StatusIs[S ~string](col string, s S) string { return statusIs(col, s) }

// NullTime scans a time that may be NULL or text.
func NullTime(t *time.Time) any { return nullTime{t} }

// NotFound turns no rows into ErrNotFound and wraps other errors.
func NotFound(err error, what string) error { return notFound(err, what) }

// IsUniqueViolation reports a unique constraint failure on either database.
func IsUniqueViolation(err error) bool { return isUniqueViolation(err) }

// NullID is NULL for a zero id.
func NullID(id int64) any { return nullID(id) }

// AppScope is the condition limiting applications (aliased ap) to a scope;
// ok is false when the scope sees none.
func AppScope(a *Args, scope policy.Scope) (where string, ok bool) { return appScope(a, scope) }

// AppColumns and AppFrom read applications with ScanApp.
const (
	AppColumns = appColumns
	AppFrom    = appFrom
)

// ScanApp reads a row of AppColumns.
func ScanApp(sc Scanner, r *Application) error { return scanApp(sc, r) }

// SaveApplication persists a workflow decision on an application with its
// events and audit entry, guarded by the status the decision saw.
func (tx *Tx) SaveApplication(ctx context.Context, a domain.Actor, old Application, ch domain.Change) error {
	return tx.save(ctx, a, old, ch, true)
}

// EligibleSQL is domain.EligibleSetting as a condition on settings aliased t.
func EligibleSQL(a *Args, t string, d domain.Date) string { return eligibleSQL(a, t, d) }

// CohortScope is the condition limiting cohorts (aliased ch) to a scope;
// false when the scope sees none.
func CohortScope(a *Args, scope policy.Scope) (string, bool) { return cohortScope(a, scope) }

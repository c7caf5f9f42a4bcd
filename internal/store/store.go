// Package store keeps senco's records in SQLite or PostgreSQL. All SQL lives
// here; the same queries run on both databases ($n placeholders, portable
// functions only). Every read of scoped records takes a policy.Scope and
// turns it into the WHERE clause, so no caller can forget it.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers "sqlite"
)

//go:embed migrations
var migrations embed.FS

// Dialect names the database in use, for the few statements that differ.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is senco's database: one pool for writes and one for reads. On SQLite
// the writer is a single connection (SQLite allows one writer at a time) and
// readers are a small pool; on PostgreSQL both are the same pool.
type DB struct {
	Dialect Dialect
	write   *sql.DB
	read    *readPool
	now     func() time.Time
	counts  settingCounts // totals of settings searches (settings_counts.go)
}

// ErrNotFound is returned when a record does not exist or is outside the
// caller's scope; callers must not tell the two apart.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write would duplicate or overwrite another.
var ErrConflict = errors.New("conflict")

// Open connects to the database named by a URL: "sqlite:PATH" or
// "postgres://…". It does not migrate; call Migrate.
func Open(ctx context.Context, dbURL string) (*DB, error) {
	switch {
	case strings.HasPrefix(dbURL, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dbURL, "sqlite:"))
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		return openPostgres(ctx, dbURL)
	}
	return nil, fmt.Errorf("database URL %q: expected sqlite:PATH or postgres://…", dbURL)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty path")
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_time_format", "sqlite")
	base := "file:" + path + "?"
	wq := url.Values{}
	for k, v := range q {
		wq[k] = v
	}
	wq.Set("_txlock", "immediate")
	// A large page cache for the writer: an import of the national
	// register touches every page of five indexes, and with SQLite's
	// default 2 MB cache most of its time went on re-reading pages.
	wq.Add("_pragma", "cache_size(-131072)")
	wq.Add("_pragma", "temp_store(MEMORY)")
	w, err := sql.Open("sqlite", base+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	rq := url.Values{}
	for k, v := range q {
		rq[k] = v
	}
	rq.Add("_pragma", "query_only(1)")
	// Readers map the file rather than copy pages into a cache of their
	// own: on the national-scale data the England coverage report ran 27%
	// quicker than with SQLite's default cache, and steadily, where a
	// 32 MB cache per reader made one run in several four times slower.
	rq.Add("_pragma", "mmap_size(2147483648)")
	r, err := sql.Open("sqlite", base+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// A pool near the core count: more readers contend on SQLite's locks.
	n := max(2, runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return &DB{Dialect: SQLite, write: w, read: &readPool{DB: r, stmts: newStmtCache(2000)}, now: time.Now}, nil
}

func openPostgres(ctx context.Context, dbURL string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// JIT compilation pays off for queries running minutes; for ours,
	// which run in milliseconds to a few seconds, compiling costs more than
	// it saves (the England coverage report took 3.0 s with it, 0.6 s
	// without, on this project's national-scale data). A setting in the
	// URL wins.
	if _, set := cfg.RuntimeParams["jit"]; !set {
		cfg.RuntimeParams["jit"] = "off"
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	db.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return &DB{Dialect: Postgres, write: db, read: &readPool{DB: db}, now: time.Now}, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	if db.read.DB == db.write {
		db.read.stmts.close()
		return db.write.Close()
	}
	return errors.Join(db.write.Close(), db.read.Close())
}

// Ping reports whether the database answers, for readiness checks.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping %s: %w", db.Dialect, err)
	}
	return nil
}

// SetClock replaces the clock, for tests.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// Now is the store's current time in UTC.
func (db *DB) Now() time.Time { return db.now().UTC() }

// Migrate applies every pending migration.
func (db *DB) Migrate(ctx context.Context) error {
	dialect := goose.DialectSQLite3
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, "migrations/"+string(db.Dialect))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	// Migrations are numbered as they are planned, not as they land: one
	// that lands after a higher number has run still runs.
	p, err := goose.NewProvider(dialect, db.write, sub, goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate %s: %w", db.Dialect, err)
	}
	return nil
}

// Tx is a write transaction. Every change and its audit entry are written
// through one Tx, so both land or neither does.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	now time.Time
}

// InTx runs fn in a write transaction, committing when fn returns nil.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, db: db, now: db.Now()}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Now is the time the transaction stamps on what it writes.
func (tx *Tx) Now() time.Time { return tx.now }

// insertID runs an INSERT … RETURNING id (both databases support it).
func (tx *Tx) insertID(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.tx.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// nullTime scans a nullable timestamp as the zero time.
type nullTime struct{ t *time.Time }

func (n nullTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*n.t = time.Time{}
	case time.Time:
		*n.t = v.UTC()
	case string:
		return n.parse(v)
	case []byte:
		return n.parse(string(v))
	default:
		return fmt.Errorf("scan time: unsupported type %T", src)
	}
	return nil
}

// parse reads times SQLite returns as text (aggregates lose the column type).
func (n nullTime) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			*n.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("scan time: cannot parse %q", s)
}

// timeArg stores the zero time as NULL and every other time in UTC.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// like escapes s for a LIKE pattern with ESCAPE '\'.
func like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// args builds positional arguments and their $n placeholders.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

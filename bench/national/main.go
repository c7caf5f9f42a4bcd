// Command national measures senco at national scale, on a database built by
// bench/cmd/gengland (England: the 2021 register, ~300,000 practitioners at
// scale 1, the programme's cohorts, sessions, attendance and
// applications). The figures and the commands are in docs/performance.md.
//
//	go run ./bench/national delivery -db sqlite:/tmp/natbench/england-1x.db
//	go run ./bench/national coverage -db sqlite:/tmp/natbench/england-1x.db
//	go run ./bench/national report   -db sqlite:/tmp/natbench/england-2x.db
//	go run ./bench/national peer     -db sqlite:/tmp/natbench/england-1x.db -pb /tmp/pbbench -pbdir /tmp/natbench/pb
//	go run ./bench/national sql      -db sqlite:/tmp/natbench/england-1x.db
//
// delivery (issue 3) and coverage's LA page (issue 4) start the real
// handler (web.New with the API mounted) on 127.0.0.1 behind a handler
// that records each request's exact server time, sign users in through the
// store (auth.NewToken + CreateSession, CreateAPIToken), and drive each
// request from -c clients; then the same SQL the store issues for that
// request (copied in bare.go and checked to give the store's answers) runs
// on a bare database/sql pool sized like the store's read pool at the same
// concurrency. The two phases alternate in -rounds slices so other work on
// the machine weighs on both alike.
//
// coverage and report time the England coverage report by LA
// (report.BuildCoverage and store.CoverageByLA) against the bare SQL that
// computes it, one at a time, alternating.
//
// peer starts senco and PocketBase (bench/pocketbase, built apart in its
// own module) on 127.0.0.1 and asks both the same filtered, paginated
// settings list with hey, alternating, the same number of requests each.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"senco/internal/store"
)

type config struct {
	db      string
	clients int
	dur     time.Duration
	warm    time.Duration
	rounds  int
	only    string
	reps    int
	// peer
	pbBin, pbDir, pbAddr string
	requests             int
	la, typ              string
	barePragmas          string
	explain              bool
}

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		log.Fatal("usage: national delivery|coverage|report|peer|sql [flags]")
	}
	cmd := os.Args[1]
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	var c config
	fs.StringVar(&c.db, "db", "sqlite:/tmp/natbench/england-1x.db", "database made by bench/cmd/gengland: sqlite:PATH or postgres://…&search_path=SCHEMA")
	fs.IntVar(&c.clients, "c", 50, "concurrent clients")
	fs.DurationVar(&c.dur, "d", 12*time.Second, "measured time of each phase of each request (split over the rounds)")
	fs.DurationVar(&c.warm, "warmup", time.Second, "unmeasured warm-up before each slice")
	fs.IntVar(&c.rounds, "rounds", 3, "alternate server and bare phases this many times")
	fs.StringVar(&c.only, "only", "", "run one request kind only (by name)")
	fs.IntVar(&c.reps, "reps", 5, "report: timings of each kind (alternating)")
	fs.StringVar(&c.pbBin, "pb", "/tmp/natbench/pbbench", "peer: the pbbench binary (cd bench/pocketbase && go build -o …)")
	fs.StringVar(&c.pbDir, "pbdir", "/tmp/natbench/pb", "peer: PocketBase data directory, loaded by `pbbench load`")
	fs.StringVar(&c.pbAddr, "pbaddr", "127.0.0.1:18090", "peer: address PocketBase serves on")
	fs.IntVar(&c.requests, "n", 4000, "peer: requests per round to each server")
	fs.StringVar(&c.la, "la", "", "peer: authority to filter by (default: the one with most eligible settings)")
	fs.StringVar(&c.typ, "type", "childminder", "peer: provider type to filter by")
	fs.StringVar(&c.barePragmas, "bare-pragmas", "", "SQLite pragmas added to the bare pool only, e.g. mmap_size(1073741824), to measure a change of the store's settings")
	fs.BoolVar(&c.explain, "explain", false, "sql: print each statement's plan (SQLite EXPLAIN QUERY PLAN; PostgreSQL EXPLAIN ANALYZE, which runs it)")
	fs.Parse(os.Args[2:])

	ctx := context.Background()
	var err error
	switch cmd {
	case "delivery":
		err = runDelivery(ctx, c)
	case "coverage":
		err = runCoverage(ctx, c, true)
	case "report":
		err = runCoverage(ctx, c, false)
	case "peer":
		err = runPeer(ctx, c)
	case "sql":
		err = printSQL(ctx, c)
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// open opens the store and a bare pool on the same database.
func open(ctx context.Context, dbURL string, extra ...string) (*store.DB, *sql.DB, error) {
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		return nil, nil, err
	}
	bare, err := openBare(dbURL, extra...)
	if err != nil {
		return nil, nil, err
	}
	return db, bare, nil
}

// openBare opens a database/sql pool like the store's read pool: on SQLite
// the same pragmas and one connection per core; on PostgreSQL the store's
// pool size.
func openBare(dbURL string, extra ...string) (*sql.DB, error) {
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		q := url.Values{}
		// The store's read pool's pragmas (internal/store/store.go).
		for _, p := range append([]string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)", "query_only(1)", "mmap_size(2147483648)"}, extra...) {
			q.Add("_pragma", p)
		}
		q.Set("_time_format", "sqlite")
		db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			return nil, err
		}
		n := max(2, runtime.NumCPU())
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
		return db, nil
	}
	// The store turns PostgreSQL's JIT off unless the URL sets it; so
	// does the bare pool.
	if u, err := url.Parse(dbURL); err == nil && !u.Query().Has("jit") {
		q := u.Query()
		q.Set("jit", "off")
		u.RawQuery = q.Encode()
		dbURL = u.String()
	}
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	db.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	return db, nil
}

// openWriter opens one connection that may write, to make the changes a
// measurement needs (the bare pool is read-only).
func openWriter(dbURL string) (*sql.DB, error) {
	driver, dsn := "pgx", dbURL
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		q := url.Values{}
		for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
			q.Add("_pragma", p)
		}
		driver, dsn = "sqlite", "file:"+path+"?"+q.Encode()
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func redact(u string) string {
	if p, err := url.Parse(u); err == nil && p.User != nil {
		p.User = url.User(p.User.Username())
		return p.String()
	}
	return u
}

func machine(db *store.DB, dbURL string, c config) {
	fmt.Printf("database %s (%s); GOMAXPROCS %d, %s; %d clients, %v a phase in %d rounds, %v warm-up a slice; load average %s\n\n",
		redact(dbURL), db.Dialect, runtime.GOMAXPROCS(0), runtime.Version(), c.clients, c.dur, c.rounds, c.warm, loadAverage())
}

// scalar runs a query returning one value.
func scalar[T any](ctx context.Context, db *sql.DB, q string, args ...any) (T, error) {
	var v T
	err := db.QueryRowContext(ctx, q, args...).Scan(&v)
	if err != nil {
		err = fmt.Errorf("%s: %w", strings.Join(strings.Fields(q), " "), err)
	}
	return v, err
}

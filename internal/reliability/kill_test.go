package reliability

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"modernc.org/sqlite"

	"senco/internal/auth"
	"senco/internal/demo"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/register"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// The kill point: a trigger on the table an action writes calls it for
// every row, and the Nth call blocks, so the writing process is stopped
// in the middle of its transaction, with part of its rows written, where
// it is killed. On SQLite the trigger calls a function the child process
// registers; on PostgreSQL it sleeps in the server, and the parent finds
// the sleeping backend by its application name.
// killPoints are, per action, the table and the row after which it stops.
var killPoints = map[string]struct {
	table string
	after int
}{"settings": {"settings", 25}, "practitioners": {"practitioners", 25}, "attendance": {"attendance", 3}}

// TestKillChild is the other process of TestKilledMidImport: with
// SENCO_KILL_ACTION set it runs that action as senco's commands and pages
// do, and is killed in the middle of it. Without the variable it does
// nothing.
func TestKillChild(t *testing.T) {
	action := os.Getenv("SENCO_KILL_ACTION")
	if action == "" {
		return
	}
	calls := 0
	sqlite.MustRegisterScalarFunction("senco_kill_point", 0, func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		if calls++; calls == killPoints[action].after {
			fmt.Println("written")
			select {} // killed here, mid-transaction
		}
		return nil, nil
	})
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv("SENCO_KILL_DB"))
	if err != nil {
		t.Fatal(err)
	}
	t.Fatal(runAction(ctx, db, action, os.Getenv("SENCO_KILL_URN")))
}

// runAction is one write, as its command or page makes it.
// urn is a setting practitioners are imported into.
func runAction(ctx context.Context, db *store.DB, action, urn string) error {
	switch action {
	case "settings": // senco import settings
		f, err := os.Open("../importer/testdata/ofsted_childcare_providers_2021-08-31_extract.csv")
		if err != nil {
			return err
		}
		defer f.Close()
		_, _, err = register.ImportSettings(ctx, db, domain.OperatorActor("cli import settings"), "ofsted_2021-09-30.csv", f,
			domain.NewDate(2021, 9, 30), true)
		return err
	case "practitioners": // senco import practitioners
		org, err := db.Organisation(ctx, 1)
		if err != nil {
			return err
		}
		operator := domain.User{Email: "operator", Name: "operator (cli)", Role: domain.RoleProgrammeTeam, Org: org}
		actor := domain.OperatorActor("cli import practitioners")
		actor.OrgID = org.ID
		var b strings.Builder
		b.WriteString("given_name,family_name,email,date_of_birth,qualification_level,qts,eyts,qtls,setting_urn,role,started_on,ended_on\n")
		for i := range 60 {
			fmt.Fprintf(&b, "Kill%d,Test,kill%d@example.org,1990-01-%02d,3,N,N,N,%s,Practitioner,2020-09-01,\n", i, i, i%28+1, urn)
		}
		_, err = register.ImportPractitioners(ctx, db, actor, operator, "practitioners.csv", strings.NewReader(b.String()))
		return err
	case "attendance": // the attendance page's save
		s, lines, err := busiestRegister(ctx, db)
		if err != nil {
			return err
		}
		marks := map[int64]domain.Mark{}
		for i, l := range lines {
			marks[l.ApplicationID] = []domain.Mark{"present", "absent"}[i%2]
		}
		return db.InTx(ctx, func(tx *store.Tx) error {
			return tx.SaveRegister(ctx, domain.OperatorActor("trainer"), s, s.RegisterVersion, marks)
		})
	}
	return fmt.Errorf("unknown action %q", action)
}

// busiestRegister is the session whose register has the most learners.
func busiestRegister(ctx context.Context, db *store.DB) (store.SessionRecord, []store.RegisterLine, error) {
	var best store.SessionRecord
	var bestLines []store.RegisterLine
	for id := int64(1); id <= 200; id++ {
		s, _, err := db.Session(ctx, policy.Scope{Kind: policy.National}, id)
		if err != nil {
			continue
		}
		lines, err := db.Register(ctx, s)
		if err != nil {
			return best, nil, err
		}
		if len(lines) > len(bestLines) {
			best, bestLines = s, lines
		}
	}
	if len(bestLines) <= killPoints["attendance"].after {
		return best, nil, fmt.Errorf("no register has more than %d learners", killPoints["attendance"].after)
	}
	return best, bestLines, nil
}

// TestKilledMidImport kills (SIGKILL) a process in the middle of a register
// import, a practitioners import and an attendance save, with part of its
// rows written: afterwards every table is exactly as before, on SQLite and
// PostgreSQL, and the same write then completes.
func TestKilledMidImport(t *testing.T) {
	storetest.EachURL(t, func(t *testing.T, db *store.DB, url string) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, db, auth.NewHasher(auth.Params{Memory: 1024, Time: 1, Threads: 1}, 2), demo.Options{}); err != nil {
			t.Fatal(err)
		}
		raw := openRaw(t, db.Dialect, url)
		var urn string
		if err := raw.QueryRow(`SELECT min(setting_urn) FROM employments`).Scan(&urn); err != nil {
			t.Fatal(err)
		}
		for _, action := range []string{"settings", "practitioners", "attendance"} {
			t.Run(action, func(t *testing.T) {
				table := killPoints[action].table
				childURL := url
				if db.Dialect == store.Postgres {
					// The backend must notice its client is gone while it
					// sleeps in the trigger, as it would at once between
					// statements.
					childURL += "&application_name=senco_kill&client_connection_check_interval=100"
				}
				addKillPoint(t, raw, db.Dialect, table, killPoints[action].after)
				dropped := false
				t.Cleanup(func() {
					if !dropped {
						dropKillPoint(t, raw, db.Dialect)
					}
				})
				before := fingerprint(t, raw, db.Dialect)
				cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), "SENCO_KILL_ACTION="+action, "SENCO_KILL_DB="+childURL, "SENCO_KILL_URN="+urn)
				out, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				cmd.Stderr = os.Stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				if db.Dialect == store.SQLite {
					br := bufio.NewReader(out)
					line, _ := br.ReadString('\n')
					if strings.TrimSpace(line) != "written" {
						rest, _ := io.ReadAll(br)
						cmd.Wait()
						t.Fatalf("the other process said %s%s", line, rest)
					}
				} else {
					waitFor(t, raw, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'senco_kill' AND wait_event = 'PgSleep'`, 1)
				}
				cmd.Process.Kill()
				cmd.Wait()
				if db.Dialect == store.Postgres {
					waitFor(t, raw, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'senco_kill'`, 0)
				}
				dropKillPoint(t, raw, db.Dialect)
				dropped = true
				after := fingerprint(t, raw, db.Dialect)
				for tbl := range before {
					if before[tbl] != after[tbl] {
						t.Errorf("killed mid-%s: table %s changed (%s → %s)", action, tbl, before[tbl], after[tbl])
					}
				}
				// The database is whole: the same write now completes.
				if err := runAction(ctx, db, action, urn); err != nil {
					t.Fatalf("after the kill: %v", err)
				}
				if fingerprint(t, raw, db.Dialect)[table] == before[table] {
					t.Errorf("the %s write changed nothing in %s", action, table)
				}
			})
		}
	})
}

func openRaw(t *testing.T, d store.Dialect, url string) *sql.DB {
	t.Helper()
	driverName, dsn := "pgx", url
	if d == store.SQLite {
		driverName, dsn = "sqlite", "file:"+strings.TrimPrefix(url, "sqlite:")+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driverName, dsn)
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	t.Cleanup(func() { raw.Close() })
	return raw
}

func addKillPoint(t *testing.T, raw *sql.DB, d store.Dialect, table string, after int) {
	t.Helper()
	var stmts []string
	if d == store.SQLite {
		for _, ev := range []string{"INSERT", "UPDATE"} {
			stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER kill_point_%s AFTER %s ON %s BEGIN SELECT senco_kill_point(); END`, strings.ToLower(ev), ev, table))
		}
	} else {
		stmts = []string{
			`CREATE SEQUENCE kill_seq`,
			fmt.Sprintf(`CREATE FUNCTION kill_point() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
					IF nextval('kill_seq') = %d AND current_setting('application_name') = 'senco_kill' THEN
						PERFORM pg_sleep(3600);
					END IF;
					RETURN NULL;
				END $$`, after),
			fmt.Sprintf(`CREATE TRIGGER kill_point AFTER INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION kill_point()`, table),
		}
	}
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func dropKillPoint(t *testing.T, raw *sql.DB, d store.Dialect) {
	t.Helper()
	stmts := []string{`DROP TRIGGER IF EXISTS kill_point_insert`, `DROP TRIGGER IF EXISTS kill_point_update`}
	if d == store.Postgres {
		var table string
		if err := raw.QueryRow(`SELECT event_object_table FROM information_schema.triggers WHERE trigger_name = 'kill_point' AND trigger_schema = current_schema() LIMIT 1`).Scan(&table); err != nil {
			t.Fatal(err)
		}
		stmts = []string{`DROP TRIGGER kill_point ON ` + table, `DROP FUNCTION kill_point()`, `DROP SEQUENCE kill_seq`}
	}
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func waitFor(t *testing.T, raw *sql.DB, query string, want int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		if err := raw.QueryRow(query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d after 30 s, want %d", query, n, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// fingerprint is, for every table, its row count and a hash of its rows
// in a canonical order.
func fingerprint(t *testing.T, raw *sql.DB, d store.Dialect) map[string]string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if d == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := raw.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, tbl := range tables {
		rows, err := raw.Query(`SELECT * FROM ` + tbl)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%q", vals))
		}
		rows.Close()
		slices.Sort(lines)
		out[tbl] = fmt.Sprintf("%d rows %x", len(lines), sha256.Sum256([]byte(strings.Join(lines, "\n"))))
	}
	return out
}

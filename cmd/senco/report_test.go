package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"senco/internal/api"
	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/report/reporttest"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// rpDatabases runs fn on a seeded SQLite database and a seeded schema of
// the test PostgreSQL, each named by the URL the CLI is given.
func rpDatabases(t *testing.T, fn func(t *testing.T, dbURL string, db *store.DB, w reporttest.World)) {
	t.Run("sqlite", func(t *testing.T) {
		rpRun(t, "sqlite:"+filepath.Join(t.TempDir(), "senco.db"), fn)
	})
	t.Run("postgres", func(t *testing.T) {
		base := storetest.PostgresURL(t)
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		b := make([]byte, 6)
		rand.Read(b)
		schema := "t_" + hex.EncodeToString(b)
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if a, err := sql.Open("pgx", base); err == nil {
				a.Exec("DROP SCHEMA " + schema + " CASCADE")
				a.Close()
			}
		})
		rpRun(t, storetest.WithSearchPath(t, base, schema), fn)
	})
}

func rpRun(t *testing.T, dbURL string, fn func(t *testing.T, dbURL string, db *store.DB, w reporttest.World)) {
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	w := reporttest.Seed(t, db)
	fn(t, dbURL, db, w)
}

// rpCLI runs senco with args and returns its standard output.
func rpCLI(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	if code := run(context.Background(), args, e); code != exitOK {
		t.Fatalf("senco %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	return out.Bytes()
}

// rpJSON is a table as WriteJSON writes it.
type rpJSON struct {
	AsAt    string `json:"as_at"`
	Columns []struct{ Key, Kind string }
	Rows    []map[string]any
}

// TestReportsAgree checks, on the same seeded database, that the CLI's
// JSON, the API and report.BuildCoverage give the same figures to the
// unit: every authority, the not-recorded row, every region and England,
// before and on the day of a move.
func TestReportsAgree(t *testing.T) {
	rpDatabases(t, func(t *testing.T, dbURL string, db *store.DB, w reporttest.World) {
		ctx := context.Background()
		// A programme team token for the API.
		var secret string
		err := db.InTx(ctx, func(tx *store.Tx) error {
			org, err := tx.CreateOrganisation(ctx, domain.OperatorActor("test"), domain.Organisation{Kind: domain.OrgProgramme, Name: "Programme team"})
			if err != nil {
				return err
			}
			u, err := tx.CreateUser(ctx, domain.OperatorActor("test"), domain.User{Email: "mi@example.org", Name: "MI", Role: domain.RoleProgrammeTeam, Org: org}, "not-a-real-hash")
			if err != nil {
				return err
			}
			var hash string
			if secret, hash, err = auth.NewToken("senco_"); err != nil {
				return err
			}
			_, err = tx.CreateAPIToken(ctx, domain.OperatorActor("test"), u.ID, "mi", hash, time.Now().AddDate(1, 0, 0))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		h := api.New(db, nil, api.WithRateLimit(0, 0)).Handler()
		apiCoverage := func(area string, d domain.Date) map[string]map[string]any {
			t.Helper()
			req := httptest.NewRequest(http.MethodGet, "/api/v1/coverage?"+url.Values{"area": {area}, "as_at": {d.String()}}.Encode(), nil)
			req.Header.Set("Authorization", "Bearer "+secret)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("API %s %s: %d %s", area, d, rec.Code, rec.Body)
			}
			var doc struct {
				Data struct {
					Attributes map[string]json.RawMessage `json:"attributes"`
				} `json:"data"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			out := map[string]map[string]any{}
			for _, k := range []string{"group", "childminder", "all"} {
				var m map[string]any
				if err := json.Unmarshal(doc.Data.Attributes[k], &m); err != nil {
					t.Fatal(err)
				}
				out[k] = m
			}
			return out
		}

		for _, d := range []domain.Date{reporttest.TurnoverDay.AddDays(-1), reporttest.TurnoverDay} {
			c, err := report.BuildCoverage(ctx, db, policy.Scope{Kind: policy.National}, d)
			if err != nil {
				t.Fatal(err)
			}
			for _, by := range []string{"la", "region"} {
				want, err := c.Table(by)
				if err != nil {
					t.Fatal(err)
				}
				var got rpJSON
				if err := json.Unmarshal(rpCLI(t, "report", "coverage", "--as-at", d.String(), "--by", by, "--format", "json", "--db", dbURL), &got); err != nil {
					t.Fatal(err)
				}
				if got.AsAt != d.String() || len(got.Rows) != len(want.Rows) {
					t.Fatalf("CLI by %s: as at %s, %d rows; report %d", by, got.AsAt, len(got.Rows), len(want.Rows))
				}
				for i, row := range want.Rows {
					code, _ := row[0].(string)
					name, _ := row[1].(string)
					area := "la:" + code
					switch {
					case name == "England":
						area = "england"
					case by == "region" && code != "":
						area = "region:" + code
					case code == "":
						area = "la:none"
					}
					fromAPI := apiCoverage(area, d)
					for j, col := range want.Columns {
						cli := got.Rows[i][col.Key]
						switch v := row[j].(type) {
						case int:
							if cli != float64(v) {
								t.Errorf("%s %s %s: CLI %v, report %d", d, area, col.Key, cli, v)
							}
						case float64:
							if cli != v {
								t.Errorf("%s %s %s: CLI %v, report %v", d, area, col.Key, cli, v)
							}
						case string:
							if cli != v {
								t.Errorf("%s %s %s: CLI %v, report %q", d, area, col.Key, cli, v)
							}
						}
						// The API's counts: group_eligible is group.eligible.
						kind, field, ok := strings.Cut(col.Key, "_")
						if !ok || fromAPI[kind] == nil {
							continue
						}
						if a := fromAPI[kind][field]; a != cli {
							t.Errorf("%s %s %s: API %v, CLI %v", d, area, col.Key, a, cli)
						}
					}
				}
			}
		}
	})
}

// TestReportCommand checks the report command's formats and mistakes.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	dbURL := "sqlite:" + filepath.Join(dir, "senco.db")
	rpRun(t, dbURL, func(t *testing.T, dbURL string, db *store.DB, w reporttest.World) {
		c := &cli{t: t, dir: dir, env: map[string]string{"SENCO_DB": dbURL}}

		// CSV to standard output: the header, every authority, the
		// not-recorded row and England.
		out := c.must("report", "coverage", "--as-at", "2024-06-01")
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1+6+1+1 || recs[0][0] != "Code" || !strings.HasSuffix(recs[0][7], "(fraction)") || recs[len(recs)-1][1] != "England" {
			t.Errorf("coverage CSV:\n%s", out)
		}

		// XLSX to a file: the table and the definitions.
		file := filepath.Join(dir, "coverage.xlsx")
		c.must("report", "coverage", "--as-at", "2024-06-01", "--by", "region", "--out", file)
		f, err := excelize.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[0] != "coverage-by-region" || sheets[1] != report.DefinitionsSheet {
			t.Errorf("sheets %v", sheets)
		}
		f.Close()
		// XLSX to standard output when it is not a terminal.
		if out := c.must("report", "coverage", "--format", "xlsx"); !strings.HasPrefix(out, "PK") {
			t.Errorf("XLSX to a pipe starts %q", out[:min(len(out), 10)])
		}

		// Progress, today: the programme row and both suppliers; the
		// forecast as its own table.
		id := strconv.FormatInt(w.Programme.ID, 10)
		out = c.must("report", "progress", "--programme", id)
		if recs, err := csv.NewReader(strings.NewReader(out)).ReadAll(); err != nil || len(recs) != 4 || recs[1][0] != w.Programme.Name || recs[2][0] != "Northern Training" {
			t.Errorf("progress CSV %v:\n%s", err, out)
		}
		out = c.must("report", "progress", "--programme", id, "--table", "forecast", "--format", "json")
		var fc rpJSON
		// The seeded cohort ended in December 2024 with learners still
		// active: they are expected in the as-at month, never in one past.
		if err := json.Unmarshal([]byte(out), &fc); err != nil || len(fc.Rows) != 1 || len(fc.AsAt) != 10 || fc.Rows[0]["month"] != fc.AsAt[:8]+"01" || fc.Rows[0]["expected_completions"] != 1.0 {
			t.Errorf("forecast JSON %v: %s", err, out)
		}
		book := filepath.Join(dir, "progress.xlsx")
		c.must("report", "progress", "--programme", id, "--out", book)
		if f, err := excelize.OpenFile(book); err != nil || len(f.GetSheetList()) != 3 {
			t.Errorf("progress book: %v %v", err, f.GetSheetList())
		} else {
			f.Close()
		}

		// The gap list of Leeds on the day of the move: 8 group settings
		// and both childminders.
		out = c.must("report", "gap", "--la", "e08000035", "--as-at", "2024-06-01")
		if n := strings.Count(out, "\n"); n != 1+10 {
			t.Errorf("Leeds gap list has %d lines:\n%s", n, out)
		}
		out = c.must("report", "equity", "--as-at", "2024-06-01", "--programme", id, "--format", "json")
		var eq rpJSON
		if err := json.Unmarshal([]byte(out), &eq); err != nil || len(eq.Rows) != 11 {
			t.Errorf("equity JSON %v: %s", err, out)
		}

		for _, tc := range []struct {
			args []string
			code int
			out  string
		}{
			{[]string{"report"}, exitUsage, "say which report"},
			{[]string{"report", "--help"}, exitOK, "senco report coverage"},
			{[]string{"report", "pie"}, exitUsage, `unknown report "pie"`},
			{[]string{"report", "coverage", "--by", "county"}, exitUsage, "--by must be la or region"},
			{[]string{"report", "coverage", "--format", "pdf"}, exitUsage, "--format must be csv, xlsx or json"},
			{[]string{"report", "coverage", "--as-at", "1/6/2024"}, exitUsage, "--as-at"},
			{[]string{"report", "progress"}, exitUsage, "--programme ID is required"},
			{[]string{"report", "progress", "--programme", "x"}, exitUsage, "--programme must be"},
			{[]string{"report", "progress", "--programme", id, "--as-at", "2024-01-01"}, exitUsage, "as it stands today"},
			{[]string{"report", "progress", "--programme", "9999"}, exitFail, "there is no programme 9999"},
			{[]string{"report", "gap", "--la", "E09999999"}, exitFail, "no local authority has code E09999999"},
		} {
			code, out, errOut := c.run("", tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.out) {
				t.Errorf("senco %s: exit %d\n%s%s\nwant exit %d and %q", strings.Join(tc.args, " "), code, out, errOut, tc.code, tc.out)
			}
		}
	})
}

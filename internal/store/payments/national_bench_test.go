package payments_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"senco/bench/gen"
	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/payments"
	"senco/internal/store/storetest"
	"senco/internal/web"
)

// BenchmarkMoneyNational times the money of a year of the programme at
// national scale, on both databases, each beside the bare SQL of the same
// answer: statement generation for every supplier, a payment batch's
// creation and its CSV file, and a supplier's statement page at 50
// concurrent clients (median and p99 reported as metrics).
//
// England is bench/gen's at scale 1, seed 1: 20,000 applications, 800
// cohorts, 30 suppliers with their attendance. On SQLite it is made, or
// copied from SENCO_BENCH_ENGLAND (a file made by bench/cmd/gengland,
// never written to); on PostgreSQL it is made in the test schema.
//
// The money is seeded in two ways. Declarations and claims are decided by
// the domain's own rules (domain.Declare, domain.MakeClaim) on the facts the
// store loads for them (payments.LoadDeclarationFacts, FundedElsewhere; the
// register, regions and rates), and written by bulk INSERTs of the rows
// payments.Declare and SubmitClaim write, without their audit rows: going
// through Declare and SubmitClaim one learner at a time took over 20
// minutes for the declarations alone on the shared machine. Everything
// after is the store's own functions: GenerateStatements month by month
// with the clock at each month's end, AuthoriseStatement, PayStatement,
// VoidDeclaration, CreateBatch and ReconcileBatch; only the supplier's
// sampling and the programme team's approval of claims are one bulk UPDATE
// of the columns saveClaim writes (state, reason, updated_at).
//
//	go test ./internal/store/payments/ -run '^$' -bench MoneyNational -benchtime 1x -timeout 60m -v
//
// See docs/performance.md, section 9.
func BenchmarkMoneyNational(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			db := england(b, kind)
			start := time.Now()
			w := seedMoney(b, db)
			b.Logf("money seeded in %v", time.Since(start).Round(time.Second))
			benchMoney(b, db, w)
		})
	}
}

// england opens a database holding bench/gen's England at scale 1.
func england(b *testing.B, kind string) *store.DB {
	b.Helper()
	ctx := context.Background()
	if src := os.Getenv("SENCO_BENCH_ENGLAND"); kind == "sqlite" && src != "" {
		path := filepath.Join(b.TempDir(), "england.db")
		if err := copyFile(src, path); err != nil {
			b.Fatal(err)
		}
		db, err := store.Open(ctx, "sqlite:"+path)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		return db
	}
	var db *store.DB
	if kind == "sqlite" {
		db = storetest.SQLite(b)
	} else {
		db = storetest.Postgres(b)
	}
	start := time.Now()
	_, err := gen.Generate(ctx, db, gen.Options{Seed: 1, Scale: 1, RegisterFile: filepath.Join("..", "..", "..", gen.DefaultRegister)})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("England generated in %v", time.Since(start).Round(time.Second))
	return db
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// world is what the seed leaves for the benchmarks.
type world struct {
	today     domain.Date
	supplier  int64 // the supplier whose statement page is read
	statement int64 // its statement with the most lines
	lines     int
}

var bench = domain.OperatorActor("bench-money")

// errRollback ends a timed transaction without keeping what it made, so
// that every iteration starts from the same data.
var errRollback = errors.New("rolled back")

func setClock(db *store.DB, d domain.Date) {
	t := time.Date(d.Time().Year(), d.Time().Month(), d.Time().Day(), 17, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return t })
}

type learner struct {
	id, supplier int64
	setting      string
	sessions     []domain.Date // their cohort's, in order
}

// inBatches runs fn over items in transactions of n.
func inBatches[T any](b *testing.B, db *store.DB, items []T, n int, fn func(tx *store.Tx, it T) error) {
	b.Helper()
	ctx := context.Background()
	for i := 0; i < len(items); i += n {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for _, it := range items[i:min(i+n, len(items))] {
				if err := fn(tx, it); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// insertRows writes rows in multi-row INSERTs of 200.
func insertRows(ctx context.Context, tx *store.Tx, head string, cols int, rows [][]any) error {
	const batch = 200
	for i := 0; i < len(rows); i += batch {
		part := rows[i:min(i+batch, len(rows))]
		var sb strings.Builder
		sb.WriteString(head + " VALUES ")
		args := make([]any, 0, len(part)*cols)
		for j, r := range part {
			if j > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(")
			for k := range cols {
				if k > 0 {
					sb.WriteString(", ")
				}
				args = append(args, r[k])
				fmt.Fprintf(&sb, "$%d", len(args))
			}
			sb.WriteString(")")
		}
		if _, err := tx.Exec(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("%s: %w", head, err)
		}
	}
	return nil
}

func seedMoney(b *testing.B, db *store.DB) world {
	b.Helper()
	ctx := context.Background()
	real := db.Now()
	today := domain.DateOf(real)
	defer db.SetClock(func() time.Time { return real })
	w := world{today: today}
	q := db.Reader()

	// Learners ever on a cohort, grouped by their cohort.
	page, err := db.Applications(ctx, policy.Scope{Kind: policy.National}, store.AppFilter{Learners: true, PageSize: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	learners := map[int64][]store.Application{}
	for _, a := range page.Applications {
		if a.CohortID != 0 {
			learners[a.CohortID] = append(learners[a.CohortID], a)
		}
	}
	byCohort := map[int64][]domain.Date{}
	supplierOf := map[int64]int64{}
	type sess struct {
		cohort, supplier int64
		on               domain.Date
	}
	ss, err := store.Collect(ctx, q, "sessions", func(sc store.Scanner, r *sess) error { return sc.Scan(&r.cohort, &r.supplier, &r.on) },
		`SELECT st.cohort_id, ch.supplier_org_id, st.held_on FROM sessions_taught st JOIN cohorts ch ON ch.id = st.cohort_id ORDER BY st.cohort_id, st.held_on, st.id`)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range ss {
		byCohort[r.cohort] = append(byCohort[r.cohort], r.on)
		supplierOf[r.cohort] = r.supplier
	}

	// Declarations: each milestone on the first date the cohort's sessions
	// could support it, decided by domain.Declare on the facts the store
	// loads for it (LoadDeclarationFacts, FundedElsewhere), and written in
	// the rows payments.Declare writes.
	start := time.Now()
	made, refused := 0, 0
	var decRows [][]any
	for cohort, apps := range learners {
		dates := byCohort[cohort]
		n := len(dates)
		if n == 0 {
			continue
		}
		supplier := supplierOf[cohort]
		elsewhere, err := payments.FundedElsewhere(ctx, q, supplier, apps)
		if err != nil {
			b.Fatal(err)
		}
		for m, on := range map[domain.Milestone]domain.Date{
			domain.MilestoneStarted:   dates[0].AddDays(2),
			domain.MilestoneRetained:  dates[(n+1)/2-1].AddDays(2),
			domain.MilestoneCompleted: dates[n-1].AddDays(21),
		} {
			if on.After(today) {
				on = today
			}
			facts, err := payments.LoadDeclarationFacts(ctx, q, supplier, apps, on)
			if err != nil {
				b.Fatal(err)
			}
			for _, a := range apps {
				f := facts[a.ID]
				f.FundedElsewhere = elsewhere[a.ID][m]
				d, err := domain.Declare(supplier, m, on, f, today)
				if _, ok := domain.IsRefusal(err); ok {
					refused++
					continue
				} else if err != nil {
					b.Fatal(err)
				}
				made++
				decRows = append(decRows, []any{d.ApplicationID, d.PractitionerID, d.SupplierOrgID, d.ContractID, d.ProgrammeID, string(d.Milestone),
					d.DeclaredOn, string(d.State), int64(d.Amount), d.Evidence, bench.Label, real, real})
			}
		}
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		return insertRows(ctx, tx, `INSERT INTO declarations (application_id, practitioner_id, supplier_org_id, contract_id, programme_id, milestone,
			declared_on, state, amount_pence, evidence, created_by, created_at, updated_at)`, 13, decRows)
	}); err != nil {
		b.Fatal(err)
	}
	b.Logf("declarations: %d made, %d refused by the records, of %d learners, in %v", made, refused, len(page.Applications), time.Since(start).Round(time.Second))

	// A year of statements, each month's run at the month's end (and the
	// seventh of the next, when the month before it closes).
	start = time.Now()
	year := domain.MonthOf(today.AddMonths(-12))
	var lines int
	// The last month's run is the one timed.
	for m := year; m.Before(domain.MonthOf(today.AddMonths(-1))); m = m.Next() {
		at := m.Next().First().AddDays(7)
		if at.After(today) {
			at = today
		}
		setClock(db, at)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			run, err := payments.GenerateStatements(ctx, tx, bench, m)
			lines += run.Lines
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	db.SetClock(func() time.Time { return real })
	// Paid up to four months ago; authorised three months ago; the
	// statement of two months ago still open, closed by the timed run.
	sts, err := payments.Statements(ctx, q, policy.Scope{Kind: policy.National}, payments.StatementFilter{State: domain.StatementPayable})
	if err != nil {
		b.Fatal(err)
	}
	paid := 0
	inBatches(b, db, sts, 50, func(tx *store.Tx, s domain.Statement) error {
		if _, err := payments.AuthoriseStatement(ctx, tx, bench, s.ID); err != nil {
			return err
		}
		if !s.Month.Before(domain.MonthOf(today.AddMonths(-3))) {
			return nil
		}
		paid++
		_, err := payments.PayStatement(ctx, tx, bench, s.ID, fmt.Sprintf("BACS-%d", s.ID), s.Deadline.AddDays(14))
		return err
	})
	// Some paid declarations found wrong (clawbacks on the next
	// statement), some eligible ones voided before any statement.
	var voids []domain.Declaration
	for _, st := range []domain.DeclarationState{domain.DeclarationPaid, domain.DeclarationEligible} {
		page, err := payments.Declarations(ctx, q, policy.Scope{Kind: policy.National}, payments.DeclarationFilter{State: st, PageSize: 150})
		if err != nil {
			b.Fatal(err)
		}
		voids = append(voids, page.Declarations...)
	}
	inBatches(b, db, voids, 100, func(tx *store.Tx, d domain.Declaration) error {
		_, err := payments.VoidDeclaration(ctx, tx, bench, policy.Scope{Kind: policy.Org, OrgID: d.SupplierOrgID}, d.ID, "Register corrected")
		return err
	})
	b.Logf("statements: %d lines over 11 months, %d statements paid, %d declarations voided, in %v", lines, paid, len(voids), time.Since(start).Round(time.Second))

	// Claims of cover at three points of the year, each within the claim
	// window of the one before: every learner's sessions not yet claimed,
	// decided by domain.MakeClaim on the facts the store loads for a claim
	// (the register, the setting's region, the programme's rates) and
	// written in the rows payments.SubmitClaim writes; the settings accept
	// the grant conditions first.
	start = time.Now()
	prog, err := store.ProgrammeIn(ctx, q, page.Applications[0].ProgrammeID)
	if err != nil {
		b.Fatal(err)
	}
	type region struct{ urn, code string }
	regions := map[string]string{}
	rs, err := store.Collect(ctx, q, "regions", func(sc store.Scanner, r *region) error { return sc.Scan(&r.urn, &r.code) },
		`SELECT s.urn, COALESCE(la.region_code, '') FROM settings s LEFT JOIN local_authorities la ON la.code = s.la_code`)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rs {
		regions[r.urn] = r.code
	}
	type mark struct {
		app int64
		s   domain.SessionAttended
	}
	ms, err := store.Collect(ctx, q, "register", func(sc store.Scanner, r *mark) error {
		return sc.Scan(&r.app, &r.s.SessionID, &r.s.Date, &r.s.Minutes, &r.s.Mark)
	}, `SELECT at.application_id, st.id, st.held_on, st.minutes, at.mark FROM attendance at JOIN sessions_taught st ON st.id = at.session_id
		ORDER BY at.application_id, st.held_on, st.id`)
	if err != nil {
		b.Fatal(err)
	}
	register := map[int64][]domain.SessionAttended{}
	for _, r := range ms {
		register[r.app] = append(register[r.app], r.s)
	}
	apps := map[int64]store.Application{}
	for _, a := range page.Applications {
		apps[a.ID] = a
	}
	var nextID int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM backfill_claims`).Scan(&nextID); err != nil {
		b.Fatal(err)
	}
	claims, claimRefused := 0, 0
	paidMinutes := map[int64]int{}
	accepted := map[string]bool{}
	points := []domain.Date{today.AddDays(-240), today.AddDays(-120), today}
	for i, at := range points {
		setClock(db, at)
		var claimRows, lineRows, condRows [][]any
		for _, id := range slices.Sorted(maps.Keys(register)) {
			a, ok := apps[id]
			if !ok || a.CohortID == 0 {
				continue
			}
			f := domain.ClaimFacts{App: a, Region: regions[a.SettingURN], Rules: prog.Rules.Backfill, Conditions: true, Sessions: register[id],
				PaidMinutes: paidMinutes[id], SupplierOrgID: supplierOf[a.CohortID]}
			var ids []int64
			for _, s := range domain.Claimable(f.Sessions, f.Rules, at) {
				ids = append(ids, s.SessionID)
			}
			if len(ids) == 0 {
				continue
			}
			c, err := domain.MakeClaim(a.SettingURN, ids, f, at)
			if _, ok := domain.IsRefusal(err); ok {
				claimRefused++
				continue
			} else if err != nil {
				b.Fatal(err)
			}
			if !accepted[a.SettingURN] {
				accepted[a.SettingURN] = true
				condRows = append(condRows, []any{a.SettingURN, a.ProgrammeID, "manager", db.Now()})
			}
			nextID++
			claims++
			claimRows = append(claimRows, []any{nextID, c.SettingURN, c.ApplicationID, c.ProgrammeID, c.SupplierOrgID, string(c.State), int64(c.Rate), c.Minutes,
				int64(c.Amount), c.SubmittedOn, "manager", db.Now(), db.Now()})
			claimed := map[int64]bool{}
			for _, l := range c.Lines {
				lineRows = append(lineRows, []any{nextID, c.ApplicationID, l.SessionID, l.Minutes})
				claimed[l.SessionID] = true
			}
			for j := range register[id] {
				if claimed[register[id][j].SessionID] {
					register[id][j].Claimed = true
				}
			}
			paidMinutes[id] += c.Minutes
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := insertRows(ctx, tx, `INSERT INTO backfill_conditions (setting_urn, programme_id, accepted_by, accepted_at)`, 4, condRows); err != nil {
				return err
			}
			if err := insertRows(ctx, tx, `INSERT INTO backfill_claims (id, setting_urn, application_id, programme_id, supplier_org_id, state, rate_pence, minutes,
				amount_pence, submitted_on, created_by, created_at, updated_at)`, 13, claimRows); err != nil {
				return err
			}
			if err := insertRows(ctx, tx, `INSERT INTO backfill_claim_lines (claim_id, application_id, session_id, minutes)`, 4, lineRows); err != nil {
				return err
			}
			if err := tx.SyncIDs(ctx, "backfill_claims"); err != nil {
				return err
			}
			// The supplier's sample and the programme team's approval.
			_, err := tx.Exec(ctx, `UPDATE backfill_claims SET state = $1, reason = '', updated_at = $2 WHERE state = $3`,
				string(domain.ClaimApproved), tx.Now(), string(domain.ClaimSubmitted))
			return err
		}); err != nil {
			b.Fatal(err)
		}
		if i == len(points)-1 {
			break // left approved, for the batch benchmark
		}
		var batch domain.Batch
		err = db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			batch, err = payments.CreateBatch(ctx, tx, bench)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		page, err := payments.Claims(ctx, q, policy.Scope{Kind: policy.National}, payments.ClaimFilter{BatchID: batch.ID, PageSize: 1 << 30})
		if err != nil {
			b.Fatal(err)
		}
		var resp []domain.BatchResponse
		for j, c := range page.Claims {
			resp = append(resp, domain.BatchResponse{Row: j + 2, ClaimID: c.ID, Amount: c.Amount, Outcome: domain.OutcomePaid, Reference: fmt.Sprintf("FIN-%d", c.ID)})
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := payments.ReconcileBatch(ctx, tx, bench, batch.ID, resp)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	db.SetClock(func() time.Time { return real })
	var settings int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT setting_urn) FROM backfill_claims`).Scan(&settings); err != nil {
		b.Fatal(err)
	}
	b.Logf("claims: %d made by %d settings, %d refused, in %v", claims, settings, claimRefused, time.Since(start).Round(time.Second))

	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	// The supplier with the most learners, and its longest statement.
	err = q.QueryRowContext(ctx, `SELECT st.supplier_org_id, st.id, COUNT(*) FROM statements st JOIN statement_lines l ON l.statement_id = st.id
		GROUP BY st.supplier_org_id, st.id ORDER BY COUNT(*) DESC, st.id LIMIT 1`).Scan(&w.supplier, &w.statement, &w.lines)
	if err != nil {
		b.Fatal(err)
	}
	return w
}

func benchMoney(b *testing.B, db *store.DB, w world) {
	ctx := context.Background()
	explainFunded(b, db)
	m := domain.MonthOf(w.today.AddMonths(-1)) // last month's run, on the seventh

	// (a) Statement generation for every supplier.
	b.Run("statements", func(b *testing.B) {
		var run payments.StatementRun
		for b.Loop() {
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				run, err = payments.GenerateStatements(ctx, tx, bench, m)
				if err != nil {
					return err
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(run.Lines), "lines")
		b.ReportMetric(float64(run.Statements), "statements")
	})
	b.Run("statements-bare", func(b *testing.B) {
		var n int64
		for b.Loop() {
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				n, err = bareStatements(ctx, tx, db.Dialect, m, w.today)
				if err != nil {
					return err
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "lines")
	})

	// (b) A payment batch of every approved claim, and its file.
	b.Run("batch", func(b *testing.B) {
		var batch domain.Batch
		for b.Loop() {
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				if batch, err = payments.CreateBatch(ctx, tx, bench); err != nil {
					return err
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(batch.Claims), "claims")
	})
	b.Run("batch-bare", func(b *testing.B) {
		var n int64
		for b.Loop() {
			err := db.InTx(ctx, func(tx *store.Tx) error {
				id, err := tx.InsertID(ctx, `INSERT INTO payment_batches (state, created_by, created_at) VALUES ($1, $2, $3)`, string(domain.BatchSent), bench.Label, tx.Now())
				if err != nil {
					return err
				}
				res, err := tx.Exec(ctx, `UPDATE backfill_claims SET state = $2, batch_id = $1, updated_at = $3 WHERE state = $4`,
					id, string(domain.ClaimBatched), tx.Now(), string(domain.ClaimApproved))
				if err != nil {
					return err
				}
				n, _ = res.RowsAffected()
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "claims")
	})
	var batch domain.Batch
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		batch, err = payments.CreateBatch(ctx, tx, bench)
		return err
	}); err != nil {
		b.Fatal(err)
	}

	srv, err := web.New(web.Config{DB: db, Hasher: auth.NewHasher(auth.DefaultParams, 2)})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	var programmeUser, supplierUser int64
	if err := db.Reader().QueryRowContext(ctx, `SELECT id FROM users WHERE role = 'programme_team' ORDER BY id LIMIT 1`).Scan(&programmeUser); err != nil {
		b.Fatal(err)
	}
	if err := db.Reader().QueryRowContext(ctx, `SELECT id FROM users WHERE role = 'supplier_admin' AND org_id = $1 ORDER BY id LIMIT 1`, w.supplier).Scan(&supplierUser); err != nil {
		b.Fatal(err)
	}
	programme, supplier := signIn(b, db, programmeUser), signIn(b, db, supplierUser)

	b.Run("batch-file", func(b *testing.B) {
		var size int
		for b.Loop() {
			size = len(getPage(b, client, ts.URL+fmt.Sprintf("/batches/%d/file", batch.ID), programme))
		}
		b.ReportMetric(float64(batch.Claims), "claims")
		b.ReportMetric(float64(size), "bytes")
	})
	b.Run("batch-file-bare", func(b *testing.B) {
		var size int
		for b.Loop() {
			size = bareBatchFile(b, db, batch.ID)
		}
		b.ReportMetric(float64(size), "bytes")
	})

	// (c) The supplier's statement page, 50 clients at once.
	const clients, each = 50, 10
	path := fmt.Sprintf("%s/statements/%d", ts.URL, w.statement)
	b.Run("statement-page-50", func(b *testing.B) {
		var lat []time.Duration
		for b.Loop() {
			lat = concurrently(clients, each, func() { getPage(b, client, path, supplier) })
		}
		reportLatency(b, lat)
		b.ReportMetric(float64(w.lines), "lines")
	})
	b.Run("statement-page-50-bare", func(b *testing.B) {
		var lat []time.Duration
		for b.Loop() {
			lat = concurrently(clients, each, func() { bareStatement(b, db, w.supplier, w.statement) })
		}
		reportLatency(b, lat)
	})
}

// explainFunded logs the plans of the check that the same person is not
// funded through another supplier: as one query with ORs (before), and as
// the store asks it now (payments.FundedElsewhere's three lookups).
func explainFunded(b *testing.B, db *store.DB) {
	ctx := context.Background()
	var person, supplier int64
	var number string
	if err := db.Reader().QueryRowContext(ctx, `SELECT d.practitioner_id, d.supplier_org_id, ap.learner_number FROM declarations d JOIN applications ap ON ap.id = d.application_id
		WHERE ap.learner_number <> '' ORDER BY d.id LIMIT 1`).Scan(&person, &supplier, &number); err != nil {
		b.Fatal(err)
	}
	live := `d2.state IN ('eligible', 'payable', 'paid')`
	for name, q := range map[string]string{
		"before (ORs)": `SELECT COUNT(*) FROM declarations d2 JOIN practitioners p2 ON p2.id = d2.practitioner_id
			JOIN applications a2 ON a2.id = d2.application_id, practitioners me
			WHERE me.id = $1 AND d2.milestone = 'started' AND d2.supplier_org_id <> $2 AND ` + live + `
			AND (d2.practitioner_id = me.id OR (me.email <> '' AND p2.email = me.email AND p2.date_of_birth = me.date_of_birth)
				OR ($3 <> '' AND a2.learner_number = $3))`,
		"now (three lookups), learner number lookup": `SELECT a2.learner_number, d2.milestone FROM applications a2 CROSS JOIN declarations d2
			WHERE d2.application_id = a2.id AND a2.learner_number IN ($1) AND a2.learner_number <> '' AND d2.supplier_org_id <> $2 AND ` + live,
	} {
		args := []any{person, supplier, number}
		if !strings.HasPrefix(name, "before") {
			args = []any{number, supplier}
		}
		explain := "EXPLAIN QUERY PLAN "
		if db.Dialect == store.Postgres {
			explain = "EXPLAIN "
		}
		rows, err := db.Reader().QueryContext(ctx, explain+q, args...)
		if err != nil {
			b.Fatal(err)
		}
		cols, _ := rows.Columns()
		var plan []string
		for rows.Next() {
			dest := make([]any, len(cols))
			var text string
			for i := range dest {
				dest[i] = new(any)
			}
			dest[len(cols)-1] = &text
			if err := rows.Scan(dest...); err != nil {
				b.Fatal(err)
			}
			plan = append(plan, text)
		}
		rows.Close()
		b.Logf("funded elsewhere, %s:\n\t%s", name, strings.Join(plan, "\n\t"))
	}
}

// bareStatements is the fastest SQL of the same run: the month's
// statements and lines in two INSERT … SELECTs, and the statements past
// their deadline closed with their declarations. It skips the rule that a
// closed month's lines go to the next (the month run is the current one).
func bareStatements(ctx context.Context, tx *store.Tx, dialect store.Dialect, m domain.Month, today domain.Date) (int64, error) {
	now := tx.Now()
	paidLine := `EXISTS (SELECT 1 FROM statement_lines l WHERE l.declaration_id = d.id AND l.kind = 'payment')`
	cand := `((d.state = 'eligible' AND d.declared_on <= $2 AND NOT ` + paidLine + `)
		OR (d.state = 'voided' AND ` + paidLine + ` AND NOT EXISTS (SELECT 1 FROM statement_lines l WHERE l.declaration_id = d.id AND l.kind = 'reversal'))
		OR (d.state = 'awaiting_clawback' AND NOT EXISTS (SELECT 1 FROM statement_lines l WHERE l.declaration_id = d.id AND l.kind = 'clawback')))`
	// The suppliers with lines this month and no statement yet get one.
	type pair struct{ supplier, programme int64 }
	pairs, err := store.Collect(ctx, tx.Reader(), "bare pairs", func(sc store.Scanner, p *pair) error { return sc.Scan(&p.supplier, &p.programme) },
		`SELECT DISTINCT d.supplier_org_id, d.programme_id FROM declarations d
		WHERE d.state IN ('eligible', 'voided', 'awaiting_clawback') AND `+cand+`
		AND NOT EXISTS (SELECT 1 FROM statements s WHERE s.supplier_org_id = d.supplier_org_id AND s.programme_id = d.programme_id AND s.month = $1)`,
		m.String(), m.Last())
	if err != nil {
		return 0, fmt.Errorf("bare statements: %w", err)
	}
	if len(pairs) > 0 {
		var a store.Args
		values := make([]string, len(pairs))
		for i, p := range pairs {
			values[i] = "(" + a.Add(p.supplier) + ", " + a.Add(p.programme) + ", " + a.Add(m.String()) + ", " + a.Add(domain.StatementDeadline(m)) + ", 'open', " + a.Add(now) + ", " + a.Add(now) + ")"
		}
		if _, err := tx.Exec(ctx, `INSERT INTO statements (supplier_org_id, programme_id, month, deadline, state, created_at, updated_at) VALUES `+strings.Join(values, ", "), a...); err != nil {
			return 0, fmt.Errorf("bare statements: %w", err)
		}
	}
	created := "$3"
	if dialect == store.Postgres {
		created = "CAST($3 AS timestamptz)"
	}
	res, err := tx.Exec(ctx, `INSERT INTO statement_lines (statement_id, declaration_id, kind, amount_pence, created_at)
		SELECT s.id, d.id, CASE d.state WHEN 'eligible' THEN 'payment' WHEN 'voided' THEN 'reversal' ELSE 'clawback' END,
			CASE d.state WHEN 'eligible' THEN d.amount_pence ELSE -d.amount_pence END, `+created+`
		FROM declarations d JOIN statements s ON s.supplier_org_id = d.supplier_org_id AND s.programme_id = d.programme_id AND s.month = $1
		WHERE d.state IN ('eligible', 'voided', 'awaiting_clawback') AND `+cand, m.String(), m.Last(), now)
	if err != nil {
		return 0, fmt.Errorf("bare lines: %w", err)
	}
	n, _ := res.RowsAffected()
	var closing []int64
	rows, err := tx.Reader().QueryContext(ctx, `SELECT id FROM statements WHERE state = 'open' AND deadline < $1`, today)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		closing = append(closing, id)
	}
	rows.Close()
	for _, id := range closing {
		if _, err := tx.Exec(ctx, `UPDATE statements SET state = 'payable', updated_at = $2 WHERE id = $1`, id, now); err != nil {
			return 0, err
		}
		if _, err := tx.Exec(ctx, `UPDATE declarations SET state = 'payable', updated_at = $2 WHERE state = 'eligible'
			AND id IN (SELECT declaration_id FROM statement_lines WHERE statement_id = $1 AND kind = 'payment')`, id, now); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// bareBatchFile is the batch's rows in one SELECT, written as CSV.
func bareBatchFile(b *testing.B, db *store.DB, id int64) int {
	rows, err := db.Reader().QueryContext(context.Background(), `SELECT bc.id, bc.amount_pence, bc.setting_urn, s.name, p.given_name || ' ' || p.family_name,
		bc.minutes, bc.rate_pence FROM backfill_claims bc JOIN applications ap ON ap.id = bc.application_id JOIN practitioners p ON p.id = ap.practitioner_id
		JOIN settings s ON s.urn = bc.setting_urn WHERE bc.batch_id = $1 ORDER BY bc.id`, id)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var sb sizeWriter
	cw := csv.NewWriter(&sb)
	cw.Write([]string{"claim_id", "amount", "outcome", "payment_reference", "reason", "setting_urn", "setting_name", "learner", "hours", "rate_per_hour"})
	for rows.Next() {
		var cid, amount, minutes, rate int64
		var urn, setting, name string
		if err := rows.Scan(&cid, &amount, &urn, &setting, &name, &minutes, &rate); err != nil {
			b.Fatal(err)
		}
		cw.Write([]string{strconv.FormatInt(cid, 10), domain.Money(amount).String(), "", "", "", urn, setting, name,
			strconv.FormatFloat(float64(minutes)/60, 'f', -1, 64), domain.Money(rate).String()})
	}
	cw.Flush()
	return sb.n
}

type sizeWriter struct{ n int }

func (w *sizeWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// bareStatement is the statement page's answer in two SELECTs: the
// statement in the supplier's scope with its total, and its lines.
func bareStatement(b *testing.B, db *store.DB, supplier, id int64) {
	ctx := context.Background()
	q := db.Reader()
	var month, state, org string
	var total int64
	if err := q.QueryRowContext(ctx, `SELECT st.month, st.state, o.name, (SELECT COALESCE(SUM(amount_pence), 0) FROM statement_lines WHERE statement_id = st.id)
		FROM statements st JOIN organisations o ON o.id = st.supplier_org_id WHERE st.id = $1 AND st.supplier_org_id = $2`, id, supplier).Scan(&month, &state, &org, &total); err != nil {
		b.Error(err)
		return
	}
	rows, err := q.QueryContext(ctx, `SELECT l.id, l.kind, l.amount_pence, d.milestone, d.declared_on, p.given_name || ' ' || p.family_name, ap.uln
		FROM statement_lines l JOIN declarations d ON d.id = l.declaration_id JOIN practitioners p ON p.id = d.practitioner_id
		JOIN applications ap ON ap.id = d.application_id WHERE l.statement_id = $1 ORDER BY l.id`, id)
	if err != nil {
		b.Error(err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var lid, amount int64
		var kind, milestone, name, uln string
		var on domain.Date
		if err := rows.Scan(&lid, &kind, &amount, &milestone, &on, &name, &uln); err != nil {
			b.Error(err)
			return
		}
	}
	if err := rows.Err(); err != nil {
		b.Error(err)
		return
	}
}

func signIn(b *testing.B, db *store.DB, userID int64) string {
	cookie, hash, err := auth.NewToken("")
	if err != nil {
		b.Fatal(err)
	}
	if err := db.InTx(context.Background(), func(tx *store.Tx) error {
		return tx.CreateSession(context.Background(), hash, userID, store.SessionLimits{Idle: 6 * time.Hour, Max: 12 * time.Hour})
	}); err != nil {
		b.Fatal(err)
	}
	return cookie
}

func getPage(b *testing.B, client *http.Client, url, cookie string) []byte {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		b.Error(err)
		return nil
	}
	req.AddCookie(&http.Cookie{Name: "senco_session", Value: cookie})
	res, err := client.Do(req)
	if err != nil {
		b.Error(err)
		return nil
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		b.Errorf("GET %s: %d %v", url, res.StatusCode, err)
	}
	return body
}

// concurrently runs fn each times from each of n clients at once and
// returns every call's time.
func concurrently(n, each int, fn func()) []time.Duration {
	var mu sync.Mutex
	var wg sync.WaitGroup
	var out []time.Duration
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				t := time.Now()
				fn()
				d := time.Since(t)
				mu.Lock()
				out = append(out, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	at := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e6 }
	b.ReportMetric(at(0.5), "median-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(len(lat)), "requests")
}

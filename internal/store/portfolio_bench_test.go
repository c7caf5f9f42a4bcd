package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/portfolio"
	"senco/internal/store/storetest"
)

// The portfolio's two hot reads, each beside the same SQL run bare on the
// read pool: a learner's portfolio with 200 pieces of evidence against a
// qualification of 60 criteria (portfolio.Load and the evidence matrix),
// and an assessor's queue of work to mark (portfolio.Queue, a page of 50),
// with 10,000 more pieces of work waiting from learners who are not
// theirs:
//
//	go test ./internal/store/ -run '^$' -bench 'Portfolio|Queue' -benchtime 200x
//	SENCO_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	    go test ./internal/store/ -run '^$' -bench 'Portfolio|Queue' -benchtime 200x
//
// See docs/performance.md.

const (
	benchEvidence  = 200
	benchCriteria  = 60
	benchNoiseWork = 10000
)

// benchQual is a qualification version of 60 criteria (six units of ten)
// in three assignments of twenty, all mandatory.
func benchQual() domain.Qualification {
	q := domain.Qualification{Code: "BENCH-L3", Version: 1, Title: "Bench SENCO", Level: 3, AwardingOrganisation: "Awarding Body", GuidedLearningHours: 60}
	var all []domain.CriterionRef
	for u := range 6 {
		unit := domain.Unit{Ref: fmt.Sprint(401 + u), Title: fmt.Sprint("Unit ", u+1), GuidedLearningHours: 10}
		out := domain.LearningOutcome{Ref: "1", Text: "Outcome"}
		for c := range 10 {
			out.Criteria = append(out.Criteria, domain.Criterion{Ref: fmt.Sprintf("1.%d", c+1), Text: fmt.Sprintf("Criterion %d of unit %s", c+1, unit.Ref)})
			all = append(all, domain.CriterionOf(unit.Ref, fmt.Sprintf("1.%d", c+1)))
		}
		unit.Outcomes = []domain.LearningOutcome{out}
		q.Units = append(q.Units, unit)
	}
	for a := range 3 {
		q.Plan.Assignments = append(q.Plan.Assignments, domain.PlannedAssignment{Ref: fmt.Sprint("A", a+1), Title: fmt.Sprint("Assignment ", a+1),
			DueWeek: 4 * (a + 1), Criteria: all[20*a : 20*(a+1)]})
	}
	q.Plan.Mandatory = all
	return q
}

type benchWorld struct {
	*portfolioWorld
	big int64 // the learner with the large portfolio
}

// newBenchWorld is the portfolio world with the large portfolio (200
// pieces of evidence, 3 criteria each; 120 submitted, 100 of them marked
// with 3 decisions each) and 10,000 pieces of work waiting from a learner on
// no cohort of the assessor's.
func newBenchWorld(b *testing.B, db *store.DB) *benchWorld {
	b.Helper()
	ctx := context.Background()
	w := &benchWorld{portfolioWorld: newPortfolioWorld(b, db)}
	w.big = w.apps[0].ID
	noise := w.apps[1].ID
	q := benchQual()
	crit := q.Criteria()
	if len(crit) != benchCriteria {
		b.Fatalf("%d criteria", len(crit))
	}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		qid, err := tx.SaveQualification(ctx, q)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE applications SET qualification_id = $1 WHERE id = $2`, qid, w.big); err != nil {
			return err
		}
		// The other learner leaves the assessor's cohort: their work is
		// what the queue's scope must pass over.
		if _, err := tx.Exec(ctx, `UPDATE applications SET cohort_id = NULL WHERE id = $1`, noise); err != nil {
			return err
		}
		now := tx.Now()
		day := domain.NewDate(2026, 3, 2)
		text := strings.Repeat("A reflective account of practice. ", 8)
		for i := range benchEvidence {
			ev, err := tx.InsertID(ctx, `INSERT INTO portfolio_evidence (application_id, kind, title, body, added_on, created_at, updated_at)
				VALUES ($1, 'reflective', $2, $3, $4, $5, $5)`, w.big, fmt.Sprint("Evidence ", i+1), text, day.AddDays(i%40), now)
			if err != nil {
				return err
			}
			var mine []domain.CriterionRef
			for k := range 3 {
				c := crit[(i*3+k)%benchCriteria]
				mine = append(mine, c)
				if _, err := tx.Exec(ctx, `INSERT INTO portfolio_evidence_criteria (evidence_id, criterion) VALUES ($1, $2)`, ev, string(c)); err != nil {
					return err
				}
			}
			if i >= 120 {
				continue
			}
			on := day.AddDays(i % 40)
			sub, err := tx.InsertID(ctx, `INSERT INTO portfolio_submissions (application_id, assignment_ref, version, evidence_id, submitted_on, created_at, updated_at)
				VALUES ($1, '', 1, $2, $3, $4, $4)`, w.big, ev, on, now)
			if err != nil {
				return err
			}
			if i >= 100 {
				continue // waiting to be marked
			}
			if _, err := tx.Exec(ctx, `UPDATE portfolio_submissions SET marked_on = $2, marked_by = $3 WHERE id = $1`, sub, on.AddDays(3), w.assessor.ID); err != nil {
				return err
			}
			for k, c := range mine {
				outcome, feedback := "met", ""
				if k == 2 && i%4 == 0 {
					outcome, feedback = "not_yet", "Say more about the graduated approach"
				}
				if _, err := tx.Exec(ctx, `INSERT INTO criterion_decisions (application_id, criterion, submission_id, evidence_id, assessor_user_id, outcome,
					feedback, decided_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
					w.big, string(c), sub, ev, w.assessor.ID, outcome, feedback, on.AddDays(3), now); err != nil {
					return err
				}
			}
		}
		for i := range benchNoiseWork {
			ev, err := tx.InsertID(ctx, `INSERT INTO portfolio_evidence (application_id, kind, title, body, added_on, created_at, updated_at)
				VALUES ($1, 'reflective', $2, 'x', $3, $4, $4)`, noise, fmt.Sprint("Noise ", i), day, now)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO portfolio_submissions (application_id, assignment_ref, version, evidence_id, submitted_on, created_at, updated_at)
				VALUES ($1, '', 1, $2, $3, $4, $4)`, noise, ev, day.AddDays(i%30), now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// Fresh statistics, as a database in use has.
	if err := db.InTx(ctx, func(tx *store.Tx) error { _, err := tx.Exec(ctx, "ANALYZE"); return err }); err != nil {
		b.Logf("analyze: %v", err)
	}
	return w
}

// The statements portfolio.Load runs for one learner, as written there
// (the scope's check, the application, its qualification, the cohort's
// start, evidence and its criteria, submissions, decisions, observations
// and their criteria, progress reviews, sampled decisions); each takes the
// learner's application id but the qualification's, which takes its id.
func bareLoad(qid, assessor int64) []struct {
	q   string
	arg any
} {
	app := func(q string) struct {
		q   string
		arg any
	} {
		return struct {
			q   string
			arg any
		}{q, nil}
	}
	list := []struct {
		q   string
		arg any
	}{
		app(fmt.Sprintf(`SELECT ap.id FROM applications ap LEFT JOIN cohorts ch ON ch.id = ap.cohort_id WHERE EXISTS (SELECT 1 FROM cohort_staff cs
			WHERE cs.cohort_id = ap.cohort_id AND cs.role = 'assessor' AND cs.user_id = %d) AND ap.id = $1`, assessor)),
		app(`SELECT ` + store.AppColumns + store.AppFrom + ` WHERE ap.id = $1`),
		{`SELECT * FROM qualifications WHERE id = $1`, qid},
		app(`SELECT ch.starts_on FROM applications ap JOIN cohorts ch ON ch.id = ap.cohort_id WHERE ap.id = $1`),
		app(`SELECT e.id, e.application_id, e.kind, e.title, e.body, e.file_key, e.file_name, e.file_type, e.file_size, e.added_on,
	COALESCE(e.added_by, 0), e.external_id, e.created_at, e.updated_at FROM portfolio_evidence e WHERE e.application_id = $1 ORDER BY e.added_on, e.id`),
		app(`SELECT ec.evidence_id, ec.criterion FROM portfolio_evidence_criteria ec JOIN portfolio_evidence e ON e.id = ec.evidence_id WHERE e.application_id = $1`),
		app(`SELECT s.id, s.application_id, s.assignment_ref, s.version, s.evidence_id, s.submitted_on, COALESCE(s.submitted_by, 0),
	s.marked_on, COALESCE(s.marked_by, 0), s.feedback, s.created_at, s.updated_at FROM portfolio_submissions s WHERE s.application_id = $1 ORDER BY s.submitted_on, s.id`),
		app(`SELECT d.id, d.application_id, d.criterion, COALESCE(d.submission_id, 0), COALESCE(d.evidence_id, 0), COALESCE(d.observation_id, 0),
	COALESCE(d.assessor_user_id, 0), d.outcome, d.feedback, d.decided_on, d.external_id, d.created_at FROM criterion_decisions d WHERE d.application_id = $1 ORDER BY d.decided_on, d.id`),
		app(`SELECT o.id, o.seen FROM portfolio_observations o WHERE o.application_id = $1 ORDER BY o.observed_on, o.id`),
		app(`SELECT oc.observation_id, oc.criterion FROM portfolio_observation_criteria oc JOIN portfolio_observations o ON o.id = oc.observation_id
		WHERE o.application_id = $1 ORDER BY oc.criterion`),
		app(`SELECT r.id, r.summary FROM progress_reviews r WHERE r.application_id = $1 ORDER BY r.held_on, r.id`),
		app(`SELECT i.id, s.level, i.outcome FROM qa_items i JOIN qa_samples s ON s.id = i.sample_id JOIN applications ap ON ap.id = i.application_id
	JOIN practitioners p ON p.id = ap.practitioner_id WHERE i.application_id = $1 ORDER BY i.id`),
	}
	return list
}

// concurrently runs fn from 50 clients at once, b.N times in all, and
// reports the median and 99th percentile of its latency.
func concurrently(b *testing.B, fn func() error) {
	const clients = 50
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	b.ResetTimer()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				start := time.Now()
				if err := fn(); err != nil {
					errs <- err
					return
				}
				lat[i] = time.Since(start)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// drain runs a statement and reads every column of every row as raw
// bytes, returning the number of rows.
func drain(b *testing.B, db *store.DB, q string, args ...any) int {
	rows, err := db.Reader().QueryContext(context.Background(), q, args...)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	for i := range vals {
		vals[i] = new(any)
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

func benchPortfolio(b *testing.B, db *store.DB) {
	ctx := context.Background()
	w := newBenchWorld(b, db)
	p, err := portfolio.Load(ctx, db.Reader(), w.assessorS, w.big)
	if err != nil || len(p.Evidence) != benchEvidence || len(p.Matrix().Rows) != benchCriteria {
		b.Fatalf("portfolio: %d evidence, %v", len(p.Evidence), err)
	}
	bare := bareLoad(p.Qualification.ID, w.assessor.ID)
	b.Run("bare", func(b *testing.B) {
		for b.Loop() {
			for _, q := range bare {
				arg := q.arg
				if arg == nil {
					arg = w.big
				}
				drain(b, db, q.q, arg)
			}
		}
	})
	b.Run("Load", func(b *testing.B) {
		for b.Loop() {
			if _, err := portfolio.Load(ctx, db.Reader(), w.assessorS, w.big); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare50", func(b *testing.B) {
		concurrently(b, func() error {
			for _, q := range bare {
				arg := q.arg
				if arg == nil {
					arg = w.big
				}
				drain(b, db, q.q, arg)
			}
			return nil
		})
	})
	b.Run("Load+Matrix50", func(b *testing.B) {
		concurrently(b, func() error {
			p, err := portfolio.Load(ctx, db.Reader(), w.assessorS, w.big)
			p.Matrix()
			return err
		})
	})
	b.Run("Load+Matrix", func(b *testing.B) {
		for b.Loop() {
			p, err := portfolio.Load(ctx, db.Reader(), w.assessorS, w.big)
			if err != nil {
				b.Fatal(err)
			}
			if m := p.Matrix(); len(m.Rows) != benchCriteria {
				b.Fatal("matrix")
			}
		}
	})
}

// The statements portfolio.Queue runs for an assessor (policy.Staffed), as
// written there: the count, and the first page of 50.
const queueFrom = ` FROM cohort_staff cs CROSS JOIN applications ap CROSS JOIN portfolio_submissions s JOIN portfolio_evidence e ON e.id = s.evidence_id
	LEFT JOIN cohorts ch ON ch.id = ap.cohort_id JOIN practitioners p ON p.id = ap.practitioner_id WHERE cs.role = 'assessor' AND cs.user_id = $1
	AND ap.cohort_id = cs.cohort_id AND s.application_id = ap.id AND s.marked_on IS NULL`

var bareQueue = []string{
	`SELECT COUNT(*)` + queueFrom,
	`SELECT s.id, s.application_id, s.assignment_ref, s.version, s.evidence_id, s.submitted_on, e.title, p.given_name || ' ' || p.family_name,
		COALESCE(ch.name, '')` + queueFrom + ` ORDER BY s.submitted_on, s.id LIMIT 50 OFFSET 0`,
}

// plan is the database's plan of a statement, one line a step.
func plan(b *testing.B, db *store.DB, q string, args ...any) string {
	rows, err := db.Reader().QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...) // SQLite
	if err != nil {
		rows, err = db.Reader().QueryContext(context.Background(), "EXPLAIN "+q, args...) // PostgreSQL
	}
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		if err := rows.Scan(vals...); err != nil {
			return err.Error()
		}
		out = append(out, fmt.Sprint(*(vals[len(vals)-1].(*any))))
	}
	return strings.Join(out, "\n")
}

func benchQueue(b *testing.B, db *store.DB) {
	ctx := context.Background()
	w := newBenchWorld(b, db)
	page, err := portfolio.Queue(ctx, db.Reader(), w.assessorS, 1, 50)
	if err != nil || page.Total != 20 || len(page.Items) != 20 {
		b.Fatalf("queue: %d of %d, %v", len(page.Items), page.Total, err)
	}
	b.Logf("plan of the queue's page:\n%s", plan(b, db, bareQueue[1], w.assessor.ID))
	if n := drain(b, db, bareQueue[1], w.assessor.ID); n != 20 {
		b.Fatalf("bare queue: %d rows", n)
	}
	b.Run("bare", func(b *testing.B) {
		for b.Loop() {
			for _, q := range bareQueue {
				drain(b, db, q, w.assessor.ID)
			}
		}
	})
	b.Run("Queue", func(b *testing.B) {
		for b.Loop() {
			if _, err := portfolio.Queue(ctx, db.Reader(), w.assessorS, 1, 50); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare50", func(b *testing.B) {
		concurrently(b, func() error {
			for _, q := range bareQueue {
				drain(b, db, q, w.assessor.ID)
			}
			return nil
		})
	})
	b.Run("Queue50", func(b *testing.B) {
		concurrently(b, func() error {
			_, err := portfolio.Queue(ctx, db.Reader(), w.assessorS, 1, 50)
			return err
		})
	})
	// The supplier's whole queue (policy.Org), through the API's list.
	org := policy.Scope{Kind: policy.Org, OrgID: w.supplier.ID}
	b.Run("SubmissionList", func(b *testing.B) {
		for b.Loop() {
			if _, err := portfolio.SubmissionList(ctx, db.Reader(), org, portfolio.SyncFilter{Waiting: true, Page: 1, Size: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkPortfolioSQLite(b *testing.B) { benchPortfolio(b, storetest.SQLite(b)) }
func BenchmarkPortfolioPostgres(b *testing.B) {
	benchPortfolio(b, storetest.Postgres(b))
}
func BenchmarkQueueSQLite(b *testing.B)   { benchQueue(b, storetest.SQLite(b)) }
func BenchmarkQueuePostgres(b *testing.B) { benchQueue(b, storetest.Postgres(b)) }

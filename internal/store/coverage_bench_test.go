package store

import (
	"context"
	"os"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
)

// BenchmarkCoverageByLANational times CoverageByLA for England against the
// statement it runs (built here by the same builders, settingFlagsSQL and
// the rest) run bare on the store's read pool, on a database made by
// bench/cmd/gengland:
//
//	SENCO_BENCH_DB=sqlite:/tmp/natbench/england-1x.db go test ./internal/store/ -run '^$' -bench CoverageByLANational -benchtime 5x -v
//
// It skips without SENCO_BENCH_DB. The statement and its arguments are
// logged (-v). See docs/performance.md.
func BenchmarkCoverageByLANational(b *testing.B) {
	dbURL := os.Getenv("SENCO_BENCH_DB")
	if dbURL == "" {
		b.Skip("set SENCO_BENCH_DB to a database made by bench/cmd/gengland")
	}
	ctx := context.Background()
	db, err := Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	national := policy.Scope{Kind: policy.National}
	d := domain.DateOf(db.Now())
	var a args
	flags, _ := settingFlagsSQL(&a, national, d, db.coveragePlan(national))
	q := `SELECT x.la_code, x.grp, COUNT(*), SUM(x.q), SUM(x.t), SUM(x.dg), SUM(CASE WHEN x.q = 0 AND x.t = 0 THEN 1 ELSE 0 END)
		FROM (` + flags + `) x GROUP BY x.la_code, x.grp`
	b.Logf("%s\nargs %v", q, []any(a))
	b.Run("bare", func(b *testing.B) {
		for b.Loop() {
			rows, err := db.read.QueryContext(ctx, q, a...)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var code string
				var grp int
				var c domain.Counts
				if err := rows.Scan(&code, &grp, &c.Eligible, &c.Qualified, &c.InTraining, &c.Designated, &c.Gap); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rows.Close()
			if n == 0 {
				b.Fatal("no rows")
			}
		}
	})
	b.Run("CoverageByLA", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.CoverageByLA(ctx, national, d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

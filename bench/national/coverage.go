package main

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/store"
)

// runCoverage times the England coverage report by LA against its bare
// SQL and, with page, the LA dashboard under load.
func runCoverage(ctx context.Context, c config, page bool) error {
	var extra []string
	if c.barePragmas != "" {
		extra = strings.Split(c.barePragmas, ",")
		fmt.Printf("bare pool with the extra SQLite pragmas %v\n", extra)
	}
	db, bare, err := open(ctx, c.db, extra...)
	if err != nil {
		return err
	}
	defer db.Close()
	defer bare.Close()
	machine(db, c.db, c)
	asAt := domain.DateOf(db.Now())
	national := policy.Scope{Kind: policy.National}

	counts := func(table string) int64 {
		n, err := scalar[int64](ctx, bare, `SELECT COUNT(*) FROM `+table)
		if err != nil {
			return -1
		}
		return n
	}
	fmt.Printf("as at %s: %d settings, %d practitioners, %d employments, %d applications, %d recognised qualifications, %d certificates (view)\n\n",
		asAt, counts("settings"), counts("practitioners"), counts("employments"), counts("applications"), counts("recognised_qualifications"), counts("certificates"))

	// The bare SQL must count as the store does.
	rows, err := db.CoverageByLA(ctx, national, asAt)
	if err != nil {
		return err
	}
	got, err := bareCoverage(ctx, db, bare, national, asAt)
	if err != nil {
		return err
	}
	var england domain.AreaCoverage
	for _, r := range rows {
		england = england.Add(r.AreaCoverage)
		if g, ok := got[r.Code]; ok && g != r.AreaCoverage || !ok && r.AreaCoverage != (domain.AreaCoverage{}) {
			return fmt.Errorf("bare coverage SQL differs from CoverageByLA for %q: %+v vs %+v", r.Code, g, r.AreaCoverage)
		}
		delete(got, r.Code)
	}
	if len(got) > 0 {
		return fmt.Errorf("bare coverage SQL has areas CoverageByLA has not: %v", slices.Collect(maps.Keys(got)))
	}
	all := england.All()
	fmt.Printf("England: %d eligible settings, %d with a qualified SENCO (%.1f%%), %d with someone in training, gap %d; %d rows (authorities and not recorded)\n\n",
		all.Eligible, all.Qualified, 100*all.Coverage(), all.InTraining, all.Gap, len(rows))

	if err := timeReport(ctx, db, bare, asAt, c.reps, c.la); err != nil {
		return err
	}
	if !page {
		return nil
	}
	return laPage(ctx, db, bare, rows, asAt, c)
}

// bareCoverage runs CoverageByLA's statement for England, as the store
// builds it (store.CoverageByLAStatement), on the bare pool and reads its
// rows.
func bareCoverage(ctx context.Context, db *store.DB, bare *sql.DB, national policy.Scope, asAt domain.Date) (map[string]domain.AreaCoverage, error) {
	st, _ := db.CoverageByLAStatement(national, asAt)
	return bareStatement(ctx, bare, st)
}

// bareStatement runs a CoverageByLA statement on the bare pool and reads
// its rows.
func bareStatement(ctx context.Context, bare *sql.DB, st store.Statement) (map[string]domain.AreaCoverage, error) {
	rows, err := bare.QueryContext(ctx, st.SQL, st.Args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]domain.AreaCoverage{}
	for rows.Next() {
		var code string
		var grp int
		var c domain.Counts
		if err := rows.Scan(&code, &grp, &c.Eligible, &c.Qualified, &c.InTraining, &c.Designated, &c.Gap); err != nil {
			return nil, err
		}
		ac := out[code]
		if grp == 1 {
			ac.Group = c
		} else {
			ac.Childminder = c
		}
		out[code] = ac
	}
	return out, rows.Err()
}

// timeReport times, one at a time and in rotating order, the bare SQL,
// the same counts written as one correlated EXISTS per setting (the form
// before the set-based one, so each run carries its own reference),
// store.CoverageByLA and report.BuildCoverage for England; and, with la,
// the two forms over that one authority. Both forms must agree.
func timeReport(ctx context.Context, db *store.DB, bare *sql.DB, asAt domain.Date, reps int, la string) error {
	national := policy.Scope{Kind: policy.National}
	set, _ := db.CoverageByLAStatementForm(national, asAt, true)
	corr, _ := db.CoverageByLAStatementForm(national, asAt, false)
	type kind struct {
		name string
		run  func() error
	}
	bareRun := func(st store.Statement) func() error {
		return func() error { _, err := bareStatement(ctx, bare, st); return err }
	}
	kinds := []kind{
		{"bare SQL (CoverageByLA's statement, all rows read)", func() error { _, err := bareCoverage(ctx, db, bare, national, asAt); return err }},
		{"bare SQL, set-based form", bareRun(set)},
		{"bare SQL, correlated EXISTS form", bareRun(corr)},
		{"store.CoverageByLA", func() error { _, err := db.CoverageByLA(ctx, national, asAt); return err }},
		{"report.BuildCoverage (England, regions, LAs, spread)", func() error { _, err := report.BuildCoverage(ctx, db, national, asAt); return err }},
	}
	pairs := [][2]store.Statement{{set, corr}}
	if la != "" {
		scope := policy.Scope{Kind: policy.LA, LACode: la}
		lset, _ := db.CoverageByLAStatementForm(scope, asAt, true)
		lcorr, _ := db.CoverageByLAStatementForm(scope, asAt, false)
		pairs = append(pairs, [2]store.Statement{lset, lcorr})
		kinds = append(kinds,
			kind{"bare SQL, " + la + ", set-based form", bareRun(lset)},
			kind{"bare SQL, " + la + ", correlated form", bareRun(lcorr)},
			kind{"store.CoverageByLA, " + la, func() error { _, err := db.CoverageByLA(ctx, scope, asAt); return err }})
	}
	for _, p := range pairs {
		a, err := bareStatement(ctx, bare, p[0])
		if err != nil {
			return fmt.Errorf("set-based form: %w", err)
		}
		b, err := bareStatement(ctx, bare, p[1])
		if err != nil {
			return fmt.Errorf("correlated form: %w", err)
		}
		if !maps.Equal(a, b) {
			return fmt.Errorf("the set-based and correlated forms count differently")
		}
	}
	// One unmeasured run of each, to warm the caches alike.
	for _, k := range kinds {
		if err := k.run(); err != nil {
			return fmt.Errorf("%s: %w", k.name, err)
		}
	}
	times := make([][]time.Duration, len(kinds))
	cpu := make([]time.Duration, len(kinds))
	load0 := loadAverage()
	for rep := range reps {
		for j := range kinds {
			i := (j + rep) % len(kinds)
			start, cpu0 := time.Now(), cpuTime()
			if err := kinds[i].run(); err != nil {
				return fmt.Errorf("%s: %w", kinds[i].name, err)
			}
			times[i] = append(times[i], time.Since(start))
			cpu[i] += cpuTime() - cpu0
		}
	}
	fmt.Printf("England coverage report by LA, as at %s: %d runs of each, one at a time, order rotating; load average %s → %s\n", asAt, reps, load0, loadAverage())
	fmt.Println("(CPU is this process's: all the work on SQLite, the client's share on PostgreSQL)")
	fmt.Println()
	fmt.Println("| what | median ms | min ms | max ms | CPU ms a run | median ÷ bare median | min ÷ bare min |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	b := summarise(times[0])
	bmin := slices.Min(times[0])
	for i, k := range kinds {
		s := summarise(times[i])
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s |\n", k.name, ms(s.median), ms(slices.Min(times[i])), ms(s.max), ms(cpu[i]/time.Duration(reps)), ratio(s.median, b.median), ratio(slices.Min(times[i]), bmin))
	}
	fmt.Println()
	return nil
}

// laPage measures /coverage/la/{code} for the authority with the most
// eligible settings, as its LA officer.
func laPage(ctx context.Context, db *store.DB, bare *sql.DB, rows []store.LACoverage, asAt domain.Date, c config) error {
	var big store.LACoverage
	for _, r := range rows {
		if r.Code != "" && r.All().Eligible > big.All().Eligible {
			big = r
		}
	}
	code := big.Code
	if c.la != "" {
		code = c.la
	}
	officerID, err := laOfficer(ctx, db, bare, code)
	if err != nil {
		return err
	}
	cookie, _, err := signIn(ctx, db, officerID)
	if err != nil {
		return err
	}
	scope := policy.Scope{Kind: policy.LA, LACode: code}
	since := asAt.AddMonths(-6)
	// The bare SQL must answer as the store does.
	gap, err := db.CoverageSettings(ctx, scope, asAt, code, true)
	if err != nil {
		return err
	}
	lost, err := db.SettingsLostSENCO(ctx, scope, since, asAt, code)
	if err != nil {
		return err
	}
	bgap, blost, err := bareLAPage(ctx, db, bare, scope, code, since, asAt)
	if err != nil {
		return err
	}
	var want []string
	for _, g := range gap {
		want = append(want, g.URN)
	}
	if !slices.Equal(want, bgap) {
		return fmt.Errorf("bare gap list differs from CoverageSettings: %d vs %d settings", len(bgap), len(want))
	}
	if len(blost) != len(lost) {
		return fmt.Errorf("bare lost-SENCO list differs from SettingsLostSENCO: %d vs %d settings", len(blost), len(lost))
	}
	fmt.Printf("LA dashboard for %s (%s): %d eligible settings, gap list %d settings (first 100 shown), %d lost their qualified SENCO in 6 months\n\n",
		big.Name, code, big.All().Eligible, len(gap), len(lost))

	s, err := startServer(db, c.clients)
	if err != nil {
		return err
	}
	defer s.close()
	path := "/coverage/la/" + code
	body, err := s.get(ctx, "la", path, credential{cookie: cookie})
	if err != nil {
		return err
	}
	if !strings.Contains(string(body), big.Name) {
		return fmt.Errorf("%s does not name %s", path, big.Name)
	}
	p := &pair{name: "la: " + path + " (LA officer)", http: &results{}, bare: &results{},
		request: func(ctx context.Context) error {
			_, err := s.get(ctx, "la", path, credential{cookie: cookie})
			return err
		},
		query: func(ctx context.Context) error {
			_, _, err := bareLAPage(ctx, db, bare, scope, code, since, asAt)
			return err
		}}
	// The page is kept in memory until the coverage version moves, as it
	// does with any change to the data counted. To time the page computed
	// afresh, move it before each request as a change would (untimed).
	writer, err := openWriter(c.db)
	if err != nil {
		return err
	}
	defer writer.Close()
	change := func(ctx context.Context) error {
		_, err := writer.ExecContext(ctx, `UPDATE coverage_version SET version = version + 1 WHERE id = 1`)
		return err
	}

	// 1. Computed afresh, one client at a time: what the first view after
	// a change costs.
	cold := &pair{name: p.name + ", computed afresh after a change, 1 client", http: &results{}, bare: &results{},
		request: func(ctx context.Context) error {
			if err := change(ctx); err != nil {
				return err
			}
			return p.request(ctx)
		}, query: p.query}
	c1 := c
	c1.clients, c1.dur, c1.rounds = 1, c.dur/2, 1
	measureKinds(ctx, s, []*pair{cold}, []string{"la"}, c1)
	printPairs("Issue 4: LA dashboard computed afresh (the data changed before each request), one client at a time", 1, []*pair{cold})

	// 2. c clients, nothing changing: the page is served from memory;
	// its bare SQL at the same concurrency for comparison.
	measureKinds(ctx, s, []*pair{p}, []string{"la"}, c)
	printPairs(fmt.Sprintf("Issue 4: LA dashboard, %d clients, the data unchanged: server time per request (wrapping handler) and its coverage SQL run bare", c.clients), c.clients, []*pair{p})

	// 3. c clients while the data changes every second (a write anywhere
	// in England): every second one request computes the page afresh and
	// the others wait for nothing but their turn.
	live := &results{}
	stop, done := make(chan struct{}), make(chan struct{})
	changes := 0
	go func() {
		defer close(done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if change(ctx) == nil {
					changes++
				}
			}
		}
	}()
	s.record("la", live)
	drive(ctx, live, c.clients, c.dur, c.warm, func(ctx context.Context) (time.Time, time.Duration, error) {
		return time.Time{}, -1, p.request(ctx)
	})
	s.record("la", nil)
	close(stop)
	<-done
	l := live.summary()
	fmt.Printf("Issue 4: LA dashboard, %d clients while the data changes every second (%d changes): %d requests, %.0f req/s, median %s ms, p99 %s ms, max %s ms, %d errors, load %s → %s\n\n",
		c.clients, changes, l.n, l.rps, ms(l.median), ms(l.p99), ms(l.max), live.errors.Load(), live.loadBefore, live.loadAfter)
	return nil
}

// bareLAPage runs the statements that compute the LA dashboard's figures
// and lists, as the store builds them, on the bare pool: CoverageByLA in the
// authority's scope with the list of authorities, CoverageSettings' gap
// list, SettingsLostSENCO for 6 months.
func bareLAPage(ctx context.Context, db *store.DB, bare *sql.DB, scope policy.Scope, code string, since, asAt domain.Date) (gap []string, lost []any, err error) {
	st, _ := db.CoverageByLAStatement(scope, asAt)
	if _, err := drain(bare.QueryContext(ctx, st.SQL, st.Args...)); err != nil {
		return nil, nil, err
	}
	if _, err := drain(bare.QueryContext(ctx, allLASQL)); err != nil {
		return nil, nil, err
	}
	st, _ = db.CoverageSettingsStatement(scope, asAt, code, true)
	urns, err := drain(bare.QueryContext(ctx, st.SQL, st.Args...))
	if err != nil {
		return nil, nil, err
	}
	for _, u := range urns {
		gap = append(gap, fmt.Sprint(u))
	}
	st, _ = db.SettingsLostSENCOStatement(scope, since, asAt, code)
	lost, err = drain(bare.QueryContext(ctx, st.SQL, st.Args...))
	return gap, lost, err
}

// printSQL prints the coverage report's statement and its arguments.
func printSQL(ctx context.Context, c config) error {
	db, bare, err := open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	defer bare.Close()
	asAt := domain.DateOf(db.Now())
	show := func(title string, st store.Statement) {
		fmt.Printf("-- %s\n%s\n\n", title, st.SQL)
		for i, a := range st.Args {
			fmt.Printf("-- $%d = %v\n", i+1, a)
		}
		fmt.Println()
		if c.explain {
			if err := explain(ctx, db, bare, st); err != nil {
				fmt.Printf("-- EXPLAIN failed: %v\n\n", err)
			}
		}
	}
	st, _ := db.CoverageByLAStatement(policy.Scope{Kind: policy.National}, asAt)
	show("store.CoverageByLA for England (national scope)", st)
	if c.la != "" {
		scope := policy.Scope{Kind: policy.LA, LACode: c.la}
		st, _ = db.CoverageByLAStatement(scope, asAt)
		show("LA dashboard: CoverageByLA in the authority's scope", st)
		st, _ = db.CoverageSettingsStatement(scope, asAt, c.la, true)
		show("LA dashboard: CoverageSettings, gap list", st)
		st, _ = db.SettingsLostSENCOStatement(scope, asAt.AddMonths(-6), asAt, c.la)
		show("LA dashboard: SettingsLostSENCO, 6 months", st)
	}
	return nil
}

// explain prints the plan of st through the same driver: SQLite's EXPLAIN
// QUERY PLAN, or PostgreSQL's EXPLAIN (ANALYZE, BUFFERS), which runs it.
func explain(ctx context.Context, db *store.DB, bare *sql.DB, st store.Statement) error {
	q := "EXPLAIN QUERY PLAN " + st.SQL
	if db.Dialect == store.Postgres {
		q = "EXPLAIN (ANALYZE, BUFFERS) " + st.SQL
	}
	rows, err := bare.QueryContext(ctx, q, st.Args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		// SQLite: id, parent, notused, detail; PostgreSQL: one line.
		line := fmt.Sprint(vals[len(vals)-1])
		if db.Dialect == store.SQLite {
			line = fmt.Sprintf("%v %v %s", vals[0], vals[1], line)
		}
		fmt.Println("--   " + line)
	}
	fmt.Println()
	return rows.Err()
}

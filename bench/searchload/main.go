// Command searchload measures settings search over the whole Ofsted
// register: the time the server spends on each request under concurrent
// clients, and the time the same SQL takes run bare on database/sql under
// the same concurrency, so that the cost of everything around the query
// (session lookup, handler, template or JSON, the list of authorities for
// the filter) shows as a ratio.
//
//	go run ./bench/searchload -db sqlite:/tmp/senco-bench.db
//	go run ./bench/searchload -db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=senco_bench'
//
// It imports the full register into the database if it holds no settings,
// signs in a programme-team user (a session row and an API token made
// directly in the store), starts the real handler (web.New with the API
// mounted) on 127.0.0.1, and drives a fixed mix of filtered, paginated
// searches from -c clients for -d. Server time is measured exactly, per
// request, by a handler wrapped around the whole service. Then it runs the
// SQL that store.SearchSettings issues for the same mix (the COUNT and the
// page SELECT, taken from store.SearchSettingsStatements) on its own
// database/sql pool sized like the store's read pool, with the same number
// of clients and duration; and, as the reference, the statements the store
// ran before the trigram index (one LIKE '%…%' on search_text, text kept
// below), the "like" phase. The phases alternate in -rounds slices so that other work on the
// machine weighs on both alike. A request counts when it starts inside a
// measured slice, and the requests in flight when a slice ends are let
// finish, so slow requests are not left out of the percentiles; req/s is
// the requests counted over the measured time. See docs/performance.md.
package main

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"senco/internal/api"
	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/policy"
	"senco/internal/register"
	"senco/internal/store"
	"senco/internal/web"
)

func main() {
	dbURL := flag.String("db", "sqlite:/tmp/senco-bench.db", "database URL: sqlite:PATH or postgres://…")
	file := flag.String("file", "../shared/data/ofsted_childcare_providers_2021-08-31_full.csv.gz", "Ofsted register to import when the database holds no settings")
	clients := flag.Int("c", 50, "concurrent clients")
	dur := flag.Duration("d", 10*time.Second, "measured duration of each phase")
	warm := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before each phase")
	phases := flag.String("phases", "http,sql", "phases to run, of http, sql and like (the statements before the trigram index)")
	rounds := flag.Int("rounds", 4, "alternate the phases this many times, each for d/rounds after its warm-up")
	seed := flag.Uint64("seed", 1, "random seed of the request mix")
	only := flag.String("only", "", `run one kind of search instead of the mix, e.g. "web-la"`)
	word := flag.String("word", "", `search for this word only (kinds web-q, web-q+type, api-q), e.g. "nursery"`)
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	log.SetFlags(0)
	if *only != "" && !slices.ContainsFunc(kinds, func(k kind) bool { return k.name == *only }) {
		log.Fatalf("-only %q: not a kind of search", *only)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*dbURL, *file, *clients, *dur, *warm, *phases, max(1, *rounds), *seed, *only, *word); err != nil {
		pprof.StopCPUProfile()
		log.Fatal(err)
	}
}

func run(dbURL, file string, clients int, dur, warm time.Duration, phases string, rounds int, seed uint64, only, word string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	if err := ensureRegister(ctx, db, file); err != nil {
		return err
	}
	mix, err := newMix(ctx, db)
	if err != nil {
		return err
	}
	mix.only, mix.word = only, word
	fmt.Printf("database %s (%s), %d settings; %d clients, %v a phase in %d rounds, each after %v warm-up; GOMAXPROCS %d, %s\n\n",
		redact(dbURL), db.Dialect, mix.total, clients, dur, rounds, warm, runtime.GOMAXPROCS(0), runtime.Version())

	bare, err := openBare(dbURL)
	if err != nil {
		return err
	}
	defer bare.Close()
	if err := checkSameSQL(ctx, db, bare, mix, seed); err != nil {
		return err
	}

	// The phases alternate in rounds, so that other work on the machine
	// weighs on both alike.
	var httpRes, sqlRes *results
	var httpDo, sqlDo func(context.Context, search) error
	if strings.Contains(phases, "http") {
		var stop func()
		httpRes = newResults(clients)
		if httpDo, stop, err = httpServer(ctx, db, mix, httpRes, clients, seed); err != nil {
			return err
		}
		defer stop()
	}
	if strings.Contains(phases, "sql") {
		sqlRes = newResults(clients)
		sqlDo = sqlSearch(bare, sqlRes, storeSQL(db))
	}
	var likeRes *results
	var likeDo func(context.Context, search) error
	if strings.Contains(phases, "like") {
		likeRes = newResults(clients)
		likeDo = sqlSearch(bare, likeRes, likeSQL)
	}
	for round := range rounds {
		if httpDo != nil {
			drive(ctx, httpRes, clients, dur/time.Duration(rounds), warm, seed, round, httpDo, mix)
		}
		if sqlDo != nil {
			drive(ctx, sqlRes, clients, dur/time.Duration(rounds), warm, seed, round, sqlDo, mix)
		}
		if likeDo != nil {
			drive(ctx, likeRes, clients, dur/time.Duration(rounds), warm, seed, round, likeDo, mix)
		}
	}
	if likeRes != nil {
		likeRes.print("Reference, bare SQL: the statements before the trigram index (one LIKE '%…%' on search_text, by name)")
	}
	if httpRes != nil {
		httpRes.print("HTTP: server time per request (wrapping handler)")
	}
	if sqlRes != nil {
		sqlRes.print("Bare SQL: COUNT + page SELECT per search on database/sql")
	}
	if httpRes != nil && sqlRes != nil {
		printRatios(httpRes, sqlRes)
	}
	return nil
}

func redact(u string) string {
	if p, err := url.Parse(u); err == nil && p.User != nil {
		p.User = url.User(p.User.Username())
		return p.String()
	}
	return u
}

// ensureRegister imports the shipped authorities and the full register
// when the database holds no settings.
func ensureRegister(ctx context.Context, db *store.DB, file string) error {
	page, err := db.SearchSettings(ctx, policy.Scope{Kind: policy.National}, store.SettingFilter{PageSize: 1})
	if err != nil {
		return err
	}
	if page.Total > 0 {
		return nil
	}
	actor := domain.OperatorActor("searchload")
	las, err := importer.ShippedLocalAuthorities()
	if err != nil {
		return err
	}
	if _, err := register.UpsertLocalAuthorities(ctx, db, actor, las); err != nil {
		return err
	}
	release, ok := register.ReleaseDateFromName(file)
	if !ok {
		return fmt.Errorf("%s: no release date in the file name", file)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	sum, _, err := register.ImportSettings(ctx, db, actor, filepath.Base(file), f, release, false)
	if err != nil {
		return fmt.Errorf("import %s: %w", file, err)
	}
	log.Printf("imported %d settings from %s in %v", sum.Added, file, time.Since(start).Round(time.Millisecond))
	return nil
}

// ---- The request mix ----

// search is one request of the mix: the URL a client asks for and the
// filter the server passes to store.SearchSettings for it.
type search struct {
	kind   string
	path   string // path and query
	api    bool
	filter store.SettingFilter
}

type mix struct {
	only  string   // one kind of search instead of the mix
	word  string   // the one word searched for, if set
	las   []string // codes of current authorities
	urns  []string
	total int
}

var words = []string{"nursery", "pre-school", "montessori", "little", "kids", "day nursery", "playgroup",
	"academy", "sunshine", "bright", "club", "london", "leeds", "manchester", "LS6", "M14", "holiday"}

func newMix(ctx context.Context, db *store.DB) (*mix, error) {
	m := &mix{}
	las, err := db.AllLocalAuthorities(ctx)
	if err != nil {
		return nil, err
	}
	for _, la := range las {
		if la.EndedOn.IsZero() {
			m.las = append(m.las, la.Code)
		}
	}
	page, err := db.SearchSettings(ctx, policy.Scope{Kind: policy.National}, store.SettingFilter{PageSize: 1000, Page: 3})
	if err != nil {
		return nil, err
	}
	for _, s := range page.Settings {
		m.urns = append(m.urns, s.URN)
	}
	m.total = page.Total
	if len(m.las) == 0 || len(m.urns) == 0 {
		return nil, errors.New("the database has no authorities or settings")
	}
	return m, nil
}

// weights of each kind of search, out of 100.
type kind struct {
	name   string
	weight int
}

var kinds = []kind{
	{"web-q", 0},        // /settings?q=nursery: only with -only
	{"web-list", 0},     // /settings?la=…&type=childminder&page=2: only with -only
	{"web-q+type", 20},  // /settings?q=nursery&type=non_domestic&page=2
	{"web-la", 20},      // /settings?la=E08000035&page=1
	{"web-la+type", 10}, // /settings?la=…&type=childminder
	{"web-all", 10},     // /settings?page=3: the national list, unfiltered
	{"web-urn", 5},      // /settings?q=EY484249
	{"api-la", 15},      // /api/v1/settings?filter[la]=…&page[size]=50
	{"api-q", 10},       // /api/v1/settings?filter[q]=montessori&page[size]=50
	{"api-walk", 10},    // /api/v1/settings?page[size]=100&page[number]=1..700: a client reading everything
}

func (m *mix) next(r *rand.Rand) search {
	kind := m.only
	if kind == "" {
		n := r.IntN(100)
		kind = kinds[len(kinds)-1].name
		for _, k := range kinds {
			if n < k.weight {
				kind = k.name
				break
			}
			n -= k.weight
		}
	}
	la := m.las[r.IntN(len(m.las))]
	word := words[r.IntN(len(words))]
	if m.word != "" {
		word = m.word
	}
	v := url.Values{}
	s := search{kind: kind, filter: store.SettingFilter{PageSize: 50, Page: 1}}
	switch kind {
	case "web-q":
		s.filter.Q = word
		v.Set("q", word)
	case "web-list":
		s.filter.LACode, s.filter.Type, s.filter.Page = la, domain.Childminder, 2
		v.Set("la", la)
		v.Set("type", string(domain.Childminder))
	case "web-q+type":
		s.filter.Q, s.filter.Type, s.filter.Page = word, domain.NonDomestic, 1+r.IntN(3)
		v.Set("q", word)
		v.Set("type", string(domain.NonDomestic))
	case "web-la":
		s.filter.LACode, s.filter.Page = la, 1+r.IntN(2)
		v.Set("la", la)
	case "web-la+type":
		s.filter.LACode, s.filter.Type = la, domain.Childminder
		v.Set("la", la)
		v.Set("type", string(domain.Childminder))
	case "web-all":
		s.filter.Page = 1 + r.IntN(5)
	case "web-urn":
		s.filter.Q = m.urns[r.IntN(len(m.urns))]
		v.Set("q", s.filter.Q)
	case "api-la":
		s.api = true
		s.filter.LACode, s.filter.Page = la, 1+r.IntN(2)
		v.Set("filter[la]", la)
		v.Set("page[size]", "50")
	case "api-q":
		s.api = true
		s.filter.Q = word
		v.Set("filter[q]", word)
		v.Set("page[size]", "50")
	case "api-walk":
		s.api = true
		s.filter.PageSize, s.filter.Page = 100, 1+r.IntN(max(1, m.total/100))
		v.Set("page[size]", "100")
	}
	if s.filter.Page > 1 {
		if s.api {
			v.Set("page[number]", strconv.Itoa(s.filter.Page))
		} else {
			v.Set("page", strconv.Itoa(s.filter.Page))
		}
	}
	s.path = "/settings"
	if s.api {
		s.path = "/api/v1/settings"
	}
	if q := v.Encode(); q != "" {
		s.path += "?" + q
	}
	return s
}

// ---- Timing ----

type results struct {
	mu     sync.Mutex
	byKind map[string][]time.Duration
	counts map[string][]time.Duration // bare SQL: the COUNT's share of each search
	// windows are the measured intervals: a request counts when it
	// started inside one, however long it then took (drive lets the
	// requests in flight at the end finish), so slow requests are not
	// left out.
	windows []window
	cpu     time.Duration
	// loadBefore and loadAfter are the machine's 1-minute load average.
	loadBefore, loadAfter string
	elapsed               time.Duration
	errors                atomic.Int64
	clients               int
}

func newResults(clients int) *results {
	return &results{byKind: map[string][]time.Duration{}, counts: map[string][]time.Duration{}, clients: clients}
}

type window struct{ from, to time.Time }

// measured reports whether a request that started at start counts.
func (r *results) measured(start time.Time) bool {
	for _, w := range r.windows {
		if !start.Before(w.from) && (w.to.IsZero() || start.Before(w.to)) {
			return true
		}
	}
	return false
}

// add records a request of kind that started at start and took d.
func (r *results) add(kind string, start time.Time, d time.Duration) {
	r.mu.Lock()
	if r.measured(start) {
		r.byKind[kind] = append(r.byKind[kind], d)
	}
	r.mu.Unlock()
}

// addCount records the COUNT's share d of a bare search started at start.
func (r *results) addCount(kind string, start time.Time, d time.Duration) {
	r.mu.Lock()
	if r.measured(start) {
		r.counts[kind] = append(r.counts[kind], d)
	}
	r.mu.Unlock()
}

type summary struct {
	n             int
	median, p99   time.Duration
	mean, maximum time.Duration
}

func summarise(ds []time.Duration) summary {
	if len(ds) == 0 {
		return summary{}
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	p99 := max(0, (len(ds)*99+99)/100-1) // nearest rank
	return summary{n: len(ds), median: ds[(len(ds)-1)/2], p99: ds[p99], mean: sum / time.Duration(len(ds)), maximum: ds[len(ds)-1]}
}

func (r *results) all() []time.Duration {
	var out []time.Duration
	for _, ds := range r.byKind {
		out = append(out, ds...)
	}
	return out
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64)
}

func (r *results) print(title string) {
	n := max(1, len(r.all()))
	fmt.Printf("%s — %d clients, %v, %d errors; CPU of this process %v (%.0f%% of one core, %.2f ms a request); load average %s → %s\n\n",
		title, r.clients, r.elapsed.Round(time.Millisecond), r.errors.Load(), r.cpu.Round(time.Millisecond),
		100*r.cpu.Seconds()/r.elapsed.Seconds(), float64(r.cpu.Microseconds())/1000/float64(n), r.loadBefore, r.loadAfter)
	fmt.Println("| kind | requests | req/s | median ms | p99 ms | mean ms | max ms |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	row := func(name string, s summary) {
		fmt.Printf("| %s | %d | %.0f | %s | %s | %s | %s |\n", name, s.n, float64(s.n)/r.elapsed.Seconds(), ms(s.median), ms(s.p99), ms(s.mean), ms(s.maximum))
	}
	for _, k := range kinds {
		row(k.name, summarise(r.byKind[k.name]))
	}
	row("**all**", summarise(r.all()))
	fmt.Println()
	if len(r.counts) == 0 {
		return
	}
	fmt.Println("Of which the COUNT(*) for the total (waiting for a connection included)")
	fmt.Println()
	fmt.Println("| kind | median ms | p99 ms | mean ms | share of mean |")
	fmt.Println("|---|---:|---:|---:|---:|")
	var all []time.Duration
	for _, k := range kinds {
		c, t := summarise(r.counts[k.name]), summarise(r.byKind[k.name])
		all = append(all, r.counts[k.name]...)
		share := 0.0
		if t.mean > 0 {
			share = 100 * float64(c.mean) / float64(t.mean)
		}
		fmt.Printf("| %s | %s | %s | %s | %.0f%% |\n", k.name, ms(c.median), ms(c.p99), ms(c.mean), share)
	}
	c, t := summarise(all), summarise(r.all())
	fmt.Printf("| **all** | %s | %s | %s | %.0f%% |\n\n", ms(c.median), ms(c.p99), ms(c.mean), 100*float64(c.mean)/float64(max(t.mean, 1)))
}

func printRatios(h, s *results) {
	fmt.Println("Ratio of server time to bare SQL time (same mix, same clients)")
	fmt.Println()
	fmt.Println("| kind | HTTP median ms | SQL median ms | median ratio | HTTP p99 ms | SQL p99 ms | p99 ratio |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	row := func(name string, a, b summary) {
		ratio := func(x, y time.Duration) string {
			if y == 0 {
				return "–"
			}
			return strconv.FormatFloat(float64(x)/float64(y), 'f', 2, 64)
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s |\n", name, ms(a.median), ms(b.median), ratio(a.median, b.median), ms(a.p99), ms(b.p99), ratio(a.p99, b.p99))
	}
	for _, k := range kinds {
		row(k.name, summarise(h.byKind[k.name]), summarise(s.byKind[k.name]))
	}
	row("**all**", summarise(h.all()), summarise(s.all()))
	fmt.Println()
}

// drive runs clients calling do through the warm-up and then the measured
// duration, and then lets the requests in flight finish: res counts the
// requests that started in the measured duration.
func drive(ctx context.Context, res *results, clients int, dur, warm time.Duration, seed uint64, round int, do func(context.Context, search) error, m *mix) {
	var stop atomic.Bool
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(round)<<16|uint64(i)))
			for !stop.Load() && ctx.Err() == nil {
				if err := do(ctx, m.next(r)); err != nil && ctx.Err() == nil {
					if res.errors.Add(1) <= 3 {
						log.Printf("request failed: %v", err)
					}
				}
			}
		}()
	}
	time.Sleep(warm)
	res.mu.Lock()
	if res.loadBefore == "" {
		res.loadBefore = loadAverage()
	}
	start, cpu0 := time.Now(), cpuTime()
	res.windows = append(res.windows, window{from: start})
	res.mu.Unlock()
	time.Sleep(dur)
	stop.Store(true)
	res.mu.Lock()
	end := time.Now()
	res.windows[len(res.windows)-1].to = end
	res.elapsed += end.Sub(start)
	res.cpu += cpuTime() - cpu0
	res.loadAfter = loadAverage()
	res.mu.Unlock()
	wg.Wait()
	// The server records a request just after writing its response, so
	// the client can be done a moment before: give it that moment.
	time.Sleep(50 * time.Millisecond)
}

// ---- HTTP phase ----

const kindHeader = "X-Searchload-Kind"

// httpServer starts the service on 127.0.0.1 behind a handler that adds
// each request's server time to res, and returns a client's request.
func httpServer(ctx context.Context, db *store.DB, m *mix, res *results, clients int, seed uint64) (do func(context.Context, search) error, stop func(), err error) {
	cookie, token, err := signIn(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	srv, err := web.New(web.Config{
		DB: db, Hasher: auth.NewHasher(auth.DefaultParams, 2),
		// The default limit (20 requests a second per token) would answer
		// most of this load with 429.
		API: api.New(db, nil, api.WithRateLimit(0, 0)).Handler(),
	})
	if err != nil {
		return nil, nil, err
	}
	inner := srv.Handler()
	timed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		inner.ServeHTTP(w, r)
		if k := r.Header.Get(kindHeader); k != "" {
			res.add(k, start, time.Since(start))
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	hs := &http.Server{Handler: timed, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	base := "http://" + ln.Addr().String()

	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: clients, MaxIdleConnsPerHost: clients, DisableCompression: true,
	}}
	do = func(ctx context.Context, s search) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+s.path, nil)
		if err != nil {
			return err
		}
		req.Header.Set(kindHeader, s.kind)
		if s.api {
			req.Header.Set("Authorization", "Bearer "+token)
		} else {
			req.AddCookie(&http.Cookie{Name: "senco_session", Value: cookie})
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", s.path, resp.Status)
		}
		return err
	}
	// One request of each kind first, so a broken route fails fast.
	r := rand.New(rand.NewPCG(seed, 1<<32))
	for range 50 {
		if err := do(ctx, m.next(r)); err != nil {
			hs.Close()
			return nil, nil, err
		}
	}
	return do, func() { hs.Close() }, nil
}

// signIn makes a programme-team user with a live session and an API token,
// as the sign-in page and the tokens page would.
func signIn(ctx context.Context, db *store.DB) (cookie, token string, err error) {
	actor := domain.OperatorActor("searchload")
	var hash, tokenHash string
	cookie, hash, err = auth.NewToken("")
	if err != nil {
		return "", "", err
	}
	token, tokenHash, err = auth.NewToken("senco_")
	if err != nil {
		return "", "", err
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		org, err := tx.CreateOrganisation(ctx, actor, domain.Organisation{Kind: domain.OrgProgramme, Name: "Programme team (searchload)"})
		if err != nil {
			return err
		}
		email := fmt.Sprintf("searchload-%d@example.org", time.Now().UnixNano())
		u, err := tx.CreateUser(ctx, actor, domain.User{Email: email, Name: "Searchload", Role: domain.RoleProgrammeTeam, Org: org}, "not-a-password-hash")
		if err != nil {
			return err
		}
		if err := tx.CreateSession(ctx, hash, u.ID, store.SessionLimits{Idle: 2 * time.Hour, Max: 12 * time.Hour}); err != nil {
			return err
		}
		_, err = tx.CreateAPIToken(ctx, actor, u.ID, "searchload", tokenHash, tx.Now().Add(24*time.Hour))
		return err
	})
	return cookie, token, err
}

// ---- Bare SQL phase ----

// openBare opens a database/sql pool like the store's read pool: on SQLite
// the same pragmas and one connection per core; on PostgreSQL the store's
// pool size.
func openBare(dbURL string) (*sql.DB, error) {
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		q := url.Values{}
		for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)", "query_only(1)"} {
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
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	db.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	return db, nil
}

// The SQL of store.SearchSettings (internal/store/settings.go), copied as
// it stands; checkSameSQL compares its answers with the store's.
const settingColumns = `s.urn, s.name, s.provider_type, s.subtype, s.status, s.eyr, s.ccr, s.vcr, COALESCE(s.la_code, ''),
	s.address1, s.address2, s.address3, s.town, s.postcode, s.places, s.registered_on, s.closed_on, s.inspected_on, s.outcome,
	s.source_release, s.last_seen_on, s.updated_at, COALESCE(la.name, ''), COALESCE(la.region_name, ''), la.ended_on`

const settingFrom = ` FROM settings s LEFT JOIN local_authorities la ON la.code = s.la_code`

var urnPattern = regexp.MustCompile(`^(?i)(EY|SC)?\d{5,8}$`)

type sqlArgs []any

func (a *sqlArgs) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

func normalise(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

func like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// searchSQL builds a search's two statements: the COUNT for the total and
// the page.
type searchSQL func(f store.SettingFilter) (count, page string, countArgs, pageArgs []any)

// storeSQL is the store's own statements for a national scope (the
// programme team's).
func storeSQL(db *store.DB) searchSQL {
	return func(f store.SettingFilter) (string, string, []any, []any) {
		count, page, _ := db.SearchSettingsStatements(policy.Scope{Kind: policy.National}, f)
		return count.SQL, page.SQL, count.Args, page.Args
	}
}

// likeSQL is what SearchSettings ran before the trigram index, kept as the
// reference: the whole query as one substring of search_text, found by
// reading every row, ordered by name.
func likeSQL(f store.SettingFilter) (count, page string, countArgs, pageArgs []any) {
	var a sqlArgs
	where := "1=1"
	if q := strings.TrimSpace(f.Q); q != "" {
		if urnPattern.MatchString(q) {
			where += " AND s.urn = " + a.add(strings.ToUpper(q))
		} else {
			where += ` AND s.search_text LIKE ` + a.add(like(normalise(q))) + ` ESCAPE '\'`
		}
	}
	switch f.LACode {
	case "":
	case "none":
		where += " AND s.la_code IS NULL"
	default:
		where += " AND s.la_code = " + a.add(f.LACode)
	}
	if f.Type != "" {
		where += " AND s.provider_type = " + a.add(string(f.Type))
	}
	if f.Status != "" {
		where += " AND s.status = " + a.add(string(f.Status))
	}
	count = `SELECT COUNT(*) FROM settings s WHERE ` + where
	countArgs = slices.Clone(a)
	size := cmp.Or(f.PageSize, 50)
	num := max(f.Page, 1)
	page = `SELECT ` + settingColumns + settingFrom + ` WHERE ` + where + ` ORDER BY s.name, s.urn` +
		` LIMIT ` + a.add(size) + ` OFFSET ` + a.add((num-1)*size)
	return count, page, countArgs, a
}

// bareSearch runs one search's SQL and reads every column of every row.
// countTime is how long the COUNT took, waiting for a connection included.
func bareSearch(ctx context.Context, db *sql.DB, build searchSQL, f store.SettingFilter) (total int, urns []string, countTime time.Duration, err error) {
	count, page, ca, pa := build(f)
	start := time.Now()
	if err := db.QueryRowContext(ctx, count, ca...).Scan(&total); err != nil {
		return 0, nil, 0, fmt.Errorf("count: %w", err)
	}
	countTime = time.Since(start)
	rows, err := db.QueryContext(ctx, page, pa...)
	if err != nil {
		return 0, nil, 0, fmt.Errorf("page: %w", err)
	}
	defer rows.Close()
	vals := make([]any, 25)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, nil, 0, err
		}
		switch u := vals[0].(type) {
		case string:
			urns = append(urns, u)
		case []byte:
			urns = append(urns, string(u))
		}
	}
	return total, urns, countTime, rows.Err()
}

// checkSameSQL runs a sample of the mix through the store and bare, and
// fails if the answers differ: the copied SQL must be the store's.
func checkSameSQL(ctx context.Context, db *store.DB, bare *sql.DB, m *mix, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 1<<33))
	for range 40 {
		s := m.next(r)
		want, err := db.SearchSettings(ctx, policy.Scope{Kind: policy.National}, s.filter)
		if err != nil {
			return err
		}
		total, urns, _, err := bareSearch(ctx, bare, storeSQL(db), s.filter)
		if err != nil {
			return fmt.Errorf("bare %s: %w", s.path, err)
		}
		var wantURNs []string
		for _, st := range want.Settings {
			wantURNs = append(wantURNs, st.URN)
		}
		if total != want.Total || !slices.Equal(urns, wantURNs) {
			return fmt.Errorf("bare SQL differs from store.SearchSettings for %s: total %d vs %d, %d vs %d rows", s.path, total, want.Total, len(urns), len(wantURNs))
		}
	}
	return nil
}

// sqlSearch returns a client's search run bare, timed into res.
func sqlSearch(bare *sql.DB, res *results, build searchSQL) func(context.Context, search) error {
	return func(ctx context.Context, s search) error {
		start := time.Now()
		_, _, countTime, err := bareSearch(ctx, bare, build, s.filter)
		if err == nil {
			res.add(s.kind, start, time.Since(start))
			res.addCount(s.kind, start, countTime)
		}
		return err
	}
}

// loadAverage is the machine's 1-minute load average (Linux), to show how
// busy the machine was.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"senco/internal/auth"
	"senco/internal/demo"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/reliability"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestServeChild is an instance of TestBehindProxy: with SENCO_SERVE_CHILD
// set to "database URL|address" it serves senco there until it is killed.
// Without the variable it does nothing.
func TestServeChild(t *testing.T) {
	spec := os.Getenv("SENCO_SERVE_CHILD")
	if spec == "" {
		return
	}
	dbURL, addr, _ := strings.Cut(spec, "|")
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Fatal(serveHTTP(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), db, newHasher(), server{addr: addr}))
}

// TestBehindProxy serves two senco processes on one PostgreSQL database
// behind haproxy, as two instances would run in production, and kills one
// with SIGKILL while users are reading pages and a trainer is saving
// registers through the proxy. Users see at most a retried request (the
// client retries a failed request once, as a browser's user would by
// reloading); no saved register is lost; and a change to coverage made
// through one instance shows on the other's cached coverage page.
func TestBehindProxy(t *testing.T) {
	haproxy, err := exec.LookPath("haproxy")
	if err != nil {
		if os.Getenv("SENCO_REQUIRE_PROXY") == "1" {
			t.Fatal("SENCO_REQUIRE_PROXY=1 but haproxy is not installed (apt-get install haproxy)")
		}
		t.Skip("two instances behind a proxy skipped: haproxy is not installed (apt-get install haproxy); SENCO_REQUIRE_PROXY=1 makes this a failure")
	}
	db, dbURL := storetest.PostgresWithURL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := demo.Seed(ctx, db, auth.NewHasher(auth.Params{Memory: 1024, Time: 1, Threads: 1}, 2), demo.Options{}); err != nil {
		t.Fatal(err)
	}

	// Two instances, each its own process with its own pool.
	var (
		bases [2]string
		procs [2]*exec.Cmd
	)
	for i := range procs {
		addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
		cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "SENCO_SERVE_CHILD="+dbURL+"|"+addr)
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs[i], bases[i] = cmd, "http://"+addr
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	for _, b := range bases {
		waitUp(t, b+"/readyz")
	}

	// haproxy in front: round robin; a request whose connection to an
	// instance fails, or that gets no answer because the instance died
	// under it, is sent again to the other (retry-on, redispatch); health
	// checks take a dead instance out within a fraction of a second.
	dir := t.TempDir()
	front := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cfg := fmt.Sprintf(`global
    log stderr format raw local0 warning
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
    option http-buffer-request
frontend web
    bind %s
    default_backend senco
backend senco
    balance roundrobin
    option httpchk GET /readyz
    timeout check 5s
    default-server inter 500ms fall 3 rise 1
    server a %s check
    server b %s check
`, front, strings.TrimPrefix(bases[0], "http://"), strings.TrimPrefix(bases[1], "http://"))
	cfgPath := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var proxyLog strings.Builder
	proxy := exec.Command(haproxy, "-db", "-f", cfgPath)
	proxy.Stdout, proxy.Stderr = &lockedWriter{w: &proxyLog}, &lockedWriter{w: &proxyLog}
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Process.Kill(); proxy.Wait() })
	base := "http://" + front
	waitUp(t, base+"/readyz")

	// The coverage page of one authority, cached by each instance, then a
	// change to coverage through the first: the second's page follows it.
	coverageChange(ctx, t, db, bases)

	// Load through the proxy: every demo sign-in reads the pages its home
	// links to, and the trainer saves registers, for a few seconds either
	// side of the kill.
	var users []*reliability.User
	for _, email := range demo.Emails() {
		u := reliability.NewUser(base, email, 10*time.Second)
		if err := u.SignIn(ctx, demo.Password); err != nil {
			t.Fatalf("sign in %s through the proxy: %v", email, err)
		}
		users = append(users, u)
	}
	trainer := users[2]
	registers, err := trainer.Registers(ctx)
	if err != nil || len(registers) == 0 {
		t.Fatalf("the trainer's registers: %v (%d)", err, len(registers))
	}

	var (
		requests, retried, failed atomic.Int64
		mu                        sync.Mutex
		failures                  []string
		saved                     = map[string]url.Values{}
	)
	// once makes a request again when it fails: a user reloading.
	once := func(what string, f func() error) {
		requests.Add(1)
		if err := f(); err != nil {
			retried.Add(1)
			if err2 := f(); err2 != nil {
				failed.Add(1)
				mu.Lock()
				failures = append(failures, fmt.Sprintf("%s: %v, then %v", what, err, err2))
				mu.Unlock()
			}
		}
	}
	load, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 7))
			pages, _, err := u.Pages(ctx)
			if err != nil {
				once("pages of "+u.Email, func() error { pages, _, err = u.Pages(ctx); return err })
			}
			for load.Err() == nil && len(pages) > 0 {
				p := pages[r.IntN(len(pages))]
				once(u.Email+" GET "+p, func() error { _, err := u.Get(ctx, p); return err })
				time.Sleep(time.Duration(r.IntN(40)) * time.Millisecond)
			}
		})
	}
	wg.Go(func() {
		r := rand.New(rand.NewPCG(3, 3))
		for i := 0; load.Err() == nil; i++ {
			reg := registers[i%len(registers)]
			once("save "+reg, func() error {
				marks, err := trainer.SaveRegister(ctx, reg, r)
				if err == nil {
					mu.Lock()
					saved[reg] = marks
					mu.Unlock()
				}
				return err
			})
			time.Sleep(50 * time.Millisecond)
		}
	})
	// Load for a while before the kill: at least 200 requests, so both
	// instances are busy however slow the machine is.
	for deadline := time.Now().Add(30 * time.Second); requests.Load() < 200 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	before := requests.Load()
	if err := procs[0].Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	procs[0].Wait()
	time.Sleep(4 * time.Second)
	stop()
	wg.Wait()

	t.Logf("through the proxy: %d requests (%d before the kill), %d retried once, %d failed after the retry",
		requests.Load(), before, retried.Load(), failed.Load())
	if n := failed.Load(); n > 0 {
		t.Errorf("%d requests failed even when made again:\n%s\nhaproxy:\n%s", n, strings.Join(failures, "\n"), proxyLog.String())
	}
	if requests.Load()-before < 20 {
		t.Errorf("only %d requests after the kill: the survivor did not carry the load", requests.Load()-before)
	}
	// Nothing lost: each register shows the marks last saved, through the
	// instance that is left.
	for reg, marks := range saved {
		if err := trainer.Marked(ctx, reg, marks); err != nil {
			t.Errorf("register %s after the kill: %v", reg, err)
		}
	}
}

// coverageChange caches one authority's coverage page on both instances,
// ends every current employment at one of its settings that has a
// qualified SENCO through the first instance, and checks that the second
// instance's page changes and matches a fresh render of the first.
func coverageChange(ctx context.Context, t *testing.T, db *store.DB, bases [2]string) {
	t.Helper()
	today := domain.DateOf(db.Now())
	rows, err := db.CoverageSettings(ctx, policy.Scope{Kind: policy.National}, today, "", false)
	if err != nil {
		t.Fatal(err)
	}
	var target store.SettingCoverageRow
	for _, r := range rows {
		if r.Qualified && r.LACode != "" {
			target = r
			break
		}
	}
	if target.URN == "" {
		t.Fatal("the demo has no setting with a qualified SENCO")
	}
	emps, err := db.Employments(ctx, policy.Scope{Kind: policy.National}, store.PeopleFilter{SettingURN: target.URN, CurrentOn: today, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	var users [2]*reliability.User
	for i, b := range bases {
		users[i] = reliability.NewUser(b, "programme@demo.senco.example", 10*time.Second)
		if err := users[i].SignIn(ctx, demo.Password); err != nil {
			t.Fatal(err)
		}
	}
	path := "/coverage/la/" + target.LACode
	page := func(u *reliability.User) string {
		t.Helper()
		body, err := u.Get(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		return body
	}
	beforeB := page(users[1])
	page(users[0])
	for _, e := range emps.Employments {
		d := today.Time()
		form := url.Values{"ended-day": {fmt.Sprint(d.Day())}, "ended-month": {fmt.Sprint(int(d.Month()))}, "ended-year": {fmt.Sprint(d.Year())}}
		code, body, err := users[0].Post(ctx, fmt.Sprintf("/employments/%d/end", e.ID), form)
		if err != nil || code != http.StatusSeeOther {
			t.Fatalf("ending employment %d through the first instance: %d %v\n%.400s", e.ID, code, err, body)
		}
	}
	// The confirmation of the last form shows on the next page, as a
	// browser following the redirect would see it.
	if _, err := users[0].Get(ctx, "/settings/"+target.URN); err != nil {
		t.Fatal(err)
	}
	afterB, afterA := page(users[1]), page(users[0])
	if afterB == beforeB {
		t.Errorf("the second instance still serves the coverage page of %s from before the change made through the first", target.LACode)
	}
	if afterA != afterB {
		a, b := strings.Split(afterA, "\n"), strings.Split(afterB, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Errorf("the two instances disagree on %s after the change, from line %d:\n first: %.300s\nsecond: %.300s", path, i+1, a[i], b[i])
				break
			}
		}
	}
}

// waitUp waits for url to answer 200, for up to 15 seconds.
func waitUp(t *testing.T, url string) {
	t.Helper()
	for range 150 {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal(errors.New(url + " did not answer within 15 s"))
}

// lockedWriter lets two pipes write one log.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

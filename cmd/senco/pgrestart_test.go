package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"senco/internal/store"
)

const pgBin = "/usr/lib/postgresql/15/bin"

// TestPostgresRestartUnderLoad serves senco on a PostgreSQL cluster of its
// own, keeps requests coming that reach the database (/readyz pings it),
// and restarts the cluster: no request hangs past the client's timeout,
// every failure is a 503, and senco answers again without being restarted.
// It prints how long requests failed.
func TestPostgresRestartUnderLoad(t *testing.T) {
	if _, err := os.Stat(filepath.Join(pgBin, "initdb")); err != nil {
		if os.Getenv("SENCO_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("SENCO_REQUIRE_POSTGRES=1 but there are no PostgreSQL binaries in %s to start a cluster of this test's own: %v", pgBin, err)
		}
		t.Skipf("PostgreSQL restart test skipped: no PostgreSQL binaries in %s (%v); install Debian's postgresql to run it", pgBin, err)
	}
	dir, err := os.MkdirTemp("", "senco-pg-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	asPostgres := func(args ...string) *exec.Cmd {
		if os.Getuid() == 0 { // initdb and postgres refuse to run as root
			return exec.Command("runuser", append([]string{"-u", "postgres", "--"}, args...)...)
		}
		return exec.Command(args[0], args[1:]...)
	}
	if os.Getuid() == 0 {
		if err := exec.Command("chown", "postgres", dir).Run(); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := asPostgres(filepath.Join(pgBin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	port := freePort(t)
	pgctl := func(args ...string) {
		t.Helper()
		base := []string{filepath.Join(pgBin, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "log"), "-w",
			"-o", fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s", port, dir)}
		if out, err := asPostgres(append(base, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("pg_ctl %v: %v\n%s", args, err, out)
		}
	}
	pgctl("start")
	defer asPostgres(filepath.Join(pgBin, "pg_ctl"), "-D", data, "-m", "immediate", "stop").Run()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := store.Open(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	up := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- serveHTTP(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), db, newHasher(), server{addr: addr, ready: func(string) { close(up) }})
	}()
	<-up

	const timeout = 5 * time.Second
	client := &http.Client{Timeout: timeout}
	type result struct {
		at      time.Time
		code    int
		err     error
		elapsed time.Duration
	}
	results := make(chan result, 100000)
	stop := make(chan struct{})
	loaded := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { loaded <- struct{}{} }()
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				resp, err := client.Get("http://" + addr + "/readyz")
				r := result{at: start, err: err, elapsed: time.Since(start)}
				if err == nil {
					r.code = resp.StatusCode
					resp.Body.Close()
				}
				results <- r
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	time.Sleep(time.Second)
	restarted := time.Now()
	pgctl("-m", "fast", "restart")
	back := time.Now()
	time.Sleep(3 * time.Second)
	close(stop)
	for range 4 {
		<-loaded
	}
	close(results)

	var all []result
	for r := range results {
		all = append(all, r)
	}
	var ok, unavailable int
	var lastFail time.Time
	var slowest time.Duration
	for _, r := range all {
		slowest = max(slowest, r.elapsed)
		switch {
		case r.err != nil:
			t.Errorf("a request failed without an answer (hang or dropped connection): %v after %s", r.err, r.elapsed)
		case r.code == http.StatusOK:
			ok++
		case r.code == http.StatusServiceUnavailable:
			unavailable++
			lastFail = r.at
		default:
			t.Errorf("a request answered %d", r.code)
		}
	}
	// Recovered: the end of the first success begun after the last failure.
	var recovered time.Time
	for _, r := range all {
		if r.err == nil && r.code == http.StatusOK && r.at.After(lastFail) && (recovered.IsZero() || r.at.Add(r.elapsed).Before(recovered)) {
			recovered = r.at.Add(r.elapsed)
		}
	}
	if ok == 0 || recovered.IsZero() {
		t.Fatalf("senco did not recover: %d ok, %d unavailable", ok, unavailable)
	}
	recovery := "no request failed"
	if unavailable > 0 {
		recovery = "requests succeeded again " + recovered.Sub(restarted).Round(time.Millisecond).String() + " after the restart began (the restart itself took " + back.Sub(restarted).Round(time.Millisecond).String() + ")"
	}
	t.Logf("%d ok, %d answered 503, slowest %s; %s", ok, unavailable, slowest.Round(time.Millisecond), recovery)
	cancel()
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, p, _ := net.SplitHostPort(l.Addr().String())
	n, _ := strconv.Atoi(p)
	return n
}

// Command soak runs senco serve as its own process on a demo database and
// keeps it busy for a while: concurrent signed-in users reading the pages
// their home page links to, with think time, and a trainer saving an
// attendance register every second. Every few seconds it samples the
// server's resident memory, goroutines and open database connections and
// the latency of the requests since the last sample, and writes them as
// CSV, a Markdown table and (with gnuplot installed) a PNG plot.
//
//	go run ./internal/reliability/cmd/soak --duration 1h --out soak-1h
//
// docs/reliability.md gives the figures and the bounded run CI makes.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"senco/internal/auth"
	"senco/internal/demo"
	"senco/internal/reliability"
	"senco/internal/store"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

type options struct {
	users    int
	duration time.Duration
	sample   time.Duration
	think    time.Duration
	out      string
	senco    string
	db       string
	national bool
	password string
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	var o options
	fs.IntVar(&o.users, "users", 50, "concurrent signed-in users")
	fs.DurationVar(&o.duration, "duration", 2*time.Minute, "how long to keep the load on")
	fs.DurationVar(&o.sample, "sample", 5*time.Second, "time between samples")
	fs.DurationVar(&o.think, "think", time.Second, "mean pause between one user's requests")
	fs.StringVar(&o.out, "out", "soak-out", "directory for soak.csv, soak.md and soak.png")
	fs.StringVar(&o.senco, "senco", "", "the senco binary (default: built from ./cmd/senco)")
	fs.StringVar(&o.db, "db", "", "a demo database URL to serve (default: a new SQLite demo in --out)")
	fs.BoolVar(&o.national, "national", false, "--db was made by bench/cmd/gengland: serve it as it is and sign in with its generated accounts")
	fs.StringVar(&o.password, "password", "senco-bench", "with --national, the password gengland gave its accounts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	if o.senco == "" {
		o.senco = filepath.Join(o.out, "senco")
		build := exec.CommandContext(ctx, "go", "build", "-o", o.senco, "./cmd/senco")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building senco: %w", err)
		}
	}
	if o.national && o.db == "" {
		return errors.New("--national needs --db naming a database made by bench/cmd/gengland")
	}
	if o.db == "" {
		path, err := filepath.Abs(filepath.Join(o.out, "soak.db"))
		if err != nil {
			return err
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		o.db = "sqlite:" + path
	}
	if !o.national {
		if err := seed(ctx, o.db); err != nil {
			return err
		}
	}
	base, srv, err := startServer(ctx, o)
	if err != nil {
		return err
	}
	defer func() {
		srv.Process.Signal(os.Interrupt)
		srv.Wait()
	}()
	samples, err := soak(ctx, o, base, srv.Process.Pid)
	if err != nil {
		return err
	}
	return report(o, samples, stdout)
}

// seed fills the database with the demo, once.
func seed(ctx context.Context, url string) error {
	db, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	_, err = demo.Seed(ctx, db, auth.NewHasher(auth.DefaultParams, 2), demo.Options{})
	return err
}

func startServer(ctx context.Context, o options) (string, *exec.Cmd, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.CommandContext(ctx, o.senco, "serve", "--addr", addr, "--db", o.db)
	logf, err := os.Create(filepath.Join(o.out, "serve.log"))
	if err != nil {
		return "", nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	base := "http://" + addr
	for range 100 {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			return base, cmd, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	return "", nil, errors.New("senco serve did not answer within 10 s; see serve.log")
}

// sample is one row of the soak's record.
type sample struct {
	at                time.Duration
	rssMiB            float64
	anonMiB           float64 // of RSS, what is not a mapped file (the database is read through mmap)
	heapMiB           float64 // Go heap in use, from /metrics
	goroutines        int
	dbConns           int
	requests, errors  int
	writes, writeErrs int
	p50, p99, max     time.Duration
}

// window gathers the latencies of requests between two samples.
type window struct {
	mu sync.Mutex
	tally
}

type tally struct {
	lat               []time.Duration
	errors            int
	writes, writeErrs int
}

func (w *window) add(d time.Duration, err error, write bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lat = append(w.lat, d)
	if err != nil {
		w.errors++
	}
	if write {
		w.writes++
		if err != nil {
			w.writeErrs++
		}
	}
}

func (w *window) take() tally {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.tally
	w.tally = tally{}
	return out
}

func soak(ctx context.Context, o options, base string, pid int) ([]sample, error) {
	emails, trainerEmail, password := demo.Emails(), "trainer@demo.senco.example", demo.Password
	if o.national {
		emails, trainerEmail, password = nationalEmails(), "trainer1.s001@bench.senco.example", o.password
	}
	users := make([]*reliability.User, o.users)
	pages := make([][]string, o.users)
	for i := range users {
		users[i] = reliability.NewUser(base, emails[i%len(emails)], 30*time.Second)
		if err := users[i].SignIn(ctx, password); err != nil {
			return nil, fmt.Errorf("%s: %w", users[i].Email, err)
		}
		p, refused, err := users[i].Pages(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", users[i].Email, err)
		}
		if len(refused) > 0 && i < len(emails) {
			fmt.Fprintf(os.Stderr, "soak: %s's home page links to %s, which refuse them; left out\n", users[i].Email, strings.Join(refused, ", "))
		}
		pages[i] = p
	}
	trainer := reliability.NewUser(base, trainerEmail, 30*time.Second)
	if err := trainer.SignIn(ctx, password); err != nil {
		return nil, err
	}
	registers, err := trainer.Registers(ctx)
	if err != nil {
		return nil, err
	}

	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	var win window
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 1))
			for ctx.Err() == nil {
				p := pages[i][r.IntN(len(pages[i]))]
				start := time.Now()
				_, err := u.Get(ctx, p)
				if ctx.Err() != nil {
					return
				}
				if err != nil {
					firstErr.CompareAndSwap(nil, err.Error())
				}
				win.add(time.Since(start), err, false)
				pause(ctx, time.Duration(r.Int64N(int64(2*o.think))))
			}
		})
	}
	wg.Go(func() {
		r := rand.New(rand.NewPCG(99, 2))
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			start := time.Now()
			_, err := trainer.SaveRegister(ctx, registers[i%len(registers)], r)
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				firstErr.CompareAndSwap(nil, err.Error())
			}
			win.add(time.Since(start), err, true)
		}
	})

	var samples []sample
	began := time.Now()
	tick := time.NewTicker(o.sample)
	defer tick.Stop()
	dbPath := strings.TrimPrefix(o.db, "sqlite:")
sampling:
	for {
		select {
		case <-ctx.Done():
			break sampling
		case <-tick.C:
		}
		w := win.take()
		s := sample{at: time.Since(began).Round(time.Second), requests: len(w.lat), errors: w.errors, writes: w.writes, writeErrs: w.writeErrs}
		s.rssMiB, s.anonMiB = rss(pid)
		s.goroutines, s.heapMiB = runtimeMetrics(base)
		s.dbConns = dbConns(pid, dbPath)
		if len(w.lat) > 0 {
			slices.Sort(w.lat)
			s.p50 = w.lat[len(w.lat)/2]
			s.p99 = w.lat[min(len(w.lat)-1, len(w.lat)*99/100)]
			s.max = w.lat[len(w.lat)-1]
		}
		samples = append(samples, s)
		fmt.Fprintf(os.Stderr, "%6s rss %.0f MiB (anon %.0f, heap %.0f), %d goroutines, %d db conns, %d requests (%d errors), p99 %s\n",
			s.at, s.rssMiB, s.anonMiB, s.heapMiB, s.goroutines, s.dbConns, s.requests, s.errors, s.p99.Round(time.Millisecond))
	}
	wg.Wait()
	if e := firstErr.Load(); e != nil {
		fmt.Fprintln(os.Stderr, "soak: first error:", e)
	}
	return samples, nil
}

// nationalEmails are sign-ins bench/cmd/gengland makes, one of each kind
// of role it has: the programme team, the awarding organisation, the
// staff of three suppliers and the officers of five authorities of
// different sizes and kinds.
func nationalEmails() []string {
	out := []string{"programme@bench.senco.example", "ao@bench.senco.example"}
	for _, s := range []string{"s001", "s002", "s003"} {
		for _, kind := range []string{"admin", "trainer1", "assessor"} {
			out = append(out, kind+"."+s+"@bench.senco.example")
		}
	}
	for _, code := range []string{"E08000035", "E09000012", "E10000017", "E08000025", "E06000001"} {
		out = append(out, "la."+strings.ToLower(code)+"@bench.senco.example")
	}
	return out
}

func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// rss is the process's resident set in MiB, from /proc: all of it, and
// its anonymous part. senco's read connections map the SQLite file into
// memory, so on a large database the total grows with the pages read
// (file-backed, given back under pressure); the anonymous part is the
// process's own memory, where a leak would show.
func rss(pid int) (total, anon float64) {
	total, anon = -1, -1
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return total, anon
	}
	defer f.Close()
	kib := func(rest string) float64 {
		kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
		return kb / 1024
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			total = kib(rest)
		} else if rest, ok := strings.CutPrefix(sc.Text(), "RssAnon:"); ok {
			anon = kib(rest)
		}
	}
	return total, anon
}

// goroutines is go_goroutines from the server's /metrics.
func runtimeMetrics(base string) (goroutines int, heapMiB float64) {
	goroutines, heapMiB = -1, -1
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return goroutines, heapMiB
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "go_goroutines "); ok {
			n, _ := strconv.ParseFloat(rest, 64)
			goroutines = int(n)
		} else if rest, ok := strings.CutPrefix(sc.Text(), "go_memstats_heap_inuse_bytes "); ok {
			n, _ := strconv.ParseFloat(rest, 64)
			heapMiB = n / (1 << 20)
		}
	}
	return goroutines, heapMiB
}

// dbConns counts the server's open handles on the SQLite file: one a
// connection (its -wal and -shm files are not counted). senco's metrics do
// not export its pools' statistics, so this is read from /proc.
func dbConns(pid int, path string) int {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return -1
	}
	n := 0
	for _, e := range ents {
		if target, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil && target == path {
			n++
		}
	}
	return n
}

func report(o options, samples []sample, stdout io.Writer) error {
	csvPath := filepath.Join(o.out, "soak.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		return err
	}
	fmt.Fprintln(f, "seconds,rss_mib,goroutines,db_conns,requests,errors,writes,write_errors,p50_ms,p99_ms,max_ms,anon_rss_mib,heap_mib")
	for _, s := range samples {
		fmt.Fprintf(f, "%.0f,%.1f,%d,%d,%d,%d,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f\n", s.at.Seconds(), s.rssMiB, s.goroutines, s.dbConns,
			s.requests, s.errors, s.writes, s.writeErrs, ms(s.p50), ms(s.p99), ms(s.max), s.anonMiB, s.heapMiB)
	}
	if err := f.Close(); err != nil {
		return err
	}
	md, err := os.Create(filepath.Join(o.out, "soak.md"))
	if err != nil {
		return err
	}
	w := io.MultiWriter(md, stdout)
	fmt.Fprintf(w, "%d users, think time %s, one register save a second, %s, sampled every %s.\n\n", o.users, o.think, o.duration, o.sample)
	fmt.Fprintln(w, "| time | RSS (MiB) | of it anonymous | Go heap (MiB) | goroutines | DB connections | requests | errors | writes | p50 (ms) | p99 (ms) | max (ms) |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	// The table keeps about twelve rows, evenly spread, and the last.
	step := max(1, len(samples)/12)
	var total, errs, writes int
	for i, s := range samples {
		total += s.requests
		errs += s.errors
		writes += s.writes
		if i%step == 0 || i == len(samples)-1 {
			fmt.Fprintf(w, "| %s | %.0f | %.0f | %.0f | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f |\n", s.at, s.rssMiB, s.anonMiB, s.heapMiB, s.goroutines, s.dbConns,
				s.requests, s.errors, s.writes, ms(s.p50), ms(s.p99), ms(s.max))
		}
	}
	fmt.Fprintf(w, "\nIn all: %d requests, %d errors, %d register saves.\n", total, errs, writes)
	if err := md.Close(); err != nil {
		return err
	}
	if err := plot(o.out, csvPath); err != nil {
		return err
	}
	if errs > 0 {
		return fmt.Errorf("%d of %d requests failed; see serve.log", errs, total)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// plot draws soak.png with gnuplot, when it is installed.
func plot(dir, csvPath string) error {
	if _, err := exec.LookPath("gnuplot"); err != nil {
		fmt.Fprintln(os.Stderr, "soak: gnuplot is not installed (apt-get install gnuplot-nox); no plot")
		return nil
	}
	script := fmt.Sprintf(`set terminal pngcairo size 1200,900 font ",10"
set output %q
set datafile separator ","
set key autotitle columnhead
set multiplot layout 4,1 title "senco soak"
set xlabel "seconds"
set ylabel "MiB"
plot %[2]q using 1:2 with lines title "RSS", %[2]q using 1:12 with lines title "anonymous RSS", %[2]q using 1:13 with lines title "Go heap in use"
set ylabel "count"
plot %[2]q using 1:3 with lines title "goroutines"
set ylabel "connections"
set yrange [0:*]
set offsets 0,0,1,0
plot %[2]q using 1:4 with lines title "open DB connections"
set ylabel "ms"
plot %[2]q using 1:10 with lines title "p99 latency", %[2]q using 1:9 with lines title "p50 latency"
unset multiplot
`, filepath.Join(dir, "soak.png"), csvPath)
	cmd := exec.Command("gnuplot")
	cmd.Stdin = strings.NewReader(script)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("gnuplot: %w", err)
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// results gathers the durations of one kind of request, or of its bare
// SQL: those that started within a measured window (after a warm-up), each
// waited for to the end, so slow requests are not left out.
type results struct {
	mu       sync.Mutex
	ds       []time.Duration
	from, to time.Time // the current measured window
	elapsed  time.Duration
	cpu      time.Duration
	errors   atomic.Int64
	// loadBefore and loadAfter are the machine's 1-minute load average.
	loadBefore, loadAfter string
}

// add keeps a duration whose request started within the window.
func (r *results) add(start time.Time, d time.Duration) {
	r.mu.Lock()
	if !start.Before(r.from) && start.Before(r.to) {
		r.ds = append(r.ds, d)
	}
	r.mu.Unlock()
}

type summary struct {
	n                int
	median, p99, max time.Duration
	mean             time.Duration
	rps              float64
}

func (r *results) summary() summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := summarise(r.ds)
	if r.elapsed > 0 {
		s.rps = float64(s.n) / r.elapsed.Seconds()
	}
	return s
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
	return summary{n: len(ds), median: ds[(len(ds)-1)/2], p99: ds[p99], max: ds[len(ds)-1], mean: sum / time.Duration(len(ds))}
}

// drive runs clients calling do in a loop: a warm-up, then the measured
// window, then no new calls while those under way finish (each is kept if
// it started within the window). do returns its start and duration, or a
// negative duration when it is timed elsewhere (by the server's wrapping
// handler).
func drive(ctx context.Context, res *results, clients int, dur, warm time.Duration, do func(context.Context) (time.Time, time.Duration, error)) {
	now := time.Now()
	res.mu.Lock()
	res.from, res.to = now.Add(warm), now.Add(warm+dur)
	res.mu.Unlock()
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				start, d, err := do(ctx)
				if err != nil {
					if res.errors.Add(1) <= 3 {
						log.Printf("request failed: %v", err)
					}
					continue
				}
				if d >= 0 {
					res.add(start, d)
				}
			}
		}()
	}
	time.Sleep(warm)
	if res.loadBefore == "" {
		res.loadBefore = loadAverage()
	}
	cpu0 := cpuTime()
	time.Sleep(dur)
	stop.Store(true)
	res.elapsed += dur
	res.cpu += cpuTime() - cpu0
	res.loadAfter = loadAverage()
	wg.Wait()
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64)
}

func ratio(a, b time.Duration) string {
	if b == 0 {
		return "–"
	}
	return strconv.FormatFloat(float64(a)/float64(b), 'f', 2, 64)
}

// loadAverage is the machine's 1-minute load average (Linux).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

// header prints the table of paired HTTP and bare SQL measurements.
func printPairs(title string, clients int, pairs []*pair) {
	fmt.Printf("%s — %d clients\n\n", title, clients)
	fmt.Println("| request | phase | requests | req/s | median ms | p99 ms | mean ms | max ms | errors | load avg |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, p := range pairs {
		for _, ph := range []struct {
			name string
			r    *results
		}{{"server (HTTP)", p.http}, {"bare SQL", p.bare}} {
			s := ph.r.summary()
			fmt.Printf("| %s | %s | %d | %.0f | %s | %s | %s | %s | %d | %s → %s |\n", p.name, ph.name, s.n, s.rps, ms(s.median), ms(s.p99), ms(s.mean), ms(s.max),
				ph.r.errors.Load(), ph.r.loadBefore, ph.r.loadAfter)
		}
	}
	fmt.Println()
	fmt.Println("| request | server median ms | bare median ms | median ratio | server p99 ms | bare p99 ms | p99 ratio |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, p := range pairs {
		h, b := p.http.summary(), p.bare.summary()
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s |\n", p.name, ms(h.median), ms(b.median), ratio(h.median, b.median), ms(h.p99), ms(b.p99), ratio(h.p99, b.p99))
	}
	fmt.Println()
}

// Command importmem runs one import of an Ofsted register through
// register.ImportSettings, as the command line does, and reports its time
// and peak memory: the Go heap (sampled every few milliseconds through
// runtime/metrics), the runtime's total, and the process's maximum
// resident set size (which also counts SQLite's page cache, allocated
// outside the Go heap by modernc.org/sqlite).
//
//	go build -o /tmp/importmem ./bench/importmem
//	rm -f /tmp/im.db*; /tmp/importmem -db sqlite:/tmp/im.db   # first import into an empty database
//	/tmp/importmem -db sqlite:/tmp/im.db                       # the same file again: a re-import
//	/tmp/importmem -db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable' -schema importmem
//
// Run it under /usr/bin/time -v for the kernel's view of the same peak.
// See docs/performance.md.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/register"
	"senco/internal/store"
)

func main() {
	dbURL := flag.String("db", "sqlite:/tmp/senco-importmem.db", "database URL: sqlite:PATH or postgres://…")
	schema := flag.String("schema", "", "PostgreSQL only: create this schema if needed and import into it")
	drop := flag.Bool("drop", false, "PostgreSQL only: drop -schema at the end")
	file := flag.String("file", "../shared/data/ofsted_childcare_providers_2021-08-31_full.csv.gz", "Ofsted register file")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*dbURL, *schema, *drop, *file); err != nil {
		log.Fatal(err)
	}
}

func run(dbURL, schema string, drop bool, file string) error {
	ctx := context.Background()
	if schema != "" {
		u, err := withSchema(ctx, dbURL, schema, drop)
		if err != nil {
			return err
		}
		dbURL = u
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	actor := domain.OperatorActor("importmem")
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

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	sampler := startSampler(5 * time.Millisecond)
	start := time.Now()
	cpu0 := cpuTime()
	sum, _, err := register.ImportSettings(ctx, db, actor, filepath.Base(file), f, release, false)
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	peak := sampler.stop()
	if err != nil {
		return err
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	kind := "import into an empty database"
	if sum.Added == 0 {
		kind = "re-import (settings already present)"
	}
	fmt.Printf("%s, %s: %s\n", db.Dialect, kind, file)
	fmt.Printf("rows %d: added %d, updated %d, unchanged %d, closed %d\n", sum.Rows, sum.Added, sum.Updated, sum.Unchanged, sum.Closed)
	fmt.Printf("time %v (%.0f rows/s); CPU of this process %v\n", elapsed.Round(time.Millisecond), float64(sum.Rows)/elapsed.Seconds(), cpu.Round(time.Millisecond))
	fmt.Printf("peak Go heap (live + not yet collected objects) %.1f MiB\n", mib(peak.heap))
	fmt.Printf("peak Go runtime memory (all classes, like MemStats.Sys less released) %.1f MiB\n", mib(peak.total))
	fmt.Printf("allocated during the import %.1f MiB in %d objects; %d GC cycles\n",
		mib(after.TotalAlloc-before.TotalAlloc), after.Mallocs-before.Mallocs, after.NumGC-before.NumGC)
	fmt.Printf("process maximum resident set size %.1f MiB (includes SQLite's page cache and the binary)\n", mib(maxRSS()))
	return nil
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// withSchema creates the schema (dropping it first when drop is set, so
// each run starts empty) and returns the URL with its search_path.
func withSchema(ctx context.Context, dbURL, schema string, drop bool) (string, error) {
	if !strings.HasPrefix(dbURL, "postgres") {
		return "", fmt.Errorf("-schema is for PostgreSQL URLs")
	}
	admin, err := sql.Open("pgx", dbURL)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if drop {
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
			return "", err
		}
	}
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
		return "", err
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

type peaks struct{ heap, total uint64 }

type sampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak peaks
}

// startSampler reads the heap and the runtime's total memory every
// interval (runtime/metrics does not stop the world) and keeps the peaks.
func startSampler(interval time.Duration) *sampler {
	s := &sampler{done: make(chan struct{})}
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	read := func() {
		metrics.Read(samples)
		s.peak.heap = max(s.peak.heap, samples[0].Value.Uint64())
		s.peak.total = max(s.peak.total, samples[1].Value.Uint64()-samples[2].Value.Uint64())
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			read()
			select {
			case <-s.done:
				read()
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *sampler) stop() peaks {
	close(s.done)
	s.wg.Wait()
	return s.peak
}

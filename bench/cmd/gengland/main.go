// Command gengland builds England at national scale into an empty
// database, for benchmarks: the real 2021 Ofsted register, about 300,000
// generated practitioners at Scale 1, and the national programme with its
// suppliers, cohorts, sessions, attendance, applications and certificates
// (package bench/gen).
//
//	go run ./bench/cmd/gengland --db sqlite:/tmp/england.db --scale 1 --seed 1
//	go run ./bench/cmd/gengland --db 'postgres://postgres@127.0.0.1:5432/england?sslmode=disable'
//
// Run it from the project's root (the register is read from
// ../shared/data unless --register says otherwise). The database is
// migrated first; it must hold no organisations or practitioners (--fresh
// deletes an SQLite file first). Every sign-in made (programme@, ao@,
// admin.s001@… at bench.senco.example) has the password --password.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"senco/bench/gen"
	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/store"
)

func main() {
	dbURL := flag.String("db", "sqlite:/tmp/england.db", "database: sqlite:PATH or postgres://…")
	fresh := flag.Bool("fresh", false, "delete the SQLite file (and its WAL) first")
	var opts gen.Options
	flag.Int64Var(&opts.Seed, "seed", 1, "seed: the same seed builds the same England (on the same day)")
	flag.Float64Var(&opts.Scale, "scale", 1, "1 is about 300,000 practitioners")
	flag.IntVar(&opts.Applications, "applications", 0, "applications (0: 20,000 × scale)")
	flag.IntVar(&opts.Cohorts, "cohorts", 0, "cohorts (0: 800 × scale)")
	flag.IntVar(&opts.SessionsPerCohort, "sessions", 12, "sessions per cohort")
	flag.StringVar(&opts.RegisterFile, "register", gen.DefaultRegister, "the Ofsted register to import")
	flag.IntVar(&opts.RegisterRows, "rows", 0, "import only the first rows of the register (0: all)")
	password := flag.String("password", "senco-bench", "password of the sign-ins made")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
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

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *dbURL, *fresh, *password, opts); err != nil {
		pprof.StopCPUProfile()
		log.Fatal(err)
	}
}

func run(ctx context.Context, dbURL string, fresh bool, password string, opts gen.Options) error {
	if fresh {
		path, ok := strings.CutPrefix(dbURL, "sqlite:")
		if !ok {
			return errors.New("--fresh is for SQLite files only")
		}
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	if opts.PasswordHash, err = auth.NewHasher(auth.DefaultParams, 1).Hash(ctx, password); err != nil {
		return err
	}
	opts.Log = func(format string, args ...any) { fmt.Printf("  "+format+"\n", args...) }
	fmt.Printf("Generating England into %s (scale %g, seed %d):\n", redact(dbURL), opts.Scale, opts.Seed)
	st, err := gen.Generate(ctx, db, opts)
	if err != nil {
		return err
	}
	fmt.Printf("Done in %v (%d generated rows, %.0f rows/s over the whole run)\n", st.Took.Round(time.Millisecond), st.Rows(), float64(st.Rows())/st.Took.Seconds())
	fmt.Printf("  settings         %8d (%d eligible today)\n", st.Settings, st.EligibleSettings)
	fmt.Printf("  practitioners    %8d with %d employments; %d designated SENCOs today; %d recognised SENCO qualifications\n",
		st.Practitioners, st.Employments, st.CurrentSENCOs, st.Recognised)
	fmt.Printf("  organisations    %8d (%d suppliers); %d sign-ins\n", st.Organisations, st.Suppliers, st.Users)
	fmt.Printf("  cohorts          %8d with %d sessions\n", st.Cohorts, st.Sessions)
	fmt.Printf("  applications     %8d with %d events: %s\n", st.Applications, st.ApplicationEvents, byStatus(st.ByStatus))
	fmt.Printf("  attendance marks %8d\n", st.Attendance)
	fmt.Printf("  certificates     %8d under the programme\n", st.Certified)
	c := st.Coverage
	fmt.Printf("  coverage today   %.1f%% of %d eligible settings have a qualified SENCO (group settings %.1f%%, childminders %.1f%%); %.1f%% have staff in training\n",
		100*c.All().Coverage(), c.All().Eligible, 100*c.Group.Coverage(), 100*c.Childminder.Coverage(), 100*c.All().TrainingCoverage())
	return nil
}

func byStatus(m map[domain.Status]int) string {
	var keys []string
	for s := range m {
		keys = append(keys, string(s))
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[domain.Status(k)]))
	}
	return strings.Join(parts, ", ")
}

// redact hides a password in a database URL.
func redact(u string) string {
	if i, j := strings.Index(u, "://"), strings.LastIndex(u, "@"); i >= 0 && j > i {
		if k := strings.Index(u[i+3:j], ":"); k >= 0 {
			return u[:i+3+k+1] + "…" + u[j:]
		}
	}
	return u
}

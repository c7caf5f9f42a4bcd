package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"senco/internal/demo"
	"senco/internal/web"
)

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "demo", "[flags]",
		"Run senco on a demo database: the English local authorities, a real extract of Ofsted's register\n"+
			"(Leeds, Hackney, Cumbria, Lancashire), generated organisations and practitioners (never real people)\n"+
			"and one sign-in for each role, all with the password "+demo.Password+".\n"+
			"The database is seeded the first time and reused after; --fresh starts again.\n"+
			"Never point it at a database with real records.")
	addr := fs.String("addr", envOr(e, "SENCO_ADDR", "127.0.0.1:8080"), "address to listen on (env SENCO_ADDR)")
	dbURL := dbFlag(fs, e, "SENCO_DEMO_DB", "sqlite:senco-demo.db")
	fresh := fs.Bool("fresh", false, "delete the demo database file first and seed a new one (SQLite only)")
	seed := fs.Uint64("seed", demo.DefaultSeed, "seed for the generated records")
	mail := addFileAndMailFlags(fs, e, "senco-demo-files")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 0, ""); err != nil {
		return err
	}
	started := time.Now()
	if *fresh {
		if err := removeSQLite(*dbURL); err != nil {
			return err
		}
	}
	log := newLogger(e)
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	h := newHasher()
	res, err := demo.Seed(ctx, db, h, demo.Options{Seed: *seed})
	if errors.Is(err, demo.ErrNotEmpty) {
		return fmt.Errorf("%w\n(senco demo seeds only an empty database; use another --db, or --fresh for a new SQLite file)", err)
	}
	if err != nil {
		return err
	}
	out := e.stdout
	if res.AlreadySeeded {
		fmt.Fprintf(out, "Using the demo database %s, seeded before (--fresh starts again).\n", redact(*dbURL))
	} else {
		c := res.Counts
		fmt.Fprintf(out, "Seeded the demo database %s:\n", redact(*dbURL))
		fmt.Fprintf(out, "  %d local authorities; %d settings from Ofsted's register of 31 August 2021 (Leeds, Hackney, Cumbria, Lancashire, and %d with no authority recorded)\n",
			c.LocalAuthorities, c.Settings, c.NotRecorded)
		fmt.Fprintf(out, "  %d organisations (%d settings); %d generated practitioners with %d employments (%d current, %d designated SENCOs, %d moved setting)\n",
			c.Organisations, c.SettingOrgs, c.Practitioners, c.Employments, c.CurrentEmployments, c.DesignatedSENCOs, c.PractitionersMoved)
	}
	var demoUsers []web.DemoUser
	for _, u := range res.Users {
		demoUsers = append(demoUsers, web.DemoUser{Email: u.Email, Password: u.Password, Role: u.RoleLabel + ", " + u.Organisation})
	}
	return serveHTTP(ctx, log, db, h, server{addr: *addr, demoUsers: demoUsers, files: mail.files(), ready: func(url string) {
		fmt.Fprintf(out, "\nsenco demo is ready at %s (started in %.1f s)\n\n", url, time.Since(started).Seconds())
		fmt.Fprintln(out, "Demo sign-ins (demo only: every one has the same password, never use these on real data):")
		tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  EMAIL\tPASSWORD\tROLE\tORGANISATION")
		for _, u := range res.Users {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", u.Email, u.Password, u.RoleLabel, u.Organisation)
		}
		tw.Flush()
		if code, err := demo.VerificationCode(ctx, db); err == nil {
			fmt.Fprintf(out, "\nCheck a certificate without signing in: %s/verify/%s\n", strings.TrimSuffix(url, "/"), code)
		}
		fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	}})
}

// removeSQLite deletes an SQLite database file and its WAL files.
func removeSQLite(url string) error {
	path, ok := strings.CutPrefix(url, "sqlite:")
	if !ok {
		return usagef("--fresh works only on an SQLite demo database (sqlite:PATH), not %s", url)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Command pbbench is the peer of senco's settings list in
// docs/performance.md: PocketBase, as a Go program, holding the same
// settings of the 2021 Ofsted register in a collection with the same fields
// and indexes on the filtered columns.
//
// It lives in its own module so that PocketBase never enters senco's.
//
//	cd bench/pocketbase && go build -o /tmp/pbbench .
//	/tmp/pbbench load  -dir /tmp/senco-pb -from /tmp/england.db
//	/tmp/pbbench serve -dir /tmp/senco-pb -http 127.0.0.1:18090
//
// load reads the settings (and their authorities' names) from a senco
// SQLite database, so both hold exactly the same rows, creates the
// collection "settings" and a superuser (bench@example.org, password
// below) and saves every row as a record in one transaction. serve starts
// PocketBase's own HTTP server, as `pocketbase serve` does.
package main

import (
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	_ "modernc.org/sqlite" // PocketBase's own driver, to read senco's file
)

// Superuser the benchmark authenticates as.
const (
	SuperuserEmail    = "bench@example.org"
	SuperuserPassword = "bench-password-not-secret"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		log.Fatal("usage: pbbench load|serve [flags]")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", "/tmp/senco-pb", "PocketBase data directory")
	from := fs.String("from", "/tmp/england.db", "senco SQLite database to read the settings from (load)")
	addr := fs.String("http", "127.0.0.1:18090", "address to serve on (serve)")
	public := fs.Bool("public", false, "load: make the list rule public instead of superusers only")
	fs.Parse(os.Args[2:])
	var err error
	switch os.Args[1] {
	case "load":
		err = load(*dir, *from, *public)
	case "serve":
		err = serve(*dir, *addr)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		log.Fatal(err)
	}
}

func newApp(dir string) *pocketbase.PocketBase {
	return pocketbase.NewWithConfig(pocketbase.Config{DefaultDataDir: dir, HideStartBanner: true})
}

func serve(dir, addr string) error {
	app := newApp(dir)
	app.RootCmd.SetArgs([]string{"serve", "--http", addr, "--dir", dir})
	return app.Start()
}

// settingColumns are senco's settings columns as text, in the order the
// fields are set below.
var textFields = []string{"urn", "name", "provider_type", "subtype", "status", "la_code", "la_name", "region_name",
	"address1", "address2", "address3", "town", "postcode", "registered_on", "closed_on", "inspected_on",
	"source_release", "last_seen_on", "updated_at"}

const selectSettings = `SELECT s.urn, COALESCE(s.name, ''), s.provider_type, COALESCE(s.subtype, ''), s.status,
	COALESCE(s.la_code, ''), COALESCE(la.name, ''), COALESCE(la.region_name, ''),
	COALESCE(s.address1, ''), COALESCE(s.address2, ''), COALESCE(s.address3, ''), COALESCE(s.town, ''), COALESCE(s.postcode, ''),
	COALESCE(CAST(s.registered_on AS TEXT), ''), COALESCE(CAST(s.closed_on AS TEXT), ''), COALESCE(CAST(s.inspected_on AS TEXT), ''),
	COALESCE(s.source_release, ''), COALESCE(CAST(s.last_seen_on AS TEXT), ''), COALESCE(CAST(s.updated_at AS TEXT), ''),
	s.eyr, s.ccr, s.vcr, COALESCE(s.places, 0), COALESCE(s.outcome, 0)
	FROM settings s LEFT JOIN local_authorities la ON la.code = s.la_code ORDER BY s.urn`

func load(dir, from string, public bool) error {
	if _, err := os.Stat(from); err != nil {
		return fmt.Errorf("senco database: %w", err)
	}
	src, err := sql.Open("sqlite", "file:"+from+"?mode=ro")
	if err != nil {
		return err
	}
	defer src.Close()

	app := newApp(dir)
	if err := app.Bootstrap(); err != nil {
		return err
	}
	if _, err := app.FindCollectionByNameOrId("settings"); err == nil {
		return errors.New("the collection settings exists already: remove " + dir + " to load again")
	}
	c := core.NewBaseCollection("settings")
	for _, f := range textFields {
		c.Fields.Add(&core.TextField{Name: f})
	}
	c.Fields.Add(&core.BoolField{Name: "eyr"}, &core.BoolField{Name: "ccr"}, &core.BoolField{Name: "vcr"},
		&core.NumberField{Name: "places", OnlyInt: true}, &core.NumberField{Name: "outcome", OnlyInt: true})
	// The indexes of senco's settings table, and one on each column the
	// list filters by.
	c.AddIndex("settings_urn", true, "urn", "")
	c.AddIndex("settings_la", false, "la_code, name, urn", "")
	c.AddIndex("settings_name", false, "name, urn", "")
	c.AddIndex("settings_postcode", false, "postcode", "")
	c.AddIndex("settings_type", false, "provider_type", "")
	c.AddIndex("settings_status", false, "status", "")
	if public {
		empty := ""
		c.ListRule, c.ViewRule = &empty, &empty
	} // else nil: superusers only
	if err := app.Save(c); err != nil {
		return fmt.Errorf("create collection: %w", err)
	}

	su, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return err
	}
	admin := core.NewRecord(su)
	admin.SetEmail(SuperuserEmail)
	admin.SetPassword(SuperuserPassword)
	if err := app.Save(admin); err != nil {
		return fmt.Errorf("create superuser: %w", err)
	}

	start := time.Now()
	rows, err := src.Query(selectSettings)
	if err != nil {
		return fmt.Errorf("read settings: %w", err)
	}
	defer rows.Close()
	n := 0
	err = app.RunInTransaction(func(tx core.App) error {
		vals := make([]string, len(textFields))
		dest := make([]any, 0, len(textFields)+5)
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		var eyr, ccr, vcr bool
		var places, outcome int
		dest = append(dest, &eyr, &ccr, &vcr, &places, &outcome)
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			r := core.NewRecord(c)
			for i, f := range textFields {
				r.Set(f, vals[i])
			}
			r.Set("eyr", eyr)
			r.Set("ccr", ccr)
			r.Set("vcr", vcr)
			r.Set("places", places)
			r.Set("outcome", outcome)
			if err := tx.SaveNoValidate(r); err != nil {
				return fmt.Errorf("save %s: %w", vals[0], err)
			}
			n++
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	log.Printf("loaded %d settings into %s in %v", n, dir, time.Since(start).Round(time.Millisecond))
	return nil
}

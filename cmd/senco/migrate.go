package main

import (
	"context"
	"fmt"
)

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "migrate", "[flags]", "Create the database if need be and bring its schema up to date. Other commands bring an existing\ndatabase up to date too, but only migrate, serve and demo create one. Run it on its own before\nstarting several senco serve instances on one PostgreSQL.")
	dbURL := dbFlag(fs, e, "SENCO_DB", "sqlite:senco.db")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 0, ""); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(e.stdout, "The %s database %s is up to date.\n", db.Dialect, redact(*dbURL))
	return nil
}

package main

import (
	"context"
	"fmt"
)

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "migrate", "[flags]", "Bring the database schema up to date. Every other command does this too; run it on its own\nbefore starting several senco serve instances on one PostgreSQL.")
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

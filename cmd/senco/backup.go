package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"senco/internal/store"
)

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "backup", "FILE",
		"Write a consistent copy of the SQLite database to FILE, a new file, while senco keeps serving.\n"+
			"Restore by stopping senco and putting the copy in the database's place. On PostgreSQL, use pg_dump.")
	dbURL := dbFlag(fs, e, "SENCO_DB", "sqlite:senco.db")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 1, "FILE"); err != nil {
		return err
	}
	db, err := openExisting(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	err = db.Backup(ctx, pos[0])
	if errors.Is(err, store.ErrBackupPostgres) {
		return fmt.Errorf("%w, which makes a consistent copy while senco serves:\n  pg_dump --format=custom --file=%s '%s'\nand restore with pg_restore --dbname=URL %s", err, pos[0], pgDumpURL(*dbURL), pos[0])
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Backed up %s to %s.\n", redact(*dbURL), pos[0])
	return nil
}

// pgDumpURL is the database URL without its password, and without the
// parameters pg_dump does not take (search_path is set with --schema).
func pgDumpURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String()
}

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupExists is returned when the backup's file is already there: a
// backup never overwrites one.
var ErrBackupExists = errors.New("the backup file already exists")

// ErrBackupPostgres is returned by Backup on PostgreSQL, whose own tool,
// pg_dump, makes the consistent online copy.
var ErrBackupPostgres = errors.New("on PostgreSQL, back up with pg_dump")

// Backup writes a consistent copy of an SQLite database to a new file at
// path while it is in use. VACUUM INTO reads within one read transaction,
// so the copy is the database as one instant saw it, and in WAL mode
// writers carry on meanwhile. It runs on a connection of the read pool,
// not on the single writer, so writes are not held up for the copy's
// length.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return ErrBackupPostgres
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup to %s: %w", path, ErrBackupExists)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	// Readers are query_only; the copy is a new file, not a change to
	// this database, but SQLite counts VACUUM INTO as a write.
	if _, err := conn.ExecContext(ctx, `PRAGMA query_only = 0`); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA query_only = 1`)
	if _, err := conn.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

package store

import (
	"context"
	"fmt"
)

// HasSchema reports whether the database has been migrated at least once:
// whether goose's version table is there with a version applied. Commands
// that must not create a database use it to refuse an empty one.
func (db *DB) HasSchema(ctx context.Context) (bool, error) {
	var q string
	switch db.Dialect {
	case SQLite:
		q = `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'`
	default:
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'goose_db_version' AND table_schema = current_schema()`
	}
	var n int
	if err := db.read.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return false, fmt.Errorf("look for the schema: %w", err)
	}
	if n == 0 {
		return false, nil
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM goose_db_version WHERE version_id > 0 AND is_applied`).Scan(&n); err != nil {
		return false, fmt.Errorf("look for the schema: %w", err)
	}
	return n > 0, nil
}

package store

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
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

var (
	sqliteLimitRE   = regexp.MustCompile(`(?is)ON\s+(\w+)\s+WHEN\s+length\(NEW\.(\w+)\)\s*>\s*(\d+)`)
	postgresLimitRE = regexp.MustCompile(`char_length\(\(?(\w+)\)?(?:::text)?\)\s*<=\s*(\d+)`)
)

// TextLimits returns the longest text the database accepts in each limited
// column, keyed "table.column", read from its triggers (SQLite) or check
// constraints (PostgreSQL): what the schema enforces, for checking it
// against domain.TextColumns.
func (db *DB) TextLimits(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	var q string
	if db.Dialect == SQLite {
		q = `SELECT '', sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\_max\_insert' ESCAPE '\'`
	} else {
		q = `SELECT t.relname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
			WHERE c.contype = 'c' AND c.conname LIKE '%\_max' AND t.relnamespace = current_schema()::regnamespace`
	}
	rows, err := db.read.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read text limits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, def string
		if err := rows.Scan(&table, &def); err != nil {
			return nil, fmt.Errorf("read text limits: %w", err)
		}
		var col, n string
		if db.Dialect == SQLite {
			m := sqliteLimitRE.FindStringSubmatch(def)
			if m == nil {
				continue
			}
			table, col, n = m[1], m[2], m[3]
		} else {
			m := postgresLimitRE.FindStringSubmatch(def)
			if m == nil {
				continue
			}
			col, n = m[1], m[2]
		}
		out[table+"."+col], _ = strconv.Atoi(n)
	}
	return out, rows.Err()
}

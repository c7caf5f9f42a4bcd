package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// Bulk writes for generators of large data sets (bench/gen): rows the
// caller has already checked against the rules the Tx methods keep, written
// many at a time, with ids the caller assigns. Nothing here audits; the
// caller records one audit entry for what it generated.

// bulkCacheKiB is the SQLite page cache a bulk writer works with.
const bulkCacheKiB = 256 << 10

var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// BulkInsert writes rows into table. PostgreSQL takes many rows to a
// statement (a round trip per row would dominate); SQLite runs in-process,
// where one prepared single-row statement is fastest (see insertSettings).
func (tx *Tx) BulkInsert(ctx context.Context, table string, columns []string, rows [][]any) error {
	if !identifier.MatchString(table) {
		return fmt.Errorf("bulk insert: bad table name %q", table)
	}
	for _, c := range columns {
		if !identifier.MatchString(c) {
			return fmt.Errorf("bulk insert into %s: bad column name %q", table, c)
		}
	}
	for i, r := range rows {
		if len(r) != len(columns) {
			return fmt.Errorf("bulk insert into %s: row %d has %d values for %d columns", table, i, len(r), len(columns))
		}
	}
	if len(rows) == 0 {
		return nil
	}
	head := `INSERT INTO ` + table + ` (` + strings.Join(columns, ", ") + `) VALUES `
	if tx.db.Dialect == SQLite {
		// Rows land all over the indexes: with SQLite's default 2 MiB page
		// cache, most inserts then read and write pages (a national-scale
		// generation ran several times slower). The writer connection's
		// cache may grow to bulkCacheKiB from now on; SQLite takes the
		// memory only as pages are used.
		if _, err := tx.tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", bulkCacheKiB)); err != nil {
			return fmt.Errorf("bulk insert into %s: %w", table, err)
		}
		var a args
		stmt, err := tx.tx.PrepareContext(ctx, head+placeholders(&a, len(columns)))
		if err != nil {
			return fmt.Errorf("bulk insert into %s: %w", table, err)
		}
		defer stmt.Close()
		for _, r := range rows {
			if _, err := stmt.ExecContext(ctx, r...); err != nil {
				return fmt.Errorf("bulk insert into %s: %w", table, err)
			}
		}
		return nil
	}
	// PostgreSQL allows 65,535 parameters to a statement.
	batch := max(1, 65535/len(columns))
	for start := 0; start < len(rows); start += batch {
		part := rows[start:min(start+batch, len(rows))]
		a := make(args, 0, len(part)*len(columns))
		values := make([]string, len(part))
		for i, r := range part {
			values[i] = placeholders(&a, len(columns))
			copy(a[len(a)-len(columns):], r)
		}
		if _, err := tx.tx.ExecContext(ctx, head+strings.Join(values, ", "), a...); err != nil {
			return fmt.Errorf("bulk insert into %s: %w", table, err)
		}
	}
	return nil
}

// placeholders adds n empty arguments and returns "($k, …)" for them.
func placeholders(a *args, n int) string {
	ph := make([]string, n)
	for i := range ph {
		ph[i] = a.add(nil)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// NextID is the first id free in a table with an id column, for a bulk
// writer that assigns ids itself.
func (tx *Tx) NextID(ctx context.Context, table string) (int64, error) {
	if !identifier.MatchString(table) {
		return 0, fmt.Errorf("next id: bad table name %q", table)
	}
	var id int64
	if err := tx.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM `+table).Scan(&id); err != nil {
		return 0, fmt.Errorf("next id of %s: %w", table, err)
	}
	return id, nil
}

// SyncIDs moves each table's id sequence past the ids a bulk writer
// assigned, so that the next row the Tx methods add gets a free id.
// SQLite needs nothing: it takes the largest id plus one.
func (tx *Tx) SyncIDs(ctx context.Context, tables ...string) error {
	if tx.db.Dialect != Postgres {
		return nil
	}
	for _, t := range tables {
		if !identifier.MatchString(t) {
			return fmt.Errorf("sync ids: bad table name %q", t)
		}
		if _, err := tx.tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), COALESCE((SELECT MAX(id) FROM `+t+`), 0) + 1, false)`); err != nil {
			return fmt.Errorf("sync ids of %s: %w", t, err)
		}
	}
	return nil
}

// Analyze refreshes the planner's statistics, after a bulk load: without
// them PostgreSQL plans the coverage queries for empty tables and takes
// minutes over a national data set.
func (db *DB) Analyze(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

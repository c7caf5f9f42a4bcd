package store

import (
	"context"

	"senco/internal/domain"
)

// RawExecForTest runs a statement on the writer, for tests of constraints.
func (db *DB) RawExecForTest(ctx context.Context, q string) error {
	_, err := db.write.ExecContext(ctx, q)
	return err
}

// RawExecForTest runs a statement in the transaction, for tests that set
// up states no public method makes directly.
func (tx *Tx) RawExecForTest(ctx context.Context, q string) error {
	_, err := tx.tx.ExecContext(ctx, q)
	return err
}

// StatusGroupForTest returns which of the given statuses the store's SQL
// for a status group (statusIn) selects, read from a table of them.
func (db *DB) StatusGroupForTest(ctx context.Context, all, group []domain.Status, negate bool) ([]domain.Status, error) {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS status_probe (s TEXT NOT NULL)`); err != nil {
		return nil, err
	}
	if _, err := db.write.ExecContext(ctx, `DELETE FROM status_probe`); err != nil {
		return nil, err
	}
	for _, s := range all {
		if _, err := db.write.ExecContext(ctx, `INSERT INTO status_probe (s) VALUES ($1)`, string(s)); err != nil {
			return nil, err
		}
	}
	cond := statusIn("s", group)
	if negate {
		cond = statusNotIn("s", group)
	}
	rows, err := db.write.QueryContext(ctx, `SELECT s FROM status_probe WHERE `+cond+` ORDER BY s`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Status
	for rows.Next() {
		var s domain.Status
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

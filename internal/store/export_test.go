package store

import "context"

// RawExecForTest runs a statement on the writer, for tests of constraints.
func (db *DB) RawExecForTest(ctx context.Context, q string) error {
	_, err := db.write.ExecContext(ctx, q)
	return err
}

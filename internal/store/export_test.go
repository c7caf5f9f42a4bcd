package store

import "context"

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

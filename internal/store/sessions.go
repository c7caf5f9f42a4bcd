package store

import (
	"context"
	"fmt"
	"time"

	"senco/internal/domain"
)

// SessionLimits bound a session's life. The store enforces both, so that a
// stolen or forgotten cookie stops working on time whatever the browser does
// with its Max-Age.
type SessionLimits struct {
	Idle time.Duration // without a request
	Max  time.Duration // in all, however busy
}

// expiry is when a session last seen at now, and created at created, ends.
func (l SessionLimits) expiry(created, now time.Time) time.Time {
	return minTime(now.Add(l.Idle), created.Add(l.Max)).UTC()
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// CreateSession stores a session by the hash of its token.
func (tx *Tx) CreateSession(ctx context.Context, tokenHash string, userID int64, lim SessionLimits) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)`,
		tokenHash, userID, tx.now, lim.expiry(tx.now, tx.now))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	// Sweep ended sessions now and then, on the write path that already holds the lock.
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1 OR created_at < $2`, tx.now, tx.now.Add(-lim.Max)); err != nil {
		return fmt.Errorf("sweep sessions: %w", err)
	}
	return nil
}

// SessionUser returns the user of a live session and when it was last seen.
// A session is live until its idle expiry and never past lim.Max from its
// creation: the second check does not trust expires_at, so sessions stored
// before the limit was enforced end on time too.
func (db *DB) SessionUser(ctx context.Context, tokenHash string, lim SessionLimits) (domain.User, time.Time, error) {
	var u domain.User
	var last time.Time
	now := db.Now()
	err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+`, s.last_seen_at`+userFrom+` JOIN sessions s ON s.user_id = u.id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.created_at > $3 AND u.disabled_at IS NULL`, tokenHash, now, now.Add(-lim.Max)), &u, nullTime{&last})
	return u, last, notFound(err, "session")
}

// TouchSession slides a live session's idle expiry, never past its
// absolute end. An ended session is left ended.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, lim SessionLimits) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var created, expires time.Time
		err := tx.tx.QueryRowContext(ctx, `SELECT created_at, expires_at FROM sessions WHERE token_hash = $1`, tokenHash).
			Scan(nullTime{&created}, nullTime{&expires})
		if err := notFound(err, "touch session"); err != nil {
			return err
		}
		if !expires.After(tx.now) || !created.After(tx.now.Add(-lim.Max)) {
			return nil // ended: SessionUser refuses it and the sweep removes it
		}
		_, err = tx.tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1`,
			tokenHash, tx.now, lim.expiry(created, tx.now))
		if err != nil {
			return fmt.Errorf("touch session: %w", err)
		}
		return nil
	})
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

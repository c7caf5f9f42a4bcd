package store

import (
	"context"
	"fmt"
	"time"

	"senco/internal/domain"
)

// APIToken is a bearer token for the API. Only the hash of its secret is
// stored; it acts as the user who created it, with their organisation and
// role.
type APIToken struct {
	ID         int64
	Name       string
	UserID     int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  time.Time
	LastUsedAt time.Time
}

// Active reports whether the token can be used at now.
func (t APIToken) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && now.Before(t.ExpiresAt)
}

// CreateAPIToken stores a new token's hash.
func (tx *Tx) CreateAPIToken(ctx context.Context, a domain.Actor, userID int64, name, hash string, expires time.Time) (APIToken, error) {
	t := APIToken{Name: name, UserID: userID, CreatedAt: tx.now, ExpiresAt: expires.UTC()}
	var err error
	t.ID, err = tx.insertID(ctx, `INSERT INTO api_tokens (token_hash, name, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		hash, name, userID, tx.now, t.ExpiresAt)
	if err != nil {
		return t, fmt.Errorf("create api token: %w", err)
	}
	return t, tx.Audit(ctx, a, "create", "api_token", fmt.Sprint(t.ID), nil, map[string]any{"name": name, "user_id": userID, "expires_at": t.ExpiresAt})
}

const tokenColumns = `t.id, t.name, t.user_id, t.created_at, t.expires_at, t.revoked_at, t.last_used_at`

func scanToken(dest *APIToken) []any {
	return []any{&dest.ID, &dest.Name, &dest.UserID, nullTime{&dest.CreatedAt}, nullTime{&dest.ExpiresAt}, nullTime{&dest.RevokedAt}, nullTime{&dest.LastUsedAt}}
}

// APITokenUser returns the user a live token acts for.
func (db *DB) APITokenUser(ctx context.Context, hash string) (domain.User, APIToken, error) {
	var u domain.User
	var t APIToken
	err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+`, `+tokenColumns+userFrom+` JOIN api_tokens t ON t.user_id = u.id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.disabled_at IS NULL`, hash, db.Now()), &u, scanToken(&t)...)
	return u, t, notFound(err, "api token")
}

// MarkAPITokenUsed records the last use, at most once a minute per token
// so that a busy client does not turn every read into a write.
func (db *DB) MarkAPITokenUsed(ctx context.Context, id int64) error {
	now := db.Now()
	_, err := db.write.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)`,
		id, now, now.Add(-time.Minute))
	return err
}

// APITokens lists a user's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t WHERE t.user_id = $1 ORDER BY t.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		if err := rows.Scan(scanToken(&t)...); err != nil {
			return nil, fmt.Errorf("list api tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes one of the user's own tokens.
func (tx *Tx) RevokeAPIToken(ctx context.Context, a domain.Actor, userID, id int64) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, userID, tx.now)
	if err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return tx.Audit(ctx, a, "revoke", "api_token", fmt.Sprint(id), nil, map[string]any{"revoked_at": tx.now})
}

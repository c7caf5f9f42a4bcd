package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"senco/internal/domain"
)

// CreateOrganisation adds an organisation, or returns the existing one of
// the same kind and name (LA and setting organisations are unique by their
// authority or setting).
func (tx *Tx) CreateOrganisation(ctx context.Context, a domain.Actor, o domain.Organisation) (domain.Organisation, error) {
	var id int64
	// A setting's organisation is its setting and an LA's its authority
	// (many nurseries share a name); other organisations go by name.
	var err error
	switch {
	case o.SettingURN != "":
		err = tx.tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE setting_urn = $1`, o.SettingURN).Scan(&id)
	case o.LACode != "":
		err = tx.tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE la_code = $1`, o.LACode).Scan(&id)
	default:
		err = tx.tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE kind = $1 AND name = $2 AND setting_urn IS NULL AND la_code IS NULL`, string(o.Kind), o.Name).Scan(&id)
	}
	if err == nil {
		o.ID = id
		return o, nil
	}
	if err := notFound(err, "find organisation"); err != ErrNotFound {
		return o, err
	}
	o.ID, err = tx.insertID(ctx, `INSERT INTO organisations (kind, name, la_code, setting_urn, created_at) VALUES ($1, $2, $3, $4, $5)`,
		string(o.Kind), o.Name, nullString(o.LACode), nullString(o.SettingURN), tx.now)
	if err != nil {
		return o, fmt.Errorf("create organisation %s: %w", o.Name, err)
	}
	return o, tx.Audit(ctx, a, "create", "organisation", fmt.Sprint(o.ID), nil, o)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Organisation returns one organisation by id.
func (db *DB) Organisation(ctx context.Context, id int64) (domain.Organisation, error) {
	var o domain.Organisation
	err := db.read.QueryRowContext(ctx, `SELECT id, kind, name, COALESCE(la_code, ''), COALESCE(setting_urn, '') FROM organisations WHERE id = $1`, id).
		Scan(&o.ID, &o.Kind, &o.Name, &o.LACode, &o.SettingURN)
	return o, notFound(err, "organisation")
}

// Organisations lists every organisation by kind and name, for operators.
func (db *DB) Organisations(ctx context.Context) ([]domain.Organisation, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, kind, name, COALESCE(la_code, ''), COALESCE(setting_urn, '') FROM organisations ORDER BY kind, name`)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	defer rows.Close()
	var out []domain.Organisation
	for rows.Next() {
		var o domain.Organisation
		if err := rows.Scan(&o.ID, &o.Kind, &o.Name, &o.LACode, &o.SettingURN); err != nil {
			return nil, fmt.Errorf("list organisations: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// CreateUser adds a user with an already hashed password.
func (tx *Tx) CreateUser(ctx context.Context, a domain.Actor, u domain.User, passwordHash string) (domain.User, error) {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = $1`, u.Email).Scan(&n); err != nil {
		return u, fmt.Errorf("create user: %w", err)
	}
	if n > 0 {
		return u, fmt.Errorf("%w: %w", domain.UserExists(u.Email), ErrConflict)
	}
	var err error
	u.CreatedAt = tx.now
	u.ID, err = tx.insertID(ctx, `INSERT INTO users (email, name, role, org_id, practitioner_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		u.Email, u.Name, string(u.Role), u.Org.ID, nullID(u.PractitionerID), passwordHash, tx.now)
	if err != nil {
		return u, fmt.Errorf("create user %s: %w", u.Email, err)
	}
	return u, tx.Audit(ctx, a, "create", "user", fmt.Sprint(u.ID), nil,
		map[string]any{"email": u.Email, "name": u.Name, "role": u.Role, "org_id": u.Org.ID})
}

const userColumns = `u.id, u.email, u.name, u.role, COALESCE(u.practitioner_id, 0), u.created_at, u.disabled_at,
	o.id, o.kind, o.name, COALESCE(o.la_code, ''), COALESCE(o.setting_urn, '')`

const userFrom = ` FROM users u JOIN organisations o ON o.id = u.org_id`

func scanUser(sc interface{ Scan(...any) error }, u *domain.User, extra ...any) error {
	dest := []any{&u.ID, &u.Email, &u.Name, &u.Role, &u.PractitionerID, nullTime{&u.CreatedAt}, nullTime{&u.DisabledAt},
		&u.Org.ID, &u.Org.Kind, &u.Org.Name, &u.Org.LACode, &u.Org.SettingURN}
	return sc.Scan(append(dest, extra...)...)
}

// UserByEmail returns a user and their password hash, for signing in.
func (db *DB) UserByEmail(ctx context.Context, email string) (domain.User, string, error) {
	var u domain.User
	var hash string
	err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+`, u.password_hash`+userFrom+` WHERE u.email = $1`,
		strings.ToLower(strings.TrimSpace(email))), &u, &hash)
	return u, hash, notFound(err, "user by email")
}

// User returns a user by id.
func (db *DB) User(ctx context.Context, id int64) (domain.User, error) {
	var u domain.User
	err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id = $1`, id), &u)
	return u, notFound(err, "user")
}

// SignInFailures counts recent failed sign-ins for a key (an email or an
// address): those up to window after the latest.
func (db *DB) SignInFailures(ctx context.Context, key string, window time.Duration) (int, error) {
	n, _, err := db.SignInFailuresSince(ctx, key, window)
	return n, err
}

// SignInFailuresSince is SignInFailures with the time of the latest failure.
// A key's failures are forgotten window after the latest one, not after the
// first, so that a source that keeps guessing keeps its delay.
func (db *DB) SignInFailuresSince(ctx context.Context, key string, window time.Duration) (int, time.Time, error) {
	var n int
	var last time.Time
	err := db.read.QueryRowContext(ctx, `SELECT failures, COALESCE(last_failure_at, window_start) FROM sign_in_failures WHERE key = $1`, key).Scan(&n, nullTime{&last})
	if err := notFound(err, "sign-in failures"); err == ErrNotFound {
		return 0, time.Time{}, nil
	} else if err != nil {
		return 0, time.Time{}, err
	}
	if db.Now().Sub(last) > window {
		return 0, time.Time{}, nil
	}
	return n, last, nil
}

// RecordSignInFailure counts one failure for key, starting afresh when the
// latest one is more than window ago.
func (db *DB) RecordSignInFailure(ctx context.Context, key string, window time.Duration) error {
	return db.InTx(ctx, func(tx *Tx) error {
		now := tx.now
		var last time.Time
		err := tx.tx.QueryRowContext(ctx, `SELECT COALESCE(last_failure_at, window_start) FROM sign_in_failures WHERE key = $1`, key).Scan(nullTime{&last})
		switch err := notFound(err, "sign-in failures"); {
		case err == ErrNotFound:
			_, err = tx.tx.ExecContext(ctx, `INSERT INTO sign_in_failures (key, failures, window_start, last_failure_at) VALUES ($1, 1, $2, $2)`, key, now)
			if err != nil {
				return fmt.Errorf("record sign-in failure: %w", err)
			}
			return nil
		case err != nil:
			return err
		}
		if now.Sub(last) > window {
			_, err = tx.tx.ExecContext(ctx, `UPDATE sign_in_failures SET failures = 1, window_start = $2, last_failure_at = $2 WHERE key = $1`, key, now)
		} else {
			_, err = tx.tx.ExecContext(ctx, `UPDATE sign_in_failures SET failures = failures + 1, last_failure_at = $2 WHERE key = $1`, key, now)
		}
		if err != nil {
			return fmt.Errorf("record sign-in failure: %w", err)
		}
		return nil
	})
}

// ClearSignInFailures forgets failures after a successful sign-in.
func (db *DB) ClearSignInFailures(ctx context.Context, key string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE key = $1`, key)
	return err
}

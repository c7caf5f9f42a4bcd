package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"senco/internal/domain"
)

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserID   int64
	OrgID    int64
	TokenID  int64
	Actor    string
	Action   string
	Entity   string
	EntityID string
	Before   string
	After    string
}

// Audit records a change in the same transaction as the change. before and
// after are any values that marshal to JSON; nil is written as "".
func (tx *Tx) Audit(ctx context.Context, a domain.Actor, action, entity, entityID string, before, after any) error {
	b, err := auditJSON(before)
	if err != nil {
		return err
	}
	af, err := auditJSON(after)
	if err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, org_id, token_id, actor, action, entity, entity_id, before, after)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		tx.now, nullID(a.UserID), nullID(a.OrgID), nullID(a.TokenID), a.Label, action, entity, entityID, b, af)
	if err != nil {
		return fmt.Errorf("audit %s %s %s: %w", action, entity, entityID, err)
	}
	return nil
}

func auditJSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit: %w", err)
	}
	return string(b), nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Entity   string
	EntityID string
	Actor    string // substring
	Before   int64  // entries with id below this (keyset paging); 0 for newest
	Limit    int
}

// ListAudit returns entries newest first. Only the programme team may call
// it (policy.CanReadAudit); the log is national.
func (db *DB) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var a args
	where := "1=1"
	if f.Entity != "" {
		where += " AND entity = " + a.add(f.Entity)
	}
	if f.EntityID != "" {
		where += " AND entity_id = " + a.add(f.EntityID)
	}
	if f.Actor != "" {
		where += ` AND lower(actor) LIKE ` + a.add(like(f.Actor)) + ` ESCAPE '\'`
	}
	if f.Before > 0 {
		where += " AND id < " + a.add(f.Before)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, at, COALESCE(user_id, 0), COALESCE(org_id, 0), COALESCE(token_id, 0), actor, action, entity, entity_id, before, after
		FROM audit_log WHERE `+where+` ORDER BY id DESC LIMIT `+a.add(limit), a...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, nullTime{&e.At}, &e.UserID, &e.OrgID, &e.TokenID, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After); err != nil {
			return nil, fmt.Errorf("list audit: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

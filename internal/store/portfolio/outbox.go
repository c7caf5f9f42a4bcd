package portfolio

import (
	"context"
	"fmt"
	"time"

	"senco/internal/domain"
	"senco/internal/store"
)

// OutboxMessage is a message in the notification outbox.
type OutboxMessage struct {
	ID        int64
	UserID    int64
	To        string
	Subject   string
	Body      string
	Link      string
	CreatedAt time.Time
	Attempts  int
	NextAt    time.Time
	SentAt    time.Time
	LastError string
}

// Sent reports whether the message went by mail.
func (m OutboxMessage) Sent() bool { return !m.SentAt.IsZero() }

// GaveUp reports whether every attempt to mail it failed.
func (m OutboxMessage) GaveUp() bool { return !m.Sent() && m.Attempts >= domain.MaxSendAttempts }

const outboxColumns = `m.id, m.user_id, m.to_address, m.subject, m.body, m.link, m.created_at, m.attempts, m.next_attempt_at, m.sent_at, m.last_error`

func scanOutbox(sc store.Scanner, m *OutboxMessage) error {
	return sc.Scan(&m.ID, &m.UserID, &m.To, &m.Subject, &m.Body, &m.Link, store.NullTime(&m.CreatedAt), &m.Attempts,
		store.NullTime(&m.NextAt), store.NullTime(&m.SentAt), &m.LastError)
}

// enqueue puts a message for each recipient in the outbox, in the
// transaction of the change it tells of: no change without its message,
// no message of a change rolled back.
func enqueue(ctx context.Context, tx *store.Tx, recipients []recipient, msg domain.Message, link string) error {
	for _, r := range recipients {
		if _, err := tx.Exec(ctx, `INSERT INTO notification_outbox (user_id, to_address, subject, body, link, created_at, next_attempt_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6)`, r.id, r.email, msg.Subject, msg.Body, link, tx.Now()); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return nil
}

type recipient struct {
	id    int64
	email string
}

func scanRecipient(sc store.Scanner, r *recipient) error { return sc.Scan(&r.id, &r.email) }

// notifyAssessors tells the assessors of the learner's cohort.
func notifyAssessors(ctx context.Context, tx *store.Tx, app store.Application, msg domain.Message, link string) error {
	rs, err := store.Collect(ctx, tx.Reader(), "cohort assessors", scanRecipient, `SELECT u.id, u.email FROM cohort_staff cs JOIN users u ON u.id = cs.user_id
		WHERE cs.cohort_id = $1 AND cs.role = '`+string(domain.RoleAssessor)+`' AND u.disabled_at IS NULL ORDER BY u.id`, app.CohortID)
	if err != nil {
		return err
	}
	return enqueue(ctx, tx, rs, msg, link)
}

// notifyLearner tells the learner (their sign-in, if they have one).
func notifyLearner(ctx context.Context, tx *store.Tx, app store.Application, msg domain.Message, link string) error {
	rs, err := store.Collect(ctx, tx.Reader(), "learner's account", scanRecipient, `SELECT u.id, u.email FROM users u
		WHERE u.practitioner_id = $1 AND u.disabled_at IS NULL ORDER BY u.id`, app.PractitionerID)
	if err != nil {
		return err
	}
	return enqueue(ctx, tx, rs, msg, link)
}

// Outbox lists the messages to one user, newest first.
func Outbox(ctx context.Context, q store.Querier, userID int64, limit int) ([]OutboxMessage, error) {
	return store.Collect(ctx, q, "outbox", scanOutbox, `SELECT `+outboxColumns+` FROM notification_outbox m WHERE m.user_id = $1
		ORDER BY m.created_at DESC, m.id DESC LIMIT $2`, userID, limit)
}

// DueMessages are the messages to mail now: not sent, attempts left, the
// next attempt due.
func DueMessages(ctx context.Context, q store.Querier, now time.Time, limit int) ([]OutboxMessage, error) {
	return store.Collect(ctx, q, "due messages", scanOutbox, `SELECT `+outboxColumns+` FROM notification_outbox m
		WHERE m.sent_at IS NULL AND m.attempts < $1 AND m.next_attempt_at <= $2 ORDER BY m.next_attempt_at, m.id LIMIT $3`,
		domain.MaxSendAttempts, now, limit)
}

// MarkSent records that a message was mailed.
func MarkSent(ctx context.Context, db *store.DB, id int64) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE notification_outbox SET sent_at = $2, attempts = attempts + 1, last_error = '' WHERE id = $1 AND sent_at IS NULL`, id, tx.Now())
		if err != nil {
			return fmt.Errorf("outbox sent: %w", err)
		}
		return nil
	})
}

// MarkFailed records a failed attempt and when to try again
// (domain.NextAttempt); after the last attempt the message stays unsent.
func MarkFailed(ctx context.Context, db *store.DB, m OutboxMessage, cause error) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		attempts := m.Attempts + 1
		next, again := domain.NextAttempt(attempts, tx.Now())
		var nextAt any
		if again {
			nextAt = next
		}
		msg := cause.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		_, err := tx.Exec(ctx, `UPDATE notification_outbox SET attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $1 AND sent_at IS NULL`,
			m.ID, attempts, nextAt, msg)
		if err != nil {
			return fmt.Errorf("outbox failed: %w", err)
		}
		return nil
	})
}

// EnqueueFor puts a message for one user in the outbox, in tx.
func EnqueueFor(ctx context.Context, tx *store.Tx, userID int64, msg domain.Message, link string) error {
	rs, err := store.Collect(ctx, tx.Reader(), "recipient", scanRecipient, `SELECT u.id, u.email FROM users u WHERE u.id = $1`, userID)
	if err != nil {
		return err
	}
	return enqueue(ctx, tx, rs, msg, link)
}

// Package notify mails the messages of the notification outbox. The
// outbox is the record: a message is written there in the transaction of
// the change it tells of, people read it in the service whether or not
// mail is configured, and this package only tries to deliver it, a bounded
// number of times with backoff (domain.NextAttempt). A mail server that is
// down delays messages and loses none.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"mime"
	"net/smtp"
	"strings"
	"time"

	"senco/internal/store"
	"senco/internal/store/portfolio"
)

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// SMTP sends through a mail server with net/smtp (no authentication: a
// relay on the same network, as deployments of this kind use).
type SMTP struct {
	Addr string // host:port
	From string
}

// Send mails one plain-text message.
func (s SMTP) Send(ctx context.Context, to, subject, body string) error {
	if strings.ContainsAny(to, "\r\n") || strings.ContainsAny(s.From, "\r\n") {
		return fmt.Errorf("mail: an address with a line break")
	}
	var msg strings.Builder
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
		s.From, to, mime.QEncoding.Encode("utf-8", subject))
	msg.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	msg.WriteString("\r\n")
	if err := smtp.SendMail(s.Addr, nil, s.From, []string{to}, []byte(msg.String())); err != nil {
		return fmt.Errorf("mail to %s: %w", to, err)
	}
	return nil
}

// Mailer drains the outbox.
type Mailer struct {
	db      *store.DB
	send    Sender
	log     *slog.Logger
	Every   time.Duration // between passes (default 15 s)
	BaseURL string        // prefixed to each message's link, if set
}

// New makes a mailer of the outbox of db.
func New(db *store.DB, s Sender, log *slog.Logger) *Mailer {
	return &Mailer{db: db, send: s, log: log, Every: 15 * time.Second}
}

// Run sends what is due every m.Every until ctx ends.
func (m *Mailer) Run(ctx context.Context) {
	t := time.NewTicker(m.Every)
	defer t.Stop()
	for {
		if _, err := m.Pass(ctx); err != nil && ctx.Err() == nil {
			m.log.Warn("outbox pass failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Pass tries every message due now once, and returns how many were sent.
func (m *Mailer) Pass(ctx context.Context) (int, error) {
	due, err := portfolio.DueMessages(ctx, m.db.Reader(), m.db.Now(), 100)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, msg := range due {
		body := msg.Body
		if msg.Link != "" {
			body += "\n\n" + m.BaseURL + msg.Link
		}
		if err := m.send.Send(ctx, msg.To, msg.Subject, body); err != nil {
			m.log.Warn("mail not sent; will retry", "message", msg.ID, "attempt", msg.Attempts+1, "error", err)
			if err := portfolio.MarkFailed(ctx, m.db, msg, err); err != nil {
				return sent, err
			}
			continue
		}
		if err := portfolio.MarkSent(ctx, m.db, msg.ID); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

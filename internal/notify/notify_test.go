package notify_test

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/notify"
	"senco/internal/store"
	"senco/internal/store/portfolio"
	"senco/internal/store/storetest"
)

// fakeSMTP is a mail server on loopback that speaks just enough SMTP for
// net/smtp, and keeps what it receives.
type fakeSMTP struct {
	ln   net.Listener
	mu   sync.Mutex
	got  []string
	down bool // answer every message with a temporary failure
}

func startSMTP(t *testing.T) *fakeSMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

func (f *fakeSMTP) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(s string) { c.Write([]byte(s + "\r\n")) }
	say("220 fake")
	var data strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 fake")
		case strings.HasPrefix(cmd, "MAIL"), strings.HasPrefix(cmd, "RCPT"):
			f.mu.Lock()
			down := f.down
			f.mu.Unlock()
			if down {
				say("451 try again later")
				continue
			}
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			data.Reset()
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(l)
			}
			f.mu.Lock()
			f.got = append(f.got, data.String())
			f.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (f *fakeSMTP) received() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

// TestMailerRetriesAndLosesNothing: a message waits while the mail server
// is down, is retried with backoff, and is sent once it is back; after the
// last attempt a message stays in the outbox, readable.
func TestMailerRetriesAndLosesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 4, 15, 10, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		var user domain.User
		err := db.InTx(ctx, func(tx *store.Tx) error {
			o, err := tx.CreateOrganisation(ctx, domain.OperatorActor("test"), domain.Organisation{Kind: domain.OrgSupplier, Name: "S"})
			if err != nil {
				return err
			}
			user, err = tx.CreateUser(ctx, domain.OperatorActor("test"), domain.User{Email: "assessor@example.org", Name: "A", Role: domain.RoleAssessor, Org: o}, "h")
			if err != nil {
				return err
			}
			return portfolio.EnqueueFor(ctx, tx, user.ID, domain.Message{Subject: "New work to mark from Sam", Body: "Sam submitted A1."}, "/submissions/1")
		})
		if err != nil {
			t.Fatal(err)
		}
		srv := startSMTP(t)
		srv.set(true)
		m := notify.New(db, notify.SMTP{Addr: srv.ln.Addr().String(), From: "senco@example.org"}, slog.New(slog.DiscardHandler))
		m.BaseURL = "https://senco.example"
		if n, err := m.Pass(ctx); err != nil || n != 0 {
			t.Fatalf("pass with the server down: %d %v", n, err)
		}
		msgs, _ := portfolio.Outbox(ctx, db.Reader(), user.ID, 10)
		if len(msgs) != 1 || msgs[0].Sent() || msgs[0].Attempts != 1 || msgs[0].LastError == "" || !msgs[0].NextAt.Equal(now.Add(time.Minute)) {
			t.Fatalf("after a failure: %+v", msgs)
		}
		// Not due again until the backoff has passed.
		srv.set(false)
		if n, _ := m.Pass(ctx); n != 0 {
			t.Errorf("retried before the backoff: %d", n)
		}
		now = now.Add(2 * time.Minute)
		if n, err := m.Pass(ctx); err != nil || n != 1 {
			t.Fatalf("pass with the server back: %d %v", n, err)
		}
		got := srv.received()
		if len(got) != 1 || !strings.Contains(got[0], "Subject: New work to mark from Sam") || !strings.Contains(got[0], "https://senco.example/submissions/1") {
			t.Errorf("mail received: %q", got)
		}
		if n, _ := m.Pass(ctx); n != 0 || len(srv.received()) != 1 {
			t.Errorf("sent twice")
		}

		// Bounded: a second message, the server down for good.
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return portfolio.EnqueueFor(ctx, tx, user.ID, domain.Message{Subject: "Second", Body: "b"}, "")
		}); err != nil {
			t.Fatal(err)
		}
		srv.set(true)
		for range domain.MaxSendAttempts + 3 {
			if _, err := m.Pass(ctx); err != nil {
				t.Fatal(err)
			}
			now = now.Add(time.Hour)
		}
		msgs, _ = portfolio.Outbox(ctx, db.Reader(), user.ID, 10)
		if len(msgs) != 2 || msgs[0].Subject != "Second" || msgs[0].Attempts != domain.MaxSendAttempts || !msgs[0].GaveUp() || !msgs[1].Sent() {
			t.Errorf("after giving up: %+v", msgs)
		}
	})
}

func (f *fakeSMTP) set(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
}

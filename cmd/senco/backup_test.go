package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"senco/internal/auth"
	"senco/internal/demo"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// TestBackupWhileWriting backs up the demo while a trainer's register is
// saved over and over: the backup does not stop the writes, the copy is
// one instant's database (every mark of the register from the same save),
// and every report reads the same from the copy as from the source.
func TestBackupWhileWriting(t *testing.T) {
	c := newCLI(t)
	ctx := context.Background()
	dbURL := c.env["SENCO_DB"]
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, auth.NewHasher(auth.Params{Memory: 1024, Time: 1, Threads: 1}, 2), demo.Options{}); err != nil {
		t.Fatal(err)
	}
	sess, lines := busiest(t, db)

	// The writer: each save is based on the version before it and marks
	// every learner the same, present on even versions, absent on odd.
	var saves atomic.Int64
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for v := sess.RegisterVersion; ; v++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			marks := map[int64]domain.Mark{}
			for _, l := range lines {
				marks[l.ApplicationID] = markFor(v)
			}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				return tx.SaveRegister(ctx, domain.OperatorActor("trainer"), sess, v, marks)
			})
			if err != nil {
				done <- err
				return
			}
			saves.Add(1)
		}
	}()
	for saves.Load() < 5 {
	}
	copyPath := filepath.Join(c.dir, "backup.db")
	c.must("backup", copyPath)
	during := saves.Load()
	for saves.Load() < during+5 {
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("a save failed while the backup ran: %v", err)
	}
	t.Logf("%d saves, %d of them before the backup ended", saves.Load(), during)

	// Refused the second time: a backup never overwrites.
	if code, _, errOut := c.run("", "backup", copyPath); code != exitFail || !strings.Contains(errOut, "already exists") {
		t.Errorf("backup over an existing file: exit %d, %s", code, errOut)
	}

	// Restore: open the copy. Its register is one save's, whole.
	raw, err := sql.Open("sqlite", "file:"+copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var ok string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity check of the copy: %q %v", ok, err)
	}
	var version int
	if err := raw.QueryRow(`SELECT register_version FROM sessions_taught WHERE id = $1`, sess.ID).Scan(&version); err != nil {
		t.Fatal(err)
	}
	rows, err := raw.Query(`SELECT mark FROM attendance WHERE session_id = $1`, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var m string
		rows.Scan(&m)
		if n++; domain.Mark(m) != markFor(version-1) {
			t.Errorf("the copy's register at version %d has a mark %q: not one save's", version, m)
		}
	}
	rows.Close()
	if n != len(lines) || version <= sess.RegisterVersion {
		t.Errorf("the copy has %d marks at version %d, want %d marks after version %d", n, version, len(lines), sess.RegisterVersion)
	}

	// Every report reads the same from the copy as from the source.
	copyURL := "sqlite:" + copyPath
	programmes, err := db.Programmes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reports := [][]string{
		{"report", "coverage", "--as-at", "2026-03-01", "--by", "la"},
		{"report", "coverage", "--as-at", "2026-03-01", "--by", "region"},
		{"report", "gap", "--as-at", "2026-03-01"},
		{"report", "equity", "--as-at", "2026-03-01"},
	}
	for _, p := range programmes {
		id := strconv.FormatInt(p.ID, 10)
		reports = append(reports, []string{"report", "progress", "--programme", id}, []string{"report", "progress", "--programme", id, "--table", "forecast"})
	}
	for _, args := range reports {
		src := c.must(append(args, "--db", dbURL)...)
		cp := c.must(append(args, "--db", copyURL)...)
		if src != cp {
			t.Errorf("senco %s differs between the source and the copy", strings.Join(args, " "))
		}
	}
	if _, err := os.Stat(copyPath); err != nil {
		t.Fatal(err)
	}
}

func markFor(version int) domain.Mark {
	if version%2 == 0 {
		return "present"
	}
	return "absent"
}

// busiest is the demo session whose register has the most learners.
func busiest(t *testing.T, db *store.DB) (store.SessionRecord, []store.RegisterLine) {
	t.Helper()
	ctx := context.Background()
	var best store.SessionRecord
	var bestLines []store.RegisterLine
	for id := int64(1); id <= 200; id++ {
		s, _, err := db.Session(ctx, policy.Scope{Kind: policy.National}, id)
		if err != nil {
			continue
		}
		lines, err := db.Register(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) > len(bestLines) {
			best, bestLines = s, lines
		}
	}
	if len(bestLines) == 0 {
		t.Fatal("the demo has no register with learners")
	}
	return best, bestLines
}

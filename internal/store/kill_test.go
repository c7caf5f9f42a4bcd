package store_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/payments"
	"senco/internal/store/storetest"
)

// TestKillChild is the other process of TestKilledMidWrite: with
// SENCO_KILL_ACTION set it opens the database, makes the write in a
// transaction, says so on stdout, and waits to be killed before it can
// commit. Without the variable it does nothing.
func TestKillChild(t *testing.T) {
	action := os.Getenv("SENCO_KILL_ACTION")
	if action == "" {
		return
	}
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv("SENCO_KILL_DB"))
	if err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		switch action {
		case "statements":
			var run payments.StatementRun
			run, err = payments.GenerateStatements(ctx, tx, op, domain.Month{Year: 2026, Month: 3})
			if err == nil && run.Lines == 0 {
				err = fmt.Errorf("the run wrote no lines")
			}
		case "batch":
			_, err = payments.CreateBatch(ctx, tx, op)
		}
		if err != nil {
			return err
		}
		fmt.Println("written")
		select {} // killed here, before the commit
	})
	t.Fatal(err)
}

// TestKilledMidWrite kills (SIGKILL) a process that has written a
// statement run or a payment batch but not committed it: afterwards the
// database holds none of it, on SQLite and PostgreSQL, and the same run
// then succeeds.
func TestKilledMidWrite(t *testing.T) {
	storetest.EachURL(t, func(t *testing.T, db *store.DB, url string) {
		ctx := context.Background()
		w := newMoneyWorld(t, db)
		db.SetClock(func() time.Time { return time.Date(2026, 4, 15, 10, 0, 0, 0, time.UTC) })
		leeds := policy.Scope{Kind: policy.Setting, SettingURN: "EY000001"}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, _, err := payments.Declare(ctx, tx, op, w.supScope, w.good.ID, domain.MilestoneStarted, domain.NewDate(2026, 3, 20)); err != nil {
				return err
			}
			if err := payments.AcceptConditions(ctx, tx, op, "EY000001", w.prog.ID); err != nil {
				return err
			}
			c, err := payments.SubmitClaim(ctx, tx, op, leeds, w.good.ID, []int64{w.sessions[0].ID})
			if err != nil {
				return err
			}
			if _, err := payments.VerifyClaim(ctx, tx, op, w.supScope, c.ID, true, ""); err != nil {
				return err
			}
			_, err = payments.ApproveClaim(ctx, tx, op, c.ID, true, "")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, action := range []string{"statements", "batch"} {
			cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "SENCO_KILL_ACTION="+action, "SENCO_KILL_DB="+url)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, _ := bufio.NewReader(out).ReadString('\n')
			if strings.TrimSpace(line) != "written" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("%s: the other process said %q", action, line)
			}
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			sts, err := payments.Statements(ctx, db.Reader(), w.national, payments.StatementFilter{})
			if err != nil {
				t.Fatal(err)
			}
			batches, err := payments.Batches(ctx, db.Reader())
			if err != nil {
				t.Fatal(err)
			}
			claims, _ := payments.Claims(ctx, db.Reader(), w.national, payments.ClaimFilter{State: domain.ClaimApproved})
			if len(sts) != 0 || len(batches) != 0 || claims.Total != 1 {
				t.Fatalf("after killing the %s run: %d statements, %d batches, %d approved claims", action, len(sts), len(batches), claims.Total)
			}
		}
		// The database is whole: the same runs now succeed.
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := payments.GenerateStatements(ctx, tx, op, domain.Month{Year: 2026, Month: 3}); err != nil {
				return err
			}
			_, err := payments.CreateBatch(ctx, tx, op)
			return err
		})
		if err != nil {
			t.Fatalf("after the kills: %v", err)
		}
	})
}

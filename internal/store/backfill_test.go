package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/payments"
	"senco/internal/store/storetest"
)

func TestBackfillClaimsAndBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newMoneyWorld(t, db)
		clock := time.Date(2026, 4, 15, 10, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return clock })
		leeds := policy.Scope{Kind: policy.Setting, SettingURN: "EY000001"}
		other := policy.Scope{Kind: policy.Setting, SettingURN: "EY000002"}
		submit := func(scope policy.Scope, app store.Application, ids ...int64) (domain.Claim, error) {
			var c domain.Claim
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				c, err = payments.SubmitClaim(ctx, tx, op, scope, app.ID, ids)
				return err
			})
			return c, err
		}
		s := w.sessions
		if _, err := submit(leeds, w.good, s[0].ID); err == nil || !strings.Contains(err.Error(), "grant conditions") {
			t.Fatalf("claim before the conditions: %v", err)
		}
		for range 2 {
			if err := db.InTx(ctx, func(tx *store.Tx) error { return payments.AcceptConditions(ctx, tx, op, "EY000001", w.prog.ID) }); err != nil {
				t.Fatal(err)
			}
		}
		form, err := payments.LoadClaimForm(ctx, db.Reader(), leeds, w.good.ID, domain.DateOf(db.Now()))
		if err != nil || len(form.Claimable) != 4 {
			t.Fatalf("claim form: %d claimable, %v", len(form.Claimable), err)
		}
		if _, err := payments.LoadClaimForm(ctx, db.Reader(), other, w.good.ID, domain.DateOf(db.Now())); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another setting opened the claim form: %v", err)
		}
		if _, err := submit(other, w.good, s[0].ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another setting claimed for our learner: %v", err)
		}
		// Two claims for the same sessions at once: one wins.
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() { defer wg.Done(); _, errs[i] = submit(leeds, w.good, s[0].ID, s[1].ID) }()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			}
		}
		if won != 1 {
			t.Fatalf("%d concurrent claims for the same sessions succeeded: %v", won, errs)
		}
		page, _ := payments.Claims(ctx, db.Reader(), leeds, payments.ClaimFilter{})
		if page.Total != 1 || page.Claims[0].Minutes != 720 || page.Claims[0].Amount != domain.ClaimAmount(1450, 720) {
			t.Fatalf("claims: %+v", page)
		}
		first := page.Claims[0]
		if c, err := payments.Claim(ctx, db.Reader(), leeds, first.ID); err != nil || len(c.Lines) != 2 {
			t.Fatalf("claim lines: %+v %v", c, err)
		}
		if p, _ := payments.Claims(ctx, db.Reader(), other, payments.ClaimFilter{}); p.Total != 0 {
			t.Fatalf("another setting sees %d claims", p.Total)
		}
		if p, _ := payments.Claims(ctx, db.Reader(), w.supScope, payments.ClaimFilter{}); p.Total != 1 {
			t.Fatalf("the supplier sees %d claims", p.Total)
		}
		if p, _ := payments.Claims(ctx, db.Reader(), w.otherSup, payments.ClaimFilter{}); p.Total != 0 {
			t.Fatalf("another supplier sees %d claims", p.Total)
		}
		// The second learner (at Leeds Two) missed the first session: it is
		// refused.
		leeds2 := policy.Scope{Kind: policy.Setting, SettingURN: "EY000003"}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return payments.AcceptConditions(ctx, tx, op, "EY000003", w.prog.ID) }); err != nil {
			t.Fatal(err)
		}
		if _, err := submit(leeds2, w.poor, s[0].ID); err == nil {
			t.Fatal("claimed an absence")
		}
		second, err := submit(leeds2, w.poor, s[1].ID, s[2].ID)
		if err != nil {
			t.Fatal(err)
		}
		decide := func(fn func(tx *store.Tx) (domain.Claim, error)) domain.Claim {
			t.Helper()
			var c domain.Claim
			if err := db.InTx(ctx, func(tx *store.Tx) error { var err error; c, err = fn(tx); return err }); err != nil {
				t.Fatal(err)
			}
			return c
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := payments.VerifyClaim(ctx, tx, op, w.otherSup, first.ID, true, "")
			return err
		}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another supplier verified: %v", err)
		}
		decide(func(tx *store.Tx) (domain.Claim, error) {
			return payments.VerifyClaim(ctx, tx, op, w.supScope, first.ID, true, "")
		})
		decide(func(tx *store.Tx) (domain.Claim, error) {
			return payments.VerifyClaim(ctx, tx, op, w.supScope, second.ID, true, "")
		})
		decide(func(tx *store.Tx) (domain.Claim, error) {
			return payments.ApproveClaim(ctx, tx, op, first.ID, true, "")
		})
		decide(func(tx *store.Tx) (domain.Claim, error) {
			return payments.ApproveClaim(ctx, tx, op, second.ID, true, "")
		})
		var b domain.Batch
		if err := db.InTx(ctx, func(tx *store.Tx) error { var err error; b, err = payments.CreateBatch(ctx, tx, op); return err }); err != nil {
			t.Fatal(err)
		}
		if b.Claims != 2 || b.Total != first.Amount+second.Amount {
			t.Fatalf("batch: %+v", b)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { _, err := payments.CreateBatch(ctx, tx, op); return err }); err == nil {
			t.Fatal("an empty batch was made")
		}
		// A response that does not match the batch changes nothing.
		bad := []domain.BatchResponse{{Row: 2, ClaimID: first.ID, Amount: first.Amount, Outcome: domain.OutcomePaid, Reference: "P1"}}
		if err := db.InTx(ctx, func(tx *store.Tx) error { _, err := payments.ReconcileBatch(ctx, tx, op, b.ID, bad); return err }); err == nil {
			t.Fatal("a response without every claim was accepted")
		}
		if c, _ := payments.Claim(ctx, db.Reader(), leeds, first.ID); c.State != domain.ClaimBatched {
			t.Fatalf("a refused response changed a claim: %s", c.State)
		}
		good := append(bad, domain.BatchResponse{Row: 3, ClaimID: second.ID, Amount: second.Amount, Outcome: domain.OutcomeNotPaid, Reason: "Bank details rejected"})
		if err := db.InTx(ctx, func(tx *store.Tx) error { _, err := payments.ReconcileBatch(ctx, tx, op, b.ID, good); return err }); err != nil {
			t.Fatal(err)
		}
		if c, _ := payments.Claim(ctx, db.Reader(), leeds, first.ID); c.State != domain.ClaimPaid || c.PaymentRef != "P1" {
			t.Fatalf("paid claim: %+v", c)
		}
		if b, _ = payments.Batch(ctx, db.Reader(), b.ID); b.State != domain.BatchReconciled {
			t.Fatalf("batch after reconciling: %+v", b)
		}
		// Not paid: approved again into a later batch. Clawed back: its
		// sessions can be claimed again.
		decide(func(tx *store.Tx) (domain.Claim, error) {
			return payments.ApproveClaim(ctx, tx, op, second.ID, true, "")
		})
		decide(func(tx *store.Tx) (domain.Claim, error) {
			return payments.ClawBackClaim(ctx, tx, op, first.ID, "The rota shows no cover on 9 March")
		})
		if _, err := submit(leeds, w.good, s[0].ID); err != nil {
			t.Fatalf("claiming a clawed-back session again: %v", err)
		}
	})
}

func TestBudget(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newMoneyWorld(t, db)
		db.SetClock(func() time.Time { return time.Date(2026, 4, 15, 10, 0, 0, 0, time.UTC) })
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, _, err := payments.Declare(ctx, tx, op, w.supScope, w.good.ID, domain.MilestoneStarted, domain.NewDate(2026, 3, 20)); err != nil {
				return err
			}
			if err := payments.AcceptConditions(ctx, tx, op, "EY000001", w.prog.ID); err != nil {
				return err
			}
			_, err := payments.SubmitClaim(ctx, tx, op, policy.Scope{Kind: policy.Setting, SettingURN: "EY000001"}, w.good.ID, []int64{w.sessions[0].ID})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		b, areas, err := payments.Budget(ctx, db, w.prog.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Supplier A: 100 places at £1,200; supplier B: 10 places at £0.
		if b.Places != 110 || b.Approved != 30000 || b.Paid != 0 || b.Committed != 100*120000-30000+domain.ClaimAmount(1450, 360) || b.Target != 5000 {
			t.Errorf("budget: %+v", b)
		}
		if len(areas) != 1 || areas[0].LACode != "E08000035" || areas[0].Approved != 30000 {
			t.Errorf("by authority: %+v", areas)
		}
		if w := domain.BudgetWarnings(b); len(w) != 1 || !strings.Contains(w[0], "110 places") {
			t.Errorf("warnings: %q", w)
		}
	})
}

package demo

import (
	"context"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store/payments"
	"senco/internal/store/storetest"
)

// TestPaymentsDemo: every supplier has a year of statements — paid ones,
// a payable one and an open one — one of them with a clawback, and every
// statement is the sum of its lines.
func TestPaymentsDemo(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := Seed(ctx, db, hasher(), Options{Seed: deliverySeed}); err != nil {
		t.Fatal(err)
	}
	all := policy.Scope{Kind: policy.National}
	sts, err := payments.Statements(ctx, db.Reader(), all, payments.StatementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	states := map[int64]map[domain.StatementState]int{}
	clawbacks := 0
	for _, s := range sts {
		if states[s.SupplierOrgID] == nil {
			states[s.SupplierOrgID] = map[domain.StatementState]int{}
		}
		states[s.SupplierOrgID][s.State]++
		lines, err := payments.StatementLines(ctx, db.Reader(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if domain.StatementTotal(lines) != s.Total || len(lines) != s.Lines {
			t.Errorf("%s statement %s: total %v, %d lines summing to %v", s.SupplierName, s.Month, s.Total, len(lines), domain.StatementTotal(lines))
		}
		for _, l := range lines {
			if l.Kind == domain.LineClawback {
				clawbacks++
			}
		}
	}
	if len(states) != 2 {
		t.Fatalf("statements of %d suppliers, want 2: %v", len(states), states)
	}
	for supplier, n := range states {
		if n[domain.StatementPaid] < 4 || n[domain.StatementPayable] != 1 {
			t.Errorf("supplier %d's statements: %v; want a paid year and one payable", supplier, n)
		}
	}
	if clawbacks != 1 {
		t.Errorf("%d clawback lines, want 1", clawbacks)
	}
	page, err := payments.Declarations(ctx, db.Reader(), all, payments.DeclarationFilter{PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	byMilestone := map[domain.Milestone]int{}
	for _, d := range page.Declarations {
		byMilestone[d.Milestone]++
	}
	if byMilestone[domain.MilestoneStarted] == 0 || byMilestone[domain.MilestoneRetained] == 0 || byMilestone[domain.MilestoneCompleted] == 0 {
		t.Errorf("declarations by milestone: %v", byMilestone)
	}
	t.Logf("%d statements, %d declarations %v", len(sts), page.Total, byMilestone)
}

// TestClaimsDemo: claims of cover in every state, and the demo nursery's
// manager sees claims of their own setting.
func TestClaimsDemo(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := Seed(ctx, db, hasher(), Options{Seed: deliverySeed}); err != nil {
		t.Fatal(err)
	}
	page, err := payments.Claims(ctx, db.Reader(), policy.Scope{Kind: policy.National}, payments.ClaimFilter{PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	states := map[domain.ClaimState]int{}
	for _, c := range page.Claims {
		states[c.State]++
	}
	for _, s := range domain.ClaimStates {
		if states[s] == 0 {
			t.Errorf("no claim is %s: %v", s, states)
		}
	}
	manager, _, err := db.UserByEmail(ctx, Emails()[7])
	if err != nil {
		t.Fatal(err)
	}
	own, err := payments.Claims(ctx, db.Reader(), policy.Scope{Kind: policy.Setting, SettingURN: manager.Org.SettingURN}, payments.ClaimFilter{})
	if err != nil || own.Total == 0 {
		t.Errorf("the demo nursery has %d claims (%v)", own.Total, err)
	}
	batches, err := payments.Batches(ctx, db.Reader())
	if err != nil || len(batches) != 2 {
		t.Errorf("batches: %+v %v", batches, err)
	}
	t.Logf("%d claims %v; the nursery's %d", page.Total, states, own.Total)
}

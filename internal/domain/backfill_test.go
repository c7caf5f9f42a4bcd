package domain

import (
	"strings"
	"testing"
)

func TestMakeClaim(t *testing.T) {
	today := NewDate(2026, 6, 30)
	rules := DefaultBackfill()
	app := appIn(StatusInTraining)
	sessions := []SessionAttended{
		{SessionID: 1, Date: NewDate(2026, 3, 2), Minutes: 360, Mark: Present},
		{SessionID: 2, Date: NewDate(2026, 3, 9), Minutes: 360, Mark: Half},
		{SessionID: 3, Date: NewDate(2026, 3, 16), Minutes: 360, Mark: Absent},
		{SessionID: 4, Date: NewDate(2026, 3, 23), Minutes: 330, Mark: Present, Claimed: true},
		{SessionID: 5, Date: NewDate(2026, 7, 6), Minutes: 360, Mark: Present},
		{SessionID: 6, Date: NewDate(2026, 1, 5), Minutes: 360, Mark: Present},
	}
	base := ClaimFacts{App: app, Region: "E12000003", Rules: rules, Conditions: true, Sessions: sessions, SupplierOrgID: 5}
	with := func(f func(*ClaimFacts)) ClaimFacts { x := base; f(&x); return x }
	c, err := MakeClaim("EY1", []int64{2, 1, 1}, base, today)
	if err != nil || c.Minutes != 540 || c.Rate != 1450 || c.Amount != 13050 || len(c.Lines) != 2 || c.Lines[0].SessionID != 1 || c.State != ClaimSubmitted {
		t.Fatalf("claim: %+v %v", c, err)
	}
	if london, _ := MakeClaim("EY1", []int64{1}, with(func(f *ClaimFacts) { f.Region = "E12000007" }), today); london.Amount != 9720 {
		t.Errorf("London rate: %v", london.Amount)
	}
	tests := []struct {
		name  string
		ids   []int64
		f     ClaimFacts
		field string
		msg   string
	}{
		{"another setting's learner", []int64{1}, with(func(f *ClaimFacts) { f.App.SettingURN = "EY2" }), "learner", "not training from your setting"},
		{"no cover paid", []int64{1}, with(func(f *ClaimFacts) { f.Rules = BackfillRules{} }), "sessions", "does not pay for cover"},
		{"conditions not accepted", []int64{1}, with(func(f *ClaimFacts) { f.Conditions = false }), "conditions", "Accept the grant conditions"},
		{"nothing chosen", nil, base, "sessions", "Choose the sessions"},
		{"absent", []int64{3}, base, "sessions", "the register shows Sam Example absent"},
		{"already claimed", []int64{4}, base, "sessions", "already claimed"},
		{"in the future", []int64{5}, base, "sessions", "has not happened yet"},
		{"outside the window", []int64{6}, base, "sessions", "outside the claim window"},
		{"not theirs", []int64{99}, base, "sessions", "session 99 is not one of Sam Example's"},
		{"over the cap", []int64{1, 2}, with(func(f *ClaimFacts) { f.PaidMinutes = 68 * 60 }), "sessions", "capped at 72 hours; 68 hours is already claimed and this claim adds 9 hours"},
	}
	for _, tt := range tests {
		_, err := MakeClaim("EY1", tt.ids, tt.f, today)
		r, ok := IsRefusal(err)
		if !ok || r.Field != tt.field || !strings.Contains(r.Msg, tt.msg) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if got := Claimable(sessions, rules, today); len(got) != 2 || got[0].SessionID != 1 || got[1].SessionID != 2 {
		t.Errorf("claimable: %+v", got)
	}
	for _, tt := range []struct {
		m    int
		want string
	}{{60, "1 hour"}, {330, "5.5 hours"}, {20, "0.33 hours"}, {4320, "72 hours"}} {
		if got := FormatMinutes(tt.m); got != tt.want {
			t.Errorf("FormatMinutes(%d) = %q, want %q", tt.m, got, tt.want)
		}
	}
	if got := ClaimAmount(1450, 1); got != 24 {
		t.Errorf("a minute at £14.50 an hour: %v", got)
	}
}

func TestClaimDecisions(t *testing.T) {
	sub := Claim{State: ClaimSubmitted, Amount: 1000}
	if _, err := ApproveClaim(sub, true, ""); err == nil {
		t.Error("approved before the supplier verified it")
	}
	if _, err := VerifyClaim(sub, false, " "); err == nil {
		t.Error("rejected without a reason")
	}
	rej, _ := VerifyClaim(sub, false, "Not on our register that day")
	if rej.State != ClaimRejected || rej.Reason == "" {
		t.Errorf("rejected: %+v", rej)
	}
	ver, _ := VerifyClaim(sub, true, "")
	app, err := ApproveClaim(ver, true, "")
	if err != nil || app.State != ClaimApproved {
		t.Errorf("approve: %+v %v", app, err)
	}
	if _, err := ClawBackClaim(app, "wrong"); err == nil {
		t.Error("clawed back an unpaid claim")
	}
	again, err := ApproveClaim(Claim{State: ClaimNotPaid, Reason: "bank details"}, true, "")
	if err != nil || again.State != ClaimApproved || again.Reason != "" {
		t.Errorf("approve again after not paid: %+v %v", again, err)
	}
	cb, err := ClawBackClaim(Claim{State: ClaimPaid}, "Rota shows no cover")
	if err != nil || cb.State != ClaimClawedBack {
		t.Errorf("clawback: %+v %v", cb, err)
	}
}

func TestReconcileBatch(t *testing.T) {
	b := Batch{ID: 3, State: BatchSent}
	claims := []Claim{{ID: 10, Amount: 1000, State: ClaimBatched}, {ID: 11, Amount: 2000, State: ClaimBatched}}
	out, err := ReconcileBatch(b, claims, []BatchResponse{
		{Row: 2, ClaimID: 10, Amount: 1000, Outcome: OutcomePaid, Reference: "P-1"},
		{Row: 3, ClaimID: 11, Amount: 2000, Outcome: OutcomeNotPaid, Reason: "Bank details do not match"},
	})
	if err != nil || out[0].State != ClaimPaid || out[0].PaymentRef != "P-1" || out[1].State != ClaimNotPaid || claims[0].State != ClaimBatched {
		t.Fatalf("reconcile: %+v %v", out, err)
	}
	_, err = ReconcileBatch(b, claims, []BatchResponse{
		{Row: 2, ClaimID: 10, Amount: 999, Outcome: OutcomePaid},
		{Row: 3, ClaimID: 10, Amount: 1000, Outcome: OutcomePaid, Reference: "x"},
		{Row: 4, ClaimID: 12, Amount: 1, Outcome: OutcomePaid, Reference: "x"},
		{Row: 5, ClaimID: 11, Amount: 2000, Outcome: "maybe"},
	})
	probs, ok := err.(RowProblems)
	want := []string{
		`row 2, column "amount": "9.99" — expected the claim's amount, 10.00`,
		`row 2, column "payment_reference": expected the payment reference of a paid claim`,
		`row 3, column "claim_id": "10" — expected each claim once, but row 2 answers it too`,
		`row 4, column "claim_id": "12" — expected a claim of batch 3`,
		`row 5, column "outcome": "maybe" — expected paid or not_paid`,
	}
	if !ok || len(probs) != len(want) {
		t.Fatalf("problems: %v", err)
	}
	for i, w := range want {
		if got := strings.Split(err.Error(), "\n")[i]; got != w {
			t.Errorf("problem %d: %q, want %q", i, got, w)
		}
	}
	if _, err := ReconcileBatch(b, claims, []BatchResponse{{Row: 2, ClaimID: 10, Amount: 1000, Outcome: OutcomePaid, Reference: "P"}}); err == nil ||
		!strings.Contains(err.Error(), "claim 11 has none") {
		t.Errorf("a claim left out: %v", err)
	}
	if _, err := ReconcileBatch(Batch{ID: 3, State: BatchReconciled}, claims, nil); err == nil {
		t.Error("reconciled twice")
	}
}

package domain

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestDeclare(t *testing.T) {
	today := NewDate(2026, 11, 30)
	contract := Contract{ID: 4, PriceStarted: 30000, PriceRetained: 40000, PriceCompleted: 50000}
	learner := appIn(StatusInTraining)
	base := DeclarationFacts{App: learner, CohortSupplierOrgID: 5, FirstSession: NewDate(2026, 3, 2), FirstAttended: true,
		Rate: 0.9, Threshold: 0.8, SessionsHeld: 8, SessionsPlanned: 12, Contract: contract}
	with := func(f func(*DeclarationFacts)) DeclarationFacts { x := base; f(&x); return x }
	existing := &Declaration{ID: 99, State: DeclarationEligible}
	on := NewDate(2026, 6, 1)
	tests := []struct {
		name  string
		m     Milestone
		on    Date
		f     DeclarationFacts
		field string // "" when accepted
		msg   string
	}{
		{"started", MilestoneStarted, on, base, "", ""},
		{"retained", MilestoneRetained, on, base, "", ""},
		{"no such milestone", "halfway", on, base, "milestone", "one of the milestones"},
		{"no date", MilestoneStarted, Date{}, base, "declared_on", "Enter the date"},
		{"in the future", MilestoneStarted, today.AddDays(1), base, "declared_on", "today or in the past"},
		{"another supplier's learner", MilestoneStarted, on, with(func(f *DeclarationFacts) { f.CohortSupplierOrgID = 6 }), "learner", "not a learner on one of your cohorts"},
		{"funded elsewhere", MilestoneStarted, on, with(func(f *DeclarationFacts) { f.FundedElsewhere = true }), "learner", "through another supplier"},
		{"no contract", MilestoneStarted, on, with(func(f *DeclarationFacts) { f.Contract = Contract{} }), "learner", "no contract in force"},
		{"before enrolment", MilestoneStarted, learner.EnrolledOn.AddDays(-1), base, "declared_on", "was enrolled on"},
		{"first session not attended", MilestoneStarted, on, with(func(f *DeclarationFacts) { f.FirstAttended = false }), "milestone", "did not attend it"},
		{"no session yet", MilestoneStarted, on, with(func(f *DeclarationFacts) { f.FirstSession = Date{} }), "milestone", "had held no session"},
		{"declared before the first session", MilestoneStarted, NewDate(2026, 3, 1), with(func(f *DeclarationFacts) { f.App.EnrolledOn = NewDate(2026, 1, 1) }), "milestone", "had held no session"},
		{"retained too early", MilestoneRetained, on, with(func(f *DeclarationFacts) { f.SessionsHeld = 5 }), "milestone", "5 of 12"},
		{"retained, attendance short", MilestoneRetained, on, with(func(f *DeclarationFacts) { f.Rate = 0.75 }), "milestone", "80% or more; Sam Example's was 75%"},
		{"retained after withdrawal", MilestoneRetained, on, with(func(f *DeclarationFacts) { f.App.Status = StatusWithdrawn }), "milestone", "is withdrawn"},
		{"completed in training", MilestoneCompleted, on, base, "milestone", "training to be complete"},
		{"completed", MilestoneCompleted, on, with(func(f *DeclarationFacts) { f.App.Status = StatusCompleted }), "", ""},
		{"completed and certified", MilestoneCompleted, on, with(func(f *DeclarationFacts) { f.App = appIn(StatusCertified) }), "", ""},
	}
	for _, tt := range tests {
		d, err := Declare(5, tt.m, tt.on, tt.f, today)
		if tt.field == "" {
			if err != nil || d.State != DeclarationEligible || d.Amount != contract.Price(tt.m) || d.ContractID != 4 || d.Evidence == "" {
				t.Errorf("%s: %+v %v", tt.name, d, err)
			}
			continue
		}
		r, ok := IsRefusal(err)
		if !ok || r.Field != tt.field || !strings.Contains(r.Msg, tt.msg) {
			t.Errorf("%s: %v (%+v), want %s …%s…", tt.name, err, r, tt.field, tt.msg)
		}
	}
	d, err := Declare(5, MilestoneStarted, on, with(func(f *DeclarationFacts) { f.Existing = existing }), today)
	if !errors.Is(err, ErrDeclared) || d.ID != 99 {
		t.Errorf("a second declaration: %+v %v", d, err)
	}
}

// TestMilestoneDue: a milestone is offered only when Declare, dated today, would
// accept it; otherwise the reason is Declare's.
func TestMilestoneDue(t *testing.T) {
	today := NewDate(2026, 11, 30)
	base := DeclarationFacts{App: appIn(StatusInTraining), CohortSupplierOrgID: 5, FirstSession: NewDate(2026, 3, 2), FirstAttended: true,
		Rate: 0.9, Threshold: 0.8, SessionsHeld: 8, SessionsPlanned: 12, Contract: Contract{ID: 4, PriceStarted: 30000}}
	with := func(f func(*DeclarationFacts)) DeclarationFacts { x := base; f(&x); return x }
	for _, tt := range []struct {
		name   string
		m      Milestone
		f      DeclarationFacts
		due    bool
		reason string
	}{
		{"started", MilestoneStarted, base, true, ""},
		{"retained", MilestoneRetained, base, true, ""},
		{"cohort starts next month", MilestoneStarted, with(func(f *DeclarationFacts) { f.FirstSession, f.SessionsHeld = Date{}, 0 }), false, "had held no session"},
		{"retained before half the sessions", MilestoneRetained, with(func(f *DeclarationFacts) { f.SessionsHeld = 3 }), false, "3 of 12"},
		{"completed while training", MilestoneCompleted, base, false, "training to be complete"},
		{"already declared", MilestoneStarted, with(func(f *DeclarationFacts) { f.Existing = &Declaration{ID: 1} }), false, "already declared"},
		{"funded elsewhere", MilestoneStarted, with(func(f *DeclarationFacts) { f.FundedElsewhere = true }), false, "another supplier"},
		{"no contract", MilestoneStarted, with(func(f *DeclarationFacts) { f.Contract = Contract{} }), false, "no contract"},
	} {
		due, reason := MilestoneDue(5, tt.m, tt.f, today)
		if due != tt.due || !strings.Contains(reason, tt.reason) || (due && reason != "") {
			t.Errorf("%s: due %v %q, want %v …%s…", tt.name, due, reason, tt.due, tt.reason)
		}
	}
}

func TestVoidDeclaration(t *testing.T) {
	on := NewDate(2026, 7, 1)
	for _, tt := range []struct {
		from, to DeclarationState
	}{
		{DeclarationEligible, DeclarationVoided}, {DeclarationPayable, DeclarationVoided}, {DeclarationPaid, DeclarationAwaitingClawback},
		{DeclarationVoided, ""}, {DeclarationAwaitingClawback, ""}, {DeclarationClawedBack, ""},
	} {
		d, err := VoidDeclaration(Declaration{State: tt.from}, "learner never attended", on)
		switch {
		case tt.to == "" && err == nil:
			t.Errorf("voided a %s declaration", tt.from)
		case tt.to != "" && (err != nil || d.State != tt.to || d.VoidedOn != on):
			t.Errorf("void %s: %+v %v", tt.from, d, err)
		}
	}
	if _, err := VoidDeclaration(Declaration{State: DeclarationPaid}, " ", on); err == nil {
		t.Error("voided without a reason")
	}
}

func TestStatementLifecycle(t *testing.T) {
	nov := Month{2026, 11}
	if nov.String() != "2026-11" || nov.Long() != "November 2026" || nov.Last() != NewDate(2026, 11, 30) || StatementDeadline(nov) != NewDate(2026, 12, 7) {
		t.Fatalf("month: %s %s %s %s", nov, nov.Long(), nov.Last(), StatementDeadline(nov))
	}
	if m, err := ParseMonth("2026-02"); err != nil || m != (Month{2026, 2}) {
		t.Errorf("parse month: %v %v", m, err)
	}
	if _, err := ParseMonth("Feb"); err == nil {
		t.Error("parsed a month that is not one")
	}
	s := Statement{Month: nov, Deadline: StatementDeadline(nov), State: StatementOpen}
	if _, err := CloseStatement(s, NewDate(2026, 12, 7)); err == nil {
		t.Error("closed on its deadline")
	}
	if _, err := AuthoriseStatement(s, "p"); err == nil {
		t.Error("authorised an open statement")
	}
	s, err := CloseStatement(s, NewDate(2026, 12, 8))
	if err != nil || s.State != StatementPayable {
		t.Fatalf("close: %+v %v", s, err)
	}
	if _, err := PayStatement(s, "REF", NewDate(2026, 12, 9), NewDate(2026, 12, 9)); err == nil {
		t.Error("paid before authorisation")
	}
	s, _ = AuthoriseStatement(s, "programme@example.org")
	if _, err := PayStatement(s, " ", NewDate(2026, 12, 9), NewDate(2026, 12, 9)); err == nil {
		t.Error("paid without a reference")
	}
	if _, err := PayStatement(s, "REF", NewDate(2026, 12, 10), NewDate(2026, 12, 9)); err == nil {
		t.Error("paid in the future")
	}
	if s, err = PayStatement(s, " BACS-1 ", NewDate(2026, 12, 9), NewDate(2026, 12, 9)); err != nil || s.State != StatementPaid || s.PaymentReference != "BACS-1" {
		t.Errorf("pay: %+v %v", s, err)
	}
	if m, own := OpenStatementFor(nov, StatementPayable); own || m != (Month{2026, 12}) {
		t.Errorf("lines after a statement closed go to %v", m)
	}
	for _, tt := range []struct {
		d    DeclarationState
		k    LineKind
		s    StatementState
		want DeclarationState
	}{
		{DeclarationEligible, LinePayment, StatementPayable, DeclarationPayable},
		{DeclarationPayable, LinePayment, StatementPaid, DeclarationPaid},
		{DeclarationAwaitingClawback, LineClawback, StatementPaid, DeclarationClawedBack},
		{DeclarationVoided, LinePayment, StatementPaid, DeclarationVoided},
		{DeclarationVoided, LineReversal, StatementPaid, DeclarationVoided},
	} {
		if got := DeclarationAfter(tt.d, tt.k, tt.s); got != tt.want {
			t.Errorf("%s %s on a %s statement → %s, want %s", tt.d, tt.k, tt.s, got, tt.want)
		}
	}
}

// TestStatementLinesReconcile: whatever the declarations' states, a
// statement's total is the sum of its lines, a declaration is paid once
// at most, and a declaration paid and then voided nets to nothing over
// the statements that hold it.
func TestStatementLinesReconcile(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for round := range 200 {
		var cands []LineCandidate
		paidNet := map[int64]Money{}
		for i := range 30 {
			d := Declaration{ID: int64(i + 1), Amount: Money(r.Int64N(50000) + 1), DeclaredOn: NewDate(2026, time_(r.IntN(12)+1), 1+r.IntN(28)),
				State: DeclarationStates[r.IntN(len(DeclarationStates))]}
			c := LineCandidate{Declaration: d, Paid: r.IntN(2) == 0}
			if c.Paid {
				paidNet[d.ID] = d.Amount
			}
			cands = append(cands, c)
		}
		m := Month{2026, time_(r.IntN(12) + 1)}
		lines := StatementLines(m, cands)
		var sum Money
		seen := map[int64]bool{}
		for _, l := range lines {
			sum += l.Amount
			if seen[l.DeclarationID] {
				t.Fatalf("round %d: declaration %d twice on one statement", round, l.DeclarationID)
			}
			seen[l.DeclarationID] = true
			c := cands[l.DeclarationID-1]
			switch l.Kind {
			case LinePayment:
				if c.Paid || l.Amount != c.Amount || m.Last().Before(c.DeclaredOn) {
					t.Fatalf("round %d: payment line %+v for %+v", round, l, c)
				}
			case LineReversal:
				if !c.Paid || l.Amount != -paidNet[c.ID] {
					t.Fatalf("round %d: reversal %+v of %+v", round, l, c)
				}
			case LineClawback:
				if l.Amount != -c.Amount {
					t.Fatalf("round %d: clawback %+v of %+v", round, l, c)
				}
			}
		}
		if StatementTotal(lines) != sum {
			t.Fatalf("round %d: total %v, lines sum to %v", round, StatementTotal(lines), sum)
		}
	}
}

func time_(m int) time.Month { return time.Month(m) }

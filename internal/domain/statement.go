package domain

import (
	"fmt"
	"strings"
	"time"
)

// StatementState is where a supplier's monthly statement is on its way to
// payment: open (lines still being added) → payable (its deadline passed)
// → authorised (by the programme team) → paid.
type StatementState string

const (
	StatementOpen       StatementState = "open"
	StatementPayable    StatementState = "payable"
	StatementAuthorised StatementState = "authorised"
	StatementPaid       StatementState = "paid"
)

var StatementStates = []StatementState{StatementOpen, StatementPayable, StatementAuthorised, StatementPaid}

func (s StatementState) Label() string {
	return title(s)
}

// LineKind is what a statement line does to the money.
type LineKind string

const (
	// LinePayment pays a declaration.
	LinePayment LineKind = "payment"
	// LineReversal takes an unpaid declaration that was voided off the
	// statement it is on (nothing is deleted).
	LineReversal LineKind = "reversal"
	// LineClawback takes back a declaration voided after it was paid.
	LineClawback LineKind = "clawback"
)

func (k LineKind) Label() string {
	return title(k)
}

// Statement is a supplier's monthly statement for one programme.
type Statement struct {
	ID               int64
	SupplierOrgID    int64
	ProgrammeID      int64
	Month            Month
	Deadline         Date
	State            StatementState
	PaymentReference string
	PaidOn           Date
	AuthorisedBy     string
	Total            Money
	Lines            int
	CreatedAt        time.Time
	UpdatedAt        time.Time

	SupplierName  string
	ProgrammeName string
}

// StatementLine is one line of a statement.
type StatementLine struct {
	ID            int64
	StatementID   int64
	DeclarationID int64
	Kind          LineKind
	Amount        Money
	CreatedAt     time.Time

	Milestone   Milestone
	DeclaredOn  Date
	LearnerName string
	ULN         string
}

// Month is a calendar month, as statements are kept by.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf is the month a date falls in.
func MonthOf(d Date) Month { return Month{d.Time().Year(), d.Time().Month()} }

// ParseMonth reads "2026-11".
func ParseMonth(s string) (Month, error) {
	d, err := ParseDate(strings.TrimSpace(s) + "-01")
	if err != nil {
		return Month{}, fmt.Errorf("%q is not a month such as 2026-11", s)
	}
	return MonthOf(d), nil
}

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Long is the month as a page shows it: November 2026.
func (m Month) Long() string { return fmt.Sprintf("%s %d", m.Month, m.Year) }

func (m Month) IsZero() bool        { return m.Year == 0 }
func (m Month) First() Date         { return NewDate(m.Year, m.Month, 1) }
func (m Month) Last() Date          { return m.First().AddMonths(1).AddDays(-1) }
func (m Month) Next() Month         { return MonthOf(m.First().AddMonths(1)) }
func (m Month) Before(o Month) bool { return m.First().Before(o.First()) }

// StatementDeadline is the day after which a month's statement is
// payable: the seventh of the next month, so that declarations of the
// month's last days still reach it.
func StatementDeadline(m Month) Date { return m.Next().First().AddDays(6) }

// LineCandidate is a supplier's declaration with what its statements
// already hold for it, loaded by the store.
type LineCandidate struct {
	Declaration
	Paid       bool // it has a payment line
	Reversed   bool // it has a reversal line
	ClawedBack bool // it has a clawback line
}

// StatementLines are the lines a statement of month m gathers: eligible
// declarations of the month or before that no statement pays yet; voided
// declarations a statement pays but has not reversed; declarations
// awaiting clawback that no statement has clawed back.
func StatementLines(m Month, candidates []LineCandidate) []StatementLine {
	var out []StatementLine
	for _, c := range candidates {
		line := StatementLine{DeclarationID: c.ID, Milestone: c.Milestone, DeclaredOn: c.DeclaredOn, LearnerName: c.LearnerName}
		switch {
		case c.State == DeclarationEligible && !c.Paid && !m.Last().Before(c.DeclaredOn):
			line.Kind, line.Amount = LinePayment, c.Amount
		case c.State == DeclarationVoided && c.Paid && !c.Reversed:
			line.Kind, line.Amount = LineReversal, -c.Amount
		case c.State == DeclarationAwaitingClawback && !c.ClawedBack:
			line.Kind, line.Amount = LineClawback, -c.Amount
		default:
			continue
		}
		out = append(out, line)
	}
	return out
}

// StatementTotal is the sum of a statement's lines.
func StatementTotal(lines []StatementLine) Money {
	var t Money
	for _, l := range lines {
		t += l.Amount
	}
	return t
}

// OpenStatementFor says which statement new lines go on: the month's own
// while it is open; once it has closed, the first later month's.
func OpenStatementFor(m Month, existing StatementState) (Month, bool) {
	if existing == "" || existing == StatementOpen {
		return m, true
	}
	return m.Next(), false
}

// CloseStatement makes an open statement payable once its deadline has
// passed.
func CloseStatement(s Statement, today Date) (Statement, error) {
	if s.State != StatementOpen {
		return s, Refuse("state", "The %s statement is already %s", s.Month.Long(), strings.ToLower(s.State.Label()))
	}
	if !today.After(s.Deadline) {
		return s, Refuse("state", "The %s statement stays open for declarations until its deadline, %s", s.Month.Long(), s.Deadline.Long())
	}
	s.State = StatementPayable
	return s, nil
}

// AuthoriseStatement is the programme team's approval of a payable
// statement for payment.
func AuthoriseStatement(s Statement, by string) (Statement, error) {
	if s.State != StatementPayable {
		return s, Refuse("state", "Only a payable statement can be authorised; the %s statement is %s", s.Month.Long(), strings.ToLower(s.State.Label()))
	}
	s.State, s.AuthorisedBy = StatementAuthorised, by
	return s, nil
}

// PayStatement records the payment of an authorised statement with the
// finance system's reference.
func PayStatement(s Statement, reference string, on, today Date) (Statement, error) {
	reference = strings.TrimSpace(reference)
	switch {
	case s.State != StatementAuthorised:
		return s, Refuse("state", "Only an authorised statement can be marked paid; the %s statement is %s", s.Month.Long(), strings.ToLower(s.State.Label()))
	case reference == "":
		return s, Refuse("payment_reference", "Enter the payment reference")
	case on.IsZero():
		return s, Refuse("paid_on", "Enter the date of payment")
	case on.After(today):
		return s, Refuse("paid_on", "The date of payment must be today or in the past")
	}
	s.State, s.PaymentReference, s.PaidOn = StatementPaid, reference, on
	return s, nil
}

// DeclarationAfter is the state a statement's change moves one of its
// declarations to: payable when it closes, paid (or clawed back) when it
// is paid.
func DeclarationAfter(d DeclarationState, kind LineKind, s StatementState) DeclarationState {
	switch {
	case kind == LinePayment && d == DeclarationEligible && s == StatementPayable:
		return DeclarationPayable
	case kind == LinePayment && (d == DeclarationEligible || d == DeclarationPayable) && s == StatementPaid:
		return DeclarationPaid
	case kind == LineClawback && d == DeclarationAwaitingClawback && s == StatementPaid:
		return DeclarationClawedBack
	}
	return d
}

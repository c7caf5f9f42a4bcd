package domain

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Paying suppliers. A supplier declares that a learner reached a paid
// milestone; senco checks the declaration against its own records before
// it can be paid, prices it from the contract version in force, and
// gathers it into the supplier's monthly statement. Nothing is deleted: a
// declaration voided after payment is clawed back on a later statement.

// Milestone is a paid point of a learner's training.
type Milestone string

const (
	MilestoneStarted   Milestone = "started"
	MilestoneRetained  Milestone = "retained"
	MilestoneCompleted Milestone = "completed"
)

// Milestones in the order a learner reaches them.
var Milestones = []Milestone{MilestoneStarted, MilestoneRetained, MilestoneCompleted}

func (m Milestone) Valid() bool { return slices.Contains(Milestones, m) }

func (m Milestone) Label() string {
	return title(m)
}

// Price is the contract's price of the milestone.
func (c Contract) Price(m Milestone) Money {
	switch m {
	case MilestoneStarted:
		return Money(c.PriceStarted)
	case MilestoneRetained:
		return Money(c.PriceRetained)
	case MilestoneCompleted:
		return Money(c.PriceCompleted)
	}
	return 0
}

// DeclarationState is where a declaration is on its way to payment.
type DeclarationState string

const (
	// Eligible: checked against the records, waiting for a statement.
	DeclarationEligible DeclarationState = "eligible"
	// Payable: on a statement whose deadline has passed.
	DeclarationPayable DeclarationState = "payable"
	DeclarationPaid    DeclarationState = "paid"
	// Voided before it was paid.
	DeclarationVoided DeclarationState = "voided"
	// AwaitingClawback: voided after it was paid; a later statement takes
	// the money back.
	DeclarationAwaitingClawback DeclarationState = "awaiting_clawback"
	DeclarationClawedBack       DeclarationState = "clawed_back"
)

// DeclarationStates in the order of the way to payment and back.
var DeclarationStates = []DeclarationState{DeclarationEligible, DeclarationPayable, DeclarationPaid, DeclarationVoided,
	DeclarationAwaitingClawback, DeclarationClawedBack}

// LiveDeclarations hold the one declaration a learner may have for a
// milestone; the store's unique index is built from this list.
var LiveDeclarations = []DeclarationState{DeclarationEligible, DeclarationPayable, DeclarationPaid}

func (s DeclarationState) Label() string {
	switch s {
	case DeclarationAwaitingClawback:
		return "Awaiting clawback"
	case DeclarationClawedBack:
		return "Clawed back"
	}
	return title(s)
}

// Declaration is a supplier's claim that a learner reached a milestone.
type Declaration struct {
	ID             int64
	ApplicationID  int64
	PractitionerID int64
	SupplierOrgID  int64
	ContractID     int64
	ProgrammeID    int64
	Milestone      Milestone
	DeclaredOn     Date
	State          DeclarationState
	Amount         Money
	// Evidence is what senco's records showed when it was checked.
	Evidence   string
	VoidedOn   Date
	VoidReason string
	CreatedAt  time.Time
	UpdatedAt  time.Time

	// For pages and exports.
	LearnerName  string
	SupplierName string
}

// DeclarationFacts are what senco's records say of the learner, loaded by
// the store for the declaration's date.
type DeclarationFacts struct {
	App Application
	// CohortSupplierOrgID is the supplier of the learner's cohort (or the
	// one they left), 0 if they never had one.
	CohortSupplierOrgID int64
	// FirstSession is the date of their cohort's first session held, zero
	// if none; FirstAttended whether they attended it (present, half, or
	// caught up).
	FirstSession  Date
	FirstAttended bool
	// Rate is their attendance share on the declared date, and Threshold
	// the programme's (AttendanceRate, ProgrammeRules.AttendanceThreshold).
	Rate, Threshold float64
	// SessionsHeld is how many of the cohort's sessions were held by the
	// declared date, of SessionsPlanned.
	SessionsHeld, SessionsPlanned int
	// Contract is the supplier's contract version in force for the
	// programme, if any (ID 0 if none).
	Contract Contract
	// Existing is the learner's live declaration of this milestone, if any.
	Existing *Declaration
	// FundedElsewhere: the same person (another record with the same email
	// and date of birth, or the same learner number) has a live declaration
	// of this milestone by another supplier.
	FundedElsewhere bool
}

// ErrDeclared: the learner already has a live declaration of the
// milestone. A retried request gets the existing one back.
var ErrDeclared = errors.New("this milestone is already declared for the learner")

// Declare checks a supplier's declaration against senco's records: it is
// refused, with the reason, unless the records support it; otherwise it is
// priced from the contract in force and eligible for the next statement.
func Declare(supplierOrgID int64, m Milestone, on Date, f DeclarationFacts, today Date) (Declaration, error) {
	app := f.App
	if !m.Valid() {
		return Declaration{}, Refuse("milestone", "Declare one of the milestones started, retained or completed")
	}
	if on.IsZero() {
		return Declaration{}, Refuse("declared_on", "Enter the date the milestone was reached")
	}
	if on.After(today) {
		return Declaration{}, Refuse("declared_on", "The date the milestone was reached must be today or in the past")
	}
	if f.CohortSupplierOrgID != supplierOrgID {
		return Declaration{}, Refuse("learner", "%s is not a learner on one of your cohorts", app.PractitionerName)
	}
	if f.Existing != nil {
		return *f.Existing, ErrDeclared
	}
	if f.FundedElsewhere {
		return Declaration{}, Refuse("learner", "%s is already funded for the %s milestone through another supplier", app.PractitionerName, m)
	}
	if f.Contract.ID == 0 {
		return Declaration{}, Refuse("learner", "Your organisation has no contract in force for this programme")
	}
	if !app.EnrolledOn.IsZero() && on.Before(app.EnrolledOn) {
		return Declaration{}, Refuse("declared_on", "%s was enrolled on %s, after the date declared", app.PractitionerName, app.EnrolledOn.Long())
	}
	var evidence string
	switch m {
	case MilestoneStarted:
		switch {
		case app.EnrolledOn.IsZero():
			return Declaration{}, Refuse("milestone", "%s has never been enrolled on a cohort", app.PractitionerName)
		case f.FirstSession.IsZero() || on.Before(f.FirstSession):
			return Declaration{}, Refuse("milestone", "Started needs attendance at the first session, and the cohort had held no session by %s", on.Long())
		case !f.FirstAttended:
			return Declaration{}, Refuse("milestone", "Started needs attendance at the first session (%s): the register shows %s did not attend it", f.FirstSession.Long(), app.PractitionerName)
		}
		evidence = "attended the first session, " + f.FirstSession.Long()
	case MilestoneRetained:
		switch {
		case !app.Status.In(PlaceHolding):
			return Declaration{}, Refuse("milestone", "Retained needs a learner still on the programme; %s is %s", app.PractitionerName, lower(app.Status))
		case f.SessionsPlanned == 0 || f.SessionsHeld*2 < f.SessionsPlanned:
			return Declaration{}, Refuse("milestone", "Retained can be declared once half the cohort's sessions are held: %d of %d by %s", f.SessionsHeld, f.SessionsPlanned, on.Long())
		case !TrainingComplete(f.Rate, f.Threshold, true):
			return Declaration{}, Refuse("milestone", "Retained needs attendance of %.0f%% or more; %s's was %.0f%% on %s", f.Threshold*100, app.PractitionerName, f.Rate*100, on.Long())
		}
		evidence = fmt.Sprintf("attendance %.0f%% after %d of %d sessions", f.Rate*100, f.SessionsHeld, f.SessionsPlanned)
	case MilestoneCompleted:
		// Training completion until assessment on evidence lands; then
		// certification.
		if !app.Status.In(Finished) {
			return Declaration{}, Refuse("milestone", "Completed needs the learner's training to be complete; %s is %s", app.PractitionerName, lower(app.Status))
		}
		if app.Status == StatusCertified {
			evidence = "certified, certificate " + app.CertificateNumber
		} else {
			evidence = "training complete (attendance and assessment)"
		}
	}
	return Declaration{ApplicationID: app.ID, PractitionerID: app.PractitionerID, SupplierOrgID: supplierOrgID, ContractID: f.Contract.ID,
		ProgrammeID: app.ProgrammeID, Milestone: m, DeclaredOn: on, State: DeclarationEligible, Amount: f.Contract.Price(m),
		Evidence: evidence, LearnerName: app.PractitionerName}, nil
}

// MilestoneDue says whether milestone m can be declared for the learner today, on
// the records' facts for today: Declare's own rule, so that a page offers
// to declare only what would be accepted. When it cannot, reason is
// Declare's refusal (a milestone already declared is not due).
func MilestoneDue(supplierOrgID int64, m Milestone, f DeclarationFacts, today Date) (due bool, reason string) {
	_, err := Declare(supplierOrgID, m, today, f, today)
	if err == nil {
		return true, ""
	}
	if errors.Is(err, ErrDeclared) {
		return false, ErrDeclared.Error()
	}
	if r, ok := IsRefusal(err); ok {
		return false, r.Msg
	}
	return false, err.Error()
}

// VoidDeclaration withdraws a declaration found wrong. Before payment it
// is voided (and taken off its statement by a reversing line); after, it
// awaits a clawback on the supplier's next statement.
func VoidDeclaration(d Declaration, reason string, on Date) (Declaration, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return d, Refuse("reason", "Give the reason the declaration is voided")
	}
	switch d.State {
	case DeclarationEligible, DeclarationPayable:
		d.State = DeclarationVoided
	case DeclarationPaid:
		d.State = DeclarationAwaitingClawback
	default:
		return d, Refuse("state", "A declaration that is %s cannot be voided", strings.ToLower(d.State.Label()))
	}
	d.VoidedOn, d.VoidReason = on, reason
	return d, nil
}

// Voidable reports whether the declaration can still be voided: before
// payment it is simply voided; once paid, voiding it claws the money back.
func (d Declaration) Voidable() bool {
	return d.State == DeclarationEligible || d.State == DeclarationPayable || d.State == DeclarationPaid
}

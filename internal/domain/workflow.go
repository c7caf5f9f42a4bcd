package domain

import (
	"errors"
	"fmt"
	"strings"
)

// The programme's workflow. Each decision below is a pure function of the
// application as it is, the facts the decision needs and today: it returns
// the application as it becomes with the events to record, or a *Refusal
// saying why not and which field it concerns. The store loads the facts,
// calls the decision and persists the Change in one transaction; it guards
// only what needs the database (one live application per person and
// programme, a cohort's capacity under concurrent placements).

// Event is one dated step in an application's history.
type Event struct {
	From, To Status
	Name     string
	On       Date
	Detail   string
}

// Change is what a decision did to an application.
type Change struct {
	// App is the application as it now is.
	App Application
	// Events are the steps to add to its history, oldest first.
	Events []Event
	// Action names the change in the audit log.
	Action string
}

// Changed reports whether the decision changed anything worth recording.
func (c Change) Changed() bool { return c.Action != "" }

// ErrAlreadyApplied: one live application per person and programme. The
// store guards it with a unique index as well, for concurrent requests.
var ErrAlreadyApplied = errors.New("this practitioner already has an application to this programme")

func change(app Application, action string) Change { return Change{App: app, Action: action} }

// move changes the status, checked by the status machine, recording the
// event and keeping the enrolment's span for the coverage figures.
func (c *Change) move(to Status, name string, on Date, detail string) error {
	from := c.App.Status
	if err := CheckTransition(from, to); err != nil {
		return Refuse("status", "%s", capitalise(err.Error()))
	}
	switch {
	case to == StatusEnrolled:
		c.App.EnrolledOn, c.App.LeftTrainingOn = on, Date{}
	case from.In(Training) && (to == StatusWithdrawn || to == StatusDeferred || to == StatusCompleted):
		c.App.LeftTrainingOn = on
	}
	c.App.Status = to
	c.Events = append(c.Events, Event{From: from, To: to, Name: name, On: on, Detail: detail})
	return nil
}

// note records an event that leaves the status as it is.
func (c *Change) note(name string, on Date, detail string) {
	c.Events = append(c.Events, Event{From: c.App.Status, To: c.App.Status, Name: name, On: on, Detail: detail})
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func lower(s Status) string { return strings.ToLower(s.Label()) }

// NewApplication is a request to apply, with the facts the store found.
type NewApplication struct {
	ProgrammeID      int64
	QualificationID  int64 // the programme's
	PractitionerID   int64
	SettingURN       string
	SettingFound     bool   // the URN is on the register
	LACode           string // the setting's authority
	AppliedOn        Date
	Nominated        bool // by the setting; otherwise self-applied
	SettingConfirmed bool
	WorkingTowardsL3 bool
	AlreadyApplied   bool // a live application to the programme exists
}

// Apply makes a new application, applied and not yet assessed.
func Apply(in NewApplication) (Change, error) {
	if in.AlreadyApplied {
		return Change{}, ErrAlreadyApplied
	}
	if !in.SettingFound {
		return Change{}, Refuse("setting", "No setting with URN %s is on the register", in.SettingURN)
	}
	app := Application{ProgrammeID: in.ProgrammeID, QualificationID: in.QualificationID, PractitionerID: in.PractitionerID,
		SettingURN: in.SettingURN, LACode: in.LACode, AppliedOn: in.AppliedOn, Nominated: in.Nominated,
		SettingConfirmed: in.SettingConfirmed || in.Nominated, WorkingTowardsL3: in.WorkingTowardsL3, Status: StatusApplied}
	how := "self-applied"
	if in.Nominated {
		how = "nominated by the setting"
	}
	c := change(app, "create")
	c.Events = []Event{{To: StatusApplied, Name: "applied", On: in.AppliedOn, Detail: how}}
	return c, nil
}

// Assess runs the programme's eligibility rules (CheckEligibility) on an
// application that is still applied, eligible or ineligible. A manual
// decision stands: re-running the rules never overwrites it. The change is
// empty when nothing moved.
func Assess(app Application, f EligibilityFacts, today Date) Change {
	if app.ManualDecision || !app.Status.In([]Status{StatusApplied, StatusEligible, StatusIneligible}) {
		return Change{App: app}
	}
	res := CheckEligibility(f)
	to := StatusApplied
	switch res.Decision {
	case DecisionEligible:
		to = StatusEligible
	case DecisionIneligible:
		to = StatusIneligible
	}
	if res.Decision == app.Decision && res.Code == app.ReasonCode && to == app.Status {
		return Change{App: app}
	}
	c := change(app, "eligibility")
	c.App.Status, c.App.Decision, c.App.ReasonCode, c.App.Reason = to, res.Decision, res.Code, res.Reason
	c.Events = []Event{{From: app.Status, To: to, Name: "eligibility", On: today, Detail: res.Reason}}
	return c
}

// Decide records the programme team's manual eligibility decision, with
// its reason; extraPlace allows the setting a place beyond its limit.
func Decide(app Application, eligible, extraPlace bool, reason string, today Date) (Change, error) {
	to, decision := StatusIneligible, DecisionIneligible
	if eligible {
		to, decision = StatusEligible, DecisionEligible
	}
	if app.Status != to {
		if err := CheckTransition(app.Status, to); err != nil {
			return Change{}, Refuse("decision", "%s", err)
		}
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Change{}, Refuse("reason", "Give the reason for the decision")
	}
	c := change(app, "decide")
	c.App.Status, c.App.Decision, c.App.ReasonCode, c.App.Reason = to, decision, "manual", reason
	c.App.ManualDecision, c.App.ExtraSettingPlace = true, extraPlace
	c.Events = []Event{{From: app.Status, To: to, Name: "manual decision", On: today, Detail: reason}}
	return c, nil
}

// ConfirmBySetting records the setting's confirmation of an application the
// practitioner made themself.
func ConfirmBySetting(app Application, today Date) (Change, error) {
	if app.SettingConfirmed {
		return Change{App: app}, nil
	}
	if app.Nominated || !app.Status.Live() {
		return Change{}, Refuse("status", "Only a live application the practitioner made themself needs the setting's confirmation")
	}
	c := change(app, "confirm")
	c.App.SettingConfirmed = true
	c.note("confirmed by setting", today, "")
	return c, nil
}

// CheckNominee is the first check of a setting manager's nomination, made
// when they choose the person, before anything else is asked: someone who
// is already a qualified SENCO on the day (QualifiedSENCOAt, the coverage
// rule) needs no funded training, and someone whose application to the
// programme is still live (onProgramme, "" when none) needs no second one.
func CheckNominee(name, programme string, qualified bool, onProgramme Status) error {
	switch {
	case onProgramme == StatusCertified:
		return Refuse("practitioner", "%s already holds the qualification through %s, so cannot be nominated again", name, programme)
	case qualified:
		return Refuse("practitioner", "%s is already a qualified SENCO, so does not need a funded place; nominate someone who is not", name)
	case onProgramme != "" && onProgramme.Live():
		return Refuse("practitioner", "%s already has an application to %s (%s); nothing new is needed", name, programme, lower(onProgramme))
	}
	return nil
}

// Place puts an eligible or deferred applicant on a cohort (for a deferred
// learner this is their return), or on its waiting list when the cohort is
// full. placed is how many of the cohort's places are filled, counted by
// the store under a lock on the cohort. The cohort must belong to the
// application's programme and serve the setting's authority.
func Place(app Application, c Cohort, placed int, on Date) (ch Change, waitlisted bool, err error) {
	if c.ProgrammeID != app.ProgrammeID {
		return Change{}, false, Refuse("cohort", "%s is a cohort of another programme", c.Name)
	}
	serves := false
	for _, code := range c.LACodes {
		serves = serves || code == app.LACode
	}
	if !serves {
		la := app.LAName
		if la == "" {
			la = "the setting's authority (not recorded)"
		}
		return Change{}, false, Refuse("cohort", "%s does not serve %s, the setting's local authority", c.Name, la)
	}
	if app.Status != StatusEligible && app.Status != StatusDeferred {
		return Change{}, false, Refuse("status", "Only an eligible or deferred applicant can be placed; this one is %s", lower(app.Status))
	}
	if placed >= c.Capacity {
		if app.WaitlistCohortID == c.ID {
			return Change{}, true, Refuse("cohort", "%s is full and %s is already on its waiting list", c.Name, app.PractitionerName)
		}
		ch = change(app, "waiting list")
		ch.App.WaitlistCohortID = c.ID
		ch.note("waiting list", on, fmt.Sprintf("%s is full (%d places)", c.Name, c.Capacity))
		return ch, true, nil
	}
	ch = change(app, "enrolled")
	if err := ch.move(StatusEnrolled, "enrolled", on, c.Name); err != nil {
		return Change{}, false, err
	}
	ch.App.CohortID, ch.App.CohortName, ch.App.WaitlistCohortID = c.ID, c.Name, 0
	return ch, false, nil
}

// MoveWaiting moves people waiting on a full cohort's waiting list (from)
// to another cohort of the same supplier with space (to), in the order
// given (the waiting list's, first come first served). toPlaced is how many
// of to's places are filled, counted by the store under a lock. Each move
// is a placement (Place), so the destination must serve the person's
// authority; one person who cannot move refuses them all, naming them, and
// so does a destination without a place for everyone.
func MoveWaiting(apps []Application, from, to Cohort, toPlaced int, on Date) ([]Change, error) {
	if len(apps) == 0 {
		return nil, Refuse("people", "Choose at least one person on the waiting list to move")
	}
	if to.ID == from.ID {
		return nil, Refuse("cohort", "Choose a cohort other than %s", from.Name)
	}
	if to.SupplierOrgID != from.SupplierOrgID || to.ProgrammeID != from.ProgrammeID {
		return nil, Refuse("cohort", "People can only move to another cohort of the same supplier and programme")
	}
	if free := to.Capacity - toPlaced; len(apps) > free {
		switch {
		case free <= 0:
			return nil, Refuse("cohort", "%s is full (%d places): choose a cohort with space", to.Name, to.Capacity)
		case free == 1:
			return nil, Refuse("people", "%s has 1 free place: choose 1 person, or another cohort", to.Name)
		}
		return nil, Refuse("people", "%s has %d free places: choose at most %d people, or another cohort", to.Name, free, free)
	}
	changes := make([]Change, 0, len(apps))
	for i, app := range apps {
		if app.WaitlistCohortID != from.ID {
			return nil, Refuse("people", "%s is no longer on the waiting list of %s", app.PractitionerName, from.Name)
		}
		ch, _, err := Place(app, to, toPlaced+i, on)
		if err != nil {
			if r, ok := IsRefusal(err); ok {
				return nil, Refuse("people", "%s cannot move: %s", app.PractitionerName, r.Msg)
			}
			return nil, err
		}
		ch.Action = "moved from waiting list"
		ch.Events[len(ch.Events)-1].Detail = fmt.Sprintf("%s, from the waiting list of %s", to.Name, from.Name)
		changes = append(changes, ch)
	}
	return changes, nil
}

// Transfer moves an enrolled or in-training learner from their cohort to
// another of the same supplier and programme with a free place; toPlaced
// is how many of its places are filled, counted under a lock.
func Transfer(app Application, from, to Cohort, toPlaced int, on Date) (Change, error) {
	if !app.Status.In(Training) {
		return Change{}, Refuse("status", "Only an enrolled or in-training learner can be transferred; this one is %s", lower(app.Status))
	}
	if to.ID == app.CohortID {
		return Change{}, Refuse("cohort", "%s is already on %s", app.PractitionerName, to.Name)
	}
	if from.SupplierOrgID != to.SupplierOrgID || to.ProgrammeID != app.ProgrammeID {
		return Change{}, Refuse("cohort", "A learner can only move to another cohort of the same supplier and programme")
	}
	if toPlaced >= to.Capacity {
		return Change{}, Refuse("cohort", "%s is full (%d places)", to.Name, to.Capacity)
	}
	c := change(app, "transfer")
	c.App.CohortID, c.App.CohortName = to.ID, to.Name
	c.note("transferred", on, from.Name+" → "+to.Name)
	return c, nil
}

// Withdraw records a learner leaving, with a reason from the fixed list.
func Withdraw(app Application, reason WithdrawalReason, on Date, note string) (Change, error) {
	if !reason.Valid() {
		return Change{}, Refuse("reason", "Choose a reason for the withdrawal")
	}
	detail := reason.Label()
	if n := strings.TrimSpace(note); n != "" {
		detail += ": " + n
	}
	c := change(app, "withdrawn")
	if err := c.move(StatusWithdrawn, "withdrawn", on, detail); err != nil {
		return Change{}, err
	}
	c.App.WithdrawalReason, c.App.WithdrawnOn, c.App.WaitlistCohortID = reason, on, 0
	return c, nil
}

// Defer takes a learner off their cohort to join a later one (Place).
func Defer(app Application, on Date, note string) (Change, error) {
	c := change(app, "deferred")
	if err := c.move(StatusDeferred, "deferred", on, strings.TrimSpace(note)); err != nil {
		return Change{}, err
	}
	c.App.CohortID, c.App.CohortName = 0, ""
	return c, nil
}

// StartTraining marks an enrolled learner as in training (the store calls
// it at their first attended session).
func StartTraining(app Application, on Date) (Change, error) {
	c := change(app, "started training")
	if err := c.move(StatusInTraining, "started training", on, ""); err != nil {
		return Change{}, err
	}
	return c, nil
}

// CompleteAssessment records the assessor's decision that the assessment
// is complete and, when attendance (rate, from AttendanceRate on that day)
// meets the programme's threshold, completes the learner's training
// (TrainingComplete), starting it first if no session had been marked.
// missing are the mandatory criteria of the learner's qualification
// version not yet met (MissingCriteria): the decision is refused unless
// there are none. Training complete (attendance) and assessment complete
// stay separate facts: an assessment completes before attendance does.
func CompleteAssessment(app Application, rate, threshold float64, missing []CriterionRef, on Date) (ch Change, completed bool, err error) {
	if !app.Status.In(Training) {
		return Change{}, false, Refuse("status", "Only a learner in training can have their assessment completed; this one is %s", lower(app.Status))
	}
	if len(missing) > 0 {
		return Change{}, false, Refuse("criteria", "The assessment is not complete: %s", missingSentence(missing))
	}
	ch = change(app, "assessment complete")
	ch.App.AssessmentCompleteOn = on
	ch.note("assessment complete", on, "")
	if !TrainingComplete(rate, threshold, true) {
		return ch, false, nil
	}
	if ch.App.Status == StatusEnrolled {
		if err := ch.move(StatusInTraining, "started training", on, ""); err != nil {
			return Change{}, false, err
		}
	}
	detail := fmt.Sprintf("attendance %.0f%% (threshold %.0f%%), assessment complete", rate*100, threshold*100)
	if err := ch.move(StatusCompleted, "completed", on, detail); err != nil {
		return Change{}, false, err
	}
	ch.Action = "completed"
	return ch, true, nil
}

// Registration is an awarding organisation's registration of a learner.
type Registration struct {
	LearnerNumber string
	ULN           string // optional
	// NumberHeldByOther: the learner number is recorded for another person.
	NumberHeldByOther bool
}

// TrimRegistration tidies what a user typed, so the store looks up the
// number as it will be kept.
func TrimRegistration(r Registration) Registration {
	r.LearnerNumber, r.ULN = strings.TrimSpace(r.LearnerNumber), strings.TrimSpace(r.ULN)
	return r
}

// RegisterLearner records the awarding organisation's learner number and,
// when given, a ULN checked by its check digit.
func RegisterLearner(app Application, r Registration) (Change, error) {
	r = TrimRegistration(r)
	if r.LearnerNumber == "" {
		return Change{}, Refuse("learner_number", "Enter the learner number")
	}
	if r.ULN != "" && !ValidULN(r.ULN) {
		return Change{}, Refuse("uln", "Enter a ULN of 10 digits with a correct check digit, or leave it blank")
	}
	if !app.Status.In(Registerable) {
		return Change{}, Refuse("status", "Only an enrolled, in-training or completed learner can be registered; this one is %s", lower(app.Status))
	}
	if r.NumberHeldByOther {
		return Change{}, Refuse("learner_number", "Learner number %s belongs to another learner", r.LearnerNumber)
	}
	c := change(app, "register")
	c.App.LearnerNumber, c.App.ULN = r.LearnerNumber, r.ULN
	return c, nil
}

// Revoke withdraws a certificate, with a reason; the learner returns to
// completed.
func Revoke(app Application, reason string, on Date) (Change, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Change{}, Refuse("reason", "Give the reason the certificate is revoked")
	}
	if app.Status != StatusCertified {
		return Change{}, Refuse("status", "Only a certificate can be revoked; %s is %s", app.PractitionerName, lower(app.Status))
	}
	c := change(app, "certificate revoked")
	if err := c.move(StatusCompleted, "certificate revoked", on, reason); err != nil {
		return Change{}, err
	}
	c.App.RevokedOn, c.App.RevokeReason = on, reason
	return c, nil
}

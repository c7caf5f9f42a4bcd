package domain

import (
	"fmt"
	"slices"
	"strings"
)

// Status is where an application is on its way to certification
// (DESIGN.md section 3).
type Status string

const (
	StatusApplied     Status = "applied"
	StatusEligible    Status = "eligible"
	StatusIneligible  Status = "ineligible"
	StatusEnrolled    Status = "enrolled"
	StatusInTraining  Status = "in_training"
	StatusCompleted   Status = "completed"
	StatusCertified   Status = "certified"
	StatusWithdrawn   Status = "withdrawn"
	StatusDeferred    Status = "deferred"
	StatusTransferred Status = "transferred"
)

// Statuses in journey order, for lists and filters.
var Statuses = []Status{StatusApplied, StatusEligible, StatusIneligible, StatusEnrolled, StatusInTraining,
	StatusCompleted, StatusCertified, StatusWithdrawn, StatusDeferred}

func (s Status) Label() string {
	switch s {
	case StatusInTraining:
		return "In training"
	case "":
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

// transitions is the status machine. A transfer moves an enrolled learner
// to another cohort: it is recorded as its own event and leaves the status
// as it was, so it is not a status here.
var transitions = map[Status][]Status{
	StatusApplied:    {StatusEligible, StatusIneligible, StatusWithdrawn},
	StatusEligible:   {StatusEnrolled, StatusIneligible, StatusWithdrawn, StatusDeferred},
	StatusIneligible: {StatusEligible},
	StatusEnrolled:   {StatusInTraining, StatusWithdrawn, StatusDeferred},
	StatusInTraining: {StatusCompleted, StatusWithdrawn, StatusDeferred},
	StatusDeferred:   {StatusEnrolled, StatusEligible, StatusWithdrawn},
	StatusCompleted:  {StatusCertified},
	// A revoked certificate returns the learner to completed.
	StatusCertified: {StatusCompleted},
}

// CheckTransition refuses a move the status machine does not allow, saying
// what is allowed instead.
func CheckTransition(from, to Status) error {
	next := transitions[from]
	if slices.Contains(next, to) {
		return nil
	}
	if len(next) == 0 {
		return fmt.Errorf("an application that is %s cannot change status", strings.ToLower(from.Label()))
	}
	labels := make([]string, len(next))
	for i, n := range next {
		labels[i] = strings.ToLower(n.Label())
	}
	return fmt.Errorf("an application that is %s cannot become %s; it can become %s", strings.ToLower(from.Label()),
		strings.ToLower(to.Label()), strings.Join(labels, ", "))
}

// Live reports whether the application holds or seeks a funded place (for
// "already funded" and setting places).
func (s Status) Live() bool { return !s.In(NotLive) }

// WithdrawalReason is why a learner left, from a fixed list.
type WithdrawalReason string

const (
	WithdrawWorkload    WithdrawalReason = "workload"
	WithdrawLeftSetting WithdrawalReason = "left_setting"
	WithdrawLeftSector  WithdrawalReason = "left_sector"
	WithdrawPersonal    WithdrawalReason = "personal"
	WithdrawIneligible  WithdrawalReason = "ineligible"
	WithdrawOther       WithdrawalReason = "other"
)

// WithdrawalReasons in the order forms list them.
var WithdrawalReasons = []WithdrawalReason{WithdrawWorkload, WithdrawLeftSetting, WithdrawLeftSector, WithdrawPersonal, WithdrawIneligible, WithdrawOther}

func (r WithdrawalReason) Label() string {
	switch r {
	case WithdrawWorkload:
		return "Workload or time"
	case WithdrawLeftSetting:
		return "Left the setting"
	case WithdrawLeftSector:
		return "Left the sector"
	case WithdrawPersonal:
		return "Personal reasons"
	case WithdrawIneligible:
		return "Found to be ineligible"
	case WithdrawOther:
		return "Other"
	}
	return string(r)
}

func (r WithdrawalReason) Valid() bool { return slices.Contains(WithdrawalReasons, r) }

// Mark is a learner's attendance at one session.
type Mark string

const (
	Present Mark = "present"
	Half    Mark = "half"
	Absent  Mark = "absent"
	Excused Mark = "excused"
)

// Marks in the order the attendance page shows them.
var Marks = []Mark{Present, Half, Absent, Excused}

func (m Mark) Valid() bool { return slices.Contains(Marks, m) }

func (m Mark) Label() string {
	switch m {
	case Half:
		return "Half"
	case "":
		return "Not marked"
	}
	return strings.ToUpper(string(m[:1])) + string(m[1:])
}

// Attendance is one learner's record for one session; a catch-up for a
// missed session counts as attending it.
type Attendance struct {
	SessionID int64
	Mark      Mark
	CaughtUp  bool
}

// AttendanceRate is the share of a learner's sessions attended, counting a
// half session as 0.5 and a caught-up session as attended. Excused sessions
// leave the count. Sessions not yet marked count as not attended, so the
// rate can only rise as the cohort goes on. sessions is how many sessions
// the cohort has held.
func AttendanceRate(marks []Attendance, sessions int) float64 {
	attended := 0.0
	denominator := sessions
	for _, a := range marks {
		switch {
		case a.CaughtUp, a.Mark == Present:
			attended++
		case a.Mark == Half:
			attended += 0.5
		case a.Mark == Excused:
			denominator--
		}
	}
	if denominator <= 0 {
		return 0
	}
	return attended / float64(denominator)
}

// TrainingComplete is the completion rule: attendance at or above the
// programme's threshold and the assessment signed off as complete.
func TrainingComplete(rate, threshold float64, assessmentComplete bool) bool {
	// Compare in whole hundredths so 0.8 is not missed by float rounding.
	return assessmentComplete && int(rate*10000+0.5) >= int(threshold*10000+0.5)
}

// ValidULN checks a Unique Learner Number: ten digits, the last a check
// digit. Weights 10 down to 2 on the first nine digits; the check digit is
// 10 minus the sum modulo 11, and a result of 10 is never issued.
func ValidULN(s string) bool {
	if len(s) != 10 || s[0] == '0' {
		return false
	}
	sum := 0
	for i := 0; i < 10; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		if i < 9 {
			sum += int(s[i]-'0') * (10 - i)
		}
	}
	check := 10 - sum%11
	return check < 10 && check == int(s[9]-'0')
}

// Status groups, defined once. The store builds the SQL that filters on
// them from these lists (store.statusIn), and tests check both agree.
var (
	// PlaceHolding statuses fill one of a cohort's places.
	PlaceHolding = []Status{StatusEnrolled, StatusInTraining, StatusCompleted, StatusCertified}
	// Training statuses are on a cohort and not yet finished.
	Training = []Status{StatusEnrolled, StatusInTraining}
	// Finished statuses have completed training.
	Finished = []Status{StatusCompleted, StatusCertified}
	// NotLive statuses neither hold nor seek a funded place.
	NotLive = []Status{StatusIneligible, StatusWithdrawn}
	// Unfunded statuses have no funded place decided yet or any more: an
	// application counts against "one funded place per person" and a
	// setting's places only once it is past them.
	Unfunded = []Status{StatusWithdrawn, StatusIneligible, StatusApplied}
	// Departed statuses left a cohort they may once have been on.
	Departed = []Status{StatusWithdrawn, StatusDeferred}
)

// In reports whether s is one of the group.
func (s Status) In(group []Status) bool { return slices.Contains(group, s) }

// HoldsPlace reports whether the application fills a place on its cohort.
func (s Status) HoldsPlace() bool { return s.In(PlaceHolding) }

// Registerable are the statuses in which an awarding organisation
// registers a learner (RegisterLearner).
var Registerable = []Status{StatusEnrolled, StatusInTraining, StatusCompleted}

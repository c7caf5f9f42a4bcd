package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Paying settings for staff cover. A setting manager claims the hours
// their practitioner spent in training, pre-filled from the attendance
// register (half a session is half its hours), priced at the programme's
// hourly rate (by region where the programme says so) up to its cap of
// hours per learner. The supplier verifies, the programme team approves,
// and approved claims are paid in batches that finance answers line by
// line.

// BackfillRules are the programme's rules for cover: data, not code.
type BackfillRules struct {
	// HourlyRate is paid per hour of cover where no regional rate applies.
	HourlyRate Money `json:"hourly_rate_pence"`
	// RegionRates are hourly rates by region code (E12…), where they differ.
	RegionRates map[string]Money `json:"region_rates_pence,omitempty"`
	// MaxHours caps the hours paid for one learner over their training.
	MaxHours float64 `json:"max_hours"`
	// WindowDays: a session can be claimed up to this many days after it.
	WindowDays int `json:"window_days"`
	// Conditions is the grant's conditions, accepted once per setting.
	Conditions string `json:"conditions"`
}

// DefaultBackfill is the national programme's cover: £14.50 an hour
// (£16.20 in London) for up to 72 hours a learner, claimed within 120 days.
func DefaultBackfill() BackfillRules {
	return BackfillRules{HourlyRate: 1450, RegionRates: map[string]Money{"E12000007": 1620}, MaxHours: 72, WindowDays: 120,
		Conditions: "The hours claimed were covered by another member of staff, or by a supply or agency worker, so that the setting kept its staff-to-child ratios while the practitioner trained. The setting keeps its rotas for two years and shows them to the programme on request. Money paid for hours that were not covered, or not attended, is repaid."}
}

// Rate is the hourly rate for a setting in region.
func (b BackfillRules) Rate(region string) Money {
	if r, ok := b.RegionRates[region]; ok {
		return r
	}
	return b.HourlyRate
}

// ClaimState is where a backfill claim is on its way to payment.
type ClaimState string

const (
	ClaimSubmitted ClaimState = "submitted"
	// Verified by the supplier against its register.
	ClaimVerified ClaimState = "verified"
	ClaimApproved ClaimState = "approved"
	// Batched: in a payment batch sent to finance.
	ClaimBatched ClaimState = "batched"
	ClaimPaid    ClaimState = "paid"
	// NotPaid: finance could not pay it (the reason says why); it can be
	// approved again into a later batch.
	ClaimNotPaid ClaimState = "not_paid"
	// Rejected by the supplier or the programme team, with the reason.
	ClaimRejected ClaimState = "rejected"
	// ClawedBack: found wrong after payment; the money is to be repaid.
	ClaimClawedBack ClaimState = "clawed_back"
)

var ClaimStates = []ClaimState{ClaimSubmitted, ClaimVerified, ClaimApproved, ClaimBatched, ClaimPaid, ClaimNotPaid, ClaimRejected, ClaimClawedBack}

// LiveClaims hold their hours: a session's hours are claimed once.
var LiveClaims = []ClaimState{ClaimSubmitted, ClaimVerified, ClaimApproved, ClaimBatched, ClaimPaid, ClaimNotPaid}

func (s ClaimState) Label() string {
	switch s {
	case ClaimNotPaid:
		return "Not paid"
	case ClaimClawedBack:
		return "Clawed back"
	}
	return title(s)
}

// Claim is a setting's claim for cover of one learner's training hours.
type Claim struct {
	ID            int64
	SettingURN    string
	ApplicationID int64
	ProgrammeID   int64
	SupplierOrgID int64
	State         ClaimState
	Rate          Money
	Minutes       int
	Amount        Money
	Reason        string // why rejected, not paid or clawed back
	BatchID       int64
	PaymentRef    string
	SubmittedOn   Date
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Lines         []ClaimLine

	LearnerName string
	SettingName string
}

// Hours is the claim's time in hours.
func (c Claim) Hours() float64 { return float64(c.Minutes) / 60 }

// Time is the claim's time as pages write it: "33 hours", "5.5 hours".
func (c Claim) Time() string { return FormatMinutes(c.Minutes) }

// ClaimLine is one session claimed.
type ClaimLine struct {
	SessionID int64
	Date      Date
	Minutes   int // of cover: the session's, or half for half a session
}

// SessionAttended is one of a learner's sessions with their mark, as the
// register holds it.
type SessionAttended struct {
	SessionID int64
	Date      Date
	Minutes   int
	Mark      Mark
	// Claimed: a live claim already holds this session.
	Claimed bool
}

// CoverMinutes is the cover a mark earns: the session's length when
// present, half when half; nothing when absent or excused (a catch-up is
// done outside the session, so the setting was not short-staffed for it).
func CoverMinutes(s SessionAttended) int {
	switch s.Mark {
	case Present:
		return s.Minutes
	case Half:
		return s.Minutes / 2
	}
	return 0
}

// Claimable is what a claim form offers: the learner's attended sessions
// not yet claimed and within the window, today.
func Claimable(sessions []SessionAttended, rules BackfillRules, today Date) []SessionAttended {
	var out []SessionAttended
	for _, s := range sessions {
		if !s.Claimed && CoverMinutes(s) > 0 && !s.Date.After(today) && !today.After(s.Date.AddDays(rules.WindowDays)) {
			out = append(out, s)
		}
	}
	return out
}

// ClaimFacts are what the store found for a claim.
type ClaimFacts struct {
	App        Application
	Region     string // the setting's region
	Rules      BackfillRules
	Conditions bool // the setting has accepted the grant conditions
	Sessions   []SessionAttended
	// PaidMinutes is cover already in live claims for this learner.
	PaidMinutes   int
	SupplierOrgID int64
}

// MakeClaim checks a setting's claim for the sessions chosen and prices
// it. Each refused session is named with its reason.
func MakeClaim(settingURN string, sessionIDs []int64, f ClaimFacts, today Date) (Claim, error) {
	switch {
	case f.App.SettingURN != settingURN:
		return Claim{}, Refuse("learner", "%s is not training from your setting", f.App.PractitionerName)
	case f.Rules.HourlyRate == 0 && len(f.Rules.RegionRates) == 0:
		return Claim{}, Refuse("sessions", "This programme does not pay for cover")
	case !f.Conditions:
		return Claim{}, Refuse("conditions", "Accept the grant conditions before claiming")
	case len(sessionIDs) == 0:
		return Claim{}, Refuse("sessions", "Choose the sessions to claim cover for")
	}
	byID := map[int64]SessionAttended{}
	for _, s := range f.Sessions {
		byID[s.SessionID] = s
	}
	c := Claim{SettingURN: settingURN, ApplicationID: f.App.ID, ProgrammeID: f.App.ProgrammeID, SupplierOrgID: f.SupplierOrgID,
		State: ClaimSubmitted, Rate: f.Rules.Rate(f.Region), SubmittedOn: today, LearnerName: f.App.PractitionerName}
	var problems []string
	seen := map[int64]bool{}
	for _, id := range sessionIDs {
		s, ok := byID[id]
		switch {
		case seen[id]:
			continue
		case !ok:
			problems = append(problems, fmt.Sprintf("session %d is not one of %s's", id, f.App.PractitionerName))
		case s.Date.After(today):
			problems = append(problems, fmt.Sprintf("%s has not happened yet", s.Date.Long()))
		case CoverMinutes(s) == 0:
			problems = append(problems, fmt.Sprintf("%s: the register shows %s %s", s.Date.Long(), f.App.PractitionerName, strings.ToLower(s.Mark.Label())))
		case s.Claimed:
			problems = append(problems, fmt.Sprintf("%s is already claimed", s.Date.Long()))
		case today.After(s.Date.AddDays(f.Rules.WindowDays)):
			problems = append(problems, fmt.Sprintf("%s is more than %d days ago, outside the claim window", s.Date.Long(), f.Rules.WindowDays))
		default:
			c.Lines = append(c.Lines, ClaimLine{SessionID: id, Date: s.Date, Minutes: CoverMinutes(s)})
			c.Minutes += CoverMinutes(s)
		}
		seen[id] = true
	}
	if len(problems) > 0 {
		return Claim{}, Refuse("sessions", "These sessions cannot be claimed: %s", strings.Join(problems, "; "))
	}
	if limit := int(f.Rules.MaxHours * 60); f.Rules.MaxHours > 0 && f.PaidMinutes+c.Minutes > limit {
		return Claim{}, Refuse("sessions", "Cover for %s is capped at %s; %s is already claimed and this claim adds %s",
			f.App.PractitionerName, FormatMinutes(limit), FormatMinutes(f.PaidMinutes), FormatMinutes(c.Minutes))
	}
	slices.SortFunc(c.Lines, func(a, b ClaimLine) int { return a.Date.Compare(b.Date) })
	c.Amount = ClaimAmount(c.Rate, c.Minutes)
	return c, nil
}

// ClaimAmount is minutes of cover at an hourly rate, rounded half up to
// the penny.
func ClaimAmount(rate Money, minutes int) Money {
	return Money((int64(rate)*int64(minutes) + 30) / 60)
}

// FormatMinutes writes a length of time as hours: "5.5 hours", "1 hour".
func FormatMinutes(m int) string {
	h := float64(m) / 60
	s := strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", h), "0"), ".")
	if s == "1" {
		return "1 hour"
	}
	return s + " hours"
}

// VerifyClaim is the supplier's check of a claim against its register.
func VerifyClaim(c Claim, ok bool, reason string) (Claim, error) {
	if c.State != ClaimSubmitted {
		return c, Refuse("state", "Only a submitted claim can be verified; this one is %s", strings.ToLower(c.State.Label()))
	}
	return decideClaim(c, ok, ClaimVerified, reason)
}

// ApproveClaim is the programme team's decision on a verified claim, or
// on one finance could not pay, to go into the next batch again.
func ApproveClaim(c Claim, ok bool, reason string) (Claim, error) {
	if c.State != ClaimVerified && c.State != ClaimNotPaid {
		return c, Refuse("state", "Only a verified claim, or one that was not paid, can be approved; this one is %s", strings.ToLower(c.State.Label()))
	}
	return decideClaim(c, ok, ClaimApproved, reason)
}

func decideClaim(c Claim, ok bool, to ClaimState, reason string) (Claim, error) {
	reason = strings.TrimSpace(reason)
	if !ok {
		if reason == "" {
			return c, Refuse("reason", "Give the reason the claim is rejected")
		}
		c.State, c.Reason = ClaimRejected, reason
		return c, nil
	}
	c.State, c.Reason = to, ""
	return c, nil
}

// ClawBackClaim records that a paid claim was found wrong.
func ClawBackClaim(c Claim, reason string) (Claim, error) {
	reason = strings.TrimSpace(reason)
	if c.State != ClaimPaid {
		return c, Refuse("state", "Only a paid claim can be clawed back; this one is %s", strings.ToLower(c.State.Label()))
	}
	if reason == "" {
		return c, Refuse("reason", "Give the reason the claim is clawed back")
	}
	c.State, c.Reason = ClaimClawedBack, reason
	return c, nil
}

// BatchState is where a payment batch is: sent to finance, then
// reconciled from finance's response.
type BatchState string

const (
	BatchSent       BatchState = "sent"
	BatchReconciled BatchState = "reconciled"
)

func (s BatchState) Label() string {
	return title(s)
}

// Batch is a payment batch of approved claims.
type Batch struct {
	ID           int64
	State        BatchState
	Claims       int
	Total        Money
	CreatedBy    string
	CreatedAt    time.Time
	ReconciledAt time.Time
}

// PaymentOutcome is finance's answer for one claim of a batch.
type PaymentOutcome string

const (
	OutcomePaid    PaymentOutcome = "paid"
	OutcomeNotPaid PaymentOutcome = "not_paid"
)

// BatchResponse is one row of finance's response file.
type BatchResponse struct {
	Row       int // as a spreadsheet numbers it
	ClaimID   int64
	Amount    Money
	Outcome   PaymentOutcome
	Reference string // the payment's, when paid
	Reason    string // why not, when not paid
}

// RowProblem is one thing wrong with a row of an uploaded file, in the
// words the person who made it can act on.
type RowProblem struct {
	Row      int
	Column   string
	Value    string
	Expected string
}

// RowProblems refuses a whole file.
type RowProblems []RowProblem

func (p RowProblems) Error() string {
	lines := make([]string, len(p))
	for i, q := range p {
		where := "the file"
		if q.Row > 0 {
			where = fmt.Sprintf("row %d", q.Row)
		}
		if q.Column != "" {
			where += fmt.Sprintf(", column %q", q.Column)
		}
		value := ""
		if q.Value != "" {
			value = fmt.Sprintf(" %q —", q.Value)
		}
		lines[i] = fmt.Sprintf("%s:%s expected %s", where, value, q.Expected)
	}
	return strings.Join(lines, "\n")
}

// ReconcileBatch applies finance's response to a batch's claims: every
// claim of the batch answered once, for its amount, paid with a reference
// or not paid with a reason. A response that does not match the batch is
// refused whole, with every problem by row and column, and changes
// nothing. It returns the claims as they become.
func ReconcileBatch(b Batch, claims []Claim, rows []BatchResponse) ([]Claim, error) {
	if b.State != BatchSent {
		return nil, Refuse("file", "Batch %d is already reconciled", b.ID)
	}
	byID := map[int64]int{}
	for i, c := range claims {
		byID[c.ID] = i
	}
	var probs RowProblems
	answered := map[int64]int{}
	out := slices.Clone(claims)
	for _, r := range rows {
		i, ok := byID[r.ClaimID]
		switch {
		case !ok:
			probs = append(probs, RowProblem{r.Row, "claim_id", fmt.Sprint(r.ClaimID), fmt.Sprintf("a claim of batch %d", b.ID)})
			continue
		case answered[r.ClaimID] != 0:
			probs = append(probs, RowProblem{r.Row, "claim_id", fmt.Sprint(r.ClaimID), fmt.Sprintf("each claim once, but row %d answers it too", answered[r.ClaimID])})
			continue
		}
		answered[r.ClaimID] = r.Row
		c := claims[i]
		if r.Amount != c.Amount {
			probs = append(probs, RowProblem{r.Row, "amount", r.Amount.Plain(), fmt.Sprintf("the claim's amount, %s", c.Amount.Plain())})
		}
		switch r.Outcome {
		case OutcomePaid:
			if strings.TrimSpace(r.Reference) == "" {
				probs = append(probs, RowProblem{r.Row, "payment_reference", "", "the payment reference of a paid claim"})
			}
			out[i].State, out[i].PaymentRef, out[i].Reason = ClaimPaid, strings.TrimSpace(r.Reference), ""
		case OutcomeNotPaid:
			if strings.TrimSpace(r.Reason) == "" {
				probs = append(probs, RowProblem{r.Row, "reason", "", "the reason a claim was not paid"})
			}
			out[i].State, out[i].Reason = ClaimNotPaid, strings.TrimSpace(r.Reason)
		default:
			probs = append(probs, RowProblem{r.Row, "outcome", string(r.Outcome), "paid or not_paid"})
		}
	}
	for _, c := range claims {
		if answered[c.ID] == 0 {
			probs = append(probs, RowProblem{0, "claim_id", fmt.Sprint(c.ID), fmt.Sprintf("a row for every claim of batch %d, but claim %d has none", b.ID, c.ID)})
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return out, nil
}

// In reports whether s is one of the group.
func (s ClaimState) In(group []ClaimState) bool { return slices.Contains(group, s) }

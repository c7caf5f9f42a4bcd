package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Certificates. An awarding organisation certifies a learner who is
// registered, whose every mandatory criterion is met and whose record has
// no quality-assurance action open: a full certificate for the
// qualification, or unit certificates for the units achieved when the
// learner will not complete it. A certificate carries a number people
// quote and a verification code (unguessable, never the database id) that
// the public verification page answers. A certificate is never changed in
// silence: it stays valid until the awarding organisation invalidates it
// with a reason, and a decision overturned after certification only flags
// it for review.

// CertificateKind is a full certificate or a unit certificate.
type CertificateKind string

const (
	CertificateFull CertificateKind = "full"
	CertificateUnit CertificateKind = "unit"
)

// Label is the kind as pages name it.
func (k CertificateKind) Label() string {
	if k == CertificateUnit {
		return "Unit certificate"
	}
	return "Full certificate"
}

// CertificateState is whether a certificate stands.
type CertificateState string

const (
	CertificateValid       CertificateState = "valid"
	CertificateInvalidated CertificateState = "invalidated"
)

// Label is the state as the verification page says it.
func (s CertificateState) Label() string {
	if s == CertificateInvalidated {
		return "Invalidated"
	}
	return "Valid"
}

// Award is one certificate issued to a learner (Certificate, in the
// coverage rule, is the fact of holding a qualification).
type Award struct {
	ID            int64
	ApplicationID int64
	Number        string
	Kind          CertificateKind
	// Units are the references of the units a unit certificate covers.
	Units         []string
	Code          string // verification code
	IssuedOn      Date
	State         CertificateState
	InvalidatedOn Date
	InvalidReason string
	// ReviewReason is set when a decision behind the certificate was
	// overturned after it was issued: the awarding organisation reviews it.
	ReviewReason    string
	ReviewFlaggedOn Date
	UpdatedAt       time.Time

	// Names for pages and the document.
	LearnerName        string
	QualificationCode  string
	QualificationTitle string
	QualificationLevel int
	AwardingOrg        string
}

// Flagged reports whether the certificate awaits the awarding
// organisation's review.
func (c Award) Flagged() bool { return c.ReviewReason != "" && c.State == CertificateValid }

// CriterionStanding is one assessment criterion of the learner's framework
// and whether it is met (CriterionMet).
type CriterionStanding struct {
	Ref       string // e.g. "1.2"
	Unit      string // the unit's reference
	Mandatory bool
	Met       bool
}

// CertificationFacts are what a certificate needs, loaded by the store.
type CertificationFacts struct {
	App Application
	// Criteria are the learner's criteria with their state. Nil when no
	// criterion decisions are recorded for the learner: the assessor's
	// "assessment complete" (App.AssessmentCompleteOn) then stands for them.
	Criteria []CriterionStanding
	// OpenActions is how many quality-assurance actions on the learner's
	// decisions are not yet resolved.
	OpenActions int
	// Held are the learner's certificates so far.
	Held []Award
}

// CertificationBlock says why a learner cannot be certified in full now,
// or returns nil when they can. Pages ask it before they offer the form,
// and Certify asks it again on submit.
func CertificationBlock(f CertificationFacts) *Refusal {
	a := f.App
	for _, c := range f.Held {
		if c.Kind == CertificateFull && c.State == CertificateValid {
			return Refuse("status", "%s already holds certificate %s", a.PractitionerName, c.Number)
		}
	}
	if a.Status != StatusCompleted {
		return Refuse("status", "%s has not completed training and assessment (status: %s), so cannot be certified", a.PractitionerName, lower(a.Status))
	}
	if a.LearnerNumber == "" {
		return Refuse("learner_number", "%s is not registered: register them with a learner number before certifying", a.PractitionerName)
	}
	if f.Criteria == nil {
		if a.AssessmentCompleteOn.IsZero() {
			return Refuse("status", "%s's assessment is not complete", a.PractitionerName)
		}
	} else if open := unmet(f.Criteria, ""); len(open) > 0 {
		return Refuse("status", "%s has %s not yet met: %s", a.PractitionerName, countNoun(len(open), "mandatory criterion", "mandatory criteria"), strings.Join(open, ", "))
	}
	if f.OpenActions > 0 {
		return Refuse("qa", "%s has %s open: the assessor must resolve it before certification", a.PractitionerName,
			countNoun(f.OpenActions, "quality assurance action", "quality assurance actions"))
	}
	return nil
}

func unmet(cs []CriterionStanding, unit string) []string {
	var out []string
	for _, c := range cs {
		if c.Mandatory && !c.Met && (unit == "" || c.Unit == unit) {
			out = append(out, c.Ref)
		}
	}
	return out
}

func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Certify records a full certificate for a learner CertificationBlock
// allows, numbered number, on a date not in the future.
func Certify(f CertificationFacts, number string, on, today Date) (Change, error) {
	app := f.App
	number = strings.TrimSpace(number)
	if number == "" {
		return Change{}, Refuse("certificate_number", "Enter the certificate number")
	}
	if today.Before(on) {
		return Change{}, Refuse("certified-day", "The date of the certificate must be today or in the past")
	}
	if r := CertificationBlock(f); r != nil {
		return Change{}, r
	}
	c := change(app, "certified")
	if err := c.move(StatusCertified, "certified", on, "certificate "+number); err != nil {
		return Change{}, err
	}
	c.App.CertificateNumber, c.App.CertifiedOn, c.App.RevokedOn, c.App.RevokeReason = number, on, Date{}, ""
	return c, nil
}

// UnitsAchieved are the units (in the order of the criteria) whose every
// mandatory criterion is met and that no valid certificate covers yet.
func UnitsAchieved(f CertificationFacts) []string {
	covered := map[string]bool{}
	for _, c := range f.Held {
		if c.State == CertificateValid {
			for _, u := range c.Units {
				covered[u] = true
			}
		}
	}
	var units []string
	for _, c := range f.Criteria {
		if c.Unit != "" && !slices.Contains(units, c.Unit) {
			units = append(units, c.Unit)
		}
	}
	var out []string
	for _, u := range units {
		if !covered[u] && len(unmet(f.Criteria, u)) == 0 {
			out = append(out, u)
		}
	}
	return out
}

// UnitCertificationBlock says why a learner cannot have a unit certificate
// now, or nil. A unit certificate is for partial achievement: a registered
// learner, without a valid full certificate, with at least one unit
// achieved and no quality-assurance action open.
func UnitCertificationBlock(f CertificationFacts) *Refusal {
	a := f.App
	for _, c := range f.Held {
		if c.Kind == CertificateFull && c.State == CertificateValid {
			return Refuse("units", "%s holds the full certificate %s", a.PractitionerName, c.Number)
		}
	}
	if a.LearnerNumber == "" {
		return Refuse("learner_number", "%s is not registered: register them with a learner number first", a.PractitionerName)
	}
	if !a.Status.In([]Status{StatusInTraining, StatusCompleted, StatusWithdrawn}) {
		return Refuse("status", "Unit certificates are for learners in training, completed or withdrawn; %s is %s", a.PractitionerName, lower(a.Status))
	}
	if f.OpenActions > 0 {
		return Refuse("qa", "%s has %s open: the assessor must resolve it first", a.PractitionerName,
			countNoun(f.OpenActions, "quality assurance action", "quality assurance actions"))
	}
	if len(UnitsAchieved(f)) == 0 {
		return Refuse("units", "%s has no unit with every criterion met that a certificate does not already cover", a.PractitionerName)
	}
	return nil
}

// CertifyUnits checks a unit certificate for the chosen units: each must
// be achieved (UnitsAchieved). The application's status does not move: a
// unit certificate is not the qualification.
func CertifyUnits(f CertificationFacts, units []string, on, today Date) ([]string, error) {
	if r := UnitCertificationBlock(f); r != nil {
		return nil, r
	}
	if today.Before(on) {
		return nil, Refuse("certified-day", "The date of the certificate must be today or in the past")
	}
	if len(units) == 0 {
		return nil, Refuse("units", "Choose the units the certificate covers")
	}
	achieved := UnitsAchieved(f)
	var out []string
	for _, u := range units {
		if !slices.Contains(achieved, u) {
			return nil, Refuse("units", "Unit %s is not achieved, or a certificate already covers it", u)
		}
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out, nil
}

// Invalidate withdraws a certificate with a reason. For a full certificate
// the application returns to completed (Revoke); a unit certificate leaves
// the application as it is.
func Invalidate(c Award, reason string, on Date) (Award, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return c, Refuse("reason", "Give the reason the certificate is invalidated")
	}
	if c.State != CertificateValid {
		return c, Refuse("reason", "Certificate %s was already invalidated on %s", c.Number, c.InvalidatedOn.Long())
	}
	c.State, c.InvalidatedOn, c.InvalidReason = CertificateInvalidated, on, reason
	return c, nil
}

// FlagForReview marks a valid certificate for review because a decision
// behind it was overturned; the certificate itself does not change.
func FlagForReview(c Award, why string, on Date) (Award, bool) {
	if c.State != CertificateValid || c.ReviewReason != "" {
		return c, false
	}
	c.ReviewReason, c.ReviewFlaggedOn = why, on
	return c, true
}

// ClearReview records the awarding organisation's review of a flagged
// certificate that stands.
func ClearReview(c Award) (Award, error) {
	if !c.Flagged() {
		return c, Refuse("review", "Certificate %s is not flagged for review", c.Number)
	}
	c.ReviewReason, c.ReviewFlaggedOn = "", Date{}
	return c, nil
}

// CertificateNumber is the number of the seq-th certificate: the
// qualification's code, the year and the sequence.
func CertificateNumber(qualCode string, year int, seq int64) string {
	code := strings.ToUpper(strings.TrimSpace(qualCode))
	if code == "" {
		code = "CERT"
	}
	return fmt.Sprintf("%s-%d-%06d", code, year, seq)
}

// VerificationCodeAlphabet is the alphabet of verification codes: Crockford's
// base 32, without the letters people misread (I, L, O, U).
const VerificationCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// VerificationCodeLength is how many characters a code has: 16 of 32
// letters is 80 bits, far beyond guessing at any rate the page allows.
const VerificationCodeLength = 16

// FormatVerificationCode writes a code in groups of four for reading aloud.
func FormatVerificationCode(code string) string {
	var b strings.Builder
	for i, r := range code {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NormaliseVerificationCode reads a code as a person typed it: any case,
// spaces or dashes, and the letters Crockford's base 32 reads as digits.
// ok is false when it cannot be a code.
func NormaliseVerificationCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if !strings.ContainsRune(VerificationCodeAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	code := b.String()
	return code, len(code) == VerificationCodeLength
}

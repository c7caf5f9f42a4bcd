package domain

import "time"

// Application is an application and the learner it becomes.
type Application struct {
	ID                   int64
	ProgrammeID          int64
	PractitionerID       int64
	SettingURN           string
	LACode               string
	AppliedOn            Date
	Nominated            bool
	SettingConfirmed     bool
	WorkingTowardsL3     bool
	Status               Status
	Decision             Decision
	ReasonCode           string
	Reason               string
	ManualDecision       bool
	ExtraSettingPlace    bool
	CohortID             int64
	WaitlistCohortID     int64
	WithdrawalReason     WithdrawalReason
	WithdrawnOn          Date
	AssessmentCompleteOn Date
	LearnerNumber        string
	ULN                  string
	CertificateNumber    string
	CertifiedOn          Date
	RevokedOn            Date
	RevokeReason         string
	QualificationID      int64
	// EnrolledOn and LeftTrainingOn are the enrolment's span, kept for the
	// coverage figures ("in training" at a date, InTrainingAt).
	EnrolledOn     Date
	LeftTrainingOn Date
	UpdatedAt      time.Time

	// Names for pages.
	PractitionerName string
	Email            string
	SettingName      string
	SettingType      ProviderType
	LAName           string
	ProgrammeName    string
	CohortName       string
	SupplierName     string
}

// SettingDisplayName is the setting's name as pages show it, naming the
// type and URN where Ofsted withholds a home-based provider's name.
func (r Application) SettingDisplayName() string {
	return Setting{URN: r.SettingURN, Name: r.SettingName, Type: r.SettingType}.DisplayName()
}

// AwaitingReview reports whether the rules could not decide the application
// and a person of the programme team must.
func (r Application) AwaitingReview() bool {
	return r.Decision == DecisionManual && r.Status == StatusApplied
}

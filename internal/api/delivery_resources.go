package api

import (
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/store"
)

// Training delivery records as the API sends them: cohorts, sessions, a
// session's attendance register, applications and learners.

// idString is a record id as the API sends it.
func idString(id int64) string { return strconv.FormatInt(id, 10) }

// optionalID is an id sent as null when there is none.
func optionalID(id int64) *string {
	if id == 0 {
		return nil
	}
	s := idString(id)
	return &s
}

type cohortAttributes struct {
	ContractID    string    `json:"contract_id"`
	ProgrammeID   string    `json:"programme_id"`
	ProgrammeName string    `json:"programme_name"`
	SupplierName  string    `json:"supplier_name"`
	Name          string    `json:"name"`
	Mode          string    `json:"mode"`
	LACodes       []string  `json:"la_codes"`
	StartsOn      date      `json:"starts_on"`
	EndsOn        date      `json:"ends_on"`
	Phase         string    `json:"phase"`
	Capacity      int       `json:"capacity"`
	Placed        int       `json:"placed"`
	FreePlaces    int       `json:"free_places"`
	WaitingList   int       `json:"waiting_list"`
	Withdrawn     int       `json:"withdrawn"`
	Sessions      int       `json:"sessions"`
	UpdatedAt     timestamp `json:"updated_at"`
}

// cohortPhases are the codes of domain.Cohort.Phase.
var cohortPhases = []string{"recruiting", "in_progress", "finished"}

func cohortResource(r store.CohortRecord, today domain.Date) resource {
	las := r.LACodes
	if las == nil {
		las = []string{}
	}
	return resource{ID: idString(r.ID), Type: "cohort", Attributes: cohortAttributes{
		ContractID: idString(r.ContractID), ProgrammeID: idString(r.ProgrammeID), ProgrammeName: r.ProgrammeName,
		SupplierName: r.SupplierName, Name: r.Name, Mode: string(r.Mode), LACodes: las,
		StartsOn: date(r.StartsOn), EndsOn: date(r.EndsOn), Phase: strings.ReplaceAll(r.Phase(today), " ", "_"),
		Capacity: r.Capacity, Placed: r.Placed, FreePlaces: r.Free(), WaitingList: r.Waiting, Withdrawn: r.Withdrawn,
		Sessions: r.Sessions, UpdatedAt: timestamp(r.UpdatedAt),
	}}
}

type sessionAttributes struct {
	CohortID        string    `json:"cohort_id"`
	Date            date      `json:"date"`
	Minutes         int       `json:"minutes"`
	Mode            string    `json:"mode"`
	Topic           string    `json:"topic"`
	Venue           *string   `json:"venue"`
	Units           []string  `json:"units"`
	StartsAt        *string   `json:"starts_at"`
	EndsAt          *string   `json:"ends_at"`
	RegisterVersion int       `json:"register_version"`
	OnRegister      int       `json:"on_register"`
	Marked          int       `json:"marked"`
	UpdatedAt       timestamp `json:"updated_at"`
}

func sessionResource(r store.SessionRecord) resource {
	units := r.Units
	if units == nil {
		units = []string{}
	}
	return resource{ID: idString(r.ID), Type: "session", Attributes: sessionAttributes{
		CohortID: idString(r.CohortID), Date: date(r.Date), Minutes: r.Minutes, Mode: string(r.Mode), Topic: r.Topic,
		Venue: optional(r.Venue), Units: units, StartsAt: optional(r.Starts), EndsAt: optional(r.Ends), RegisterVersion: r.RegisterVersion,
		OnRegister: r.OnRegister, Marked: r.Marked, UpdatedAt: timestamp(r.UpdatedAt),
	}}
}

type attendanceAttributes struct {
	SessionID       string         `json:"session_id"`
	CohortID        string         `json:"cohort_id"`
	Date            date           `json:"date"`
	RegisterVersion int            `json:"register_version"`
	Marks           []registerMark `json:"marks"`
	UpdatedAt       timestamp      `json:"updated_at"`
}

type registerMark struct {
	ApplicationID string  `json:"application_id"`
	LearnerName   string  `json:"learner_name"`
	SettingName   *string `json:"setting_name"`
	Status        string  `json:"status"`
	Mark          *string `json:"mark"`
	CaughtUpOn    date    `json:"caught_up_on"`
	CatchUpNote   *string `json:"catch_up_note"`
}

// attendanceResource is a session's register; its id is the session's.
// visible says which learners the caller may see.
func attendanceResource(s store.SessionRecord, lines []store.RegisterLine, visible map[int64]bool) resource {
	marks := make([]registerMark, 0, len(lines))
	for _, l := range lines {
		if !visible[l.ApplicationID] {
			continue
		}
		marks = append(marks, registerMark{ApplicationID: idString(l.ApplicationID), LearnerName: l.PractitionerName,
			SettingName: optional(l.SettingName), Status: string(l.Status), Mark: optional(string(l.Mark)),
			CaughtUpOn: date(l.CaughtUpOn), CatchUpNote: optional(l.CatchUpNote)})
	}
	return resource{ID: idString(s.ID), Type: "attendance", Attributes: attendanceAttributes{
		SessionID: idString(s.ID), CohortID: idString(s.CohortID), Date: date(s.Date), RegisterVersion: s.RegisterVersion,
		Marks: marks, UpdatedAt: timestamp(s.UpdatedAt),
	}}
}

type applicationAttributes struct {
	ProgrammeID          string    `json:"programme_id"`
	ProgrammeName        string    `json:"programme_name"`
	PractitionerID       string    `json:"practitioner_id"`
	PractitionerName     string    `json:"practitioner_name"`
	SettingURN           string    `json:"setting_urn"`
	SettingName          *string   `json:"setting_name"`
	LACode               *string   `json:"la_code"`
	AppliedOn            date      `json:"applied_on"`
	Nominated            bool      `json:"nominated"`
	SettingConfirmed     bool      `json:"setting_confirmed"`
	WorkingTowardsL3     bool      `json:"working_towards_l3"`
	Status               string    `json:"status"`
	Decision             *string   `json:"decision"`
	ReasonCode           *string   `json:"reason_code"`
	Reason               *string   `json:"reason"`
	ManualDecision       bool      `json:"manual_decision"`
	CohortID             *string   `json:"cohort_id"`
	WaitingListCohortID  *string   `json:"waiting_list_cohort_id"`
	WithdrawalReason     *string   `json:"withdrawal_reason"`
	WithdrawnOn          date      `json:"withdrawn_on"`
	AssessmentCompleteOn date      `json:"assessment_complete_on"`
	LearnerNumber        *string   `json:"learner_number"`
	ULN                  *string   `json:"uln"`
	Certificate          *cert     `json:"certificate"`
	UpdatedAt            timestamp `json:"updated_at"`
}

// cert is a learner's certificate, or null before certification.
type cert struct {
	Number       string  `json:"number"`
	CertifiedOn  date    `json:"certified_on"`
	RevokedOn    date    `json:"revoked_on"`
	RevokeReason *string `json:"revoke_reason"`
}

func certOf(a store.Application) *cert {
	if a.CertificateNumber == "" {
		return nil
	}
	return &cert{Number: a.CertificateNumber, CertifiedOn: date(a.CertifiedOn), RevokedOn: date(a.RevokedOn), RevokeReason: optional(a.RevokeReason)}
}

func applicationResource(a store.Application) resource {
	return resource{ID: idString(a.ID), Type: "application", Attributes: applicationAttributes{
		ProgrammeID: idString(a.ProgrammeID), ProgrammeName: a.ProgrammeName,
		PractitionerID: idString(a.PractitionerID), PractitionerName: a.PractitionerName,
		SettingURN: a.SettingURN, SettingName: optional(a.SettingName), LACode: optional(a.LACode),
		AppliedOn: date(a.AppliedOn), Nominated: a.Nominated, SettingConfirmed: a.SettingConfirmed, WorkingTowardsL3: a.WorkingTowardsL3,
		Status: string(a.Status), Decision: optional(string(a.Decision)), ReasonCode: optional(a.ReasonCode), Reason: optional(a.Reason),
		ManualDecision: a.ManualDecision, CohortID: optionalID(a.CohortID), WaitingListCohortID: optionalID(a.WaitlistCohortID),
		WithdrawalReason: optional(string(a.WithdrawalReason)), WithdrawnOn: date(a.WithdrawnOn),
		AssessmentCompleteOn: date(a.AssessmentCompleteOn), LearnerNumber: optional(a.LearnerNumber), ULN: optional(a.ULN),
		Certificate: certOf(a), UpdatedAt: timestamp(a.UpdatedAt),
	}}
}

// applicationDocument is one application, with what an action did in meta.
type applicationDocument struct {
	Data resource    `json:"data"`
	Meta *actionMeta `json:"meta,omitempty"`
}

// actionMeta says what an action did beyond the record's new state.
type actionMeta struct {
	Outcome string `json:"outcome"`
	Detail  string `json:"detail"`
}

type learnerAttributes struct {
	PractitionerID       string    `json:"practitioner_id"`
	PractitionerName     string    `json:"practitioner_name"`
	ProgrammeID          string    `json:"programme_id"`
	SettingURN           string    `json:"setting_urn"`
	LACode               *string   `json:"la_code"`
	Status               string    `json:"status"`
	CohortID             *string   `json:"cohort_id"`
	CohortName           *string   `json:"cohort_name"`
	SessionsHeld         int       `json:"sessions_held"`
	AttendanceRate       *float64  `json:"attendance_rate"`
	AssessmentCompleteOn date      `json:"assessment_complete_on"`
	WithdrawalReason     *string   `json:"withdrawal_reason"`
	WithdrawnOn          date      `json:"withdrawn_on"`
	LearnerNumber        *string   `json:"learner_number"`
	ULN                  *string   `json:"uln"`
	Certificate          *cert     `json:"certificate"`
	UpdatedAt            timestamp `json:"updated_at"`
}

// learnerResource is a learner: their application (the id is the
// application's) with their attendance rate by domain.AttendanceRate over
// the sessions their cohort has held; null before any is held.
func learnerResource(a store.Application, marks []domain.Attendance, held int) resource {
	var rate *float64
	if held > 0 {
		r := domain.AttendanceRate(marks, held)
		rate = &r
	}
	return resource{ID: idString(a.ID), Type: "learner", Attributes: learnerAttributes{
		PractitionerID: idString(a.PractitionerID), PractitionerName: a.PractitionerName, ProgrammeID: idString(a.ProgrammeID),
		SettingURN: a.SettingURN, LACode: optional(a.LACode), Status: string(a.Status),
		CohortID: optionalID(a.CohortID), CohortName: optional(a.CohortName), SessionsHeld: held, AttendanceRate: rate,
		AssessmentCompleteOn: date(a.AssessmentCompleteOn), WithdrawalReason: optional(string(a.WithdrawalReason)),
		WithdrawnOn: date(a.WithdrawnOn), LearnerNumber: optional(a.LearnerNumber), ULN: optional(a.ULN),
		Certificate: certOf(a), UpdatedAt: timestamp(a.UpdatedAt),
	}}
}

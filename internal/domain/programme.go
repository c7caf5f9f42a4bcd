package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Qualification is a version of a qualification in the catalogue. A change
// to its criteria is a new version; learners keep the version they enrolled
// on.
type Qualification struct {
	ID                    int64
	Code                  string // e.g. "EYSENCO-L3"
	Version               int
	Title                 string
	Level                 int
	AwardingOrganisation  string
	GuidedLearningHours   int
	TotalQualificationHrs int
	Units                 []Unit
	// Plan is how this version is assessed (portfolio.go).
	Plan AssessmentPlan
}

// Unit of a qualification, with its learning outcomes.
type Unit struct {
	Ref                 string
	Title               string
	GuidedLearningHours int
	Outcomes            []LearningOutcome
}

// LearningOutcome is a learning outcome, met through its assessment criteria.
type LearningOutcome struct {
	Ref      string
	Text     string
	Criteria []Criterion
}

// Criterion is an assessment criterion.
type Criterion struct {
	Ref  string
	Text string
}

// PathwayLevel is one step of the SENCO qualifications pathway.
type PathwayLevel struct {
	Level      int
	Tier       string // foundation, intermediate, advanced
	Title      string
	Entry      string // entry requirements, e.g. "QTS, QTLS or EYTS"
	Duration   string
	EntersHere string // who enters at this level
}

// Programme is a funded offer: a qualification, a target and rules.
type Programme struct {
	ID                int64
	Name              string
	QualificationID   int64
	OpensOn           Date // applications open
	ClosesOn          Date // applications close (inclusive)
	StartsOn          Date
	EndsOn            Date
	TargetCompletions int
	Rules             ProgrammeRules
	UpdatedAt         time.Time
}

// ProgrammeRules are a programme's parameters: data, not code.
type ProgrammeRules struct {
	// Eligibility lists the rules applications are checked against, in
	// order; the first that fails gives the reason.
	Eligibility []EligibilityRule `json:"eligibility"`
	// AllowWorkingTowards lets practitioners still working towards a full
	// and relevant Level 3 apply.
	AllowWorkingTowards bool `json:"allow_working_towards"`
	// PlacesPerSetting is how many funded places one setting may take
	// (more by manual decision).
	PlacesPerSetting int `json:"places_per_setting"`
	// AttendanceThreshold is the share of sessions a learner must attend
	// to complete training (half a session counts 0.5), e.g. 0.8.
	AttendanceThreshold float64 `json:"attendance_threshold"`
	// Priority areas: applications from these are reviewed first.
	PriorityLAs     []string `json:"priority_las,omitempty"`
	PriorityRegions []string `json:"priority_regions,omitempty"`
	// Backfill is what the programme pays settings for staff cover.
	Backfill BackfillRules `json:"backfill"`
	// Budget is the money the programme has for suppliers' fees and cover.
	Budget Money `json:"budget_pence"`
}

// DefaultEligibility is the national programme's order of checks.
var DefaultEligibility = []EligibilityRule{
	RuleProgrammeOpen, RuleSettingOnEYR, RuleSettingType, RuleInEngland,
	RuleLevel3, RuleNotAlreadyFunded, RuleSettingPlaces,
}

// DefaultRules are the national programme's rules.
func DefaultRules() ProgrammeRules {
	return ProgrammeRules{Eligibility: DefaultEligibility, PlacesPerSetting: 1, AttendanceThreshold: 0.8, Backfill: DefaultBackfill()}
}

// Validate checks a programme before it is saved; field → message.
func (p Programme) Validate() map[string]string {
	errs := map[string]string{}
	if strings.TrimSpace(p.Name) == "" {
		errs["name"] = "Enter the programme's name"
	} else if msg := TooLong("The programme's name", p.Name, MaxTitleLength); msg != "" {
		errs["name"] = msg
	}
	if p.QualificationID == 0 {
		errs["qualification"] = "Choose the qualification"
	}
	if p.OpensOn.IsZero() {
		errs["opens"] = "Enter the date applications open"
	}
	if !p.ClosesOn.IsZero() && p.ClosesOn.Before(p.OpensOn) {
		errs["closes"] = "The closing date must be on or after the opening date"
	}
	if !p.EndsOn.IsZero() && p.EndsOn.Before(p.StartsOn) {
		errs["ends"] = "The end date must be on or after the start date"
	}
	if p.TargetCompletions < 0 {
		errs["target"] = "The target must be a whole number, 0 or more"
	}
	r := p.Rules
	if r.AttendanceThreshold < 0 || r.AttendanceThreshold > 1 {
		errs["attendance_threshold"] = "The attendance threshold must be between 0% and 100%"
	}
	if r.PlacesPerSetting < 0 {
		errs["places_per_setting"] = "Places per setting must be 0 (no limit) or more"
	}
	for _, rule := range r.Eligibility {
		if !rule.Valid() {
			errs["eligibility"] = fmt.Sprintf("Unknown eligibility rule %q", rule)
		}
	}
	return errs
}

// Open reports whether the programme takes applications on d.
func (p Programme) Open(d Date) bool {
	if p.OpensOn.IsZero() || d.Before(p.OpensOn) {
		return false
	}
	return p.ClosesOn.IsZero() || !p.ClosesOn.Before(d)
}

// DeliveryMode is how a cohort is taught.
type DeliveryMode string

const (
	Online     DeliveryMode = "online"
	FaceToFace DeliveryMode = "face_to_face"
	Blended    DeliveryMode = "blended"
	Distance   DeliveryMode = "distance"
)

// DeliveryModes in the order forms list them.
var DeliveryModes = []DeliveryMode{Online, FaceToFace, Blended, Distance}

func (m DeliveryMode) Label() string {
	switch m {
	case Online:
		return "Online"
	case FaceToFace:
		return "Face to face"
	case Blended:
		return "Blended"
	case Distance:
		return "Distance"
	}
	return string(m)
}

// Valid reports whether m is a known mode.
func (m DeliveryMode) Valid() bool {
	for _, k := range DeliveryModes {
		if k == m {
			return true
		}
	}
	return false
}

// Contract is a supplier's agreement for a programme: the areas it serves,
// its allocated places and its prices per paid milestone. A contract is
// never edited once used; a change is a new version.
type Contract struct {
	ID              int64
	SupplierOrgID   int64
	ProgrammeID     int64
	Version         int
	LACodes         []string
	RegionCodes     []string
	AllocatedPlaces int
	PriceStarted    int64 // pence
	PriceRetained   int64 // pence
	PriceCompleted  int64 // pence
	SupersededBy    int64
	CreatedAt       time.Time
}

// Serves reports whether the contract covers a local authority, directly or
// through its region.
func (c Contract) Serves(la LocalAuthority) bool {
	for _, code := range c.LACodes {
		if code == la.Code {
			return true
		}
	}
	for _, r := range c.RegionCodes {
		if r == la.RegionCode {
			return true
		}
	}
	return false
}

// Cohort is a supplier's run of the qualification under a contract.
type Cohort struct {
	ID            int64
	ContractID    int64
	ProgrammeID   int64
	SupplierOrgID int64
	Name          string
	Mode          DeliveryMode
	LACodes       []string
	StartsOn      Date
	EndsOn        Date
	Capacity      int
	UpdatedAt     time.Time
}

// Phase describes where a cohort is on date d.
func (c Cohort) Phase(d Date) string {
	switch {
	case d.Before(c.StartsOn):
		return "recruiting"
	case c.EndsOn.Before(d):
		return "finished"
	}
	return "in progress"
}

// Validate checks a cohort's own fields.
func (c Cohort) Validate() map[string]string {
	errs := map[string]string{}
	if strings.TrimSpace(c.Name) == "" {
		errs["name"] = "Enter a name for the cohort"
	} else if msg := TooLong("The cohort's name", c.Name, MaxTitleLength); msg != "" {
		errs["name"] = msg
	}
	if !c.Mode.Valid() {
		errs["mode"] = "Choose how the cohort is delivered"
	}
	if c.StartsOn.IsZero() {
		errs["starts-day"] = "Enter the start date"
	}
	if c.EndsOn.IsZero() {
		errs["ends-day"] = "Enter the end date"
	} else if !c.StartsOn.IsZero() && c.EndsOn.Before(c.StartsOn) {
		errs["ends-day"] = "The end date must be on or after the start date"
	}
	if c.Capacity < 1 {
		errs["capacity"] = "Capacity must be 1 or more"
	}
	if len(c.LACodes) == 0 {
		errs["las"] = "Choose at least one local authority the cohort serves"
	}
	return errs
}

// Session is one taught session of a cohort.
type Session struct {
	ID       int64
	CohortID int64
	Date     Date
	Minutes  int
	Mode     DeliveryMode
	Topic    string
	Venue    string // a place, or a link for online sessions
	Units    []string
	// Starts and Ends are the session's times in Europe/London, as
	// "HH:MM", both or neither; "" when not given.
	Starts, Ends string
}

// ParseClock reads a time of day ("9:30", "09.30", "14:00") as "HH:MM";
// false when it is not one.
func ParseClock(s string) (string, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ".", ":")
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return "", false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || h[0] == '-' || h[0] == '+' || m[0] == '-' || m[0] == '+' {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", hh, mm), true
}

// Validate checks a session against its cohort's dates.
func (s Session) Validate(c Cohort) map[string]string {
	errs := map[string]string{}
	switch {
	case s.Date.IsZero():
		errs["date-day"] = "Enter the date of the session"
	case s.Date.Before(c.StartsOn) || c.EndsOn.Before(s.Date):
		errs["date-day"] = fmt.Sprintf("The session must be within the cohort's dates, %s to %s", c.StartsOn.Long(), c.EndsOn.Long())
	}
	if s.Minutes <= 0 || s.Minutes > 12*60 {
		errs["hours"] = "Enter the length in hours, more than 0 and at most 12"
	}
	if !s.Mode.Valid() {
		errs["mode"] = "Choose how the session is delivered"
	}
	if strings.TrimSpace(s.Topic) == "" {
		errs["topic"] = "Enter the topic"
	} else if msg := TooLong("The topic", s.Topic, MaxTitleLength); msg != "" {
		errs["topic"] = msg
	}
	if msg := TooLong("The venue", s.Venue, MaxVenueLength); msg != "" {
		errs["venue"] = msg
	}
	for _, u := range s.Units {
		if msg := TooLong("Each unit reference", u, MaxCodeLength); msg != "" {
			errs["units"] = msg
		}
	}
	starts, okStart := ParseClock(s.Starts)
	ends, okEnd := ParseClock(s.Ends)
	switch {
	case s.Starts != "" && !okStart:
		errs["starts"] = "Enter the start time as hours and minutes, for example 9:30 or 13:00"
	case s.Ends != "" && !okEnd:
		errs["ends"] = "Enter the end time as hours and minutes, for example 15:30"
	case s.Starts != "" && s.Ends == "":
		errs["ends"] = "Enter the end time as well, or neither time"
	case s.Ends != "" && s.Starts == "":
		errs["starts"] = "Enter the start time as well, or neither time"
	case s.Starts != "" && ends <= starts:
		errs["ends"] = "The session must end after it starts"
	}
	return errs
}

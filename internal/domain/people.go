package domain

import (
	"fmt"
	"net/mail"
	"strings"
)

// Practitioner is a person working in early years. Practitioners are never
// taken from real data: demo and test records are generated.
type Practitioner struct {
	ID          int64
	GivenName   string
	FamilyName  string
	Email       string
	DateOfBirth Date
	// Highest relevant early years qualification level held (0 none, 2–7).
	QualificationLevel int
	QTS                bool
	EYTS               bool
	QTLS               bool
	PriorSENTraining   string
	OwnerOrgID         int64 // organisation that recorded the practitioner
}

// FullName is the name as pages show it.
func (p Practitioner) FullName() string {
	return strings.TrimSpace(p.GivenName + " " + p.FamilyName)
}

// Validate checks the fields a person must give; it returns field → message.
func (p Practitioner) Validate() map[string]string {
	errs := map[string]string{}
	if strings.TrimSpace(p.GivenName) == "" {
		errs["given_name"] = "Enter a first name"
	} else if msg := TooLong("First name", p.GivenName, MaxNameLength); msg != "" {
		errs["given_name"] = msg
	}
	if strings.TrimSpace(p.FamilyName) == "" {
		errs["family_name"] = "Enter a last name"
	} else if msg := TooLong("Last name", p.FamilyName, MaxNameLength); msg != "" {
		errs["family_name"] = msg
	}
	if msg := TooLong("Email address", p.Email, MaxEmailLength); msg != "" {
		errs["email"] = msg
	} else if p.Email != "" {
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
			errs["email"] = "Enter an email address in the correct format, like name@example.com"
		}
	}
	if p.QualificationLevel != 0 && (p.QualificationLevel < 2 || p.QualificationLevel > 7) {
		errs["qualification_level"] = "Qualification level must be between 2 and 7, or none"
	}
	return errs
}

// EmploymentRole is what a practitioner does at a setting.
type EmploymentRole string

const (
	RoleSENCO        EmploymentRole = "senco"
	RoleDeputySENCO  EmploymentRole = "deputy_senco"
	RoleManager      EmploymentRole = "manager"
	RolePractitioner EmploymentRole = "practitioner"
	RoleChildminder  EmploymentRole = "childminder"
)

// EmploymentRoles in the order forms list them.
var EmploymentRoles = []EmploymentRole{RolePractitioner, RoleSENCO, RoleDeputySENCO, RoleManager, RoleChildminder}

func (r EmploymentRole) Label() string {
	switch r {
	case RoleSENCO:
		return "SENCO"
	case RoleDeputySENCO:
		return "Deputy SENCO"
	case RoleManager:
		return "Manager"
	case RolePractitioner:
		return "Practitioner"
	case RoleChildminder:
		return "Childminder"
	}
	return string(r)
}

// ParseEmploymentRole accepts the code or the label, any case.
func ParseEmploymentRole(s string) (EmploymentRole, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, r := range EmploymentRoles {
		if s == string(r) || s == strings.ToLower(r.Label()) {
			return r, true
		}
	}
	return "", false
}

// Employment is a practitioner working at a setting in a role between two
// dates; EndedOn is zero while it continues. The designated SENCO of a
// setting is an employment with role SENCO.
type Employment struct {
	ID             int64
	PractitionerID int64
	SettingURN     string
	Role           EmploymentRole
	StartedOn      Date
	EndedOn        Date
}

// Covers reports whether the employment includes date d: it started on or
// before d and has not ended on or before d. A practitioner stops counting
// for a setting on the day their employment ends, and counts for the setting
// they join from the day that employment starts.
func (e Employment) Covers(d Date) bool {
	if e.StartedOn.IsZero() || e.StartedOn.After(d) {
		return false
	}
	return e.EndedOn.IsZero() || d.Before(e.EndedOn)
}

// Validate checks an employment on its own; overlaps are checked by the
// caller with CheckDesignatedSENCO.
func (e Employment) Validate() error {
	if _, ok := ParseEmploymentRole(string(e.Role)); !ok {
		return fmt.Errorf("role %q is not one of SENCO, deputy SENCO, manager, practitioner, childminder", e.Role)
	}
	if e.StartedOn.IsZero() {
		return fmt.Errorf("enter the date the employment started")
	}
	if !e.EndedOn.IsZero() && e.EndedOn.Before(e.StartedOn) {
		return fmt.Errorf("the end date %s is before the start date %s", e.EndedOn.Long(), e.StartedOn.Long())
	}
	return nil
}

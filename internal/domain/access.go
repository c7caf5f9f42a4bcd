package domain

import "time"

// OrgKind is the kind of organisation a user belongs to.
type OrgKind string

const (
	OrgProgramme OrgKind = "programme"
	OrgSupplier  OrgKind = "supplier"
	OrgAwarding  OrgKind = "awarding"
	OrgLA        OrgKind = "la"
	OrgSetting   OrgKind = "setting"
)

func (k OrgKind) Label() string {
	switch k {
	case OrgProgramme:
		return "Programme team"
	case OrgSupplier:
		return "Training supplier"
	case OrgAwarding:
		return "Awarding organisation"
	case OrgLA:
		return "Local authority"
	case OrgSetting:
		return "Setting"
	}
	return string(k)
}

// Organisation is a body whose users work in senco. An LA organisation names
// its authority; a setting organisation names its setting's URN.
type Organisation struct {
	ID         int64
	Kind       OrgKind
	Name       string
	LACode     string
	SettingURN string
}

// Role is what a user does; with the organisation it decides their scope.
type Role string

const (
	RoleProgrammeTeam  Role = "programme_team"
	RoleSupplierAdmin  Role = "supplier_admin"
	RoleTrainer        Role = "trainer"
	RoleAssessor       Role = "assessor"
	RoleIQA            Role = "iqa"
	RoleAOOfficer      Role = "ao_officer"
	RoleLAOfficer      Role = "la_officer"
	RoleSettingManager Role = "setting_manager"
	RoleLearner        Role = "practitioner"
)

// Roles in the order pages list them.
var Roles = []Role{RoleProgrammeTeam, RoleSupplierAdmin, RoleTrainer, RoleAssessor, RoleIQA, RoleAOOfficer, RoleLAOfficer, RoleSettingManager, RoleLearner}

func (r Role) Label() string {
	switch r {
	case RoleProgrammeTeam:
		return "Programme team"
	case RoleSupplierAdmin:
		return "Supplier admin"
	case RoleTrainer:
		return "Trainer"
	case RoleAssessor:
		return "Assessor"
	case RoleIQA:
		return "Internal quality assurer"
	case RoleAOOfficer:
		return "Awarding organisation officer"
	case RoleLAOfficer:
		return "Local authority officer"
	case RoleSettingManager:
		return "Setting manager"
	case RoleLearner:
		return "Practitioner"
	}
	return string(r)
}

// OrgKind is the kind of organisation a role belongs to.
func (r Role) OrgKind() OrgKind {
	switch r {
	case RoleProgrammeTeam:
		return OrgProgramme
	case RoleSupplierAdmin, RoleTrainer, RoleAssessor, RoleIQA:
		return OrgSupplier
	case RoleAOOfficer:
		return OrgAwarding
	case RoleLAOfficer:
		return OrgLA
	case RoleSettingManager, RoleLearner:
		return OrgSetting
	}
	return ""
}

// ParseRole accepts a role code.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// User is someone who signs in. A practitioner user is linked to their
// practitioner record.
type User struct {
	ID             int64
	Email          string
	Name           string
	Role           Role
	Org            Organisation
	PractitionerID int64
	CreatedAt      time.Time
	DisabledAt     time.Time
}

// Actor is who made a change, for the audit log: a signed-in user, an API
// token acting for a user, or an operator at the command line.
type Actor struct {
	UserID  int64
	OrgID   int64
	TokenID int64
	Label   string // e.g. "jo@example.org (Programme team)" or "operator (cli)"
}

// ActorOf is the actor for a user acting directly.
func ActorOf(u User) Actor {
	return Actor{UserID: u.ID, OrgID: u.Org.ID, Label: u.Email + " (" + u.Role.Label() + ")"}
}

// OperatorActor is the actor for command-line operations.
func OperatorActor(what string) Actor { return Actor{Label: "operator (" + what + ")"} }

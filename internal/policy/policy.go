// Package policy decides who may see and change what. Every page and API
// route asks it; the store turns the Scope it returns into WHERE clauses, so
// scope is enforced in the query, not only in the handler.
package policy

import "senco/internal/domain"

// ScopeKind is the breadth of what a user may see of one kind of record.
type ScopeKind int

const (
	// Nothing: the user may see no records of this kind.
	Nothing ScopeKind = iota
	// National: every record.
	National
	// LA: records of settings in one local authority.
	LA
	// Setting: records of one setting.
	Setting
	// Org: records the user's own organisation recorded.
	Org
	// Self: the user's own practitioner record.
	Self
	// Staffed: cohorts the user teaches or assesses, and their learners.
	Staffed
	// Awarding: learners on programmes of qualifications the user's
	// awarding organisation awards.
	Awarding
)

// Scope is what a store query is limited to.
type Scope struct {
	Kind           ScopeKind
	LACode         string
	SettingURN     string
	OrgID          int64
	PractitionerID int64
	UserID         int64
	OrgName        string
}

// Settings is which settings of the register a user may see.
//
// The register itself is public data (Ofsted publishes it), but senco shows
// each user the part they work with: the programme team, suppliers and
// awarding organisations search the whole register (suppliers must find the
// setting of every applicant), an LA officer sees their authority, and a
// setting's people see their own setting.
func Settings(u domain.User) Scope {
	switch u.Role {
	case domain.RoleProgrammeTeam, domain.RoleSupplierAdmin, domain.RoleTrainer,
		domain.RoleAssessor, domain.RoleIQA, domain.RoleAOOfficer:
		return Scope{Kind: National}
	case domain.RoleLAOfficer:
		if u.Org.LACode != "" {
			return Scope{Kind: LA, LACode: u.Org.LACode}
		}
	case domain.RoleSettingManager, domain.RoleLearner:
		if u.Org.SettingURN != "" {
			return Scope{Kind: Setting, SettingURN: u.Org.SettingURN}
		}
	}
	return Scope{Kind: Nothing}
}

// People is which practitioners and employments a user may see. Staff
// records are personal data: only those who work with a setting see them.
func People(u domain.User) Scope {
	switch u.Role {
	case domain.RoleProgrammeTeam:
		return Scope{Kind: National}
	case domain.RoleLAOfficer:
		if u.Org.LACode != "" {
			return Scope{Kind: LA, LACode: u.Org.LACode, OrgID: u.Org.ID}
		}
	case domain.RoleSettingManager:
		if u.Org.SettingURN != "" {
			return Scope{Kind: Setting, SettingURN: u.Org.SettingURN, OrgID: u.Org.ID}
		}
	case domain.RoleSupplierAdmin:
		return Scope{Kind: Org, OrgID: u.Org.ID}
	case domain.RoleLearner:
		if u.PractitionerID != 0 {
			return Scope{Kind: Self, PractitionerID: u.PractitionerID}
		}
	}
	return Scope{Kind: Nothing}
}

// CanManageStaff reports whether u may add practitioners and record or end
// employments at setting s.
func CanManageStaff(u domain.User, s domain.Setting) bool {
	switch u.Role {
	case domain.RoleProgrammeTeam:
		return true
	case domain.RoleLAOfficer:
		return u.Org.LACode != "" && s.LACode == u.Org.LACode
	case domain.RoleSettingManager:
		return u.Org.SettingURN != "" && s.URN == u.Org.SettingURN
	case domain.RoleSupplierAdmin:
		// Suppliers record the employment of the practitioners they train,
		// wherever those work; they see only the records they made.
		return true
	}
	return false
}

// CanImportPractitioners reports whether u may upload a practitioners CSV.
func CanImportPractitioners(u domain.User) bool {
	switch u.Role {
	case domain.RoleProgrammeTeam, domain.RoleLAOfficer, domain.RoleSupplierAdmin:
		return true
	}
	return false
}

// CanReadAudit reports whether u may read the audit log.
func CanReadAudit(u domain.User) bool { return u.Role == domain.RoleProgrammeTeam }

// CanUseAPI reports whether u may create API tokens for their organisation.
func CanUseAPI(u domain.User) bool {
	switch u.Role {
	case domain.RoleProgrammeTeam, domain.RoleSupplierAdmin, domain.RoleAOOfficer, domain.RoleLAOfficer:
		return true
	}
	return false
}

// CanSeeStaff reports whether u may see any staff records at all, for
// navigation.
func CanSeeStaff(u domain.User) bool { return People(u).Kind != Nothing }

// CanListLAs reports whether u may browse local authorities and their counts.
func CanListLAs(u domain.User) bool {
	switch Settings(u).Kind {
	case National, LA:
		return true
	}
	return false
}

// Delivery is which programmes' cohorts, sessions, applications and
// learners a user may see: the programme team all of them; a supplier its
// own cohorts and the applications from the authorities its contracts
// serve; a trainer or assessor the cohorts they are staff of; an awarding
// organisation the learners of the qualifications it awards; an LA officer
// those from settings in their authority; a setting its own staff's; a
// practitioner their own.
func Delivery(u domain.User) Scope {
	switch u.Role {
	case domain.RoleProgrammeTeam:
		return Scope{Kind: National}
	case domain.RoleSupplierAdmin, domain.RoleIQA:
		return Scope{Kind: Org, OrgID: u.Org.ID}
	case domain.RoleTrainer, domain.RoleAssessor:
		return Scope{Kind: Staffed, UserID: u.ID, OrgID: u.Org.ID}
	case domain.RoleAOOfficer:
		return Scope{Kind: Awarding, OrgID: u.Org.ID, OrgName: u.Org.Name}
	case domain.RoleLAOfficer:
		if u.Org.LACode != "" {
			return Scope{Kind: LA, LACode: u.Org.LACode}
		}
	case domain.RoleSettingManager:
		if u.Org.SettingURN != "" {
			return Scope{Kind: Setting, SettingURN: u.Org.SettingURN}
		}
	case domain.RoleLearner:
		if u.PractitionerID != 0 {
			return Scope{Kind: Self, PractitionerID: u.PractitionerID}
		}
	}
	return Scope{Kind: Nothing}
}

// CanManageProgrammes: create programmes, register suppliers, make contracts,
// decide manual reviews.
func CanManageProgrammes(u domain.User) bool { return u.Role == domain.RoleProgrammeTeam }

// CanRunCohorts: create cohorts and sessions, place, defer, transfer and
// withdraw learners.
func CanRunCohorts(u domain.User) bool { return u.Role == domain.RoleSupplierAdmin }

// CanTakeAttendance: record attendance and catch-ups for a cohort's
// sessions (the store checks the cohort is in the user's scope).
func CanTakeAttendance(u domain.User) bool {
	return u.Role == domain.RoleTrainer || u.Role == domain.RoleSupplierAdmin
}

// CanAssess: record that a learner's assessment is complete.
func CanAssess(u domain.User) bool {
	return u.Role == domain.RoleAssessor || u.Role == domain.RoleSupplierAdmin
}

// CanCertify: register learners with the awarding organisation, certify,
// revoke.
func CanCertify(u domain.User) bool { return u.Role == domain.RoleAOOfficer }

// CanNominate: a setting manager nominates staff or confirms their own
// applications.
func CanNominate(u domain.User) bool { return u.Role == domain.RoleSettingManager }

// CanApply: a practitioner applies for themself.
func CanApply(u domain.User) bool { return u.Role == domain.RoleLearner && u.PractitionerID != 0 }

// CanSeeDelivery reports whether u may see any delivery records at all: a
// programme's progress is not shown to someone who sees none of its
// applications, so that its existence does not leak either.
func CanSeeDelivery(u domain.User) bool { return Delivery(u).Kind != Nothing }

// Coverage is whose coverage figures u may see: every area nationally (the
// programme team, suppliers and awarding organisations, who see the whole
// register), an LA officer their own authority, nobody else any. The
// returned scope answers Area and HomeArea.
func Coverage(u domain.User) Scope {
	switch s := Settings(u); s.Kind {
	case National, LA:
		return s
	}
	return Scope{Kind: Nothing}
}

// Coverage areas, as Area and HomeArea name them.
const (
	AreaEngland = "england"
	AreaRegion  = "region"
	AreaLA      = "la"
	// NoLA is the code of the area of the settings Ofsted filed under no
	// local authority.
	NoLA = "none"
)

// Area is the scope to count the coverage of one area with, and whether a
// coverage scope (from Coverage) may see it: kind is AreaEngland,
// AreaRegion (code an ONS region code) or AreaLA (code a GSS code, or
// NoLA). A figure is of a whole area or not shown at all: an LA officer
// sees their own authority, never England or a region counted over their
// part of it. One authority is counted over that authority's settings only,
// which is all its answer needs.
func (s Scope) Area(kind, code string) (Scope, bool) {
	switch s.Kind {
	case National:
		if kind == AreaLA && code != NoLA {
			return Scope{Kind: LA, LACode: code}, true
		}
		return s, true
	case LA:
		if kind == AreaLA && code == s.LACode {
			return s, true
		}
	}
	return Scope{Kind: Nothing}, false
}

// HomeArea is the area a coverage scope shows when none is asked for: the
// widest it may see whole. ok is false when it may see none.
func (s Scope) HomeArea() (kind, code string, ok bool) {
	switch s.Kind {
	case National:
		return AreaEngland, "", true
	case LA:
		return AreaLA, s.LACode, true
	}
	return "", "", false
}

package policy

import "senco/internal/domain"

// The decisions below are the ones pages need beyond a record's scope: what
// the navigation offers, which parts of a page a user may act on, and the
// few scopes that are wider than the user's own for a stated reason. They
// live here, beside Settings, People and Delivery, so that no page decides
// a permission itself.

// Register is the part of the Ofsted register an applicant searches for
// the setting they work at: all of it, since the register is public and a
// practitioner may work anywhere. Nobody else searches through the
// application journey.
func Register(u domain.User) Scope {
	if CanApply(u) {
		return Scope{Kind: National}
	}
	return Scope{Kind: Nothing}
}

// ProgrammeTeam is the scope of the programme team's own pages (suppliers
// and their contracts, a programme's contracts, the manual review queue):
// every record, for the programme team only.
func ProgrammeTeam(u domain.User) Scope {
	if CanManageProgrammes(u) {
		return Scope{Kind: National}
	}
	return Scope{Kind: Nothing}
}

// CanSearchSettings reports whether u searches the register (nationally or
// in their authority), as opposed to seeing only their own setting.
func CanSearchSettings(u domain.User) bool {
	k := Settings(u).Kind
	return k == National || k == LA
}

// HasOwnSetting reports whether the settings u sees are their own setting
// only, which the settings pages go straight to.
func HasOwnSetting(u domain.User) bool { return Settings(u).Kind == Setting }

// CanSeeSettingStaff reports whether u sees the whole staff list of a
// setting in their scope. A supplier sees only the employments it recorded
// and a practitioner only their own, so neither is shown a setting's list.
func CanSeeSettingStaff(u domain.User) bool {
	switch People(u).Kind {
	case National, LA, Setting:
		return true
	}
	return false
}

// CanManageSettingStaff reports whether u manages the staff of setting s
// from the setting's page. A supplier records the employment of the
// practitioners it trains (CanManageStaff) but does not manage a setting's
// staff.
func CanManageSettingStaff(u domain.User, s domain.Setting) bool {
	return CanManageStaff(u, s) && u.Role != domain.RoleSupplierAdmin
}

// CanRecordEmployment reports whether u may record a new employment for a
// practitioner they can see; the setting it is at is checked with
// CanManageStaff when the form is sent.
func CanRecordEmployment(u domain.User) bool {
	switch u.Role {
	case domain.RoleProgrammeTeam, domain.RoleLAOfficer, domain.RoleSettingManager, domain.RoleSupplierAdmin:
		return true
	}
	return false
}

// CanOpenCohorts reports whether u may open cohort pages at all: those who
// run, staff, fund, oversee or award them. A setting's people and learners
// follow their own applications instead, since cohort pages list other
// learners.
func CanOpenCohorts(u domain.User) bool {
	switch Delivery(u).Kind {
	case National, Org, Staffed, LA, Awarding:
		return true
	}
	return false
}

// CanRunCohort reports whether u runs a cohort delivered by the supplier
// supplierOrgID: its own supplier's admin.
func CanRunCohort(u domain.User, supplierOrgID int64) bool {
	return CanRunCohorts(u) && supplierOrgID == u.Org.ID
}

// CanAssessCohort reports whether u records assessments for the learners
// of a cohort delivered by supplierOrgID: an assessor staffed on it (the
// store's scope checks that), or the supplier's own admin.
func CanAssessCohort(u domain.User, supplierOrgID int64) bool {
	if !CanAssess(u) {
		return false
	}
	return u.Role != domain.RoleSupplierAdmin || CanRunCohort(u, supplierOrgID)
}

// OwnApplicationsOnly reports whether the applications u sees are their
// own, which they follow from their training page rather than a list.
func OwnApplicationsOnly(u domain.User) bool { return Delivery(u).Kind == Self }

// NavApplications reports whether the navigation offers u the applications
// list: everyone whose work starts from applications. Trainers and
// assessors start from their cohorts.
func NavApplications(u domain.User) bool {
	switch Delivery(u).Kind {
	case National, Org, LA, Setting, Awarding:
		return true
	}
	return false
}

// NavCohorts reports whether the navigation offers u the cohorts list. An
// awarding organisation reaches cohorts through its learners.
func NavCohorts(u domain.User) bool {
	switch Delivery(u).Kind {
	case National, Org, Staffed, LA:
		return true
	}
	return false
}

// NavPeople reports whether the navigation offers u the people pages. A
// practitioner sees their own record from their training page instead.
func NavPeople(u domain.User) bool { return CanSeeStaff(u) && u.Role != domain.RoleLearner }

// NavOwnTraining reports whether the navigation offers u their own
// training: a practitioner's.
func NavOwnTraining(u domain.User) bool { return u.Role == domain.RoleLearner }

// LACoverage is the scope of the coverage dashboard of authority code for
// u: a national user's is narrowed to that authority (the figures are the
// same and only its settings are counted; "none" is the settings with no
// authority, counted nationally), an LA officer's is their own authority
// and no other. ok is false when u may not see that authority's
// dashboard; CanListLAs says whether u sees any.
func LACoverage(u domain.User, code string) (scope Scope, ok bool) {
	scope = Settings(u)
	switch scope.Kind {
	case National:
		if code != "none" {
			scope = Scope{Kind: LA, LACode: code}
		}
		return scope, true
	case LA:
		return scope, code == scope.LACode
	}
	return Scope{Kind: Nothing}, false
}

// CanSeeProgress reports whether u sees a programme's progress page: those
// who deliver, fund, oversee or award it, each counting what is in their
// own delivery scope. A practitioner follows their own training instead.
func CanSeeProgress(u domain.User) bool {
	switch Delivery(u).Kind {
	case Nothing, Self:
		return false
	}
	return true
}

// StaffSetting is the one setting u records employments at, when there is
// only one: a setting manager's own. only is false for everyone else, who
// name the setting (CanManageStaff decides whether they may).
func StaffSetting(u domain.User) (urn string, only bool) {
	if u.Role == domain.RoleSettingManager {
		return u.Org.SettingURN, true
	}
	return "", false
}

package policy

import (
	"testing"

	"senco/internal/domain"
)

// pageUser is a user of each role as pages see them: a supplier of org 10,
// an authority of E1, a setting EY1 in E1, a practitioner 7.
func pageUser(r domain.Role) domain.User {
	u := domain.User{ID: 1, Role: r}
	switch r {
	case domain.RoleSupplierAdmin, domain.RoleTrainer, domain.RoleAssessor, domain.RoleIQA:
		u.Org = domain.Organisation{ID: 10, Kind: domain.OrgSupplier}
	case domain.RoleAOOfficer:
		u.Org = domain.Organisation{ID: 20, Kind: domain.OrgAwarding, Name: "AO"}
	case domain.RoleLAOfficer:
		u.Org = domain.Organisation{ID: 30, Kind: domain.OrgLA, LACode: "E1"}
	case domain.RoleSettingManager:
		u.Org = domain.Organisation{ID: 40, Kind: domain.OrgSetting, SettingURN: "EY1"}
	case domain.RoleLearner:
		u.Org = domain.Organisation{ID: 40, Kind: domain.OrgSetting, SettingURN: "EY1"}
		u.PractitionerID = 7
	default:
		u.Org = domain.Organisation{ID: 50, Kind: domain.OrgProgramme}
	}
	return u
}

// TestPageDecisions holds every page decision for every role.
func TestPageDecisions(t *testing.T) {
	own := domain.Setting{URN: "EY1", LACode: "E1"}
	other := domain.Setting{URN: "EY9", LACode: "E9"}
	type want struct {
		register, team                       ScopeKind
		search, ownSetting, settingStaff     bool
		manageOwn, manageOther, record       bool
		openCohorts, runOwn, runOther        bool
		assessOwn, assessOther, ownApps      bool
		navApps, navCohorts, navPeople, navT bool
		laOwn, laOther                       ScopeKind // LACoverage's scope, Nothing when refused
		progress                             bool
	}
	cases := map[domain.Role]want{
		domain.RoleProgrammeTeam: {laOwn: LA, laOther: LA, progress: true, register: Nothing, team: National, search: true, settingStaff: true, manageOwn: true, manageOther: true, record: true,
			openCohorts: true, navApps: true, navCohorts: true, navPeople: true},
		domain.RoleSupplierAdmin: {laOwn: LA, laOther: LA, progress: true, register: Nothing, team: Nothing, search: true, record: true,
			openCohorts: true, runOwn: true, assessOwn: true, navApps: true, navCohorts: true, navPeople: true},
		domain.RoleTrainer:   {laOwn: LA, laOther: LA, progress: true, register: Nothing, team: Nothing, search: true, openCohorts: true, navCohorts: true},
		domain.RoleAssessor:  {laOwn: LA, laOther: LA, progress: true, register: Nothing, team: Nothing, search: true, openCohorts: true, assessOwn: true, assessOther: true, navCohorts: true},
		domain.RoleIQA:       {laOwn: LA, laOther: LA, progress: true, register: Nothing, team: Nothing, search: true, openCohorts: true, navApps: true, navCohorts: true},
		domain.RoleAOOfficer: {laOwn: LA, laOther: LA, progress: true, register: Nothing, team: Nothing, search: true, openCohorts: true, navApps: true},
		domain.RoleLAOfficer: {laOwn: LA, laOther: Nothing, progress: true, register: Nothing, team: Nothing, search: true, settingStaff: true, manageOwn: true, record: true,
			openCohorts: true, navApps: true, navCohorts: true, navPeople: true},
		domain.RoleSettingManager: {laOwn: Nothing, laOther: Nothing, progress: true, register: Nothing, team: Nothing, ownSetting: true, settingStaff: true, manageOwn: true, record: true,
			navApps: true, navPeople: true},
		domain.RoleLearner: {laOwn: Nothing, laOther: Nothing, register: National, team: Nothing, ownSetting: true, ownApps: true, navT: true},
	}
	if len(cases) != len(domain.Roles) {
		t.Fatalf("%d roles have cases, want all %d", len(cases), len(domain.Roles))
	}
	for _, r := range domain.Roles {
		w, ok := cases[r]
		if !ok {
			t.Errorf("no case for role %s", r)
			continue
		}
		u := pageUser(r)
		got := want{
			register: Register(u).Kind, team: ProgrammeTeam(u).Kind,
			search: CanSearchSettings(u), ownSetting: HasOwnSetting(u), settingStaff: CanSeeSettingStaff(u),
			manageOwn: CanManageSettingStaff(u, own), manageOther: CanManageSettingStaff(u, other), record: CanRecordEmployment(u),
			openCohorts: CanOpenCohorts(u), runOwn: CanRunCohort(u, 10), runOther: CanRunCohort(u, 11),
			assessOwn: CanAssessCohort(u, 10), assessOther: CanAssessCohort(u, 11), ownApps: OwnApplicationsOnly(u),
			navApps: NavApplications(u), navCohorts: NavCohorts(u), navPeople: NavPeople(u), navT: NavOwnTraining(u),
			laOwn: laCoverage(u, "E1"), laOther: laCoverage(u, "E9"), progress: CanSeeProgress(u),
		}
		if got != w {
			t.Errorf("%s:\n got %+v\nwant %+v", r, got, w)
		}
		urn, only := StaffSetting(u)
		if wantOnly := r == domain.RoleSettingManager; only != wantOnly || (only && urn != "EY1") || (!only && urn != "") {
			t.Errorf("%s: StaffSetting = %q, %v; want only %v", r, urn, only, wantOnly)
		}
	}
}

// TestPageDecisionsWithoutOrganisation: a user whose organisation lacks the
// authority, setting or practitioner their role needs is offered nothing.
func TestPageDecisionsWithoutOrganisation(t *testing.T) {
	for _, r := range []domain.Role{domain.RoleLAOfficer, domain.RoleSettingManager, domain.RoleLearner} {
		u := domain.User{ID: 1, Role: r}
		s := domain.Setting{}
		if Register(u).Kind != Nothing || CanSearchSettings(u) || HasOwnSetting(u) || CanSeeSettingStaff(u) ||
			CanManageSettingStaff(u, s) || CanOpenCohorts(u) || OwnApplicationsOnly(u) || NavApplications(u) || NavCohorts(u) || NavPeople(u) {
			t.Errorf("%s without an organisation is offered something", r)
		}
	}
}

// laCoverage is LACoverage's scope kind, Nothing when it refuses.
func laCoverage(u domain.User, code string) ScopeKind {
	sc, ok := LACoverage(u, code)
	if !ok {
		return Nothing
	}
	if sc.Kind == LA && sc.LACode != code {
		return Nothing // the scope must be the authority asked for
	}
	return sc.Kind
}

func TestLACoverageNone(t *testing.T) {
	if sc, ok := LACoverage(pageUser(domain.RoleProgrammeTeam), "none"); !ok || sc.Kind != National {
		t.Errorf("national user, settings with no authority: %+v %v, want national", sc, ok)
	}
	if _, ok := LACoverage(pageUser(domain.RoleLAOfficer), "none"); ok {
		t.Error("an LA officer sees the settings with no authority")
	}
}

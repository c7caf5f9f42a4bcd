package policy_test

import (
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
)

// The expectations below are DESIGN.md section 2 written out by hand, one
// line a role, for every role of domain.Roles: a role added to the domain
// without a line here fails every table.

const (
	ownLA    = "E09000002"
	otherLA  = "E08000035"
	ownURN   = "EY000001"
	otherURN = "EY000011"
	userID   = 5
	orgID    = 7
	pracID   = 42
	aoName   = "Awarding Body"
)

// user is a user of role r whose organisation is of the role's kind. A
// placed user has what their role can be tied to: an LA officer's
// organisation names its authority, a setting's its URN, a practitioner
// user their practitioner record. A bare user has none of these, as a
// half-set-up account would.
func user(r domain.Role, placed bool) domain.User {
	u := domain.User{ID: userID, Role: r, Org: domain.Organisation{ID: orgID, Kind: r.OrgKind(), Name: aoName}}
	if !placed {
		return u
	}
	switch r.OrgKind() {
	case domain.OrgLA:
		u.Org.LACode = ownLA
	case domain.OrgSetting:
		u.Org.SettingURN = ownURN
	}
	if r == domain.RoleLearner {
		u.PractitionerID = pracID
	}
	return u
}

// each runs check for every role, placed and bare, failing when the table
// has no line for a role or a line for a role the domain no longer has.
func each[W any](t *testing.T, name string, table map[domain.Role]W, check func(t *testing.T, r domain.Role, want W)) {
	t.Helper()
	for _, r := range domain.Roles {
		want, ok := table[r]
		if !ok {
			t.Errorf("%s: no expectation for role %s", name, r)
			continue
		}
		t.Run(name+"/"+string(r), func(t *testing.T) { check(t, r, want) })
	}
	if len(table) != len(domain.Roles) {
		t.Errorf("%s: %d roles in the table, the domain has %d", name, len(table), len(domain.Roles))
	}
}

var (
	nothing  = policy.Scope{Kind: policy.Nothing}
	national = policy.Scope{Kind: policy.National}
)

// placedBare is what a function answers for a placed and a bare user.
type placedBare[T any] struct{ placed, bare T }

func same[T any](v T) placedBare[T] { return placedBare[T]{v, v} }

func TestScopes(t *testing.T) {
	laScope := policy.Scope{Kind: policy.LA, LACode: ownLA}
	settingScope := policy.Scope{Kind: policy.Setting, SettingURN: ownURN}
	self := policy.Scope{Kind: policy.Self, PractitionerID: pracID}
	org := policy.Scope{Kind: policy.Org, OrgID: orgID}
	staffed := policy.Scope{Kind: policy.Staffed, UserID: userID, OrgID: orgID}
	awarding := policy.Scope{Kind: policy.Awarding, OrgID: orgID, OrgName: aoName}
	tables := []struct {
		name  string
		fn    func(domain.User) policy.Scope
		table map[domain.Role]placedBare[policy.Scope]
	}{
		{"Settings", policy.Settings, map[domain.Role]placedBare[policy.Scope]{
			// The register is searched nationally by everyone who must find
			// an applicant's setting.
			domain.RoleProgrammeTeam:  same(national),
			domain.RoleSupplierAdmin:  same(national),
			domain.RoleTrainer:        same(national),
			domain.RoleAssessor:       same(national),
			domain.RoleIQA:            same(national),
			domain.RoleAOOfficer:      same(national),
			domain.RoleLAOfficer:      {laScope, nothing},
			domain.RoleSettingManager: {settingScope, nothing},
			domain.RoleLearner:        {settingScope, nothing},
		}},
		{"People", policy.People, map[domain.Role]placedBare[policy.Scope]{
			domain.RoleProgrammeTeam:  same(national),
			domain.RoleSupplierAdmin:  same(org),
			domain.RoleTrainer:        same(nothing),
			domain.RoleAssessor:       same(nothing),
			domain.RoleIQA:            same(nothing),
			domain.RoleAOOfficer:      same(nothing),
			domain.RoleLAOfficer:      {policy.Scope{Kind: policy.LA, LACode: ownLA, OrgID: orgID}, nothing},
			domain.RoleSettingManager: {policy.Scope{Kind: policy.Setting, SettingURN: ownURN, OrgID: orgID}, nothing},
			domain.RoleLearner:        {self, nothing},
		}},
		{"Delivery", policy.Delivery, map[domain.Role]placedBare[policy.Scope]{
			domain.RoleProgrammeTeam:  same(national),
			domain.RoleSupplierAdmin:  same(org),
			domain.RoleTrainer:        same(staffed),
			domain.RoleAssessor:       same(staffed),
			domain.RoleIQA:            same(org),
			domain.RoleAOOfficer:      same(awarding),
			domain.RoleLAOfficer:      {laScope, nothing},
			domain.RoleSettingManager: {settingScope, nothing},
			domain.RoleLearner:        {self, nothing},
		}},
		{"Coverage", policy.Coverage, map[domain.Role]placedBare[policy.Scope]{
			domain.RoleProgrammeTeam:  same(national),
			domain.RoleSupplierAdmin:  same(national),
			domain.RoleTrainer:        same(national),
			domain.RoleAssessor:       same(national),
			domain.RoleIQA:            same(national),
			domain.RoleAOOfficer:      same(national),
			domain.RoleLAOfficer:      {laScope, nothing},
			domain.RoleSettingManager: same(nothing),
			domain.RoleLearner:        same(nothing),
		}},
	}
	for _, tt := range tables {
		each(t, tt.name, tt.table, func(t *testing.T, r domain.Role, want placedBare[policy.Scope]) {
			if got := tt.fn(user(r, true)); got != want.placed {
				t.Errorf("placed user: %+v, want %+v", got, want.placed)
			}
			if got := tt.fn(user(r, false)); got != want.bare {
				t.Errorf("bare user: %+v, want %+v", got, want.bare)
			}
		})
		// Someone of no known role sees nothing.
		if got := tt.fn(domain.User{ID: userID, Org: domain.Organisation{ID: orgID}}); got != nothing {
			t.Errorf("%s of a user with no role: %+v", tt.name, got)
		}
	}
}

func TestPermissions(t *testing.T) {
	const y, n = true, false
	tables := []struct {
		name  string
		fn    func(domain.User) bool
		table map[domain.Role]placedBare[bool]
	}{
		{"CanImportPractitioners", policy.CanImportPractitioners, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(y), domain.RoleSupplierAdmin: same(y), domain.RoleTrainer: same(n), domain.RoleAssessor: same(n),
			domain.RoleIQA: same(n), domain.RoleAOOfficer: same(n), domain.RoleLAOfficer: same(y), domain.RoleSettingManager: same(n), domain.RoleLearner: same(n),
		}},
		{"CanReadAudit", policy.CanReadAudit, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(y), domain.RoleSupplierAdmin: same(n), domain.RoleTrainer: same(n), domain.RoleAssessor: same(n),
			domain.RoleIQA: same(n), domain.RoleAOOfficer: same(n), domain.RoleLAOfficer: same(n), domain.RoleSettingManager: same(n), domain.RoleLearner: same(n),
		}},
		{"CanUseAPI", policy.CanUseAPI, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(y), domain.RoleSupplierAdmin: same(y), domain.RoleTrainer: same(n), domain.RoleAssessor: same(n),
			domain.RoleIQA: same(n), domain.RoleAOOfficer: same(y), domain.RoleLAOfficer: same(y), domain.RoleSettingManager: same(n), domain.RoleLearner: same(n),
		}},
		{"CanSeeStaff", policy.CanSeeStaff, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(y), domain.RoleSupplierAdmin: same(y), domain.RoleTrainer: same(n), domain.RoleAssessor: same(n),
			domain.RoleIQA: same(n), domain.RoleAOOfficer: same(n), domain.RoleLAOfficer: {y, n}, domain.RoleSettingManager: {y, n}, domain.RoleLearner: {y, n},
		}},
		{"CanListLAs", policy.CanListLAs, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(y), domain.RoleSupplierAdmin: same(y), domain.RoleTrainer: same(y), domain.RoleAssessor: same(y),
			domain.RoleIQA: same(y), domain.RoleAOOfficer: same(y), domain.RoleLAOfficer: {y, n}, domain.RoleSettingManager: same(n), domain.RoleLearner: same(n),
		}},
		{"CanSeeDelivery", policy.CanSeeDelivery, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(y), domain.RoleSupplierAdmin: same(y), domain.RoleTrainer: same(y), domain.RoleAssessor: same(y),
			domain.RoleIQA: same(y), domain.RoleAOOfficer: same(y), domain.RoleLAOfficer: {y, n}, domain.RoleSettingManager: {y, n}, domain.RoleLearner: {y, n},
		}},
		{"CanManageProgrammes", policy.CanManageProgrammes, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(y), domain.RoleSupplierAdmin: same(n), domain.RoleTrainer: same(n), domain.RoleAssessor: same(n),
			domain.RoleIQA: same(n), domain.RoleAOOfficer: same(n), domain.RoleLAOfficer: same(n), domain.RoleSettingManager: same(n), domain.RoleLearner: same(n),
		}},
		{"CanRunCohorts", policy.CanRunCohorts, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(n), domain.RoleSupplierAdmin: same(y), domain.RoleTrainer: same(n), domain.RoleAssessor: same(n),
			domain.RoleIQA: same(n), domain.RoleAOOfficer: same(n), domain.RoleLAOfficer: same(n), domain.RoleSettingManager: same(n), domain.RoleLearner: same(n),
		}},
		{"CanTakeAttendance", policy.CanTakeAttendance, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(n), domain.RoleSupplierAdmin: same(y), domain.RoleTrainer: same(y), domain.RoleAssessor: same(n),
			domain.RoleIQA: same(n), domain.RoleAOOfficer: same(n), domain.RoleLAOfficer: same(n), domain.RoleSettingManager: same(n), domain.RoleLearner: same(n),
		}},
		{"CanAssess", policy.CanAssess, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(n), domain.RoleSupplierAdmin: same(y), domain.RoleTrainer: same(n), domain.RoleAssessor: same(y),
			domain.RoleIQA: same(n), domain.RoleAOOfficer: same(n), domain.RoleLAOfficer: same(n), domain.RoleSettingManager: same(n), domain.RoleLearner: same(n),
		}},
		{"CanCertify", policy.CanCertify, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(n), domain.RoleSupplierAdmin: same(n), domain.RoleTrainer: same(n), domain.RoleAssessor: same(n),
			domain.RoleIQA: same(n), domain.RoleAOOfficer: same(y), domain.RoleLAOfficer: same(n), domain.RoleSettingManager: same(n), domain.RoleLearner: same(n),
		}},
		{"CanNominate", policy.CanNominate, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(n), domain.RoleSupplierAdmin: same(n), domain.RoleTrainer: same(n), domain.RoleAssessor: same(n),
			domain.RoleIQA: same(n), domain.RoleAOOfficer: same(n), domain.RoleLAOfficer: same(n), domain.RoleSettingManager: same(y), domain.RoleLearner: same(n),
		}},
		{"CanApply", policy.CanApply, map[domain.Role]placedBare[bool]{
			domain.RoleProgrammeTeam: same(n), domain.RoleSupplierAdmin: same(n), domain.RoleTrainer: same(n), domain.RoleAssessor: same(n),
			domain.RoleIQA: same(n), domain.RoleAOOfficer: same(n), domain.RoleLAOfficer: same(n), domain.RoleSettingManager: same(n), domain.RoleLearner: {y, n},
		}},
	}
	for _, tt := range tables {
		each(t, tt.name, tt.table, func(t *testing.T, r domain.Role, want placedBare[bool]) {
			if got := tt.fn(user(r, true)); got != want.placed {
				t.Errorf("placed user: %v, want %v", got, want.placed)
			}
			if got := tt.fn(user(r, false)); got != want.bare {
				t.Errorf("bare user: %v, want %v", got, want.bare)
			}
		})
		if tt.fn(domain.User{ID: userID, Org: domain.Organisation{ID: orgID}}) {
			t.Errorf("%s: a user with no role may", tt.name)
		}
	}
}

// TestCanManageStaff checks staff changes at a setting of the user's own
// authority and setting, and at one elsewhere.
func TestCanManageStaff(t *testing.T) {
	own := domain.Setting{URN: ownURN, LACode: ownLA}
	other := domain.Setting{URN: otherURN, LACode: otherLA}
	// placed user at their own setting, placed user elsewhere, bare user at
	// the first.
	type want struct{ own, other, bare bool }
	const y, n = true, false
	each(t, "CanManageStaff", map[domain.Role]want{
		domain.RoleProgrammeTeam: {y, y, y},
		// Suppliers record the employments of those they train, wherever
		// they work.
		domain.RoleSupplierAdmin:  {y, y, y},
		domain.RoleTrainer:        {n, n, n},
		domain.RoleAssessor:       {n, n, n},
		domain.RoleIQA:            {n, n, n},
		domain.RoleAOOfficer:      {n, n, n},
		domain.RoleLAOfficer:      {y, n, n},
		domain.RoleSettingManager: {y, n, n},
		domain.RoleLearner:        {n, n, n},
	}, func(t *testing.T, r domain.Role, w want) {
		if got := policy.CanManageStaff(user(r, true), own); got != w.own {
			t.Errorf("own setting: %v, want %v", got, w.own)
		}
		if got := policy.CanManageStaff(user(r, true), other); got != w.other {
			t.Errorf("another authority's setting: %v, want %v", got, w.other)
		}
		if got := policy.CanManageStaff(user(r, false), own); got != w.bare {
			t.Errorf("bare user: %v, want %v", got, w.bare)
		}
		// A bare user never matches a setting with no authority or URN.
		if policy.CanManageStaff(user(r, false), domain.Setting{}) && r != domain.RoleProgrammeTeam && r != domain.RoleSupplierAdmin {
			t.Errorf("bare user may manage the staff of a setting with no URN or authority")
		}
	})
}

// TestCoverageAreas checks which areas each role's coverage scope may see
// whole, the scope each is counted in, and the area shown by default.
func TestCoverageAreas(t *testing.T) {
	type area struct{ kind, code string }
	areas := []area{
		{policy.AreaEngland, ""},
		{policy.AreaRegion, "E12000007"},
		{policy.AreaLA, ownLA},
		{policy.AreaLA, otherLA},
		{policy.AreaLA, policy.NoLA},
	}
	laScope := policy.Scope{Kind: policy.LA, LACode: ownLA}
	otherScope := policy.Scope{Kind: policy.LA, LACode: otherLA}
	// What each area is counted in, by area in the order above; nothing
	// where it may not be seen.
	all := []policy.Scope{national, national, laScope, otherScope, national}
	none := []policy.Scope{nothing, nothing, nothing, nothing, nothing}
	type want struct {
		placed, bare []policy.Scope
		home         area // of the placed user; the bare one's is always none unless national
	}
	each(t, "Coverage areas", map[domain.Role]want{
		domain.RoleProgrammeTeam:  {all, all, area{policy.AreaEngland, ""}},
		domain.RoleSupplierAdmin:  {all, all, area{policy.AreaEngland, ""}},
		domain.RoleTrainer:        {all, all, area{policy.AreaEngland, ""}},
		domain.RoleAssessor:       {all, all, area{policy.AreaEngland, ""}},
		domain.RoleIQA:            {all, all, area{policy.AreaEngland, ""}},
		domain.RoleAOOfficer:      {all, all, area{policy.AreaEngland, ""}},
		domain.RoleLAOfficer:      {[]policy.Scope{nothing, nothing, laScope, nothing, nothing}, none, area{policy.AreaLA, ownLA}},
		domain.RoleSettingManager: {none, none, area{}},
		domain.RoleLearner:        {none, none, area{}},
	}, func(t *testing.T, r domain.Role, w want) {
		for _, placed := range []bool{true, false} {
			cov := policy.Coverage(user(r, placed))
			exp := w.placed
			if !placed {
				exp = w.bare
			}
			for i, a := range areas {
				got, ok := cov.Area(a.kind, a.code)
				if got != exp[i] || ok != (exp[i] != nothing) {
					t.Errorf("placed %v, area %s:%s: %+v %v, want %+v", placed, a.kind, a.code, got, ok, exp[i])
				}
			}
			kind, code, ok := cov.HomeArea()
			home := w.home
			if !placed && exp[0] == nothing {
				home = area{}
			}
			if (area{kind, code}) != home || ok != (home != area{}) {
				t.Errorf("placed %v: home area %s:%s %v, want %s:%s", placed, kind, code, ok, home.kind, home.code)
			}
		}
	})
}

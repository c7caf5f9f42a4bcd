package policy_test

import (
	"slices"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
)

// The expectations below are DESIGN.md section 2 written out by hand, for
// every role of domain.Roles: a role added to the domain without its
// column or line here fails every table.

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

// columns are the roles of a line of TestScopes' and TestPermissions'
// tables, in the order of domain.Roles: the tables fail when the domain's
// roles are not these, so a new role cannot go without a column.
var columns = []domain.Role{domain.RoleProgrammeTeam, domain.RoleSupplierAdmin, domain.RoleTrainer, domain.RoleAssessor,
	domain.RoleIQA, domain.RoleAOOfficer, domain.RoleLAOfficer, domain.RoleSettingManager, domain.RoleLearner}

// line is one policy function's line of a table: a cell a role, the
// answer of placed and bare users ("placed/bare", or one answer for both),
// by the names of answers.
type line[T comparable] struct {
	cells string
	name  string
	fn    func(domain.User) T
}

// checkLines checks each line for every role, and that someone of no
// known role gets none, the zero answer.
func checkLines[T comparable](t *testing.T, answers map[string]T, lines []line[T]) {
	t.Helper()
	if !slices.Equal(columns, domain.Roles) {
		t.Fatalf("the table's columns are %v; the domain's roles are %v", columns, domain.Roles)
	}
	for _, l := range lines {
		cells := strings.Fields(l.cells)
		if len(cells) != len(columns) {
			t.Errorf("%s: %d cells for %d roles", l.name, len(cells), len(columns))
			continue
		}
		for i, r := range columns {
			placed, bare, ok := strings.Cut(cells[i], "/")
			if !ok {
				bare = placed
			}
			for _, c := range []struct {
				who    string
				user   domain.User
				answer string
			}{{"placed", user(r, true), placed}, {"bare", user(r, false), bare}} {
				want, known := answers[c.answer]
				if !known {
					t.Fatalf("%s: no answer named %q", l.name, c.answer)
				}
				if got := l.fn(c.user); got != want {
					t.Errorf("%s of a %s %s: %+v, want %s %+v", l.name, c.who, r, got, c.answer, want)
				}
			}
		}
		var zero T
		if got := l.fn(domain.User{ID: userID, Org: domain.Organisation{ID: orgID}}); got != zero {
			t.Errorf("%s of a user with no role: %+v", l.name, got)
		}
	}
}

// TestScopes checks every scope function for every role.
func TestScopes(t *testing.T) {
	checkLines(t, map[string]policy.Scope{
		"-":       nothing,
		"all":     national,
		"la":      {Kind: policy.LA, LACode: ownLA},
		"la+org":  {Kind: policy.LA, LACode: ownLA, OrgID: orgID},
		"set":     {Kind: policy.Setting, SettingURN: ownURN},
		"set+org": {Kind: policy.Setting, SettingURN: ownURN, OrgID: orgID},
		"org":     {Kind: policy.Org, OrgID: orgID},
		"staff":   {Kind: policy.Staffed, UserID: userID, OrgID: orgID},
		"ao":      {Kind: policy.Awarding, OrgID: orgID, OrgName: aoName},
		"self":    {Kind: policy.Self, PractitionerID: pracID},
	}, []line[policy.Scope]{
		// The register is searched nationally by everyone who must find
		// an applicant's setting.
		//team supp  trai   asse   iqa  ao   la        sett       prac
		{"all all    all    all    all  all  la/-      set/-      set/-", "Settings", policy.Settings},
		{"all org    -      -      -    -    la+org/-  set+org/-  self/-", "People", policy.People},
		{"all org    staff  staff  org  ao   la/-      set/-      self/-", "Delivery", policy.Delivery},
		{"all all    all    all    all  all  la/-      -          -", "Coverage", policy.Coverage},
		{"all org    -      -      -    -    -         set/-      -", "Payments", policy.Payments},
	})
}

// TestPermissions checks every permission for every role: y, the role
// may; ., it may not; y/., only when placed.
func TestPermissions(t *testing.T) {
	checkLines(t, map[string]bool{"y": true, ".": false}, []line[bool]{
		//team supp trai asse iqa  ao   la   sett prac
		{"y    y    .    .    .    .    y    .    .", "CanImportPractitioners", policy.CanImportPractitioners},
		{"y    .    .    .    .    .    .    .    .", "CanReadAudit", policy.CanReadAudit},
		{"y    y    .    .    .    y    y    .    .", "CanUseAPI", policy.CanUseAPI},
		{"y    y    .    .    .    .    y/.  y/.  y/.", "CanSeeStaff", policy.CanSeeStaff},
		{"y    y    y    y    y    y    y/.  .    .", "CanListLAs", policy.CanListLAs},
		{"y    y    y    y    y    y    y/.  y/.  y/.", "CanSeeDelivery", policy.CanSeeDelivery},
		{"y    .    .    .    .    .    .    .    .", "CanManageProgrammes", policy.CanManageProgrammes},
		{".    y    .    .    .    .    .    .    .", "CanRunCohorts", policy.CanRunCohorts},
		{".    y    y    .    .    .    .    .    .", "CanTakeAttendance", policy.CanTakeAttendance},
		{".    y    .    y    .    .    .    .    .", "CanAssess", policy.CanAssess},
		{".    .    .    .    .    y    .    .    .", "CanCertify", policy.CanCertify},
		{".    .    .    .    .    .    .    y    .", "CanNominate", policy.CanNominate},
		{".    .    .    .    .    .    .    .    y/.", "CanApply", policy.CanApply},
		{".    y    .    .    .    .    .    .    .", "CanDeclare", policy.CanDeclare},
		{"y    .    .    .    .    .    .    .    .", "CanPaySuppliers", policy.CanPaySuppliers},
		{".    .    .    .    .    .    .    y/.  .", "CanClaimCover", policy.CanClaimCover},
		{".    y    .    .    .    .    .    .    .", "CanVerifyClaims", policy.CanVerifyClaims},
		{"y    .    .    .    .    .    .    .    .", "CanPayClaims", policy.CanPayClaims},
	})
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

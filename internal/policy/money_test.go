package policy

import (
	"testing"

	"senco/internal/domain"
)

// TestMoney: every role × every money permission and scope.
func TestMoney(t *testing.T) {
	org := domain.Organisation{ID: 7, SettingURN: "EY1"}
	type want struct {
		scope                                           ScopeKind
		declare, paySuppliers, claim, verify, payClaims bool
	}
	wants := map[domain.Role]want{
		domain.RoleProgrammeTeam:  {scope: National, paySuppliers: true, payClaims: true},
		domain.RoleSupplierAdmin:  {scope: Org, declare: true, verify: true},
		domain.RoleSettingManager: {scope: Setting, claim: true},
	}
	for _, role := range domain.Roles {
		u := domain.User{Role: role, Org: org}
		w := wants[role] // the zero want: nothing at all
		got := want{Payments(u).Kind, CanDeclare(u), CanPaySuppliers(u), CanClaimCover(u), CanVerifyClaims(u), CanPayClaims(u)}
		if got != w {
			t.Errorf("%s: %+v, want %+v", role, got, w)
		}
	}
	if s := Payments(domain.User{Role: domain.RoleSupplierAdmin, Org: org}); s.OrgID != 7 {
		t.Errorf("supplier scope %+v", s)
	}
	noSetting := domain.User{Role: domain.RoleSettingManager}
	if Payments(noSetting).Kind != Nothing || CanClaimCover(noSetting) {
		t.Error("a setting manager without a setting may claim")
	}
}

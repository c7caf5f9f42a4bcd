package policy

import (
	"testing"

	"senco/internal/domain"
)

// TestQuality: every role × every quality-assurance and certificate
// permission and scope.
func TestQuality(t *testing.T) {
	org := domain.Organisation{ID: 7, Name: "Body", SettingURN: "EY1"}
	type want struct {
		scope                                      ScopeKind
		level                                      domain.QALevel
		sample, see, resolve, bulk, verify, pdfDoc bool
	}
	wants := map[domain.Role]want{
		domain.RoleProgrammeTeam: {scope: National, see: true, verify: true, pdfDoc: true},
		domain.RoleSupplierAdmin: {scope: Org, see: true, verify: true},
		domain.RoleIQA:           {scope: Org, level: domain.QAInternal, sample: true, see: true, verify: true},
		domain.RoleAOOfficer:     {scope: Awarding, level: domain.QAExternal, sample: true, see: true, bulk: true, verify: true, pdfDoc: true},
		domain.RoleAssessor:      {scope: Staffed, resolve: true, verify: true},
		domain.RoleLearner:       {verify: true, pdfDoc: true},
	}
	for _, role := range domain.Roles {
		u := domain.User{ID: 3, Role: role, Org: org, PractitionerID: 9}
		w, ok := wants[role]
		if !ok {
			w = want{verify: true} // everyone else: only the public check
		}
		level, _ := QALevelOf(u)
		got := want{Quality(u).Kind, level, CanSampleQuality(u), CanSeeQuality(u), CanResolveActions(u), CanRegisterInBulk(u),
			CanVerifyCertificates(u), CanDownloadCertificate(u)}
		if got != w {
			t.Errorf("%s: %+v, want %+v", role, got, w)
		}
	}
	if s := Quality(domain.User{Role: domain.RoleIQA, Org: org}); s.OrgID != 7 {
		t.Errorf("IQA scope %+v", s)
	}
	if s := Quality(domain.User{Role: domain.RoleAOOfficer, Org: org}); s.OrgName != "Body" {
		t.Errorf("AO scope %+v", s)
	}
	if s := Quality(domain.User{ID: 3, Role: domain.RoleAssessor, Org: org}); s.UserID != 3 {
		t.Errorf("assessor scope %+v", s)
	}
	if CanDownloadCertificate(domain.User{Role: domain.RoleLearner}) {
		t.Error("a learner account without a practitioner downloads certificates")
	}
	if CanVerifyCertificates(domain.User{}) != true {
		t.Error("the signed-out visitor cannot verify")
	}
}

package policy

import (
	"testing"

	"senco/internal/domain"
)

// TestGrowth: every role × every growth permission and scope, with and
// without the organisation or record that role needs.
func TestGrowth(t *testing.T) {
	type want struct {
		reviews, confidence, prior, laWork ScopeKind
		run, rate, assess, support, impact bool
	}
	full := map[domain.Role]want{
		domain.RoleProgrammeTeam:  {impact: true},
		domain.RoleAssessor:       {prior: Staffed, assess: true},
		domain.RoleLAOfficer:      {reviews: LA, confidence: LA, laWork: LA, support: true},
		domain.RoleSettingManager: {reviews: Setting, run: true},
		domain.RoleLearner:        {confidence: Self, prior: Self, rate: true},
	}
	bare := map[domain.Role]want{
		domain.RoleProgrammeTeam: {impact: true},
		domain.RoleAssessor:      {prior: Staffed, assess: true},
	}
	org := domain.Organisation{ID: 4, LACode: "E08000035", SettingURN: "EY1"}
	for _, role := range domain.Roles {
		for _, c := range []struct {
			u    domain.User
			want want
		}{
			{domain.User{ID: 1, Role: role, Org: org, PractitionerID: 9}, full[role]},
			{domain.User{ID: 1, Role: role}, bare[role]},
		} {
			u := c.u
			got := want{Reviews(u).Kind, Confidence(u).Kind, PriorLearning(u).Kind, LAWork(u).Kind,
				CanRunReview(u), CanRateConfidence(u), CanAssessPriorLearning(u), CanSupportSettings(u), CanSeeImpact(u)}
			if got != c.want {
				t.Errorf("%s (org %v): %+v, want %+v", role, u.Org.ID != 0, got, c.want)
			}
			nav := got.run || got.rate || got.assess || got.support
			if NavGrowth(u) != nav {
				t.Errorf("%s: nav %v", role, NavGrowth(u))
			}
		}
	}
	if s := Reviews(domain.User{Role: domain.RoleLAOfficer, Org: org}); s.LACode != "E08000035" {
		t.Errorf("LA scope %+v", s)
	}
	if s := Confidence(domain.User{Role: domain.RoleLearner, PractitionerID: 9}); s.PractitionerID != 9 {
		t.Errorf("self scope %+v", s)
	}
}

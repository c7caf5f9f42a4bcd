package policy

import (
	"testing"

	"senco/internal/domain"
)

// TestPortfolio: every role × every portfolio permission and scope.
func TestPortfolio(t *testing.T) {
	org := domain.Organisation{ID: 7, SettingURN: "EY1", Name: "Body"}
	type want struct {
		scope, reviews                     ScopeKind
		see, add, mark, push, outbox       bool
		signLearner, signManager, signAssr bool
	}
	wants := map[domain.Role]want{
		domain.RoleProgrammeTeam:  {scope: National, reviews: National, see: true, outbox: true},
		domain.RoleSupplierAdmin:  {scope: Org, reviews: Org, see: true, push: true, outbox: true},
		domain.RoleIQA:            {scope: Org, reviews: Org, see: true, outbox: true},
		domain.RoleAssessor:       {scope: Staffed, reviews: Staffed, see: true, mark: true, outbox: true, signAssr: true},
		domain.RoleAOOfficer:      {scope: Awarding, reviews: Awarding, see: true, outbox: true},
		domain.RoleTrainer:        {outbox: true},
		domain.RoleLAOfficer:      {outbox: true},
		domain.RoleSettingManager: {reviews: Setting, outbox: true, signManager: true},
		domain.RoleLearner:        {scope: Self, reviews: Self, see: true, add: true, outbox: true, signLearner: true},
	}
	for _, role := range domain.Roles {
		u := domain.User{ID: 3, Role: role, Org: org, PractitionerID: 11}
		w := wants[role]
		got := want{Portfolio(u).Kind, ProgressReviews(u).Kind, CanSeePortfolio(u), CanAddEvidence(u), CanMark(u), CanPushPortfolio(u), CanReadOutbox(u),
			CanSignReview(u, domain.SignerLearner), CanSignReview(u, domain.SignerManager), CanSignReview(u, domain.SignerAssessor)}
		if got != w {
			t.Errorf("%s: %+v, want %+v", role, got, w)
		}
		if CanSeeReviews(u) != (w.reviews != Nothing) || CanSign(u) != (w.signLearner || w.signManager || w.signAssr) {
			t.Errorf("%s: sees reviews %v, signs %v", role, CanSeeReviews(u), CanSign(u))
		}
		if s, ok := SignerOf(u); ok != (w.signLearner || w.signManager || w.signAssr) || (ok && !CanSignReview(u, s)) {
			t.Errorf("%s: signs as %q %v", role, s, ok)
		}
	}
	if s := Portfolio(domain.User{ID: 3, Role: domain.RoleAssessor, Org: org}); s.UserID != 3 {
		t.Errorf("assessor scope %+v", s)
	}
	if s := Portfolio(domain.User{Role: domain.RoleLearner, PractitionerID: 11}); s.PractitionerID != 11 {
		t.Errorf("learner scope %+v", s)
	}
	// Without the record that ties them to a person or a setting, nothing.
	if Portfolio(domain.User{Role: domain.RoleLearner}).Kind != Nothing || CanAddEvidence(domain.User{Role: domain.RoleLearner}) {
		t.Error("a learner account without a practitioner sees a portfolio")
	}
	if ProgressReviews(domain.User{Role: domain.RoleSettingManager}).Kind != Nothing || CanSignReview(domain.User{Role: domain.RoleSettingManager}, domain.SignerManager) {
		t.Error("a setting manager without a setting signs reviews")
	}
	if CanReadOutbox(domain.User{}) || CanSignReview(domain.User{Role: domain.RoleAssessor}, "someone") {
		t.Error("signed out reads an outbox, or an unknown signer signs")
	}
}

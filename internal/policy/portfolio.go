package policy

import "senco/internal/domain"

// Portfolio is whose e-portfolios (evidence, submissions, decisions,
// observations) a user may see: the programme team every learner's; a
// supplier's admin and internal quality assurer the learners on the
// supplier's cohorts; an assessor the learners of the cohorts they are
// staff of; an awarding organisation the learners of the qualifications it
// awards (for external quality assurance); a learner their own. A setting
// manager sees no evidence (it may describe children) but signs progress
// reviews (ProgressReviews).
func Portfolio(u domain.User) Scope {
	switch u.Role {
	case domain.RoleProgrammeTeam:
		return Scope{Kind: National}
	case domain.RoleSupplierAdmin, domain.RoleIQA:
		return Scope{Kind: Org, OrgID: u.Org.ID}
	case domain.RoleAssessor:
		return Scope{Kind: Staffed, UserID: u.ID, OrgID: u.Org.ID}
	case domain.RoleAOOfficer:
		return Scope{Kind: Awarding, OrgID: u.Org.ID, OrgName: u.Org.Name}
	case domain.RoleLearner:
		if u.PractitionerID != 0 {
			return Scope{Kind: Self, PractitionerID: u.PractitionerID}
		}
	}
	return Scope{Kind: Nothing}
}

// ProgressReviews is whose progress reviews a user may see: as Portfolio,
// and a setting manager their own setting's learners', whose reviews they
// sign.
func ProgressReviews(u domain.User) Scope {
	if u.Role == domain.RoleSettingManager {
		if u.Org.SettingURN != "" {
			return Scope{Kind: Setting, SettingURN: u.Org.SettingURN}
		}
		return Scope{Kind: Nothing}
	}
	return Portfolio(u)
}

// CanSeePortfolio reports whether u sees any portfolio at all, for
// navigation.
func CanSeePortfolio(u domain.User) bool { return Portfolio(u).Kind != Nothing }

// CanAddEvidence: a learner adds files and reflective accounts to their
// own portfolio and submits their work.
func CanAddEvidence(u domain.User) bool { return u.Role == domain.RoleLearner && u.PractitionerID != 0 }

// CanMark: an assessor marks submitted work criterion by criterion,
// records observations and writes progress reviews.
func CanMark(u domain.User) bool { return u.Role == domain.RoleAssessor }

// CanSignReview reports whether u signs progress reviews as s.
func CanSignReview(u domain.User, s domain.Signer) bool {
	switch s {
	case domain.SignerLearner:
		return CanAddEvidence(u)
	case domain.SignerManager:
		return u.Role == domain.RoleSettingManager && u.Org.SettingURN != ""
	case domain.SignerAssessor:
		return CanMark(u)
	}
	return false
}

// SignerOf is the party u signs progress reviews as, if any.
func SignerOf(u domain.User) (domain.Signer, bool) {
	for _, s := range []domain.Signer{domain.SignerLearner, domain.SignerManager, domain.SignerAssessor} {
		if CanSignReview(u, s) {
			return s, true
		}
	}
	return "", false
}

// CanPushPortfolio: a supplier with its own e-portfolio pushes evidence
// metadata and decisions for its learners through the API.
func CanPushPortfolio(u domain.User) bool { return u.Role == domain.RoleSupplierAdmin }

// CanReadOutbox: every signed-in user reads the messages senco sent them.
func CanReadOutbox(u domain.User) bool { return u.ID != 0 }

// CanSeeReviews: who opens the list of progress reviews.
func CanSeeReviews(u domain.User) bool { return ProgressReviews(u).Kind != Nothing }

// CanSign: who signs progress reviews at all.
func CanSign(u domain.User) bool {
	_, ok := SignerOf(u)
	return ok
}

package policy

import "senco/internal/domain"

// Quality is whose quality-assurance records a user may see: the
// programme team all; a supplier's IQA and admin their own supplier's
// samples; an awarding organisation's officer the samples of the learners
// of qualifications it awards; an assessor the sampled decisions that are
// their own (an action comes back to them).
func Quality(u domain.User) Scope {
	switch u.Role {
	case domain.RoleProgrammeTeam:
		return Scope{Kind: National}
	case domain.RoleIQA, domain.RoleSupplierAdmin:
		return Scope{Kind: Org, OrgID: u.Org.ID}
	case domain.RoleAOOfficer:
		return Scope{Kind: Awarding, OrgID: u.Org.ID, OrgName: u.Org.Name}
	case domain.RoleAssessor:
		return Scope{Kind: Staffed, UserID: u.ID, OrgID: u.Org.ID}
	}
	return Scope{Kind: Nothing}
}

// QALevelOf is the level of quality assurance a user carries out: an IQA
// internal, an awarding organisation's officer external; ok is false for
// everyone else.
func QALevelOf(u domain.User) (domain.QALevel, bool) {
	switch u.Role {
	case domain.RoleIQA:
		return domain.QAInternal, true
	case domain.RoleAOOfficer:
		return domain.QAExternal, true
	}
	return "", false
}

// CanSampleQuality: set a sampling plan, draw samples and record their
// outcomes — an IQA for their supplier, an awarding organisation's
// officer across the suppliers of its learners.
func CanSampleQuality(u domain.User) bool {
	_, ok := QALevelOf(u)
	return ok
}

// CanSeeQuality: read samples and the report per assessor.
func CanSeeQuality(u domain.User) bool {
	return CanSampleQuality(u) || u.Role == domain.RoleSupplierAdmin || u.Role == domain.RoleProgrammeTeam
}

// CanResolveActions: an assessor answers the actions on their own
// decisions (the store checks the decision is theirs).
func CanResolveActions(u domain.User) bool { return u.Role == domain.RoleAssessor }

// CanRegisterInBulk: an awarding organisation registers learners by CSV
// or API.
func CanRegisterInBulk(u domain.User) bool { return u.Role == domain.RoleAOOfficer }

// CanVerifyCertificates: anyone, signed in or not, may check a
// certificate by its verification code.
func CanVerifyCertificates(domain.User) bool { return true }

// CanDownloadCertificate: the awarding organisation, the programme team and
// the learner themself download a certificate in their delivery scope.
func CanDownloadCertificate(u domain.User) bool {
	switch u.Role {
	case domain.RoleAOOfficer, domain.RoleProgrammeTeam:
		return true
	case domain.RoleLearner:
		return u.PractitionerID != 0
	}
	return false
}

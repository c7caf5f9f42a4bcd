package policy

import "senco/internal/domain"

// The SENCO's own growth. A setting's self-reviews are its own: the setting
// sees them and chooses, review by review, whether its local authority
// does. A practitioner's confidence ratings, plan and CPD are their own,
// shared with their authority only by their choice. The programme team
// sees aggregates of at least domain.MinCell, never an individual's
// ratings; so its scope of individual records is Nothing.

// Reviews is whose individual self-reviews u may read: a setting manager
// their setting's; an LA officer those its settings shared (the store adds
// the condition of sharing to the LA scope).
func Reviews(u domain.User) Scope {
	switch u.Role {
	case domain.RoleSettingManager:
		if u.Org.SettingURN != "" {
			return Scope{Kind: Setting, SettingURN: u.Org.SettingURN}
		}
	case domain.RoleLAOfficer:
		if u.Org.LACode != "" {
			return Scope{Kind: LA, LACode: u.Org.LACode}
		}
	}
	return Scope{Kind: Nothing}
}

// CanRunReview: the setting's manager (or SENCO) runs its self-review,
// keeps its action plan and chooses what to share.
func CanRunReview(u domain.User) bool {
	return u.Role == domain.RoleSettingManager && u.Org.SettingURN != ""
}

// Confidence is whose confidence ratings u may read: a practitioner their
// own; an LA officer those shared with their authority.
func Confidence(u domain.User) Scope {
	switch u.Role {
	case domain.RoleLearner:
		if u.PractitionerID != 0 {
			return Scope{Kind: Self, PractitionerID: u.PractitionerID}
		}
	case domain.RoleLAOfficer:
		if u.Org.LACode != "" {
			return Scope{Kind: LA, LACode: u.Org.LACode}
		}
	}
	return Scope{Kind: Nothing}
}

// CanRateConfidence: a practitioner rates their own confidence, keeps their
// development plan and CPD log, and claims prior learning.
func CanRateConfidence(u domain.User) bool {
	return u.Role == domain.RoleLearner && u.PractitionerID != 0
}

// PriorLearning is whose claims of prior learning u may read: a
// practitioner their own; an assessor those of the learners they assess.
func PriorLearning(u domain.User) Scope {
	switch u.Role {
	case domain.RoleLearner:
		return Confidence(u)
	case domain.RoleAssessor:
		return Delivery(u)
	}
	return Scope{Kind: Nothing}
}

// CanAssessPriorLearning: an assessor approves or refuses claims criterion
// by criterion.
func CanAssessPriorLearning(u domain.User) bool { return u.Role == domain.RoleAssessor }

// CanSupportSettings: an LA officer or Area SENCO sees their settings'
// reviews in aggregate, records mentoring and the authority's own courses.
func CanSupportSettings(u domain.User) bool {
	return u.Role == domain.RoleLAOfficer && u.Org.LACode != ""
}

// LAWork is the scope of an authority's courses and mentoring.
func LAWork(u domain.User) Scope {
	if CanSupportSettings(u) {
		return Scope{Kind: LA, LACode: u.Org.LACode}
	}
	return Scope{Kind: Nothing}
}

// CanSeeImpact: the programme team reads the impact figures, aggregates of
// at least domain.MinCell.
func CanSeeImpact(u domain.User) bool { return u.Role == domain.RoleProgrammeTeam }

// NavGrowth reports whether the navigation offers u the growth pages. The
// programme team reaches the impact from its programmes page instead, so
// that its bar stays on one line.
func NavGrowth(u domain.User) bool {
	return CanRunReview(u) || CanRateConfidence(u) || CanAssessPriorLearning(u) || CanSupportSettings(u)
}

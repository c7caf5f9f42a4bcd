package policy

import "senco/internal/domain"

// Payments is whose money a user may see: the programme team every
// supplier's declarations, statements and claims; a supplier its own
// declarations and statements and the claims of its learners' settings; a
// setting manager their setting's claims of cover.
func Payments(u domain.User) Scope {
	switch u.Role {
	case domain.RoleProgrammeTeam:
		return Scope{Kind: National}
	case domain.RoleSupplierAdmin:
		return Scope{Kind: Org, OrgID: u.Org.ID}
	case domain.RoleSettingManager:
		if u.Org.SettingURN != "" {
			return Scope{Kind: Setting, SettingURN: u.Org.SettingURN}
		}
	}
	return Scope{Kind: Nothing}
}

// CanDeclare: a supplier declares its learners' milestones and voids its
// declarations.
func CanDeclare(u domain.User) bool { return u.Role == domain.RoleSupplierAdmin }

// CanPaySuppliers: the programme team runs statements, authorises them
// and records their payment.
func CanPaySuppliers(u domain.User) bool { return u.Role == domain.RoleProgrammeTeam }

// CanClaimCover: a setting manager claims cover for their staff's training.
func CanClaimCover(u domain.User) bool {
	return u.Role == domain.RoleSettingManager && u.Org.SettingURN != ""
}

// CanVerifyClaims: a supplier checks claims of its learners against its
// register.
func CanVerifyClaims(u domain.User) bool { return u.Role == domain.RoleSupplierAdmin }

// CanPayClaims: the programme team approves claims, makes payment batches
// and records finance's response.
func CanPayClaims(u domain.User) bool { return u.Role == domain.RoleProgrammeTeam }

// CanSeeStatements: the programme team and suppliers read statements.
func CanSeeStatements(u domain.User) bool {
	return u.Role == domain.RoleProgrammeTeam || u.Role == domain.RoleSupplierAdmin
}

// CanSeeClaims: who reads claims of cover — the setting claiming, the
// supplier verifying, the programme team paying.
func CanSeeClaims(u domain.User) bool {
	return CanClaimCover(u) || u.Role == domain.RoleSupplierAdmin || u.Role == domain.RoleProgrammeTeam
}

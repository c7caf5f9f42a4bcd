package api

import (
	"net/http"

	"senco/internal/domain"
	"senco/internal/policy"
)

// route is one method and path the API serves. Path is both the ServeMux
// pattern's path and the OpenAPI document's path key. Its protection reads
// at its line: every route but a public one needs a token whose user may
// use the API (policy.CanUseAPI); Scope is the policy scope its handler
// reads in; Permit is the permission a write needs besides, checked before
// anything is read.
type route struct {
	Method string
	Path   string
	Public bool // served without a token
	Scope  func(domain.User) policy.Scope
	Permit permit
	handle handlerFunc
}

// permit is a policy permission a route requires, and what it lets a user
// do, for the detail of the 403 of a role without it.
type permit struct {
	allows func(domain.User) bool
	action string
}

// requires is the permit of a route that needs allows.
func requires(allows func(domain.User) bool, action string) permit {
	return permit{allows: allows, action: action}
}

// routes is every route of the API, in one table: New registers exactly
// these, the OpenAPI test checks the document against them, and the scope
// test requests each with every kind of token.
func (a *API) routes() []route {
	return []route{
		{Method: http.MethodGet, Path: "/api/v1/openapi.json", Public: true, handle: a.openAPI},
		// Reference data: every token reads all of it.
		{Method: http.MethodGet, Path: "/api/v1/local-authorities", handle: a.listLocalAuthorities},
		{Method: http.MethodGet, Path: "/api/v1/settings", Scope: policy.Settings, handle: a.listSettings},
		{Method: http.MethodGet, Path: "/api/v1/settings/{urn}", Scope: policy.Settings, handle: a.getSetting},
		{Method: http.MethodGet, Path: "/api/v1/practitioners", Scope: policy.People, handle: a.listPractitioners},
		{Method: http.MethodGet, Path: "/api/v1/practitioners/{id}", Scope: policy.People, handle: a.getPractitioner},
		{Method: http.MethodGet, Path: "/api/v1/employments", Scope: policy.People, handle: a.listEmployments},
		{Method: http.MethodGet, Path: "/api/v1/employments/{id}", Scope: policy.People, handle: a.getEmployment},
		{Method: http.MethodGet, Path: "/api/v1/cohorts", Scope: policy.Delivery, handle: a.listCohorts},
		{Method: http.MethodPost, Path: "/api/v1/cohorts", Scope: policy.Delivery, Permit: requires(policy.CanRunCohorts, "create cohorts"), handle: a.createCohort},
		{Method: http.MethodGet, Path: "/api/v1/cohorts/{id}", Scope: policy.Delivery, handle: a.getCohort},
		{Method: http.MethodGet, Path: "/api/v1/cohorts/{id}/sessions", Scope: policy.Delivery, handle: a.listCohortSessions},
		{Method: http.MethodPost, Path: "/api/v1/cohorts/{id}/sessions", Scope: policy.Delivery, Permit: requires(policy.CanRunCohorts, "schedule sessions"), handle: a.createSession},
		{Method: http.MethodGet, Path: "/api/v1/sessions/{id}", Scope: policy.Delivery, handle: a.getSession},
		{Method: http.MethodGet, Path: "/api/v1/sessions/{id}/attendance", Scope: policy.Delivery, handle: a.getAttendance},
		{Method: http.MethodPut, Path: "/api/v1/sessions/{id}/attendance", Scope: policy.Delivery, Permit: requires(policy.CanTakeAttendance, "take attendance"), handle: a.putAttendance},
		{Method: http.MethodGet, Path: "/api/v1/applications", Scope: policy.Delivery, handle: a.listApplications},
		{Method: http.MethodPost, Path: "/api/v1/applications", Scope: policy.Delivery, Permit: requires(policy.CanRunCohorts, "create applications"), handle: a.createApplication},
		{Method: http.MethodGet, Path: "/api/v1/applications/{id}", Scope: policy.Delivery, handle: a.getApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/accept", Scope: policy.Delivery, Permit: requires(policy.CanRunCohorts, "place applicants"), handle: a.acceptApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/reject", Scope: policy.Delivery, Permit: requires(policy.CanRunCohorts, "reject applications"), handle: a.rejectApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/defer", Scope: policy.Delivery, Permit: requires(policy.CanRunCohorts, "defer learners"), handle: a.deferApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/resume", Scope: policy.Delivery, Permit: requires(policy.CanRunCohorts, "place learners"), handle: a.resumeApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/withdraw", Scope: policy.Delivery, Permit: requires(policy.CanRunCohorts, "withdraw learners"), handle: a.withdrawApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/transfer", Scope: policy.Delivery, Permit: requires(policy.CanRunCohorts, "transfer learners"), handle: a.transferApplication},
		{Method: http.MethodGet, Path: "/api/v1/learners", Scope: policy.Delivery, handle: a.listLearners},
		{Method: http.MethodGet, Path: "/api/v1/coverage", Scope: policy.Coverage, handle: a.getCoverage},
		{Method: http.MethodGet, Path: "/api/v1/programmes/{id}/progress", Scope: policy.Delivery, handle: a.getProgress},
		// The SENCO's own growth: a setting's self-reviews (its own, or those
		// shared with an LA), a practitioner's confidence ratings shared
		// with their LA.
		{Method: http.MethodGet, Path: "/api/v1/self-reviews", Scope: policy.Reviews, handle: a.listReviews},
		{Method: http.MethodGet, Path: "/api/v1/self-reviews/{id}", Scope: policy.Reviews, handle: a.getReview},
		{Method: http.MethodGet, Path: "/api/v1/confidence-ratings", Scope: policy.Confidence, handle: a.listRatings},
		// Money: a supplier's contracts, declarations, statements and the
		// claims of cover it verifies.
		{Method: http.MethodGet, Path: "/api/v1/contracts", Scope: policy.Payments, handle: a.listContracts},
		{Method: http.MethodGet, Path: "/api/v1/contracts/{id}", Scope: policy.Payments, handle: a.getContract},
		{Method: http.MethodGet, Path: "/api/v1/declarations", Scope: policy.Payments, handle: a.listDeclarations},
		{Method: http.MethodPost, Path: "/api/v1/declarations", Scope: policy.Payments, Permit: requires(policy.CanDeclare, "declare milestones"), handle: a.createDeclaration},
		{Method: http.MethodGet, Path: "/api/v1/declarations/{id}", Scope: policy.Payments, handle: a.getDeclaration},
		{Method: http.MethodPost, Path: "/api/v1/declarations/{id}/void", Scope: policy.Payments, Permit: requires(policy.CanDeclare, "void declarations"), handle: a.voidDeclaration},
		{Method: http.MethodGet, Path: "/api/v1/statements", Scope: policy.Payments, handle: a.listStatements},
		{Method: http.MethodGet, Path: "/api/v1/statements/{id}", Scope: policy.Payments, handle: a.getStatement},
		{Method: http.MethodGet, Path: "/api/v1/claims", Scope: policy.Payments, handle: a.listClaims},
		{Method: http.MethodPost, Path: "/api/v1/claims/{id}/verify", Scope: policy.Payments, Permit: requires(policy.CanVerifyClaims, "verify claims of cover"), handle: a.verifyClaim},
		// Assessment: a learner's portfolio, the evidence, submissions and
		// decisions to sync, and what a supplier's own e-portfolio pushes.
		{Method: http.MethodGet, Path: "/api/v1/portfolios/{id}", Scope: policy.Portfolio, handle: a.getPortfolio},
		{Method: http.MethodGet, Path: "/api/v1/evidence", Scope: policy.Portfolio, handle: a.listEvidence},
		{Method: http.MethodPost, Path: "/api/v1/evidence", Scope: policy.Portfolio, Permit: requires(policy.CanPushPortfolio, "push evidence"), handle: a.pushEvidence},
		{Method: http.MethodGet, Path: "/api/v1/submissions", Scope: policy.Portfolio, handle: a.listSubmissions},
		{Method: http.MethodGet, Path: "/api/v1/criterion-decisions", Scope: policy.Portfolio, handle: a.listDecisions},
		{Method: http.MethodPost, Path: "/api/v1/criterion-decisions", Scope: policy.Portfolio, Permit: requires(policy.CanPushPortfolio, "push assessor decisions"), handle: a.pushDecision},
		// Quality assurance: sampled decisions and their outcomes.
		{Method: http.MethodGet, Path: "/api/v1/qa-items", Scope: policy.Quality, handle: a.listQAItems},
		{Method: http.MethodPost, Path: "/api/v1/qa-items/{id}/outcome", Scope: policy.Quality, Permit: requires(policy.CanPushPortfolio, "push quality assurance outcomes"), handle: a.pushOutcome},
		// Awarding: registration in bulk, certificate claims, certificates.
		{Method: http.MethodPost, Path: "/api/v1/registrations", Scope: policy.Delivery, Permit: requires(policy.CanRegisterInBulk, "register learners"), handle: a.registerLearners},
		{Method: http.MethodGet, Path: "/api/v1/certificates", Scope: policy.Delivery, handle: a.listCertificates},
		{Method: http.MethodPost, Path: "/api/v1/certificates", Scope: policy.Delivery, Permit: requires(policy.CanCertify, "claim certificates"), handle: a.claimCertificate},
		{Method: http.MethodGet, Path: "/api/v1/certificates/{id}", Scope: policy.Delivery, handle: a.getCertificate},
	}
}

func (a *API) openAPI(r *http.Request, c caller) (any, error) {
	return rawJSON(a.openapi), nil
}

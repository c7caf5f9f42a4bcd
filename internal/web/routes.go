package web

import (
	"fmt"
	"net/http"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/web/delivery"
	"senco/internal/web/page"
)

// requirePermission answers forbidden to a user the policy decision does
// not allow, before h runs.
func requirePermission(allowed func(domain.User) bool, h page.Handler) page.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if u, ok := page.CurrentUser(r); !ok || !allowed(u) {
			return page.ErrForbidden
		}
		return h(w, r)
	}
}

// route is one line of the service's table of pages.
type route struct {
	pattern string
	handler http.Handler
}

// routes builds the whole service: operations and static files, the API,
// and the pages of pageRoutes, behind one small middleware chain.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	// Operations and static files need no session.
	mux.Handle("GET /static/", StaticHandler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", s.readyz)
	if !s.cfg.MetricsElsewhere {
		mux.Handle("GET /metrics", s.metricsHandler())
	}
	if s.cfg.API != nil {
		mux.Handle("/api/v1/", s.cfg.API)
	}
	for _, rt := range s.pageRoutes() {
		mux.Handle(rt.pattern, rt.handler)
	}

	// Every state-changing request must come from our own pages: browsers
	// send Sec-Fetch-Site / Origin, which CrossOriginProtection checks. API
	// clients authenticate with bearer tokens and send neither.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.site.RenderStatus(w, r, http.StatusForbidden, "forbidden", "You cannot do that", nil)
	}))
	return s.observe(cop.Handler(securityHeaders(mux)))
}

// pageRoutes is the table of pages, one line per route. Public pages take
// the session if there is one; signed-in pages require it; pages for one
// kind of user name the policy decision that admits them (can). Each
// route's protection is visible at its line; the handlers ask package
// policy about the record in hand. TestRouteMatrix walks this table, so a
// route added here is checked for every role without anyone listing it.
func (s *Server) pageRoutes() []route {
	public := func(h page.Handler) http.Handler { return s.withSession(s.handle(h)) }
	signedIn := func(h page.Handler) http.Handler { return s.withSession(s.requireUser(s.handle(h))) }
	// can admits only the signed-in users a policy decision allows; it
	// comes before the handler loads anything.
	can := func(allowed func(domain.User) bool, h page.Handler) http.Handler {
		return signedIn(requirePermission(allowed, h))
	}
	// cached keeps a signed-in page between changes to the coverage data.
	cached := func(h page.Handler) http.Handler { return signedIn(s.cachedByCoverage(h)) }

	rs := []route{
		{"GET /{$}", public(s.home)},
		{"GET /sign-in", public(s.signInForm)},
		{"POST /sign-in", public(s.signIn)},
		{"POST /sign-out", public(s.signOut)},
		{"GET " + openIDPath, public(s.openIDStart)},
		{"GET " + openIDPath + "/callback", public(s.openIDCallback)},
		{"GET /accessibility", public(s.accessibility)},

		// Settings, people and local authorities (people/).
		{"GET /settings", signedIn(s.people.Settings)},
		{"GET /settings/{urn}", signedIn(s.people.Setting)},
		{"GET /settings/{urn}/staff/new", signedIn(s.people.StaffNew)},
		{"POST /settings/{urn}/staff", signedIn(s.people.StaffCreate)},
		{"GET /local-authorities", can(policy.CanListLAs, s.cachedByCoverage(s.people.LAs))},
		{"GET /local-authorities/{code}", signedIn(s.people.LA)},
		{"GET /people", signedIn(s.people.List)},
		{"GET /people/import", can(policy.CanImportPractitioners, s.people.ImportForm)},
		{"POST /people/import", can(policy.CanImportPractitioners, s.people.Import)},
		{"GET /people/import/template.csv", signedIn(s.people.ImportTemplate)},
		{"GET /people/{id}", signedIn(s.people.Person)},
		{"GET /people/{id}/employments/new", signedIn(s.people.EmploymentNew)},
		{"POST /people/{id}/employments", signedIn(s.people.EmploymentCreate)},
		{"GET /employments/{id}/end", signedIn(s.people.EmploymentEndForm)},
		{"POST /employments/{id}/end", signedIn(s.people.EmploymentEnd)},

		// The audit log and API tokens (people/admin.go).
		{"GET /audit", can(policy.CanReadAudit, s.people.Audit)},
		{"GET /api-tokens", can(policy.CanUseAPI, s.people.Tokens)},
		{"POST /api-tokens", can(policy.CanUseAPI, s.people.TokenCreate)},
		{"GET /api-tokens/{id}/revoke", can(policy.CanUseAPI, s.people.TokenRevokeForm)},
		{"POST /api-tokens/{id}/revoke", can(policy.CanUseAPI, s.people.TokenRevoke)},

		// Programmes, suppliers and their contracts, the review queue and
		// the qualifications catalogue (programme/).
		{"GET /programmes", can(policy.CanManageProgrammes, s.programme.List)},
		{"GET /programmes/new", can(policy.CanManageProgrammes, s.programme.New)},
		{"POST /programmes", can(policy.CanManageProgrammes, s.programme.Create)},
		{"GET /programmes/{id}", can(policy.CanManageProgrammes, s.programme.Show)},
		{"GET /programmes/{id}/edit", can(policy.CanManageProgrammes, s.programme.Edit)},
		{"POST /programmes/{id}/edit", can(policy.CanManageProgrammes, s.programme.Update)},
		{"GET /suppliers", can(policy.CanManageProgrammes, s.programme.Suppliers)},
		{"GET /suppliers/new", can(policy.CanManageProgrammes, s.programme.SupplierNew)},
		{"POST /suppliers", can(policy.CanManageProgrammes, s.programme.SupplierCreate)},
		{"GET /suppliers/{id}", can(policy.CanManageProgrammes, s.programme.SupplierShow)},
		{"GET /suppliers/{id}/members", can(policy.CanManageProgrammes, s.programme.MembersEdit)},
		{"POST /suppliers/{id}/members", can(policy.CanManageProgrammes, s.programme.MembersUpdate)},
		{"GET /suppliers/{id}/contracts/new", can(policy.CanManageProgrammes, s.programme.ContractNew)},
		{"POST /suppliers/{id}/contracts", can(policy.CanManageProgrammes, s.programme.ContractCreate)},
		{"GET /review", can(policy.CanManageProgrammes, s.programme.Review)},
		{"GET /applications/{id}/decide", can(policy.CanManageProgrammes, s.programme.DecideForm)},
		{"POST /applications/{id}/decide", can(policy.CanManageProgrammes, s.programme.Decide)},
		{"GET /qualifications", signedIn(s.programme.Qualifications)},
		{"GET /qualifications/{id}", signedIn(s.programme.Qualification)},

		// Paying suppliers: statements (money/).
		{"GET /statements", can(policy.CanSeeStatements, s.money.Statements)},
		{"POST /statements/run", can(policy.CanPaySuppliers, s.money.Run)},
		{"GET /statements/{id}", can(policy.CanSeeStatements, s.money.Statement)},
		{"POST /statements/{id}/authorise", can(policy.CanPaySuppliers, s.money.Authorise)},
		{"POST /statements/{id}/pay", can(policy.CanPaySuppliers, s.money.Pay)},
		{"GET /budget", can(policy.CanPaySuppliers, s.money.Budget)},
		{"GET /declarations", can(policy.CanSeeStatements, s.money.Declarations)},
		{"GET /declarations/new", can(policy.CanDeclare, s.money.DeclareNew)},
		{"POST /declarations", can(policy.CanDeclare, s.money.Declare)},
		{"GET /declarations/{id}/void", can(policy.CanDeclare, s.money.VoidForm)},
		{"POST /declarations/{id}/void", can(policy.CanDeclare, s.money.Void)},
		{"GET /claims", can(policy.CanSeeClaims, s.money.Claims)},
		{"GET /claims/new", can(policy.CanClaimCover, s.money.ClaimNew)},
		{"POST /claims", can(policy.CanClaimCover, s.money.ClaimCreate)},
		{"POST /claims/{id}/verify", can(policy.CanVerifyClaims, s.money.Verify)},
		{"POST /claims/{id}/approve", can(policy.CanPayClaims, s.money.Approve)},
		{"GET /claims/{id}/clawback", can(policy.CanPayClaims, s.money.ClawbackForm)},
		{"POST /claims/{id}/clawback", can(policy.CanPayClaims, s.money.Clawback)},
		{"GET /batches", can(policy.CanPayClaims, s.money.Batches)},
		{"POST /batches", can(policy.CanPayClaims, s.money.BatchCreate)},
		{"GET /batches/{id}/file", can(policy.CanPayClaims, s.money.BatchFile)},
		{"POST /batches/{id}/response", can(policy.CanPayClaims, s.money.BatchResponse)},

		// The e-portfolio: evidence, submissions, marking, observations,
		// progress reviews and each person's messages (portfolio/).
		{"GET /portfolio", can(policy.CanSeePortfolio, s.portfolio.Home)},
		{"GET /portfolio/{id}", can(policy.CanSeePortfolio, s.portfolio.Show)},
		{"GET /portfolio/{id}/evidence/new", can(policy.CanAddEvidence, s.portfolio.EvidenceNew)},
		{"POST /portfolio/{id}/evidence", can(policy.CanAddEvidence, s.portfolio.EvidenceCreate)},
		{"GET /portfolio/{id}/evidence/{evidence}/file", can(policy.CanSeePortfolio, s.portfolio.EvidenceFile)},
		{"GET /portfolio/{id}/submit", can(policy.CanAddEvidence, s.portfolio.SubmitForm)},
		{"POST /portfolio/{id}/submit", can(policy.CanAddEvidence, s.portfolio.Submit)},
		{"POST /portfolio/{id}/acknowledge", can(policy.CanAddEvidence, s.portfolio.Acknowledge)},
		{"GET /portfolio/{id}/observations/new", can(policy.CanMark, s.portfolio.ObserveForm)},
		{"POST /portfolio/{id}/observations", can(policy.CanMark, s.portfolio.Observe)},
		{"GET /portfolio/{id}/reviews/new", can(policy.CanMark, s.portfolio.ReviewForm)},
		{"POST /portfolio/{id}/reviews", can(policy.CanMark, s.portfolio.Review)},
		{"GET /submissions/{id}", can(policy.CanSeePortfolio, s.portfolio.SubmissionShow)},
		{"POST /submissions/{id}/mark", can(policy.CanMark, s.portfolio.Mark)},
		{"GET /progress-reviews", can(policy.CanSeeReviews, s.portfolio.Reviews)},
		{"POST /progress-reviews/{id}/sign", can(policy.CanSign, s.portfolio.Sign)},
		{"GET /outbox", can(policy.CanReadOutbox, s.portfolio.Outbox)},

		// Cohorts, their sessions and attendance (delivery/).
		{"GET /cohorts", can(policy.CanOpenCohorts, s.delivery.List)},
		{"GET /cohorts/new", can(policy.CanRunCohorts, s.delivery.New)},
		{"POST /cohorts", can(policy.CanRunCohorts, s.delivery.Create)},
		{"GET /cohorts/{id}", signedIn(s.delivery.Show)},
		{"GET /cohorts/{id}/waiting-list/move", can(policy.CanRunCohorts, s.delivery.MoveWaitingForm)},
		{"POST /cohorts/{id}/waiting-list/move", can(policy.CanRunCohorts, s.delivery.MoveWaiting)},
		{"GET /cohorts/{id}/sessions/new", signedIn(s.delivery.SessionNew)},
		{"POST /cohorts/{id}/sessions", signedIn(s.delivery.SessionCreate)},
		{"GET /sessions/{id}/attendance", signedIn(s.delivery.AttendanceForm)},
		{"POST /sessions/{id}/attendance", signedIn(s.delivery.AttendanceSave)},
		{"GET /sessions/{id}/attendance/upload", signedIn(s.delivery.UploadForm)},
		{"POST /sessions/{id}/attendance/upload", signedIn(s.delivery.Upload)},
		{"GET /sessions/{id}/attendance.csv", signedIn(s.delivery.AttendanceTemplate)},
		{"GET /sessions/{id}/catch-up", signedIn(s.delivery.CatchUpForm)},
		{"POST /sessions/{id}/catch-up", signedIn(s.delivery.CatchUp)},

		// The practitioner's journey: one question per page, answers kept
		// in a server-side draft (apply/apply.go).
		{"GET /apply", signedIn(s.apply.Start)},
		{"GET /apply/programme", signedIn(s.apply.ProgrammeForm)},
		{"POST /apply/programme", signedIn(s.apply.Programme)},
		{"GET /apply/setting", signedIn(s.apply.SettingForm)},
		{"POST /apply/setting", signedIn(s.apply.Setting)},
		{"GET /apply/setting/search", signedIn(s.apply.SearchForm)},
		{"POST /apply/setting/search", signedIn(s.apply.Search)},
		{"GET /apply/role", signedIn(s.apply.RoleForm)},
		{"POST /apply/role", signedIn(s.apply.Role)},
		{"GET /apply/qualification", signedIn(s.apply.QualificationForm)},
		{"POST /apply/qualification", signedIn(s.apply.Qualification)},
		{"GET /apply/check", signedIn(s.apply.Check)},
		{"POST /apply/check", signedIn(s.apply.Submit)},
		{"GET /apply/confirmation/{id}", signedIn(s.apply.Confirmation)},
		// The practitioner's own training and its calendar (apply/training.go).
		{"GET /my-training", signedIn(s.apply.MyTraining)},
		{"GET /my-training/sessions.ics", signedIn(s.apply.MyTrainingCalendar)},
		// The setting manager (apply/setting.go).
		{"GET /nominate", can(policy.CanNominate, s.apply.NominateForm)},
		{"POST /nominate", can(policy.CanNominate, s.apply.Nominate)},
		{"GET /applications/{id}/confirm", signedIn(s.apply.ConfirmForm)},
		{"POST /applications/{id}/confirm", signedIn(s.apply.Confirm)},
		// Everyone's list and the application page.
		{"GET /applications", signedIn(s.apply.List)},
		{"GET /applications/{id}", signedIn(s.apply.Show)},
		// The awarding organisation (apply/awarding.go).
		{"GET /applications/{id}/register", signedIn(s.apply.RegisterForm)},
		{"POST /applications/{id}/register", signedIn(s.apply.Register)},
		{"GET /applications/{id}/certify", signedIn(s.apply.CertifyForm)},
		{"POST /applications/{id}/certify", signedIn(s.apply.Certify)},
		{"GET /applications/{id}/revoke", signedIn(s.apply.RevokeForm)},
		{"POST /applications/{id}/revoke", signedIn(s.apply.Revoke)},

		// Quality assurance and certificates (assurance/). The verification
		// page is public: it shows only name, qualification, date and status.
		{"GET /verify", public(s.assurance.VerifyForm)},
		{"GET /verify/{code}", public(s.assurance.Verify)},
		{"GET /awarding", can(policy.CanCertify, s.assurance.Awarding)},
		{"GET /awarding/registrations", can(policy.CanRegisterInBulk, s.assurance.RegistrationsForm)},
		{"POST /awarding/registrations", can(policy.CanRegisterInBulk, s.assurance.Registrations)},
		{"GET /awarding/registrations/template.csv", can(policy.CanRegisterInBulk, s.assurance.RegistrationsTemplate)},
		{"GET /applications/{id}/units", can(policy.CanCertify, s.assurance.UnitsForm)},
		{"POST /applications/{id}/units", can(policy.CanCertify, s.assurance.Units)},
		{"GET /certificates/{id}/certificate.pdf", can(policy.CanDownloadCertificate, s.assurance.CertificatePDF)},
		{"GET /certificates/{id}/invalidate", can(policy.CanCertify, s.assurance.InvalidateForm)},
		{"POST /certificates/{id}/invalidate", can(policy.CanCertify, s.assurance.Invalidate)},
		{"POST /certificates/{id}/review", can(policy.CanCertify, s.assurance.ClearReview)},
		{"GET /quality", can(policy.CanSeeQuality, s.assurance.Index)},
		{"GET /quality/actions", can(policy.CanResolveActions, s.assurance.Actions)},
		{"GET /quality/suppliers/{id}/plan", can(policy.CanSampleQuality, s.assurance.PlanForm)},
		{"POST /quality/suppliers/{id}/plan", can(policy.CanSampleQuality, s.assurance.Plan)},
		{"POST /quality/suppliers/{id}/samples", can(policy.CanSampleQuality, s.assurance.Draw)},
		{"GET /quality/suppliers/{id}/report", can(policy.CanSeeQuality, s.assurance.Report)},
		{"GET /quality/samples/{id}", can(policy.CanSeeQuality, s.assurance.Sample)},
		{"GET /quality/items/{id}", can(policy.CanSampleQuality, s.assurance.OutcomeForm)},
		{"POST /quality/items/{id}", can(policy.CanSampleQuality, s.assurance.Outcome)},
		{"GET /quality/items/{id}/resolve", can(policy.CanResolveActions, s.assurance.ResolveForm)},
		{"POST /quality/items/{id}/resolve", can(policy.CanResolveActions, s.assurance.Resolve)},
		// The SENCO's own growth (growth/): the setting's self-review, the
		// practitioner's confidence, plan, CPD, pathway and prior learning,
		// the assessor's decisions, the LA's view and the programme's impact.
		{"GET /growth", can(policy.NavGrowth, s.growth.Hub)},
		{"GET /growth/reviews", can(policy.CanRunReview, s.growth.Reviews)},
		{"GET /growth/reviews/new", can(policy.CanRunReview, s.growth.ReviewNew)},
		{"POST /growth/reviews", can(policy.CanRunReview, s.growth.ReviewCreate)},
		{"GET /growth/reviews/{id}", signedIn(s.growth.Review)},
		{"POST /growth/reviews/{id}/share", can(policy.CanRunReview, s.growth.ReviewShare)},
		{"POST /growth/reviews/{id}/actions", can(policy.CanRunReview, s.growth.ActionCreate)},
		{"POST /growth/actions/{id}/done", can(policy.CanRunReview, s.growth.ActionDone)},
		{"GET /growth/me", can(policy.CanRateConfidence, s.growth.Me)},
		{"POST /growth/me/confidence", can(policy.CanRateConfidence, s.growth.Rate)},
		{"POST /growth/me/goals", can(policy.CanRateConfidence, s.growth.GoalCreate)},
		{"POST /growth/me/cpd", can(policy.CanRateConfidence, s.growth.CPDCreate)},
		{"POST /growth/me/prior-learning", can(policy.CanRateConfidence, s.growth.ClaimCreate)},
		{"GET /growth/prior-learning", can(policy.CanAssessPriorLearning, s.growth.PriorLearning)},
		{"POST /growth/prior-learning/{id}/decide", can(policy.CanAssessPriorLearning, s.growth.Decide)},
		{"GET /growth/la", can(policy.CanSupportSettings, s.growth.LA)},
		{"POST /growth/la/courses", can(policy.CanSupportSettings, s.growth.CourseCreate)},
		{"POST /growth/la/contacts", can(policy.CanSupportSettings, s.growth.ContactCreate)},
		{"GET /growth/impact", can(policy.CanSeeImpact, s.growth.ImpactPage)},
		{"GET /growth/impact/download/{format}", can(policy.CanSeeImpact, s.growth.ImpactExport)},

		// Coverage dashboards (coverage/).
		{"GET /coverage", cached(s.coverage.National)},
		{"GET /coverage/la/{code}", cached(s.coverage.LA)},
		{"GET /coverage/programmes/{id}", can(policy.CanSeeProgress, s.coverage.Progress)},
	}
	// A supplier's (or assessor's) actions on one application: each its own
	// form and confirmation (delivery/actions.go).
	for _, a := range delivery.AppActions {
		rs = append(rs,
			route{"GET /applications/{id}/" + a.Path(), signedIn(s.delivery.ActionForm(a))},
			route{"POST /applications/{id}/" + a.Path(), signedIn(s.delivery.ActionPost(a))})
	}
	return append(rs, route{"/", public(func(w http.ResponseWriter, r *http.Request) error { return page.ErrNotFound })})
}

// Package apply serves applications: the practitioner's journey from
// choosing a programme to the confirmation, the setting manager's
// nomination and confirmation, the application page and list, the
// awarding organisation's registration, certificate and revocation, and
// the practitioner's own training and its calendar.
package apply

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/quality"
	"senco/internal/web/page"
)

// Handlers are the pages of this area; each method is one route's handler.
// A page for one kind of user is admitted by the policy decision its line in
// internal/web/routes.go names; the handler checks the record in hand.
type Handlers struct {
	*page.Site
	// PDF says whether certificates can be downloaded as PDF documents.
	PDF bool
}

// appPath is the application page.
func appPath(id int64) string { return "/applications/" + page.Itoa(id) }

// appLoad loads the application of the path in the user's delivery scope
// (out of scope is not found), then checks the user may do what the route
// does (forbidden otherwise).
func (s *Handlers) appLoad(r *http.Request, permitted func(domain.User) bool) (domain.User, store.Application, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return u, store.Application{}, err
	}
	app, err := s.DB.Application(r.Context(), policy.Delivery(u), id)
	if err != nil {
		return u, app, err
	}
	if permitted != nil && !permitted(u) {
		return u, app, page.ErrForbidden
	}
	return u, app, nil
}

// appAwaitsConfirmation: a self-application the setting has not confirmed.
func appAwaitsConfirmation(a store.Application) bool {
	return !a.Nominated && !a.SettingConfirmed && a.Status.Live()
}

// appAttendanceOf is a learner's attendance to date by the domain's rule.
type appAttendanceSummary struct {
	Known     bool // placed on a cohort
	Held      int
	Rate      string
	Threshold string
	Meets     bool
}

func (s *Handlers) appAttendanceOf(r *http.Request, app store.Application, p domain.Programme) (appAttendanceSummary, []domain.Attendance, error) {
	var a appAttendanceSummary
	if app.CohortID == 0 {
		return a, nil, nil
	}
	marks, held, err := s.DB.Attendance(r.Context(), app.ID, app.CohortID, s.Today())
	if err != nil {
		return a, nil, err
	}
	rate := domain.AttendanceRate(marks, held)
	a = appAttendanceSummary{Known: true, Held: held, Rate: page.Rate(rate), Threshold: page.Rate(p.Rules.AttendanceThreshold),
		Meets: domain.TrainingComplete(rate, p.Rules.AttendanceThreshold, true)}
	return a, marks, nil
}

// ---- the list ----

const appPageSize = 50

type appRow struct {
	store.Application
	Tag        map[string]any
	CanConfirm bool
}

type appListData struct {
	Heading    string
	Noun       string // "applications" or "learners"
	Programme  string
	Status     string
	Q          string
	Programmes []any
	Statuses   []any
	Rows       []appRow
	Total      int
	page.Span
	CanConfirm  bool
	CanNominate bool
	Filtered    bool
	page.Form
}

func (s *Handlers) List(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	scope := policy.Delivery(u)
	if policy.OwnApplicationsOnly(u) {
		http.Redirect(w, r, "/my-training", http.StatusSeeOther)
		return nil
	}
	if scope.Kind == policy.Nothing {
		return page.ErrForbidden
	}
	ctx := r.Context()
	q := r.URL.Query()
	d := appListData{Heading: "Applications", Noun: "applications", CanConfirm: policy.CanNominate(u), CanNominate: policy.CanNominate(u),
		Programme: q.Get("programme"), Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q"))}
	if scope.Kind == policy.Awarding {
		d.Heading, d.Noun = "Learners", "learners"
	}
	// An awarding organisation's list holds learners, not applications
	// still being decided or refused.
	f := store.AppFilter{Q: d.Q, PageSize: appPageSize, Page: 1, Learners: scope.Kind == policy.Awarding}
	n, err := page.Number(r)
	if err != nil {
		return err
	}
	f.Page = n
	programmes, err := s.DB.Programmes(ctx)
	if err != nil {
		return err
	}
	d.Programmes = []any{map[string]any{"value": "", "text": "Any programme"}}
	for _, p := range programmes {
		d.Programmes = append(d.Programmes, map[string]any{"value": page.Itoa(p.ID), "text": p.Name})
	}
	if d.Programme != "" {
		id, err := strconv.ParseInt(d.Programme, 10, 64)
		found := false
		for _, p := range programmes {
			found = found || (err == nil && p.ID == id)
		}
		if found {
			f.ProgrammeID = id
		} else {
			d.Fail("programme", "Choose a programme from the list")
		}
	}
	d.Statuses = []any{map[string]any{"value": "", "text": "Any status"}, map[string]any{"value": "manual_review", "text": "Manual review"}}
	for _, st := range domain.Statuses {
		d.Statuses = append(d.Statuses, map[string]any{"value": string(st), "text": st.Label()})
	}
	switch st := domain.Status(d.Status); {
	case d.Status == "":
	case d.Status == "manual_review":
		f.ManualReview = true
	case appValidStatus(st):
		f.Status = st
	default:
		d.Fail("status", "Choose a status from the list")
	}
	d.Filtered = d.Programme != "" || d.Status != "" || d.Q != ""
	if d.Valid() {
		list, err := s.DB.Applications(ctx, scope, f)
		if err != nil {
			return err
		}
		d.Total = list.Total
		for _, a := range list.Applications {
			d.Rows = append(d.Rows, appRow{Application: a, Tag: page.StatusTag(a), CanConfirm: d.CanConfirm && appAwaitsConfirmation(a)})
		}
		d.Span = page.SpanOf(r.URL, f.Page, appPageSize, d.Total, len(d.Rows))
	}
	status := http.StatusOK
	if !d.Valid() {
		status = http.StatusUnprocessableEntity
	}
	return s.RenderStatus(w, r, status, "app-list", d.Heading, d)
}

func appValidStatus(st domain.Status) bool {
	for _, k := range domain.Statuses {
		if k == st {
			return true
		}
	}
	return false
}

// ---- the application page ----

type appAction struct {
	Href, Text string
	Warning    bool
}

type appShowData struct {
	App           store.Application
	Tag           map[string]any
	Programme     domain.Programme
	Attendance    appAttendanceSummary
	Answers       store.ApplicationAnswers
	HasAnswers    bool
	Qualification string
	Events        []store.AppEvent
	Actions       []appAction
	Banner        string
	Own           bool // the practitioner's own application
	Awarding      bool
	// Certificates issued to the learner, and why a full certificate
	// cannot be recorded now (for the awarding organisation).
	Certificates []domain.Award
	CertifyBlock *domain.Refusal
	OpenActions  int
	CanDownload  bool
}

func (s *Handlers) Show(w http.ResponseWriter, r *http.Request) error {
	u, app, err := s.appLoad(r, nil)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d := appShowData{App: app, Tag: page.StatusTag(app), Own: policy.OwnApplicationsOnly(u), Awarding: policy.CanCertify(u)}
	d.Programme, err = s.DB.Programme(ctx, app.ProgrammeID)
	if err != nil {
		return err
	}
	d.Attendance, _, err = s.appAttendanceOf(r, app, d.Programme)
	if err != nil {
		return err
	}
	d.Answers, d.HasAnswers, err = s.DB.ApplicationAnswers(ctx, app.ID)
	if err != nil {
		return err
	}
	d.Qualification = appQualificationText(d.Answers.Qualification)
	d.Events, err = s.DB.ApplicationEvents(ctx, app.ID)
	if err != nil {
		return err
	}
	// The store lists the history in the order it was recorded; a reader
	// follows it by date (a register taken late records "started training"
	// on the session's earlier date), with the recording order kept
	// within a day.
	sort.SliceStable(d.Events, func(i, j int) bool { return d.Events[i].On.Before(d.Events[j].On) })
	facts, err := quality.Facts(ctx, s.DB.Reader(), app)
	if err != nil {
		return err
	}
	d.Certificates, d.OpenActions, d.CanDownload = facts.Held, facts.OpenActions, s.PDF && policy.CanDownloadCertificate(u)
	if d.Awarding && app.Status != domain.StatusCertified {
		d.CertifyBlock = domain.CertificationBlock(facts)
	}
	d.Actions = appActions(u, app, facts)
	d.Banner = appDoneBanner(r.URL.Query().Get("done"), app)
	title := app.PractitionerName
	if d.Own {
		title = "Your application"
	}
	return s.Render(w, r, "app-show", title, d)
}

// appDoneBanner is the success message after an action; the page builds it
// from the record, never from text in the URL.
func appDoneBanner(code string, a store.Application) string {
	switch code {
	case "nominated":
		return fmt.Sprintf("%s nominated for %s", a.PractitionerName, a.ProgrammeName)
	case "confirmed":
		return fmt.Sprintf("%s's application confirmed", a.PractitionerName)
	case "registered":
		return fmt.Sprintf("%s registered with learner number %s", a.PractitionerName, a.LearnerNumber)
	case "certified":
		return fmt.Sprintf("Certificate %s recorded for %s", a.CertificateNumber, a.PractitionerName)
	case "revoked":
		return fmt.Sprintf("%s's certificate revoked", a.PractitionerName)
	}
	return ""
}

// appActions are the links to the actions the user may take on the
// application in its present status. The status machine decides which
// moves exist (domain.CheckTransition); policy decides who may make them.
func appActions(u domain.User, a store.Application, f domain.CertificationFacts) []appAction {
	base := appPath(a.ID)
	can := func(to domain.Status) bool { return domain.CheckTransition(a.Status, to) == nil }
	placed := a.Status == domain.StatusEnrolled || a.Status == domain.StatusInTraining
	var out []appAction
	if policy.CanManageProgrammes(u) && a.AwaitingReview() {
		out = append(out, appAction{Href: base + "/decide", Text: "Decide eligibility"})
	}
	if policy.CanRunCohorts(u) {
		if can(domain.StatusEnrolled) {
			out = append(out, appAction{Href: base + "/place", Text: "Place on a cohort"})
		}
		if can(domain.StatusInTraining) {
			out = append(out, appAction{Href: base + "/start", Text: "Record the start of training"})
		}
		if placed {
			out = append(out, appAction{Href: base + "/transfer", Text: "Transfer to another cohort"})
		}
		if can(domain.StatusDeferred) {
			out = append(out, appAction{Href: base + "/defer", Text: "Defer to a later cohort"})
		}
		if can(domain.StatusWithdrawn) {
			out = append(out, appAction{Href: base + "/withdraw", Text: "Withdraw", Warning: true})
		}
	}
	if policy.CanAssess(u) && placed && a.AssessmentCompleteOn.IsZero() {
		out = append(out, appAction{Href: base + "/assessment", Text: "Record the assessment"})
	}
	if policy.CanNominate(u) && appAwaitsConfirmation(a) {
		out = append(out, appAction{Href: base + "/confirm", Text: "Confirm the application"})
	}
	if policy.CanCertify(u) {
		if placed || a.Status == domain.StatusCompleted {
			text := "Register the learner"
			if a.LearnerNumber != "" {
				text = "Change the registration"
			}
			out = append(out, appAction{Href: base + "/register", Text: text})
		}
		// Offered only when the rule allows it; the page says why not.
		if can(domain.StatusCertified) && domain.CertificationBlock(f) == nil {
			out = append(out, appAction{Href: base + "/certify", Text: "Record the certificate"})
		}
		if domain.UnitCertificationBlock(f) == nil {
			out = append(out, appAction{Href: base + "/units", Text: "Issue a unit certificate"})
		}
		if a.Status == domain.StatusCertified {
			out = append(out, appAction{Href: base + "/revoke", Text: "Revoke the certificate", Warning: true})
		}
	}
	return out
}

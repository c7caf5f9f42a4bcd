package delivery

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/portfolio"
	"senco/internal/web/page"
)

// AppAction is a supplier's (or assessor's) action on one
// application, each on its own page with its own confirmation.
type AppAction struct {
	path  string
	title string
	perm  func(domain.User) bool
	// prepare fills the choices a form offers.
	prepare func(s *Handlers, r *http.Request, d *cohortActionData) error
	// do validates the posted form and acts, returning where to go next;
	// with form errors it returns "".
	do func(s *Handlers, r *http.Request, d *cohortActionData) (string, error)
}

// Path is the action's page under /applications/{id}/.
func (a AppAction) Path() string { return a.path }

var AppActions = []AppAction{
	{path: "place", title: "Place on a cohort", perm: policy.CanRunCohorts, prepare: (*Handlers).cohortPlacePrepare, do: (*Handlers).cohortPlace},
	{path: "transfer", title: "Transfer to another cohort", perm: policy.CanRunCohorts, prepare: (*Handlers).cohortTransferPrepare, do: (*Handlers).cohortTransfer},
	{path: "defer", title: "Defer to a later cohort", perm: policy.CanRunCohorts, do: (*Handlers).cohortDefer},
	{path: "withdraw", title: "Record a withdrawal", perm: policy.CanRunCohorts, prepare: (*Handlers).cohortWithdrawPrepare, do: (*Handlers).cohortWithdraw},
	{path: "start", title: "Start training", perm: policy.CanRunCohorts, do: (*Handlers).cohortStart},
	{path: "assessment", title: "Record that the assessment is complete", perm: policy.CanAssess, prepare: (*Handlers).cohortAssessmentPrepare, do: (*Handlers).cohortAssessment},
}

type cohortAssessmentOutcome struct {
	Completed bool
	On        domain.Date
	Message   string
}

type cohortActionData struct {
	cohortPage
	Action       string
	Title        string
	App          store.Application
	Cohort       *store.CohortRecord // the learner's cohort, when in scope
	Choices      []store.CohortRecord
	CohortItems  []any
	CohortChoice string
	On           page.DateField
	Note         string
	Reason       string
	ReasonItems  []any
	Rate         string // attendance to date
	Held         int
	Threshold    string
	Outcome      *cohortAssessmentOutcome
	page.Form
}

// AppPath is the application's own page.
func (d cohortActionData) AppPath() string { return fmt.Sprintf("/applications/%d", d.App.ID) }

// loadAppAction loads the application in the user's delivery scope (not
// found otherwise) and checks the action is theirs to take.
func (s *Handlers) loadAppAction(r *http.Request, a AppAction) (cohortActionData, domain.User, error) {
	u, _ := page.CurrentUser(r)
	d := cohortActionData{cohortPage: cohortPage{Today: s.Today()}, Action: a.path, Title: a.title}
	id, err := page.PathID(r, "id")
	if err != nil {
		return d, u, err
	}
	scope := policy.Delivery(u)
	d.App, err = s.DB.Application(r.Context(), scope, id)
	if err != nil {
		return d, u, err
	}
	if !a.perm(u) {
		return d, u, page.ErrForbidden
	}
	if d.App.CohortID != 0 {
		c, err := s.DB.Cohort(r.Context(), scope, d.App.CohortID)
		switch {
		case err == nil:
			d.Cohort = &c
		case !errors.Is(err, store.ErrNotFound):
			return d, u, err
		}
	}
	return d, u, nil
}

func (s *Handlers) ActionForm(a AppAction) page.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		d, _, err := s.loadAppAction(r, a)
		if err != nil {
			return err
		}
		d.On = page.DateFieldOf(d.Today)
		d.CohortChoice = r.URL.Query().Get("cohort")
		if a.prepare != nil {
			if err := a.prepare(s, r, &d); err != nil {
				return err
			}
		}
		title := a.title
		if d.Outcome != nil {
			title = "Assessment recorded"
		}
		return s.Render(w, r, "cohort-app-action", title, d)
	}
}

func (s *Handlers) ActionPost(a AppAction) page.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		d, _, err := s.loadAppAction(r, a)
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return err
		}
		d.On, d.Note = page.ReadDate(r, "on"), strings.TrimSpace(r.PostFormValue("note"))
		d.CohortChoice, d.Reason = r.PostFormValue("cohort"), r.PostFormValue("reason")
		if a.prepare != nil {
			if err := a.prepare(s, r, &d); err != nil {
				return err
			}
		}
		if msg := domain.TooLong("The note", d.Note, domain.MaxNoteLength); msg != "" {
			d.Fail("note", msg)
			return s.RenderForm(w, r, "cohort-app-action", a.title, d)
		}
		next, err := a.do(s, r, &d)
		if rule, ok := store.IsRule(err); ok {
			// A refusal about the application's status is about the action
			// as a whole; others name the field.
			field := "action"
			switch {
			case rule.Field == "status", rule.Field == "criteria":
			case a.path == "place" || a.path == "transfer":
				field = "cohort"
			case a.path == "withdraw" && rule.Field == "reason":
				field = "reason"
			default:
				field = "on-day"
			}
			d.Fail(field, rule.Msg)
			err = nil
		}
		if errors.Is(err, store.ErrConflict) {
			d.Fail("on-day", "The application changed while you were working on it: check it and try again")
			return s.RenderStatus(w, r, http.StatusConflict, "cohort-app-action", a.title, d)
		}
		if err != nil {
			return err
		}
		if !d.Valid() {
			return s.RenderForm(w, r, "cohort-app-action", a.title, d)
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
}

// onDate reads the action's date into the form, failing the field.
func (d *cohortActionData) onDate(what string) domain.Date {
	return d.ParseDate(d.On, "on-day", what)
}

// cohortDone is where a finished action goes: the cohort page with a
// banner (see cohortActionBanner), or the application's page when the
// learner has no cohort.
func cohortDone(app store.Application, cohortID int64, code string) string {
	if cohortID != 0 {
		return fmt.Sprintf("/cohorts/%d?done=%s&app=%d", cohortID, code, app.ID)
	}
	return fmt.Sprintf("/applications/%d?done=%s", app.ID, code)
}

// cohortChoiceItems lists cohorts as radios, saying how full each is.
func cohortChoiceItems(cs []store.CohortRecord, today domain.Date) []any {
	var items []any
	for _, c := range cs {
		hint := fmt.Sprintf("%s, %s to %s. %d of %d places filled", c.Mode.Label(), c.StartsOn.Long(), c.EndsOn.Long(), c.Placed, c.Capacity)
		if c.Free() == 0 {
			hint += fmt.Sprintf(": full, %d on the waiting list", c.Waiting)
		}
		hint += "."
		items = append(items, map[string]any{"value": page.Itoa(c.ID), "text": c.Name, "hint": hint})
	}
	return items
}

// cohortChosen loads the chosen cohort in the user's scope.
func (s *Handlers) cohortChosen(r *http.Request, d *cohortActionData) (store.CohortRecord, bool, error) {
	u, _ := page.CurrentUser(r)
	id, err := strconv.ParseInt(d.CohortChoice, 10, 64)
	if err != nil || id <= 0 {
		d.Fail("cohort", "Choose a cohort")
		return store.CohortRecord{}, false, nil
	}
	c, err := s.DB.Cohort(r.Context(), policy.Delivery(u), id)
	if errors.Is(err, store.ErrNotFound) {
		d.Fail("cohort", "Choose a cohort from the list")
		return c, false, nil
	}
	return c, err == nil, err
}

// --- Place ------------------------------------------------------------

// cohortOffer fills the cohorts an action offers: those of the
// application's programme that the user runs, that have not finished, and
// that fit.
func (s *Handlers) cohortOffer(r *http.Request, d *cohortActionData, fits func(store.CohortRecord) bool) error {
	u, _ := page.CurrentUser(r)
	list, err := s.DB.Cohorts(r.Context(), policy.Delivery(u), store.CohortFilter{ProgrammeID: d.App.ProgrammeID, PageSize: 1000})
	if err != nil {
		return err
	}
	d.Choices = nil
	for _, c := range list.Cohorts {
		if policy.CanRunCohort(u, c.SupplierOrgID) && c.Phase(d.Today) != "finished" && fits(c) {
			d.Choices = append(d.Choices, c)
		}
	}
	d.CohortItems = cohortChoiceItems(d.Choices, d.Today)
	return nil
}

// cohortPlacePrepare offers the cohorts serving the applicant's authority.
func (s *Handlers) cohortPlacePrepare(r *http.Request, d *cohortActionData) error {
	return s.cohortOffer(r, d, func(c store.CohortRecord) bool { return slices.Contains(c.LACodes, d.App.LACode) })
}

func (s *Handlers) cohortPlace(r *http.Request, d *cohortActionData) (string, error) {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	c, ok, err := s.cohortChosen(r, d)
	if err != nil || !ok {
		return "", err
	}
	var waitlisted bool
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		waitlisted, err = tx.Place(ctx, domain.ActorOf(u), d.App, c, d.Today)
		return err
	})
	if err != nil {
		return "", err
	}
	if waitlisted {
		return cohortDone(d.App, c.ID, "waitlisted"), nil
	}
	return cohortDone(d.App, c.ID, "placed"), nil
}

// --- Transfer ---------------------------------------------------------

// cohortTransferPrepare offers the learner's other cohorts.
func (s *Handlers) cohortTransferPrepare(r *http.Request, d *cohortActionData) error {
	return s.cohortOffer(r, d, func(c store.CohortRecord) bool { return c.ID != d.App.CohortID })
}

func (s *Handlers) cohortTransfer(r *http.Request, d *cohortActionData) (string, error) {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	c, ok, err := s.cohortChosen(r, d)
	if err != nil {
		return "", err
	}
	on := d.onDate("the date of the transfer")
	if !ok || !d.Valid() {
		return "", nil
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error { return tx.Transfer(ctx, domain.ActorOf(u), d.App, c, on) })
	if err != nil {
		return "", err
	}
	return cohortDone(d.App, c.ID, "transferred"), nil
}

// --- Defer, withdraw, start ---------------------------------------------

func (s *Handlers) cohortDefer(r *http.Request, d *cohortActionData) (string, error) {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	on := d.onDate("the date of the deferral")
	if !d.Valid() {
		return "", nil
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error { return tx.Defer(ctx, domain.ActorOf(u), d.App, on, d.Note) })
	if err != nil {
		return "", err
	}
	return cohortDone(d.App, d.App.CohortID, "deferred"), nil
}

func (s *Handlers) cohortWithdrawPrepare(r *http.Request, d *cohortActionData) error {
	d.ReasonItems = nil
	for _, reason := range domain.WithdrawalReasons {
		d.ReasonItems = append(d.ReasonItems, map[string]any{"value": string(reason), "text": reason.Label()})
	}
	return nil
}

func (s *Handlers) cohortWithdraw(r *http.Request, d *cohortActionData) (string, error) {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	reason := domain.WithdrawalReason(d.Reason)
	d.Check(reason.Valid(), "reason", "Choose the reason for the withdrawal")
	on := d.onDate("the date of the withdrawal")
	if !d.Valid() {
		return "", nil
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error { return tx.Withdraw(ctx, domain.ActorOf(u), d.App, reason, on, d.Note) })
	if err != nil {
		return "", err
	}
	return cohortDone(d.App, d.App.CohortID, "withdrawn"), nil
}

func (s *Handlers) cohortStart(r *http.Request, d *cohortActionData) (string, error) {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	on := d.onDate("the date training started")
	if !d.Valid() {
		return "", nil
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error { return tx.StartTraining(ctx, domain.ActorOf(u), d.App, on) })
	if err != nil {
		return "", err
	}
	return cohortDone(d.App, d.App.CohortID, "started"), nil
}

// --- Assessment ---------------------------------------------------------

// cohortAssessmentPrepare shows the learner's attendance against the
// programme's threshold and, after the decision, its outcome.
func (s *Handlers) cohortAssessmentPrepare(r *http.Request, d *cohortActionData) error {
	ctx := r.Context()
	p, err := s.DB.Programme(ctx, d.App.ProgrammeID)
	if err != nil {
		return err
	}
	threshold := p.Rules.AttendanceThreshold
	d.Threshold = page.Rate(threshold)
	at := d.Today
	done := r.Method == http.MethodGet && r.URL.Query().Get("done") == "1" && !d.App.AssessmentCompleteOn.IsZero()
	if done {
		at = d.App.AssessmentCompleteOn
	}
	if d.App.CohortID != 0 {
		marks, held, err := s.DB.Attendance(ctx, d.App.ID, d.App.CohortID, at)
		if err != nil {
			return err
		}
		rate := domain.AttendanceRate(marks, held)
		d.Held, d.Rate = held, page.Rate(rate)
		if done {
			o := &cohortAssessmentOutcome{On: at}
			name := d.App.PractitionerName
			switch {
			case d.App.Status == domain.StatusCompleted || d.App.Status == domain.StatusCertified:
				o.Completed = true
				o.Message = fmt.Sprintf("%s has completed training: attendance of %s meets the programme's threshold of %s, and the assessment is complete.", name, d.Rate, d.Threshold)
			case !domain.TrainingComplete(rate, threshold, true):
				o.Message = fmt.Sprintf("%s has not completed training: attendance of %s is below the programme's threshold of %s. The assessment is recorded; training completes when attendance reaches the threshold (record catch-ups for missed sessions) and the assessment is recorded again.", name, d.Rate, d.Threshold)
			default:
				o.Message = fmt.Sprintf("%s has not completed training: they are %s.", name, strings.ToLower(d.App.Status.Label()))
			}
			d.Outcome = o
		}
	}
	return nil
}

func (s *Handlers) cohortAssessment(r *http.Request, d *cohortActionData) (string, error) {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	on := d.onDate("the date the assessment was complete")
	if !d.Valid() {
		return "", nil
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		_, _, err := portfolio.CompleteAssessment(ctx, tx, domain.ActorOf(u), d.App, on)
		return err
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("/applications/%d/assessment?done=1", d.App.ID), nil
}

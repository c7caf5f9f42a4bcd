// Package delivery serves the delivery of training: cohorts, their sessions
// and attendance (marked on a page or uploaded as CSV), and the supplier's
// actions on one application (place, transfer, defer, withdraw, start,
// assessment).
package delivery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/web/page"
)

// Handlers are the pages of this area; each method is one route's handler.
// A page for one kind of user is admitted by the policy decision its line in
// internal/web/routes.go names; the handler checks the record in hand.
type Handlers struct {
	*page.Site
}

// loadCohort loads the cohort named in the path in the user's scope:
// out of scope is not found; a user who may not open cohort pages is
// forbidden.
func (s *Handlers) loadCohort(r *http.Request) (store.CohortRecord, domain.User, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return store.CohortRecord{}, u, err
	}
	if !policy.CanOpenCohorts(u) {
		return store.CohortRecord{}, u, page.ErrForbidden
	}
	c, err := s.DB.Cohort(r.Context(), policy.Delivery(u), id)
	return c, u, err
}

// cohortTrainerOf reports whether u is a supplier admin (with the cohort in
// scope) or a trainer named on the cohort.
func (s *Handlers) cohortTrainerOf(ctx context.Context, u domain.User, c store.CohortRecord) (bool, error) {
	switch u.Role {
	case domain.RoleSupplierAdmin:
		return policy.CanRunCohort(u, c.SupplierOrgID), nil
	case domain.RoleTrainer:
		if !policy.CanTakeAttendance(u) {
			return false, nil
		}
		role, err := s.DB.CohortStaffRole(ctx, c.ID, u.ID)
		return role == "trainer", err
	}
	return false, nil
}

// cohortLANames maps authority codes to names.
func (s *Handlers) cohortLANames(ctx context.Context) (map[string]string, error) {
	las, err := s.DB.AllLocalAuthorities(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(las))
	for _, la := range las {
		out[la.Code] = la.Name
	}
	return out, nil
}

func cohortNamesOf(codes []string, names map[string]string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if n := names[c]; n != "" {
			out = append(out, n)
		} else {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

func cohortPhaseColour(phase string) string {
	switch phase {
	case "recruiting":
		return ""
	case "in progress":
		return "green"
	}
	return "grey"
}

// cohortPage is what every cohort template can ask of its data.
type cohortPage struct{ Today domain.Date }

func (cohortPage) Hours(minutes int) string             { return page.Hours(minutes) }
func (cohortPage) Times(starts, ends string) string     { return page.SessionTimes(starts, ends) }
func (cohortPage) Percent(x float64) string             { return page.Rate(x) }
func (cohortPage) PhaseColour(phase string) string      { return cohortPhaseColour(phase) }
func (cohortPage) StatusColour(st domain.Status) string { return page.StatusColour(st) }

// --- List -------------------------------------------------------------

const cohortsPageSize = 50

type cohortListData struct {
	cohortPage
	Page         store.CohortPage
	CanCreate    bool
	ShowSupplier bool
	page.Span
	Caption string
}

func (s *Handlers) List(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	pageNo, err := page.Number(r)
	if err != nil {
		return err
	}
	scope := policy.Delivery(u)
	d := cohortListData{cohortPage: cohortPage{Today: s.Today()}, CanCreate: policy.CanRunCohorts(u),
		ShowSupplier: scope.Kind != policy.Org && scope.Kind != policy.Staffed}
	switch scope.Kind {
	case policy.Staffed:
		d.Caption = "Cohorts you teach or assess"
	case policy.LA:
		d.Caption = "Cohorts serving your local authority"
	case policy.Org:
		d.Caption = "Your organisation's cohorts"
	default:
		d.Caption = "All cohorts"
	}
	d.Page, err = s.DB.Cohorts(r.Context(), scope, store.CohortFilter{Page: pageNo, PageSize: cohortsPageSize})
	if err != nil {
		return err
	}
	d.Span = page.SpanOf(r.URL, pageNo, cohortsPageSize, d.Page.Total, len(d.Page.Cohorts))
	return s.Render(w, r, "cohort-list", "Cohorts", d)
}

// --- Create -----------------------------------------------------------

type cohortForm struct {
	cohortPage
	Contracts     []store.ContractRecord
	Contract      *store.ContractRecord
	ContractLAs   []string
	ContractID    string
	Name          string
	Mode          string
	LAs           []string
	Starts, Ends  page.DateField
	Capacity      string
	Trainers      []string
	Assessors     []string
	ContractItems []any
	ModeItems     []any
	LAItems       []any
	TrainerItems  []any
	AssessorItems []any
	page.Form
}

func cohortModeItems() []any {
	var items []any
	for _, m := range domain.DeliveryModes {
		items = append(items, map[string]any{"value": string(m), "text": m.Label()})
	}
	return items
}

// prepare fills the form's choices: the contracts in force, and once one is
// chosen its authorities and the supplier's trainers and assessors.
func (s *Handlers) cohortPrepare(ctx context.Context, u domain.User, f *cohortForm) error {
	var err error
	f.Contracts, err = s.DB.Contracts(ctx, policy.Delivery(u), true)
	if err != nil {
		return err
	}
	names, err := s.cohortLANames(ctx)
	if err != nil {
		return err
	}
	f.ContractItems = nil
	for i := range f.Contracts {
		c := &f.Contracts[i]
		id := page.Itoa(c.ID)
		f.ContractItems = append(f.ContractItems, map[string]any{"value": id,
			"text": fmt.Sprintf("%s (contract version %d)", c.ProgrammeName, c.Version),
			"hint": fmt.Sprintf("Serves %s. %d places allocated.", strings.Join(cohortNamesOf(c.LACodes, names), ", "), c.AllocatedPlaces)})
		if id == f.ContractID {
			f.Contract = c
		}
	}
	f.ModeItems = cohortModeItems()
	if f.Contract == nil {
		return nil
	}
	f.ContractLAs = cohortNamesOf(f.Contract.LACodes, names)
	f.LAItems = nil
	for _, code := range f.Contract.LACodes {
		name := names[code]
		if name == "" {
			name = code
		}
		f.LAItems = append(f.LAItems, map[string]any{"value": code, "text": name})
	}
	sort.Slice(f.LAItems, func(i, j int) bool {
		return f.LAItems[i].(map[string]any)["text"].(string) < f.LAItems[j].(map[string]any)["text"].(string)
	})
	staff, err := s.DB.CohortStaffCandidates(ctx, u.Org.ID)
	if err != nil {
		return err
	}
	f.TrainerItems, f.AssessorItems = nil, nil
	for _, p := range staff {
		item := map[string]any{"value": page.Itoa(p.ID), "text": p.Name, "hint": p.Email}
		if p.Role == domain.RoleTrainer {
			f.TrainerItems = append(f.TrainerItems, item)
		} else {
			f.AssessorItems = append(f.AssessorItems, item)
		}
	}
	return nil
}

func (s *Handlers) New(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	q := r.URL.Query()
	f := cohortForm{cohortPage: cohortPage{Today: s.Today()}, ContractID: q.Get("contract"), Mode: string(domain.Blended)}
	if err := s.cohortPrepare(r.Context(), u, &f); err != nil {
		return err
	}
	// With one contract there is nothing to choose, unless the user came
	// back to look.
	choosing := q.Has("choose") || q.Has("step")
	if f.Contract == nil && len(f.Contracts) == 1 && !choosing {
		f.ContractID = page.Itoa(f.Contracts[0].ID)
		if err := s.cohortPrepare(r.Context(), u, &f); err != nil {
			return err
		}
	}
	if f.Contract == nil {
		if q.Has("step") || q.Has("contract") {
			f.Fail("contract", "Choose the contract the cohort is delivered under")
			return s.RenderForm(w, r, "cohort-new-contract", "Create a cohort", f)
		}
		return s.Render(w, r, "cohort-new-contract", "Create a cohort", f)
	}
	f.LAs = slices.Clone(f.Contract.LACodes)
	return s.Render(w, r, "cohort-new", "Create a cohort", f)
}

func (s *Handlers) Create(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := cohortForm{cohortPage: cohortPage{Today: s.Today()}, ContractID: r.PostFormValue("contract"),
		Name: strings.TrimSpace(r.PostFormValue("name")), Mode: r.PostFormValue("mode"), LAs: r.PostForm["las"],
		Starts: page.ReadDate(r, "starts"), Ends: page.ReadDate(r, "ends"), Capacity: strings.TrimSpace(r.PostFormValue("capacity")),
		Trainers: r.PostForm["trainers"], Assessors: r.PostForm["assessors"]}
	if err := s.cohortPrepare(ctx, u, &f); err != nil {
		return err
	}
	if f.Contract == nil {
		f.Fail("contract", "Choose a contract in force")
		return s.RenderForm(w, r, "cohort-new-contract", "Create a cohort", f)
	}
	c := domain.Cohort{ContractID: f.Contract.ID, SupplierOrgID: u.Org.ID, Name: f.Name, Mode: domain.DeliveryMode(f.Mode), LACodes: f.LAs}
	var msg string
	if !f.Starts.Empty() {
		if c.StartsOn, msg = f.Starts.Parse("the start date"); msg != "" {
			f.Fail("starts-day", msg)
		}
	}
	if !f.Ends.Empty() {
		if c.EndsOn, msg = f.Ends.Parse("the end date"); msg != "" {
			f.Fail("ends-day", msg)
		}
	}
	switch n, err := strconv.Atoi(f.Capacity); {
	case f.Capacity == "":
		f.Fail("capacity", "Enter the number of places")
	case err != nil:
		f.Fail("capacity", "Enter the number of places as a whole number, for example 20")
	default:
		c.Capacity = n
	}
	for field, msg := range c.Validate() {
		f.Fail(field, msg)
	}
	trainers, ok := cohortPickedIDs(f.Trainers, f.TrainerItems)
	f.Check(ok, "trainers", "Choose trainers from the list")
	assessors, ok := cohortPickedIDs(f.Assessors, f.AssessorItems)
	f.Check(ok, "assessors", "Choose assessors from the list")
	f.ErrorOrder = page.OrderFields(f.ErrorOrder, "contract", "name", "mode", "las", "starts-day", "ends-day", "capacity", "trainers", "assessors")
	if !f.Valid() {
		return s.RenderForm(w, r, "cohort-new", "Create a cohort", f)
	}
	a := domain.ActorOf(u)
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		c, err = tx.CreateCohort(ctx, a, c)
		if err != nil {
			return err
		}
		return tx.SetCohortStaff(ctx, a, c.ID, trainers, assessors)
	})
	if rule, ok := store.IsRule(err); ok {
		f.Fail(rule.Field, rule.Msg)
		return s.RenderForm(w, r, "cohort-new", "Create a cohort", f)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/cohorts/%d?done=created", c.ID), http.StatusSeeOther)
	return nil
}

// cohortPickedIDs checks that every chosen value is one of the items.
func cohortPickedIDs(picked []string, items []any) ([]int64, bool) {
	allowed := map[string]bool{}
	for _, it := range items {
		allowed[it.(map[string]any)["value"].(string)] = true
	}
	var ids []int64
	for _, p := range picked {
		if !allowed[p] {
			return nil, false
		}
		id, _ := strconv.ParseInt(p, 10, 64)
		ids = append(ids, id)
	}
	return ids, true
}

// --- Show -------------------------------------------------------------

type cohortLearner struct {
	store.Application
	Rate string // attendance to date, or "" before any session
	Held int
}

// CanBecome reports whether the status machine lets the learner move to
// status to (domain.CheckTransition), for which actions to offer.
func (l cohortLearner) CanBecome(to domain.Status) bool {
	return domain.CheckTransition(l.Status, to) == nil
}

// Placed reports whether the learner holds a place they can move from.
func (l cohortLearner) Placed() bool {
	return l.Status == domain.StatusEnrolled || l.Status == domain.StatusInTraining
}

type cohortShowData struct {
	cohortPage
	Cohort        store.CohortRecord
	LANames       []string
	Phase         string
	Learners      []cohortLearner
	Waiting       []store.Application
	Sessions      []store.SessionRecord
	Placeable     []store.Application
	CanRun        bool
	CanAddSession bool
	CanAttendance bool
	CanAssess     bool
	Added         string
}

func (s *Handlers) Show(w http.ResponseWriter, r *http.Request) error {
	c, u, err := s.loadCohort(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	scope := policy.Delivery(u)
	d := cohortShowData{cohortPage: cohortPage{Today: s.Today()}, Cohort: c}
	d.Phase = c.Phase(d.Today)
	names, err := s.cohortLANames(ctx)
	if err != nil {
		return err
	}
	d.LANames = cohortNamesOf(c.LACodes, names)
	d.CanRun = policy.CanRunCohort(u, c.SupplierOrgID)
	if d.CanAddSession, err = s.cohortTrainerOf(ctx, u, c); err != nil {
		return err
	}
	d.CanAttendance = d.CanAddSession
	d.CanAssess = policy.CanAssessCohort(u, c.SupplierOrgID)
	learners, err := s.DB.Applications(ctx, scope, store.AppFilter{CohortID: c.ID, PageSize: 1000})
	if err != nil {
		return err
	}
	for _, a := range learners.Applications {
		l := cohortLearner{Application: a}
		marks, held, err := s.DB.Attendance(ctx, a.ID, c.ID, d.Today)
		if err != nil {
			return err
		}
		if held > 0 {
			l.Held = held
			l.Rate = page.Rate(domain.AttendanceRate(marks, held))
		}
		d.Learners = append(d.Learners, l)
	}
	sort.SliceStable(d.Learners, func(i, j int) bool { return d.Learners[i].PractitionerName < d.Learners[j].PractitionerName })
	waiting, err := s.DB.Applications(ctx, scope, store.AppFilter{Waitlisted: c.ID, PageSize: 1000})
	if err != nil {
		return err
	}
	d.Waiting = waiting.Applications
	// The waiting list is first come, first served.
	sort.SliceStable(d.Waiting, func(i, j int) bool { return d.Waiting[i].AppliedOn.Before(d.Waiting[j].AppliedOn) })
	if d.Sessions, err = s.DB.Sessions(ctx, c.ID); err != nil {
		return err
	}
	if d.CanRun {
		for _, st := range []domain.Status{domain.StatusEligible, domain.StatusDeferred} {
			list, err := s.DB.Applications(ctx, scope, store.AppFilter{Status: st, ProgrammeID: c.ProgrammeID, LACodes: c.LACodes, Unplaced: true, PageSize: 200})
			if err != nil {
				return err
			}
			for _, a := range list.Applications {
				if a.WaitlistCohortID != c.ID {
					d.Placeable = append(d.Placeable, a)
				}
			}
		}
		sort.SliceStable(d.Placeable, func(i, j int) bool { return d.Placeable[i].AppliedOn.Before(d.Placeable[j].AppliedOn) })
	}
	if d.Added, err = s.cohortBanner(r, u, d); err != nil {
		return err
	}
	return s.Render(w, r, "cohort-show", c.Name, d)
}

// cohortBanner is the success message after an action, built from the
// records the page names (never from text in the address).
func (s *Handlers) cohortBanner(r *http.Request, u domain.User, d cohortShowData) (string, error) {
	q := r.URL.Query()
	code := q.Get("done")
	switch code {
	case "":
		return "", nil
	case "created":
		return fmt.Sprintf("Cohort %s created", d.Cohort.Name), nil
	case "session":
		for _, sess := range d.Sessions {
			if page.Itoa(sess.ID) == q.Get("session") {
				return fmt.Sprintf("Session on %s added: %s", sess.Date.Long(), sess.Topic), nil
			}
		}
		return "", nil
	case "moved":
		id, err := strconv.ParseInt(q.Get("to"), 10, 64)
		n, nerr := strconv.Atoi(q.Get("n"))
		if err != nil || nerr != nil || n < 1 {
			return "", nil
		}
		to, err := s.DB.Cohort(r.Context(), policy.Delivery(u), id)
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		people := "1 person"
		if n != 1 {
			people = fmt.Sprintf("%d people", n)
		}
		return fmt.Sprintf("%s moved from the waiting list to %s", people, to.Name), nil
	}
	id, err := strconv.ParseInt(q.Get("app"), 10, 64)
	if err != nil {
		return "", nil
	}
	app, err := s.DB.Application(r.Context(), policy.Delivery(u), id)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return cohortActionBanner(code, app, d.Cohort), nil
}

// cohortActionBanner says what an action on an application did.
func cohortActionBanner(code string, app store.Application, c store.CohortRecord) string {
	name := app.PractitionerName
	switch code {
	case "placed":
		return fmt.Sprintf("%s placed on %s", name, c.Name)
	case "waitlisted":
		return fmt.Sprintf("%s is full (%d places): %s is on its waiting list", c.Name, c.Capacity, name)
	case "transferred":
		return fmt.Sprintf("%s transferred to %s", name, c.Name)
	case "deferred":
		return fmt.Sprintf("%s deferred: place them on a later cohort when they are ready", name)
	case "withdrawn":
		return fmt.Sprintf("%s withdrawn on %s (%s)", name, app.WithdrawnOn.Long(), strings.ToLower(app.WithdrawalReason.Label()))
	case "started":
		return fmt.Sprintf("%s has started training", name)
	}
	return ""
}

// cohortRuleField maps a store refusal to the form field it is about, or
// fallback when the form has no such field.
func cohortRuleField(rule *store.RuleError, fallback string, fields ...string) string {
	if slices.Contains(fields, rule.Field) {
		return rule.Field
	}
	return fallback
}

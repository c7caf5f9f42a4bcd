package money

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/payments"
	"senco/internal/web/page"
)

// milestoneCell is one milestone of a learner: its live declaration, or
// whether the records support declaring it today and, if not, why not.
type milestoneCell struct {
	Milestone domain.Milestone
	Declared  domain.Declaration // ID 0 if none is live
	Due       bool
	Reason    string
}

// learnerMilestones is one learner of the supplier's with each milestone.
type learnerMilestones struct {
	App   store.Application
	Cells []milestoneCell
}

// cohortLearners are a cohort's learners; ID 0 gathers those on no cohort
// now (deferred).
type cohortLearners struct {
	ID       int64
	Name     string
	Learners []learnerMilestones
}

type declarationsData struct {
	Cohorts      []cohortLearners
	Learners     int
	Milestones   []domain.Milestone
	Declarations []domain.Declaration
	Total        int
	States       []domain.DeclarationState
	State        domain.DeclarationState
	CanDeclare   bool
	// National: the programme team sees every supplier's.
	National bool
}

// listLimit is how many declarations the list shows.
const listLimit = 500

// Declarations is a supplier's record of what it has declared and, for
// each learner on its cohorts grouped by cohort, which milestones the
// records support declaring today (domain.MilestoneDue) and why the others are not
// yet due; and the programme team's view of every supplier's declarations.
func (s *Handlers) Declarations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := page.CurrentUser(r)
	scope := policy.Payments(u)
	d := declarationsData{Milestones: domain.Milestones, States: domain.DeclarationStates, CanDeclare: policy.CanDeclare(u),
		National: scope.Kind == policy.National}
	if st := domain.DeclarationState(r.URL.Query().Get("state")); slices.Contains(domain.DeclarationStates, st) {
		d.State = st
	}
	if !d.CanDeclare {
		all, err := payments.Declarations(ctx, s.DB.Reader(), scope, payments.DeclarationFilter{State: d.State, PageSize: listLimit})
		if err != nil {
			return err
		}
		d.Declarations, d.Total = all.Declarations, all.Total
		return s.Render(w, r, "money-declarations", "Declarations", d)
	}
	// A supplier's declarations, read once for both the list and the
	// learners' milestones.
	all, err := payments.Declarations(ctx, s.DB.Reader(), scope, payments.DeclarationFilter{PageSize: 1 << 20})
	if err != nil {
		return err
	}
	live := map[int64]map[domain.Milestone]domain.Declaration{}
	for _, dec := range all.Declarations {
		if d.State == "" || dec.State == d.State {
			d.Total++
			if len(d.Declarations) < listLimit {
				d.Declarations = append(d.Declarations, dec)
			}
		}
		if slices.Contains(domain.LiveDeclarations, dec.State) {
			if live[dec.ApplicationID] == nil {
				live[dec.ApplicationID] = map[domain.Milestone]domain.Declaration{}
			}
			live[dec.ApplicationID][dec.Milestone] = dec
		}
	}
	apps, err := s.DB.Applications(ctx, policy.Delivery(u), store.AppFilter{Learners: true, PageSize: 500})
	if err != nil {
		return err
	}
	var learners []store.Application
	for _, a := range apps.Applications {
		if !a.EnrolledOn.IsZero() { // never on a cohort: nothing to declare
			learners = append(learners, a)
		}
	}
	today := s.Today()
	facts, err := payments.LoadDeclarationFacts(ctx, s.DB.Reader(), scope.OrgID, learners, today)
	if err != nil {
		return err
	}
	elsewhere, err := payments.FundedElsewhere(ctx, s.DB.Reader(), scope.OrgID, learners)
	if err != nil {
		return err
	}
	d.Cohorts = groupByCohort(learners, func(a store.Application) learnerMilestones {
		l := learnerMilestones{App: a}
		for _, m := range domain.Milestones {
			c := milestoneCell{Milestone: m, Declared: live[a.ID][m]}
			if c.Declared.ID == 0 {
				f := facts[a.ID]
				f.FundedElsewhere = elsewhere[a.ID][m]
				c.Due, c.Reason = domain.MilestoneDue(scope.OrgID, m, f, today)
			}
			l.Cells = append(l.Cells, c)
		}
		return l
	})
	d.Learners = len(learners)
	return s.Render(w, r, "money-declarations", "Declarations", d)
}

// groupByCohort groups learners by their cohort, cohorts by name and
// learners by name, those on no cohort now last.
func groupByCohort(apps []store.Application, row func(store.Application) learnerMilestones) []cohortLearners {
	slices.SortStableFunc(apps, func(a, b store.Application) int {
		if (a.CohortID == 0) != (b.CohortID == 0) {
			if a.CohortID == 0 {
				return 1
			}
			return -1
		}
		if c := strings.Compare(a.CohortName, b.CohortName); c != 0 {
			return c
		}
		if a.CohortID != b.CohortID {
			return cmp.Compare(a.CohortID, b.CohortID)
		}
		return strings.Compare(a.PractitionerName, b.PractitionerName)
	})
	var out []cohortLearners
	for _, a := range apps {
		if len(out) == 0 || out[len(out)-1].ID != a.CohortID {
			name := a.CohortName
			if a.CohortID == 0 {
				name = "Not on a cohort now (deferred)"
			}
			out = append(out, cohortLearners{ID: a.CohortID, Name: name})
		}
		g := &out[len(out)-1]
		g.Learners = append(g.Learners, row(a))
	}
	return out
}

type declareForm struct {
	App       store.Application
	Milestone domain.Milestone
	On        page.DateField
	page.Form
}

func (s *Handlers) declareForm(r *http.Request) (declareForm, error) {
	u, _ := page.CurrentUser(r)
	id, err := strconv.ParseInt(r.FormValue("learner"), 10, 64)
	if err != nil {
		return declareForm{}, page.ErrNotFound
	}
	app, err := s.DB.Application(r.Context(), policy.Delivery(u), id)
	if errors.Is(err, store.ErrNotFound) {
		return declareForm{}, page.ErrNotFound
	}
	if err != nil {
		return declareForm{}, err
	}
	m := domain.Milestone(r.FormValue("milestone"))
	if !m.Valid() {
		return declareForm{}, page.ErrNotFound
	}
	return declareForm{App: app, Milestone: m}, nil
}

// DeclareNew asks the date a learner reached a milestone.
func (s *Handlers) DeclareNew(w http.ResponseWriter, r *http.Request) error {
	f, err := s.declareForm(r)
	if err != nil {
		return err
	}
	f.On = page.DateFieldOf(s.Today())
	return s.Render(w, r, "money-declare", "Declare "+f.Milestone.Label()+" for "+f.App.PractitionerName, f)
}

// Declare records the declaration once senco's records support it; a
// refusal says which record does not, and nothing is recorded.
func (s *Handlers) Declare(w http.ResponseWriter, r *http.Request) error {
	f, err := s.declareForm(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	f.On = page.ReadDate(r, "declared_on")
	title := "Declare " + f.Milestone.Label() + " for " + f.App.PractitionerName
	on, msg := f.On.Parse("the date the milestone was reached")
	if msg != "" {
		f.Fail("declared_on-day", msg)
		return s.RenderForm(w, r, "money-declare", title, f)
	}
	var (
		dec     domain.Declaration
		created bool
	)
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		dec, created, err = payments.Declare(r.Context(), tx, domain.ActorOf(u), policy.Payments(u), f.App.ID, f.Milestone, on)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		field := rule.Field
		if field == "declared_on" {
			field = "declared_on-day"
		}
		f.Fail(field, rule.Msg)
		return s.RenderForm(w, r, "money-declare", title, f)
	}
	if err != nil {
		return err
	}
	msg = f.Milestone.Label() + " declared for " + f.App.PractitionerName + ": " + dec.Amount.String() + ", checked against the records (" + dec.Evidence + ")"
	if !created {
		msg = f.Milestone.Label() + " was already declared for " + f.App.PractitionerName + " on " + dec.DeclaredOn.Long() + "; nothing was changed"
	}
	s.RedirectFlash(w, r, "/declarations", msg)
	return nil
}

// VoidForm asks why a declaration is voided, and says what voiding does:
// before payment it is simply withdrawn, after payment it is clawed back.
func (s *Handlers) VoidForm(w http.ResponseWriter, r *http.Request) error {
	d, err := byPathID(r, s.DB.Reader(), payments.Declaration)
	if err != nil {
		return err
	}
	return s.Render(w, r, "money-declaration-void", "Void a declaration", reasonForm[domain.Declaration]{Record: d})
}

// Void voids the declaration.
func (s *Handlers) Void(w http.ResponseWriter, r *http.Request) error {
	d, err := byPathID(r, s.DB.Reader(), payments.Declaration)
	if err != nil {
		return err
	}
	return withReason(s, w, r, "money-declaration-void", "Void a declaration", d, "/declarations",
		func(tx *store.Tx, a domain.Actor, reason string) (string, error) {
			n, err := payments.VoidDeclaration(r.Context(), tx, a, policy.Payments(mustUser(r)), d.ID, reason)
			msg := d.Milestone.Label() + " for " + d.LearnerName + " voided"
			if n.State == domain.DeclarationAwaitingClawback {
				msg += "; it was paid, so " + d.Amount.String() + " will be taken back on the next statement"
			}
			return msg, err
		})
}

// reasonForm confirms a change that must say why: voiding a declaration,
// clawing back a claim.
type reasonForm[T any] struct {
	Record T
	Reason string
	page.Form
}

// byPathID loads the record the path's {id} names, in the user's payments
// scope: one out of scope is not found.
func byPathID[T any](r *http.Request, q store.Querier, load func(context.Context, store.Querier, policy.Scope, int64) (T, error)) (T, error) {
	var zero T
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return zero, page.ErrNotFound
	}
	rec, err := load(r.Context(), q, policy.Payments(mustUser(r)), id)
	if errors.Is(err, store.ErrNotFound) {
		return rec, page.ErrNotFound
	}
	return rec, err
}

// withReason makes the change with the reason given and goes back to the
// list with its confirmation; a refusal, or a record changed meanwhile, is
// shown on the form again and nothing is changed.
func withReason[T any](s *Handlers, w http.ResponseWriter, r *http.Request, tmpl, title string, rec T, back string,
	change func(tx *store.Tx, a domain.Actor, reason string) (string, error)) error {
	f := reasonForm[T]{Record: rec, Reason: r.PostFormValue("reason")}
	var msg string
	err := s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		msg, err = change(tx, domain.ActorOf(mustUser(r)), f.Reason)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		f.Fail(rule.Field, rule.Msg)
		return s.RenderForm(w, r, tmpl, title, f)
	}
	if errors.Is(err, store.ErrConflict) {
		f.Fail("reason", "This record changed while you were looking at it (a statement or batch was run or paid); look again and try once more if you still need to")
		return s.RenderForm(w, r, tmpl, title, f)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, back, msg)
	return nil
}

// mustUser is the signed-in user; these pages are only routed to one.
func mustUser(r *http.Request) domain.User {
	u, _ := page.CurrentUser(r)
	return u
}

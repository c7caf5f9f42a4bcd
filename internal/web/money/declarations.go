package money

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/payments"
	"senco/internal/web/page"
)

// learnerMilestones is one learner of the supplier's with each milestone's
// live declaration, if any.
type learnerMilestones struct {
	App      store.Application
	Declared map[domain.Milestone]domain.Declaration
}

type declarationsData struct {
	Learners     []learnerMilestones
	Milestones   []domain.Milestone
	Declarations []domain.Declaration
	Total        int
	States       []domain.DeclarationState
	State        domain.DeclarationState
	CanDeclare   bool
	// National: the programme team sees every supplier's.
	National bool
}

// Declarations is a supplier's record of what it has declared and what it
// can declare for each learner on its cohorts, and the programme team's
// view of every supplier's declarations.
func (s *Handlers) Declarations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := page.CurrentUser(r)
	scope := policy.Payments(u)
	d := declarationsData{Milestones: domain.Milestones, States: domain.DeclarationStates, CanDeclare: policy.CanDeclare(u),
		National: scope.Kind == policy.National}
	if st := domain.DeclarationState(r.URL.Query().Get("state")); slices.Contains(domain.DeclarationStates, st) {
		d.State = st
	}
	all, err := payments.Declarations(ctx, s.DB.Reader(), scope, payments.DeclarationFilter{State: d.State, PageSize: 500})
	if err != nil {
		return err
	}
	d.Declarations, d.Total = all.Declarations, all.Total
	if d.CanDeclare {
		apps, err := s.DB.Applications(ctx, policy.Delivery(u), store.AppFilter{PageSize: 500})
		if err != nil {
			return err
		}
		live, err := payments.Declarations(ctx, s.DB.Reader(), scope, payments.DeclarationFilter{PageSize: 10000})
		if err != nil {
			return err
		}
		byApp := map[int64]map[domain.Milestone]domain.Declaration{}
		for _, dec := range live.Declarations {
			if !slices.Contains(domain.LiveDeclarations, dec.State) {
				continue
			}
			if byApp[dec.ApplicationID] == nil {
				byApp[dec.ApplicationID] = map[domain.Milestone]domain.Declaration{}
			}
			byApp[dec.ApplicationID][dec.Milestone] = dec
		}
		for _, a := range apps.Applications {
			if a.EnrolledOn.IsZero() {
				continue // never on a cohort: nothing to declare
			}
			d.Learners = append(d.Learners, learnerMilestones{App: a, Declared: byApp[a.ID]})
		}
	}
	return s.Render(w, r, "money-declarations", "Declarations", d)
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

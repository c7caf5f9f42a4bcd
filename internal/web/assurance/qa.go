package assurance

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/quality"
	"senco/internal/web/page"
)

// Quality assurance pages: the IQA (their supplier) and the awarding
// organisation's officer (the suppliers of its learners) keep a sampling
// plan per supplier, draw samples, record an outcome for each sampled
// decision and read a report per assessor; an assessor answers the
// actions on their own decisions.

// levelFor is the level a user samples at, or the level a reader asked
// for (?level=eqa).
func levelFor(u domain.User, r *http.Request) domain.QALevel {
	if l, ok := policy.QALevelOf(u); ok {
		return l
	}
	if domain.QALevel(r.URL.Query().Get("level")) == domain.QAExternal {
		return domain.QAExternal
	}
	return domain.QAInternal
}

// awardingOrgOf limits an external sample to the organisation's learners.
func awardingOrgOf(u domain.User) string {
	if u.Role == domain.RoleAOOfficer {
		return u.Org.Name
	}
	return ""
}

type supplierRow struct {
	quality.Supplier
	Plan domain.SamplingPlan
}

type qaIndexData struct {
	Level     domain.QALevel
	CanSample bool
	Suppliers []supplierRow
	Samples   []quality.Sample
}

func (s *Handlers) Index(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	scope := policy.Quality(u)
	d := qaIndexData{Level: levelFor(u, r), CanSample: policy.CanSampleQuality(u)}
	sups, err := quality.Suppliers(ctx, s.DB.Reader(), scope)
	if err != nil {
		return err
	}
	for _, sp := range sups {
		p, err := quality.Plan(ctx, s.DB.Reader(), sp.ID, d.Level)
		if err != nil {
			return err
		}
		d.Suppliers = append(d.Suppliers, supplierRow{Supplier: sp, Plan: p})
	}
	if d.Samples, err = quality.Samples(ctx, s.DB.Reader(), scope); err != nil {
		return err
	}
	return s.Render(w, r, "qa-index", "Quality assurance", d)
}

func (s *Handlers) supplier(r *http.Request) (domain.User, quality.Supplier, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return u, quality.Supplier{}, err
	}
	sp, err := quality.SupplierIn(r.Context(), s.DB.Reader(), policy.Quality(u), id)
	return u, sp, err
}

// ---- the plan ----

type planData struct {
	Supplier quality.Supplier
	Level    domain.QALevel
	Fields   map[string]string
	page.Form
}

var planFields = []string{"learner_share", "decision_share", "new_assessor_share", "new_assessor_below"}

func planFieldsOf(p domain.SamplingPlan) map[string]string {
	return map[string]string{"learner_share": strconv.Itoa(p.LearnerShare), "decision_share": strconv.Itoa(p.DecisionShare),
		"new_assessor_share": strconv.Itoa(p.NewAssessorShare), "new_assessor_below": strconv.Itoa(p.NewAssessorBelow)}
}

func (s *Handlers) PlanForm(w http.ResponseWriter, r *http.Request) error {
	u, sp, err := s.supplier(r)
	if err != nil {
		return err
	}
	level := levelFor(u, r)
	p, err := quality.Plan(r.Context(), s.DB.Reader(), sp.ID, level)
	if err != nil {
		return err
	}
	return s.Render(w, r, "qa-plan", "Sampling plan for "+sp.Name, planData{Supplier: sp, Level: level, Fields: planFieldsOf(p)})
}

func (s *Handlers) Plan(w http.ResponseWriter, r *http.Request) error {
	u, sp, err := s.supplier(r)
	if err != nil {
		return err
	}
	level := levelFor(u, r)
	title := "Sampling plan for " + sp.Name
	d := planData{Supplier: sp, Level: level, Fields: map[string]string{}}
	nums := map[string]int{}
	for _, f := range planFields {
		v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(r.PostFormValue(f)), "%"))
		d.Fields[f] = v
		n, ok := page.ParseCount(v)
		if !ok {
			d.Fail(f, "Enter a whole number, for example 20")
			continue
		}
		nums[f] = n
	}
	if d.Valid() {
		p := domain.SamplingPlan{SupplierOrgID: sp.ID, Level: level, LearnerShare: nums["learner_share"], DecisionShare: nums["decision_share"],
			NewAssessorShare: nums["new_assessor_share"], NewAssessorBelow: nums["new_assessor_below"]}
		err = s.DB.InTx(r.Context(), func(tx *store.Tx) error { return quality.SavePlan(r.Context(), tx, domain.ActorOf(u), p) })
		if rule, ok := domain.IsRefusal(err); ok {
			d.Fail(rule.Field, rule.Msg)
		} else if err != nil {
			return err
		}
	}
	if !d.Valid() {
		d.ErrorOrder = page.OrderFields(d.ErrorOrder, planFields...)
		return s.RenderForm(w, r, "qa-plan", title, d)
	}
	s.RedirectFlash(w, r, "/quality", "Sampling plan for "+sp.Name+" saved")
	return nil
}

// ---- drawing a sample ----

func (s *Handlers) Draw(w http.ResponseWriter, r *http.Request) error {
	u, sp, err := s.supplier(r)
	if err != nil {
		return err
	}
	level := levelFor(u, r)
	var id int64
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		id, err = quality.Draw(r.Context(), tx, domain.ActorOf(u), level, sp.ID, awardingOrgOf(u), 0)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		s.RedirectFlash(w, r, "/quality", sp.Name+": "+rule.Msg)
		return nil
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/quality/samples/"+page.Itoa(id), "Sample drawn")
	return nil
}

type sampleData struct {
	Sample    quality.Sample
	Items     []domain.QAItem
	Redrawn   bool // drawing again from the seed gives the same decisions
	CanReview bool
	Viewer    int64
}

func (s *Handlers) Sample(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	scope := policy.Quality(u)
	sm, err := quality.SampleIn(ctx, s.DB.Reader(), scope, id)
	if err != nil {
		return err
	}
	d := sampleData{Sample: sm, Viewer: u.ID}
	lvl, ok := policy.QALevelOf(u)
	d.CanReview = ok && lvl == sm.Plan.Level
	if d.Items, err = quality.Items(ctx, s.DB.Reader(), scope, id); err != nil {
		return err
	}
	again, err := quality.Redraw(ctx, s.DB.Reader(), sm, awardingOrgOf(u))
	if err != nil {
		return err
	}
	d.Redrawn = len(again.Decisions) == len(d.Items) && slices.EqualFunc(again.Decisions, d.Items, func(a domain.QADecision, i domain.QAItem) bool {
		return a.ApplicationID == i.Decision.ApplicationID && a.ID == i.Decision.ID && a.Kind == i.Decision.Kind
	})
	return s.Render(w, r, "qa-sample", "Sample "+page.Itoa(id)+" of "+sm.SupplierName, d)
}

// ---- an outcome ----

type itemData struct {
	Item    domain.QAItem
	Outcome string
	Action  string
	page.Form
}

func (s *Handlers) item(r *http.Request) (domain.User, domain.QAItem, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return u, domain.QAItem{}, err
	}
	it, err := quality.ItemIn(r.Context(), s.DB.Reader(), policy.Quality(u), id)
	return u, it, err
}

func (s *Handlers) OutcomeForm(w http.ResponseWriter, r *http.Request) error {
	_, it, err := s.item(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "qa-item", "Review "+it.LearnerName+"'s decision", itemData{Item: it})
}

func (s *Handlers) Outcome(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.item(r)
	if err != nil {
		return err
	}
	title := "Review " + it.LearnerName + "'s decision"
	d := itemData{Item: it, Outcome: r.PostFormValue("outcome"), Action: strings.TrimSpace(r.PostFormValue("action"))}
	if msg := domain.TooLong("The action", d.Action, domain.MaxNoteLength); msg != "" {
		d.Fail("action", msg)
		return s.RenderForm(w, r, "qa-item", title, d)
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := quality.RecordOutcome(r.Context(), tx, domain.ActorOf(u), policy.Quality(u), it.ID, domain.QAOutcome(d.Outcome), d.Action, tx.Today())
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		d.Fail(rule.Field, rule.Msg)
		return s.RenderForm(w, r, "qa-item", title, d)
	}
	if err != nil {
		return err
	}
	msg := "Agreed with the decision on " + it.LearnerName
	if d.Outcome == string(domain.QAAction) {
		msg = "Action sent to " + it.AssessorName + ": certification of " + it.LearnerName + " waits until it is resolved"
	}
	s.RedirectFlash(w, r, "/quality/samples/"+page.Itoa(it.SampleID), msg)
	return nil
}

// ---- the assessor's actions ----

type actionsData struct {
	Open []domain.QAItem
}

func (s *Handlers) Actions(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	open, err := quality.ItemList(r.Context(), s.DB.Reader(), policy.Quality(u), quality.ItemFilter{OpenOnly: true})
	if err != nil {
		return err
	}
	return s.Render(w, r, "qa-actions", "Quality assurance actions", actionsData{Open: open})
}

type resolveData struct {
	Item domain.QAItem
	Note string
	page.Form
}

func (s *Handlers) ResolveForm(w http.ResponseWriter, r *http.Request) error {
	_, it, err := s.item(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "qa-resolve", "Resolve the action on "+it.LearnerName, resolveData{Item: it})
}

func (s *Handlers) Resolve(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.item(r)
	if err != nil {
		return err
	}
	title := "Resolve the action on " + it.LearnerName
	d := resolveData{Item: it, Note: strings.TrimSpace(r.PostFormValue("note"))}
	if msg := domain.TooLong("What you did", d.Note, domain.MaxNoteLength); msg != "" {
		d.Fail("note", msg)
		return s.RenderForm(w, r, "qa-resolve", title, d)
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := quality.ResolveAction(r.Context(), tx, domain.ActorOf(u), policy.Quality(u), it.ID, d.Note)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		d.Fail("note", rule.Msg)
		return s.RenderForm(w, r, "qa-resolve", title, d)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/quality/actions", "Action on "+it.LearnerName+"'s decision resolved")
	return nil
}

// ---- the report ----

type reportData struct {
	Supplier quality.Supplier
	Level    domain.QALevel
	Rows     []domain.QAAssessorReport
}

func (s *Handlers) Report(w http.ResponseWriter, r *http.Request) error {
	u, sp, err := s.supplier(r)
	if err != nil {
		return err
	}
	level := levelFor(u, r)
	rows, err := quality.Report(r.Context(), s.DB.Reader(), policy.Quality(u), sp.ID, level, awardingOrgOf(u), s.Today())
	if err != nil {
		return err
	}
	return s.Render(w, r, "qa-report", "Report per assessor: "+sp.Name, reportData{Supplier: sp, Level: level, Rows: rows})
}

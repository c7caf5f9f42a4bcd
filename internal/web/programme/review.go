package programme

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/web/page"
)

const progReviewPageSize = 50

type progReviewData struct {
	Page       store.AppPage
	Programme  int64
	Programmes []any
	RuleTitles map[string]string
	page.Span
	Waited map[int64]string
}

// progReview is the queue of applications the rules could not decide.
func (s *Handlers) Review(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	pageNo, err := page.Number(r)
	if err != nil {
		return err
	}
	d := progReviewData{RuleTitles: map[string]string{}}
	if p := q.Get("programme"); p != "" {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id < 1 {
			return page.ErrNotFound
		}
		d.Programme = id
	}
	ps, err := s.DB.Programmes(ctx)
	if err != nil {
		return err
	}
	d.Programmes = []any{map[string]any{"value": "", "text": "All programmes"}}
	for _, p := range ps {
		d.Programmes = append(d.Programmes, map[string]any{"value": strconv.FormatInt(p.ID, 10), "text": p.Name})
	}
	for _, k := range domain.EligibilityRules {
		d.RuleTitles[string(k.Rule)] = progRuleTitle(k.Rule)
	}
	d.Page, err = s.DB.Applications(ctx, teamScope(r), store.AppFilter{ManualReview: true, OldestFirst: true, ProgrammeID: d.Programme, Page: pageNo, PageSize: progReviewPageSize})
	if err != nil {
		return err
	}
	d.Waited = map[int64]string{}
	for _, a := range d.Page.Applications {
		d.Waited[a.ID] = page.Waited(a.AppliedOn, s.Today())
	}
	d.Span = page.SpanOf(r.URL, pageNo, progReviewPageSize, d.Page.Total, len(d.Page.Applications))
	return s.Render(w, r, "prog-review", "Applications for manual review", d)
}

type progDecideForm struct {
	App       store.Application
	RuleTitle string
	Awaiting  bool
	ShowExtra bool
	Decision  string
	Reason    string
	Extra     bool
	page.Form
}

func (s *Handlers) progLoadDecide(r *http.Request) (progDecideForm, error) {
	var f progDecideForm
	id, err := page.PathID(r, "id")
	if err != nil {
		return f, err
	}
	f.App, err = s.DB.Application(r.Context(), teamScope(r), id)
	if err != nil {
		return f, err
	}
	f.Awaiting = f.App.AwaitingReview()
	f.ShowExtra = f.App.ReasonCode == string(domain.RuleSettingPlaces) || f.App.ExtraSettingPlace
	if rule := domain.EligibilityRule(f.App.ReasonCode); rule.Valid() {
		f.RuleTitle = progRuleTitle(rule)
	}
	return f, nil
}

func (s *Handlers) DecideForm(w http.ResponseWriter, r *http.Request) error {
	f, err := s.progLoadDecide(r)
	if err != nil {
		return err
	}
	f.Extra = f.App.ExtraSettingPlace
	return s.Render(w, r, "prog-decide", "Decide on "+f.App.PractitionerName+"'s application", f)
}

func (s *Handlers) Decide(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	f, err := s.progLoadDecide(r)
	if err != nil {
		return err
	}
	title := "Decide on " + f.App.PractitionerName + "'s application"
	f.Decision, f.Reason = r.PostFormValue("decision"), strings.TrimSpace(r.PostFormValue("reason"))
	f.Extra = f.ShowExtra && r.PostFormValue("extra_place") == "yes"
	eligible := false
	switch f.Decision {
	case "eligible":
		eligible = true
	case "ineligible":
	default:
		f.Fail("decision", "Choose whether the applicant is eligible")
	}
	switch {
	case f.Reason == "":
		f.Fail("reason", "Enter the reason for your decision")
	case domain.TooLong("The reason", f.Reason, domain.MaxNoteLength) != "":
		f.Fail("reason", domain.TooLong("The reason", f.Reason, domain.MaxNoteLength))
	}
	if !f.Valid() {
		return s.RenderForm(w, r, "prog-decide", title, f)
	}
	var app store.Application
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		app, err = tx.Decide(ctx, domain.ActorOf(u), f.App, eligible, eligible && f.Extra, f.Reason)
		return err
	})
	if rule, ok := store.IsRule(err); ok {
		field := rule.Field
		if field != "reason" {
			field = "decision"
		}
		f.Fail(field, rule.Msg)
		return s.RenderForm(w, r, "prog-decide", title, f)
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%s's application is now %s", app.PractitionerName, strings.ToLower(app.Status.Label()))
	if eligible && f.Extra {
		msg += ", with an extra funded place for " + progSettingName(app)
	}
	s.RedirectFlash(w, r, "/review", msg)
	return nil
}

// progSettingName names an application's setting; childminders' names are
// withheld from the register, so fall back to the URN.
func progSettingName(app store.Application) string {
	if app.SettingName != "" {
		return app.SettingName
	}
	return "the setting with URN " + app.SettingURN
}

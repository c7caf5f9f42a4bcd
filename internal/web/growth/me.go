package growth

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/growth"
	"senco/internal/web/page"
)

type changeRow struct {
	Area                     string
	Enrolment, End, FollowUp string
	Change                   string
	Gap                      bool
}

type stepRow struct {
	Step   domain.PathwayStep
	State  map[string]any
	Months string
}

type claimRow struct {
	Claim     domain.RPLClaim
	Criterion string
	State     map[string]any
}

type meData struct {
	Ratings       []domain.ConfidenceRating
	Changes       []changeRow
	Next          domain.RatingPoint
	NextLabel     string
	Gaps          []string
	Goals         []goalRow
	CPD           []cpdRow
	CPDTotal      string
	Steps         []stepRow
	Prior         []string
	Claims        []claimRow
	Criteria      []option
	Qualification domain.Qualification
	NoChild       string
	// The forms on the page, with what was entered.
	Scores    []scoreField
	RatedOn   page.DateField
	Share     bool
	GoalAreas []option
	Goal      string
	GoalBy    page.DateField
	CPDAreas  []option
	CPDEntry  domain.CPDEntry
	CPDOn     page.DateField
	CPDHours  string
	Source    string
	Evidence  string
	page.Form
}

type scoreField struct {
	Area    domain.JobRoleArea
	Options []option
}

type goalRow struct {
	Goal domain.DevGoal
	Area string
	By   string
}

type cpdRow struct {
	Entry domain.CPDEntry
	Area  string
	Hours string
}

func areaTitle(code string) string {
	if a, ok := domain.JobRoleAreaOf(code); ok {
		return a.Title
	}
	return "None in particular"
}

func scoreText(n int) string {
	if n == 0 {
		return "Not rated"
	}
	return strconv.Itoa(n)
}

// l3 is the newest version of the Level 3 SENCO qualification, which prior
// learning is claimed against.
func l3(ctx context.Context, db *store.DB) (domain.Qualification, error) {
	qs, err := db.Qualifications(ctx)
	if err != nil {
		return domain.Qualification{}, err
	}
	var best domain.Qualification
	for _, q := range qs {
		if q.Level == 3 && q.Version > best.Version {
			best = q
		}
	}
	if best.ID == 0 {
		return best, nil
	}
	return db.Qualification(ctx, best.ID)
}

func (s *Handlers) loadMe(r *http.Request) (meData, error) {
	ctx := r.Context()
	u, _ := page.CurrentUser(r)
	scope := policy.Confidence(u)
	d := meData{NoChild: domain.NoChildText, RatedOn: page.DateFieldOf(s.Today()), CPDOn: page.DateFieldOf(s.Today()),
		GoalAreas: areaOptions("", false), CPDAreas: areaOptions("", true)}
	var err error
	if d.Ratings, err = growth.Ratings(ctx, s.DB.Reader(), scope, growth.RatingFilter{}); err != nil {
		return d, err
	}
	rated := map[domain.RatingPoint]bool{}
	for _, rt := range d.Ratings {
		rated[rt.Point] = true
	}
	for _, p := range domain.RatingPoints {
		if !rated[p] {
			d.Next, d.NextLabel = p, strings.ToLower(p.Label())
			break
		}
	}
	for _, c := range domain.ConfidenceChange(d.Ratings) {
		row := changeRow{Area: c.Area.Title, Enrolment: scoreText(c.Enrolment), End: scoreText(c.End), FollowUp: scoreText(c.FollowUp), Gap: c.Gap}
		if c.Enrolment != 0 && (c.End != 0 || c.FollowUp != 0) {
			row.Change = signed(float64(c.Change))
		}
		if c.Gap {
			d.Gaps = append(d.Gaps, c.Area.Title)
		}
		d.Changes = append(d.Changes, row)
	}
	for _, a := range domain.JobRoleAreas {
		d.Scores = append(d.Scores, scoreField{Area: a, Options: scoreOptions(0)})
	}
	goals, err := growth.Goals(ctx, s.DB.Reader(), scope)
	if err != nil {
		return d, err
	}
	for _, g := range goals {
		d.Goals = append(d.Goals, goalRow{Goal: g, Area: areaTitle(g.AreaCode), By: g.ByOn.Long()})
	}
	cpd, err := growth.CPD(ctx, s.DB.Reader(), scope)
	if err != nil {
		return d, err
	}
	total := 0
	for _, e := range cpd {
		total += e.Minutes
		d.CPD = append(d.CPD, cpdRow{Entry: e, Area: areaTitle(e.AreaCode), Hours: page.Hours(e.Minutes)})
	}
	d.CPDTotal = page.Hours(total)

	p, err := s.DB.Practitioner(ctx, policy.People(u), u.PractitionerID)
	if err != nil {
		return d, err
	}
	rec, err := growth.PathwayRecord(ctx, s.DB.Reader(), p.Practitioner)
	if err != nil {
		return d, err
	}
	d.Prior = rec.Prior
	for _, st := range domain.Pathway(s.Pathway, rec) {
		colour := map[domain.StepState]string{domain.StepHeld: "govuk-tag--green", domain.StepInTraining: "govuk-tag--blue", domain.StepOpen: "govuk-tag--turquoise", domain.StepNotYet: "govuk-tag--grey"}[st.State]
		months := page.Count(st.Months[0]) + " months"
		if st.Months[1] != st.Months[0] {
			months = page.Count(st.Months[0]) + " to " + page.Count(st.Months[1]) + " months"
		}
		d.Steps = append(d.Steps, stepRow{Step: st, State: map[string]any{"text": st.State.Label(), "classes": colour}, Months: months + ", part time"})
	}
	if d.Qualification, err = l3(ctx, s.DB); err != nil {
		return d, err
	}
	crit := domain.CriterionRefs(d.Qualification)
	refs := make([]string, 0, len(crit))
	for ref := range crit {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		d.Criteria = append(d.Criteria, option{Value: ref, Text: ref + ": " + crit[ref]})
	}
	claims, err := growth.RPLClaims(ctx, s.DB.Reader(), policy.PriorLearning(u))
	if err != nil {
		return d, err
	}
	d.Claims = claimRows(claims, crit)
	return d, nil
}

func claimRows(claims []domain.RPLClaim, crit map[string]string) []claimRow {
	var out []claimRow
	for _, c := range claims {
		colour := map[domain.RPLState]string{domain.RPLApproved: "govuk-tag--green", domain.RPLRefused: "govuk-tag--red", domain.RPLClaimed: "govuk-tag--blue"}[c.State]
		out = append(out, claimRow{Claim: c, Criterion: crit[c.CriterionRef], State: map[string]any{"text": c.State.Label(), "classes": colour}})
	}
	return out
}

// Me is the practitioner's own growth: confidence at each point and its
// change, development plan, CPD log, pathway and prior learning.
func (s *Handlers) Me(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadMe(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "growth-me", "Your growth as a SENCO", d)
}

func (s *Handlers) meFail(w http.ResponseWriter, r *http.Request, d meData, rule *domain.Refusal, dateField string) error {
	field := rule.Field
	if field == dateField[:len(dateField)-4] {
		field = dateField
	}
	d.Fail(field, rule.Msg)
	return s.RenderForm(w, r, "growth-me", "Your growth as a SENCO", d)
}

// Rate records the practitioner's confidence at the next point.
func (s *Handlers) Rate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadMe(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	scores := map[string]int{}
	for i, a := range domain.JobRoleAreas {
		n, _ := strconv.Atoi(r.PostFormValue("score-" + a.Code))
		scores[a.Code] = n
		d.Scores[i].Options = scoreOptions(n)
	}
	d.RatedOn, d.Share = page.ReadDate(r, "rated_on"), r.PostFormValue("share") == "yes"
	on := d.ParseDate(d.RatedOn, "rated_on-day", "the date of your rating")
	if !d.Valid() {
		return s.RenderForm(w, r, "growth-me", "Your growth as a SENCO", d)
	}
	point := domain.RatingPoint(r.PostFormValue("point"))
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := growth.Rate(r.Context(), tx, domain.ActorOf(u), policy.Confidence(u), point, on, scores, d.Share)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		return s.meFail(w, r, d, rule, "rated_on-day")
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/growth/me#confidence", "Your confidence "+point.Label()+" is recorded")
	return nil
}

// GoalCreate adds a goal to the development plan.
func (s *Handlers) GoalCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadMe(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	area := r.PostFormValue("area")
	d.GoalAreas, d.Goal, d.GoalBy = areaOptions(area, false), r.PostFormValue("goal"), page.ReadDate(r, "by_on")
	by := d.ParseDate(d.GoalBy, "by_on-day", "the date you aim to reach it by")
	if !d.Valid() {
		return s.RenderForm(w, r, "growth-me", "Your growth as a SENCO", d)
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := growth.AddGoal(r.Context(), tx, domain.ActorOf(u), policy.Confidence(u), area, d.Goal, by)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		return s.meFail(w, r, d, rule, "by_on-day")
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/growth/me#plan", "Goal added to your development plan")
	return nil
}

// CPDCreate logs CPD.
func (s *Handlers) CPDCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadMe(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	e := domain.CPDEntry{Title: r.PostFormValue("title"), AreaCode: r.PostFormValue("cpd_area"), Evidence: r.PostFormValue("cpd_evidence")}
	d.CPDEntry, d.CPDAreas, d.CPDOn, d.CPDHours = e, areaOptions(e.AreaCode, true), page.ReadDate(r, "done_on"), r.PostFormValue("hours")
	e.DoneOn = d.ParseDate(d.CPDOn, "done_on-day", "the date of the CPD")
	var ok bool
	if e.Minutes, ok = hoursToMinutes(d.CPDHours); !ok {
		d.Fail("hours", "Enter the hours as a number in quarter hours, like 1.5 or 0.25")
	}
	if !d.Valid() {
		return s.RenderForm(w, r, "growth-me", "Your growth as a SENCO", d)
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := growth.LogCPD(r.Context(), tx, domain.ActorOf(u), policy.Confidence(u), e)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		if rule.Field == "evidence" {
			rule = &domain.Refusal{Field: "cpd_evidence", Msg: rule.Msg}
		}
		if rule.Field == "area" {
			rule = &domain.Refusal{Field: "cpd_area", Msg: rule.Msg}
		}
		return s.meFail(w, r, d, rule, "done_on-day")
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/growth/me#cpd", "CPD logged")
	return nil
}

// ClaimCreate claims prior learning against one criterion.
func (s *Handlers) ClaimCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadMe(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	crit := r.PostFormValue("criterion")
	d.Source, d.Evidence = r.PostFormValue("source"), r.PostFormValue("evidence")
	for i := range d.Criteria {
		d.Criteria[i].Checked = d.Criteria[i].Value == crit
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := growth.ClaimRPL(r.Context(), tx, domain.ActorOf(u), policy.PriorLearning(u), d.Qualification, crit, d.Source, d.Evidence)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		return s.meFail(w, r, d, rule, "none-day")
	}
	if errors.Is(err, store.ErrConflict) {
		d.Fail("criterion", "This criterion was claimed meanwhile")
		return s.RenderForm(w, r, "growth-me", "Your growth as a SENCO", d)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/growth/me#prior", "Your claim is with an assessor")
	return nil
}

type assessData struct {
	Claims []claimRow
}

// PriorLearning is an assessor's list of claims of the learners they
// assess, those awaiting a decision first.
func (s *Handlers) PriorLearning(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	claims, err := growth.RPLClaims(r.Context(), s.DB.Reader(), policy.PriorLearning(u))
	if err != nil {
		return err
	}
	q, err := l3(r.Context(), s.DB)
	if err != nil {
		return err
	}
	return s.Render(w, r, "growth-prior-learning", "Prior learning to decide", assessData{Claims: claimRows(claims, domain.CriterionRefs(q))})
}

// Decide approves or refuses one claim.
func (s *Handlers) Decide(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return page.ErrNotFound
	}
	approve := r.PostFormValue("decision") == "approve"
	var c domain.RPLClaim
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		c, err = growth.DecideRPL(r.Context(), tx, domain.ActorOf(u), policy.PriorLearning(u), id, approve, r.PostFormValue("reason"))
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return page.ErrNotFound
	}
	if rule, ok := domain.IsRefusal(err); ok {
		s.RedirectFlash(w, r, "/growth/prior-learning", "Not decided: "+rule.Msg)
		return nil
	}
	if errors.Is(err, store.ErrConflict) {
		s.RedirectFlash(w, r, "/growth/prior-learning", "Not decided: the claim was decided meanwhile")
		return nil
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/growth/prior-learning", c.PractitionerName+"'s claim against "+c.CriterionRef+" is "+c.State.Label())
	return nil
}

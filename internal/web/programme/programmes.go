// Package programme serves the programme team's pages: programmes and
// their eligibility rules, suppliers and their contracts, the manual review
// queue and the qualifications catalogue.
package programme

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/web/page"
)

// Handlers are the pages of this area; each method is one route's handler.
// A page for one kind of user is admitted by the policy decision its line in
// internal/web/routes.go names; the handler checks the record in hand.
type Handlers struct {
	*page.Site
}

// progPhase is where a programme's applications window is on a date.
func progPhase(p domain.Programme, d domain.Date) (text, colour string) {
	switch {
	case p.Open(d):
		return "Open", "green"
	case !p.OpensOn.IsZero() && d.Before(p.OpensOn):
		return "Not open yet", "blue"
	}
	return "Closed", "grey"
}

func progQualName(q domain.Qualification) string {
	return fmt.Sprintf("%s version %d: %s", q.Code, q.Version, q.Title)
}

// ---- list

type progListRow struct {
	Programme     domain.Programme
	Qualification string
	QualID        int64
	Applications  string
	Training      string
	Target        string
	Tag, Colour   string
}

type progListData struct {
	Rows []progListRow
}

func (s *Handlers) List(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ps, err := s.DB.Programmes(ctx)
	if err != nil {
		return err
	}
	quals, err := s.progQualsByID(r)
	if err != nil {
		return err
	}
	today := s.Today()
	d := progListData{}
	for _, p := range ps {
		row := progListRow{Programme: p, QualID: p.QualificationID, Applications: page.DateRange(p.OpensOn, p.ClosesOn),
			Training: page.DateRange(p.StartsOn, p.EndsOn), Target: page.Count(p.TargetCompletions)}
		if q, ok := quals[p.QualificationID]; ok {
			row.Qualification = fmt.Sprintf("%s version %d", q.Code, q.Version)
		}
		row.Tag, row.Colour = progPhase(p, today)
		d.Rows = append(d.Rows, row)
	}
	return s.Render(w, r, "prog-list", "Programmes", d)
}

func (s *Handlers) progQualsByID(r *http.Request) (map[int64]domain.Qualification, error) {
	qs, err := s.DB.Qualifications(r.Context())
	if err != nil {
		return nil, err
	}
	out := make(map[int64]domain.Qualification, len(qs))
	for _, q := range qs {
		out[q.ID] = q
	}
	return out, nil
}

// ---- areas: regions and local authorities as checkboxes

// progLAGroup is one region's live local authorities, as checkboxes.
type progLAGroup struct {
	RegionCode string
	RegionName string
	IDPrefix   string
	Items      []any
	Checked    int
}

type progAreas struct {
	las     []domain.LocalAuthority // live, by name
	byCode  map[string]domain.LocalAuthority
	regions []progRegion // by name
}

type progRegion struct{ Code, Name string }

// progLoadAreas loads every local authority; live ones are offered in
// forms, ended ones still resolve names.
func (s *Handlers) progLoadAreas(r *http.Request) (progAreas, error) {
	all, err := s.DB.AllLocalAuthorities(r.Context())
	if err != nil {
		return progAreas{}, err
	}
	a := progAreas{byCode: map[string]domain.LocalAuthority{}}
	seen := map[string]bool{}
	for _, la := range all {
		a.byCode[la.Code] = la
		if !la.EndedOn.IsZero() {
			continue
		}
		a.las = append(a.las, la)
		if la.RegionCode != "" && !seen[la.RegionCode] {
			seen[la.RegionCode] = true
			a.regions = append(a.regions, progRegion{la.RegionCode, la.RegionName})
		}
	}
	sort.Slice(a.regions, func(i, j int) bool { return a.regions[i].Name < a.regions[j].Name })
	return a, nil
}

func (a progAreas) regionName(code string) string {
	for _, r := range a.regions {
		if r.Code == code {
			return r.Name
		}
	}
	for _, la := range a.byCode {
		if la.RegionCode == code && la.RegionName != "" {
			return la.RegionName
		}
	}
	return code
}

func (a progAreas) laName(code string) string {
	if la, ok := a.byCode[code]; ok {
		return la.Name
	}
	return code
}

func (a progAreas) regionItems(checked []string) []any {
	items := make([]any, 0, len(a.regions))
	for _, r := range a.regions {
		items = append(items, map[string]any{"value": r.Code, "text": r.Name, "checked": slices.Contains(checked, r.Code)})
	}
	return items
}

func (a progAreas) laGroups(prefix string, checked []string) []progLAGroup {
	var out []progLAGroup
	for _, rg := range a.regions {
		g := progLAGroup{RegionCode: rg.Code, RegionName: rg.Name, IDPrefix: prefix + "-" + strings.ToLower(rg.Code)}
		for _, la := range a.las {
			if la.RegionCode != rg.Code {
				continue
			}
			on := slices.Contains(checked, la.Code)
			if on {
				g.Checked++
			}
			g.Items = append(g.Items, map[string]any{"value": la.Code, "text": la.Name, "checked": on})
		}
		out = append(out, g)
	}
	return out
}

// validRegions and validLAs keep only known, live codes; ok is false when
// any was not.
func (a progAreas) validRegions(codes []string) ([]string, bool) {
	var out []string
	ok := true
	for _, c := range codes {
		if slices.ContainsFunc(a.regions, func(r progRegion) bool { return r.Code == c }) {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		} else {
			ok = false
		}
	}
	return out, ok
}

func (a progAreas) validLAs(codes []string) ([]string, bool) {
	var out []string
	ok := true
	for _, c := range codes {
		if la, found := a.byCode[c]; found && la.EndedOn.IsZero() {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		} else {
			ok = false
		}
	}
	return out, ok
}

// ---- programme form

type progForm struct {
	ID                  int64
	Heading             string
	Name                string
	Qualification       string
	Opens               page.DateField
	Closes              page.DateField
	Starts              page.DateField
	Ends                page.DateField
	Target              string
	Eligibility         []string
	AllowWorkingTowards string
	PlacesPerSetting    string
	AttendanceThreshold string
	PriorityRegions     []string
	PriorityLAs         []string
	UpdatedAt           string
	QualItems           []any
	RuleItems           []any
	RegionItems         []any
	LAGroups            []progLAGroup
	page.Form
}

var progFormOrder = []string{"name", "qualification", "opens-day", "closes-day", "starts-day", "ends-day", "target", "eligibility",
	"allow_working_towards", "places_per_setting", "attendance_threshold", "priority_regions", "priority_las"}

func progFormOf(p domain.Programme) progForm {
	f := progForm{ID: p.ID, Name: p.Name, Opens: page.DateFieldOf(p.OpensOn), Closes: page.DateFieldOf(p.ClosesOn), Starts: page.DateFieldOf(p.StartsOn),
		Ends: page.DateFieldOf(p.EndsOn), Target: strconv.Itoa(p.TargetCompletions), AllowWorkingTowards: "no",
		PlacesPerSetting: strconv.Itoa(p.Rules.PlacesPerSetting), AttendanceThreshold: page.PercentInput(p.Rules.AttendanceThreshold),
		PriorityRegions: p.Rules.PriorityRegions, PriorityLAs: p.Rules.PriorityLAs}
	if p.QualificationID != 0 {
		f.Qualification = strconv.FormatInt(p.QualificationID, 10)
	}
	for _, rule := range p.Rules.Eligibility {
		f.Eligibility = append(f.Eligibility, string(rule))
	}
	if p.Rules.AllowWorkingTowards {
		f.AllowWorkingTowards = "yes"
	}
	if !p.UpdatedAt.IsZero() {
		f.UpdatedAt = p.UpdatedAt.UTC().Format(time.RFC3339Nano)
	}
	return f
}

func (s *Handlers) progFillForm(r *http.Request, f *progForm) error {
	qs, err := s.DB.Qualifications(r.Context())
	if err != nil {
		return err
	}
	f.QualItems = []any{map[string]any{"value": "", "text": "Choose a qualification"}}
	for _, q := range qs {
		f.QualItems = append(f.QualItems, map[string]any{"value": strconv.FormatInt(q.ID, 10), "text": progQualName(q)})
	}
	f.RuleItems = nil
	for _, rule := range domain.EligibilityRules {
		f.RuleItems = append(f.RuleItems, map[string]any{"value": string(rule.Rule), "text": progRuleTitle(rule.Rule), "hint": rule.Text})
	}
	areas, err := s.progLoadAreas(r)
	if err != nil {
		return err
	}
	f.RegionItems = areas.regionItems(f.PriorityRegions)
	f.LAGroups = areas.laGroups("priority-las", f.PriorityLAs)
	return nil
}

// progRuleTitle is a short name for an eligibility rule; its full meaning
// is domain.EligibilityRules' text.
func progRuleTitle(rule domain.EligibilityRule) string {
	switch rule {
	case domain.RuleProgrammeOpen:
		return "Programme open"
	case domain.RuleSettingOnEYR:
		return "Setting active on the Early Years Register"
	case domain.RuleSettingType:
		return "Eligible type of setting"
	case domain.RuleInEngland:
		return "Setting in England"
	case domain.RuleLevel3:
		return "Level 3 early years qualification"
	case domain.RuleNotAlreadyFunded:
		return "Not already funded or qualified"
	case domain.RuleSettingPlaces:
		return "Setting's funded places not used up"
	}
	return string(rule)
}

func progRuleText(rule domain.EligibilityRule) string {
	for _, k := range domain.EligibilityRules {
		if k.Rule == rule {
			return k.Text
		}
	}
	return string(rule)
}

// progRead reads and checks the programme form into p (which carries the
// id and the stored rules' order when editing).
func (s *Handlers) progRead(r *http.Request, p domain.Programme) (domain.Programme, progForm, error) {
	if err := r.ParseForm(); err != nil {
		return p, progForm{}, page.ErrNotFound
	}
	pf := r.PostForm
	f := progForm{ID: p.ID, Name: strings.TrimSpace(pf.Get("name")), Qualification: pf.Get("qualification"),
		Opens: page.ReadDate(r, "opens"), Closes: page.ReadDate(r, "closes"), Starts: page.ReadDate(r, "starts"), Ends: page.ReadDate(r, "ends"),
		Target: strings.TrimSpace(pf.Get("target")), Eligibility: pf["eligibility"], AllowWorkingTowards: pf.Get("allow_working_towards"),
		PlacesPerSetting: strings.TrimSpace(pf.Get("places_per_setting")), AttendanceThreshold: strings.TrimSpace(pf.Get("attendance_threshold")),
		PriorityRegions: pf["priority_regions"], PriorityLAs: pf["priority_las"], UpdatedAt: pf.Get("updated_at")}
	if err := s.progFillForm(r, &f); err != nil {
		return p, f, err
	}
	p.Name = f.Name
	if msg := domain.TooLong("The programme's name", p.Name, domain.MaxTitleLength); msg != "" {
		f.Fail("name", msg)
	}
	quals, err := s.progQualsByID(r)
	if err != nil {
		return p, f, err
	}
	p.QualificationID = 0
	if id, err := strconv.ParseInt(f.Qualification, 10, 64); err == nil {
		if _, ok := quals[id]; ok {
			p.QualificationID = id
		}
	}
	// Dates: the opening date is required, the others optional.
	var msg string
	if p.OpensOn, msg = f.Opens.Parse("the date applications open"); msg != "" {
		f.Fail("opens-day", msg)
	}
	for _, d := range []struct {
		field *page.DateField
		into  *domain.Date
		id    string
		what  string
	}{
		{&f.Closes, &p.ClosesOn, "closes-day", "the date applications close"},
		{&f.Starts, &p.StartsOn, "starts-day", "the date training starts"},
		{&f.Ends, &p.EndsOn, "ends-day", "the date training ends"},
	} {
		*d.into = domain.Date{}
		if !d.field.Empty() {
			if *d.into, msg = d.field.Parse(d.what); msg != "" {
				f.Fail(d.id, msg)
			}
		}
	}
	if f.Target == "" {
		f.Fail("target", "Enter the target number of completions")
	} else if n, ok := page.ParseCount(f.Target); ok {
		p.TargetCompletions = n
	} else {
		f.Fail("target", "The target must be a whole number, for example 5000")
	}
	// Eligibility rules: keep the programme's order for rules still chosen,
	// then add newly chosen ones in the catalogue's order.
	chosen := map[domain.EligibilityRule]bool{}
	for _, v := range f.Eligibility {
		rule := domain.EligibilityRule(v)
		if !rule.Valid() {
			f.Fail("eligibility", "Choose eligibility rules from the list")
			continue
		}
		chosen[rule] = true
	}
	var rules []domain.EligibilityRule
	for _, rule := range p.Rules.Eligibility {
		if chosen[rule] && !slices.Contains(rules, rule) {
			rules = append(rules, rule)
		}
	}
	for _, k := range domain.EligibilityRules {
		if chosen[k.Rule] && !slices.Contains(rules, k.Rule) {
			rules = append(rules, k.Rule)
		}
	}
	p.Rules.Eligibility = rules
	if len(rules) == 0 {
		f.Fail("eligibility", "Choose the rules applications are checked against")
	}
	switch f.AllowWorkingTowards {
	case "yes":
		p.Rules.AllowWorkingTowards = true
	case "no":
		p.Rules.AllowWorkingTowards = false
	default:
		f.Fail("allow_working_towards", "Choose whether practitioners working towards Level 3 may apply")
	}
	if f.PlacesPerSetting == "" {
		f.Fail("places_per_setting", "Enter the number of funded places each setting may take, or 0 for no limit")
	} else if n, ok := page.ParseCount(f.PlacesPerSetting); ok {
		p.Rules.PlacesPerSetting = n
	} else {
		f.Fail("places_per_setting", "Places per setting must be a whole number, 0 or more")
	}
	if f.AttendanceThreshold == "" {
		f.Fail("attendance_threshold", "Enter the attendance threshold as a percentage, for example 80")
	} else if pct, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(f.AttendanceThreshold), "%"), 64); err != nil || math.IsNaN(pct) {
		f.Fail("attendance_threshold", "The attendance threshold must be a number, for example 80")
	} else {
		p.Rules.AttendanceThreshold = math.Round(pct*10) / 1000
	}
	areas, err := s.progLoadAreas(r)
	if err != nil {
		return p, f, err
	}
	var ok bool
	if p.Rules.PriorityRegions, ok = areas.validRegions(f.PriorityRegions); !ok {
		f.Fail("priority_regions", "Choose priority regions from the list")
	}
	if p.Rules.PriorityLAs, ok = areas.validLAs(f.PriorityLAs); !ok {
		f.Fail("priority_las", "Choose priority local authorities from the list")
	}
	idOf := map[string]string{"opens": "opens-day", "closes": "closes-day", "ends": "ends-day"}
	for field, m := range p.Validate() {
		if id, ok := idOf[field]; ok {
			field = id
		}
		f.Fail(field, m)
	}
	f.ErrorOrder = page.OrderFields(f.ErrorOrder, progFormOrder...)
	return p, f, nil
}

// progSave saves a checked programme, turning a duplicate name into a form
// error. ok is false when the form must be shown again.
func (s *Handlers) progSave(r *http.Request, u domain.User, p domain.Programme, f *progForm) (domain.Programme, bool, error) {
	ctx := r.Context()
	all, err := s.DB.Programmes(ctx)
	if err != nil {
		return p, false, err
	}
	for _, other := range all {
		if other.ID != p.ID && strings.EqualFold(other.Name, p.Name) {
			f.Fail("name", "A programme called "+other.Name+" already exists")
			return p, false, nil
		}
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		p, err = tx.SaveProgramme(ctx, domain.ActorOf(u), p)
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		f.Fail("name", "A programme called "+p.Name+" already exists")
		return p, false, nil
	}
	if rule, ok := store.IsRule(err); ok {
		f.Fail(rule.Field, rule.Msg)
		return p, false, nil
	}
	return p, err == nil, err
}

func (s *Handlers) New(w http.ResponseWriter, r *http.Request) error {
	f := progFormOf(domain.Programme{Rules: domain.DefaultRules()})
	f.Target, f.Heading = "", "Create a programme"
	if err := s.progFillForm(r, &f); err != nil {
		return err
	}
	return s.Render(w, r, "prog-form", "Create a programme", f)
}

func (s *Handlers) Create(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	p, f, err := s.progRead(r, domain.Programme{})
	if err != nil {
		return err
	}
	f.Heading = "Create a programme"
	if !f.Valid() {
		return s.RenderForm(w, r, "prog-form", "Create a programme", f)
	}
	p, ok, err := s.progSave(r, u, p, &f)
	if err != nil {
		return err
	}
	if !ok {
		return s.RenderForm(w, r, "prog-form", "Create a programme", f)
	}
	s.RedirectFlash(w, r, fmt.Sprintf("/programmes/%d", p.ID), p.Name+" created")
	return nil
}

func (s *Handlers) progLoad(r *http.Request) (domain.Programme, error) {
	id, err := page.PathID(r, "id")
	if err != nil {
		return domain.Programme{}, err
	}
	return s.DB.Programme(r.Context(), id)
}

func (s *Handlers) Edit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.progLoad(r)
	if err != nil {
		return err
	}
	f := progFormOf(p)
	f.Heading = "Change " + p.Name
	if err := s.progFillForm(r, &f); err != nil {
		return err
	}
	return s.Render(w, r, "prog-form", f.Heading, f)
}

func (s *Handlers) Update(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	before, err := s.progLoad(r)
	if err != nil {
		return err
	}
	title := "Change " + before.Name
	p, f, err := s.progRead(r, before)
	if err != nil {
		return err
	}
	f.Heading = title
	current := before.UpdatedAt.UTC().Format(time.RFC3339Nano)
	if f.UpdatedAt != current {
		// Someone saved the programme after this form was opened: show the
		// form again, so the second save is a choice, not an accident.
		f.UpdatedAt = current
		f.Fail("name", "Someone else changed this programme after you opened this page. Check your changes against the programme's page and save again")
	}
	if !f.Valid() {
		return s.RenderForm(w, r, "prog-form", title, f)
	}
	p, ok, err := s.progSave(r, u, p, &f)
	if err != nil {
		return err
	}
	if !ok {
		return s.RenderForm(w, r, "prog-form", title, f)
	}
	s.RedirectFlash(w, r, fmt.Sprintf("/programmes/%d", p.ID), p.Name+" saved")
	return nil
}

// ---- programme page

type progShowData struct {
	Programme     domain.Programme
	Qualification domain.Qualification
	Tag, Colour   string
	Applications  string
	Training      string
	Target        string
	Rules         []map[string]string
	Threshold     string
	Regions       []string
	LAs           []string
	Contracts     []progContractRow
	ManualReview  int
}

func (s *Handlers) Show(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.progLoad(r)
	if err != nil {
		return err
	}
	d := progShowData{Programme: p, Applications: page.DateRange(p.OpensOn, p.ClosesOn), Training: page.DateRange(p.StartsOn, p.EndsOn),
		Target: page.Count(p.TargetCompletions), Threshold: page.Rate(p.Rules.AttendanceThreshold)}
	d.Tag, d.Colour = progPhase(p, s.Today())
	if d.Qualification, err = s.DB.Qualification(ctx, p.QualificationID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for i, rule := range p.Rules.Eligibility {
		d.Rules = append(d.Rules, map[string]string{"n": strconv.Itoa(i + 1), "title": progRuleTitle(rule), "text": progRuleText(rule)})
	}
	areas, err := s.progLoadAreas(r)
	if err != nil {
		return err
	}
	for _, c := range p.Rules.PriorityRegions {
		d.Regions = append(d.Regions, areas.regionName(c))
	}
	for _, c := range p.Rules.PriorityLAs {
		d.LAs = append(d.LAs, areas.laName(c))
	}
	contracts, err := s.DB.Contracts(ctx, teamScope(r), true)
	if err != nil {
		return err
	}
	for _, c := range contracts {
		if c.ProgrammeID == p.ID {
			d.Contracts = append(d.Contracts, progContractRowOf(c, areas))
		}
	}
	review, err := s.DB.Applications(ctx, teamScope(r), store.AppFilter{ProgrammeID: p.ID, ManualReview: true, PageSize: 1})
	if err != nil {
		return err
	}
	d.ManualReview = review.Total
	return s.Render(w, r, "prog-show", p.Name, d)
}

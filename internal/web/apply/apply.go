package apply

import (
	"errors"
	"net/http"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/web/page"
)

// The practitioner's application, one question per page (GOV.UK question
// pages): programme, setting, role, qualification, check your answers,
// confirmation. Each answer is saved in the practitioner's draft as they
// go, so the back link, the browser's back button and the "Change" links of
// check your answers all work without JavaScript.

// appQualAnswer is one answer to "What is your highest full and relevant early
// years qualification?".
type appQualAnswer struct {
	Code    string
	Text    string
	Towards bool
}

var appQualAnswers = []appQualAnswer{
	{Code: "level2", Text: "Level 2 or below"},
	{Code: "level3", Text: "Level 3"},
	{Code: "level4_5", Text: "Level 4 or 5"},
	{Code: "level6", Text: "Level 6 or above"},
	{Code: "towards", Text: "I am working towards a Level 3", Towards: true},
	{Code: "unsure", Text: "I am not sure"},
}

func appQualificationText(code string) string {
	for _, q := range appQualAnswers {
		if q.Code == code {
			return q.Text
		}
	}
	return ""
}

func appValidQualification(code string) bool { return appQualificationText(code) != "" }

// applyRecordedLevel is the level to record for an answer, given the level on
// record: a band answer keeps a recorded level inside the band (Level 5
// stays 5 for "Level 4 or 5"). ok is false when the answer gives no level
// (working towards, not sure), and the record is left as it is.
func applyRecordedLevel(code string, current int) (level int, ok bool) {
	switch code {
	case "level2":
		return 2, true
	case "level3":
		return 3, true
	case "level4_5":
		if current == 4 || current == 5 {
			return current, true
		}
		return 4, true
	case "level6":
		if current >= 6 {
			return current, true
		}
		return 6, true
	}
	return current, false
}

// The journey's steps in order.
const (
	applyStepProgramme = iota
	applyStepSetting
	applyStepRole
	applyStepQualification
	applyStepCheck
)

var applySteps = []string{"/apply/programme", "/apply/setting", "/apply/role", "/apply/qualification", "/apply/check"}

// applyFirstMissing is the first step the draft has no answer for.
func applyFirstMissing(d store.ApplicationDraft) int {
	switch {
	case d.ProgrammeID == 0:
		return applyStepProgramme
	case d.SettingURN == "":
		return applyStepSetting
	case d.Role == "":
		return applyStepRole
	case d.Qualification == "":
		return applyStepQualification
	}
	return applyStepCheck
}

// applyAfterAnswer is where to go once step is answered: the next page, or back
// to check your answers when changing an answer (unless a later answer is
// now missing).
func applyAfterAnswer(d store.ApplicationDraft, step int, change bool) string {
	missing := applyFirstMissing(d)
	switch {
	case change && missing == applyStepCheck:
		return applySteps[applyStepCheck]
	case change:
		return applySteps[missing] + "?change=1"
	case missing <= step:
		return applySteps[missing]
	}
	return applySteps[step+1]
}

// applyState is what every page of the journey starts from.
type applyState struct {
	User   domain.User
	Draft  store.ApplicationDraft
	Change bool
}

// applyLoad checks the user may apply and loads their draft. A page whose
// earlier answers are missing sends them to the first missing one.
func (s *Handlers) applyLoad(w http.ResponseWriter, r *http.Request, step int) (applyState, bool, error) {
	u, _ := page.CurrentUser(r)
	if !policy.CanApply(u) {
		return applyState{}, false, page.ErrForbidden
	}
	d, err := s.DB.ApplicationDraft(r.Context(), u.ID)
	if err != nil {
		return applyState{}, false, err
	}
	st := applyState{User: u, Draft: d, Change: r.FormValue("change") == "1"}
	if missing := applyFirstMissing(d); missing < step {
		http.Redirect(w, r, applySteps[missing], http.StatusSeeOther)
		return st, false, nil
	}
	return st, true, nil
}

func (s *Handlers) applySaveDraft(r *http.Request, d store.ApplicationDraft) error {
	return s.DB.InTx(r.Context(), func(tx *store.Tx) error { return tx.SaveApplicationDraft(r.Context(), d) })
}

// applyBack is the back link of a step: the step before, or check your answers
// when changing an answer.
func applyBack(step int, change bool) string {
	if change {
		return applySteps[applyStepCheck]
	}
	if step == applyStepProgramme {
		return "/apply"
	}
	return applySteps[step-1]
}

// appOpenProgrammes are the programmes taking applications today.
func (s *Handlers) appOpenProgrammes(r *http.Request) ([]domain.Programme, error) {
	all, err := s.DB.Programmes(r.Context())
	if err != nil {
		return nil, err
	}
	today := s.Today()
	var open []domain.Programme
	for _, p := range all {
		if p.Open(today) {
			open = append(open, p)
		}
	}
	return open, nil
}

// ---- start ----

type applyStartData struct {
	Programmes []domain.Programme
	Existing   []store.Application
	InProgress bool
}

func (s *Handlers) Start(w http.ResponseWriter, r *http.Request) error {
	st, _, err := s.applyLoad(w, r, applyStepProgramme)
	if err != nil {
		return err
	}
	d := applyStartData{InProgress: st.Draft.ProgrammeID != 0}
	if d.Programmes, err = s.appOpenProgrammes(r); err != nil {
		return err
	}
	list, err := s.DB.Applications(r.Context(), policy.Delivery(st.User), store.AppFilter{PageSize: 100})
	if err != nil {
		return err
	}
	d.Existing = list.Applications
	return s.Render(w, r, "app-start", "Apply for Early Years SENCO training", d)
}

// ---- programme ----

type applyProgrammeData struct {
	Items  []any
	Value  string
	Change bool
	Back   string
	None   bool
	page.Form
}

func (s *Handlers) appProgrammeItems(r *http.Request) ([]any, []domain.Programme, error) {
	open, err := s.appOpenProgrammes(r)
	if err != nil {
		return nil, nil, err
	}
	var items []any
	for _, p := range open {
		hint := "Applications open until " + p.ClosesOn.Long()
		if p.ClosesOn.IsZero() {
			hint = "Applications open"
		}
		if !p.StartsOn.IsZero() {
			hint += ". Training from " + p.StartsOn.Long()
		}
		items = append(items, map[string]any{"value": page.Itoa(p.ID), "text": p.Name, "hint": hint})
	}
	return items, open, nil
}

func (s *Handlers) ProgrammeForm(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepProgramme)
	if err != nil || !ok {
		return err
	}
	d := applyProgrammeData{Change: st.Change, Back: applyBack(applyStepProgramme, st.Change)}
	if d.Items, _, err = s.appProgrammeItems(r); err != nil {
		return err
	}
	d.None = len(d.Items) == 0
	if st.Draft.ProgrammeID != 0 {
		d.Value = page.Itoa(st.Draft.ProgrammeID)
	}
	return s.Render(w, r, "app-programme", "Which programme are you applying for?", d)
}

func (s *Handlers) Programme(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepProgramme)
	if err != nil || !ok {
		return err
	}
	d := applyProgrammeData{Change: st.Change, Back: applyBack(applyStepProgramme, st.Change), Value: r.PostFormValue("programme")}
	items, open, err := s.appProgrammeItems(r)
	if err != nil {
		return err
	}
	d.Items, d.None = items, len(items) == 0
	var chosen *domain.Programme
	for i := range open {
		if page.Itoa(open[i].ID) == d.Value {
			chosen = &open[i]
		}
	}
	if chosen == nil {
		d.Fail("programme", "Select the programme you are applying for")
	} else if app, found, err := s.appLiveApplication(r, st.User, chosen.ID); err != nil {
		return err
	} else if found {
		d.Fail("programme", "You have already applied to "+chosen.Name+" (status: "+strings.ToLower(app.Status.Label())+"). You can see it in your training")
	}
	if !d.Valid() {
		return s.RenderForm(w, r, "app-programme", "Which programme are you applying for?", d)
	}
	st.Draft.ProgrammeID = chosen.ID
	if err := s.applySaveDraft(r, st.Draft); err != nil {
		return err
	}
	http.Redirect(w, r, applyAfterAnswer(st.Draft, applyStepProgramme, st.Change), http.StatusSeeOther)
	return nil
}

// appLiveApplication finds the user's own application to a programme that
// still holds or seeks a place.
func (s *Handlers) appLiveApplication(r *http.Request, u domain.User, programmeID int64) (store.Application, bool, error) {
	list, err := s.DB.Applications(r.Context(), policy.Delivery(u), store.AppFilter{ProgrammeID: programmeID, PageSize: 100})
	if err != nil {
		return store.Application{}, false, err
	}
	for _, a := range list.Applications {
		if a.Status.Live() {
			return a, true, nil
		}
	}
	return store.Application{}, false, nil
}

// ---- setting: where they work now ----

type applySettingData struct {
	Items  []any
	Value  string
	Change bool
	Back   string
	page.Form
}

// appWorkplaces are the settings the practitioner works at today.
func (s *Handlers) appWorkplaces(r *http.Request, u domain.User) ([]store.EmploymentRecord, error) {
	list, err := s.DB.Employments(r.Context(), policy.People(u), store.PeopleFilter{PractitionerID: u.PractitionerID, CurrentOn: s.Today(), PageSize: 100})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []store.EmploymentRecord
	for _, e := range list.Employments {
		if !seen[e.SettingURN] {
			seen[e.SettingURN] = true
			out = append(out, e)
		}
	}
	return out, nil
}

func appWorkplaceItems(ws []store.EmploymentRecord) []any {
	var items []any
	for _, e := range ws {
		name := e.SettingName
		if name == "" {
			name = e.SettingType.Label() + " " + e.SettingURN
		}
		items = append(items, map[string]any{"value": e.SettingURN, "text": name, "hint": "Ofsted URN " + e.SettingURN + " · " + e.Role.Label()})
	}
	items = append(items, map[string]any{"divider": "or"}, map[string]any{"value": "other", "text": "A different setting",
		"hint": "Find it by its Ofsted URN or name"})
	return items
}

func applyChangeQuery(change bool) string {
	if change {
		return "?change=1"
	}
	return ""
}

func (s *Handlers) SettingForm(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepSetting)
	if err != nil || !ok {
		return err
	}
	ws, err := s.appWorkplaces(r, st.User)
	if err != nil {
		return err
	}
	if len(ws) == 0 {
		http.Redirect(w, r, "/apply/setting/search"+applyChangeQuery(st.Change), http.StatusSeeOther)
		return nil
	}
	d := applySettingData{Items: appWorkplaceItems(ws), Change: st.Change, Back: applyBack(applyStepSetting, st.Change), Value: st.Draft.SettingURN}
	if d.Value != "" && !appIsWorkplace(ws, d.Value) {
		d.Value = "other"
	}
	return s.Render(w, r, "app-setting", "Which setting are you applying from?", d)
}

func appIsWorkplace(ws []store.EmploymentRecord, urn string) bool {
	for _, e := range ws {
		if e.SettingURN == urn {
			return true
		}
	}
	return false
}

func (s *Handlers) Setting(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepSetting)
	if err != nil || !ok {
		return err
	}
	ws, err := s.appWorkplaces(r, st.User)
	if err != nil {
		return err
	}
	d := applySettingData{Items: appWorkplaceItems(ws), Change: st.Change, Back: applyBack(applyStepSetting, st.Change), Value: r.PostFormValue("setting")}
	switch {
	case d.Value == "other":
		http.Redirect(w, r, "/apply/setting/search"+applyChangeQuery(st.Change), http.StatusSeeOther)
		return nil
	case !appIsWorkplace(ws, d.Value):
		d.Fail("setting", "Select the setting you are applying from")
		return s.RenderForm(w, r, "app-setting", "Which setting are you applying from?", d)
	}
	return s.applyChooseSetting(w, r, st, d.Value)
}

// applyChooseSetting saves the setting. A different setting than before clears
// the role, which was the role there, so the next page asks it again.
func (s *Handlers) applyChooseSetting(w http.ResponseWriter, r *http.Request, st applyState, urn string) error {
	if st.Draft.SettingURN != urn {
		st.Draft.Role = ""
	}
	st.Draft.SettingURN = urn
	if err := s.applySaveDraft(r, st.Draft); err != nil {
		return err
	}
	http.Redirect(w, r, applyAfterAnswer(st.Draft, applyStepSetting, st.Change), http.StatusSeeOther)
	return nil
}

// ---- setting: find it on the register ----

const appSearchLimit = 20

type applySearchData struct {
	Q        string
	Searched bool
	Results  []any
	Total    int
	Value    string
	Change   bool
	Back     string
	page.Form
}

// registerScope is the part of the Ofsted register the applicant searches
// for the setting they work at (policy.Register).
func registerScope(r *http.Request) policy.Scope {
	u, _ := page.CurrentUser(r)
	return policy.Register(u)
}

func (s *Handlers) applySearchSettings(r *http.Request, d *applySearchData) error {
	d.Searched = true
	if d.Q == "" {
		d.Fail("q", "Enter your setting's Ofsted URN or name")
		return nil
	}
	list, err := s.DB.SearchSettings(r.Context(), registerScope(r), store.SettingFilter{Q: d.Q, PageSize: appSearchLimit, Page: 1})
	if err != nil {
		return err
	}
	d.Total = list.Total
	for _, st := range list.Settings {
		hint := "Ofsted URN " + st.URN + " · " + st.Type.Label()
		if place := strings.TrimSpace(strings.Join(appNonBlank(st.Town, st.Postcode), ", ")); place != "" {
			hint += " · " + place
		}
		if st.Status == domain.Closed {
			hint += " · Closed"
		}
		d.Results = append(d.Results, map[string]any{"value": st.URN, "text": st.DisplayName(), "hint": hint})
	}
	return nil
}

func appNonBlank(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func (s *Handlers) applySearchBack(r *http.Request, st applyState) (string, error) {
	if st.Change {
		return applySteps[applyStepCheck], nil
	}
	ws, err := s.appWorkplaces(r, st.User)
	if err != nil || len(ws) == 0 {
		return applySteps[applyStepProgramme], err
	}
	return applySteps[applyStepSetting], nil
}

func (s *Handlers) SearchForm(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepSetting)
	if err != nil || !ok {
		return err
	}
	d := applySearchData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Change: st.Change, Value: st.Draft.SettingURN}
	if d.Back, err = s.applySearchBack(r, st); err != nil {
		return err
	}
	if r.URL.Query().Has("q") {
		if err := s.applySearchSettings(r, &d); err != nil {
			return err
		}
	}
	if !d.Valid() {
		return s.RenderForm(w, r, "app-search", "Find your setting", d)
	}
	return s.Render(w, r, "app-search", "Find your setting", d)
}

func (s *Handlers) Search(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepSetting)
	if err != nil || !ok {
		return err
	}
	d := applySearchData{Q: strings.TrimSpace(r.PostFormValue("q")), Change: st.Change, Value: r.PostFormValue("setting")}
	if d.Back, err = s.applySearchBack(r, st); err != nil {
		return err
	}
	if d.Value != "" {
		_, err := s.DB.Setting(r.Context(), registerScope(r), d.Value)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return err
		default:
			return s.applyChooseSetting(w, r, st, d.Value)
		}
	}
	if err := s.applySearchSettings(r, &d); err != nil {
		return err
	}
	if d.Valid() {
		d.Fail("setting", "Select your setting")
	}
	return s.RenderForm(w, r, "app-search", "Find your setting", d)
}

// ---- role ----

type applyRoleData struct {
	Setting string
	Items   []any
	Value   string
	Change  bool
	Back    string
	page.Form
}

func (s *Handlers) applySettingName(r *http.Request, urn string) (string, error) {
	st, err := s.DB.Setting(r.Context(), registerScope(r), urn)
	if err != nil {
		return "", err
	}
	return st.DisplayName(), nil
}

func (s *Handlers) RoleForm(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepRole)
	if err != nil || !ok {
		return err
	}
	d := applyRoleData{Items: page.RoleItems(), Change: st.Change, Back: applyBack(applyStepRole, st.Change), Value: string(st.Draft.Role)}
	if d.Setting, err = s.applySettingName(r, st.Draft.SettingURN); err != nil {
		return err
	}
	if d.Value == "" {
		// Start from the role on record at that setting, if there is one.
		ws, err := s.appWorkplaces(r, st.User)
		if err != nil {
			return err
		}
		for _, e := range ws {
			if e.SettingURN == st.Draft.SettingURN {
				d.Value = string(e.Role)
			}
		}
	}
	return s.Render(w, r, "app-role", "What is your role at "+d.Setting+"?", d)
}

func (s *Handlers) Role(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepRole)
	if err != nil || !ok {
		return err
	}
	d := applyRoleData{Items: page.RoleItems(), Change: st.Change, Back: applyBack(applyStepRole, st.Change), Value: r.PostFormValue("role")}
	if d.Setting, err = s.applySettingName(r, st.Draft.SettingURN); err != nil {
		return err
	}
	role, ok := domain.ParseEmploymentRole(d.Value)
	if !ok || d.Value == "" {
		d.Fail("role", "Select your role at "+d.Setting)
		return s.RenderForm(w, r, "app-role", "What is your role at "+d.Setting+"?", d)
	}
	st.Draft.Role = role
	if err := s.applySaveDraft(r, st.Draft); err != nil {
		return err
	}
	http.Redirect(w, r, applyAfterAnswer(st.Draft, applyStepRole, st.Change), http.StatusSeeOther)
	return nil
}

// ---- qualification ----

type applyQualificationData struct {
	Items  []any
	Value  string
	Change bool
	Back   string
	page.Form
}

func appQualificationItems() []any {
	var items []any
	for i, q := range appQualAnswers {
		if i == len(appQualAnswers)-2 {
			items = append(items, map[string]any{"divider": "or"})
		}
		items = append(items, map[string]any{"value": q.Code, "text": q.Text})
	}
	return items
}

const appQualificationQuestion = "What is your highest full and relevant early years qualification?"

func (s *Handlers) QualificationForm(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepQualification)
	if err != nil || !ok {
		return err
	}
	d := applyQualificationData{Items: appQualificationItems(), Change: st.Change, Back: applyBack(applyStepQualification, st.Change), Value: st.Draft.Qualification}
	return s.Render(w, r, "app-qualification", appQualificationQuestion, d)
}

func (s *Handlers) Qualification(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepQualification)
	if err != nil || !ok {
		return err
	}
	d := applyQualificationData{Items: appQualificationItems(), Change: st.Change, Back: applyBack(applyStepQualification, st.Change), Value: r.PostFormValue("qualification")}
	if !appValidQualification(d.Value) {
		d.Fail("qualification", "Select your highest full and relevant early years qualification")
		return s.RenderForm(w, r, "app-qualification", appQualificationQuestion, d)
	}
	st.Draft.Qualification = d.Value
	if err := s.applySaveDraft(r, st.Draft); err != nil {
		return err
	}
	http.Redirect(w, r, applyAfterAnswer(st.Draft, applyStepQualification, st.Change), http.StatusSeeOther)
	return nil
}

// ---- check your answers and submit ----

type applyCheckData struct {
	Name          string
	Programme     domain.Programme
	Setting       store.SettingRecord
	Role          domain.EmploymentRole
	Qualification string
	page.Form
}

func (s *Handlers) applyCheckData(r *http.Request, st applyState) (applyCheckData, error) {
	d := applyCheckData{Role: st.Draft.Role, Qualification: appQualificationText(st.Draft.Qualification)}
	var err error
	if d.Programme, err = s.DB.Programme(r.Context(), st.Draft.ProgrammeID); err != nil {
		return d, err
	}
	if d.Setting, err = s.DB.Setting(r.Context(), registerScope(r), st.Draft.SettingURN); err != nil {
		return d, err
	}
	p, err := s.DB.Practitioner(r.Context(), policy.People(st.User), st.User.PractitionerID)
	if err != nil {
		return d, err
	}
	d.Name = p.FullName()
	return d, nil
}

const applyCheckTitle = "Check your answers before sending your application"

func (s *Handlers) Check(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepCheck)
	if err != nil || !ok {
		return err
	}
	d, err := s.applyCheckData(r, st)
	if err != nil {
		return err
	}
	return s.Render(w, r, "app-check", applyCheckTitle, d)
}

func (s *Handlers) Submit(w http.ResponseWriter, r *http.Request) error {
	st, ok, err := s.applyLoad(w, r, applyStepCheck)
	if err != nil || !ok {
		return err
	}
	ctx := r.Context()
	d, err := s.applyCheckData(r, st)
	if err != nil {
		return err
	}
	today := s.Today()
	if !d.Programme.Open(today) {
		d.Fail("answers", d.Programme.Name+" is not taking applications today. Choose another programme")
		return s.RenderForm(w, r, "app-check", applyCheckTitle, d)
	}
	answer := st.Draft.Qualification
	p, err := s.DB.Practitioner(ctx, policy.People(st.User), st.User.PractitionerID)
	if err != nil {
		return err
	}
	var app store.Application
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		a := domain.ActorOf(st.User)
		// The practitioner's own answer is the newest word on their
		// qualification: record it before the rules look at it.
		if level, ok := applyRecordedLevel(answer, p.QualificationLevel); ok {
			if err := tx.SetQualificationLevel(ctx, a, p.ID, level); err != nil {
				return err
			}
		}
		app, err = tx.Apply(ctx, a, store.ApplyInput{ProgrammeID: d.Programme.ID, PractitionerID: p.ID, SettingURN: d.Setting.URN,
			AppliedOn: today, WorkingTowardsL3: answer == "towards"})
		if err != nil {
			return err
		}
		if err := tx.SaveApplicationAnswers(ctx, a, app.ID, store.ApplicationAnswers{Role: st.Draft.Role, Qualification: answer}); err != nil {
			return err
		}
		return tx.DeleteApplicationDraft(ctx, st.User.ID)
	})
	if errors.Is(err, store.ErrConflict) {
		d.Fail("answers", "You have already applied to "+d.Programme.Name+". Your application is in your training; nothing new was sent")
		return s.RenderStatus(w, r, http.StatusConflict, "app-check", applyCheckTitle, d)
	}
	if re, ok := store.IsRule(err); ok {
		d.Fail("answers", re.Msg)
		return s.RenderForm(w, r, "app-check", applyCheckTitle, d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/apply/confirmation/"+page.Itoa(app.ID), http.StatusSeeOther)
	return nil
}

// ---- confirmation ----

type applyDoneData struct {
	App       store.Application
	Manual    bool
	Programme domain.Programme
}

func (s *Handlers) Confirmation(w http.ResponseWriter, r *http.Request) error {
	_, app, err := s.appLoad(r, policy.CanApply)
	if err != nil {
		return err
	}
	d := applyDoneData{App: app, Manual: app.AwaitingReview()}
	if d.Programme, err = s.DB.Programme(r.Context(), app.ProgrammeID); err != nil {
		return err
	}
	return s.Render(w, r, "app-confirmation", "Application sent", d)
}

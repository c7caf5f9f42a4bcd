package apply

import (
	"errors"
	"net/http"
	"sort"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/daily"
	"senco/internal/web/page"
)

// The setting manager nominates a member of staff, or confirms a
// practitioner's own application.

type appNominateData struct {
	Setting      string
	SettingURN   string
	Staff        []any
	Programmes   []any
	Practitioner string
	Programme    string
	NoStaff      bool
	NoProgrammes bool
	// Check step.
	Person          store.EmploymentRecord
	ChosenProgramme domain.Programme
	Level           int
	// standing is each person's SENCO standing today, by practitioner.
	standing map[int64]appNominee
	page.Form
}

// appNominee is what the first check of a nomination needs of a person.
type appNominee struct {
	Qualified   bool
	Status      domain.Status // of their latest application
	ProgrammeID int64         // its programme
}

// appCurrentStaff are the people working at the manager's setting today, one
// line each.
func (s *Handlers) appCurrentStaff(r *http.Request, u domain.User) ([]store.EmploymentRecord, error) {
	list, err := s.DB.Employments(r.Context(), policy.People(u), store.PeopleFilter{SettingURN: u.Org.SettingURN, CurrentOn: s.Today(), PageSize: 1000})
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []store.EmploymentRecord
	for _, e := range list.Employments {
		if !seen[e.PractitionerID] {
			seen[e.PractitionerID] = true
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].PractitionerName < out[j].PractitionerName })
	return out, nil
}

func (s *Handlers) appNominateBase(r *http.Request, u domain.User) (appNominateData, []store.EmploymentRecord, []domain.Programme, error) {
	d := appNominateData{Setting: u.Org.Name, SettingURN: u.Org.SettingURN}
	staff, err := s.appCurrentStaff(r, u)
	if err != nil {
		return d, nil, nil, err
	}
	// Each person's SENCO standing is shown as they are chosen, so no one
	// learns only at the end that a colleague needs no nomination.
	lines, err := daily.SettingStaff(r.Context(), s.DB.Reader(), u.Org.SettingURN, s.Today())
	if err != nil {
		return d, nil, nil, err
	}
	d.standing = map[int64]appNominee{}
	for i, row := range page.StaffRows(lines, s.Today()) {
		n := d.standing[row.ID]
		n.Qualified = n.Qualified || row.Qualified
		n.Status, n.ProgrammeID = lines[i].Status, lines[i].ProgrammeID
		d.standing[row.ID] = n
	}
	for _, e := range staff {
		n := d.standing[e.PractitionerID]
		training, _ := page.StaffTraining(n.Qualified, n.Status)
		if !n.Qualified && n.Status != "" {
			training = "Latest application: " + strings.ToLower(training)
		}
		d.Staff = append(d.Staff, map[string]any{"value": page.Itoa(e.PractitionerID), "text": e.PractitionerName,
			"hint": e.Role.Label() + " since " + e.StartedOn.Long() + ". " + training + "."})
	}
	items, open, err := s.appProgrammeItems(r)
	if err != nil {
		return d, nil, nil, err
	}
	d.Programmes = items
	d.NoStaff, d.NoProgrammes = len(staff) == 0, len(open) == 0
	return d, staff, open, nil
}

func (s *Handlers) NominateForm(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	d, _, open, err := s.appNominateBase(r, u)
	if err != nil {
		return err
	}
	d.Practitioner = r.URL.Query().Get("practitioner")
	if len(open) == 1 {
		d.Programme = page.Itoa(open[0].ID)
	}
	return s.Render(w, r, "app-nominate", "Nominate a member of staff", d)
}

func (s *Handlers) Nominate(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	d, staff, open, err := s.appNominateBase(r, u)
	if err != nil {
		return err
	}
	d.Practitioner, d.Programme = r.PostFormValue("practitioner"), r.PostFormValue("programme")
	found := false
	for _, e := range staff {
		if page.Itoa(e.PractitionerID) == d.Practitioner {
			d.Person, found = e, true
		}
	}
	if !found {
		d.Fail("practitioner", "Select a member of your current staff")
	}
	found = false
	for _, p := range open {
		if page.Itoa(p.ID) == d.Programme {
			d.ChosenProgramme, found = p, true
		}
	}
	if !found {
		d.Fail("programme", "Select a programme that is taking applications")
	}
	if d.Valid() {
		n := d.standing[d.Person.PractitionerID]
		var onProgramme domain.Status
		if n.ProgrammeID == d.ChosenProgramme.ID {
			onProgramme = n.Status
		}
		if err := domain.CheckNominee(d.Person.PractitionerName, d.ChosenProgramme.Name, n.Qualified, onProgramme); err != nil {
			re, ok := store.IsRule(err)
			if !ok {
				return err
			}
			d.Fail(re.Field, re.Msg)
		}
	}
	if !d.Valid() {
		return s.RenderForm(w, r, "app-nominate", "Nominate a member of staff", d)
	}
	p, err := s.DB.Practitioner(ctx, policy.People(u), d.Person.PractitionerID)
	if err != nil {
		return err
	}
	d.Level = p.QualificationLevel
	if r.PostFormValue("confirm") != "yes" {
		return s.Render(w, r, "app-nominate-check", "Check the nomination", d)
	}
	var app store.Application
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		app, err = tx.Apply(ctx, domain.ActorOf(u), store.ApplyInput{ProgrammeID: d.ChosenProgramme.ID, PractitionerID: p.ID,
			SettingURN: u.Org.SettingURN, AppliedOn: s.Today(), Nominated: true, SettingConfirmed: true})
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		d.Fail("practitioner", p.FullName()+" already has an application to "+d.ChosenProgramme.Name+"; nothing new was sent")
		return s.RenderStatus(w, r, http.StatusConflict, "app-nominate", "Nominate a member of staff", d)
	}
	if re, ok := store.IsRule(err); ok {
		d.Fail("practitioner", re.Msg)
		return s.RenderForm(w, r, "app-nominate", "Nominate a member of staff", d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, appPath(app.ID)+"?done=nominated", http.StatusSeeOther)
	return nil
}

// ---- confirming a self-application ----

type appConfirmData struct {
	App           store.Application
	Tag           map[string]any
	Answers       store.ApplicationAnswers
	HasAnswers    bool
	Qualification string
	OnStaff       bool
	Done          bool
}

func (s *Handlers) appConfirmPage(r *http.Request) (domain.User, appConfirmData, error) {
	u, app, err := s.appLoad(r, policy.CanNominate)
	if err != nil {
		return u, appConfirmData{}, err
	}
	d := appConfirmData{App: app, Tag: page.StatusTag(app), Done: !appAwaitsConfirmation(app)}
	if d.Answers, d.HasAnswers, err = s.DB.ApplicationAnswers(r.Context(), app.ID); err != nil {
		return u, d, err
	}
	d.Qualification = appQualificationText(d.Answers.Qualification)
	staff, err := s.appCurrentStaff(r, u)
	if err != nil {
		return u, d, err
	}
	for _, e := range staff {
		d.OnStaff = d.OnStaff || e.PractitionerID == app.PractitionerID
	}
	return u, d, nil
}

func (s *Handlers) ConfirmForm(w http.ResponseWriter, r *http.Request) error {
	_, d, err := s.appConfirmPage(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "app-confirm", "Confirm "+d.App.PractitionerName+"'s application", d)
}

func (s *Handlers) Confirm(w http.ResponseWriter, r *http.Request) error {
	u, d, err := s.appConfirmPage(r)
	if err != nil {
		return err
	}
	if d.Done {
		// Already confirmed, nominated by the setting, or no longer live:
		// nothing to do.
		return s.RenderStatus(w, r, http.StatusConflict, "app-confirm", "Confirm "+d.App.PractitionerName+"'s application", d)
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error { return tx.ConfirmBySetting(r.Context(), domain.ActorOf(u), d.App) })
	if err != nil {
		return err
	}
	http.Redirect(w, r, appPath(d.App.ID)+"?done=confirmed", http.StatusSeeOther)
	return nil
}

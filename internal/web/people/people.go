// Package people serves settings and their staff, practitioners and their
// employments, local authorities, the bulk import of practitioners, the
// audit log and API tokens.
package people

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
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
	// Static holds static/practitioners-template.csv, the import's template.
	Static fs.FS
}

type staffForm struct {
	Setting    store.SettingRecord
	GivenName  string
	FamilyName string
	Email      string
	DOB        page.DateField
	Level      string
	Role       string
	Started    page.DateField
	RoleItems  []any
	LevelItems []any
	page.Form
}

func levelItems() []any {
	items := []any{map[string]any{"value": "", "text": "Not known"}, map[string]any{"value": "0", "text": "None"}}
	for l := 2; l <= 7; l++ {
		items = append(items, map[string]any{"value": strconv.Itoa(l), "text": fmt.Sprintf("Level %d", l)})
	}
	return items
}

func (s *Handlers) StaffNew(w http.ResponseWriter, r *http.Request) error {
	st, err := s.loadManagedSetting(r, r.PathValue("urn"))
	if err != nil {
		return err
	}
	f := staffForm{Setting: st, Role: string(domain.RolePractitioner), RoleItems: page.RoleItems(), LevelItems: levelItems(),
		Started: page.DateFieldOf(s.Today())}
	return s.Render(w, r, "staff-new", "Add a member of staff", f)
}

func (s *Handlers) StaffCreate(w http.ResponseWriter, r *http.Request) error {
	st, err := s.loadManagedSetting(r, r.PathValue("urn"))
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	f := staffForm{Setting: st, RoleItems: page.RoleItems(), LevelItems: levelItems(),
		GivenName: strings.TrimSpace(r.PostFormValue("given_name")), FamilyName: strings.TrimSpace(r.PostFormValue("family_name")),
		Email: strings.TrimSpace(r.PostFormValue("email")), DOB: page.ReadDate(r, "dob"), Level: r.PostFormValue("qualification_level"),
		Role: r.PostFormValue("role"), Started: page.ReadDate(r, "started")}
	p := domain.Practitioner{GivenName: f.GivenName, FamilyName: f.FamilyName, Email: strings.ToLower(f.Email), OwnerOrgID: u.Org.ID}
	if f.Level != "" {
		p.QualificationLevel, _ = strconv.Atoi(f.Level)
	}
	for field, msg := range p.Validate() {
		f.Fail(field, msg)
	}
	// Order the summary as the fields appear.
	f.ErrorOrder = page.OrderFields(f.ErrorOrder, "given_name", "family_name", "email", "dob-day", "qualification_level", "role", "started-day")
	if !f.DOB.Empty() {
		dob, msg := f.DOB.Parse("date of birth")
		switch {
		case msg != "":
			f.Fail("dob-day", msg)
			f.ErrorOrder = page.OrderFields(f.ErrorOrder, "given_name", "family_name", "email", "dob-day", "qualification_level", "role", "started-day")
		case !dob.Before(s.Today().AddMonths(-12 * 16)):
			f.Fail("dob-day", "Date of birth must be at least 16 years ago")
		default:
			p.DateOfBirth = dob
		}
	}
	role, ok := domain.ParseEmploymentRole(f.Role)
	f.Check(ok, "role", "Select the role at this setting")
	started := f.ParseDate(f.Started, "started-day", "the start date")
	f.ErrorOrder = page.OrderFields(f.ErrorOrder, "given_name", "family_name", "email", "dob-day", "qualification_level", "role", "started-day")
	if !f.Valid() {
		return s.RenderForm(w, r, "staff-new", "Add a member of staff", f)
	}
	a := domain.ActorOf(u)
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		p, err := tx.CreatePractitioner(r.Context(), a, p)
		if err != nil {
			return err
		}
		_, err = tx.AddEmployment(r.Context(), a, domain.Employment{PractitionerID: p.ID, SettingURN: st.URN, Role: role, StartedOn: started})
		return err
	})
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, page.SettingPath(st.URN), fmt.Sprintf("%s %s added as %s", f.GivenName, f.FamilyName, role.Label()))
	return nil
}

type peopleListData struct {
	Q         string
	Page      store.PractitionerPage
	CanImport bool
	// Settings are where each person on the page works today, so two
	// people of one name can be told apart.
	Settings map[int64][]string
	page.Span
}

// SettingsOf are the settings practitioner id works at today.
func (d peopleListData) SettingsOf(id int64) []string { return d.Settings[id] }

func (s *Handlers) List(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	scope := policy.People(u)
	if scope.Kind == policy.Nothing {
		return page.ErrForbidden
	}
	if scope.Kind == policy.Self {
		http.Redirect(w, r, "/people/"+page.Itoa(scope.PractitionerID), http.StatusSeeOther)
		return nil
	}
	pageNo, err := page.Number(r)
	if err != nil {
		return err
	}
	d := peopleListData{Q: strings.TrimSpace(r.URL.Query().Get("q")), CanImport: policy.CanImportPractitioners(u)}
	d.Page, err = s.DB.SearchPractitioners(r.Context(), scope, store.PeopleFilter{Q: d.Q, Page: pageNo, PageSize: 50})
	if err != nil {
		return err
	}
	d.Span = page.SpanOf(r.URL, pageNo, 50, d.Page.Total, len(d.Page.Practitioners))
	ids := make([]int64, len(d.Page.Practitioners))
	for i, p := range d.Page.Practitioners {
		ids[i] = p.ID
	}
	d.Settings = map[int64][]string{}
	if len(ids) > 0 {
		emps, err := s.DB.Employments(r.Context(), scope, store.PeopleFilter{PractitionerIDs: ids, CurrentOn: s.Today(), PageSize: 1000})
		if err != nil {
			return err
		}
		for _, e := range emps.Employments {
			name := e.SettingName
			if name == "" {
				name = e.SettingType.Label() + " " + e.SettingURN
			}
			if !slices.Contains(d.Settings[e.PractitionerID], name) {
				d.Settings[e.PractitionerID] = append(d.Settings[e.PractitionerID], name)
			}
		}
	}
	return s.Render(w, r, "people", "People", d)
}

type personData struct {
	Person      store.PractitionerRecord
	Employments []store.EmploymentRecord
	CanAdd      bool
	Today       domain.Date
}

// pathPractitioner loads the practitioner of the path's id in the user's
// scope: out of scope is not found.
func (s *Handlers) pathPractitioner(r *http.Request) (domain.User, store.PractitionerRecord, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return u, store.PractitionerRecord{}, err
	}
	p, err := s.DB.Practitioner(r.Context(), policy.People(u), id)
	return u, p, err
}

func (s *Handlers) Person(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.pathPractitioner(r)
	if err != nil {
		return err
	}
	emps, err := s.DB.Employments(r.Context(), policy.People(u), store.PeopleFilter{PractitionerID: p.ID, PageSize: 1000})
	if err != nil {
		return err
	}
	d := personData{Person: p, Employments: emps.Employments, Today: s.Today(),
		CanAdd: policy.CanRecordEmployment(u)}
	return s.Render(w, r, "person", p.FullName(), d)
}

type employmentForm struct {
	Person    store.PractitionerRecord
	URN       string
	Role      string
	Started   page.DateField
	RoleItems []any
	FixedURN  bool
	page.Form
}

func (s *Handlers) EmploymentNew(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.pathPractitioner(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := employmentForm{Person: p, URN: q.Get("setting"), Role: q.Get("role"), Started: page.DateFieldOf(s.Today()), RoleItems: page.RoleItems()}
	if urn, only := policy.StaffSetting(u); only {
		f.URN, f.FixedURN = urn, true
	}
	if f.Role == "" {
		f.Role = string(domain.RolePractitioner)
	}
	return s.Render(w, r, "employment-new", "Record an employment", f)
}

func (s *Handlers) EmploymentCreate(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	id, err := page.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.DB.Practitioner(ctx, policy.People(u), id)
	if err != nil {
		return err
	}
	f := employmentForm{Person: p, URN: strings.ToUpper(strings.TrimSpace(r.PostFormValue("setting"))), Role: r.PostFormValue("role"),
		Started: page.ReadDate(r, "started"), RoleItems: page.RoleItems()}
	if urn, only := policy.StaffSetting(u); only {
		f.URN, f.FixedURN = urn, true
	}
	var st store.SettingRecord
	if f.URN == "" {
		f.Fail("setting", "Enter the Ofsted URN of the setting")
	} else {
		st, err = s.DB.Setting(ctx, policy.Settings(u), f.URN)
		switch {
		case errors.Is(err, store.ErrNotFound):
			f.Fail("setting", "No setting with URN "+f.URN+" that you can manage")
		case err != nil:
			return err
		case !policy.CanManageStaff(u, st.Setting):
			f.Fail("setting", "You cannot record staff at "+st.DisplayName())
		}
	}
	role, ok := domain.ParseEmploymentRole(f.Role)
	f.Check(ok, "role", "Select the role at this setting")
	started := f.ParseDate(f.Started, "started-day", "the start date")
	if !f.Valid() {
		return s.RenderForm(w, r, "employment-new", "Record an employment", f)
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.AddEmployment(ctx, domain.ActorOf(u), domain.Employment{PractitionerID: p.ID, SettingURN: st.URN, Role: role, StartedOn: started})
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		f.Fail("role", "This employment is already recorded")
		return s.RenderForm(w, r, "employment-new", "Record an employment", f)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, page.SettingPath(st.URN), fmt.Sprintf("%s recorded as %s from %s", p.FullName(), role.Label(), started.Long()))
	return nil
}

type endForm struct {
	Employment store.EmploymentRecord
	Ended      page.DateField
	page.Form
}

// loadManagedEmployment loads an employment in scope that the user may end.
func (s *Handlers) loadManagedEmployment(r *http.Request) (store.EmploymentRecord, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return store.EmploymentRecord{}, err
	}
	e, err := s.DB.Employment(r.Context(), policy.People(u), id)
	if err != nil {
		return e, err
	}
	if _, err := s.loadManagedSetting(r, e.SettingURN); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return e, page.ErrForbidden
		}
		return e, err
	}
	return e, nil
}

func (s *Handlers) EmploymentEndForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadManagedEmployment(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "employment-end", "End an employment", endForm{Employment: e, Ended: page.DateFieldOf(s.Today())})
}

func (s *Handlers) EmploymentEnd(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadManagedEmployment(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	f := endForm{Employment: e, Ended: page.ReadDate(r, "ended")}
	ended, msg := f.Ended.Parse("the end date")
	switch {
	case msg != "":
		f.Fail("ended-day", msg)
	case ended.Before(e.StartedOn):
		f.Fail("ended-day", "The end date must be on or after the start date, "+e.StartedOn.Long())
	case !e.EndedOn.IsZero():
		f.Fail("ended-day", "This employment already ended on "+e.EndedOn.Long())
	}
	if !f.Valid() {
		return s.RenderForm(w, r, "employment-end", "End an employment", f)
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := tx.EndEmployment(r.Context(), domain.ActorOf(u), e.Employment, ended)
		return err
	})
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, page.SettingPath(e.SettingURN), fmt.Sprintf("%s's employment as %s ends on %s", e.PractitionerName, e.Role.Label(), ended.Long()))
	return nil
}

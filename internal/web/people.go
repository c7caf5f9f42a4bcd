package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// dateField is a GOV.UK date input's three values.
type dateField struct{ Day, Month, Year string }

func readDate(r *http.Request, prefix string) dateField {
	return dateField{
		Day:   strings.TrimSpace(r.PostFormValue(prefix + "-day")),
		Month: strings.TrimSpace(r.PostFormValue(prefix + "-month")),
		Year:  strings.TrimSpace(r.PostFormValue(prefix + "-year")),
	}
}

func dateFieldOf(d domain.Date) dateField {
	if d.IsZero() {
		return dateField{}
	}
	t := d.Time()
	return dateField{Day: strconv.Itoa(t.Day()), Month: strconv.Itoa(int(t.Month())), Year: strconv.Itoa(t.Year())}
}

func (f dateField) empty() bool { return f.Day == "" && f.Month == "" && f.Year == "" }

// parse checks a date input as the GOV.UK pattern asks: say which part is
// missing, or that the date must be real.
func (f dateField) parse(what string) (domain.Date, string) {
	switch {
	case f.empty():
		return domain.Date{}, "Enter " + what
	case f.Day == "":
		return domain.Date{}, strings.ToUpper(what[:1]) + what[1:] + " must include a day"
	case f.Month == "":
		return domain.Date{}, strings.ToUpper(what[:1]) + what[1:] + " must include a month"
	case f.Year == "":
		return domain.Date{}, strings.ToUpper(what[:1]) + what[1:] + " must include a year"
	}
	d, errD := strconv.Atoi(f.Day)
	m, errM := strconv.Atoi(f.Month)
	y, errY := strconv.Atoi(f.Year)
	if errD != nil || errM != nil || errY != nil || len(f.Year) != 4 || m < 1 || m > 12 || d < 1 {
		return domain.Date{}, strings.ToUpper(what[:1]) + what[1:] + " must be a real date"
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return domain.Date{}, strings.ToUpper(what[:1]) + what[1:] + " must be a real date"
	}
	return domain.NewDate(y, time.Month(m), d), ""
}

type staffForm struct {
	Setting    store.SettingRecord
	GivenName  string
	FamilyName string
	Email      string
	DOB        dateField
	Level      string
	Role       string
	Started    dateField
	RoleItems  []any
	LevelItems []any
	form
}

func roleItems() []any {
	var items []any
	for _, r := range domain.EmploymentRoles {
		items = append(items, map[string]any{"value": string(r), "text": r.Label()})
	}
	return items
}

func levelItems() []any {
	items := []any{map[string]any{"value": "", "text": "Not known"}, map[string]any{"value": "0", "text": "None"}}
	for l := 2; l <= 7; l++ {
		items = append(items, map[string]any{"value": strconv.Itoa(l), "text": fmt.Sprintf("Level %d", l)})
	}
	return items
}

func (s *Server) staffNew(w http.ResponseWriter, r *http.Request) error {
	st, err := s.loadManagedSetting(r, r.PathValue("urn"))
	if err != nil {
		return err
	}
	f := staffForm{Setting: st, Role: string(domain.RolePractitioner), RoleItems: roleItems(), LevelItems: levelItems(),
		Started: dateFieldOf(domain.Today())}
	return s.render(w, r, "staff-new", "Add a member of staff", f)
}

func (s *Server) staffCreate(w http.ResponseWriter, r *http.Request) error {
	st, err := s.loadManagedSetting(r, r.PathValue("urn"))
	if err != nil {
		return err
	}
	u, _ := currentUser(r)
	f := staffForm{Setting: st, RoleItems: roleItems(), LevelItems: levelItems(),
		GivenName: strings.TrimSpace(r.PostFormValue("given_name")), FamilyName: strings.TrimSpace(r.PostFormValue("family_name")),
		Email: strings.TrimSpace(r.PostFormValue("email")), DOB: readDate(r, "dob"), Level: r.PostFormValue("qualification_level"),
		Role: r.PostFormValue("role"), Started: readDate(r, "started")}
	p := domain.Practitioner{GivenName: f.GivenName, FamilyName: f.FamilyName, Email: strings.ToLower(f.Email), OwnerOrgID: u.Org.ID}
	if f.Level != "" {
		p.QualificationLevel, _ = strconv.Atoi(f.Level)
	}
	for field, msg := range p.Validate() {
		f.fail(field, msg)
	}
	// Order the summary as the fields appear.
	f.ErrorOrder = orderFields(f.ErrorOrder, "given_name", "family_name", "email", "dob-day", "qualification_level", "role", "started-day")
	if !f.DOB.empty() {
		dob, msg := f.DOB.parse("date of birth")
		switch {
		case msg != "":
			f.fail("dob-day", msg)
			f.ErrorOrder = orderFields(f.ErrorOrder, "given_name", "family_name", "email", "dob-day", "qualification_level", "role", "started-day")
		case !dob.Before(domain.Today().AddMonths(-12 * 16)):
			f.fail("dob-day", "Date of birth must be at least 16 years ago")
		default:
			p.DateOfBirth = dob
		}
	}
	role, ok := domain.ParseEmploymentRole(f.Role)
	f.check(ok, "role", "Select the role at this setting")
	started, msg := f.Started.parse("the start date")
	if msg != "" {
		f.fail("started-day", msg)
	}
	f.ErrorOrder = orderFields(f.ErrorOrder, "given_name", "family_name", "email", "dob-day", "qualification_level", "role", "started-day")
	if !f.valid() {
		return s.renderForm(w, r, "staff-new", "Add a member of staff", f)
	}
	a := domain.ActorOf(u)
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
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
	s.redirectFlash(w, r, settingPath(st.URN), fmt.Sprintf("%s %s added as %s", f.GivenName, f.FamilyName, role.Label()))
	return nil
}

// orderFields sorts errors into the order of the form's fields.
func orderFields(got []string, order ...string) []string {
	out := make([]string, 0, len(got))
	seen := map[string]bool{}
	for _, o := range order {
		for _, g := range got {
			if g == o && !seen[g] {
				out = append(out, g)
				seen[g] = true
			}
		}
	}
	for _, g := range got {
		if !seen[g] {
			out = append(out, g)
		}
	}
	return out
}

type peopleListData struct {
	Q          string
	Page       store.PractitionerPage
	CanImport  bool
	First      int
	Last       int
	Pagination map[string]any
}

func (s *Server) peopleList(w http.ResponseWriter, r *http.Request) error {
	u, _ := currentUser(r)
	scope := policy.People(u)
	if scope.Kind == policy.Nothing {
		return errForbidden
	}
	if scope.Kind == policy.Self {
		http.Redirect(w, r, "/people/"+itoa(scope.PractitionerID), http.StatusSeeOther)
		return nil
	}
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return errNotFound
		}
		page = n
	}
	d := peopleListData{Q: strings.TrimSpace(r.URL.Query().Get("q")), CanImport: policy.CanImportPractitioners(u)}
	var err error
	d.Page, err = s.db.SearchPractitioners(r.Context(), scope, store.PeopleFilter{Q: d.Q, Page: page, PageSize: 50})
	if err != nil {
		return err
	}
	if d.Page.Total > 0 {
		d.First = (page-1)*50 + 1
		d.Last = d.First + len(d.Page.Practitioners) - 1
	}
	d.Pagination = pagination(r.URL, page, d.Page.Total, 50)
	return s.render(w, r, "people", "People", d)
}

type personData struct {
	Person      store.PractitionerRecord
	Employments []store.EmploymentRecord
	CanAdd      bool
	Today       domain.Date
}

func (s *Server) personShow(w http.ResponseWriter, r *http.Request) error {
	u, _ := currentUser(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.db.Practitioner(r.Context(), policy.People(u), id)
	if err != nil {
		return err
	}
	emps, err := s.db.Employments(r.Context(), policy.People(u), store.PeopleFilter{PractitionerID: id, PageSize: 1000})
	if err != nil {
		return err
	}
	d := personData{Person: p, Employments: emps.Employments, Today: domain.Today(),
		CanAdd: u.Role == domain.RoleProgrammeTeam || u.Role == domain.RoleLAOfficer || u.Role == domain.RoleSettingManager || u.Role == domain.RoleSupplierAdmin}
	return s.render(w, r, "person", p.FullName(), d)
}

type employmentForm struct {
	Person    store.PractitionerRecord
	URN       string
	Role      string
	Started   dateField
	RoleItems []any
	FixedURN  bool
	form
}

func (s *Server) employmentNew(w http.ResponseWriter, r *http.Request) error {
	u, _ := currentUser(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.db.Practitioner(r.Context(), policy.People(u), id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := employmentForm{Person: p, URN: q.Get("setting"), Role: q.Get("role"), Started: dateFieldOf(domain.Today()), RoleItems: roleItems()}
	if u.Role == domain.RoleSettingManager {
		f.URN, f.FixedURN = u.Org.SettingURN, true
	}
	if f.Role == "" {
		f.Role = string(domain.RolePractitioner)
	}
	return s.render(w, r, "employment-new", "Record an employment", f)
}

func (s *Server) employmentCreate(w http.ResponseWriter, r *http.Request) error {
	u, _ := currentUser(r)
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.db.Practitioner(ctx, policy.People(u), id)
	if err != nil {
		return err
	}
	f := employmentForm{Person: p, URN: strings.ToUpper(strings.TrimSpace(r.PostFormValue("setting"))), Role: r.PostFormValue("role"),
		Started: readDate(r, "started"), RoleItems: roleItems()}
	if u.Role == domain.RoleSettingManager {
		f.URN, f.FixedURN = u.Org.SettingURN, true
	}
	var st store.SettingRecord
	if f.URN == "" {
		f.fail("setting", "Enter the Ofsted URN of the setting")
	} else {
		st, err = s.db.Setting(ctx, policy.Settings(u), f.URN)
		switch {
		case errors.Is(err, store.ErrNotFound):
			f.fail("setting", "No setting with URN "+f.URN+" that you can manage")
		case err != nil:
			return err
		case !policy.CanManageStaff(u, st.Setting):
			f.fail("setting", "You cannot record staff at "+st.DisplayName())
		}
	}
	role, ok := domain.ParseEmploymentRole(f.Role)
	f.check(ok, "role", "Select the role at this setting")
	started, msg := f.Started.parse("the start date")
	if msg != "" {
		f.fail("started-day", msg)
	}
	if !f.valid() {
		return s.renderForm(w, r, "employment-new", "Record an employment", f)
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.AddEmployment(ctx, domain.ActorOf(u), domain.Employment{PractitionerID: p.ID, SettingURN: st.URN, Role: role, StartedOn: started})
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		f.fail("role", "This employment is already recorded")
		return s.renderForm(w, r, "employment-new", "Record an employment", f)
	}
	if err != nil {
		return err
	}
	s.redirectFlash(w, r, settingPath(st.URN), fmt.Sprintf("%s recorded as %s from %s", p.FullName(), role.Label(), started.Long()))
	return nil
}

type endForm struct {
	Employment store.EmploymentRecord
	Ended      dateField
	form
}

// loadManagedEmployment loads an employment in scope that the user may end.
func (s *Server) loadManagedEmployment(r *http.Request) (store.EmploymentRecord, error) {
	u, _ := currentUser(r)
	id, err := pathID(r, "id")
	if err != nil {
		return store.EmploymentRecord{}, err
	}
	e, err := s.db.Employment(r.Context(), policy.People(u), id)
	if err != nil {
		return e, err
	}
	if _, err := s.loadManagedSetting(r, e.SettingURN); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return e, errForbidden
		}
		return e, err
	}
	return e, nil
}

func (s *Server) employmentEndForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadManagedEmployment(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "employment-end", "End an employment", endForm{Employment: e, Ended: dateFieldOf(domain.Today())})
}

func (s *Server) employmentEnd(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadManagedEmployment(r)
	if err != nil {
		return err
	}
	u, _ := currentUser(r)
	f := endForm{Employment: e, Ended: readDate(r, "ended")}
	ended, msg := f.Ended.parse("the end date")
	switch {
	case msg != "":
		f.fail("ended-day", msg)
	case ended.Before(e.StartedOn):
		f.fail("ended-day", "The end date must be on or after the start date, "+e.StartedOn.Long())
	case !e.EndedOn.IsZero():
		f.fail("ended-day", "This employment already ended on "+e.EndedOn.Long())
	}
	if !f.valid() {
		return s.renderForm(w, r, "employment-end", "End an employment", f)
	}
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := tx.EndEmployment(r.Context(), domain.ActorOf(u), e.Employment, ended)
		return err
	})
	if err != nil {
		return err
	}
	s.redirectFlash(w, r, settingPath(e.SettingURN), fmt.Sprintf("%s's employment as %s ends on %s", e.PractitionerName, e.Role.Label(), ended.Long()))
	return nil
}

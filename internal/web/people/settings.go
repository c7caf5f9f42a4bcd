package people

import (
	"net/http"
	"net/url"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/daily"
	"senco/internal/web/page"
)

const settingsPageSize = 50

type settingsSearchData struct {
	Filter    store.SettingFilter
	Page      store.SettingPage
	LAOptions []any
	TypeItems []any
	ShowLA    bool
	page.Span
	page.Form
}

func (s *Handlers) Settings(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	scope := policy.Settings(u)
	if policy.HasOwnSetting(u) {
		http.Redirect(w, r, "/settings/"+url.PathEscape(scope.SettingURN), http.StatusSeeOther)
		return nil
	}
	if !policy.CanSearchSettings(u) {
		return page.ErrForbidden
	}
	q := r.URL.Query()
	d := settingsSearchData{ShowLA: scope.Kind == policy.National}
	f := store.SettingFilter{Q: strings.TrimSpace(q.Get("q")), LACode: q.Get("la"), Register: q.Get("register"), PageSize: settingsPageSize}
	if t := domain.ProviderType(q.Get("type")); t != "" {
		if !t.Valid() {
			d.Fail("type", "Choose a provider type from the list")
		} else {
			f.Type = t
		}
	}
	switch st := domain.SettingStatus(q.Get("status")); st {
	case "", domain.Active, domain.Closed:
		f.Status = st
	default:
		d.Fail("status", "Choose active or closed")
	}
	switch f.Register {
	case "", "eyr", "ccr", "vcr":
	default:
		d.Fail("register", "Choose a register from the list")
		f.Register = ""
	}
	n, err := page.Number(r)
	if err != nil {
		return err
	}
	f.Page = n
	f.Page = max(f.Page, 1)
	if !d.ShowLA {
		f.LACode = ""
	}
	d.Filter = f
	if d.Valid() {
		d.Page, err = s.DB.SearchSettings(r.Context(), scope, f)
		if err != nil {
			return err
		}
	}
	if d.ShowLA {
		las, err := s.DB.AllLocalAuthorities(r.Context())
		if err != nil {
			return err
		}
		d.LAOptions = append(d.LAOptions, map[string]any{"value": "", "text": "Any local authority"},
			map[string]any{"value": "none", "text": "Not recorded by Ofsted"})
		for _, la := range las {
			text := la.Name
			if !la.EndedOn.IsZero() {
				text += " (ended " + la.EndedOn.Long() + ")"
			}
			d.LAOptions = append(d.LAOptions, map[string]any{"value": la.Code, "text": text})
		}
	}
	d.TypeItems = append(d.TypeItems, map[string]any{"value": "", "text": "Any type"})
	for _, t := range domain.ProviderTypes {
		d.TypeItems = append(d.TypeItems, map[string]any{"value": string(t), "text": t.Label()})
	}
	d.Span = page.SpanOf(r.URL, f.Page, settingsPageSize, d.Page.Total, len(d.Page.Settings))
	status := http.StatusOK
	if !d.Valid() {
		status = http.StatusUnprocessableEntity
	}
	return s.RenderStatus(w, r, status, "settings", "Settings", d)
}

type settingShowData struct {
	Setting     store.SettingRecord
	CanManage   bool
	SeesStaff   bool
	Current     []store.EmploymentRecord
	Past        []store.EmploymentRecord
	SENCONow    []store.EmploymentRecord
	SENCOBefore []store.EmploymentRecord
	Eligible    bool
	Today       domain.Date
	// Training is where each current employment's person stands with SENCO
	// training, by employment id; Standing is the designated SENCO's
	// (page.StaffList.DesignatedSENCO).
	Training map[int64]page.StaffRow
	Standing string
}

// TrainingOf is the SENCO training of the person in employment id.
func (d settingShowData) TrainingOf(id int64) page.StaffRow { return d.Training[id] }

func (s *Handlers) Setting(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	st, err := s.DB.Setting(ctx, policy.Settings(u), r.PathValue("urn"))
	if err != nil {
		return err
	}
	d := settingShowData{Setting: st, CanManage: policy.CanManageSettingStaff(u, st.Setting),
		Today: s.Today()}
	d.Eligible = domain.EligibleSetting(st.Setting, d.Today)
	people := policy.People(u)
	if policy.CanSeeSettingStaff(u) {
		d.SeesStaff = true
		all, err := s.DB.Employments(ctx, people, store.PeopleFilter{SettingURN: st.URN, PageSize: 1000})
		if err != nil {
			return err
		}
		lines, err := daily.SettingStaff(ctx, s.DB.Reader(), st.URN, d.Today)
		if err != nil {
			return err
		}
		// Only the employments the user's scope lists are shown; the rows
		// only say how each of them stands.
		rows := page.StaffRows(lines, d.Today)
		d.Training = map[int64]page.StaffRow{}
		for _, row := range rows {
			d.Training[row.EmploymentID] = row
		}
		d.Standing = rows.DesignatedSENCO()
		for _, e := range all.Employments {
			current := e.Covers(d.Today)
			if current {
				d.Current = append(d.Current, e)
			} else {
				d.Past = append(d.Past, e)
			}
			if e.Role == domain.RoleSENCO {
				if current {
					d.SENCONow = append(d.SENCONow, e)
				} else {
					d.SENCOBefore = append(d.SENCOBefore, e)
				}
			}
		}
	}
	return s.Render(w, r, "setting", st.DisplayName(), d)
}

// loadManagedSetting loads a setting in the user's scope and checks they may
// manage its staff.
func (s *Handlers) loadManagedSetting(r *http.Request, urn string) (store.SettingRecord, error) {
	u, _ := page.CurrentUser(r)
	st, err := s.DB.Setting(r.Context(), policy.Settings(u), urn)
	if err != nil {
		return st, err
	}
	if !policy.CanManageStaff(u, st.Setting) {
		return st, page.ErrForbidden
	}
	return st, nil
}

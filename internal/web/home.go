package web

import (
	"net/http"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/web/page"
)

type homeData struct {
	Role         domain.Role
	LAs          []store.LACounts
	Totals       store.LACounts
	Setting      *store.SettingRecord
	SENCOs       []store.EmploymentRecord
	Staff        int
	Practitioner *store.PractitionerRecord
	Employments  []store.EmploymentRecord
	Today        domain.Date
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	u, ok := page.CurrentUser(r)
	if !ok {
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return nil
	}
	ctx := r.Context()
	d := homeData{Role: u.Role, Today: s.site.Today()}
	if policy.CanListLAs(u) {
		las, err := s.db.LocalAuthoritiesWithCounts(ctx, policy.Settings(u), d.Today)
		if err != nil {
			return err
		}
		d.LAs = las
		for _, la := range las {
			d.Totals.Settings += la.Settings
			d.Totals.Eligible += la.Eligible
			d.Totals.Closed += la.Closed
		}
	}
	if sc := policy.Settings(u); policy.HasOwnSetting(u) {
		st, err := s.db.Setting(ctx, sc, sc.SettingURN)
		if err != nil {
			return err
		}
		d.Setting = &st
		if policy.CanSeeSettingStaff(u) {
			staff, err := s.db.Employments(ctx, policy.People(u), store.PeopleFilter{SettingURN: st.URN, CurrentOn: d.Today})
			if err != nil {
				return err
			}
			d.Staff = staff.Total
			for _, e := range staff.Employments {
				if e.Role == domain.RoleSENCO {
					d.SENCOs = append(d.SENCOs, e)
				}
			}
		}
	}
	if u.Role == domain.RoleLearner && u.PractitionerID != 0 {
		p, err := s.db.Practitioner(ctx, policy.People(u), u.PractitionerID)
		if err != nil {
			return err
		}
		d.Practitioner = &p
		emps, err := s.db.Employments(ctx, policy.People(u), store.PeopleFilter{PractitionerID: p.ID})
		if err != nil {
			return err
		}
		d.Employments = emps.Employments
	}
	return s.site.Render(w, r, "home", "Home", d)
}

func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) error {
	return s.site.Render(w, r, "accessibility", "Accessibility statement", nil)
}

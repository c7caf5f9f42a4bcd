package people

import (
	"net/http"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/web/page"
)

type laListData struct {
	Regions []laRegion
	Today   domain.Date
}

type laRegion struct {
	Name   string
	LAs    []store.LACounts
	Totals store.LACounts
}

func (s *Handlers) LAs(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	scope := policy.Settings(u)
	if scope.Kind == policy.LA {
		http.Redirect(w, r, "/local-authorities/"+scope.LACode, http.StatusSeeOther)
		return nil
	}
	d := laListData{Today: s.Today()}
	las, err := s.DB.LocalAuthoritiesWithCounts(r.Context(), scope, d.Today)
	if err != nil {
		return err
	}
	idx := map[string]int{}
	for _, la := range las {
		i, ok := idx[la.RegionName]
		if !ok {
			i = len(d.Regions)
			idx[la.RegionName] = i
			d.Regions = append(d.Regions, laRegion{Name: la.RegionName})
		}
		reg := &d.Regions[i]
		reg.LAs = append(reg.LAs, la)
		reg.Totals.Settings += la.Settings
		reg.Totals.Eligible += la.Eligible
	}
	return s.Render(w, r, "las", "Local authorities", d)
}

type laShowData struct {
	LA     domain.LocalAuthority
	Counts []store.TypeCount
	Totals store.TypeCount
	Today  domain.Date
	Ended  bool
}

func (s *Handlers) LA(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	scope := policy.Settings(u)
	la, err := s.DB.LocalAuthority(r.Context(), scope, r.PathValue("code"))
	if err != nil {
		return err
	}
	d := laShowData{LA: la, Today: s.Today()}
	d.Ended = la.Ended(d.Today)
	d.Counts, err = s.DB.SettingCountsByType(r.Context(), scope, la.Code, d.Today)
	if err != nil {
		return err
	}
	for _, c := range d.Counts {
		d.Totals.Active += c.Active
		d.Totals.Closed += c.Closed
		d.Totals.Eligible += c.Eligible
		d.Totals.Places += c.Places
	}
	return s.Render(w, r, "la", la.Name, d)
}

package api

import (
	"net/http"

	"senco/internal/domain"
	"senco/internal/store"
)

type laAttributes struct {
	Code       string  `json:"code"`
	DfECode    *string `json:"dfe_code"`
	Name       string  `json:"name"`
	OfstedName *string `json:"ofsted_name"`
	RegionCode string  `json:"region_code"`
	RegionName string  `json:"region_name"`
	StartedOn  date    `json:"started_on"`
	EndedOn    date    `json:"ended_on"`
}

func laResource(la domain.LocalAuthority) resource {
	return resource{ID: la.Code, Type: "local_authority", Attributes: laAttributes{
		Code: la.Code, DfECode: optional(la.DfECode), Name: la.Name, OfstedName: optional(la.OfstedName),
		RegionCode: la.RegionCode, RegionName: la.RegionName, StartedOn: date(la.StartedOn), EndedOn: date(la.EndedOn),
	}}
}

var laList = listSpec{filters: []string{"region"}}

// listLocalAuthorities lists every authority, live and ended, by name:
// reference data that every token may read.
func (a *API) listLocalAuthorities(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), laList)
	if err != nil {
		return nil, err
	}
	region, param := q.filter("region")
	if param != "" && !regionPattern.MatchString(region) {
		return nil, badParam(param, "%s must be an ONS region code such as E12000007, not %q", param, region)
	}
	match, err := a.db.LocalAuthorities(r.Context(), store.LAFilter{Region: region, UpdatedSince: q.updatedSince})
	if err != nil {
		return nil, err
	}
	// Reference data of under 200 rows, the same for every caller.
	return pageOf(q, match, func(la store.LARecord) resource { return laResource(la.LocalAuthority) }), nil
}

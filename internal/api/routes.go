package api

import "net/http"

// route is one method and path the API serves. Path is both the ServeMux
// pattern's path and the OpenAPI document's path key.
type route struct {
	Method string
	Path   string
	Public bool // served without a token
	handle handlerFunc
}

// routes is every route of the API, in one table: New registers exactly
// these, and the OpenAPI test checks the document against them.
func (a *API) routes() []route {
	return []route{
		{Method: http.MethodGet, Path: "/api/v1/openapi.json", Public: true, handle: a.openAPI},
		{Method: http.MethodGet, Path: "/api/v1/local-authorities", handle: a.listLocalAuthorities},
		{Method: http.MethodGet, Path: "/api/v1/settings", handle: a.listSettings},
		{Method: http.MethodGet, Path: "/api/v1/settings/{urn}", handle: a.getSetting},
		{Method: http.MethodGet, Path: "/api/v1/practitioners", handle: a.listPractitioners},
		{Method: http.MethodGet, Path: "/api/v1/practitioners/{id}", handle: a.getPractitioner},
		{Method: http.MethodGet, Path: "/api/v1/employments", handle: a.listEmployments},
		{Method: http.MethodGet, Path: "/api/v1/employments/{id}", handle: a.getEmployment},
	}
}

func (a *API) openAPI(r *http.Request, c caller) (any, error) {
	return rawJSON(a.openapi), nil
}

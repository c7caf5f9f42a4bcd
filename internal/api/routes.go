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
		{Method: http.MethodGet, Path: "/api/v1/cohorts", handle: a.listCohorts},
		{Method: http.MethodPost, Path: "/api/v1/cohorts", handle: a.createCohort},
		{Method: http.MethodGet, Path: "/api/v1/cohorts/{id}", handle: a.getCohort},
		{Method: http.MethodGet, Path: "/api/v1/cohorts/{id}/sessions", handle: a.listCohortSessions},
		{Method: http.MethodPost, Path: "/api/v1/cohorts/{id}/sessions", handle: a.createSession},
		{Method: http.MethodGet, Path: "/api/v1/sessions/{id}", handle: a.getSession},
		{Method: http.MethodGet, Path: "/api/v1/sessions/{id}/attendance", handle: a.getAttendance},
		{Method: http.MethodPut, Path: "/api/v1/sessions/{id}/attendance", handle: a.putAttendance},
		{Method: http.MethodGet, Path: "/api/v1/applications", handle: a.listApplications},
		{Method: http.MethodPost, Path: "/api/v1/applications", handle: a.createApplication},
		{Method: http.MethodGet, Path: "/api/v1/applications/{id}", handle: a.getApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/accept", handle: a.acceptApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/reject", handle: a.rejectApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/defer", handle: a.deferApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/resume", handle: a.resumeApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/withdraw", handle: a.withdrawApplication},
		{Method: http.MethodPost, Path: "/api/v1/applications/{id}/transfer", handle: a.transferApplication},
		{Method: http.MethodGet, Path: "/api/v1/learners", handle: a.listLearners},
		{Method: http.MethodGet, Path: "/api/v1/coverage", handle: a.getCoverage},
		{Method: http.MethodGet, Path: "/api/v1/programmes/{id}/progress", handle: a.getProgress},
	}
}

func (a *API) openAPI(r *http.Request, c caller) (any, error) {
	return rawJSON(a.openapi), nil
}

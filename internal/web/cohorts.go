package web

import "net/http"

// cohortRoutes registers the supplier's and trainer's pages: cohorts,
// sessions, attendance and the supplier's actions on applications.
func (s *Server) cohortRoutes(mux *http.ServeMux, signedIn func(appHandler) http.Handler) {
}

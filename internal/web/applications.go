package web

import "net/http"

// applicationRoutes registers applications: the practitioner's journey,
// the setting's nominations, the application page, and the awarding
// organisation's registration and certification.
func (s *Server) applicationRoutes(mux *http.ServeMux, signedIn func(appHandler) http.Handler) {
}

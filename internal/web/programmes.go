package web

import "net/http"

// programmeRoutes registers the programme team's pages: programmes,
// suppliers and contracts, the qualification catalogue and the
// manual-review queue.
func (s *Server) programmeRoutes(mux *http.ServeMux, signedIn func(appHandler) http.Handler) {
}

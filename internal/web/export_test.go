package web

// PagePatterns lists the patterns of the table of pages, in its order, for
// the route matrix in package web_test.
func PagePatterns(s *Server) []string {
	var out []string
	for _, rt := range s.pageRoutes() {
		out = append(out, rt.pattern)
	}
	return out
}

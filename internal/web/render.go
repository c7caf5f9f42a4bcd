package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
)

// form collects validation errors in the order fields appear, for the GOV.UK
// error summary and each field's error message.
type form struct {
	Errors     map[string]string
	ErrorOrder []string
}

func (f *form) fail(field, msg string) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	if _, seen := f.Errors[field]; !seen {
		f.ErrorOrder = append(f.ErrorOrder, field)
		f.Errors[field] = msg
	}
}

func (f *form) check(ok bool, field, msg string) {
	if !ok {
		f.fail(field, msg)
	}
}

func (f *form) valid() bool { return len(f.Errors) == 0 }

// ErrorList is the error summary's list: each error linking to its field.
func (f form) ErrorList() []any {
	out := make([]any, 0, len(f.ErrorOrder))
	for _, k := range f.ErrorOrder {
		out = append(out, map[string]any{"text": f.Errors[k], "href": "#" + k})
	}
	return out
}

// formErrors lets the layout find a page's form errors whatever its type.
type formErrors interface{ ErrorList() []any }

// navItem is a link in the service navigation.
type navItem struct {
	Href, Text string
	Current    bool
}

// view is what every page template receives.
type view struct {
	Title      string
	User       *domain.User
	Nav        []map[string]any
	Path       string
	Data       any
	ErrorList  []any
	Version    string
	DemoUsers  []DemoUser
	SignedOut  bool
	StatusCode int
	APITokens  bool // the user may create API tokens: linked beside their name
}

func parsePages() (map[string]*template.Template, error) {
	base, err := template.New("base").Funcs(templateFuncs()).ParseFS(templateFS, "templates/components/*.tmpl", "templates/layout.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/pages/*.tmpl")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/pages/"), ".tmpl")
		// Execute against an empty view now, so a page that names a missing
		// partial fails at start-up rather than in front of a user.
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("page %s does not define \"content\"", n)
		}
		pages[name] = t
	}
	return pages, nil
}

func (s *Server) nav(u *domain.User, path string) []map[string]any {
	if u == nil {
		return nil
	}
	var items []navItem
	items = append(items, navItem{Href: "/", Text: "Home"})
	if policy.Settings(*u).Kind != policy.Nothing {
		text := "Settings"
		if policy.Settings(*u).Kind == policy.Setting {
			text = "Your setting"
		}
		items = append(items, navItem{Href: "/settings", Text: text})
	}
	if policy.CanListLAs(*u) {
		// Local authorities are reached from the coverage and home pages.
		items = append(items, navItem{Href: "/coverage", Text: "Coverage"})
	}
	if policy.CanManageProgrammes(*u) {
		// Suppliers and the review queue are reached from the programmes page,
		// so the bar stays on one line.
		items = append(items, navItem{Href: "/programmes", Text: "Programmes"})
	}
	switch policy.Delivery(*u).Kind {
	case policy.National, policy.Org, policy.LA, policy.Setting, policy.Awarding:
		items = append(items, navItem{Href: "/applications", Text: "Applications"})
	}
	switch policy.Delivery(*u).Kind {
	case policy.National, policy.Org, policy.Staffed, policy.LA:
		items = append(items, navItem{Href: "/cohorts", Text: "Cohorts"})
	}
	if u.Role == domain.RoleLearner {
		items = append(items, navItem{Href: "/my-training", Text: "Your training"})
	}
	if policy.CanSeeStaff(*u) && u.Role != domain.RoleLearner {
		items = append(items, navItem{Href: "/people", Text: "People"})
	}
	if policy.CanReadAudit(*u) {
		items = append(items, navItem{Href: "/audit", Text: "Audit log"})
	}
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		m := map[string]any{"href": it.Href, "text": it.Text}
		switch {
		case it.Href == path:
			m["current"] = true
		case it.Href != "/" && strings.HasPrefix(path, it.Href):
			m["active"] = true
		}
		out = append(out, m)
	}
	return out
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, page, title string, data any) error {
	return s.renderStatus(w, r, http.StatusOK, page, title, data)
}

// renderForm re-renders a form with its errors: 422, as the request was
// understood but refused.
func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, page, title string, data any) error {
	return s.renderStatus(w, r, http.StatusUnprocessableEntity, page, title, data)
}

// renderStatus renders into a buffer first, so a template error is a clean
// 500 and never half a page.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	v := view{Title: title, Path: r.URL.Path, Data: data, Version: s.cfg.Version, StatusCode: status}
	if u, ok := currentUser(r); ok {
		v.User = &u
		v.Nav = s.nav(&u, r.URL.Path)
		v.APITokens = policy.CanUseAPI(u)
	}
	if fe, ok := data.(formErrors); ok {
		v.ErrorList = fe.ErrorList()
		if len(v.ErrorList) > 0 {
			v.Title = "Error: " + title
		}
	}
	if page == "sign-in" {
		v.DemoUsers = s.cfg.DemoUsers
		v.SignedOut = r.URL.Query().Get("signed_out") == "1"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		if status >= 500 {
			http.Error(w, "Sorry, there is a problem with the service", http.StatusInternalServerError)
			return nil
		}
		return fmt.Errorf("render %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// pathID reads a numeric path value; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

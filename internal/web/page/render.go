// Package page is what every room of the web service shares: the site that
// renders a page into a buffer before writing it, the form that collects
// validation errors for the GOV.UK error summary, the signed-in user, the
// one-line flash after a redirect, and one formatter per kind of figure.
package page

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// Handler is a page handler that returns an error to one place that renders
// it, instead of writing its own error page.
type Handler func(w http.ResponseWriter, r *http.Request) error

// Errors handlers return to say what the user sees.
var (
	ErrNotFound  = errors.New("page not found")
	ErrForbidden = errors.New("forbidden")
)

// DemoUser is a demo sign-in shown on the sign-in page.
type DemoUser struct{ Email, Password, Role string }

// Site is what a handler needs to answer: the store, the log, and the
// parsed pages it renders.
type Site struct {
	DB    *store.DB
	Log   *slog.Logger
	Pages map[string]*template.Template // from Parse
	// Version is shown in the footer; DemoUsers on the sign-in page in demo
	// mode only.
	Version       string
	DemoUsers     []DemoUser
	SecureCookies bool
}

// Today is the business date: the store's clock in London, so a test that
// sets the store's clock sets every page's today with it.
func (s *Site) Today() domain.Date { return domain.DateOf(s.DB.Now()) }

// Form collects validation errors in the order fields appear, for the GOV.UK
// error summary and each field's error message.
type Form struct {
	Errors     map[string]string
	ErrorOrder []string
}

// Fail records msg against field, keeping the first message per field.
func (f *Form) Fail(field, msg string) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	if _, seen := f.Errors[field]; !seen {
		f.ErrorOrder = append(f.ErrorOrder, field)
		f.Errors[field] = msg
	}
}

// Check fails field with msg unless ok.
func (f *Form) Check(ok bool, field, msg string) {
	if !ok {
		f.Fail(field, msg)
	}
}

// Valid reports whether no field failed.
func (f *Form) Valid() bool { return len(f.Errors) == 0 }

// ErrorList is the error summary's list: each error linking to its field.
func (f Form) ErrorList() []any {
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

// View is what every page template receives.
type View struct {
	Title     string
	User      *domain.User
	Nav       []map[string]any
	Path      string
	Data      any
	ErrorList []any
	Version   string
	DemoUsers []DemoUser
	SignedOut bool
	// Flash is the confirmation a form's redirect left for this page.
	Flash      string
	StatusCode int
	APITokens  bool // the user may create API tokens: linked beside their name
}

// nav is the service navigation: what package policy says u is offered,
// with the current page marked.
func nav(u *domain.User, path string) []map[string]any {
	if u == nil {
		return nil
	}
	var items []navItem
	items = append(items, navItem{Href: "/", Text: "Home"})
	switch {
	case policy.CanSearchSettings(*u):
		items = append(items, navItem{Href: "/settings", Text: "Settings"})
	case policy.HasOwnSetting(*u):
		items = append(items, navItem{Href: "/settings", Text: "Your setting"})
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
	if policy.NavApplications(*u) {
		items = append(items, navItem{Href: "/applications", Text: "Applications"})
	}
	if policy.CanSeePortfolio(*u) {
		items = append(items, navItem{Href: "/portfolio", Text: map[bool]string{true: "Your portfolio", false: "Portfolios"}[u.Role == domain.RoleLearner]})
	}
	if policy.NavCohorts(*u) {
		items = append(items, navItem{Href: "/cohorts", Text: "Cohorts"})
	}
	if policy.NavOwnTraining(*u) {
		items = append(items, navItem{Href: "/my-training", Text: "Your training"})
	}
	if policy.NavPeople(*u) {
		items = append(items, navItem{Href: "/people", Text: "People"})
	}
	if policy.CanSeeStatements(*u) {
		items = append(items, navItem{Href: "/statements", Text: "Statements"})
	}
	if policy.CanClaimCover(*u) {
		items = append(items, navItem{Href: "/claims", Text: "Claims for cover"})
	}
	if policy.CanCertify(*u) {
		items = append(items, navItem{Href: "/awarding", Text: "Register and certify"})
	}
	if policy.CanSeeQuality(*u) && !policy.CanCertify(*u) {
		// The awarding organisation reaches its external QA from its queues.
		items = append(items, navItem{Href: "/quality", Text: "Quality assurance"})
	}
	if policy.CanResolveActions(*u) {
		items = append(items, navItem{Href: "/quality/actions", Text: "QA actions"})
	}
	if policy.NavGrowth(*u) {
		items = append(items, navItem{Href: "/growth", Text: "Growth"})
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

// Render renders page with data and status 200.
func (s *Site) Render(w http.ResponseWriter, r *http.Request, page, title string, data any) error {
	return s.RenderStatus(w, r, http.StatusOK, page, title, data)
}

// RenderForm re-renders a form with its errors: 422, as the request was
// understood but refused.
func (s *Site) RenderForm(w http.ResponseWriter, r *http.Request, page, title string, data any) error {
	return s.RenderStatus(w, r, http.StatusUnprocessableEntity, page, title, data)
}

// RenderStatus renders into a buffer first, so a template error is a clean
// 500 and never half a page.
func (s *Site) RenderStatus(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) error {
	t, ok := s.Pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	v := View{Title: title, Path: r.URL.Path, Data: data, Version: s.Version, StatusCode: status}
	if u, ok := CurrentUser(r); ok {
		v.User = &u
		v.Nav = nav(&u, r.URL.Path)
		v.APITokens = policy.CanUseAPI(u)
	}
	if fe, ok := data.(formErrors); ok {
		v.ErrorList = fe.ErrorList()
		if len(v.ErrorList) > 0 {
			v.Title = "Error: " + title
		}
	}
	if status == http.StatusOK {
		v.Flash = s.TakeFlash(w, r)
	}
	if page == "sign-in" {
		v.DemoUsers = s.DemoUsers
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

// Itoa prints an id.
func Itoa(n int64) string { return strconv.FormatInt(n, 10) }

// PathID reads a numeric path value; anything else is not found.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, ErrNotFound
	}
	return id, nil
}

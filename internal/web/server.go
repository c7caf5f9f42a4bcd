// Package web serves senco's pages: server-rendered HTML with GOV.UK
// Frontend, working without JavaScript. Handlers load through the store with
// the caller's scope from package policy, validate, then render or redirect.
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"senco/internal/auth"
	"senco/internal/store"
)

// Config is what the web server needs.
type Config struct {
	DB            *store.DB
	Hasher        *auth.Hasher
	Log           *slog.Logger
	API           http.Handler // mounted at /api/v1/
	SecureCookies bool
	Version       string
	DemoUsers     []DemoUser // listed on the sign-in page in demo mode only
	// Registry receives the server's metrics; nil makes a new one.
	Registry *prometheus.Registry
	// MetricsElsewhere leaves /metrics off this handler, for a deployment
	// that serves the Registry on an address of its own.
	MetricsElsewhere bool
	// SessionIdle is how long a session lasts without use (default 2 h);
	// SessionMax caps its whole life (default 12 h).
	SessionIdle time.Duration
	SessionMax  time.Duration
	// Throttle holds back repeated failed sign-ins (zero: auth.DefaultThrottle).
	Throttle auth.Throttle
	// TrustedProxies are the proxies whose X-Forwarded-For says who the
	// client is; behind one, every request would otherwise seem to come
	// from the proxy, and throttling one source would hold back everyone.
	TrustedProxies []netip.Prefix
}

// DemoUser is a demo sign-in shown on the sign-in page.
type DemoUser struct{ Email, Password, Role string }

// Server is the web application.
type Server struct {
	cfg     Config
	db      *store.DB
	log     *slog.Logger
	pages   map[string]*template.Template
	metrics *metrics
	handler http.Handler
	// pageCache keeps the coverage dashboards between changes to the data.
	pageCache *pageCache
}

// New parses the templates (failing at start-up, not at first use, when a
// page names a partial that does not exist) and builds the routes.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil || cfg.Hasher == nil {
		return nil, errors.New("web: DB and Hasher are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 2 * time.Hour
	}
	if cfg.SessionMax == 0 {
		cfg.SessionMax = 12 * time.Hour
	}
	if cfg.Throttle == (auth.Throttle{}) {
		cfg.Throttle = auth.DefaultThrottle
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, db: cfg.DB, log: cfg.Log, pages: pages, metrics: newMetrics(cfg.Registry), pageCache: newPageCache(64 << 20)}
	s.handler = s.routes()
	return s, nil
}

// Handler is the whole service: pages, API, static files and operations.
func (s *Server) Handler() http.Handler { return s.handler }

// Errors handlers return to say what the user sees.
var (
	errNotFound  = errors.New("page not found")
	errForbidden = errors.New("forbidden")
)

// appHandler is a handler that returns an error to one place that renders
// it (handle).
type appHandler func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(h appHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		switch {
		case errors.Is(err, errNotFound), errors.Is(err, store.ErrNotFound):
			s.renderStatus(w, r, http.StatusNotFound, "not-found", "Page not found", nil)
		case errors.Is(err, errForbidden):
			s.renderStatus(w, r, http.StatusForbidden, "forbidden", "You cannot do that", nil)
		case errors.Is(err, context.Canceled):
			// The client went away; nothing to send.
		default:
			s.log.ErrorContext(r.Context(), "request failed", "err", err, "path", r.URL.Path, "request_id", requestID(r.Context()))
			s.renderStatus(w, r, http.StatusInternalServerError, "error", "Sorry, there is a problem with the service", nil)
		}
	})
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	// Operations and static files need no session.
	mux.Handle("GET /static/", StaticHandler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", s.readyz)
	if !s.cfg.MetricsElsewhere {
		mux.Handle("GET /metrics", s.metricsHandler())
	}
	if s.cfg.API != nil {
		mux.Handle("/api/v1/", s.cfg.API)
	}

	// Pages: public ones take the session if there is one; protected ones
	// require it. Each route's protection is visible at its line.
	public := func(h appHandler) http.Handler { return s.withSession(s.handle(h)) }
	signedIn := func(h appHandler) http.Handler { return s.withSession(s.requireUser(s.handle(h))) }

	mux.Handle("GET /{$}", public(s.home))
	mux.Handle("GET /sign-in", public(s.signInForm))
	mux.Handle("POST /sign-in", public(s.signIn))
	mux.Handle("POST /sign-out", public(s.signOut))
	mux.Handle("GET /accessibility", public(s.accessibility))

	mux.Handle("GET /settings", signedIn(s.settingsSearch))
	mux.Handle("GET /settings/{urn}", signedIn(s.settingShow))
	mux.Handle("GET /settings/{urn}/staff/new", signedIn(s.staffNew))
	mux.Handle("POST /settings/{urn}/staff", signedIn(s.staffCreate))
	mux.Handle("GET /local-authorities", signedIn(s.laList))
	mux.Handle("GET /local-authorities/{code}", signedIn(s.laShow))

	mux.Handle("GET /people", signedIn(s.peopleList))
	mux.Handle("GET /people/import", signedIn(s.peopleImportForm))
	mux.Handle("POST /people/import", signedIn(s.peopleImport))
	mux.Handle("GET /people/import/template.csv", signedIn(s.peopleImportTemplate))
	mux.Handle("GET /people/{id}", signedIn(s.personShow))
	mux.Handle("GET /people/{id}/employments/new", signedIn(s.employmentNew))
	mux.Handle("POST /people/{id}/employments", signedIn(s.employmentCreate))
	mux.Handle("GET /employments/{id}/end", signedIn(s.employmentEndForm))
	mux.Handle("POST /employments/{id}/end", signedIn(s.employmentEnd))

	mux.Handle("GET /audit", signedIn(s.auditList))
	mux.Handle("GET /api-tokens", signedIn(s.tokenList))
	mux.Handle("POST /api-tokens", signedIn(s.tokenCreate))
	mux.Handle("GET /api-tokens/{id}/revoke", signedIn(s.tokenRevokeForm))
	mux.Handle("POST /api-tokens/{id}/revoke", signedIn(s.tokenRevoke))

	// Training delivery: each area registers its own routes.
	s.programmeRoutes(mux, signedIn)
	s.cohortRoutes(mux, signedIn)
	s.applicationRoutes(mux, signedIn)
	s.coverageRoutes(mux, signedIn)

	mux.Handle("/", public(func(w http.ResponseWriter, r *http.Request) error { return errNotFound }))

	// Every state-changing request must come from our own pages: browsers
	// send Sec-Fetch-Site / Origin, which CrossOriginProtection checks. API
	// clients authenticate with bearer tokens and send neither.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderStatus(w, r, http.StatusForbidden, "forbidden", "You cannot do that", nil)
	}))
	return s.observe(cop.Handler(securityHeaders(mux)))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready", "err", err)
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}

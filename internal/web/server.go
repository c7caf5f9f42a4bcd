// Package web serves senco's pages: server-rendered HTML with GOV.UK
// Frontend, working without JavaScript. It holds the server, its middleware,
// sign-in, the home page and the table of every route (routes.go); the
// pages themselves live in a package per area (apply, delivery, coverage,
// programme, people) over the shared package page. Handlers load through
// the store with the caller's scope from package policy, validate, then
// render or redirect.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"senco/internal/auth"
	"senco/internal/catalogue"
	"senco/internal/files"
	"senco/internal/openid"
	"senco/internal/pdf"
	"senco/internal/report"
	"senco/internal/store"
	storegrowth "senco/internal/store/growth"
	"senco/internal/web/apply"
	"senco/internal/web/assurance"
	"senco/internal/web/coverage"
	"senco/internal/web/delivery"
	"senco/internal/web/growth"
	"senco/internal/web/money"
	"senco/internal/web/page"
	"senco/internal/web/people"
	"senco/internal/web/portfolio"
	"senco/internal/web/programme"
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
	// Files keeps uploaded evidence; nil keeps it in a temporary directory
	// (tests).
	Files files.Store
	// MailConfigured: notifications are mailed as well as kept in the outbox.
	MailConfigured bool
	// PDF prints documents (statements); nil offers none.
	PDF *pdf.Renderer
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
	// OpenID offers sign-in through an OpenID Connect provider beside
	// the password form; nil offers none.
	OpenID *openid.Client
}

// DemoUser is a demo sign-in shown on the sign-in page.
type DemoUser = page.DemoUser

// Server is the web application.
type Server struct {
	cfg     Config
	db      *store.DB
	log     *slog.Logger
	site    *page.Site
	metrics *metrics
	handler http.Handler
	// pageCache keeps the coverage dashboards between changes to the data.
	pageCache *pageCache
	// coverage keeps the coverage reports that pages other than the
	// dashboards show (an LA officer's home), between changes to the data.
	coverageCache *report.CoverageCache

	// The rooms: one set of handlers per area of the service.
	apply     *apply.Handlers
	delivery  *delivery.Handlers
	coverage  *coverage.Handlers
	programme *programme.Handlers
	money     *money.Handlers
	people    *people.Handlers
	portfolio *portfolio.Handlers
	assurance *assurance.Handlers
	growth    *growth.Handlers
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
	if cfg.Files == nil {
		dir, err := os.MkdirTemp("", "senco-files-")
		if err != nil {
			return nil, fmt.Errorf("web: files: %w", err)
		}
		if cfg.Files, err = files.NewDir(dir); err != nil {
			return nil, err
		}
	}
	pages, err := page.Parse(templateFS, templateFuncs())
	if err != nil {
		return nil, err
	}
	frameworks, err := catalogue.ReviewFrameworks()
	if err != nil {
		return nil, err
	}
	pathway, err := catalogue.Pathway()
	if err != nil {
		return nil, err
	}
	site := &page.Site{DB: cfg.DB, Log: cfg.Log, Pages: pages, Version: cfg.Version,
		DemoUsers: cfg.DemoUsers, SecureCookies: cfg.SecureCookies}
	s := &Server{cfg: cfg, db: cfg.DB, log: cfg.Log, site: site, metrics: newMetrics(cfg.Registry), pageCache: newPageCache(64 << 20), coverageCache: report.NewCoverageCache(256),
		apply:     &apply.Handlers{Site: site, PDF: cfg.PDF.Available()},
		delivery:  &delivery.Handlers{Site: site},
		coverage:  &coverage.Handlers{Site: site},
		programme: &programme.Handlers{Site: site},
		money:     &money.Handlers{Site: site, PDF: cfg.PDF},
		people:    &people.Handlers{Site: site, Static: staticFS},
		portfolio: &portfolio.Handlers{Site: site, Files: cfg.Files, MailConfigured: cfg.MailConfigured},
		assurance: &assurance.Handlers{Site: site, PDF: cfg.PDF, Lookups: assurance.NewLimiter(20, 10)},
		growth:    &growth.Handlers{Site: site, Frameworks: frameworks, Pathway: pathway, Impact: storegrowth.NewCache()},
	}
	s.handler = s.routes()
	return s, nil
}

// Handler is the whole service: pages, API, static files and operations.
func (s *Server) Handler() http.Handler { return s.handler }

// handle renders the error a handler returns: the one place that decides
// what a user sees when a page fails.
func (s *Server) handle(h page.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		switch {
		case errors.Is(err, page.ErrNotFound), errors.Is(err, store.ErrNotFound):
			s.site.RenderStatus(w, r, http.StatusNotFound, "not-found", "Page not found", nil)
		case errors.Is(err, page.ErrForbidden):
			s.site.RenderStatus(w, r, http.StatusForbidden, "forbidden", "You cannot do that", nil)
		case errors.Is(err, context.Canceled):
			// The client went away; nothing to send.
		default:
			s.log.ErrorContext(r.Context(), "request failed", "err", err, "path", r.URL.Path, "request_id", requestID(r.Context()))
			s.site.RenderStatus(w, r, http.StatusInternalServerError, "error", "Sorry, there is a problem with the service", nil)
		}
	})
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

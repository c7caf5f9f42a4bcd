// Package api is senco's JSON API under /api/v1, for suppliers, awarding
// organisations, local authorities and the programme team. It follows the
// conventions of DESIGN.md section 7 (the shapes of the Department for
// Education's programme APIs) and mirrors the UI's permissions exactly: every
// read passes the scope from package policy to the store query.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/store"
)

// API is the JSON API. Build it with New and mount Handler at /api/v1/.
type API struct {
	db      *store.DB
	log     *slog.Logger
	limiter *limiter
	now     func() time.Time // for the rate limiter; tests replace it
	mux     *http.ServeMux
	openapi []byte
	// coverage keeps coverage counts between changes to the data.
	coverage *report.CoverageCache
}

// Option configures an API.
type Option func(*API)

// WithRateLimit sets the per-token rate limit: perSecond requests a second
// on average with bursts of up to burst. perSecond <= 0 turns limiting off.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(a *API) { a.limiter = newLimiter(perSecond, burst) }
}

// Default rate limit per token.
const (
	DefaultRatePerSecond = 20
	DefaultBurst         = 40
)

// New returns the JSON API. Handler serves every path under /api/v1/ (full
// paths, e.g. "/api/v1/settings"); the caller mounts it with
// mux.Handle("/api/v1/", a.Handler()).
func New(db *store.DB, log *slog.Logger, opts ...Option) *API {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &API{db: db, log: log, limiter: newLimiter(DefaultRatePerSecond, DefaultBurst), now: time.Now, coverage: report.NewCoverageCache(256)}
	for _, o := range opts {
		o(a)
	}
	doc, err := json.MarshalIndent(openAPIDocument(), "", "  ")
	if err != nil {
		// The document is a constant Go value: failing to marshal it is a
		// programming error that every test run would catch.
		panic(fmt.Sprintf("api: marshal OpenAPI document: %v", err))
	}
	a.openapi = doc
	a.mux = http.NewServeMux()
	for _, rt := range a.routes() {
		a.mux.Handle(rt.Method+" "+rt.Path, a.wrap(rt))
	}
	return a
}

// Handler serves the API. Paths and methods the API does not know get JSON
// 404 and 405 responses rather than the mux's plain text.
func (a *API) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := a.mux.Handler(r)
		if pattern != "" {
			a.mux.ServeHTTP(w, r)
			return
		}
		// No route: ask the mux what it would answer (404, or 405 with
		// Allow) and say it in JSON.
		rec := &headerRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusMethodNotAllowed:
			allow := rec.header.Get("Allow")
			w.Header().Set("Allow", allow)
			a.fail(w, r, caller{}, newError(http.StatusMethodNotAllowed, "%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, allow))
		case http.StatusNotFound:
			a.fail(w, r, caller{}, newError(http.StatusNotFound, "There is no API route %s; see /api/v1/openapi.json", r.URL.Path))
		default: // e.g. a redirect to the canonical path
			a.mux.ServeHTTP(w, r)
		}
	})
}

// headerRecorder captures the status and headers the mux's own 404 and 405
// handlers write, discarding their plain-text bodies.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(status int)      { h.status = status }

// caller is who a request acts for: the token, the user who created it,
// and that user's scope for what the route reads (the route's Scope).
type caller struct {
	user  domain.User
	token store.APIToken
	scope policy.Scope
}

// handlerFunc answers one route: it returns the document to send with 200,
// or an error that fail turns into a response.
type handlerFunc func(r *http.Request, c caller) (any, error)

// rawJSON is a response body already encoded.
type rawJSON []byte

// wrap is the middleware chain of a route: authentication, rate limit,
// permission to use the API and the route's own permit, then the handler
// with the caller's scope; errors go to fail.
func (a *API) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var c caller
		if !rt.Public {
			var err error
			c, err = a.authenticate(r)
			if err != nil {
				a.fail(w, r, c, err)
				return
			}
			if ok, wait := a.limiter.allow(c.token.ID, a.now()); !ok {
				secs := int(wait.Seconds())
				if time.Duration(secs)*time.Second < wait {
					secs++
				}
				secs = max(secs, 1)
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				a.fail(w, r, c, newError(http.StatusTooManyRequests, "This token has made too many requests; try again in %d seconds", secs))
				return
			}
			if !policy.CanUseAPI(c.user) {
				a.fail(w, r, c, forbidden(c, "use the API"))
				return
			}
			a.markUsed(r.Context(), c)
			if rt.Permit.allows != nil && !rt.Permit.allows(c.user) {
				a.fail(w, r, c, forbidden(c, rt.Permit.action))
				return
			}
			if rt.Scope != nil {
				c.scope = rt.Scope(c.user)
			}
		}
		body, err := rt.handle(r, c)
		if err != nil {
			a.fail(w, r, c, err)
			return
		}
		a.send(w, r, c, http.StatusOK, body)
	})
}

// authenticate finds the user of the request's bearer token.
func (a *API) authenticate(r *http.Request) (caller, error) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" {
		e := newError(http.StatusUnauthorized, "Send an API token in the header Authorization: Bearer <token>")
		e.headers = map[string]string{"WWW-Authenticate": `Bearer realm="senco"`}
		return caller{}, e
	}
	invalid := newError(http.StatusUnauthorized, "The API token is not valid: it may be mistyped, expired or revoked")
	invalid.headers = map[string]string{"WWW-Authenticate": `Bearer realm="senco", error="invalid_token"`}
	scheme, secret, ok := strings.Cut(h, " ")
	secret = strings.TrimSpace(secret)
	if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
		invalid.Detail = "The Authorization header must be Bearer <token>"
		return caller{}, invalid
	}
	u, t, err := a.db.APITokenUser(r.Context(), auth.HashToken(secret))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return caller{}, invalid
	case err != nil:
		return caller{}, fmt.Errorf("look up api token: %w", err)
	}
	return caller{user: u, token: t}, nil
}

// markUsed records the token's last use. The store writes at most once a
// minute per token; checking here first keeps a busy client's reads from
// queueing on the writer at all.
func (a *API) markUsed(ctx context.Context, c caller) {
	if !c.token.LastUsedAt.IsZero() && a.db.Now().Sub(c.token.LastUsedAt) < time.Minute {
		return
	}
	if err := a.db.MarkAPITokenUsed(ctx, c.token.ID); err != nil {
		a.log.Warn("api: mark token used", "token_id", c.token.ID, "err", err)
	}
}

// Error is an API error: its status, a short title, a detail saying what
// was expected, and the query parameter or request body attribute (a JSON
// pointer such as /data/attributes/name) at fault if any. More are further
// errors of the same request, sent in the same document.
type Error struct {
	Status    int
	Title     string
	Detail    string
	Parameter string
	Pointer   string
	More      []*Error
	headers   map[string]string
}

func (e *Error) Error() string {
	if e.Parameter != "" {
		return fmt.Sprintf("%d %s: %s (%s)", e.Status, e.Title, e.Detail, e.Parameter)
	}
	return fmt.Sprintf("%d %s: %s", e.Status, e.Title, e.Detail)
}

// newError is an error of status: its title is the status's name, in
// sentence case as GOV.UK writes it ("Not found"); its detail is the
// formatted message.
func newError(status int, format string, args ...any) *Error {
	title := http.StatusText(status)
	return &Error{Status: status, Title: title[:1] + strings.ToLower(title[1:]), Detail: fmt.Sprintf(format, args...)}
}

// badParam is a 400 for a query parameter.
func badParam(param, format string, args ...any) *Error {
	e := newError(http.StatusBadRequest, format, args...)
	e.Parameter = param
	return e
}

// notFound is the 404 for a record that does not exist or is outside the
// caller's scope; the two read the same.
func notFound(what, id string) *Error {
	return newError(http.StatusNotFound, "There is no %s %s that this token may see", what, id)
}

// noRecord is the 404 of a record the store found no trace of in scope,
// when the request did not name it.
func noRecord() *Error {
	return newError(http.StatusNotFound, "There is no such record that this token may see")
}

// hidden is err, with the store's not-found (no such record, or one
// outside the scope the store was given) as the 404 of what raw names.
func hidden(err error, what, raw string) error {
	if errors.Is(err, store.ErrNotFound) {
		return notFound(what, raw)
	}
	return err
}

// lookup loads the record whose id the path names with load, which reads
// it in the caller's scope. An id that is not a positive whole number is
// no record: 404, as is one the scope leaves out.
func lookup[T any](r *http.Request, what string, load func(ctx context.Context, id int64) (T, error)) (T, error) {
	id, raw, err := pathID(r, what)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := load(r.Context(), id)
	return v, hidden(err, what, raw)
}

// pathID reads the id of the record, of kind what, that the path names,
// with the path's value as given for messages. Anything but a positive
// whole number is no record: 404.
func pathID(r *http.Request, what string) (id int64, raw string, err error) {
	raw = r.PathValue("id")
	id, ok := parseID(raw)
	if !ok {
		return 0, raw, notFound(what, raw)
	}
	return id, raw, nil
}

type errorDocument struct {
	Errors []errorObject `json:"errors"`
}

type errorObject struct {
	Status string       `json:"status"`
	Title  string       `json:"title"`
	Detail string       `json:"detail,omitempty"`
	Source *errorSource `json:"source,omitempty"`
}

type errorSource struct {
	Parameter string `json:"parameter,omitempty"`
	Pointer   string `json:"pointer,omitempty"`
}

// fail is the one place errors become responses and log lines. Logs carry
// the path but never the query (filter[q] may hold a person's name) nor any
// header.
func (a *API) fail(w http.ResponseWriter, r *http.Request, c caller, err error) {
	var e *Error
	if !errors.As(err, &e) {
		if errors.Is(err, store.ErrNotFound) {
			e = noRecord()
		} else {
			e = newError(http.StatusInternalServerError, "Something went wrong; the error has been logged")
		}
	}
	attrs := []any{"method", r.Method, "path", r.URL.Path, "status", e.Status}
	if c.token.ID != 0 {
		attrs = append(attrs, "token_id", c.token.ID, "user_id", c.user.ID, "org_id", c.user.Org.ID)
	}
	if e.Parameter != "" {
		attrs = append(attrs, "parameter", e.Parameter)
	}
	if e.Status >= 500 {
		a.log.Error("api request failed", append(attrs, "err", err)...)
	} else {
		// The detail of a refusal can name a learner; log its title only.
		a.log.Info("api request refused", append(attrs, "title", e.Title, "pointer", e.Pointer)...)
	}
	for k, v := range e.headers {
		w.Header().Set(k, v)
	}
	doc := errorDocument{}
	for _, one := range append([]*Error{e}, e.More...) {
		obj := errorObject{Status: strconv.Itoa(e.Status), Title: one.Title, Detail: one.Detail}
		if one.Parameter != "" || one.Pointer != "" {
			obj.Source = &errorSource{Parameter: one.Parameter, Pointer: one.Pointer}
		}
		doc.Errors = append(doc.Errors, obj)
	}
	a.send(w, r, c, e.Status, doc)
}

// send writes a JSON body, encoded in full before anything is written so an
// encoding error is a clean 500.
func (a *API) send(w http.ResponseWriter, r *http.Request, c caller, status int, body any) {
	var b []byte
	switch v := body.(type) {
	case rawJSON:
		b = v
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(body); err != nil {
			if status == http.StatusInternalServerError {
				http.Error(w, "internal server error", status)
				return
			}
			a.fail(w, r, c, fmt.Errorf("encode response: %w", err))
			return
		}
		b = buf.Bytes()
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	if h.Get("Cache-Control") == "" {
		// Responses may hold personal data: no shared caches.
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
}

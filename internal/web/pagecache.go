package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"golang.org/x/sync/singleflight"

	"senco/internal/domain"
	"senco/internal/web/page"
)

// The coverage dashboards count every eligible setting's staff and
// certificates: tens of milliseconds for an authority, seconds for England.
// Their answer changes only when the data they count changes, which
// store.CoverageVersion says in one indexed read; so a page is computed
// once per version and served again from memory until the version moves.
// "Live" still holds: the first request after any change computes afresh.

// pageCache keeps rendered pages by user, address, day and coverage
// version. It is bounded: when full, pages of older versions go first, and
// then everything.
type pageCache struct {
	// flight makes the requests that miss together wait for one
	// computation: after a change, fifty officers opening the same page
	// cost one count, not fifty at once.
	flight singleflight.Group

	mu       sync.Mutex
	pages    map[string]cachedPage
	bytes    int
	maxBytes int
}

type cachedPage struct {
	version            int64
	contentType        string
	contentDisposition string
	body               []byte
}

func newPageCache(maxBytes int) *pageCache {
	return &pageCache{pages: map[string]cachedPage{}, maxBytes: maxBytes}
}

func (c *pageCache) get(key string) (cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pages[key]
	return p, ok
}

func (c *pageCache) put(key string, p cachedPage) {
	if len(p.body) > c.maxBytes/4 {
		return // one page must not push out all the others
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.pages[key]; ok {
		c.bytes -= len(old.body)
	}
	if c.bytes+len(p.body) > c.maxBytes {
		for k, q := range c.pages {
			if q.version < p.version {
				c.bytes -= len(q.body)
				delete(c.pages, k)
			}
		}
		if c.bytes+len(p.body) > c.maxBytes {
			clear(c.pages)
			c.bytes = 0
		}
	}
	c.pages[key] = p
	c.bytes += len(p.body)
}

// capture holds a handler's response so it can be kept as well as sent.
type capture struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *capture) Header() http.Header         { return c.header }
func (c *capture) Write(b []byte) (int, error) { return c.body.Write(b) }
func (c *capture) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

// cachedByCoverage serves h's successful answers from the page cache while
// the coverage version stays the same. The key holds everything a page
// depends on besides the data: who is asking (their id, name, role and
// organisation, which decide scope, the navigation and the signed-in
// line), the whole address with its query, and today's date (the default
// as-at date).
func (s *Server) cachedByCoverage(h page.Handler) page.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, ok := page.CurrentUser(r)
		if !ok {
			return h(w, r)
		}
		version, err := s.db.CoverageVersion(r.Context())
		if err != nil {
			return err
		}
		key := fmt.Sprintf("%d\x00%s\x00%s\x00%d\x00%s\x00%s\x00%s\x00%d",
			u.ID, u.Name, u.Role, u.Org.ID, u.Org.Name, r.URL.RequestURI(), domain.DateOf(s.db.Now()), version)
		if p, ok := s.pageCache.get(key); ok {
			s.metrics.pageCache.WithLabelValues("hit").Inc()
			writeCached(w, p)
			return nil
		}
		s.metrics.pageCache.WithLabelValues("miss").Inc()
		v, err, _ := s.pageCache.flight.Do(key, func() (any, error) {
			// Computed for every request waiting on it: the first one
			// going away must not fail the others.
			c := &capture{header: http.Header{}}
			if err := h(c, r.WithContext(context.WithoutCancel(r.Context()))); err != nil {
				return nil, err
			}
			if c.status == 0 {
				c.status = http.StatusOK
			}
			if c.status == http.StatusOK && c.header.Get("Set-Cookie") == "" {
				s.pageCache.put(key, cachedPage{version: version, contentType: c.header.Get("Content-Type"),
					contentDisposition: c.header.Get("Content-Disposition"), body: c.body.Bytes()})
			}
			return c, nil
		})
		if err != nil {
			return err
		}
		c := v.(*capture)
		for k, vs := range c.header {
			w.Header()[k] = slices.Clone(vs)
		}
		w.WriteHeader(c.status)
		_, err = w.Write(c.body.Bytes())
		return err
	}
}

func writeCached(w http.ResponseWriter, p cachedPage) {
	h := w.Header()
	if p.contentType != "" {
		h.Set("Content-Type", p.contentType)
	}
	if p.contentDisposition != "" {
		h.Set("Content-Disposition", p.contentDisposition)
	}
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(p.body)
}

package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
	"senco/internal/web/page"
)

// TestCachedByCoverage checks the page cache: a page is computed once per
// coverage version however many ask for it at once, served from memory
// after that, and computed again once the version moves; failures and
// other users' pages are never served from it.
func TestCachedByCoverage(t *testing.T) {
	db := storetest.SQLite(t)
	s := &Server{db: db, metrics: newMetrics(prometheus.NewRegistry()), pageCache: newPageCache(1 << 20)}
	var computed atomic.Int64
	h := s.cachedByCoverage(func(w http.ResponseWriter, r *http.Request) error {
		n := computed.Add(1)
		time.Sleep(20 * time.Millisecond) // long enough for the others to arrive
		if r.URL.Query().Get("fail") != "" {
			return page.ErrNotFound
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "page %d for %s", n, r.URL.RequestURI())
		return nil
	})
	ask := func(user int64, path string) (string, error) {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r = r.WithContext(page.WithUser(r.Context(), domain.User{ID: user, Role: domain.RoleLAOfficer}))
		w := httptest.NewRecorder()
		err := h(w, r)
		return w.Body.String(), err
	}

	var wg sync.WaitGroup
	bodies := make([]string, 20)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i], _ = ask(1, "/coverage/la/E08000035")
		}()
	}
	wg.Wait()
	if n := computed.Load(); n != 1 {
		t.Errorf("20 requests at once computed the page %d times, want 1", n)
	}
	for _, b := range bodies {
		if b != "page 1 for /coverage/la/E08000035" {
			t.Fatalf("a waiting request got %q", b)
		}
	}
	if b, _ := ask(1, "/coverage/la/E08000035"); b != "page 1 for /coverage/la/E08000035" || computed.Load() != 1 {
		t.Errorf("asked again: %q after %d computations, want the kept page", b, computed.Load())
	}
	if b, _ := ask(2, "/coverage/la/E08000035"); b != "page 2 for /coverage/la/E08000035" {
		t.Errorf("another user got %q, want a page of their own", b)
	}
	if _, err := ask(1, "/coverage/la/E08000035?fail=1"); err != page.ErrNotFound {
		t.Errorf("a failing page: %v, want its error", err)
	}
	if _, err := ask(1, "/coverage/la/E08000035?fail=1"); err != page.ErrNotFound || computed.Load() != 4 {
		t.Errorf("a failing page was kept: %v after %d computations", err, computed.Load())
	}

	// Any change to what coverage counts moves the version.
	op := domain.OperatorActor("test")
	if err := db.InTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.UpsertLocalAuthorities(context.Background(), op, []domain.LocalAuthority{{Code: "E08000035", Name: "Leeds", OfstedName: "Leeds", RegionCode: "E12000003", RegionName: "Yorkshire and The Humber", StartedOn: domain.NewDate(1974, 4, 1)}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := ask(1, "/coverage/la/E08000035"); b != "page 5 for /coverage/la/E08000035" {
		t.Errorf("after a change: %q, want the page computed afresh", b)
	}
}

package report

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/singleflight"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// CoverageCache keeps BuildCoverage's answers while the store's coverage
// version (store.CoverageVersion) stays the same: England's counts take
// seconds at national scale and change only when the data they count
// does, so clients asking for the same area and date share one count
// until then. Requests that miss together wait for one computation. The
// reports it returns are shared: callers must not modify them.
type CoverageCache struct {
	flight singleflight.Group

	mu      sync.Mutex
	entries map[string]Coverage
	max     int
}

// NewCoverageCache keeps up to max reports; when full, it starts again.
func NewCoverageCache(max int) *CoverageCache {
	return &CoverageCache{entries: map[string]Coverage{}, max: max}
}

// Build is BuildCoverage(ctx, db, scope, asAt), counted once per version.
func (c *CoverageCache) Build(ctx context.Context, db *store.DB, scope policy.Scope, asAt domain.Date) (Coverage, error) {
	version, err := db.CoverageVersion(ctx)
	if err != nil {
		return Coverage{}, err
	}
	key := fmt.Sprintf("%d\x00%+v\x00%s", version, scope, asAt)
	c.mu.Lock()
	cov, ok := c.entries[key]
	c.mu.Unlock()
	if ok {
		return cov, nil
	}
	v, err, _ := c.flight.Do(key, func() (any, error) {
		// Counted for everyone waiting on it: the first caller going
		// away must not fail the others.
		cov, err := BuildCoverage(context.WithoutCancel(ctx), db, scope, asAt)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if len(c.entries) >= c.max {
			clear(c.entries)
		}
		c.entries[key] = cov
		c.mu.Unlock()
		return cov, nil
	})
	if err != nil {
		return Coverage{}, err
	}
	return v.(Coverage), nil
}

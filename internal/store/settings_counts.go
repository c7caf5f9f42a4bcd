package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// settingCounts keeps the totals of settings searches, by statement and
// arguments, for as long as the coverage version stays where it was when
// they were counted. The version moves in the writing transaction of
// every change to settings (and of other changes coverage is counted
// from, which only makes a kept total go sooner), whichever process makes
// it, so a kept total is never older than the register. A list page's
// COUNT(*) was most of its cost: filtered pages are asked for again and
// again between monthly releases, and each count reads every matching
// row. The zero value is ready to use.
type settingCounts struct {
	mu      sync.Mutex
	version int64
	totals  map[string]int
}

// maxKeptCounts bounds the memory kept: a few hundred bytes a search.
const maxKeptCounts = 4096

func (c *settingCounts) get(version int64, key string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return 0, false
	}
	n, ok := c.totals[key]
	return n, ok
}

func (c *settingCounts) put(version int64, key string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return // counted before a change another request has seen
	}
	if c.version != version || len(c.totals) >= maxKeptCounts {
		c.version, c.totals = version, make(map[string]int)
	}
	c.totals[key] = n
}

// countKey names a count statement with its arguments.
func countKey(st Statement) string {
	var b strings.Builder
	b.WriteString(st.SQL)
	for _, a := range st.Args {
		fmt.Fprintf(&b, "\x00%T:%v", a, a)
	}
	return b.String()
}

// countSettings returns the total of a search, kept or counted. The
// version is read before counting, so a total counted across a change is
// kept under the version before it and asked for again by anyone who has
// seen the change.
func (db *DB) countSettings(ctx context.Context, st Statement) (int, error) {
	version, err := db.CoverageVersion(ctx)
	if err != nil {
		return 0, err
	}
	key := countKey(st)
	if n, ok := db.counts.get(version, key); ok {
		return n, nil
	}
	var n int
	if err := db.read.QueryRowContext(ctx, st.SQL, st.Args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count settings: %w", err)
	}
	db.counts.put(version, key, n)
	return n, nil
}

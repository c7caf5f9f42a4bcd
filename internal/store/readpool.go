package store

import (
	"context"
	"database/sql"
	"sync"
)

// readPool is the pool reads run on. On SQLite it keeps each statement it
// is given prepared (stmts): modernc's driver parses a statement's text on
// every call, which was about a third of the CPU of reading a learner's
// portfolio. database/sql prepares a kept statement once on each
// connection it runs on. PostgreSQL's pgx keeps its own statement cache
// per connection, so there stmts is nil.
type readPool struct {
	*sql.DB
	stmts *stmtCache
}

func (p *readPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmts.get(ctx, p.DB, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

func (p *readPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmts.get(ctx, p.DB, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, query, args...)
}

func (p *readPool) Close() error {
	p.stmts.close()
	return p.DB.Close()
}

// stmtCache keeps up to max prepared statements by their text. Statements
// are built from a fixed set of pieces, so their texts are few; when full
// (texts built with a list of a varying length can outnumber the rest) it
// keeps what it has and the rest run unprepared, so nothing is closed
// while a request may be using it.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	max   int
}

func newStmtCache(max int) *stmtCache { return &stmtCache{stmts: map[string]*sql.Stmt{}, max: max} }

// get returns the statement prepared for query, preparing it if there is
// room; nil when there is not, or it does not prepare (the caller then
// runs the query as it is, which reports the error).
func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	st, ok := c.stmts[query]
	full := len(c.stmts) >= c.max
	c.mu.Unlock()
	if ok || full {
		return st
	}
	// Prepared for every request that will use it: one request going
	// away must not leave the statement unprepared.
	st, err := db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.stmts[query]; ok {
		st.Close() // prepared meanwhile by another request
		return old
	}
	c.stmts[query] = st
	return st
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, st := range c.stmts {
		st.Close()
		delete(c.stmts, k)
	}
}

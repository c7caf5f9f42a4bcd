package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// querier reads: the read pool, or a transaction that must see its own
// writes.
type querier interface {
	rowsQuerier
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queryStrings returns the first column of every row.
func queryStrings(ctx context.Context, q rowsQuerier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("query: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// statusIn is the SQL condition "col is one of the group", built from the
// domain's status groups so that SQL and Go cannot disagree on which
// statuses, say, hold a place. Statuses are the domain's constants, never
// user input, so they are written into the statement as literals; that
// keeps the statements' placeholders (and their plans) unchanged.
func statusIn[S ~string](col string, group []S) string {
	return col + " IN (" + statusList(group) + ")"
}

// statusNotIn is the negation of statusIn.
func statusNotIn[S ~string](col string, group []S) string {
	return col + " NOT IN (" + statusList(group) + ")"
}

// statusIs is the SQL condition "col is s".
func statusIs[S ~string](col string, s S) string {
	return col + " = " + statusList([]S{s})
}

func statusList[S ~string](group []S) string {
	var b strings.Builder
	for i, s := range group {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'" + strings.ReplaceAll(string(s), "'", "''") + "'")
	}
	return b.String()
}

// scanner is a row to read: *sql.Row or *sql.Rows.
type scanner = interface{ Scan(...any) error }

// collect runs a query and reads every row with scan: the loop every list
// needs, written once. what names the query in errors.
func collect[T any](ctx context.Context, q rowsQuerier, what string, scan func(scanner, *T) error, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// pageClause is the LIMIT and OFFSET of page number (from 1) of size rows
// (100 when size is not set), as placeholders added to a.
func pageClause(a *args, page, size int) string {
	if size <= 0 {
		size = 100
	}
	return ` LIMIT ` + a.add(size) + ` OFFSET ` + a.add((max(page, 1)-1)*size)
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"senco/internal/domain"
)

type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
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
func statusIn(col string, group []domain.Status) string {
	return col + " IN (" + statusList(group) + ")"
}

// statusNotIn is the negation of statusIn.
func statusNotIn(col string, group []domain.Status) string {
	return col + " NOT IN (" + statusList(group) + ")"
}

// statusIs is the SQL condition "col is s".
func statusIs(col string, s domain.Status) string {
	return col + " = " + statusList([]domain.Status{s})
}

func statusList(group []domain.Status) string {
	var b strings.Builder
	for i, s := range group {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'" + strings.ReplaceAll(string(s), "'", "''") + "'")
	}
	return b.String()
}

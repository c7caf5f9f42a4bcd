package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// notFound turns sql.ErrNoRows into ErrNotFound and wraps other errors.
func notFound(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return fmt.Errorf("%s: %w", what, err)
}

// isUniqueViolation reports whether err is a unique constraint failure on
// either database, for writes that race past a check.
func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505") || strings.Contains(msg, "duplicate key value")
}

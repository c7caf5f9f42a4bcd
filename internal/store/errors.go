package store

import (
	"database/sql"
	"errors"
	"fmt"
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

// Package storetest opens fresh, migrated databases for tests: an SQLite
// file in a temporary directory, and a schema of its own in the PostgreSQL
// named by SENCO_TEST_POSTGRES. Every store test runs on both.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"senco/internal/store"
)

// Each runs fn once on SQLite and once on PostgreSQL, as subtests. Without
// SENCO_TEST_POSTGRES the PostgreSQL run is skipped with a message, unless
// SENCO_REQUIRE_POSTGRES=1, when it fails.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachURL is Each with the database's URL too, for tests that open it
// from another process.
func EachURL(t *testing.T, fn func(t *testing.T, db *store.DB, url string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { db, u := SQLiteURL(t); fn(t, db, u) })
	t.Run("postgres", func(t *testing.T) { db, u := PostgresWithURL(t); fn(t, db, u) })
}

// SQLite opens a migrated database in a temporary directory.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	db, _ := SQLiteURL(t)
	return db
}

// SQLiteURL is SQLite with the database's URL.
func SQLiteURL(t testing.TB) (*store.DB, string) {
	t.Helper()
	ctx := context.Background()
	u := "sqlite:" + filepath.Join(t.TempDir(), "senco.db")
	db, err := store.Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db, u
}

// PostgresURL returns the test database URL, skipping or failing the test
// when there is none.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("SENCO_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("SENCO_REQUIRE_POSTGRES") == "1" {
			t.Fatal("SENCO_REQUIRE_POSTGRES=1 but SENCO_TEST_POSTGRES is not set: set it to a PostgreSQL URL such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
		}
		t.Skip("PostgreSQL tests skipped: set SENCO_TEST_POSTGRES to a PostgreSQL URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run them")
	}
	return u
}

// Postgres opens a migrated database in a new schema of the test database,
// dropped when the test ends.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	db, _ := PostgresWithURL(t)
	return db
}

// PostgresWithURL is Postgres with the URL of the database and its schema.
func PostgresWithURL(t testing.TB) (*store.DB, string) {
	t.Helper()
	ctx := context.Background()
	base := PostgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("PostgreSQL at SENCO_TEST_POSTGRES does not answer: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u := WithSearchPath(t, base, schema)
	db, err := store.Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db, u
}

// WithSearchPath returns the URL with its search_path set to schema.
func WithSearchPath(t testing.TB, base, schema string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("SENCO_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	if !strings.Contains(base, "sslmode") {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

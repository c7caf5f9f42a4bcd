package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"senco/internal/store/storetest"
)

// TestOnlySomeCommandsCreateADatabase runs every command that reads or
// writes data against a database that does not exist, and against one with
// no schema: each refuses, naming the database, and creates nothing. Then
// migrate creates it and the same command works.
func TestOnlySomeCommandsCreateADatabase(t *testing.T) {
	c := newCLI(t)
	typo := filepath.Join(c.dir, "typo.db")
	empty := filepath.Join(c.dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	people := c.file("people.csv", "given_name,family_name\nAda,Lovelace\n")
	for _, args := range [][]string{
		{"report", "coverage"},
		{"report", "progress", "--programme", "1"},
		{"report", "equity"},
		{"report", "gap", "--la", "E08000035"},
		{"import", "las", "--shipped"},
		{"import", "settings", "../../internal/register/testdata/ofsted_2021-08-31_small.csv"},
		{"import", "practitioners", "--org", "1", people},
		{"org", "list"},
		{"org", "add", "--kind", "la", "--name", "Leeds City Council", "--la", "E08000035"},
		{"user", "add", "--email", "x@example.org", "--name", "X", "--role", "programme_team", "--org", "1", "--password-stdin"},
		{"token", "create", "--email", "x@example.org", "--name", "t"},
	} {
		for _, path := range []string{typo, empty} {
			db := "sqlite:" + path
			code, out, errOut := c.run("a long enough password\n", append(args, "--db", db)...)
			if code == 0 || !strings.Contains(errOut, db) || !strings.Contains(errOut, "senco migrate") {
				t.Errorf("senco %s --db %s: exit %d, want a refusal naming the database\n%s%s", strings.Join(args, " "), db, code, out, errOut)
			}
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("senco %s created %s", strings.Join(args, " "), typo)
		}
	}
	// PostgreSQL: a database without the schema is refused too.
	t.Run("postgres", func(t *testing.T) {
		u := emptyPostgres(t)
		code, _, errOut := c.run("", "report", "coverage", "--db", u)
		if code == 0 || !strings.Contains(errOut, "has no senco schema") {
			t.Errorf("report coverage on an empty PostgreSQL schema: exit %d\n%s", code, errOut)
		}
	})
	c.must("migrate", "--db", "sqlite:"+typo)
	if out := c.must("report", "coverage", "--db", "sqlite:"+typo); !strings.Contains(out, "England") {
		t.Errorf("report after migrate:\n%s", out)
	}
}

// emptyPostgres is the URL of a new, empty schema in the test PostgreSQL.
func emptyPostgres(t *testing.T) string {
	base := storetest.PostgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	return storetest.WithSearchPath(t, base, schema)
}

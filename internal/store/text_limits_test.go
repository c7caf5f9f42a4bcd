package store_test

import (
	"context"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestTextLimits holds the database to the domain's limits: every column
// in domain.TextColumns is limited to its length, in both databases, and a
// write one character over is refused while one at the limit is stored,
// even by a caller that skips the domain's checks.
func TestTextLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		got, err := db.TextLimits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range domain.TextColumns() {
			if n := got[c.Table+"."+c.Column]; n != c.Max {
				t.Errorf("%s.%s: the database allows %d characters, the domain %d", c.Table, c.Column, n, c.Max)
			}
		}
		if len(got) != len(domain.TextColumns()) {
			t.Errorf("the database limits %d columns, the domain %d: %v", len(got), len(domain.TextColumns()), got)
		}

		op := domain.OperatorActor("test")
		// Characters, not bytes: "é" is two bytes in UTF-8.
		long := func(n int) string { return strings.Repeat("é", n) }
		write := func(what string, fn func(tx *store.Tx) error) error {
			t.Helper()
			return db.InTx(ctx, fn)
		}
		var org domain.Organisation
		if err := write("organisation", func(tx *store.Tx) error {
			var err error
			org, err = tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgProgramme, Name: long(domain.MaxTitleLength)})
			return err
		}); err != nil {
			t.Fatalf("an organisation name at the limit: %v", err)
		}
		if err := write("organisation", func(tx *store.Tx) error {
			_, err := tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgProgramme, Name: long(domain.MaxTitleLength + 1)})
			return err
		}); err == nil {
			t.Error("an organisation name over the limit was stored")
		}
		for _, p := range []struct {
			given, family string
			ok            bool
		}{
			{long(domain.MaxNameLength), long(domain.MaxNameLength), true},
			{long(domain.MaxNameLength + 1), "Smith", false},
			{"Ada", long(domain.MaxNameLength + 1), false},
		} {
			err := write("practitioner", func(tx *store.Tx) error {
				_, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: p.given, FamilyName: p.family, OwnerOrgID: org.ID})
				return err
			})
			if (err == nil) != p.ok {
				t.Errorf("practitioner %d+%d characters: %v", len([]rune(p.given)), len([]rune(p.family)), err)
			}
		}
		if err := write("user", func(tx *store.Tx) error {
			_, err := tx.CreateUser(ctx, op, domain.User{Email: "a@example.org", Name: long(domain.MaxNameLength + 1), Role: domain.RoleProgrammeTeam, Org: org}, "hash")
			return err
		}); err == nil {
			t.Error("a user name over the limit was stored")
		}
	})
}

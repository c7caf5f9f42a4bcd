package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report/reporttest"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestCoverageVersionMoves checks the number the dashboards cache by moves
// with each write coverage is counted from, in the writing transaction
// only when it commits, and not with reads.
func TestCoverageVersionMoves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		version := func() int64 {
			t.Helper()
			v, err := db.CoverageVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		moves := func(what string, fn func(tx *store.Tx) error) {
			t.Helper()
			before := version()
			if err := db.InTx(ctx, fn); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if after := version(); after <= before {
				t.Errorf("%s: the coverage version stayed at %d", what, before)
			}
		}
		seedLAs(t, db)
		s := setting("EY900001", "Version Nursery", domain.NonDomestic, "E08000035", true)
		moves("a setting added", func(tx *store.Tx) error { return tx.InsertSettings(ctx, []domain.Setting{s}) })
		var org domain.Organisation
		var p domain.Practitioner
		moves("a practitioner added", func(tx *store.Tx) error {
			var err error
			if org, err = tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgProgramme, Name: "Programme"}); err != nil {
				return err
			}
			p, err = tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "Vera", FamilyName: "Version", QualificationLevel: 3, OwnerOrgID: org.ID})
			return err
		})
		moves("an employment added", func(tx *store.Tx) error {
			_, err := tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p.ID, SettingURN: s.URN, Role: domain.RoleSENCO, StartedOn: domain.NewDate(2022, 1, 10)})
			return err
		})
		moves("a qualification recognised", func(tx *store.Tx) error {
			return tx.RecogniseQualification(ctx, op, p.ID, "Level 3 SENCO award", 3, domain.NewDate(2023, 5, 1))
		})

		// Reads leave it; a transaction that rolls back leaves it.
		before := version()
		if _, err := db.CoverageByLA(ctx, policy.Scope{Kind: policy.National}, domain.NewDate(2024, 1, 1)); err != nil {
			t.Fatal(err)
		}
		_ = db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.RecogniseQualification(ctx, op, p.ID, "Another award", 3, domain.NewDate(2024, 5, 1)); err != nil {
				return err
			}
			return errors.New("roll back")
		})
		if after := version(); after != before {
			t.Errorf("reads and a rolled-back write moved the version from %d to %d", before, after)
		}
	})
}

// TestCoverageVersionIgnoresAttendance checks a register's save, which
// touches only each learner's updated_at, leaves the version (and so the
// kept dashboards) alone, while any other change to an application moves it.
func TestCoverageVersionIgnoresAttendance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := reporttest.Seed(t, db)
		var id int64
		for _, v := range w.Apps {
			id = v
			break
		}
		version := func() int64 {
			t.Helper()
			v, err := db.CoverageVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		before := version()
		if err := db.RawExecForTest(ctx, fmt.Sprintf("UPDATE applications SET updated_at = updated_at WHERE id = %d", id)); err != nil {
			t.Fatal(err)
		}
		if after := version(); after != before {
			t.Errorf("touching updated_at moved the version from %d to %d", before, after)
		}
		if err := db.RawExecForTest(ctx, fmt.Sprintf("UPDATE applications SET status = status, updated_at = updated_at WHERE id = %d", id)); err != nil {
			t.Fatal(err)
		}
		if after := version(); after <= before {
			t.Errorf("a change to an application's status left the version at %d", after)
		}
	})
}

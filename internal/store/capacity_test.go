package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestPlacementsNeverOverfill places many eligible applicants into a
// cohort's last places at the same time: each placement counts the places
// and then writes, so without the cohort's lock two of them could both see
// the last place free (PostgreSQL under READ COMMITTED).
func TestPlacementsNeverOverfill(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDelivery(t, db)
		const applicants, capacity = 16, 3
		var cohort domain.Cohort
		var apps []store.Application
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			cohort, err = tx.CreateCohort(ctx, op, domain.Cohort{ContractID: f.contract.ID, SupplierOrgID: f.supplier.ID, Name: "Leeds last places",
				Mode: domain.Online, LACodes: []string{"E08000035"}, StartsOn: domain.NewDate(2026, 3, 1), EndsOn: domain.NewDate(2026, 7, 31), Capacity: capacity})
			if err != nil {
				return err
			}
			for i := range applicants {
				urn := fmt.Sprintf("EY1%05d", i)
				if err := tx.InsertSettings(ctx, []domain.Setting{setting(urn, "Leeds setting "+urn, domain.NonDomestic, "E08000035", true)}); err != nil {
					return err
				}
				p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: fmt.Sprint("Q", i), FamilyName: "Example",
					Email: fmt.Sprintf("q%d@example.org", i), DateOfBirth: domain.NewDate(1991, 1, 1+i), QualificationLevel: 3, OwnerOrgID: f.supplier.ID})
				if err != nil {
					return err
				}
				if _, err := tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p.ID, SettingURN: urn, Role: domain.RolePractitioner, StartedOn: domain.NewDate(2020, 1, 1)}); err != nil {
					return err
				}
				app, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: f.prog.ID, PractitionerID: p.ID, SettingURN: urn, AppliedOn: domain.NewDate(2026, 2, 1), Nominated: true})
				if err != nil {
					return err
				}
				if app.Status != domain.StatusEligible {
					return fmt.Errorf("applicant %d is %s (%s)", i, app.Status, app.Reason)
				}
				apps = append(apps, app)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := db.Cohort(ctx, f.national, cohort.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, len(apps))
		for i, app := range apps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = db.InTx(ctx, func(tx *store.Tx) error {
					_, err := tx.Place(ctx, op, app, rec, domain.NewDate(2026, 2, 20))
					return err
				})
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("placing applicant %d: %v", i, err)
			}
		}
		page, err := db.Applications(ctx, f.national, store.AppFilter{CohortID: cohort.ID, PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		placed := 0
		for _, a := range page.Applications {
			if a.Status.HoldsPlace() {
				placed++
			}
		}
		waiting, err := db.Applications(ctx, f.national, store.AppFilter{Waitlisted: cohort.ID, PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		if placed != capacity || waiting.Total != applicants-capacity {
			t.Errorf("%d placed into %d places, %d on the waiting list; want %d and %d", placed, capacity, waiting.Total, capacity, applicants-capacity)
		}
	})
}

// TestWaitingListMovesNeverOverfill moves people from a full cohort's
// waiting list into another cohort's few places from several requests at
// once: the moves that fit go through whole, the others are refused whole.
func TestWaitingListMovesNeverOverfill(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDelivery(t, db)
		const capacity, room = 1, 5
		var full, spare domain.Cohort
		var waiting []int64
		var apps []store.Application
		on := domain.NewDate(2026, 2, 20)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			mk := func(name string, capacity int) (domain.Cohort, error) {
				return tx.CreateCohort(ctx, op, domain.Cohort{ContractID: f.contract.ID, SupplierOrgID: f.supplier.ID, Name: name,
					Mode: domain.Online, LACodes: []string{"E08000035"}, StartsOn: domain.NewDate(2026, 3, 1), EndsOn: domain.NewDate(2026, 7, 31), Capacity: capacity})
			}
			if full, err = mk("Leeds full", capacity); err != nil {
				return err
			}
			if spare, err = mk("Leeds with space", room); err != nil {
				return err
			}
			for i := range 9 {
				urn := fmt.Sprintf("EY2%05d", i)
				if err := tx.InsertSettings(ctx, []domain.Setting{setting(urn, "Leeds setting "+urn, domain.NonDomestic, "E08000035", true)}); err != nil {
					return err
				}
				p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: fmt.Sprint("W", i), FamilyName: "Example",
					Email: fmt.Sprintf("w%d@example.org", i), DateOfBirth: domain.NewDate(1991, 1, 1+i), QualificationLevel: 3, OwnerOrgID: f.supplier.ID})
				if err != nil {
					return err
				}
				if _, err := tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p.ID, SettingURN: urn, Role: domain.RolePractitioner, StartedOn: domain.NewDate(2020, 1, 1)}); err != nil {
					return err
				}
				app, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: f.prog.ID, PractitionerID: p.ID, SettingURN: urn, AppliedOn: domain.NewDate(2026, 2, 1), Nominated: true})
				if err != nil {
					return err
				}
				apps = append(apps, app)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		fullRec, err := db.Cohort(ctx, f.national, full.ID)
		if err != nil {
			t.Fatal(err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			for _, app := range apps {
				waitlisted, err := tx.Place(ctx, op, app, fullRec, on)
				if err != nil {
					return err
				}
				if waitlisted {
					waiting = append(waiting, app.ID)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(waiting) != 8 {
			t.Fatalf("%d waiting, want 8", len(waiting))
		}
		fromRec, err := db.Cohort(ctx, f.national, full.ID)
		if err != nil {
			t.Fatal(err)
		}
		toRec, err := db.Cohort(ctx, f.national, spare.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Four moves of two people each into five places: two fit.
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = db.InTx(ctx, func(tx *store.Tx) error {
					return tx.MoveWaiting(ctx, op, waiting[2*i:2*i+2], fromRec, toRec, on)
				})
			}()
		}
		close(start)
		wg.Wait()
		moved := 0
		for i, err := range errs {
			if err == nil {
				moved++
				continue
			}
			if r, ok := store.IsRule(err); !ok || !strings.Contains(r.Msg, "Leeds with space has 1 free place") && !strings.Contains(r.Msg, "Leeds with space is full") {
				t.Errorf("move %d: %v, want a refusal for want of places", i, err)
			}
		}
		page, err := db.Applications(ctx, f.national, store.AppFilter{CohortID: spare.ID, PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		left, err := db.Applications(ctx, f.national, store.AppFilter{Waitlisted: full.ID, PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		if moved != 2 || page.Total != 4 || left.Total != 4 {
			t.Errorf("%d moves went through, %d placed on the cohort with space, %d still waiting; want 2, 4 and 4", moved, page.Total, left.Total)
		}
	})
}

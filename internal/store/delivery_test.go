package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/quality"
	"senco/internal/store/storetest"
)

type deliveryFixture struct {
	prog     domain.Programme
	supplier domain.Organisation
	other    domain.Organisation
	contract domain.Contract
	cohort   domain.Cohort
	people   []int64 // practitioners at EY000001 (Leeds)
	barking  int64   // a practitioner at EY000002 (Barking)
	national policy.Scope
	supScope policy.Scope
	otherSup policy.Scope
}

func newDelivery(t testing.TB, db *store.DB) *deliveryFixture {
	t.Helper()
	ctx := context.Background()
	seedLAs(t, db)
	f := &deliveryFixture{national: policy.Scope{Kind: policy.National}}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		ss := []domain.Setting{
			setting("EY000001", "Leeds Nursery", domain.NonDomestic, "E08000035", true),
			setting("EY000002", "Barking Nursery", domain.NonDomestic, "E09000002", true),
			setting("EY000003", "Leeds Two", domain.NonDomestic, "E08000035", true),
		}
		if err := tx.InsertSettings(ctx, ss); err != nil {
			return err
		}
		q, err := tx.SaveQualification(ctx, domain.Qualification{Code: "EYSENCO-L3", Version: 1, Title: "Level 3 Early Years SENCO", Level: 3, AwardingOrganisation: "Awarding Body", GuidedLearningHours: 34})
		if err != nil {
			return err
		}
		f.prog, err = tx.SaveProgramme(ctx, op, domain.Programme{Name: "National EY SENCO", QualificationID: q, OpensOn: domain.NewDate(2026, 1, 1),
			ClosesOn: domain.NewDate(2027, 12, 31), TargetCompletions: 5000, Rules: domain.DefaultRules()})
		if err != nil {
			return err
		}
		f.supplier, _ = tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgSupplier, Name: "Supplier A"})
		f.other, _ = tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgSupplier, Name: "Supplier B"})
		f.contract, err = tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: f.supplier.ID, ProgrammeID: f.prog.ID, LACodes: []string{"E08000035"},
			AllocatedPlaces: 100, PriceStarted: 30000, PriceRetained: 40000, PriceCompleted: 50000})
		if err != nil {
			return err
		}
		if _, err := tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: f.other.ID, ProgrammeID: f.prog.ID, RegionCodes: []string{"E12000007"}, AllocatedPlaces: 10}); err != nil {
			return err
		}
		f.cohort, err = tx.CreateCohort(ctx, op, domain.Cohort{ContractID: f.contract.ID, SupplierOrgID: f.supplier.ID, Name: "Leeds spring", Mode: domain.Blended,
			LACodes: []string{"E08000035"}, StartsOn: domain.NewDate(2026, 3, 1), EndsOn: domain.NewDate(2026, 7, 31), Capacity: 2})
		if err != nil {
			return err
		}
		_, err = tx.CreateCohort(ctx, op, domain.Cohort{ContractID: f.contract.ID, SupplierOrgID: f.supplier.ID, Name: "Barking", Mode: domain.Online,
			LACodes: []string{"E09000002"}, StartsOn: domain.NewDate(2026, 3, 1), EndsOn: domain.NewDate(2026, 7, 31), Capacity: 2})
		if _, ok := store.IsRule(err); !ok {
			return fmt.Errorf("cohort outside the contract's LAs: %v", err)
		}
		owner := f.supplier.ID
		for i := range 4 {
			urn := "EY000001"
			if i == 3 {
				urn = "EY000003"
			}
			p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: fmt.Sprint("P", i), FamilyName: "Example", Email: fmt.Sprintf("p%d@example.org", i),
				DateOfBirth: domain.NewDate(1990, 1, 1+i), QualificationLevel: 3, OwnerOrgID: owner})
			if err != nil {
				return err
			}
			if _, err := tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p.ID, SettingURN: urn, Role: domain.RolePractitioner, StartedOn: domain.NewDate(2020, 1, 1)}); err != nil {
				return err
			}
			f.people = append(f.people, p.ID)
		}
		b, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "B", FamilyName: "Barking", QualificationLevel: 3, OwnerOrgID: owner})
		f.barking = b.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.supScope = policy.Scope{Kind: policy.Org, OrgID: f.supplier.ID}
	f.otherSup = policy.Scope{Kind: policy.Org, OrgID: f.other.ID}
	return f
}

func inTx[T any](t *testing.T, db *store.DB, fn func(tx *store.Tx) (T, error)) (T, error) {
	t.Helper()
	var out T
	err := db.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

func TestDeliveryJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDelivery(t, db)
		day := domain.NewDate(2026, 2, 1)
		apply := func(pid int64, urn string) (store.Application, error) {
			return inTx(t, db, func(tx *store.Tx) (store.Application, error) {
				return tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: f.prog.ID, PractitionerID: pid, SettingURN: urn, AppliedOn: day, Nominated: true})
			})
		}
		a0, err := apply(f.people[0], "EY000001")
		if err != nil || a0.Status != domain.StatusEligible {
			t.Fatalf("first application: %+v %v", a0.Status, err)
		}
		if _, err := apply(f.people[0], "EY000001"); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate application: %v", err)
		}
		// A second person from the same setting uses up its one place: manual review.
		a1, _ := apply(f.people[1], "EY000001")
		if a1.Status != domain.StatusApplied || a1.Decision != domain.DecisionManual || a1.ReasonCode != "setting_places" {
			t.Fatalf("second at the setting: %s %s %s", a1.Status, a1.Decision, a1.ReasonCode)
		}
		// A manual decision stands through a re-run of the rules.
		a1, err = inTx(t, db, func(tx *store.Tx) (store.Application, error) {
			return tx.Decide(ctx, op, a1, true, true, "Large setting: second place agreed")
		})
		if err != nil || a1.Status != domain.StatusEligible {
			t.Fatalf("manual decision: %v %v", a1.Status, err)
		}
		a1, _ = inTx(t, db, func(tx *store.Tx) (store.Application, error) { return tx.Assess(ctx, op, a1.ID) })
		if a1.Status != domain.StatusEligible || a1.ReasonCode != "manual" {
			t.Fatalf("re-run overwrote the manual decision: %s %s", a1.Status, a1.ReasonCode)
		}
		a3, _ := apply(f.people[3], "EY000003")
		// Scope: supplier A (contract for Leeds) sees these; supplier B (London) does not.
		if _, err := db.Application(ctx, f.otherSup, a0.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other supplier reads the application: %v", err)
		}
		page, _ := db.Applications(ctx, f.supScope, store.AppFilter{})
		if page.Total != 3 {
			t.Fatalf("supplier sees %d applications, want 3", page.Total)
		}
		// Placing: capacity 2, the third goes on the waiting list.
		c, _ := db.Cohort(ctx, f.supScope, f.cohort.ID)
		for i, app := range []store.Application{a0, a1, a3} {
			app, _ = db.Application(ctx, f.supScope, app.ID)
			c, _ = db.Cohort(ctx, f.supScope, f.cohort.ID)
			wait, err := inTx(t, db, func(tx *store.Tx) (bool, error) { return tx.Place(ctx, op, app, c, day) })
			if err != nil || wait != (i == 2) {
				t.Fatalf("place %d: waitlisted=%v err=%v", i, wait, err)
			}
		}
		if _, err := db.Cohort(ctx, f.otherSup, f.cohort.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other supplier reads the cohort: %v", err)
		}
		// Sessions must fall within the cohort's dates.
		_, err = inTx(t, db, func(tx *store.Tx) (domain.Session, error) {
			return tx.AddSession(ctx, op, c.Cohort, domain.Session{Date: domain.NewDate(2026, 8, 1), Minutes: 360, Mode: domain.FaceToFace, Topic: "Late"})
		})
		if _, ok := store.IsRule(err); !ok {
			t.Fatalf("session after the cohort: %v", err)
		}
		var sessions []domain.Session
		for i := range 4 {
			s, err := inTx(t, db, func(tx *store.Tx) (domain.Session, error) {
				return tx.AddSession(ctx, op, c.Cohort, domain.Session{Date: domain.NewDate(2026, 3, 2+7*i), Minutes: 360, Mode: domain.FaceToFace, Topic: fmt.Sprint("Unit ", i+1)})
			})
			if err != nil {
				t.Fatal(err)
			}
			sessions = append(sessions, s)
		}
		// Attendance: a save based on an old version is refused; an unknown learner rejects the whole save.
		srec, _, err := db.Session(ctx, f.supScope, sessions[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		save := func(s store.SessionRecord, version int, marks map[int64]domain.Mark) error {
			_, err := inTx(t, db, func(tx *store.Tx) (int, error) { return 0, tx.SaveRegister(ctx, op, s, version, marks) })
			return err
		}
		if err := save(srec, srec.RegisterVersion, map[int64]domain.Mark{a0.ID: domain.Present, a3.ID: domain.Present}); err == nil {
			t.Fatal("a mark for a waiting-list applicant was accepted")
		}
		if err := save(srec, srec.RegisterVersion, map[int64]domain.Mark{a0.ID: domain.Present, a1.ID: domain.Half}); err != nil {
			t.Fatal(err)
		}
		if err := save(srec, srec.RegisterVersion, map[int64]domain.Mark{a0.ID: domain.Absent}); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("stale save: %v", err)
		}
		lines, _ := db.Register(ctx, srec)
		if len(lines) != 2 || lines[0].Mark == "" {
			t.Fatalf("register: %+v", lines)
		}
		for _, s := range sessions[1:] {
			sr, _, _ := db.Session(ctx, f.supScope, s.ID)
			if err := save(sr, sr.RegisterVersion, map[int64]domain.Mark{a0.ID: domain.Present, a1.ID: domain.Absent}); err != nil {
				t.Fatal(err)
			}
		}
		a0, _ = db.Application(ctx, f.national, a0.ID)
		if a0.Status != domain.StatusInTraining {
			t.Fatalf("first mark should start training: %s", a0.Status)
		}
		// Certifying before completion is refused.
		a0.LearnerNumber = ""
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := quality.Certify(ctx, tx, op, a0, "C-1", domain.NewDate(2026, 8, 1))
			return err
		})
		if r, ok := store.IsRule(err); !ok || r.Field != "status" {
			t.Fatalf("certify before completion: %v", err)
		}
		end := domain.NewDate(2026, 7, 31)
		done, rate, err := inTx2(t, db, func(tx *store.Tx) (bool, float64, error) { return tx.CompleteAssessment(ctx, op, a0, nil, end) })
		if err != nil || !done || rate != 1 {
			t.Fatalf("complete a0: %v %v %v", done, rate, err)
		}
		a1, _ = db.Application(ctx, f.national, a1.ID)
		done, rate, err = inTx2(t, db, func(tx *store.Tx) (bool, float64, error) { return tx.CompleteAssessment(ctx, op, a1, nil, end) })
		if err != nil || done || rate != 0.125 {
			t.Fatalf("a1 below the threshold: %v %v %v", done, rate, err)
		}
		a0, _ = db.Application(ctx, f.national, a0.ID)
		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.RegisterLearner(ctx, op, a0, "L-1", "1000000042") })
		if r, ok := store.IsRule(err); !ok || r.Field != "uln" {
			t.Fatalf("bad ULN: %v", err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.RegisterLearner(ctx, op, a0, "L-1", "1000000043") }); err != nil {
			t.Fatal(err)
		}
		a0, _ = db.Application(ctx, f.national, a0.ID)
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := quality.Certify(ctx, tx, op, a0, "C-1", domain.NewDate(2026, 8, 15))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		a0, _ = db.Application(ctx, f.national, a0.ID)
		if a0.Status != domain.StatusCertified || a0.CertificateNumber != "C-1" {
			t.Fatalf("certified: %+v", a0.Status)
		}
		// Withdrawing frees a place; an illegal transition is refused with a clear message.
		a1, _ = db.Application(ctx, f.national, a1.ID)
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.Withdraw(ctx, op, a1, domain.WithdrawWorkload, end, "") }); err != nil {
			t.Fatal(err)
		}
		a1, _ = db.Application(ctx, f.national, a1.ID)
		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.StartTraining(ctx, op, a1, end) })
		if r, ok := store.IsRule(err); !ok || r.Msg == "" {
			t.Fatalf("withdrawn → in training: %v", err)
		}
		events, _ := db.ApplicationEvents(ctx, a0.ID)
		if len(events) < 5 || events[len(events)-1].Event != "certified" {
			t.Fatalf("events: %+v", events)
		}
	})
}

func inTx2[A, B any](t *testing.T, db *store.DB, fn func(tx *store.Tx) (A, B, error)) (A, B, error) {
	t.Helper()
	var a A
	var b B
	err := db.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		a, b, err = fn(tx)
		return err
	})
	return a, b, err
}

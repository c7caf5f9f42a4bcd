package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/payments"
	"senco/internal/store/storetest"
)

// moneyWorld: two learners placed on the supplier's Leeds cohort of four
// weekly sessions from 2 March 2026; the first attends everything, the
// second misses the first session.
type moneyWorld struct {
	*deliveryFixture
	good, poor store.Application
	sessions   []store.SessionRecord
}

func newMoneyWorld(t *testing.T, db *store.DB) *moneyWorld {
	t.Helper()
	ctx := context.Background()
	w := &moneyWorld{deliveryFixture: newDelivery(t, db)}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var apps []store.Application
		for i, urn := range map[int]string{0: "EY000001", 3: "EY000003"} {
			app, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: w.prog.ID, PractitionerID: w.people[i], SettingURN: urn, AppliedOn: domain.NewDate(2026, 2, 1), Nominated: true})
			if err != nil {
				return err
			}
			apps = append(apps, app)
		}
		c, err := tx.ScopedCohort(ctx, w.supScope, w.cohort.ID)
		if err != nil {
			return err
		}
		for _, app := range apps {
			if _, err := tx.Place(ctx, op, app, c, domain.NewDate(2026, 2, 20)); err != nil {
				return err
			}
		}
		for i := range 4 {
			if _, err := tx.AddSession(ctx, op, c.Cohort, domain.Session{Date: domain.NewDate(2026, 3, 2+7*i), Minutes: 360, Mode: domain.FaceToFace, Topic: fmt.Sprint("Unit ", i+1)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := db.Applications(ctx, w.national, store.AppFilter{CohortID: w.cohort.ID})
	for _, a := range page.Applications {
		if a.PractitionerID == w.people[0] {
			w.good = a
		} else {
			w.poor = a
		}
	}
	w.sessions, _ = db.Sessions(ctx, w.cohort.ID)
	for i, s := range w.sessions {
		marks := map[int64]domain.Mark{w.good.ID: domain.Present, w.poor.ID: domain.Present}
		if i == 0 {
			marks[w.poor.ID] = domain.Absent
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.SaveRegister(ctx, op, s, s.RegisterVersion, marks) }); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func TestDeclarationsAndStatements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newMoneyWorld(t, db)
		clock := time.Date(2026, 4, 15, 10, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return clock })
		declare := func(app store.Application, m domain.Milestone, on domain.Date) (domain.Declaration, bool, error) {
			var d domain.Declaration
			var created bool
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				d, created, err = payments.Declare(ctx, tx, op, w.supScope, app.ID, m, on)
				return err
			})
			return d, created, err
		}
		// The records refuse what they do not support, and nothing is written.
		if _, _, err := declare(w.poor, domain.MilestoneStarted, domain.NewDate(2026, 3, 20)); err == nil {
			t.Fatal("started declared for a learner who missed the first session")
		} else if r, ok := domain.IsRefusal(err); !ok || r.Field != "milestone" {
			t.Fatalf("refusal: %v", err)
		}
		if _, _, err := declare(w.good, domain.MilestoneCompleted, domain.NewDate(2026, 3, 20)); err == nil {
			t.Fatal("completed declared for a learner in training")
		}
		if _, _, err := declare(w.good, domain.MilestoneStarted, domain.NewDate(2026, 5, 1)); err == nil {
			t.Fatal("declared for a date after today")
		}
		var otherErr error
		otherErr = db.InTx(ctx, func(tx *store.Tx) error {
			_, _, err := payments.Declare(ctx, tx, op, w.otherSup, w.good.ID, domain.MilestoneStarted, domain.NewDate(2026, 3, 20))
			return err
		})
		if !errors.Is(otherErr, store.ErrNotFound) {
			t.Fatalf("another supplier declared our learner: %v", otherErr)
		}
		if page, _ := payments.Declarations(ctx, db.Reader(), w.national, payments.DeclarationFilter{}); page.Total != 0 {
			t.Fatalf("refused declarations were written: %d", page.Total)
		}

		// Many identical requests at once make one declaration.
		var wg sync.WaitGroup
		ids := make([]int64, 8)
		errs := make([]error, 8)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, _, err := declare(w.good, domain.MilestoneStarted, domain.NewDate(2026, 3, 20))
				ids[i], errs[i] = d.ID, err
			}()
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Fatalf("concurrent declarations: ids %v errors %v", ids, errs)
			}
		}
		started, err := payments.Declaration(ctx, db.Reader(), w.supScope, ids[0])
		if err != nil || started.Amount != 30000 || started.State != domain.DeclarationEligible || started.Evidence == "" {
			t.Fatalf("started: %+v %v", started, err)
		}
		if _, err := payments.Declaration(ctx, db.Reader(), w.otherSup, started.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another supplier reads the declaration: %v", err)
		}
		retained, created, err := declare(w.good, domain.MilestoneRetained, domain.NewDate(2026, 3, 24))
		if err != nil || !created || retained.Amount != 40000 {
			t.Fatalf("retained: %+v %v %v", retained, created, err)
		}

		// March's statement gathers both; it stays open until 7 April.
		run := func(m domain.Month) payments.StatementRun {
			var r payments.StatementRun
			if err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				r, err = payments.GenerateStatements(ctx, tx, op, m)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return r
		}
		clock = time.Date(2026, 4, 5, 9, 0, 0, 0, time.UTC)
		if r := run(domain.Month{Year: 2026, Month: 3}); r.Statements != 1 || r.Lines != 2 || r.Closed != 0 {
			t.Fatalf("March run: %+v", r)
		}
		if r := run(domain.Month{Year: 2026, Month: 3}); r.Lines != 0 {
			t.Fatalf("a second run added lines: %+v", r)
		}
		sts, _ := payments.Statements(ctx, db.Reader(), w.supScope, payments.StatementFilter{})
		if len(sts) != 1 || sts[0].Total != 70000 || sts[0].State != domain.StatementOpen || sts[0].Lines != 2 {
			t.Fatalf("statements: %+v", sts)
		}
		if other, _ := payments.Statements(ctx, db.Reader(), w.otherSup, payments.StatementFilter{}); len(other) != 0 {
			t.Fatalf("another supplier sees statements: %+v", other)
		}
		march := sts[0]
		if err := db.InTx(ctx, func(tx *store.Tx) error { _, err := payments.AuthoriseStatement(ctx, tx, op, march.ID); return err }); err == nil {
			t.Fatal("authorised an open statement")
		}
		clock = time.Date(2026, 4, 8, 9, 0, 0, 0, time.UTC)
		if r := run(domain.Month{Year: 2026, Month: 4}); r.Closed != 1 {
			t.Fatalf("April run did not close March: %+v", r)
		}
		if d, _ := payments.Declaration(ctx, db.Reader(), w.national, started.ID); d.State != domain.DeclarationPayable {
			t.Fatalf("declaration on a payable statement is %s", d.State)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := payments.AuthoriseStatement(ctx, tx, op, march.ID); err != nil {
				return err
			}
			_, err := payments.PayStatement(ctx, tx, op, march.ID, "BACS-0001", domain.NewDate(2026, 4, 8))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if d, _ := payments.Declaration(ctx, db.Reader(), w.national, retained.ID); d.State != domain.DeclarationPaid {
			t.Fatalf("declaration on a paid statement is %s", d.State)
		}

		// Voided after payment: clawed back on the next statement.
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := payments.VoidDeclaration(ctx, tx, op, w.supScope, retained.ID, "Attendance was recorded against the wrong learner")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := run(domain.Month{Year: 2026, Month: 4}); r.Lines != 1 {
			t.Fatalf("clawback run: %+v", r)
		}
		sts, _ = payments.Statements(ctx, db.Reader(), w.national, payments.StatementFilter{})
		if len(sts) != 2 || sts[0].Month != (domain.Month{Year: 2026, Month: 4}) || sts[0].Total != -40000 {
			t.Fatalf("after the clawback: %+v", sts)
		}
		lines, _ := payments.StatementLines(ctx, db.Reader(), sts[0].ID)
		if len(lines) != 1 || lines[0].Kind != domain.LineClawback || lines[0].Amount != -40000 || lines[0].DeclarationID != retained.ID {
			t.Fatalf("clawback lines: %+v", lines)
		}
		// A statement is the sum of its lines.
		for _, s := range sts {
			lines, _ := payments.StatementLines(ctx, db.Reader(), s.ID)
			if domain.StatementTotal(lines) != s.Total {
				t.Errorf("statement %s: total %v, lines %v", s.Month, s.Total, domain.StatementTotal(lines))
			}
		}
		// Once clawed back, the milestone can be declared afresh.
		if _, created, err := declare(w.good, domain.MilestoneRetained, domain.NewDate(2026, 3, 30)); err != nil || !created {
			t.Fatalf("declared again after the void: %v %v", created, err)
		}
	})
}

// TestDeclarationFactsOfAPage: the facts a page of learners loads in one
// go are those Declare checks, learner by learner; the same person funded
// through another supplier is found by their record and by learner number.
func TestDeclarationFactsOfAPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newMoneyWorld(t, db)
		for _, tt := range []struct {
			on         domain.Date
			held       int
			goodRate   float64
			poorRate   float64
			firstKnown bool
		}{
			{domain.NewDate(2026, 3, 1), 0, 0, 0, false},
			{domain.NewDate(2026, 3, 10), 2, 1, 0.5, true},
			{domain.NewDate(2026, 4, 15), 4, 1, 0.75, true},
		} {
			facts, err := payments.LoadDeclarationFacts(ctx, db.Reader(), w.supplier.ID, []store.Application{w.good, w.poor}, tt.on)
			if err != nil {
				t.Fatal(err)
			}
			good, poor := facts[w.good.ID], facts[w.poor.ID]
			for _, f := range []domain.DeclarationFacts{good, poor} {
				if f.CohortSupplierOrgID != w.supplier.ID || f.SessionsPlanned != 4 || f.SessionsHeld != tt.held || f.Contract.ID == 0 || f.Threshold == 0 ||
					f.FirstSession.IsZero() == tt.firstKnown {
					t.Errorf("%s: facts %+v", tt.on, f)
				}
			}
			if good.Rate != tt.goodRate || poor.Rate != tt.poorRate || (tt.firstKnown && (!good.FirstAttended || poor.FirstAttended)) {
				t.Errorf("%s: rates %v %v, first attended %v %v", tt.on, good.Rate, poor.Rate, good.FirstAttended, poor.FirstAttended)
			}
		}

		elsewhere := func() map[int64]map[domain.Milestone]bool {
			t.Helper()
			m, err := payments.FundedElsewhere(ctx, db.Reader(), w.supplier.ID, []store.Application{w.good, w.poor})
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		if m := elsewhere(); len(m) != 0 {
			t.Fatalf("funded elsewhere with no declaration: %v", m)
		}
		// Another supplier's live declaration of the good learner's record,
		// and (once both records share a learner number) of the poor one's.
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for _, d := range []struct {
				app store.Application
				m   domain.Milestone
			}{{w.good, domain.MilestoneStarted}, {w.poor, domain.MilestoneRetained}} {
				if _, err := tx.Exec(ctx, `INSERT INTO declarations (application_id, practitioner_id, supplier_org_id, contract_id, programme_id, milestone,
					declared_on, state, amount_pence, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'eligible', 100, $8, $8)`,
					d.app.ID, d.app.PractitionerID, w.other.ID, w.contract.ID, w.prog.ID, string(d.m), domain.NewDate(2026, 3, 20), tx.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if m := elsewhere(); !m[w.good.ID][domain.MilestoneStarted] || m[w.good.ID][domain.MilestoneRetained] || !m[w.poor.ID][domain.MilestoneRetained] || len(m[w.poor.ID]) != 1 {
			t.Errorf("by record: %v", m)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE applications SET learner_number = 'LN-1' WHERE id IN ($1, $2)`, w.good.ID, w.poor.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		w.good.LearnerNumber, w.poor.LearnerNumber = "LN-1", "LN-1"
		if m := elsewhere(); !m[w.good.ID][domain.MilestoneRetained] || !m[w.poor.ID][domain.MilestoneStarted] {
			t.Errorf("by learner number: %v", m)
		}
	})
}

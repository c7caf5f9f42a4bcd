package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/quality"
	"senco/internal/store/storetest"
)

// TestQualityAssuranceAndCertificates walks a learner from a finished
// assessment through an IQA sample with an action, its resolution and
// certification to invalidation, on both databases, with users of another
// supplier and another awarding organisation seeing none of it.
func TestQualityAssuranceAndCertificates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newMoneyWorld(t, db)
		db.SetClock(func() time.Time { return time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC) })
		var assessor, iqa, otherIQA domain.User
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			if assessor, err = tx.CreateUser(ctx, op, domain.User{Email: "as@example.org", Name: "Asha Assessor", Role: domain.RoleAssessor, Org: w.supplier}, "x"); err != nil {
				return err
			}
			if iqa, err = tx.CreateUser(ctx, op, domain.User{Email: "iqa@example.org", Name: "Ian Quality", Role: domain.RoleIQA, Org: w.supplier}, "x"); err != nil {
				return err
			}
			if otherIQA, err = tx.CreateUser(ctx, op, domain.User{Email: "iqa@b.example.org", Name: "Other IQA", Role: domain.RoleIQA, Org: w.other}, "x"); err != nil {
				return err
			}
			return tx.SetCohortStaff(ctx, op, w.cohort.ID, nil, []int64{assessor.ID})
		})
		if err != nil {
			t.Fatal(err)
		}
		// The learner completes; certification waits for registration.
		good, _ := db.Application(ctx, w.national, w.good.ID)
		if done, _, err := inTx2(t, db, func(tx *store.Tx) (bool, float64, error) {
			return tx.CompleteAssessment(ctx, domain.ActorOf(assessor), good, nil, domain.NewDate(2026, 4, 1))
		}); err != nil || !done {
			t.Fatalf("complete: %v %v", done, err)
		}
		good, _ = db.Application(ctx, w.national, w.good.ID)
		f, err := quality.Facts(ctx, db.Reader(), good)
		if r := domain.CertificationBlock(f); err != nil || r == nil || r.Field != "learner_number" {
			t.Fatalf("unregistered learner: %v %v", r, err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.RegisterLearner(ctx, op, good, "LN-1", "") }); err != nil {
			t.Fatal(err)
		}
		good, _ = db.Application(ctx, w.national, w.good.ID)

		// The IQA draws every decision; the same seed draws the same again.
		iqaA := domain.ActorOf(iqa)
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return quality.SavePlan(ctx, tx, iqaA, domain.SamplingPlan{SupplierOrgID: w.supplier.ID, Level: domain.QAInternal, LearnerShare: 100, DecisionShare: 100, NewAssessorShare: 100})
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return quality.SavePlan(ctx, tx, iqaA, domain.SamplingPlan{SupplierOrgID: w.supplier.ID, Level: domain.QAInternal, LearnerShare: 120})
		}); err == nil {
			t.Error("a share of 120% was saved")
		}
		sampleID, err := inTx(t, db, func(tx *store.Tx) (int64, error) {
			return quality.Draw(ctx, tx, iqaA, domain.QAInternal, w.supplier.ID, "", 0)
		})
		if err != nil {
			t.Fatal(err)
		}
		iqaScope := policy.Quality(iqa)
		s, err := quality.SampleIn(ctx, db.Reader(), iqaScope, sampleID)
		if err != nil || s.Items != 1 || s.Seed == 0 {
			t.Fatalf("sample: %+v %v", s, err)
		}
		items, _ := quality.Items(ctx, db.Reader(), iqaScope, sampleID)
		again, _ := quality.Redraw(ctx, db.Reader(), s, "")
		if len(items) != 1 || len(again.Decisions) != 1 || again.Decisions[0].ApplicationID != items[0].Decision.ApplicationID {
			t.Fatalf("redraw: %+v vs %+v", again, items)
		}
		// Another supplier's IQA sees neither the sample nor its items.
		if _, err := quality.SampleIn(ctx, db.Reader(), policy.Quality(otherIQA), sampleID); err == nil {
			t.Error("another supplier's IQA read the sample")
		}
		if got, _ := quality.ItemList(ctx, db.Reader(), policy.Quality(otherIQA), quality.ItemFilter{}); len(got) != 0 {
			t.Errorf("another supplier's IQA listed %d items", len(got))
		}
		// The assessor cannot review their own decision; the IQA sends it back.
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.QAItem, error) {
			return quality.RecordOutcome(ctx, tx, domain.ActorOf(assessor), policy.Scope{Kind: policy.National}, items[0].ID, domain.QAAgree, "", tx.Today())
		}); err == nil {
			t.Error("an assessor reviewed their own decision")
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.QAItem, error) {
			return quality.RecordOutcome(ctx, tx, iqaA, iqaScope, items[0].ID, domain.QAAction, "Check the observation covers 3.2", tx.Today())
		}); err != nil {
			t.Fatal(err)
		}
		f, _ = quality.Facts(ctx, db.Reader(), good)
		if r := domain.CertificationBlock(f); r == nil || r.Field != "qa" {
			t.Fatalf("open action should block: %v", r)
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.Award, error) { return quality.Certify(ctx, tx, op, good, "", tx.Today()) }); err == nil {
			t.Fatal("certified with an action open")
		}
		// The assessor sees the action in their work and resolves it.
		mine, _ := quality.ItemList(ctx, db.Reader(), policy.Quality(assessor), quality.ItemFilter{OpenOnly: true})
		if len(mine) != 1 {
			t.Fatalf("assessor's open actions: %d", len(mine))
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.QAItem, error) {
			return quality.ResolveAction(ctx, tx, domain.ActorOf(assessor), policy.Quality(assessor), mine[0].ID, "Observation re-read: 3.2 is covered")
		}); err != nil {
			t.Fatal(err)
		}
		report, _ := quality.Report(ctx, db.Reader(), iqaScope, w.supplier.ID, domain.QAInternal, "", domain.NewDate(2026, 9, 1))
		if len(report) != 1 || report[0].Decisions != 1 || report[0].Sampled != 1 || report[0].Actions != 1 || report[0].OpenActions != 0 {
			t.Errorf("report: %+v", report)
		}

		// Certified: numbered in sequence, with a code that finds it.
		c, err := inTx(t, db, func(tx *store.Tx) (domain.Award, error) {
			return quality.Certify(ctx, tx, op, good, "", domain.NewDate(2026, 8, 20))
		})
		if err != nil {
			t.Fatal(err)
		}
		if c.Number != domain.CertificateNumber("EYSENCO-L3", 2026, c.ID) || len(c.Code) != domain.VerificationCodeLength || c.State != domain.CertificateValid {
			t.Fatalf("certificate: %+v", c)
		}
		byCode, err := quality.CertificateByCode(ctx, db.Reader(), c.Code)
		if err != nil || byCode.ID != c.ID || byCode.LearnerName != "P0 Example" || byCode.QualificationTitle != "Level 3 Early Years SENCO" {
			t.Fatalf("by code: %+v %v", byCode, err)
		}
		good, _ = db.Application(ctx, w.national, w.good.ID)
		if good.Status != domain.StatusCertified || good.CertificateNumber != c.Number {
			t.Fatalf("application: %s %s", good.Status, good.CertificateNumber)
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.Award, error) { return quality.Certify(ctx, tx, op, good, "", tx.Today()) }); err == nil {
			t.Fatal("certified twice")
		}

		// An EQA action after certification flags the certificate; it stays valid.
		ao := domain.User{ID: iqa.ID + 100, Role: domain.RoleAOOfficer, Org: domain.Organisation{Name: "Awarding Body"}}
		aoScope := policy.Quality(ao)
		err = db.InTx(ctx, func(tx *store.Tx) error {
			ao, err = tx.CreateUser(ctx, op, domain.User{Email: "ao@example.org", Name: "Ada Officer", Role: domain.RoleAOOfficer,
				Org: mustOrg(t, tx, domain.Organisation{Kind: domain.OrgAwarding, Name: "Awarding Body"})}, "x")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		eqaID, err := inTx(t, db, func(tx *store.Tx) (int64, error) {
			if err := quality.SavePlan(ctx, tx, domain.ActorOf(ao), domain.SamplingPlan{SupplierOrgID: w.supplier.ID, Level: domain.QAExternal, LearnerShare: 100, DecisionShare: 100, NewAssessorShare: 100}); err != nil {
				return 0, err
			}
			return quality.Draw(ctx, tx, domain.ActorOf(ao), domain.QAExternal, w.supplier.ID, "Awarding Body", 0)
		})
		if err != nil {
			t.Fatal(err)
		}
		eqa, _ := quality.Items(ctx, db.Reader(), aoScope, eqaID)
		if len(eqa) != 1 {
			t.Fatalf("EQA items: %d", len(eqa))
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.QAItem, error) {
			return quality.RecordOutcome(ctx, tx, domain.ActorOf(ao), aoScope, eqa[0].ID, domain.QAAction, "Evidence for 2.1 is not the learner's own", tx.Today())
		}); err != nil {
			t.Fatal(err)
		}
		c, _ = quality.CertificateIn(ctx, db.Reader(), w.national, c.ID)
		if !c.Flagged() || c.State != domain.CertificateValid {
			t.Fatalf("after an overturn: %+v", c)
		}
		otherAO := policy.Scope{Kind: policy.Awarding, OrgName: "Another Body"}
		if got, _ := quality.Flagged(ctx, db.Reader(), otherAO); len(got) != 0 {
			t.Error("another awarding organisation sees the flagged certificate")
		}
		if got, _ := quality.Flagged(ctx, db.Reader(), policy.Delivery(ao)); len(got) != 1 {
			t.Errorf("flagged for the awarding organisation: %d", len(got))
		}
		if _, err := quality.CertificateIn(ctx, db.Reader(), otherAO, c.ID); err == nil {
			t.Error("another awarding organisation read the certificate")
		}

		// Invalidated with a reason: the learner returns to completed, the code answers "invalidated".
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.Award, error) {
			return quality.Invalidate(ctx, tx, domain.ActorOf(ao), policy.Delivery(ao), c.ID, "")
		}); err == nil {
			t.Error("invalidated without a reason")
		}
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.Award, error) {
			return quality.Invalidate(ctx, tx, domain.ActorOf(ao), policy.Delivery(ao), c.ID, "Evidence not the learner's own")
		}); err != nil {
			t.Fatal(err)
		}
		byCode, _ = quality.CertificateByCode(ctx, db.Reader(), c.Code)
		good, _ = db.Application(ctx, w.national, w.good.ID)
		if byCode.State != domain.CertificateInvalidated || good.Status != domain.StatusCompleted || good.RevokeReason != "Evidence not the learner's own" {
			t.Fatalf("invalidated: %+v %s", byCode, good.Status)
		}
		held, _ := quality.Certificates(ctx, db.Reader(), good.ID)
		if !slices.ContainsFunc(held, func(x domain.Award) bool { return x.ID == c.ID }) {
			t.Error("the invalidated certificate is no longer listed")
		}
	})
}

func mustOrg(t *testing.T, tx *store.Tx, o domain.Organisation) domain.Organisation {
	t.Helper()
	o, err := tx.CreateOrganisation(context.Background(), op, o)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

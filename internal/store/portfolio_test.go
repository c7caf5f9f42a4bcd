package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/growth"
	"senco/internal/store/portfolio"
	"senco/internal/store/storetest"
)

// portfolioQual is a qualification version with a plan: two criteria in
// assignment A1, one more evidenced by the observation, all mandatory.
func portfolioQual() domain.Qualification {
	return domain.Qualification{Code: "PF-L3", Version: 1, Title: "Portfolio SENCO", Level: 3, AwardingOrganisation: "Awarding Body", GuidedLearningHours: 10,
		Units: []domain.Unit{{Ref: "301", Title: "Law", GuidedLearningHours: 10, Outcomes: []domain.LearningOutcome{{Ref: "1", Text: "Know the law",
			Criteria: []domain.Criterion{{Ref: "1.1", Text: "Explain the law"}, {Ref: "1.2", Text: "Describe the role"}, {Ref: "1.3", Text: "Lead a review"}}}}}},
		Plan: domain.AssessmentPlan{
			Assignments: []domain.PlannedAssignment{{Ref: "A1", Title: "The law", DueWeek: 2, Criteria: []domain.CriterionRef{"301/1.1", "301/1.2"}}},
			Observation: domain.PlannedObservation{Title: "Observation", DueWeek: 4, Criteria: []domain.CriterionRef{"301/1.3"}},
			Mandatory:   []domain.CriterionRef{"301/1.1", "301/1.2", "301/1.3"},
		}}
}

type portfolioWorld struct {
	*deliveryFixture
	apps                 [2]store.Application
	assessor, stranger   domain.User // the cohort's assessor; an assessor of the other supplier
	learner0, learner1   policy.Scope
	assessorS, strangerS policy.Scope
}

func newPortfolioWorld(t testing.TB, db *store.DB) *portfolioWorld {
	t.Helper()
	ctx := context.Background()
	db.SetClock(func() time.Time { return time.Date(2026, 4, 15, 10, 0, 0, 0, time.UTC) })
	w := &portfolioWorld{deliveryFixture: newDelivery(t, db)}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		qid, err := tx.SaveQualification(ctx, portfolioQual())
		if err != nil {
			return err
		}
		if w.assessor, err = tx.CreateUser(ctx, op, domain.User{Email: "assessor@a.example", Name: "Ada Assessor", Role: domain.RoleAssessor, Org: w.supplier}, "h"); err != nil {
			return err
		}
		if w.stranger, err = tx.CreateUser(ctx, op, domain.User{Email: "assessor@b.example", Name: "Bo Assessor", Role: domain.RoleAssessor, Org: w.other}, "h"); err != nil {
			return err
		}
		if _, err := tx.CreateUser(ctx, op, domain.User{Email: "p0@example.org", Name: "P0", Role: domain.RoleLearner, Org: w.supplier, PractitionerID: w.people[0]}, "h"); err != nil {
			return err
		}
		c, err := tx.ScopedCohort(ctx, w.supScope, w.cohort.ID)
		if err != nil {
			return err
		}
		for i, k := range []int{0, 3} {
			app, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: w.prog.ID, PractitionerID: w.people[k], SettingURN: []string{"EY000001", "EY000003"}[i], AppliedOn: domain.NewDate(2026, 2, 1), Nominated: true})
			if err != nil {
				return err
			}
			if _, err := tx.Place(ctx, op, app, c, domain.NewDate(2026, 2, 20)); err != nil {
				return err
			}
			// Enrolled on the version with the plan.
			if _, err := tx.Exec(ctx, `UPDATE applications SET qualification_id = $1 WHERE id = $2`, qid, app.ID); err != nil {
				return err
			}
			if w.apps[i], err = tx.ScopedApplication(ctx, w.national, app.ID); err != nil {
				return err
			}
		}
		return tx.SetCohortStaff(ctx, op, w.cohort.ID, nil, []int64{w.assessor.ID})
	})
	if err != nil {
		t.Fatal(err)
	}
	w.learner0 = policy.Portfolio(domain.User{Role: domain.RoleLearner, PractitionerID: w.people[0]})
	w.learner1 = policy.Portfolio(domain.User{Role: domain.RoleLearner, PractitionerID: w.people[3]})
	w.assessorS, w.strangerS = policy.Portfolio(w.assessor), policy.Portfolio(w.stranger)
	return w
}

func refusal(t *testing.T, what string, err error, field string) {
	t.Helper()
	r, ok := domain.IsRefusal(err)
	if !ok || r.Field != field {
		t.Errorf("%s: want a refusal of %s, got %v", what, field, err)
	}
}

// TestPortfolioJourney: evidence, submission, a referral, a resubmission
// beside it, met, the observation, and the assessment complete only when
// every mandatory criterion is met; on both databases.
func TestPortfolioJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPortfolioWorld(t, db)
		app := w.apps[0]
		learner := domain.Actor{UserID: 0, Label: "learner"}
		assessor := domain.ActorOf(w.assessor)
		today := domain.NewDate(2026, 4, 15)
		do := func(fn func(tx *store.Tx) error) error { return db.InTx(ctx, fn) }

		// Evidence, linked to two criteria; refused with the field when bad,
		// and nothing stored.
		var ev domain.Evidence
		err := do(func(tx *store.Tx) (err error) {
			_, err = portfolio.AddEvidence(ctx, tx, learner, w.learner0, app.ID, domain.Evidence{Kind: domain.EvidenceReflective, Title: "Essay", Text: "…", Criteria: []domain.CriterionRef{"301/9.9"}})
			return err
		})
		refusal(t, "unknown criterion", err, "criteria")
		err = do(func(tx *store.Tx) (err error) {
			_, err = portfolio.AddEvidence(ctx, tx, learner, w.learner1, app.ID, domain.Evidence{Kind: domain.EvidenceReflective, Title: "Essay", Text: "x", Criteria: []domain.CriterionRef{"301/1.1"}})
			return err
		})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another learner adds to this portfolio: %v", err)
		}
		err = do(func(tx *store.Tx) (err error) {
			ev, err = portfolio.AddEvidence(ctx, tx, learner, w.learner0, app.ID, domain.Evidence{Kind: domain.EvidenceReflective, Title: " Essay v1 ", Text: "My account",
				Criteria: []domain.CriterionRef{"301/1.2", "301/1.1", "301/1.1"}})
			return err
		})
		if err != nil || ev.ID == 0 {
			t.Fatalf("add evidence: %v", err)
		}
		p, err := portfolio.Load(ctx, db.Reader(), w.learner0, app.ID)
		if err != nil || len(p.Evidence) != 1 || p.Evidence[0].Title != "Essay v1" || !slices.Equal(p.Evidence[0].Criteria, []domain.CriterionRef{"301/1.1", "301/1.2"}) {
			t.Fatalf("portfolio: %+v %v", p.Evidence, err)
		}
		if p.Qualification.Code != "PF-L3" || len(p.Qualification.Plan.Assignments) != 1 {
			t.Fatalf("assessed on %s %+v", p.Qualification.Code, p.Qualification.Plan)
		}
		if m := p.Matrix(); m.Rows[0].State != domain.CellWorkingTowards || m.Rows[2].State != domain.CellNotStarted {
			t.Errorf("matrix before submitting: %+v", m.Rows)
		}

		// Submit: a future date refused; then v1, which tells the assessor.
		err = do(func(tx *store.Tx) (err error) {
			_, err = portfolio.Submit(ctx, tx, learner, w.learner0, app.ID, "A1", ev.ID, today.AddDays(1))
			return err
		})
		refusal(t, "submission in the future", err, "submitted_on")
		var v1 domain.Submission
		if err := do(func(tx *store.Tx) (err error) {
			v1, err = portfolio.Submit(ctx, tx, learner, w.learner0, app.ID, "A1", ev.ID, today.AddDays(-2))
			return err
		}); err != nil || v1.Version != 1 {
			t.Fatalf("submit: %+v %v", v1, err)
		}
		msgs, err := portfolio.Outbox(ctx, db.Reader(), w.assessor.ID, 10)
		if err != nil || len(msgs) != 1 || msgs[0].To != "assessor@a.example" || msgs[0].Link == "" {
			t.Errorf("assessor's outbox: %+v %v", msgs, err)
		}

		// The queue: the cohort's assessor sees it, the other supplier's does not.
		q, err := portfolio.Queue(ctx, db.Reader(), w.assessorS, 1, 50)
		if err != nil || q.Total != 1 || q.Items[0].Submission.ID != v1.ID || q.Items[0].LearnerName != "P0 Example" || q.Items[0].EvidenceTitle != "Essay v1" {
			t.Errorf("queue: %+v %v", q, err)
		}
		if q, _ := portfolio.Queue(ctx, db.Reader(), w.strangerS, 1, 50); q.Total != 0 || len(q.Items) != 0 {
			t.Errorf("another supplier's assessor sees the queue: %+v", q)
		}
		if q, _ := portfolio.Queue(ctx, db.Reader(), policy.Scope{Kind: policy.Org, OrgID: w.other.ID}, 1, 50); q.Total != 0 {
			t.Errorf("another supplier sees the queue: %+v", q)
		}
		if _, _, err := portfolio.SubmissionIn(ctx, db.Reader(), w.strangerS, v1.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("stranger opens the submission: %v", err)
		}

		// Mark v1: one met, one referred. The stranger cannot.
		marks := []domain.CriterionMark{{Criterion: "301/1.1", Outcome: domain.OutcomeMet}, {Criterion: "301/1.2", Outcome: domain.OutcomeNotYet, Feedback: "Add an example"}}
		err = do(func(tx *store.Tx) (err error) {
			_, err = portfolio.Mark(ctx, tx, domain.ActorOf(w.stranger), w.strangerS, v1.ID, marks, "", today)
			return err
		})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("stranger marks: %v", err)
		}
		if err := do(func(tx *store.Tx) error {
			_, err := portfolio.Mark(ctx, tx, assessor, w.assessorS, v1.ID, marks, "Nearly there", today)
			return err
		}); err != nil {
			t.Fatalf("mark: %v", err)
		}
		err = do(func(tx *store.Tx) (err error) {
			_, err = portfolio.Mark(ctx, tx, assessor, w.assessorS, v1.ID, marks, "", today)
			return err
		})
		refusal(t, "marking twice", err, "submission")
		p, _ = portfolio.Load(ctx, db.Reader(), w.learner0, app.ID)
		m := p.Matrix()
		if m.Rows[0].State != domain.CellMet || m.Rows[1].State != domain.CellReferred || m.Rows[1].Feedback != "Add an example" {
			t.Errorf("matrix after marking: %+v", m.Rows)
		}
		if msgs, _ := portfolio.Outbox(ctx, db.Reader(), 0, 10); len(msgs) != 0 {
			t.Errorf("outbox of nobody: %+v", msgs)
		}

		// Complete is refused, naming what is missing.
		_, _, err = func() (bool, float64, error) {
			var done bool
			var rate float64
			err := do(func(tx *store.Tx) (err error) {
				done, rate, err = portfolio.CompleteAssessment(ctx, tx, assessor, p.App, today)
				return err
			})
			return done, rate, err
		}()
		refusal(t, "complete with criteria missing", err, "criteria")

		// Resubmission: the same evidence is refused; new evidence is v2,
		// beside v1, whose feedback stays.
		err = do(func(tx *store.Tx) (err error) {
			_, err = portfolio.Submit(ctx, tx, learner, w.learner0, app.ID, "A1", ev.ID, today)
			return err
		})
		refusal(t, "resubmitting the same evidence", err, "evidence")
		var v2 domain.Submission
		if err := do(func(tx *store.Tx) error {
			ev2, err := portfolio.AddEvidence(ctx, tx, learner, w.learner0, app.ID, domain.Evidence{Kind: domain.EvidenceReflective, Title: "Essay v2", Text: "With an example", Criteria: []domain.CriterionRef{"301/1.2"}})
			if err != nil {
				return err
			}
			v2, err = portfolio.Submit(ctx, tx, learner, w.learner0, app.ID, "A1", ev2.ID, today)
			return err
		}); err != nil || v2.Version != 2 {
			t.Fatalf("resubmit: %+v %v", v2, err)
		}
		if err := do(func(tx *store.Tx) error {
			_, err := portfolio.Mark(ctx, tx, assessor, w.assessorS, v2.ID, []domain.CriterionMark{{Criterion: "301/1.1", Outcome: domain.OutcomeMet}, {Criterion: "301/1.2", Outcome: domain.OutcomeMet}}, "", today)
			return err
		}); err != nil {
			t.Fatalf("mark v2: %v", err)
		}
		p, _ = portfolio.Load(ctx, db.Reader(), w.assessorS, app.ID)
		if len(p.Submissions) != 2 || p.Submissions[0].Feedback != "Nearly there" || len(p.DecisionsOn(v1.ID)) != 2 || p.DecisionsOn(v1.ID)[1].Feedback != "Add an example" {
			t.Errorf("the trail of v1: %+v %+v", p.Submissions, p.DecisionsOn(v1.ID))
		}
		if missing := p.Missing(); !slices.Equal(missing, []domain.CriterionRef{"301/1.3"}) {
			t.Errorf("missing after A1: %v", missing)
		}

		// The observation meets the last criterion; then complete.
		var obs domain.Observation
		err = do(func(tx *store.Tx) (err error) {
			_, err = portfolio.RecordObservation(ctx, tx, assessor, w.assessorS, app.ID, domain.Observation{ObservedOn: today.AddDays(3), Seen: "x", Criteria: []domain.CriterionRef{"301/1.3"}})
			return err
		})
		refusal(t, "observation in the future", err, "observed_on")
		if err := do(func(tx *store.Tx) (err error) {
			obs, err = portfolio.RecordObservation(ctx, tx, assessor, w.assessorS, app.ID, domain.Observation{ObservedOn: today, Seen: "Led a review", Criteria: []domain.CriterionRef{"301/1.3"}})
			return err
		}); err != nil {
			t.Fatalf("observe: %v", err)
		}
		if err := do(func(tx *store.Tx) error {
			_, err := portfolio.AcknowledgeObservation(ctx, tx, learner, w.learner0, obs.ID, "Agreed")
			return err
		}); err != nil {
			t.Errorf("acknowledge: %v", err)
		}
		var done bool
		if err := do(func(tx *store.Tx) (err error) {
			done, _, err = portfolio.CompleteAssessment(ctx, tx, assessor, p.App, today)
			return err
		}); err != nil {
			t.Fatalf("complete: %v", err)
		}
		a, _ := db.Application(ctx, w.national, app.ID)
		if a.AssessmentCompleteOn != today || done {
			// No sessions were held, so attendance is short: the assessment
			// is complete and the training is not, two separate facts.
			t.Errorf("assessment complete on %v, training completed %v", a.AssessmentCompleteOn, done)
		}

		// Reviews: written by the assessor, signed by the learner and the
		// setting's manager; the other supplier sees none.
		var r domain.ProgressReview
		if err := do(func(tx *store.Tx) (err error) {
			r, err = portfolio.AddReview(ctx, tx, assessor, w.assessorS, w.apps[1].ID, domain.ProgressReview{HeldOn: today, Summary: "On track"})
			return err
		}); err != nil {
			t.Fatalf("review: %v", err)
		}
		manager := policy.ProgressReviews(domain.User{Role: domain.RoleSettingManager, Org: domain.Organisation{SettingURN: "EY000003"}})
		for _, s := range []struct {
			scope  policy.Scope
			signer domain.Signer
		}{{w.learner1, domain.SignerLearner}, {manager, domain.SignerManager}} {
			if err := do(func(tx *store.Tx) error {
				_, err := portfolio.SignReview(ctx, tx, learner, s.scope, r.ID, s.signer)
				return err
			}); err != nil {
				t.Errorf("sign as %s: %v", s.signer, err)
			}
		}
		rs, err := portfolio.Reviews(ctx, db.Reader(), manager, 0)
		if err != nil || len(rs) != 1 || !rs[0].Signed() {
			t.Errorf("manager's reviews: %+v %v", rs, err)
		}
		if rs, _ := portfolio.Reviews(ctx, db.Reader(), w.strangerS, 0); len(rs) != 0 {
			t.Errorf("stranger's reviews: %+v", rs)
		}
		otherManager := policy.ProgressReviews(domain.User{Role: domain.RoleSettingManager, Org: domain.Organisation{SettingURN: "EY000001"}})
		if err := do(func(tx *store.Tx) error {
			_, err := portfolio.SignReview(ctx, tx, learner, otherManager, r.ID, domain.SignerManager)
			return err
		}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another setting's manager signs: %v", err)
		}
	})
}

// TestPortfolioScope: who sees which portfolio, in the query.
func TestPortfolioScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPortfolioWorld(t, db)
		ao := policy.Portfolio(domain.User{Role: domain.RoleAOOfficer, Org: domain.Organisation{ID: 99, Name: "Awarding Body"}})
		otherAO := policy.Portfolio(domain.User{Role: domain.RoleAOOfficer, Org: domain.Organisation{ID: 98, Name: "Another Body"}})
		cases := []struct {
			name  string
			scope policy.Scope
			sees  [2]bool
		}{
			{"national", w.national, [2]bool{true, true}},
			{"supplier", policy.Portfolio(domain.User{Role: domain.RoleSupplierAdmin, Org: w.supplier}), [2]bool{true, true}},
			{"supplier's IQA", policy.Portfolio(domain.User{Role: domain.RoleIQA, Org: w.supplier}), [2]bool{true, true}},
			{"other supplier", policy.Portfolio(domain.User{Role: domain.RoleSupplierAdmin, Org: w.other}), [2]bool{}},
			{"other supplier's IQA", policy.Portfolio(domain.User{Role: domain.RoleIQA, Org: w.other}), [2]bool{}},
			{"cohort's assessor", w.assessorS, [2]bool{true, true}},
			{"other assessor", w.strangerS, [2]bool{}},
			{"learner 0", w.learner0, [2]bool{true, false}},
			{"learner 1", w.learner1, [2]bool{false, true}},
			{"awarding organisation", ao, [2]bool{true, true}},
			{"other awarding organisation", otherAO, [2]bool{}},
			{"setting manager", policy.Portfolio(domain.User{Role: domain.RoleSettingManager, Org: domain.Organisation{SettingURN: "EY000001"}}), [2]bool{}},
		}
		for _, c := range cases {
			var listed []int64
			ls, err := portfolio.Learners(ctx, db.Reader(), c.scope, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range ls {
				listed = append(listed, l.AppID)
			}
			for i, app := range w.apps {
				_, err := portfolio.Load(ctx, db.Reader(), c.scope, app.ID)
				if sees := err == nil; sees != c.sees[i] {
					t.Errorf("%s opens learner %d: %v, want %v (%v)", c.name, i, sees, c.sees[i], err)
				}
				if slices.Contains(listed, app.ID) != c.sees[i] {
					t.Errorf("%s lists learner %d: %v, want %v", c.name, i, !c.sees[i], c.sees[i])
				}
			}
		}
	})
}

// TestRecognisedPriorLearningInThePortfolio: a criterion an assessor
// approved a claim of prior learning for is met in the learner's
// portfolio, says where it came from, and is no longer missing; a claim
// still awaiting an assessor counts for nothing. Both databases.
func TestRecognisedPriorLearningInThePortfolio(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPortfolioWorld(t, db)
		app := w.apps[1]
		q, err := db.Qualification(ctx, app.QualificationID)
		if err != nil {
			t.Fatal(err)
		}
		self := policy.Scope{Kind: policy.Self, PractitionerID: app.PractitionerID}
		claim := func(ref string) domain.RPLClaim {
			c, err := inTx(t, db, func(tx *store.Tx) (domain.RPLClaim, error) {
				return growth.ClaimRPL(ctx, tx, op, self, q, ref, "LA SENCO course, 2024", "Certificate and reflective account")
			})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		approved := claim("301/1/1.3")
		claim("301/1/1.2") // left awaiting an assessor
		if _, err := inTx(t, db, func(tx *store.Tx) (domain.RPLClaim, error) {
			return growth.DecideRPL(ctx, tx, op, w.national, approved.ID, true, "")
		}); err != nil {
			t.Fatal(err)
		}
		p, err := portfolio.Load(ctx, db.Reader(), w.assessorS, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if missing := p.Missing(); !slices.Equal(missing, []domain.CriterionRef{"301/1.1", "301/1.2"}) {
			t.Errorf("missing %v, want 301/1.1 and 301/1.2", missing)
		}
		for _, row := range p.Matrix().Rows {
			switch row.Criterion {
			case "301/1.3":
				if row.State != domain.CellMet || row.PriorLearning != "LA SENCO course, 2024" {
					t.Errorf("301/1.3: %s from %q", row.State, row.PriorLearning)
				}
			default:
				if row.State == domain.CellMet || row.PriorLearning != "" {
					t.Errorf("%s: %s from %q", row.Criterion, row.State, row.PriorLearning)
				}
			}
		}
		if len(p.Decisions) != 0 {
			t.Errorf("recognised learning listed among the assessors' decisions: %+v", p.Decisions)
		}
	})
}

package api

import (
	"context"
	"fmt"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/portfolio"
	"senco/internal/store/quality"
)

// The assessment world, on top of the delivery world: a qualification
// version with an assessment plan that enrolled, barnet and leeds are
// assessed on; k1's assessor (assessor), another assessor of supplier1 on
// no cohort (assessor2) and supplier1's IQA (iqa); enrolled's essay
// submitted for A1 and marked (301/1.1 met, 301/1.2 not yet), an IQA sample
// of those two decisions with no outcome yet; leeds's evidence (supplier2);
// a second awarding organisation (ao2) that awards none of them. certSeed
// adds what certificates need.
var assessSeedAt = time.Date(2025, 5, 26, 9, 0, 0, 0, time.UTC)

// assessQual is the qualification version with the plan.
func assessQual() domain.Qualification {
	return domain.Qualification{Code: "EYSENCO-L3", Version: 2, Title: "Level 3 Early Years SENCO", Level: 3, AwardingOrganisation: "Awarding Body",
		GuidedLearningHours: 34,
		Units: []domain.Unit{{Ref: "301", Title: "The SENCO role", GuidedLearningHours: 34, Outcomes: []domain.LearningOutcome{{Ref: "1", Text: "Lead SEN",
			Criteria: []domain.Criterion{{Ref: "1.1", Text: "Explain the Code of Practice"}, {Ref: "1.2", Text: "Describe the graduated approach"},
				{Ref: "1.3", Text: "Lead a review"}}}}}},
		Plan: domain.AssessmentPlan{
			Assignments: []domain.PlannedAssignment{{Ref: "A1", Title: "The law", DueWeek: 2, Criteria: []domain.CriterionRef{"301/1.1", "301/1.2"}}},
			Observation: domain.PlannedObservation{Title: "Observation", DueWeek: 4, Criteria: []domain.CriterionRef{"301/1.3"}},
			Mandatory:   []domain.CriterionRef{"301/1.1", "301/1.2", "301/1.3"},
		}}
}

// assessTokens are the fixture's tokens of the assessment world whose role
// may not use the API: an assessor's and an IQA's.
var assessTokens = []string{"assessor", "assessor2", "iqa"}

func assessSeed(t *testing.T, f *fixture, w *dlWorld) {
	t.Helper()
	ctx := context.Background()
	w.assess = map[string]int64{}
	f.db.SetClock(func() time.Time { return assessSeedAt })
	national := policy.Scope{Kind: policy.National}
	err := f.db.InTx(ctx, func(tx *store.Tx) error {
		qid, err := tx.SaveQualification(ctx, assessQual())
		if err != nil {
			return err
		}
		org := func(name string) domain.Organisation { return f.users[name].Org }
		ao2, err := tx.CreateOrganisation(ctx, op, domain.Organisation{Kind: domain.OrgAwarding, Name: "Other Awarding Body"})
		if err != nil {
			return err
		}
		for _, u := range []struct {
			name string
			role domain.Role
			org  domain.Organisation
		}{{"assessor", domain.RoleAssessor, org("supplier1")}, {"assessor2", domain.RoleAssessor, org("supplier1")},
			{"iqa", domain.RoleIQA, org("supplier1")}, {"ao2", domain.RoleAOOfficer, ao2}} {
			if err := f.addUser(ctx, tx, u.name, domain.User{Email: u.name + "@example.org", Name: u.name, Role: u.role, Org: u.org}, now.AddDate(1, 0, 0)); err != nil {
				return err
			}
		}
		if err := tx.SetCohortStaff(ctx, op, w.cohorts["k1"], []int64{f.users["trainer"].ID}, []int64{f.users["assessor"].ID}); err != nil {
			return err
		}
		for _, name := range []string{"enrolled", "barnet", "leeds"} {
			if _, err := tx.Exec(ctx, `UPDATE applications SET qualification_id = $1 WHERE id = $2`, qid, w.apps[name]); err != nil {
				return err
			}
		}
		today := tx.Today()
		ev, err := portfolio.AddEvidence(ctx, tx, op, national, w.apps["enrolled"], domain.Evidence{Kind: domain.EvidenceReflective, Title: "Dee0 essay on the law",
			Text: "My account of the Code of Practice", Criteria: []domain.CriterionRef{"301/1.1", "301/1.2"}, AddedOn: today})
		if err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		w.assess["evidence"] = ev.ID
		sub, err := portfolio.Submit(ctx, tx, op, national, w.apps["enrolled"], "A1", ev.ID, today)
		if err != nil {
			return fmt.Errorf("submit: %w", err)
		}
		w.assess["submission"] = sub.ID
		ds, err := portfolio.Mark(ctx, tx, domain.ActorOf(f.users["assessor"]), national, sub.ID, []domain.CriterionMark{
			{Criterion: "301/1.1", Outcome: domain.OutcomeMet}, {Criterion: "301/1.2", Outcome: domain.OutcomeNotYet, Feedback: "Dee0 needs the graduated approach"}},
			"", today)
		if err != nil {
			return fmt.Errorf("mark: %w", err)
		}
		w.assess["decision"] = ds[0].ID
		lev, err := portfolio.AddEvidence(ctx, tx, op, national, w.apps["leeds"], domain.Evidence{Kind: domain.EvidenceReflective, Title: "Leeds learner's account",
			Text: "Leeds", Criteria: []domain.CriterionRef{"301/1.1"}, AddedOn: today})
		if err != nil {
			return err
		}
		w.assess["leeds-evidence"] = lev.ID
		iqa := domain.ActorOf(f.users["iqa"])
		if err := quality.SavePlan(ctx, tx, iqa, domain.SamplingPlan{SupplierOrgID: org("supplier1").ID, Level: domain.QAInternal,
			LearnerShare: 100, DecisionShare: 100, NewAssessorShare: 100}); err != nil {
			return err
		}
		sample, err := quality.Draw(ctx, tx, iqa, domain.QAInternal, org("supplier1").ID, "", 1)
		if err != nil {
			return fmt.Errorf("draw: %w", err)
		}
		items, err := quality.Items(ctx, tx.Reader(), national, sample)
		if err != nil || len(items) != 2 {
			return fmt.Errorf("sample items %v: %w", items, err)
		}
		w.assess["item"], w.assess["item2"] = items[0].ID, items[1].ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// certSeed adds two learners of supplier1 on k1b who completed training
// and assessment and are registered: certified (with a full certificate)
// and certifiable (not yet). The delivery tests, which count supplier1's
// learners, run without them.
func certSeed(t *testing.T, f *fixture, w *dlWorld) {
	t.Helper()
	ctx := context.Background()
	f.db.SetClock(func() time.Time { return assessSeedAt })
	defer f.db.SetClock(func() time.Time { return now })
	national := policy.Scope{Kind: policy.National}
	org := func(name string) domain.Organisation { return f.users[name].Org }
	err := f.db.InTx(ctx, func(tx *store.Tx) error {
		today := tx.Today()
		// Two more learners of supplier1, on k1b, completed and registered.
		ch, err := tx.ScopedCohort(ctx, dlNational, w.cohorts["k1b"])
		if err != nil {
			return err
		}
		for i, name := range []string{"certified", "certifiable"} {
			pr, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "Cee" + fmt.Sprint(i), FamilyName: "Learner",
				Email: fmt.Sprintf("cl%d@example.org", i), DateOfBirth: domain.NewDate(1986, 2, 1+i), QualificationLevel: 3, OwnerOrgID: org("supplier1").ID})
			if err != nil {
				return err
			}
			ap, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: w.programme, PractitionerID: pr.ID, SettingURN: "EY000001",
				AppliedOn: domain.DateOf(dlSeedAt), Nominated: true})
			if err != nil {
				return err
			}
			if _, err := tx.Place(ctx, op, ap, ch, domain.DateOf(assessSeedAt)); err != nil {
				return err
			}
			// Training and assessment finished, as the delivery tests
			// make them; here set directly, since this world is about what
			// comes after.
			if _, err := tx.Exec(ctx, `UPDATE applications SET status = $2, assessment_complete_on = $3, learner_number = $4 WHERE id = $1`,
				ap.ID, string(domain.StatusCompleted), domain.NewDate(2025, 5, 25), fmt.Sprintf("LN-C%d", i)); err != nil {
				return err
			}
			w.apps[name] = ap.ID
		}
		app, err := store.ApplicationIn(ctx, tx.Reader(), national, w.apps["certified"])
		if err != nil {
			return err
		}
		cert, err := quality.Certify(ctx, tx, op, app, "", today)
		if err != nil {
			return fmt.Errorf("certify: %w", err)
		}
		w.assess["certificate"] = cert.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

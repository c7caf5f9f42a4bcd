package demo

import (
	"fmt"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/portfolio"
)

// Portfolios in the state of each cohort's phase: a finished cohort's
// assessed learners have every mandatory criterion met (some after a
// referral and a resubmission); a cohort in progress has work marked,
// work referred with feedback, resubmissions and work waiting to be
// marked, oldest first in its assessor's queue; learners who have not
// reached the first assignment are working towards it.

// referralFeedback is what assessors say when a criterion is not yet met.
var referralFeedback = []string{
	"Give an example from your own setting: what you did, and what changed for the child as a result.",
	"You describe the duty but not how your setting meets it. Say who does what, and how you would check it is done.",
	"The account needs the parents' views: how did you gather them, and how did they shape the plan?",
	"Name the agencies you would involve and explain when and how you would make the referral.",
	"Reflect on what you would do differently next time, and why.",
}

// reflections are the openings of generated reflective accounts.
var reflections = []string{
	"During the spring term I noticed that one of our two-year-olds rarely joined group times.",
	"After the session on the graduated approach I reviewed how our setting records SEN support.",
	"I met a parent who was worried about her son's speech, and we agreed to observe him together for two weeks.",
	"Our setting's SEN policy had not been reviewed for three years, so I led a staff meeting to update it.",
}

// assessorFor is who marks a cohort's work: the demo assessor on the
// cohorts they are staff of, the supplier's admin elsewhere.
func (d *delivery) assessorFor(c *dCohort) domain.Actor {
	if c.plan.staffed {
		return d.actor("supplier", domain.RoleAssessor)
	}
	return d.supplierAdmin(c.plan.supplier)
}

// learnerActor acts as the learner: the demo practitioner's own sign-in,
// otherwise the demo itself (generated learners have no sign-in).
func (d *delivery) learnerActor(a *dApp) domain.Actor {
	if a.special == "learner" {
		return d.actor("nursery", domain.RoleLearner)
	}
	return domain.OperatorActor("demo")
}

// dueOn is when work due in week w of a plan whose last work is due in week
// last falls in a cohort: spread over the cohort's dates.
func dueOn(c *dCohort, w, last int) domain.Date {
	span := int(c.cohort.EndsOn.Time().Sub(c.cohort.StartsOn.Time()).Hours() / 24)
	return c.cohort.StartsOn.AddDays(span * w / (last + 2))
}

func earlier(a, b domain.Date) domain.Date {
	if a.Before(b) {
		return a
	}
	return b
}

// work writes a learner's portfolio up to day upTo. full: every
// assignment and the observation are done and finally met (the learner is
// about to be assessed complete).
func (d *delivery) work(c *dCohort, a *dApp, upTo domain.Date, full bool) error {
	p, err := portfolio.Load(d.ctx, d.tx.Reader(), d.all, a.id)
	if err != nil {
		return fmt.Errorf("portfolio of %s: %w", a.person.FullName(), err)
	}
	plan := p.Qualification.Plan
	last := plan.Observation.DueWeek
	for _, asg := range plan.Assignments {
		last = max(last, asg.DueWeek)
	}
	learner, assessor := d.learnerActor(a), d.assessorFor(c)
	for i, asg := range plan.Assignments {
		due := dueOn(c, asg.DueWeek, last).AddDays(d.rng.IntN(6))
		if full {
			due = earlier(due, upTo.AddDays(-21+i))
		}
		if !due.Before(upTo) || (!full && d.rng.Float64() < 0.1) {
			// Not due yet, or late: working towards it.
			if d.rng.Float64() < 0.6 {
				if _, err := d.evidence(a, learner, asg.Title+": notes", asg.Criteria[:min(3, len(asg.Criteria))], earlier(due, upTo)); err != nil {
					return err
				}
			}
			continue
		}
		referred := a.special == "learner" && i == 0 || d.rng.Float64() < 0.25
		if err := d.submitAndMark(a, learner, assessor, asg, 1, due, upTo, referred, full); err != nil {
			return err
		}
	}
	if obsOn := earlier(dueOn(c, plan.Observation.DueWeek, last), upTo.AddDays(-3)); full || (obsOn.Before(upTo) && d.rng.Float64() < 0.8) {
		o, err := portfolio.RecordObservation(d.ctx, d.tx, assessor, d.all, a.id, domain.Observation{ObservedOn: obsOn, Criteria: plan.Observation.Criteria,
			Seen: "Led a review meeting with a parent and the child's key person: shared observations, agreed two outcomes and a date to review them. Advised a colleague on a visual timetable."})
		if err != nil {
			return fmt.Errorf("observation of %s: %w", a.person.FullName(), err)
		}
		if d.rng.Float64() < 0.8 {
			if _, err := portfolio.AcknowledgeObservation(d.ctx, d.tx, learner, d.all, o.ID, "I agree this is what happened."); err != nil {
				return err
			}
		}
	}
	if mid := dueOn(c, last/2, last); mid.Before(upTo) {
		r, err := portfolio.AddReview(d.ctx, d.tx, assessor, d.all, a.id, domain.ProgressReview{HeldOn: mid,
			Summary: "Attending well; the first assignment is in. Needs to link theory to examples from the setting.", NextSteps: "Plan the observation with the setting manager."})
		if err != nil {
			return fmt.Errorf("progress review of %s: %w", a.person.FullName(), err)
		}
		if d.rng.Float64() < 0.7 {
			if _, err := portfolio.SignReview(d.ctx, d.tx, learner, d.all, r.ID, domain.SignerLearner); err != nil {
				return err
			}
		}
	}
	return nil
}

// evidence adds a reflective account to a learner's portfolio.
func (d *delivery) evidence(a *dApp, learner domain.Actor, title string, criteria []domain.CriterionRef, on domain.Date) (domain.Evidence, error) {
	ev, err := portfolio.AddEvidence(d.ctx, d.tx, learner, d.all, a.id, domain.Evidence{Kind: domain.EvidenceReflective, Title: title,
		Text: reflections[d.rng.IntN(len(reflections))] + " This account sets out what I did, what I learned and what I would do next.", Criteria: criteria, AddedOn: on})
	if err != nil {
		return ev, fmt.Errorf("evidence of %s: %w", a.person.FullName(), err)
	}
	return ev, nil
}

// submitAndMark submits version v of an assignment on day on and, when the
// assessor has had time by upTo, marks it: met, or (referred) one or two
// criteria not yet, which the learner then resubmits.
func (d *delivery) submitAndMark(a *dApp, learner, assessor domain.Actor, asg domain.PlannedAssignment, v int, on, upTo domain.Date, referred, full bool) error {
	title := asg.Ref + " " + asg.Title
	if v > 1 {
		title = fmt.Sprintf("%s (version %d)", title, v)
	}
	ev, err := d.evidence(a, learner, title, asg.Criteria, on)
	if err != nil {
		return err
	}
	s, err := portfolio.Submit(d.ctx, d.tx, learner, d.all, a.id, asg.Ref, ev.ID, on)
	if err != nil {
		return fmt.Errorf("submission of %s: %w", a.person.FullName(), err)
	}
	marked := on.AddDays(3 + d.rng.IntN(12))
	if full {
		marked = earlier(marked, upTo.AddDays(-1))
	}
	if !marked.Before(upTo) {
		return nil // waiting in the queue
	}
	var marks []domain.CriterionMark
	for k, cr := range asg.Criteria {
		m := domain.CriterionMark{Criterion: cr, Outcome: domain.OutcomeMet}
		if referred && (k == 1 || k == len(asg.Criteria)-2) {
			m.Outcome, m.Feedback = domain.OutcomeNotYet, referralFeedback[d.rng.IntN(len(referralFeedback))]
		}
		marks = append(marks, m)
	}
	feedback := "A clear account that links the guidance to your setting."
	if referred {
		feedback = "Most criteria are met. Two need more: see the feedback beside each, then resubmit as a new version."
	}
	if _, err := portfolio.Mark(d.ctx, d.tx, assessor, d.all, s.ID, marks, feedback, marked); err != nil {
		return fmt.Errorf("marking of %s: %w", a.person.FullName(), err)
	}
	if !referred {
		return nil
	}
	again := marked.AddDays(5 + d.rng.IntN(10))
	if full {
		again = earlier(again, upTo.AddDays(-1))
	}
	if !again.Before(upTo) && !full {
		return nil // referred, not yet resubmitted
	}
	return d.submitAndMark(a, learner, assessor, asg, v+1, earlier(again, upTo), upTo, false, full)
}

// portfolios writes the work of learners still in training, on cohorts
// that have started.
func (d *delivery) portfolios() error {
	for _, c := range d.cohorts {
		if !c.cohort.StartsOn.Before(d.today) {
			continue
		}
		for _, a := range c.learners {
			if a.status != domain.StatusInTraining && a.status != domain.StatusEnrolled {
				continue
			}
			app, err := d.app(a)
			if err != nil {
				return err
			}
			if app.CohortID != c.cohort.ID || !app.AssessmentCompleteOn.IsZero() || !app.Status.In(domain.Training) {
				continue
			}
			if err := d.work(c, a, d.today, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// completeAssessment gives a learner a full portfolio and records their
// assessment complete on day on.
func (d *delivery) completeAssessment(c *dCohort, a *dApp, app store.Application, on domain.Date) (bool, error) {
	if err := d.work(c, a, on, true); err != nil {
		return false, err
	}
	done, _, err := portfolio.CompleteAssessment(d.ctx, d.tx, d.assessorFor(c), app, on)
	return done, err
}

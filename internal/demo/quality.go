package demo

import (
	"context"
	"fmt"
	"slices"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/quality"
)

// qualitySeed is the seed of the demo's IQA sample, so every demo draws
// the same one.
const qualitySeed = 20260901

// quality: the staffed supplier's IQA samples a small share of its
// assessors' decisions and agrees with all but two: one action the assessor
// has resolved, and one still open, which holds that learner's
// certificate back. The awarding organisation samples the same supplier
// externally and agrees.
func (d *delivery) quality() error {
	iqa, ok := d.users["supplier/"+string(domain.RoleIQA)]
	if !ok {
		return nil
	}
	assessor := d.actor("supplier", domain.RoleAssessor)
	plan := domain.SamplingPlan{SupplierOrgID: iqa.Org.ID, Level: domain.QAInternal, LearnerShare: 0, DecisionShare: 1, NewAssessorShare: 5, NewAssessorBelow: 20}
	if err := quality.SavePlan(d.ctx, d.tx, domain.ActorOf(iqa), plan); err != nil {
		return fmt.Errorf("IQA plan: %w", err)
	}
	// The first seed from qualitySeed whose sample holds the learner
	// waiting for quality assurance, so every demo draws the same sample.
	all, err := quality.Decisions(d.ctx, d.tx.Reader(), iqa.Org.ID, "", d.today)
	if err != nil {
		return err
	}
	seed := int64(qualitySeed)
	// The action is on the final decision, so resolving it is all the
	// learner waits for (an action on a criterion waits for the criterion
	// to be decided again as well).
	held := func(x domain.QADecision) bool { return x.ApplicationID == d.heldForQA && x.Kind == domain.QAFinal }
	for ; seed < qualitySeed+2000 && d.heldForQA != 0; seed++ {
		if slices.ContainsFunc(domain.DrawSample(plan, all, iqa.ID, seed).Decisions, held) {
			break
		}
	}
	id, err := quality.Draw(d.ctx, d.tx, domain.ActorOf(iqa), domain.QAInternal, iqa.Org.ID, "", seed)
	if _, none := domain.IsRefusal(err); none {
		return nil // no decisions of that supplier's assessor yet
	}
	if err != nil {
		return fmt.Errorf("IQA sample: %w", err)
	}
	scope := policy.Quality(iqa)
	items, err := quality.Items(d.ctx, d.tx.Reader(), scope, id)
	if err != nil {
		return err
	}
	// The open action goes on a learner who is waiting for a certificate,
	// so the awarding organisation sees why they cannot be certified.
	open, resolved := -1, -1
	for i, it := range items {
		app, err := store.ApplicationIn(d.ctx, d.tx.Reader(), d.all, it.Decision.ApplicationID)
		if err != nil {
			return err
		}
		switch {
		case open < 0 && held(it.Decision):
			open = i
		case resolved < 0 && app.Status == domain.StatusCertified && it.Decision.AssessorID == assessor.UserID:
			resolved = i
		}
	}
	for i, it := range items {
		outcome, action := domain.QAAgree, ""
		switch i {
		case open:
			outcome, action = domain.QAAction, "The assessment was completed before the observation record was signed by the learner: get it signed and confirm the decision"
		case resolved:
			outcome, action = domain.QAAction, "Feedback on assignment 2 does not say which criteria it meets; add it"
		}
		if _, err := quality.RecordOutcome(d.ctx, d.tx, domain.ActorOf(iqa), scope, it.ID, outcome, action, d.today); err != nil {
			return fmt.Errorf("IQA outcome: %w", err)
		}
		if i == resolved {
			if _, err := quality.ResolveAction(d.ctx, d.tx, assessor, policy.Scope{Kind: policy.National}, it.ID,
				"Feedback rewritten against criteria 2.1 to 2.4 and shared with the learner"); err != nil {
				return fmt.Errorf("resolve: %w", err)
			}
			// The certificate stands after the review.
			held, err := quality.Certificates(d.ctx, d.tx.Reader(), it.Decision.ApplicationID)
			if err != nil {
				return err
			}
			for _, c := range held {
				if c.Flagged() {
					if _, err := quality.ClearReview(d.ctx, d.tx, d.ao(), d.all, c.ID); err != nil {
						return err
					}
				}
			}
		}
	}
	ao := d.users["awarding/"+string(domain.RoleAOOfficer)]
	eqa := domain.SamplingPlan{SupplierOrgID: iqa.Org.ID, Level: domain.QAExternal, LearnerShare: 0, DecisionShare: 1, NewAssessorShare: 2, NewAssessorBelow: 20}
	if err := quality.SavePlan(d.ctx, d.tx, domain.ActorOf(ao), eqa); err != nil {
		return fmt.Errorf("EQA plan: %w", err)
	}
	eid, err := quality.Draw(d.ctx, d.tx, domain.ActorOf(ao), domain.QAExternal, iqa.Org.ID, ao.Org.Name, qualitySeed+1)
	if err != nil {
		return fmt.Errorf("EQA sample: %w", err)
	}
	eitems, err := quality.Items(d.ctx, d.tx.Reader(), policy.Quality(ao), eid)
	if err != nil {
		return err
	}
	for _, it := range eitems {
		if _, err := quality.RecordOutcome(d.ctx, d.tx, domain.ActorOf(ao), policy.Quality(ao), it.ID, domain.QAAgree, "", d.today); err != nil {
			return fmt.Errorf("EQA outcome: %w", err)
		}
	}
	return nil
}

// VerificationCode is the code of one valid full certificate of the demo,
// to try on the public verification page.
func VerificationCode(ctx context.Context, db *store.DB) (string, error) {
	var code string
	err := db.Reader().QueryRowContext(ctx, `SELECT code FROM issued_certificates WHERE kind = $1 AND state = $2 ORDER BY id LIMIT 1`,
		string(domain.CertificateFull), string(domain.CertificateValid)).Scan(&code)
	if err != nil {
		return "", fmt.Errorf("demo verification code: %w", err)
	}
	return domain.FormatVerificationCode(code), nil
}

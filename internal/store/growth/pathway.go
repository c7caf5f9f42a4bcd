package growth

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// PathwayRecord loads what domain.Pathway checks for a practitioner: their
// record, the levels of SENCO qualifications certified and in training, and
// the earlier learning that could count.
func PathwayRecord(ctx context.Context, q store.Querier, p domain.Practitioner) (domain.PathwayRecord, error) {
	rec := domain.PathwayRecord{Practitioner: p}
	type app struct {
		status domain.Status
		level  int
	}
	apps, err := store.Collect(ctx, q, "pathway", func(sc store.Scanner, a *app) error { return sc.Scan(&a.status, &a.level) },
		`SELECT ap.status, q.level FROM applications ap JOIN programmes pr ON pr.id = ap.programme_id
		JOIN qualifications q ON q.id = COALESCE(ap.qualification_id, pr.qualification_id) WHERE ap.practitioner_id = $1`, p.ID)
	if err != nil {
		return rec, err
	}
	for _, a := range apps {
		switch {
		case a.status == domain.StatusCertified:
			rec.Certified = append(rec.Certified, a.level)
		case a.status.In(domain.Training):
			rec.Training = a.level
		}
	}
	courses, err := store.Collect(ctx, q, "pathway", func(sc store.Scanner, s *string) error {
		var title string
		var on domain.Date
		if err := sc.Scan(&title, &on); err != nil {
			return err
		}
		*s = fmt.Sprintf("%s (local authority course, %s)", title, on.Long())
		return nil
	}, `SELECT c.title, c.held_on FROM la_course_attendees ca JOIN la_courses c ON c.id = ca.course_id WHERE ca.practitioner_id = $1 ORDER BY c.held_on`, p.ID)
	if err != nil {
		return rec, err
	}
	if p.PriorSENTraining != "" {
		rec.Prior = append(rec.Prior, p.PriorSENTraining)
	}
	rec.Prior = append(rec.Prior, courses...)
	return rec, nil
}

// rplScope limits claims (aliased rc) to a scope: a practitioner their
// own; an assessor (or anyone whose delivery scope reaches applications)
// the claims of learners whose applications they see.
func rplScope(a *store.Args, scope policy.Scope) (string, bool) {
	if scope.Kind == policy.Self {
		return "rc.practitioner_id = " + a.Add(scope.PractitionerID), true
	}
	where, ok := store.AppScope(a, scope)
	if !ok {
		return "", false
	}
	return "rc.practitioner_id IN (SELECT ap.practitioner_id FROM applications ap WHERE " + where + ")", true
}

const rplColumns = `rc.id, rc.practitioner_id, p.given_name || ' ' || p.family_name, rc.qualification_id, rc.criterion_ref, rc.source, rc.evidence, rc.state,
	rc.claimed_on, rc.decided_on, rc.decided_by, rc.reason, rc.created_at, rc.updated_at`

func scanRPL(sc store.Scanner, c *domain.RPLClaim) error {
	return sc.Scan(&c.ID, &c.PractitionerID, &c.PractitionerName, &c.QualificationID, &c.CriterionRef, &c.Source, &c.Evidence, &c.State,
		&c.ClaimedOn, &c.DecidedOn, &c.DecidedBy, &c.Reason, store.NullTime(&c.CreatedAt), store.NullTime(&c.UpdatedAt))
}

// RPLClaims lists the claims in scope, those awaiting a decision first.
func RPLClaims(ctx context.Context, q store.Querier, scope policy.Scope) ([]domain.RPLClaim, error) {
	var a store.Args
	where, ok := rplScope(&a, scope)
	if !ok {
		return nil, nil
	}
	return store.Collect(ctx, q, "prior learning", scanRPL, `SELECT `+rplColumns+` FROM rpl_claims rc JOIN practitioners p ON p.id = rc.practitioner_id
		WHERE `+where+` ORDER BY CASE WHEN rc.state = `+a.Add(domain.RPLClaimed)+` THEN 0 ELSE 1 END, rc.claimed_on DESC, rc.id DESC`, a...)
}

// RPLClaimsOf are the claims of prior learning of the practitioners given,
// read together, for the checks made of many learners at once.
func RPLClaimsOf(ctx context.Context, q store.Querier, practitionerIDs []int64) ([]domain.RPLClaim, error) {
	if len(practitionerIDs) == 0 {
		return nil, nil
	}
	var a store.Args
	ph := make([]string, len(practitionerIDs))
	for i, id := range practitionerIDs {
		ph[i] = a.Add(id)
	}
	return store.Collect(ctx, q, "prior learning", scanRPL, `SELECT `+rplColumns+` FROM rpl_claims rc JOIN practitioners p ON p.id = rc.practitioner_id
		WHERE rc.practitioner_id IN (`+strings.Join(ph, ", ")+`) ORDER BY rc.id`, a...)
}

// ApprovedCriteria are the criteria of a qualification that a practitioner's
// approved prior learning meets (domain.ApprovedCriteria), for the
// portfolio to count as met, each with where it came from.
func ApprovedCriteria(ctx context.Context, q store.Querier, practitionerID, qualificationID int64) (map[string]domain.RPLClaim, error) {
	claims, err := RPLClaims(ctx, q, policy.Scope{Kind: policy.Self, PractitionerID: practitionerID})
	if err != nil {
		return nil, err
	}
	return domain.ApprovedCriteria(claims, qualificationID), nil
}

// ClaimRPL records a practitioner's claim against one criterion
// (domain.ClaimRPL); the index holds one live claim per criterion.
func ClaimRPL(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, q domain.Qualification, criterion, source, evidence string) (domain.RPLClaim, error) {
	if scope.Kind != policy.Self {
		return domain.RPLClaim{}, store.ErrNotFound
	}
	existing, err := RPLClaims(ctx, tx.Reader(), scope)
	if err != nil {
		return domain.RPLClaim{}, err
	}
	c, rule := domain.ClaimRPL(q, existing, criterion, source, evidence, tx.Today())
	if rule != nil {
		return c, rule
	}
	c.PractitionerID = scope.PractitionerID
	now := tx.Now()
	c.ID, err = tx.InsertID(ctx, `INSERT INTO rpl_claims (practitioner_id, qualification_id, criterion_ref, source, evidence, state, claimed_on, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, c.PractitionerID, c.QualificationID, c.CriterionRef, c.Source, c.Evidence, c.State, c.ClaimedOn, now)
	if err != nil && store.IsUniqueViolation(err) {
		return c, fmt.Errorf("%w: %s", store.ErrConflict, "this criterion was claimed meanwhile")
	}
	if err != nil {
		return c, fmt.Errorf("claim prior learning: %w", err)
	}
	if err := tx.Audit(ctx, a, "claim prior learning", "practitioner", strconv.FormatInt(c.PractitionerID, 10), nil,
		map[string]any{"claim_id": c.ID, "qualification_id": c.QualificationID, "criterion": c.CriterionRef, "source": c.Source}); err != nil {
		return c, err
	}
	return c, bump(ctx, tx)
}

// DecideRPL is an assessor's decision on a claim in their scope
// (domain.DecideRPL), guarded by the state it saw.
func DecideRPL(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, id int64, approve bool, reason string) (domain.RPLClaim, error) {
	var args store.Args
	where, ok := rplScope(&args, scope)
	if !ok || scope.Kind == policy.Self {
		return domain.RPLClaim{}, store.ErrNotFound
	}
	var c domain.RPLClaim
	err := scanRPL(tx.Reader().QueryRowContext(ctx, `SELECT `+rplColumns+` FROM rpl_claims rc JOIN practitioners p ON p.id = rc.practitioner_id
		WHERE `+where+` AND rc.id = `+args.Add(id), args...), &c)
	if err != nil {
		return c, store.NotFound(err, "prior learning claim")
	}
	before := c.State
	c, rule := domain.DecideRPL(c, approve, reason, a.Label, tx.Today())
	if rule != nil {
		return c, rule
	}
	res, err := tx.Exec(ctx, `UPDATE rpl_claims SET state = $1, reason = $2, decided_by = $3, decided_on = $4, updated_at = $5 WHERE id = $6 AND state = $7`,
		c.State, c.Reason, c.DecidedBy, c.DecidedOn, tx.Now(), c.ID, before)
	if err != nil {
		return c, fmt.Errorf("decide prior learning: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return c, fmt.Errorf("%w: %s", store.ErrConflict, "the claim was decided meanwhile")
	}
	if err := tx.Audit(ctx, a, "decide prior learning", "practitioner", strconv.FormatInt(c.PractitionerID, 10),
		map[string]any{"claim_id": c.ID, "state": before}, map[string]any{"state": c.State, "reason": c.Reason}); err != nil {
		return c, err
	}
	return c, bump(ctx, tx)
}

package portfolio

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// Reads and pushes for a supplier's own e-portfolio (the API): pages of
// evidence, submissions and decisions in scope, each readable by what
// changed since a moment, and evidence and decisions pushed under the
// supplier's own id for them, so that a repeated push finds what the
// first one made.

// SyncFilter narrows a list: one learner (ApplicationID), changes at or
// after UpdatedSince (then the list is in order of change), a page.
type SyncFilter struct {
	ApplicationID int64
	UpdatedSince  time.Time
	// Waiting keeps submissions not yet marked, oldest first (the queue).
	Waiting    bool
	Page, Size int
}

// where is the scope and the filter's conditions on the table aliased t,
// whose last change is in column changed.
func (f SyncFilter) where(a *store.Args, scope policy.Scope, t, changed string) (string, bool) {
	where, ok := portfolioScope(a, scope)
	if !ok {
		return "", false
	}
	if f.ApplicationID != 0 {
		where += " AND " + t + ".application_id = " + a.Add(f.ApplicationID)
	}
	if !f.UpdatedSince.IsZero() {
		where += " AND " + t + "." + changed + " >= " + a.Add(f.UpdatedSince)
	}
	return where, true
}

// order is by change with UpdatedSince, else by id.
func (f SyncFilter) order(t, changed string) string {
	if !f.UpdatedSince.IsZero() {
		return " ORDER BY " + t + "." + changed + ", " + t + ".id"
	}
	return " ORDER BY " + t + ".id"
}

// EvidencePage is a page of evidence and how much there is in all.
type EvidencePage struct {
	Evidence []domain.Evidence
	Total    int
}

// EvidenceList lists the evidence in scope.
func EvidenceList(ctx context.Context, q store.Querier, scope policy.Scope, f SyncFilter) (EvidencePage, error) {
	var out EvidencePage
	var a store.Args
	where, ok := f.where(&a, scope, "e", "updated_at")
	if !ok {
		return out, nil
	}
	from := ` FROM portfolio_evidence e JOIN applications ap ON ap.id = e.application_id` + cohortJoin + `WHERE ` + where
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+from, a...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("evidence list: %w", err)
	}
	var err error
	if out.Evidence, err = store.Collect(ctx, q, "evidence", scanEvidence, `SELECT `+evidenceColumns+from+f.order("e", "updated_at")+
		store.PageClause(&a, f.Page, f.Size), a...); err != nil {
		return out, err
	}
	return out, criteriaOfEvidence(ctx, q, out.Evidence)
}

// criteriaOfEvidence reads the criteria of a page of evidence.
func criteriaOfEvidence(ctx context.Context, q store.Querier, ev []domain.Evidence) error {
	if len(ev) == 0 {
		return nil
	}
	var a store.Args
	ids := make([]string, len(ev))
	for i, e := range ev {
		ids[i] = a.Add(e.ID)
	}
	type link struct {
		id int64
		c  domain.CriterionRef
	}
	links, err := store.Collect(ctx, q, "evidence criteria", func(sc store.Scanner, l *link) error { return sc.Scan(&l.id, &l.c) },
		`SELECT evidence_id, criterion FROM portfolio_evidence_criteria WHERE evidence_id IN (`+strings.Join(ids, ", ")+`)`, a...)
	if err != nil {
		return err
	}
	attachCriteria(ev, links, func(l link) (int64, domain.CriterionRef) { return l.id, l.c })
	return nil
}

// SubmissionPage is a page of submissions.
type SubmissionPage struct {
	Submissions []domain.Submission
	Total       int
}

// SubmissionList lists the submitted versions in scope; with Waiting, the
// queue of work to mark, oldest first.
func SubmissionList(ctx context.Context, q store.Querier, scope policy.Scope, f SyncFilter) (SubmissionPage, error) {
	var out SubmissionPage
	var a store.Args
	where, ok := f.where(&a, scope, "s", "updated_at")
	if !ok {
		return out, nil
	}
	order := f.order("s", "updated_at")
	if f.Waiting {
		where += " AND s.marked_on IS NULL"
		if f.UpdatedSince.IsZero() {
			order = " ORDER BY s.submitted_on, s.id"
		}
	}
	from := ` FROM portfolio_submissions s JOIN applications ap ON ap.id = s.application_id` + cohortJoin + `WHERE ` + where
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+from, a...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("submission list: %w", err)
	}
	var err error
	out.Submissions, err = store.Collect(ctx, q, "submissions", scanSubmission, `SELECT `+submissionColumns+from+order+store.PageClause(&a, f.Page, f.Size), a...)
	return out, err
}

// DecisionPage is a page of criterion decisions.
type DecisionPage struct {
	Decisions []domain.CriterionDecision
	Total     int
}

// DecisionList lists the criterion decisions in scope. A decision is never
// changed, so its last change is when it was made.
func DecisionList(ctx context.Context, q store.Querier, scope policy.Scope, f SyncFilter) (DecisionPage, error) {
	var out DecisionPage
	var a store.Args
	where, ok := f.where(&a, scope, "d", "created_at")
	if !ok {
		return out, nil
	}
	from := ` FROM criterion_decisions d JOIN applications ap ON ap.id = d.application_id` + cohortJoin + `WHERE ` + where
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+from, a...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("decision list: %w", err)
	}
	var err error
	out.Decisions, err = store.Collect(ctx, q, "criterion decisions", scanDecision, `SELECT `+decisionColumns+from+f.order("d", "created_at")+
		store.PageClause(&a, f.Page, f.Size), a...)
	return out, err
}

// PushEvidence adds evidence metadata a supplier's own e-portfolio pushed
// under its id for it (domain.CheckEvidence, as AddEvidence). The same
// evidence pushed again returns the evidence already there (created
// false); other evidence under the same id is a conflict.
func PushEvidence(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, appID int64, ev domain.Evidence) (domain.Evidence, bool, error) {
	ev.ExternalID = strings.TrimSpace(ev.ExternalID)
	if err := inScope(ctx, tx.Reader(), scope, appID); err != nil {
		return ev, false, err
	}
	if err := domain.CheckExternalID(ev.ExternalID); err != nil {
		return ev, false, err
	}
	had, found, err := pushedEvidence(ctx, tx.Reader(), appID, ev.ExternalID)
	if err != nil || found {
		if found && !domain.SamePushedEvidence(had, ev) {
			return had, false, fmt.Errorf("evidence %q: %w: %w", ev.ExternalID, domain.ErrPushedOtherwise, store.ErrConflict)
		}
		return had, false, err
	}
	ev.File.Key = "" // a supplier's files stay in its own e-portfolio
	got, err := AddEvidence(ctx, tx, a, scope, appID, ev)
	if err != nil && store.IsUniqueViolation(err) {
		return ev, false, fmt.Errorf("evidence %q: %w: %w", ev.ExternalID, domain.ErrPushedOtherwise, store.ErrConflict)
	}
	return got, err == nil, err
}

func pushedEvidence(ctx context.Context, q store.Querier, appID int64, externalID string) (domain.Evidence, bool, error) {
	var e domain.Evidence
	err := scanEvidence(q.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM portfolio_evidence e WHERE e.application_id = $1 AND e.external_id = $2`,
		appID, externalID), &e)
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	if err != nil {
		return e, false, fmt.Errorf("pushed evidence: %w", err)
	}
	ev := []domain.Evidence{e}
	if err := criteriaOfEvidence(ctx, q, ev); err != nil {
		return e, false, err
	}
	return ev[0], true, nil
}

// PushDecision records an assessor's decision on one criterion that a
// supplier's own e-portfolio pushed under its id for it
// (domain.CheckPushedDecision). The same decision pushed again returns the
// one already there (created false); another under the same id is a
// conflict.
func PushDecision(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, d domain.CriterionDecision) (domain.CriterionDecision, bool, error) {
	d.ExternalID, d.Feedback = strings.TrimSpace(d.ExternalID), strings.TrimSpace(d.Feedback)
	p, err := Load(ctx, tx.Reader(), scope, d.ApplicationID)
	if err != nil {
		return d, false, err
	}
	if err := domain.CheckExternalID(d.ExternalID); err != nil {
		return d, false, err
	}
	var had domain.CriterionDecision
	err = scanDecision(tx.Reader().QueryRowContext(ctx, `SELECT `+decisionColumns+` FROM criterion_decisions d WHERE d.application_id = $1 AND d.external_id = $2`,
		d.ApplicationID, d.ExternalID), &had)
	switch {
	case err == nil && domain.SamePushedDecision(had, d):
		return had, false, nil
	case err == nil:
		return had, false, fmt.Errorf("decision %q: %w: %w", d.ExternalID, domain.ErrPushedOtherwise, store.ErrConflict)
	case !errors.Is(err, sql.ErrNoRows):
		return d, false, fmt.Errorf("pushed decision: %w", err)
	}
	assessors, err := store.Collect(ctx, tx.Reader(), "cohort assessors", func(sc store.Scanner, id *int64) error { return sc.Scan(id) },
		`SELECT user_id FROM cohort_staff WHERE cohort_id = $1 AND role = '`+string(domain.RoleAssessor)+`'`, p.App.CohortID)
	if err != nil {
		return d, false, err
	}
	if err := domain.CheckPushedDecision(d, p.Qualification, p.Evidence, assessors, tx.Today()); err != nil {
		return d, false, err
	}
	if d.ID, err = insertDecision(ctx, tx, d); err != nil {
		if store.IsUniqueViolation(err) {
			return d, false, fmt.Errorf("decision %q: %w: %w", d.ExternalID, domain.ErrPushedOtherwise, store.ErrConflict)
		}
		return d, false, err
	}
	d.CreatedAt = tx.Now()
	return d, true, tx.Audit(ctx, a, "push", "criterion_decision", fmt.Sprint(d.ID), nil, map[string]any{"application_id": d.ApplicationID,
		"criterion": d.Criterion, "outcome": d.Outcome, "decided_on": d.DecidedOn, "evidence_id": d.EvidenceID, "assessor_id": d.AssessorID, "external_id": d.ExternalID})
}

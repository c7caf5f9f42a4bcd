package portfolio

import (
	"context"
	"fmt"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// QueueItem is a submitted version waiting to be marked.
type QueueItem struct {
	Submission    domain.Submission
	EvidenceTitle string
	LearnerName   string
	CohortName    string
}

// QueuePage is one page of the queue and its length.
type QueuePage struct {
	Items []QueueItem
	Total int
}

// Queue lists the work waiting to be marked in scope, oldest first.
func Queue(ctx context.Context, q store.Querier, scope policy.Scope, page, size int) (QueuePage, error) {
	var out QueuePage
	var a store.Args
	where, ok := portfolioScope(&a, scope)
	if !ok {
		return out, nil
	}
	from := ` FROM portfolio_submissions s JOIN portfolio_evidence e ON e.id = s.evidence_id JOIN applications ap ON ap.id = s.application_id` + cohortJoin + `JOIN practitioners p ON p.id = ap.practitioner_id WHERE s.marked_on IS NULL AND ` + where
	if scope.Kind == policy.Staffed {
		// An assessor's queue starts from their cohorts, then their
		// learners, then each learner's waiting work: it reads their own
		// rows, not every piece of work waiting in the country (the order
		// of the scan follows the waiting work otherwise, 10,000 rows to
		// find an assessor's 20; see BenchmarkQueue). CROSS JOIN keeps
		// SQLite to that order; PostgreSQL plans it by its statistics.
		// The same learners as portfolioScope's Staffed.
		a = store.Args{}
		from = ` FROM cohort_staff cs CROSS JOIN applications ap CROSS JOIN portfolio_submissions s JOIN portfolio_evidence e ON e.id = s.evidence_id` +
			cohortJoin + `JOIN practitioners p ON p.id = ap.practitioner_id WHERE cs.role = '` + string(domain.RoleAssessor) + `' AND cs.user_id = ` + a.Add(scope.UserID) +
			` AND ap.cohort_id = cs.cohort_id AND s.application_id = ap.id AND s.marked_on IS NULL`
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+from, a...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("queue: %w", err)
	}
	var err error
	out.Items, err = store.Collect(ctx, q, "queue", func(sc store.Scanner, it *QueueItem) error {
		s := &it.Submission
		return sc.Scan(&s.ID, &s.ApplicationID, &s.AssignmentRef, &s.Version, &s.EvidenceID, &s.SubmittedOn, &it.EvidenceTitle, &it.LearnerName, &it.CohortName)
	}, `SELECT s.id, s.application_id, s.assignment_ref, s.version, s.evidence_id, s.submitted_on, e.title, p.given_name || ' ' || p.family_name,
		COALESCE(ch.name, '')`+from+` ORDER BY s.submitted_on, s.id `+store.PageClause(&a, page, size), a...)
	return out, err
}

// Learner is a learner whose portfolio a user may open.
type Learner struct {
	AppID      int64
	Name       string
	CohortName string
	Status     domain.Status
}

// Learners lists the learners in scope with a portfolio (placed on a
// cohort), by cohort and name, up to limit.
func Learners(ctx context.Context, q store.Querier, scope policy.Scope, limit int) ([]Learner, error) {
	var a store.Args
	where, ok := portfolioScope(&a, scope)
	if !ok {
		return nil, nil
	}
	return store.Collect(ctx, q, "portfolio learners", func(sc store.Scanner, l *Learner) error {
		return sc.Scan(&l.AppID, &l.Name, &l.CohortName, &l.Status)
	}, `SELECT ap.id, p.given_name || ' ' || p.family_name, ch.name, ap.status FROM`+appJoin+`JOIN practitioners p ON p.id = ap.practitioner_id
		WHERE ch.id IS NOT NULL AND `+where+` ORDER BY ch.starts_on DESC, ch.name, p.family_name, p.given_name, ap.id LIMIT `+a.Add(limit), a...)
}

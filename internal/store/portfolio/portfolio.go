package portfolio

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/growth"
	"senco/internal/store/quality"
)

// Portfolio is everything of one learner's portfolio.
type Portfolio struct {
	App            store.Application
	Qualification  domain.Qualification
	CohortStartsOn domain.Date
	Evidence       []domain.Evidence
	Submissions    []domain.Submission
	Decisions      []domain.CriterionDecision
	Observations   []domain.Observation
	Reviews        []domain.ProgressReview
	// Overturned are the decisions quality assurance overturned.
	Overturned domain.Overturned
	// Recognised are the met decisions the learner's approved claims of
	// recognised prior learning stand for (domain.RecognisedDecisions):
	// counted by every rule, listed apart from the assessors' decisions.
	Recognised []domain.CriterionDecision
}

// judged are the assessors' decisions and the recognised prior learning,
// which the rules count together.
func (p Portfolio) judged() []domain.CriterionDecision {
	return append(slices.Clone(p.Decisions), p.Recognised...)
}

// Matrix is the learner's evidence matrix.
func (p Portfolio) Matrix() domain.Matrix {
	return domain.EvidenceMatrix(p.Qualification, p.Evidence, p.Submissions, p.judged(), p.Overturned)
}

// Missing are the mandatory criteria not yet met.
func (p Portfolio) Missing() []domain.CriterionRef {
	return domain.MissingCriteria(p.Qualification.Plan, p.judged(), p.Overturned)
}

// EvidenceByID finds a piece of the portfolio's evidence.
func (p Portfolio) EvidenceByID(id int64) (domain.Evidence, bool) {
	for _, e := range p.Evidence {
		if e.ID == id {
			return e, true
		}
	}
	return domain.Evidence{}, false
}

// SubmissionOf is the submission that locked evidence id, if any.
func (p Portfolio) SubmissionOf(evidenceID int64) (domain.Submission, bool) {
	for _, s := range p.Submissions {
		if s.EvidenceID == evidenceID {
			return s, true
		}
	}
	return domain.Submission{}, false
}

// DecisionsOn are the decisions judging submission id.
func (p Portfolio) DecisionsOn(submissionID int64) []domain.CriterionDecision {
	var out []domain.CriterionDecision
	for _, d := range p.Decisions {
		if d.SubmissionID == submissionID {
			out = append(out, d)
		}
	}
	return out
}

// Load reads the portfolio of application appID, in scope.
func Load(ctx context.Context, q store.Querier, scope policy.Scope, appID int64) (Portfolio, error) {
	var p Portfolio
	if err := inScope(ctx, q, scope, appID); err != nil {
		return p, err
	}
	return load(ctx, q, appID)
}

func load(ctx context.Context, q store.Querier, appID int64) (Portfolio, error) {
	var p Portfolio
	app, err := store.ApplicationIn(ctx, q, policy.Scope{Kind: policy.National}, appID)
	if err != nil {
		return p, err
	}
	p.App = app
	qid := app.QualificationID
	if qid == 0 {
		pr, err := store.ProgrammeIn(ctx, q, app.ProgrammeID)
		if err != nil {
			return p, err
		}
		qid = pr.QualificationID
	}
	if p.Qualification, err = store.QualificationIn(ctx, q, qid); err != nil {
		return p, err
	}
	if app.CohortID != 0 {
		if err := q.QueryRowContext(ctx, `SELECT starts_on FROM cohorts WHERE id = $1`, app.CohortID).Scan(&p.CohortStartsOn); err != nil {
			return p, fmt.Errorf("portfolio cohort: %w", err)
		}
	}
	if p.Evidence, err = evidenceOf(ctx, q, appID); err != nil {
		return p, err
	}
	if p.Submissions, err = store.Collect(ctx, q, "portfolio submissions", scanSubmission,
		`SELECT `+submissionColumns+` FROM portfolio_submissions s WHERE s.application_id = $1 ORDER BY s.submitted_on, s.id`, appID); err != nil {
		return p, err
	}
	if p.Decisions, err = store.Collect(ctx, q, "criterion decisions", scanDecision,
		`SELECT `+decisionColumns+` FROM criterion_decisions d WHERE d.application_id = $1 ORDER BY d.decided_on, d.id`, appID); err != nil {
		return p, err
	}
	if p.Observations, err = observationsOf(ctx, q, appID); err != nil {
		return p, err
	}
	if p.Reviews, err = store.Collect(ctx, q, "progress reviews", scanReview,
		`SELECT `+reviewColumns+` FROM progress_reviews r WHERE r.application_id = $1 ORDER BY r.held_on, r.id`, appID); err != nil {
		return p, err
	}
	claims, err := growth.RPLClaims(ctx, q, policy.Scope{Kind: policy.Self, PractitionerID: app.PractitionerID})
	if err != nil {
		return p, err
	}
	p.Recognised = domain.RecognisedDecisions(p.Qualification, claims)
	p.Overturned, err = Overturned(ctx, q, appID)
	return p, err
}

// Overturned are the ids of a learner's decisions that an internal or
// external quality assurance outcome overturned. Quality assurance keeps
// its outcomes in its own tables; this is the one place the portfolio
// reads them, so every rule (met, complete, the matrix) sees the same set.
// The outcomes are quality assurance's (quality.Overturned).
func Overturned(ctx context.Context, q store.Querier, appID int64) (domain.Overturned, error) {
	return quality.Overturned(ctx, q, appID)
}

const evidenceColumns = `e.id, e.application_id, e.kind, e.title, e.body, e.file_key, e.file_name, e.file_type, e.file_size, e.added_on,
	COALESCE(e.added_by, 0), e.external_id, e.created_at, e.updated_at`

func scanEvidence(sc store.Scanner, e *domain.Evidence) error {
	return sc.Scan(&e.ID, &e.ApplicationID, &e.Kind, &e.Title, &e.Text, &e.File.Key, &e.File.Name, &e.File.Type, &e.File.Size, &e.AddedOn,
		&e.AddedBy, &e.ExternalID, store.NullTime(&e.CreatedAt), store.NullTime(&e.UpdatedAt))
}

func evidenceOf(ctx context.Context, q store.Querier, appID int64) ([]domain.Evidence, error) {
	ev, err := store.Collect(ctx, q, "portfolio evidence", scanEvidence,
		`SELECT `+evidenceColumns+` FROM portfolio_evidence e WHERE e.application_id = $1 ORDER BY e.added_on, e.id`, appID)
	if err != nil {
		return nil, err
	}
	type link struct {
		id int64
		c  domain.CriterionRef
	}
	links, err := store.Collect(ctx, q, "evidence criteria", func(sc store.Scanner, l *link) error { return sc.Scan(&l.id, &l.c) },
		`SELECT ec.evidence_id, ec.criterion FROM portfolio_evidence_criteria ec JOIN portfolio_evidence e ON e.id = ec.evidence_id
		WHERE e.application_id = $1`, appID)
	if err != nil {
		return nil, err
	}
	attachCriteria(ev, links, func(l link) (int64, domain.CriterionRef) { return l.id, l.c })
	return ev, nil
}

// attachCriteria files criteria links under their evidence, in reference
// order.
func attachCriteria[L any](ev []domain.Evidence, links []L, of func(L) (int64, domain.CriterionRef)) {
	idx := map[int64]int{}
	for i, e := range ev {
		idx[e.ID] = i
	}
	for _, l := range links {
		id, c := of(l)
		if i, ok := idx[id]; ok {
			ev[i].Criteria = append(ev[i].Criteria, c)
		}
	}
	for i := range ev {
		sort.Slice(ev[i].Criteria, func(a, b int) bool { return ev[i].Criteria[a] < ev[i].Criteria[b] })
	}
}

const submissionColumns = `s.id, s.application_id, s.assignment_ref, s.version, s.evidence_id, s.submitted_on, COALESCE(s.submitted_by, 0),
	s.marked_on, COALESCE(s.marked_by, 0), s.feedback, s.created_at, s.updated_at`

func scanSubmission(sc store.Scanner, s *domain.Submission) error {
	return sc.Scan(&s.ID, &s.ApplicationID, &s.AssignmentRef, &s.Version, &s.EvidenceID, &s.SubmittedOn, &s.SubmittedBy,
		&s.MarkedOn, &s.MarkedBy, &s.Feedback, store.NullTime(&s.CreatedAt), store.NullTime(&s.UpdatedAt))
}

const decisionColumns = `d.id, d.application_id, d.criterion, COALESCE(d.submission_id, 0), COALESCE(d.evidence_id, 0), COALESCE(d.observation_id, 0),
	COALESCE(d.assessor_user_id, 0), d.outcome, d.feedback, d.decided_on, d.external_id, d.created_at`

func scanDecision(sc store.Scanner, d *domain.CriterionDecision) error {
	return sc.Scan(&d.ID, &d.ApplicationID, &d.Criterion, &d.SubmissionID, &d.EvidenceID, &d.ObservationID, &d.AssessorID, &d.Outcome,
		&d.Feedback, &d.DecidedOn, &d.ExternalID, store.NullTime(&d.CreatedAt))
}

const observationColumns = `o.id, o.application_id, COALESCE(o.assessor_user_id, 0), o.observed_on, o.seen, o.acknowledged_on, o.learner_comment,
	o.created_at, o.updated_at`

func scanObservation(sc store.Scanner, o *domain.Observation) error {
	return sc.Scan(&o.ID, &o.ApplicationID, &o.AssessorID, &o.ObservedOn, &o.Seen, &o.AcknowledgedOn, &o.LearnerComment,
		store.NullTime(&o.CreatedAt), store.NullTime(&o.UpdatedAt))
}

func observationsOf(ctx context.Context, q store.Querier, appID int64) ([]domain.Observation, error) {
	obs, err := store.Collect(ctx, q, "observations", scanObservation,
		`SELECT `+observationColumns+` FROM portfolio_observations o WHERE o.application_id = $1 ORDER BY o.observed_on, o.id`, appID)
	if err != nil {
		return nil, err
	}
	type link struct {
		id int64
		c  domain.CriterionRef
	}
	links, err := store.Collect(ctx, q, "observation criteria", func(sc store.Scanner, l *link) error { return sc.Scan(&l.id, &l.c) },
		`SELECT oc.observation_id, oc.criterion FROM portfolio_observation_criteria oc JOIN portfolio_observations o ON o.id = oc.observation_id
		WHERE o.application_id = $1 ORDER BY oc.criterion`, appID)
	if err != nil {
		return nil, err
	}
	idx := map[int64]int{}
	for i, o := range obs {
		idx[o.ID] = i
	}
	for _, l := range links {
		if i, ok := idx[l.id]; ok {
			obs[i].Criteria = append(obs[i].Criteria, l.c)
		}
	}
	return obs, nil
}

const reviewColumns = `r.id, r.application_id, r.held_on, r.summary, r.next_steps, COALESCE(r.assessor_user_id, 0), r.assessor_signed_on,
	r.learner_signed_on, COALESCE(r.manager_user_id, 0), r.manager_signed_on, r.created_at, r.updated_at`

func scanReview(sc store.Scanner, r *domain.ProgressReview) error {
	return sc.Scan(&r.ID, &r.ApplicationID, &r.HeldOn, &r.Summary, &r.NextSteps, &r.AssessorID, &r.AssessorSignedOn,
		&r.LearnerSignedOn, &r.ManagerID, &r.ManagerSignedOn, store.NullTime(&r.CreatedAt), store.NullTime(&r.UpdatedAt))
}

// AddEvidence adds a piece of evidence to a learner's portfolio in scope
// (domain.CheckEvidence). A file's bytes are already in the file store
// under ev.File.Key.
func AddEvidence(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, appID int64, ev domain.Evidence) (domain.Evidence, error) {
	p, err := Load(ctx, tx.Reader(), scope, appID)
	if err != nil {
		return ev, err
	}
	ev.ApplicationID, ev.AddedBy = appID, a.UserID
	ev.Title, ev.Text = strings.TrimSpace(ev.Title), strings.TrimSpace(ev.Text)
	if ev.AddedOn.IsZero() {
		ev.AddedOn = tx.Today()
	}
	if err := domain.CheckEvidence(p.App, ev, p.Qualification, tx.Today()); err != nil {
		return ev, err
	}
	return insertEvidence(ctx, tx, a, ev)
}

func insertEvidence(ctx context.Context, tx *store.Tx, a domain.Actor, ev domain.Evidence) (domain.Evidence, error) {
	var err error
	ev.ID, err = tx.InsertID(ctx, `INSERT INTO portfolio_evidence (application_id, kind, title, body, file_key, file_name, file_type, file_size,
		added_on, added_by, external_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
		ev.ApplicationID, string(ev.Kind), ev.Title, ev.Text, ev.File.Key, ev.File.Name, ev.File.Type, ev.File.Size, ev.AddedOn,
		store.NullID(ev.AddedBy), ev.ExternalID, tx.Now())
	if err != nil {
		return ev, fmt.Errorf("add evidence: %w", err)
	}
	seen := map[domain.CriterionRef]bool{}
	for _, c := range ev.Criteria {
		if seen[c] {
			continue
		}
		seen[c] = true
		if _, err := tx.Exec(ctx, `INSERT INTO portfolio_evidence_criteria (evidence_id, criterion) VALUES ($1, $2)`, ev.ID, string(c)); err != nil {
			return ev, fmt.Errorf("add evidence criteria: %w", err)
		}
	}
	ev.CreatedAt, ev.UpdatedAt = tx.Now(), tx.Now()
	return ev, tx.Audit(ctx, a, "add", "evidence", fmt.Sprint(ev.ID), nil, map[string]any{"application_id": ev.ApplicationID, "kind": ev.Kind,
		"title": ev.Title, "file_name": ev.File.Name, "file_type": ev.File.Type, "file_size": ev.File.Size, "criteria": ev.Criteria, "external_id": ev.ExternalID})
}

// Submit submits a piece of evidence as the next version of an
// assignment (or on its own, with assignmentRef ""), locking it, and
// tells the cohort's assessors (domain.Submit).
func Submit(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, appID int64, assignmentRef string, evidenceID int64, on domain.Date) (domain.Submission, error) {
	p, err := Load(ctx, tx.Reader(), scope, appID)
	if err != nil {
		return domain.Submission{}, err
	}
	ev, _ := p.EvidenceByID(evidenceID)
	_, used := p.SubmissionOf(evidenceID)
	s, err := domain.Submit(p.App, p.Qualification.Plan, assignmentRef, ev, used, p.Submissions, on, tx.Today())
	if err != nil {
		return s, err
	}
	s.SubmittedBy = a.UserID
	s.ID, err = tx.InsertID(ctx, `INSERT INTO portfolio_submissions (application_id, assignment_ref, version, evidence_id, submitted_on, submitted_by,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, s.ApplicationID, s.AssignmentRef, s.Version, s.EvidenceID, s.SubmittedOn,
		store.NullID(s.SubmittedBy), tx.Now())
	if err != nil {
		if store.IsUniqueViolation(err) {
			return s, fmt.Errorf("%w: %w", domain.ErrSubmittedMeanwhile, store.ErrConflict)
		}
		return s, fmt.Errorf("submit: %w", err)
	}
	s.CreatedAt, s.UpdatedAt = tx.Now(), tx.Now()
	if err := tx.Audit(ctx, a, "submit", "submission", fmt.Sprint(s.ID), nil, map[string]any{"application_id": s.ApplicationID,
		"assignment": s.AssignmentRef, "version": s.Version, "evidence_id": s.EvidenceID, "submitted_on": s.SubmittedOn}); err != nil {
		return s, err
	}
	what := ev.Title
	if s.AssignmentRef != "" {
		asg, _ := p.Qualification.Plan.Assignment(s.AssignmentRef)
		what = fmt.Sprintf("%s %s (version %d)", s.AssignmentRef, asg.Title, s.Version)
	}
	return s, notifyAssessors(ctx, tx, p.App, domain.EvidenceArrived(p.App.PractitionerName, what, p.App.CohortName), fmt.Sprintf("/submissions/%d", s.ID))
}

// Mark records an assessor's decisions on every criterion of a submitted
// version and tells the learner (domain.MarkSubmission). Two assessors
// marking the same version at once: the second gets a conflict.
func Mark(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, submissionID int64, marks []domain.CriterionMark, feedback string, on domain.Date) ([]domain.CriterionDecision, error) {
	s, p, err := SubmissionIn(ctx, tx.Reader(), scope, submissionID)
	if err != nil {
		return nil, err
	}
	ev, _ := p.EvidenceByID(s.EvidenceID)
	ds, err := domain.MarkSubmission(s, domain.SubmissionCriteria(p.Qualification, s, ev), marks, feedback, a.UserID, on, tx.Today())
	if err != nil {
		return nil, err
	}
	res, err := tx.Exec(ctx, `UPDATE portfolio_submissions SET marked_on = $2, marked_by = $3, feedback = $4, updated_at = $5 WHERE id = $1 AND marked_on IS NULL`,
		s.ID, on, store.NullID(a.UserID), strings.TrimSpace(feedback), tx.Now())
	if err != nil {
		return nil, fmt.Errorf("mark submission: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, fmt.Errorf("%w: %w", domain.ErrMarkedMeanwhile, store.ErrConflict)
	}
	for i := range ds {
		if ds[i].ID, err = insertDecision(ctx, tx, ds[i]); err != nil {
			return nil, err
		}
	}
	if err := tx.Audit(ctx, a, "mark", "submission", fmt.Sprint(s.ID), nil, map[string]any{"decisions": ds, "feedback": feedback, "marked_on": on}); err != nil {
		return nil, err
	}
	referred := 0
	for _, d := range ds {
		if d.Outcome == domain.OutcomeNotYet {
			referred++
		}
	}
	return ds, notifyLearner(ctx, tx, p.App, domain.WorkMarked(s.AssignmentRef, s.Version, len(ds)-referred, referred), fmt.Sprintf("/portfolio/%d", p.App.ID))
}

func insertDecision(ctx context.Context, tx *store.Tx, d domain.CriterionDecision) (int64, error) {
	id, err := tx.InsertID(ctx, `INSERT INTO criterion_decisions (application_id, criterion, submission_id, evidence_id, observation_id, assessor_user_id,
		outcome, feedback, decided_on, external_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		d.ApplicationID, string(d.Criterion), store.NullID(d.SubmissionID), store.NullID(d.EvidenceID), store.NullID(d.ObservationID),
		store.NullID(d.AssessorID), string(d.Outcome), d.Feedback, d.DecidedOn, d.ExternalID, tx.Now())
	if err != nil {
		return 0, fmt.Errorf("record decision: %w", err)
	}
	return id, nil
}

// SubmissionIn reads one submission in scope, with its learner's
// portfolio.
func SubmissionIn(ctx context.Context, q store.Querier, scope policy.Scope, id int64) (domain.Submission, Portfolio, error) {
	var s domain.Submission
	err := scanSubmission(q.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM portfolio_submissions s WHERE s.id = $1`, id), &s)
	if err != nil {
		return s, Portfolio{}, store.NotFound(err, "submission")
	}
	p, err := Load(ctx, q, scope, s.ApplicationID)
	return s, p, err
}

// RecordObservation records an assessor's observation and the decisions
// it makes (domain.RecordObservation).
func RecordObservation(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, appID int64, o domain.Observation) (domain.Observation, error) {
	p, err := Load(ctx, tx.Reader(), scope, appID)
	if err != nil {
		return o, err
	}
	o.ApplicationID, o.AssessorID, o.Seen = appID, a.UserID, strings.TrimSpace(o.Seen)
	ds, err := domain.RecordObservation(p.App, p.Qualification, o, tx.Today())
	if err != nil {
		return o, err
	}
	o.ID, err = tx.InsertID(ctx, `INSERT INTO portfolio_observations (application_id, assessor_user_id, observed_on, seen, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5)`, o.ApplicationID, store.NullID(o.AssessorID), o.ObservedOn, o.Seen, tx.Now())
	if err != nil {
		return o, fmt.Errorf("record observation: %w", err)
	}
	for _, c := range o.Criteria {
		if _, err := tx.Exec(ctx, `INSERT INTO portfolio_observation_criteria (observation_id, criterion) VALUES ($1, $2)`, o.ID, string(c)); err != nil {
			return o, fmt.Errorf("record observation criteria: %w", err)
		}
	}
	for _, d := range ds {
		d.ObservationID = o.ID
		if _, err := insertDecision(ctx, tx, d); err != nil {
			return o, err
		}
	}
	if err := tx.Audit(ctx, a, "observe", "observation", fmt.Sprint(o.ID), nil, map[string]any{"application_id": appID, "observed_on": o.ObservedOn, "criteria": o.Criteria}); err != nil {
		return o, err
	}
	return o, notifyLearner(ctx, tx, p.App, domain.ObservationRecorded(o.ObservedOn), fmt.Sprintf("/portfolio/%d", appID))
}

// AcknowledgeObservation records the learner's acknowledgement of an
// observation of their practice.
func AcknowledgeObservation(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, observationID int64, comment string) (domain.Observation, error) {
	var o domain.Observation
	if err := scanObservation(tx.Reader().QueryRowContext(ctx, `SELECT `+observationColumns+` FROM portfolio_observations o WHERE o.id = $1`, observationID), &o); err != nil {
		return o, store.NotFound(err, "observation")
	}
	if err := inScope(ctx, tx.Reader(), scope, o.ApplicationID); err != nil {
		return o, err
	}
	n, err := domain.AcknowledgeObservation(o, comment, tx.Today(), tx.Today())
	if err != nil {
		return o, err
	}
	res, err := tx.Exec(ctx, `UPDATE portfolio_observations SET acknowledged_on = $2, learner_comment = $3, updated_at = $4 WHERE id = $1 AND acknowledged_on IS NULL`,
		o.ID, n.AcknowledgedOn, n.LearnerComment, tx.Now())
	if err != nil {
		return o, fmt.Errorf("acknowledge observation: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return o, fmt.Errorf("%w: %w", domain.ErrPortfolioChanged, store.ErrConflict)
	}
	return n, tx.Audit(ctx, a, "acknowledge", "observation", fmt.Sprint(o.ID), nil, map[string]any{"acknowledged_on": n.AcknowledgedOn, "comment": n.LearnerComment})
}

// AddReview records a progress review the assessor wrote and signed.
func AddReview(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, appID int64, r domain.ProgressReview) (domain.ProgressReview, error) {
	p, err := Load(ctx, tx.Reader(), scope, appID)
	if err != nil {
		return r, err
	}
	r.AssessorID = a.UserID
	r.Summary, r.NextSteps = strings.TrimSpace(r.Summary), strings.TrimSpace(r.NextSteps)
	r, err = domain.NewProgressReview(p.App, r, tx.Today())
	if err != nil {
		return r, err
	}
	r.ID, err = tx.InsertID(ctx, `INSERT INTO progress_reviews (application_id, held_on, summary, next_steps, assessor_user_id, assessor_signed_on,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, r.ApplicationID, r.HeldOn, r.Summary, r.NextSteps,
		store.NullID(r.AssessorID), r.AssessorSignedOn, tx.Now())
	if err != nil {
		return r, fmt.Errorf("add progress review: %w", err)
	}
	if err := tx.Audit(ctx, a, "add", "progress_review", fmt.Sprint(r.ID), nil, map[string]any{"application_id": appID, "held_on": r.HeldOn}); err != nil {
		return r, err
	}
	return r, notifyLearner(ctx, tx, p.App, domain.ReviewToSign(r.HeldOn), fmt.Sprintf("/portfolio/%d", appID))
}

// Reviews lists the progress reviews in a scope from ProgressReviews (a
// setting manager's are their setting's), newest first.
func Reviews(ctx context.Context, q store.Querier, scope policy.Scope, appID int64) ([]domain.ProgressReview, error) {
	var a store.Args
	where, ok := portfolioScope(&a, scope)
	if !ok {
		return nil, store.ErrNotFound
	}
	cond := ""
	if appID != 0 {
		cond = " AND ap.id = " + a.Add(appID)
	}
	return store.Collect(ctx, q, "progress reviews", scanReview, `SELECT `+reviewColumns+` FROM progress_reviews r JOIN applications ap ON ap.id = r.application_id`+cohortJoin+
		`WHERE `+where+cond+` ORDER BY r.held_on DESC, r.id DESC LIMIT 200`, a...)
}

// SignReview records a signature on a progress review in scope.
func SignReview(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, reviewID int64, s domain.Signer) (domain.ProgressReview, error) {
	var r domain.ProgressReview
	if err := scanReview(tx.Reader().QueryRowContext(ctx, `SELECT `+reviewColumns+` FROM progress_reviews r WHERE r.id = $1`, reviewID), &r); err != nil {
		return r, store.NotFound(err, "progress review")
	}
	if err := inScope(ctx, tx.Reader(), scope, r.ApplicationID); err != nil {
		return r, err
	}
	n, err := domain.SignReview(r, s, a.UserID, tx.Today(), tx.Today())
	if err != nil {
		return r, err
	}
	// Guarded by the signer's column, so two signatures at once keep one.
	unsigned := map[domain.Signer]string{domain.SignerLearner: "learner_signed_on", domain.SignerManager: "manager_signed_on", domain.SignerAssessor: "assessor_signed_on"}[s]
	res, err := tx.Exec(ctx, `UPDATE progress_reviews SET learner_signed_on = $2, manager_signed_on = $3, manager_user_id = $4, assessor_signed_on = $5,
		assessor_user_id = $6, updated_at = $7 WHERE id = $1 AND `+unsigned+` IS NULL`, r.ID, n.LearnerSignedOn, n.ManagerSignedOn, store.NullID(n.ManagerID),
		n.AssessorSignedOn, store.NullID(n.AssessorID), tx.Now())
	if err != nil {
		return r, fmt.Errorf("sign progress review: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return r, fmt.Errorf("%w: %w", domain.ErrPortfolioChanged, store.ErrConflict)
	}
	return n, tx.Audit(ctx, a, "sign", "progress_review", fmt.Sprint(r.ID), nil, map[string]any{"signer": s})
}

// CompleteAssessment records the assessor's decision that a learner's
// assessment is complete, refused unless every mandatory criterion of
// their qualification version is met (domain.CompleteAssessment).
func CompleteAssessment(ctx context.Context, tx *store.Tx, a domain.Actor, app store.Application, on domain.Date) (completed bool, rate float64, err error) {
	p, err := load(ctx, tx.Reader(), app.ID)
	if err != nil {
		return false, 0, err
	}
	return tx.CompleteAssessment(ctx, a, app, p.Missing(), on)
}

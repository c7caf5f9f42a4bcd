package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/portfolio"
	"senco/internal/store/quality"
)

// Assessment, for a supplier's own e-portfolio: a learner's portfolio
// (the evidence matrix, evidence, submissions and decisions), pages of
// evidence, submissions and decisions to sync with filter[updated_since],
// and pushes of evidence metadata and criterion decisions under the
// supplier's own id for each (external_id), so that a repeated push
// returns the record the first made. Reads take policy.Portfolio: a
// supplier its learners on its cohorts, an awarding organisation the
// learners of the qualifications it awards. The rules are the ones the
// portfolio pages apply, in the domain, through package portfolio.

type matrixRowAttributes struct {
	Criterion string   `json:"criterion"`
	Text      string   `json:"text"`
	Mandatory bool     `json:"mandatory"`
	State     string   `json:"state"`
	Feedback  *string  `json:"feedback"`
	Cells     []string `json:"cells"`
}

type portfolioEvidenceAttributes struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	Title      string    `json:"title"`
	FileName   *string   `json:"file_name"`
	FileType   *string   `json:"file_type"`
	FileSize   int64     `json:"file_size"`
	Criteria   []string  `json:"criteria"`
	AddedOn    date      `json:"added_on"`
	ExternalID *string   `json:"external_id"`
	UpdatedAt  timestamp `json:"updated_at"`
}

type portfolioSubmissionAttributes struct {
	ID            string  `json:"id"`
	AssignmentRef *string `json:"assignment_ref"`
	Version       int     `json:"version"`
	EvidenceID    string  `json:"evidence_id"`
	SubmittedOn   date    `json:"submitted_on"`
	MarkedOn      date    `json:"marked_on"`
	Feedback      *string `json:"feedback"`
}

type portfolioDecisionAttributes struct {
	ID            string  `json:"id"`
	Criterion     string  `json:"criterion"`
	Outcome       string  `json:"outcome"`
	Feedback      *string `json:"feedback"`
	DecidedOn     date    `json:"decided_on"`
	SubmissionID  *string `json:"submission_id"`
	EvidenceID    *string `json:"evidence_id"`
	ObservationID *string `json:"observation_id"`
	AssessorID    *string `json:"assessor_id"`
	Overturned    bool    `json:"overturned"`
	ExternalID    *string `json:"external_id"`
}

type portfolioAttributes struct {
	ApplicationID        string                          `json:"application_id"`
	PractitionerID       string                          `json:"practitioner_id"`
	LearnerName          string                          `json:"learner_name"`
	CohortID             *string                         `json:"cohort_id"`
	Status               string                          `json:"status"`
	QualificationCode    string                          `json:"qualification_code"`
	QualificationVersion int                             `json:"qualification_version"`
	Complete             bool                            `json:"complete"`
	MissingCriteria      []string                        `json:"missing_criteria"`
	Matrix               []matrixRowAttributes           `json:"matrix"`
	Evidence             []portfolioEvidenceAttributes   `json:"evidence"`
	Submissions          []portfolioSubmissionAttributes `json:"submissions"`
	Decisions            []portfolioDecisionAttributes   `json:"decisions"`
}

func refs(cs []domain.CriterionRef) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func portfolioResource(p portfolio.Portfolio) resource {
	m := p.Matrix()
	attrs := portfolioAttributes{ApplicationID: idString(p.App.ID), PractitionerID: idString(p.App.PractitionerID), LearnerName: p.App.PractitionerName,
		CohortID: optionalID(p.App.CohortID), Status: string(p.App.Status), QualificationCode: p.Qualification.Code,
		QualificationVersion: p.Qualification.Version, MissingCriteria: refs(p.Missing()),
		Matrix: make([]matrixRowAttributes, 0, len(m.Rows)), Evidence: make([]portfolioEvidenceAttributes, 0, len(p.Evidence)),
		Submissions: make([]portfolioSubmissionAttributes, 0, len(p.Submissions)), Decisions: make([]portfolioDecisionAttributes, 0, len(p.Decisions))}
	attrs.Complete = len(attrs.MissingCriteria) == 0
	for _, r := range m.Rows {
		row := matrixRowAttributes{Criterion: string(r.Criterion), Text: r.Text, Mandatory: r.Mandatory, State: string(r.State),
			Feedback: optional(r.Feedback), Cells: make([]string, len(r.Cells))}
		for i, c := range r.Cells {
			row.Cells[i] = string(c)
		}
		attrs.Matrix = append(attrs.Matrix, row)
	}
	for _, e := range p.Evidence {
		attrs.Evidence = append(attrs.Evidence, portfolioEvidenceAttributes{ID: idString(e.ID), Kind: string(e.Kind), Title: e.Title,
			FileName: optional(e.File.Name), FileType: optional(e.File.Type), FileSize: e.File.Size, Criteria: refs(e.Criteria),
			AddedOn: date(e.AddedOn), ExternalID: optional(e.ExternalID), UpdatedAt: timestamp(e.UpdatedAt)})
	}
	for _, s := range p.Submissions {
		attrs.Submissions = append(attrs.Submissions, portfolioSubmissionAttributes{ID: idString(s.ID), AssignmentRef: optional(s.AssignmentRef),
			Version: s.Version, EvidenceID: idString(s.EvidenceID), SubmittedOn: date(s.SubmittedOn), MarkedOn: date(s.MarkedOn), Feedback: optional(s.Feedback)})
	}
	for _, d := range p.Decisions {
		attrs.Decisions = append(attrs.Decisions, portfolioDecisionAttributes{ID: idString(d.ID), Criterion: string(d.Criterion), Outcome: string(d.Outcome),
			Feedback: optional(d.Feedback), DecidedOn: date(d.DecidedOn), SubmissionID: optionalID(d.SubmissionID), EvidenceID: optionalID(d.EvidenceID),
			ObservationID: optionalID(d.ObservationID), AssessorID: optionalID(d.AssessorID), Overturned: p.Overturned.Has(d.ID), ExternalID: optional(d.ExternalID)})
	}
	return resource{ID: idString(p.App.ID), Type: "portfolio", Attributes: attrs}
}

// getPortfolio returns a learner's portfolio in scope, by application id.
func (a *API) getPortfolio(r *http.Request, c caller) (any, error) {
	p, err := lookup(r, "portfolio", func(ctx context.Context, id int64) (portfolio.Portfolio, error) {
		return portfolio.Load(ctx, a.db.Reader(), c.scope, id)
	})
	if err != nil {
		return nil, err
	}
	return single{Data: portfolioResource(p)}, nil
}

type evidenceAttributes struct {
	ApplicationID string    `json:"application_id"`
	Kind          string    `json:"kind"`
	Title         string    `json:"title"`
	Text          *string   `json:"text"`
	FileName      *string   `json:"file_name"`
	FileType      *string   `json:"file_type"`
	FileSize      int64     `json:"file_size"`
	Criteria      []string  `json:"criteria"`
	AddedOn       date      `json:"added_on"`
	ExternalID    *string   `json:"external_id"`
	CreatedAt     timestamp `json:"created_at"`
	UpdatedAt     timestamp `json:"updated_at"`
}

func evidenceResource(e domain.Evidence) resource {
	return resource{ID: idString(e.ID), Type: "evidence", Attributes: evidenceAttributes{ApplicationID: idString(e.ApplicationID), Kind: string(e.Kind),
		Title: e.Title, Text: optional(e.Text), FileName: optional(e.File.Name), FileType: optional(e.File.Type), FileSize: e.File.Size,
		Criteria: refs(e.Criteria), AddedOn: date(e.AddedOn), ExternalID: optional(e.ExternalID), CreatedAt: timestamp(e.CreatedAt), UpdatedAt: timestamp(e.UpdatedAt)}}
}

var syncList = listSpec{filters: []string{"application"}}

// syncFilter reads a sync list's filters.
func syncFilter(r *http.Request, spec listSpec) (listQuery, portfolio.SyncFilter, error) {
	q, err := parseList(r.URL.Query(), spec)
	if err != nil {
		return q, portfolio.SyncFilter{}, err
	}
	f := portfolio.SyncFilter{ApplicationID: q.id("application"), UpdatedSince: q.updatedSince, Page: q.number, Size: q.size}
	return q, f, nil
}

// listEvidence lists the evidence in scope, by id or by last change.
func (a *API) listEvidence(r *http.Request, c caller) (any, error) {
	q, f, err := syncFilter(r, syncList)
	if err != nil {
		return nil, err
	}
	if q.err != nil {
		return nil, q.err
	}
	page, err := portfolio.EvidenceList(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, page.Total, page.Evidence, evidenceResource), nil
}

type submissionAttributes struct {
	ApplicationID string    `json:"application_id"`
	AssignmentRef *string   `json:"assignment_ref"`
	Version       int       `json:"version"`
	EvidenceID    string    `json:"evidence_id"`
	SubmittedOn   date      `json:"submitted_on"`
	MarkedOn      date      `json:"marked_on"`
	Feedback      *string   `json:"feedback"`
	UpdatedAt     timestamp `json:"updated_at"`
}

func submissionResource(s domain.Submission) resource {
	return resource{ID: idString(s.ID), Type: "submission", Attributes: submissionAttributes{ApplicationID: idString(s.ApplicationID),
		AssignmentRef: optional(s.AssignmentRef), Version: s.Version, EvidenceID: idString(s.EvidenceID), SubmittedOn: date(s.SubmittedOn),
		MarkedOn: date(s.MarkedOn), Feedback: optional(s.Feedback), UpdatedAt: timestamp(s.UpdatedAt)}}
}

var submissionList = listSpec{filters: []string{"application", "waiting"}}

// listSubmissions lists the submitted versions in scope; with
// filter[waiting]=true, the work waiting to be marked, oldest first.
func (a *API) listSubmissions(r *http.Request, c caller) (any, error) {
	q, f, err := syncFilter(r, submissionList)
	if err != nil {
		return nil, err
	}
	f.Waiting = enum(&q, "waiting", []string{"true", "false"}) == "true"
	if q.err != nil {
		return nil, q.err
	}
	page, err := portfolio.SubmissionList(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, page.Total, page.Submissions, submissionResource), nil
}

type decisionAttributes struct {
	ApplicationID string    `json:"application_id"`
	Criterion     string    `json:"criterion"`
	Outcome       string    `json:"outcome"`
	Feedback      *string   `json:"feedback"`
	DecidedOn     date      `json:"decided_on"`
	SubmissionID  *string   `json:"submission_id"`
	EvidenceID    *string   `json:"evidence_id"`
	ObservationID *string   `json:"observation_id"`
	AssessorID    *string   `json:"assessor_id"`
	ExternalID    *string   `json:"external_id"`
	CreatedAt     timestamp `json:"created_at"`
	UpdatedAt     timestamp `json:"updated_at"`
}

func decisionResource(d domain.CriterionDecision) resource {
	return resource{ID: idString(d.ID), Type: "criterion_decision", Attributes: decisionAttributes{ApplicationID: idString(d.ApplicationID),
		Criterion: string(d.Criterion), Outcome: string(d.Outcome), Feedback: optional(d.Feedback), DecidedOn: date(d.DecidedOn),
		SubmissionID: optionalID(d.SubmissionID), EvidenceID: optionalID(d.EvidenceID), ObservationID: optionalID(d.ObservationID),
		AssessorID: optionalID(d.AssessorID), ExternalID: optional(d.ExternalID), CreatedAt: timestamp(d.CreatedAt), UpdatedAt: timestamp(d.CreatedAt)}}
}

// listDecisions lists the criterion decisions in scope. A decision is
// never changed (quality assurance records its own outcome beside it), so
// its updated_at is when it was made.
func (a *API) listDecisions(r *http.Request, c caller) (any, error) {
	q, f, err := syncFilter(r, syncList)
	if err != nil {
		return nil, err
	}
	if q.err != nil {
		return nil, q.err
	}
	page, err := portfolio.DecisionList(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, page.Total, page.Decisions, decisionResource), nil
}

type evidenceInput struct {
	ApplicationID idValue   `json:"application_id"`
	ExternalID    string    `json:"external_id"`
	Kind          string    `json:"kind"`
	Title         string    `json:"title"`
	Text          string    `json:"text"`
	FileName      string    `json:"file_name"`
	FileType      string    `json:"file_type"`
	FileSize      int64     `json:"file_size"`
	Criteria      []string  `json:"criteria"`
	AddedOn       dateValue `json:"added_on"`
}

var evidenceFields = map[string]string{"file": "file_name"}

// Limits of the file metadata a supplier pushes (its files stay with it).
const (
	maxFileNameLength = 255
	maxFileTypeLength = 100
)

// pushEvidence records evidence metadata from a supplier's e-portfolio.
func (a *API) pushEvidence(r *http.Request, c caller) (any, error) {
	var in evidenceInput
	body, err := readData(r, "evidence", true, false, &in)
	if err != nil {
		return nil, err
	}
	if in.ApplicationID == 0 {
		return nil, invalid(attr("application_id"), "Give the application_id of the learner")
	}
	in.FileName, in.FileType = strings.TrimSpace(in.FileName), strings.TrimSpace(in.FileType)
	switch {
	case len(in.FileName) > maxFileNameLength:
		return nil, invalid(attr("file_name"), "The file_name must be at most %d characters", maxFileNameLength)
	case len(in.FileType) > maxFileTypeLength:
		return nil, invalid(attr("file_type"), "The file_type must be at most %d characters", maxFileTypeLength)
	case in.FileSize < 0:
		return nil, invalid(attr("file_size"), "The file_size is a number of bytes, 0 or more")
	}
	criteria := make([]domain.CriterionRef, len(in.Criteria))
	for i, cr := range in.Criteria {
		criteria[i] = domain.CriterionRef(strings.TrimSpace(cr))
	}
	ev := domain.Evidence{Kind: domain.EvidenceKind(strings.TrimSpace(in.Kind)), Title: in.Title, Text: in.Text,
		File: domain.FileMeta{Name: in.FileName, Type: in.FileType, Size: in.FileSize}, Criteria: criteria, AddedOn: domain.Date(in.AddedOn), ExternalID: in.ExternalID}
	return a.write(r, c, body, evidenceFields, func(ctx context.Context, tx *store.Tx) (any, error) {
		if ev.AddedOn.IsZero() {
			ev.AddedOn = tx.Today()
		}
		got, _, err := portfolio.PushEvidence(ctx, tx, actorOf(c), c.scope, int64(in.ApplicationID), ev)
		if err != nil {
			return nil, unseen(err, "application_id", "learner")
		}
		return single{Data: evidenceResource(got)}, nil
	})
}

// unseen is err, with a learner (or record) the pushed body names that
// the scope leaves out as the 422 of its attribute: it is not the path's
// record, so 404 would say the route is wrong.
func unseen(err error, attribute, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return invalid(attr(attribute), "There is no %s with this %s that this token may see", what, attribute)
	}
	return err
}

type decisionInput struct {
	ApplicationID idValue   `json:"application_id"`
	ExternalID    string    `json:"external_id"`
	Criterion     string    `json:"criterion"`
	Outcome       string    `json:"outcome"`
	Feedback      string    `json:"feedback"`
	DecidedOn     dateValue `json:"decided_on"`
	EvidenceID    idValue   `json:"evidence_id"`
	AssessorID    idValue   `json:"assessor_id"`
}

// pushDecision records an assessor's decision on one criterion from a
// supplier's e-portfolio.
func (a *API) pushDecision(r *http.Request, c caller) (any, error) {
	var in decisionInput
	body, err := readData(r, "criterion_decision", true, false, &in)
	if err != nil {
		return nil, err
	}
	if in.ApplicationID == 0 {
		return nil, invalid(attr("application_id"), "Give the application_id of the learner")
	}
	d := domain.CriterionDecision{ApplicationID: int64(in.ApplicationID), ExternalID: in.ExternalID, Criterion: domain.CriterionRef(strings.TrimSpace(in.Criterion)),
		Outcome: domain.CriterionOutcome(strings.TrimSpace(in.Outcome)), Feedback: in.Feedback, DecidedOn: domain.Date(in.DecidedOn),
		EvidenceID: int64(in.EvidenceID), AssessorID: int64(in.AssessorID)}
	return a.write(r, c, body, nil, func(ctx context.Context, tx *store.Tx) (any, error) {
		got, _, err := portfolio.PushDecision(ctx, tx, actorOf(c), c.scope, d)
		if err != nil {
			return nil, unseen(err, "application_id", "learner")
		}
		return single{Data: decisionResource(got)}, nil
	})
}

// ---- quality assurance ----

type qaItemAttributes struct {
	SampleID      string    `json:"sample_id"`
	Level         string    `json:"level"`
	Kind          string    `json:"kind"`
	DecisionID    *string   `json:"decision_id"`
	ApplicationID string    `json:"application_id"`
	LearnerName   string    `json:"learner_name"`
	AssessorID    string    `json:"assessor_id"`
	Criterion     *string   `json:"criterion"`
	DecidedOn     date      `json:"decided_on"`
	Outcome       *string   `json:"outcome"`
	Action        *string   `json:"action"`
	ReviewedOn    date      `json:"reviewed_on"`
	Open          bool      `json:"open"`
	ResolvedOn    date      `json:"resolved_on"`
	ResolvedNote  *string   `json:"resolved_note"`
	UpdatedAt     timestamp `json:"updated_at"`
}

func qaItemResource(i domain.QAItem) resource {
	return resource{ID: idString(i.ID), Type: "qa_item", Attributes: qaItemAttributes{SampleID: idString(i.SampleID), Level: string(i.Level),
		Kind: string(i.Decision.Kind), DecisionID: optionalID(i.Decision.ID), ApplicationID: idString(i.Decision.ApplicationID), LearnerName: i.LearnerName,
		AssessorID: idString(i.Decision.AssessorID), Criterion: optional(i.Decision.Criterion), DecidedOn: date(i.Decision.DecidedOn),
		Outcome: optional(string(i.Outcome)), Action: optional(i.Action), ReviewedOn: date(i.ReviewedOn), Open: i.Open(), ResolvedOn: date(i.ResolvedOn),
		ResolvedNote: optional(i.ResolvedNote), UpdatedAt: timestamp(i.UpdatedAt)}}
}

var qaItemList = listSpec{filters: []string{"open"}}

// listQAItems lists the sampled decisions in scope, oldest change first.
func (a *API) listQAItems(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), qaItemList)
	if err != nil {
		return nil, err
	}
	f := quality.ItemFilter{OpenOnly: enum(&q, "open", []string{"true", "false"}) == "true", UpdatedSince: q.updatedSince, Page: q.number, PageSize: q.size}
	if q.err != nil {
		return nil, q.err
	}
	total, err := quality.ItemCount(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	items, err := quality.ItemList(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, total, items, qaItemResource), nil
}

type outcomeInput struct {
	Outcome    string    `json:"outcome"`
	Action     string    `json:"action"`
	ReviewedOn dateValue `json:"reviewed_on"`
	ExternalID string    `json:"external_id"`
}

// pushOutcome records the outcome of a sampled decision that the
// supplier's own internal quality assurance reached.
func (a *API) pushOutcome(r *http.Request, c caller) (any, error) {
	id, raw, err := pathID(r, "sampled decision")
	if err != nil {
		return nil, err
	}
	var in outcomeInput
	body, err := readData(r, "qa_item", false, false, &in)
	if err != nil {
		return nil, err
	}
	if len(in.ExternalID) > domain.MaxExternalIDLength {
		return nil, invalid(attr("external_id"), "The external_id must be at most %d characters", domain.MaxExternalIDLength)
	}
	on, err := actionDate(in.ReviewedOn, a.today(), false)
	if err != nil {
		return nil, invalid(attr("reviewed_on"), "The date of the outcome cannot be in the future")
	}
	return a.write(r, c, body, nil, func(ctx context.Context, tx *store.Tx) (any, error) {
		it, _, err := quality.PushOutcome(ctx, tx, actorOf(c), c.scope, id, domain.QAOutcome(strings.TrimSpace(in.Outcome)), in.Action, in.ExternalID, on)
		if err != nil {
			return nil, hidden(err, "sampled decision", raw)
		}
		return single{Data: qaItemResource(it)}, nil
	})
}

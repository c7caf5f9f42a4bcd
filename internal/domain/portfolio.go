package domain

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// The e-portfolio: a learner's evidence mapped to the assessment criteria
// of the qualification version they enrolled on, the assessor's decision
// per criterion, and the assessment plan that says which assignments and
// which observation evidence which criteria. The plan is catalogue data,
// versioned with the qualification.

// CriterionRef names an assessment criterion by its unit and reference,
// "303/2.1": criterion 2.1 of unit 303.
type CriterionRef string

// CriterionOf is the reference of criterion ref of unit.
func CriterionOf(unit, ref string) CriterionRef { return CriterionRef(unit + "/" + ref) }

// Unit is the criterion's unit reference ("303").
func (c CriterionRef) Unit() string {
	u, _, _ := strings.Cut(string(c), "/")
	return u
}

// AssessmentPlan is how a qualification version is assessed: its
// assignments, each mapped to the criteria it can evidence, the
// observation of the learner's practice in their setting, and the
// criteria that must be met for the qualification to be complete.
type AssessmentPlan struct {
	Assignments []PlannedAssignment `json:"assignments"`
	Observation PlannedObservation  `json:"observation"`
	Mandatory   []CriterionRef      `json:"mandatory"`
}

// PlannedAssignment is one written assignment of the plan.
type PlannedAssignment struct {
	Ref      string         `json:"ref"` // "A1"
	Title    string         `json:"title"`
	Brief    string         `json:"brief"`
	DueWeek  int            `json:"due_week"` // weeks after the cohort starts
	Criteria []CriterionRef `json:"criteria"`
}

// PlannedObservation is the observation of practice.
type PlannedObservation struct {
	Title    string         `json:"title"`
	Brief    string         `json:"brief"`
	DueWeek  int            `json:"due_week"`
	Criteria []CriterionRef `json:"criteria"`
}

// Empty reports whether there is no plan.
func (p AssessmentPlan) Empty() bool {
	return len(p.Assignments) == 0 && len(p.Mandatory) == 0 && p.Observation.Title == "" && len(p.Observation.Criteria) == 0
}

// Assignment returns the plan's assignment ref.
func (p AssessmentPlan) Assignment(ref string) (PlannedAssignment, bool) {
	for _, a := range p.Assignments {
		if a.Ref == ref {
			return a, true
		}
	}
	return PlannedAssignment{}, false
}

// IsMandatory reports whether criterion c must be met.
func (p AssessmentPlan) IsMandatory(c CriterionRef) bool { return slices.Contains(p.Mandatory, c) }

// Criteria lists every criterion of the qualification, in the order of its
// units and outcomes.
func (q Qualification) Criteria() []CriterionRef {
	var out []CriterionRef
	for _, u := range q.Units {
		for _, o := range u.Outcomes {
			for _, c := range o.Criteria {
				out = append(out, CriterionOf(u.Ref, c.Ref))
			}
		}
	}
	return out
}

// CriterionText is the wording of criterion c and whether the
// qualification has it.
func (q Qualification) CriterionText(c CriterionRef) (string, bool) {
	unit, ref, _ := strings.Cut(string(c), "/")
	for _, u := range q.Units {
		if u.Ref != unit {
			continue
		}
		for _, o := range u.Outcomes {
			for _, cr := range o.Criteria {
				if cr.Ref == ref {
					return cr.Text, true
				}
			}
		}
	}
	return "", false
}

// CheckPlan reports the first thing wrong with a qualification's plan: a
// criterion it does not have, an assignment named twice, or a mandatory
// criterion that neither an assignment nor the observation can evidence.
// A qualification without a plan (no assignments, no mandatory criteria)
// is allowed: it is assessed outside senco.
func CheckPlan(q Qualification) error {
	p := q.Plan
	known := map[CriterionRef]bool{}
	for _, c := range q.Criteria() {
		known[c] = true
	}
	evidenced := map[CriterionRef]bool{}
	refs := map[string]bool{}
	for _, a := range p.Assignments {
		switch {
		case a.Ref == "" || strings.TrimSpace(a.Title) == "":
			return fmt.Errorf("assignment %q needs a reference and a title", a.Ref)
		case refs[a.Ref]:
			return fmt.Errorf("assignment %s is named twice", a.Ref)
		case len(a.Criteria) == 0:
			return fmt.Errorf("assignment %s evidences no criteria", a.Ref)
		}
		refs[a.Ref] = true
		for _, c := range a.Criteria {
			if !known[c] {
				return fmt.Errorf("assignment %s names criterion %s, which the qualification does not have", a.Ref, c)
			}
			evidenced[c] = true
		}
	}
	for _, c := range p.Observation.Criteria {
		if !known[c] {
			return fmt.Errorf("the observation names criterion %s, which the qualification does not have", c)
		}
		evidenced[c] = true
	}
	seen := map[CriterionRef]bool{}
	for _, c := range p.Mandatory {
		switch {
		case !known[c]:
			return fmt.Errorf("mandatory criterion %s is not a criterion of the qualification", c)
		case seen[c]:
			return fmt.Errorf("mandatory criterion %s is listed twice", c)
		case !evidenced[c]:
			return fmt.Errorf("mandatory criterion %s is evidenced by no assignment and not by the observation", c)
		}
		seen[c] = true
	}
	return nil
}

// EvidenceKind is what a piece of evidence is.
type EvidenceKind string

const (
	EvidenceFile       EvidenceKind = "file"
	EvidenceReflective EvidenceKind = "reflective"
)

// EvidenceKinds in the order forms offer them.
var EvidenceKinds = []EvidenceKind{EvidenceFile, EvidenceReflective}

func (k EvidenceKind) Valid() bool { return slices.Contains(EvidenceKinds, k) }

func (k EvidenceKind) Label() string {
	if k == EvidenceReflective {
		return "Reflective account"
	}
	return "File"
}

// Limits of the portfolio's text.
const (
	MaxReflectiveLength = 20000 // a reflective account, about 3,000 words
	MaxFeedbackLength   = MaxNoteLength
)

// FileMeta describes a stored file: its key in the file store (generated,
// never from the user), the name the user gave it (kept only to show and
// to name the download), its checked type and its size.
type FileMeta struct {
	Key  string
	Name string
	Type string
	Size int64
}

// Evidence is one piece of a learner's evidence: a file or a reflective
// account, linked to the criteria it evidences.
type Evidence struct {
	ID            int64
	ApplicationID int64
	Kind          EvidenceKind
	Title         string
	Text          string // a reflective account
	File          FileMeta
	Criteria      []CriterionRef
	AddedOn       Date
	AddedBy       int64
	// ExternalID is the supplier's own id of evidence pushed by the API.
	ExternalID string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// CheckEvidence checks a new piece of evidence against the qualification
// the learner is assessed on; evidence is added while in training.
func CheckEvidence(app Application, e Evidence, q Qualification, today Date) error {
	if !app.Status.In(Training) {
		return Refuse("status", "Only a learner in training can add evidence; this one is %s", lower(app.Status))
	}
	if !e.Kind.Valid() {
		return Refuse("kind", "Choose whether the evidence is a file or a reflective account")
	}
	if strings.TrimSpace(e.Title) == "" {
		return Refuse("title", "Enter a title for the evidence")
	}
	if msg := TooLong("The title", e.Title, MaxTitleLength); msg != "" {
		return Refuse("title", "%s", msg)
	}
	switch e.Kind {
	case EvidenceReflective:
		if strings.TrimSpace(e.Text) == "" {
			return Refuse("text", "Write your reflective account")
		}
		if msg := TooLong("The reflective account", e.Text, MaxReflectiveLength); msg != "" {
			return Refuse("text", "%s", msg)
		}
	case EvidenceFile:
		// A supplier's own e-portfolio keeps its files: senco has only
		// their metadata, under the supplier's id for the evidence.
		if e.File.Key == "" && e.ExternalID == "" {
			return Refuse("file", "Choose a file to upload")
		}
	}
	if len(e.Criteria) == 0 {
		return Refuse("criteria", "Choose at least one criterion this evidence is for")
	}
	if err := knownCriteria("criteria", e.Criteria, q); err != nil {
		return err
	}
	return NotFuture("added_on", "The date the evidence was added", e.AddedOn, today)
}

func knownCriteria(field string, cs []CriterionRef, q Qualification) error {
	for _, c := range cs {
		if _, ok := q.CriterionText(c); !ok {
			return Refuse(field, "Criterion %s is not a criterion of %s version %d", c, q.Title, q.Version)
		}
	}
	return nil
}

// NotFuture refuses a date after today (and a missing date), naming the
// field: a decision, an observation or a submission is recorded when it
// happened, never ahead.
func NotFuture(field, label string, d, today Date) error {
	switch {
	case d.IsZero():
		return Refuse(field, "Enter %s", strings.ToLower(label[:1])+label[1:])
	case today.Before(d):
		return Refuse(field, "%s must be today or in the past", label)
	}
	return nil
}

// Submission is one version of an assignment submitted for assessment (or,
// with no assignment, evidence submitted on its own). Submitting locks the
// version: its evidence is not changed after; feedback and decisions
// attach to it; a resubmission is a new version beside it.
type Submission struct {
	ID            int64
	ApplicationID int64
	AssignmentRef string // "" for evidence submitted on its own
	Version       int
	EvidenceID    int64
	SubmittedOn   Date
	SubmittedBy   int64
	MarkedOn      Date
	MarkedBy      int64
	Feedback      string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Marked reports whether an assessor has marked the version.
func (s Submission) Marked() bool { return !s.MarkedOn.IsZero() }

// Submit makes the next version of an assignment from a piece of evidence:
// earlier are the learner's submissions of the same assignment, used is
// whether the evidence was already submitted. Refused while an earlier
// version waits to be marked, when the assignment is not in the plan, and
// for a learner not in training.
func Submit(app Application, plan AssessmentPlan, assignmentRef string, ev Evidence, used bool, earlier []Submission, on, today Date) (Submission, error) {
	if !app.Status.In(Training) {
		return Submission{}, Refuse("status", "Only a learner in training can submit work; this one is %s", lower(app.Status))
	}
	if assignmentRef != "" {
		if _, ok := plan.Assignment(assignmentRef); !ok {
			return Submission{}, Refuse("assignment", "Choose one of the assignments of your qualification")
		}
	}
	if ev.ApplicationID != app.ID || ev.ID == 0 {
		return Submission{}, Refuse("evidence", "Choose a piece of your own evidence to submit")
	}
	if used {
		return Submission{}, Refuse("evidence", "%q was already submitted; a resubmission is new work, so add it as new evidence first", ev.Title)
	}
	if err := NotFuture("submitted_on", "The date of the submission", on, today); err != nil {
		return Submission{}, err
	}
	version := 1
	for _, s := range earlier {
		if s.AssignmentRef != assignmentRef || assignmentRef == "" {
			continue
		}
		if !s.Marked() {
			return Submission{}, Refuse("assignment", "Version %d of assignment %s is waiting to be marked; you can resubmit once it has been marked", s.Version, assignmentRef)
		}
		if s.Version >= version {
			version = s.Version + 1
		}
	}
	return Submission{ApplicationID: app.ID, AssignmentRef: assignmentRef, Version: version, EvidenceID: ev.ID, SubmittedOn: on}, nil
}

// SubmissionCriteria are the criteria a submission can be judged against:
// its assignment's criteria in the plan and those its evidence is linked
// to, in the qualification's order.
func SubmissionCriteria(q Qualification, s Submission, ev Evidence) []CriterionRef {
	want := map[CriterionRef]bool{}
	if a, ok := q.Plan.Assignment(s.AssignmentRef); ok {
		for _, c := range a.Criteria {
			want[c] = true
		}
	}
	for _, c := range ev.Criteria {
		want[c] = true
	}
	var out []CriterionRef
	for _, c := range q.Criteria() {
		if want[c] {
			out = append(out, c)
		}
	}
	return out
}

// CriterionOutcome is an assessor's judgement of a criterion.
type CriterionOutcome string

const (
	OutcomeMet    CriterionOutcome = "met"
	OutcomeNotYet CriterionOutcome = "not_yet"
)

// CriterionOutcomes in the order forms offer them.
var CriterionOutcomes = []CriterionOutcome{OutcomeMet, OutcomeNotYet}

func (o CriterionOutcome) Valid() bool { return slices.Contains(CriterionOutcomes, o) }

func (o CriterionOutcome) Label() string {
	if o == OutcomeNotYet {
		return "Not yet met"
	}
	return "Met"
}

// CriterionDecision is an assessor's decision on one criterion, with the
// submission, evidence or observation it judged.
type CriterionDecision struct {
	ID            int64
	ApplicationID int64
	Criterion     CriterionRef
	SubmissionID  int64
	EvidenceID    int64
	ObservationID int64
	AssessorID    int64
	Outcome       CriterionOutcome
	Feedback      string
	DecidedOn     Date
	ExternalID    string
	CreatedAt     time.Time
	// PriorLearning is where the learning came from when the decision is
	// an approved claim of recognised prior learning (RecognisedDecisions),
	// not an assessor's judgement of evidence; "" otherwise.
	PriorLearning string
}

// CriterionMark is what an assessor gave one criterion of a submission.
type CriterionMark struct {
	Criterion CriterionRef
	Outcome   CriterionOutcome
	Feedback  string
}

// MarkSubmission decides each criterion of a submitted version: every
// criterion the version can evidence gets met or not yet, a "not yet" says
// why, and the date is neither before the submission nor in the future. A
// version is marked once; more work is a resubmission.
func MarkSubmission(s Submission, criteria []CriterionRef, marks []CriterionMark, feedback string, assessorID int64, on, today Date) ([]CriterionDecision, error) {
	if s.Marked() {
		return nil, Refuse("submission", "Version %d was already marked on %s; further work is a resubmission", s.Version, s.MarkedOn.Long())
	}
	if err := NotFuture("decided_on", "The date of the decision", on, today); err != nil {
		return nil, err
	}
	if on.Before(s.SubmittedOn) {
		return nil, Refuse("decided_on", "The date of the decision must be on or after the submission, %s", s.SubmittedOn.Long())
	}
	if msg := TooLong("The overall feedback", feedback, MaxFeedbackLength); msg != "" {
		return nil, Refuse("feedback", "%s", msg)
	}
	byRef := map[CriterionRef]CriterionMark{}
	for _, m := range marks {
		if !slices.Contains(criteria, m.Criterion) {
			return nil, Refuse("criteria", "Criterion %s is not one this work can evidence", m.Criterion)
		}
		byRef[m.Criterion] = m
	}
	var out []CriterionDecision
	for _, c := range criteria {
		m, ok := byRef[c]
		field := "outcome-" + string(c)
		switch {
		case !ok || m.Outcome == "":
			return nil, Refuse(field, "Choose met or not yet for criterion %s", c)
		case !m.Outcome.Valid():
			return nil, Refuse(field, "Criterion %s: choose met or not yet", c)
		case m.Outcome == OutcomeNotYet && strings.TrimSpace(m.Feedback) == "":
			return nil, Refuse("feedback-"+string(c), "Say what criterion %s still needs, so the learner can resubmit", c)
		}
		if msg := TooLong("The feedback on criterion "+string(c), m.Feedback, MaxFeedbackLength); msg != "" {
			return nil, Refuse("feedback-"+string(c), "%s", msg)
		}
		out = append(out, CriterionDecision{ApplicationID: s.ApplicationID, Criterion: c, SubmissionID: s.ID, EvidenceID: s.EvidenceID,
			AssessorID: assessorID, Outcome: m.Outcome, Feedback: strings.TrimSpace(m.Feedback), DecidedOn: on})
	}
	return out, nil
}

// CheckDecision checks one decision pushed on its own (by a supplier's
// e-portfolio through the API).
func CheckDecision(d CriterionDecision, q Qualification, today Date) error {
	if err := knownCriteria("criterion", []CriterionRef{d.Criterion}, q); err != nil {
		return err
	}
	if !d.Outcome.Valid() {
		return Refuse("outcome", "The outcome must be met or not_yet")
	}
	if d.Outcome == OutcomeNotYet && strings.TrimSpace(d.Feedback) == "" {
		return Refuse("feedback", "A not-yet decision needs feedback saying what is missing")
	}
	if msg := TooLong("The feedback", d.Feedback, MaxFeedbackLength); msg != "" {
		return Refuse("feedback", "%s", msg)
	}
	return NotFuture("decided_on", "The date of the decision", d.DecidedOn, today)
}

// Overturned is the set of decision ids that a quality assurance outcome
// (internal or external) overturned. Quality assurance records its own
// outcomes; the portfolio's rules take only this set, so a decision stays
// as the assessor made it and the trail is kept.
type Overturned map[int64]bool

// Has reports whether decision id was overturned (false on a nil set).
func (o Overturned) Has(id int64) bool { return o[id] }

// MetCriteria are the criteria met: decided met by an assessor and not
// overturned.
func MetCriteria(decisions []CriterionDecision, over Overturned) map[CriterionRef]bool {
	met := map[CriterionRef]bool{}
	for _, d := range decisions {
		if d.Outcome == OutcomeMet && !over.Has(d.ID) {
			met[d.Criterion] = true
		}
	}
	return met
}

// RecognisedDecisions are the met decisions that approved claims of
// recognised prior learning stand for, on the criteria of qualification q:
// an assessor approved each claim against one criterion, so it counts as
// met without new evidence (DESIGN.md: the record keeps where it came
// from). A claim is referenced "unit/outcome/criterion"; the portfolio's
// criteria "unit/criterion". Claims of other qualifications, or not
// approved, stand for nothing. The decisions have no id, so quality
// assurance cannot overturn them; a claim is refused or withdrawn instead.
func RecognisedDecisions(q Qualification, claims []RPLClaim) []CriterionDecision {
	refs := map[string]CriterionRef{}
	for _, u := range q.Units {
		for _, o := range u.Outcomes {
			for _, c := range o.Criteria {
				refs[u.Ref+"/"+o.Ref+"/"+c.Ref] = CriterionOf(u.Ref, c.Ref)
			}
		}
	}
	var out []CriterionDecision
	for _, c := range claims {
		ref, ok := refs[c.CriterionRef]
		if !ok || c.QualificationID != q.ID || c.State != RPLApproved {
			continue
		}
		out = append(out, CriterionDecision{Criterion: ref, Outcome: OutcomeMet, DecidedOn: c.DecidedOn, PriorLearning: c.Source})
	}
	return out
}

// CriterionMet reports whether criterion c is met.
func CriterionMet(c CriterionRef, decisions []CriterionDecision, over Overturned) bool {
	return MetCriteria(decisions, over)[c]
}

// MissingCriteria are the mandatory criteria of the plan not yet met, in
// the plan's order: the qualification is complete when there are none.
func MissingCriteria(plan AssessmentPlan, decisions []CriterionDecision, over Overturned) []CriterionRef {
	met := MetCriteria(decisions, over)
	var out []CriterionRef
	for _, c := range plan.Mandatory {
		if !met[c] {
			out = append(out, c)
		}
	}
	return out
}

// QualificationComplete reports whether every mandatory criterion of the
// learner's framework version is met.
func QualificationComplete(plan AssessmentPlan, decisions []CriterionDecision, over Overturned) bool {
	return len(MissingCriteria(plan, decisions, over)) == 0
}

// missingSentence names what is missing, the first few by reference.
func missingSentence(missing []CriterionRef) string {
	const shown = 5
	refs := make([]string, 0, shown)
	for i, c := range missing {
		if i == shown {
			break
		}
		refs = append(refs, string(c))
	}
	more := ""
	if len(missing) > shown {
		more = fmt.Sprintf(" and %d more", len(missing)-shown)
	}
	if len(missing) == 1 {
		return fmt.Sprintf("mandatory criterion %s is not yet met", refs[0])
	}
	return fmt.Sprintf("%d mandatory criteria are not yet met: %s%s", len(missing), strings.Join(refs, ", "), more)
}

// CellState is the state of one cell of the evidence matrix (a criterion
// against a piece of evidence) or of a criterion overall.
type CellState string

const (
	CellNotStarted     CellState = "not_started"
	CellWorkingTowards CellState = "working_towards"
	CellSubmitted      CellState = "submitted"
	CellMet            CellState = "met"
	CellReferred       CellState = "referred"
)

// CellStates in the order a criterion moves through them.
var CellStates = []CellState{CellNotStarted, CellWorkingTowards, CellSubmitted, CellReferred, CellMet}

func (s CellState) Label() string {
	switch s {
	case CellWorkingTowards:
		return "Working towards"
	case CellSubmitted:
		return "Submitted"
	case CellMet:
		return "Met"
	case CellReferred:
		return "Referred"
	}
	return "Not started"
}

// Matrix is a learner's evidence matrix: a row per criterion, a column per
// piece of evidence.
type Matrix struct {
	Evidence []Evidence
	Rows     []MatrixRow
}

// MatrixRow is one criterion: its state overall and against each piece of
// evidence (Cells, in the order of Matrix.Evidence).
type MatrixRow struct {
	Criterion CriterionRef
	Text      string
	Mandatory bool
	State     CellState
	Cells     []CellState
	// Feedback is the latest "not yet" feedback, while the criterion is
	// referred.
	Feedback string
	// PriorLearning is where the learning came from, when recognised prior
	// learning meets the criterion and no assessor's decision does.
	PriorLearning string
}

// EvidenceMatrix works out every cell. A cell is met or referred by the
// latest decision (not overturned) on that criterion judging that
// evidence, submitted while the evidence is in a version awaiting
// marking, working towards while the evidence is linked with no live
// judgement (not yet submitted, or its decision overturned), and not
// started otherwise. A criterion overall is met once
// any decision met it; submitted while any cell is; referred while its
// latest judgement was "not yet"; working towards while any evidence is
// linked.
func EvidenceMatrix(q Qualification, evidence []Evidence, subs []Submission, decisions []CriterionDecision, over Overturned) Matrix {
	m := Matrix{Evidence: evidence}
	col := map[int64]int{}
	for i, e := range evidence {
		col[e.ID] = i
	}
	// Which criteria each piece of evidence waits to be judged on.
	awaiting := map[int64]map[CriterionRef]bool{}
	for _, s := range subs {
		if s.Marked() {
			continue
		}
		i, ok := col[s.EvidenceID]
		if !ok {
			continue
		}
		set := map[CriterionRef]bool{}
		for _, c := range SubmissionCriteria(q, s, evidence[i]) {
			set[c] = true
		}
		awaiting[s.EvidenceID] = set
	}
	// The latest live decision per criterion and evidence, and per criterion.
	sorted := slices.Clone(decisions)
	sort.SliceStable(sorted, func(i, j int) bool {
		if c := sorted[i].DecidedOn.Compare(sorted[j].DecidedOn); c != 0 {
			return c < 0
		}
		return sorted[i].ID < sorted[j].ID
	})
	type key struct {
		c CriterionRef
		e int64
	}
	latest := map[key]CriterionDecision{}
	latestOf := map[CriterionRef]CriterionDecision{}
	met := MetCriteria(decisions, over)
	assessed, recognised := map[CriterionRef]bool{}, map[CriterionRef]string{}
	for _, d := range sorted {
		if d.PriorLearning != "" {
			recognised[d.Criterion] = d.PriorLearning
			continue
		}
		if over.Has(d.ID) {
			continue
		}
		if d.Outcome == OutcomeMet {
			assessed[d.Criterion] = true
		}
		latest[key{d.Criterion, d.EvidenceID}] = d
		latestOf[d.Criterion] = d
	}
	for _, c := range q.Criteria() {
		text, _ := q.CriterionText(c)
		row := MatrixRow{Criterion: c, Text: text, Mandatory: q.Plan.IsMandatory(c), Cells: make([]CellState, len(evidence))}
		any := map[CellState]bool{}
		for i, e := range evidence {
			st := CellNotStarted
			d, judged := latest[key{c, e.ID}]
			switch {
			case awaiting[e.ID][c]:
				st = CellSubmitted
			case judged && d.Outcome == OutcomeMet:
				st = CellMet
			case judged:
				st = CellReferred
			case slices.Contains(e.Criteria, c):
				st = CellWorkingTowards
			}
			row.Cells[i] = st
			any[st] = true
		}
		d, judged := latestOf[c]
		switch {
		case met[c]:
			row.State = CellMet
			if !assessed[c] {
				row.PriorLearning = recognised[c]
			}
		case any[CellSubmitted]:
			row.State = CellSubmitted
		case judged && d.Outcome == OutcomeNotYet:
			row.State, row.Feedback = CellReferred, d.Feedback
		case any[CellWorkingTowards] || any[CellReferred]:
			row.State = CellWorkingTowards
		default:
			row.State = CellNotStarted
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

// Count is how many criteria are in each state.
func (m Matrix) Count(s CellState) int {
	n := 0
	for _, r := range m.Rows {
		if r.State == s {
			n++
		}
	}
	return n
}

// Observation is an assessor's observation of a learner's practice in
// their setting.
type Observation struct {
	ID             int64
	ApplicationID  int64
	AssessorID     int64
	ObservedOn     Date
	Seen           string
	Criteria       []CriterionRef
	AcknowledgedOn Date
	LearnerComment string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// RecordObservation checks an observation and returns the decisions it
// makes: each criterion the assessor saw evidenced is met by it.
func RecordObservation(app Application, q Qualification, o Observation, today Date) ([]CriterionDecision, error) {
	if !app.Status.In(Training) {
		return nil, Refuse("status", "Only a learner in training can be observed for assessment; this one is %s", lower(app.Status))
	}
	if err := NotFuture("observed_on", "The date of the observation", o.ObservedOn, today); err != nil {
		return nil, err
	}
	if strings.TrimSpace(o.Seen) == "" {
		return nil, Refuse("seen", "Describe what you saw")
	}
	if msg := TooLong("What you saw", o.Seen, MaxReflectiveLength); msg != "" {
		return nil, Refuse("seen", "%s", msg)
	}
	if len(o.Criteria) == 0 {
		return nil, Refuse("criteria", "Choose at least one criterion the observation evidenced")
	}
	if err := knownCriteria("criteria", o.Criteria, q); err != nil {
		return nil, err
	}
	var out []CriterionDecision
	for _, c := range o.Criteria {
		out = append(out, CriterionDecision{ApplicationID: app.ID, Criterion: c, ObservationID: o.ID, AssessorID: o.AssessorID,
			Outcome: OutcomeMet, Feedback: "Evidenced by observation", DecidedOn: o.ObservedOn})
	}
	return out, nil
}

// AcknowledgeObservation records the learner's acknowledgement.
func AcknowledgeObservation(o Observation, comment string, on, today Date) (Observation, error) {
	if !o.AcknowledgedOn.IsZero() {
		return o, Refuse("acknowledged", "You acknowledged this observation on %s", o.AcknowledgedOn.Long())
	}
	if err := NotFuture("acknowledged_on", "The date of the acknowledgement", on, today); err != nil {
		return o, err
	}
	if msg := TooLong("Your comment", comment, MaxNoteLength); msg != "" {
		return o, Refuse("comment", "%s", msg)
	}
	o.AcknowledgedOn, o.LearnerComment = on, strings.TrimSpace(comment)
	return o, nil
}

// ProgressReview is a dated review of a learner's progress, signed by the
// learner, their setting manager and their assessor.
type ProgressReview struct {
	ID               int64
	ApplicationID    int64
	HeldOn           Date
	Summary          string
	NextSteps        string
	AssessorID       int64
	AssessorSignedOn Date
	LearnerSignedOn  Date
	ManagerID        int64
	ManagerSignedOn  Date
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Signer is who signs a progress review.
type Signer string

const (
	SignerLearner  Signer = "learner"
	SignerManager  Signer = "manager"
	SignerAssessor Signer = "assessor"
)

// Signed reports whether every party has signed.
func (r ProgressReview) Signed() bool {
	return !r.AssessorSignedOn.IsZero() && !r.LearnerSignedOn.IsZero() && !r.ManagerSignedOn.IsZero()
}

// SignedBy reports whether s has signed.
func (r ProgressReview) SignedBy(s Signer) bool {
	switch s {
	case SignerLearner:
		return !r.LearnerSignedOn.IsZero()
	case SignerManager:
		return !r.ManagerSignedOn.IsZero()
	}
	return !r.AssessorSignedOn.IsZero()
}

// NewProgressReview checks a review the assessor writes; the assessor's
// signature is its recording.
func NewProgressReview(app Application, r ProgressReview, today Date) (ProgressReview, error) {
	if !app.Status.In(Training) {
		return r, Refuse("status", "Only a learner in training has progress reviews; this one is %s", lower(app.Status))
	}
	if err := NotFuture("held_on", "The date of the review", r.HeldOn, today); err != nil {
		return r, err
	}
	if strings.TrimSpace(r.Summary) == "" {
		return r, Refuse("summary", "Summarise the learner's progress")
	}
	for _, f := range []struct{ field, label, v string }{{"summary", "The summary", r.Summary}, {"next_steps", "The next steps", r.NextSteps}} {
		if msg := TooLong(f.label, f.v, MaxNoteLength); msg != "" {
			return r, Refuse(f.field, "%s", msg)
		}
	}
	r.ApplicationID, r.AssessorSignedOn = app.ID, r.HeldOn
	return r, nil
}

// SignReview records one party's signature.
func SignReview(r ProgressReview, s Signer, userID int64, on, today Date) (ProgressReview, error) {
	if r.SignedBy(s) {
		return r, Refuse("sign", "This review is already signed by the %s", s)
	}
	if err := NotFuture("signed_on", "The date of the signature", on, today); err != nil {
		return r, err
	}
	if on.Before(r.HeldOn) {
		return r, Refuse("signed_on", "A review is signed on or after the day it was held, %s", r.HeldOn.Long())
	}
	switch s {
	case SignerLearner:
		r.LearnerSignedOn = on
	case SignerManager:
		r.ManagerSignedOn, r.ManagerID = on, userID
	case SignerAssessor:
		r.AssessorSignedOn, r.AssessorID = on, userID
	default:
		return r, Refuse("sign", "Unknown signer %q", s)
	}
	return r, nil
}

// Due is a piece of planned work and when it is due for a learner whose
// cohort starts on start.
type Due struct {
	Ref, Title  string
	On          Date
	Observation bool
}

// DueWork lists the plan's work in the order it falls due.
func DueWork(plan AssessmentPlan, start Date) []Due {
	var out []Due
	for _, a := range plan.Assignments {
		out = append(out, Due{Ref: a.Ref, Title: a.Title, On: start.AddDays(7 * a.DueWeek)})
	}
	if plan.Observation.Title != "" {
		out = append(out, Due{Ref: "OBS", Title: plan.Observation.Title, On: start.AddDays(7 * plan.Observation.DueWeek), Observation: true})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].On.Before(out[j].On) })
	return out
}

// Conflicts of the portfolio: another write got there first.
var (
	ErrSubmittedMeanwhile = errors.New("this version was submitted meanwhile; reload the page to see it")
	ErrMarkedMeanwhile    = errors.New("another assessor marked this version while you were marking it")
	ErrPortfolioChanged   = errors.New("the portfolio changed while you were working on it")
)

// Message is a notification to a person: a subject, a body and a link
// into the service.
type Message struct {
	Subject, Body string
}

// EvidenceArrived tells an assessor that work waits to be marked.
func EvidenceArrived(learner, what, cohort string) Message {
	where := ""
	if cohort != "" {
		where = " (" + cohort + ")"
	}
	return Message{Subject: "New work to mark from " + learner,
		Body: fmt.Sprintf("%s%s submitted %s. It is in your queue of work to mark.", learner, where, what)}
}

// WorkMarked tells a learner their work was marked.
func WorkMarked(assignmentRef string, version, met, referred int) Message {
	what := "Your evidence"
	if assignmentRef != "" {
		what = fmt.Sprintf("Version %d of assignment %s", version, assignmentRef)
	}
	body := fmt.Sprintf("%s was marked: %d %s met", what, met, plural(met, "criterion", "criteria"))
	if referred > 0 {
		body += fmt.Sprintf(", %d referred with feedback on what is still needed", referred)
	}
	return Message{Subject: "Your work was marked", Body: body + "."}
}

// ObservationRecorded asks a learner to acknowledge an observation.
func ObservationRecorded(on Date) Message {
	return Message{Subject: "Your observation is recorded", Body: fmt.Sprintf("Your assessor recorded the observation of your practice on %s. Read it and acknowledge it in your portfolio.", on.Long())}
}

// ReviewToSign asks a learner to sign a progress review.
func ReviewToSign(on Date) Message {
	return Message{Subject: "A progress review to sign", Body: fmt.Sprintf("Your assessor recorded a progress review held on %s. Read it and sign it in your portfolio.", on.Long())}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// MaxSendAttempts bounds how often senco tries to mail one message; a
// message that could not be sent stays readable in the service.
const MaxSendAttempts = 6

// NextAttempt is when to try a message again after its attempts-th failed
// attempt (1, 2, 4, 8, 16 minutes), and false once the attempts are used up.
func NextAttempt(attempts int, failedAt time.Time) (time.Time, bool) {
	if attempts >= MaxSendAttempts {
		return time.Time{}, false
	}
	return failedAt.Add(time.Minute << (attempts - 1)), true
}

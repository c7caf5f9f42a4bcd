package domain

import (
	"slices"
	"strings"
	"testing"
)

// A small qualification with a plan: unit 301 (1.1, 1.2), unit 302 (1.1),
// where 302/1.1 is optional.
func testQual() Qualification {
	return Qualification{ID: 1, Code: "T-L3", Version: 2, Title: "Test SENCO",
		Units: []Unit{
			{Ref: "301", Outcomes: []LearningOutcome{{Ref: "1", Criteria: []Criterion{{Ref: "1.1", Text: "Explain the law"}, {Ref: "1.2", Text: "Describe the role"}}}}},
			{Ref: "302", Outcomes: []LearningOutcome{{Ref: "1", Criteria: []Criterion{{Ref: "1.1", Text: "Identify needs"}}}}},
		},
		Plan: AssessmentPlan{
			Assignments: []PlannedAssignment{{Ref: "A1", Title: "The law", DueWeek: 4, Criteria: []CriterionRef{"301/1.1", "301/1.2"}}},
			Observation: PlannedObservation{Title: "Observation", DueWeek: 10, Criteria: []CriterionRef{"301/1.2", "302/1.1"}},
			Mandatory:   []CriterionRef{"301/1.1", "301/1.2"},
		}}
}

func refusedOn(t *testing.T, name string, err error, field string) {
	t.Helper()
	r, ok := IsRefusal(err)
	switch {
	case field == "" && err != nil:
		t.Errorf("%s: refused: %v", name, err)
	case field != "" && !ok:
		t.Errorf("%s: want a refusal of %s, got %v", name, field, err)
	case field != "" && r.Field != field:
		t.Errorf("%s: refused on %s (%s), want %s", name, r.Field, r.Msg, field)
	}
}

func TestCheckPlan(t *testing.T) {
	tests := []struct {
		name string
		edit func(*AssessmentPlan)
		want string
	}{
		{"valid", func(*AssessmentPlan) {}, ""},
		{"no plan at all", func(p *AssessmentPlan) { *p = AssessmentPlan{} }, ""},
		{"unknown criterion", func(p *AssessmentPlan) { p.Assignments[0].Criteria = append(p.Assignments[0].Criteria, "309/1.1") }, "309/1.1"},
		{"assignment twice", func(p *AssessmentPlan) { p.Assignments = append(p.Assignments, p.Assignments[0]) }, "named twice"},
		{"mandatory unknown", func(p *AssessmentPlan) { p.Mandatory = append(p.Mandatory, "301/9.9") }, "301/9.9"},
		{"mandatory not evidenced", func(p *AssessmentPlan) {
			p.Observation.Criteria = nil
			p.Mandatory = append(p.Mandatory, "302/1.1")
		}, "evidenced by no assignment"},
		{"observation unknown", func(p *AssessmentPlan) { p.Observation.Criteria = []CriterionRef{"x"} }, "observation"},
	}
	for _, tt := range tests {
		q := testQual()
		q.Plan.Assignments = slices.Clone(q.Plan.Assignments)
		tt.edit(&q.Plan)
		err := CheckPlan(q)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestCriterionMetAndComplete(t *testing.T) {
	q := testQual()
	met := func(id int64, c CriterionRef) CriterionDecision {
		return CriterionDecision{ID: id, Criterion: c, Outcome: OutcomeMet, DecidedOn: day}
	}
	notYet := func(id int64, c CriterionRef) CriterionDecision {
		return CriterionDecision{ID: id, Criterion: c, Outcome: OutcomeNotYet, Feedback: "more", DecidedOn: day}
	}
	tests := []struct {
		name      string
		decisions []CriterionDecision
		over      Overturned
		missing   []CriterionRef
	}{
		{"nothing decided", nil, nil, []CriterionRef{"301/1.1", "301/1.2"}},
		{"one met", []CriterionDecision{met(1, "301/1.1")}, nil, []CriterionRef{"301/1.2"}},
		{"all mandatory met", []CriterionDecision{met(1, "301/1.1"), met(2, "301/1.2")}, nil, nil},
		{"optional not needed", []CriterionDecision{met(1, "301/1.1"), met(2, "301/1.2"), notYet(3, "302/1.1")}, nil, nil},
		{"not yet is not met", []CriterionDecision{met(1, "301/1.1"), notYet(2, "301/1.2")}, nil, []CriterionRef{"301/1.2"}},
		{"met once stays met after a later not yet", []CriterionDecision{met(1, "301/1.1"), met(2, "301/1.2"), notYet(3, "301/1.2")}, nil, nil},
		{"overturned by QA", []CriterionDecision{met(1, "301/1.1"), met(2, "301/1.2")}, Overturned{2: true}, []CriterionRef{"301/1.2"}},
		{"overturned but met again", []CriterionDecision{met(1, "301/1.1"), met(2, "301/1.2"), met(4, "301/1.2")}, Overturned{2: true}, nil},
		{"an overturn of another decision", []CriterionDecision{met(1, "301/1.1"), met(2, "301/1.2")}, Overturned{99: true}, nil},
	}
	for _, tt := range tests {
		got := MissingCriteria(q.Plan, tt.decisions, tt.over)
		if !slices.Equal(got, tt.missing) {
			t.Errorf("%s: missing %v, want %v", tt.name, got, tt.missing)
		}
		if QualificationComplete(q.Plan, tt.decisions, tt.over) != (len(tt.missing) == 0) {
			t.Errorf("%s: complete disagrees with missing", tt.name)
		}
		if CriterionMet("301/1.2", tt.decisions, tt.over) == slices.Contains(tt.missing, "301/1.2") {
			t.Errorf("%s: CriterionMet disagrees with missing", tt.name)
		}
	}
}

func TestRecognisedPriorLearningCountsAsMet(t *testing.T) {
	q := testQual()
	claim := func(ref string, st RPLState, qid int64) RPLClaim {
		return RPLClaim{QualificationID: qid, CriterionRef: ref, Source: "LA SENCO course, 2024", State: st, DecidedOn: day}
	}
	assessor := CriterionDecision{ID: 1, Criterion: "301/1.1", Outcome: OutcomeMet, DecidedOn: day}
	tests := []struct {
		name    string
		claims  []RPLClaim
		over    Overturned
		missing []CriterionRef
	}{
		{"no claims", nil, nil, []CriterionRef{"301/1.2"}},
		{"approved claim meets its criterion", []RPLClaim{claim("301/1/1.2", RPLApproved, 1)}, nil, nil},
		{"a claim awaiting an assessor does not", []RPLClaim{claim("301/1/1.2", RPLClaimed, 1)}, nil, []CriterionRef{"301/1.2"}},
		{"a refused claim does not", []RPLClaim{claim("301/1/1.2", RPLRefused, 1)}, nil, []CriterionRef{"301/1.2"}},
		{"a claim on another qualification does not", []RPLClaim{claim("301/1/1.2", RPLApproved, 2)}, nil, []CriterionRef{"301/1.2"}},
		{"a claim naming no criterion of it does not", []RPLClaim{claim("301/9/1.2", RPLApproved, 1)}, nil, []CriterionRef{"301/1.2"}},
		{"no overturn reaches a claim", []RPLClaim{claim("301/1/1.2", RPLApproved, 1)}, Overturned{0: false, 1: false}, nil},
		{"it does not stand for the assessor's overturned decision", []RPLClaim{claim("301/1/1.2", RPLApproved, 1)}, Overturned{1: true}, []CriterionRef{"301/1.1"}},
	}
	for _, tt := range tests {
		rec := RecognisedDecisions(q, tt.claims)
		for _, d := range rec {
			if d.PriorLearning != "LA SENCO course, 2024" || d.ID != 0 || d.Outcome != OutcomeMet {
				t.Errorf("%s: decision %+v does not say where it came from", tt.name, d)
			}
		}
		decisions := append([]CriterionDecision{assessor}, rec...)
		if got := MissingCriteria(q.Plan, decisions, tt.over); !slices.Equal(got, tt.missing) {
			t.Errorf("%s: missing %v, want %v", tt.name, got, tt.missing)
		}
		m := EvidenceMatrix(q, nil, nil, decisions, tt.over)
		for _, row := range m.Rows {
			if row.Criterion == "301/1.2" && (row.State == CellMet) == slices.Contains(tt.missing, "301/1.2") {
				t.Errorf("%s: the matrix shows 301/1.2 %s", tt.name, row.State)
			}
			if row.Criterion == "301/1.2" && (row.PriorLearning != "") != (row.State == CellMet) {
				t.Errorf("%s: the matrix says 301/1.2 came from %q while %s", tt.name, row.PriorLearning, row.State)
			}
			if row.Criterion == "301/1.1" && row.PriorLearning != "" {
				t.Errorf("%s: an assessor's decision shown as prior learning", tt.name)
			}
		}
	}
}

func TestCompleteAssessmentNeedsEveryMandatoryCriterion(t *testing.T) {
	tests := []struct {
		name    string
		missing []CriterionRef
		on      Date
		field   string
	}{
		{"complete", nil, day, ""},
		{"one missing", []CriterionRef{"301/1.2"}, day, "criteria"},
		{"many missing", []CriterionRef{"a", "b", "c", "d", "e", "f", "g"}, day, "criteria"},
	}
	for _, tt := range tests {
		ch, _, err := CompleteAssessment(appIn(StatusInTraining), 1, 0.8, tt.missing, tt.on)
		refusedOn(t, tt.name, err, tt.field)
		if err != nil && ch.Changed() {
			t.Errorf("%s: refused but changed", tt.name)
		}
	}
	_, _, err := CompleteAssessment(appIn(StatusInTraining), 1, 0.8, []CriterionRef{"a", "b", "c", "d", "e", "f", "g"}, day)
	if !strings.Contains(err.Error(), "7 mandatory criteria are not yet met: a, b, c, d, e and 2 more") {
		t.Errorf("missing sentence: %v", err)
	}
	// Attendance short: the assessment is complete, training is not.
	ch, completed, err := CompleteAssessment(appIn(StatusInTraining), 0.5, 0.8, nil, day)
	if err != nil || completed || ch.App.AssessmentCompleteOn != day || ch.App.Status != StatusInTraining {
		t.Errorf("short attendance: %v %v %+v", err, completed, ch.App)
	}
}

func TestSubmit(t *testing.T) {
	q := testQual()
	app := appIn(StatusInTraining)
	ev := Evidence{ID: 5, ApplicationID: app.ID, Title: "Essay"}
	v1 := Submission{ID: 1, ApplicationID: app.ID, AssignmentRef: "A1", Version: 1, SubmittedOn: day}
	v1Marked := v1
	v1Marked.MarkedOn = day
	tests := []struct {
		name    string
		app     Application
		ref     string
		ev      Evidence
		used    bool
		earlier []Submission
		on      Date
		field   string
		version int
	}{
		{"first version", app, "A1", ev, false, nil, day, "", 1},
		{"resubmission after marking", app, "A1", ev, false, []Submission{v1Marked}, day, "", 2},
		{"while v1 waits", app, "A1", ev, false, []Submission{v1}, day, "assignment", 0},
		{"evidence on its own", app, "", ev, false, []Submission{v1}, day, "", 1},
		{"unknown assignment", app, "A9", ev, false, nil, day, "assignment", 0},
		{"someone else's evidence", app, "A1", Evidence{ID: 5, ApplicationID: 99}, false, nil, day, "evidence", 0},
		{"evidence already submitted", app, "A1", ev, true, nil, day, "evidence", 0},
		{"in the future", app, "A1", ev, false, nil, day.AddDays(1), "submitted_on", 0},
		{"no date", app, "A1", ev, false, nil, Date{}, "submitted_on", 0},
		{"completed learner", appIn(StatusCompleted), "A1", ev, false, nil, day, "status", 0},
	}
	for _, tt := range tests {
		s, err := Submit(tt.app, q.Plan, tt.ref, tt.ev, tt.used, tt.earlier, tt.on, day)
		refusedOn(t, tt.name, err, tt.field)
		if err == nil && s.Version != tt.version {
			t.Errorf("%s: version %d, want %d", tt.name, s.Version, tt.version)
		}
	}
}

func TestMarkSubmission(t *testing.T) {
	sub := Submission{ID: 3, ApplicationID: 7, AssignmentRef: "A1", Version: 1, EvidenceID: 5, SubmittedOn: day.AddDays(-3)}
	crit := []CriterionRef{"301/1.1", "301/1.2"}
	both := []CriterionMark{{Criterion: "301/1.1", Outcome: OutcomeMet}, {Criterion: "301/1.2", Outcome: OutcomeNotYet, Feedback: "Add an example"}}
	marked := sub
	marked.MarkedOn = day
	tests := []struct {
		name  string
		sub   Submission
		marks []CriterionMark
		on    Date
		field string
	}{
		{"met and referred", sub, both, day, ""},
		{"a criterion unmarked", sub, both[:1], day, "outcome-301/1.2"},
		{"not yet without feedback", sub, []CriterionMark{both[0], {Criterion: "301/1.2", Outcome: OutcomeNotYet}}, day, "feedback-301/1.2"},
		{"unknown outcome", sub, []CriterionMark{both[0], {Criterion: "301/1.2", Outcome: "maybe"}}, day, "outcome-301/1.2"},
		{"criterion not of this work", sub, append(slices.Clone(both), CriterionMark{Criterion: "302/1.1", Outcome: OutcomeMet}), day, "criteria"},
		{"future", sub, both, day.AddDays(1), "decided_on"},
		{"before submission", sub, both, day.AddDays(-4), "decided_on"},
		{"marked already", marked, both, day, "submission"},
	}
	for _, tt := range tests {
		ds, err := MarkSubmission(tt.sub, crit, tt.marks, "", 42, tt.on, day)
		refusedOn(t, tt.name, err, tt.field)
		if err == nil && (len(ds) != 2 || ds[1].Outcome != OutcomeNotYet || ds[1].SubmissionID != 3 || ds[1].EvidenceID != 5 || ds[0].AssessorID != 42) {
			t.Errorf("%s: decisions %+v", tt.name, ds)
		}
	}
}

func TestEvidenceMatrix(t *testing.T) {
	q := testQual()
	e1 := Evidence{ID: 1, ApplicationID: 7, Title: "Essay v1", Criteria: []CriterionRef{"301/1.1", "301/1.2"}}
	e2 := Evidence{ID: 2, ApplicationID: 7, Title: "Essay v2", Criteria: []CriterionRef{"301/1.1", "301/1.2"}}
	e3 := Evidence{ID: 3, ApplicationID: 7, Title: "Notes", Criteria: []CriterionRef{"302/1.1"}}
	s1 := Submission{ID: 10, AssignmentRef: "A1", Version: 1, EvidenceID: 1, SubmittedOn: day, MarkedOn: day}
	s2 := Submission{ID: 11, AssignmentRef: "A1", Version: 2, EvidenceID: 2, SubmittedOn: day}
	d1 := CriterionDecision{ID: 100, Criterion: "301/1.1", EvidenceID: 1, SubmissionID: 10, Outcome: OutcomeMet, DecidedOn: day}
	d2 := CriterionDecision{ID: 101, Criterion: "301/1.2", EvidenceID: 1, SubmissionID: 10, Outcome: OutcomeNotYet, Feedback: "Add an example", DecidedOn: day}
	tests := []struct {
		name  string
		ev    []Evidence
		subs  []Submission
		dec   []CriterionDecision
		over  Overturned
		rows  []CellState   // per criterion: 301/1.1, 301/1.2, 302/1.1
		cells [][]CellState // per criterion, per evidence
	}{
		{"empty portfolio", nil, nil, nil, nil,
			[]CellState{CellNotStarted, CellNotStarted, CellNotStarted}, [][]CellState{{}, {}, {}}},
		{"linked, not submitted", []Evidence{e1, e3}, nil, nil, nil,
			[]CellState{CellWorkingTowards, CellWorkingTowards, CellWorkingTowards},
			[][]CellState{{CellWorkingTowards, CellNotStarted}, {CellWorkingTowards, CellNotStarted}, {CellNotStarted, CellWorkingTowards}}},
		{"submitted, waiting", []Evidence{e1}, []Submission{{ID: 10, AssignmentRef: "A1", Version: 1, EvidenceID: 1, SubmittedOn: day}}, nil, nil,
			[]CellState{CellSubmitted, CellSubmitted, CellNotStarted},
			[][]CellState{{CellSubmitted}, {CellSubmitted}, {CellNotStarted}}},
		{"marked: one met, one referred", []Evidence{e1}, []Submission{s1}, []CriterionDecision{d1, d2}, nil,
			[]CellState{CellMet, CellReferred, CellNotStarted},
			[][]CellState{{CellMet}, {CellReferred}, {CellNotStarted}}},
		{"resubmitted beside the referral", []Evidence{e1, e2}, []Submission{s1, s2}, []CriterionDecision{d1, d2}, nil,
			[]CellState{CellMet, CellSubmitted, CellNotStarted},
			[][]CellState{{CellMet, CellSubmitted}, {CellReferred, CellSubmitted}, {CellNotStarted, CellNotStarted}}},
		{"QA overturned the met", []Evidence{e1}, []Submission{s1}, []CriterionDecision{d1, d2}, Overturned{100: true},
			[]CellState{CellWorkingTowards, CellReferred, CellNotStarted},
			[][]CellState{{CellWorkingTowards}, {CellReferred}, {CellNotStarted}}},
		{"observation meets without evidence", nil, nil, []CriterionDecision{{ID: 5, Criterion: "302/1.1", ObservationID: 1, Outcome: OutcomeMet, DecidedOn: day}}, nil,
			[]CellState{CellNotStarted, CellNotStarted, CellMet}, [][]CellState{{}, {}, {}}},
	}
	for _, tt := range tests {
		m := EvidenceMatrix(q, tt.ev, tt.subs, tt.dec, tt.over)
		if len(m.Rows) != 3 {
			t.Fatalf("%s: %d rows", tt.name, len(m.Rows))
		}
		for i, r := range m.Rows {
			if r.State != tt.rows[i] {
				t.Errorf("%s: %s is %s, want %s", tt.name, r.Criterion, r.State, tt.rows[i])
			}
			if !slices.Equal(r.Cells, tt.cells[i]) && !(len(r.Cells) == 0 && len(tt.cells[i]) == 0) {
				t.Errorf("%s: %s cells %v, want %v", tt.name, r.Criterion, r.Cells, tt.cells[i])
			}
		}
	}
	m := EvidenceMatrix(q, []Evidence{e1}, []Submission{s1}, []CriterionDecision{d1, d2}, nil)
	if r := m.Rows[1]; r.Feedback != "Add an example" || !r.Mandatory || m.Rows[2].Mandatory {
		t.Errorf("referred row: %+v", r)
	}
	if m.Count(CellMet) != 1 || m.Count(CellReferred) != 1 {
		t.Errorf("counts: met %d referred %d", m.Count(CellMet), m.Count(CellReferred))
	}
}

func TestObservationsAndReviews(t *testing.T) {
	q := testQual()
	app := appIn(StatusInTraining)
	o := Observation{ApplicationID: app.ID, AssessorID: 42, ObservedOn: day, Seen: "Led a review meeting with a parent", Criteria: []CriterionRef{"301/1.2"}}
	obs := []struct {
		name  string
		edit  func(*Observation)
		app   Application
		field string
	}{
		{"valid", func(*Observation) {}, app, ""},
		{"future", func(o *Observation) { o.ObservedOn = day.AddDays(1) }, app, "observed_on"},
		{"nothing seen", func(o *Observation) { o.Seen = " " }, app, "seen"},
		{"no criteria", func(o *Observation) { o.Criteria = nil }, app, "criteria"},
		{"unknown criterion", func(o *Observation) { o.Criteria = []CriterionRef{"399/1.1"} }, app, "criteria"},
		{"withdrawn learner", func(*Observation) {}, appIn(StatusWithdrawn), "status"},
	}
	for _, tt := range obs {
		x := o
		tt.edit(&x)
		ds, err := RecordObservation(tt.app, q, x, day)
		refusedOn(t, "observation "+tt.name, err, tt.field)
		if err == nil && (len(ds) != 1 || ds[0].Outcome != OutcomeMet || ds[0].Criterion != "301/1.2") {
			t.Errorf("observation decisions %+v", ds)
		}
	}
	ack, err := AcknowledgeObservation(o, "Thank you", day, day)
	refusedOn(t, "acknowledge", err, "")
	_, err = AcknowledgeObservation(ack, "", day, day)
	refusedOn(t, "acknowledge twice", err, "acknowledged")
	_, err = AcknowledgeObservation(o, "", day.AddDays(2), day)
	refusedOn(t, "acknowledge in the future", err, "acknowledged_on")

	r, err := NewProgressReview(app, ProgressReview{HeldOn: day.AddDays(-1), Summary: "On track"}, day)
	refusedOn(t, "review", err, "")
	_, err = NewProgressReview(app, ProgressReview{HeldOn: day.AddDays(1), Summary: "On track"}, day)
	refusedOn(t, "review in the future", err, "held_on")
	_, err = NewProgressReview(app, ProgressReview{HeldOn: day, Summary: ""}, day)
	refusedOn(t, "review without summary", err, "summary")
	if !r.SignedBy(SignerAssessor) || r.Signed() {
		t.Errorf("new review signatures: %+v", r)
	}
	r, err = SignReview(r, SignerLearner, 3, day, day)
	refusedOn(t, "learner signs", err, "")
	_, err = SignReview(r, SignerLearner, 3, day, day)
	refusedOn(t, "learner signs twice", err, "sign")
	_, err = SignReview(r, SignerManager, 8, day.AddDays(-5), day)
	refusedOn(t, "manager signs before the review", err, "signed_on")
	_, err = SignReview(r, SignerManager, 8, day.AddDays(1), day)
	refusedOn(t, "manager signs in the future", err, "signed_on")
	r, err = SignReview(r, SignerManager, 8, day, day)
	refusedOn(t, "manager signs", err, "")
	if !r.Signed() || r.ManagerID != 8 {
		t.Errorf("signed review: %+v", r)
	}
}

func TestCheckEvidence(t *testing.T) {
	q := testQual()
	good := Evidence{Kind: EvidenceReflective, Title: "My reflection", Text: "I learned…", Criteria: []CriterionRef{"301/1.1"}, AddedOn: day}
	tests := []struct {
		name  string
		edit  func(*Evidence)
		field string
	}{
		{"reflective", func(*Evidence) {}, ""},
		{"file", func(e *Evidence) { e.Kind, e.Text, e.File = EvidenceFile, "", FileMeta{Key: "k", Name: "a.pdf"} }, ""},
		{"file missing", func(e *Evidence) { e.Kind = EvidenceFile }, "file"},
		{"no kind", func(e *Evidence) { e.Kind = "" }, "kind"},
		{"no title", func(e *Evidence) { e.Title = "" }, "title"},
		{"title too long", func(e *Evidence) { e.Title = strings.Repeat("x", MaxTitleLength+1) }, "title"},
		{"no text", func(e *Evidence) { e.Text = "" }, "text"},
		{"no criteria", func(e *Evidence) { e.Criteria = nil }, "criteria"},
		{"unknown criterion", func(e *Evidence) { e.Criteria = []CriterionRef{"301/7.1"} }, "criteria"},
		{"future", func(e *Evidence) { e.AddedOn = day.AddDays(1) }, "added_on"},
	}
	for _, tt := range tests {
		e := good
		tt.edit(&e)
		refusedOn(t, tt.name, CheckEvidence(appIn(StatusInTraining), e, q, day), tt.field)
	}
	refusedOn(t, "completed learner", CheckEvidence(appIn(StatusCompleted), good, q, day), "status")
	pushed := good
	pushed.Kind, pushed.ExternalID = EvidenceFile, "ext-1"
	refusedOn(t, "pushed metadata without a file", CheckEvidence(appIn(StatusInTraining), pushed, q, day), "")
	decs := []struct {
		name  string
		d     CriterionDecision
		field string
	}{
		{"met", CriterionDecision{Criterion: "301/1.1", Outcome: OutcomeMet, DecidedOn: day}, ""},
		{"not yet with feedback", CriterionDecision{Criterion: "301/1.1", Outcome: OutcomeNotYet, Feedback: "x", DecidedOn: day}, ""},
		{"not yet, silent", CriterionDecision{Criterion: "301/1.1", Outcome: OutcomeNotYet, DecidedOn: day}, "feedback"},
		{"unknown criterion", CriterionDecision{Criterion: "3/1", Outcome: OutcomeMet, DecidedOn: day}, "criterion"},
		{"bad outcome", CriterionDecision{Criterion: "301/1.1", Outcome: "pass", DecidedOn: day}, "outcome"},
		{"future", CriterionDecision{Criterion: "301/1.1", Outcome: OutcomeMet, DecidedOn: day.AddDays(1)}, "decided_on"},
	}
	for _, tt := range decs {
		refusedOn(t, "decision "+tt.name, CheckDecision(tt.d, q, day), tt.field)
	}
}

func TestDueWork(t *testing.T) {
	due := DueWork(testQual().Plan, day)
	if len(due) != 2 || due[0].Ref != "A1" || due[0].On != day.AddDays(28) || !due[1].Observation {
		t.Errorf("due: %+v", due)
	}
}

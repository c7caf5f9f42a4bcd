package domain

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Quality assurance. A supplier's internal quality assurer (IQA) samples
// its assessors' decisions by a plan, and the awarding organisation's
// officer samples across the supplier the same way (external, EQA). Each
// sampled decision gets an outcome: agree, or action required — the action
// goes back to the assessor and blocks certification until they resolve
// it. A criterion decision with an action is overturned: the criterion
// counts as met only by a later decision (OverturnedDecisions).

// QALevel is internal or external quality assurance.
type QALevel string

const (
	QAInternal QALevel = "iqa"
	QAExternal QALevel = "eqa"
)

// Label names the level.
func (l QALevel) Label() string {
	if l == QAExternal {
		return "External quality assurance"
	}
	return "Internal quality assurance"
}

// Valid reports whether l is a level.
func (l QALevel) Valid() bool { return l == QAInternal || l == QAExternal }

// QADecisionKind is what an assessor decided: a criterion (interim) or that
// the assessment is complete (final).
type QADecisionKind string

const (
	QAInterim QADecisionKind = "interim"
	QAFinal   QADecisionKind = "final"
)

// Label names the kind.
func (k QADecisionKind) Label() string {
	if k == QAFinal {
		return "Assessment complete"
	}
	return "Criterion decision"
}

// QAOutcome is a sampled decision's outcome.
type QAOutcome string

const (
	QAPending QAOutcome = ""
	QAAgree   QAOutcome = "agree"
	QAAction  QAOutcome = "action"
)

// Label names the outcome.
func (o QAOutcome) Label() string {
	switch o {
	case QAAgree:
		return "Agreed"
	case QAAction:
		return "Action required"
	}
	return "Not yet reviewed"
}

// QAOutcomes are the outcomes a reviewer records.
var QAOutcomes = []QAOutcome{QAAgree, QAAction}

// SamplingPlan is how much of a supplier's assessment a quality assurer
// samples, in whole percentages: a share of learners (every decision of a
// sampled learner), a share of each assessor's decisions, and a higher
// share for a new assessor — one with fewer than NewAssessorBelow decisions.
type SamplingPlan struct {
	SupplierOrgID    int64
	Level            QALevel
	LearnerShare     int
	DecisionShare    int
	NewAssessorShare int
	NewAssessorBelow int
}

// DefaultSamplingPlan is a usual starting plan: a tenth of learners, a
// fifth of each assessor's decisions, and half of a new assessor's.
func DefaultSamplingPlan(supplier int64, level QALevel) SamplingPlan {
	return SamplingPlan{SupplierOrgID: supplier, Level: level, LearnerShare: 10, DecisionShare: 20, NewAssessorShare: 50, NewAssessorBelow: 20}
}

// CheckSamplingPlan refuses a plan whose shares are not percentages or where a new
// assessor would be sampled less than the others.
func CheckSamplingPlan(p SamplingPlan) *Refusal {
	for _, s := range []struct {
		field string
		v     int
		what  string
	}{{"learner_share", p.LearnerShare, "share of learners"}, {"decision_share", p.DecisionShare, "share of each assessor's decisions"},
		{"new_assessor_share", p.NewAssessorShare, "share of a new assessor's decisions"}} {
		if s.v < 0 || s.v > 100 {
			return Refuse(s.field, "Enter the %s as a whole percentage from 0 to 100", s.what)
		}
	}
	if p.NewAssessorShare < p.DecisionShare {
		return Refuse("new_assessor_share", "A new assessor's share (%d%%) must be at least the share of other assessors' decisions (%d%%)", p.NewAssessorShare, p.DecisionShare)
	}
	if p.NewAssessorBelow < 0 || p.NewAssessorBelow > 10000 {
		return Refuse("new_assessor_below", "Enter how many decisions make an assessor no longer new, from 0 to 10,000")
	}
	if p.LearnerShare == 0 && p.DecisionShare == 0 {
		return Refuse("learner_share", "A plan that samples no learners and no decisions samples nothing: enter a share")
	}
	return nil
}

// QADecision is one assessor decision a plan can sample.
type QADecision struct {
	Kind          QADecisionKind
	ID            int64 // the criterion decision; 0 for a final decision
	ApplicationID int64
	AssessorID    int64
	Criterion     string // the criterion's reference (interim)
	DecidedOn     Date
}

func (d QADecision) key() [3]int64 {
	k := int64(0)
	if d.Kind == QAFinal {
		k = 1
	}
	return [3]int64{k, d.ApplicationID, d.ID}
}

// Draw is a drawn sample: the decisions chosen and the seed that chose them.
type Draw struct {
	Seed      int64
	Decisions []QADecision
}

// DrawSample draws a plan's sample from the supplier's decisions with the
// seed: the same decisions, plan and seed always give the same sample, so
// a draw can be checked by drawing again. The reviewer's own decisions are
// never sampled. An assessor with fewer decisions than the plan's
// NewAssessorBelow is new, and more of their decisions are sampled.
func DrawSample(p SamplingPlan, all []QADecision, reviewerID, seed int64) Draw {
	pool := make([]QADecision, 0, len(all))
	for _, d := range all {
		if d.AssessorID != reviewerID {
			pool = append(pool, d)
		}
	}
	// Order first, so the draw depends on the decisions and not on the
	// order the database returned them in.
	slices.SortFunc(pool, func(a, b QADecision) int {
		ka, kb := a.key(), b.key()
		return slices.Compare(ka[:], kb[:])
	})
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x5e9c0))
	chosen := map[[3]int64]bool{}

	// Learners: every decision of a share of the learners.
	var learners []int64
	for _, d := range pool {
		learners = append(learners, d.ApplicationID)
	}
	slices.Sort(learners)
	learners = slices.Compact(learners)
	picked := map[int64]bool{}
	for _, i := range rng.Perm(len(learners))[:shareOf(len(learners), p.LearnerShare)] {
		picked[learners[i]] = true
	}
	for _, d := range pool {
		if picked[d.ApplicationID] {
			chosen[d.key()] = true
		}
	}

	// Decisions: a share of each assessor's, more for a new assessor.
	var assessors []int64
	by := map[int64][]QADecision{}
	for _, d := range pool {
		if _, ok := by[d.AssessorID]; !ok {
			assessors = append(assessors, d.AssessorID)
		}
		by[d.AssessorID] = append(by[d.AssessorID], d)
	}
	slices.Sort(assessors)
	for _, a := range assessors {
		ds := by[a]
		share := p.DecisionShare
		if len(ds) < p.NewAssessorBelow {
			share = p.NewAssessorShare
		}
		for _, i := range rng.Perm(len(ds))[:shareOf(len(ds), share)] {
			chosen[ds[i].key()] = true
		}
	}

	out := Draw{Seed: seed}
	for _, d := range pool {
		if chosen[d.key()] {
			out.Decisions = append(out.Decisions, d)
		}
	}
	return out
}

// shareOf is pct percent of n, rounded up so that a share above nothing
// of a few decisions samples at least one.
func shareOf(n, pct int) int {
	if n <= 0 || pct <= 0 {
		return 0
	}
	return min(n, (n*pct+99)/100)
}

// QAItem is one sampled decision and its outcome.
type QAItem struct {
	ID         int64
	SampleID   int64
	Level      QALevel
	Decision   QADecision
	Outcome    QAOutcome
	Action     string // what the assessor must do, when action is required
	ReviewerID int64
	ReviewedOn Date
	// ResolvedOn, ResolvedNote: the assessor's answer to the action.
	ResolvedOn   Date
	ResolvedNote string
	UpdatedAt    time.Time

	// Names for pages.
	LearnerName  string
	AssessorName string
	SupplierName string
}

// Open reports whether the item's action is still to be resolved.
func (i QAItem) Open() bool { return i.Outcome == QAAction && i.ResolvedOn.IsZero() }

// RecordOutcome records a reviewer's outcome of a sampled decision on a
// day not in the future. An outcome is recorded once: a second look is a
// new sample.
func RecordOutcome(i QAItem, reviewerID int64, outcome QAOutcome, action string, on, today Date) (QAItem, error) {
	action = strings.TrimSpace(action)
	if i.Outcome != QAPending {
		return i, Refuse("outcome", "This decision's outcome was recorded on %s", i.ReviewedOn.Long())
	}
	if reviewerID == i.Decision.AssessorID {
		return i, Refuse("outcome", "You made this decision: a quality assurer never reviews their own decisions")
	}
	if today.Before(on) {
		return i, Refuse("outcome", "The date of the outcome must be today or in the past")
	}
	switch outcome {
	case QAAgree:
		action = ""
	case QAAction:
		if action == "" {
			return i, Refuse("action", "Say what the assessor must do")
		}
		if msg := TooLong("What the assessor must do", action, MaxNoteLength); msg != "" {
			return i, Refuse("action", "%s", msg)
		}
	default:
		return i, Refuse("outcome", "Choose agree or action required")
	}
	i.Outcome, i.Action, i.ReviewerID, i.ReviewedOn = outcome, action, reviewerID, on
	return i, nil
}

// ResolveAction records the assessor's answer to an action on their
// decision.
func ResolveAction(i QAItem, assessorID int64, note string, on, today Date) (QAItem, error) {
	note = strings.TrimSpace(note)
	if !i.Open() {
		return i, Refuse("note", "There is no open action on this decision")
	}
	if assessorID != i.Decision.AssessorID {
		return i, Refuse("note", "Only the assessor who made the decision resolves its action")
	}
	if today.Before(on) {
		return i, Refuse("note", "The date must be today or in the past")
	}
	if note == "" {
		return i, Refuse("note", "Say what you did to resolve the action")
	}
	i.ResolvedOn, i.ResolvedNote = on, note
	return i, nil
}

// OverturnedDecisions are the criterion decisions a quality-assurance
// outcome overturned: those with an action required, resolved or not (the
// assessor resolves it with a new decision, which stands on its own). The
// portfolio's criterion-met rule takes this set.
func OverturnedDecisions(items []QAItem) Overturned {
	out := Overturned{}
	for _, i := range items {
		if i.Outcome == QAAction && i.Decision.Kind == QAInterim && i.Decision.ID != 0 {
			out[i.Decision.ID] = true
		}
	}
	return out
}

// OpenActions counts the items whose actions are not yet resolved.
func OpenQAActions(items []QAItem) int {
	n := 0
	for _, i := range items {
		if i.Open() {
			n++
		}
	}
	return n
}

// QAAssessorReport is one assessor's line of a quality-assurance report.
type QAAssessorReport struct {
	AssessorID   int64
	AssessorName string
	Decisions    int
	Sampled      int
	Agreed       int
	Actions      int
	OpenActions  int
}

// QAReportByAssessor counts each assessor's decisions, the sampled ones and
// their outcomes, in order of name.
func QAReportByAssessor(decisions []QADecision, items []QAItem, names map[int64]string) []QAAssessorReport {
	rows := map[int64]*QAAssessorReport{}
	row := func(id int64) *QAAssessorReport {
		if r, ok := rows[id]; ok {
			return r
		}
		r := &QAAssessorReport{AssessorID: id, AssessorName: names[id]}
		rows[id] = r
		return r
	}
	for _, d := range decisions {
		row(d.AssessorID).Decisions++
	}
	for _, i := range items {
		r := row(i.Decision.AssessorID)
		r.Sampled++
		switch i.Outcome {
		case QAAgree:
			r.Agreed++
		case QAAction:
			r.Actions++
			if i.Open() {
				r.OpenActions++
			}
		}
	}
	out := make([]QAAssessorReport, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b QAAssessorReport) int {
		if c := strings.Compare(a.AssessorName, b.AssessorName); c != 0 {
			return c
		}
		return int(a.AssessorID - b.AssessorID)
	})
	return out
}

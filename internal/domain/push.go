package domain

import (
	"errors"
	"slices"
	"strings"
)

// Records pushed by a supplier's own e-portfolio through the API: evidence
// metadata, an assessor's decision on a criterion, an internal quality
// assurer's outcome on a sampled decision. Each carries the supplier's own
// id for it (its external id), so a push repeated after a lost answer
// finds the record it made: the same record again is the one already
// there; a different one under the same id is a conflict, never a second
// record nor a silent change.

// MaxExternalIDLength bounds a supplier's id for a record it pushes (the
// columns' check).
const MaxExternalIDLength = 100

// ErrPushedOtherwise is the conflict of a push whose external id names a
// record already pushed with other content.
var ErrPushedOtherwise = errors.New("a record with this external_id was already pushed with other content; records pushed are not changed: send a new external_id for a new record")

// ErrOutcomeRecorded is the conflict of an outcome pushed on a sampled
// decision that already has another.
var ErrOutcomeRecorded = errors.New("this sampled decision already has another outcome; an outcome is recorded once, and a second look is a new sample")

// CheckExternalID refuses a missing or over-long external id.
func CheckExternalID(id string) error {
	id = strings.TrimSpace(id)
	switch {
	case id == "":
		return Refuse("external_id", "Give your own id for the record, so that a retried push finds it")
	case len(id) > MaxExternalIDLength:
		return Refuse("external_id", "The external_id must be at most %d characters", MaxExternalIDLength)
	}
	return nil
}

// SamePushedEvidence reports whether a push describes the evidence already
// pushed under its external id: same kind, title, text, file metadata,
// date and criteria (in any order, each once).
func SamePushedEvidence(had, push Evidence) bool {
	return had.Kind == push.Kind && had.Title == strings.TrimSpace(push.Title) && had.Text == strings.TrimSpace(push.Text) &&
		had.File.Name == push.File.Name && had.File.Type == push.File.Type && had.File.Size == push.File.Size &&
		had.AddedOn.Compare(push.AddedOn) == 0 && slices.Equal(criteriaSet(had.Criteria), criteriaSet(push.Criteria))
}

func criteriaSet(cs []CriterionRef) []CriterionRef {
	out := slices.Clone(cs)
	slices.Sort(out)
	return slices.Compact(out)
}

// SamePushedDecision reports whether a push describes the decision already
// pushed under its external id.
func SamePushedDecision(had, push CriterionDecision) bool {
	return had.Criterion == push.Criterion && had.Outcome == push.Outcome && had.Feedback == strings.TrimSpace(push.Feedback) &&
		had.DecidedOn.Compare(push.DecidedOn) == 0 && had.EvidenceID == push.EvidenceID && had.AssessorID == push.AssessorID
}

// CheckPushedDecision checks a decision pushed on its own (CheckDecision)
// against the learner's portfolio: the evidence it judged, if named, is
// theirs, and its assessor, if named, assesses their cohort (assessors).
func CheckPushedDecision(d CriterionDecision, q Qualification, evidence []Evidence, assessors []int64, today Date) error {
	if err := CheckDecision(d, q, today); err != nil {
		return err
	}
	if d.EvidenceID != 0 && !slices.ContainsFunc(evidence, func(e Evidence) bool { return e.ID == d.EvidenceID }) {
		return Refuse("evidence_id", "Evidence %d is not evidence of this learner", d.EvidenceID)
	}
	if d.AssessorID != 0 && !slices.Contains(assessors, d.AssessorID) {
		return Refuse("assessor_id", "User %d is not an assessor of this learner's cohort", d.AssessorID)
	}
	return nil
}

// RecordPushedOutcome records an outcome a supplier's own internal
// quality assurance pushed (RecordOutcome): only on a decision its internal
// sample holds, never on the awarding organisation's external sample.
func RecordPushedOutcome(i QAItem, reviewerID int64, outcome QAOutcome, action string, on, today Date) (QAItem, error) {
	if i.Level != QAInternal {
		return i, Refuse("outcome", "This decision is in the awarding organisation's external sample: only its officer records the outcome")
	}
	return RecordOutcome(i, reviewerID, outcome, action, on, today)
}

// SamePushedOutcome reports whether an outcome pushed again is the one the
// sampled decision already has.
func SamePushedOutcome(had QAItem, outcome QAOutcome, action string) bool {
	if outcome == QAAgree {
		action = ""
	}
	return had.Outcome == outcome && had.Action == strings.TrimSpace(action)
}

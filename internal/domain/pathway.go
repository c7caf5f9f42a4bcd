package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Where a practitioner stands on the SENCO qualifications pathway, from
// the Level 2 SEND specification beneath it to Level 7, and what is open
// to them next; and recognised prior learning (RPL): earlier learning the
// practitioner claims against specific assessment criteria, which an
// assessor approves or refuses criterion by criterion.

// LevelTwo is the step beneath the pathway: SEND awareness for early years
// assistants, built on the Early Years Assistant criteria.
var LevelTwo = PathwayLevel{Level: 2, Tier: "beneath the pathway", Title: "Level 2 SEND awareness for early years assistants",
	Entry: "None: for anyone working in an early years setting", Duration: "About 3 months, part time",
	EntersHere: "Early years assistants and new staff"}

// LevelMonths are the typical part-time durations of each level, in months
// (shortest, longest), as the pathway's research set them.
var LevelMonths = map[int][2]int{2: {3, 3}, 3: {6, 12}, 4: {6, 12}, 5: {18, 18}, 6: {24, 24}, 7: {24, 24}}

// PathwayRecord is what the pathway is checked against: the practitioner's
// record and the SENCO qualifications they hold or are training for.
type PathwayRecord struct {
	Practitioner Practitioner
	// Certified levels of SENCO qualifications the practitioner holds.
	Certified []int
	// Training is the level they are training for now, 0 for none.
	Training int
	// Prior is earlier learning that could count: LA courses attended and
	// the prior SEN training on their record.
	Prior []string
}

// StepState is where a practitioner stands on one level.
type StepState string

const (
	StepHeld       StepState = "held"
	StepInTraining StepState = "in_training"
	StepOpen       StepState = "open"
	StepNotYet     StepState = "not_yet_open"
)

func (s StepState) Label() string {
	switch s {
	case StepHeld:
		return "Held"
	case StepInTraining:
		return "In training"
	case StepOpen:
		return "Open to you"
	}
	return "Not yet open"
}

// PathwayStep is one level as it stands for the practitioner.
type PathwayStep struct {
	Level  PathwayLevel
	State  StepState
	Months [2]int
	// Why says which entry requirement is met or missing.
	Why string
}

// Pathway checks each level's entry requirements against the record:
// Level 2 is open to all; Level 3 needs a Level 3 early years
// qualification; Level 4 the Level 3 SENCO award; Level 5 Level 4 on the
// pathway or a Level 5 qualification, which is how further education staff
// enter; Level 6 Level 5 on the pathway or a Level 6 qualification (a
// degree); Level 7 QTS, QTLS or EYTS.
func Pathway(levels []PathwayLevel, rec PathwayRecord) []PathwayStep {
	all := append([]PathwayLevel{LevelTwo}, levels...)
	p := rec.Practitioner
	held := func(l int) bool { return slices.Contains(rec.Certified, l) }
	var out []PathwayStep
	for _, l := range all {
		st := PathwayStep{Level: l, Months: LevelMonths[l.Level], State: StepNotYet}
		open, why := false, ""
		switch l.Level {
		case 2:
			open, why = true, "Open to everyone working in early years"
		case 3:
			open = p.QualificationLevel >= 3 || held(2)
			why = "Needs a full and relevant Level 3 early years qualification"
			if open {
				why = fmt.Sprintf("Your record shows a Level %d qualification", max(p.QualificationLevel, 3))
			}
		case 4:
			open = held(3)
			why = "Needs the Level 3 Early Years SENCO award, or equivalent training recognised as prior learning"
			if open {
				why = "You hold the Level 3 Early Years SENCO award"
			}
		case 5:
			switch {
			case held(4):
				open, why = true, "You hold Level 4 on this pathway"
			case p.QualificationLevel >= 5:
				open, why = true, fmt.Sprintf("Your Level %d qualification is the entry for further education staff", p.QualificationLevel)
			default:
				why = "Needs Level 4 on this pathway, or a Level 5 qualification (the entry for further education staff)"
			}
		case 6:
			switch {
			case held(5):
				open, why = true, "You hold Level 5 on this pathway"
			case p.QualificationLevel >= 6:
				open, why = true, fmt.Sprintf("Your record shows a Level %d qualification", p.QualificationLevel)
			default:
				why = "Needs Level 5 on this pathway, or a degree in early childhood studies or education"
			}
		case 7:
			var status []string
			if p.QTS {
				status = append(status, "QTS")
			}
			if p.QTLS {
				status = append(status, "QTLS")
			}
			if p.EYTS {
				status = append(status, "EYTS")
			}
			open = len(status) > 0
			why = "Needs qualified teacher status (QTS), QTLS or early years teacher status (EYTS); your record shows none"
			if open {
				why = "Your record shows " + strings.Join(status, " and ")
			}
		}
		switch {
		case held(l.Level):
			st.State, why = StepHeld, "Certified"
		case rec.Training == l.Level:
			st.State = StepInTraining
		case open:
			st.State = StepOpen
		}
		st.Why = why
		out = append(out, st)
	}
	return out
}

// RPLState is where a claim of prior learning stands.
type RPLState string

const (
	RPLClaimed  RPLState = "claimed"
	RPLApproved RPLState = "approved"
	RPLRefused  RPLState = "refused"
)

// LiveRPL are the claims that hold their criterion: one at a time.
var LiveRPL = []RPLState{RPLClaimed, RPLApproved}

func (s RPLState) Label() string {
	if s == RPLClaimed {
		return "Awaiting an assessor"
	}
	return title(s)
}

// RPLClaim is a claim that earlier learning meets one criterion of a
// qualification, with where it came from and the evidence.
type RPLClaim struct {
	ID               int64
	PractitionerID   int64
	PractitionerName string
	QualificationID  int64
	CriterionRef     string // unit/outcome/criterion, e.g. "1/1.1/1.1.1"
	Source           string // where the learning came from: a course, a qualification, a year
	Evidence         string
	State            RPLState
	ClaimedOn        Date
	DecidedOn        Date
	DecidedBy        string
	Reason           string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// CriterionRefs are a qualification's criteria as "unit/outcome/criterion".
func CriterionRefs(q Qualification) map[string]string {
	out := map[string]string{}
	for _, u := range q.Units {
		for _, o := range u.Outcomes {
			for _, c := range o.Criteria {
				out[u.Ref+"/"+o.Ref+"/"+c.Ref] = c.Text
			}
		}
	}
	return out
}

// ClaimRPL decides a practitioner's claim against one criterion of q: the
// criterion exists, it is not already claimed or approved, and the source
// and evidence are given.
func ClaimRPL(q Qualification, existing []RPLClaim, criterion, source, evidence string, today Date) (RPLClaim, *Refusal) {
	c := RPLClaim{QualificationID: q.ID, CriterionRef: criterion, Source: strings.TrimSpace(source), Evidence: strings.TrimSpace(evidence),
		State: RPLClaimed, ClaimedOn: today}
	if _, ok := CriterionRefs(q)[criterion]; !ok {
		return c, Refuse("criterion", "Choose a criterion of %s", q.Title)
	}
	for _, e := range existing {
		if e.QualificationID == q.ID && e.CriterionRef == criterion && slices.Contains(LiveRPL, e.State) {
			return c, Refuse("criterion", "Criterion %s is already %s", criterion, strings.ToLower(e.State.Label()))
		}
	}
	switch {
	case c.Source == "":
		return c, Refuse("source", "Enter where the learning came from: the course or qualification and when")
	case TooLong("Where it came from", c.Source, MaxTitleLength) != "":
		return c, Refuse("source", "%s", TooLong("Where it came from", c.Source, MaxTitleLength))
	case c.Evidence == "":
		return c, Refuse("evidence", "Enter the evidence that the criterion is met")
	case TooLong("Evidence", c.Evidence, MaxNoteLength) != "":
		return c, Refuse("evidence", "%s", TooLong("Evidence", c.Evidence, MaxNoteLength))
	}
	return c, nil
}

// DecideRPL is an assessor's decision on a claim awaiting one; a refusal
// gives its reason.
func DecideRPL(c RPLClaim, approve bool, reason, by string, today Date) (RPLClaim, *Refusal) {
	if c.State != RPLClaimed {
		return c, Refuse("decision", "This claim was already %s on %s", strings.ToLower(c.State.Label()), c.DecidedOn.Long())
	}
	reason = strings.TrimSpace(reason)
	if !approve && reason == "" {
		return c, Refuse("reason", "Enter why the evidence does not meet the criterion")
	}
	if msg := TooLong("Reason", reason, MaxNoteLength); msg != "" {
		return c, Refuse("reason", "%s", msg)
	}
	c.State, c.Reason, c.DecidedBy, c.DecidedOn = RPLRefused, reason, by, today
	if approve {
		c.State = RPLApproved
	}
	return c, nil
}

// ApprovedCriteria are the criteria of qualification q that recognised
// prior learning meets, each with the claim it came from: what the
// portfolio counts as met without new evidence.
func ApprovedCriteria(claims []RPLClaim, qualificationID int64) map[string]RPLClaim {
	out := map[string]RPLClaim{}
	for _, c := range claims {
		if c.QualificationID == qualificationID && c.State == RPLApproved {
			out[c.CriterionRef] = c
		}
	}
	return out
}

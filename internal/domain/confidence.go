package domain

import (
	"strings"
	"time"
)

// A practitioner's confidence against the Early Years SENCO job role's five
// areas, rated at enrolment, at the end of training and six months later;
// the gaps it shows become a development plan, and CPD is logged against
// it. The ratings are the practitioner's own: they see them, and by their
// choice their local authority does; the programme team sees aggregates.

// JobRoleArea is one of the job role's areas.
type JobRoleArea struct {
	Code, Title string
}

// JobRoleAreas are the five areas of the Early Years SENCO job role.
var JobRoleAreas = []JobRoleArea{
	{"responsibilities", "Making sure all practitioners understand their responsibilities and the setting's approach to SEN"},
	{"advising", "Advising and supporting colleagues"},
	{"parents", "Involving parents closely so that their insights inform action"},
	{"agencies", "Liaising with professionals and agencies beyond the setting"},
	{"own_practice", "Developing own practice: assessing own skills, finding gaps and planning development"},
}

// JobRoleAreaOf finds an area by code.
func JobRoleAreaOf(code string) (JobRoleArea, bool) {
	for _, a := range JobRoleAreas {
		if a.Code == code {
			return a, true
		}
	}
	return JobRoleArea{}, false
}

// Confidence scores run from 1 (not yet confident) to 5 (very confident).
const (
	ConfidenceMin = 1
	ConfidenceMax = 5
	// GapScore and below is a gap the development plan should answer.
	GapScore = 2
)

// ConfidenceLabel is a score in words.
func ConfidenceLabel(score int) string {
	switch score {
	case 1:
		return "Not yet confident"
	case 2:
		return "A little confident"
	case 3:
		return "Fairly confident"
	case 4:
		return "Confident"
	case 5:
		return "Very confident"
	}
	return "Not rated"
}

// RatingPoint is when in the practitioner's training a rating was made.
type RatingPoint string

const (
	PointEnrolment RatingPoint = "enrolment"
	PointEnd       RatingPoint = "end"
	PointFollowUp  RatingPoint = "six_months"
)

// RatingPoints in order.
var RatingPoints = []RatingPoint{PointEnrolment, PointEnd, PointFollowUp}

func (p RatingPoint) Label() string {
	switch p {
	case PointEnrolment:
		return "At enrolment"
	case PointEnd:
		return "At the end of training"
	case PointFollowUp:
		return "Six months later"
	}
	return string(p)
}

// ConfidenceRating is one rating of all five areas.
type ConfidenceRating struct {
	ID             int64
	PractitionerID int64
	LACode         string // the authority of the setting they worked at when rating
	Point          RatingPoint
	RatedOn        Date
	Scores         map[string]int // by JobRoleArea code
	SharedWithLA   bool
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// RateConfidence decides a practitioner's rating at a point: every area
// scored 1–5, dated today or earlier, each point once, in order (the end
// after enrolment, six months after the end rating).
func RateConfidence(existing []ConfidenceRating, point RatingPoint, ratedOn Date, scores map[string]int, share bool, today Date) (ConfidenceRating, *Refusal) {
	r := ConfidenceRating{Point: point, RatedOn: ratedOn, Scores: map[string]int{}, SharedWithLA: share}
	byPoint := map[RatingPoint]ConfidenceRating{}
	for _, e := range existing {
		byPoint[e.Point] = e
	}
	switch {
	case point != PointEnrolment && point != PointEnd && point != PointFollowUp:
		return r, Refuse("point", "Choose when you are rating your confidence")
	case ratedOn.IsZero() || ratedOn.After(today):
		return r, Refuse("rated_on", "The date must be today or in the past")
	}
	if e, ok := byPoint[point]; ok {
		return r, Refuse("point", "You rated your confidence %s on %s", strings.ToLower(point.Label()), e.RatedOn.Long())
	}
	switch point {
	case PointEnd:
		e, ok := byPoint[PointEnrolment]
		if !ok {
			return r, Refuse("point", "Rate your confidence at enrolment before the end of training")
		}
		if ratedOn.Before(e.RatedOn) {
			return r, Refuse("rated_on", "The date must be on or after your rating at enrolment, %s", e.RatedOn.Long())
		}
	case PointFollowUp:
		e, ok := byPoint[PointEnd]
		if !ok {
			return r, Refuse("point", "Rate your confidence at the end of training before six months later")
		}
		if from := e.RatedOn.AddMonths(6); ratedOn.Before(from) {
			return r, Refuse("rated_on", "The six-month rating is open from %s", from.Long())
		}
	}
	for _, a := range JobRoleAreas {
		s, ok := scores[a.Code]
		if !ok || s < ConfidenceMin || s > ConfidenceMax {
			return r, Refuse("score-"+a.Code, "Choose how confident you are in %q", a.Title)
		}
		r.Scores[a.Code] = s
	}
	return r, nil
}

// AreaChange is one area's scores at each point.
type AreaChange struct {
	Area                     JobRoleArea
	Enrolment, End, FollowUp int // 0: not rated
	// Change is the latest score less the score at enrolment (0 without both).
	Change int
	Gap    bool // the latest score is GapScore or below
}

// ConfidenceChange sets a practitioner's ratings side by side, area by area.
func ConfidenceChange(ratings []ConfidenceRating) []AreaChange {
	by := map[RatingPoint]map[string]int{}
	for _, r := range ratings {
		by[r.Point] = r.Scores
	}
	var out []AreaChange
	for _, a := range JobRoleAreas {
		c := AreaChange{Area: a, Enrolment: by[PointEnrolment][a.Code], End: by[PointEnd][a.Code], FollowUp: by[PointFollowUp][a.Code]}
		latest := c.Enrolment
		for _, s := range []int{c.End, c.FollowUp} {
			if s != 0 {
				latest = s
			}
		}
		if c.Enrolment != 0 && latest != 0 {
			c.Change = latest - c.Enrolment
		}
		c.Gap = latest != 0 && latest <= GapScore
		out = append(out, c)
	}
	return out
}

// DevGoal is a step of a practitioner's development plan.
type DevGoal struct {
	ID             int64
	PractitionerID int64
	AreaCode       string
	Goal           string
	ByOn           Date
	DoneOn         Date
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// PlanGoal decides a development goal in one of the job role's areas.
func PlanGoal(area, goal string, by, today Date) (DevGoal, *Refusal) {
	g := DevGoal{AreaCode: area, Goal: strings.TrimSpace(goal), ByOn: by}
	if _, ok := JobRoleAreaOf(area); !ok {
		return g, Refuse("area", "Choose the area of the job role this goal develops")
	}
	switch {
	case g.Goal == "":
		return g, Refuse("goal", "Enter what you will develop")
	case TooLong("Goal", g.Goal, MaxNoteLength) != "":
		return g, Refuse("goal", "%s", TooLong("Goal", g.Goal, MaxNoteLength))
	case by.IsZero():
		return g, Refuse("by_on", "Enter the date you aim to reach it by")
	case by.Before(today):
		return g, Refuse("by_on", "The date must be today or later")
	case by.After(today.AddMonths(36)):
		return g, Refuse("by_on", "The date must be within three years")
	}
	return g, nil
}

// CPDEntry is continuing professional development a practitioner logged.
type CPDEntry struct {
	ID             int64
	PractitionerID int64
	DoneOn         Date
	Title          string
	Minutes        int
	AreaCode       string // the job role area it developed, "" for none
	Evidence       string // what was learnt and how it changed practice
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// LogCPD decides a CPD entry: dated, titled, with its time and what it
// showed.
func LogCPD(e CPDEntry, today Date) (CPDEntry, *Refusal) {
	e.Title, e.Evidence = strings.TrimSpace(e.Title), strings.TrimSpace(e.Evidence)
	switch {
	case e.DoneOn.IsZero() || e.DoneOn.After(today):
		return e, Refuse("done_on", "The date must be today or in the past")
	case e.Title == "":
		return e, Refuse("title", "Enter what the CPD was")
	case TooLong("Title", e.Title, MaxTitleLength) != "":
		return e, Refuse("title", "%s", TooLong("Title", e.Title, MaxTitleLength))
	case e.Minutes <= 0 || e.Minutes > 60*200:
		return e, Refuse("hours", "Enter the hours spent, between a quarter of an hour and 200 hours")
	case e.Evidence == "":
		return e, Refuse("evidence", "Enter what you learnt and how it changed your practice")
	case TooLong("Evidence", e.Evidence, MaxNoteLength) != "":
		return e, Refuse("evidence", "%s", TooLong("Evidence", e.Evidence, MaxNoteLength))
	}
	if e.AreaCode != "" {
		if _, ok := JobRoleAreaOf(e.AreaCode); !ok {
			return e, Refuse("area", "Choose an area of the job role, or none")
		}
	}
	return e, nil
}

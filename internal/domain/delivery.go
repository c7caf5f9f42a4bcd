package domain

import (
	"fmt"
	"slices"
	"strings"
)

// Rules of running a cohort: its contract, its staff, its sessions and
// their registers. The store loads the facts and calls these before it
// writes; each refusal names the field it concerns.

// CheckCohortContract checks a new cohort against its contract: the
// contract must be the version in force and serve every authority the
// cohort would serve. served is the contract's authorities.
func CheckCohortContract(c Cohort, superseded bool, served []string) error {
	if superseded {
		return Refuse("contract", "That contract has been replaced by a newer version; choose the contract in force")
	}
	var outside []string
	for _, code := range c.LACodes {
		if !slices.Contains(served, code) {
			outside = append(outside, code)
		}
	}
	if len(outside) > 0 {
		return Refuse("las", "The contract does not cover %s: a cohort can only serve the local authorities of its contract", strings.Join(outside, ", "))
	}
	return nil
}

// CheckCohortStaff checks one of a cohort's trainers or assessors: a user
// of the cohort's own supplier with that role (or its administrator).
// role is "trainer" or "assessor"; ofSupplier whether the user belongs to
// the cohort's supplier.
func CheckCohortStaff(role string, ofSupplier bool, userRole Role) error {
	if !ofSupplier {
		return Refuse(role+"s", "A %s must be a user of the cohort's supplier", role)
	}
	if string(userRole) != role && userRole != RoleSupplierAdmin {
		return Refuse(role+"s", "Only a user with the %s role can be a cohort's %s", role, role)
	}
	return nil
}

// sessionFields is the order a session's form shows its fields, so the
// first refusal is the first field in error.
var sessionFields = []string{"date-day", "hours", "mode", "topic", "starts", "ends"}

// CheckSession is Validate's first error in the form's order, as a
// refusal, for writers that report one reason (the store, the API).
func (s Session) CheckSession(c Cohort) error {
	errs := s.Validate(c)
	for _, field := range sessionFields {
		if msg, ok := errs[field]; ok {
			return Refuse(field, "%s", msg)
		}
	}
	return nil
}

// CheckRegister checks a session's marks before any is saved: every mark
// is one of the four, and for a learner on the register (onRegister, by
// application id). One mark wrong refuses the whole save.
func CheckRegister(marks map[int64]Mark, onRegister map[int64]Status) error {
	var unknown []int64
	for id, m := range marks {
		if !m.Valid() {
			return Refuse("marks", "%q is not a mark: use present, half, absent or excused", m)
		}
		if _, ok := onRegister[id]; !ok {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		ids := make([]string, len(unknown))
		for i, id := range unknown {
			ids[i] = fmt.Sprint(id)
		}
		return Refuse("marks", "Not learners of this cohort: %s; nothing was saved", strings.Join(ids, ", "))
	}
	return nil
}

// OnRegister is who is on a session's register, of the learners whose
// application is on the session's cohort: those holding a place, those who
// withdrew after the session (they were there to be marked), and anyone
// already marked for it. A learner who moved to another cohort or deferred
// is on their new cohort's registers, not this one's, and so are their
// marks. Every count of a register (its learners, how many are marked)
// counts these learners and no others, so "marked" never exceeds them.
func OnRegister(s Status, withdrawnOn, session Date, marked bool) bool {
	return s.HoldsPlace() || s == StatusWithdrawn && withdrawnOn.After(session) || marked
}

// MarkEveryone is the register a trainer starts from when most learners
// attended: every learner on it (learners, by application id) not yet
// marked is shown present, and the marks already saved are kept, so only
// the exceptions are left to change before saving. Nothing is saved by it.
func MarkEveryone(saved map[int64]Mark, learners []int64) map[int64]Mark {
	out := make(map[int64]Mark, len(learners))
	for _, id := range learners {
		if m, ok := saved[id]; ok && m != "" {
			out[id] = m
			continue
		}
		out[id] = Present
	}
	return out
}

// StartsTraining reports whether a mark makes an enrolled learner's
// training start: any mark but excused is their first session.
func StartsTraining(s Status, m Mark) bool { return s == StatusEnrolled && m != Excused }

// CheckCatchUp checks a catch-up for a session: the learner must have
// been marked absent or half (mark, "" when not marked), and the catch-up
// must be on or after the session.
func CheckCatchUp(mark Mark, session, on Date) error {
	switch mark {
	case "":
		return Refuse("catch_up", "Mark the learner absent or half for this session before recording a catch-up")
	case Present, Excused:
		return Refuse("catch_up", "The learner did not miss this session (marked %s)", mark)
	}
	if on.Before(session) {
		return Refuse("catch_up", "A catch-up must be on or after the session, %s", session.Long())
	}
	return nil
}

// CheckRecognisedQualification checks an equivalent SENCO qualification a
// practitioner already holds before it counts like a certificate.
func CheckRecognisedQualification(title string, level int) error {
	if strings.TrimSpace(title) == "" {
		return Refuse("title", "Enter the qualification's title")
	}
	if level < 3 || level > 8 {
		return Refuse("level", "A recognised SENCO qualification must be level 3 to 8")
	}
	return nil
}

// CheckQualificationLevel checks a practitioner's highest full and
// relevant early years qualification: 0 for none recorded, else 2 to 7.
func CheckQualificationLevel(level int) error {
	if level != 0 && (level < 2 || level > 7) {
		return Refuse("qualification", "Qualification level must be between 2 and 7, or none")
	}
	return nil
}

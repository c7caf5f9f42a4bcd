package domain

import (
	"strings"
	"testing"
)

func TestDeliveryRules(t *testing.T) {
	c := Cohort{LACodes: []string{"E08000035", "E08000036"}, StartsOn: NewDate(2026, 3, 1), EndsOn: NewDate(2026, 7, 31)}
	session := NewDate(2026, 4, 1)
	tests := []struct {
		name  string
		err   error
		field string // "" when allowed
		msg   string
	}{
		{"contract in force", CheckCohortContract(c, false, []string{"E08000035", "E08000036", "E08000037"}), "", ""},
		{"contract replaced", CheckCohortContract(c, true, c.LACodes), "contract", "replaced by a newer version"},
		{"authority outside the contract", CheckCohortContract(c, false, []string{"E08000035"}), "las", "does not cover E08000036"},
		{"trainer of the supplier", CheckCohortStaff("trainer", true, RoleTrainer), "", ""},
		{"supplier admin as assessor", CheckCohortStaff("assessor", true, RoleSupplierAdmin), "", ""},
		{"trainer of another supplier", CheckCohortStaff("trainer", false, RoleTrainer), "trainers", "user of the cohort's supplier"},
		{"assessor without the role", CheckCohortStaff("assessor", true, RoleTrainer), "assessors", "Only a user with the assessor role"},
		{"session in the cohort's dates", Session{Date: session, Minutes: 360, Mode: Online, Topic: "Unit 1"}.CheckSession(c), "", ""},
		{"session without a date", Session{Minutes: 0, Topic: ""}.CheckSession(c), "date-day", "Enter the date"},
		{"session after the cohort", Session{Date: NewDate(2026, 8, 1), Minutes: 60, Mode: Online, Topic: "x"}.CheckSession(c), "date-day", "within the cohort's dates"},
		{"session too long", Session{Date: session, Minutes: 13 * 60, Mode: Online, Topic: "x"}.CheckSession(c), "hours", "at most 12"},
		{"register", CheckRegister(map[int64]Mark{1: Present, 2: Half}, map[int64]Status{1: StatusEnrolled, 2: StatusInTraining}), "", ""},
		{"not a mark", CheckRegister(map[int64]Mark{1: "late"}, map[int64]Status{1: StatusEnrolled}), "marks", `"late" is not a mark`},
		{"not on the register", CheckRegister(map[int64]Mark{9: Present, 3: Absent}, map[int64]Status{1: StatusEnrolled}), "marks", "Not learners of this cohort: 3, 9"},
		{"catch-up of an absence", CheckCatchUp(Absent, session, session.AddDays(7)), "", ""},
		{"catch-up of a half day, same day", CheckCatchUp(Half, session, session), "", ""},
		{"catch-up unmarked", CheckCatchUp("", session, session), "catch_up", "Mark the learner absent or half"},
		{"catch-up of a present", CheckCatchUp(Present, session, session), "catch_up", "did not miss this session (marked present)"},
		{"catch-up before the session", CheckCatchUp(Absent, session, session.AddDays(-1)), "catch_up", "on or after the session"},
		{"recognised qualification", CheckRecognisedQualification("NASENCO", 7), "", ""},
		{"recognised without a title", CheckRecognisedQualification("  ", 7), "title", "Enter the qualification's title"},
		{"recognised level 2", CheckRecognisedQualification("L2 SEND", 2), "level", "level 3 to 8"},
		{"no level recorded", CheckQualificationLevel(0), "", ""},
		{"level 7", CheckQualificationLevel(7), "", ""},
		{"level 1", CheckQualificationLevel(1), "qualification", "between 2 and 7"},
		{"level 8", CheckQualificationLevel(8), "qualification", "between 2 and 7"},
	}
	for _, tt := range tests {
		if tt.field == "" {
			if tt.err != nil {
				t.Errorf("%s: refused: %v", tt.name, tt.err)
			}
			continue
		}
		r, ok := IsRefusal(tt.err)
		if !ok || r.Field != tt.field || !strings.Contains(r.Msg, tt.msg) {
			t.Errorf("%s: got %v (%+v), want %s: …%s…", tt.name, tt.err, r, tt.field, tt.msg)
		}
	}
	for _, tt := range []struct {
		s    Status
		m    Mark
		want bool
	}{{StatusEnrolled, Present, true}, {StatusEnrolled, Half, true}, {StatusEnrolled, Absent, true}, {StatusEnrolled, Excused, false}, {StatusInTraining, Present, false}} {
		if got := StartsTraining(tt.s, tt.m); got != tt.want {
			t.Errorf("StartsTraining(%s, %s) = %v", tt.s, tt.m, got)
		}
	}
}

func TestMarkEveryone(t *testing.T) {
	tests := []struct {
		name     string
		saved    map[int64]Mark
		learners []int64
		want     map[int64]Mark
	}{
		{"a register not yet taken", nil, []int64{1, 2, 3}, map[int64]Mark{1: Present, 2: Present, 3: Present}},
		{"saved marks are kept", map[int64]Mark{1: Absent, 2: Excused}, []int64{1, 2, 3}, map[int64]Mark{1: Absent, 2: Excused, 3: Present}},
		{"a blank mark is not a mark", map[int64]Mark{1: ""}, []int64{1}, map[int64]Mark{1: Present}},
		{"a mark for someone not on the register is left off", map[int64]Mark{9: Half}, []int64{1}, map[int64]Mark{1: Present}},
		{"no learners", map[int64]Mark{1: Absent}, nil, map[int64]Mark{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MarkEveryone(tt.saved, tt.learners)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for id, m := range tt.want {
				if got[id] != m {
					t.Errorf("learner %d: got %q, want %q", id, got[id], m)
				}
			}
		})
	}
}

func TestOnRegister(t *testing.T) {
	session := NewDate(2026, 4, 1)
	tests := []struct {
		name      string
		status    Status
		withdrawn Date
		marked    bool
		want      bool
	}{
		{"enrolled", StatusEnrolled, Date{}, false, true},
		{"in training", StatusInTraining, Date{}, false, true},
		{"completed", StatusCompleted, Date{}, true, true},
		{"withdrawn after the session", StatusWithdrawn, session.AddDays(1), false, true},
		{"withdrawn on the day of the session", StatusWithdrawn, session, false, false},
		{"withdrawn before, but marked", StatusWithdrawn, session.AddDays(-3), true, true},
		{"withdrawn before", StatusWithdrawn, session.AddDays(-3), false, false},
		{"eligible, on the waiting list", StatusEligible, Date{}, false, false},
	}
	for _, tt := range tests {
		if got := OnRegister(tt.status, tt.withdrawn, session, tt.marked); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSessionTimes(t *testing.T) {
	c := Cohort{StartsOn: NewDate(2026, 3, 1), EndsOn: NewDate(2026, 7, 31)}
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{{"9:30", "09:30", true}, {"09.30", "09:30", true}, {" 14:00 ", "14:00", true}, {"23:59", "23:59", true},
		{"24:00", "", false}, {"9", "", false}, {"9:5", "", false}, {"-1:30", "", false}, {"nine", "", false}, {"", "", false}} {
		if got, ok := ParseClock(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseClock(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	tests := []struct {
		name, starts, ends string
		field, msg         string // "" when allowed
	}{
		{"no times", "", "", "", ""},
		{"both times", "9:30", "15:30", "", ""},
		{"start only", "9:30", "", "ends", "Enter the end time as well"},
		{"end only", "", "15:30", "starts", "Enter the start time as well"},
		{"ends before it starts", "15:30", "9:30", "ends", "must end after it starts"},
		{"ends as it starts", "10:00", "10:00", "ends", "must end after it starts"},
		{"not a time", "half nine", "15:30", "starts", "Enter the start time as hours and minutes"},
		{"end not a time", "09:00", "25:00", "ends", "Enter the end time as hours and minutes"},
	}
	for _, tt := range tests {
		s := Session{Date: NewDate(2026, 4, 1), Minutes: 360, Mode: Online, Topic: "Unit 1", Starts: tt.starts, Ends: tt.ends}
		errs := s.Validate(c)
		if tt.msg == "" {
			if len(errs) != 0 {
				t.Errorf("%s: %v", tt.name, errs)
			}
			continue
		}
		if !strings.Contains(errs[tt.field], tt.msg) || len(errs) != 1 {
			t.Errorf("%s: %v, want %s: %q", tt.name, errs, tt.field, tt.msg)
		}
	}
}

package domain

import (
	"strings"
	"testing"
)

func TestCheckEligibility(t *testing.T) {
	d := NewDate(2026, 10, 1)
	prog := Programme{Name: "P", OpensOn: NewDate(2026, 9, 1), ClosesOn: NewDate(2027, 3, 31), Rules: DefaultRules()}
	nursery := Setting{URN: "EY1", Type: NonDomestic, Status: Active, EYR: true, RegisteredOn: NewDate(2010, 1, 1)}
	base := EligibilityFacts{Programme: prog, AppliedOn: d, Setting: &nursery, QualificationLevel: 3}
	with := func(f func(*EligibilityFacts)) EligibilityFacts { x := base; f(&x); return x }
	setting := func(f func(*Setting)) *Setting { s := nursery; f(&s); return &s }
	tests := []struct {
		name     string
		facts    EligibilityFacts
		decision Decision
		code     string
	}{
		{"eligible", base, DecisionEligible, "eligible"},
		{"before opening", with(func(f *EligibilityFacts) { f.AppliedOn = NewDate(2026, 8, 31) }), DecisionIneligible, "programme_open"},
		{"on the closing day", with(func(f *EligibilityFacts) { f.AppliedOn = prog.ClosesOn }), DecisionEligible, "eligible"},
		{"after closing", with(func(f *EligibilityFacts) { f.AppliedOn = prog.ClosesOn.AddDays(1) }), DecisionIneligible, "programme_open"},
		{"unknown setting", with(func(f *EligibilityFacts) { f.Setting = nil }), DecisionManual, "setting_active_eyr"},
		{"closed setting", with(func(f *EligibilityFacts) {
			f.Setting = setting(func(s *Setting) { s.Status, s.ClosedOn = Closed, d.AddDays(-5) })
		}), DecisionIneligible, "setting_active_eyr"},
		{"registered after applying", with(func(f *EligibilityFacts) { f.Setting = setting(func(s *Setting) { s.RegisteredOn = d.AddDays(1) }) }), DecisionIneligible, "setting_active_eyr"},
		{"not on the EYR", with(func(f *EligibilityFacts) { f.Setting = setting(func(s *Setting) { s.EYR = false }) }), DecisionIneligible, "setting_active_eyr"},
		{"maintained nursery school", with(func(f *EligibilityFacts) { f.Setting = setting(func(s *Setting) { s.Type = MaintainedNursery }) }), DecisionIneligible, "setting_type"},
		{"home childcarer", with(func(f *EligibilityFacts) { f.Setting = setting(func(s *Setting) { s.Type = HomeChildcarer }) }), DecisionIneligible, "setting_type"},
		{"childminder", with(func(f *EligibilityFacts) { f.Setting = setting(func(s *Setting) { s.Type = Childminder }) }), DecisionEligible, "eligible"},
		{"no LA recorded is still England", with(func(f *EligibilityFacts) { f.Setting = setting(func(s *Setting) { s.LACode = "" }) }), DecisionEligible, "eligible"},
		{"level 2", with(func(f *EligibilityFacts) { f.QualificationLevel = 2 }), DecisionIneligible, "level3_qualification"},
		{"qualification not recorded", with(func(f *EligibilityFacts) { f.QualificationLevel = 0 }), DecisionManual, "level3_qualification"},
		{"working towards, not allowed", with(func(f *EligibilityFacts) { f.QualificationLevel, f.WorkingTowardsL3 = 2, true }), DecisionIneligible, "level3_qualification"},
		{"working towards, allowed", with(func(f *EligibilityFacts) {
			f.QualificationLevel, f.WorkingTowardsL3 = 2, true
			f.Programme.Rules.AllowWorkingTowards = true
		}), DecisionEligible, "eligible"},
		{"level 6", with(func(f *EligibilityFacts) { f.QualificationLevel = 6 }), DecisionEligible, "eligible"},
		{"already funded", with(func(f *EligibilityFacts) { f.AlreadyFunded = true }), DecisionIneligible, "not_already_funded"},
		{"already qualified", with(func(f *EligibilityFacts) { f.HoldsQualification = true }), DecisionIneligible, "not_already_funded"},
		{"setting place used", with(func(f *EligibilityFacts) { f.SettingPlacesUsed = 1 }), DecisionManual, "setting_places"},
		{"extra place granted", with(func(f *EligibilityFacts) { f.SettingPlacesUsed, f.SettingPlacesExtra = 1, 1 }), DecisionEligible, "eligible"},
		{"no place limit", with(func(f *EligibilityFacts) { f.SettingPlacesUsed = 5; f.Programme.Rules.PlacesPerSetting = 0 }), DecisionEligible, "eligible"},
		// Order matters: the first failing rule gives the reason.
		{"closed programme and level 2: programme first", with(func(f *EligibilityFacts) { f.AppliedOn = prog.ClosesOn.AddDays(1); f.QualificationLevel = 2 }), DecisionIneligible, "programme_open"},
		{"rules are data: without the level rule, level 2 passes", with(func(f *EligibilityFacts) {
			f.QualificationLevel = 2
			f.Programme.Rules.Eligibility = []EligibilityRule{RuleProgrammeOpen, RuleSettingOnEYR}
		}), DecisionEligible, "eligible"},
	}
	for _, tt := range tests {
		got := CheckEligibility(tt.facts)
		if got.Decision != tt.decision || got.Code != tt.code || got.Reason == "" {
			t.Errorf("%s: %+v, want %s %s", tt.name, got, tt.decision, tt.code)
		}
	}
}

func TestCheckTransition(t *testing.T) {
	tests := []struct {
		from, to Status
		ok       bool
	}{
		{StatusApplied, StatusEligible, true},
		{StatusApplied, StatusIneligible, true},
		{StatusApplied, StatusEnrolled, false},
		{StatusEligible, StatusEnrolled, true},
		{StatusIneligible, StatusEligible, true}, // a manual decision
		{StatusIneligible, StatusEnrolled, false},
		{StatusEnrolled, StatusInTraining, true},
		{StatusEnrolled, StatusCompleted, false},
		{StatusInTraining, StatusCompleted, true},
		{StatusInTraining, StatusWithdrawn, true},
		{StatusInTraining, StatusDeferred, true},
		{StatusDeferred, StatusEnrolled, true},
		{StatusCompleted, StatusCertified, true},
		{StatusCertified, StatusCompleted, true}, // revoked
		{StatusWithdrawn, StatusEnrolled, false},
		{StatusCertified, StatusWithdrawn, false},
	}
	for _, tt := range tests {
		err := CheckTransition(tt.from, tt.to)
		if (err == nil) != tt.ok {
			t.Errorf("%s → %s: %v, want ok=%v", tt.from, tt.to, err, tt.ok)
		}
	}
	err := CheckTransition(StatusApplied, StatusCertified)
	if err == nil || !strings.Contains(err.Error(), "can become eligible, ineligible, withdrawn") {
		t.Errorf("message: %v", err)
	}
	if err := CheckTransition(StatusWithdrawn, StatusEnrolled); err == nil || !strings.Contains(err.Error(), "cannot change status") {
		t.Errorf("message: %v", err)
	}
}

func TestAttendanceAndCompletion(t *testing.T) {
	a := func(m Mark) Attendance { return Attendance{Mark: m} }
	tests := []struct {
		name     string
		marks    []Attendance
		sessions int
		want     float64
	}{
		{"all present", []Attendance{a(Present), a(Present)}, 2, 1},
		{"a half counts 0.5", []Attendance{a(Present), a(Half)}, 2, 0.75},
		{"excused leaves the count", []Attendance{a(Present), a(Excused)}, 2, 1},
		{"a caught-up absence counts", []Attendance{a(Present), {Mark: Absent, CaughtUp: true}}, 2, 1},
		{"unmarked sessions count as missed", []Attendance{a(Present)}, 4, 0.25},
		{"no sessions", nil, 0, 0},
		{"all excused", []Attendance{a(Excused)}, 1, 0},
	}
	for _, tt := range tests {
		if got := AttendanceRate(tt.marks, tt.sessions); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	completion := []struct {
		rate, threshold float64
		assessed        bool
		want            bool
	}{
		{0.8, 0.8, true, true},
		{24.0 / 30.0, 0.8, true, true}, // 0.7999999… in floating point
		{0.79, 0.8, true, false},
		{1, 0.8, false, false},
		{0, 0, true, true},
	}
	for _, c := range completion {
		if got := TrainingComplete(c.rate, c.threshold, c.assessed); got != c.want {
			t.Errorf("TrainingComplete(%v, %v, %v) = %v", c.rate, c.threshold, c.assessed, got)
		}
	}
}

func TestValidULN(t *testing.T) {
	tests := []struct {
		uln  string
		want bool
	}{
		// 1000000042: 1×10 + 4×2 = 18; 18 mod 11 = 7; 10 − 7 = 3 ≠ 2.
		{"1000000042", false},
		{"1000000043", true},
		{"9999999999", false}, // 9×54 = 486; 486 mod 11 = 2; check 8
		{"9999999998", true},
		{"100000004", false},
		{"10000000433", false},
		{"10000O0043", false},
		{"0000000042", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidULN(tt.uln); got != tt.want {
			t.Errorf("ValidULN(%q) = %v, want %v", tt.uln, got, tt.want)
		}
	}
}

package domain

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func appIn(s Status) Application {
	a := Application{ID: 7, ProgrammeID: 1, PractitionerID: 3, SettingURN: "EY1", LACode: "E08000035", LAName: "Leeds",
		PractitionerName: "Sam Example", Status: s, Nominated: true, SettingConfirmed: true}
	switch s {
	case StatusEnrolled, StatusInTraining, StatusCompleted, StatusCertified:
		a.CohortID, a.CohortName, a.EnrolledOn = 10, "Leeds spring", NewDate(2026, 2, 1)
	}
	if s == StatusCertified {
		a.LearnerNumber, a.CertificateNumber = "LN1", "C1"
	}
	return a
}

// decision is any workflow step taken on an application, for the table of
// every status × step below.
type decision struct {
	name string
	do   func(Application) (Change, error)
}

var (
	day    = NewDate(2026, 3, 10)
	leeds  = Cohort{ID: 10, ProgrammeID: 1, SupplierOrgID: 5, Name: "Leeds spring", LACodes: []string{"E08000035"}, Capacity: 2}
	leeds2 = Cohort{ID: 11, ProgrammeID: 1, SupplierOrgID: 5, Name: "Leeds summer", LACodes: []string{"E08000035"}, Capacity: 2}
)

var decisions = []decision{
	{"decide eligible", func(a Application) (Change, error) { return Decide(a, true, false, "checked the certificate", day) }},
	{"decide ineligible", func(a Application) (Change, error) { return Decide(a, false, false, "no level 3", day) }},
	{"place", func(a Application) (Change, error) { c, _, err := Place(a, leeds, 0, day); return c, err }},
	{"transfer", func(a Application) (Change, error) { return Transfer(a, leeds, leeds2, 0, day) }},
	{"withdraw", func(a Application) (Change, error) { return Withdraw(a, WithdrawWorkload, day, "") }},
	{"defer", func(a Application) (Change, error) { return Defer(a, day, "") }},
	{"start", func(a Application) (Change, error) { return StartTraining(a, day) }},
	{"complete", func(a Application) (Change, error) {
		c, _, err := CompleteAssessment(a, 1, 0.8, nil, day)
		return c, err
	}},
	{"register", func(a Application) (Change, error) { return RegisterLearner(a, Registration{LearnerNumber: "LN9"}) }},
	{"certify", func(a Application) (Change, error) {
		a.LearnerNumber, a.AssessmentCompleteOn = "LN9", day
		return Certify(CertificationFacts{App: a}, "CERT-1", day, day)
	}},
	{"revoke", func(a Application) (Change, error) { return Revoke(a, "issued in error", day) }},
}

// TestEveryMove runs every step from every status: the legal moves give
// the status they should with an event, the others a refusal naming the
// status, and none of them panics or returns a plain error.
func TestEveryMove(t *testing.T) {
	legal := map[string]map[Status]Status{
		"decide eligible":   {StatusApplied: StatusEligible, StatusIneligible: StatusEligible, StatusEligible: StatusEligible, StatusDeferred: StatusEligible},
		"decide ineligible": {StatusApplied: StatusIneligible, StatusEligible: StatusIneligible, StatusIneligible: StatusIneligible},
		"place":             {StatusEligible: StatusEnrolled, StatusDeferred: StatusEnrolled},
		"transfer":          {StatusEnrolled: StatusEnrolled, StatusInTraining: StatusInTraining},
		"withdraw":          {StatusApplied: StatusWithdrawn, StatusEligible: StatusWithdrawn, StatusEnrolled: StatusWithdrawn, StatusInTraining: StatusWithdrawn, StatusDeferred: StatusWithdrawn},
		"defer":             {StatusEligible: StatusDeferred, StatusEnrolled: StatusDeferred, StatusInTraining: StatusDeferred},
		"start":             {StatusEnrolled: StatusInTraining},
		"complete":          {StatusEnrolled: StatusCompleted, StatusInTraining: StatusCompleted},
		"register":          {StatusEnrolled: StatusEnrolled, StatusInTraining: StatusInTraining, StatusCompleted: StatusCompleted},
		"certify":           {StatusCompleted: StatusCertified},
		"revoke":            {StatusCertified: StatusCompleted},
	}
	for _, d := range decisions {
		for _, from := range append(slices.Clone(Statuses), StatusTransferred) {
			ch, err := d.do(appIn(from))
			want, ok := legal[d.name][from]
			switch {
			case ok && err != nil:
				t.Errorf("%s from %s: refused: %v", d.name, from, err)
			case ok && ch.App.Status != want:
				t.Errorf("%s from %s: became %s, want %s", d.name, from, ch.App.Status, want)
			case ok && !ch.Changed():
				t.Errorf("%s from %s: nothing to record", d.name, from)
			case ok && d.name != "register" && len(ch.Events) == 0:
				t.Errorf("%s from %s: no event", d.name, from)
			case !ok && err == nil:
				t.Errorf("%s from %s: allowed, became %s", d.name, from, ch.App.Status)
			case !ok:
				if _, isRefusal := IsRefusal(err); !isRefusal {
					t.Errorf("%s from %s: %v is not a refusal", d.name, from, err)
				}
			}
		}
	}
}

func TestEventsKeepTheEnrolmentSpan(t *testing.T) {
	ch, waitlisted, err := Place(appIn(StatusEligible), leeds, 1, day)
	if err != nil || waitlisted {
		t.Fatalf("place: %v %v", waitlisted, err)
	}
	if ch.App.EnrolledOn != day || ch.App.CohortID != leeds.ID || ch.App.CohortName != leeds.Name || ch.Action != "enrolled" {
		t.Errorf("placed: %+v", ch.App)
	}
	if len(ch.Events) != 1 || ch.Events[0] != (Event{From: StatusEligible, To: StatusEnrolled, Name: "enrolled", On: day, Detail: "Leeds spring"}) {
		t.Errorf("events: %+v", ch.Events)
	}
	left := day.AddDays(30)
	for _, step := range []func(Application) (Change, error){
		func(a Application) (Change, error) { return Withdraw(a, WithdrawLeftSetting, left, "moved away") },
		func(a Application) (Change, error) { return Defer(a, left, "") },
		func(a Application) (Change, error) {
			c, _, err := CompleteAssessment(a, 0.9, 0.8, nil, left)
			return c, err
		},
	} {
		c, err := step(ch.App)
		if err != nil || c.App.LeftTrainingOn != left || c.App.EnrolledOn != day {
			t.Errorf("left training: %+v %v", c.App, err)
		}
	}
	// A return from deferral starts a new span.
	d, _ := Defer(ch.App, left, "")
	back, _, err := Place(d.App, leeds2, 0, left.AddDays(60))
	if err != nil || back.App.EnrolledOn != left.AddDays(60) || !back.App.LeftTrainingOn.IsZero() || back.App.CohortID != leeds2.ID {
		t.Errorf("return from deferral: %+v %v", back.App, err)
	}
	w, _ := Withdraw(back.App, WithdrawPersonal, left.AddDays(61), "  ")
	if w.App.WithdrawnOn != left.AddDays(61) || w.App.WithdrawalReason != WithdrawPersonal || w.Events[0].Detail != "Personal reasons" {
		t.Errorf("withdrawal: %+v %+v", w.App, w.Events)
	}
}

func TestPlaceRefusals(t *testing.T) {
	other := leeds
	other.ProgrammeID = 2
	barking := leeds
	barking.LACodes = []string{"E09000002"}
	onList := appIn(StatusEligible)
	onList.WaitlistCohortID = leeds.ID
	noLA := appIn(StatusEligible)
	noLA.LAName = ""
	tests := []struct {
		name       string
		app        Application
		c          Cohort
		placed     int
		waitlisted bool
		field, msg string
	}{
		{"another programme", appIn(StatusEligible), other, 0, false, "cohort", "Leeds spring is a cohort of another programme"},
		{"another authority", appIn(StatusEligible), barking, 0, false, "cohort", "Leeds spring does not serve Leeds, the setting's local authority"},
		{"authority not recorded", noLA, barking, 0, false, "cohort", "not recorded"},
		{"not eligible", appIn(StatusApplied), leeds, 0, false, "status", "this one is applied"},
		{"full, already waiting", onList, leeds, 2, true, "cohort", "Leeds spring is full and Sam Example is already on its waiting list"},
	}
	for _, tt := range tests {
		_, waitlisted, err := Place(tt.app, tt.c, tt.placed, day)
		r, ok := IsRefusal(err)
		if !ok || r.Field != tt.field || !strings.Contains(r.Msg, tt.msg) || waitlisted != tt.waitlisted {
			t.Errorf("%s: %v (field %v), waitlisted %v", tt.name, err, r, waitlisted)
		}
	}
	ch, waitlisted, err := Place(appIn(StatusEligible), leeds, 2, day)
	if err != nil || !waitlisted || ch.App.Status != StatusEligible || ch.App.WaitlistCohortID != leeds.ID ||
		ch.Events[0].Detail != "Leeds spring is full (2 places)" {
		t.Errorf("full cohort: %+v %v %v", ch, waitlisted, err)
	}
}

func TestTransferRefusals(t *testing.T) {
	otherSupplier := leeds2
	otherSupplier.SupplierOrgID = 6
	tests := []struct {
		name   string
		to     Cohort
		placed int
		msg    string
	}{
		{"same cohort", leeds, 0, "Sam Example is already on Leeds spring"},
		{"another supplier", otherSupplier, 0, "same supplier and programme"},
		{"full", leeds2, 2, "Leeds summer is full (2 places)"},
	}
	for _, tt := range tests {
		_, err := Transfer(appIn(StatusInTraining), leeds, tt.to, tt.placed, day)
		if r, ok := IsRefusal(err); !ok || r.Field != "cohort" || !strings.Contains(r.Msg, tt.msg) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	ch, err := Transfer(appIn(StatusInTraining), leeds, leeds2, 1, day)
	if err != nil || ch.App.CohortID != leeds2.ID || ch.Events[0].Detail != "Leeds spring → Leeds summer" {
		t.Errorf("transfer: %+v %v", ch, err)
	}
}

func TestCompleteAssessment(t *testing.T) {
	tests := []struct {
		name      string
		from      Status
		rate      float64
		completed bool
		events    []string
	}{
		{"attendance short", StatusInTraining, 0.79, false, []string{"assessment complete"}},
		{"at the threshold", StatusInTraining, 0.8, true, []string{"assessment complete", "completed"}},
		{"never marked present", StatusEnrolled, 0.9, true, []string{"assessment complete", "started training", "completed"}},
	}
	for _, tt := range tests {
		ch, completed, err := CompleteAssessment(appIn(tt.from), tt.rate, 0.8, nil, day)
		var names []string
		for _, e := range ch.Events {
			names = append(names, e.Name)
		}
		if err != nil || completed != tt.completed || ch.App.AssessmentCompleteOn != day || !slices.Equal(names, tt.events) {
			t.Errorf("%s: completed %v, events %v, %v", tt.name, completed, names, err)
		}
	}
}

func TestRegisterCertifyRevoke(t *testing.T) {
	tests := []struct {
		name  string
		reg   Registration
		field string
	}{
		{"no number", Registration{LearnerNumber: "  "}, "learner_number"},
		{"bad ULN", Registration{LearnerNumber: "LN1", ULN: "1234567890"}, "uln"},
		{"number of another", Registration{LearnerNumber: "LN1", NumberHeldByOther: true}, "learner_number"},
	}
	for _, tt := range tests {
		if _, err := RegisterLearner(appIn(StatusInTraining), tt.reg); err == nil || err.(*Refusal).Field != tt.field {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	ch, err := RegisterLearner(appIn(StatusCompleted), Registration{LearnerNumber: " LN1 ", ULN: "9999999999"})
	if err == nil {
		t.Errorf("invalid ULN accepted: %+v", ch.App)
	}
	ch, err = RegisterLearner(appIn(StatusCompleted), Registration{LearnerNumber: " LN1 "})
	if err != nil || ch.App.LearnerNumber != "LN1" {
		t.Fatalf("register: %+v %v", ch.App, err)
	}
	if _, err := Certify(CertificationFacts{App: appIn(StatusCompleted)}, "C1", day, day); err == nil || err.(*Refusal).Field != "learner_number" {
		t.Errorf("certified before registration: %v", err)
	}
	ch.App.AssessmentCompleteOn = day
	if _, err := Certify(CertificationFacts{App: ch.App}, " ", day, day); err == nil || err.(*Refusal).Field != "certificate_number" {
		t.Errorf("certified without a number: %v", err)
	}
	cert, err := Certify(CertificationFacts{App: ch.App}, " C-77 ", day, day)
	if err != nil || cert.App.CertificateNumber != "C-77" || cert.App.CertifiedOn != day || cert.Events[0].Detail != "certificate C-77" {
		t.Fatalf("certify: %+v %v", cert, err)
	}
	if _, err := Revoke(cert.App, "", day); err == nil {
		t.Error("revoked without a reason")
	}
	rev, err := Revoke(cert.App, " issued in error ", day.AddDays(3))
	if err != nil || rev.App.Status != StatusCompleted || rev.App.RevokeReason != "issued in error" || rev.App.RevokedOn != day.AddDays(3) {
		t.Errorf("revoke: %+v %v", rev.App, err)
	}
}

func TestApplyAssessDecideConfirm(t *testing.T) {
	if _, err := Apply(NewApplication{AlreadyApplied: true, SettingFound: true}); !errors.Is(err, ErrAlreadyApplied) {
		t.Errorf("second live application: %v", err)
	}
	if _, err := Apply(NewApplication{SettingURN: "EY404"}); err == nil || !strings.Contains(err.Error(), "EY404") {
		t.Errorf("unknown setting: %v", err)
	}
	self, err := Apply(NewApplication{ProgrammeID: 1, SettingURN: "EY1", SettingFound: true, AppliedOn: day})
	if err != nil || self.App.Status != StatusApplied || self.App.SettingConfirmed || self.Events[0].Detail != "self-applied" {
		t.Errorf("self-application: %+v %v", self, err)
	}
	nom, _ := Apply(NewApplication{ProgrammeID: 1, SettingURN: "EY1", SettingFound: true, AppliedOn: day, Nominated: true})
	if !nom.App.SettingConfirmed || nom.Events[0].Detail != "nominated by the setting" {
		t.Errorf("nomination: %+v", nom)
	}

	prog := Programme{Name: "P", OpensOn: NewDate(2026, 1, 1), ClosesOn: NewDate(2027, 1, 1), Rules: DefaultRules()}
	nursery := Setting{URN: "EY1", Type: NonDomestic, Status: Active, EYR: true, RegisteredOn: NewDate(2010, 1, 1)}
	facts := EligibilityFacts{Programme: prog, AppliedOn: day, Setting: &nursery, QualificationLevel: 3}
	ch := Assess(self.App, facts, day)
	if ch.App.Status != StatusEligible || ch.Events[0].Name != "eligibility" {
		t.Errorf("assess: %+v", ch)
	}
	if again := Assess(ch.App, facts, day); again.Changed() {
		t.Errorf("assessing again changed it: %+v", again)
	}
	manual := appIn(StatusEligible)
	manual.ManualDecision = true
	if c := Assess(manual, EligibilityFacts{Programme: prog, AppliedOn: day, QualificationLevel: 2}, day); c.Changed() {
		t.Error("a manual decision was overwritten by the rules")
	}
	if c := Assess(appIn(StatusEnrolled), facts, day); c.Changed() {
		t.Error("an enrolled learner was re-assessed")
	}
	if _, err := Decide(appIn(StatusApplied), true, false, "   ", day); err == nil {
		t.Error("decided without a reason")
	}
	d, err := Decide(appIn(StatusApplied), true, true, "certificate seen", day)
	if err != nil || !d.App.ManualDecision || !d.App.ExtraSettingPlace || d.App.ReasonCode != "manual" || d.Action != "decide" {
		t.Errorf("decide: %+v %v", d.App, err)
	}

	if c, err := ConfirmBySetting(self.App, day); err != nil || !c.App.SettingConfirmed || c.Events[0].Name != "confirmed by setting" {
		t.Errorf("confirm: %+v %v", c, err)
	}
	if c, err := ConfirmBySetting(nom.App, day); err != nil || c.Changed() {
		t.Errorf("confirming a confirmed application: %+v %v", c, err)
	}
	w := self.App
	w.Status = StatusWithdrawn
	if _, err := ConfirmBySetting(w, day); err == nil {
		t.Error("confirmed a withdrawn application")
	}
}

func TestStatusGroups(t *testing.T) {
	for _, s := range append(slices.Clone(Statuses), StatusTransferred) {
		if s.HoldsPlace() != slices.Contains([]Status{StatusEnrolled, StatusInTraining, StatusCompleted, StatusCertified}, s) {
			t.Errorf("%s holds a place: %v", s, s.HoldsPlace())
		}
		if s.Live() == s.In(NotLive) {
			t.Errorf("%s live: %v", s, s.Live())
		}
		if s.In(Training) && !s.HoldsPlace() || s.In(Finished) && !s.HoldsPlace() {
			t.Errorf("%s is training or finished without a place", s)
		}
	}
}

func TestMoveWaiting(t *testing.T) {
	waiting := func(name, la string) Application {
		a := appIn(StatusEligible)
		a.PractitionerName, a.WaitlistCohortID = name, leeds.ID
		if la != "" {
			a.LACode, a.LAName = la, "Barking and Dagenham"
		}
		return a
	}
	ann, bo := waiting("Ann Waiting", ""), waiting("Bo Waiting", "")
	placedAlready := appIn(StatusEnrolled)
	placedAlready.PractitionerName = "Cy Placed"
	otherSupplier := leeds2
	otherSupplier.SupplierOrgID = 6
	big := leeds2
	big.Capacity = 5
	tests := []struct {
		name       string
		apps       []Application
		to         Cohort
		placed     int
		field, msg string // "" when allowed
	}{
		{"two into two free places", []Application{ann, bo}, leeds2, 0, "", ""},
		{"one into the last place", []Application{ann}, leeds2, 1, "", ""},
		{"no one chosen", nil, leeds2, 0, "people", "Choose at least one person"},
		{"the same cohort", []Application{ann}, leeds, 0, "cohort", "Choose a cohort other than Leeds spring"},
		{"another supplier's cohort", []Application{ann}, otherSupplier, 0, "cohort", "same supplier and programme"},
		{"a full cohort", []Application{ann}, leeds2, 2, "cohort", "Leeds summer is full (2 places): choose a cohort with space"},
		{"one place for two people", []Application{ann, bo}, leeds2, 1, "people", "Leeds summer has 1 free place: choose 1 person"},
		{"three places for four", []Application{ann, bo, ann, bo}, big, 2, "people", "Leeds summer has 3 free places: choose at most 3 people"},
		{"someone no longer waiting", []Application{ann, placedAlready}, big, 0, "people", "Cy Placed is no longer on the waiting list of Leeds spring"},
		{"a cohort not serving their authority", []Application{ann, waiting("Di Barking", "E09000002")}, big, 0, "people",
			"Di Barking cannot move: Leeds summer does not serve Barking and Dagenham"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changes, err := MoveWaiting(tt.apps, leeds, tt.to, tt.placed, day)
			if tt.msg == "" {
				if err != nil || len(changes) != len(tt.apps) {
					t.Fatalf("got %d changes, %v", len(changes), err)
				}
				for _, ch := range changes {
					if ch.App.Status != StatusEnrolled || ch.App.CohortID != tt.to.ID || ch.App.WaitlistCohortID != 0 ||
						ch.Events[len(ch.Events)-1].Detail != "Leeds summer, from the waiting list of Leeds spring" {
						t.Errorf("%s: %+v", ch.App.PractitionerName, ch)
					}
				}
				return
			}
			r, ok := IsRefusal(err)
			if !ok || r.Field != tt.field || !strings.Contains(r.Msg, tt.msg) || changes != nil {
				t.Errorf("got %v (refusal %+v), %d changes; want %s: %q", err, r, len(changes), tt.field, tt.msg)
			}
		})
	}
}

func TestCheckNominee(t *testing.T) {
	tests := []struct {
		name        string
		qualified   bool
		onProgramme Status
		msg         string // "" when they may be nominated
	}{
		{"no training yet", false, "", ""},
		{"an earlier application withdrawn", false, StatusWithdrawn, ""},
		{"found ineligible before", false, StatusIneligible, ""},
		{"certified on this programme", true, StatusCertified, "Ann Example already holds the qualification through National EY SENCO, so cannot be nominated again"},
		{"qualified by an equivalent", true, "", "Ann Example is already a qualified SENCO"},
		{"in training", false, StatusInTraining, "Ann Example already has an application to National EY SENCO (in training)"},
		{"waiting for review", false, StatusApplied, "already has an application to National EY SENCO (applied)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckNominee("Ann Example", "National EY SENCO", tt.qualified, tt.onProgramme)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if r, ok := IsRefusal(err); !ok || r.Field != "practitioner" || !strings.Contains(r.Msg, tt.msg) {
				t.Errorf("got %v, want %q", err, tt.msg)
			}
		})
	}
}

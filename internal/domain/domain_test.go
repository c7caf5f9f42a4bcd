package domain

import "testing"

func TestEligibleSetting(t *testing.T) {
	d := NewDate(2021, 8, 31)
	base := Setting{URN: "EY1", Type: NonDomestic, Status: Active, EYR: true, RegisteredOn: NewDate(2010, 1, 1)}
	with := func(f func(*Setting)) Setting { s := base; f(&s); return s }
	tests := []struct {
		name string
		s    Setting
		want bool
	}{
		{"active non-domestic on the EYR", base, true},
		{"childminder", with(func(s *Setting) { s.Type = Childminder }), true},
		{"domestic premises", with(func(s *Setting) { s.Type = Domestic }), true},
		{"home childcarer (not on the EYR)", with(func(s *Setting) { s.Type = HomeChildcarer }), false},
		{"maintained nursery school: SENCO must hold QTS", with(func(s *Setting) { s.Type = MaintainedNursery }), false},
		{"school-based", with(func(s *Setting) { s.Type = SchoolBased }), false},
		{"not on the EYR", with(func(s *Setting) { s.EYR = false }), false},
		{"registered on the day", with(func(s *Setting) { s.RegisteredOn = d }), true},
		{"registered the day after", with(func(s *Setting) { s.RegisteredOn = d.AddDays(1) }), false},
		{"registration date unknown", with(func(s *Setting) { s.RegisteredOn = Date{} }), false},
		{"closed on the day", with(func(s *Setting) { s.Status, s.ClosedOn = Closed, d }), false},
		{"closed the day before", with(func(s *Setting) { s.Status, s.ClosedOn = Closed, d.AddDays(-1) }), false},
		{"closes the day after", with(func(s *Setting) { s.Status, s.ClosedOn = Closed, d.AddDays(1) }), true},
		{"no local authority recorded: still England", with(func(s *Setting) { s.LACode = "" }), true},
	}
	for _, tt := range tests {
		if got := EligibleSetting(tt.s, d); got != tt.want {
			t.Errorf("%s: EligibleSetting = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestEmploymentCovers(t *testing.T) {
	start, end := NewDate(2020, 9, 1), NewDate(2022, 7, 31)
	tests := []struct {
		name string
		e    Employment
		d    Date
		want bool
	}{
		{"before the start", Employment{StartedOn: start}, start.AddDays(-1), false},
		{"on the start day", Employment{StartedOn: start}, start, true},
		{"open-ended, years later", Employment{StartedOn: start}, NewDate(2030, 1, 1), true},
		{"the day before it ends", Employment{StartedOn: start, EndedOn: end}, end.AddDays(-1), true},
		{"on the end day: stops counting", Employment{StartedOn: start, EndedOn: end}, end, false},
		{"after the end", Employment{StartedOn: start, EndedOn: end}, end.AddDays(1), false},
		{"no start date", Employment{}, start, false},
	}
	for _, tt := range tests {
		if got := tt.e.Covers(tt.d); got != tt.want {
			t.Errorf("%s: Covers = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		in      string
		uk      bool
		want    string
		wantErr bool
	}{
		{"2021-08-31", false, "2021-08-31", false},
		{"31/08/2021", true, "2021-08-31", false},
		{"31/02/2021", true, "", true},
		{"2021-02-29", false, "", true},
		{"29/02/2020", true, "2020-02-29", false},
		{"8/31/2021", true, "", true},
		{"", false, "", true},
	}
	for _, tt := range tests {
		var d Date
		var err error
		if tt.uk {
			d, err = ParseUKDate(tt.in)
		} else {
			d, err = ParseDate(tt.in)
		}
		if (err != nil) != tt.wantErr || d.String() != tt.want {
			t.Errorf("parse %q: %v %v, want %q (error %v)", tt.in, d, err, tt.want, tt.wantErr)
		}
	}
	var d Date
	for _, src := range []any{"2021-08-31", []byte("2021-08-31"), "2021-08-31 00:00:00+00:00", NewDate(2021, 8, 31).Time()} {
		if err := d.Scan(src); err != nil || d.String() != "2021-08-31" {
			t.Errorf("Scan(%v) = %v, %v", src, d, err)
		}
	}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", d, err)
	}
	if NewDate(1989, 1, 4).Long() != "4 January 1989" {
		t.Errorf("Long = %q", NewDate(1989, 1, 4).Long())
	}
}

func TestPractitionerValidate(t *testing.T) {
	tests := []struct {
		p    Practitioner
		want []string
	}{
		{Practitioner{GivenName: "A", FamilyName: "B"}, nil},
		{Practitioner{}, []string{"given_name", "family_name"}},
		{Practitioner{GivenName: "A", FamilyName: "B", Email: "not-an-email"}, []string{"email"}},
		{Practitioner{GivenName: "A", FamilyName: "B", Email: "A Name <a@example.org>"}, []string{"email"}},
		{Practitioner{GivenName: "A", FamilyName: "B", QualificationLevel: 9}, []string{"qualification_level"}},
	}
	for _, tt := range tests {
		errs := tt.p.Validate()
		if len(errs) != len(tt.want) {
			t.Errorf("%+v: errors %v, want fields %v", tt.p, errs, tt.want)
		}
		for _, f := range tt.want {
			if errs[f] == "" {
				t.Errorf("%+v: no error for %s", tt.p, f)
			}
		}
	}
}

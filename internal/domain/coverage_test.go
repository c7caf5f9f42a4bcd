package domain

import "testing"

func TestCoverage(t *testing.T) {
	reg := NewDate(2015, 1, 1)
	nursery := Setting{URN: "EY1", Type: NonDomestic, Status: Active, EYR: true, RegisteredOn: reg}
	cert := Certificate{Level: 3, CertifiedOn: NewDate(2026, 7, 1)}
	job := func(from, to Date, role EmploymentRole) Employment {
		return Employment{SettingURN: "EY1", Role: role, StartedOn: from, EndedOn: to}
	}
	sm := func(e Employment, certs []Certificate, enrols ...Enrolment) StaffMember {
		return StaffMember{Employment: e, Certificates: certs, Enrolments: enrols}
	}
	leaves := NewDate(2026, 9, 30)
	tests := []struct {
		name    string
		setting Setting
		staff   []StaffMember
		d       Date
		want    SettingCoverage
	}{
		{"no staff", nursery, nil, NewDate(2026, 10, 1), SettingCoverage{Eligible: true}},
		{"certified SENCO", nursery, []StaffMember{sm(job(reg, Date{}, RoleSENCO), []Certificate{cert})}, NewDate(2026, 10, 1),
			SettingCoverage{Eligible: true, Qualified: true, Designated: true}},
		{"certified in another role: qualified, not designated", nursery, []StaffMember{sm(job(reg, Date{}, RolePractitioner), []Certificate{cert})}, NewDate(2026, 10, 1),
			SettingCoverage{Eligible: true, Qualified: true}},
		{"the day before certification", nursery, []StaffMember{sm(job(reg, Date{}, RoleSENCO), []Certificate{cert})}, NewDate(2026, 6, 30),
			SettingCoverage{Eligible: true}},
		{"on the certification day", nursery, []StaffMember{sm(job(reg, Date{}, RoleSENCO), []Certificate{cert})}, cert.CertifiedOn,
			SettingCoverage{Eligible: true, Qualified: true, Designated: true}},
		{"the day before leaving: still counts", nursery, []StaffMember{sm(job(reg, leaves, RoleSENCO), []Certificate{cert})}, leaves.AddDays(-1),
			SettingCoverage{Eligible: true, Qualified: true, Designated: true}},
		{"on the day the employment ends: stops counting", nursery, []StaffMember{sm(job(reg, leaves, RoleSENCO), []Certificate{cert})}, leaves,
			SettingCoverage{Eligible: true}},
		{"joins a new setting: counts from the first day", nursery, []StaffMember{sm(job(leaves, Date{}, RoleSENCO), []Certificate{cert})}, leaves,
			SettingCoverage{Eligible: true, Qualified: true, Designated: true}},
		{"revoked before d", nursery, []StaffMember{sm(job(reg, Date{}, RoleSENCO), []Certificate{{Level: 3, CertifiedOn: cert.CertifiedOn, RevokedOn: NewDate(2026, 8, 1)}})}, NewDate(2026, 10, 1),
			SettingCoverage{Eligible: true}},
		{"level 2 certificate does not count", nursery, []StaffMember{sm(job(reg, Date{}, RoleSENCO), []Certificate{{Level: 2, CertifiedOn: cert.CertifiedOn}})}, NewDate(2026, 10, 1),
			SettingCoverage{Eligible: true}},
		{"in training", nursery, []StaffMember{sm(job(reg, Date{}, RolePractitioner), nil, Enrolment{From: NewDate(2026, 3, 1)})}, NewDate(2026, 10, 1),
			SettingCoverage{Eligible: true, InTraining: true}},
		{"training ended (withdrew)", nursery, []StaffMember{sm(job(reg, Date{}, RolePractitioner), nil, Enrolment{From: NewDate(2026, 3, 1), To: NewDate(2026, 5, 1)})}, NewDate(2026, 10, 1),
			SettingCoverage{Eligible: true}},
		{"before the setting registered", Setting{URN: "EY1", Type: NonDomestic, Status: Active, EYR: true, RegisteredOn: NewDate(2027, 1, 1)},
			[]StaffMember{sm(job(reg, Date{}, RoleSENCO), []Certificate{cert})}, NewDate(2026, 10, 1), SettingCoverage{}},
		{"after the setting closed", Setting{URN: "EY1", Type: NonDomestic, Status: Closed, EYR: true, RegisteredOn: reg, ClosedOn: NewDate(2026, 9, 1)},
			[]StaffMember{sm(job(reg, Date{}, RoleSENCO), []Certificate{cert})}, NewDate(2026, 10, 1), SettingCoverage{}},
	}
	for _, tt := range tests {
		if got := CoverSetting(tt.setting, tt.staff, tt.d); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestAreaCoverage(t *testing.T) {
	var a AreaCoverage
	a.Count(NonDomestic, SettingCoverage{Eligible: true, Qualified: true})
	a.Count(Domestic, SettingCoverage{Eligible: true, InTraining: true})
	a.Count(Childminder, SettingCoverage{Eligible: true})
	a.Count(Childminder, SettingCoverage{}) // not eligible: not counted
	all := a.All()
	if a.Group.Eligible != 2 || a.Childminder.Eligible != 1 || all.Eligible != 3 || all.Qualified != 1 || all.InTraining != 1 || all.Gap != 1 {
		t.Fatalf("%+v all %+v", a, all)
	}
	if got := a.Group.Coverage(); got != 0.5 {
		t.Errorf("group coverage %v", got)
	}
	if (Counts{}).Coverage() != 0 {
		t.Errorf("empty coverage not 0")
	}
}

func TestGapBefore(t *testing.T) {
	d := NewDate(2026, 6, 1)
	tests := []struct {
		name string
		a, b GapFacts
		want bool // a before b
	}{
		{"a recent loss first", GapFacts{URN: "B", Places: 5, LostOn: d}, GapFacts{URN: "A", Places: 90, Outcome: 4}, true},
		{"the more recent loss first", GapFacts{URN: "B", LostOn: d.AddDays(-40)}, GapFacts{URN: "A", LostOn: d}, false},
		{"inadequate before requires improvement", GapFacts{URN: "B", Outcome: 4}, GapFacts{URN: "A", Outcome: 3, Places: 90}, true},
		{"requires improvement before good", GapFacts{URN: "B", Outcome: 3}, GapFacts{URN: "A", Outcome: 2, Places: 90}, true},
		{"good and not inspected alike: more places first", GapFacts{URN: "B", Outcome: 0, Places: 30}, GapFacts{URN: "A", Outcome: 2, Places: 20}, true},
		{"more places first", GapFacts{URN: "B", Places: 20}, GapFacts{URN: "A", Places: 40}, false},
		{"all equal: by URN", GapFacts{URN: "A", Places: 20}, GapFacts{URN: "B", Places: 20}, true},
		{"not before itself", GapFacts{URN: "A", Places: 20}, GapFacts{URN: "A", Places: 20}, false},
	}
	for _, tt := range tests {
		if got := GapBefore(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

package importer

import (
	"os"
	"strings"
	"testing"

	"senco/internal/domain"
)

func TestPractitionersExample(t *testing.T) {
	f, err := os.Open("testdata/practitioners_example.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := ParsePractitioners("practitioners_example.csv", f)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8 {
		t.Fatalf("%d rows", len(rows))
	}
	people := map[string][]PractitionerRow{}
	for _, r := range rows {
		people[r.Key()] = append(people[r.Key()], r)
		if r.Practitioner.ID != 0 || r.Employment.PractitionerID != 0 || r.Employment.ID != 0 {
			t.Errorf("row %d has IDs", r.Row)
		}
		if err := r.Employment.Validate(); err != nil {
			t.Errorf("row %d: %v", r.Row, err)
		}
	}
	if len(people) != 6 {
		t.Errorf("%d people, want 6", len(people))
	}
	ada := rows[0]
	if ada.Row != 2 || ada.Key() != "email:ada.example@example.com" || ada.Practitioner.FullName() != "Ada Example" ||
		ada.Practitioner.QualificationLevel != 6 || !ada.Practitioner.EYTS || ada.Practitioner.QTS ||
		!ada.Practitioner.DateOfBirth.Equal(domain.NewDate(1985, 3, 14)) ||
		ada.Employment.SettingURN != "124950" || ada.Employment.Role != domain.RoleSENCO || !ada.Employment.StartedOn.Equal(domain.NewDate(2019, 9, 2)) {
		t.Errorf("Ada: %+v", ada)
	}
	dev := people["name:dev|testington|1999-01-09"]
	if len(dev) != 2 || dev[0].Employment.Role != domain.RoleDeputySENCO || !dev[0].Employment.EndedOn.Equal(domain.NewDate(2024, 7, 31)) || dev[1].Employment.SettingURN != "EY554400" {
		t.Errorf("Dev: %+v", dev)
	}
	// Every URN in the template is a real setting in the 2021 extract.
	_, recs := extract()
	urns := map[string]bool{}
	for _, r := range recs {
		urns[r[1]] = true
	}
	for _, r := range rows {
		if !urns[r.Employment.SettingURN] {
			t.Errorf("row %d: URN %s is not in the 2021 extract", r.Row, r.Employment.SettingURN)
		}
	}
}

func TestParsePractitioners(t *testing.T) {
	const hdr = "given_name,family_name,email,date_of_birth,qualification_level,qts,eyts,qtls,setting_urn,role,started_on,ended_on\n"
	t.Run("same person over several rows", func(t *testing.T) {
		in := "First Name,Surname,Email Address,DOB,Qualification level,QTS,EYTS,QTLS,URN,Job role,Start date,End date,prior_sen_training\n" +
			"Gail,Invented,Gail.Invented@Example.com,02/03/1990,Level 3,,Y,,EY123456,practitioner,01/09/2020,31/08/2022,\n" +
			"Gail,Invented,gail.invented@example.com,,,N,,,EY654321,senco,2022-09-01,,LA SENCO course 2019\n" +
			"gail,invented,,1990-03-02,3,N,Y,N,EY654321,Deputy SENCO,2022-09-01,,\n"
		rows, err := ParsePractitioners("staff.csv", strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		want := domain.Practitioner{GivenName: "Gail", FamilyName: "Invented", Email: "Gail.Invented@Example.com", DateOfBirth: domain.NewDate(1990, 3, 2),
			QualificationLevel: 3, EYTS: true, PriorSENTraining: "LA SENCO course 2019"}
		for _, r := range rows {
			if r.Practitioner != want || r.Key() != "email:gail.invented@example.com" {
				t.Errorf("row %d: %+v, key %s", r.Row, r.Practitioner, r.Key())
			}
		}
		if rows[0].Employment.Role != domain.RolePractitioner || rows[1].Employment.Role != domain.RoleSENCO || rows[2].Employment.Role != domain.RoleDeputySENCO {
			t.Errorf("roles %v %v %v", rows[0].Employment.Role, rows[1].Employment.Role, rows[2].Employment.Role)
		}
	})
	t.Run("same name, different people", func(t *testing.T) {
		in := hdr + "Sam,Sample,,1990-01-01,,,,,EY123456,practitioner,2020-01-01,\n" + "Sam,Sample,,1991-01-01,,,,,EY123456,practitioner,2020-01-01,\n"
		rows, err := ParsePractitioners("staff.csv", strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if rows[0].Key() == rows[1].Key() {
			t.Error("two people share a key")
		}
	})

	row := func(s string) string {
		return hdr + "Ada,Example,ada@example.com,1985-03-14,6,N,Y,N,124950,SENCO,2019-09-02,\n" + s + "\n"
	}
	tests := []struct {
		name, in     string
		row          int
		column, says string
		total        int
	}{
		{"bad email", row("Bo,Example,bo@,1985-03-14,,,,,124950,Manager,2019-09-02,"), 3, "email", "name@example.com", 0},
		{"email with a display name", row("Bo,Example,Bo <bo@example.com>,1985-03-14,,,,,124950,Manager,2019-09-02,"), 3, "email", "correct format", 0},
		{"no first name", row(",Example,bo@example.com,1985-03-14,,,,,124950,Manager,2019-09-02,"), 3, "given_name", "first name", 0},
		{"no last name", row("Bo,,bo@example.com,1985-03-14,,,,,124950,Manager,2019-09-02,"), 3, "family_name", "last name", 0},
		{"neither email nor date of birth", row("Bo,Example,,,,,,,124950,Manager,2019-09-02,"), 3, "date_of_birth", "an email address or a date of birth", 0},
		{"impossible date of birth", row("Bo,Example,,31/02/1990,,,,,124950,Manager,2019-09-02,"), 3, "date_of_birth", "real date", 0},
		{"too young", row("Bo,Example,,2010-01-01,,,,,124950,Manager,2019-09-02,"), 3, "date_of_birth", "at least 15 years before the start date 02/09/2019", 0},
		{"level 8", row("Bo,Example,bo@example.com,,8,,,,124950,Manager,2019-09-02,"), 3, "qualification_level", "2 to 7", 0},
		{"level 1", row("Bo,Example,bo@example.com,,1,,,,124950,Manager,2019-09-02,"), 3, "qualification_level", "2 to 7", 0},
		{"QTS maybe", row("Bo,Example,bo@example.com,,,maybe,,,124950,Manager,2019-09-02,"), 3, "qts", "Y, N or blank", 0},
		{"bad URN", row("Bo,Example,bo@example.com,,,,,,Acorns,Manager,2019-09-02,"), 3, "setting_urn", "Ofsted URN", 0},
		{"bad role", row("Bo,Example,bo@example.com,,,,,,124950,Cook,2019-09-02,"), 3, "role", `"Practitioner", "SENCO", "Deputy SENCO", "Manager" or "Childminder"`, 0},
		{"no start", row("Bo,Example,bo@example.com,,,,,,124950,Manager,,"), 3, "started_on", "started", 0},
		{"bad start", row("Bo,Example,bo@example.com,,,,,,124950,Manager,2019-13-01,"), 3, "started_on", "real date", 0},
		{"ends before it starts", row("Bo,Example,bo@example.com,,,,,,124950,Manager,2019-09-02,2019-09-01"), 3, "ended_on", "on or after the start date 02/09/2019", 0},
		{"duplicate", row("Ada,Example,ADA@example.com,1985-03-14,6,N,Y,N,124950,senco,02/09/2019,"), 3, "", "row 2 already has the same person at setting 124950 as SENCO from 02/09/2019", 0},
		{"different names for one email", row("Adam,Example,ada@example.com,1985-03-14,6,N,Y,N,124950,Manager,2019-09-02,"), 3, "given_name", "same given_name as row 2", 0},
		{"different date of birth for one email", row("Ada,Example,ada@example.com,1986-03-14,6,N,Y,N,124950,Manager,2019-09-02,"), 3, "date_of_birth", "same date_of_birth as row 2", 0},
		{"different QTS for one person", row("Ada,Example,ada@example.com,,,Y,,,124950,Manager,2019-09-02,"), 3, "qts", "same qts as row 2", 0},
		{"several problems", row("Bo,Example,bo@,1985-03-14,9,x,,,124950,Cook,2019-09-02,"), 3, "email", "", 4},
		{"missing columns", "given_name,family_name,email\nAda,Example,ada@example.com\n", 0, "setting_urn", `"setting_urn", "urn" or "provider_urn"`, 3},
		{"wrong number of values", row("Bo,Example,bo@example.com"), 3, "", "12 values", 1},
		{"header only", hdr, 0, "", "there are none", 1},
		{"unterminated quote", row(`Bo,"Example,bo@example.com`), 3, "", "is not closed", 1},
		{"Excel", "PK\x03\x04rest", 0, "", "Excel workbook", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := ParsePractitioners("staff.csv", strings.NewReader(tc.in))
			if rows != nil {
				t.Error("data returned with a refused file")
			}
			p := problems(t, err)
			if want := max(tc.total, 1); p.Total != want {
				t.Fatalf("%d problems, want %d:\n%v", p.Total, want, err)
			}
			q := p.List[0]
			if q.Row != tc.row || q.Column != tc.column || !strings.Contains(q.String(), tc.says) {
				t.Errorf("got %s (%#v)", q, q)
			}
		})
	}
}

func TestPractitionerKey(t *testing.T) {
	r := PractitionerRow{Practitioner: domain.Practitioner{GivenName: "Ada", FamilyName: "Example", Email: "Ada@Example.COM"}}
	if r.Key() != "email:ada@example.com" {
		t.Error(r.Key())
	}
	r = PractitionerRow{Practitioner: domain.Practitioner{GivenName: " Mary  Ann ", FamilyName: "De Example", DateOfBirth: domain.NewDate(1990, 1, 2)}}
	if r.Key() != "name:mary ann|de example|1990-01-02" {
		t.Error(r.Key())
	}
}

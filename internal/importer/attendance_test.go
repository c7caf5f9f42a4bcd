package importer

import (
	"strings"
	"testing"

	"senco/internal/domain"
)

var attendanceRegister = []RegisterLearner{
	{ApplicationID: 11, Name: "Amara Leedsworker", Email: "amara@example.org"},
	{ApplicationID: 12, Name: "Bea Leedsworker", Email: "Shared@example.org"},
	{ApplicationID: 13, Name: "Cai Leedsworker", Email: "shared@example.org "},
}

func TestParseAttendance(t *testing.T) {
	marks, probs, total := ParseAttendance("register.csv", strings.NewReader(
		"\ufeffApplication ID,Email,Mark\n11,,Present\n,,\n12,,half\n13,,ABSENT\n"), attendanceRegister)
	if total != 0 || len(probs) != 0 {
		t.Fatalf("problems = %d %+v, want none", total, probs)
	}
	want := map[int64]domain.Mark{11: domain.Mark("present"), 12: domain.Mark("half"), 13: domain.Mark("absent")}
	if len(marks) != len(want) {
		t.Fatalf("marks = %v, want %v", marks, want)
	}
	for id, m := range want {
		if marks[id] != m {
			t.Errorf("mark of %d = %q, want %q", id, marks[id], m)
		}
	}
	marks, _, total = ParseAttendance("register.csv", strings.NewReader("email,attendance\nAMARA@example.org,excused\n"), attendanceRegister)
	if total != 0 || marks[11] != domain.Mark("excused") {
		t.Errorf("by email: marks %v, %d problems; want 11 excused", marks, total)
	}
}

// TestParseAttendanceProblems: each bad row is refused with its row (as a
// spreadsheet numbers it, the header being row 1) and column named.
func TestParseAttendanceProblems(t *testing.T) {
	for _, c := range []struct {
		name, csv string
		row       int
		column    string
		value     string
		expected  string // part of what was expected
	}{
		{"empty file", "", 0, "", "", "a header row"},
		{"no mark column", "application_id,note\n11,x\n", 0, "mark", "", "a column headed mark"},
		{"no learner column", "mark\npresent\n", 0, "application_id", "", "application_id or one headed email"},
		{"unknown id", "application_id,mark\n11,present\n99,present\n", 3, "application_id", "99", "on this session's register"},
		{"id not a number", "Application ID,mark\nxi,present\n", 2, "Application ID", "xi", "on this session's register"},
		{"unknown email", "email,mark\nnobody@example.org,present\n", 2, "email", "nobody@example.org", "the email of a learner"},
		{"shared email", "email,mark\nshared@example.org,present\n", 2, "email", "shared@example.org", "two learners share this one"},
		{"nobody named", "application_id,email,mark\n,,present\n", 2, "application_id", "", "the application ID or email"},
		{"bad mark", "application_id,Mark\n11,late\n", 2, "Mark", "late", "one of present, half, absent or excused"},
		{"twice", "application_id,mark\n11,present\n12,half\n11,absent\n", 4, "", "", "also on row 2"},
		{"malformed", "application_id,mark\n11,\"present\n", 2, "", "", "a well-formed CSV row"},
		{"no rows", "application_id,mark\n", 0, "", "", "at least one row"},
	} {
		t.Run(c.name, func(t *testing.T) {
			marks, probs, total := ParseAttendance("register.csv", strings.NewReader(c.csv), attendanceRegister)
			if total == 0 || len(probs) == 0 {
				t.Fatalf("no problems (marks %v), want row %d column %q", marks, c.row, c.column)
			}
			p := probs[len(probs)-1]
			if p.File != "register.csv" || p.Row != c.row || p.Column != c.column || p.Value != c.value || !strings.Contains(p.Expected, c.expected) {
				t.Errorf("problem = %+v, want row %d column %q value %q expecting %q", p, c.row, c.column, c.value, c.expected)
			}
		})
	}
}

// TestParseAttendanceKeepsTheFirstProblems: a file full of bad rows reports
// MaxProblems of them and counts the rest.
func TestParseAttendanceKeepsTheFirstProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("application_id,mark\n")
	for i := 0; i < MaxProblems+20; i++ {
		b.WriteString("11,late\n")
	}
	_, probs, total := ParseAttendance("register.csv", strings.NewReader(b.String()), attendanceRegister)
	if len(probs) != MaxProblems || total <= MaxProblems {
		t.Errorf("kept %d of %d problems, want %d of more", len(probs), total, MaxProblems)
	}
}

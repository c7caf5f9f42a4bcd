package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"senco/internal/csvsafe"
	"senco/internal/domain"
)

// RegisterLearner is one learner on a session's register, as an attendance
// file may name them: by application ID or by email.
type RegisterLearner struct {
	ApplicationID int64
	Name          string
	Email         string
}

// headerKey normalises a column heading: "Application ID" →
// "application_id".
func headerKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' || r == '-' }), "_")
}

// ParseAttendance reads an attendance CSV against a session's register:
// columns application_id or email (one of them), and mark. Every row is
// checked, and any problem refuses the whole file: it returns the marks by
// application, the first MaxProblems problems (each naming its row and
// column) and how many problems there were in all.
func ParseAttendance(file string, in io.Reader, register []RegisterLearner) (map[int64]domain.Mark, []Problem, int) {
	var probs []Problem
	total := 0
	add := func(row int, col, val, expected string) {
		total++
		if len(probs) < MaxProblems {
			probs = append(probs, Problem{File: file, Row: row, Column: col, Value: val, Expected: expected})
		}
	}
	onRegister := map[int64]string{}
	byEmail := map[string]int64{}
	for _, l := range register {
		onRegister[l.ApplicationID] = l.Name
		if e := strings.ToLower(strings.TrimSpace(l.Email)); e != "" {
			if _, dup := byEmail[e]; dup {
				byEmail[e] = -1 // two learners share it: ambiguous
			} else {
				byEmail[e] = l.ApplicationID
			}
		}
	}
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		add(0, "", "", "a CSV file with a header row: application_id (or email) and mark")
		return nil, probs, total
	}
	idCol, emailCol, markCol := -1, -1, -1
	for i, h := range head {
		switch headerKey(h) {
		case "application_id", "application", "id":
			idCol = i
		case "email", "learner_email", "email_address":
			emailCol = i
		case "mark", "attendance":
			markCol = i
		}
	}
	if markCol < 0 {
		add(0, "mark", "", "a column headed mark")
	}
	if idCol < 0 && emailCol < 0 {
		add(0, "application_id", "", "a column headed application_id or one headed email, to say who each row is")
	}
	if total > 0 {
		return nil, probs, total
	}
	cell := func(rec []string, i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	marks := map[int64]domain.Mark{}
	seenOn := map[int64]int{}
	row := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		row++
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				add(pe.Line, "", "", "a well-formed CSV row ("+pe.Err.Error()+")")
				continue
			}
			add(row, "", "", "a readable CSV row")
			break
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		var id int64
		idText, emailText := cell(rec, idCol), strings.ToLower(csvsafe.Unguard(cell(rec, emailCol)))
		switch {
		case idText != "":
			n, err := strconv.ParseInt(idText, 10, 64)
			if _, ok := onRegister[n]; err != nil || !ok {
				add(row, head[idCol], idText, "the application ID of a learner on this session's register")
			} else {
				id = n
			}
		case emailText != "":
			n, ok := byEmail[emailText]
			switch {
			case !ok:
				add(row, head[emailCol], emailText, "the email of a learner on this session's register")
			case n < 0:
				add(row, head[emailCol], emailText, "an email that names one learner; two learners share this one, so use application_id")
			default:
				id = n
			}
		default:
			col := "application_id"
			if idCol >= 0 {
				col = head[idCol]
			} else if emailCol >= 0 {
				col = head[emailCol]
			}
			add(row, col, "", "the application ID or email of a learner on this session's register")
		}
		markText := cell(rec, markCol)
		m := domain.Mark(strings.ToLower(markText))
		if !m.Valid() {
			add(row, head[markCol], markText, "one of present, half, absent or excused")
		}
		if id == 0 {
			continue
		}
		if first, dup := seenOn[id]; dup {
			add(row, "", "", fmt.Sprintf("each learner once: %s is also on row %d", onRegister[id], first))
			continue
		}
		seenOn[id] = row
		marks[id] = m
	}
	if total == 0 && len(marks) == 0 {
		add(0, "", "", "at least one row with a learner and their mark")
	}
	return marks, probs, total
}

package delivery

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"senco/internal/csvsafe"
	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/web/page"
)

// cohortMaxUpload bounds an attendance CSV: a cohort's register is a few
// dozen rows.
const cohortMaxUpload = 1 << 20

type cohortUploadData struct {
	cohortPage
	Session  store.SessionRecord
	Cohort   store.CohortRecord
	Problems []importer.Problem
	More     int
	File     string
	page.Form
}

func (s *Handlers) UploadForm(w http.ResponseWriter, r *http.Request) error {
	sess, c, _, err := s.loadSessionForAttendance(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "cohort-attendance-upload", "Upload attendance", cohortUploadData{cohortPage: cohortPage{Today: s.Today()}, Session: sess, Cohort: c})
}

// cohortAttendanceTemplate downloads the session's register as a CSV to
// fill in and upload.
func (s *Handlers) AttendanceTemplate(w http.ResponseWriter, r *http.Request) error {
	sess, c, u, err := s.loadSessionForAttendance(r)
	if err != nil {
		return err
	}
	lines, err := s.DB.Register(r.Context(), sess)
	if err != nil {
		return err
	}
	emails, err := s.cohortEmails(r, u, c)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="attendance-%s.csv"`, sess.Date))
	cw := csvsafe.NewWriter(w) // names are typed in by people: never formulas
	cw.Write([]string{"application_id", "email", "name", "mark"})
	for _, l := range lines {
		cw.Write([]string{page.Itoa(l.ApplicationID), emails[l.ApplicationID], l.PractitionerName, string(l.Mark)})
	}
	cw.Flush()
	return cw.Error()
}

// cohortEmails maps the cohort's applications to their learners' emails.
func (s *Handlers) cohortEmails(r *http.Request, u domain.User, c store.CohortRecord) (map[int64]string, error) {
	list, err := s.DB.Applications(r.Context(), policy.Delivery(u), store.AppFilter{CohortID: c.ID, PageSize: 5000})
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, a := range list.Applications {
		out[a.ID] = strings.ToLower(strings.TrimSpace(a.Email))
	}
	return out, nil
}

// cohortHeaderKey normalises a column heading: "Application ID" →
// "application_id".
func cohortHeaderKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' || r == '-' }), "_")
}

// cohortParseMarks reads an attendance CSV against a session's register:
// columns application_id or email (one of them), and mark. Every row is
// checked; any problem refuses the whole file.
func cohortParseMarks(file string, in io.Reader, lines []store.RegisterLine, emails map[int64]string) (map[int64]domain.Mark, []importer.Problem, int) {
	var probs []importer.Problem
	total := 0
	add := func(row int, col, val, expected string) {
		total++
		if len(probs) < importer.MaxProblems {
			probs = append(probs, importer.Problem{File: file, Row: row, Column: col, Value: val, Expected: expected})
		}
	}
	onRegister := map[int64]string{}
	byEmail := map[string]int64{}
	for _, l := range lines {
		onRegister[l.ApplicationID] = l.PractitionerName
		if e := emails[l.ApplicationID]; e != "" {
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
		switch cohortHeaderKey(h) {
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

func (s *Handlers) Upload(w http.ResponseWriter, r *http.Request) error {
	sess, c, u, err := s.loadSessionForAttendance(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d := cohortUploadData{cohortPage: cohortPage{Today: s.Today()}, Session: sess, Cohort: c}
	r.Body = http.MaxBytesReader(w, r.Body, cohortMaxUpload)
	file, hdr, err := r.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile):
		d.Fail("file", "Select a CSV file")
	case err != nil:
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			d.Fail("file", "The selected file must be smaller than 1 MB")
		} else {
			d.Fail("file", "The selected file could not be read")
		}
	}
	if !d.Valid() {
		return s.RenderForm(w, r, "cohort-attendance-upload", "Upload attendance", d)
	}
	defer file.Close()
	d.File = filepath.Base(hdr.Filename)
	lines, err := s.DB.Register(ctx, sess)
	if err != nil {
		return err
	}
	emails, err := s.cohortEmails(r, u, c)
	if err != nil {
		return err
	}
	marks, probs, total := cohortParseMarks(d.File, file, lines, emails)
	if total > 0 {
		d.Problems, d.More = probs, total-len(probs)
		d.Fail("file", "The selected file has problems: nothing was saved. Correct the rows listed in the table and upload it again")
		return s.RenderForm(w, r, "cohort-attendance-upload", "Upload attendance", d)
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return tx.SaveRegister(ctx, domain.ActorOf(u), sess, sess.RegisterVersion, marks)
	})
	if rule, ok := store.IsRule(err); ok {
		d.Fail("file", rule.Msg)
		return s.RenderForm(w, r, "cohort-attendance-upload", "Upload attendance", d)
	}
	if errors.Is(err, store.ErrConflict) {
		d.Fail("file", "Another person saved this register while your file was being checked: nothing was saved. Upload the file again")
		return s.RenderStatus(w, r, http.StatusConflict, "cohort-attendance-upload", "Upload attendance", d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/sessions/%d/attendance?done=uploaded&n=%d", sess.ID, len(marks)), http.StatusSeeOther)
	return nil
}

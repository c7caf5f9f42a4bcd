package delivery

import (
	"errors"
	"fmt"
	"net/http"
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

func (s *Handlers) Upload(w http.ResponseWriter, r *http.Request) error {
	sess, c, u, err := s.loadSessionForAttendance(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d := cohortUploadData{cohortPage: cohortPage{Today: s.Today()}, Session: sess, Cohort: c}
	file, name := d.Upload(w, r, "file", cohortMaxUpload, "1 MB")
	if file == nil {
		return s.RenderForm(w, r, "cohort-attendance-upload", "Upload attendance", d)
	}
	defer file.Close()
	d.File = name
	lines, err := s.DB.Register(ctx, sess)
	if err != nil {
		return err
	}
	emails, err := s.cohortEmails(r, u, c)
	if err != nil {
		return err
	}
	register := make([]importer.RegisterLearner, 0, len(lines))
	for _, l := range lines {
		register = append(register, importer.RegisterLearner{ApplicationID: l.ApplicationID, Name: l.PractitionerName, Email: emails[l.ApplicationID]})
	}
	marks, probs, total := importer.ParseAttendance(d.File, file, register)
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

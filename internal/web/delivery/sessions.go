package delivery

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/web/page"
)

// --- New session --------------------------------------------------------

type cohortSessionForm struct {
	cohortPage
	Cohort    store.CohortRecord
	Date      page.DateField
	Hours     string
	Mode      string
	Topic     string
	Venue     string
	Units     string
	Starts    string
	Ends      string
	ModeItems []any
	// Holiday names the bank holiday the date falls on; HolidayOK is the
	// supplier's answer that the session is meant to be held on it.
	Holiday, HolidayOn string
	HolidayOK          bool
	page.Form
}

// loadCohortForSessions loads a cohort in scope that the user may schedule
// sessions for: its supplier's admin or one of its trainers.
func (s *Handlers) loadCohortForSessions(r *http.Request) (store.CohortRecord, domain.User, error) {
	c, u, err := s.loadCohort(r)
	if err != nil {
		return c, u, err
	}
	ok, err := s.cohortTrainerOf(r.Context(), u, c)
	if err != nil {
		return c, u, err
	}
	if !ok {
		return c, u, page.ErrForbidden
	}
	return c, u, nil
}

func (s *Handlers) SessionNew(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.loadCohortForSessions(r)
	if err != nil {
		return err
	}
	f := cohortSessionForm{cohortPage: cohortPage{Today: s.Today()}, Cohort: c, Mode: string(c.Mode), ModeItems: cohortModeItems()}
	return s.Render(w, r, "cohort-session-new", "Add a session", f)
}

// cohortParseHours reads a length in hours ("6", "3.5", "2,5") as minutes.
func cohortParseHours(s string) (int, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.ToLower(s)), "hours"))
	s = strings.TrimSpace(strings.TrimSuffix(s, "hour"))
	s = strings.ReplaceAll(s, ",", ".")
	h, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(h) || math.IsInf(h, 0) {
		return 0, false
	}
	return int(math.Round(h * 60)), true
}

func (s *Handlers) SessionCreate(w http.ResponseWriter, r *http.Request) error {
	c, u, err := s.loadCohortForSessions(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f := cohortSessionForm{cohortPage: cohortPage{Today: s.Today()}, Cohort: c, ModeItems: cohortModeItems(),
		Date: page.ReadDate(r, "date"), Hours: strings.TrimSpace(r.PostFormValue("hours")), Mode: r.PostFormValue("mode"),
		Topic: strings.TrimSpace(r.PostFormValue("topic")), Venue: strings.TrimSpace(r.PostFormValue("venue")),
		Units: strings.TrimSpace(r.PostFormValue("units")), Starts: strings.TrimSpace(r.PostFormValue("starts")),
		Ends: strings.TrimSpace(r.PostFormValue("ends"))}
	sess := domain.Session{Mode: domain.DeliveryMode(f.Mode), Topic: f.Topic, Venue: f.Venue, Starts: f.Starts, Ends: f.Ends}
	if !f.Date.Empty() {
		var msg string
		if sess.Date, msg = f.Date.Parse("the date of the session"); msg != "" {
			f.Fail("date-day", msg)
		}
	}
	if f.Hours != "" {
		m, ok := cohortParseHours(f.Hours)
		f.Check(ok, "hours", "Enter the length in hours as a number, for example 6 or 3.5")
		sess.Minutes = m
	}
	for _, unit := range strings.Split(f.Units, ",") {
		if unit = strings.TrimSpace(unit); unit != "" {
			sess.Units = append(sess.Units, unit)
		}
	}
	// The same check the store makes, so every problem shows at once.
	for field, msg := range sess.Validate(c.Cohort) {
		f.Fail(field, msg)
	}
	f.ErrorOrder = page.OrderFields(f.ErrorOrder, "date-day", "starts", "ends", "hours", "mode", "topic", "venue", "units")
	if !f.Valid() {
		return s.RenderForm(w, r, "cohort-session-new", "Add a session", f)
	}
	// A session on a bank holiday is allowed, but is more often a slip of
	// the date: ask once before scheduling it.
	if name, ok := domain.BankHoliday(sess.Date); ok {
		f.Holiday, f.HolidayOn, f.HolidayOK = name, sess.Date.Long(), r.PostFormValue("holiday") == "yes"
		if !f.HolidayOK {
			return s.Render(w, r, "cohort-session-new", "Add a session", f)
		}
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		sess, err = tx.AddSession(ctx, domain.ActorOf(u), c.Cohort, sess)
		return err
	})
	if rule, ok := store.IsRule(err); ok {
		f.Fail(cohortRuleField(rule, "date-day", "date-day", "starts", "ends", "hours", "mode", "topic"), rule.Msg)
		return s.RenderForm(w, r, "cohort-session-new", "Add a session", f)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/cohorts/%d?done=session&session=%d", c.ID, sess.ID), http.StatusSeeOther)
	return nil
}

// --- Attendance -----------------------------------------------------------

// cohortConflictMessage is what a trainer sees when another saved first.
const cohortConflictMessage = "Another person saved this register after you opened it. Their marks are shown below; check and save again."

type cohortRegisterRow struct {
	store.RegisterLine
	Field string      // the radios' name: mark-<application id>
	Value domain.Mark // the mark shown as chosen
	Hint  string
}

// cohortUnsaved is a mark the user chose that was not saved.
type cohortUnsaved struct {
	Name    string
	Mark    domain.Mark
	Current domain.Mark
	Differs bool
}

type cohortAttendanceData struct {
	cohortPage
	Session   store.SessionRecord
	Cohort    store.CohortRecord
	Rows      []cohortRegisterRow
	Version   int
	Done      string
	Conflict  bool
	Unsaved   []cohortUnsaved
	MarkItems []any
	Missed    int
	// MissedRows are the learners marked absent or half, each with a link
	// to record their catch-up.
	MissedRows []store.RegisterLine
	// Unmarked counts the learners with no saved mark; Everyone says the
	// page shows them as present (MarkEveryone), not yet saved.
	Unmarked int
	Everyone bool
	// NotHeld says the session is after today, so its register cannot be
	// taken yet.
	NotHeld bool
	page.Form
}

// loadSessionForAttendance loads a session whose cohort is in scope and
// checks the user may take its attendance.
func (s *Handlers) loadSessionForAttendance(r *http.Request) (store.SessionRecord, store.CohortRecord, domain.User, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return store.SessionRecord{}, store.CohortRecord{}, u, err
	}
	if !policy.CanOpenCohorts(u) {
		return store.SessionRecord{}, store.CohortRecord{}, u, page.ErrForbidden
	}
	sess, c, err := s.DB.Session(r.Context(), policy.Delivery(u), id)
	if err != nil {
		return sess, c, u, err
	}
	if !policy.CanTakeAttendance(u) {
		return sess, c, u, page.ErrForbidden
	}
	ok, err := s.cohortTrainerOf(r.Context(), u, c)
	if err != nil {
		return sess, c, u, err
	}
	if !ok {
		return sess, c, u, page.ErrForbidden
	}
	return sess, c, u, nil
}

func cohortMarkItems() []any {
	var items []any
	for _, m := range domain.Marks {
		items = append(items, map[string]any{"value": string(m), "text": m.Label()})
	}
	return items
}

func (s *Handlers) cohortAttendanceData(r *http.Request, sess store.SessionRecord, c store.CohortRecord, chosen map[int64]domain.Mark) (cohortAttendanceData, error) {
	d := cohortAttendanceData{cohortPage: cohortPage{Today: s.Today()}, Session: sess, Cohort: c, Version: sess.RegisterVersion,
		MarkItems: cohortMarkItems(), NotHeld: sess.Date.After(s.Today())}
	lines, err := s.DB.Register(r.Context(), sess)
	if err != nil {
		return d, err
	}
	for _, l := range lines {
		row := cohortRegisterRow{RegisterLine: l, Field: fmt.Sprintf("mark-%d", l.ApplicationID), Value: l.Mark, Hint: l.SettingName}
		if row.Hint == "" {
			row.Hint = "Setting's name withheld by Ofsted"
		}
		if l.Status == domain.StatusWithdrawn {
			row.Hint += " · withdrawn after this session"
		}
		if !l.CaughtUpOn.IsZero() {
			row.Hint += " · caught up " + l.CaughtUpOn.Long()
		}
		if m, ok := chosen[l.ApplicationID]; ok {
			row.Value = m
		}
		if l.Mark == domain.Absent || l.Mark == domain.Half {
			d.Missed++
			d.MissedRows = append(d.MissedRows, l)
		}
		if l.Mark == "" {
			d.Unmarked++
		}
		d.Rows = append(d.Rows, row)
	}
	// The banner after a save, built from the records.
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("n"))
	learners := fmt.Sprintf("%d learner", n)
	if n != 1 {
		learners += "s"
	}
	switch q.Get("done") {
	case "saved":
		d.Done = "Attendance saved for " + learners
	case "uploaded":
		d.Done = "Attendance from your file saved for " + learners
	case "catch-up":
		for _, row := range d.Rows {
			if page.Itoa(row.ApplicationID) == q.Get("app") && !row.CaughtUpOn.IsZero() {
				d.Done = fmt.Sprintf("Catch-up recorded for %s on %s", row.PractitionerName, row.CaughtUpOn.Long())
			}
		}
	}
	return d, nil
}

func (s *Handlers) AttendanceForm(w http.ResponseWriter, r *http.Request) error {
	sess, c, _, err := s.loadSessionForAttendance(r)
	if err != nil {
		return err
	}
	d, err := s.cohortAttendanceData(r, sess, c, nil)
	if err != nil {
		return err
	}
	// "Mark everyone present" shows the unmarked learners as present for
	// the trainer to change the exceptions; only Save writes them.
	if r.URL.Query().Get("mark") == "present" && !d.NotHeld && d.Unmarked > 0 {
		saved := map[int64]domain.Mark{}
		ids := make([]int64, len(d.Rows))
		for i, row := range d.Rows {
			saved[row.ApplicationID], ids[i] = row.Mark, row.ApplicationID
		}
		chosen := domain.MarkEveryone(saved, ids)
		for i := range d.Rows {
			d.Rows[i].Value = chosen[d.Rows[i].ApplicationID]
		}
		d.Everyone = true
	}
	return s.Render(w, r, "cohort-attendance", cohortAttendanceTitle(sess), d)
}

func cohortAttendanceTitle(sess store.SessionRecord) string {
	return "Attendance for " + sess.Date.Long()
}

func (s *Handlers) AttendanceSave(w http.ResponseWriter, r *http.Request) error {
	sess, c, u, err := s.loadSessionForAttendance(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return err
	}
	marks := map[int64]domain.Mark{}
	var bad []string
	for key, vals := range r.PostForm {
		rest, ok := strings.CutPrefix(key, "mark-")
		if !ok || len(vals) == 0 || vals[0] == "" {
			continue
		}
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			bad = append(bad, rest)
			continue
		}
		marks[id] = domain.Mark(vals[0])
	}
	version, verr := strconv.Atoi(r.PostFormValue("version"))
	d, err := s.cohortAttendanceData(r, sess, c, marks)
	if err != nil {
		return err
	}
	d.Done = ""
	if verr == nil {
		// Re-shown with a problem, the form keeps the version the user's
		// marks were based on, so a later save still cannot undo another's.
		d.Version = version
	}
	switch {
	case len(bad) > 0:
		d.Fail("marks", "Not learners of this cohort: "+strings.Join(bad, ", ")+"; nothing was saved")
	case verr != nil:
		d.Fail("marks", "The register could not be read; open it again and mark the learners")
	case len(marks) == 0:
		d.Fail("marks", "Mark at least one learner")
	}
	if !d.Valid() {
		return s.RenderForm(w, r, "cohort-attendance", cohortAttendanceTitle(sess), d)
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error { return tx.SaveRegister(ctx, domain.ActorOf(u), sess, version, marks) })
	if rule, ok := store.IsRule(err); ok {
		d.Fail("marks", rule.Msg)
		return s.RenderForm(w, r, "cohort-attendance", cohortAttendanceTitle(sess), d)
	}
	if errors.Is(err, store.ErrConflict) {
		// Show the register as it is now, with the user's choices listed so
		// nothing they did is lost.
		sess, c, err = s.DB.Session(ctx, policy.Delivery(u), sess.ID)
		if err != nil {
			return err
		}
		d, err = s.cohortAttendanceData(r, sess, c, nil)
		if err != nil {
			return err
		}
		d.Done, d.Conflict = "", true
		d.Fail("marks", cohortConflictMessage)
		onRegister := map[int64]bool{}
		for _, row := range d.Rows {
			onRegister[row.ApplicationID] = true
			if m, ok := marks[row.ApplicationID]; ok {
				d.Unsaved = append(d.Unsaved, cohortUnsaved{Name: row.PractitionerName, Mark: m, Current: row.Mark, Differs: m != row.Mark})
			}
		}
		var others []int64
		for id := range marks {
			if !onRegister[id] {
				others = append(others, id)
			}
		}
		sort.Slice(others, func(i, j int) bool { return others[i] < others[j] })
		for _, id := range others {
			d.Unsaved = append(d.Unsaved, cohortUnsaved{Name: fmt.Sprintf("Application %d (no longer on the register)", id), Mark: marks[id], Differs: true})
		}
		return s.RenderStatus(w, r, http.StatusConflict, "cohort-attendance", cohortAttendanceTitle(sess), d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/sessions/%d/attendance?done=saved&n=%d", sess.ID, len(marks)), http.StatusSeeOther)
	return nil
}

// --- Catch-up -----------------------------------------------------------

type cohortCatchUpForm struct {
	cohortPage
	Session      store.SessionRecord
	Cohort       store.CohortRecord
	Missed       []store.RegisterLine
	LearnerItems []any
	Learner      string
	On           page.DateField
	Note         string
	page.Form
}

func (s *Handlers) cohortCatchUpData(r *http.Request, sess store.SessionRecord, c store.CohortRecord) (cohortCatchUpForm, error) {
	f := cohortCatchUpForm{cohortPage: cohortPage{Today: s.Today()}, Session: sess, Cohort: c}
	lines, err := s.DB.Register(r.Context(), sess)
	if err != nil {
		return f, err
	}
	f.LearnerItems = append(f.LearnerItems, map[string]any{"value": "", "text": "Choose a learner"})
	for _, l := range lines {
		if l.Mark != domain.Absent && l.Mark != domain.Half {
			continue
		}
		f.Missed = append(f.Missed, l)
		text := fmt.Sprintf("%s (%s)", l.PractitionerName, strings.ToLower(l.Mark.Label()))
		if !l.CaughtUpOn.IsZero() {
			text += ", caught up " + l.CaughtUpOn.Long()
		}
		f.LearnerItems = append(f.LearnerItems, map[string]any{"value": page.Itoa(l.ApplicationID), "text": text})
	}
	return f, nil
}

func (s *Handlers) CatchUpForm(w http.ResponseWriter, r *http.Request) error {
	sess, c, _, err := s.loadSessionForAttendance(r)
	if err != nil {
		return err
	}
	f, err := s.cohortCatchUpData(r, sess, c)
	if err != nil {
		return err
	}
	f.Learner = r.URL.Query().Get("learner")
	f.On = page.DateFieldOf(s.Today())
	return s.Render(w, r, "cohort-catch-up", "Record a catch-up", f)
}

func (s *Handlers) CatchUp(w http.ResponseWriter, r *http.Request) error {
	sess, c, u, err := s.loadSessionForAttendance(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f, err := s.cohortCatchUpData(r, sess, c)
	if err != nil {
		return err
	}
	f.Learner, f.On, f.Note = r.PostFormValue("learner"), page.ReadDate(r, "on"), strings.TrimSpace(r.PostFormValue("note"))
	var line *store.RegisterLine
	for i := range f.Missed {
		if page.Itoa(f.Missed[i].ApplicationID) == f.Learner {
			line = &f.Missed[i]
		}
	}
	if line == nil {
		f.Fail("learner", "Choose a learner who was absent or attended half of this session")
	}
	on := f.ParseDate(f.On, "on-day", "the date of the catch-up")
	if msg := domain.TooLong("The note", f.Note, domain.MaxNoteLength); msg != "" {
		f.Fail("note", msg)
	}
	if !f.Valid() {
		return s.RenderForm(w, r, "cohort-catch-up", "Record a catch-up", f)
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return tx.RecordCatchUp(ctx, domain.ActorOf(u), sess, line.ApplicationID, on, f.Note)
	})
	if rule, ok := store.IsRule(err); ok {
		// The learner was offered as one who missed the session, so what
		// is left to refuse is the date.
		f.Fail("on-day", rule.Msg)
		return s.RenderForm(w, r, "cohort-catch-up", "Record a catch-up", f)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/sessions/%d/attendance?done=catch-up&app=%d", sess.ID, line.ApplicationID), http.StatusSeeOther)
	return nil
}

package growth

import (
	"context"
	"fmt"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// LACourse is a local authority's own SENCO course, with who attended.
type LACourse struct {
	ID        int64
	LACode    string
	Title     string
	HeldOn    domain.Date
	Minutes   int
	Attendees []Attendee
}

// Attendee is a practitioner who attended a course.
type Attendee struct {
	PractitionerID int64
	Name           string
}

// MentoringContact is an Area SENCO's contact with a setting or learner.
type MentoringContact struct {
	ID               int64
	LACode           string
	SettingURN       string
	SettingName      string
	PractitionerID   int64
	PractitionerName string
	ContactOn        domain.Date
	Mode             string
	Note             string
	CreatedBy        string
}

// laOnly is the authority of an LA scope; nothing else reads the LA's
// courses and contacts.
func laOnly(scope policy.Scope) (string, bool) {
	if scope.Kind == policy.LA && scope.LACode != "" {
		return scope.LACode, true
	}
	return "", false
}

// Courses lists the authority's courses, newest first, with attendees.
func Courses(ctx context.Context, q store.Querier, scope policy.Scope) ([]LACourse, error) {
	la, ok := laOnly(scope)
	if !ok {
		return nil, nil
	}
	cs, err := store.Collect(ctx, q, "LA courses", func(sc store.Scanner, c *LACourse) error {
		return sc.Scan(&c.ID, &c.LACode, &c.Title, &c.HeldOn, &c.Minutes)
	}, `SELECT id, la_code, title, held_on, minutes FROM la_courses WHERE la_code = $1 ORDER BY held_on DESC, id DESC`, la)
	if err != nil || len(cs) == 0 {
		return cs, err
	}
	type att struct {
		course int64
		a      Attendee
	}
	atts, err := store.Collect(ctx, q, "LA course attendees", func(sc store.Scanner, x *att) error {
		return sc.Scan(&x.course, &x.a.PractitionerID, &x.a.Name)
	}, `SELECT ca.course_id, p.id, p.given_name || ' ' || p.family_name FROM la_course_attendees ca JOIN la_courses c ON c.id = ca.course_id
		JOIN practitioners p ON p.id = ca.practitioner_id WHERE c.la_code = $1 ORDER BY p.family_name, p.given_name`, la)
	at := map[int64]int{}
	for i, c := range cs {
		at[c.ID] = i
	}
	for _, x := range atts {
		cs[at[x.course]].Attendees = append(cs[at[x.course]].Attendees, x.a)
	}
	return cs, err
}

// CheckCourse is the decision on a new LA course.
func CheckCourse(c LACourse, today domain.Date) *domain.Refusal {
	c.Title = strings.TrimSpace(c.Title)
	switch {
	case c.Title == "":
		return domain.Refuse("title", "Enter the course's title")
	case domain.TooLong("Title", c.Title, domain.MaxTitleLength) != "":
		return domain.Refuse("title", "%s", domain.TooLong("Title", c.Title, domain.MaxTitleLength))
	case c.HeldOn.IsZero() || c.HeldOn.After(today):
		return domain.Refuse("held_on", "The date the course was held must be today or in the past")
	case c.Minutes <= 0 || c.Minutes > 60*200:
		return domain.Refuse("hours", "Enter the course's hours, up to 200")
	}
	return nil
}

// AddCourse records a course of the officer's authority and its attendees,
// each of whom must work (or have worked) at a setting in the authority.
func AddCourse(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, c LACourse, attendees []int64) (LACourse, error) {
	la, ok := laOnly(scope)
	if !ok {
		return c, store.ErrNotFound
	}
	c.LACode, c.Title = la, strings.TrimSpace(c.Title)
	if rule := CheckCourse(c, tx.Today()); rule != nil {
		return c, rule
	}
	for _, id := range attendees {
		var n int
		if err := tx.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM employments e JOIN settings s ON s.urn = e.setting_urn WHERE e.practitioner_id = $1 AND s.la_code = $2`,
			id, la).Scan(&n); err != nil {
			return c, fmt.Errorf("course attendee: %w", err)
		}
		if n == 0 {
			return c, domain.Refuse("attendees", "Practitioner %d does not work at a setting in your authority", id)
		}
	}
	var err error
	c.ID, err = tx.InsertID(ctx, `INSERT INTO la_courses (la_code, title, held_on, minutes, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		c.LACode, c.Title, c.HeldOn, c.Minutes, a.Label, tx.Now())
	if err != nil {
		return c, fmt.Errorf("add course: %w", err)
	}
	for _, id := range attendees {
		if _, err := tx.Exec(ctx, `INSERT INTO la_course_attendees (course_id, practitioner_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, c.ID, id); err != nil {
			return c, fmt.Errorf("add attendee: %w", err)
		}
	}
	if err := tx.Audit(ctx, a, "record LA course", "local_authority", la, nil, map[string]any{"course_id": c.ID, "attendees": len(attendees)}); err != nil {
		return c, err
	}
	// LA-trained shows on coverage: its pages are kept by the coverage
	// version, so move it too.
	if _, err := tx.Exec(ctx, `UPDATE coverage_version SET version = version + 1 WHERE id = 1`); err != nil {
		return c, fmt.Errorf("coverage version: %w", err)
	}
	return c, bump(ctx, tx)
}

// LATrained is, for each setting of an authority (or of every authority
// with la ""), whether someone employed there on d attended an LA course:
// "LA-trained" beside "qualified" and "in training".
func LATrained(ctx context.Context, q store.Querier, la string, d domain.Date) (map[string]bool, error) {
	var a store.Args
	where := ""
	if la != "" {
		where = " AND c.la_code = " + a.Add(la)
	}
	day := a.Add(d)
	urns, err := store.Collect(ctx, q, "LA-trained", func(sc store.Scanner, s *string) error { return sc.Scan(s) },
		`SELECT DISTINCT e.setting_urn FROM la_course_attendees ca JOIN la_courses c ON c.id = ca.course_id
		JOIN employments e ON e.practitioner_id = ca.practitioner_id AND e.started_on <= `+day+` AND (e.ended_on IS NULL OR e.ended_on >= `+day+`)
		WHERE c.held_on <= `+day+where, a...)
	out := map[string]bool{}
	for _, u := range urns {
		out[u] = true
	}
	return out, err
}

// Contacts lists the authority's mentoring contacts, newest first.
func Contacts(ctx context.Context, q store.Querier, scope policy.Scope) ([]MentoringContact, error) {
	la, ok := laOnly(scope)
	if !ok {
		return nil, nil
	}
	return store.Collect(ctx, q, "mentoring", func(sc store.Scanner, m *MentoringContact) error {
		return sc.Scan(&m.ID, &m.LACode, &m.SettingURN, &m.SettingName, &m.PractitionerID, &m.PractitionerName, &m.ContactOn, &m.Mode, &m.Note, &m.CreatedBy)
	}, `SELECT m.id, m.la_code, COALESCE(m.setting_urn, ''), COALESCE(s.name, ''), COALESCE(m.practitioner_id, 0),
		COALESCE(p.given_name || ' ' || p.family_name, ''), m.contact_on, m.mode, m.note, m.created_by
		FROM mentoring_contacts m LEFT JOIN settings s ON s.urn = m.setting_urn LEFT JOIN practitioners p ON p.id = m.practitioner_id
		WHERE m.la_code = $1 ORDER BY m.contact_on DESC, m.id DESC LIMIT 200`, la)
}

// MentoringModes are how a contact was made.
var MentoringModes = []string{"Visit", "Phone or video call", "Email", "Meeting or network"}

// AddContact records a contact with a setting of the authority or a
// practitioner working in one.
func AddContact(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, m MentoringContact) (MentoringContact, error) {
	la, ok := laOnly(scope)
	if !ok {
		return m, store.ErrNotFound
	}
	m.LACode, m.Note = la, strings.TrimSpace(m.Note)
	modeOK := false
	for _, x := range MentoringModes {
		modeOK = modeOK || x == m.Mode
	}
	switch {
	case m.SettingURN == "" && m.PractitionerID == 0:
		return m, domain.Refuse("setting", "Choose the setting or the practitioner you were in contact with")
	case m.ContactOn.IsZero() || m.ContactOn.After(tx.Today()):
		return m, domain.Refuse("contact_on", "The date must be today or in the past")
	case !modeOK:
		return m, domain.Refuse("mode", "Choose how the contact was made")
	case m.Note == "":
		return m, domain.Refuse("note", "Enter what was discussed and agreed")
	case domain.TooLong("Note", m.Note, domain.MaxNoteLength) != "":
		return m, domain.Refuse("note", "%s", domain.TooLong("Note", m.Note, domain.MaxNoteLength))
	}
	if m.SettingURN != "" {
		var n int
		if err := tx.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM settings WHERE urn = $1 AND la_code = $2`, m.SettingURN, la).Scan(&n); err != nil {
			return m, fmt.Errorf("mentoring setting: %w", err)
		}
		if n == 0 {
			return m, domain.Refuse("setting", "Setting %s is not in your authority", m.SettingURN)
		}
	}
	if m.PractitionerID != 0 {
		var n int
		if err := tx.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM employments e JOIN settings s ON s.urn = e.setting_urn WHERE e.practitioner_id = $1 AND s.la_code = $2`,
			m.PractitionerID, la).Scan(&n); err != nil {
			return m, fmt.Errorf("mentoring practitioner: %w", err)
		}
		if n == 0 {
			return m, domain.Refuse("practitioner", "That practitioner does not work at a setting in your authority")
		}
	}
	var err error
	m.ID, err = tx.InsertID(ctx, `INSERT INTO mentoring_contacts (la_code, setting_urn, practitioner_id, contact_on, mode, note, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, la, nullText(m.SettingURN), store.NullID(m.PractitionerID), m.ContactOn, m.Mode, m.Note, a.Label, tx.Now())
	if err != nil {
		return m, fmt.Errorf("add contact: %w", err)
	}
	if err := tx.Audit(ctx, a, "record mentoring", "local_authority", la, nil, map[string]any{"contact_id": m.ID}); err != nil {
		return m, err
	}
	return m, bump(ctx, tx)
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

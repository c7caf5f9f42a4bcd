package apply

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/web/page"
)

// The practitioner's own training: their applications with the eligibility
// reason, their cohort, sessions, attendance and progress, and the sessions
// as an iCalendar feed.

type appTrainingSession struct {
	store.SessionRecord
	Length   string
	Times    string // "9:30am to 3:30pm", "" for none
	Link     bool
	Mark     string
	CaughtUp bool
	Held     bool
}

type appTrainingApp struct {
	App           store.Application
	Tag           map[string]any
	Programme     domain.Programme
	Manual        bool
	Cohort        *store.CohortRecord
	Sessions      []appTrainingSession
	Attendance    appAttendanceSummary
	Qualification string
}

type appMyTrainingData struct {
	Apps     []appTrainingApp
	CanApply bool
	Calendar bool
}

// appOwnApplications are the signed-in practitioner's applications.
func (s *Handlers) appOwnApplications(r *http.Request) (domain.User, []store.Application, error) {
	u, _ := page.CurrentUser(r)
	scope := policy.Delivery(u)
	if !policy.OwnApplicationsOnly(u) {
		return u, nil, page.ErrForbidden
	}
	list, err := s.DB.Applications(r.Context(), scope, store.AppFilter{PageSize: 100})
	return u, list.Applications, err
}

func (s *Handlers) MyTraining(w http.ResponseWriter, r *http.Request) error {
	u, apps, err := s.appOwnApplications(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d := appMyTrainingData{CanApply: policy.CanApply(u)}
	for _, app := range apps {
		t := appTrainingApp{App: app, Tag: page.StatusTag(app), Manual: app.AwaitingReview()}
		if t.Programme, err = s.DB.Programme(ctx, app.ProgrammeID); err != nil {
			return err
		}
		var marks []domain.Attendance
		if t.Attendance, marks, err = s.appAttendanceOf(r, app, t.Programme); err != nil {
			return err
		}
		if app.CohortID != 0 {
			c, err := s.DB.Cohort(ctx, policy.Delivery(u), app.CohortID)
			if err != nil {
				return err
			}
			t.Cohort = &c
			sessions, err := s.DB.Sessions(ctx, c.ID)
			if err != nil {
				return err
			}
			byID := map[int64]domain.Attendance{}
			for _, m := range marks {
				byID[m.SessionID] = m
			}
			today := s.Today()
			for _, se := range sessions {
				m := byID[se.ID]
				ts := appTrainingSession{SessionRecord: se, Length: page.Duration(se.Minutes), Times: page.SessionTimes(se.Starts, se.Ends), Link: appIsLink(se.Venue),
					CaughtUp: m.CaughtUp, Held: se.Date.OnOrBefore(today)}
				if m.Mark != "" {
					ts.Mark = m.Mark.Label()
				}
				t.Sessions = append(t.Sessions, ts)
			}
			d.Calendar = d.Calendar || (appInCalendar(app) && len(sessions) > 0)
		}
		ans, ok, err := s.DB.ApplicationAnswers(ctx, app.ID)
		if err != nil {
			return err
		}
		if ok {
			t.Qualification = appQualificationText(ans.Qualification)
		}
		d.Apps = append(d.Apps, t)
	}
	return s.Render(w, r, "app-my-training", "Your training", d)
}

func appIsLink(venue string) bool {
	v := strings.ToLower(strings.TrimSpace(venue))
	return strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://")
}

// appInCalendar: a learner placed on a cohort has its sessions in their
// calendar; one who left it has not.
func appInCalendar(a store.Application) bool {
	switch a.Status {
	case domain.StatusEnrolled, domain.StatusInTraining, domain.StatusCompleted, domain.StatusCertified:
		return a.CohortID != 0
	}
	return false
}

// appMyTrainingCalendar is the learner's sessions as an iCalendar (RFC 5545)
// feed. It is behind the session cookie like every other page: there is no
// secret link to leak.
func (s *Handlers) MyTrainingCalendar(w http.ResponseWriter, r *http.Request) error {
	u, apps, err := s.appOwnApplications(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	var c appICalendar
	c.line("BEGIN:VCALENDAR")
	c.line("VERSION:2.0")
	c.line("PRODID:-//senco//Early Years SENCO training//EN")
	c.line("CALSCALE:GREGORIAN")
	c.line("METHOD:PUBLISH")
	c.prop("X-WR-CALNAME", "Early Years SENCO training")
	c.prop("X-WR-TIMEZONE", "Europe/London")
	// The time zone the timed sessions name: UK time, GMT in winter and
	// BST from the last Sunday of March to the last Sunday of October.
	for _, l := range []string{"BEGIN:VTIMEZONE", "TZID:Europe/London",
		"BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST", "DTSTART:19700329T010000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
		"BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT", "DTSTART:19701025T020000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
		"END:VTIMEZONE"} {
		c.line(l)
	}
	stamp := s.DB.Now().Format("20060102T150405Z")
	for _, app := range apps {
		if !appInCalendar(app) {
			continue
		}
		cohort, err := s.DB.Cohort(ctx, policy.Delivery(u), app.CohortID)
		if err != nil {
			return err
		}
		sessions, err := s.DB.Sessions(ctx, cohort.ID)
		if err != nil {
			return err
		}
		for _, se := range sessions {
			c.line("BEGIN:VEVENT")
			c.line(fmt.Sprintf("UID:session-%d-application-%d@senco", se.ID, app.ID))
			c.line("DTSTAMP:" + stamp)
			if !se.UpdatedAt.IsZero() {
				c.line("LAST-MODIFIED:" + se.UpdatedAt.UTC().Format("20060102T150405Z"))
			}
			// A session with times is an event in UK time; one without is
			// an all-day event (DTEND is exclusive).
			if se.Starts != "" && se.Ends != "" {
				day := se.Date.Time().Format("20060102")
				c.line("DTSTART;TZID=Europe/London:" + day + "T" + strings.ReplaceAll(se.Starts, ":", "") + "00")
				c.line("DTEND;TZID=Europe/London:" + day + "T" + strings.ReplaceAll(se.Ends, ":", "") + "00")
			} else {
				c.line("DTSTART;VALUE=DATE:" + se.Date.Time().Format("20060102"))
				c.line("DTEND;VALUE=DATE:" + se.Date.AddDays(1).Time().Format("20060102"))
			}
			c.prop("SUMMARY", se.Topic+" – "+cohort.Name)
			location := se.Venue
			if location == "" {
				location = se.Mode.Label()
			}
			c.prop("LOCATION", location)
			desc := fmt.Sprintf("%s session of %s (%s), %s.", se.Mode.Label(), cohort.Name, cohort.SupplierName, page.Duration(se.Minutes))
			if len(se.Units) > 0 {
				desc += "\nUnits: " + strings.Join(se.Units, ", ")
			}
			c.prop("DESCRIPTION", desc)
			if appIsLink(se.Venue) {
				c.line("URL:" + strings.TrimSpace(se.Venue))
			}
			c.line("TRANSP:OPAQUE")
			c.line("END:VEVENT")
		}
	}
	c.line("END:VCALENDAR")
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="senco-training.ics"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write([]byte(c.String()))
	return err
}

// appICalendar writes content lines: CRLF endings, lines folded at 75 octets
// (RFC 5545 section 3.1) without splitting a UTF-8 character.
type appICalendar struct{ b strings.Builder }

func (c *appICalendar) String() string { return c.b.String() }

// prop writes a property whose value is TEXT, escaped.
func (c *appICalendar) prop(name, value string) { c.line(name + ":" + appICalText(value)) }

func (c *appICalendar) line(l string) {
	limit := 75
	for len(l) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		c.b.WriteString(l[:cut])
		c.b.WriteString("\r\n ")
		l = l[cut:]
		// A continuation line starts with the space: 74 octets of content.
		limit = 74
	}
	c.b.WriteString(l)
	c.b.WriteString("\r\n")
}

// appICalText escapes a TEXT value: backslash, semicolon, comma and newline.
func appICalText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

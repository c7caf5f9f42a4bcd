package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestSessionTimes: a supplier gives a session its start and end times;
// the cohort's page shows them and a learner's calendar has a timed event
// in UK time, while a session without times stays all-day.
func TestSessionTimes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		sup := f.client(t, "sup1")
		u := fmt.Sprintf("%s/cohorts/%d/sessions", f.srv.URL, f.c1.ID)
		form := func(starts, ends string) url.Values {
			return cohortDateForm("date", f.today.AddDays(10), url.Values{"hours": {"6"}, "mode": {"face_to_face"}, "topic": {"Working with parents"},
				"starts": {starts}, "ends": {ends}, "holiday": {"yes"}})
		}
		for _, tt := range []struct{ starts, ends, msg string }{
			{"9:30", "", "Enter the end time as well, or neither time"},
			{"15:30", "9:30", "The session must end after it starts"},
			{"half nine", "15:30", "Enter the start time as hours and minutes"},
		} {
			code, _, body := cohortPostTo(t, sup, u, form(tt.starts, tt.ends))
			if code != 422 || !strings.Contains(body, tt.msg) {
				t.Errorf("times %q to %q: %d, want 422 saying %q", tt.starts, tt.ends, code, tt.msg)
			}
		}
		code, loc, _ := cohortPostTo(t, sup, u, form("9.30", "15:30"))
		if code != 303 {
			t.Fatalf("a session with times: %d", code)
		}
		if _, body := get(t, sup, f.srv.URL+loc); !strings.Contains(body, "9:30am to 3:30pm") {
			t.Errorf("the cohort's sessions do not show the times")
		}
	})

	db := storetest.SQLite(t)
	f := appNewFixture(t, db)
	f.appPlace(t)
	ctx := context.Background()
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.AddSession(ctx, domain.OperatorActor("test"), f.cohort, domain.Session{Date: f.sessions[0].Date, Minutes: 360, Mode: domain.FaceToFace,
			Topic: "Timed session", Starts: "09:30", Ends: "15:30"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	c := f.appClient(t, "learnerF")
	if r := f.appGet(t, c, "/my-training"); !strings.Contains(r.body, "9:30am to 3:30pm") {
		t.Errorf("my training does not show the session's times")
	}
	ics := strings.ReplaceAll(f.appGet(t, c, "/my-training/sessions.ics").body, "\r\n ", "")
	day := f.sessions[0].Date.Time().Format("20060102")
	for _, want := range []string{"BEGIN:VTIMEZONE\r\nTZID:Europe/London", "DTSTART;TZID=Europe/London:" + day + "T093000", "DTEND;TZID=Europe/London:" + day + "T153000",
		"DTSTART;VALUE=DATE:" + day} {
		if !strings.Contains(ics, want) {
			t.Errorf("the calendar lacks %q", want)
		}
	}
}

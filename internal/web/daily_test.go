package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"senco/internal/store/storetest"
)

// TestSessionOnABankHolidayWarns: a session on Christmas Day is not
// scheduled until the supplier confirms it is meant to be.
func TestSessionOnABankHolidayWarns(t *testing.T) {
	db := storetest.SQLite(t)
	db.SetClock(func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) })
	f := newFixture(t, db)
	b := f.barking(t)
	c := f.client(t, "sup2")
	form := url.Values{"date-day": {"25"}, "date-month": {"12"}, "date-year": {"2026"}, "hours": {"6"}, "mode": {"face_to_face"}, "topic": {"Working with parents"}}
	u := fmt.Sprintf("%s/cohorts/%d/sessions", f.srv.URL, b.cohort)
	code, body := post(t, c, u, form)
	if code != http.StatusOK || !strings.Contains(body, "25 December 2026 is Christmas Day, a bank holiday in England") {
		t.Fatalf("a session on Christmas Day: %d, want the form again with a warning\n%s", code, body)
	}
	form.Set("holiday", "yes")
	if code, body = post(t, c, u, form); code != http.StatusSeeOther {
		t.Fatalf("confirmed: %d, want the session scheduled\n%s", code, body)
	}
	form.Set("date-day", "24")
	form.Del("holiday")
	if code, _ = post(t, c, u, form); code != http.StatusSeeOther {
		t.Errorf("24 December: %d, want the session scheduled with no question", code)
	}
}

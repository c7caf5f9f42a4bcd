package web_test

import (
	"net/url"
	"strings"
	"testing"

	"senco/internal/store/storetest"
)

// TestFormsLimitText sends text far over the limits to the staff form and
// the API token form: each is refused with the field's message, and
// nothing is added.
func TestFormsLimitText(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	c := f.client(t, "sm1")
	huge := strings.Repeat("x", 10_000)
	before := countPractitioners(t, f.db)
	for _, tc := range []struct {
		field, want string
	}{
		{"given_name", "First name must be 100 characters or fewer"},
		{"family_name", "Last name must be 100 characters or fewer"},
		{"email", "Email address must be 254 characters or fewer"},
	} {
		staff := url.Values{"given_name": {"Eve"}, "family_name": {"Long"}, "role": {"practitioner"},
			"started-day": {"1"}, "started-month": {"9"}, "started-year": {"2024"}}
		staff.Set(tc.field, huge)
		if tc.field == "email" {
			staff.Set("email", huge+"@example.org")
		}
		code, body := post(t, c, f.srv.URL+"/settings/EY100001/staff", staff)
		if code != 422 || !strings.Contains(body, tc.want) || !strings.Contains(body, `href="#`+tc.field+`"`) {
			t.Errorf("staff form with a 10,000-character %s: %d, want 422 and %q", tc.field, code, tc.want)
		}
	}
	if n := countPractitioners(t, f.db); n != before {
		t.Errorf("practitioners: %d, want %d", n, before)
	}

	code, body := post(t, f.client(t, "sup1"), f.srv.URL+"/api-tokens", url.Values{"name": {huge}, "days": {"30"}})
	if code != 422 || !strings.Contains(body, "Name must be 100 characters or fewer") {
		t.Errorf("API token form with a 10,000-character name: %d", code)
	}
}

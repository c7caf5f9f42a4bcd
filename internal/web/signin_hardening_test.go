package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"senco/internal/store/storetest"
)

// TestSignInRefusesOffSiteNext checks that neither the sign-in form nor its
// answer sends anyone off the service, however the return path is dressed.
func TestSignInRefusesOffSiteNext(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	for _, next := range []string{"/\t/evil.example", "//evil.example", "/\\evil.example", "/\n/evil.example", "https://evil.example/"} {
		c := f.client(t, "")
		code, body := get(t, c, f.srv.URL+"/sign-in?next="+url.QueryEscape(next))
		if code != 200 || strings.Contains(body, "evil.example") {
			t.Errorf("GET /sign-in?next=%q: %d, pre-filled: %v", next, code, strings.Contains(body, "evil.example"))
		}
		// The transport, not the client: the client refuses to parse a
		// Location with a control character, which browsers follow.
		form := url.Values{"email": {"la1@example.org"}, "password": {password}, "next": {next}}
		req, _ := http.NewRequest("POST", f.srv.URL+"/sign-in", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != "/" {
			t.Errorf("POST /sign-in next=%q: %d Location %q, want 303 /", next, res.StatusCode, loc)
		}
	}
	// A path on the site is still followed.
	c := f.client(t, "")
	res, err := c.PostForm(f.srv.URL+"/sign-in", url.Values{"email": {"la1@example.org"}, "password": {password}, "next": {"/settings?q=Leeds"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); loc != "/settings?q=Leeds" {
		t.Errorf("local next: Location %q", loc)
	}
}

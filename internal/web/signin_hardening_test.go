package web_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"senco/internal/auth"
	"senco/internal/store/storetest"
	"senco/internal/web"
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

// TestSignInThrottlesSourcesNotHolders guesses a password from one address
// and then from many: the guessing addresses are held back, and the holder
// of the account, from an address with no failures, still signs in.
func TestSignInThrottlesSourcesNotHolders(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	var logs bytes.Buffer
	s, err := web.New(web.Config{DB: f.db, Hasher: f.hasher, Version: "test", Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	// Each request says which address it comes from.
	h := s.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.RemoteAddr = r.Header.Get("X-Test-Source") + ":40000"
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	signIn := func(source, pw string) *http.Response {
		t.Helper()
		form := url.Values{"email": {"la1@example.org"}, "password": {pw}}
		req, _ := http.NewRequest("POST", srv.URL+"/sign-in", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Test-Source", source)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}

	// One address guessing: after a few failures it must wait, even with
	// the right password.
	for i := range 3 {
		if res := signIn("203.0.113.9", "guess"); res.StatusCode != 422 {
			t.Fatalf("guess %d: %d", i+1, res.StatusCode)
		}
	}
	res := signIn("203.0.113.9", password)
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("a guessing address was let through: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}

	// Many addresses guessing, once each: the account is under attack.
	for i := range 12 {
		if res := signIn(fmt.Sprintf("198.51.100.%d", i+1), "guess"); res.StatusCode != 422 {
			t.Fatalf("guess from address %d: %d", i+1, res.StatusCode)
		}
	}
	if res := signIn("198.51.100.1", password); res.StatusCode != 429 {
		t.Errorf("an address that guessed was let in to an account under attack: %d", res.StatusCode)
	}
	// The holder, from their own address, signs in.
	if res := signIn("192.0.2.20", password); res.StatusCode != 303 {
		t.Errorf("the account holder was locked out: %d", res.StatusCode)
	}
	if !strings.Contains(logs.String(), "sign-in throttled") {
		t.Errorf("throttling not logged:\n%s", logs.String())
	}
}

// TestSignInThrottleBehindAProxy serves behind a trusted proxy: sources are
// told apart by X-Forwarded-For, so one guessing client does not hold back
// another, and a client's own X-Forwarded-For is not believed.
func TestSignInThrottleBehindAProxy(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	trusted, err := auth.ParsePrefixes("127.0.0.1, ::1")
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Config{DB: f.db, Hasher: f.hasher, Version: "test", TrustedProxies: trusted})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	signIn := func(xff, pw string) int {
		t.Helper()
		form := url.Values{"email": {"la1@example.org"}, "password": {pw}}
		req, _ := http.NewRequest("POST", srv.URL+"/sign-in", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", xff)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for range 3 {
		signIn("203.0.113.9", "guess")
	}
	if code := signIn("203.0.113.9", password); code != 429 {
		t.Errorf("the guessing client: %d, want 429", code)
	}
	// Forging an address to the left of the proxy's entry changes nothing.
	if code := signIn("192.0.2.20, 203.0.113.9", password); code != 429 {
		t.Errorf("the guessing client with a forged X-Forwarded-For: %d, want 429", code)
	}
	if code := signIn("192.0.2.20", password); code != 303 {
		t.Errorf("another client behind the same proxy: %d, want 303", code)
	}
}

package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	opstorage "github.com/zitadel/oidc/v3/example/server/storage"

	"senco/internal/openid"
	"senco/internal/store"
	"senco/internal/store/storetest"
	"senco/internal/web"
)

// TestOpenIDSignIn signs in through a real OpenID Connect provider (one
// built with zitadel/oidc's provider package, serving discovery, keys, the
// authorisation code flow with PKCE and userinfo) started in the test,
// with a browser's redirects followed as a browser would.
func TestOpenIDSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)

		// The provider's accounts: an invited senco user, a stranger, and
		// an invited user whose email the provider has not verified.
		accounts := map[string]*opstorage.User{
			"id-sm1":      {ID: "id-sm1", Username: "sm1", Password: "provider pw", Email: "SM1@example.org", EmailVerified: true},
			"id-stranger": {ID: "id-stranger", Username: "stranger", Password: "provider pw", Email: "stranger@example.org", EmailVerified: true},
			"id-la1":      {ID: "id-la1", Username: "la1", Password: "provider pw", Email: "la1@example.org", EmailVerified: false},
		}
		path := filepath.Join(t.TempDir(), "users.json")
		b, _ := json.Marshal(accounts)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		users, err := opstorage.StoreFromFile(path)
		if err != nil {
			t.Fatal(err)
		}

		// Each server needs the other's address before it is made.
		var provider, senco http.Handler
		ops := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { provider.ServeHTTP(w, r) }))
		defer ops.Close()
		app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { senco.ServeHTTP(w, r) }))
		defer app.Close()
		callback := app.URL + "/sign-in/openid/callback"
		storage := opstorage.NewStorageWithClients(users, map[string]*opstorage.Client{
			"senco": opstorage.WebClient("senco", "client secret", callback),
		})
		provider = exampleop.SetupServer(ops.URL, storage, nil, false)
		s, err := web.New(web.Config{DB: db, Hasher: f.hasher, Version: "test", OpenID: openid.New(openid.Config{
			Issuer: ops.URL, ClientID: "senco", ClientSecret: "client secret", RedirectURL: callback, Name: "Test sign-in",
		})})
		if err != nil {
			t.Fatal(err)
		}
		senco = s.Handler()

		// signIn follows the flow from senco's button to wherever senco
		// sends the browser at the end, signing in at the provider as
		// username.
		signIn := func(t *testing.T, username, next string) (*http.Client, *http.Response, string) {
			t.Helper()
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar}
			start := app.URL + "/sign-in/openid"
			if next != "" {
				start += "?next=" + url.QueryEscape(next)
			}
			res, err := c.Get(start)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			// At the provider's login page, with the authorisation request
			// senco started (which must carry a PKCE challenge).
			if !strings.HasPrefix(res.Request.URL.String(), ops.URL+"/login/username") {
				t.Fatalf("the button led to %s, not the provider's login page", res.Request.URL)
			}
			authReq := res.Request.URL.Query().Get("authRequestID")
			req, _ := storage.AuthRequestByID(t.Context(), authReq)
			if req == nil || req.GetCodeChallenge() == nil || req.GetCodeChallenge().Method != "S256" {
				t.Fatalf("the authorisation request has no S256 PKCE challenge: %+v", req)
			}
			res, err = c.PostForm(ops.URL+"/login/username", url.Values{"id": {authReq}, "username": {username}, "password": {"provider pw"}})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			return c, res, string(body)
		}

		t.Run("an invited account is signed in and sent where it was going", func(t *testing.T) {
			c, res, body := signIn(t, "sm1", "/settings/EY100001")
			if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/settings/EY100001" {
				t.Fatalf("ended at %s with %d", res.Request.URL, res.StatusCode)
			}
			if !strings.Contains(body, "User sm1") {
				t.Errorf("the page after sign-in does not show who is signed in")
			}
			// The session is senco's own, with the account's role.
			code, _ := get(t, c, app.URL+"/settings/EY200002")
			if code != http.StatusNotFound && code != http.StatusForbidden {
				t.Errorf("the setting manager signed in by the provider opened another setting: %d", code)
			}
			var n int
			if err := db.Reader().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in' AND after LIKE '%openid%'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("audit entries of openid sign-ins: %d, want 1", n)
			}
		})
		t.Run("no account is made for someone not invited", func(t *testing.T) {
			var before int
			db.Reader().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM users`).Scan(&before)
			_, res, body := signIn(t, "stranger", "")
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "There is no senco account for stranger@example.org") {
				t.Fatalf("a stranger got %d:\n%.600s", res.StatusCode, body)
			}
			var after int
			db.Reader().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM users`).Scan(&after)
			if after != before {
				t.Errorf("users before %d, after %d: an account was made on first sign-in", before, after)
			}
		})
		t.Run("an unverified email is not matched", func(t *testing.T) {
			_, res, body := signIn(t, "la1", "")
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "has not verified your email address") {
				t.Fatalf("an unverified email got %d:\n%.600s", res.StatusCode, body)
			}
		})
		t.Run("a callback this browser did not start is refused", func(t *testing.T) {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar}
			code, body := get(t, c, callback+"?code=stolen&state=forged")
			if code != http.StatusForbidden || !strings.Contains(body, "was not started in this browser") {
				t.Fatalf("a forged callback got %d:\n%.600s", code, body)
			}
		})
		t.Run("the sign-in page offers the provider beside the password form", func(t *testing.T) {
			_, body := get(t, f.client(t, ""), app.URL+"/sign-in?next=/people")
			if !strings.Contains(body, `href="/sign-in/openid?next=%2Fpeople"`) || !strings.Contains(body, "Sign in with Test sign-in") || !strings.Contains(body, `name="password"`) {
				t.Errorf("sign-in page:\n%s", body)
			}
		})
	})
}

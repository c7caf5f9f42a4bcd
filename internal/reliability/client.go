// Package reliability holds what senco's fault, restart, multi-instance and
// soak proofs share: a user of the web service that signs in and reads
// pages, and a trainer who saves an attendance register. The proofs
// themselves are tests in this package and the soak command in cmd/soak;
// docs/reliability.md gives their figures and how to reproduce them.
package reliability

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
)

// User is one person signed in to senco through their own cookie jar.
type User struct {
	Base   string // e.g. http://127.0.0.1:8080
	Email  string
	Client *http.Client
}

// NewUser is a user with an empty cookie jar whose every request ends
// within timeout: a proof must see a hang as an error, not wait on it.
func NewUser(base, email string, timeout time.Duration) *User {
	jar, _ := cookiejar.New(nil)
	return &User{Base: strings.TrimSuffix(base, "/"), Email: email, Client: &http.Client{
		Jar: jar, Timeout: timeout,
		// A page may redirect to another (a setting manager's settings
		// list to their setting), which is followed; but a form's redirect
		// is its answer, and a redirect to the sign-in page is a lost
		// session, so those are returned.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if via[0].Method != http.MethodGet || strings.HasPrefix(req.URL.Path, "/sign-in") || len(via) > 5 {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}}
}

// StatusError is a response that was not the one expected.
type StatusError struct {
	Method, Path string
	Code         int
}

func (e *StatusError) Error() string { return fmt.Sprintf("%s %s: %d", e.Method, e.Path, e.Code) }

// SignIn signs the user in with password.
func (u *User) SignIn(ctx context.Context, password string) error {
	form := url.Values{"email": {u.Email}, "password": {password}}
	code, _, err := u.do(ctx, http.MethodPost, "/sign-in", form)
	if err != nil {
		return fmt.Errorf("sign in %s: %w", u.Email, err)
	}
	if code != http.StatusSeeOther {
		return fmt.Errorf("sign in %s: %w", u.Email, &StatusError{"POST", "/sign-in", code})
	}
	return nil
}

// Get reads a page and returns its body; anything but 200 is an error.
func (u *User) Get(ctx context.Context, path string) (string, error) {
	code, body, err := u.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return "", err
	}
	if code != http.StatusOK {
		return body, &StatusError{"GET", path, code}
	}
	return body, nil
}

// Post sends a form and returns the status and body.
func (u *User) Post(ctx context.Context, path string, form url.Values) (int, string, error) {
	return u.do(ctx, http.MethodPost, path, form)
}

func (u *User) do(ctx context.Context, method, path string, form url.Values) (int, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u.Base+path, body)
	if err != nil {
		return 0, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := u.Client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, "", fmt.Errorf("%s %s: reading the body: %w", method, path, err)
	}
	return resp.StatusCode, string(b), nil
}

var navLink = regexp.MustCompile(`href="(/[a-z-]*)"`)

// Pages are the pages the signed-in user's home page links to, beside the
// home page itself: what this user may see, found as a person finds it.
// Links that answer 403 are returned apart, as refused: the home page
// should not offer them (the trainer's, assessor's and IQA's home pages
// link to /people, which refuses them).
func (u *User) Pages(ctx context.Context) (pages, refused []string, err error) {
	home, err := u.Get(ctx, "/")
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{"/": true}
	for _, m := range navLink.FindAllStringSubmatch(home, -1) {
		switch p := m[1]; {
		case strings.HasPrefix(p, "/static"), p == "/accessibility", strings.HasPrefix(p, "/api"), strings.HasPrefix(p, "/sign-"):
		default:
			seen[p] = true
		}
	}
	for p := range seen {
		_, err := u.Get(ctx, p)
		var se *StatusError
		switch {
		case errors.As(err, &se) && se.Code == http.StatusForbidden:
			refused = append(refused, p)
		case err != nil:
			return nil, nil, err
		default:
			pages = append(pages, p)
		}
	}
	sort.Strings(pages)
	sort.Strings(refused)
	return pages, refused, nil
}

var (
	sessionLink = regexp.MustCompile(`href="(/sessions/[0-9]+/attendance)"`)
	cohortLink  = regexp.MustCompile(`href="(/cohorts/[0-9]+)"`)
	versionIn   = regexp.MustCompile(`name="version" value="([0-9]+)"`)
	markIn      = regexp.MustCompile(`name="(mark-[0-9]+)" type="radio"`)
)

// Registers are the attendance registers a trainer may save, found from
// the cohorts page.
func (u *User) Registers(ctx context.Context) ([]string, error) {
	list, err := u.Get(ctx, "/cohorts")
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, c := range cohortLink.FindAllStringSubmatch(list, -1) {
		page, err := u.Get(ctx, c[1])
		if err != nil {
			return nil, err
		}
		for _, m := range sessionLink.FindAllStringSubmatch(page, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				out = append(out, m[1])
			}
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the trainer has no attendance registers")
	}
	return out, nil
}

// SaveRegister opens an attendance register, marks every learner on it
// present or absent at random, and saves it; it returns the marks saved.
// The register's version comes from the form, as in a browser, so a save
// never undoes another's.
func (u *User) SaveRegister(ctx context.Context, path string, r *rand.Rand) (url.Values, error) {
	page, err := u.Get(ctx, path)
	if err != nil {
		return nil, err
	}
	v := versionIn.FindStringSubmatch(page)
	if v == nil {
		return nil, fmt.Errorf("%s: no version in the form", path)
	}
	form := url.Values{"version": {v[1]}}
	for _, m := range markIn.FindAllStringSubmatch(page, -1) {
		if _, done := form[m[1]]; done {
			continue
		}
		mark := "present"
		if r.IntN(4) == 0 {
			mark = "absent"
		}
		form.Set(m[1], mark)
	}
	if len(form) == 1 {
		return nil, fmt.Errorf("%s: no learners on the register", path)
	}
	code, _, err := u.Post(ctx, path, form)
	if err != nil {
		return nil, err
	}
	if code != http.StatusSeeOther {
		return nil, &StatusError{"POST", path, code}
	}
	form.Del("version")
	return form, nil
}

// Marked reports whether the register at path shows exactly the marks
// given (as checked radios).
func (u *User) Marked(ctx context.Context, path string, marks url.Values) error {
	page, err := u.Get(ctx, path)
	if err != nil {
		return err
	}
	for name, v := range marks {
		id := regexp.QuoteMeta(name)
		re := regexp.MustCompile(`name="` + id + `" type="radio" value="` + regexp.QuoteMeta(v[0]) + `"[^>]*checked`)
		if !re.MatchString(page) {
			return fmt.Errorf("%s: %s is not shown as %s", path, name, v[0])
		}
	}
	return nil
}

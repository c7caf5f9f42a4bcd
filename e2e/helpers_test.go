package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"senco/internal/api"
	"senco/internal/auth"
	"senco/internal/demo"
	"senco/internal/domain"
	"senco/internal/pdf"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
	"senco/internal/web"
)

// testTimeout bounds each test (and each page of the accessibility test).
const testTimeout = 60 * time.Second

// Demo sign-ins the journeys use.
var (
	programmeEmail = "programme@demo.senco.example"
	managerEmail   = "manager@demo.senco.example"
	manager2Email  = "manager.hackney@demo.senco.example"
	laLeedsEmail   = "la.leeds@demo.senco.example"
)

// app is senco served in-process on a freshly seeded demo database.
type app struct {
	URL   string
	DB    *store.DB
	Users map[string]demo.User // by email
	Seed  demo.Result
}

// newApp seeds a fresh SQLite database with the demo and serves senco on it
// at 127.0.0.1 until the test ends.
func newApp(t *testing.T) *app {
	t.Helper()
	ctx := context.Background()
	db := storetest.SQLite(t)
	hasher := auth.NewHasher(auth.FastParams, 4)
	start := time.Now()
	res, err := demo.Seed(ctx, db, hasher, demo.Options{Seed: 1})
	if err != nil {
		t.Fatalf("seed the demo: %v", err)
	}
	t.Logf("demo seeded in %v", time.Since(start).Round(time.Millisecond))
	a := &app{DB: db, Users: map[string]demo.User{}, Seed: res}
	var demoUsers []web.DemoUser
	for _, u := range res.Users {
		a.Users[u.Email] = u
		demoUsers = append(demoUsers, web.DemoUser{Email: u.Email, Password: u.Password, Role: u.RoleLabel})
	}
	for _, e := range []string{programmeEmail, managerEmail, manager2Email, laLeedsEmail} {
		if _, ok := a.Users[e]; !ok {
			t.Fatalf("the demo has no sign-in %s (it has %v)", e, demo.Emails())
		}
	}
	srv, err := web.New(web.Config{
		DB:        db,
		Hasher:    hasher,
		API:       api.New(db, nil).Handler(),
		Version:   "e2e",
		DemoUsers: demoUsers,
		PDF:       pdfRenderer(t),
	})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	a.URL = ts.URL
	return a
}

// user returns the demo sign-in with the email.
func (a *app) user(t *testing.T, email string) demo.User {
	t.Helper()
	u, ok := a.Users[email]
	if !ok {
		t.Fatalf("no demo user %s", email)
	}
	return u
}

// settingOf returns the URN of the setting a demo sign-in belongs to.
func (a *app) settingOf(t *testing.T, email string) store.SettingRecord {
	t.Helper()
	ctx := context.Background()
	u, _, err := a.DB.UserByEmail(ctx, email)
	if err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	if u.Org.SettingURN == "" {
		t.Fatalf("user %s belongs to no setting", email)
	}
	s, err := a.DB.Setting(ctx, policy.Scope{Kind: policy.National}, u.Org.SettingURN)
	if err != nil {
		t.Fatalf("setting %s: %v", u.Org.SettingURN, err)
	}
	return s
}

// sencoSetting is a demo setting with a name, a postcode and a designated
// SENCO today, for the journeys that look one up.
type sencoSetting struct {
	Setting store.SettingRecord
	SENCO   string // the designated SENCO's full name
}

func (a *app) settingWithSENCO(t *testing.T, laCode string) sencoSetting {
	t.Helper()
	ctx := context.Background()
	orgs, err := a.DB.Organisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := policy.Scope{Kind: policy.National}
	today := domain.Today()
	for _, o := range orgs {
		if o.Kind != domain.OrgSetting || o.SettingURN == "" {
			continue
		}
		s, err := a.DB.Setting(ctx, all, o.SettingURN)
		if err != nil {
			t.Fatal(err)
		}
		if s.Name == "" || s.Postcode == "" || (laCode != "" && s.LACode != laCode) {
			continue
		}
		emps, err := a.DB.Employments(ctx, all, store.PeopleFilter{SettingURN: s.URN, CurrentOn: today, PageSize: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range emps.Employments {
			if e.Role == domain.RoleSENCO {
				return sencoSetting{Setting: s, SENCO: e.PractitionerName}
			}
		}
	}
	t.Fatalf("the demo has no named setting with a postcode and a designated SENCO in %q", laCode)
	return sencoSetting{}
}

// page is one browser tab of a test, in a browser context of its own.
type page struct {
	t    *testing.T
	tab  context.Context // the tab, with no timeout
	ctx  context.Context // the tab, with the test's timeout
	base string
	name string // the test's name, for screenshot files
	// noScripts is set when the tab runs no page JavaScript.
	noScripts bool
}

// newPage opens a tab for the test, in a new browser context, with a 60 s
// timeout on everything it does.
func newPage(t *testing.T, a *app) *page {
	t.Helper()
	requireBrowser(t)
	tabCtx, cancelTab := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	// Open the tab with no timeout, so that the timeout below bounds the
	// test's actions and not the life of the tab.
	if err := chromedp.Do(tabCtx); err != nil {
		cancelTab()
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, testTimeout)
	t.Cleanup(func() {
		cancel()
		cancelTab()
	})
	p := &page{t: t, tab: tabCtx, ctx: ctx, base: a.URL, name: strings.TrimPrefix(t.Name(), "TestJourneys/")}
	p.do(chromedp.EmulateViewport(1280, 1000))
	return p
}

// renew gives the page a fresh 60 s budget, for a long test made of many
// pages such as the accessibility sweep.
func (p *page) renew() {
	ctx, cancel := context.WithTimeout(p.tab, testTimeout)
	p.t.Cleanup(cancel)
	p.ctx = ctx
}

// fatalf fails the test, saying where the browser is, with a screenshot
// when screenshots are on.
func (p *page) fatalf(format string, args ...any) {
	p.t.Helper()
	p.failShot()
	p.t.Fatalf("%s (at %s)", fmt.Sprintf(format, args...), p.where())
}

func (p *page) errorf(format string, args ...any) {
	p.t.Helper()
	p.t.Errorf("%s (at %s)", fmt.Sprintf(format, args...), p.where())
}

// where is the page's path and title, for messages.
func (p *page) where() string {
	loc, err := chromedp.Run(p.ctx, chromedp.Location())
	if err != nil {
		return "unknown page: " + err.Error()
	}
	title, _ := chromedp.Run(p.ctx, chromedp.Title())
	return fmt.Sprintf("%s %q", strings.TrimPrefix(loc, p.base), title)
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.fatalf("browser: %v", err)
	}
}

// eval runs JavaScript in the page and decodes its result.
func eval[T any](p *page, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.fatalf("evaluate %.80q: %v", js, err)
	}
	return v
}

// open loads a path of the app and returns the HTTP status of the page.
func (p *page) open(path string) int64 {
	p.t.Helper()
	resp, err := chromedp.Run(p.ctx, chromedp.NavigateResponse(p.base+path))
	if err != nil {
		p.fatalf("open %s: %v", path, err)
	}
	if resp == nil {
		p.fatalf("open %s: no response", path)
	}
	return resp.Status
}

// path is the path (and query) of the page shown now.
func (p *page) path() string {
	p.t.Helper()
	return eval[string](p, `location.pathname + location.search`)
}

// exists reports whether a CSS selector matches anything, without waiting.
func (p *page) exists(css string) bool {
	p.t.Helper()
	return eval[bool](p, fmt.Sprintf(`document.querySelector(%s) !== null`, jsString(css)))
}

// text is the visible text of the first element matching css, trimmed and
// with white space collapsed; it fails the test when there is none.
func (p *page) text(css string) string {
	p.t.Helper()
	s := eval[*string](p, fmt.Sprintf(`(() => { const e = document.querySelector(%s); return e ? e.innerText : null })()`, jsString(css)))
	if s == nil {
		p.fatalf("no element matches %s", css)
	}
	return squash(*s)
}

// texts is the text of every element matching css.
func (p *page) texts(css string) []string {
	p.t.Helper()
	out := eval[[]string](p, fmt.Sprintf(`[...document.querySelectorAll(%s)].map(e => e.innerText)`, jsString(css)))
	for i := range out {
		out[i] = squash(out[i])
	}
	return out
}

func (p *page) heading() string {
	p.t.Helper()
	return p.text("main h1")
}

// wantHeading checks the page's h1.
func (p *page) wantHeading(want string) {
	p.t.Helper()
	if got := p.heading(); got != want {
		p.fatalf("heading is %q, want %q", got, want)
	}
}

// wantText checks the main content contains a text.
func (p *page) wantText(want string) {
	p.t.Helper()
	if !strings.Contains(p.text("main"), want) {
		p.fatalf("the page does not say %q", want)
	}
}

var spaces = regexp.MustCompile(`\s+`)

func squash(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`)
	return "'" + r.Replace(s) + "'"
}

var marks atomic.Int64

// mark finds an element with JavaScript (an expression giving an element or
// null), tags it, and returns a CSS selector for it, failing the test at
// once when there is no such element (a query would wait for it until the
// timeout).
func (p *page) mark(what, js string) chromedp.CSS {
	p.t.Helper()
	id := fmt.Sprintf("m%d", marks.Add(1))
	ok := eval[bool](p, fmt.Sprintf(`(() => { const e = (%s); if (!e) return false; e.setAttribute('data-e2e', '%s'); return true })()`, js, id))
	if !ok {
		p.fatalf("cannot find %s", what)
	}
	return chromedp.CSS(fmt.Sprintf(`[data-e2e="%s"]`, id))
}

// css returns a selector for the first match of css, failing at once when
// nothing matches.
func (p *page) css(css string) chromedp.CSS {
	p.t.Helper()
	return p.mark(css, fmt.Sprintf(`document.querySelector(%s)`, jsString(css)))
}

// link returns a selector for the link or button inside scope whose text is
// exactly text.
func (p *page) link(scope, text string) chromedp.CSS {
	p.t.Helper()
	return p.mark(fmt.Sprintf("a link or button %q in %s", text, scope), fmt.Sprintf(
		`[...document.querySelectorAll(%s)].flatMap(s => [...s.querySelectorAll('a, button')]).find(e => e.innerText.replace(/\s+/g, ' ').trim() === %s)`,
		jsString(scope), jsString(text)))
}

// follow clicks an element and waits for the page it leads to, returning
// its HTTP status.
func (p *page) follow(sel chromedp.CSS) int64 {
	p.t.Helper()
	p.settle()
	// A click that leads nowhere would wait for a page until the test's
	// timeout: give up sooner, and say so.
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(sel))
	if err != nil {
		if p.ctx.Err() == nil && ctx.Err() != nil {
			p.fatalf("clicking %s loaded no page within 20 s", sel)
		}
		p.fatalf("click %s: %v", sel, err)
	}
	if resp == nil {
		return 0
	}
	return resp.Status
}

// settle waits until the page has drawn two frames, so that a click lands
// where the element is now (after a viewport change, for example). With
// scripts off the page's animation frames never run, and there is nothing
// to wait for.
func (p *page) settle() {
	p.t.Helper()
	if p.noScripts {
		return
	}
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, chromedp.EvalAwaitPromise))
	if err != nil && p.ctx.Err() != nil {
		p.fatalf("wait for the page to draw: %v", err)
	}
}

// fill replaces the value of a text field by typing, as a person would.
func (p *page) fill(id, value string) {
	p.t.Helper()
	sel := p.css("#" + id)
	p.do(chromedp.Clear(sel))
	if value != "" {
		p.do(chromedp.SendKeys(sel, value))
	}
}

// choose picks an option of a select by its value.
func (p *page) choose(id, value string) {
	p.t.Helper()
	sel := p.css("#" + id)
	ok := eval[bool](p, fmt.Sprintf(`[...document.getElementById(%s).options].some(o => o.value === %s)`, jsString(id), jsString(value)))
	if !ok {
		p.fatalf("select #%s has no option %q", id, value)
	}
	p.do(chromedp.SetValue(sel, value))
}

// signIn signs in through the form, as a person would, and returns the
// status of the page it leads to.
func (p *page) signIn(email, password string) int64 {
	p.t.Helper()
	if !strings.HasPrefix(p.path(), "/sign-in") {
		p.open("/sign-in")
	}
	p.fill("email", email)
	p.fill("password", password)
	return p.follow(p.link("main form", "Sign in"))
}

// signOut signs out with the button in the page header.
func (p *page) signOut() {
	p.t.Helper()
	p.follow(p.link("form[action='/sign-out']", "Sign out"))
	if !strings.HasPrefix(p.path(), "/sign-in") {
		p.fatalf("signing out did not lead to the sign-in page")
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// shot saves a full-page screenshot as screenshots/<test>-<step>.png when
// SENCO_SCREENSHOTS=1.
func (p *page) shot(step string) {
	p.t.Helper()
	if os.Getenv("SENCO_SCREENSHOTS") != "1" {
		return
	}
	if err := p.saveShot(step); err != nil {
		p.t.Errorf("screenshot %s: %v", step, err)
	}
}

func (p *page) failShot() {
	if os.Getenv("SENCO_SCREENSHOTS") != "1" || p.ctx.Err() != nil {
		return
	}
	_ = p.saveShot("failure")
}

// maxShotHeight caps a screenshot's height: the longest lists would make
// images of tens of thousands of pixels, slow to take and to look at.
const maxShotHeight = 4000

func (p *page) saveShot(step string) error {
	size := eval[[]float64](p, `[document.documentElement.scrollWidth, document.documentElement.scrollHeight]`)
	clip := &cdppage.Viewport{Width: size[0], Height: min(size[1], maxShotHeight), Scale: 1}
	res, err := chromedp.Call(p.ctx, cdppage.CaptureScreenshot, cdppage.CaptureScreenshotParams{
		Format: cdppage.CaptureScreenshotFormatPng, Clip: clip,
		CaptureBeyondViewport: new(true), FromSurface: new(true), OptimizeForSpeed: new(true),
	})
	if err != nil {
		return err
	}
	if err := os.MkdirAll("screenshots", 0o755); err != nil {
		return err
	}
	name := unsafeName.ReplaceAllString(strings.ReplaceAll(p.name, "/", "-")+"-"+step, "_") + ".png"
	return os.WriteFile(filepath.Join("screenshots", name), res.Data, 0o644)
}

// disableScripts turns JavaScript off (or on) in the tab, as a browser with
// JavaScript disabled would have it, from the next page loaded.
func (p *page) disableScripts(off bool) {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off}); err != nil {
		p.fatalf("turn scripts off: %v", err)
	}
	p.noScripts = off
}

// pdfRenderer prints the documents the pages offer (statements,
// certificates) with the machine's Chromium, stopped when the test ends.
func pdfRenderer(t *testing.T) *pdf.Renderer {
	r := pdf.New("")
	t.Cleanup(r.Close)
	return r
}

package e2e

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"senco/internal/demo"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// TestJourneys runs each user journey in a tab of its own, all at once, on
// one freshly seeded demo served in-process. The journeys that change data
// change only records they make themselves, so they do not disturb each
// other.
func TestJourneys(t *testing.T) {
	requireBrowser(t)
	a := newApp(t)
	for _, j := range []struct {
		name string
		fn   func(*testing.T, *app)
	}{
		{"ProgrammeTeam", programmeTeamJourney},
		{"SettingManager", settingManagerJourney},
		{"LAOfficer", laOfficerJourney},
		{"WrongPassword", wrongPasswordJourney},
		{"WithoutJavaScript", withoutJavaScriptJourney},
		{"Accessibility", accessibilityJourney},
	} {
		t.Run(j.name, func(t *testing.T) {
			t.Parallel()
			j.fn(t, a)
		})
	}
}

// 1. The programme team finds settings every way there is, opens one and
// its designated SENCO, looks at local authorities and the audit log.
func programmeTeamJourney(t *testing.T, a *app) {
	target := a.settingWithSENCO(t, demo.Leeds)
	s := target.Setting
	p := newPage(t, a)

	if status := p.open("/"); status != 200 || p.path() != "/sign-in" {
		p.fatalf("the home page signed out: status %d at %s, want the sign-in page", status, p.path())
	}
	p.wantHeading("Sign in")
	p.shot("01-sign-in")
	u := a.user(t, programmeEmail)
	if status := p.signIn(u.Email, u.Password); status != 200 || p.path() != "/" {
		p.fatalf("signing in led to status %d at %s, want the home page", status, p.path())
	}
	p.wantHeading("What needs doing")
	p.wantText(demo.ProgrammeOrg)
	if got := p.text("form[action='/sign-out']"); !strings.Contains(got, u.Name) {
		p.errorf("the header says %q, want the user's name %q", got, u.Name)
	}
	nav := p.texts(".govuk-service-navigation__item")
	for _, want := range []string{"Home", "Settings", "Coverage", "Programmes", "People", "Audit log"} {
		if !slices.Contains(nav, want) {
			p.errorf("the navigation has %q, want %q in it", nav, want)
		}
	}
	p.shot("02-home")

	// Settings, through the navigation.
	p.follow(p.link(".govuk-service-navigation", "Settings"))
	if got := p.path(); got != "/settings" {
		p.fatalf("the Settings link led to %s", got)
	}
	p.wantHeading("Settings")
	if cur := eval[string](p, `document.querySelector('.govuk-service-navigation [aria-current]')?.innerText.trim() ?? ''`); cur != "Settings" {
		p.errorf("the navigation marks %q as the current page, want Settings", cur)
	}
	p.shot("03-settings")

	search := func(step, q string) []string {
		t.Helper()
		p.fill("q", q)
		if status := p.follow(p.link("form.senco-filters", "Apply filters")); status != 200 {
			p.fatalf("searching %q: status %d", q, status)
		}
		if got := eval[string](p, `document.getElementById('q').value`); got != q {
			p.errorf("after searching, the search box has %q, want %q", got, q)
		}
		p.shot(step)
		return p.resultURNs()
	}
	if urns := search("04-search-name", s.Name); !slices.Contains(urns, s.URN) {
		p.fatalf("searching the name %q found %v, not %s", s.Name, urns, s.URN)
	}
	if urns := search("05-search-postcode", s.Postcode); !slices.Contains(urns, s.URN) {
		p.fatalf("searching the postcode %q found %v, not %s", s.Postcode, urns, s.URN)
	}

	// Filter by local authority and provider type.
	p.fill("q", "")
	p.choose("la", demo.Leeds)
	p.choose("type", string(domain.NonDomestic))
	if status := p.follow(p.link("form.senco-filters", "Apply filters")); status != 200 {
		p.fatalf("filtering: status %d", status)
	}
	q, _ := url.ParseQuery(strings.TrimPrefix(p.path(), "/settings?"))
	if q.Get("la") != demo.Leeds || q.Get("type") != string(domain.NonDomestic) {
		p.errorf("the filters were not sent: %s", p.path())
	}
	rows := p.resultRows()
	if len(rows) < 2 {
		p.fatalf("filtering by Leeds and non-domestic premises found %d settings", len(rows))
	}
	for _, r := range rows {
		if r.LA != s.LAName || r.Type != domain.NonDomestic.Label() {
			p.errorf("filtered by %s and %s, the results list %q (%s, %s)", s.LAName, domain.NonDomestic.Label(), r.Name, r.LA, r.Type)
		}
	}
	want := count(t, a, policy.Scope{Kind: policy.National}, store.SettingFilter{LACode: demo.Leeds, Type: domain.NonDomestic})
	if got := p.text("main [role=status]"); !strings.Contains(got, fmt.Sprintf("of %d settings", want)) {
		p.errorf("the results say %q, want a total of %d", got, want)
	}
	if v := eval[string](p, `document.getElementById('la').value + ' ' + document.getElementById('type').value`); v != demo.Leeds+" "+string(domain.NonDomestic) {
		p.errorf("the filters show %q after filtering", v)
	}
	p.shot("06-filter-la-type")

	// Clear the filters, then search by URN and open the setting.
	p.follow(p.link("form.senco-filters", "Clear filters"))
	if urns := search("07-search-urn", s.URN); !slices.Equal(urns, []string{s.URN}) {
		p.fatalf("searching the URN %s found %v", s.URN, urns)
	}
	if status := p.follow(p.link("main table", s.DisplayName())); status != 200 {
		p.fatalf("opening the setting: status %d", status)
	}
	if got := p.path(); got != "/settings/"+s.URN {
		p.fatalf("the result led to %s", got)
	}
	p.wantHeading(s.DisplayName())
	if got := p.text("main .govuk-caption-l"); !strings.Contains(got, "URN "+s.URN) {
		p.errorf("the caption says %q, want the URN", got)
	}
	details := p.summary()
	for key, want := range map[string]string{
		"Status":          "Active",
		"Local authority": s.LAName,
		"Provider type":   s.Type.Label(),
	} {
		if !strings.Contains(details[key], want) {
			p.errorf("the setting's %s is %q, want %q", key, details[key], want)
		}
	}
	if !strings.Contains(details["Address"], s.Postcode) {
		p.errorf("the address %q has no postcode %s", details["Address"], s.Postcode)
	}
	if got := p.after("Designated SENCO"); !strings.Contains(got, target.SENCO) {
		p.errorf("under Designated SENCO the page says %q, want %s", got, target.SENCO)
	}
	p.shot("08-setting")

	// Local authorities, from the home page, then one of them.
	p.open("/")
	p.follow(p.link("main", "Local authorities"))
	p.wantHeading("Local authorities")
	p.shot("09-local-authorities")
	p.follow(p.link("main table", s.LAName))
	if got := p.path(); got != "/local-authorities/"+demo.Leeds {
		p.fatalf("the %s link led to %s", s.LAName, got)
	}
	p.wantHeading(s.LAName)
	if got := p.summary()["GSS code"]; got != demo.Leeds {
		p.errorf("GSS code %q, want %s", got, demo.Leeds)
	}
	if n := len(p.texts("main table tbody tr")); n < 2 {
		p.errorf("the authority's table has %d rows", n)
	}
	p.shot("10-local-authority")

	// The audit log, with this sign-in in it.
	p.follow(p.link(".govuk-service-navigation", "Audit log"))
	p.wantHeading("Audit log")
	entries := p.texts("main table tbody tr")
	if len(entries) == 0 {
		p.fatalf("the audit log is empty")
	}
	if !slices.ContainsFunc(entries, func(e string) bool {
		return strings.Contains(e, "programme@demo.senco.example") && strings.Contains(e, "Signed in user")
	}) {
		p.errorf("the audit log does not show the sign-in: %q", entries[:min(3, len(entries))])
	}
	p.shot("11-audit")
	p.signOut()
}

// 2. A setting manager sees only their own setting, adds a member of staff
// (first with every error), ends that employment, and cannot open another
// setting.
func settingManagerJourney(t *testing.T, a *app) {
	mine := a.settingOf(t, managerEmail)
	other := a.settingOf(t, manager2Email)
	p := newPage(t, a)
	u := a.user(t, managerEmail)
	if status := p.signIn(u.Email, u.Password); status != 200 || p.path() != "/" {
		p.fatalf("signing in led to status %d at %s", status, p.path())
	}
	p.wantText(mine.URN)
	p.shot("01-home")

	// "Your setting" is the only setting.
	p.follow(p.link(".govuk-service-navigation", "Your setting"))
	if got := p.path(); got != "/settings/"+mine.URN {
		p.fatalf("Your setting led to %s, want /settings/%s", got, mine.URN)
	}
	p.wantHeading(mine.DisplayName())
	p.shot("02-setting")
	p.open("/settings?q=" + url.QueryEscape(other.Name))
	if got := p.path(); got != "/settings/"+mine.URN {
		p.errorf("a settings search led a setting manager to %s, want their own setting", got)
	}

	// Add a member of staff: first with nothing filled in.
	p.follow(p.link("main", "Add a member of staff"))
	if got := p.path(); got != "/settings/"+mine.URN+"/staff/new" {
		p.fatalf("Add a member of staff led to %s", got)
	}
	p.wantHeading("Add a member of staff")
	p.shot("03-staff-form")
	for _, id := range []string{"given_name", "family_name", "email", "dob-day", "dob-month", "dob-year", "started-day", "started-month", "started-year"} {
		p.fill(id, "")
	}
	if status := p.follow(p.link("main form", "Add member of staff")); status != 422 {
		p.errorf("an empty form answered %d, want 422", status)
	}
	p.wantErrorSummary(map[string]string{
		"given_name":  "Enter a first name",
		"family_name": "Enter a last name",
		"started-day": "Enter the start date",
	})
	if title := eval[string](p, `document.title`); !strings.HasPrefix(title, "Error: ") {
		p.errorf("the title of a page with errors is %q, want it to start with \"Error: \"", title)
	}
	p.shot("04-staff-errors")
	// The summary's first link takes the user to the field.
	p.do(chromedp.Click(p.css(".govuk-error-summary__list a")))
	if got := eval[string](p, `document.activeElement ? document.activeElement.id : ''`); got != "given_name" {
		p.errorf("the error summary's first link focused %q, want the first name field", got)
	}

	// Then properly.
	given, family := "Ada", "Quennell-Ebbw"
	name := given + " " + family
	role := domain.RoleDeputySENCO
	p.fill("given_name", given)
	p.fill("family_name", family)
	p.fill("email", "ada.quennell-ebbw@example.org")
	p.fill("dob-day", "14")
	p.fill("dob-month", "2")
	p.fill("dob-year", "1991")
	p.choose("qualification_level", "3")
	radio := jsString(fmt.Sprintf("input[name=role][value=%s]", role))
	p.do(chromedp.Click(p.css(fmt.Sprintf("label[for=%q]", eval[string](p, fmt.Sprintf(`document.querySelector(%s).id`, radio))))))
	if !eval[bool](p, fmt.Sprintf(`document.querySelector(%s).checked`, radio)) {
		p.errorf("clicking the %s label did not choose it", role.Label())
	}
	p.fill("started-day", "1")
	p.fill("started-month", "9")
	p.fill("started-year", "2025")
	p.shot("05-staff-filled")
	if status := p.follow(p.link("main form", "Add member of staff")); status != 200 {
		p.fatalf("adding %s: status %d", name, status)
	}
	if got := p.path(); got != "/settings/"+mine.URN {
		p.fatalf("adding led to %s", got)
	}
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, name+" added as "+role.Label()) {
		p.errorf("the banner says %q", got)
	}
	row := p.staffRow(name)
	if row == nil || !strings.Contains(*row, role.Label()) || !strings.Contains(*row, "1 September 2025") {
		p.fatalf("the staff table's row for %s is %v, want %s since 1 September 2025", name, row, role.Label())
	}
	p.shot("06-staff-added")

	// End the employment through its confirmation page.
	p.follow(p.mark("the End link of "+name, fmt.Sprintf(
		`[...document.querySelectorAll('main table tbody tr')].find(r => r.cells[0].innerText.trim() === %s)?.querySelector('a[href$="/end"]')`, jsString(name))))
	if got := p.path(); !strings.HasPrefix(got, "/employments/") || !strings.HasSuffix(got, "/end") {
		p.fatalf("the End link led to %s", got)
	}
	p.wantHeading(fmt.Sprintf("End %s's employment as %s", name, role.Label()))
	today := domain.Today()
	if got := eval[string](p, `['ended-day','ended-month','ended-year'].map(id => document.getElementById(id).value).join('/')`); got != fmt.Sprintf("%d/%d/%d", today.Time().Day(), int(today.Time().Month()), today.Time().Year()) {
		p.errorf("the end date is filled in as %s, want today", got)
	}
	p.shot("07-end-employment")
	if status := p.follow(p.link("main form", "End employment")); status != 200 {
		p.fatalf("ending: status %d", status)
	}
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, fmt.Sprintf("%s's employment as %s ends on %s", name, role.Label(), today.Long())) {
		p.errorf("the banner says %q", got)
	}
	if row := p.staffRow(name); row != nil {
		p.errorf("%s is still in the current staff table: %q", name, *row)
	}
	if got := p.text("main details:last-of-type"); !strings.Contains(got, "Former staff") {
		p.errorf("no former staff list: %q", got)
	} else if former := eval[string](p, `document.querySelector('main details:last-of-type .govuk-details__text').textContent`); !strings.Contains(former, name) {
		p.errorf("%s is not among the former staff: %q", name, squash(former))
	}
	p.shot("08-employment-ended")

	// Another setting's address, typed in.
	if status := p.open("/settings/" + other.URN); status != 404 {
		p.errorf("another setting's page answered %d, want 404", status)
	}
	p.wantHeading("Page not found")
	p.shot("09-other-setting")
	if status := p.open("/settings/" + other.URN + "/staff/new"); status != 404 {
		p.errorf("another setting's staff form answered %d, want 404", status)
	}
	p.signOut()
}

// 3. A local authority officer sees the settings of their authority only,
// and their authority's page.
func laOfficerJourney(t *testing.T, a *app) {
	hackney := a.settingOf(t, manager2Email)
	p := newPage(t, a)
	u := a.user(t, laLeedsEmail)
	if status := p.signIn(u.Email, u.Password); status != 200 || p.path() != "/" {
		p.fatalf("signing in led to status %d at %s", status, p.path())
	}
	p.wantHeading("What needs doing")
	p.wantText(u.Organisation)
	p.shot("01-home")

	p.follow(p.link(".govuk-service-navigation", "Settings"))
	p.wantHeading("Settings")
	if p.exists("#la") {
		p.errorf("an LA officer is offered a choice of local authority")
	}
	leeds := a.laName(t, demo.Leeds)
	want := count(t, a, policy.Scope{Kind: policy.LA, LACode: demo.Leeds}, store.SettingFilter{})
	if got := p.text("main [role=status]"); !strings.Contains(got, fmt.Sprintf("of %d settings", want)) {
		p.errorf("the list says %q, want %d settings (all of %s's)", got, want, leeds)
	}
	checkRows := func(where string) {
		rows := p.resultRows()
		if len(rows) == 0 {
			p.fatalf("no settings listed on %s", where)
		}
		for _, r := range rows {
			if r.LA != leeds {
				p.errorf("the %s officer's list (%s) shows %q in %q", leeds, where, r.Name, r.LA)
			}
		}
	}
	checkRows("page 1")
	p.shot("02-settings")
	if p.exists(".govuk-pagination__next a") {
		p.follow(p.css(".govuk-pagination__next a"))
		checkRows("page 2")
		p.shot("03-settings-page-2")
	}

	// A setting in another authority cannot be found or opened.
	p.open("/settings?q=" + hackney.URN)
	if got := p.heading(); got != "Settings" || !strings.Contains(p.text("main"), "No settings match") {
		p.errorf("searching a Hackney URN as the Leeds officer: %q", p.text("main"))
	}
	if status := p.open("/settings/" + hackney.URN); status != 404 {
		p.errorf("a Hackney setting's page answered %d to the Leeds officer, want 404", status)
	}

	// Their authority's page, from the home page.
	p.open("/")
	p.follow(p.link("main", "Your local authority"))
	if got := p.path(); got != "/local-authorities/"+demo.Leeds {
		p.fatalf("Local authorities led the LA officer to %s, want their own authority", got)
	}
	p.wantHeading(leeds)
	if got := p.summary()["GSS code"]; got != demo.Leeds {
		p.errorf("GSS code %q", got)
	}
	p.shot("04-la")
	if status := p.open("/local-authorities/" + demo.Hackney); status != 404 {
		p.errorf("Hackney's page answered %d to the Leeds officer, want 404", status)
	}
	p.open("/")
	p.signOut()
}

// 4. A wrong password.
func wrongPasswordJourney(t *testing.T, a *app) {
	p := newPage(t, a)
	if status := p.open("/sign-in"); status != 200 {
		p.fatalf("sign-in page: status %d", status)
	}
	p.wantHeading("Sign in")
	p.shot("01-sign-in")
	// A sign-in no other journey uses, so its failure count is its own.
	u := a.user(t, "la.hackney@demo.senco.example")
	if status := p.signIn(u.Email, "not the password"); status != 422 {
		p.errorf("a wrong password answered %d, want 422", status)
	}
	if got := p.path(); got != "/sign-in" {
		p.fatalf("a wrong password led to %s, want /sign-in", got)
	}
	const msg = "Enter a correct email address and password"
	p.wantErrorSummary(map[string]string{"email": msg})
	if v := eval[string](p, `document.getElementById('password').value`); v != "" {
		p.errorf("the password field kept the wrong password")
	}
	if v := eval[string](p, `document.getElementById('email').value`); v != u.Email {
		p.errorf("the email field has %q, want the email typed, %q", v, u.Email)
	}
	p.shot("02-wrong-password")
	// The right password still works afterwards.
	if status := p.signIn(u.Email, u.Password); status != 200 || p.path() != "/" {
		p.fatalf("signing in with the right password after a wrong one: status %d at %s", status, p.path())
	}
}

// 5. With JavaScript off, signing in and searching settings work.
func withoutJavaScriptJourney(t *testing.T, a *app) {
	target := a.settingWithSENCO(t, demo.Hackney)
	p := newPage(t, a)
	p.disableScripts(true)
	p.open("/sign-in")
	// Proof that the page's scripts did not run: init.js would have marked
	// the body.
	if cls, err := chromedp.Run(p.ctx, chromedp.AttributeValue(chromedp.CSS("body"), "class")); err != nil || strings.Contains(cls.Value, "js-enabled") {
		p.fatalf("JavaScript is not off: body class %q (%v)", cls.Value, err)
	}
	p.shot("01-sign-in")
	u := a.user(t, programmeEmail)
	if status := p.signIn(u.Email, u.Password); status != 200 || p.path() != "/" {
		p.fatalf("signing in without JavaScript led to status %d at %s", status, p.path())
	}
	p.wantHeading("What needs doing")
	p.wantText(demo.ProgrammeOrg)
	p.shot("02-home")
	p.follow(p.link(".govuk-service-navigation", "Settings"))
	p.wantHeading("Settings")
	p.fill("q", target.Setting.Postcode)
	p.choose("la", demo.Hackney)
	if status := p.follow(p.link("form.senco-filters", "Apply filters")); status != 200 {
		p.fatalf("searching without JavaScript: status %d", status)
	}
	if urns := p.resultURNs(); !slices.Contains(urns, target.Setting.URN) {
		p.fatalf("searching %s in Hackney without JavaScript found %v, not %s", target.Setting.Postcode, urns, target.Setting.URN)
	}
	p.shot("03-search")
	p.follow(p.link("main table", target.Setting.DisplayName()))
	p.wantHeading(target.Setting.DisplayName())
	if got := p.after("Designated SENCO"); !strings.Contains(got, target.SENCO) {
		p.errorf("under Designated SENCO the page says %q, want %s", got, target.SENCO)
	}
	p.shot("04-setting")
	p.signOut()
}

// Page readers shared by the journeys.

type resultRow struct {
	URN, Name, Type, LA, Status string
}

// resultRows reads the settings search results table.
func (p *page) resultRows() []resultRow {
	p.t.Helper()
	type row struct {
		Href   string `json:"href"`
		Name   string `json:"name"`
		Type   string `json:"type"`
		LA     string `json:"la"`
		Status string `json:"status"`
	}
	rows := eval[[]row](p, `[...document.querySelectorAll('main table tbody tr')].map(r => ({
  href: r.cells[0].querySelector('a')?.getAttribute('href') ?? '',
  name: r.cells[0].querySelector('a')?.innerText ?? '',
  type: r.cells[1].innerText, la: r.cells[2].innerText, status: r.cells[3].innerText}))`)
	var out []resultRow
	for _, r := range rows {
		out = append(out, resultRow{URN: strings.TrimPrefix(r.Href, "/settings/"), Name: squash(r.Name), Type: squash(r.Type), LA: squash(r.LA), Status: squash(r.Status)})
	}
	return out
}

func (p *page) resultURNs() []string {
	p.t.Helper()
	var urns []string
	for _, r := range p.resultRows() {
		urns = append(urns, r.URN)
	}
	return urns
}

// summary reads the page's first GOV.UK summary list, key by key.
func (p *page) summary() map[string]string {
	p.t.Helper()
	m := eval[map[string]string](p, `Object.fromEntries([...document.querySelectorAll('main .govuk-summary-list')[0]?.querySelectorAll('.govuk-summary-list__row') ?? []]
  .map(r => [r.querySelector('dt').innerText.trim(), r.querySelector('dd').innerText]))`)
	for k, v := range m {
		m[k] = squash(v)
	}
	return m
}

// after is the text of the elements after the h2 with the text, up to the
// next h2.
func (p *page) after(heading string) string {
	p.t.Helper()
	// Everything up to the next heading of that level: a section may
	// open with a warning before its list.
	return squash(eval[string](p, fmt.Sprintf(`(() => {
		const h = [...document.querySelectorAll('main h2')].find(h => h.innerText.trim() === %s);
		const out = [];
		for (let e = h?.nextElementSibling; e && e.tagName !== 'H2'; e = e.nextElementSibling) out.push(e.innerText);
		return out.join(' ');
	})()`, jsString(heading))))
}

// staffRow is the text of the current staff table's row for a name, or nil.
func (p *page) staffRow(name string) *string {
	p.t.Helper()
	return eval[*string](p, fmt.Sprintf(`(() => { const r = [...document.querySelectorAll('main table tbody tr')].find(r => r.cells[0].innerText.trim() === %s); return r ? r.innerText : null })()`, jsString(name)))
}

// wantErrorSummary checks the GOV.UK error summary: it is there, has focus
// or is at the top of the main content, and lists each error (field id →
// message) as a link to its field, which shows the same message.
func (p *page) wantErrorSummary(want map[string]string) {
	p.t.Helper()
	if !p.exists(".govuk-error-summary") {
		p.fatalf("no error summary")
	}
	type state struct {
		Focused bool   `json:"focused"`
		AtTop   bool   `json:"atTop"`
		Title   string `json:"title"`
		Links   []struct {
			Href   string `json:"href"`
			Text   string `json:"text"`
			Target bool   `json:"target"`
		} `json:"links"`
	}
	s := eval[state](p, `(() => {
  const es = document.querySelector('.govuk-error-summary');
  return {
    focused: es.contains(document.activeElement),
    atTop: document.querySelector('main').firstElementChild === es,
    title: es.querySelector('.govuk-error-summary__title').innerText.trim(),
    links: [...es.querySelectorAll('.govuk-error-summary__list a')].map(a => ({
      href: a.getAttribute('href'), text: a.innerText.trim(),
      target: !!document.getElementById((a.getAttribute('href') || '').replace(/^#/, '')),
    })),
  };
})()`)
	if !s.Focused && !s.AtTop {
		p.errorf("the error summary neither has focus nor is at the top of the main content")
	}
	jsOn := eval[bool](p, `document.body.classList.contains('js-enabled')`)
	if jsOn && !s.Focused {
		p.errorf("the error summary does not have focus (GOV.UK Frontend moves focus to it)")
	}
	if s.Title != "There is a problem" {
		p.errorf("the error summary's title is %q", s.Title)
	}
	got := map[string]string{}
	for _, l := range s.Links {
		if !strings.HasPrefix(l.Href, "#") || !l.Target {
			p.errorf("the error summary's link %q goes to %q, which is not a field on the page", l.Text, l.Href)
		}
		got[strings.TrimPrefix(l.Href, "#")] = l.Text
	}
	for id, msg := range want {
		if got[id] != msg {
			p.errorf("the error summary links %q to #%s, want %q (it lists %v)", got[id], id, msg, got)
		}
		errID := strings.TrimSuffix(id, "-day") + "-error"
		if m := eval[string](p, fmt.Sprintf(`document.getElementById(%s)?.innerText ?? ''`, jsString(errID))); !strings.Contains(m, msg) {
			p.errorf("the field's error message #%s says %q, want %q", errID, squash(m), msg)
		}
	}
}

func count(t *testing.T, a *app, scope policy.Scope, f store.SettingFilter) int {
	t.Helper()
	f.PageSize = 1
	page, err := a.DB.SearchSettings(context.Background(), scope, f)
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func (a *app) laName(t *testing.T, code string) string {
	t.Helper()
	la, err := a.DB.LocalAuthority(context.Background(), policy.Scope{Kind: policy.National}, code)
	if err != nil {
		t.Fatalf("local authority %s: %v", code, err)
	}
	return la.Name
}

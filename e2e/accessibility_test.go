package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"senco/internal/demo"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// sub is the page for a subtest of the test that opened it: the same tab,
// failing the subtest, with a fresh 60 s budget. Subtests that share a tab
// must run one after another.
func (p *page) sub(t *testing.T) (*page, func()) {
	q := *p
	q.t = t
	q.name = p.name + "-" + t.Name()[strings.LastIndex(t.Name(), "/")+1:]
	ctx, cancel := context.WithTimeout(p.tab, testTimeout)
	q.ctx = ctx
	return &q, cancel
}

// check runs a subtest on the page.
func (p *page) check(name string, fn func(p *page)) {
	p.t.Helper()
	p.t.Run(name, func(t *testing.T) {
		q, cancel := p.sub(t)
		defer cancel()
		fn(q)
	})
}

// 6. Every kind of page the journeys visit, checked with axe-core against
// WCAG 2.2 AA, and the sign-in and home pages at 320 px wide. Four groups of
// pages run side by side, each in a tab of its own.
func accessibilityJourney(t *testing.T, a *app) {
	ctx := context.Background()
	all := policy.Scope{Kind: policy.National}
	target := a.settingWithSENCO(t, demo.Leeds)
	mine := a.settingOf(t, managerEmail)
	staff, err := a.DB.Employments(ctx, all, store.PeopleFilter{SettingURN: mine.URN, CurrentOn: domain.Today(), PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var practitioner store.EmploymentRecord
	for _, e := range staff.Employments {
		if e.Role == domain.RolePractitioner {
			practitioner = e
			break
		}
	}
	if practitioner.ID == 0 {
		t.Fatalf("the demo setting %s has no current practitioner", mine.URN)
	}

	group := func(name string, fn func(p *page)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(newPage(t, a))
		})
	}

	group("SignedOut", func(p *page) {
		p.check("axe-finds-violations", func(p *page) {
			// The check itself: axe must report a known violation.
			p.open("/accessibility")
			eval[bool](p, `(document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="/static/govuk/images/favicon.svg">'), true)`)
			res := p.axeResult(axeRun)
			if !slices.ContainsFunc(res.Violations, func(v axeViolation) bool { return v.ID == "image-alt" }) {
				p.errorf("axe-core did not report an image without alt text: %+v", res.Violations)
			}
		})
		p.scan("sign-in", "/sign-in", 200, "Sign in")
		p.narrow("sign-in-320px", "/sign-in")
		p.check("sign-in-with-errors", func(p *page) {
			p.open("/sign-in")
			if status := p.signIn("nobody@example.org", "wrong"); status != 422 {
				p.errorf("a wrong sign-in answered %d, want 422", status)
			}
			p.shot("page")
			p.axe("sign-in with errors")
		})
		p.scan("accessibility-statement", "/accessibility", 200, "")
		p.scan("not-found-signed-out", "/no-such-page", 404, "Page not found")
	})

	group("Homes", func(p *page) {
		// Each role's home page.
		seen := map[string]bool{}
		for _, u := range a.Seed.Users {
			if seen[string(u.Role)] {
				continue
			}
			seen[string(u.Role)] = true
			p.signInAs(a, u.Email)
			p.scan("home-"+string(u.Role), "/", 200, "")
			p.narrow("home-"+string(u.Role)+"-320px", "/")
			p.renew()
			p.signOut()
		}
	})

	group("ProgrammeTeam", func(p *page) {
		p.signInAs(a, programmeEmail)
		p.check("settings-results", func(p *page) {
			p.open("/settings?q=" + target.Setting.Postcode[:3])
			if len(p.resultRows()) == 0 {
				p.errorf("no results to check")
			}
			p.shot("page")
			p.axe("settings search with results")
		})
		p.check("settings-no-results", func(p *page) {
			p.open("/settings?q=zzqxv")
			p.wantText("No settings match")
			p.shot("page")
			p.axe("settings search with no results")
		})
		p.scan("settings-filter-errors", "/settings?type=nonsense", 422, "Settings")
		p.scan("setting", "/settings/"+target.Setting.URN, 200, target.Setting.DisplayName())
		p.check("setting-details-open", func(p *page) {
			p.open("/settings/" + target.Setting.URN)
			// Open every details element (previous SENCOs, former staff).
			eval[bool](p, `(document.querySelectorAll('main details').forEach(d => d.open = true), true)`)
			p.axe("setting with details open")
		})
		p.scan("local-authorities", "/local-authorities", 200, "Local authorities")
		p.scan("local-authority", "/local-authorities/"+demo.Leeds, 200, target.Setting.LAName)
		p.scan("people", "/people", 200, "People")
		p.scan("person", fmt.Sprintf("/people/%d", practitioner.PractitionerID), 200, practitioner.PractitionerName)
		p.scan("audit", "/audit", 200, "Audit log")
		p.scan("api-tokens", "/api-tokens", 200, "API tokens")
		p.scan("accessibility-statement-signed-in", "/accessibility", 200, "")
		p.scan("not-found", "/settings/EY999999", 404, "Page not found")
		p.renew()
		p.signOut()
	})

	group("SettingManager", func(p *page) {
		p.signInAs(a, managerEmail)
		p.scan("setting", "/settings/"+mine.URN, 200, mine.DisplayName())
		p.scan("staff-form", "/settings/"+mine.URN+"/staff/new", 200, "Add a member of staff")
		p.check("staff-form-with-errors", func(p *page) {
			p.open("/settings/" + mine.URN + "/staff/new")
			for _, id := range []string{"started-day", "started-month", "started-year"} {
				p.fill(id, "")
			}
			p.fill("email", "not an email")
			if status := p.follow(p.link("main form", "Add member of staff")); status != 422 {
				p.errorf("an empty staff form answered %d, want 422", status)
			}
			p.shot("page")
			p.axe("staff form with errors")
		})
		p.scan("end-employment", fmt.Sprintf("/employments/%d/end", practitioner.ID), 200,
			fmt.Sprintf("End %s's employment as %s", practitioner.PractitionerName, practitioner.Role.Label()))
		p.renew()
		p.signOut()
	})
}

// scan opens a page, checks its status and heading, and runs axe on it, as
// a subtest.
func (p *page) scan(name, path string, status int64, heading string) {
	p.t.Helper()
	p.check(name, func(p *page) {
		if got := p.open(path); got != status {
			p.errorf("%s answered %d, want %d", path, got, status)
		}
		if heading != "" {
			p.wantHeading(heading)
		}
		p.shot("page")
		p.axe(name)
	})
}

// narrow checks a page at 320 CSS px wide (WCAG 1.4.10 Reflow), as a
// subtest.
func (p *page) narrow(name, path string) {
	p.t.Helper()
	p.check(name, func(p *page) {
		p.do(chromedp.EmulateViewport(320, 720))
		defer chromedp.Do(p.ctx, chromedp.EmulateViewport(1280, 1000))
		p.open(path)
		p.shot("page")
		p.reflow(name + " at 320 px")
	})
}

// signInAs signs in as a demo user, with a fresh time budget.
func (p *page) signInAs(a *app, email string) {
	p.t.Helper()
	p.renew()
	u := a.user(p.t, email)
	if status := p.signIn(u.Email, u.Password); status != 200 || p.path() != "/" {
		p.fatalf("signing in as %s: status %d at %s", email, status, p.path())
	}
}

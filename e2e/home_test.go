package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// homeTask is a role's main task from its home: the task to follow and the
// page it must lead to.
type homeTask struct {
	email, task, heading string
}

var homeTasks = []homeTask{
	{programmeEmail, "Decide applications the rules could not", "Applications for manual review"},
	{"supplier@demo.senco.example", "Place eligible applicants on a cohort", "Applications"},
	{"trainer@demo.senco.example", "", "Northern online – October 2026"},
	{"assessor@demo.senco.example", "Learners in training on your cohorts", "Cohorts"},
	{"iqa@demo.senco.example", "Your supplier's cohorts", "Cohorts"},
	{"ao@demo.senco.example", "Certify learners", "Learners"},
	{laLeedsEmail, "Gap list", "Coverage of qualified SENCOs in Leeds"},
	{managerEmail, "Confirm your staff's applications", "Applications"},
	{"practitioner@demo.senco.example", "Your training: sessions and attendance", "Your training"},
}

// TestHomes signs in as every role of the demo: its home fits 1280 and
// 375 px without the page scrolling sideways, and its main task is one
// click from it.
func TestHomes(t *testing.T) {
	a := newApp(t)
	for _, ht := range homeTasks {
		t.Run(strings.Split(ht.email, "@")[0], func(t *testing.T) {
			p := newPage(t, a)
			if code := p.signIn(ht.email, a.user(t, ht.email).Password); code != http.StatusOK {
				p.fatalf("sign in: %d", code)
			}
			p.open("/")
			p.shot("home-1280")
			for _, w := range []int64{375, 1280} {
				p.do(chromedp.EmulateViewport(w, 900))
				p.settle()
				if sw := eval[int64](p, `document.documentElement.scrollWidth`); sw > w {
					p.errorf("at %d px the home is %d px wide", w, sw)
				}
				if w == 375 {
					p.shot("home-375")
				}
			}
			sel := chromedp.CSS(".govuk-task-list a")
			if ht.task != "" {
				sel = p.link("main", ht.task)
			}
			if code := p.follow(sel); code != http.StatusOK {
				p.fatalf("%q: %d", ht.task, code)
			}
			if h := p.heading(); !strings.HasPrefix(h, ht.heading) {
				p.errorf("%q leads to %q, want %q", ht.task, h, ht.heading)
			}
		})
	}
}

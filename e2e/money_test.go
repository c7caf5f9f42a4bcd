package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestMoneyJourneys walks paying suppliers and settings in a browser, one
// tab a role, side by side on one demo: the supplier declares a milestone
// from its statements page (a refusal first, naming the record that does
// not support it) and voids a paid declaration; the programme team opens
// a statement, the budget and the batches, and claws back a paid claim;
// the setting manager starts a claim of cover. Every page is checked with
// axe-core and for reflow at 320 px.
func TestMoneyJourneys(t *testing.T) {
	requireBrowser(t)
	a := newApp(t)
	for _, j := range []struct {
		name string
		fn   func(*page, *app)
	}{
		{"Supplier", supplierMoneyJourney},
		{"ProgrammeTeam", programmeMoneyJourney},
		{"SettingManager", settingMoneyJourney},
	} {
		t.Run(j.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			j.fn(newPage(t, a), a)
			t.Logf("%s took %v", j.name, time.Since(start).Round(time.Millisecond))
		})
	}
}

func supplierMoneyJourney(p *page, a *app) {
	p.signInAs(a, supplierEmail)
	p.follow(p.link("header", "Statements"))
	p.wantHeading("Statements")
	p.follow(p.link("main", "Declarations"))
	p.wantHeading("Declarations")
	p.shot("declarations")
	p.axe("declarations (supplier)")
	p.narrow("declarations-320px", "/declarations")

	// A milestone the records do not support yet is not offered: the page
	// says why. Asked for anyway (the form's address), the refusal says the
	// same, beside the date, and nothing changes.
	p.open("/declarations")
	p.wantText("Not yet: Completed needs the learner's training to be complete")
	learner := eval[string](p, `[...document.querySelectorAll('main tbody tr')].find(r => r.innerText.includes("Not yet: Completed needs")).querySelector('a[href^="/applications/"]').getAttribute('href').split('/').pop()`)
	p.open("/declarations/new?learner=" + learner + "&milestone=completed")
	p.wantText("It cannot be in the future")
	p.axe("declare form")
	if status := p.follow(p.link("main form", "Declare")); status != 422 {
		p.errorf("declaring completed for a learner in training answered %d, want 422", status)
	}
	p.wantText("Completed needs the learner's training to be complete")
	p.shot("declare-refused")
	p.axe("declare form refused")

	// Void a paid declaration: the page says it will be clawed back.
	p.open("/declarations?state=paid")
	p.follow(p.css(`a[href$="/void"]`))
	p.wantText("takes")
	p.axe("void form")
	p.do(chromedp.SendKeys(p.css("#reason"), "Declared for the wrong learner"))
	if status := p.follow(p.link("main form", "Void declaration")); status != 200 {
		p.errorf("voiding answered %d", status)
	}
	p.wantText("will be taken back on the next statement")
	p.shot("voided")
}

func programmeMoneyJourney(p *page, a *app) {
	p.signInAs(a, programmeEmail)
	p.follow(p.link("header", "Statements"))
	p.axe("statements (programme team)")
	p.follow(p.css(`main a[href^="/statements/"]`))
	p.axe("statement")
	p.narrow("statement-320px", p.path())
	for _, path := range []string{"/declarations", "/budget", "/batches", "/claims"} {
		p.open(path)
		p.shot(strings.Trim(path, "/"))
		p.axe(path + " (programme team)")
		p.narrow(strings.Trim(path, "/")+"-320px", path)
	}
	p.open("/claims")
	p.follow(p.css(`a[href$="/clawback"]`))
	p.wantText("Claw back the claim for")
	p.axe("clawback form")
	if status := p.follow(p.link("main form", "Claw back")); status != 422 {
		p.errorf("a clawback without a reason answered %d, want 422", status)
	}
	p.wantText("Give the reason the claim is clawed back")
	p.axe("clawback form with an error")
	p.do(chromedp.SendKeys(p.css("#reason"), "The register was corrected after payment"))
	p.follow(p.link("main form", "Claw back"))
	p.wantText("will be clawed back")
	p.shot("clawed-back")
}

func settingMoneyJourney(p *page, a *app) {
	p.signInAs(a, managerEmail)
	p.follow(p.link("header", "Claims for cover"))
	p.wantHeading("Claims for cover")
	p.axe("claims (setting manager)")
	p.narrow("claims-320px", "/claims")
	p.open("/claims")
	p.follow(p.css(`a[href^="/claims/new?learner="]`))
	p.shot("claim-form")
	p.axe("claim form")
}

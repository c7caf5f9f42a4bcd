package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"senco/internal/catalogue"
	"senco/internal/domain"
)

// TestGrowthJourneys: each role's way through the growth pages on the
// demo, side by side — a setting manager reviews and compares; a
// practitioner rates confidence and logs CPD; the Leeds officer reads the
// aggregate; the programme team reads the impact. Each page is looked at
// 1280 and 375 px wide.
func TestGrowthJourneys(t *testing.T) {
	requireBrowser(t)
	a := newApp(t)
	for _, j := range []struct {
		name string
		fn   func(*testing.T, *app)
	}{
		{"SettingManager", growthManagerJourney},
		{"Practitioner", growthPractitionerJourney},
		{"LAOfficer", growthLAJourney},
		{"Programme", growthImpactJourney},
	} {
		t.Run(j.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			j.fn(t, a)
			t.Logf("%s took %v", j.name, time.Since(start).Round(time.Millisecond))
		})
	}
}

// lookBoth looks at the page at 1280 px, then at 375 px (a phone), where
// nothing may scroll sideways but a table's own scroll region.
func (p *page) lookBoth(step string) {
	p.t.Helper()
	p.look(step + "-1280")
	p.do(chromedp.EmulateViewport(375, 812))
	defer chromedp.Do(p.ctx, chromedp.EmulateViewport(1280, 1000))
	p.settle()
	p.shot(step + "-375")
	p.reflow(step + " at 375 px")
}

func growthManagerJourney(t *testing.T, a *app) {
	fws, err := catalogue.ReviewFrameworks()
	if err != nil {
		t.Fatal(err)
	}
	fw := fws[len(fws)-1]
	p := journeyPage(t, a)
	p.signInAs(a, managerEmail)
	p.follow(p.link(".govuk-service-navigation", "Growth"))
	p.wantHeading("Growth")
	p.follow(p.link("main", "Your setting's SEND self-review"))
	p.wantHeading("Your setting's SEND self-review")
	p.follow(p.link("main", "Start a new review"))
	p.wantHeading("New SEND self-review")
	p.wantText(domain.NoChildText)
	// Sent with one item unrated: the summary names it.
	for _, ar := range fw.Areas {
		for _, it := range ar.Items {
			if it.Code != "parents.involve" {
				p.pick("rating-"+it.Code, string(domain.RatingPartly))
			}
		}
	}
	p.follow(p.link("main form", "Save review"))
	p.wantErrorSummary(map[string]string{"rating-parents.involve": `Choose a rating for "` + fw.Areas[2].Items[0].Text + `" in ` + fw.Areas[2].Title})
	p.look("01-review-missing-item")
	p.pick("rating-parents.involve", string(domain.RatingDevelopment))
	p.follow(p.link("main form", "Save review"))
	p.wantHeading("Self-review of " + domain.Today().Long())
	// A second review the same day, better in parents: compared side by side.
	p.open("/growth/reviews/new")
	for _, ar := range fw.Areas {
		for _, it := range ar.Items {
			p.pick("rating-"+it.Code, string(domain.RatingPartly))
		}
	}
	p.pick("rating-parents.involve", string(domain.RatingSecure))
	p.follow(p.link("main form", "Save review"))
	p.wantText("Compared with the previous review")
	rows := p.tableRows(fw.Areas[2].Title + ": 2 points before, 4 now")
	if len(rows) == 0 || !strings.Contains(rows[0], "Better") {
		p.errorf("the parents area does not show the item as better: %v", rows)
	}
	p.lookBoth("02-compare")
	p.follow(p.link("main", "Share with my local authority"))
	p.wantText("Shared with your local authority")
	p.signOut()
}

func growthPractitionerJourney(t *testing.T, a *app) {
	p := journeyPage(t, a)
	p.signInAs(a, learnerEmail)
	p.follow(p.link(".govuk-service-navigation", "Growth"))
	p.follow(p.link("main", "Your confidence, development and pathway"))
	p.wantHeading("Your growth as a SENCO")
	for _, ar := range domain.JobRoleAreas {
		score := "3"
		if ar.Code == "agencies" {
			score = "1"
		}
		p.pick("score-"+ar.Code, score)
	}
	p.follow(p.link("main form[action='/growth/me/confidence']", "Save my rating"))
	p.wantText("Your gaps, scored 2 or less: Liaising with professionals and agencies beyond the setting")
	p.fill("title", "Makaton foundation")
	p.fill("hours", "1.5")
	p.typeInto("cpd_evidence", "Used signs at group time with the whole room.")
	p.follow(p.link("main form[action='/growth/me/cpd']", "Log CPD"))
	if rows := p.tableRows("Your CPD, newest first: 1.5 hours in all"); len(rows) != 1 {
		p.errorf("CPD log rows %v", rows)
	}
	p.wantText("Level 7 National SENCO Award")
	p.lookBoth("01-confidence-cpd-pathway")
	p.signOut()
}

func growthLAJourney(t *testing.T, a *app) {
	p := journeyPage(t, a)
	p.signInAs(a, laLeedsEmail)
	p.follow(p.link(".govuk-service-navigation", "Growth"))
	p.follow(p.link("main", "Your settings' self-reviews, mentoring and courses"))
	p.wantText("Figures of fewer than 5 settings are withheld")
	rows := p.tableRows("Change, first to latest")
	if len(rows) != 4 || strings.Contains(rows[0], "withheld") {
		p.errorf("the Leeds summary: %v", rows)
	}
	if rows := p.tableRows("Shared reviews, newest first"); len(rows) == 0 {
		p.errorf("no shared reviews")
	}
	p.lookBoth("01-la-aggregate")
	p.signOut()
}

func growthImpactJourney(t *testing.T, a *app) {
	p := journeyPage(t, a)
	p.signInAs(a, programmeEmail)
	p.follow(p.link(".govuk-service-navigation", "Programmes"))
	p.follow(p.link("main", "Impact of the programme"))
	p.wantText("They cannot show that training caused the change")
	rows := p.tableRows("Settings' self-review ratings, first to latest, by area")
	if len(rows) < 3 || !strings.HasPrefix(rows[0], "England") || strings.Contains(rows[0], "withheld") {
		p.errorf("England's row: %v", rows)
	}
	if !p.exists(`a[href="/growth/impact/download/xlsx"]`) {
		p.errorf("no spreadsheet download")
	}
	p.lookBoth("01-impact")
	p.signOut()
}

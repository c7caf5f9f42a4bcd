package e2e

import (
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store/portfolio"
)

const assessorEmail = "assessor@demo.senco.example"

func fieldID(c domain.CriterionRef) string {
	return strings.NewReplacer("/", "-", ".", "-").Replace(string(c))
}

// TestPortfolioJourney: the demo learner uploads evidence (a file that is
// not what its name says is refused and nothing kept), submits it for an
// assignment; the cohort's assessor finds it in the queue and marks it,
// referring one criterion with feedback; the learner reads why, writes a
// reflective account and resubmits as version 2 beside the first; the
// assessor marks it met.
func TestPortfolioJourney(t *testing.T) {
	requireBrowser(t)
	a := newApp(t)
	ctx := context.Background()
	lu, _, err := a.DB.UserByEmail(ctx, learnerEmail)
	if err != nil {
		t.Fatal(err)
	}
	scope := policy.Portfolio(lu)
	ls, err := portfolio.Learners(ctx, a.DB.Reader(), scope, 10)
	if err != nil || len(ls) != 1 {
		t.Fatalf("the demo learner's portfolios: %+v %v", ls, err)
	}
	appID := ls[0].AppID
	load := func() portfolio.Portfolio {
		t.Helper()
		pf, err := portfolio.Load(ctx, a.DB.Reader(), scope, appID)
		if err != nil {
			t.Fatal(err)
		}
		return pf
	}
	pf := load()
	// An assignment with no version waiting to be marked, and one of its
	// criteria not met yet, to refer (the demo may have met others).
	var asg domain.PlannedAssignment
	var referred domain.CriterionRef
	met := domain.MetCriteria(pf.Decisions, pf.Overturned)
	for _, x := range pf.Qualification.Plan.Assignments {
		waiting := false
		for _, s := range pf.Submissions {
			waiting = waiting || (s.AssignmentRef == x.Ref && !s.Marked())
		}
		if waiting {
			continue
		}
		for _, c := range x.Criteria {
			if !met[c] {
				asg, referred = x, c
				break
			}
		}
		if referred != "" {
			break
		}
	}
	if asg.Ref == "" {
		t.Fatal("the demo learner has no assignment free to submit with a criterion not yet met")
	}
	dir := t.TempDir()
	pdfPath, fakePath := filepath.Join(dir, "essay.pdf"), filepath.Join(dir, "fake", "essay.pdf")
	os.MkdirAll(filepath.Dir(fakePath), 0o755)
	os.WriteFile(pdfPath, []byte("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o644)
	img, _ := os.Create(fakePath)
	png.Encode(img, image.NewRGBA(image.Rect(0, 0, 8, 8)))
	img.Close()

	p := journeyPage(t, a)
	p.signInAs(a, learnerEmail)
	p.follow(p.link(".govuk-service-navigation", "Your portfolio"))
	p.wantHeading("Your portfolio")
	p.look("01-portfolio")

	// A PNG called essay.pdf is refused by what it is; nothing is kept.
	p.follow(p.link("main", "Add evidence"))
	p.wantHeading("Add evidence")
	p.fill("title", asg.Ref+" essay")
	p.pick("kind", "file")
	p.do(chromedp.SetUploadFiles(p.css("#file"), []string{fakePath}))
	for _, c := range asg.Criteria[:3] {
		p.pick("criteria", string(c))
	}
	before := len(load().Evidence)
	if status := p.follow(p.link("main form", "Add to portfolio")); status != 422 {
		p.errorf("a PNG called .pdf answered %d, want 422", status)
	}
	p.wantErrorSummary(map[string]string{"file": "essay.pdf is called a PDF but its content is a PNG image"})
	if n := len(load().Evidence); n != before {
		p.errorf("a refused upload added evidence: %d, was %d", n, before)
	}
	p.look("02-upload-refused")
	p.do(chromedp.SetUploadFiles(p.css("#file"), []string{pdfPath}))
	p.follow(p.link("main form", "Add to portfolio"))
	p.wantText("is in your portfolio")
	pf = load()
	ev := pf.Evidence[len(pf.Evidence)-1]
	if ev.File.Name != "essay.pdf" || ev.File.Type != "application/pdf" || len(ev.Criteria) != 3 {
		p.errorf("the evidence stored: %+v", ev)
	}

	// Submit it for the assignment.
	p.follow(p.link("main", "Submit work to be marked"))
	p.pick("assignment", asg.Ref)
	p.pick("evidence", strconv.FormatInt(ev.ID, 10))
	p.look("03-submit")
	p.follow(p.link("main form", "Submit"))
	p.wantText("is submitted")
	pf = load()
	v1 := pf.Submissions[len(pf.Submissions)-1]
	p.signOut()

	// The assessor's queue, and marking with a referral.
	p.signInAs(a, assessorEmail)
	p.follow(p.link(".govuk-service-navigation", "Portfolios"))
	p.wantHeading("Portfolios")
	p.look("04-queue")
	p.narrowHere("04-queue-narrow")
	p.follow(p.css(`main a[href="/submissions/` + strconv.FormatInt(v1.ID, 10) + `"]`))
	p.look("05-mark")
	p.narrowHere("05-mark-narrow")
	if status := p.follow(p.link("main form", "Save the decisions")); status != 422 {
		p.errorf("marking nothing answered %d, want 422", status)
	}
	p.wantErrorSummary(map[string]string{"outcome-" + fieldID(asg.Criteria[0]): "Choose met or not yet for criterion " + string(asg.Criteria[0])})
	ids := eval[[]string](p, `[...new Set([...document.querySelectorAll('main input[type=radio][name^="outcome-"]')].map(i => i.name))]`)
	for _, name := range ids {
		if name == "outcome-"+fieldID(referred) {
			p.pick(name, "not_yet")
			p.typeInto("feedback-"+fieldID(referred), "Give an example from your own setting.")
		} else {
			p.pick(name, "met")
		}
	}
	p.follow(p.link("main form", "Save the decisions"))
	p.wantText("is marked")
	p.signOut()

	// The learner reads why, and resubmits beside version 1.
	p.signInAs(a, learnerEmail)
	p.open("/portfolio/" + strconv.FormatInt(appID, 10))
	if got := p.text("#referred + dl"); !strings.Contains(got, "Give an example from your own setting.") {
		p.errorf("the referral reads %q", got)
	}
	p.look("06-referred")
	p.narrowHere("06-referred-narrow")
	p.follow(p.link("main", "Add evidence"))
	p.fill("title", asg.Ref+" essay, with an example")
	p.pick("kind", "reflective")
	p.typeInto("text", "In March I led a review meeting with a parent and the key person…")
	p.pick("criteria", string(referred))
	p.follow(p.link("main form", "Add to portfolio"))
	pf = load()
	ev2 := pf.Evidence[len(pf.Evidence)-1]
	p.follow(p.link("main", "Submit work to be marked"))
	p.pick("assignment", asg.Ref)
	p.pick("evidence", strconv.FormatInt(ev2.ID, 10))
	p.follow(p.link("main form", "Submit"))
	p.wantText("version " + strconv.Itoa(v1.Version+1) + " is submitted")
	p.signOut()

	pf = load()
	v2 := pf.Submissions[len(pf.Submissions)-1]
	p.signInAs(a, assessorEmail)
	p.open("/submissions/" + strconv.FormatInt(v2.ID, 10))
	for _, name := range eval[[]string](p, `[...new Set([...document.querySelectorAll('main input[type=radio][name^="outcome-"]')].map(i => i.name))]`) {
		p.pick(name, "met")
	}
	p.follow(p.link("main form", "Save the decisions"))
	p.wantText("is marked")
	p.signOut()

	pf = load()
	for _, r := range pf.Matrix().Rows {
		if r.Criterion == referred && r.State != domain.CellMet {
			t.Errorf("%s is %s after version 2 was marked met", referred, r.State)
		}
	}
	if d := pf.DecisionsOn(v1.ID); len(d) == 0 || !strings.Contains(d[0].Feedback+d[len(d)-1].Feedback, "") {
		t.Errorf("version 1's decisions: %+v", d)
	}
	p.signInAs(a, learnerEmail)
	p.open("/portfolio/" + strconv.FormatInt(appID, 10))
	p.look("07-met")
	p.open("/outbox")
	p.wantText("Your work was marked")
	p.look("08-outbox")
}

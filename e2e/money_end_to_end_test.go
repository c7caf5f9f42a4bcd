package e2e

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"senco/internal/domain"
)

// TestMoneyEndToEnd walks the money through the pages alone, one role
// after another on one demo: a supplier's declaration reaches a statement
// the programme team authorises and pays, and a setting's claim of cover
// is verified, approved, batched, exported for finance and paid by the
// response finance sends back.
func TestMoneyEndToEnd(t *testing.T) {
	requireBrowser(t)
	a := newApp(t)
	t.Run("Statement", func(t *testing.T) { statementEndToEnd(t, a) })
	t.Run("Claim", func(t *testing.T) { claimEndToEnd(t, a) })
}

// statementEndToEnd: the supplier declares a milestone that is due; the
// programme team runs this month's statements and finds the line on the
// supplier's statement, then authorises and pays the supplier's payable
// statement.
//
// A declaration made today lands on this month's statement, which stays
// open for declarations until the 7th of next month
// (domain.StatementDeadline): it cannot be paid today. The demo has run
// every month's statements up to this one and left each supplier's newest
// closed statement payable, so that is the statement paid here; the run
// shows the new line on the open statement, where the next month's pay run
// will take it.
func statementEndToEnd(t *testing.T, a *app) {
	sup := newPage(t, a)
	sup.signInAs(a, supplierEmail)
	sup.open("/statements")
	supplier := sup.text("main tbody tr td") // the supplier sees only its own statements
	sup.open("/declarations")
	declare := sup.css(`main a[href^="/declarations/new?"]`)
	sup.follow(declare)
	learner := sup.text("main .govuk-caption-l")
	learner, _, _ = strings.Cut(learner, ",")
	milestone := eval[string](sup, `document.querySelector('input[name=milestone]').value`)
	sup.axe("declare form (a milestone that is due)")
	if status := sup.follow(sup.link("main form", "Declare")); status != 200 {
		sup.fatalf("declaring answered %d", status)
	}
	label := domain.Milestone(milestone).Label()
	sup.wantText(label + " declared for " + learner)
	sup.wantText("checked against the records")
	sup.shot("declared")

	prog := newPage(t, a)
	prog.signInAs(a, programmeEmail)
	prog.open("/statements")
	month := domain.MonthOf(domain.Today())
	prog.fill("month", month.String())
	if status := prog.follow(prog.link("main form", "Run statements")); status != 200 {
		prog.fatalf("running the statements answered %d", status)
	}
	prog.wantText(month.Long() + ":")
	prog.shot("statements-run")

	// The new line is on the supplier's open statement of this month.
	prog.follow(prog.statementRow(supplier, month.Long(), ""))
	prog.wantHeading("Statement for " + month.Long())
	prog.wantText("Open")
	lines := prog.texts("main tbody tr")
	found := false
	for _, l := range lines {
		if strings.Contains(l, learner) && strings.Contains(l, label) && strings.Contains(l, domain.Today().Long()) {
			found = true
		}
	}
	if !found {
		prog.fatalf("the %s statement of %s has no %s line for %s declared today: %q", month.Long(), supplier, label, learner, lines)
	}

	// The supplier's payable statement: authorise, then record the payment.
	prog.open("/statements")
	prog.follow(prog.statementRow(supplier, "", "Payable"))
	prog.wantText("Payable")
	heading := prog.heading()
	prog.axe("payable statement")
	if status := prog.follow(prog.link("main form", "Authorise for payment")); status != 200 {
		prog.fatalf("authorising answered %d", status)
	}
	prog.wantText("authorised by")
	prog.axe("authorised statement")
	reference := "BACS-E2E-" + strconv.Itoa(int(domain.Today().Time().Unix()%100000))
	prog.fill("payment_reference", reference)
	today := domain.Today()
	prog.fill("paid-day", strconv.Itoa(today.Time().Day()))
	prog.fill("paid-month", strconv.Itoa(int(today.Time().Month())))
	prog.fill("paid-year", strconv.Itoa(today.Time().Year()))
	if status := prog.follow(prog.link("main form", "Record payment")); status != 200 {
		prog.fatalf("recording the payment answered %d", status)
	}
	prog.wantHeading(heading)
	prog.wantText("Payment recorded: " + reference)
	prog.wantText("reference " + reference)
	if got := prog.text("main .govuk-summary-list"); !strings.Contains(got, "Status Paid") {
		prog.fatalf("the statement's summary is %q, want Status Paid", got)
	}
	prog.axe("paid statement")
	prog.shot("paid-statement")

	// The supplier sees it paid too.
	sup.open(prog.path())
	sup.wantText("reference " + reference)
}

// statementRow finds the link of a statement in the list by supplier and
// month or status.
func (p *page) statementRow(supplier, month, status string) chromedp.CSS {
	p.t.Helper()
	return p.mark(fmt.Sprintf("the statement of %s (%s%s)", supplier, month, status), fmt.Sprintf(
		`(() => { const r = [...document.querySelectorAll('main tbody tr')].find(r => {
			const c = [...r.children].map(c => c.innerText.trim());
			return c[1] === %s && (%s === '' || c[0].startsWith(%s)) && (%s === '' || c[2] === %s) });
		return r ? r.querySelector('a[href^="/statements/"]') : null })()`,
		jsString(supplier), jsString(month), jsString(month), jsString(status), jsString(status)))
}

// claimEndToEnd: the supplier adds a session today to the cohort of one of
// the manager's staff and takes its register (the demo has claimed every
// session its learners attended); the setting manager claims cover
// pre-filled from the register; the supplier verifies it; the programme team approves it,
// makes a batch, downloads it, and uploads finance's response marking
// every claim of the batch paid.
func claimEndToEnd(t *testing.T, a *app) {
	mgr := newPage(t, a)
	mgr.signInAs(a, managerEmail)
	sup := newPage(t, a)
	sup.signInAs(a, supplierEmail)

	// The demo has claimed every session its learners attended, so there
	// is cover to claim only once the supplier holds a new session for a
	// cohort one of the manager's staff is on.
	mgr.open("/claims")
	type start struct{ Href, Cohort, Name string }
	starts := eval[[]start](mgr, `[...document.querySelectorAll('main a[href^="/claims/new?learner="]')].map(a => ({Href: a.getAttribute('href'), Cohort: (a.parentElement.innerText.match(/\(([^)]*)\)$/) || [])[1] || '', Name: a.innerText.replace(/^Claim cover for /, '').trim()}))`)
	learner := ""
	for _, st := range starts {
		if st.Cohort == "" {
			continue
		}
		sup.open("/cohorts")
		if !eval[bool](sup, `[...document.querySelectorAll('main a')].some(a => a.innerText.trim() === `+jsString(st.Cohort)+`)`) {
			continue // another supplier's cohort
		}
		sup.follow(sup.link("main", st.Cohort))
		if !sup.exists(`main a[href$="/attendance"]`) {
			continue
		}
		// The supplier adds a session today and takes its register.
		if !sup.exists(`main a[href$="/sessions/new"]`) {
			continue
		}
		cohort := sup.path()
		sup.follow(sup.css(`main a[href$="/sessions/new"]`))
		today := domain.Today().Time()
		sup.fill("date-day", strconv.Itoa(today.Day()))
		sup.fill("date-month", strconv.Itoa(int(today.Month())))
		sup.fill("date-year", strconv.Itoa(today.Year()))
		sup.fill("hours", "3")
		sup.do(chromedp.Click(sup.css(`label[for="mode"]`)))
		sup.fill("topic", "Working with families on support plans")
		sup.follow(sup.link("main form", "Add session"))
		if sup.exists(`input[name=holiday]`) { // today is a bank holiday
			sup.do(chromedp.Click(sup.css(`label[for="holiday"]`)))
			sup.follow(sup.link("main form", "Add session"))
		}
		sup.open(cohort)
		sup.follow(sup.mark("today's register", `[...document.querySelectorAll('main a[href$="/attendance"]')].find(a => a.innerText.includes(`+jsString(domain.Today().Long())+`))`))
		fields := eval[[]string](sup, `[...new Set([...document.querySelectorAll('main input[type=radio][name^="mark-"]')].map(i => i.name))]`)
		for _, f := range fields {
			sup.pick(f, string(domain.Present))
		}
		sup.follow(sup.link("main form", "Save attendance"))
		if got := sup.text(".govuk-notification-banner"); !strings.Contains(got, "Attendance saved") {
			sup.fatalf("saving the register says %q", got)
		}
		mgr.open(st.Href)
		if mgr.exists(`input[name=sessions]:checked`) {
			learner = strings.TrimPrefix(mgr.heading(), "Claim cover for ")
			break
		}
	}
	if learner == "" {
		mgr.fatalf("none of the %d learners the manager can claim for has attended hours left to claim, even after the supplier took a register", len(starts))
	}
	mgr.axe("claim form (pre-filled)")
	if !mgr.exists(`#conditions:checked`) && mgr.exists(`#conditions`) {
		mgr.do(chromedp.Click(mgr.css("#conditions")))
	}
	if status := mgr.follow(mgr.link("main form", "Submit claim")); status != 200 {
		mgr.fatalf("submitting the claim answered %d", status)
	}
	mgr.wantText("Claim submitted:")

	sup.open("/claims")
	// The newest submitted claim for the learner is the one just made.
	id := eval[int](sup, fmt.Sprintf(`Math.max(0, ...[...document.querySelectorAll('main tbody tr')]
		.filter(r => r.children[0].innerText.trim() === %s)
		.flatMap(r => [...r.querySelectorAll('form[action$="/verify"]')])
		.map(f => parseInt(f.getAttribute('action').split('/')[2], 10)))`, jsString(learner)))
	if id == 0 {
		sup.fatalf("the supplier has no claim for %s to verify", learner)
	}
	claim := strconv.Itoa(id)
	sup.axe("claims to verify (supplier)")
	sup.follow(sup.css(`form[action="/claims/` + claim + `/verify"] input[value=yes] ~ button`))
	sup.wantText(learner + "'s claim is Verified")

	prog := newPage(t, a)
	prog.signInAs(a, programmeEmail)
	prog.open("/claims")
	prog.follow(prog.css(`form[action="/claims/` + claim + `/approve"] input[value=yes] ~ button`))
	prog.wantText(learner + "'s claim is Approved")
	prog.open("/batches")
	prog.axe("batches with approved claims")
	prog.follow(prog.link("main form", "Make a batch of the approved claims"))
	made := prog.text(".govuk-notification-banner")
	var batch int
	if _, err := fmt.Sscanf(made[strings.Index(made, "Batch "):], "Batch %d made", &batch); err != nil {
		prog.fatalf("the banner %q names no batch: %v", made, err)
	}
	b := strconv.Itoa(batch)

	// Download the batch's file from its link, as finance would.
	prog.css(`main a[href="/batches/` + b + `/file"]`)
	file, err := chromedp.Run(prog.ctx, chromedp.Evaluate[string](`fetch('/batches/`+b+`/file').then(r => r.ok ? r.text() : 'status ' + r.status)`, chromedp.EvalAwaitPromise))
	if err != nil {
		prog.fatalf("download batch %s: %v", b, err)
	}
	recs, err := csv.NewReader(strings.NewReader(file)).ReadAll()
	if err != nil || len(recs) < 2 {
		prog.fatalf("batch %s's file is not a CSV with rows (%v): %q", b, err, file)
	}
	wantHead := "claim_id,amount,outcome,payment_reference,reason,setting_urn,setting_name,learner,hours,rate_per_hour"
	if got := strings.Join(recs[0], ","); got != wantHead {
		prog.fatalf("batch %s's header is %q, want %q", b, got, wantHead)
	}
	inFile := false
	for _, r := range recs[1:] {
		if r[0] == claim {
			inFile = r[7] == learner
		}
		r[2], r[3] = "paid", "FIN-"+b+"-"+r[0] // finance fills in outcome and reference
	}
	if !inFile {
		prog.fatalf("batch %s's file has no row for claim %s of %s: %q", b, claim, learner, file)
	}
	path := filepath.Join(t.TempDir(), "payment-batch-"+b+"-response.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	prog.do(chromedp.SetUploadFiles(prog.css("#file-"+b), []string{path}))
	if status := prog.follow(prog.css(`form[action="/batches/` + b + `/response"] button`)); status != 200 {
		prog.fatalf("uploading the response answered %d", status)
	}
	prog.wantText("Batch " + b + " reconciled: " + strconv.Itoa(len(recs)-1) + " claims answered")
	prog.axe("batches after a response")

	prog.open("/claims")
	row := eval[string](prog, `(() => { const a = document.querySelector('a[href="/claims/`+claim+`/clawback"]'); return a ? a.closest('tr').innerText : '' })()`)
	if !strings.Contains(row, learner) || !strings.Contains(row, "Paid") {
		prog.fatalf("claim %s's row is %q, want %s's claim paid", claim, squash(row), learner)
	}
	mgr.open("/claims")
	mgr.wantText("Paid")
	mgr.shot("paid-claim-setting")
	prog.shot("paid-claim")
}

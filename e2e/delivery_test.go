package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"senco/internal/demo"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// Demo sign-ins of the running programme.
var (
	learnerEmail  = "practitioner@demo.senco.example"
	supplierEmail = "supplier@demo.senco.example"
	trainerEmail  = "trainer@demo.senco.example"
	aoEmail       = "ao@demo.senco.example"
)

// TestDeliveryJourneys runs the journeys of training delivery (applying,
// nominating, running cohorts, taking attendance, deciding, certifying),
// each in a tab of its own, side by side, on one freshly seeded demo. Each
// journey changes only records chosen for it before the journeys start
// (deliveryFixture), so they do not disturb each other.
func TestDeliveryJourneys(t *testing.T) {
	requireBrowser(t)
	a := newApp(t)
	fx := newDeliveryFixture(t, a)
	for _, j := range []struct {
		name string
		fn   func(*testing.T, *app, *deliveryFixture)
	}{
		{"Practitioner", practitionerJourney},
		{"Applicant", applicantJourney},
		{"SettingManager", nominationJourney},
		{"SupplierPlacing", supplierPlacingJourney},
		{"SupplierNewCohort", supplierNewCohortJourney},
		{"SupplierAttendance", supplierAttendanceJourney},
		{"TrainerConflict", trainerConflictJourney},
		{"ProgrammeTeam", programmeDeliveryJourney},
		{"ProgrammeCatalogue", programmeCatalogueJourney},
		{"AwardingOrganisation", awardingJourney},
	} {
		t.Run(j.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			j.fn(t, a, fx)
			t.Logf("%s took %v", j.name, time.Since(start).Round(time.Millisecond))
		})
	}
}

// deliveryFixture is what each delivery journey works on, chosen from the
// seeded demo before any journey starts.
type deliveryFixture struct {
	programme domain.Programme

	// The demo practitioner, on the cohort now half way.
	learnerApp      store.Application
	learnerCohort   store.CohortRecord
	learnerSessions []store.SessionRecord

	// A generated practitioner given a sign-in for the test (the demo
	// has one practitioner sign-in, who has applied already).
	applicant applicantAccount

	// A member of the demo nursery's staff with no application.
	nominee store.EmploymentRecord

	// The supplier's recruiting cohort, an eligible applicant to place on
	// it, and another to place on the cohort the journey creates.
	recruiting store.CohortRecord
	toPlace    store.Application
	toPlaceNew store.Application

	// The cohort half way (the demo practitioner's): its latest session
	// held, and a learner to withdraw.
	halfway        store.CohortRecord
	halfwaySession store.SessionRecord
	toWithdraw     store.Application

	// The trainer's other cohort in progress and its latest session held.
	trainerCohort  store.CohortRecord
	trainerSession store.SessionRecord

	// An application waiting for a manual decision.
	toDecide store.Application

	// A learner who completed training and has no certificate.
	completed store.Application

	supplier domain.Organisation
}

type applicantAccount struct {
	Email, Password, Name string
	Employment            store.EmploymentRecord
}

func newDeliveryFixture(t *testing.T, a *app) *deliveryFixture {
	t.Helper()
	ctx := context.Background()
	all := policy.Scope{Kind: policy.National}
	today := domain.Today()
	fx := &deliveryFixture{}

	progs, err := a.DB.Programmes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range progs {
		if p.Name == demo.ProgrammeName {
			fx.programme = p
		}
	}
	if fx.programme.ID == 0 {
		t.Fatalf("the demo has no programme %q", demo.ProgrammeName)
	}

	cohorts, err := a.DB.Cohorts(ctx, all, store.CohortFilter{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	cohort := func(prefix string) store.CohortRecord {
		for _, c := range cohorts.Cohorts {
			if strings.HasPrefix(c.Name, prefix+" – ") {
				return c
			}
		}
		t.Fatalf("the demo has no cohort %q", prefix)
		return store.CohortRecord{}
	}
	latestHeld := func(c store.CohortRecord) (store.SessionRecord, []store.SessionRecord) {
		ss, err := a.DB.Sessions(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var last store.SessionRecord
		for _, s := range ss {
			if s.Date.Before(today) {
				last = s
			}
		}
		if last.ID == 0 {
			t.Fatalf("cohort %s has held no session", c.Name)
		}
		return last, ss
	}
	fx.recruiting = cohort("Leeds and Lancashire next")
	fx.halfway = cohort("Leeds autumn")
	fx.trainerCohort = cohort("Northern online")
	fx.learnerCohort = fx.halfway
	fx.halfwaySession, fx.learnerSessions = latestHeld(fx.halfway)
	fx.trainerSession, _ = latestHeld(fx.trainerCohort)
	fx.supplier = organisationNamed(t, a, demo.SupplierOrg)

	apps, err := a.DB.Applications(ctx, all, store.AppFilter{PageSize: 100000})
	if err != nil {
		t.Fatal(err)
	}
	learner, _, err := a.DB.UserByEmail(ctx, learnerEmail)
	if err != nil {
		t.Fatal(err)
	}
	applied := map[int64]bool{}         // practitioners with an application
	settingApplied := map[string]bool{} // settings with one
	for _, ap := range apps.Applications {
		applied[ap.PractitionerID] = true
		settingApplied[ap.SettingURN] = true
		switch {
		case ap.PractitionerID == learner.PractitionerID && ap.Status.Live():
			fx.learnerApp = ap
		case ap.Status == domain.StatusEligible && ap.CohortID == 0 && ap.WaitlistCohortID == 0 && ap.LACode == demo.Leeds:
			// Two eligible applicants from Leeds, not on any cohort.
			if fx.toPlace.ID == 0 {
				fx.toPlace = ap
			} else if fx.toPlaceNew.ID == 0 {
				fx.toPlaceNew = ap
			}
		case ap.Status == domain.StatusInTraining && ap.CohortID == fx.halfway.ID && fx.toWithdraw.ID == 0:
			fx.toWithdraw = ap
		case ap.Status == domain.StatusApplied && ap.Decision == domain.DecisionManual && fx.toDecide.ID == 0:
			fx.toDecide = ap
		case ap.Status == domain.StatusCompleted && ap.RevokedOn.IsZero():
			// Prefer one not yet registered with the awarding organisation.
			if fx.completed.ID == 0 || (fx.completed.LearnerNumber != "" && ap.LearnerNumber == "") {
				fx.completed = ap
			}
		}
	}
	for what, ap := range map[string]store.Application{
		"the demo practitioner's application": fx.learnerApp, "an eligible Leeds applicant": fx.toPlace,
		"a second eligible Leeds applicant": fx.toPlaceNew, "a learner in training on " + fx.halfway.Name: fx.toWithdraw,
		"an application in manual review": fx.toDecide, "a completed learner": fx.completed,
	} {
		if ap.ID == 0 {
			t.Fatalf("the demo has no %s", what)
		}
	}
	if fx.learnerApp.CohortID != fx.halfway.ID {
		t.Fatalf("the demo practitioner is on cohort %d, want %s", fx.learnerApp.CohortID, fx.halfway.Name)
	}

	// Staff of the demo's settings who never applied: one at the
	// manager's nursery to nominate; one elsewhere, at a setting with no
	// application, to apply.
	mine := a.settingOf(t, managerEmail)
	emps, err := a.DB.Employments(ctx, all, store.PeopleFilter{CurrentOn: today, PageSize: 100000})
	if err != nil {
		t.Fatal(err)
	}
	orgBySetting := map[string]domain.Organisation{}
	orgs, err := a.DB.Organisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Kind == domain.OrgSetting && o.SettingURN != "" {
			orgBySetting[o.SettingURN] = o
		}
	}
	var applicantOrg domain.Organisation
	for _, e := range emps.Employments {
		if applied[e.PractitionerID] || e.Role == domain.RoleManager {
			continue
		}
		switch {
		case e.SettingURN == mine.URN && fx.nominee.ID == 0:
			fx.nominee = e
		case e.SettingURN != mine.URN && !settingApplied[e.SettingURN] && e.SettingName != "" && fx.applicant.Employment.ID == 0:
			if o, ok := orgBySetting[e.SettingURN]; ok && e.Role == domain.RolePractitioner {
				fx.applicant.Employment, applicantOrg = e, o
			}
		}
	}
	if fx.nominee.ID == 0 {
		t.Fatalf("no one at %s without an application to nominate", mine.URN)
	}
	if fx.applicant.Employment.ID == 0 {
		t.Fatalf("no practitioner of a demo setting without applications to apply")
	}
	fx.applicant = createApplicant(t, a, fx.applicant.Employment, applicantOrg)
	return fx
}

// createApplicant gives a generated practitioner a sign-in, with the demo's
// password, so that they can apply through the practitioner's journey.
func createApplicant(t *testing.T, a *app, e store.EmploymentRecord, org domain.Organisation) applicantAccount {
	t.Helper()
	ctx := context.Background()
	_, hash, err := a.DB.UserByEmail(ctx, learnerEmail)
	if err != nil {
		t.Fatal(err)
	}
	acc := applicantAccount{Email: "applicant.e2e@demo.senco.example", Password: demo.Password, Name: e.PractitionerName, Employment: e}
	err = a.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.CreateUser(ctx, domain.OperatorActor("e2e"), domain.User{Email: acc.Email, Name: acc.Name, Role: domain.RoleLearner,
			Org: org, PractitionerID: e.PractitionerID}, hash)
		return err
	})
	if err != nil {
		t.Fatalf("give %s a sign-in: %v", acc.Name, err)
	}
	return acc
}

func organisationNamed(t *testing.T, a *app, name string) domain.Organisation {
	t.Helper()
	orgs, err := a.DB.Organisations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Name == name {
			return o
		}
	}
	t.Fatalf("the demo has no organisation %q", name)
	return domain.Organisation{}
}

// ---- the journeys ----

// The demo practitioner follows their training: cohort, sessions,
// attendance, the calendar feed; applying again to the same programme is
// refused.
func practitionerJourney(t *testing.T, a *app, fx *deliveryFixture) {
	p := journeyPage(t, a)
	p.signInAs(a, learnerEmail)
	p.follow(p.link(".govuk-service-navigation", "Your training"))
	if got := p.path(); got != "/my-training" {
		p.fatalf("Your training led to %s", got)
	}
	p.wantHeading("Your training")
	details := p.summary()
	for key, want := range map[string]string{
		"Cohort":            fx.learnerCohort.Name,
		"Training supplier": fx.learnerCohort.SupplierName,
		"Setting":           fx.learnerApp.SettingURN,
		"Status":            fx.learnerApp.Status.Label(),
	} {
		if !strings.Contains(details[key], want) {
			p.errorf("Your training says %s %q, want %q in it", key, details[key], want)
		}
	}
	if !strings.Contains(details["Attendance"], "held so far") {
		p.errorf("Your training says attendance %q", details["Attendance"])
	}
	// The sessions, each with the learner's mark or that it is coming up.
	rows := p.texts("main table tbody tr")
	if len(rows) != len(fx.learnerSessions) {
		p.errorf("the sessions table has %d rows, want the cohort's %d sessions", len(rows), len(fx.learnerSessions))
	}
	today := domain.Today()
	for i, s := range fx.learnerSessions {
		if i >= len(rows) {
			break
		}
		if !strings.Contains(rows[i], s.Date.Long()) || !strings.Contains(rows[i], s.Topic) {
			p.errorf("session row %d is %q, want %s, %s", i+1, rows[i], s.Date.Long(), s.Topic)
		}
		if s.Date.After(today) && !strings.HasSuffix(rows[i], "Coming up") {
			p.errorf("a session to come (row %d) says %q", i+1, rows[i])
		}
		if s.Date.Before(today) && (strings.HasSuffix(rows[i], "Coming up") || strings.HasSuffix(rows[i], "Not marked")) {
			p.errorf("a session held (row %d) shows no mark: %q", i+1, rows[i])
		}
	}
	p.look("01-my-training")
	p.narrowHere("my-training at 320 px")

	// The calendar feed, fetched by the page as the calendar link would.
	href := eval[string](p, `document.querySelector('main a[href$=".ics"]')?.getAttribute('href') ?? ''`)
	if href != "/my-training/sessions.ics" {
		p.fatalf("the calendar link goes to %q", href)
	}
	type feed struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Body   string `json:"body"`
	}
	f, err := chromedp.Run(p.ctx, chromedp.Evaluate[feed](fmt.Sprintf(
		`fetch(%s).then(async r => ({status: r.status, type: r.headers.get('content-type') || '', body: await r.text()}))`, jsString(href)),
		chromedp.EvalAwaitPromise))
	if err != nil {
		p.fatalf("fetch the calendar: %v", err)
	}
	if f.Status != 200 || !strings.HasPrefix(f.Type, "text/calendar") {
		p.errorf("the calendar answered %d %q", f.Status, f.Type)
	}
	if !strings.HasPrefix(f.Body, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(f.Body, "END:VCALENDAR\r\n") {
		p.errorf("the calendar is not an iCalendar file: %.80q", f.Body)
	}
	if n := strings.Count(f.Body, "BEGIN:VEVENT"); n != len(fx.learnerSessions) {
		p.errorf("the calendar has %d events, want the cohort's %d sessions", n, len(fx.learnerSessions))
	}
	first := fx.learnerSessions[0]
	if !strings.Contains(f.Body, "DTSTART;VALUE=DATE:"+first.Date.Time().Format("20060102")) {
		p.errorf("the calendar has no event on the first session's date %s", first.Date)
	}

	// Applying to the same programme again is refused on its first question.
	p.open("/apply")
	p.wantHeading("Apply for Early Years SENCO training")
	p.follow(p.link("main", "Start now"))
	p.wantPath("/apply/programme")
	p.pick("programme", itoa(fx.programme.ID))
	if status := p.follow(p.link("main form", "Continue")); status != 422 {
		p.errorf("applying again answered %d, want 422", status)
	}
	p.wantErrorSummary(map[string]string{"programme": "You have already applied to " + fx.programme.Name + " (status: " + strings.ToLower(fx.learnerApp.Status.Label()) + "). You can see it in your training"})
	p.look("02-apply-again-refused")
	p.signOut()
}

// A practitioner with a sign-in applies: programme, setting found by URN,
// role, qualification, check answers, and the outcome of the rules.
func applicantJourney(t *testing.T, a *app, fx *deliveryFixture) {
	acc := fx.applicant
	e := acc.Employment
	p := journeyPage(t, a)
	p.open("/sign-in")
	if status := p.signIn(acc.Email, acc.Password); status != 200 || p.path() != "/" {
		p.fatalf("signing in as the applicant: status %d at %s", status, p.path())
	}
	p.follow(p.link(".govuk-service-navigation", "Your training"))
	p.wantText("You have not applied for training yet.")
	p.follow(p.link("main", "Apply for training"))
	p.wantPath("/apply")
	p.look("01-apply-start")
	p.follow(p.link("main", "Start now"))

	// Programme: first with nothing chosen.
	p.wantPath("/apply/programme")
	p.wantHeading("Which programme are you applying for?")
	if status := p.follow(p.link("main form", "Continue")); status != 422 {
		p.errorf("no programme chosen answered %d, want 422", status)
	}
	p.wantErrorSummary(map[string]string{"programme": "Select the programme you are applying for"})
	p.look("02-programme-error")
	p.pick("programme", itoa(fx.programme.ID))
	p.follow(p.link("main form", "Continue"))

	// Setting: not the workplace offered, but found on the register.
	p.wantPath("/apply/setting")
	p.wantHeading("Which setting are you applying from?")
	p.look("03-setting")
	p.pick("setting", "other")
	p.follow(p.link("main form", "Continue"))
	p.wantPath("/apply/setting/search")
	p.wantHeading("Find your setting")
	p.fill("q", e.SettingURN)
	p.follow(p.link("main form[role=search]", "Search"))
	if got := eval[[]string](p, `[...document.querySelectorAll('input[name=setting]')].map(i => i.value)`); !slices.Equal(got, []string{e.SettingURN}) {
		p.fatalf("searching the URN %s offered %v", e.SettingURN, got)
	}
	p.look("04-setting-search")
	p.pick("setting", e.SettingURN)
	p.follow(p.link("main form[method=post]", "Continue"))

	// Role, offered as the one on record.
	p.wantPath("/apply/role")
	if got := p.checkedValue("role"); got != string(e.Role) {
		p.errorf("the role chosen to start with is %q, want the role on record %q", got, e.Role)
	}
	p.look("05-role")
	p.pick("role", string(domain.RoleDeputySENCO))
	p.follow(p.link("main form", "Continue"))

	// Qualification.
	p.wantPath("/apply/qualification")
	p.wantHeading("What is your highest full and relevant early years qualification?")
	p.look("06-qualification")
	p.pick("qualification", "level3")
	p.follow(p.link("main form", "Continue"))

	// Check answers, then send.
	p.wantPath("/apply/check")
	p.wantHeading("Check your answers before sending your application")
	answers := p.summary()
	for key, want := range map[string]string{
		"Name":            acc.Name,
		"Programme":       fx.programme.Name,
		"Setting":         "Ofsted URN " + e.SettingURN,
		"Your role there": domain.RoleDeputySENCO.Label(),
		"Highest full and relevant early years qualification": "Level 3",
	} {
		if !strings.Contains(answers[key], want) {
			p.errorf("check your answers says %s %q, want %q", key, answers[key], want)
		}
	}
	p.look("07-check-answers")
	p.follow(p.link("main form", "Accept and send"))

	// The outcome, as the rules decided it.
	if got := p.path(); !strings.HasPrefix(got, "/apply/confirmation/") {
		p.fatalf("sending led to %s", got)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(p.path(), "/apply/confirmation/"), 10, 64)
	if err != nil {
		p.fatalf("the confirmation's address %s names no application", p.path())
	}
	app, err := a.DB.Application(context.Background(), policy.Scope{Kind: policy.National}, id)
	if err != nil {
		p.fatalf("application %d: %v", id, err)
	}
	if app.PractitionerID != e.PractitionerID || app.SettingURN != e.SettingURN || app.Nominated {
		p.errorf("the application sent is %+v", app)
	}
	if got := p.text(".govuk-panel"); !strings.Contains(got, "Application sent") || !strings.Contains(got, fmt.Sprintf("Your reference number is %d", id)) {
		p.errorf("the panel says %q", got)
	}
	wantTag := map[domain.Status]string{domain.StatusEligible: "Eligible", domain.StatusIneligible: "Not eligible", domain.StatusApplied: "Being reviewed"}[app.Status]
	if got := p.after("Your eligibility"); wantTag == "" || !strings.HasPrefix(got, wantTag) {
		p.errorf("the outcome says %q; the application is %s (%s)", got, app.Status, app.Decision)
	}
	t.Logf("the application sent is %s: %s", app.Status, app.Reason)
	p.look("08-confirmation")
	p.follow(p.link("main", "See your training"))
	if got := p.summary()["Status"]; !strings.Contains(got, map[bool]string{true: "Manual review", false: app.Status.Label()}[app.Status == domain.StatusApplied]) {
		p.errorf("Your training shows the status %q, want %s", got, app.Status.Label())
	}
	p.signOut()
}

// A setting manager nominates a member of staff and finds the
// application in the list.
func nominationJourney(t *testing.T, a *app, fx *deliveryFixture) {
	who := fx.nominee
	p := journeyPage(t, a)
	p.signInAs(a, managerEmail)
	p.follow(p.link(".govuk-service-navigation", "Applications"))
	p.wantHeading("Applications")
	p.follow(p.link("main", "Nominate a member of staff"))
	p.wantPath("/nominate")
	p.wantHeading("Nominate a member of staff")
	if got := p.checkedValue("programme"); got != itoa(fx.programme.ID) {
		p.errorf("the one open programme is not chosen to start with: %q", got)
	}
	p.look("01-nominate")
	if status := p.follow(p.link("main form", "Continue")); status != 422 {
		p.errorf("no one chosen answered %d, want 422", status)
	}
	p.wantErrorSummary(map[string]string{"practitioner": "Select a member of your current staff"})
	p.look("02-nominate-error")
	p.pick("practitioner", itoa(who.PractitionerID))
	p.follow(p.link("main form", "Continue"))
	p.wantHeading("Check the nomination")
	if got := p.summary()["Member of staff"]; !strings.Contains(got, who.PractitionerName) {
		p.errorf("the check page names %q, want %s", got, who.PractitionerName)
	}
	p.look("03-nominate-check")
	p.follow(p.link("main form", "Nominate"))
	if got := p.path(); !strings.HasPrefix(got, "/applications/") || !strings.HasSuffix(got, "?done=nominated") {
		p.fatalf("nominating led to %s", got)
	}
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, who.PractitionerName+" nominated for "+fx.programme.Name) {
		p.errorf("the banner says %q", got)
	}
	p.wantHeading(who.PractitionerName)
	p.look("04-nominated")

	// The list, searched by name.
	p.follow(p.link(".govuk-service-navigation", "Applications"))
	p.fill("q", who.PractitionerName)
	p.follow(p.link("form.senco-filters", "Apply filters"))
	rows := p.texts("main table tbody tr")
	if !slices.ContainsFunc(rows, func(r string) bool {
		return strings.Contains(r, who.PractitionerName) && strings.Contains(r, domain.Today().Long())
	}) {
		p.errorf("the applications list does not show %s applied today: %q", who.PractitionerName, rows)
	}
	p.look("05-applications")
	p.signOut()
}

// A supplier admin lists their cohorts and places an applicant on a
// recruiting cohort.
func supplierPlacingJourney(t *testing.T, a *app, fx *deliveryFixture) {
	p := journeyPage(t, a)
	p.signInAs(a, supplierEmail)
	p.follow(p.link(".govuk-service-navigation", "Cohorts"))
	p.wantHeading("Cohorts")
	if got := p.text("main table caption"); got != "Your organisation's cohorts" {
		p.errorf("the cohorts table's caption is %q", got)
	}
	names := p.texts("main table tbody tr td:first-child a")
	if !slices.Contains(names, fx.recruiting.Name) || slices.Contains(names, "London online") {
		p.errorf("the supplier's cohorts are %q", names)
	}
	for _, n := range names {
		if strings.HasPrefix(n, "Hackney") || strings.HasPrefix(n, "East London") || strings.HasPrefix(n, "London") {
			p.errorf("another supplier's cohort %q is listed", n)
		}
	}
	p.look("01-cohorts")
	p.narrowHere("cohorts at 320 px")

	// The recruiting cohort is full: the applicant joins its waiting list.
	p.follow(p.link("main table", fx.recruiting.Name))
	p.wantPath(fmt.Sprintf("/cohorts/%d", fx.recruiting.ID))
	if got := p.heading(); !strings.Contains(got, "Recruiting") {
		p.errorf("the recruiting cohort's heading is %q", got)
	}
	p.look("02-recruiting-cohort")
	p.follow(p.css(fmt.Sprintf(`main a[href="/applications/%d/place?cohort=%d"]`, fx.toPlace.ID, fx.recruiting.ID)))
	p.wantHeading("Place on a cohort")
	if got := p.checkedValue("cohort"); got != itoa(fx.recruiting.ID) {
		p.errorf("the cohort chosen to start with is %q, want %d", got, fx.recruiting.ID)
	}
	p.look("03-place")
	p.follow(p.link("main form", "Place on cohort"))
	p.wantPath(fmt.Sprintf("/cohorts/%d?done=waitlisted&app=%d", fx.recruiting.ID, fx.toPlace.ID))
	want := fmt.Sprintf("%s is full (%d places): %s is on its waiting list", fx.recruiting.Name, fx.recruiting.Capacity, fx.toPlace.PractitionerName)
	if fx.recruiting.Free() > 0 {
		want = fmt.Sprintf("%s placed on %s", fx.toPlace.PractitionerName, fx.recruiting.Name)
	}
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, want) {
		p.errorf("the banner says %q, want %q", got, want)
	}
	if fx.recruiting.Free() == 0 && !strings.Contains(p.text("#waiting-list"), fx.toPlace.PractitionerName) {
		p.errorf("%s is not on the waiting list", fx.toPlace.PractitionerName)
	}
	p.look("04-placed")
	p.signOut()
}

// A supplier admin creates a cohort (choosing the contract, then first with
// errors), adds a session and places an applicant on it.
func supplierNewCohortJourney(t *testing.T, a *app, fx *deliveryFixture) {
	p := journeyPage(t, a)
	p.signInAs(a, supplierEmail)
	p.follow(p.link(".govuk-service-navigation", "Cohorts"))
	p.follow(p.link("main", "Create a cohort"))
	p.wantPath("/cohorts/new")
	p.follow(p.link("main", "Change contract"))
	p.wantHeading("Which contract is the cohort delivered under?")
	p.look("01-cohort-contract")
	contract := eval[string](p, `document.querySelector('input[name=contract]').value`)
	p.pick("contract", contract)
	p.follow(p.link("main form", "Continue"))
	p.wantHeading("Create a cohort")
	p.look("02-cohort-form")
	p.fill("name", "")
	p.fill("capacity", "lots")
	for _, id := range []string{"starts-day", "starts-month", "starts-year"} {
		p.fill(id, "")
	}
	if status := p.follow(p.link("main form", "Create cohort")); status != 422 {
		p.errorf("a cohort with errors answered %d, want 422", status)
	}
	p.wantErrorSummary(map[string]string{
		"name":       "Enter a name for the cohort",
		"starts-day": "Enter the start date",
		"capacity":   "Enter the number of places as a whole number, for example 20",
	})
	p.look("03-cohort-errors")
	today := domain.Today()
	starts, ends := today.AddDays(60), today.AddDays(200)
	name := "Leeds spring (browser test)"
	p.fill("name", name)
	p.pick("mode", string(domain.Blended))
	// Serve Leeds only.
	for _, code := range eval[[]string](p, `[...document.querySelectorAll('input[name=las]:checked')].map(i => i.value)`) {
		if code != demo.Leeds {
			p.pick("las", code)
		}
	}
	if !p.isChecked("las", demo.Leeds) {
		p.pick("las", demo.Leeds)
	}
	p.fillDate("starts", starts)
	p.fillDate("ends", ends)
	p.fill("capacity", "10")
	trainer, _, err := a.DB.UserByEmail(context.Background(), trainerEmail)
	if err != nil {
		t.Fatal(err)
	}
	p.pick("trainers", itoa(trainer.ID))
	p.shot("04-cohort-filled")
	p.follow(p.link("main form", "Create cohort"))
	if got := p.path(); !strings.HasPrefix(got, "/cohorts/") || !strings.HasSuffix(got, "?done=created") {
		p.fatalf("creating the cohort led to %s", got)
	}
	cohortPath := strings.TrimSuffix(p.path(), "?done=created")
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, "Cohort "+name+" created") {
		p.errorf("the banner says %q", got)
	}
	details := p.summary()
	for key, want := range map[string]string{
		"Delivery": domain.Blended.Label(), "Dates": starts.Long() + " to " + ends.Long(),
		"Local authorities served": a.laName(t, demo.Leeds), "Places": "0 of 10 filled, 10 free", "Trainers": trainer.Name,
	} {
		if details[key] != want {
			p.errorf("the new cohort's %s is %q, want %q", key, details[key], want)
		}
	}
	p.look("05-cohort-created")

	// A session.
	p.follow(p.link("main", "Add a session"))
	p.wantHeading("Add a session")
	p.fillDate("date", starts)
	p.fill("hours", "3.5")
	p.pick("mode", string(domain.Online))
	topic := "The SENCO's role and the SEND Code of Practice"
	p.fill("topic", topic)
	p.fill("venue", "https://meet.example.org/browser-test")
	p.fill("units", "301")
	p.look("06-session-form")
	p.follow(p.link("main form", "Add session"))
	if got := p.path(); !strings.HasPrefix(got, cohortPath+"?done=session") {
		p.fatalf("adding the session led to %s", got)
	}
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, "Session on "+starts.Long()+" added: "+topic) {
		p.errorf("the banner says %q", got)
	}
	if rows := p.tableRows("Sessions of " + name); len(rows) != 1 || !strings.Contains(rows[0], "3.5 hours") {
		p.errorf("the sessions table is %q", rows)
	}

	// An applicant placed on the new cohort.
	p.follow(p.css(fmt.Sprintf(`main a[href^="/applications/%d/place?cohort="]`, fx.toPlaceNew.ID)))
	p.follow(p.link("main form", "Place on cohort"))
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, fx.toPlaceNew.PractitionerName+" placed on "+name) {
		p.errorf("the banner says %q", got)
	}
	if got := p.summary()["Places"]; got != "1 of 10 filled, 9 free" {
		p.errorf("the new cohort's places are %q", got)
	}
	p.look("07-placed-on-new-cohort")
	p.signOut()
}

// A supplier admin takes the register of the half-way cohort's latest
// session for every learner, then withdraws a learner (first without a
// reason).
func supplierAttendanceJourney(t *testing.T, a *app, fx *deliveryFixture) {
	p := journeyPage(t, a)
	p.signInAs(a, supplierEmail)
	p.follow(p.link(".govuk-service-navigation", "Cohorts"))
	p.follow(p.link("main table", fx.halfway.Name))
	if got := p.heading(); !strings.Contains(got, "In progress") {
		p.errorf("the half-way cohort's heading is %q", got)
	}
	p.look("01-halfway-cohort")
	s := fx.halfwaySession
	p.follow(p.css(fmt.Sprintf(`main a[href="/sessions/%d/attendance"]`, s.ID)))
	p.wantHeading("Attendance for " + s.Date.Long())
	p.look("02-register")
	fields := eval[[]string](p, `[...new Set([...document.querySelectorAll('main input[type=radio][name^="mark-"]')].map(i => i.name))]`)
	if len(fields) < 5 {
		p.fatalf("the register has %d learners", len(fields))
	}
	for _, f := range fields {
		p.pick(f, string(domain.Present))
	}
	p.follow(p.link("main form", "Save attendance"))
	p.wantPath(fmt.Sprintf("/sessions/%d/attendance?done=saved&n=%d", s.ID, len(fields)))
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, fmt.Sprintf("Attendance saved for %d learners", len(fields))) {
		p.errorf("the banner says %q", got)
	}
	lines, err := a.DB.Register(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if l.Mark != domain.Present {
			p.errorf("%s is marked %q after saving everyone present", l.PractitionerName, l.Mark)
		}
	}
	p.look("03-register-saved")

	// Withdraw a learner.
	p.follow(p.css(".govuk-back-link"))
	w := fx.toWithdraw
	p.follow(p.css(fmt.Sprintf(`main a[href="/applications/%d/withdraw"]`, w.ID)))
	p.wantHeading("Record a withdrawal")
	p.look("04-withdraw")
	if status := p.follow(p.link("main form", "Withdraw")); status != 422 {
		p.errorf("a withdrawal with no reason answered %d, want 422", status)
	}
	p.wantErrorSummary(map[string]string{"reason": "Choose the reason for the withdrawal"})
	p.look("05-withdraw-error")
	p.pick("reason", string(domain.WithdrawPersonal))
	p.fill("note", "Family circumstances")
	p.follow(p.link("main form", "Withdraw"))
	p.wantPath(fmt.Sprintf("/cohorts/%d?done=withdrawn&app=%d", fx.halfway.ID, w.ID))
	want := fmt.Sprintf("%s withdrawn on %s (%s)", w.PractitionerName, domain.Today().Long(), strings.ToLower(domain.WithdrawPersonal.Label()))
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, want) {
		p.errorf("the banner says %q, want %q", got, want)
	}
	row := eval[string](p, fmt.Sprintf(`document.querySelector('main a[href="/applications/%d"]')?.closest('tr')?.innerText ?? ''`, w.ID))
	if !strings.Contains(row, "Withdrawn") {
		p.errorf("%s's row says %q after the withdrawal", w.PractitionerName, squash(row))
	}
	p.look("06-withdrawn")
	p.signOut()
}

// A trainer takes attendance; the same trainer, in another browser, saves
// the register they opened before the first save and is told so (409),
// and the first save stands.
func trainerConflictJourney(t *testing.T, a *app, fx *deliveryFixture) {
	s := fx.trainerSession
	p := journeyPage(t, a)
	p.signInAs(a, trainerEmail)
	p.follow(p.link(".govuk-service-navigation", "Cohorts"))
	if got := p.text("main table caption"); got != "Cohorts you teach or assess" {
		p.errorf("the trainer's cohorts table's caption is %q", got)
	}
	p.look("01-trainer-cohorts")
	p.follow(p.link("main table", fx.trainerCohort.Name))
	p.follow(p.css(fmt.Sprintf(`main a[href="/sessions/%d/attendance"]`, s.ID)))
	p.wantHeading("Attendance for " + s.Date.Long())
	p.look("02-trainer-register")

	// The second browser opens the same register before the first saves.
	q := journeyPage(t, a)
	q.name += "-second"
	q.signInAs(a, trainerEmail)
	q.open(fmt.Sprintf("/sessions/%d/attendance", s.ID))
	q.wantHeading("Attendance for " + s.Date.Long())

	fields := eval[[]string](p, `[...new Set([...document.querySelectorAll('main input[type=radio][name^="mark-"]')].map(i => i.name))]`)
	if len(fields) < 2 {
		p.fatalf("the register has %d learners", len(fields))
	}
	first, second := fields[0], fields[1]
	p.pick(first, string(domain.Half))
	p.pick(second, string(domain.Present))
	p.follow(p.link("main form", "Save attendance"))
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, "Attendance saved for") {
		p.fatalf("the first save's banner says %q", got)
	}

	q.pick(first, string(domain.Absent))
	q.pick(second, string(domain.Excused))
	if status := q.follow(q.link("main form", "Save attendance")); status != 409 {
		q.errorf("the second save answered %d, want 409", status)
	}
	const conflict = "Another person saved this register after you opened it. Their marks are shown below; check and save again."
	if got := q.texts(".govuk-error-summary a[href='#marks']"); !slices.Equal(got, []string{conflict}) {
		q.errorf("the error summary links %q to the register, want %q", got, conflict)
	}
	if got := q.text("#marks .govuk-error-message"); !strings.Contains(got, conflict) {
		q.errorf("the register's error message says %q", got)
	}
	if got := q.checkedValue(first); got != string(domain.Half) {
		q.errorf("after the conflict the page shows %s as %q, want the saved %q", first, got, domain.Half)
	}
	unsaved := q.text("#your-marks")
	if !strings.Contains(unsaved, "Absent (saved now: Half)") || !strings.Contains(unsaved, "Excused (saved now: Present)") {
		q.errorf("the marks not saved are listed as %q", unsaved)
	}
	q.look("03-conflict")

	// The first save stands.
	lines, err := a.DB.Register(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	marks := map[string]domain.Mark{}
	for _, l := range lines {
		marks[fmt.Sprintf("mark-%d", l.ApplicationID)] = l.Mark
	}
	if marks[first] != domain.Half || marks[second] != domain.Present {
		t.Errorf("after the conflict the register holds %s=%s, %s=%s; want the first save's half and present", first, marks[first], second, marks[second])
	}
	q.signOut()
	p.signOut()
}

// The programme team raises a programme's target and decides an
// application in manual review (first with errors).
func programmeDeliveryJourney(t *testing.T, a *app, fx *deliveryFixture) {
	prog := fx.programme
	p := journeyPage(t, a)
	p.signInAs(a, programmeEmail)
	p.follow(p.link(".govuk-service-navigation", "Programmes"))
	p.wantHeading("Programmes")
	p.look("01-programmes")
	p.follow(p.link("main table", prog.Name))
	p.wantPath(fmt.Sprintf("/programmes/%d", prog.ID))
	p.look("02-programme")
	p.follow(p.link("main", "Change the programme "+prog.Name))
	p.wantHeading("Change " + prog.Name)
	if got := eval[string](p, `document.getElementById('target').value`); got != strconv.Itoa(prog.TargetCompletions) {
		p.errorf("the target field has %q, want %d", got, prog.TargetCompletions)
	}
	p.look("03-programme-form")
	raised := prog.TargetCompletions + 500
	p.fill("target", strconv.Itoa(raised))
	p.follow(p.link("main form", "Save changes"))
	p.wantPath(fmt.Sprintf("/programmes/%d", prog.ID))
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, prog.Name+" saved") {
		p.errorf("the banner says %q", got)
	}
	if got, want := p.summary()["Target of completions"], thousands(raised); got != want {
		p.errorf("the target shows %q, want %q", got, want)
	}
	if saved, err := a.DB.Programme(context.Background(), prog.ID); err != nil || saved.TargetCompletions != raised {
		t.Errorf("the programme's target is %d (%v), want %d", saved.TargetCompletions, err, raised)
	}

	// The manual-review queue.
	p.follow(p.link(".govuk-service-navigation", "Programmes"))
	p.follow(p.link("main", "Applications for manual review"))
	p.wantHeading("Applications for manual review")
	p.look("04-review")
	d := fx.toDecide
	p.follow(p.css(fmt.Sprintf(`main a[href="/applications/%d/decide"]`, d.ID)))
	p.wantHeading("Decide on " + d.PractitionerName + "'s application")
	p.look("05-decide")
	if status := p.follow(p.link("main form", "Record decision")); status != 422 {
		p.errorf("an empty decision answered %d, want 422", status)
	}
	p.wantErrorSummary(map[string]string{"decision": "Choose whether the applicant is eligible", "reason": "Enter the reason for your decision"})
	p.look("06-decide-errors")
	p.pick("decision", "eligible")
	p.typeInto("reason", "Full and relevant Level 3 qualification confirmed from the certificate")
	p.follow(p.link("main form", "Record decision"))
	p.wantPath("/review")
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, d.PractitionerName+"'s application is now eligible") {
		p.errorf("the banner says %q", got)
	}
	if p.exists(fmt.Sprintf(`main a[href="/applications/%d/decide"]`, d.ID)) {
		p.errorf("the decided application is still in the queue")
	}
	p.look("07-decided")
	p.signOut()
}

// The programme team looks at the suppliers, a supplier's contracts, the
// qualifications and the programme's qualification.
func programmeCatalogueJourney(t *testing.T, a *app, fx *deliveryFixture) {
	prog := fx.programme
	p := journeyPage(t, a)
	p.signInAs(a, programmeEmail)
	p.follow(p.link(".govuk-service-navigation", "Programmes"))
	p.follow(p.link("main", "Suppliers and contracts"))
	p.wantHeading("Suppliers")
	p.look("01-suppliers")
	p.follow(p.link("main table", fx.supplier.Name))
	p.wantPath(fmt.Sprintf("/suppliers/%d", fx.supplier.ID))
	p.wantHeading(fx.supplier.Name)
	if got := p.text("main table caption"); got != prog.Name {
		p.errorf("the supplier's contracts table is captioned %q, want %q", got, prog.Name)
	}
	if got := p.text("main table tbody tr"); !strings.Contains(got, "In force") {
		p.errorf("the supplier's contract row says %q", got)
	}
	eval[bool](p, `(document.querySelectorAll('main details').forEach(d => d.open = true), true)`)
	p.look("02-supplier")

	// Qualifications, and the programme's.
	p.follow(p.link(".govuk-service-navigation", "Programmes"))
	p.follow(p.link("main", "Qualifications and the SENCO pathway"))
	p.wantHeading("Qualifications")
	p.look("03-qualifications")
	q, err := a.DB.Qualification(context.Background(), prog.QualificationID)
	if err != nil {
		t.Fatal(err)
	}
	p.follow(p.css(fmt.Sprintf(`main table a[href="/qualifications/%d"]`, q.ID)))
	p.wantHeading(q.Title)
	p.look("04-qualification")
	p.signOut()
}

// The awarding organisation registers a learner who completed training
// (first with an invalid ULN) and records their certificate.
func awardingJourney(t *testing.T, a *app, fx *deliveryFixture) {
	c := fx.completed
	const goodULN = "1000000043"
	badULN := goodULN[:9] + "4"
	if !domain.ValidULN(goodULN) || domain.ValidULN(badULN) {
		t.Fatalf("the ULNs of the test are wrong: %s should be valid, %s not", goodULN, badULN)
	}
	p := journeyPage(t, a)
	p.signInAs(a, aoEmail)
	p.follow(p.link(".govuk-service-navigation", "Applications"))
	p.wantHeading("Learners")
	p.choose("status", string(domain.StatusCompleted))
	p.follow(p.link("form.senco-filters", "Apply filters"))
	p.look("01-learners-completed")
	p.follow(p.css(fmt.Sprintf(`main table a[href="/applications/%d"]`, c.ID)))
	p.wantHeading(c.PractitionerName)
	p.look("02-learner")
	action := "Register the learner"
	if c.LearnerNumber != "" {
		action = "Change the registration"
	}
	p.follow(p.link("main", action))
	p.wantHeading("Register " + c.PractitionerName)
	learnerNo := "EYAB9000001"
	p.fill("learner_number", learnerNo)
	p.fill("uln", badULN)
	if status := p.follow(p.link("main form", "Save registration")); status != 422 {
		p.errorf("an invalid ULN answered %d, want 422", status)
	}
	if !p.exists(".govuk-error-summary a[href='#uln']") {
		p.errorf("the error summary does not point at the ULN: %q", p.text(".govuk-error-summary"))
	}
	if got := squash(eval[string](p, `document.getElementById('uln-error')?.innerText ?? ''`)); !strings.Contains(got, "Enter a ULN of 10 digits with a correct check digit, or leave it blank") {
		p.errorf("the ULN field's error says %q", got)
	}
	p.look("03-register-bad-uln")
	p.fill("learner_number", learnerNo)
	p.fill("uln", goodULN)
	p.follow(p.link("main form", "Save registration"))
	p.wantPath(fmt.Sprintf("/applications/%d?done=registered", c.ID))
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, c.PractitionerName+" registered with learner number "+learnerNo) {
		p.errorf("the banner says %q", got)
	}
	details := p.summary()
	if details["Learner number"] != learnerNo || details["Unique Learner Number (ULN)"] != goodULN {
		p.errorf("the learner number and ULN show as %q and %q", details["Learner number"], details["Unique Learner Number (ULN)"])
	}
	p.look("04-registered")

	p.follow(p.link("main", "Record the certificate"))
	p.wantHeading("Record " + c.PractitionerName + "'s certificate")
	certNo := "EYAB-L3-900001"
	p.fill("certificate_number", certNo)
	p.look("05-certify")
	p.follow(p.link("main form", "Record certificate"))
	p.wantPath(fmt.Sprintf("/applications/%d?done=certified", c.ID))
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, "Certificate "+certNo+" recorded for "+c.PractitionerName) {
		p.errorf("the banner says %q", got)
	}
	if got := p.text("main .govuk-tag"); got != domain.StatusCertified.Label() {
		p.errorf("the status shows %q after certifying", got)
	}
	if got := p.summary()["Certificate"]; got != certNo+", "+domain.Today().Long() {
		p.errorf("the certificate shows %q", got)
	}
	p.look("06-certified")
	p.signOut()
}

// ---- helpers of the delivery and coverage journeys ----

// journeyPage opens a tab for a journey, naming its screenshots after the
// test ("DeliveryJourneys-Practitioner-01-....png").
func journeyPage(t *testing.T, a *app) *page {
	t.Helper()
	p := newPage(t, a)
	p.name = strings.ReplaceAll(strings.TrimPrefix(t.Name(), "Test"), "/", "-")
	return p
}

// look saves a screenshot of the page shown and checks it with axe-core.
// It gives the journey a fresh time budget first: the budget is there to
// stop a journey stuck on a page, and axe-core takes its time on long pages
// of a busy machine.
func (p *page) look(step string) {
	p.t.Helper()
	p.renew()
	p.shot(step)
	p.axeViolations(step)
}

// axeViolations is p.axe with axe-core asked for the details of
// violations only (the same rules run; of the results a person must
// review, one element each is named), which is quicker on long pages.
func (p *page) axeViolations(label string) {
	p.t.Helper()
	const tags = "values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}"
	// If axeRun's options ever change, the replacement finds nothing and
	// the full run is made, as p.axe would.
	p.axeWith(label, strings.Replace(axeRun, tags, tags+", resultTypes: ['violations']", 1))
}

// tableRows is the text of each body row of the table whose caption is
// caption.
func (p *page) tableRows(caption string) []string {
	p.t.Helper()
	rows := eval[[]string](p, fmt.Sprintf(`[...[...document.querySelectorAll('main table')].find(t => t.caption && t.caption.innerText.trim() === %s)?.tBodies[0]?.rows ?? []].map(r => r.innerText)`, jsString(caption)))
	for i := range rows {
		rows[i] = squash(rows[i])
	}
	return rows
}

// typeInto types into an empty field (a textarea, which chromedp cannot
// clear when it holds no text).
func (p *page) typeInto(id, value string) {
	p.t.Helper()
	sel := p.css("#" + id)
	eval[bool](p, fmt.Sprintf(`(document.getElementById(%s).value = '', true)`, jsString(id)))
	p.do(chromedp.SendKeys(sel, value))
}

// wantPath checks the path (and query) of the page shown: equal to want,
// or starting with it when the second argument is "prefix".
func (p *page) wantPath(want string, how ...string) {
	p.t.Helper()
	got := p.path()
	if len(how) > 0 && how[0] == "prefix" {
		if !strings.HasPrefix(got, want) {
			p.fatalf("the page is %s, want %s…", got, want)
		}
		return
	}
	if got != want {
		p.fatalf("the page is %s, want %s", got, want)
	}
}

// inputSelector is the CSS selector of the radio or checkbox with the name
// and value.
func inputSelector(name, value string) string {
	return fmt.Sprintf(`input[name="%s"][value="%s"]`, name, value)
}

// pick clicks the label of the radio or checkbox with the name and value,
// as a person would.
func (p *page) pick(name, value string) {
	p.t.Helper()
	sel := p.mark(fmt.Sprintf("the label of %s = %s", name, value), fmt.Sprintf(
		`(() => { const i = document.querySelector(%s); return i && i.id ? document.querySelector('label[for="' + CSS.escape(i.id) + '"]') : null })()`,
		jsString(inputSelector(name, value))))
	p.do(chromedp.Click(sel))
}

// checkedValue is the value of the checked radio of the name, or "".
func (p *page) checkedValue(name string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`document.querySelector(%s)?.value ?? ''`, jsString(fmt.Sprintf(`input[name="%s"]:checked`, name))))
}

func (p *page) isChecked(name, value string) bool {
	p.t.Helper()
	return eval[bool](p, fmt.Sprintf(`!!document.querySelector(%s)?.checked`, jsString(inputSelector(name, value))))
}

// fillDate types a date into a GOV.UK date input.
func (p *page) fillDate(id string, d domain.Date) {
	p.t.Helper()
	tm := d.Time()
	p.fill(id+"-day", strconv.Itoa(tm.Day()))
	p.fill(id+"-month", strconv.Itoa(int(tm.Month())))
	p.fill(id+"-year", strconv.Itoa(tm.Year()))
}

// narrowHere checks the page shown at 320 CSS px wide (WCAG 1.4.10
// Reflow), then goes back to the usual width. Content other than data
// tables must not make the page scroll sideways. Wide data tables are
// reported, not failed: those in a scroll region (which must be focusable
// and named, so that keyboard users can scroll it), those making the page
// itself scroll, and content of a table that escapes its scroll region and
// makes the page scroll all the same.
func (p *page) narrowHere(label string) {
	p.t.Helper()
	p.do(chromedp.EmulateViewport(320, 720))
	defer p.do(chromedp.EmulateViewport(1280, 1000))
	p.settle()
	p.shot(strings.NewReplacer(" ", "-").Replace(label))
	type region struct {
		What      string `json:"what"`
		Focusable bool   `json:"focusable"`
		Named     bool   `json:"named"`
	}
	type result struct {
		ScrollWidth int      `json:"scrollWidth"`
		ClientWidth int      `json:"clientWidth"`
		Other       []string `json:"other"`
		Tables      []string `json:"tables"`
		Escaped     []string `json:"escaped"`
		Example     string   `json:"example"`
		Regions     []region `json:"regions"`
	}
	r := eval[result](p, `(() => {
  const de = document.documentElement, w = de.clientWidth;
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
  const caption = t => (t.caption ? t.caption.innerText : describe(t)).replace(/\s+/g, ' ').trim();
  const scrolls = a => getComputedStyle(a).overflowX !== 'visible';
  const scrollable = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  // The scroll region an element is clipped by, if any: an absolutely
  // positioned element is clipped only by a scroll container that holds
  // its containing block.
  const clipper = e => {
    const pos = getComputedStyle(e).position;
    if (pos === 'fixed') return null;
    let cb = null;
    if (pos === 'absolute') {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).position !== 'static') { cb = a; break; }
      }
    }
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (scrolls(a) && (pos !== 'absolute' || (cb && a.contains(cb)))) return a;
    }
    return null;
  };
  const region = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (scrollable(a)) return a; return null; };
  const out = [...document.body.querySelectorAll('*')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > w + 1 && !clipper(e);
  }).filter((e, _, all) => !all.some(a => a !== e && a.contains(e)));
  const scrollers = [...document.querySelectorAll('main *')].filter(e => scrollable(e) && e.scrollWidth > e.clientWidth + 1);
  return {
    scrollWidth: de.scrollWidth, clientWidth: w,
    other: out.filter(e => !e.closest('table')).slice(0, 8).map(describe),
    tables: [...new Set(out.filter(e => e.closest('table') && !region(e)).map(e => caption(e.closest('table'))))],
    escaped: [...new Set(out.filter(e => e.closest('table') && region(e)).map(e => caption(e.closest('table'))))],
    example: out.filter(e => e.closest('table') && region(e)).slice(0, 1).map(e =>
      describe(e) + ' ' + JSON.stringify(e.innerText.trim().slice(0, 40)) + ' (position: ' + getComputedStyle(e).position + ')').join(''),
    regions: scrollers.map(e => ({
      what: e.querySelector('table') ? caption(e.querySelector('table')) : describe(e),
      focusable: e.tabIndex >= 0,
      named: !!(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')),
    })),
  };
})()`)
	for _, reg := range r.Regions {
		if !reg.Focusable || !reg.Named {
			p.errorf("%s: the scroll region of %q is not keyboard-focusable or has no name (focusable %v, named %v)", label, reg.What, reg.Focusable, reg.Named)
			continue
		}
		p.t.Logf("%s: %q scrolls sideways in its own focusable region (the page does not)", label, reg.What)
	}
	if r.ScrollWidth <= r.ClientWidth {
		return
	}
	msg := fmt.Sprintf("%s: the page itself scrolls sideways (content %d px wide at %d px)", label, r.ScrollWidth, r.ClientWidth)
	if len(r.Other) > 0 {
		p.errorf("%s because of %v", msg, r.Other)
	}
	if len(r.Tables) > 0 {
		p.errorf("%s because of the wide data table(s) %q, which are in no scroll region", msg, r.Tables)
	}
	if len(r.Escaped) > 0 {
		p.errorf("%s although its tables are in scroll regions: content of the tables %q escapes its region, e.g. %s", msg, r.Escaped, r.Example)
	}
}

// sessionGet fetches a path of the app from Go, with the browser's
// session cookie.
func (p *page) sessionGet(path string) (*http.Response, []byte) {
	p.t.Helper()
	res, err := chromedp.Call(p.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{p.base + "/"}})
	if err != nil {
		p.fatalf("read the browser's cookies: %v", err)
	}
	req, err := http.NewRequestWithContext(p.ctx, http.MethodGet, p.base+path, nil)
	if err != nil {
		p.fatalf("request %s: %v", path, err)
	}
	n := 0
	for _, c := range res.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		n++
	}
	if n == 0 {
		p.fatalf("the browser holds no cookie for %s", p.base)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		p.fatalf("read %s: %v", path, err)
	}
	return resp, body
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// thousands writes a count with thousands separators, as pages show them.
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

package web_test

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
	"senco/internal/web"
)

// appFixture: two settings in two authorities, a programme open today whose
// qualification one awarding organisation awards, a supplier's cohort with
// sessions, and practitioners who each play one part.
type appFixture struct {
	db       *store.DB
	srv      *httptest.Server
	users    map[string]domain.User
	prog     domain.Programme
	cohort   domain.Cohort
	sessions []domain.Session
	pA, pB   int64 // learners who apply through the journey (Leeds)
	pC       int64 // staff the Leeds manager nominates
	pF       int64 // a Leeds learner with a self-application (appF)
	pD       int64 // a Barking learner with an application (appD)
	appF     int64
	appD     int64
	today    domain.Date
}

const appPassword = "another long test password"

func appNewFixture(t *testing.T, db *store.DB) *appFixture {
	t.Helper()
	ctx := context.Background()
	op := domain.OperatorActor("test")
	f := &appFixture{db: db, users: map[string]domain.User{}, today: domain.Today()}
	hasher := auth.NewHasher(auth.FastParams, 4)
	hash, err := hasher.Hash(ctx, appPassword)
	if err != nil {
		t.Fatal(err)
	}
	reg := domain.NewDate(2015, 1, 5)
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.UpsertLocalAuthorities(ctx, op, []domain.LocalAuthority{
			{Code: "E08000035", Name: "Leeds", OfstedName: "Leeds", RegionCode: "E12000003", RegionName: "Yorkshire and The Humber", StartedOn: domain.NewDate(1974, 4, 1)},
			{Code: "E09000002", Name: "Barking and Dagenham", OfstedName: "Barking and Dagenham", RegionCode: "E12000007", RegionName: "London", StartedOn: domain.NewDate(1965, 4, 1)},
		}); err != nil {
			return err
		}
		if err := tx.InsertSettings(ctx, []domain.Setting{
			{URN: "EY300001", Name: "Gamma Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true, LACode: "E08000035", Town: "Leeds", Postcode: "LS2 2AA", RegisteredOn: reg},
			{URN: "EY400002", Name: "Delta Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true, LACode: "E09000002", Town: "Dagenham", Postcode: "RM9 9ZZ", RegisteredOn: reg},
			{URN: "EY300003", Name: "Epsilon Pre-school", Type: domain.NonDomestic, Status: domain.Active, EYR: true, LACode: "E08000035", Town: "Leeds", RegisteredOn: reg},
		}); err != nil {
			return err
		}
		q, err := tx.SaveQualification(ctx, domain.Qualification{Code: "EYSENCO-L3", Version: 1, Title: "Level 3 Early Years SENCO", Level: 3,
			AwardingOrganisation: "Awarding Body", GuidedLearningHours: 34})
		if err != nil {
			return err
		}
		rules := domain.DefaultRules()
		rules.PlacesPerSetting = 0
		f.prog, err = tx.SaveProgramme(ctx, op, domain.Programme{Name: "National EY SENCO", QualificationID: q, OpensOn: f.today.AddDays(-30),
			ClosesOn: f.today.AddDays(300), StartsOn: f.today.AddDays(-60), EndsOn: f.today.AddDays(400), TargetCompletions: 5000, Rules: rules})
		if err != nil {
			return err
		}
		orgs := map[string]domain.Organisation{}
		for _, o := range []struct {
			key string
			o   domain.Organisation
		}{
			{"programme", domain.Organisation{Kind: domain.OrgProgramme, Name: "Programme team"}},
			{"la1", domain.Organisation{Kind: domain.OrgLA, Name: "Leeds City Council", LACode: "E08000035"}},
			{"la2", domain.Organisation{Kind: domain.OrgLA, Name: "Barking and Dagenham Council", LACode: "E09000002"}},
			{"s1", domain.Organisation{Kind: domain.OrgSetting, Name: "Gamma Nursery", SettingURN: "EY300001"}},
			{"s2", domain.Organisation{Kind: domain.OrgSetting, Name: "Delta Nursery", SettingURN: "EY400002"}},
			{"sup1", domain.Organisation{Kind: domain.OrgSupplier, Name: "Supplier One"}},
			{"ao1", domain.Organisation{Kind: domain.OrgAwarding, Name: "Awarding Body"}},
			{"ao2", domain.Organisation{Kind: domain.OrgAwarding, Name: "Other Awards"}},
		} {
			created, err := tx.CreateOrganisation(ctx, op, o.o)
			if err != nil {
				return err
			}
			orgs[o.key] = created
		}
		person := func(given, family string, level int, urn string, role domain.EmploymentRole) (int64, error) {
			p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: given, FamilyName: family, Email: strings.ToLower(given) + "@example.org",
				DateOfBirth: domain.NewDate(1990, 3, 3), QualificationLevel: level, OwnerOrgID: orgs["s1"].ID})
			if err != nil {
				return 0, err
			}
			_, err = tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p.ID, SettingURN: urn, Role: role, StartedOn: reg})
			return p.ID, err
		}
		if f.pA, err = person("Amira", "Applicant", 0, "EY300001", domain.RolePractitioner); err != nil {
			return err
		}
		if f.pB, err = person("Brian", "Leveltwo", 0, "EY300001", domain.RolePractitioner); err != nil {
			return err
		}
		if f.pC, err = person("Chloe", "Nominee", 3, "EY300001", domain.RoleDeputySENCO); err != nil {
			return err
		}
		if f.pF, err = person("Fatima", "Learner", 3, "EY300001", domain.RoleSENCO); err != nil {
			return err
		}
		if f.pD, err = person("Dev", "Otherside", 3, "EY400002", domain.RoleSENCO); err != nil {
			return err
		}
		for key, u := range map[string]domain.User{
			"programme": {Role: domain.RoleProgrammeTeam, Org: orgs["programme"]},
			"la1":       {Role: domain.RoleLAOfficer, Org: orgs["la1"]},
			"la2":       {Role: domain.RoleLAOfficer, Org: orgs["la2"]},
			"sm1":       {Role: domain.RoleSettingManager, Org: orgs["s1"]},
			"sm2":       {Role: domain.RoleSettingManager, Org: orgs["s2"]},
			"sup1":      {Role: domain.RoleSupplierAdmin, Org: orgs["sup1"]},
			"ao1":       {Role: domain.RoleAOOfficer, Org: orgs["ao1"]},
			"ao2":       {Role: domain.RoleAOOfficer, Org: orgs["ao2"]},
			"learnerA":  {Role: domain.RoleLearner, Org: orgs["s1"], PractitionerID: f.pA},
			"learnerB":  {Role: domain.RoleLearner, Org: orgs["s1"], PractitionerID: f.pB},
			"learnerF":  {Role: domain.RoleLearner, Org: orgs["s1"], PractitionerID: f.pF},
			"learner2":  {Role: domain.RoleLearner, Org: orgs["s2"], PractitionerID: f.pD},
		} {
			u.Email, u.Name = "app-"+strings.ToLower(key)+"@example.org", "User "+key
			created, err := tx.CreateUser(ctx, op, u, hash)
			if err != nil {
				return err
			}
			f.users[key] = created
		}
		contract, err := tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: orgs["sup1"].ID, ProgrammeID: f.prog.ID,
			LACodes: []string{"E08000035", "E09000002"}, AllocatedPlaces: 100, PriceStarted: 30000, PriceRetained: 40000, PriceCompleted: 50000})
		if err != nil {
			return err
		}
		f.cohort, err = tx.CreateCohort(ctx, op, domain.Cohort{ContractID: contract.ID, SupplierOrgID: orgs["sup1"].ID, Name: "Leeds autumn",
			Mode: domain.Blended, LACodes: []string{"E08000035"}, StartsOn: f.today.AddDays(-60), EndsOn: f.today.AddDays(60), Capacity: 10})
		if err != nil {
			return err
		}
		for _, s := range []domain.Session{
			{Date: f.today.AddDays(-30), Minutes: 360, Mode: domain.FaceToFace, Topic: "Identification, assessment; and the graduated approach",
				Venue: "Civic Hall, Room 2; Leeds LS1 1UR", Units: []string{"U1", "U2"}},
			{Date: f.today.AddDays(-23), Minutes: 210, Mode: domain.FaceToFace, Topic: "Working with parents", Venue: "Civic Hall, Room 2"},
			{Date: f.today.AddDays(7), Minutes: 180, Mode: domain.Online, Topic: "Referrals and EHC plans — a long title that makes the line longer than seventy-five octets",
				Venue: "https://meet.example.org/senco/leeds-autumn"},
		} {
			s, err := tx.AddSession(ctx, op, f.cohort, s)
			if err != nil {
				return err
			}
			f.sessions = append(f.sessions, s)
		}
		appF, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: f.prog.ID, PractitionerID: f.pF, SettingURN: "EY300001", AppliedOn: f.today})
		if err != nil {
			return err
		}
		appD, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: f.prog.ID, PractitionerID: f.pD, SettingURN: "EY400002", AppliedOn: f.today})
		if err != nil {
			return err
		}
		f.appF, f.appD = appF.ID, appD.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Config{DB: db, Hasher: hasher, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// appClient is signed in as key and does not follow redirects.
func (f *appFixture) appClient(t *testing.T, key string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(f.srv.URL+"/sign-in", url.Values{"email": {"app-" + strings.ToLower(key) + "@example.org"}, "password": {appPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", key, res.StatusCode)
	}
	return c
}

type appResult struct {
	code     int
	body     string
	location string
	header   http.Header
}

func (f *appFixture) appGet(t *testing.T, c *http.Client, path string) appResult {
	t.Helper()
	res, err := c.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return appResult{res.StatusCode, string(b), res.Header.Get("Location"), res.Header}
}

func (f *appFixture) appPost(t *testing.T, c *http.Client, path string, form url.Values) appResult {
	t.Helper()
	res, err := c.PostForm(f.srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return appResult{res.StatusCode, string(b), res.Header.Get("Location"), res.Header}
}

// appExpect fails unless the result has the status (and, for a redirect,
// the location) wanted.
func appExpect(t *testing.T, what string, r appResult, code int, location string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.code, code, appText(r.body))
	}
	if location != "" && r.location != location {
		t.Fatalf("%s: redirected to %q, want %q", what, r.location, location)
	}
}

var appTags = regexp.MustCompile(`<[^>]*>`)

// appText is a page's text without markup, spaces collapsed, for messages
// and for checks that should not depend on markup.
func appText(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	return strings.Join(strings.Fields(html.UnescapeString(appTags.ReplaceAllString(body, " "))), " ")
}

func (f *appFixture) appApplications(t *testing.T, practitionerID int64) []store.Application {
	t.Helper()
	page, err := f.db.Applications(context.Background(), policy.Scope{Kind: policy.Self, PractitionerID: practitionerID}, store.AppFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return page.Applications
}

func (f *appFixture) appLoad(t *testing.T, id int64) store.Application {
	t.Helper()
	a, err := f.db.Application(context.Background(), policy.Scope{Kind: policy.National}, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *appFixture) appCount(t *testing.T) int {
	t.Helper()
	page, err := f.db.Applications(context.Background(), policy.Scope{Kind: policy.National}, store.AppFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func TestAppPractitionerJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := appNewFixture(t, db)
		c := f.appClient(t, "learnerA")
		prog := strconv.FormatInt(f.prog.ID, 10)

		r := f.appGet(t, c, "/apply")
		appExpect(t, "start page", r, 200, "")
		if !strings.Contains(r.body, "National EY SENCO") || !strings.Contains(r.body, `href="/apply/programme"`) {
			t.Fatalf("start page lists no open programme or start button:\n%s", appText(r.body))
		}
		// A later page before the earlier answers sends them back.
		appExpect(t, "role before programme", f.appGet(t, c, "/apply/role"), 303, "/apply/programme")

		appExpect(t, "no programme chosen", f.appPost(t, c, "/apply/programme", nil), 422, "")
		appExpect(t, "programme", f.appPost(t, c, "/apply/programme", url.Values{"programme": {prog}}), 303, "/apply/setting")

		r = f.appGet(t, c, "/apply/setting")
		appExpect(t, "setting page", r, 200, "")
		if !strings.Contains(r.body, "Gamma Nursery") || !strings.Contains(r.body, `href="/apply/programme"`) {
			t.Fatalf("setting page: no workplace or back link:\n%s", appText(r.body))
		}
		appExpect(t, "a different setting", f.appPost(t, c, "/apply/setting", url.Values{"setting": {"other"}}), 303, "/apply/setting/search")
		appExpect(t, "a setting not theirs as a workplace", f.appPost(t, c, "/apply/setting", url.Values{"setting": {"EY400002"}}), 422, "")
		r = f.appGet(t, c, "/apply/setting/search?q=")
		if r.code != 422 || !strings.Contains(r.body, "Enter your setting") {
			t.Fatalf("empty search: %d %s", r.code, appText(r.body))
		}
		r = f.appGet(t, c, "/apply/setting/search?q=epsilon")
		if r.code != 200 || !strings.Contains(r.body, "Epsilon Pre-school") || !strings.Contains(r.body, `value="EY300003"`) {
			t.Fatalf("search by name: %d %s", r.code, appText(r.body))
		}
		r = f.appGet(t, c, "/apply/setting/search?q=EY400002")
		if !strings.Contains(r.body, "Delta Nursery") {
			t.Fatalf("search by URN finds nothing: %s", appText(r.body))
		}
		appExpect(t, "choose from the search", f.appPost(t, c, "/apply/setting/search", url.Values{"q": {"epsilon"}, "setting": {"EY300003"}}), 303, "/apply/role")

		// A validation error on the role page: nothing chosen.
		r = f.appPost(t, c, "/apply/role", url.Values{"role": {""}})
		if r.code != 422 || !strings.Contains(r.body, "govuk-error-summary") || !strings.Contains(r.body, `href="#role"`) ||
			!strings.Contains(r.body, "Select your role at Epsilon Pre-school") || !strings.Contains(r.body, "<title>Error: ") {
			t.Fatalf("role without an answer: %d\n%s", r.code, appText(r.body))
		}
		appExpect(t, "role", f.appPost(t, c, "/apply/role", url.Values{"role": {"practitioner"}}), 303, "/apply/qualification")
		appExpect(t, "qualification", f.appPost(t, c, "/apply/qualification", url.Values{"qualification": {"level3"}}), 303, "/apply/check")

		r = f.appGet(t, c, "/apply/check")
		appExpect(t, "check answers", r, 200, "")
		for _, want := range []string{"Amira Applicant", "National EY SENCO", "Epsilon Pre-school", "Practitioner", "Level 3",
			`href="/apply/setting?change=1"`, `href="/apply/qualification?change=1"`} {
			if !strings.Contains(r.body, want) {
				t.Fatalf("check answers lacks %q:\n%s", want, r.body)
			}
		}
		// Change the setting from check your answers: back to the
		// practitioner's own workplace. The role was the role there, so it
		// is asked again, then back to check your answers.
		r = f.appGet(t, c, "/apply/setting?change=1")
		if !strings.Contains(r.body, `name="change" value="1"`) || !strings.Contains(r.body, `href="/apply/check"`) {
			t.Fatalf("change page keeps no change flag or back link to check answers:\n%s", r.body)
		}
		appExpect(t, "change setting", f.appPost(t, c, "/apply/setting", url.Values{"setting": {"EY300001"}, "change": {"1"}}), 303, "/apply/role?change=1")
		r = f.appGet(t, c, "/apply/role?change=1")
		if !strings.Contains(r.body, "What is your role at Gamma Nursery?") || !strings.Contains(r.body, `value="practitioner" checked`) {
			t.Fatalf("role page after a change: not asked about Gamma, or not started from the role on record:\n%s", appText(r.body))
		}
		appExpect(t, "role again", f.appPost(t, c, "/apply/role", url.Values{"role": {"senco"}, "change": {"1"}}), 303, "/apply/check")
		r = f.appGet(t, c, "/apply/check")
		if !strings.Contains(r.body, "Gamma Nursery") || strings.Contains(r.body, "Epsilon") || !strings.Contains(r.body, "SENCO") {
			t.Fatalf("check answers after the change:\n%s", appText(r.body))
		}

		r = f.appPost(t, c, "/apply/check", nil)
		appExpect(t, "send", r, 303, "")
		if !strings.HasPrefix(r.location, "/apply/confirmation/") {
			t.Fatalf("sent to %q", r.location)
		}
		apps := f.appApplications(t, f.pA)
		if len(apps) != 1 {
			t.Fatalf("%d applications, want 1", len(apps))
		}
		a := apps[0]
		if a.Nominated || a.SettingConfirmed || a.SettingURN != "EY300001" || a.Status != domain.StatusEligible {
			t.Fatalf("application: nominated=%v confirmed=%v setting=%s status=%s (%s)", a.Nominated, a.SettingConfirmed, a.SettingURN, a.Status, a.Reason)
		}
		p, err := db.Practitioner(context.Background(), policy.Scope{Kind: policy.National}, f.pA)
		if err != nil || p.QualificationLevel != 3 {
			t.Fatalf("qualification level not recorded: %d %v", p.QualificationLevel, err)
		}
		r = f.appGet(t, c, r.location)
		appExpect(t, "confirmation", r, 200, "")
		if !strings.Contains(r.body, "govuk-panel") || !strings.Contains(r.body, "Application sent") || !strings.Contains(r.body, "Eligible") ||
			!strings.Contains(r.body, "What happens next") || !strings.Contains(r.body, "Gamma Nursery will be asked to confirm") {
			t.Fatalf("confirmation page:\n%s", appText(r.body))
		}
		// The draft is gone: the journey starts afresh.
		appExpect(t, "draft cleared", f.appGet(t, c, "/apply/check"), 303, "/apply/programme")
		// The setting sees what the practitioner said.
		r = f.appGet(t, f.appClient(t, "sm1"), fmt.Sprintf("/applications/%d", a.ID))
		if !strings.Contains(appText(r.body), "Role at the setting (as given) SENCO") {
			t.Fatalf("application page lacks the answers given:\n%s", appText(r.body))
		}
	})
}

// appWalk answers every page of the journey.
func (f *appFixture) appWalk(t *testing.T, c *http.Client, qualification string) appResult {
	t.Helper()
	appExpect(t, "programme", f.appPost(t, c, "/apply/programme", url.Values{"programme": {strconv.FormatInt(f.prog.ID, 10)}}), 303, "/apply/setting")
	appExpect(t, "setting", f.appPost(t, c, "/apply/setting", url.Values{"setting": {"EY300001"}}), 303, "/apply/role")
	appExpect(t, "role", f.appPost(t, c, "/apply/role", url.Values{"role": {"practitioner"}}), 303, "/apply/qualification")
	appExpect(t, "qualification", f.appPost(t, c, "/apply/qualification", url.Values{"qualification": {qualification}}), 303, "/apply/check")
	return f.appPost(t, c, "/apply/check", nil)
}

func TestAppIneligibleManualAndDuplicate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := appNewFixture(t, db)
		c := f.appClient(t, "learnerB")
		r := f.appWalk(t, c, "level2")
		appExpect(t, "send", r, 303, "")
		r = f.appGet(t, c, r.location)
		text := appText(r.body)
		if !strings.Contains(text, "Not eligible") || !strings.Contains(text, "The practitioner's highest early years qualification is Level 2; this programme needs a full and relevant Level 3") {
			t.Fatalf("ineligible outcome:\n%s", text)
		}
		apps := f.appApplications(t, f.pB)
		if len(apps) != 1 || apps[0].Status != domain.StatusIneligible || apps[0].ReasonCode != string(domain.RuleLevel3) {
			t.Fatalf("ineligible application: %+v", apps)
		}

		// "Not sure" with nothing on record: the rules cannot decide.
		cA := f.appClient(t, "learnerA")
		r = f.appWalk(t, cA, "unsure")
		r = f.appGet(t, cA, r.location)
		if text := appText(r.body); !strings.Contains(text, "Being reviewed") || !strings.Contains(text, "qualification is not recorded") {
			t.Fatalf("manual review outcome:\n%s", text)
		}

		// Applying again to the same programme: refused on the programme
		// page, and (from a draft made before) at sending, with nothing
		// created either way.
		before := f.appCount(t)
		r = f.appPost(t, cA, "/apply/programme", url.Values{"programme": {strconv.FormatInt(f.prog.ID, 10)}})
		if r.code != 422 || !strings.Contains(r.body, "You have already applied to National EY SENCO") {
			t.Fatalf("duplicate on the programme page: %d %s", r.code, appText(r.body))
		}
		cF := f.appClient(t, "learnerF") // learner F already has an application (the fixture's)
		if err := db.InTx(context.Background(), func(tx *store.Tx) error {
			return tx.SaveApplicationDraft(context.Background(), store.ApplicationDraft{UserID: f.users["learnerF"].ID, ProgrammeID: f.prog.ID,
				SettingURN: "EY300001", Role: domain.RoleSENCO, Qualification: "level4_5"})
		}); err != nil {
			t.Fatal(err)
		}
		r = f.appPost(t, cF, "/apply/check", nil)
		if r.code != 409 || !strings.Contains(r.body, "You have already applied to National EY SENCO") || !strings.Contains(r.body, "govuk-error-summary") {
			t.Fatalf("duplicate at sending: %d %s", r.code, appText(r.body))
		}
		if n := f.appCount(t); n != before {
			t.Fatalf("a duplicate was created: %d applications, was %d", n, before)
		}
		p, _ := db.Practitioner(context.Background(), policy.Scope{Kind: policy.National}, f.pF)
		if p.QualificationLevel != 3 {
			t.Fatalf("a refused application changed the qualification level to %d", p.QualificationLevel)
		}
		// Nobody but a practitioner applies.
		appExpect(t, "manager applying", f.appGet(t, f.appClient(t, "sm1"), "/apply/programme"), 403, "")
	})
}

func TestAppNominateAndConfirm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := appNewFixture(t, db)
		sm1 := f.appClient(t, "sm1")
		prog := strconv.FormatInt(f.prog.ID, 10)
		pc := strconv.FormatInt(f.pC, 10)

		r := f.appGet(t, sm1, "/nominate")
		if r.code != 200 || !strings.Contains(r.body, "Chloe Nominee") || strings.Contains(r.body, "Dev Otherside") {
			t.Fatalf("nominate page: %d %s", r.code, appText(r.body))
		}
		appExpect(t, "nominate with nothing chosen", f.appPost(t, sm1, "/nominate", nil), 422, "")
		// Another setting's staff cannot be nominated.
		before := f.appCount(t)
		r = f.appPost(t, sm1, "/nominate", url.Values{"practitioner": {strconv.FormatInt(f.pD, 10)}, "programme": {prog}, "confirm": {"yes"}})
		if r.code != 422 || f.appCount(t) != before {
			t.Fatalf("nominating another setting's practitioner: %d, %d applications (was %d)", r.code, f.appCount(t), before)
		}
		r = f.appPost(t, f.appClient(t, "sm2"), "/nominate", url.Values{"practitioner": {pc}, "programme": {prog}, "confirm": {"yes"}})
		if r.code != 422 || f.appCount(t) != before {
			t.Fatalf("another setting's manager nominating: %d", r.code)
		}
		appExpect(t, "learner nominating", f.appPost(t, f.appClient(t, "learnerA"), "/nominate", url.Values{"practitioner": {pc}, "programme": {prog}, "confirm": {"yes"}}), 403, "")
		// Check, then nominate.
		r = f.appPost(t, sm1, "/nominate", url.Values{"practitioner": {pc}, "programme": {prog}})
		if r.code != 200 || !strings.Contains(r.body, "Check the nomination") || f.appCount(t) != before {
			t.Fatalf("nomination check page: %d %s", r.code, appText(r.body))
		}
		r = f.appPost(t, sm1, "/nominate", url.Values{"practitioner": {pc}, "programme": {prog}, "confirm": {"yes"}})
		appExpect(t, "nominate", r, 303, "")
		apps := f.appApplications(t, f.pC)
		if len(apps) != 1 || !apps[0].Nominated || !apps[0].SettingConfirmed || apps[0].Status != domain.StatusEligible {
			t.Fatalf("nomination: %+v", apps)
		}
		r = f.appGet(t, sm1, r.location)
		if !strings.Contains(r.body, "Chloe Nominee nominated for National EY SENCO") {
			t.Fatalf("no success banner:\n%s", appText(r.body))
		}
		// Nominating again: a clear message when choosing, nothing created.
		r = f.appPost(t, sm1, "/nominate", url.Values{"practitioner": {pc}, "programme": {prog}})
		if r.code != 422 || !strings.Contains(r.body, "Chloe Nominee already has an application to National EY SENCO (eligible)") || len(f.appApplications(t, f.pC)) != 1 {
			t.Fatalf("duplicate nomination: %d %s", r.code, appText(r.body))
		}

		// Confirming learner F's self-application: listed with "Confirm".
		confirm := fmt.Sprintf("/applications/%d/confirm", f.appF)
		r = f.appGet(t, sm1, "/applications")
		if !strings.Contains(r.body, `href="`+confirm+`"`) || strings.Contains(r.body, fmt.Sprintf(`href="/applications/%d/confirm"`, apps[0].ID)) {
			t.Fatalf("list: Confirm link missing for the self-application, or shown for the nomination:\n%s", r.body)
		}
		appExpect(t, "confirm page", f.appGet(t, sm1, confirm), 200, "")
		appExpect(t, "another manager's confirm page", f.appGet(t, f.appClient(t, "sm2"), confirm), 404, "")
		appExpect(t, "another manager confirms", f.appPost(t, f.appClient(t, "sm2"), confirm, nil), 404, "")
		appExpect(t, "LA officer confirms", f.appPost(t, f.appClient(t, "la1"), confirm, nil), 403, "")
		if f.appLoad(t, f.appF).SettingConfirmed {
			t.Fatal("confirmed by someone who may not")
		}
		appExpect(t, "confirm", f.appPost(t, sm1, confirm, nil), 303, fmt.Sprintf("/applications/%d?done=confirmed", f.appF))
		if !f.appLoad(t, f.appF).SettingConfirmed {
			t.Fatal("not confirmed")
		}
		appExpect(t, "confirm twice", f.appPost(t, sm1, confirm, nil), 409, "")
		r = f.appGet(t, sm1, fmt.Sprintf("/applications/%d", f.appF))
		if !strings.Contains(appText(r.body), "Confirmed by setting") {
			t.Fatalf("history lacks the confirmation:\n%s", appText(r.body))
		}
	})
}

// appPlace puts learner F on the cohort and marks both held sessions.
func (f *appFixture) appPlace(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	op := domain.OperatorActor("test")
	national := policy.Scope{Kind: policy.National}
	err := f.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := f.db.Cohort(ctx, national, f.cohort.ID)
		if err != nil {
			return err
		}
		_, err = tx.Place(ctx, op, f.appLoad(t, f.appF), c, f.today.AddDays(-40))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, mark := range []domain.Mark{domain.Present, domain.Half} {
		s, _, err := f.db.Session(ctx, national, f.sessions[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.InTx(ctx, func(tx *store.Tx) error {
			return tx.SaveRegister(ctx, op, s, s.RegisterVersion, map[int64]domain.Mark{f.appF: mark})
		}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAppMyTrainingAndCalendar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := appNewFixture(t, db)
		f.appPlace(t)
		c := f.appClient(t, "learnerF")
		r := f.appGet(t, c, "/my-training")
		appExpect(t, "my training", r, 200, "")
		text := appText(r.body)
		for _, want := range []string{"National EY SENCO", "In training", "Leeds autumn", "Supplier One", "Working with parents",
			"Referrals and EHC plans", "3 hours 30 minutes", "Present", "Half", "Coming up", "75% of 2 sessions held", "the programme asks for 80%"} {
			if !strings.Contains(text, want) {
				t.Errorf("my training lacks %q", want)
			}
		}
		if !strings.Contains(r.body, `href="https://meet.example.org/senco/leeds-autumn"`) || !strings.Contains(r.body, `href="/my-training/sessions.ics"`) {
			t.Errorf("my training lacks the online link or the calendar link")
		}
		if t.Failed() {
			t.Fatal(text)
		}

		r = f.appGet(t, c, "/my-training/sessions.ics")
		appExpect(t, "calendar", r, 200, "")
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
			t.Fatalf("content type %q", ct)
		}
		ics := r.body
		if !strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(ics, "END:VCALENDAR\r\n") {
			t.Fatalf("not a calendar:\n%s", ics)
		}
		if strings.Contains(strings.ReplaceAll(ics, "\r\n", ""), "\n") {
			t.Fatal("a line ends without CRLF")
		}
		for _, l := range strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
			if len(l) > 75 {
				t.Fatalf("line of %d octets: %q", len(l), l)
			}
		}
		if !strings.Contains(ics, "\r\n ") {
			t.Fatal("no long line was folded")
		}
		// Unfold and read the events.
		unfolded := strings.ReplaceAll(ics, "\r\n ", "")
		var events []map[string]string
		var ev map[string]string
		sc := bufio.NewScanner(strings.NewReader(unfolded))
		for sc.Scan() {
			line := strings.TrimSuffix(sc.Text(), "\r")
			switch {
			case line == "BEGIN:VEVENT":
				ev = map[string]string{}
			case line == "END:VEVENT":
				events = append(events, ev)
				ev = nil
			case ev != nil:
				name, value, _ := strings.Cut(line, ":")
				ev[name] = value
			}
		}
		if len(events) != len(f.sessions) {
			t.Fatalf("%d events, want %d:\n%s", len(events), len(f.sessions), ics)
		}
		for _, e := range events {
			for _, k := range []string{"UID", "DTSTAMP", "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "SUMMARY", "LOCATION"} {
				if e[k] == "" {
					t.Fatalf("event lacks %s: %v", k, e)
				}
			}
		}
		first := events[0]
		if first["DTSTART;VALUE=DATE"] != f.sessions[0].Date.Time().Format("20060102") ||
			first["SUMMARY"] != `Identification\, assessment\; and the graduated approach – Leeds autumn` ||
			first["LOCATION"] != `Civic Hall\, Room 2\; Leeds LS1 1UR` {
			t.Fatalf("first event: %v", first)
		}
		// The feed is behind the session: nobody signed out, nobody else's.
		anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if r := f.appGet(t, anon, "/my-training/sessions.ics"); r.code != 303 {
			t.Fatalf("anonymous calendar: %d", r.code)
		}
		r = f.appGet(t, f.appClient(t, "learner2"), "/my-training/sessions.ics")
		if strings.Contains(r.body, "BEGIN:VEVENT") {
			t.Fatal("another learner's calendar shows these sessions")
		}
		appExpect(t, "manager's calendar", f.appGet(t, f.appClient(t, "sm1"), "/my-training/sessions.ics"), 403, "")
	})
}

// appULN makes a valid ULN from nine digits, or "" when no check digit
// fits.
func appULN(nine string) string {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(nine[i]-'0') * (10 - i)
	}
	check := 10 - sum%11
	if check >= 10 {
		return ""
	}
	return nine + strconv.Itoa(check)
}

func TestAppAwarding(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := appNewFixture(t, db)
		f.appPlace(t)
		ao := f.appClient(t, "ao1")
		base := fmt.Sprintf("/applications/%d", f.appF)

		r := f.appGet(t, ao, "/applications")
		if r.code != 200 || !strings.Contains(r.body, "<h1 class=\"govuk-heading-l\">Learners</h1>") || !strings.Contains(r.body, "Fatima Learner") {
			t.Fatalf("learners list: %d %s", r.code, appText(r.body))
		}
		r = f.appGet(t, ao, base)
		if !strings.Contains(r.body, `href="`+base+`/register"`) || strings.Contains(r.body, `href="`+base+`/certify"`) {
			t.Fatalf("actions before registration:\n%s", r.body)
		}
		var uln string
		for n := 100000000; uln == ""; n++ {
			uln = appULN(strconv.Itoa(n))
		}
		bad := uln[:9] + strconv.Itoa((int(uln[9]-'0')+1)%10)
		r = f.appPost(t, ao, base+"/register", url.Values{"learner_number": {"LN-0001"}, "uln": {bad}})
		if r.code != 422 || !strings.Contains(r.body, "check digit") || !strings.Contains(r.body, `href="#uln"`) {
			t.Fatalf("bad ULN: %d %s", r.code, appText(r.body))
		}
		if f.appLoad(t, f.appF).LearnerNumber != "" {
			t.Fatal("a refused registration was saved")
		}
		appExpect(t, "register", f.appPost(t, ao, base+"/register", url.Values{"learner_number": {"LN-0001"}, "uln": {uln}}), 303, base+"?done=registered")
		if a := f.appLoad(t, f.appF); a.LearnerNumber != "LN-0001" || a.ULN != uln {
			t.Fatalf("registration: %q %q", a.LearnerNumber, a.ULN)
		}

		// Certifying before training is complete: the store's refusal.
		day := strconv.Itoa(f.today.Time().Day())
		month := strconv.Itoa(int(f.today.Time().Month()))
		year := strconv.Itoa(f.today.Time().Year())
		cert := url.Values{"certificate_number": {"CERT-77"}, "certified-day": {day}, "certified-month": {month}, "certified-year": {year}}
		r = f.appPost(t, ao, base+"/certify", cert)
		if r.code != 422 || !strings.Contains(r.body, "has not completed training") {
			t.Fatalf("certify before completion: %d %s", r.code, appText(r.body))
		}
		appExpect(t, "certify without a number", f.appPost(t, ao, base+"/certify", url.Values{"certified-day": {day}, "certified-month": {month}, "certified-year": {year}}), 422, "")
		// Complete through the store: full attendance at the second
		// session after a catch-up, and the assessment signed off.
		national := policy.Scope{Kind: policy.National}
		s, _, err := db.Session(ctx, national, f.sessions[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.RecordCatchUp(ctx, domain.OperatorActor("test"), s, f.appF, f.today.AddDays(-20), "Caught up with the trainer"); err != nil {
				return err
			}
			done, _, err := tx.CompleteAssessment(ctx, domain.OperatorActor("test"), f.appLoad(t, f.appF), nil, f.today)
			if err == nil && !done {
				err = fmt.Errorf("training not complete")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		r = f.appGet(t, ao, base)
		if !strings.Contains(r.body, `href="`+base+`/certify"`) {
			t.Fatalf("no certify link after completion:\n%s", appText(r.body))
		}
		appExpect(t, "certify", f.appPost(t, ao, base+"/certify", cert), 303, base+"?done=certified")
		if a := f.appLoad(t, f.appF); a.Status != domain.StatusCertified || a.CertificateNumber != "CERT-77" {
			t.Fatalf("certified: %s %s", a.Status, a.CertificateNumber)
		}

		// Revoke: a confirmation page with a warning, a reason required.
		r = f.appGet(t, ao, base+"/revoke")
		if r.code != 200 || !strings.Contains(r.body, "govuk-warning-text") || !strings.Contains(r.body, "Are you sure") {
			t.Fatalf("revoke page: %d %s", r.code, appText(r.body))
		}
		appExpect(t, "revoke without a reason", f.appPost(t, ao, base+"/revoke", url.Values{"reason": {" "}}), 422, "")
		appExpect(t, "revoke", f.appPost(t, ao, base+"/revoke", url.Values{"reason": {"Malpractice found in an assignment"}}), 303, base+"?done=revoked")
		if a := f.appLoad(t, f.appF); a.Status != domain.StatusCompleted || a.RevokeReason != "Malpractice found in an assignment" {
			t.Fatalf("revoked: %s %q", a.Status, a.RevokeReason)
		}
		appExpect(t, "revoke twice", f.appPost(t, ao, base+"/revoke", url.Values{"reason": {"Again"}}), 422, "")
		r = f.appGet(t, ao, base)
		if !strings.Contains(appText(r.body), "Certificate revoked") {
			t.Fatalf("history lacks the revocation:\n%s", appText(r.body))
		}
	})
}

// TestAppScopeMatrix tries every route of this area as users who must not
// see learner F's application (Leeds, Gamma Nursery, awarded by Awarding
// Body): they get 404, and their POSTs change nothing.
func TestAppScopeMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := appNewFixture(t, db)
		f.appPlace(t)
		base := fmt.Sprintf("/applications/%d", f.appF)
		pages := []string{base, base + "/confirm", base + "/register", base + "/certify", base + "/revoke", fmt.Sprintf("/apply/confirmation/%d", f.appF)}
		posts := map[string]url.Values{
			base + "/confirm":  nil,
			base + "/register": {"learner_number": {"X-1"}},
			base + "/certify":  {"certificate_number": {"C-1"}, "certified-day": {"1"}, "certified-month": {"1"}, "certified-year": {"2026"}},
			base + "/revoke":   {"reason": {"No"}},
		}
		before := f.appLoad(t, f.appF)
		for _, key := range []string{"learner2", "learnerA", "sm2", "la2", "ao2"} {
			c := f.appClient(t, key)
			for _, p := range pages {
				if r := f.appGet(t, c, p); r.code != 404 {
					t.Errorf("%s GET %s: %d, want 404", key, p, r.code)
				}
			}
			for p, form := range posts {
				if r := f.appPost(t, c, p, form); r.code != 404 {
					t.Errorf("%s POST %s: %d, want 404", key, p, r.code)
				}
			}
			// Lists show none of it.
			for _, p := range []string{"/applications", "/applications?q=fatima", "/my-training"} {
				if r := f.appGet(t, c, p); strings.Contains(r.body, "Fatima") {
					t.Errorf("%s sees Fatima in %s", key, p)
				}
			}
		}
		after := f.appLoad(t, f.appF)
		if after.SettingConfirmed != before.SettingConfirmed || after.LearnerNumber != before.LearnerNumber || after.Status != before.Status ||
			after.CertificateNumber != before.CertificateNumber || after.RevokeReason != before.RevokeReason {
			t.Fatalf("out-of-scope POSTs changed the application: %+v", after)
		}

		// In scope but not permitted: 403, and nothing changes.
		for key, routes := range map[string][]string{
			"la1":       {base + "/confirm", base + "/register", base + "/certify", base + "/revoke"},
			"sm1":       {base + "/register", base + "/certify", base + "/revoke"},
			"sup1":      {base + "/confirm", base + "/register", base + "/certify"},
			"programme": {base + "/confirm", base + "/register"},
			"ao1":       {base + "/confirm"},
			"learnerF":  {base + "/confirm", base + "/register", base + "/certify", base + "/revoke"},
		} {
			c := f.appClient(t, key)
			for _, p := range routes {
				if r := f.appGet(t, c, p); r.code != 403 {
					t.Errorf("%s GET %s: %d, want 403", key, p, r.code)
				}
				if r := f.appPost(t, c, p, posts[p]); r.code != 403 {
					t.Errorf("%s POST %s: %d, want 403", key, p, r.code)
				}
			}
		}
		if after := f.appLoad(t, f.appF); after.SettingConfirmed || after.LearnerNumber != "" {
			t.Fatalf("a forbidden POST changed the application: %+v", after)
		}

		// Who sees the application page and the list.
		for key, want := range map[string]int{"programme": 200, "la1": 200, "sm1": 200, "sup1": 200, "ao1": 200, "learnerF": 200} {
			if r := f.appGet(t, f.appClient(t, key), base); r.code != want {
				t.Errorf("%s GET %s: %d, want %d", key, base, r.code, want)
			}
		}
		for key, want := range map[string]int{"programme": 200, "la1": 200, "la2": 200, "sm1": 200, "sup1": 200, "ao1": 200, "ao2": 200, "learnerF": 303} {
			r := f.appGet(t, f.appClient(t, key), "/applications")
			if r.code != want {
				t.Errorf("%s GET /applications: %d, want %d", key, r.code, want)
			}
		}
		r := f.appGet(t, f.appClient(t, "la2"), "/applications")
		if !strings.Contains(r.body, "Dev Otherside") || strings.Contains(r.body, "Fatima") {
			t.Errorf("Barking's LA officer list:\n%s", appText(r.body))
		}
		r = f.appGet(t, f.appClient(t, "ao2"), "/applications")
		if !strings.Contains(r.body, "There are no learners yet") {
			t.Errorf("another awarding organisation's list:\n%s", appText(r.body))
		}
		// Practitioner-only and manager-only pages.
		for key, routes := range map[string][]string{
			"sm1":      {"/apply", "/apply/programme", "/my-training", "/my-training/sessions.ics"},
			"la1":      {"/apply", "/nominate", "/my-training"},
			"ao1":      {"/nominate", "/apply/check"},
			"learnerF": {"/nominate"},
		} {
			c := f.appClient(t, key)
			for _, p := range routes {
				if r := f.appGet(t, c, p); r.code != 403 {
					t.Errorf("%s GET %s: %d, want 403", key, p, r.code)
				}
			}
		}
		// Bad ids and filters.
		c := f.appClient(t, "programme")
		for p, want := range map[string]int{"/applications/0": 404, "/applications/x": 404, "/applications/999999": 404,
			"/applications?status=nonsense": 422, "/applications?programme=x": 422, "/applications?page=0": 404} {
			if r := f.appGet(t, c, p); r.code != want {
				t.Errorf("programme GET %s: %d, want %d", p, r.code, want)
			}
		}
	})
}

package web_test

import (
	"context"
	"fmt"
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

// cohortFix is a programme with two suppliers serving different authorities,
// each with an admin, trainers and an assessor, and learners.
type cohortFix struct {
	db       *store.DB
	srv      *httptest.Server
	users    map[string]domain.User
	prog     domain.Programme
	con1     domain.Contract // supplier 1: Leeds and Bradford
	con2     domain.Contract // supplier 2: Barking and Dagenham
	c1       domain.Cohort   // supplier 1, Leeds, capacity 3: trainer1, trainer1b, assessor1
	c2       domain.Cohort   // supplier 1, Leeds and Bradford, capacity 5: trainer1x
	c3       domain.Cohort   // supplier 2, Barking: trainer2, assessor2
	sessions []int64         // c1's three sessions, all held
	apps     []int64         // five Leeds learners: 0 and 1 enrolled on c1, 2–4 eligible
	barking  int64           // an eligible learner of supplier 2's area
	today    domain.Date
}

var cohortNational = policy.Scope{Kind: policy.National}

func cohortFixture(t *testing.T, db *store.DB) *cohortFix {
	t.Helper()
	ctx := context.Background()
	op := domain.OperatorActor("test")
	today := domain.Today()
	f := &cohortFix{db: db, users: map[string]domain.User{}, today: today}
	hasher := auth.NewHasher(auth.FastParams, 4)
	hash, err := hasher.Hash(ctx, password)
	if err != nil {
		t.Fatal(err)
	}
	reg := domain.NewDate(2015, 1, 5)
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.UpsertLocalAuthorities(ctx, op, []domain.LocalAuthority{
			{Code: "E08000035", Name: "Leeds", OfstedName: "Leeds", RegionCode: "E12000003", RegionName: "Yorkshire and The Humber", StartedOn: domain.NewDate(1974, 4, 1)},
			{Code: "E08000032", Name: "Bradford", OfstedName: "Bradford", RegionCode: "E12000003", RegionName: "Yorkshire and The Humber", StartedOn: domain.NewDate(1974, 4, 1)},
			{Code: "E09000002", Name: "Barking and Dagenham", OfstedName: "Barking and Dagenham", RegionCode: "E12000007", RegionName: "London", StartedOn: domain.NewDate(1965, 4, 1)},
		}); err != nil {
			return err
		}
		if err := tx.InsertSettings(ctx, []domain.Setting{
			{URN: "EY900001", Name: "Acorn Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true, LACode: "E08000035", Postcode: "LS2 7AA", Town: "Leeds", Places: 40, RegisteredOn: reg},
			{URN: "EY900002", Name: "Birch Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true, LACode: "E08000032", Postcode: "BD1 1AA", Town: "Bradford", Places: 30, RegisteredOn: reg},
			{URN: "EY900003", Name: "Cedar Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true, LACode: "E09000002", Postcode: "RM10 8AA", Town: "Dagenham", Places: 30, RegisteredOn: reg},
		}); err != nil {
			return err
		}
		q, err := tx.SaveQualification(ctx, domain.Qualification{Code: "EYSENCO-L3", Version: 1, Title: "Level 3 Early Years SENCO", Level: 3, AwardingOrganisation: "Awarding Body", GuidedLearningHours: 34})
		if err != nil {
			return err
		}
		rules := domain.DefaultRules()
		rules.PlacesPerSetting = 0
		f.prog, err = tx.SaveProgramme(ctx, op, domain.Programme{Name: "National EY SENCO", QualificationID: q, OpensOn: today.AddDays(-400),
			ClosesOn: today.AddDays(400), StartsOn: today.AddDays(-400), EndsOn: today.AddDays(800), TargetCompletions: 5000, Rules: rules})
		if err != nil {
			return err
		}
		orgs := map[string]domain.Organisation{}
		for key, o := range map[string]domain.Organisation{
			"programme": {Kind: domain.OrgProgramme, Name: "Programme team"},
			"laLeeds":   {Kind: domain.OrgLA, Name: "Leeds City Council", LACode: "E08000035"},
			"sup1":      {Kind: domain.OrgSupplier, Name: "Northern Training"},
			"sup2":      {Kind: domain.OrgSupplier, Name: "London Training"},
			"setting":   {Kind: domain.OrgSetting, Name: "Acorn Nursery", SettingURN: "EY900001"},
		} {
			if orgs[key], err = tx.CreateOrganisation(ctx, op, o); err != nil {
				return err
			}
		}
		for key, u := range map[string]domain.User{
			"programme": {Role: domain.RoleProgrammeTeam, Org: orgs["programme"], Name: "Pat Programme"},
			"laLeeds":   {Role: domain.RoleLAOfficer, Org: orgs["laLeeds"], Name: "Lou Leeds"},
			"sm":        {Role: domain.RoleSettingManager, Org: orgs["setting"], Name: "Sam Setting"},
			"sup1":      {Role: domain.RoleSupplierAdmin, Org: orgs["sup1"], Name: "Nia North"},
			"trainer1":  {Role: domain.RoleTrainer, Org: orgs["sup1"], Name: "Tara Trainer"},
			"trainer1b": {Role: domain.RoleTrainer, Org: orgs["sup1"], Name: "Tom Trainer"},
			"trainer1x": {Role: domain.RoleTrainer, Org: orgs["sup1"], Name: "Tess Elsewhere"},
			"assessor1": {Role: domain.RoleAssessor, Org: orgs["sup1"], Name: "Asha Assessor"},
			"sup2":      {Role: domain.RoleSupplierAdmin, Org: orgs["sup2"], Name: "Lee London"},
			"trainer2":  {Role: domain.RoleTrainer, Org: orgs["sup2"], Name: "Lola Trainer"},
			"assessor2": {Role: domain.RoleAssessor, Org: orgs["sup2"], Name: "Leo Assessor"},
		} {
			u.Email = key + "@example.org"
			if f.users[key], err = tx.CreateUser(ctx, op, u, hash); err != nil {
				return err
			}
		}
		if f.con1, err = tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: orgs["sup1"].ID, ProgrammeID: f.prog.ID, LACodes: []string{"E08000035", "E08000032"},
			AllocatedPlaces: 100, PriceStarted: 30000, PriceRetained: 40000, PriceCompleted: 50000}); err != nil {
			return err
		}
		if f.con2, err = tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: orgs["sup2"].ID, ProgrammeID: f.prog.ID, LACodes: []string{"E09000002"}, AllocatedPlaces: 50}); err != nil {
			return err
		}
		mk := func(con domain.Contract, name string, las []string, from, to, capacity int, staff map[string][]string) (domain.Cohort, error) {
			c, err := tx.CreateCohort(ctx, op, domain.Cohort{ContractID: con.ID, SupplierOrgID: con.SupplierOrgID, Name: name, Mode: domain.Blended,
				LACodes: las, StartsOn: today.AddDays(from), EndsOn: today.AddDays(to), Capacity: capacity})
			if err != nil {
				return c, err
			}
			var trainers, assessors []int64
			for _, k := range staff["trainer"] {
				trainers = append(trainers, f.users[k].ID)
			}
			for _, k := range staff["assessor"] {
				assessors = append(assessors, f.users[k].ID)
			}
			return c, tx.SetCohortStaff(ctx, op, c.ID, trainers, assessors)
		}
		if f.c1, err = mk(f.con1, "Leeds autumn", []string{"E08000035"}, -60, 120, 3,
			map[string][]string{"trainer": {"trainer1", "trainer1b"}, "assessor": {"assessor1"}}); err != nil {
			return err
		}
		if f.c2, err = mk(f.con1, "Leeds and Bradford winter", []string{"E08000035", "E08000032"}, -30, 150, 5,
			map[string][]string{"trainer": {"trainer1x"}}); err != nil {
			return err
		}
		if f.c3, err = mk(f.con2, "Barking spring", []string{"E09000002"}, -30, 150, 5,
			map[string][]string{"trainer": {"trainer2"}, "assessor": {"assessor2"}}); err != nil {
			return err
		}
		for i := range 3 {
			s, err := tx.AddSession(ctx, op, f.c1, domain.Session{Date: today.AddDays(-53 + 7*i), Minutes: 360, Mode: domain.FaceToFace,
				Topic: fmt.Sprintf("Unit %d", i+1), Venue: "Leeds Civic Hall"})
			if err != nil {
				return err
			}
			f.sessions = append(f.sessions, s.ID)
		}
		apply := func(given, family, urn string, i int) (store.Application, error) {
			p, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: given, FamilyName: family, Email: strings.ToLower(given) + "@example.org",
				DateOfBirth: domain.NewDate(1990, 1, 1+i), QualificationLevel: 3, OwnerOrgID: orgs["setting"].ID})
			if err != nil {
				return store.Application{}, err
			}
			if _, err := tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p.ID, SettingURN: urn, Role: domain.RolePractitioner, StartedOn: reg}); err != nil {
				return store.Application{}, err
			}
			a, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: f.prog.ID, PractitionerID: p.ID, SettingURN: urn, AppliedOn: today.AddDays(-90 + i), Nominated: true})
			if err == nil && a.Status != domain.StatusEligible {
				err = fmt.Errorf("%s %s is %s: %s", given, family, a.Status, a.Reason)
			}
			return a, err
		}
		for i, n := range []string{"Amara", "Bea", "Cleo", "Dana", "Esme"} {
			a, err := apply(n, "Leedsworker", "EY900001", i)
			if err != nil {
				return err
			}
			f.apps = append(f.apps, a.ID)
		}
		b, err := apply("Bola", "Barkingworker", "EY900003", 9)
		if err != nil {
			return err
		}
		f.barking = b.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The first two Leeds learners are placed on c1 before it started.
	c1, err := db.Cohort(ctx, cohortNational, f.c1.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range f.apps[:2] {
		app := f.app(t, id)
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Place(ctx, op, app, c1, today.AddDays(-61))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := web.New(web.Config{DB: db, Hasher: hasher, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// client signs in as key; it does not follow redirects.
func (f *cohortFix) client(t *testing.T, key string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(f.srv.URL+"/sign-in", url.Values{"email": {key + "@example.org"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", key, res.StatusCode)
	}
	return c
}

// cohortPostTo posts a form and returns the status and the redirect target.
func cohortPostTo(t *testing.T, c *http.Client, u string, form url.Values) (int, string, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

func cohortDateForm(prefix string, d domain.Date, v url.Values) url.Values {
	if v == nil {
		v = url.Values{}
	}
	t := d.Time()
	v.Set(prefix+"-day", strconv.Itoa(t.Day()))
	v.Set(prefix+"-month", strconv.Itoa(int(t.Month())))
	v.Set(prefix+"-year", strconv.Itoa(t.Year()))
	return v
}

func (f *cohortFix) app(t *testing.T, id int64) store.Application {
	t.Helper()
	a, err := f.db.Application(context.Background(), cohortNational, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *cohortFix) session(t *testing.T, id int64) store.SessionRecord {
	t.Helper()
	s, _, err := f.db.Session(context.Background(), cohortNational, id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *cohortFix) marks(t *testing.T, sessionID int64) map[int64]domain.Mark {
	t.Helper()
	lines, err := f.db.Register(context.Background(), f.session(t, sessionID))
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]domain.Mark{}
	for _, l := range lines {
		out[l.ApplicationID] = l.Mark
	}
	return out
}

func (f *cohortFix) lastAudit(t *testing.T) int64 {
	t.Helper()
	entries, err := f.db.ListAudit(context.Background(), store.AuditFilter{Limit: 1})
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit: %v", err)
	}
	return entries[0].ID
}

var cohortVersionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

func cohortVersion(t *testing.T, body string) string {
	t.Helper()
	m := cohortVersionRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no register version on the attendance page")
	}
	return m[1]
}

func TestCohortCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		u := f.srv.URL
		c := f.client(t, "sup1")
		// One contract in force: the form goes straight to it, offering its
		// authorities and the supplier's staff only.
		code, body := get(t, c, u+"/cohorts/new")
		if code != 200 || !strings.Contains(body, `value="E08000032"`) || strings.Contains(body, `value="E09000002"`) ||
			!strings.Contains(body, "Tara Trainer") || !strings.Contains(body, "Asha Assessor") || strings.Contains(body, "Lola Trainer") {
			t.Fatalf("new cohort form: %d", code)
		}
		if code, body := get(t, c, u+"/cohorts/new?choose=1"); code != 200 || !strings.Contains(body, "Which contract is the cohort delivered under?") {
			t.Fatalf("contract step: %d", code)
		}
		if code, _ := get(t, c, u+"/cohorts/new?step=contract"); code != 422 {
			t.Fatalf("no contract chosen: %d", code)
		}
		form := cohortDateForm("starts", f.today.AddDays(30), cohortDateForm("ends", f.today.AddDays(200), url.Values{
			"contract": {cohortItoa(f.con1.ID)}, "name": {"Bradford spring"}, "mode": {"online"}, "las": {"E08000032"}, "capacity": {"12"},
			"trainers": {cohortItoa(f.users["trainer1x"].ID)}, "assessors": {cohortItoa(f.users["assessor1"].ID)}}))
		// Outside the contract's authorities: the store's refusal is shown.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad["las"] = []string{"E08000032", "E09000002"}
		code, _, body = cohortPostTo(t, c, u+"/cohorts", bad)
		if code != 422 || !strings.Contains(body, "The contract does not cover E09000002") || !strings.Contains(body, `href="#las"`) {
			t.Fatalf("cohort outside the contract: %d", code)
		}
		// Missing fields are each named.
		code, _, body = cohortPostTo(t, c, u+"/cohorts", url.Values{"contract": {cohortItoa(f.con1.ID)}, "capacity": {"many"}, "starts-day": {"31"}, "starts-month": {"2"}, "starts-year": {"2027"}})
		for _, want := range []string{"Enter a name for the cohort", "Choose how the cohort is delivered", "Choose at least one local authority", "The start date must be a real date", "Enter the end date", "as a whole number"} {
			if !strings.Contains(body, want) {
				t.Errorf("empty cohort form lacks %q", want)
			}
		}
		if code != 422 {
			t.Fatalf("empty form: %d", code)
		}
		// A trainer of another organisation cannot be named.
		other := url.Values{}
		for k, v := range form {
			other[k] = v
		}
		other["trainers"] = []string{cohortItoa(f.users["trainer2"].ID)}
		if code, _, _ := cohortPostTo(t, c, u+"/cohorts", other); code != 422 {
			t.Fatalf("another supplier's trainer: %d", code)
		}
		before, _ := db.Cohorts(context.Background(), cohortNational, store.CohortFilter{})
		code, loc, _ := cohortPostTo(t, c, u+"/cohorts", form)
		if code != 303 || !strings.HasSuffix(loc, "?done=created") {
			t.Fatalf("create cohort: %d %s", code, loc)
		}
		code, body = get(t, c, u+loc)
		if code != 200 || !strings.Contains(body, "Cohort Bradford spring created") || !strings.Contains(body, "Tess Elsewhere") || !strings.Contains(body, "Asha Assessor") ||
			!strings.Contains(body, "Recruiting") || !strings.Contains(body, "Bradford") {
			t.Fatalf("new cohort page: %d", code)
		}
		// The newly named trainer now sees it; the list shows it with its counts.
		_, body = get(t, f.client(t, "trainer1x"), u+"/cohorts")
		if !strings.Contains(body, "Bradford spring") || strings.Contains(body, "Leeds autumn") {
			t.Errorf("trainer1x's cohort list")
		}
		// Others may not create, nor use another supplier's contract.
		if code, _ := get(t, f.client(t, "trainer1"), u+"/cohorts/new"); code != 403 {
			t.Errorf("trainer creating a cohort: %d", code)
		}
		if code, _ := get(t, f.client(t, "programme"), u+"/cohorts/new"); code != 403 {
			t.Errorf("programme team creating a cohort: %d", code)
		}
		if code, _, _ := cohortPostTo(t, f.client(t, "sup2"), u+"/cohorts", form); code != 422 {
			t.Errorf("supplier 2 using supplier 1's contract: %d", code)
		}
		after, _ := db.Cohorts(context.Background(), cohortNational, store.CohortFilter{})
		if after.Total != before.Total+1 {
			t.Errorf("cohorts %d → %d, want one more", before.Total, after.Total)
		}
	})
}

func TestCohortListScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		for key, want := range map[string][]string{
			"programme": {"Leeds autumn", "Leeds and Bradford winter", "Barking spring"},
			"sup1":      {"Leeds autumn", "Leeds and Bradford winter"},
			"sup2":      {"Barking spring"},
			"trainer1":  {"Leeds autumn"},
			"trainer1x": {"Leeds and Bradford winter"},
			"trainer2":  {"Barking spring"},
			"laLeeds":   {"Leeds autumn", "Leeds and Bradford winter"},
		} {
			code, body := get(t, f.client(t, key), f.srv.URL+"/cohorts")
			if code != 200 {
				t.Errorf("%s /cohorts: %d", key, code)
				continue
			}
			for _, name := range []string{"Leeds autumn", "Leeds and Bradford winter", "Barking spring"} {
				has := strings.Contains(body, ">"+name+"<")
				wanted := false
				for _, w := range want {
					wanted = wanted || w == name
				}
				if has != wanted {
					t.Errorf("%s sees %s: %v, want %v", key, name, has, wanted)
				}
			}
			if strings.Contains(body, "Create a cohort") != (key == "sup1" || key == "sup2") {
				t.Errorf("%s: create link shown wrongly", key)
			}
		}
		if code, _ := get(t, f.client(t, "sm"), f.srv.URL+"/cohorts"); code != 403 {
			t.Errorf("setting manager /cohorts: %d", code)
		}
		// The LA officer reads the cohort but has no actions.
		_, body := get(t, f.client(t, "laLeeds"), fmt.Sprintf("%s/cohorts/%d", f.srv.URL, f.c1.ID))
		if !strings.Contains(body, "Amara Leedsworker") || strings.Contains(body, "Take attendance") || strings.Contains(body, "/withdraw\"") {
			t.Errorf("LA officer's cohort page")
		}
	})
}

func TestCohortSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		u := fmt.Sprintf("%s/cohorts/%d/sessions", f.srv.URL, f.c1.ID)
		c := f.client(t, "trainer1")
		if code, _ := get(t, c, u+"/new"); code != 200 {
			t.Fatalf("trainer's session form: %d", code)
		}
		form := cohortDateForm("date", f.today.AddDays(10), url.Values{"hours": {"3.5"}, "mode": {"online"}, "topic": {"Working with parents"}, "venue": {"https://meet.example.org/abc"}, "units": {"3, 4"}})
		outside := cohortDateForm("date", f.today.AddDays(500), url.Values{"hours": {"6"}, "mode": {"online"}, "topic": {"Too late"}})
		code, _, body := cohortPostTo(t, c, u, outside)
		if code != 422 || !strings.Contains(body, "The session must be within the cohort&#39;s dates") {
			t.Fatalf("session outside the dates: %d", code)
		}
		code, _, body = cohortPostTo(t, c, u, url.Values{"hours": {"lots"}})
		if code != 422 || !strings.Contains(body, "Enter the date of the session") || !strings.Contains(body, "Enter the length in hours as a number") || !strings.Contains(body, "Enter the topic") {
			t.Fatalf("empty session form: %d", code)
		}
		code, loc, _ := cohortPostTo(t, c, u, form)
		if code != 303 {
			t.Fatalf("add session: %d", code)
		}
		_, body = get(t, c, f.srv.URL+loc)
		if !strings.Contains(body, "added: Working with parents") || !strings.Contains(body, "3.5 hours") {
			t.Errorf("cohort page after adding a session")
		}
		ss, _ := db.Sessions(context.Background(), f.c1.ID)
		if len(ss) != 4 || ss[3].Minutes != 210 || strings.Join(ss[3].Units, "|") != "3|4" {
			t.Fatalf("sessions: %+v", ss)
		}
		// The supplier admin may; the assessor and a programme officer may not.
		if code, _ := get(t, f.client(t, "sup1"), u+"/new"); code != 200 {
			t.Errorf("supplier admin's session form: %d", code)
		}
		for _, key := range []string{"assessor1", "programme", "laLeeds"} {
			if code, _, _ := cohortPostTo(t, f.client(t, key), u, form); code != 403 {
				t.Errorf("%s adding a session: %d", key, code)
			}
		}
	})
}

func TestCohortPlacementAndWaitingList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		c := f.client(t, "sup1")
		place := func(app int64) (int, string, string) {
			return cohortPostTo(t, c, fmt.Sprintf("%s/applications/%d/place", f.srv.URL, app), url.Values{"cohort": {cohortItoa(f.c1.ID)}})
		}
		code, body := get(t, c, fmt.Sprintf("%s/applications/%d/place?cohort=%d", f.srv.URL, f.apps[2], f.c1.ID))
		if code != 200 || !strings.Contains(body, "Leeds autumn") || !strings.Contains(body, "2 of 3 places filled") || strings.Contains(body, "Barking spring") {
			t.Fatalf("place form: %d", code)
		}
		// The cohort page offers the unplaced applicants of its authorities.
		_, body = get(t, c, fmt.Sprintf("%s/cohorts/%d", f.srv.URL, f.c1.ID))
		if !strings.Contains(body, "Cleo Leedsworker") || strings.Contains(body, "Bola Barkingworker") {
			t.Errorf("applicants to place")
		}
		code, loc, _ := place(f.apps[2])
		if code != 303 {
			t.Fatalf("place third learner: %d", code)
		}
		_, body = get(t, c, f.srv.URL+loc)
		if !strings.Contains(body, "Cleo Leedsworker placed on Leeds autumn") || !strings.Contains(body, "3 of 3 filled") {
			t.Errorf("after placing: banner or count missing")
		}
		code, loc, _ = place(f.apps[3])
		if code != 303 {
			t.Fatalf("place fourth learner: %d", code)
		}
		_, body = get(t, c, f.srv.URL+loc)
		if !strings.Contains(body, "Leeds autumn is full (3 places): Dana Leedsworker is on its waiting list") {
			t.Errorf("waiting list banner missing")
		}
		if a := f.app(t, f.apps[2]); a.Status != domain.StatusEnrolled || a.CohortID != f.c1.ID {
			t.Errorf("third learner: %s on %d", a.Status, a.CohortID)
		}
		if a := f.app(t, f.apps[3]); a.Status != domain.StatusEligible || a.WaitlistCohortID != f.c1.ID {
			t.Errorf("fourth learner: %s, waiting for %d", a.Status, a.WaitlistCohortID)
		}
		// Placing again on the full cohort is refused with the store's message.
		code, _, body = place(f.apps[3])
		if code != 422 || !strings.Contains(body, "already on its waiting list") {
			t.Errorf("second waiting-list place: %d", code)
		}
		// A cohort that does not serve the applicant's authority is refused.
		code, _, body = cohortPostTo(t, f.client(t, "sup2"), fmt.Sprintf("%s/applications/%d/place", f.srv.URL, f.barking), url.Values{"cohort": {cohortItoa(f.c3.ID)}})
		if code != 303 {
			t.Errorf("supplier 2 placing its own applicant: %d %s", code, body)
		}
		code, _, body = cohortPostTo(t, c, fmt.Sprintf("%s/applications/%d/place", f.srv.URL, f.apps[4]), url.Values{"cohort": {cohortItoa(f.c3.ID)}})
		if code != 422 || !strings.Contains(body, "Choose a cohort from the list") {
			t.Errorf("supplier 1 placing on supplier 2's cohort: %d", code)
		}
	})
}

func TestCohortAttendance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		u := fmt.Sprintf("%s/sessions/%d/attendance", f.srv.URL, f.sessions[0])
		a, b := f.apps[0], f.apps[1]
		t1, t2 := f.client(t, "trainer1"), f.client(t, "trainer1b")
		code, body := get(t, t1, u)
		if code != 200 || !strings.Contains(body, "Amara Leedsworker") || !strings.Contains(body, "Bea Leedsworker") || !strings.Contains(body, "Save attendance") {
			t.Fatalf("attendance page: %d", code)
		}
		// The whole cohort at once.
		v := cohortVersion(t, body)
		code, loc, _ := cohortPostTo(t, t1, u, url.Values{"version": {v}, fmt.Sprintf("mark-%d", a): {"present"}, fmt.Sprintf("mark-%d", b): {"half"}})
		if code != 303 {
			t.Fatalf("save attendance: %d", code)
		}
		if _, body := get(t, t1, f.srv.URL+loc); !strings.Contains(body, "Attendance saved for 2 learners") {
			t.Errorf("saved banner missing")
		}
		if m := f.marks(t, f.sessions[0]); m[a] != domain.Present || m[b] != domain.Half {
			t.Fatalf("marks after save: %v", m)
		}
		if st := f.app(t, a).Status; st != domain.StatusInTraining {
			t.Errorf("first mark should start training: %s", st)
		}
		// Two trainers open the register; the first saves; the second's
		// save is refused with the message and the first's marks stand.
		_, body1 := get(t, t1, u)
		_, body2 := get(t, t2, u)
		v1, v2 := cohortVersion(t, body1), cohortVersion(t, body2)
		if code, _, _ := cohortPostTo(t, t1, u, url.Values{"version": {v1}, fmt.Sprintf("mark-%d", a): {"absent"}, fmt.Sprintf("mark-%d", b): {"present"}}); code != 303 {
			t.Fatalf("first trainer's save: %d", code)
		}
		code, _, body = cohortPostTo(t, t2, u, url.Values{"version": {v2}, fmt.Sprintf("mark-%d", a): {"excused"}, fmt.Sprintf("mark-%d", b): {"absent"}})
		if !strings.Contains(body, `id="marks-error"`) || !strings.Contains(body, `aria-describedby="marks-error`) {
			t.Errorf("the register's error is not tied to its learners' questions")
		}
		if code != 409 || !strings.Contains(body, "Another person saved this register after you opened it. Their marks are shown below; check and save again.") ||
			!strings.Contains(body, "Your marks that were not saved") || !strings.Contains(body, "Amara Leedsworker: Excused") {
			t.Fatalf("second trainer's stale save: %d", code)
		}
		// The page shows the current marks, with the new version to save on.
		if !regexp.MustCompile(fmt.Sprintf(`name="mark-%d"[^>]*value="absent" checked`, a)).MatchString(body) || cohortVersion(t, body) == v2 {
			t.Errorf("conflict page does not show the current marks and version")
		}
		if m := f.marks(t, f.sessions[0]); m[a] != domain.Absent || m[b] != domain.Present {
			t.Fatalf("first trainer's marks were undone: %v", m)
		}
		// A mark for someone not on the register refuses the whole save.
		sv := f.session(t, f.sessions[0]).RegisterVersion
		code, _, body = cohortPostTo(t, t1, u, url.Values{"version": {strconv.Itoa(sv)}, fmt.Sprintf("mark-%d", a): {"present"}, fmt.Sprintf("mark-%d", f.apps[4]): {"present"}})
		if code != 422 || !strings.Contains(body, "Not learners of this cohort") {
			t.Fatalf("mark for a stranger: %d", code)
		}
		if f.session(t, f.sessions[0]).RegisterVersion != sv || f.marks(t, f.sessions[0])[a] != domain.Absent {
			t.Fatalf("a refused save changed the register")
		}
		// Catch-up for the absent learner.
		cu := fmt.Sprintf("%s/sessions/%d/catch-up", f.srv.URL, f.sessions[0])
		if code, body := get(t, t1, cu); code != 200 || !strings.Contains(body, "Amara Leedsworker (absent)") || strings.Contains(body, "Bea Leedsworker (") {
			t.Fatalf("catch-up form: %d", code)
		}
		code, _, body = cohortPostTo(t, t1, cu, cohortDateForm("on", f.today.AddDays(-400), url.Values{"learner": {cohortItoa(a)}}))
		if code != 422 || !strings.Contains(body, "A catch-up must be on or after the session") {
			t.Fatalf("catch-up before the session: %d", code)
		}
		code, loc, _ = cohortPostTo(t, t1, cu, cohortDateForm("on", f.today, url.Values{"learner": {cohortItoa(a)}, "note": {"Workbook done"}}))
		if code != 303 {
			t.Fatalf("catch-up: %d", code)
		}
		if _, body := get(t, t1, f.srv.URL+loc); !strings.Contains(body, "Catch-up recorded for Amara Leedsworker") {
			t.Errorf("catch-up banner missing")
		}
		// The assessor and the LA officer may not take attendance.
		for _, key := range []string{"assessor1", "laLeeds", "programme"} {
			if code, _ := get(t, f.client(t, key), u); code != 403 {
				t.Errorf("%s attendance page: %d", key, code)
			}
		}
	})
}

func TestCohortAttendanceUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		u := fmt.Sprintf("%s/sessions/%d/attendance/upload", f.srv.URL, f.sessions[1])
		c := f.client(t, "trainer1")
		if code, _ := get(t, c, u); code != 200 {
			t.Fatalf("upload form: %d", code)
		}
		code, body := get(t, c, fmt.Sprintf("%s/sessions/%d/attendance.csv", f.srv.URL, f.sessions[1]))
		if code != 200 || !strings.Contains(body, fmt.Sprintf("%d,amara@example.org,Amara Leedsworker,", f.apps[0])) {
			t.Fatalf("register CSV: %d %q", code, body)
		}
		before := f.session(t, f.sessions[1]).RegisterVersion
		// One unknown learner and one bad mark: the whole file is refused.
		bad := fmt.Sprintf("application_id,mark\n%d,present\n999999,present\n%d,late\n", f.apps[0], f.apps[1])
		code, body = upload(t, c, u, "marks.csv", bad)
		if code != 422 || !strings.Contains(body, "nothing was saved") || !strings.Contains(body, "999999") || !strings.Contains(body, "late") ||
			!strings.Contains(body, "Problems in marks.csv") {
			t.Fatalf("bad upload: %d", code)
		}
		byEmail := "email,mark\nnobody@example.org,present\n"
		if code, body := upload(t, c, u, "marks.csv", byEmail); code != 422 || !strings.Contains(body, "nobody@example.org") {
			t.Fatalf("unknown email: %d", code)
		}
		if code, body := upload(t, c, u, "marks.csv", "name\nAmara\n"); code != 422 || !strings.Contains(body, "a column headed mark") {
			t.Fatalf("missing columns: %d", code)
		}
		if f.session(t, f.sessions[1]).RegisterVersion != before || len(f.marks(t, f.sessions[1])) != 2 || f.marks(t, f.sessions[1])[f.apps[0]] != "" {
			t.Fatalf("a refused upload changed the register")
		}
		// By email, in any case, with headings as people write them.
		good := "Email,Mark\nAMARA@example.org,Present\nbea@example.org,excused\n"
		if code, _ := upload(t, c, u, "marks.csv", good); code != 303 {
			t.Fatalf("good upload: %d", code)
		}
		if _, body := get(t, c, fmt.Sprintf("%s/sessions/%d/attendance?done=uploaded&n=2", f.srv.URL, f.sessions[1])); !strings.Contains(body, "Attendance from your file saved for 2 learners") {
			t.Errorf("upload banner missing")
		}
		if m := f.marks(t, f.sessions[1]); m[f.apps[0]] != domain.Present || m[f.apps[1]] != domain.Excused {
			t.Fatalf("uploaded marks: %v", m)
		}
		if code, _ := upload(t, f.client(t, "assessor1"), u, "marks.csv", good); code != 403 {
			t.Errorf("assessor upload: %d", code)
		}
	})
}

func TestCohortLearnerActions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		ctx := context.Background()
		c := f.client(t, "sup1")
		path := func(app int64, action string) string {
			return fmt.Sprintf("%s/applications/%d/%s", f.srv.URL, app, action)
		}
		// Withdraw needs a reason; with one it is recorded.
		if code, body := get(t, c, path(f.apps[1], "withdraw")); code != 200 || !strings.Contains(body, "Workload or time") || !strings.Contains(body, "Left the sector") {
			t.Fatalf("withdraw form: %d", code)
		}
		code, _, body := cohortPostTo(t, c, path(f.apps[1], "withdraw"), cohortDateForm("on", f.today, nil))
		if code != 422 || !strings.Contains(body, "Choose the reason for the withdrawal") {
			t.Fatalf("withdraw without a reason: %d", code)
		}
		code, loc, _ := cohortPostTo(t, c, path(f.apps[1], "withdraw"), cohortDateForm("on", f.today, url.Values{"reason": {"workload"}, "note": {"Too much on at work"}}))
		if code != 303 {
			t.Fatalf("withdraw: %d", code)
		}
		if _, body := get(t, c, f.srv.URL+loc); !strings.Contains(body, "Bea Leedsworker withdrawn on") || !strings.Contains(body, "workload or time") {
			t.Errorf("withdraw banner missing")
		}
		if a := f.app(t, f.apps[1]); a.Status != domain.StatusWithdrawn || a.WithdrawalReason != domain.WithdrawWorkload || !a.WithdrawnOn.Equal(f.today) {
			t.Fatalf("withdrawn: %s %s %s", a.Status, a.WithdrawalReason, a.WithdrawnOn)
		}
		// A second withdrawal is refused by the status machine.
		if code, _, body := cohortPostTo(t, c, path(f.apps[1], "withdraw"), cohortDateForm("on", f.today, url.Values{"reason": {"other"}})); code != 422 || !strings.Contains(body, "cannot") {
			t.Errorf("withdrawing twice: %d", code)
		}
		// Transfer to the other cohort.
		if code, body := get(t, c, path(f.apps[0], "transfer")); code != 200 || !strings.Contains(body, "Leeds and Bradford winter") || strings.Contains(body, `value="`+cohortItoa(f.c1.ID)+`"`) {
			t.Fatalf("transfer form: %d", code)
		}
		code, loc, _ = cohortPostTo(t, c, path(f.apps[0], "transfer"), cohortDateForm("on", f.today, url.Values{"cohort": {cohortItoa(f.c2.ID)}}))
		if code != 303 || !strings.HasPrefix(loc, fmt.Sprintf("/cohorts/%d?", f.c2.ID)) {
			t.Fatalf("transfer: %d %s", code, loc)
		}
		if _, body := get(t, c, f.srv.URL+loc); !strings.Contains(body, "Amara Leedsworker transferred to Leeds and Bradford winter") {
			t.Errorf("transfer banner missing")
		}
		if a := f.app(t, f.apps[0]); a.CohortID != f.c2.ID || a.Status != domain.StatusEnrolled {
			t.Fatalf("transferred: cohort %d %s", a.CohortID, a.Status)
		}
		// Defer and start.
		code, _, _ = cohortPostTo(t, c, path(f.apps[2], "place"), url.Values{"cohort": {cohortItoa(f.c1.ID)}})
		if code != 303 {
			t.Fatalf("place: %d", code)
		}
		if code, _, _ := cohortPostTo(t, c, path(f.apps[2], "start"), cohortDateForm("on", f.today, nil)); code != 303 || f.app(t, f.apps[2]).Status != domain.StatusInTraining {
			t.Fatalf("start: %d", code)
		}
		if code, _, _ := cohortPostTo(t, c, path(f.apps[2], "defer"), cohortDateForm("on", f.today, url.Values{"note": {"Maternity leave"}})); code != 303 {
			t.Fatalf("defer: %d", code)
		}
		if a := f.app(t, f.apps[2]); a.Status != domain.StatusDeferred || a.CohortID != 0 {
			t.Fatalf("deferred: %s on %d", a.Status, a.CohortID)
		}
		events, _ := db.ApplicationEvents(ctx, f.apps[2])
		if last := events[len(events)-1]; last.Event != "deferred" || last.Detail != "Maternity leave" || !strings.Contains(last.Actor, "sup1@example.org") {
			t.Errorf("deferral event: %+v", last)
		}
	})
}

func TestCohortAssessment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		ctx := context.Background()
		op := domain.OperatorActor("test")
		a, b := f.apps[0], f.apps[1]
		// Amara attended every session; Bea one of three.
		for i, id := range f.sessions {
			s := f.session(t, id)
			mb := domain.Absent
			if i == 0 {
				mb = domain.Present
			}
			if err := db.InTx(ctx, func(tx *store.Tx) error {
				return tx.SaveRegister(ctx, op, s, s.RegisterVersion, map[int64]domain.Mark{a: domain.Present, b: mb})
			}); err != nil {
				t.Fatal(err)
			}
		}
		c := f.client(t, "assessor1")
		path := func(app int64) string { return fmt.Sprintf("%s/applications/%d/assessment", f.srv.URL, app) }
		if code, body := get(t, c, path(a)); code != 200 || !strings.Contains(body, "100% of 3 sessions held") || !strings.Contains(body, "threshold is 80%") {
			t.Fatalf("assessment form: %d", code)
		}
		code, loc, _ := cohortPostTo(t, c, path(a), cohortDateForm("on", f.today, nil))
		if code != 303 {
			t.Fatalf("complete assessment: %d", code)
		}
		_, body := get(t, c, f.srv.URL+loc)
		if !strings.Contains(body, "Training complete") || !strings.Contains(body, "Amara Leedsworker has completed training: attendance of 100% meets the programme&#39;s threshold of 80%") {
			t.Errorf("completed outcome missing")
		}
		if st := f.app(t, a).Status; st != domain.StatusCompleted {
			t.Errorf("Amara: %s", st)
		}
		code, loc, _ = cohortPostTo(t, c, path(b), cohortDateForm("on", f.today, nil))
		if code != 303 {
			t.Fatalf("complete assessment below the threshold: %d", code)
		}
		_, body = get(t, c, f.srv.URL+loc)
		if !strings.Contains(body, "Bea Leedsworker has not completed training: attendance of 33.3% is below the programme&#39;s threshold of 80%") {
			t.Errorf("below-threshold outcome missing")
		}
		if bb := f.app(t, b); bb.Status != domain.StatusInTraining || bb.AssessmentCompleteOn.IsZero() {
			t.Errorf("Bea: %s, assessment %s", bb.Status, bb.AssessmentCompleteOn)
		}
		// The trainer may not record an assessment; the supplier admin may.
		if code, _ := get(t, f.client(t, "trainer1"), path(a)); code != 403 {
			t.Errorf("trainer's assessment page: %d", code)
		}
		if code, _ := get(t, f.client(t, "sup1"), path(b)); code != 200 {
			t.Errorf("supplier admin's assessment page: %d", code)
		}
	})
}

// TestCohortScopeMatrix tries every cohort route with supplier 1's ids as
// every user: those outside get 404 and change nothing.
func TestCohortScopeMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		u := f.srv.URL
		enrolled, waiting := f.apps[0], f.apps[2]
		type route struct {
			path string
			want map[string]int // GET status per user; others 404
			form url.Values     // a valid POST, or nil when the route has none
		}
		sess := f.sessions[0]
		all := func(m map[string]int) map[string]int { return m }
		date := cohortDateForm("on", f.today, nil)
		routes := []route{
			{fmt.Sprintf("/cohorts/%d", f.c1.ID), all(map[string]int{"sup1": 200, "trainer1": 200, "trainer1b": 200, "assessor1": 200, "laLeeds": 200, "programme": 200, "sm": 403}), nil},
			{fmt.Sprintf("/cohorts/%d/sessions/new", f.c1.ID), all(map[string]int{"sup1": 200, "trainer1": 200, "trainer1b": 200, "assessor1": 403, "laLeeds": 403, "programme": 403, "sm": 403}), nil},
			{fmt.Sprintf("/cohorts/%d/sessions", f.c1.ID), nil, cohortDateForm("date", f.today, url.Values{"hours": {"6"}, "mode": {"online"}, "topic": {"Intrusion"}})},
			{fmt.Sprintf("/sessions/%d/attendance", sess), all(map[string]int{"sup1": 200, "trainer1": 200, "trainer1b": 200, "assessor1": 403, "laLeeds": 403, "programme": 403, "sm": 403}),
				url.Values{"version": {"0"}, fmt.Sprintf("mark-%d", enrolled): {"absent"}}},
			{fmt.Sprintf("/sessions/%d/attendance/upload", sess), all(map[string]int{"sup1": 200, "trainer1": 200, "trainer1b": 200, "assessor1": 403, "laLeeds": 403, "programme": 403, "sm": 403}), nil},
			{fmt.Sprintf("/sessions/%d/attendance.csv", sess), all(map[string]int{"sup1": 200, "trainer1": 200, "trainer1b": 200, "assessor1": 403, "laLeeds": 403, "programme": 403, "sm": 403}), nil},
			{fmt.Sprintf("/sessions/%d/catch-up", sess), all(map[string]int{"sup1": 200, "trainer1": 200, "trainer1b": 200, "assessor1": 403, "laLeeds": 403, "programme": 403, "sm": 403}),
				cohortDateForm("on", f.today, url.Values{"learner": {cohortItoa(enrolled)}})},
			{fmt.Sprintf("/applications/%d/place", waiting), all(map[string]int{"sup1": 200, "laLeeds": 403, "programme": 403, "sm": 403}), url.Values{"cohort": {cohortItoa(f.c1.ID)}}},
			{fmt.Sprintf("/applications/%d/transfer", enrolled), all(map[string]int{"sup1": 200, "trainer1": 403, "trainer1b": 403, "assessor1": 403, "laLeeds": 403, "programme": 403, "sm": 403}),
				cohortDateForm("on", f.today, url.Values{"cohort": {cohortItoa(f.c2.ID)}})},
			{fmt.Sprintf("/applications/%d/defer", enrolled), all(map[string]int{"sup1": 200, "trainer1": 403, "trainer1b": 403, "assessor1": 403, "laLeeds": 403, "programme": 403, "sm": 403}), date},
			{fmt.Sprintf("/applications/%d/withdraw", enrolled), all(map[string]int{"sup1": 200, "trainer1": 403, "trainer1b": 403, "assessor1": 403, "laLeeds": 403, "programme": 403, "sm": 403}),
				cohortDateForm("on", f.today, url.Values{"reason": {"other"}})},
			{fmt.Sprintf("/applications/%d/start", enrolled), all(map[string]int{"sup1": 200, "trainer1": 403, "trainer1b": 403, "assessor1": 403, "laLeeds": 403, "programme": 403, "sm": 403}), date},
			{fmt.Sprintf("/applications/%d/assessment", enrolled), all(map[string]int{"sup1": 200, "trainer1": 403, "trainer1b": 403, "assessor1": 200, "laLeeds": 403, "programme": 403, "sm": 403}), date},
		}
		for key := range f.users {
			c := f.client(t, key)
			for _, rt := range routes {
				if rt.want == nil {
					continue
				}
				want, ok := rt.want[key]
				if !ok {
					want = 404
				}
				if code, _ := get(t, c, u+rt.path); code != want {
					t.Errorf("%s GET %s: %d, want %d", key, rt.path, code, want)
				}
			}
		}
		// Outsiders' writes are not found and change nothing.
		for _, key := range []string{"sup2", "trainer2", "assessor2", "trainer1x"} {
			c := f.client(t, key)
			before := f.lastAudit(t)
			for _, rt := range routes {
				if rt.form == nil {
					continue
				}
				path := strings.TrimSuffix(rt.path, "/new")
				if code, _, _ := cohortPostTo(t, c, u+path, rt.form); code != 404 {
					t.Errorf("%s POST %s: %d, want 404", key, path, code)
				}
			}
			if code, _ := upload(t, c, fmt.Sprintf("%s/sessions/%d/attendance/upload", u, sess), "marks.csv", fmt.Sprintf("application_id,mark\n%d,absent\n", enrolled)); code != 404 {
				t.Errorf("%s upload: %d, want 404", key, code)
			}
			if after := f.lastAudit(t); after != before {
				t.Errorf("%s's refused writes were audited: %d → %d", key, before, after)
			}
			// Their lists never show supplier 1's cohort or learners.
			_, body := get(t, c, u+"/cohorts")
			if strings.Contains(body, "Leeds autumn") {
				t.Errorf("%s sees Leeds autumn in /cohorts", key)
			}
		}
		if a := f.app(t, enrolled); a.Status != domain.StatusEnrolled || a.CohortID != f.c1.ID {
			t.Errorf("enrolled learner changed: %s on %d", a.Status, a.CohortID)
		}
		if a := f.app(t, waiting); a.Status != domain.StatusEligible || a.WaitlistCohortID != 0 {
			t.Errorf("eligible applicant changed: %s", a.Status)
		}
		if len(f.marks(t, sess)) != 2 || f.marks(t, sess)[enrolled] != "" {
			t.Errorf("register changed by outsiders")
		}
		ss, _ := db.Sessions(context.Background(), f.c1.ID)
		if len(ss) != 3 {
			t.Errorf("sessions added by outsiders: %d", len(ss))
		}
	})
}

func cohortItoa(n int64) string { return strconv.FormatInt(n, 10) }

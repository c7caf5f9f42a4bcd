package web_test

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
	"senco/internal/web"
)

const password = "a long test password"

// fixture is two of everything, so every test can try the other one's.
type fixture struct {
	db     *store.DB
	srv    *httptest.Server
	users  map[string]domain.User
	p1, p2 int64 // practitioners at s1 (Leeds) and s2 (Barking)
	e1, e2 int64 // their employments
	supP   int64 // a practitioner recorded by supplier 1
	hasher *auth.Hasher
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	op := domain.OperatorActor("test")
	f := &fixture{db: db, users: map[string]domain.User{}, hasher: auth.NewHasher(auth.FastParams, 4)}
	hash, err := f.hasher.Hash(ctx, password)
	if err != nil {
		t.Fatal(err)
	}
	reg := domain.NewDate(2015, 1, 5)
	err = db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.UpsertLocalAuthorities(ctx, op, []domain.LocalAuthority{
			{Code: "E08000035", Name: "Leeds", OfstedName: "Leeds", RegionCode: "E12000003", RegionName: "Yorkshire and The Humber", StartedOn: domain.NewDate(1974, 4, 1)},
			{Code: "E09000002", Name: "Barking and Dagenham", OfstedName: "Barking and Dagenham", RegionCode: "E12000007", RegionName: "London", StartedOn: domain.NewDate(1965, 4, 1)},
		})
		if err != nil {
			return err
		}
		err = tx.InsertSettings(ctx, []domain.Setting{
			{URN: "EY100001", Name: "Alpha Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true, LACode: "E08000035", Postcode: "LS1 1AA", Town: "Leeds", Places: 40, RegisteredOn: reg},
			{URN: "EY200002", Name: "Beta Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true, LACode: "E09000002", Postcode: "RM10 8DF", Town: "Dagenham", Places: 30, RegisteredOn: reg},
			{URN: "EY100003", Name: "", Type: domain.Childminder, Status: domain.Active, EYR: true, LACode: "E08000035", RegisteredOn: reg},
		})
		if err != nil {
			return err
		}
		orgs := map[string]domain.Organisation{}
		for key, o := range map[string]domain.Organisation{
			"programme": {Kind: domain.OrgProgramme, Name: "Programme team"},
			"la1":       {Kind: domain.OrgLA, Name: "Leeds City Council", LACode: "E08000035"},
			"la2":       {Kind: domain.OrgLA, Name: "Barking and Dagenham Council", LACode: "E09000002"},
			"s1":        {Kind: domain.OrgSetting, Name: "Alpha Nursery", SettingURN: "EY100001"},
			"s2":        {Kind: domain.OrgSetting, Name: "Beta Nursery", SettingURN: "EY200002"},
			"sup1":      {Kind: domain.OrgSupplier, Name: "Supplier One"},
			"sup2":      {Kind: domain.OrgSupplier, Name: "Supplier Two"},
			"ao":        {Kind: domain.OrgAwarding, Name: "Awarding Body"},
		} {
			o, err := tx.CreateOrganisation(ctx, op, o)
			if err != nil {
				return err
			}
			orgs[key] = o
		}
		p1, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "Alice", FamilyName: "Leedsworker", OwnerOrgID: orgs["s1"].ID})
		if err != nil {
			return err
		}
		p2, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "Bob", FamilyName: "Barkingworker", OwnerOrgID: orgs["s2"].ID})
		if err != nil {
			return err
		}
		sp, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "Carol", FamilyName: "Supplierlearner", OwnerOrgID: orgs["sup1"].ID})
		if err != nil {
			return err
		}
		f.p1, f.p2, f.supP = p1.ID, p2.ID, sp.ID
		e1, err := tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p1.ID, SettingURN: "EY100001", Role: domain.RoleSENCO, StartedOn: reg})
		if err != nil {
			return err
		}
		e2, err := tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p2.ID, SettingURN: "EY200002", Role: domain.RoleSENCO, StartedOn: reg})
		if err != nil {
			return err
		}
		f.e1, f.e2 = e1.ID, e2.ID
		for key, u := range map[string]domain.User{
			"programme": {Role: domain.RoleProgrammeTeam, Org: orgs["programme"]},
			"la1":       {Role: domain.RoleLAOfficer, Org: orgs["la1"]},
			"la2":       {Role: domain.RoleLAOfficer, Org: orgs["la2"]},
			"sm1":       {Role: domain.RoleSettingManager, Org: orgs["s1"]},
			"sm2":       {Role: domain.RoleSettingManager, Org: orgs["s2"]},
			"sup1":      {Role: domain.RoleSupplierAdmin, Org: orgs["sup1"]},
			"sup2":      {Role: domain.RoleSupplierAdmin, Org: orgs["sup2"]},
			"trainer":   {Role: domain.RoleTrainer, Org: orgs["sup1"]},
			"ao":        {Role: domain.RoleAOOfficer, Org: orgs["ao"]},
			"learner1":  {Role: domain.RoleLearner, Org: orgs["s1"], PractitionerID: p1.ID},
		} {
			u.Email, u.Name = key+"@example.org", "User "+key
			u, err := tx.CreateUser(ctx, op, u, hash)
			if err != nil {
				return err
			}
			f.users[key] = u
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Config{DB: db, Hasher: f.hasher, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// client returns an HTTP client signed in as key ("" for nobody) that does
// not follow redirects.
func (f *fixture) client(t *testing.T, key string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if key == "" {
		return c
	}
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

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestScopeMatrix signs in as each role of two organisations and tries
// every route, including with the other organisation's ids.
func TestScopeMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		u := f.srv.URL
		type want map[string]int // user → status; users not listed expect the route's default
		routes := []struct {
			path    string
			deflt   int
			want    want
			mustNot []string // text out-of-scope users must never see
		}{
			{"/", 200, nil, nil},
			{"/settings", 200, want{"sm1": 303, "sm2": 303, "learner1": 303}, nil},
			{"/settings?q=beta", 200, want{"sm1": 303, "sm2": 303, "learner1": 303}, nil},
			{"/settings/EY100001", 200, want{"la2": 404, "sm2": 404}, nil},
			{"/settings/EY200002", 200, want{"la1": 404, "sm1": 404, "learner1": 404}, nil},
			{"/settings/EY100001/staff/new", 200, want{"la2": 404, "sm2": 404, "learner1": 403, "trainer": 403, "ao": 403}, nil},
			{"/settings/EY200002/staff/new", 200, want{"la1": 404, "sm1": 404, "learner1": 404, "trainer": 403, "ao": 403}, nil},
			{"/local-authorities", 200, want{"la1": 303, "la2": 303, "sm1": 403, "sm2": 403, "learner1": 403}, nil},
			{"/local-authorities/E09000002", 200, want{"la1": 404, "sm1": 404, "sm2": 404, "learner1": 404}, nil},
			{"/people", 200, want{"learner1": 303, "trainer": 403, "ao": 403}, nil},
			{fmt.Sprintf("/people/%d", f.p2), 404, want{"programme": 200, "la2": 200, "sm2": 200}, nil},
			{fmt.Sprintf("/people/%d", f.p1), 404, want{"programme": 200, "la1": 200, "sm1": 200, "learner1": 200}, nil},
			{fmt.Sprintf("/people/%d", f.supP), 404, want{"programme": 200, "sup1": 200}, nil},
			{fmt.Sprintf("/people/%d/employments/new", f.p2), 404, want{"programme": 200, "la2": 200, "sm2": 200}, nil},
			{fmt.Sprintf("/employments/%d/end", f.e2), 404, want{"programme": 200, "la2": 200, "sm2": 200}, nil},
			{fmt.Sprintf("/employments/%d/end", f.e1), 404, want{"programme": 200, "la1": 200, "sm1": 200, "learner1": 403}, nil},
			{"/audit", 403, want{"programme": 200}, nil},
			{"/api-tokens", 200, want{"sm1": 403, "sm2": 403, "learner1": 403, "trainer": 403}, nil},
			{"/people/import", 403, want{"programme": 200, "la1": 200, "la2": 200, "sup1": 200, "sup2": 200}, nil},
		}
		for key := range f.users {
			c := f.client(t, key)
			for _, rt := range routes {
				wantCode := rt.deflt
				if w, ok := rt.want[key]; ok {
					wantCode = w
				}
				code, body := get(t, c, u+rt.path)
				if code != wantCode {
					t.Errorf("%s GET %s: %d, want %d", key, rt.path, code, wantCode)
				}
				_ = body
			}
			// Lists never show another organisation's rows.
			_, body := get(t, c, u+"/people")
			if key != "programme" && key != "la2" && key != "sm2" && strings.Contains(body, "Barkingworker") {
				t.Errorf("%s sees Barkingworker in /people", key)
			}
			_, body = get(t, c, u+"/settings?q=nursery")
			if (key == "la1") && strings.Contains(body, "Beta Nursery") {
				t.Errorf("%s sees Beta Nursery in a search", key)
			}
		}
		// Unsigned visitors are sent to sign in.
		anon := f.client(t, "")
		for _, p := range []string{"/settings", "/people", "/audit", "/settings/EY100001"} {
			res, err := anon.Get(u + p)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
				t.Errorf("anonymous GET %s: %d %s", p, res.StatusCode, res.Header.Get("Location"))
			}
		}
	})
}

func countPractitioners(t *testing.T, db *store.DB) int {
	t.Helper()
	page, err := db.SearchPractitioners(context.Background(), policy.Scope{Kind: policy.National}, store.PeopleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

// TestOutOfScopeWritesChangeNothing tries every write with another
// organisation's ids.
func TestOutOfScopeWritesChangeNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		u := f.srv.URL
		staff := url.Values{"given_name": {"Eve"}, "family_name": {"Intruder"}, "role": {"practitioner"},
			"started-day": {"1"}, "started-month": {"9"}, "started-year": {"2025"}}
		end := url.Values{"ended-day": {"1"}, "ended-month": {"9"}, "ended-year": {"2025"}}
		for _, key := range []string{"la1", "sm1", "learner1", "trainer", "ao"} {
			c := f.client(t, key)
			before := countPractitioners(t, db)
			if code, _ := post(t, c, u+"/settings/EY200002/staff", staff); code != 404 && code != 403 {
				t.Errorf("%s adding staff to another setting: %d", key, code)
			}
			if code, _ := post(t, c, fmt.Sprintf("%s/employments/%d/end", u, f.e2), end); code != 404 && code != 403 {
				t.Errorf("%s ending another setting's employment: %d", key, code)
			}
			add := url.Values{"setting": {"EY200002"}, "role": {"senco"}, "started-day": {"1"}, "started-month": {"9"}, "started-year": {"2025"}}
			post(t, c, fmt.Sprintf("%s/people/%d/employments", u, f.p1), add)
			atS2, err := db.Employments(context.Background(), policy.Scope{Kind: policy.National}, store.PeopleFilter{SettingURN: "EY200002"})
			if err != nil || atS2.Total != 1 {
				t.Errorf("%s: employments at another setting: %d %v", key, atS2.Total, err)
			}
			if after := countPractitioners(t, db); after != before {
				t.Errorf("%s: practitioners %d → %d", key, before, after)
			}
			e, err := db.Employment(context.Background(), policy.Scope{Kind: policy.National}, f.e2)
			if err != nil || !e.EndedOn.IsZero() {
				t.Errorf("%s: employment e2 changed: %+v %v", key, e.Employment, err)
			}
		}
		// In scope, the same writes work.
		c := f.client(t, "sm2")
		if code, body := post(t, c, u+"/settings/EY200002/staff", staff); code != 303 {
			t.Fatalf("sm2 adding staff: %d %s", code, body)
		}
		if code, _ := post(t, c, fmt.Sprintf("%s/employments/%d/end", u, f.e2), end); code != 303 {
			t.Fatalf("sm2 ending employment: %d", code)
		}
		_, body := get(t, c, u+"/settings/EY200002")
		if !strings.Contains(body, "Eve Intruder") || !strings.Contains(body, "No designated SENCO is recorded today") {
			t.Errorf("setting page after changes lacks the new staff or the SENCO change")
		}
		entries, _ := db.ListAudit(context.Background(), store.AuditFilter{Entity: "employment"})
		if len(entries) == 0 || entries[0].Action != "end" || !strings.Contains(entries[0].Actor, "sm2@example.org") {
			t.Errorf("audit of the end: %+v", entries)
		}
	})
}

func TestSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.client(t, "")
		code, body := post(t, c, f.srv.URL+"/sign-in", url.Values{"email": {"la1@example.org"}, "password": {"wrong"}})
		if code != 422 || !strings.Contains(body, "Enter a correct email address and password") {
			t.Fatalf("wrong password: %d", code)
		}
		code, body2 := post(t, c, f.srv.URL+"/sign-in", url.Values{"email": {"nobody@example.org"}, "password": {"wrong"}})
		if code != 422 || !strings.Contains(body2, "Enter a correct email address and password") {
			t.Fatalf("unknown email: %d", code)
		}
		code, body = post(t, c, f.srv.URL+"/sign-in", url.Values{})
		if code != 422 || !strings.Contains(body, "Enter your email address") || !strings.Contains(body, `href="#email"`) {
			t.Fatalf("empty form: %d", code)
		}
		for range 4 {
			post(t, c, f.srv.URL+"/sign-in", url.Values{"email": {"la1@example.org"}, "password": {"wrong"}})
		}
		code, body = post(t, c, f.srv.URL+"/sign-in", url.Values{"email": {"la1@example.org"}, "password": {password}})
		if code != 429 || !strings.Contains(body, "Too many failed attempts") {
			t.Fatalf("throttled sign-in: %d", code)
		}
		// Others are not locked out by one account's failures: once this
		// address's delay has passed, another account signs in from it.
		db.SetClock(func() time.Time { return time.Now().Add(time.Minute) })
		f.client(t, "la2")
		// Sign out ends the session.
		c2 := f.client(t, "sm1")
		if code, _ := post(t, c2, f.srv.URL+"/sign-out", nil); code != 303 {
			t.Fatalf("sign out: %d", code)
		}
		if code, _ := get(t, c2, f.srv.URL+"/settings/EY100001"); code != 303 {
			t.Fatalf("after sign out: %d", code)
		}
	})
}

func TestCrossOriginPostRefused(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	c := f.client(t, "sm1")
	before := countPractitioners(t, f.db)
	form := url.Values{"given_name": {"Mal"}, "family_name": {"Lory"}, "role": {"practitioner"}, "started-day": {"1"}, "started-month": {"9"}, "started-year": {"2025"}}
	req, _ := http.NewRequest("POST", f.srv.URL+"/settings/EY100001/staff", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 403 || countPractitioners(t, f.db) != before {
		t.Fatalf("cross-site post: %d, practitioners %d → %d", res.StatusCode, before, countPractitioners(t, f.db))
	}
}

func TestFormErrors(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	c := f.client(t, "sm1")
	code, body := post(t, c, f.srv.URL+"/settings/EY100001/staff", url.Values{"started-day": {"31"}, "started-month": {"2"}, "started-year": {"2025"}, "email": {"not an email"}})
	if code != 422 {
		t.Fatalf("invalid staff form: %d", code)
	}
	for _, want := range []string{"There is a problem", "Enter a first name", "Enter a last name", "Enter an email address in the correct format", "Select the role at this setting", "The start date must be a real date", `href="#given_name"`, "<title>Error: "} {
		if !strings.Contains(body, want) {
			t.Errorf("staff form errors lack %q", want)
		}
	}
	// Ending before the start is refused.
	code, body = post(t, c, fmt.Sprintf("%s/employments/%d/end", f.srv.URL, f.e1), url.Values{"ended-day": {"1"}, "ended-month": {"1"}, "ended-year": {"2000"}})
	if code != 422 || !strings.Contains(body, "must be on or after the start date") {
		t.Errorf("end before start: %d", code)
	}
}

func TestSearchAndOperations(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	c := f.client(t, "programme")
	_, body := get(t, c, f.srv.URL+"/settings?q=ls1+1aa")
	if !strings.Contains(body, "Alpha Nursery") || strings.Contains(body, "Beta Nursery") {
		t.Errorf("postcode search")
	}
	_, body = get(t, c, f.srv.URL+"/settings?type=childminder")
	if !strings.Contains(body, "name withheld by Ofsted") {
		t.Errorf("childminder search should show the withheld name")
	}
	if code, _ := get(t, c, f.srv.URL+"/settings?type=castle"); code != 422 {
		t.Errorf("bad type filter: %d", code)
	}
	_, body = get(t, c, f.srv.URL+"/settings?q=no+such+place")
	if !strings.Contains(body, "No settings match") {
		t.Errorf("empty state missing")
	}
	for p, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 200, "/static/govuk/govuk-frontend.min.css": 200, "/nope": 404} {
		if code, _ := get(t, c, f.srv.URL+p); code != want {
			t.Errorf("GET %s: %d, want %d", p, code, want)
		}
	}
	_, body = get(t, c, f.srv.URL+"/metrics")
	if !strings.Contains(body, "senco_http_requests_total") {
		t.Errorf("metrics lack request counts")
	}
}

func upload(t *testing.T, c *http.Client, u, name, content string) (int, string) {
	t.Helper()
	var buf strings.Builder
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	io.WriteString(fw, content)
	mw.Close()
	res, err := c.Post(u, mw.FormDataContentType(), strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestPractitionerImportUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.client(t, "la1")
		header := "given_name,family_name,email,date_of_birth,qualification_level,qts,eyts,qtls,setting_urn,role,started_on,ended_on\n"
		before := countPractitioners(t, db)
		// A row at a setting outside Leeds refuses the whole file.
		bad := header + "Dana,Example,dana@example.org,1990-01-02,3,N,N,N,EY100001,Practitioner,2024-09-02,\n" +
			"Evan,Example,evan@example.org,1991-02-03,3,N,N,N,EY200002,Practitioner,2024-09-02,\n"
		code, body := upload(t, c, f.srv.URL+"/people/import", "staff.csv", bad)
		if code != 422 || !strings.Contains(body, "nothing was imported") || !strings.Contains(body, "EY200002") {
			t.Fatalf("out-of-scope import: %d", code)
		}
		malformed := header + "Fay,Example,fay@example.org,31/02/1990,3,N,N,N,EY100001,Wizard,2024-09-02,\n"
		code, body = upload(t, c, f.srv.URL+"/people/import", "staff.csv", malformed)
		if code != 422 || !strings.Contains(body, "Wizard") || !strings.Contains(body, "31/02/1990") {
			t.Fatalf("malformed import: %d", code)
		}
		if countPractitioners(t, db) != before {
			t.Fatalf("a refused import changed the database")
		}
		good := header + "Dana,Example,dana@example.org,1990-01-02,3,N,N,N,EY100001,Practitioner,2024-09-02,\n" +
			"Dana,Example,dana@example.org,1990-01-02,3,N,N,N,EY100001,SENCO,2025-09-01,\n"
		code, body = upload(t, c, f.srv.URL+"/people/import", "staff.csv", good)
		if code != 200 || !strings.Contains(body, "Import complete") {
			t.Fatalf("good import: %d", code)
		}
		if countPractitioners(t, db) != before+1 {
			t.Fatalf("practitioners %d, want %d", countPractitioners(t, db), before+1)
		}
		code, body = upload(t, c, f.srv.URL+"/people/import", "staff.csv", good)
		if code != 200 || countPractitioners(t, db) != before+1 {
			t.Fatalf("re-import: %d, practitioners %d", code, countPractitioners(t, db))
		}
		if code, _ := upload(t, f.client(t, "sm1"), f.srv.URL+"/people/import", "staff.csv", good); code != 403 {
			t.Fatalf("setting manager import: %d", code)
		}
	})
}

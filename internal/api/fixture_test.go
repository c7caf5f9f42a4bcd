package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/store"
)

// The seeded world: two authorities, settings in each, and an
// organisation and user for every role. Clock times let tests ask for
// changes since a moment.
const (
	laA = "E09000002" // Barking and Dagenham, London
	laB = "E08000035" // Leeds, Yorkshire and The Humber

	regionA = "E12000007"
)

var (
	t0  = time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC) // reference data and settings
	t1  = time.Date(2025, 2, 10, 9, 0, 0, 0, time.UTC) // people
	t2  = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC) // later changes
	now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) // when tests run

	op = domain.OperatorActor("test")
)

// Settings by name in the fixture.
var settingsSeed = []domain.Setting{
	{URN: "EY000001", Name: "Acorn Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true, LACode: laA, Postcode: "IG11 7AA", Town: "Barking", Places: 40, RegisteredOn: domain.NewDate(2012, 3, 1), InspectedOn: domain.NewDate(2023, 5, 2), Outcome: 2},
	{URN: "EY000002", Name: "", Type: domain.Childminder, Status: domain.Active, EYR: true, CCR: true, LACode: laA, Postcode: "RM10 8AA", Town: "Dagenham", Places: 6, RegisteredOn: domain.NewDate(2015, 6, 1)},
	{URN: "EY000003", Name: "Bluebell Pre-school", Type: domain.NonDomestic, Status: domain.Closed, EYR: true, LACode: laA, Postcode: "IG11 9ZZ", Town: "Barking", Places: 24, RegisteredOn: domain.NewDate(2009, 1, 5), ClosedOn: domain.NewDate(2024, 7, 31)},
	{URN: "EY000011", Name: "Chapel Allerton Day Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true, VCR: true, LACode: laB, Postcode: "LS7 3AA", Town: "Leeds", Places: 60, RegisteredOn: domain.NewDate(2011, 9, 1)},
	{URN: "EY000012", Name: "", Type: domain.Childminder, Status: domain.Active, EYR: true, LACode: laB, Postcode: "LS8 5DT", Town: "Leeds", Places: 6, RegisteredOn: domain.NewDate(2018, 2, 1)},
	{URN: "2600001", Name: "Home Help", Type: domain.HomeChildcarer, Status: domain.Active, VCR: true, Postcode: "", Town: "", RegisteredOn: domain.NewDate(2020, 1, 1)},
}

// lateSetting is added at t2, for updated_since.
var lateSetting = domain.Setting{URN: "EY000004", Name: "Daisy Chain Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true, LACode: laA, Postcode: "IG11 1AA", Town: "Barking", Places: 30, RegisteredOn: domain.NewDate(2025, 3, 1)}

// fixture is a seeded database and the API over it.
type fixture struct {
	db     *store.DB
	api    *API
	h      http.Handler
	logs   *syncBuffer
	tokens map[string]string // token name → secret
	users  map[string]domain.User
	ids    map[string]string // practitioner and employment names → ids
}

// syncBuffer is a log sink safe for concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// tokenNames are the tokens the fixture creates, each for a user of the
// same name.
var apiTokens = []string{"programme", "supplier1", "supplier2", "laA", "laB", "ao"}
var forbiddenTokens = []string{"settingManager", "trainer", "learner"}

func newFixture(t *testing.T, db *store.DB, opts ...Option) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, tokens: map[string]string{}, users: map[string]domain.User{}, ids: map[string]string{}, logs: &syncBuffer{}}
	tx := func(at time.Time, fn func(tx *store.Tx) error) {
		t.Helper()
		db.SetClock(func() time.Time { return at })
		if err := db.InTx(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}

	orgs := map[string]domain.Organisation{}
	tx(t0, func(tx *store.Tx) error {
		_, err := tx.UpsertLocalAuthorities(ctx, op, []domain.LocalAuthority{
			{Code: laA, DfECode: "301", Name: "Barking and Dagenham", OfstedName: "Barking and Dagenham", RegionCode: regionA, RegionName: "London", StartedOn: domain.NewDate(1965, 4, 1)},
			{Code: laB, DfECode: "383", Name: "Leeds", OfstedName: "Leeds", RegionCode: "E12000003", RegionName: "Yorkshire and The Humber", StartedOn: domain.NewDate(1974, 4, 1)},
		})
		if err != nil {
			return err
		}
		if err := tx.InsertSettings(ctx, settingsSeed); err != nil {
			return err
		}
		for name, o := range map[string]domain.Organisation{
			"programme": {Kind: domain.OrgProgramme, Name: "Programme team"},
			"laA":       {Kind: domain.OrgLA, Name: "Barking and Dagenham Council", LACode: laA},
			"laB":       {Kind: domain.OrgLA, Name: "Leeds City Council", LACode: laB},
			"settingA":  {Kind: domain.OrgSetting, Name: "Acorn Nursery", SettingURN: "EY000001"},
			"settingB":  {Kind: domain.OrgSetting, Name: "Chapel Allerton Day Nursery", SettingURN: "EY000011"},
			"supplier1": {Kind: domain.OrgSupplier, Name: "First Training Ltd"},
			"supplier2": {Kind: domain.OrgSupplier, Name: "Second Training Ltd"},
			"ao":        {Kind: domain.OrgAwarding, Name: "Awarding Body"},
		} {
			o, err := tx.CreateOrganisation(ctx, op, o)
			if err != nil {
				return err
			}
			orgs[name] = o
		}
		return nil
	})

	// People, recorded at t1. pS1 works in both authorities (an ended
	// employment in A, a current one in B); pLA is recorded by LA A and
	// works nowhere yet.
	type emp struct {
		name, urn  string
		role       domain.EmploymentRole
		start, end domain.Date
	}
	people := []struct {
		name, org string
		p         domain.Practitioner
		emps      []emp
	}{
		{"pA", "settingA", domain.Practitioner{GivenName: "Alice", FamilyName: "Adams", Email: "alice@example.org", DateOfBirth: domain.NewDate(1990, 1, 2), QualificationLevel: 3},
			[]emp{{"eA", "EY000001", domain.RoleSENCO, domain.NewDate(2020, 1, 6), domain.Date{}}}},
		{"pB", "settingB", domain.Practitioner{GivenName: "Bea", FamilyName: "Brown", QualificationLevel: 6, QTS: true},
			[]emp{{"eB", "EY000011", domain.RolePractitioner, domain.NewDate(2019, 9, 2), domain.Date{}}}},
		{"pS1", "supplier1", domain.Practitioner{GivenName: "Sam", FamilyName: "Singh", Email: "sam@example.org", EYTS: true},
			[]emp{{"eS1b", "EY000011", domain.RoleDeputySENCO, domain.NewDate(2022, 4, 1), domain.Date{}},
				{"eS1a", "EY000002", domain.RolePractitioner, domain.NewDate(2018, 4, 1), domain.NewDate(2022, 3, 31)}}},
		{"pS2", "supplier2", domain.Practitioner{GivenName: "Sue", FamilyName: "Smith", QTLS: true},
			[]emp{{"eS2", "EY000001", domain.RolePractitioner, domain.NewDate(2023, 1, 9), domain.Date{}}}},
		{"pLA", "laA", domain.Practitioner{GivenName: "Lee", FamilyName: "Long"}, nil},
	}
	tx(t1, func(tx *store.Tx) error {
		for _, pp := range people {
			pp.p.OwnerOrgID = orgs[pp.org].ID
			p, err := tx.CreatePractitioner(ctx, op, pp.p)
			if err != nil {
				return err
			}
			f.ids[pp.name] = strconv.FormatInt(p.ID, 10)
			for _, e := range pp.emps {
				got, err := tx.AddEmployment(ctx, op, domain.Employment{PractitionerID: p.ID, SettingURN: e.urn, Role: e.role, StartedOn: e.start, EndedOn: e.end})
				if err != nil {
					return err
				}
				f.ids[e.name] = strconv.FormatInt(got.ID, 10)
			}
		}
		return nil
	})

	// Users of every role, and a token each.
	users := []struct {
		name, org string
		role      domain.Role
	}{
		{"programme", "programme", domain.RoleProgrammeTeam},
		{"supplier1", "supplier1", domain.RoleSupplierAdmin},
		{"supplier2", "supplier2", domain.RoleSupplierAdmin},
		{"trainer", "supplier1", domain.RoleTrainer},
		{"laA", "laA", domain.RoleLAOfficer},
		{"laB", "laB", domain.RoleLAOfficer},
		{"ao", "ao", domain.RoleAOOfficer},
		{"settingManager", "settingA", domain.RoleSettingManager},
		{"learner", "settingA", domain.RoleLearner},
	}
	tx(t1, func(tx *store.Tx) error {
		for _, u := range users {
			du := domain.User{Email: u.name + "@example.org", Name: u.name, Role: u.role, Org: orgs[u.org]}
			if u.role == domain.RoleLearner {
				id, _ := strconv.ParseInt(f.ids["pA"], 10, 64)
				du.PractitionerID = id
			}
			if err := f.addUser(ctx, tx, u.name, du, now.AddDate(1, 0, 0)); err != nil {
				return err
			}
		}
		// An expired and a revoked token of the programme team.
		secret, hash, err := auth.NewToken("senco_")
		if err != nil {
			return err
		}
		if _, err := tx.CreateAPIToken(ctx, op, f.users["programme"].ID, "expired", hash, now.Add(-time.Hour)); err != nil {
			return err
		}
		f.tokens["expired"] = secret
		secret, hash, err = auth.NewToken("senco_")
		if err != nil {
			return err
		}
		tok, err := tx.CreateAPIToken(ctx, op, f.users["programme"].ID, "revoked", hash, now.AddDate(1, 0, 0))
		if err != nil {
			return err
		}
		f.tokens["revoked"] = secret
		return tx.RevokeAPIToken(ctx, op, f.users["programme"].ID, tok.ID)
	})

	// Later changes: a new setting, and eA ended (which also touches pA).
	tx(t2, func(tx *store.Tx) error {
		if err := tx.InsertSettings(ctx, []domain.Setting{lateSetting}); err != nil {
			return err
		}
		id, _ := strconv.ParseInt(f.ids["eA"], 10, 64)
		pid, _ := strconv.ParseInt(f.ids["pA"], 10, 64)
		_, err := tx.EndEmployment(ctx, op, domain.Employment{ID: id, PractitionerID: pid, SettingURN: "EY000001", Role: domain.RoleSENCO, StartedOn: domain.NewDate(2020, 1, 6)}, domain.NewDate(2025, 3, 7))
		return err
	})

	db.SetClock(func() time.Time { return now })
	log := slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.api = New(db, log, append([]Option{WithRateLimit(0, 0)}, opts...)...)
	f.h = f.api.Handler()
	return f
}

// addUser creates user u and an API token of theirs valid until expires,
// both under name.
func (f *fixture) addUser(ctx context.Context, tx *store.Tx, name string, u domain.User, expires time.Time) error {
	created, err := tx.CreateUser(ctx, op, u, "not-a-real-hash")
	if err != nil {
		return err
	}
	created.Org = u.Org
	f.users[name] = created
	secret, hash, err := auth.NewToken("senco_")
	if err != nil {
		return err
	}
	if _, err := tx.CreateAPIToken(ctx, op, created.ID, name, hash, expires); err != nil {
		return err
	}
	f.tokens[name] = secret
	return nil
}

// response is a decoded API answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
	Doc    struct {
		Data   json.RawMessage `json:"data"`
		Meta   *pageMeta       `json:"meta"`
		Errors []errorObject   `json:"errors"`
	}
}

// ids returns the ids of a list's records, or the one id of a record.
func (r response) ids(t *testing.T) []string {
	t.Helper()
	var many []resource
	if err := json.Unmarshal(r.Doc.Data, &many); err == nil {
		out := make([]string, len(many))
		for i, m := range many {
			out[i] = m.ID
		}
		return out
	}
	var one resource
	if err := json.Unmarshal(r.Doc.Data, &one); err != nil {
		t.Fatalf("data is neither a list nor a record: %s", r.Body)
	}
	return []string{one.ID}
}

// get requests path with the named token ("" for none).
func (f *fixture) get(t *testing.T, token, path string) response {
	t.Helper()
	return f.do(t, http.MethodGet, token, path)
}

func (f *fixture) do(t *testing.T, method, token, path string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if token != "" {
		secret, ok := f.tokens[token]
		if !ok {
			secret = token // a raw value, for malformed tokens
		}
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	res := response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	if method != http.MethodHead {
		if err := json.Unmarshal(res.Body, &res.Doc); err != nil {
			t.Fatalf("%s %s: body is not JSON: %v\n%s", method, path, err, res.Body)
		}
	}
	if res.Status >= 400 && method != http.MethodHead {
		if len(res.Doc.Errors) != 1 || res.Doc.Errors[0].Status != strconv.Itoa(res.Status) || res.Doc.Errors[0].Title == "" || res.Doc.Errors[0].Detail == "" {
			t.Fatalf("%s %s: error document does not say its status %d, title and detail: %s", method, path, res.Status, res.Body)
		}
	}
	return res
}

func (f *fixture) id(name string) string {
	id, ok := f.ids[name]
	if !ok {
		panic(fmt.Sprintf("no id for %s", name))
	}
	return id
}

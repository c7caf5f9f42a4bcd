package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"senco/internal/auth"
	"senco/internal/catalogue"
	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/growth"
	"senco/internal/store/storetest"
	"senco/internal/web"
)

// barking is the Barking side of the fixture in full: besides Bob
// Barkingworker at Beta Nursery (EY200002), a programme whose qualification
// another awarding body awards, supplier two's contract for Barking and
// Dagenham with a cohort and a session, Bob's application, and an API token
// of the Barking officer.
type barking struct {
	programme, qualification, cohort, session, app, token, supplier int64
	// Barking's certificate and its quality-assurance sample and item,
	// written as rows: the fixture's learner has not got that far.
	certificate, sample, item int64
	review                    int64
}

// private is what only the Barking side (and the programme team) may see:
// the names of its people, cohort, session and token.
var private = []string{"Barkingworker", "Barking spring", "Barking unit", "Barking token", "BARKING-CERT-1", "BARKINGCODE", "Barking action", "Barking evidence"}

func (f *fixture) barking(t *testing.T) barking {
	t.Helper()
	ctx := context.Background()
	op := domain.OperatorActor("test")
	var b barking
	today := domain.DateOf(f.db.Now())
	err := f.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if b.qualification, err = tx.SaveQualification(ctx, domain.Qualification{Code: "EYSENCO-L3", Version: 1, Title: "Level 3 Early Years SENCO",
			Level: 3, AwardingOrganisation: "Other Awarding Body", GuidedLearningHours: 34}); err != nil {
			return err
		}
		rules := domain.DefaultRules()
		rules.PlacesPerSetting = 0
		p, err := tx.SaveProgramme(ctx, op, domain.Programme{Name: "National EY SENCO", QualificationID: b.qualification, OpensOn: today.AddDays(-400),
			ClosesOn: today.AddDays(400), StartsOn: today.AddDays(-400), EndsOn: today.AddDays(800), TargetCompletions: 5000, Rules: rules})
		if err != nil {
			return err
		}
		b.programme = p.ID
		sup := f.users["sup2"].Org.ID
		b.supplier = sup
		con, err := tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: sup, ProgrammeID: p.ID, LACodes: []string{"E09000002"}, AllocatedPlaces: 50})
		if err != nil {
			return err
		}
		c, err := tx.CreateCohort(ctx, op, domain.Cohort{ContractID: con.ID, SupplierOrgID: sup, Name: "Barking spring", Mode: domain.Blended,
			LACodes: []string{"E09000002"}, StartsOn: today.AddDays(-30), EndsOn: today.AddDays(150), Capacity: 5})
		if err != nil {
			return err
		}
		b.cohort = c.ID
		s, err := tx.AddSession(ctx, op, c, domain.Session{Date: today.AddDays(-7), Minutes: 360, Mode: domain.FaceToFace, Topic: "Barking unit", Venue: "Dagenham"})
		if err != nil {
			return err
		}
		b.session = s.ID
		a, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: p.ID, PractitionerID: f.p2, SettingURN: "EY200002", AppliedOn: today.AddDays(-60), Nominated: true})
		if err != nil {
			return err
		}
		b.app = a.ID
		_, hash, err := auth.NewToken("")
		if err != nil {
			return err
		}
		tok, err := tx.CreateAPIToken(ctx, op, f.users["la2"].ID, "Barking token", hash, f.db.Now().Add(24*time.Hour))
		if err != nil {
			return err
		}
		b.token = tok.ID
		now, sup2 := f.db.Now(), f.users["sup2"].ID
		if b.certificate, err = tx.InsertID(ctx, `INSERT INTO issued_certificates (application_id, number, kind, code, issued_on, state, created_by, created_at, updated_at)
			VALUES ($1, 'BARKING-CERT-1', 'full', 'BARKINGCODE00001', $2, 'valid', 'test', $3, $3)`, a.ID, today, now); err != nil {
			return err
		}
		if b.sample, err = tx.InsertID(ctx, `INSERT INTO qa_samples (supplier_org_id, level, seed, learner_share, decision_share, new_assessor_share, new_assessor_below,
			drawn_by_user, drawn_by, drawn_on, created_at) VALUES ($1, 'iqa', 7, 10, 20, 50, 20, $2, 'test', $3, $4)`, sup, sup2, today, now); err != nil {
			return err
		}
		if b.item, err = tx.InsertID(ctx, `INSERT INTO qa_items (sample_id, application_id, kind, assessor_user_id, decided_on, outcome, action, updated_at)
			VALUES ($1, $2, 'final', $3, $4, 'action', 'Barking action', $5)`, b.sample, a.ID, sup2, today, now); err != nil {
			return err
		}
		// A self-review of Beta Nursery, shared with Barking's officer.
		fws, err := catalogue.ReviewFrameworks()
		if err != nil {
			return err
		}
		ratings := map[string]domain.ItemRating{}
		for _, a := range fws[0].Areas {
			for _, it := range a.Items {
				ratings[it.Code] = domain.ItemRating{Rating: domain.RatingPartly, Evidence: "Barking evidence"}
			}
		}
		rv, err := growth.SaveReview(ctx, tx, op, policy.Scope{Kind: policy.Setting, SettingURN: "EY200002"}, fws[0],
			domain.ReviewInput{ReviewedOn: today, ReviewedBy: "Beta manager", Share: true, Ratings: ratings})
		if err != nil {
			return err
		}
		b.review = rv.ID
		// An assessor and an IQA of supplier one, so every role is tried.
		hash, err = f.hasher.Hash(ctx, password)
		if err != nil {
			return err
		}
		for key, role := range map[string]domain.Role{"assessor": domain.RoleAssessor, "iqa": domain.RoleIQA} {
			u, err := tx.CreateUser(ctx, op, domain.User{Role: role, Org: f.users["sup1"].Org, Email: key + "@example.org", Name: "User " + key}, hash)
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
	return b
}

// path fills a route's wildcards with the Barking side's records: a
// route under a new first segment fails until it is given one.
func (b barking) path(t *testing.T, f *fixture, pattern string) (method, path string) {
	t.Helper()
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = http.MethodGet, pattern
	}
	path = strings.TrimSuffix(path, "{$}")
	if path == "/" && !ok {
		path = "/no-such-page"
	}
	ids := map[string]int64{
		"people": f.p2, "employments": f.e2, "api-tokens": b.token, "programmes": b.programme, "suppliers": b.supplier,
		"qualifications": b.qualification, "cohorts": b.cohort, "sessions": b.session, "applications": b.app, "apply": b.app,
		"coverage": b.programme, "portfolio": b.app, "growth": b.review,
		// The Barking side has no statement: an id no Leeds user may open.
		"statements": 1, "claims": 1, "batches": 1, "declarations": 1, "submissions": 1, "progress-reviews": 1,
		"certificates": b.certificate, "quality/suppliers": b.supplier, "quality/samples": b.sample, "quality/items": b.item,
	}
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	first := parts[0]
	if first == "quality" && len(parts) > 1 {
		first += "/" + parts[1] // quality assurance has records of three kinds
	}
	path = strings.NewReplacer("{urn}", "EY200002", "{code}", "E09000002", "{evidence}", "1", "{format}", "csv").Replace(path)
	if strings.Contains(path, "{id}") {
		id, ok := ids[first]
		if !ok {
			t.Fatalf("route %s: no Barking record for {id} under /%s; add one to the matrix", pattern, first)
		}
		path = strings.ReplaceAll(path, "{id}", strconv.FormatInt(id, 10))
	}
	if strings.Contains(path, "{") {
		t.Fatalf("route %s: wildcard the matrix does not know", pattern)
	}
	return method, path
}

func do(t *testing.T, c *http.Client, method, u string) (int, string, string) {
	t.Helper()
	var res *http.Response
	var err error
	if method == http.MethodPost {
		res, err = c.PostForm(u, url.Values{})
	} else {
		res, err = c.Get(u)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	_, _ = io.Copy(&b, res.Body)
	return res.StatusCode, res.Header.Get("Location"), b.String()
}

// public are the pages a signed-out visitor may reach, and what they get.
// A route that answers a signed-out visitor without sending them to sign
// in must be listed here.
var public = map[string]int{
	"GET /{$}":           http.StatusSeeOther, // home sends the visitor to sign in
	"GET /sign-in":       http.StatusOK,
	"POST /sign-in":      http.StatusUnprocessableEntity,
	"POST /sign-out":     http.StatusSeeOther,
	"GET /accessibility": http.StatusOK,
	// Anyone may check a certificate by its code; no such code is found.
	"GET /verify":        http.StatusOK,
	"GET /verify/{code}": http.StatusNotFound,
	"/":                  http.StatusNotFound,
	// OpenID Connect sign-in is not configured in this fixture: not found
	// (TestOpenIDSignIn tries it configured).
	"GET /sign-in/openid":          http.StatusNotFound,
	"GET /sign-in/openid/callback": http.StatusNotFound,
}

// shared are the routes naming a Barking record that some Leeds users may
// open, and why. Everyone else gets 403 or 404.
var shared = map[string]map[string]bool{
	// The register is public data: suppliers, their trainers and assessors
	// and awarding organisations search all of it (policy.Settings).
	"GET /settings/{urn}":           {"sup1": true, "trainer": true, "assessor": true, "iqa": true, "ao": true},
	"GET /local-authorities/{code}": {"sup1": true, "trainer": true, "assessor": true, "iqa": true, "ao": true},
	"GET /coverage/la/{code}":       {"sup1": true, "trainer": true, "assessor": true, "iqa": true, "ao": true},
	// A supplier records the employment of the practitioners it trains,
	// wherever they work (policy.CanManageStaff); it sees only its own.
	"GET /settings/{urn}/staff/new": {"sup1": true},
	"POST /settings/{urn}/staff":    {"sup1": true},
	// The qualifications catalogue is the same for everyone.
	"GET /qualifications/{id}": {"la1": true, "sm1": true, "sup1": true, "trainer": true, "assessor": true, "iqa": true, "ao": true, "learner1": true},
	// A programme is national; its progress page counts only what is in
	// the user's own scope.
	"GET /coverage/programmes/{id}": {"la1": true, "sm1": true, "sup1": true, "trainer": true, "assessor": true, "iqa": true, "ao": true},
}

// TestRouteMatrix walks the table of pages itself, so a route added later
// is checked without anyone listing it. Signed out, every page but the
// public ones sends the visitor to sign in. Signed in as each role of the
// Leeds side, every route given the Barking side's records refuses them
// (403 or 404) unless shared says why not, no page shows any of Barking's
// private records, and nothing is written.
func TestRouteMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.barking(t)
		s, err := web.New(web.Config{DB: db, Hasher: f.hasher})
		if err != nil {
			t.Fatal(err)
		}
		patterns := web.PagePatterns(s)
		if len(patterns) < 90 {
			t.Fatalf("the table has %d routes; the matrix expects the whole table", len(patterns))
		}

		anon := f.client(t, "")
		for _, p := range patterns {
			method, path := b.path(t, f, p)
			code, loc, _ := do(t, anon, method, f.srv.URL+path)
			if want, ok := public[p]; ok {
				if code != want {
					t.Errorf("signed out %s %s: %d, want %d", method, path, code, want)
				}
				continue
			}
			if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/sign-in") {
				t.Errorf("signed out %s %s: %d to %q, want a redirect to sign in (or list it in public)", method, path, code, loc)
			}
		}

		outsiders := []string{"la1", "sm1", "sup1", "trainer", "assessor", "iqa", "ao", "learner1"}
		clients := map[string]*http.Client{}
		for _, key := range outsiders {
			clients[key] = f.client(t, key) // signing in is audited, so before counting
		}
		before := lastAuditID(t, db)
		for _, key := range outsiders {
			c := clients[key]
			for _, p := range patterns {
				if p == "POST /sign-out" {
					continue // would end the session the rest of the walk uses
				}
				method, path := b.path(t, f, p)
				code, _, body := do(t, c, method, f.srv.URL+path)
				if code >= 500 {
					t.Errorf("%s %s %s: %d", key, method, path, code)
				}
				for _, m := range private {
					if strings.Contains(body, m) {
						t.Errorf("%s %s %s shows %q of the Barking side", key, method, path, m)
					}
				}
				if strings.Contains(p, "{") && p != "GET /{$}" && !shared[p][key] && code != http.StatusForbidden && code != http.StatusNotFound {
					t.Errorf("%s %s %s (Barking's record): %d, want 403 or 404", key, method, path, code)
				}
			}
		}
		if after := lastAuditID(t, db); after != before {
			t.Errorf("requests refused as out of scope wrote to the audit log: %d → %d", before, after)
		}
	})
}

func lastAuditID(t *testing.T, db *store.DB) int64 {
	t.Helper()
	entries, err := db.ListAudit(context.Background(), store.AuditFilter{Limit: 1})
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit: %v", err)
	}
	return entries[0].ID
}

// TestPagesTakeTodayFromTheStore: a test that sets the store's clock sets
// every page's today, here the start date a new employment is offered.
// Late evening in UTC is already the next day in London in summer.
func TestPagesTakeTodayFromTheStore(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db)
	db.SetClock(func() time.Time { return time.Date(2031, time.July, 14, 23, 30, 0, 0, time.UTC) })
	_, body := get(t, f.client(t, "programme"), fmt.Sprintf("%s/people/%d/employments/new", f.srv.URL, f.p1))
	for _, want := range []string{`name="started-day" type="text" value="15"`, `name="started-month" type="text" value="7"`, `name="started-year" type="text" value="2031"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form does not offer 15 July 2031 as the start date: no %s", want)
		}
	}
}

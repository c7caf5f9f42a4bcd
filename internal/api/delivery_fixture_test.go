package api

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/payments"
)

// The training delivery world, on top of newFixture's: a programme of a
// qualification the fixture's awarding organisation awards; supplier1's
// contract serves Barking (laA) and Barnet (dlLAC), supplier2's Leeds
// (laB); cohorts, sessions with attendance, and applications at every
// stage.
const (
	dlLAC  = "E09000003" // Barnet, London
	dlURNC = "EY000021"  // a nursery in Barnet
)

var dlSeedAt = time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)

var dlNational = policy.Scope{Kind: policy.National}

// dlWorld names the delivery records by role in the tests.
type dlWorld struct {
	programme, contract1, contract2 int64
	// Cohorts: k1 (supplier1; laA and Barnet; capacity 2, full), k1b
	// (supplier1; laA; capacity 5), k2 (supplier2; laB).
	cohorts map[string]int64
	// Sessions: s1 of k1, s1b of k1b, s2 of k2.
	sessions map[string]int64
	// Applications: enrolled (laA, on k1, in training), barnet (Barnet, on
	// k1, in training), eligible and eligible2 (laA, not placed), withdrawn
	// (laA, placed on k1b then withdrawn), leeds (laB, on k2, in training),
	// leeds2 (laB, eligible).
	apps map[string]int64
	// Practitioners supplier1 recorded who have not applied: spare.
	spare int64
	// Money of supplier1: a declaration (started, for enrolled), May 2025's
	// statement holding it, and a claim of cover from enrolled's setting.
	money map[string]int64
	// Growth (growth_test.go): Acorn's shared and unshared self-reviews and
	// pS2's shared and pB's unshared confidence ratings.
	growth map[string]int64
	// Assessment (assessment_fixture_test.go): evidence, submission,
	// decision, item (a sampled decision), certificate, leeds-evidence.
	assess map[string]int64
}

func (w *dlWorld) cohort(name string) string  { return dlID(w.cohorts, name) }
func (w *dlWorld) session(name string) string { return dlID(w.sessions, name) }
func (w *dlWorld) app(name string) string     { return dlID(w.apps, name) }

func dlID(m map[string]int64, name string) string {
	id, ok := m[name]
	if !ok {
		panic("no delivery record " + name)
	}
	return strconv.FormatInt(id, 10)
}

// dlSeed adds the delivery world to a fixture's database.
func dlSeed(t *testing.T, f *fixture) *dlWorld {
	t.Helper()
	ctx := context.Background()
	w := &dlWorld{cohorts: map[string]int64{}, sessions: map[string]int64{}, apps: map[string]int64{}, money: map[string]int64{}}
	f.db.SetClock(func() time.Time { return dlSeedAt })
	defer f.db.SetClock(func() time.Time { return now })
	userOrg := func(name string) int64 { return f.users[name].Org.ID }
	err := f.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.UpsertLocalAuthorities(ctx, op, []domain.LocalAuthority{
			{Code: dlLAC, DfECode: "302", Name: "Barnet", OfstedName: "Barnet", RegionCode: regionA, RegionName: "London", StartedOn: domain.NewDate(1965, 4, 1)},
		}); err != nil {
			return err
		}
		if err := tx.InsertSettings(ctx, []domain.Setting{{URN: dlURNC, Name: "Cedar Nursery", Type: domain.NonDomestic, Status: domain.Active, EYR: true,
			LACode: dlLAC, Postcode: "N3 1AA", Town: "Barnet", Places: 30, RegisteredOn: domain.NewDate(2014, 1, 1)}}); err != nil {
			return err
		}
		q, err := tx.SaveQualification(ctx, domain.Qualification{Code: "EYSENCO-L3", Version: 1, Title: "Level 3 Early Years SENCO", Level: 3,
			AwardingOrganisation: "Awarding Body", GuidedLearningHours: 34})
		if err != nil {
			return err
		}
		rules := domain.DefaultRules()
		rules.PlacesPerSetting = 0
		p, err := tx.SaveProgramme(ctx, op, domain.Programme{Name: "National EY SENCO", QualificationID: q, OpensOn: domain.NewDate(2025, 1, 1),
			ClosesOn: domain.NewDate(2026, 12, 31), StartsOn: domain.NewDate(2025, 1, 1), EndsOn: domain.NewDate(2027, 12, 31), TargetCompletions: 5000, Rules: rules})
		if err != nil {
			return err
		}
		w.programme = p.ID
		c1, err := tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: userOrg("supplier1"), ProgrammeID: p.ID, LACodes: []string{laA, dlLAC},
			AllocatedPlaces: 100, PriceStarted: 30000, PriceRetained: 40000, PriceCompleted: 50000})
		if err != nil {
			return err
		}
		c2, err := tx.CreateContract(ctx, op, domain.Contract{SupplierOrgID: userOrg("supplier2"), ProgrammeID: p.ID, LACodes: []string{laB},
			AllocatedPlaces: 100, PriceStarted: 30000, PriceRetained: 40000, PriceCompleted: 50000})
		if err != nil {
			return err
		}
		w.contract1, w.contract2 = c1.ID, c2.ID
		for _, k := range []struct {
			name     string
			contract domain.Contract
			title    string
			las      []string
			capacity int
		}{
			{"k1", c1, "Barking and Barnet spring", []string{laA, dlLAC}, 2},
			{"k1b", c1, "Barking summer", []string{laA}, 5},
			{"k2", c2, "Leeds spring", []string{laB}, 5},
		} {
			ch, err := tx.CreateCohort(ctx, op, domain.Cohort{ContractID: k.contract.ID, SupplierOrgID: k.contract.SupplierOrgID, Name: k.title,
				Mode: domain.Blended, LACodes: k.las, StartsOn: domain.NewDate(2025, 5, 1), EndsOn: domain.NewDate(2025, 12, 31), Capacity: k.capacity})
			if err != nil {
				return fmt.Errorf("cohort %s: %w", k.name, err)
			}
			w.cohorts[k.name] = ch.ID
		}
		if err := tx.SetCohortStaff(ctx, op, w.cohorts["k1"], []int64{f.users["trainer"].ID}, nil); err != nil {
			return err
		}
		for i, s := range []struct{ name, cohort string }{{"s1", "k1"}, {"s1b", "k1b"}, {"s2", "k2"}} {
			ch, err := tx.ScopedCohort(ctx, dlNational, w.cohorts[s.cohort])
			if err != nil {
				return err
			}
			got, err := tx.AddSession(ctx, op, ch.Cohort, domain.Session{Date: domain.NewDate(2025, 5, 6+i), Minutes: 360, Mode: domain.FaceToFace,
				Topic: "Identification", Venue: "Town hall", Units: []string{"U1"}})
			if err != nil {
				return err
			}
			w.sessions[s.name] = got.ID
		}
		// Practitioners and their applications.
		for i, a := range []struct {
			name, owner, urn string
		}{
			{"enrolled", "supplier1", "EY000001"},
			{"barnet", "supplier1", dlURNC},
			{"eligible", "supplier1", "EY000002"},
			{"eligible2", "supplier1", "EY000004"},
			{"withdrawn", "supplier1", "EY000001"},
			{"leeds", "supplier2", "EY000011"},
			{"leeds2", "supplier2", "EY000012"},
			{"", "supplier1", ""},
		} {
			pr, err := tx.CreatePractitioner(ctx, op, domain.Practitioner{GivenName: "Dee" + strconv.Itoa(i), FamilyName: "Learner",
				Email: fmt.Sprintf("dl%d@example.org", i), DateOfBirth: domain.NewDate(1985, 1, 1+i), QualificationLevel: 3, OwnerOrgID: userOrg(a.owner)})
			if err != nil {
				return err
			}
			if a.name == "" {
				w.spare = pr.ID
				continue
			}
			ap, err := tx.Apply(ctx, op, store.ApplyInput{ProgrammeID: w.programme, PractitionerID: pr.ID, SettingURN: a.urn,
				AppliedOn: domain.DateOf(dlSeedAt), Nominated: true})
			if err != nil {
				return fmt.Errorf("apply %s: %w", a.name, err)
			}
			if ap.Status != domain.StatusEligible {
				return fmt.Errorf("application %s is %s (%s), want eligible", a.name, ap.Status, ap.Reason)
			}
			w.apps[a.name] = ap.ID
		}
		place := func(app, cohort string) error {
			ap, err := tx.ScopedApplication(ctx, dlNational, w.apps[app])
			if err != nil {
				return err
			}
			ch, err := tx.ScopedCohort(ctx, dlNational, w.cohorts[cohort])
			if err != nil {
				return err
			}
			wait, err := tx.Place(ctx, op, ap, ch, domain.DateOf(dlSeedAt))
			if err == nil && wait {
				err = fmt.Errorf("%s went on the waiting list of %s", app, cohort)
			}
			return err
		}
		for _, p := range [][2]string{{"enrolled", "k1"}, {"barnet", "k1"}, {"withdrawn", "k1b"}, {"leeds", "k2"}} {
			if err := place(p[0], p[1]); err != nil {
				return err
			}
		}
		ap, err := tx.ScopedApplication(ctx, dlNational, w.apps["withdrawn"])
		if err != nil {
			return err
		}
		if err := tx.Withdraw(ctx, op, ap, domain.WithdrawWorkload, domain.DateOf(dlSeedAt), ""); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Registers and money, once the first sessions are held: a register
	// is taken on the session's day or after.
	f.db.SetClock(func() time.Time { return time.Date(2025, 5, 20, 9, 0, 0, 0, time.UTC) })
	err = f.db.InTx(ctx, func(tx *store.Tx) error {
		for _, reg := range []struct {
			session string
			apps    []string
		}{{"s1", []string{"enrolled", "barnet"}}, {"s2", []string{"leeds"}}} {
			s, _, err := tx.ScopedSession(ctx, dlNational, w.sessions[reg.session])
			if err != nil {
				return err
			}
			marks := map[int64]domain.Mark{}
			for _, a := range reg.apps {
				marks[w.apps[a]] = domain.Present
			}
			if err := tx.SaveRegister(ctx, op, s, s.RegisterVersion, marks); err != nil {
				return err
			}
		}
		supplier1 := policy.Scope{Kind: policy.Org, OrgID: userOrg("supplier1")}
		d, _, err := payments.Declare(ctx, tx, op, supplier1, w.apps["enrolled"], domain.MilestoneStarted, domain.NewDate(2025, 5, 10))
		if err != nil {
			return fmt.Errorf("declare: %w", err)
		}
		w.money["declaration"] = d.ID
		if _, err := payments.GenerateStatements(ctx, tx, op, domain.Month{Year: 2025, Month: 5}); err != nil {
			return err
		}
		sts, err := payments.Statements(ctx, tx.Reader(), supplier1, payments.StatementFilter{})
		if err != nil || len(sts) != 1 {
			return fmt.Errorf("statements %v: %w", sts, err)
		}
		w.money["statement"] = sts[0].ID
		if err := payments.AcceptConditions(ctx, tx, op, "EY000001", w.programme); err != nil {
			return err
		}
		c, err := payments.SubmitClaim(ctx, tx, op, policy.Scope{Kind: policy.Setting, SettingURN: "EY000001"}, w.apps["enrolled"], []int64{w.sessions["s1"]})
		if err != nil {
			return fmt.Errorf("claim: %w", err)
		}
		w.money["claim"] = c.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	growthSeed(t, f, w)
	assessSeed(t, f, w)
	return w
}

// dlDo sends a request with a JSON body (none when body is "") and an
// Idempotency-Key (none when key is ""), and checks the answer is JSON and
// any error document says its status, a title and a detail.
func dlDo(t *testing.T, f *fixture, method, token, path, body, key string) response {
	t.Helper()
	var req *http.Request
	if body == "" {
		req = httptest.NewRequest(method, path, nil)
	} else {
		req = httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		secret, ok := f.tokens[token]
		if !ok {
			secret = token
		}
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	if key != "" {
		req.Header.Set(IdempotencyKeyHeader, key)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	res := response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	if err := json.Unmarshal(res.Body, &res.Doc); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v\n%s", method, path, err, res.Body)
	}
	if res.Status >= 400 {
		if len(res.Doc.Errors) == 0 {
			t.Fatalf("%s %s: %d without errors: %s", method, path, res.Status, res.Body)
		}
		for _, e := range res.Doc.Errors {
			if e.Status != strconv.Itoa(res.Status) || e.Title == "" || e.Detail == "" {
				t.Fatalf("%s %s: error document does not say its status %d, title and detail: %s", method, path, res.Status, res.Body)
			}
		}
		if strings.Contains(string(res.Body), `"attributes"`) {
			t.Fatalf("%s %s: refusal carries a record: %s", method, path, res.Body)
		}
	}
	return res
}

// dlAttrs decodes the attributes of a one-record answer.
func dlAttrs(t *testing.T, res response) map[string]any {
	t.Helper()
	var r struct {
		ID         string         `json:"id"`
		Attributes map[string]any `json:"attributes"`
	}
	if err := json.Unmarshal(res.Doc.Data, &r); err != nil || r.Attributes == nil {
		t.Fatalf("not one record: %s", res.Body)
	}
	r.Attributes["id"] = r.ID
	return r.Attributes
}

// dlMeta decodes the meta of an action's answer.
func dlMeta(t *testing.T, res response) map[string]any {
	t.Helper()
	var doc struct {
		Meta map[string]any `json:"meta"`
	}
	if err := json.Unmarshal(res.Body, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Meta
}

// dlPointers lists the source.pointer of each error.
func dlPointers(res response) []string {
	var out []string
	for _, e := range res.Doc.Errors {
		if e.Source != nil {
			out = append(out, e.Source.Pointer)
		} else {
			out = append(out, "")
		}
	}
	return out
}

// dlLastAudit is the id of the newest audit entry: unchanged when nothing
// was written.
func dlLastAudit(t *testing.T, f *fixture) int64 {
	t.Helper()
	entries, err := f.db.ListAudit(context.Background(), store.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		return 0
	}
	return entries[0].ID
}

// dlSnapshot is everything the programme team can read of delivery: equal
// snapshots mean nothing changed.
func dlSnapshot(t *testing.T, f *fixture, w *dlWorld) string {
	t.Helper()
	var b strings.Builder
	paths := []string{"/api/v1/cohorts?page[size]=1000", "/api/v1/applications?page[size]=1000", "/api/v1/learners?page[size]=1000"}
	for _, name := range slices.Sorted(maps.Keys(w.cohorts)) {
		paths = append(paths, "/api/v1/cohorts/"+w.cohort(name)+"/sessions")
	}
	for _, name := range slices.Sorted(maps.Keys(w.sessions)) {
		paths = append(paths, "/api/v1/sessions/"+w.session(name)+"/attendance")
	}
	for _, p := range paths {
		res := f.get(t, "programme", p)
		if res.Status != http.StatusOK {
			t.Fatalf("snapshot %s: %d %s", p, res.Status, res.Body)
		}
		b.WriteString(p + "\n")
		b.Write(res.Body)
	}
	return b.String()
}

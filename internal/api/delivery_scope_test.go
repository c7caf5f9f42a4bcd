package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"senco/internal/store"
	"senco/internal/store/storetest"
)

// dlVisible is what each token may see of delivery, by kind of record:
// the expectations of DESIGN.md section 2 and the issue, written out by
// hand rather than derived from package policy.
var dlVisible = map[string]map[string][]string{
	"programme": {
		"cohorts":      {"k1", "k1b", "k2"},
		"sessions":     {"s1", "s1b", "s2"},
		"applications": {"enrolled", "barnet", "eligible", "eligible2", "withdrawn", "leeds", "leeds2"},
		"learners":     {"enrolled", "barnet", "withdrawn", "leeds"},
	},
	// Its own cohorts; the applications from the authorities its contract
	// serves (Barking and Barnet).
	"supplier1": {
		"cohorts":      {"k1", "k1b"},
		"sessions":     {"s1", "s1b"},
		"applications": {"enrolled", "barnet", "eligible", "eligible2", "withdrawn"},
		"learners":     {"enrolled", "barnet", "withdrawn"},
	},
	"supplier2": {
		"cohorts":      {"k2"},
		"sessions":     {"s2"},
		"applications": {"leeds", "leeds2"},
		"learners":     {"leeds"},
	},
	// Cohorts serving Barking, but of their learners only those from
	// Barking (not the one from Barnet on k1).
	"laA": {
		"cohorts":      {"k1", "k1b"},
		"sessions":     {"s1", "s1b"},
		"applications": {"enrolled", "eligible", "eligible2", "withdrawn"},
		"learners":     {"enrolled", "withdrawn"},
	},
	"laB": {
		"cohorts":      {"k2"},
		"sessions":     {"s2"},
		"applications": {"leeds", "leeds2"},
		"learners":     {"leeds"},
	},
	// The awarding organisation awards the programme's qualification.
	"ao": {
		"cohorts":      {"k1", "k1b", "k2"},
		"sessions":     {"s1", "s1b", "s2"},
		"applications": {"enrolled", "barnet", "eligible", "eligible2", "withdrawn", "leeds", "leeds2"},
		"learners":     {"enrolled", "barnet", "withdrawn", "leeds"},
	},
}

// dlIDs resolves delivery names of one kind to ids.
func dlIDs(w *dlWorld, kind string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		switch kind {
		case "cohorts":
			out[i] = w.cohort(n)
		case "sessions":
			out[i] = w.session(n)
		case "money":
			out[i] = dlID(w.money, n)
		case "assess":
			out[i] = dlID(w.assess, n)
		default:
			out[i] = w.app(n)
		}
	}
	return out
}

// TestDeliveryScope reads every delivery route with every token: what is
// out of scope is 404 and never in a list, and filters cannot widen it.
func TestDeliveryScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		all := dlVisible["programme"]
		for _, tok := range apiTokens {
			t.Run(tok, func(t *testing.T) {
				vis := dlVisible[tok]
				// Lists.
				for _, kind := range []string{"cohorts", "applications", "learners"} {
					want := dlIDs(w, kind, vis[kind])
					res := f.get(t, tok, "/api/v1/"+kind+"?page[size]=1000")
					if res.Status != http.StatusOK {
						t.Fatalf("GET %s: %d %s", kind, res.Status, res.Body)
					}
					if got := res.ids(t); !dlSameSet(got, want) || res.Doc.Meta.Page.TotalItems != len(want) {
						t.Errorf("GET /api/v1/%s: %v (total %d), want %v", kind, got, res.Doc.Meta.Page.TotalItems, want)
					}
				}
				// Records by id, guessing the others' ids too.
				get := func(path string, in bool) {
					t.Helper()
					res := f.get(t, tok, path)
					want := http.StatusNotFound
					if in {
						want = http.StatusOK
					}
					if res.Status != want {
						t.Errorf("GET %s: %d, want %d: %s", path, res.Status, want, res.Body)
					}
					if want == http.StatusNotFound && strings.Contains(string(res.Body), `"attributes"`) {
						t.Errorf("GET %s: 404 carries a record", path)
					}
				}
				for _, name := range all["cohorts"] {
					in := slices.Contains(vis["cohorts"], name)
					get("/api/v1/cohorts/"+w.cohort(name), in)
					get("/api/v1/cohorts/"+w.cohort(name)+"/sessions", in)
				}
				for _, name := range all["sessions"] {
					in := slices.Contains(vis["sessions"], name)
					get("/api/v1/sessions/"+w.session(name), in)
					get("/api/v1/sessions/"+w.session(name)+"/attendance", in)
				}
				for _, name := range all["applications"] {
					get("/api/v1/applications/"+w.app(name), slices.Contains(vis["applications"], name))
				}
				// A register lists only the learners in scope.
				for _, name := range vis["sessions"] {
					res := f.get(t, tok, "/api/v1/sessions/"+w.session(name)+"/attendance")
					for _, m := range dlRegister(t, res).Marks {
						if !slices.Contains(dlIDs(w, "applications", vis["applications"]), m.ApplicationID) {
							t.Errorf("register of %s lists application %s, out of scope", name, m.ApplicationID)
						}
					}
				}
				// Filters cannot widen the scope.
				for _, path := range []string{
					"/api/v1/applications?filter[cohort]=" + w.cohort("k1"),
					"/api/v1/applications?filter[cohort]=" + w.cohort("k2"),
					"/api/v1/applications?filter[status]=in_training",
					"/api/v1/learners?filter[cohort]=" + w.cohort("k1"),
					"/api/v1/learners?filter[cohort]=" + w.cohort("k2"),
					"/api/v1/cohorts?filter[programme]=" + fmt.Sprint(w.programme),
				} {
					res := f.get(t, tok, path)
					if res.Status != http.StatusOK {
						t.Fatalf("GET %s: %d %s", path, res.Status, res.Body)
					}
					kind := strings.TrimPrefix(path[:strings.Index(path, "?")], "/api/v1/")
					for _, id := range res.ids(t) {
						if !slices.Contains(dlIDs(w, kind, vis[kind]), id) {
							t.Errorf("GET %s: %s is out of scope but listed", path, id)
						}
					}
				}
			})
		}
	})
}

// dlWrites is one of every write, aimed at supplier1's records.
func dlWrites(w *dlWorld) []struct{ method, path, body string } {
	return []struct{ method, path, body string }{
		{"POST", "/api/v1/cohorts", fmt.Sprintf(`{"data": {"type": "cohort", "attributes": {"contract_id": "%d", "name": "Intruder", "mode": "online",
			"la_codes": ["E09000002"], "starts_on": "2025-09-01", "ends_on": "2026-03-31", "capacity": 12}}}`, w.contract1)},
		{"POST", "/api/v1/cohorts/" + w.cohort("k1") + "/sessions", `{"data": {"type": "session", "attributes": {"date": "2025-06-10", "minutes": 360, "mode": "online", "topic": "Intrusion"}}}`},
		{"PUT", "/api/v1/sessions/" + w.session("s1") + "/attendance", fmt.Sprintf(`{"data": {"type": "attendance", "attributes": {"register_version": 1,
			"marks": [{"application_id": "%s", "mark": "absent"}]}}}`, w.app("enrolled"))},
		{"POST", "/api/v1/applications", fmt.Sprintf(`{"data": {"type": "application", "attributes": {"practitioner_id": "%d", "setting_urn": "EY000002", "programme_id": "%d"}}}`, w.spare, w.programme)},
		{"POST", "/api/v1/applications/" + w.app("eligible") + "/accept", fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s"}}}`, w.cohort("k1b"))},
		{"POST", "/api/v1/applications/" + w.app("eligible") + "/reject", `{"data": {"attributes": {"reason": "Not eligible"}}}`},
		{"POST", "/api/v1/applications/" + w.app("enrolled") + "/defer", `{}`},
		{"POST", "/api/v1/applications/" + w.app("enrolled") + "/resume", fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s"}}}`, w.cohort("k1b"))},
		{"POST", "/api/v1/applications/" + w.app("enrolled") + "/withdraw", `{"data": {"attributes": {"reason": "workload", "date": "2025-05-31"}}}`},
		{"POST", "/api/v1/applications/" + w.app("enrolled") + "/transfer", fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s"}}}`, w.cohort("k1b"))},
	}
}

// TestDeliveryWritesRefused sends every write with every token that may
// not make it: 403 for a role without the permission, 404 or 422 for
// another supplier's records; and nothing changes.
func TestDeliveryWritesRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		snap, audit := dlSnapshot(t, f, w), dlLastAudit(t, f)
		writes := dlWrites(w)

		// Roles without the permission (the programme team, LA officers,
		// the awarding organisation), and roles that may not use the API
		// at all (a trainer, even of the cohort; a setting manager; a
		// learner): 403 before anything is read.
		for _, tok := range append([]string{"programme", "laA", "laB", "ao"}, forbiddenTokens...) {
			for _, wr := range writes {
				res := dlDo(t, f, wr.method, tok, wr.path, wr.body, "")
				if res.Status != http.StatusForbidden {
					t.Errorf("%s %s by %s: %d %s", wr.method, wr.path, tok, res.Status, res.Body)
				}
			}
		}
		// Reads too: no token is 401; roles that may not use the API (a
		// trainer, even of the cohort) are 403.
		for _, p := range []string{"/api/v1/cohorts", "/api/v1/cohorts/" + w.cohort("k1"), "/api/v1/cohorts/" + w.cohort("k1") + "/sessions",
			"/api/v1/sessions/" + w.session("s1"), "/api/v1/sessions/" + w.session("s1") + "/attendance",
			"/api/v1/applications", "/api/v1/applications/" + w.app("enrolled"), "/api/v1/learners"} {
			if res := f.get(t, "", p); res.Status != http.StatusUnauthorized {
				t.Errorf("GET %s without a token: %d", p, res.Status)
			}
			for _, tok := range forbiddenTokens {
				if res := f.get(t, tok, p); res.Status != http.StatusForbidden {
					t.Errorf("GET %s by %s: %d", p, tok, res.Status)
				}
			}
		}

		// Another supplier: supplier1's records are not there for it.
		want := map[string]struct {
			status  int
			pointer string
		}{
			"/api/v1/cohorts":      {http.StatusUnprocessableEntity, "/data/attributes/contract_id"},
			"/api/v1/applications": {http.StatusUnprocessableEntity, "/data/attributes/practitioner_id"},
		}
		for _, wr := range writes {
			res := dlDo(t, f, wr.method, "supplier2", wr.path, wr.body, "")
			exp, ok := want[wr.path]
			if !ok {
				exp.status = http.StatusNotFound
			}
			if res.Status != exp.status || (exp.pointer != "" && !slices.Equal(dlPointers(res), []string{exp.pointer})) {
				t.Errorf("%s %s by supplier2: %d %s", wr.method, wr.path, res.Status, res.Body)
			}
		}
		// supplier2's own applicant onto supplier1's cohort: that cohort is
		// not one of its own.
		res := dlDo(t, f, "POST", "supplier2", "/api/v1/applications/"+w.app("leeds2")+"/accept",
			fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s"}}}`, w.cohort("k1")), "")
		if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), []string{"/data/attributes/cohort_id"}) {
			t.Errorf("placing on another supplier's cohort: %d %s", res.Status, res.Body)
		}
		res = dlDo(t, f, "POST", "supplier2", "/api/v1/applications/"+w.app("leeds")+"/transfer",
			fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s"}}}`, w.cohort("k1b")), "")
		if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), []string{"/data/attributes/cohort_id"}) {
			t.Errorf("transfer to another supplier's cohort: %d %s", res.Status, res.Body)
		}
		// supplier1 applying from a setting its contract does not serve
		// (Leeds): refused, and no application is left behind.
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/applications",
			fmt.Sprintf(`{"data": {"type": "application", "attributes": {"practitioner_id": "%d", "setting_urn": "EY000011", "programme_id": "%d"}}}`, w.spare, w.programme), "")
		if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), []string{"/data/attributes/setting_urn"}) {
			t.Errorf("applying outside the contract: %d %s", res.Status, res.Body)
		}
		// A cohort serving an authority outside the contract.
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", fmt.Sprintf(`{"data": {"type": "cohort", "attributes": {"contract_id": "%d", "name": "Leeds too",
			"mode": "online", "la_codes": ["%s", "%s"], "starts_on": "2025-09-01", "ends_on": "2026-03-31", "capacity": 12}}}`, w.contract1, laA, laB), "")
		if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), []string{"/data/attributes/la_codes"}) ||
			!strings.Contains(res.Doc.Errors[0].Detail, laB) {
			t.Errorf("cohort outside the contract: %d %s", res.Status, res.Body)
		}
		dlUnchanged(t, f, w, snap, audit, "refused writes")
	})
}

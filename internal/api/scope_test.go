package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"senco/internal/store"
	"senco/internal/store/storetest"
)

// visible is what each API token may see, by kind of record: the
// expectations of DESIGN.md section 2, written out by hand rather than
// derived from package policy, so a policy or store mistake shows here.
var visible = map[string]map[string][]string{
	"programme": {
		"settings":      {"EY000001", "EY000002", "EY000003", "EY000004", "EY000011", "EY000012", "2600001"},
		"practitioners": {"pA", "pB", "pS1", "pS2", "pLA"},
		"employments":   {"eA", "eB", "eS1a", "eS1b", "eS2"},
	},
	"supplier1": {
		"settings":      {"EY000001", "EY000002", "EY000003", "EY000004", "EY000011", "EY000012", "2600001"},
		"practitioners": {"pS1"},
		"employments":   {"eS1a", "eS1b"},
	},
	"supplier2": {
		"settings":      {"EY000001", "EY000002", "EY000003", "EY000004", "EY000011", "EY000012", "2600001"},
		"practitioners": {"pS2"},
		"employments":   {"eS2"},
	},
	"laA": {
		"settings": {"EY000001", "EY000002", "EY000003", "EY000004"},
		// pS1 once worked at EY000002; pLA was recorded by the LA itself.
		"practitioners": {"pA", "pS1", "pS2", "pLA"},
		// pS1's current job in Leeds is not Barking's business.
		"employments": {"eA", "eS1a", "eS2"},
	},
	"laB": {
		"settings":      {"EY000011", "EY000012"},
		"practitioners": {"pB", "pS1"},
		"employments":   {"eB", "eS1b"},
	},
	"ao": {
		"settings":      {"EY000001", "EY000002", "EY000003", "EY000004", "EY000011", "EY000012", "2600001"},
		"practitioners": {},
		"employments":   {},
	},
}

// TestScope requests every route with every token, and every record by id
// with every token: what is out of scope is 404 and never in a list.
func TestScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		all := visible["programme"]
		// resolve turns fixture names (pA, eS1b) into ids.
		resolve := func(names []string) []string {
			out := make([]string, len(names))
			for i, n := range names {
				if id, ok := f.ids[n]; ok {
					out[i] = id
				} else {
					out[i] = n
				}
			}
			return out
		}
		for _, tok := range apiTokens {
			t.Run(tok, func(t *testing.T) {
				for kind, names := range visible[tok] {
					want := resolve(names)
					everything := resolve(all[kind])
					res := f.get(t, tok, "/api/v1/"+kind+"?page[size]=1000")
					if res.Status != http.StatusOK {
						t.Fatalf("GET %s: %d %s", kind, res.Status, res.Body)
					}
					got := res.ids(t)
					for _, id := range everything {
						in, should := slices.Contains(got, id), slices.Contains(want, id)
						switch {
						case should && !in:
							t.Errorf("GET /api/v1/%s: %s missing", kind, id)
						case in && !should:
							t.Errorf("GET /api/v1/%s: %s is out of scope but listed", kind, id)
						}
					}
					if len(got) != len(want) || res.Doc.Meta.Page.TotalItems != len(want) {
						t.Errorf("GET /api/v1/%s: %d records, total_items %d; want %d", kind, len(got), res.Doc.Meta.Page.TotalItems, len(want))
					}
					// Each record by id, guessing the others' ids too.
					for _, id := range everything {
						path := "/api/v1/" + kind + "/" + id
						res := f.get(t, tok, path)
						wantStatus := http.StatusNotFound
						if slices.Contains(want, id) {
							wantStatus = http.StatusOK
						}
						if res.Status != wantStatus {
							t.Errorf("GET %s: %d, want %d: %s", path, res.Status, wantStatus, res.Body)
							continue
						}
						if wantStatus == http.StatusOK && res.ids(t)[0] != id {
							t.Errorf("GET %s: got record %v", path, res.ids(t))
						}
						if wantStatus == http.StatusNotFound && strings.Contains(string(res.Body), `"attributes"`) {
							t.Errorf("GET %s: 404 carries a record: %s", path, res.Body)
						}
					}
				}
				// Filters cannot widen the scope: asking for another
				// authority's settings or another setting's staff finds
				// nothing more than the scope allows.
				for _, path := range []string{
					"/api/v1/settings?filter[la]=" + laB,
					"/api/v1/practitioners?filter[setting]=EY000011",
					"/api/v1/employments?filter[setting]=EY000011",
					"/api/v1/employments?filter[practitioner]=" + f.id("pB"),
				} {
					res := f.get(t, tok, path)
					if res.Status != http.StatusOK {
						t.Fatalf("GET %s: %d %s", path, res.Status, res.Body)
					}
					kind := strings.TrimPrefix(path[:strings.Index(path, "?")], "/api/v1/")
					for _, id := range res.ids(t) {
						if !slices.Contains(resolve(visible[tok][kind]), id) {
							t.Errorf("GET %s: %s is out of scope but listed", path, id)
						}
					}
				}
				// Local authorities are reference data for every token.
				res := f.get(t, tok, "/api/v1/local-authorities")
				if res.Status != http.StatusOK || !slices.Equal(res.ids(t), []string{laA, laB}) {
					t.Errorf("GET local-authorities: %d %v", res.Status, res.ids(t))
				}
			})
		}
	})
}

// TestRefused checks every route of the route table but the public one
// refuses a missing or bad token (401) and a user whose role may not use
// the API (403), before anything is read.
func TestRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		type request struct{ method, path string }
		var paths []request
		for _, rt := range f.api.routes() {
			if !rt.Public {
				paths = append(paths, request{rt.Method, routePath(f, w, rt.Path)})
			}
		}
		cases := []struct {
			token  string
			status int
		}{
			{"", http.StatusUnauthorized},
			{"expired", http.StatusUnauthorized},
			{"revoked", http.StatusUnauthorized},
			{"senco_not-a-token", http.StatusUnauthorized},
			{"settingManager", http.StatusForbidden},
			{"trainer", http.StatusForbidden},
			{"learner", http.StatusForbidden},
		}
		for _, c := range cases {
			for _, p := range paths {
				var res response
				if p.method == http.MethodGet {
					res = f.get(t, c.token, p.path)
				} else {
					res = dlDo(t, f, p.method, c.token, p.path, "{}", "")
				}
				if res.Status != c.status {
					t.Errorf("%s %s with token %q: %d, want %d: %s", p.method, p.path, c.token, res.Status, c.status, res.Body)
					continue
				}
				if strings.Contains(string(res.Body), `"attributes"`) {
					t.Errorf("%s %s with token %q: refusal carries data: %s", p.method, p.path, c.token, res.Body)
				}
				if c.status == http.StatusUnauthorized && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s %s with token %q: WWW-Authenticate %q", p.method, p.path, c.token, res.Header.Get("WWW-Authenticate"))
				}
			}
		}
		// Other schemes and empty bearer values are refused too.
		for _, h := range []string{"Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", f.tokens["programme"]} {
			req, _ := http.NewRequest(http.MethodGet, "/api/v1/settings", nil)
			req.Header.Set("Authorization", h)
			rec := httptest.NewRecorder()
			f.h.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("Authorization %q: %d", h[:min(len(h), 12)], rec.Code)
			}
		}
		// The scheme is case-insensitive.
		req, _ := http.NewRequest(http.MethodGet, "/api/v1/settings", nil)
		req.Header.Set("Authorization", "bearer "+f.tokens["programme"])
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("lower-case bearer: %d", rec.Code)
		}
		// No secret ever reaches the logs.
		logs := f.logs.String()
		for name, secret := range f.tokens {
			if strings.Contains(logs, secret) || strings.Contains(logs, secret[len("senco_"):]) {
				t.Errorf("token %s appears in the logs", name)
			}
		}
		if !strings.Contains(logs, "status=401") || !strings.Contains(logs, "status=403") {
			t.Errorf("refusals not logged:\n%s", logs)
		}
	})
}

// matrixRequest is one request of the route matrix.
type matrixRequest struct {
	token, path, body string
}

// matrixCase is what the route matrix asks of one route of the API's
// route table, with the fixture's and the delivery seed's records.
type matrixCase struct {
	// denied are the tokens whose role may not use the route: 403 before
	// anything is read. The others of apiTokens may.
	denied []string
	// ok is a request the route answers 200, by a token that may use it,
	// on its own organisation's records. A builder may first make what
	// its request needs through the API (a write's target), so that no
	// case depends on another.
	ok func(t *testing.T, f *fixture, w *dlWorld) matrixRequest
	// foreign asks, with a token of another organisation (or authority),
	// for what ok's organisation holds: answered foreignStatus and never
	// with any of leak in the body, nor, for a list, any of hiddenIDs.
	// Nil for reference data, which belongs to no organisation.
	foreign       func(f *fixture, w *dlWorld) matrixRequest
	foreignStatus int
	leak          []string
	hiddenIDs     func(f *fixture, w *dlWorld) []string
}

// Who may not use a route: every read is open to every role that may use
// the API; a write only to a supplier admin.
var (
	readDenied  = forbiddenTokens
	writeDenied = append([]string{"programme", "laA", "laB", "ao"}, forbiddenTokens...)
)

// supplier1Names are what supplier1's records show of its people: the
// practitioner it recorded (pS1) and the learners of its cohorts (the
// delivery seed's Dee0 to Dee4).
var supplier1Names = []string{"Singh", "Dee0", "Dee1", "Dee2", "Dee3", "Dee4"}

func get(token, path string) func(f *fixture, w *dlWorld) matrixRequest {
	return func(f *fixture, w *dlWorld) matrixRequest { return matrixRequest{token: token, path: path} }
}

// routeMatrix is the case of every route, by "METHOD path" as the route
// table names it; TestScopeMatrix fails for a route without one.
func routeMatrix() map[string]matrixCase {
	read := func(path func(f *fixture, w *dlWorld) string) func(t *testing.T, f *fixture, w *dlWorld) matrixRequest {
		return func(t *testing.T, f *fixture, w *dlWorld) matrixRequest {
			return matrixRequest{token: "supplier1", path: path(f, w)}
		}
	}
	fixed := func(path string) func(f *fixture, w *dlWorld) string {
		return func(*fixture, *dlWorld) string { return path }
	}
	write := func(token, path, body string) matrixRequest {
		return matrixRequest{token: token, path: path, body: body}
	}
	placement := func(cohort string) string {
		return fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s"}}}`, cohort)
	}
	// action is a write to application app by token (and, foreign, by
	// other): 404 for the other supplier.
	action := func(token, app, verb string, body func(w *dlWorld) string, setup func(t *testing.T, f *fixture, w *dlWorld)) matrixCase {
		return matrixCase{
			denied: writeDenied,
			ok: func(t *testing.T, f *fixture, w *dlWorld) matrixRequest {
				if setup != nil {
					setup(t, f, w)
				}
				return write(token, "/api/v1/applications/"+w.app(app)+"/"+verb, body(w))
			},
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				other := map[string]string{"supplier1": "supplier2", "supplier2": "supplier1"}[token]
				return write(other, "/api/v1/applications/"+w.app(app)+"/"+verb, body(w))
			},
			foreignStatus: http.StatusNotFound,
			leak:          []string{"Dee"},
		}
	}
	listed := func(kind string, names ...string) func(f *fixture, w *dlWorld) []string {
		return func(f *fixture, w *dlWorld) []string {
			if kind == "people" {
				return resolveAll(f, names)
			}
			return dlIDs(w, kind, names)
		}
	}
	return map[string]matrixCase{
		"GET /api/v1/openapi.json": {
			ok: func(*testing.T, *fixture, *dlWorld) matrixRequest { return matrixRequest{path: "/api/v1/openapi.json"} },
		},
		"GET /api/v1/local-authorities": {
			denied: readDenied,
			ok:     read(fixed("/api/v1/local-authorities")),
		},
		"GET /api/v1/settings": {
			denied: readDenied,
			ok: func(*testing.T, *fixture, *dlWorld) matrixRequest {
				return matrixRequest{token: "laA", path: "/api/v1/settings"}
			},
			foreign:       get("laB", "/api/v1/settings?filter[la]="+laA),
			foreignStatus: http.StatusOK,
			leak:          []string{"Acorn Nursery", "IG11"},
		},
		"GET /api/v1/settings/{urn}": {
			denied: readDenied,
			ok: func(*testing.T, *fixture, *dlWorld) matrixRequest {
				return matrixRequest{token: "laA", path: "/api/v1/settings/EY000001"}
			},
			foreign:       get("laB", "/api/v1/settings/EY000001"),
			foreignStatus: http.StatusNotFound,
			leak:          []string{"Acorn Nursery", "IG11"},
		},
		"GET /api/v1/practitioners": {
			denied: readDenied,
			ok:     read(fixed("/api/v1/practitioners")),
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return matrixRequest{token: "supplier2", path: "/api/v1/practitioners?page[size]=1000"}
			},
			foreignStatus: http.StatusOK,
			leak:          supplier1Names,
			hiddenIDs:     listed("people", "pS1"),
		},
		"GET /api/v1/practitioners/{id}": {
			denied: readDenied,
			ok:     read(func(f *fixture, w *dlWorld) string { return "/api/v1/practitioners/" + f.id("pS1") }),
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return matrixRequest{token: "supplier2", path: "/api/v1/practitioners/" + f.id("pS1")}
			},
			foreignStatus: http.StatusNotFound,
			leak:          []string{"Singh", "sam@example.org"},
		},
		"GET /api/v1/employments": {
			denied:        readDenied,
			ok:            read(fixed("/api/v1/employments")),
			foreign:       get("supplier2", "/api/v1/employments?page[size]=1000"),
			foreignStatus: http.StatusOK,
			hiddenIDs:     listed("people", "eS1a", "eS1b"),
		},
		"GET /api/v1/employments/{id}": {
			denied: readDenied,
			ok:     read(func(f *fixture, w *dlWorld) string { return "/api/v1/employments/" + f.id("eS1a") }),
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return matrixRequest{token: "supplier2", path: "/api/v1/employments/" + f.id("eS1a")}
			},
			foreignStatus: http.StatusNotFound,
			leak:          []string{"EY000002"},
		},
		"GET /api/v1/cohorts": {
			denied:        readDenied,
			ok:            read(fixed("/api/v1/cohorts")),
			foreign:       get("supplier2", "/api/v1/cohorts?page[size]=1000"),
			foreignStatus: http.StatusOK,
			leak:          []string{"Barking and Barnet spring", "Barking summer", "First Training"},
			hiddenIDs:     listed("cohorts", "k1", "k1b"),
		},
		"POST /api/v1/cohorts": {
			denied: writeDenied,
			ok: func(t *testing.T, f *fixture, w *dlWorld) matrixRequest {
				return write("supplier1", "/api/v1/cohorts", fmt.Sprintf(`{"data": {"type": "cohort", "attributes": {"contract_id": "%d",
					"name": "Matrix autumn", "mode": "online", "la_codes": ["%s"], "starts_on": "2025-09-01", "ends_on": "2026-03-31", "capacity": 12}}}`, w.contract1, laA))
			},
			// Another supplier's contract is none of its own: a rule
			// refuses it at the attribute, saying nothing of the contract.
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return write("supplier2", "/api/v1/cohorts", fmt.Sprintf(`{"data": {"type": "cohort", "attributes": {"contract_id": "%d",
					"name": "Matrix intruder", "mode": "online", "la_codes": ["%s"], "starts_on": "2025-09-01", "ends_on": "2026-03-31", "capacity": 12}}}`, w.contract1, laA))
			},
			foreignStatus: http.StatusUnprocessableEntity,
			leak:          []string{"First Training", "National EY SENCO"},
		},
		"GET /api/v1/cohorts/{id}": {
			denied: readDenied,
			ok:     read(func(f *fixture, w *dlWorld) string { return "/api/v1/cohorts/" + w.cohort("k1") }),
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return get("supplier2", "/api/v1/cohorts/"+w.cohort("k1"))(f, w)
			},
			foreignStatus: http.StatusNotFound,
			leak:          []string{"Barking and Barnet spring"},
		},
		"GET /api/v1/cohorts/{id}/sessions": {
			denied: readDenied,
			ok:     read(func(f *fixture, w *dlWorld) string { return "/api/v1/cohorts/" + w.cohort("k1") + "/sessions" }),
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return get("supplier2", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions")(f, w)
			},
			foreignStatus: http.StatusNotFound,
			leak:          []string{"Town hall", "Identification"},
		},
		"POST /api/v1/cohorts/{id}/sessions": {
			denied: writeDenied,
			ok: func(t *testing.T, f *fixture, w *dlWorld) matrixRequest {
				return write("supplier1", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions",
					`{"data": {"type": "session", "attributes": {"date": "2025-06-10", "minutes": 360, "mode": "online", "topic": "Matrix"}}}`)
			},
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return write("supplier2", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions",
					`{"data": {"type": "session", "attributes": {"date": "2025-06-11", "minutes": 360, "mode": "online", "topic": "Intrusion"}}}`)
			},
			foreignStatus: http.StatusNotFound,
			leak:          []string{"Barking and Barnet spring"},
		},
		"GET /api/v1/sessions/{id}": {
			denied: readDenied,
			ok:     read(func(f *fixture, w *dlWorld) string { return "/api/v1/sessions/" + w.session("s1") }),
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return get("supplier2", "/api/v1/sessions/"+w.session("s1"))(f, w)
			},
			foreignStatus: http.StatusNotFound,
			leak:          []string{"Town hall", "Identification"},
		},
		"GET /api/v1/sessions/{id}/attendance": {
			denied: readDenied,
			ok:     read(func(f *fixture, w *dlWorld) string { return "/api/v1/sessions/" + w.session("s1") + "/attendance" }),
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return get("supplier2", "/api/v1/sessions/"+w.session("s1")+"/attendance")(f, w)
			},
			foreignStatus: http.StatusNotFound,
			leak:          supplier1Names,
		},
		"PUT /api/v1/sessions/{id}/attendance": {
			denied: writeDenied,
			// The register as it is now: its version, and one of its
			// learners marked absent.
			ok: func(t *testing.T, f *fixture, w *dlWorld) matrixRequest {
				path := "/api/v1/sessions/" + w.session("s1") + "/attendance"
				res := f.get(t, "supplier1", path)
				dlOK(t, "read the register", res)
				reg := dlRegister(t, res)
				if len(reg.Marks) == 0 {
					t.Fatalf("register of s1 is empty: %s", res.Body)
				}
				return write("supplier1", path, fmt.Sprintf(`{"data": {"type": "attendance", "attributes": {"register_version": %d,
					"marks": [{"application_id": "%s", "mark": "absent"}]}}}`, reg.Version, reg.Marks[0].ApplicationID))
			},
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return write("supplier2", "/api/v1/sessions/"+w.session("s1")+"/attendance", fmt.Sprintf(`{"data": {"type": "attendance",
					"attributes": {"register_version": 1, "marks": [{"application_id": "%s", "mark": "absent"}]}}}`, w.app("enrolled")))
			},
			foreignStatus: http.StatusNotFound,
			leak:          supplier1Names,
		},
		"GET /api/v1/applications": {
			denied:        readDenied,
			ok:            read(fixed("/api/v1/applications")),
			foreign:       get("supplier2", "/api/v1/applications?page[size]=1000"),
			foreignStatus: http.StatusOK,
			leak:          supplier1Names,
			hiddenIDs:     listed("applications", "enrolled", "barnet", "eligible", "eligible2", "withdrawn"),
		},
		"POST /api/v1/applications": {
			denied: writeDenied,
			ok: func(t *testing.T, f *fixture, w *dlWorld) matrixRequest {
				return write("supplier1", "/api/v1/applications", fmt.Sprintf(`{"data": {"type": "application", "attributes": {"practitioner_id": "%d",
					"setting_urn": "EY000002", "programme_id": "%d"}}}`, w.spare, w.programme))
			},
			// Another supplier's practitioner is none it recorded.
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return write("supplier2", "/api/v1/applications", fmt.Sprintf(`{"data": {"type": "application", "attributes": {"practitioner_id": "%d",
					"setting_urn": "EY000011", "programme_id": "%d"}}}`, w.spare, w.programme))
			},
			foreignStatus: http.StatusUnprocessableEntity,
			leak:          []string{"Dee7", "dl7@example.org"},
		},
		"GET /api/v1/applications/{id}": {
			denied: readDenied,
			ok:     read(func(f *fixture, w *dlWorld) string { return "/api/v1/applications/" + w.app("enrolled") }),
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return get("supplier2", "/api/v1/applications/"+w.app("enrolled"))(f, w)
			},
			foreignStatus: http.StatusNotFound,
			leak:          []string{"Dee0", "Acorn"},
		},
		"POST /api/v1/applications/{id}/accept": action("supplier1", "eligible", "accept",
			func(w *dlWorld) string { return placement(w.cohort("k1b")) }, nil),
		"POST /api/v1/applications/{id}/reject": action("supplier1", "eligible2", "reject",
			func(w *dlWorld) string { return `{"data": {"attributes": {"reason": "Not a PVI setting"}}}` }, nil),
		"POST /api/v1/applications/{id}/defer": action("supplier1", "barnet", "defer",
			func(w *dlWorld) string { return `{}` }, nil),
		// A deferred learner resumes: the builder defers one first.
		"POST /api/v1/applications/{id}/resume": action("supplier1", "enrolled", "resume",
			func(w *dlWorld) string { return placement(w.cohort("k1b")) },
			func(t *testing.T, f *fixture, w *dlWorld) {
				dlOK(t, "defer before resuming", dlDo(t, f, "POST", "supplier1", "/api/v1/applications/"+w.app("enrolled")+"/defer", `{}`, ""))
			}),
		"POST /api/v1/applications/{id}/withdraw": action("supplier2", "leeds2", "withdraw",
			func(w *dlWorld) string {
				return `{"data": {"attributes": {"reason": "workload", "date": "2025-05-31"}}}`
			}, nil),
		// A transfer needs a second cohort of the supplier's: the builder
		// makes one.
		"POST /api/v1/applications/{id}/transfer": action("supplier2", "leeds", "transfer",
			func(w *dlWorld) string {
				// Another supplier's try comes before the builder has made
				// the second cohort: it names the first.
				if _, made := w.cohorts["k2b"]; !made {
					return placement(w.cohort("k2"))
				}
				return placement(w.cohort("k2b"))
			},
			func(t *testing.T, f *fixture, w *dlWorld) {
				res := dlDo(t, f, "POST", "supplier2", "/api/v1/cohorts", fmt.Sprintf(`{"data": {"type": "cohort", "attributes": {"contract_id": "%d",
					"name": "Leeds summer", "mode": "online", "la_codes": ["%s"], "starts_on": "2025-05-01", "ends_on": "2025-12-31", "capacity": 5}}}`, w.contract2, laB), "")
				dlOK(t, "a second cohort to transfer to", res)
				id, _ := strconv.ParseInt(res.ids(t)[0], 10, 64)
				w.cohorts["k2b"] = id
			}),
		"GET /api/v1/learners": {
			denied:        readDenied,
			ok:            read(fixed("/api/v1/learners")),
			foreign:       get("supplier2", "/api/v1/learners?page[size]=1000"),
			foreignStatus: http.StatusOK,
			leak:          supplier1Names,
			hiddenIDs:     listed("applications", "enrolled", "barnet", "withdrawn"),
		},
		"GET /api/v1/coverage": {
			denied: readDenied,
			ok: func(*testing.T, *fixture, *dlWorld) matrixRequest {
				return matrixRequest{token: "laA", path: "/api/v1/coverage?area=la:" + laA}
			},
			// Another authority's figures are not there for an LA officer.
			foreign:       get("laB", "/api/v1/coverage?area=la:"+laA),
			foreignStatus: http.StatusNotFound,
			leak:          []string{"Barking and Dagenham", `"eligible"`},
		},
		"GET /api/v1/programmes/{id}/progress": {
			denied: readDenied,
			ok: read(func(f *fixture, w *dlWorld) string {
				return "/api/v1/programmes/" + strconv.FormatInt(w.programme, 10) + "/progress"
			}),
			// The programme is the programme team's; each supplier sees
			// itself among its suppliers, never another.
			foreign: func(f *fixture, w *dlWorld) matrixRequest {
				return get("supplier2", "/api/v1/programmes/"+strconv.FormatInt(w.programme, 10)+"/progress")(f, w)
			},
			foreignStatus: http.StatusOK,
			leak:          []string{"First Training"},
		},
	}
}

// routePath is a route's path with a record of the fixture in place of
// each wildcard: one of the organisation of supplier1 and authority laA.
func routePath(f *fixture, w *dlWorld, path string) string {
	prefix, _, _ := strings.Cut(strings.TrimPrefix(path, "/api/v1/"), "/")
	id := map[string]string{
		"practitioners": f.id("pA"),
		"employments":   f.id("eA"),
		"cohorts":       w.cohort("k1"),
		"sessions":      w.session("s1"),
		"applications":  w.app("enrolled"),
		"programmes":    strconv.FormatInt(w.programme, 10),
	}[prefix]
	return strings.NewReplacer("{id}", id, "{urn}", "EY000001").Replace(path)
}

// resolveAll turns fixture names (pS1, eS1a) into ids.
func resolveAll(f *fixture, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = f.id(n)
	}
	return out
}

// TestScopeMatrix requests every route of the route table, which it reads
// itself so that a route added without a case fails here: without a token
// (401), with every role that may not use the route (403), with a token of
// another organisation asking for what is not its own (404, or the
// refusal the conventions give, with none of the record in the body), and
// with a role that may (200). On both databases.
func TestScopeMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		matrix := routeMatrix()
		routes := f.api.routes()
		for _, rt := range routes {
			if _, ok := matrix[rt.Method+" "+rt.Path]; !ok {
				t.Errorf("route %s %s has no case in the matrix", rt.Method, rt.Path)
			}
		}
		if len(matrix) != len(routes) {
			t.Errorf("the matrix has %d cases for %d routes", len(matrix), len(routes))
		}
		if t.Failed() {
			return
		}

		// Refusals first: none of them may change anything.
		snap, audit := dlSnapshot(t, f, w), dlLastAudit(t, f)
		for _, rt := range routes {
			key := rt.Method + " " + rt.Path
			mc := matrix[key]
			t.Run("refused "+key, func(t *testing.T) {
				if rt.Public {
					return
				}
				// A refusal is given before anything is read, so the
				// request is the route's path with one of the fixture's
				// records, and a body that would not do.
				req := matrixRequest{path: routePath(f, w, rt.Path), body: "{}"}
				for _, tok := range []string{"", "expired", "revoked", "senco_not-a-token"} {
					if res := dlDo(t, f, rt.Method, tok, req.path, req.body, ""); res.Status != http.StatusUnauthorized {
						t.Errorf("token %q: %d, want 401: %s", tok, res.Status, res.Body)
					}
				}
				for _, tok := range mc.denied {
					if res := dlDo(t, f, rt.Method, tok, req.path, req.body, ""); res.Status != http.StatusForbidden {
						t.Errorf("%s: %d, want 403: %s", tok, res.Status, res.Body)
					}
				}
				// Every other role may use the route: whatever it is
				// answered, it is not refused for its role.
				if rt.Method == http.MethodGet {
					for _, tok := range apiTokens {
						if slices.Contains(mc.denied, tok) {
							continue
						}
						if res := dlDo(t, f, rt.Method, tok, req.path, "", ""); res.Status == http.StatusForbidden || res.Status == http.StatusUnauthorized {
							t.Errorf("%s may use the route but got %d: %s", tok, res.Status, res.Body)
						}
					}
				}
				if mc.foreign == nil {
					return
				}
				fr := mc.foreign(f, w)
				res := dlDo(t, f, rt.Method, fr.token, fr.path, fr.body, "")
				if res.Status != mc.foreignStatus {
					t.Fatalf("%s %s by %s: %d, want %d: %s", rt.Method, fr.path, fr.token, res.Status, mc.foreignStatus, res.Body)
				}
				for _, s := range mc.leak {
					if strings.Contains(string(res.Body), s) {
						t.Errorf("%s %s by %s carries %q of another organisation: %s", rt.Method, fr.path, fr.token, s, res.Body)
					}
				}
				if mc.hiddenIDs != nil {
					got := res.ids(t)
					for _, id := range mc.hiddenIDs(f, w) {
						if slices.Contains(got, id) {
							t.Errorf("%s %s by %s lists %s of another organisation", rt.Method, fr.path, fr.token, id)
						}
					}
				}
			})
		}
		dlUnchanged(t, f, w, snap, audit, "refused requests")

		// Then what is permitted, in the table's order; each case's builder
		// makes what it needs.
		for _, rt := range routes {
			key := rt.Method + " " + rt.Path
			t.Run("permitted "+key, func(t *testing.T) {
				req := matrix[key].ok(t, f, w)
				if rt.Public != (req.token == "") {
					t.Fatalf("case token %q for a route public=%v", req.token, rt.Public)
				}
				var res response
				if rt.Public {
					res = f.get(t, "", req.path)
				} else {
					res = dlDo(t, f, rt.Method, req.token, req.path, req.body, "")
				}
				if res.Status != http.StatusOK {
					t.Fatalf("%s %s by %s: %d %s", rt.Method, req.path, req.token, res.Status, res.Body)
				}
				if !rt.Public && len(res.Doc.Data) == 0 {
					t.Errorf("%s %s by %s: no data: %s", rt.Method, req.path, req.token, res.Body)
				}
			})
		}
	})
}

package api

import (
	"fmt"
	"maps"
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
		resolve := func(names []string) []string { return resolveAll(f, names) }
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
	// on its own organisation's records. It may first make what its
	// request needs through the API (a write's target), so that no case
	// depends on another.
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

// pathOf is a route's path with the fixture's records in it.
type pathOf func(f *fixture, w *dlWorld) string

func fixed(path string) pathOf { return func(*fixture, *dlWorld) string { return path } }

// readCase is a read that own makes of its organisation's records, and
// other, of another organisation, is answered status (404 for a record,
// 200 for a list) without any of leak.
func readCase(own, other string, path, otherPath pathOf, status int, leak ...string) matrixCase {
	return matrixCase{
		denied: readDenied,
		ok: func(t *testing.T, f *fixture, w *dlWorld) matrixRequest {
			return matrixRequest{token: own, path: path(f, w)}
		},
		foreign:       func(f *fixture, w *dlWorld) matrixRequest { return matrixRequest{token: other, path: otherPath(f, w)} },
		foreignStatus: status,
		leak:          leak,
	}
}

// supplierRecord is a read of one of supplier1's records: supplier2 is
// told there is no such record.
func supplierRecord(path pathOf, leak ...string) matrixCase {
	return readCase("supplier1", "supplier2", path, path, http.StatusNotFound, leak...)
}

// supplierList is a list: supplier2's lists none of supplier1's records
// (hidden, by the names dlIDs or the fixture give them).
func supplierList(path, kind string, hidden []string, leak ...string) matrixCase {
	c := readCase("supplier1", "supplier2", fixed(path), fixed(path+"?page[size]=1000"), http.StatusOK, leak...)
	if hidden != nil {
		c.hiddenIDs = func(f *fixture, w *dlWorld) []string {
			if kind == "" {
				return resolveAll(f, hidden)
			}
			return dlIDs(w, kind, hidden)
		}
	}
	return c
}

// writeCase is a write own makes to its organisation's records (setup, if
// any, first makes what it needs), and other is refused with status,
// saying nothing of them.
func writeCase(own, other, path string, body func(w *dlWorld) string, setup func(t *testing.T, f *fixture, w *dlWorld), status int, leak ...string) matrixCase {
	return writeCaseOf(own, other, fixed(path), body, body, setup, status, leak...)
}

func writeCaseOf(own, other string, path pathOf, body, otherBody func(w *dlWorld) string, setup func(t *testing.T, f *fixture, w *dlWorld), status int, leak ...string) matrixCase {
	return matrixCase{
		denied: writeDenied,
		ok: func(t *testing.T, f *fixture, w *dlWorld) matrixRequest {
			if setup != nil {
				setup(t, f, w)
			}
			return matrixRequest{token: own, path: path(f, w), body: body(w)}
		},
		foreign: func(f *fixture, w *dlWorld) matrixRequest {
			return matrixRequest{token: other, path: path(f, w), body: otherBody(w)}
		},
		foreignStatus: status,
		leak:          leak,
	}
}

// action is an action on application app of token's organisation: the
// other supplier is told there is no such application.
func action(token, app, verb string, body func(w *dlWorld) string, setup func(t *testing.T, f *fixture, w *dlWorld)) matrixCase {
	other := map[string]string{"supplier1": "supplier2", "supplier2": "supplier1"}[token]
	path := func(f *fixture, w *dlWorld) string { return "/api/v1/applications/" + w.app(app) + "/" + verb }
	return writeCaseOf(token, other, path, body, body, setup, http.StatusNotFound, "Dee")
}

func cohortBody(contract int64, name, la, starts, ends string) string {
	return fmt.Sprintf(`{"data": {"type": "cohort", "attributes": {"contract_id": "%d", "name": %q, "mode": "online",
		"la_codes": [%q], "starts_on": %q, "ends_on": %q, "capacity": 5}}}`, contract, name, la, starts, ends)
}

func placement(cohort string) string {
	return fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s"}}}`, cohort)
}

// routeMatrix is the case of every route, by "METHOD path" as the route
// table names it; TestScopeMatrix fails for a route without one.
func routeMatrix() map[string]matrixCase {
	cohort := func(name, rest string) pathOf {
		return func(f *fixture, w *dlWorld) string { return "/api/v1/cohorts/" + w.cohort(name) + rest }
	}
	session := func(name, rest string) pathOf {
		return func(f *fixture, w *dlWorld) string { return "/api/v1/sessions/" + w.session(name) + rest }
	}
	progress := func(f *fixture, w *dlWorld) string {
		return "/api/v1/programmes/" + strconv.FormatInt(w.programme, 10) + "/progress"
	}
	m := map[string]matrixCase{
		"GET /api/v1/openapi.json": {
			ok: func(*testing.T, *fixture, *dlWorld) matrixRequest { return matrixRequest{path: "/api/v1/openapi.json"} },
		},
		// Reference data: no organisation's.
		"GET /api/v1/local-authorities": {
			denied: readDenied,
			ok: func(*testing.T, *fixture, *dlWorld) matrixRequest {
				return matrixRequest{token: "supplier1", path: "/api/v1/local-authorities"}
			},
		},
		"GET /api/v1/settings": readCase("laA", "laB", fixed("/api/v1/settings"), fixed("/api/v1/settings?filter[la]="+laA),
			http.StatusOK, "Acorn Nursery", "IG11"),
		"GET /api/v1/settings/{urn}": readCase("laA", "laB", fixed("/api/v1/settings/EY000001"), fixed("/api/v1/settings/EY000001"),
			http.StatusNotFound, "Acorn Nursery", "IG11"),
		"GET /api/v1/practitioners": supplierList("/api/v1/practitioners", "", []string{"pS1"}, supplier1Names...),
		"GET /api/v1/practitioners/{id}": supplierRecord(func(f *fixture, w *dlWorld) string { return "/api/v1/practitioners/" + f.id("pS1") },
			"Singh", "sam@example.org"),
		"GET /api/v1/employments": supplierList("/api/v1/employments", "", []string{"eS1a", "eS1b"}),
		"GET /api/v1/employments/{id}": supplierRecord(func(f *fixture, w *dlWorld) string { return "/api/v1/employments/" + f.id("eS1a") },
			"EY000002"),
		"GET /api/v1/cohorts": supplierList("/api/v1/cohorts", "cohorts", []string{"k1", "k1b"},
			"Barking and Barnet spring", "Barking summer", "First Training"),
		// Another supplier's contract is none of its own: a rule refuses
		// it at the attribute, saying nothing of the contract.
		"POST /api/v1/cohorts": writeCase("supplier1", "supplier2", "/api/v1/cohorts",
			func(w *dlWorld) string {
				return cohortBody(w.contract1, "Matrix autumn", laA, "2025-09-01", "2026-03-31")
			}, nil,
			http.StatusUnprocessableEntity, "First Training", "National EY SENCO"),
		"GET /api/v1/cohorts/{id}":          supplierRecord(cohort("k1", ""), "Barking and Barnet spring"),
		"GET /api/v1/cohorts/{id}/sessions": supplierRecord(cohort("k1", "/sessions"), "Town hall", "Identification"),
		"POST /api/v1/cohorts/{id}/sessions": writeCaseOf("supplier1", "supplier2", cohort("k1", "/sessions"), func(w *dlWorld) string {
			return `{"data": {"type": "session", "attributes": {"date": "2025-06-10", "minutes": 360, "mode": "online", "topic": "Matrix"}}}`
		}, func(w *dlWorld) string {
			return `{"data": {"type": "session", "attributes": {"date": "2025-06-11", "minutes": 360, "mode": "online", "topic": "Intrusion"}}}`
		}, nil, http.StatusNotFound, "Barking and Barnet spring"),
		"GET /api/v1/sessions/{id}":            supplierRecord(session("s1", ""), "Town hall", "Identification"),
		"GET /api/v1/sessions/{id}/attendance": supplierRecord(session("s1", "/attendance"), supplier1Names...),
		"PUT /api/v1/sessions/{id}/attendance": func() matrixCase {
			// The register as it is now: its version, and one of its
			// learners marked absent.
			var reg dlReg
			marks := func(version int, app string) string {
				return fmt.Sprintf(`{"data": {"type": "attendance", "attributes": {"register_version": %d,
					"marks": [{"application_id": "%s", "mark": "absent"}]}}}`, version, app)
			}
			return writeCaseOf("supplier1", "supplier2", session("s1", "/attendance"),
				func(w *dlWorld) string { return marks(reg.Version, reg.Marks[0].ApplicationID) },
				func(w *dlWorld) string { return marks(1, w.app("enrolled")) },
				func(t *testing.T, f *fixture, w *dlWorld) {
					res := f.get(t, "supplier1", "/api/v1/sessions/"+w.session("s1")+"/attendance")
					dlOK(t, "read the register", res)
					if reg = dlRegister(t, res); len(reg.Marks) == 0 {
						t.Fatalf("register of s1 is empty: %s", res.Body)
					}
				}, http.StatusNotFound, supplier1Names...)
		}(),
		"GET /api/v1/applications": supplierList("/api/v1/applications", "applications",
			[]string{"enrolled", "barnet", "eligible", "eligible2", "withdrawn"}, supplier1Names...),
		// Another supplier's practitioner is none it recorded.
		"POST /api/v1/applications": writeCase("supplier1", "supplier2", "/api/v1/applications", func(w *dlWorld) string {
			return fmt.Sprintf(`{"data": {"type": "application", "attributes": {"practitioner_id": "%d", "setting_urn": "EY000002",
				"programme_id": "%d"}}}`, w.spare, w.programme)
		}, nil, http.StatusUnprocessableEntity, "Dee7", "dl7@example.org"),
		"GET /api/v1/applications/{id}": supplierRecord(func(f *fixture, w *dlWorld) string { return "/api/v1/applications/" + w.app("enrolled") },
			"Dee0", "Acorn"),
		"POST /api/v1/applications/{id}/accept": action("supplier1", "eligible", "accept",
			func(w *dlWorld) string { return placement(w.cohort("k1b")) }, nil),
		"POST /api/v1/applications/{id}/reject": action("supplier1", "eligible2", "reject",
			func(w *dlWorld) string { return `{"data": {"attributes": {"reason": "Not a PVI setting"}}}` }, nil),
		"POST /api/v1/applications/{id}/defer": action("supplier1", "barnet", "defer",
			func(w *dlWorld) string { return `{}` }, nil),
		// A deferred learner resumes: the case defers one first.
		"POST /api/v1/applications/{id}/resume": action("supplier1", "enrolled", "resume",
			func(w *dlWorld) string { return placement(w.cohort("k1b")) },
			func(t *testing.T, f *fixture, w *dlWorld) {
				dlOK(t, "defer before resuming", dlDo(t, f, "POST", "supplier1", "/api/v1/applications/"+w.app("enrolled")+"/defer", `{}`, ""))
			}),
		"POST /api/v1/applications/{id}/withdraw": action("supplier2", "leeds2", "withdraw",
			func(w *dlWorld) string {
				return `{"data": {"attributes": {"reason": "workload", "date": "2025-05-31"}}}`
			}, nil),
		// A transfer needs a second cohort of the supplier's: the case
		// makes one. Another supplier's try comes before it is made, and
		// names the first.
		"POST /api/v1/applications/{id}/transfer": action("supplier2", "leeds", "transfer",
			func(w *dlWorld) string {
				if _, made := w.cohorts["k2b"]; !made {
					return placement(w.cohort("k2"))
				}
				return placement(w.cohort("k2b"))
			},
			func(t *testing.T, f *fixture, w *dlWorld) {
				res := dlDo(t, f, "POST", "supplier2", "/api/v1/cohorts", cohortBody(w.contract2, "Leeds summer", laB, "2025-05-01", "2025-12-31"), "")
				dlOK(t, "a second cohort to transfer to", res)
				id, _ := strconv.ParseInt(res.ids(t)[0], 10, 64)
				w.cohorts["k2b"] = id
			}),
		"GET /api/v1/learners": supplierList("/api/v1/learners", "applications", []string{"enrolled", "barnet", "withdrawn"}, supplier1Names...),
		// Another authority's figures are not there for an LA officer.
		"GET /api/v1/coverage": readCase("laA", "laB", fixed("/api/v1/coverage?area=la:"+laA), fixed("/api/v1/coverage?area=la:"+laA),
			http.StatusNotFound, "Barking and Dagenham", `"eligible"`),
		// The programme is the programme team's; each supplier sees itself
		// among its suppliers, never another.
		"GET /api/v1/programmes/{id}/progress": readCase("supplier1", "supplier2", progress, progress, http.StatusOK, "First Training"),

		// Money: a supplier's contracts, declarations, statements and the
		// claims of its learners' settings are its own.
		"GET /api/v1/contracts": func() matrixCase {
			c := supplierList("/api/v1/contracts", "", nil, "First Training")
			c.hiddenIDs = func(f *fixture, w *dlWorld) []string { return []string{strconv.FormatInt(w.contract1, 10)} }
			return c
		}(),
		"GET /api/v1/contracts/{id}": supplierRecord(func(f *fixture, w *dlWorld) string {
			return "/api/v1/contracts/" + strconv.FormatInt(w.contract1, 10)
		}, "First Training"),
		"GET /api/v1/declarations":      supplierList("/api/v1/declarations", "money", []string{"declaration"}, supplier1Names...),
		"GET /api/v1/declarations/{id}": supplierRecord(money("/api/v1/declarations/", "declaration", ""), supplier1Names...),
		// The learner deferred by the defer case above attended the first
		// session of the cohort they left: started is supported.
		"POST /api/v1/declarations": writeCase("supplier1", "supplier2", "/api/v1/declarations", func(w *dlWorld) string {
			return fmt.Sprintf(`{"data": {"type": "declaration", "attributes": {"application_id": "%s", "milestone": "started", "declared_on": "2025-05-12"}}}`, w.app("barnet"))
		}, nil, http.StatusNotFound, supplier1Names...),
		"POST /api/v1/declarations/{id}/void": writeCaseOf("supplier1", "supplier2", money("/api/v1/declarations/", "declaration", "/void"),
			voidBody, voidBody, nil, http.StatusNotFound, supplier1Names...),
		"GET /api/v1/statements":      supplierList("/api/v1/statements", "money", []string{"statement"}, "First Training"),
		"GET /api/v1/statements/{id}": supplierRecord(money("/api/v1/statements/", "statement", ""), supplier1Names...),
		"GET /api/v1/claims":          supplierList("/api/v1/claims", "money", []string{"claim"}, supplier1Names...),
		// Growth: an LA reads the self-reviews and ratings shared with it,
		// never another authority's; the programme team reads none
		// individually (growth_test.go).
		"GET /api/v1/self-reviews": func() matrixCase {
			c := readCase("laA", "laB", fixed("/api/v1/self-reviews"), fixed("/api/v1/self-reviews?page[size]=1000"), http.StatusOK, growthLeak...)
			c.hiddenIDs = func(f *fixture, w *dlWorld) []string { return growthIDs(w, []string{"shared", "private"}) }
			return c
		}(),
		"GET /api/v1/self-reviews/{id}": readCase("laA", "laB", growthPath("/api/v1/self-reviews/", "shared"), growthPath("/api/v1/self-reviews/", "shared"),
			http.StatusNotFound, growthLeak...),
		"GET /api/v1/confidence-ratings": func() matrixCase {
			c := readCase("laA", "laB", fixed("/api/v1/confidence-ratings"), fixed("/api/v1/confidence-ratings?page[size]=1000"), http.StatusOK, `"scores"`)
			c.hiddenIDs = func(f *fixture, w *dlWorld) []string { return growthIDs(w, []string{"rating", "unshared-rating"}) }
			return c
		}(),
		"POST /api/v1/claims/{id}/verify": writeCaseOf("supplier1", "supplier2", money("/api/v1/claims/", "claim", "/verify"),
			verifyBody, verifyBody, nil, http.StatusNotFound, supplier1Names...),
	}
	maps.Copy(m, assessmentMatrix())
	return m
}

// money is the path of one of supplier1's money records.
func money(prefix, name, rest string) pathOf {
	return func(f *fixture, w *dlWorld) string { return prefix + dlID(w.money, name) + rest }
}

func voidBody(*dlWorld) string {
	return `{"data": {"attributes": {"reason": "Declared for the wrong learner"}}}`
}

func verifyBody(*dlWorld) string { return `{"data": {"attributes": {"verified": true}}}` }

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
		"contracts":     strconv.FormatInt(w.contract1, 10),
		"declarations":  dlID(w.money, "declaration"),
		"statements":    dlID(w.money, "statement"),
		"claims":        dlID(w.money, "claim"),
		"self-reviews":  dlID(w.growth, "shared"),
		"portfolios":    w.app("enrolled"),
		"qa-items":      dlID(w.assess, "item"),
		"certificates":  strconv.FormatInt(max(w.assess["certificate"], 1), 10),
	}[prefix]
	return strings.NewReplacer("{id}", id, "{urn}", "EY000001").Replace(path)
}

// resolveAll turns fixture names (pS1, eS1a) into ids; other names
// (settings' URNs) are their own ids.
func resolveAll(f *fixture, names []string) []string {
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
		certSeed(t, f, w)
		matrix := routeMatrix()
		routes := f.api.routes()
		for _, rt := range routes {
			mc, ok := matrix[rt.Method+" "+rt.Path]
			if !ok {
				t.Errorf("route %s %s has no case in the matrix", rt.Method, rt.Path)
			}
			// Its protection is named at the route: a write's permit, and
			// the scope of whatever reads an organisation's records.
			if rt.Method != http.MethodGet && rt.Permit.allows == nil {
				t.Errorf("write %s %s names no permit", rt.Method, rt.Path)
			}
			if ok && mc.foreign != nil && rt.Scope == nil {
				t.Errorf("route %s %s reads an organisation's records but names no scope", rt.Method, rt.Path)
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

package api

import (
	"net/http"
	"net/http/httptest"
	"slices"
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

// TestRefused checks every route refuses a missing or bad token (401) and
// a user whose role may not use the API (403), before anything is read.
func TestRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		paths := []string{
			"/api/v1/local-authorities",
			"/api/v1/settings",
			"/api/v1/settings/EY000001",
			"/api/v1/practitioners",
			"/api/v1/practitioners/" + f.id("pA"),
			"/api/v1/employments",
			"/api/v1/employments/" + f.id("eA"),
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
				res := f.get(t, c.token, p)
				if res.Status != c.status {
					t.Errorf("%s with token %q: %d, want %d: %s", p, c.token, res.Status, c.status, res.Body)
					continue
				}
				if strings.Contains(string(res.Body), `"attributes"`) {
					t.Errorf("%s with token %q: refusal carries data: %s", p, c.token, res.Body)
				}
				if c.status == http.StatusUnauthorized && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s with token %q: WWW-Authenticate %q", p, c.token, res.Header.Get("WWW-Authenticate"))
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

package web_test

import (
	"html"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"senco/internal/store"
	"senco/internal/store/storetest"
)

var hrefRE = regexp.MustCompile(`href="(/[^"#]*)`)

// links are the service's own links of a page: its navigation, its home's
// tasks and cards, the footer.
func links(body string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		l := html.UnescapeString(m[1])
		if strings.HasPrefix(l, "/static/") || strings.HasPrefix(l, "/api/") || seen[l] {
			continue
		}
		seen[l] = true
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// TestNoRoleIsOfferedALinkItMayNotFollow signs in as every role, opens the
// home and every page of the navigation, and follows every link they
// offer: none may answer forbidden or not found. The route table decides
// what each role may open (its policy at each line and the handlers'
// checks), so this holds each role's navigation and home to it.
func TestNoRoleIsOfferedALinkItMayNotFollow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.barking(t)
		for key := range f.users {
			c := f.client(t, key)
			code, home := get(t, c, f.srv.URL+"/")
			if code != http.StatusOK {
				t.Fatalf("%s home: %d", key, code)
			}
			offered := links(home)
			if len(offered) < 3 {
				t.Errorf("%s is offered only %v at home", key, offered)
			}
			for _, l := range offered {
				code, _ := get(t, c, f.srv.URL+l)
				if code == http.StatusForbidden || code == http.StatusNotFound || code >= 500 {
					t.Errorf("%s is offered %s at home, which answers %d", key, l, code)
				}
			}
		}
	})
}

// TestEveryRoleHasItsOwnHome: each role's home names its work.
func TestEveryRoleHasItsOwnHome(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db)
	f.barking(t)
	want := map[string][]string{
		"programme": {"Decide applications the rules could not", "Data quality", "National EY SENCO"},
		"sup1":      {"Place eligible applicants on a cohort", "Registers to take", "Cohorts starting"},
		"trainer":   {"Today&#39;s and coming sessions", "Registers to take"},
		"assessor":  {"Learners in training on your cohorts"},
		"iqa":       {"Quality assurance"},
		"ao":        {"Register learners", "Certify learners"},
		"la1":       {"Gap list", "Settings that lost their qualified SENCO", "coverage today"},
		"sm1":       {"Confirm your staff&#39;s applications", "Your staff and their SENCO training", "No SENCO training", "designated SENCO is not yet qualified"},
		"learner1":  {"Your SENCO training", "Apply for Level 3 Early Years SENCO training"},
	}
	for key, texts := range want {
		_, body := get(t, f.client(t, key), f.srv.URL+"/")
		for _, s := range texts {
			if !strings.Contains(body, s) {
				t.Errorf("%s's home does not say %q", key, s)
			}
		}
	}
}

package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"senco/internal/store"
	"senco/internal/store/storetest"
)

func TestPagination(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// By name, then URN; withheld names ("") first.
		byName := []string{"EY000002", "EY000012", "EY000001", "EY000003", "EY000011", "EY000004", "2600001"}
		res := f.get(t, "programme", "/api/v1/settings")
		if res.Status != http.StatusOK || !slices.Equal(res.ids(t), byName) {
			t.Fatalf("settings: %d %v, want %v", res.Status, res.ids(t), byName)
		}
		if m := res.Doc.Meta.Page; m.Number != 1 || m.Size != DefaultPageSize || m.TotalItems != 7 || m.TotalPages != 1 {
			t.Errorf("default meta: %+v", m)
		}
		var pages []string
		for n := 1; n <= 4; n++ {
			res := f.get(t, "programme", "/api/v1/settings?page[size]=2&page[number]="+strconv.Itoa(n))
			if res.Status != http.StatusOK {
				t.Fatalf("page %d: %d %s", n, res.Status, res.Body)
			}
			if m := res.Doc.Meta.Page; m.Number != n || m.Size != 2 || m.TotalItems != 7 || m.TotalPages != 4 {
				t.Errorf("page %d meta: %+v", n, m)
			}
			pages = append(pages, res.ids(t)...)
		}
		if !slices.Equal(pages, byName) {
			t.Errorf("pages together: %v, want %v", pages, byName)
		}
		// Past the end: an empty list, not null.
		res = f.get(t, "programme", "/api/v1/settings?page[size]=2&page[number]=5")
		if res.Status != http.StatusOK || string(res.Doc.Data) != "[]" || res.Doc.Meta.Page.Number != 5 {
			t.Errorf("past the end: %d %s", res.Status, res.Body)
		}
		res = f.get(t, "ao", "/api/v1/practitioners")
		if res.Status != http.StatusOK || string(res.Doc.Data) != "[]" || res.Doc.Meta.Page.TotalItems != 0 || res.Doc.Meta.Page.TotalPages != 0 {
			t.Errorf("empty list: %d %s", res.Status, res.Body)
		}
		// Every list pages the same way.
		for _, p := range []string{"local-authorities", "practitioners", "employments"} {
			res := f.get(t, "programme", "/api/v1/"+p+"?page[size]=1&page[number]=2")
			if res.Status != http.StatusOK || len(res.ids(t)) != 1 || res.Doc.Meta.Page.Number != 2 || res.Doc.Meta.Page.Size != 1 {
				t.Errorf("%s page 2 of size 1: %d %s", p, res.Status, res.Body)
			}
			if res.Doc.Meta.Page.TotalPages != res.Doc.Meta.Page.TotalItems {
				t.Errorf("%s: total_pages %d with size 1 and %d items", p, res.Doc.Meta.Page.TotalPages, res.Doc.Meta.Page.TotalItems)
			}
		}
		res = f.get(t, "programme", "/api/v1/settings?page[size]=1000")
		if res.Status != http.StatusOK {
			t.Errorf("page[size]=1000: %d", res.Status)
		}
	})
}

// TestBadInput checks malformed parameters are 400 with the parameter
// named and what was expected said.
func TestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cases := []struct {
			path, param, detail string
		}{
			{"/api/v1/settings?page[size]=1001", "page[size]", "from 1 to 1000"},
			{"/api/v1/practitioners?page[size]=1001", "page[size]", "from 1 to 1000"},
			{"/api/v1/employments?page[size]=0", "page[size]", "from 1 to 1000"},
			{"/api/v1/local-authorities?page[size]=many", "page[size]", "whole number"},
			{"/api/v1/settings?page[number]=0", "page[number]", "whole number"},
			{"/api/v1/settings?page[number]=99999999999999999999", "page[number]", "whole number"},
			{"/api/v1/settings?page[offset]=10", "page[offset]", "page[number]"},
			{"/api/v1/settings?filter[updated_since]=yesterday", "filter[updated_since]", "RFC 3339"},
			{"/api/v1/settings?updated_since=2025-01-31", "updated_since", "RFC 3339"},
			{"/api/v1/practitioners?filter[updated_since]=2025-13-01T00:00:00Z", "filter[updated_since]", "RFC 3339"},
			{"/api/v1/employments?filter[updated_since]=31/01/2025", "filter[updated_since]", "RFC 3339"},
			{"/api/v1/local-authorities?filter[updated_since]=31/01/2025", "filter[updated_since]", "RFC 3339"},
			{"/api/v1/local-authorities?filter[region]=London", "filter[region]", "E12000007"},
			{"/api/v1/settings?filter[la]=Leeds", "filter[la]", "GSS code"},
			{"/api/v1/settings?la=E0900000", "la", "GSS code"},
			{"/api/v1/settings?filter[type]=nursery", "filter[type]", "childminder, non_domestic"},
			{"/api/v1/settings?type=nursery", "type", "childminder"},
			{"/api/v1/settings?filter[status]=open", "filter[status]", "active or closed"},
			{"/api/v1/settings?filter[register]=eyfs", "filter[register]", "eyr, ccr, vcr"},
			{"/api/v1/settings?filter[q]=" + strings.Repeat("a", 101), "filter[q]", "at most 100"},
			{"/api/v1/settings?filter[la]=" + laA + "&la=" + laB, "la", "disagree"},
			{"/api/v1/settings?filter[la]=" + laA + "&filter[la]=" + laB, "filter[la]", "once"},
			{"/api/v1/settings?filter[town]=Leeds", "filter[town]", "filter[la]"},
			{"/api/v1/settings?sort=-name", "sort", "name, updated_at"},
			{"/api/v1/practitioners?sort=name", "sort", "fixed order"},
			{"/api/v1/practitioners?filter[setting]=not-a-urn", "filter[setting]", "URN"},
			{"/api/v1/practitioners?filter[practitioner]=1", "filter[practitioner]", "filter[q]"},
			{"/api/v1/employments?filter[practitioner]=abc", "filter[practitioner]", "positive whole number"},
			{"/api/v1/employments?filter[current_on]=31/01/2025", "filter[current_on]", "YYYY-MM-DD"},
			{"/api/v1/employments?filter[setting]=EY-1", "filter[setting]", "URN"},
		}
		for _, c := range cases {
			res := f.get(t, "programme", c.path)
			if res.Status != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400: %s", c.path, res.Status, res.Body)
				continue
			}
			e := res.Doc.Errors[0]
			if e.Source == nil || e.Source.Parameter != c.param {
				t.Errorf("%s: source %+v, want parameter %s", c.path, e.Source, c.param)
			}
			if !strings.Contains(e.Detail, c.detail) {
				t.Errorf("%s: detail %q does not say %q", c.path, e.Detail, c.detail)
			}
		}
		// Unknown parameters outside filter[…] and page[…] are ignored.
		if res := f.get(t, "programme", "/api/v1/settings?_=123&include=x"); res.Status != http.StatusOK {
			t.Errorf("unknown plain parameters: %d", res.Status)
		}
	})
}

func TestFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cases := []struct {
			path string
			want []string // fixture names or URNs, in order
		}{
			{"/api/v1/local-authorities?filter[region]=" + regionA, []string{laA}},
			{"/api/v1/settings?filter[la]=" + laA, []string{"EY000002", "EY000001", "EY000003", "EY000004"}},
			{"/api/v1/settings?la=" + strings.ToLower(laA), []string{"EY000002", "EY000001", "EY000003", "EY000004"}},
			{"/api/v1/settings?filter[la]=" + laA + "&la=" + laA, []string{"EY000002", "EY000001", "EY000003", "EY000004"}},
			{"/api/v1/settings?filter[la]=none", []string{"2600001"}},
			{"/api/v1/settings?filter[type]=childminder", []string{"EY000002", "EY000012"}},
			{"/api/v1/settings?type=home_childcarer", []string{"2600001"}},
			{"/api/v1/settings?filter[status]=closed", []string{"EY000003"}},
			{"/api/v1/settings?status=active&filter[la]=" + laB, []string{"EY000012", "EY000011"}},
			{"/api/v1/settings?filter[register]=vcr", []string{"EY000011", "2600001"}},
			{"/api/v1/settings?register=ccr", []string{"EY000002"}},
			{"/api/v1/settings?filter[q]=acorn", []string{"EY000001"}},
			{"/api/v1/settings?q=ey000011", []string{"EY000011"}},
			{"/api/v1/settings?filter[q]=IG11", []string{"EY000001", "EY000003", "EY000004"}},
			{"/api/v1/settings?sort=updated_at", []string{"2600001", "EY000001", "EY000002", "EY000003", "EY000011", "EY000012", "EY000004"}},
			{"/api/v1/practitioners", []string{"pA", "pB", "pLA", "pS1", "pS2"}},
			{"/api/v1/practitioners?filter[q]=smith", []string{"pS2"}},
			{"/api/v1/practitioners?filter[q]=SAM@example.org", []string{"pS1"}},
			{"/api/v1/practitioners?filter[setting]=ey000001", []string{"pA", "pS2"}},
			// Current first, then by start date, newest first.
			{"/api/v1/employments?filter[current_on]=2021-01-01", []string{"eB", "eA", "eS1a"}},
			{"/api/v1/employments?filter[current_on]=2025-03-07", []string{"eS2", "eS1b", "eB"}},
			{"/api/v1/employments?filter[practitioner]=" + f.id("pS1"), []string{"eS1b", "eS1a"}},
			{"/api/v1/employments?filter[setting]=EY000011", []string{"eS1b", "eB"}},
		}
		for _, c := range cases {
			res := f.get(t, "programme", c.path)
			if res.Status != http.StatusOK {
				t.Errorf("%s: %d %s", c.path, res.Status, res.Body)
				continue
			}
			want := make([]string, len(c.want))
			for i, n := range c.want {
				if id, ok := f.ids[n]; ok {
					n = id
				}
				want[i] = n
			}
			if got := res.ids(t); !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", c.path, got, want)
			}
		}
	})
}

func TestUpdatedSince(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		t2s := t2.Format(time.RFC3339)
		cases := []struct {
			path string
			want []string
		}{
			// Only what changed at t2: the new setting, the ended
			// employment and its practitioner.
			{"/api/v1/settings?filter[updated_since]=2025-03-01T00:00:00Z", []string{"EY000004"}},
			{"/api/v1/settings?updated_since=2025-03-01T00:00:00Z", []string{"EY000004"}},
			{"/api/v1/practitioners?filter[updated_since]=2025-03-01T00:00:00Z", []string{"pA"}},
			{"/api/v1/employments?filter[updated_since]=2025-03-01T00:00:00Z", []string{"eA"}},
			// The bound is inclusive, so a client can pass the last
			// updated_at it saw and miss nothing.
			{"/api/v1/settings?filter[updated_since]=" + t2s, []string{"EY000004"}},
			{"/api/v1/employments?filter[updated_since]=" + t2s, []string{"eA"}},
			{"/api/v1/settings?filter[updated_since]=2025-03-10T09:00:00.000001Z", nil},
			// An offset, percent-encoded or with its '+' turned into a
			// space by a client that did not encode it.
			{"/api/v1/settings?filter[updated_since]=" + url.QueryEscape("2025-03-10T10:00:00+01:00"), []string{"EY000004"}},
			{"/api/v1/settings?filter[updated_since]=2025-03-10T10:00:00+01:00", []string{"EY000004"}},
			// Sync order: updated_at, then id.
			{"/api/v1/settings?filter[updated_since]=2025-01-01T00:00:00Z", []string{"2600001", "EY000001", "EY000002", "EY000003", "EY000011", "EY000012", "EY000004"}},
			{"/api/v1/practitioners?filter[updated_since]=2025-01-01T00:00:00Z", []string{"pB", "pS1", "pS2", "pLA", "pA"}},
			{"/api/v1/employments?filter[updated_since]=2025-01-01T00:00:00Z", []string{"eB", "eS1b", "eS1a", "eS2", "eA"}},
			// Paging through a sync.
			{"/api/v1/employments?filter[updated_since]=2025-01-01T00:00:00Z&page[size]=1&page[number]=2", []string{"eS1b"}},
			// Sort by name on request.
			{"/api/v1/settings?filter[updated_since]=2025-01-01T00:00:00Z&sort=name&filter[la]=" + laA, []string{"EY000002", "EY000001", "EY000003", "EY000004"}},
			{"/api/v1/settings?filter[updated_since]=2025-06-01T00:00:00Z", nil},
			// Authorities are reference data loaded at t0.
			{"/api/v1/local-authorities?filter[updated_since]=2025-06-01T00:00:00Z", nil},
			{"/api/v1/local-authorities?filter[updated_since]=2000-01-01T00:00:00Z", []string{laB, laA}}, // same time: by code
		}
		for _, c := range cases {
			res := f.get(t, "programme", c.path)
			if res.Status != http.StatusOK {
				t.Errorf("%s: %d %s", c.path, res.Status, res.Body)
				continue
			}
			want := []string{}
			for _, n := range c.want {
				if id, ok := f.ids[n]; ok {
					n = id
				}
				want = append(want, n)
			}
			if got := res.ids(t); !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", c.path, got, want)
			}
		}
		res := f.get(t, "laB", "/api/v1/employments?filter[updated_since]=2025-01-01T00:00:00Z")
		if got, want := res.ids(t), []string{f.id("eB"), f.id("eS1b")}; !slices.Equal(got, want) {
			t.Errorf("laB sync: %v, want %v", got, want)
		}
	})
}

// TestAttributes checks the shape of each kind of record.
func TestAttributes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cases := []struct {
			path string
			want string
		}{
			{"/api/v1/settings/ey000002", `{"id":"EY000002","type":"setting","attributes":{"urn":"EY000002","name":null,
				"provider_type":"childminder","provider_type_label":"Childminder","subtype":null,"status":"active",
				"registers":{"early_years":true,"compulsory_childcare":true,"voluntary_childcare":false},
				"la_code":"E09000002","la_name":"Barking and Dagenham","postcode":"RM10 8AA","town":"Dagenham","places":6,
				"registered_on":"2015-06-01","closed_on":null,
				"latest_inspection":{"date":null,"outcome":null,"outcome_label":"Not yet inspected"},
				"source_release":null,"last_seen_on":null,"updated_at":"2025-01-10T09:00:00Z"}}`},
			{"/api/v1/settings/EY000003", `{"id":"EY000003","type":"setting","attributes":{"urn":"EY000003","name":"Bluebell Pre-school",
				"provider_type":"non_domestic","provider_type_label":"Childcare on non-domestic premises","subtype":null,"status":"closed",
				"registers":{"early_years":true,"compulsory_childcare":false,"voluntary_childcare":false},
				"la_code":"E09000002","la_name":"Barking and Dagenham","postcode":"IG11 9ZZ","town":"Barking","places":24,
				"registered_on":"2009-01-05","closed_on":"2024-07-31",
				"latest_inspection":{"date":null,"outcome":null,"outcome_label":"Not yet inspected"},
				"source_release":null,"last_seen_on":null,"updated_at":"2025-01-10T09:00:00Z"}}`},
			{"/api/v1/settings/2600001", `{"id":"2600001","type":"setting","attributes":{"urn":"2600001","name":"Home Help",
				"provider_type":"home_childcarer","provider_type_label":"Home childcarer","subtype":null,"status":"active",
				"registers":{"early_years":false,"compulsory_childcare":false,"voluntary_childcare":true},
				"la_code":null,"la_name":null,"postcode":null,"town":null,"places":0,
				"registered_on":"2020-01-01","closed_on":null,
				"latest_inspection":{"date":null,"outcome":null,"outcome_label":"Not yet inspected"},
				"source_release":null,"last_seen_on":null,"updated_at":"2025-01-10T09:00:00Z"}}`},
			{"/api/v1/practitioners/" + f.id("pA"), `{"id":"` + f.id("pA") + `","type":"practitioner","attributes":{"given_name":"Alice","family_name":"Adams",
				"email":"alice@example.org","date_of_birth":"1990-01-02","qualification_level":3,"qts":false,"eyts":false,"qtls":false,
				"updated_at":"2025-03-10T09:00:00Z"}}`},
			{"/api/v1/practitioners/" + f.id("pB"), `{"id":"` + f.id("pB") + `","type":"practitioner","attributes":{"given_name":"Bea","family_name":"Brown",
				"email":null,"date_of_birth":null,"qualification_level":6,"qts":true,"eyts":false,"qtls":false,
				"updated_at":"2025-02-10T09:00:00Z"}}`},
			{"/api/v1/employments/" + f.id("eA"), `{"id":"` + f.id("eA") + `","type":"employment","attributes":{"practitioner_id":"` + f.id("pA") + `",
				"setting_urn":"EY000001","role":"senco","started_on":"2020-01-06","ended_on":"2025-03-07","updated_at":"2025-03-10T09:00:00Z"}}`},
			{"/api/v1/employments/" + f.id("eB"), `{"id":"` + f.id("eB") + `","type":"employment","attributes":{"practitioner_id":"` + f.id("pB") + `",
				"setting_urn":"EY000011","role":"practitioner","started_on":"2019-09-02","ended_on":null,"updated_at":"2025-02-10T09:00:00Z"}}`},
		}
		for _, c := range cases {
			res := f.get(t, "programme", c.path)
			if res.Status != http.StatusOK {
				t.Errorf("%s: %d %s", c.path, res.Status, res.Body)
				continue
			}
			var got, want any
			if err := json.Unmarshal(res.Doc.Data, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(c.want), &want); err != nil {
				t.Fatalf("%s: bad expectation: %v", c.path, err)
			}
			if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
				t.Errorf("%s:\n got %s\nwant %s", c.path, g, w)
			}
		}
		// The inspected setting, and an authority, in a list.
		res := f.get(t, "programme", "/api/v1/settings?filter[q]=acorn")
		var ss []struct {
			Attributes struct {
				LatestInspection struct {
					Date         *string `json:"date"`
					Outcome      *int    `json:"outcome"`
					OutcomeLabel string  `json:"outcome_label"`
				} `json:"latest_inspection"`
			} `json:"attributes"`
		}
		json.Unmarshal(res.Doc.Data, &ss)
		if li := ss[0].Attributes.LatestInspection; li.Date == nil || *li.Date != "2023-05-02" || li.Outcome == nil || *li.Outcome != 2 || li.OutcomeLabel != "Good" {
			t.Errorf("latest inspection: %s", res.Body)
		}
		res = f.get(t, "laB", "/api/v1/local-authorities?filter[region]="+regionA)
		want := `[{"attributes":{"code":"E09000002","dfe_code":"301","ended_on":null,"name":"Barking and Dagenham","ofsted_name":"Barking and Dagenham",` +
			`"region_code":"E12000007","region_name":"London","started_on":"1965-04-01"},"id":"E09000002","type":"local_authority"}]`
		var got any
		json.Unmarshal(res.Doc.Data, &got)
		if g := mustJSON(t, got); g != want {
			t.Errorf("local authority:\n got %s\nwant %s", g, want)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMethodsAndPaths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for _, c := range []struct{ method, path string }{
			{http.MethodPost, "/api/v1/settings"},
			{http.MethodDelete, "/api/v1/settings/EY000001"},
			{http.MethodPut, "/api/v1/practitioners/" + f.id("pA")},
			{http.MethodPatch, "/api/v1/employments/" + f.id("eA")},
			{http.MethodPost, "/api/v1/openapi.json"},
		} {
			res := f.do(t, c.method, "programme", c.path)
			if res.Status != http.StatusMethodNotAllowed || !strings.Contains(res.Header.Get("Allow"), "GET") {
				t.Errorf("%s %s: %d, Allow %q", c.method, c.path, res.Status, res.Header.Get("Allow"))
			}
		}
		for _, p := range []string{"/api/v1/", "/api/v1/no-such-list", "/api/v1/settings/", "/api/v1/settings/EY000001/staff", "/api/v1/practitioners/abc", "/api/v1/employments/-1", "/api/v1/settings/NOPE"} {
			if res := f.get(t, "programme", p); res.Status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, res.Status)
			}
		}
		res := f.do(t, http.MethodHead, "programme", "/api/v1/settings")
		if res.Status != http.StatusOK || len(res.Body) != 0 {
			t.Errorf("HEAD: %d, %d bytes", res.Status, len(res.Body))
		}
		res = f.get(t, "programme", "/api/v1/settings")
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
		}
	})
}

func TestRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, WithRateLimit(0.5, 2))
		var mu sync.Mutex
		clock := now
		f.api.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
		advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }

		for i := range 2 {
			if res := f.get(t, "laA", "/api/v1/settings"); res.Status != http.StatusOK {
				t.Fatalf("request %d: %d", i+1, res.Status)
			}
		}
		res := f.get(t, "laA", "/api/v1/settings/EY000001")
		if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "2" {
			t.Fatalf("over the limit: %d, Retry-After %q: %s", res.Status, res.Header.Get("Retry-After"), res.Body)
		}
		// Other tokens have their own buckets; refusals before
		// authentication spend nothing.
		if res := f.get(t, "laB", "/api/v1/settings"); res.Status != http.StatusOK {
			t.Errorf("another token: %d", res.Status)
		}
		if res := f.get(t, "", "/api/v1/settings"); res.Status != http.StatusUnauthorized {
			t.Errorf("no token: %d", res.Status)
		}
		advance(time.Second)
		if res := f.get(t, "laA", "/api/v1/settings"); res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "1" {
			t.Errorf("half refilled: %d, Retry-After %q", res.Status, res.Header.Get("Retry-After"))
		}
		advance(time.Second)
		if res := f.get(t, "laA", "/api/v1/settings"); res.Status != http.StatusOK {
			t.Errorf("refilled: %d", res.Status)
		}
		// The document is public and not limited.
		for range 5 {
			if res := f.get(t, "", "/api/v1/openapi.json"); res.Status != http.StatusOK {
				t.Fatalf("openapi.json: %d", res.Status)
			}
		}
	})
}

func TestLimiterForgetsIdleTokens(t *testing.T) {
	l := newLimiter(1, 2)
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := range int64(100) {
		l.allow(k, at)
	}
	l.allow(1, at.Add(2*sweepEvery))
	if len(l.buckets) != 1 {
		t.Errorf("%d buckets kept after a sweep, want 1", len(l.buckets))
	}
}

func TestTokenLastUsed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if res := f.get(t, "supplier1", "/api/v1/settings"); res.Status != http.StatusOK {
			t.Fatal(res.Status)
		}
		toks, err := db.APITokens(context.Background(), f.users["supplier1"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(toks) != 1 || !toks[0].LastUsedAt.Equal(now) {
			t.Errorf("last used: %+v", toks)
		}
	})
}

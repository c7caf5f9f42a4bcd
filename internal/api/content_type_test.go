package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"senco/internal/store/storetest"
)

// TestWritesRequireJSON sends a valid cohort as text/plain, as a form, and
// with no type: each is refused with 415 and a JSON:API error, and nothing
// is made; as application/json and application/vnd.api+json it is made.
func TestWritesRequireJSON(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	w := dlSeed(t, f)
	body := func(name string) string {
		return fmt.Sprintf(`{"data": {"type": "cohort", "attributes": {"contract_id": "%d", "name": %q, "mode": "online",
			"la_codes": ["E09000002"], "starts_on": "2025-09-01", "ends_on": "2026-03-31", "capacity": 12}}}`, w.contract1, name)
	}
	count := func() int { return f.get(t, "programme", "/api/v1/cohorts").Doc.Meta.Page.TotalItems }
	send := func(ctype, name string) (int, []errorObject) {
		t.Helper()
		req := httptest.NewRequest("POST", "/api/v1/cohorts", strings.NewReader(body(name)))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Authorization", "Bearer "+f.tokens["supplier1"])
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		var doc struct {
			Errors []errorObject `json:"errors"`
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Fatalf("%s: answered as %q", ctype, ct)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatalf("%s: %v", ctype, err)
		}
		return rec.Code, doc.Errors
	}
	n := count()
	for i, ctype := range []string{"text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
		code, errs := send(ctype, fmt.Sprintf("Refused %d", i))
		if code != http.StatusUnsupportedMediaType || len(errs) != 1 || errs[0].Status != "415" || errs[0].Detail == "" {
			t.Errorf("Content-Type %q: %d %+v, want 415 with an error", ctype, code, errs)
		}
	}
	if count() != n {
		t.Fatalf("refused writes made cohorts: %d, want %d", count(), n)
	}
	for i, ctype := range []string{"application/json", "application/vnd.api+json", "application/json; charset=utf-8"} {
		if code, errs := send(ctype, fmt.Sprintf("Accepted %d", i)); code != http.StatusCreated && code != http.StatusOK {
			t.Errorf("Content-Type %q: %d %+v", ctype, code, errs)
		}
	}
	if count() != n+3 {
		t.Errorf("cohorts: %d, want %d", count(), n+3)
	}
}

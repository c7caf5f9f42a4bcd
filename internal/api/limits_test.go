package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/store/storetest"
)

// TestWritesLimitText sends a cohort with a 10,000-character name and a
// session with an over-long topic and venue: each is refused with 422 at
// the attribute, and the OpenAPI document states the same limits.
func TestWritesLimitText(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	w := dlSeed(t, f)
	huge := strings.Repeat("x", 10_000)
	cohort := fmt.Sprintf(`{"data": {"type": "cohort", "attributes": {"contract_id": "%d", "name": %q, "mode": "online",
		"la_codes": ["E09000002"], "starts_on": "2025-09-01", "ends_on": "2026-03-31", "capacity": 12}}}`, w.contract1, huge)
	res := dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", cohort, "")
	if res.Status != http.StatusUnprocessableEntity || len(res.Doc.Errors) == 0 ||
		res.Doc.Errors[0].Detail != "The cohort's name must be 200 characters or fewer" || !strings.Contains(string(res.Body), `"pointer":"/data/attributes/name"`) {
		t.Errorf("a 10,000-character cohort name: %d %.300s", res.Status, res.Body)
	}
	session := fmt.Sprintf(`{"data": {"type": "session", "attributes": {"date": "2025-06-10", "minutes": 360, "mode": "online", "topic": %q, "venue": %q, "units": [%q]}}}`,
		huge, huge, huge)
	res = dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions", session, "")
	for _, p := range []string{"topic", "venue", "units"} {
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"pointer":"/data/attributes/`+p+`"`) {
			t.Errorf("an over-long session %s: %d %.500s", p, res.Status, res.Body)
		}
	}

	// The document says the same.
	var doc struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(f.get(t, "", "/api/v1/openapi.json").Body, &doc); err != nil {
		t.Fatal(err)
	}
	for schema, want := range map[string]string{
		"CohortCreateRequest":  fmt.Sprintf(`"maxLength":%d`, domain.MaxTitleLength),
		"SessionCreateRequest": fmt.Sprintf(`"maxLength":%d`, domain.MaxVenueLength),
		"RejectRequest":        fmt.Sprintf(`"maxLength":%d`, domain.MaxNoteLength),
		"DeferRequest":         fmt.Sprintf(`"maxLength":%d`, domain.MaxNoteLength),
		"WithdrawRequest":      fmt.Sprintf(`"maxLength":%d`, domain.MaxNoteLength),
	} {
		var b bytes.Buffer
		json.Compact(&b, doc.Components.Schemas[schema])
		if !strings.Contains(b.String(), want) {
			t.Errorf("OpenAPI %s has no %s: %.300s", schema, want, b.String())
		}
	}
}

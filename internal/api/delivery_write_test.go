package api

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestDeliveryIdempotency retries writes with the same Idempotency-Key:
// the first response comes back byte for byte and nothing new is made.
func TestDeliveryIdempotency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		cohort := fmt.Sprintf(`{"data": {"type": "cohort", "attributes": {"contract_id": "%d", "name": "Barking autumn", "mode": "online",
			"la_codes": ["E09000002"], "starts_on": "2025-09-01", "ends_on": "2026-03-31", "capacity": 12}}}`, w.contract1)
		count := func() int {
			t.Helper()
			return f.get(t, "programme", "/api/v1/cohorts").Doc.Meta.Page.TotalItems
		}
		n := count()
		first := dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", cohort, "key-cohort-1")
		dlOK(t, "create", first)
		snap, audit := dlSnapshot(t, f, w), dlLastAudit(t, f)
		// The same request, even re-spaced and with keys in another order.
		respaced := strings.Join(strings.Fields(cohort), " ")
		for _, body := range []string{cohort, respaced} {
			again := dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", body, "key-cohort-1")
			if again.Status != http.StatusOK || !bytes.Equal(again.Body, first.Body) {
				t.Errorf("retry: %d\n%s\nfirst:\n%s", again.Status, again.Body, first.Body)
			}
		}
		dlUnchanged(t, f, w, snap, audit, "a retry")
		if count() != n+1 {
			t.Errorf("cohorts: %d, want %d", count(), n+1)
		}
		// The same key for another request: 422, nothing made.
		other := strings.Replace(cohort, "Barking autumn", "Barking winter", 1)
		res := dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", other, "key-cohort-1")
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Doc.Errors[0].Detail, "different request") {
			t.Errorf("key reused for another request: %d %s", res.Status, res.Body)
		}
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions",
			`{"data": {"type": "session", "attributes": {"date": "2025-06-10", "minutes": 360, "mode": "online", "topic": "Again"}}}`, "key-cohort-1")
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("key reused on another route: %d %s", res.Status, res.Body)
		}
		dlUnchanged(t, f, w, snap, audit, "a reused key")
		// Without a key, the natural key refuses a second cohort of the same name.
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", strings.ReplaceAll(cohort, "Barking autumn", " barking AUTUMN "), "")
		if res.Status != http.StatusConflict || !strings.Contains(res.Doc.Errors[0].Detail, "already has a cohort") {
			t.Errorf("same cohort without a key: %d %s", res.Status, res.Body)
		}
		// Keys are per token: supplier2's use of the same key is its own
		// (and its request is refused on its own merits).
		res = dlDo(t, f, "POST", "supplier2", "/api/v1/cohorts", cohort, "key-cohort-1")
		if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), []string{"/data/attributes/contract_id"}) {
			t.Errorf("another token's key: %d %s", res.Status, res.Body)
		}
		dlUnchanged(t, f, w, snap, audit, "refused writes")

		// A refused write leaves its key free: after fixing the request the
		// same key works.
		bad := strings.Replace(cohort, `"capacity": 12`, `"capacity": 0`, 1)
		bad = strings.Replace(bad, "Barking autumn", "Barnet autumn", 1)
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", bad, "key-cohort-2")
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("capacity 0: %d %s", res.Status, res.Body)
		}
		good := strings.Replace(bad, `"capacity": 0`, `"capacity": 3`, 1)
		dlOK(t, "fixed request with the same key", dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", good, "key-cohort-2"))

		// Attendance: a retried save does not bump the version again (and
		// is not a 409).
		path := "/api/v1/sessions/" + w.session("s1") + "/attendance"
		save := fmt.Sprintf(`{"data": {"type": "attendance", "attributes": {"register_version": 1, "marks": [{"application_id": "%s", "mark": "half"}]}}}`, w.app("enrolled"))
		first = dlDo(t, f, "PUT", "supplier1", path, save, "key-register")
		dlOK(t, "save", first)
		snap, audit = dlSnapshot(t, f, w), dlLastAudit(t, f)
		again := dlDo(t, f, "PUT", "supplier1", path, save, "key-register")
		if again.Status != http.StatusOK || !bytes.Equal(again.Body, first.Body) || dlRegister(t, again).Version != 2 {
			t.Errorf("retried save: %d %s", again.Status, again.Body)
		}
		dlUnchanged(t, f, w, snap, audit, "a retried save")
		// Without the key the retry is a stale save.
		if res := dlDo(t, f, "PUT", "supplier1", path, save, ""); res.Status != http.StatusConflict {
			t.Errorf("retried save without a key: %d %s", res.Status, res.Body)
		}

		// Actions: a retried accept returns the first answer, not "already placed".
		accept := fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s"}}}`, w.cohort("k1b"))
		first = dlDo(t, f, "POST", "supplier1", "/api/v1/applications/"+w.app("eligible")+"/accept", accept, "key-accept")
		dlOK(t, "accept", first)
		snap, audit = dlSnapshot(t, f, w), dlLastAudit(t, f)
		again = dlDo(t, f, "POST", "supplier1", "/api/v1/applications/"+w.app("eligible")+"/accept", accept, "key-accept")
		if again.Status != http.StatusOK || !bytes.Equal(again.Body, first.Body) {
			t.Errorf("retried accept: %d %s", again.Status, again.Body)
		}
		dlUnchanged(t, f, w, snap, audit, "a retried accept")
		if res := dlDo(t, f, "POST", "supplier1", "/api/v1/applications/"+w.app("eligible")+"/accept", accept, ""); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("accept again without a key: %d %s", res.Status, res.Body)
		}

		// Many concurrent retries of one create make one application.
		create := fmt.Sprintf(`{"data": {"type": "application", "attributes": {"practitioner_id": "%d", "setting_urn": "EY000002", "programme_id": "%d"}}}`, w.spare, w.programme)
		var wg sync.WaitGroup
		bodies := make([][]byte, 6)
		statuses := make([]int, 6)
		for i := range bodies {
			wg.Go(func() {
				res := dlDo(t, f, "POST", "supplier1", "/api/v1/applications", create, "key-apply")
				bodies[i], statuses[i] = res.Body, res.Status
			})
		}
		wg.Wait()
		for i := range bodies {
			if statuses[i] != http.StatusOK || !bytes.Equal(bodies[i], bodies[0]) {
				t.Errorf("concurrent retry %d: %d %s", i, statuses[i], bodies[i])
			}
		}
		res = f.get(t, "programme", "/api/v1/applications?page[size]=1000")
		if n := strings.Count(string(res.Body), fmt.Sprintf(`"practitioner_id":"%d"`, w.spare)); n != 1 {
			t.Errorf("applications of the practitioner: %d, want 1", n)
		}

		// Malformed keys.
		for _, key := range []string{strings.Repeat("k", 256), "two words"} {
			res := dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", other, key)
			if res.Status != http.StatusBadRequest || !strings.Contains(res.Doc.Errors[0].Detail, IdempotencyKeyHeader) {
				t.Errorf("key %.10q: %d %s", key, res.Status, res.Body)
			}
		}
	})
}

// TestDeliveryBadBodies checks malformed bodies are 400 and refused values
// 422, each with a pointer to the attribute at fault.
func TestDeliveryBadBodies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		snap, audit := dlSnapshot(t, f, w), dlLastAudit(t, f)
		cohort := func(attrs string) string {
			return `{"data": {"type": "cohort", "attributes": {` + attrs + `}}}`
		}
		valid := fmt.Sprintf(`"contract_id": "%d", "name": "N", "mode": "online", "la_codes": ["E09000002"], "starts_on": "2025-09-01", "ends_on": "2026-03-31"`, w.contract1)
		for _, c := range []struct {
			body     string
			status   int
			pointers []string
			detail   string
		}{
			{``, 400, []string{""}, "Send a JSON body"},
			{`not json`, 400, []string{""}, "not valid JSON"},
			{`{"data": {"type": "cohort", "attributes": {"name": "x"`, 400, []string{""}, "not complete JSON"},
			{`{"data": 1}`, 400, []string{"/data"}, "data must be an object"},
			{`{"meta": {}}`, 400, []string{""}, `"meta" is not part`},
			{`{"data": {"type": "cohort", "relationships": {}}}`, 400, []string{""}, `"relationships" is not part`},
			{`{}`, 400, []string{"/data"}, `"data"`},
			{`{"data": {"attributes": {}}}`, 400, []string{"/data/type"}, `"type": "cohort"`},
			{`{"data": {"type": "session", "attributes": {}}}`, 400, []string{"/data/type"}, `must be "cohort"`},
			{`{"data": {"type": "cohort"}}`, 400, []string{"/data/attributes"}, "attributes"},
			{cohort(valid + `, "capacity": 3, "colour": "blue"`), 400, []string{"/data/attributes/colour"}, `"colour" is not an attribute`},
			{cohort(valid + `, "capacity": "ten"`), 400, []string{"/data/attributes/capacity"}, "capacity must be a whole number"},
			{cohort(valid + `, "capacity": 3, "starts_on": "1/9/2025"`), 400, []string{"/data/attributes/starts_on"}, "YYYY-MM-DD"},
			{cohort(`"contract_id": "abc"`), 400, []string{"/data/attributes/contract_id"}, "record id"},
			{cohort(``), 422, []string{"/data/attributes/capacity", "/data/attributes/contract_id", "/data/attributes/ends_on",
				"/data/attributes/la_codes", "/data/attributes/mode", "/data/attributes/name", "/data/attributes/starts_on"}, ""},
			{cohort(valid + `, "capacity": 3, "mode": "bicycle"`), 422, []string{"/data/attributes/mode"}, "online, face_to_face, blended, distance"},
			{cohort(valid + `, "capacity": 3, "ends_on": "2025-08-01"`), 422, []string{"/data/attributes/ends_on"}, "on or after the start"},
			{cohort(valid + `, "capacity": 3, "la_codes": ["Barking"]`), 422, []string{"/data/attributes/la_codes"}, "GSS code"},
			{cohort(valid + `, "capacity": 3, "contract_id": "999999"`), 422, []string{"/data/attributes/contract_id"}, "no contract"},
		} {
			res := dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", c.body, "")
			if res.Status != c.status || !slices.Equal(dlPointers(res), c.pointers) || !strings.Contains(res.Doc.Errors[0].Detail, c.detail) {
				t.Errorf("%s: %d %v %s", c.body, res.Status, dlPointers(res), res.Body)
			}
		}
		// Sessions: the cohort's dates are the domain's rule.
		res := dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions",
			`{"data": {"type": "session", "attributes": {"date": "2026-01-10", "minutes": 0, "mode": "online", "topic": ""}}}`, "")
		if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), []string{"/data/attributes/date", "/data/attributes/minutes", "/data/attributes/topic"}) ||
			!strings.Contains(res.Doc.Errors[0].Detail, "within the cohort's dates") {
			t.Errorf("session outside the cohort: %d %s", res.Status, res.Body)
		}
		// Times: both or neither, the end after the start.
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions",
			`{"data": {"type": "session", "attributes": {"date": "2025-05-07", "minutes": 360, "mode": "online", "topic": "Times", "starts_at": "15:30", "ends_at": "9:30"}}}`, "")
		if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), []string{"/data/attributes/ends_at"}) {
			t.Errorf("session ending before it starts: %d %s", res.Status, res.Body)
		}
		// A duplicate session (same cohort, date and topic) without a key.
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions",
			`{"data": {"type": "session", "attributes": {"date": "2025-05-06", "minutes": 360, "mode": "online", "topic": "identification"}}}`, "")
		if res.Status != http.StatusConflict || !strings.Contains(res.Doc.Errors[0].Detail, "already has a session") {
			t.Errorf("duplicate session: %d %s", res.Status, res.Body)
		}
		// Applications.
		for _, c := range []struct {
			attrs    string
			pointers []string
		}{
			{``, []string{"/data/attributes/practitioner_id", "/data/attributes/programme_id", "/data/attributes/setting_urn"}},
			{fmt.Sprintf(`"practitioner_id": "%d", "programme_id": "%d", "setting_urn": "nope!"`, w.spare, w.programme), []string{"/data/attributes/setting_urn"}},
			{fmt.Sprintf(`"practitioner_id": "%d", "programme_id": "%d", "setting_urn": "EY999999"`, w.spare, w.programme), []string{"/data/attributes/setting_urn"}},
			{fmt.Sprintf(`"practitioner_id": "%d", "programme_id": "999999", "setting_urn": "EY000002"`, w.spare), []string{"/data/attributes/programme_id"}},
			{fmt.Sprintf(`"practitioner_id": "%d", "programme_id": "%d", "setting_urn": "EY000002", "applied_on": "2030-01-01"`, w.spare, w.programme), []string{"/data/attributes/applied_on"}},
		} {
			res := dlDo(t, f, "POST", "supplier1", "/api/v1/applications", `{"data": {"type": "application", "attributes": {`+c.attrs+`}}}`, "")
			if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), c.pointers) {
				t.Errorf("application %s: %d %v %s", c.attrs, res.Status, dlPointers(res), res.Body)
			}
		}
		// Actions: a bad cohort, a missing one, a future date; ids that are
		// not ids are no application.
		for _, c := range []struct {
			path, body string
			status     int
			pointers   []string
		}{
			{"/api/v1/applications/" + w.app("eligible") + "/accept", `{}`, 422, []string{"/data/attributes/cohort_id"}},
			{"/api/v1/applications/" + w.app("eligible") + "/accept", `{"data": {"attributes": {"cohort_id": "999999"}}}`, 422, []string{"/data/attributes/cohort_id"}},
			{"/api/v1/applications/" + w.app("eligible") + "/accept", fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s", "date": "2099-01-01"}}}`, w.cohort("k1b")), 422, []string{"/data/attributes/date"}},
			{"/api/v1/applications/" + w.app("eligible") + "/accept", `{"data": {"type": "cohort", "attributes": {}}}`, 400, []string{"/data/type"}},
			{"/api/v1/applications/" + w.app("enrolled") + "/defer", `{"data": {"attributes": {"when": "now"}}}`, 400, []string{"/data/attributes/when"}},
			{"/api/v1/applications/abc/defer", `{}`, 404, []string{""}},
			{"/api/v1/applications/999999/defer", `{}`, 404, []string{""}},
			{"/api/v1/sessions/999999/attendance", `{"data": {"type": "attendance", "attributes": {"register_version": 0, "marks": [{"application_id": "1", "mark": "present"}]}}}`, 404, []string{""}},
			{"/api/v1/cohorts/999999/sessions", `{"data": {"type": "session", "attributes": {"date": "2025-06-10", "minutes": 360, "mode": "online", "topic": "T"}}}`, 404, []string{""}},
		} {
			res := dlDo(t, f, "POST", "supplier1", c.path, c.body, "")
			if strings.HasSuffix(c.path, "/attendance") {
				res = dlDo(t, f, "PUT", "supplier1", c.path, c.body, "")
			}
			if res.Status != c.status || !slices.Equal(dlPointers(res), c.pointers) {
				t.Errorf("%s %s: %d %v %s", c.path, c.body, res.Status, dlPointers(res), res.Body)
			}
		}
		// A body over the limit.
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", `{"data": {"type": "cohort", "attributes": {"name": "`+strings.Repeat("x", maxBodyBytes)+`"}}}`, "")
		if res.Status != http.StatusBadRequest {
			t.Errorf("huge body: %d", res.Status)
		}
		// Methods the routes do not have.
		res = dlDo(t, f, "DELETE", "supplier1", "/api/v1/cohorts/"+w.cohort("k1"), "", "")
		if res.Status != http.StatusMethodNotAllowed || !strings.Contains(res.Header.Get("Allow"), "GET") {
			t.Errorf("DELETE a cohort: %d %s", res.Status, res.Header.Get("Allow"))
		}
		dlUnchanged(t, f, w, snap, audit, "bad bodies")
	})
}

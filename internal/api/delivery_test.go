package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"senco/internal/store"
	"senco/internal/store/storetest"
)

// dlCheckDoc compares an answer's records with the OpenAPI document's
// schema for the operation.
func dlCheckDoc(t *testing.T, f *fixture, method, pattern string, res response) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(f.api.openapi, &doc); err != nil {
		t.Fatal(err)
	}
	op, ok := dig(doc, "paths", pattern, strings.ToLower(method)).(map[string]any)
	if !ok {
		t.Fatalf("%s %s is not documented", method, pattern)
	}
	checkAttributes(t, doc, op, method+" "+pattern, res)
}

// dlOK fails unless the answer is 200.
func dlOK(t *testing.T, what string, res response) {
	t.Helper()
	if res.Status != http.StatusOK {
		t.Fatalf("%s: %d %s", what, res.Status, res.Body)
	}
}

func TestDeliveryCohortsAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)

		res := f.get(t, "supplier1", "/api/v1/cohorts")
		dlOK(t, "list cohorts", res)
		if got := res.ids(t); !dlSameSet(got, []string{w.cohort("k1"), w.cohort("k1b")}) {
			t.Errorf("supplier1's cohorts: %v", got)
		}
		dlCheckDoc(t, f, "GET", "/api/v1/cohorts", res)
		res = f.get(t, "supplier1", "/api/v1/cohorts?filter[programme]="+fmt.Sprint(w.programme))
		if len(res.ids(t)) != 2 {
			t.Errorf("filter[programme]: %v", res.ids(t))
		}
		res = f.get(t, "supplier1", "/api/v1/cohorts?filter[programme]=999999")
		if res.Status != http.StatusOK || len(res.ids(t)) != 0 {
			t.Errorf("another programme: %d %s", res.Status, res.Body)
		}

		res = f.get(t, "supplier1", "/api/v1/cohorts/"+w.cohort("k1"))
		dlOK(t, "get cohort", res)
		dlCheckDoc(t, f, "GET", "/api/v1/cohorts/{id}", res)
		k1 := dlAttrs(t, res)
		if k1["name"] != "Barking and Barnet spring" || k1["placed"] != 2.0 || k1["free_places"] != 0.0 || k1["sessions"] != 1.0 ||
			k1["phase"] != "in_progress" || fmt.Sprint(k1["la_codes"]) != "[E09000002 E09000003]" || k1["contract_id"] != fmt.Sprint(w.contract1) {
			t.Errorf("cohort k1: %v", k1)
		}

		// Create a cohort.
		before := dlLastAudit(t, f)
		body := fmt.Sprintf(`{"data": {"type": "cohort", "attributes": {"contract_id": "%d", "name": "Barking autumn", "mode": "online",
			"la_codes": ["e09000002"], "starts_on": "2025-09-01", "ends_on": "2026-03-31", "capacity": 12}}}`, w.contract1)
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts", body, "")
		dlOK(t, "create cohort", res)
		dlCheckDoc(t, f, "POST", "/api/v1/cohorts", res)
		created := dlAttrs(t, res)
		if created["name"] != "Barking autumn" || created["mode"] != "online" || created["capacity"] != 12.0 || created["phase"] != "recruiting" ||
			fmt.Sprint(created["la_codes"]) != "[E09000002]" || created["starts_on"] != "2025-09-01" || created["programme_id"] != fmt.Sprint(w.programme) {
			t.Errorf("created cohort: %v", created)
		}
		newID := created["id"].(string)
		if res := f.get(t, "supplier1", "/api/v1/cohorts/"+newID); res.Status != http.StatusOK {
			t.Errorf("read back: %d", res.Status)
		}
		if res := f.get(t, "supplier2", "/api/v1/cohorts/"+newID); res.Status != http.StatusNotFound {
			t.Errorf("another supplier reads the new cohort: %d", res.Status)
		}
		dlAudited(t, f, before, "supplier1", "cohort", newID)

		// Sessions.
		res = f.get(t, "supplier1", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions")
		dlOK(t, "list sessions", res)
		dlCheckDoc(t, f, "GET", "/api/v1/cohorts/{id}/sessions", res)
		if got := res.ids(t); !slices.Equal(got, []string{w.session("s1")}) {
			t.Errorf("k1's sessions: %v", got)
		}
		before = dlLastAudit(t, f)
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions",
			`{"data": {"type": "session", "attributes": {"date": "2025-06-10", "minutes": 390, "mode": "online", "topic": "Working with parents", "venue": "https://meet.example.org/k1", "units": ["U3", "U4"], "starts_at": "9:30", "ends_at": "16:00"}}}`, "")
		dlOK(t, "create session", res)
		dlCheckDoc(t, f, "POST", "/api/v1/cohorts/{id}/sessions", res)
		s := dlAttrs(t, res)
		if s["date"] != "2025-06-10" || s["minutes"] != 390.0 || s["topic"] != "Working with parents" || fmt.Sprint(s["units"]) != "[U3 U4]" ||
			s["starts_at"] != "09:30" || s["ends_at"] != "16:00" ||
			s["register_version"] != 0.0 || s["cohort_id"] != w.cohort("k1") {
			t.Errorf("created session: %v", s)
		}
		dlAudited(t, f, before, "supplier1", "session", s["id"].(string))
		res = f.get(t, "supplier1", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions")
		if got := res.ids(t); !slices.Equal(got, []string{w.session("s1"), s["id"].(string)}) {
			t.Errorf("k1's sessions after adding one: %v", got)
		}
		// updated_since: the new session only (it was made at now; s1 at the seed).
		res = f.get(t, "supplier1", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions?filter[updated_since]=2025-05-21T00:00:00Z")
		if got := res.ids(t); !slices.Equal(got, []string{s["id"].(string)}) || res.Doc.Meta.Page.TotalItems != 1 {
			t.Errorf("sessions updated since: %v", got)
		}
		res = f.get(t, "supplier1", "/api/v1/sessions/"+w.session("s1"))
		dlOK(t, "get session", res)
		dlCheckDoc(t, f, "GET", "/api/v1/sessions/{id}", res)
		if a := dlAttrs(t, res); a["register_version"] != 1.0 || a["marked"] != 2.0 || a["venue"] != "Town hall" {
			t.Errorf("session s1: %v", a)
		}
	})
}

// dlSameSet reports whether two id lists hold the same ids.
func dlSameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// dlAudited checks the write made audit entries after before, attributed
// to the token's user and organisation and to the token, one of them on
// entity/id.
func dlAudited(t *testing.T, f *fixture, before int64, token, entity, id string) {
	t.Helper()
	entries, err := f.db.ListAudit(context.Background(), store.AuditFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		if e.ID <= before {
			break
		}
		u := f.users[token]
		if e.UserID != u.ID || e.OrgID != u.Org.ID || e.TokenID == 0 || !strings.Contains(e.Actor, `API token "`+token+`"`) {
			t.Errorf("audit entry %d %s %s not attributed to token %s: user %d org %d token %d actor %q", e.ID, e.Action, e.Entity, token, e.UserID, e.OrgID, e.TokenID, e.Actor)
		}
		found = found || (e.Entity == entity && e.EntityID == id)
	}
	if !found {
		t.Errorf("no audit entry for %s %s", entity, id)
	}
}

func TestDeliveryAttendance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		path := "/api/v1/sessions/" + w.session("s1") + "/attendance"

		res := f.get(t, "supplier1", path)
		dlOK(t, "get attendance", res)
		dlCheckDoc(t, f, "GET", "/api/v1/sessions/{id}/attendance", res)
		reg := dlRegister(t, res)
		if reg.Version != 1 || len(reg.Marks) != 2 || reg.mark(w.app("enrolled")) != "present" || reg.mark(w.app("barnet")) != "present" {
			t.Fatalf("register: %s", res.Body)
		}

		before := dlLastAudit(t, f)
		res = dlDo(t, f, "PUT", "supplier1", path, fmt.Sprintf(`{"data": {"type": "attendance", "attributes": {"register_version": 1,
			"marks": [{"application_id": "%s", "mark": "half"}, {"application_id": %s, "mark": "excused"}]}}}`, w.app("enrolled"), w.app("barnet")), "")
		dlOK(t, "save attendance", res)
		dlCheckDoc(t, f, "PUT", "/api/v1/sessions/{id}/attendance", res)
		reg = dlRegister(t, res)
		if reg.Version != 2 || reg.mark(w.app("enrolled")) != "half" || reg.mark(w.app("barnet")) != "excused" {
			t.Errorf("saved register: %s", res.Body)
		}
		dlAudited(t, f, before, "supplier1", "session", w.session("s1"))
		if res := f.get(t, "supplier1", path); dlRegister(t, res).Version != 2 {
			t.Errorf("read back: %s", res.Body)
		}

		// A save based on version 1 now lost to the save above: 409, and
		// nothing saved.
		snap, audit := dlSnapshot(t, f, w), dlLastAudit(t, f)
		res = dlDo(t, f, "PUT", "supplier1", path, fmt.Sprintf(`{"data": {"type": "attendance", "attributes": {"register_version": 1,
			"marks": [{"application_id": "%s", "mark": "absent"}]}}}`, w.app("enrolled")), "")
		if res.Status != http.StatusConflict || !strings.Contains(res.Doc.Errors[0].Detail, "Someone else saved this register first") ||
			!strings.Contains(res.Doc.Errors[0].Detail, "register_version 2") {
			t.Errorf("stale save: %d %s", res.Status, res.Body)
		}
		dlUnchanged(t, f, w, snap, audit, "stale save")

		// A learner of another cohort (or no learner at all): 422 and
		// nothing saved, not even the good marks.
		for _, other := range []string{w.app("leeds"), w.app("eligible"), "999999"} {
			res = dlDo(t, f, "PUT", "supplier1", path, fmt.Sprintf(`{"data": {"type": "attendance", "attributes": {"register_version": 2,
				"marks": [{"application_id": "%s", "mark": "absent"}, {"application_id": "%s", "mark": "present"}]}}}`, w.app("enrolled"), other), "")
			if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), []string{"/data/attributes/marks"}) ||
				!strings.Contains(res.Doc.Errors[0].Detail, other) {
				t.Errorf("unknown learner %s: %d %s", other, res.Status, res.Body)
			}
			dlUnchanged(t, f, w, snap, audit, "unknown learner")
		}

		// Marks are checked one by one, each error at its place.
		res = dlDo(t, f, "PUT", "supplier1", path, fmt.Sprintf(`{"data": {"type": "attendance", "attributes": {"register_version": 2,
			"marks": [{"application_id": "%[1]s", "mark": "late"}, {"application_id": "%[1]s", "mark": "present"}, {"mark": "absent"}]}}}`, w.app("enrolled")), "")
		want := []string{"/data/attributes/marks/0/mark", "/data/attributes/marks/1/application_id", "/data/attributes/marks/2/application_id"}
		if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), want) {
			t.Errorf("bad marks: %d %v %s", res.Status, dlPointers(res), res.Body)
		}
		res = dlDo(t, f, "PUT", "supplier1", path, `{"data": {"type": "attendance", "attributes": {"marks": []}}}`, "")
		if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), []string{"/data/attributes/register_version"}) {
			t.Errorf("no version: %d %s", res.Status, res.Body)
		}
		dlUnchanged(t, f, w, snap, audit, "bad marks")

		// The LA officer of Barking sees k1's register, but only its
		// learner from Barking, not the one from Barnet.
		res = f.get(t, "laA", path)
		dlOK(t, "LA register", res)
		if reg := dlRegister(t, res); len(reg.Marks) != 1 || reg.Marks[0].ApplicationID != w.app("enrolled") {
			t.Errorf("LA A's register: %s", res.Body)
		}
	})
}

type dlReg struct {
	Version int `json:"register_version"`
	Marks   []struct {
		ApplicationID string  `json:"application_id"`
		Mark          *string `json:"mark"`
	} `json:"marks"`
}

func (r dlReg) mark(app string) string {
	for _, m := range r.Marks {
		if m.ApplicationID == app && m.Mark != nil {
			return *m.Mark
		}
	}
	return ""
}

func dlRegister(t *testing.T, res response) dlReg {
	t.Helper()
	var doc struct {
		Attributes dlReg `json:"attributes"`
	}
	if err := json.Unmarshal(res.Doc.Data, &doc); err != nil {
		t.Fatalf("register: %v %s", err, res.Body)
	}
	return doc.Attributes
}

// dlUnchanged fails when anything the programme team can read of delivery,
// or the audit log, changed since snap and audit were taken.
func dlUnchanged(t *testing.T, f *fixture, w *dlWorld, snap string, audit int64, what string) {
	t.Helper()
	if dlSnapshot(t, f, w) != snap {
		t.Errorf("%s changed the records", what)
	}
	if got := dlLastAudit(t, f); got != audit {
		t.Errorf("%s wrote to the audit log", what)
	}
}

func TestDeliveryApplications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		act := func(token, app, action, body string) response {
			t.Helper()
			return dlDo(t, f, "POST", token, "/api/v1/applications/"+app+"/"+action, body, "")
		}
		status := func(app string) map[string]any {
			t.Helper()
			res := f.get(t, "programme", "/api/v1/applications/"+app)
			dlOK(t, "get application", res)
			return dlAttrs(t, res)
		}

		res := f.get(t, "supplier1", "/api/v1/applications")
		dlOK(t, "list applications", res)
		dlCheckDoc(t, f, "GET", "/api/v1/applications", res)
		if got := res.ids(t); !dlSameSet(got, []string{w.app("enrolled"), w.app("barnet"), w.app("eligible"), w.app("eligible2"), w.app("withdrawn")}) {
			t.Errorf("supplier1's applications: %v", got)
		}
		for q, want := range map[string][]string{
			"filter[status]=eligible":                                    {w.app("eligible"), w.app("eligible2")},
			"filter[status]=in_training":                                 {w.app("enrolled"), w.app("barnet")},
			"filter[cohort]=" + w.cohort("k1"):                           {w.app("enrolled"), w.app("barnet")},
			"filter[cohort]=" + w.cohort("k2"):                           {},
			"filter[programme]=" + fmt.Sprint(w.programme):               {w.app("enrolled"), w.app("barnet"), w.app("eligible"), w.app("eligible2"), w.app("withdrawn")},
			"filter[updated_since]=2025-05-21T00:00:00Z":                 {},
			"filter[status]=withdrawn&filter[cohort]=" + w.cohort("k1b"): {w.app("withdrawn")},
		} {
			res := f.get(t, "supplier1", "/api/v1/applications?"+q)
			dlOK(t, q, res)
			if got := res.ids(t); !dlSameSet(got, want) {
				t.Errorf("applications?%s: %v, want %v", q, got, want)
			}
		}
		res = f.get(t, "supplier1", "/api/v1/applications?filter[status]=maybe")
		if res.Status != http.StatusBadRequest || res.Doc.Errors[0].Source.Parameter != "filter[status]" {
			t.Errorf("bad status filter: %d %s", res.Status, res.Body)
		}
		res = f.get(t, "supplier1", "/api/v1/applications/"+w.app("enrolled"))
		dlOK(t, "get application", res)
		dlCheckDoc(t, f, "GET", "/api/v1/applications/{id}", res)
		if a := dlAttrs(t, res); a["status"] != "in_training" || a["cohort_id"] != w.cohort("k1") || a["setting_urn"] != "EY000001" ||
			a["decision"] != "eligible" || a["la_code"] != laA || a["certificate"] != nil {
			t.Errorf("application: %v", a)
		}

		// Accept onto a cohort with room: enrolled.
		before := dlLastAudit(t, f)
		res = act("supplier1", w.app("eligible"), "accept", fmt.Sprintf(`{"data": {"type": "application", "attributes": {"cohort_id": "%s"}}}`, w.cohort("k1b")))
		dlOK(t, "accept", res)
		dlCheckDoc(t, f, "POST", "/api/v1/applications/{id}/accept", res)
		if a, m := dlAttrs(t, res), dlMeta(t, res); a["status"] != "enrolled" || a["cohort_id"] != w.cohort("k1b") || m["outcome"] != "enrolled" {
			t.Errorf("accepted: %v %v", a, m)
		}
		dlAudited(t, f, before, "supplier1", "application", w.app("eligible"))
		// Accept onto a full cohort: its waiting list.
		res = act("supplier1", w.app("eligible2"), "accept", fmt.Sprintf(`{"data": {"attributes": {"cohort_id": %s}}}`, w.cohort("k1")))
		dlOK(t, "accept onto a full cohort", res)
		if a, m := dlAttrs(t, res), dlMeta(t, res); a["status"] != "eligible" || a["cohort_id"] != nil || a["waiting_list_cohort_id"] != w.cohort("k1") ||
			m["outcome"] != "waiting_list" || !strings.Contains(m["detail"].(string), "full") {
			t.Errorf("waiting list: %v %v", a, m)
		}
		// Someone already placed: 422 with the store's reason, nothing changed.
		snap, audit := dlSnapshot(t, f, w), dlLastAudit(t, f)
		res = act("supplier1", w.app("eligible"), "accept", fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s"}}}`, w.cohort("k1b")))
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Doc.Errors[0].Detail, "this one is enrolled") {
			t.Errorf("placing someone placed: %d %s", res.Status, res.Body)
		}
		dlUnchanged(t, f, w, snap, audit, "placing someone placed")

		// Transfer the learner in training from k1 to k1b.
		res = act("supplier1", w.app("enrolled"), "transfer", fmt.Sprintf(`{"data": {"type": "application", "attributes": {"cohort_id": "%s", "date": "2025-05-20"}}}`, w.cohort("k1b")))
		dlOK(t, "transfer", res)
		dlCheckDoc(t, f, "POST", "/api/v1/applications/{id}/transfer", res)
		if a, m := dlAttrs(t, res), dlMeta(t, res); a["status"] != "in_training" || a["cohort_id"] != w.cohort("k1b") || m["outcome"] != "transferred" {
			t.Errorf("transferred: %v %v", a, m)
		}

		// Defer the other learner of k1, then resume them onto k1.
		res = act("supplier1", w.app("barnet"), "defer", `{"data": {"attributes": {"note": "Long-term sick leave"}}}`)
		dlOK(t, "defer", res)
		dlCheckDoc(t, f, "POST", "/api/v1/applications/{id}/defer", res)
		if a := dlAttrs(t, res); a["status"] != "deferred" || a["cohort_id"] != nil {
			t.Errorf("deferred: %v", a)
		}
		res = act("supplier1", w.app("eligible2"), "resume", fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s"}}}`, w.cohort("k1")))
		if res.Status != http.StatusUnprocessableEntity || dlPointers(res)[0] != "" || !strings.Contains(res.Doc.Errors[0].Detail, "Only a deferred learner") {
			t.Errorf("resume of one not deferred: %d %s", res.Status, res.Body)
		}
		res = act("supplier1", w.app("barnet"), "resume", fmt.Sprintf(`{"data": {"attributes": {"cohort_id": "%s"}}}`, w.cohort("k1")))
		dlOK(t, "resume", res)
		dlCheckDoc(t, f, "POST", "/api/v1/applications/{id}/resume", res)
		if a, m := dlAttrs(t, res), dlMeta(t, res); a["status"] != "enrolled" || a["cohort_id"] != w.cohort("k1") || m["outcome"] != "enrolled" {
			t.Errorf("resumed: %v %v", a, m)
		}

		// Withdraw with a reason from the list and a date.
		res = act("supplier1", w.app("eligible"), "withdraw", `{"data": {"type": "application", "attributes": {"reason": "workload", "date": "2025-05-31", "note": "Too busy at work"}}}`)
		dlOK(t, "withdraw", res)
		dlCheckDoc(t, f, "POST", "/api/v1/applications/{id}/withdraw", res)
		if a := dlAttrs(t, res); a["status"] != "withdrawn" || a["withdrawal_reason"] != "workload" || a["withdrawn_on"] != "2025-05-31" {
			t.Errorf("withdrawn: %v", a)
		}
		for body, ptrs := range map[string][]string{
			`{"data": {"attributes": {"reason": "bored", "date": "2025-05-31"}}}`:    {"/data/attributes/reason"},
			`{"data": {"attributes": {"reason": "workload"}}}`:                       {"/data/attributes/date"},
			`{"data": {"attributes": {"reason": "workload", "date": "2025-06-02"}}}`: {"/data/attributes/date"},
			`{}`: {"/data/attributes/reason", "/data/attributes/date"},
		} {
			res := act("supplier1", w.app("barnet"), "withdraw", body)
			if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), ptrs) {
				t.Errorf("withdraw %s: %d %v %s", body, res.Status, dlPointers(res), res.Body)
			}
		}
		// A second withdrawal is refused by the status machine.
		res = act("supplier1", w.app("eligible"), "withdraw", `{"data": {"attributes": {"reason": "workload", "date": "2025-05-31"}}}`)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Doc.Errors[0].Detail, "withdrawn") {
			t.Errorf("second withdrawal: %d %s", res.Status, res.Body)
		}

		// Reject an application not yet placed: withdrawn as ineligible.
		res = act("supplier1", w.app("eligible2"), "reject", `{"data": {"type": "application", "attributes": {"reason": "Works in a school nursery"}}}`)
		dlOK(t, "reject", res)
		dlCheckDoc(t, f, "POST", "/api/v1/applications/{id}/reject", res)
		if a := dlAttrs(t, res); a["status"] != "withdrawn" || a["withdrawal_reason"] != "ineligible" || a["waiting_list_cohort_id"] != nil {
			t.Errorf("rejected: %v", a)
		}
		res = act("supplier1", w.app("barnet"), "reject", `{"data": {"attributes": {"reason": "Changed our mind"}}}`)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Doc.Errors[0].Detail, "not yet placed") {
			t.Errorf("rejecting a learner: %d %s", res.Status, res.Body)
		}
		res = act("supplier1", w.app("barnet"), "reject", "")
		if res.Status != http.StatusUnprocessableEntity || !slices.Equal(dlPointers(res), []string{"/data/attributes/reason"}) {
			t.Errorf("reject without a reason: %d %s", res.Status, res.Body)
		}

		// Apply on behalf of a practitioner the supplier recorded.
		before = dlLastAudit(t, f)
		body := fmt.Sprintf(`{"data": {"type": "application", "attributes": {"practitioner_id": "%d", "setting_urn": "ey000002", "programme_id": "%d"}}}`, w.spare, w.programme)
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/applications", body, "")
		dlOK(t, "create application", res)
		dlCheckDoc(t, f, "POST", "/api/v1/applications", res)
		created := dlAttrs(t, res)
		if created["status"] != "eligible" || created["setting_urn"] != "EY000002" || created["practitioner_id"] != fmt.Sprint(w.spare) ||
			created["applied_on"] != "2025-06-01" || created["nominated"] != false {
			t.Errorf("created application: %v", created)
		}
		dlAudited(t, f, before, "supplier1", "application", created["id"].(string))
		if a := status(created["id"].(string)); a["status"] != "eligible" {
			t.Errorf("read back: %v", a)
		}
		// The same again, without an Idempotency-Key: the store's natural
		// key refuses a duplicate.
		snap, audit = dlSnapshot(t, f, w), dlLastAudit(t, f)
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/applications", body, "")
		if res.Status != http.StatusConflict || !strings.Contains(res.Doc.Errors[0].Detail, "already has an application") {
			t.Errorf("duplicate application: %d %s", res.Status, res.Body)
		}
		dlUnchanged(t, f, w, snap, audit, "duplicate application")
	})
}

func TestDeliveryLearners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		res := f.get(t, "supplier1", "/api/v1/learners")
		dlOK(t, "learners", res)
		dlCheckDoc(t, f, "GET", "/api/v1/learners", res)
		// Withdrawn after enrolling is still a learner (a syncing client
		// sees them leave); eligible applicants are not yet learners.
		if got := res.ids(t); !slices.Equal(got, []string{w.app("enrolled"), w.app("barnet"), w.app("withdrawn")}) {
			t.Fatalf("supplier1's learners: %v", got)
		}
		var recs []struct {
			ID         string         `json:"id"`
			Attributes map[string]any `json:"attributes"`
		}
		if err := json.Unmarshal(res.Doc.Data, &recs); err != nil {
			t.Fatal(err)
		}
		byID := map[string]map[string]any{}
		for _, r := range recs {
			byID[r.ID] = r.Attributes
		}
		if l := byID[w.app("enrolled")]; l["status"] != "in_training" || l["attendance_rate"] != 1.0 || l["sessions_held"] != 1.0 ||
			l["cohort_name"] != "Barking and Barnet spring" || l["certificate"] != nil {
			t.Errorf("learner in training: %v", l)
		}
		if l := byID[w.app("withdrawn")]; l["status"] != "withdrawn" || l["withdrawal_reason"] != "workload" || l["attendance_rate"] != 0.0 {
			t.Errorf("withdrawn learner: %v", l)
		}

		// A half mark and a session not yet marked count by the domain's rule.
		path := "/api/v1/sessions/" + w.session("s1") + "/attendance"
		dlOK(t, "save", dlDo(t, f, "PUT", "supplier1", path, fmt.Sprintf(`{"data": {"type": "attendance", "attributes": {"register_version": 1,
			"marks": [{"application_id": "%s", "mark": "half"}]}}}`, w.app("enrolled")), ""))
		dlOK(t, "session", dlDo(t, f, "POST", "supplier1", "/api/v1/cohorts/"+w.cohort("k1")+"/sessions",
			`{"data": {"type": "session", "attributes": {"date": "2025-05-20", "minutes": 360, "mode": "online", "topic": "Referrals"}}}`, ""))
		res = f.get(t, "supplier1", "/api/v1/learners?filter[cohort]="+w.cohort("k1"))
		dlOK(t, "learners of k1", res)
		if err := json.Unmarshal(res.Doc.Data, &recs); err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 || recs[0].ID != w.app("enrolled") || recs[0].Attributes["attendance_rate"] != 0.25 || recs[0].Attributes["sessions_held"] != 2.0 {
			t.Errorf("after a half mark and an unmarked session: %s", res.Body)
		}
		// Syncing: only the learner changed since the seed.
		res = f.get(t, "supplier1", "/api/v1/learners?filter[updated_since]=2025-05-21T00:00:00Z")
		if got := res.ids(t); !slices.Equal(got, []string{w.app("enrolled")}) {
			t.Errorf("learners updated since: %v", got)
		}
		for tok, want := range map[string][]string{
			"supplier2": {w.app("leeds")},
			"laA":       {w.app("enrolled"), w.app("withdrawn")},
			"laB":       {w.app("leeds")},
			"programme": {w.app("enrolled"), w.app("barnet"), w.app("withdrawn"), w.app("leeds")},
			"ao":        {w.app("enrolled"), w.app("barnet"), w.app("withdrawn"), w.app("leeds")},
		} {
			if got := f.get(t, tok, "/api/v1/learners").ids(t); !slices.Equal(got, want) {
				t.Errorf("%s's learners: %v, want %v", tok, got, want)
			}
		}
	})
}

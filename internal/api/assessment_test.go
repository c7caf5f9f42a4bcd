package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"senco/internal/store"
	"senco/internal/store/storetest"
)

// pointers are the source pointers of a refusal, for messages.
func wantRefusal(t *testing.T, what string, res response, status int, pointer, says string) {
	t.Helper()
	if res.Status != status {
		t.Errorf("%s: %d, want %d: %s", what, res.Status, status, res.Body)
		return
	}
	if pointer != "-" && !slices.Contains(dlPointers(res), pointer) {
		t.Errorf("%s: pointers %v, want %q: %s", what, dlPointers(res), pointer, res.Body)
	}
	if says != "" && !strings.Contains(string(res.Body), says) {
		t.Errorf("%s: %s, want it to say %q", what, res.Body, says)
	}
}

// auditCount is how many audit entries there are of entity.
func auditCount(t *testing.T, f *fixture, entity string) int {
	t.Helper()
	entries, err := f.db.ListAudit(context.Background(), store.AuditFilter{Entity: entity, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// TestAssessmentPush: a supplier reads a learner's portfolio, pushes
// evidence and decisions (a repeat returns the record, other content under
// the same external_id is 409, bad input is 422 at its attribute and
// writes nothing), reads them back by change, and pushes an IQA outcome
// that overturns a decision; on both databases.
func TestAssessmentPush(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		enrolled := w.app("enrolled")
		portfolioOf := func() map[string]any {
			t.Helper()
			res := f.get(t, "supplier1", "/api/v1/portfolios/"+enrolled)
			dlOK(t, "read the portfolio", res)
			return dlAttrs(t, res)
		}
		p := portfolioOf()
		matrix := p["matrix"].([]any)
		if len(matrix) != 3 || len(p["evidence"].([]any)) != 1 || len(p["submissions"].([]any)) != 1 || len(p["decisions"].([]any)) != 2 {
			t.Fatalf("portfolio: %v", p)
		}
		row := func(m []any, i int) map[string]any { return m[i].(map[string]any) }
		if row(matrix, 0)["state"] != "met" || row(matrix, 1)["state"] != "referred" || row(matrix, 1)["feedback"] != "Dee0 needs the graduated approach" ||
			fmt.Sprint(row(matrix, 0)["cells"]) != "[met]" || fmt.Sprint(p["missing_criteria"]) != "[301/1.2 301/1.3]" || p["complete"] != false {
			t.Errorf("matrix: %v missing %v", matrix, p["missing_criteria"])
		}

		// Evidence: pushed, pushed again, pushed otherwise.
		evBody := func(ext, title string, criteria string) string {
			return fmt.Sprintf(`{"data": {"type": "evidence", "attributes": {"application_id": "%s", "external_id": %q, "kind": "file",
				"title": %q, "file_name": "plan.pdf", "file_type": "application/pdf", "file_size": 2048, "criteria": [%s], "added_on": "2025-05-31"}}}`,
				enrolled, ext, title, criteria)
		}
		audits := auditCount(t, f, "evidence")
		res := dlDo(t, f, "POST", "supplier1", "/api/v1/evidence", evBody("ep-1", "Review plan", `"301/1.2", "301/1.3"`), "")
		dlOK(t, "push evidence", res)
		ev := dlAttrs(t, res)
		if ev["external_id"] != "ep-1" || ev["file_name"] != "plan.pdf" || fmt.Sprint(ev["criteria"]) != "[301/1.2 301/1.3]" {
			t.Errorf("pushed evidence: %v", ev)
		}
		again := dlDo(t, f, "POST", "supplier1", "/api/v1/evidence", evBody("ep-1", " Review plan ", `"301/1.3", "301/1.2"`), "")
		dlOK(t, "push the same evidence again", again)
		if dlAttrs(t, again)["id"] != ev["id"] {
			t.Errorf("a repeated push made another record: %s", again.Body)
		}
		wantRefusal(t, "other evidence under the same external_id", dlDo(t, f, "POST", "supplier1", "/api/v1/evidence",
			evBody("ep-1", "Another plan", `"301/1.3"`), ""), http.StatusConflict, "-", "already pushed")
		for _, c := range []struct {
			what, body, pointer string
		}{
			{"an unknown criterion", evBody("ep-2", "X", `"301/9.9"`), "/data/attributes/criteria"},
			{"no criteria", evBody("ep-2", "X", ``), "/data/attributes/criteria"},
			{"no title", evBody("ep-2", "", `"301/1.1"`), "/data/attributes/title"},
			{"no external id", evBody("", "X", `"301/1.1"`), "/data/attributes/external_id"},
			{"an over-long external id", evBody(strings.Repeat("e", 101), "X", `"301/1.1"`), "/data/attributes/external_id"},
			{"another supplier's learner", strings.Replace(evBody("ep-2", "X", `"301/1.1"`), enrolled, w.app("leeds"), 1), "/data/attributes/application_id"},
			{"a date in the future", strings.Replace(evBody("ep-2", "X", `"301/1.1"`), "2025-05-31", "2025-06-02", 1), "/data/attributes/added_on"},
		} {
			wantRefusal(t, c.what, dlDo(t, f, "POST", "supplier1", "/api/v1/evidence", c.body, ""), http.StatusUnprocessableEntity, c.pointer, "")
		}
		if n := auditCount(t, f, "evidence"); n != audits+1 {
			t.Errorf("%d evidence audit entries after one push, want %d", n, audits+1)
		}
		res = f.get(t, "supplier1", "/api/v1/evidence?filter[updated_since]=2025-05-27T00:00:00Z")
		dlOK(t, "evidence changed since", res)
		if ids := res.ids(t); !slices.Equal(ids, []string{ev["id"].(string)}) || res.Doc.Meta.Page.TotalItems != 1 {
			t.Errorf("evidence since the seed: %v", ids)
		}

		// Decisions.
		decBody := func(ext, criterion, outcome, feedback, on string, extra string) string {
			return fmt.Sprintf(`{"data": {"type": "criterion_decision", "attributes": {"application_id": "%s", "external_id": %q, "criterion": %q,
				"outcome": %q, "feedback": %q, "decided_on": %q%s}}}`, enrolled, ext, criterion, outcome, feedback, on, extra)
		}
		withEvidence := fmt.Sprintf(`, "evidence_id": %q, "assessor_id": "%d"`, ev["id"], f.users["assessor"].ID)
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/criterion-decisions", decBody("d-12", "301/1.2", "met", "", "2025-05-31", withEvidence), "")
		dlOK(t, "push a decision", res)
		d := dlAttrs(t, res)
		again = dlDo(t, f, "POST", "supplier1", "/api/v1/criterion-decisions", decBody("d-12", "301/1.2", "met", "", "2025-05-31", withEvidence), "")
		dlOK(t, "push the same decision again", again)
		if dlAttrs(t, again)["id"] != d["id"] {
			t.Errorf("a repeated push made another decision: %s", again.Body)
		}
		wantRefusal(t, "another decision under the same external_id", dlDo(t, f, "POST", "supplier1", "/api/v1/criterion-decisions",
			decBody("d-12", "301/1.2", "not_yet", "More", "2025-05-31", ""), ""), http.StatusConflict, "-", "already pushed")
		for _, c := range []struct {
			what, body, pointer string
		}{
			{"not yet without feedback", decBody("d-x", "301/1.3", "not_yet", "", "2025-05-31", ""), "/data/attributes/feedback"},
			{"a date in the future", decBody("d-x", "301/1.3", "met", "", "2025-06-02", ""), "/data/attributes/decided_on"},
			{"an unknown outcome", decBody("d-x", "301/1.3", "maybe", "", "2025-05-31", ""), "/data/attributes/outcome"},
			{"an unknown criterion", decBody("d-x", "301/7.7", "met", "", "2025-05-31", ""), "/data/attributes/criterion"},
			{"an assessor on no cohort of the learner's", decBody("d-x", "301/1.3", "met", "", "2025-05-31",
				fmt.Sprintf(`, "assessor_id": "%d"`, f.users["assessor2"].ID)), "/data/attributes/assessor_id"},
			{"another learner's evidence", decBody("d-x", "301/1.3", "met", "", "2025-05-31",
				fmt.Sprintf(`, "evidence_id": "%s"`, dlID(w.assess, "leeds-evidence"))), "/data/attributes/evidence_id"},
		} {
			wantRefusal(t, c.what, dlDo(t, f, "POST", "supplier1", "/api/v1/criterion-decisions", c.body, ""), http.StatusUnprocessableEntity, c.pointer, "")
		}
		dlOK(t, "push the observation's decision", dlDo(t, f, "POST", "supplier1", "/api/v1/criterion-decisions",
			decBody("d-13", "301/1.3", "met", "", "2025-05-31", ""), ""))
		if n := auditCount(t, f, "criterion_decision"); n != 2 {
			t.Errorf("%d decision audit entries after two pushes, want 2", n)
		}
		if p := portfolioOf(); p["complete"] != true || len(p["missing_criteria"].([]any)) != 0 {
			t.Errorf("every criterion met: complete %v, missing %v", p["complete"], p["missing_criteria"])
		}
		res = f.get(t, "supplier1", "/api/v1/criterion-decisions?filter[updated_since]=2025-05-27T00:00:00Z&filter[application]="+enrolled)
		dlOK(t, "decisions since", res)
		if len(res.ids(t)) != 2 {
			t.Errorf("decisions since the seed: %v", res.ids(t))
		}

		// The IQA's outcome: an action overturns the marked decision on
		// 301/1.1 (the sample's first item); the same again is the same;
		// another is 409.
		item := "/api/v1/qa-items/" + dlID(w.assess, "item") + "/outcome"
		wantRefusal(t, "an action without saying what", dlDo(t, f, "POST", "supplier1", item, `{"data": {"attributes": {"outcome": "action"}}}`, ""),
			http.StatusUnprocessableEntity, "/data/attributes/action", "")
		action := `{"data": {"attributes": {"outcome": "action", "action": "Re-read the essay against 301/1.1", "external_id": "iqa-9"}}}`
		res = dlDo(t, f, "POST", "supplier1", item, action, "")
		dlOK(t, "push an action", res)
		if it := dlAttrs(t, res); it["open"] != true || it["outcome"] != "action" {
			t.Errorf("item after the action: %v", it)
		}
		dlOK(t, "push the same action again", dlDo(t, f, "POST", "supplier1", item, action, ""))
		wantRefusal(t, "another outcome", dlDo(t, f, "POST", "supplier1", item, `{"data": {"attributes": {"outcome": "agree"}}}`, ""),
			http.StatusConflict, "-", "already has another outcome")
		p = portfolioOf()
		overturned := 0
		for _, d := range p["decisions"].([]any) {
			if d.(map[string]any)["overturned"] == true {
				overturned++
			}
		}
		if overturned != 1 || p["complete"] != false {
			t.Errorf("after the action: %d overturned, complete %v", overturned, p["complete"])
		}
		res = f.get(t, "supplier1", "/api/v1/qa-items?filter[open]=true")
		dlOK(t, "open actions", res)
		if len(res.ids(t)) != 1 {
			t.Errorf("open actions: %v", res.ids(t))
		}
		res = f.get(t, "supplier1", "/api/v1/submissions?filter[waiting]=true")
		dlOK(t, "the queue", res)
		if res.Doc.Meta.Page.TotalItems != 0 {
			t.Errorf("the marked submission is still waiting: %s", res.Body)
		}
	})
}

// TestAssessmentAwarding: an awarding organisation registers learners in
// bulk (a problem anywhere refuses all, each at its item), claims
// certificates (refused with the reason a learner cannot be certified) and
// reads them with their verification codes; on both databases.
func TestAssessmentAwarding(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		certSeed(t, f, w)
		reg := func(items ...string) string { return `{"data": [` + strings.Join(items, ", ") + `]}` }
		item := func(app, number string) string {
			return fmt.Sprintf(`{"type": "registration", "attributes": {"application_id": "%s", "learner_number": %q}}`, app, number)
		}
		res := dlDo(t, f, "POST", "ao", "/api/v1/registrations", reg(item(w.app("enrolled"), "LN-A"), item(w.app("barnet"), ""),
			item("999999", "LN-Z"), item(w.app("leeds"), "LN-A")), "")
		wantRefusal(t, "a list with problems", res, http.StatusUnprocessableEntity, "/data/1/attributes/learner_number", "")
		for _, ptr := range []string{"/data/2/attributes/application_id", "/data/3/attributes/learner_number"} {
			if !slices.Contains(dlPointers(res), ptr) {
				t.Errorf("problems %v, want one at %s", dlPointers(res), ptr)
			}
		}
		if len(res.Doc.Errors) != 3 {
			t.Errorf("%d problems, want 3: %s", len(res.Doc.Errors), res.Body)
		}
		app, err := db.Application(context.Background(), dlNational, w.apps["enrolled"])
		if err != nil || app.LearnerNumber != "" {
			t.Errorf("a refused list registered enrolled: %q %v", app.LearnerNumber, err)
		}
		wantRefusal(t, "an empty list", dlDo(t, f, "POST", "ao", "/api/v1/registrations", reg(), ""), http.StatusUnprocessableEntity, "/data", "")
		res = dlDo(t, f, "POST", "ao", "/api/v1/registrations", reg(item(w.app("enrolled"), "LN-A"), item(w.app("leeds"), "LN-B")), "")
		dlOK(t, "register two learners", res)
		if ids := res.ids(t); !slices.Equal(ids, []string{w.app("enrolled"), w.app("leeds")}) {
			t.Errorf("registered %v", ids)
		}
		app, _ = db.Application(context.Background(), dlNational, w.apps["enrolled"])
		if app.LearnerNumber != "LN-A" {
			t.Errorf("enrolled's learner number %q", app.LearnerNumber)
		}

		claim := func(app, kind string) response {
			return dlDo(t, f, "POST", "ao", "/api/v1/certificates", fmt.Sprintf(`{"data": {"type": "certificate", "attributes": {"application_id": "%s",
				"kind": %q}}}`, app, kind), "")
		}
		wantRefusal(t, "a learner in training", claim(w.app("enrolled"), "full"), http.StatusUnprocessableEntity, "", "has not completed training")
		wantRefusal(t, "a learner already certified", claim(w.app("certified"), "full"), http.StatusUnprocessableEntity, "", "already holds certificate")
		wantRefusal(t, "a unit certificate with no unit achieved", claim(w.app("enrolled"), "unit"), http.StatusUnprocessableEntity,
			"/data/attributes/units", "no unit with every criterion met")
		wantRefusal(t, "a kind not known", claim(w.app("certifiable"), "partial"), http.StatusUnprocessableEntity, "/data/attributes/kind", "")
		certs := auditCount(t, f, "certificate")
		if certs != 1 {
			t.Errorf("%d certificate audit entries before the claim, want 1 (the seed's)", certs)
		}
		res = claim(w.app("certifiable"), "full")
		dlOK(t, "claim a full certificate", res)
		c := dlAttrs(t, res)
		if c["status"] != "valid" || c["kind"] != "full" || len(c["verification_code"].(string)) != 16 || c["number"] == "" || c["learner_name"] != "Cee1 Learner" {
			t.Errorf("certificate: %v", c)
		}
		res = f.get(t, "ao", "/api/v1/certificates/"+c["id"].(string))
		dlOK(t, "read the certificate", res)
		if dlAttrs(t, res)["verification_code"] != c["verification_code"] {
			t.Errorf("read back: %s", res.Body)
		}
		res = f.get(t, "ao", "/api/v1/certificates?filter[updated_since]=2025-05-27T00:00:00Z")
		dlOK(t, "certificates since", res)
		if !slices.Equal(res.ids(t), []string{c["id"].(string)}) {
			t.Errorf("certificates since the seed: %v", res.ids(t))
		}
		if app, _ := db.Application(context.Background(), dlNational, w.apps["certifiable"]); app.Status != "certified" {
			t.Errorf("certifiable is %s after the claim", app.Status)
		}
	})
}

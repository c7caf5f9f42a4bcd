package api

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/portfolio"
	"senco/internal/store/quality"
	"senco/internal/store/storetest"
)

// Who may not use the assessment routes: besides the roles that may not
// use the API at all, an assessor's and an IQA's tokens (their role may
// not use the API; what they see is their scope in the store, tested in
// TestAssessmentScope); awarding writes are the awarding organisation's.
var (
	assessReadDenied  = append(slices.Clone(readDenied), assessTokens...)
	assessWriteDenied = append(slices.Clone(writeDenied), assessTokens...)
	awardWriteDenied  = append([]string{"programme", "supplier1", "supplier2", "laA", "laB"}, append(slices.Clone(forbiddenTokens), assessTokens...)...)
)

// supplier1Learner are what the assessment world shows of supplier1's
// learners.
var supplier1Learner = []string{"Dee0", "essay on the law", "graduated approach", "Cee0", "Cee1"}

func assessPath(prefix, name, rest string) pathOf {
	return func(f *fixture, w *dlWorld) string { return prefix + dlID(w.assess, name) + rest }
}

func evidenceBody(w *dlWorld) string {
	return fmt.Sprintf(`{"data": {"type": "evidence", "attributes": {"application_id": "%s", "external_id": "m-ev-1", "kind": "file",
		"title": "Matrix notes", "file_name": "notes.pdf", "file_type": "application/pdf", "file_size": 10, "criteria": ["301/1.3"]}}}`, w.app("enrolled"))
}

func decisionBody(w *dlWorld) string {
	return fmt.Sprintf(`{"data": {"type": "criterion_decision", "attributes": {"application_id": "%s", "external_id": "m-dec-1",
		"criterion": "301/1.2", "outcome": "met", "decided_on": "2025-05-30"}}}`, w.app("enrolled"))
}

func registrationBody(w *dlWorld) string {
	return fmt.Sprintf(`{"data": [{"type": "registration", "attributes": {"application_id": "%s", "learner_number": "LN-M1"}}]}`, w.app("enrolled"))
}

func claimBody(w *dlWorld) string {
	return fmt.Sprintf(`{"data": {"type": "certificate", "attributes": {"application_id": "%s", "kind": "full"}}}`, w.app("certifiable"))
}

// assessmentMatrix is the route matrix's cases of the assessment routes.
func assessmentMatrix() map[string]matrixCase {
	denied := func(c matrixCase, tokens []string) matrixCase {
		c.denied = tokens
		return c
	}
	award := func(path string, body func(*dlWorld) string, leak ...string) matrixCase {
		c := writeCaseOf("ao", "ao2", fixed(path), body, body, nil, http.StatusUnprocessableEntity, leak...)
		c.denied = awardWriteDenied
		return c
	}
	return map[string]matrixCase{
		"GET /api/v1/portfolios/{id}": denied(supplierRecord(func(f *fixture, w *dlWorld) string { return "/api/v1/portfolios/" + w.app("enrolled") },
			supplier1Learner...), assessReadDenied),
		"GET /api/v1/evidence": denied(supplierList("/api/v1/evidence", "assess", []string{"evidence"}, supplier1Learner...), assessReadDenied),
		// Another supplier's learner is none it may push for: a rule
		// refuses it at application_id, saying nothing of the learner.
		"POST /api/v1/evidence": denied(writeCase("supplier1", "supplier2", "/api/v1/evidence", evidenceBody, nil,
			http.StatusUnprocessableEntity, supplier1Learner...), assessWriteDenied),
		"GET /api/v1/submissions": denied(supplierList("/api/v1/submissions", "assess", []string{"submission"}, supplier1Learner...), assessReadDenied),
		"GET /api/v1/criterion-decisions": denied(supplierList("/api/v1/criterion-decisions", "assess", []string{"decision"}, supplier1Learner...),
			assessReadDenied),
		"POST /api/v1/criterion-decisions": denied(writeCase("supplier1", "supplier2", "/api/v1/criterion-decisions", decisionBody, nil,
			http.StatusUnprocessableEntity, supplier1Learner...), assessWriteDenied),
		"GET /api/v1/qa-items": denied(supplierList("/api/v1/qa-items", "assess", []string{"item", "item2"}, supplier1Learner...), assessReadDenied),
		"POST /api/v1/qa-items/{id}/outcome": denied(writeCaseOf("supplier1", "supplier2", assessPath("/api/v1/qa-items/", "item", "/outcome"),
			func(*dlWorld) string { return `{"data": {"attributes": {"outcome": "agree"}}}` },
			func(*dlWorld) string { return `{"data": {"attributes": {"outcome": "action", "action": "Intrusion"}}}` },
			nil, http.StatusNotFound, supplier1Learner...), assessWriteDenied),
		// Another awarding organisation's learner is none it may register
		// or certify: refused at the item's or claim's application_id.
		"POST /api/v1/registrations": award("/api/v1/registrations", registrationBody, supplier1Learner...),
		"GET /api/v1/certificates": denied(supplierList("/api/v1/certificates", "assess", []string{"certificate"}, supplier1Learner...),
			assessReadDenied),
		"POST /api/v1/certificates": award("/api/v1/certificates", claimBody, supplier1Learner...),
		"GET /api/v1/certificates/{id}": denied(supplierRecord(assessPath("/api/v1/certificates/", "certificate", ""), supplier1Learner...),
			assessReadDenied),
	}
}

// TestAssessmentScope asks every assessment read for supplier1's learner
// with the tokens of every other organisation (another supplier, both
// authorities, another awarding organisation) and of supplier1's roles that
// may not use the API (an assessor not assigned to the learner, the IQA, a
// setting's manager): refused or told nothing. The store's scopes of an
// assessor (only their cohorts' learners) and an IQA (their supplier's)
// are checked beside it.
func TestAssessmentScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		certSeed(t, f, w)
		// Each read, and the records of supplier1's learner it must not show.
		hidden := map[string][]string{
			"/api/v1/portfolios/" + w.app("enrolled"):                   nil,
			"/api/v1/evidence":                                          {"evidence"},
			"/api/v1/evidence?filter[application]=" + w.app("enrolled"): {"evidence"},
			"/api/v1/submissions":                                       {"submission"},
			"/api/v1/submissions?filter[waiting]=true":                  {"submission"},
			"/api/v1/criterion-decisions":                               {"decision"},
			"/api/v1/qa-items":                                          {"item", "item2"},
			"/api/v1/certificates":                                      {"certificate"},
			"/api/v1/certificates/" + dlID(w.assess, "certificate"):     nil,
		}
		reads := slices.Sorted(maps.Keys(hidden))
		for _, tok := range []string{"supplier2", "laA", "laB", "ao2", "assessor2", "iqa", "assessor", "settingManager", "learner"} {
			for _, path := range reads {
				if tok == "laA" && strings.Contains(path, "/certificates") {
					// An authority sees the certificates of the learners
					// from its settings, as it sees their applications.
					continue
				}
				res := f.get(t, tok, path)
				switch {
				case slices.Contains(append(assessTokens, forbiddenTokens...), tok):
					if res.Status != http.StatusForbidden {
						t.Errorf("%s %s: %d, want 403", tok, path, res.Status)
					}
				case strings.Count(path, "/") == 4 && !strings.Contains(path, "?"):
					if res.Status != http.StatusNotFound {
						t.Errorf("%s %s: %d, want 404", tok, path, res.Status)
					}
				case res.Status != http.StatusOK:
					t.Errorf("%s %s: %d, want 200", tok, path, res.Status)
				default:
					for _, id := range res.ids(t) {
						if slices.Contains(dlIDs(w, "assess", hidden[path]), id) {
							t.Errorf("%s %s lists %s of supplier1's learner", tok, path, id)
						}
					}
				}
				for _, s := range supplier1Learner {
					if strings.Contains(string(res.Body), s) {
						t.Errorf("%s %s carries %q", tok, path, s)
					}
				}
			}
		}
		// Those who may see them do.
		for _, tok := range []string{"programme", "supplier1", "ao"} {
			res := f.get(t, tok, "/api/v1/portfolios/"+w.app("enrolled"))
			if res.Status != http.StatusOK || !strings.Contains(string(res.Body), "Dee0") {
				t.Errorf("%s reads the portfolio: %d %s", tok, res.Status, res.Body)
			}
		}

		// In the store: the cohort's assessor sees the learner's work, an
		// assessor of the same supplier on no cohort none of it; the IQA
		// their supplier's, another supplier's IQA none.
		ctx := context.Background()
		evidence := func(u domain.User) int {
			page, err := portfolio.EvidenceList(ctx, db.Reader(), policy.Portfolio(u), portfolio.SyncFilter{Page: 1, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			return page.Total
		}
		if n := evidence(f.users["assessor"]); n != 1 {
			t.Errorf("k1's assessor sees %d pieces of evidence, want 1 (enrolled's)", n)
		}
		if n := evidence(f.users["assessor2"]); n != 0 {
			t.Errorf("an assessor on no cohort sees %d pieces of evidence", n)
		}
		if n := evidence(f.users["iqa"]); n != 1 {
			t.Errorf("supplier1's IQA sees %d pieces of evidence, want 1", n)
		}
		queue := func(u domain.User) int {
			page, err := portfolio.SubmissionList(ctx, db.Reader(), policy.Portfolio(u), portfolio.SyncFilter{Waiting: true, Page: 1, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			return page.Total
		}
		if queue(f.users["assessor2"]) != 0 {
			t.Error("an assessor on no cohort has work to mark")
		}
		if _, err := portfolio.Load(ctx, db.Reader(), policy.Portfolio(f.users["assessor2"]), w.apps["enrolled"]); err == nil {
			t.Error("an assessor on no cohort loaded the portfolio")
		}
		items := func(u domain.User) int {
			n, err := quality.ItemCount(ctx, db.Reader(), policy.Quality(u), quality.ItemFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if items(f.users["iqa"]) != 2 || items(f.users["supplier2"]) != 0 || items(f.users["assessor2"]) != 0 || items(f.users["assessor"]) != 2 {
			t.Errorf("sampled decisions: iqa %d, supplier2 %d, assessor2 %d, assessor %d; want 2, 0, 0, 2",
				items(f.users["iqa"]), items(f.users["supplier2"]), items(f.users["assessor2"]), items(f.users["assessor"]))
		}
	})
}

package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestDeclarationsAPI: a declaration the records do not support is 422
// with its reason at the attribute, and nothing is kept; the same
// declaration twice is one; a void after the statement is paid is a
// clawback the statement's API shows.
func TestDeclarationsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		body := func(app, milestone, on string) string {
			return fmt.Sprintf(`{"data": {"type": "declaration", "attributes": {"application_id": "%s", "milestone": %q, "declared_on": %q}}}`, app, milestone, on)
		}
		before := f.get(t, "supplier1", "/api/v1/declarations")
		res := dlDo(t, f, "POST", "supplier1", "/api/v1/declarations", body(w.app("enrolled"), "completed", "2025-05-20"), "")
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "training to be complete") ||
			res.Doc.Errors[0].Source == nil || res.Doc.Errors[0].Source.Pointer != "/data/attributes/milestone" {
			t.Fatalf("completed for a learner in training: %d %s", res.Status, res.Body)
		}
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/declarations", body(w.app("barnet"), "started", "2025-07-01"), "")
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "today or in the past") {
			t.Fatalf("a date in the future: %d %s", res.Status, res.Body)
		}
		res = dlDo(t, f, "POST", "supplier1", "/api/v1/declarations", body(w.app("barnet"), "halfway", "2025-05-20"), "")
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("an unknown milestone: %d %s", res.Status, res.Body)
		}
		if after := f.get(t, "supplier1", "/api/v1/declarations"); after.Doc.Meta.Page.TotalItems != before.Doc.Meta.Page.TotalItems {
			t.Fatalf("refused declarations were kept: %d → %d", before.Doc.Meta.Page.TotalItems, after.Doc.Meta.Page.TotalItems)
		}
		first := dlDo(t, f, "POST", "supplier1", "/api/v1/declarations", body(w.app("barnet"), "started", "2025-05-12"), "")
		again := dlDo(t, f, "POST", "supplier1", "/api/v1/declarations", body(w.app("barnet"), "started", "2025-05-12"), "")
		dlOK(t, "declare", first)
		dlOK(t, "declare again", again)
		if first.ids(t)[0] != again.ids(t)[0] || !strings.Contains(string(first.Body), `"amount_pence":30000`) {
			t.Fatalf("the same declaration twice: %s / %s", first.Body, again.Body)
		}
		st := f.get(t, "supplier1", "/api/v1/statements/"+dlID(w.money, "statement"))
		dlOK(t, "statement", st)
		if !strings.Contains(string(st.Body), `"total_pence":30000`) || !strings.Contains(string(st.Body), `"kind":"payment"`) {
			t.Fatalf("statement: %s", st.Body)
		}
		if res := f.get(t, "supplier2", "/api/v1/statements/"+dlID(w.money, "statement")); res.Status != http.StatusNotFound {
			t.Fatalf("another supplier's statement: %d", res.Status)
		}
		contracts := f.get(t, "supplier1", "/api/v1/contracts?filter[in_force]=true")
		if ids := contracts.ids(t); len(ids) != 1 || ids[0] != fmt.Sprint(w.contract1) {
			t.Fatalf("supplier1's contracts: %s", contracts.Body)
		}
	})
}

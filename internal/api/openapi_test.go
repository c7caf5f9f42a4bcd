package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestOpenAPIMatchesRoutes fails when the served document and the route
// table disagree: every registered route must be documented, every
// documented operation must answer, every documented parameter must be
// accepted, and every record's attributes must be the documented ones.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		w := dlSeed(t, f)
		certSeed(t, f, w)
		res := f.get(t, "", "/api/v1/openapi.json")
		if res.Status != http.StatusOK {
			t.Fatalf("openapi.json: %d %s", res.Status, res.Body)
		}
		var doc map[string]any
		if err := json.Unmarshal(res.Body, &doc); err != nil {
			t.Fatal(err)
		}
		if doc["openapi"] != "3.1.0" {
			t.Errorf("openapi = %v", doc["openapi"])
		}
		checkRefs(t, doc, doc, "#")
		schemes := dig(doc, "components", "securitySchemes", "bearer").(map[string]any)
		if schemes["type"] != "http" || schemes["scheme"] != "bearer" {
			t.Errorf("security scheme: %v", schemes)
		}
		paths := doc["paths"].(map[string]any)

		// Every route is documented.
		routes := f.api.routes()
		registered := map[string]bool{}
		for _, rt := range routes {
			key := rt.Method + " " + rt.Path
			registered[key] = true
			op, ok := dig(doc, "paths", rt.Path, strings.ToLower(rt.Method)).(map[string]any)
			if !ok {
				t.Errorf("route %s is not in the OpenAPI document", key)
				continue
			}
			responses := op["responses"].(map[string]any)
			want := []string{"200"}
			if !rt.Public {
				want = append(want, "401", "403", "429")
			}
			if rt.Method != http.MethodGet {
				want = append(want, "400", "415", "422")
				if strings.Contains(rt.Path, "{") {
					want = append(want, "404")
				}
				if _, ok := dig(op, "requestBody", "content", "application/json", "schema", "$ref").(string); !ok {
					t.Errorf("%s does not document its request body", key)
				}
			}
			for _, s := range want {
				if _, ok := responses[s]; !ok {
					t.Errorf("%s does not document response %s", key, s)
				}
			}
		}

		// Every documented operation is a route and answers.
		example := map[string]string{"urn": "EY000001", "/api/v1/practitioners/{id}": f.id("pA"), "/api/v1/employments/{id}": f.id("eA"),
			"/api/v1/cohorts/{id}": w.cohort("k1"), "/api/v1/cohorts/{id}/sessions": w.cohort("k1"),
			"/api/v1/sessions/{id}": w.session("s1"), "/api/v1/sessions/{id}/attendance": w.session("s1"),
			"/api/v1/applications/{id}": w.app("enrolled"), "/api/v1/programmes/{id}/progress": strconv.FormatInt(w.programme, 10),
			"/api/v1/contracts/{id}": strconv.FormatInt(w.contract1, 10), "/api/v1/declarations/{id}": dlID(w.money, "declaration"),
			"/api/v1/declarations/{id}/void": dlID(w.money, "declaration"), "/api/v1/statements/{id}": dlID(w.money, "statement"),
			"/api/v1/claims/{id}/verify": dlID(w.money, "claim"), "/api/v1/self-reviews/{id}": dlID(w.growth, "shared"),
			"/api/v1/portfolios/{id}": w.app("enrolled"), "/api/v1/qa-items/{id}/outcome": dlID(w.assess, "item"),
			"/api/v1/certificates/{id}": dlID(w.assess, "certificate")}
		for _, action := range []string{"accept", "reject", "defer", "resume", "withdraw", "transfer"} {
			example["/api/v1/applications/{id}/"+action] = w.app("eligible")
		}
		for path, item := range paths {
			for method, rawOp := range item.(map[string]any) {
				key := strings.ToUpper(method) + " " + path
				if !registered[key] {
					t.Errorf("%s is documented but not registered", key)
				}
				concrete := strings.ReplaceAll(path, "{urn}", example["urn"])
				concrete = strings.ReplaceAll(concrete, "{id}", example[path])
				// A write is refused without a token, and to a token whose
				// role may not write; its happy paths, and their answers
				// against this document, are in the delivery tests.
				if method != "get" {
					body, _ := json.Marshal(dig(rawOp, "requestBody", "content", "application/json", "example"))
					if res := dlDo(t, f, strings.ToUpper(method), "", concrete, string(body), ""); res.Status != http.StatusUnauthorized {
						t.Errorf("%s without a token: %d", key, res.Status)
					}
					if res := dlDo(t, f, strings.ToUpper(method), "laA", concrete, string(body), ""); res.Status != http.StatusForbidden {
						t.Errorf("%s by an LA officer: %d %s", key, res.Status, res.Body)
					}
					continue
				}
				// A public operation is asked without a token.
				token := "programme"
				if strings.HasPrefix(path, "/api/v1/self-reviews") || path == "/api/v1/confidence-ratings" {
					// The programme team reads no individual review or
					// rating; an LA reads those shared with it.
					token = "laA"
				}
				if sec, ok := dig(rawOp, "security").([]any); ok && len(sec) == 0 {
					token = ""
				}
				res := f.do(t, strings.ToUpper(method), token, concrete)
				if res.Status != http.StatusOK {
					t.Errorf("%s (%s): %d %s", key, concrete, res.Status, res.Body)
					continue
				}
				checkAttributes(t, doc, rawOp.(map[string]any), key, res)

				// Every documented query parameter, with its example, is
				// accepted.
				for _, p := range params(doc, rawOp.(map[string]any)) {
					if p["in"] != "query" {
						continue
					}
					ex, ok := p["example"]
					if !ok {
						t.Errorf("%s: parameter %v has no example", key, p["name"])
						continue
					}
					q := url.Values{p["name"].(string): {fmt.Sprint(ex)}}
					res := f.get(t, token, concrete+"?"+q.Encode())
					if res.Status != http.StatusOK {
						t.Errorf("%s with %s: %d %s", key, q.Encode(), res.Status, res.Body)
					}
				}
			}
		}
	})
}

// params resolves an operation's parameters.
func params(doc map[string]any, op map[string]any) []map[string]any {
	var out []map[string]any
	list, _ := op["parameters"].([]any)
	for _, p := range list {
		m := p.(map[string]any)
		if r, ok := m["$ref"].(string); ok {
			m = resolve(doc, r).(map[string]any)
		}
		out = append(out, m)
	}
	return out
}

// checkAttributes compares the attributes of the records a 200 returned
// with the properties its schema documents.
func checkAttributes(t *testing.T, doc, op map[string]any, key string, res response) {
	t.Helper()
	schemaRef, ok := dig(op, "responses", "200", "content", "application/json", "schema", "$ref").(string)
	if !ok {
		return // openapi.json itself
	}
	name := strings.TrimPrefix(schemaRef, "#/components/schemas/")
	name = strings.TrimSuffix(strings.TrimSuffix(name, "List"), "Document")
	resSchema := resolve(doc, "#/components/schemas/"+name)
	documented := keys(dig(resSchema, "properties", "attributes", "properties").(map[string]any))
	typ := dig(resSchema, "properties", "type", "const")
	var records []map[string]any
	if err := json.Unmarshal(res.Doc.Data, &records); err != nil {
		var one map[string]any
		if err := json.Unmarshal(res.Doc.Data, &one); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		records = []map[string]any{one}
	}
	if len(records) == 0 {
		t.Errorf("%s: no records to compare with the schema", key)
	}
	for _, r := range records {
		if got := keys(r["attributes"].(map[string]any)); !slices.Equal(got, documented) {
			t.Errorf("%s: attributes %v, documented %v", key, got, documented)
		}
		if r["type"] != typ {
			t.Errorf("%s: type %v, documented %v", key, r["type"], typ)
		}
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// dig follows keys through nested objects; nil when any is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// resolve follows a local JSON pointer.
func resolve(doc map[string]any, ref string) any {
	parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return dig(doc, parts...)
}

// checkRefs fails on any $ref that does not resolve.
func checkRefs(t *testing.T, doc map[string]any, v any, at string) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		if r, ok := v["$ref"].(string); ok {
			if !strings.HasPrefix(r, "#/") || resolve(doc, r) == nil {
				t.Errorf("%s: $ref %s does not resolve", at, r)
			}
		}
		for k, c := range v {
			checkRefs(t, doc, c, at+"/"+k)
		}
	case []any:
		for i, c := range v {
			checkRefs(t, doc, c, fmt.Sprintf("%s/%d", at, i))
		}
	}
}

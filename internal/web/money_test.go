package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"senco/internal/auth"
	"senco/internal/demo"
	"senco/internal/pdf"
	"senco/internal/store/storetest"
	"senco/internal/web"
)

// TestStatementsPages walks the demo's statements as a supplier and as the
// programme team: each supplier sees its own, downloads one as CSV, and
// another supplier is refused it; the team authorises a payable statement
// and records its payment, and a payment without a reference is refused
// with the reason beside the field.
func TestStatementsPages(t *testing.T) {
	printer := pdf.New("")
	defer printer.Close()
	srv, client := demoServer(t, printer)
	supplier, other, team, manager := client("supplier"), client("supplier.brightstart"), client("programme"), client("manager")
	code, body := get(t, supplier, srv.URL+"/statements")
	if code != 200 || !strings.Contains(body, "Statements, newest month first") || strings.Contains(body, "Run statements") {
		t.Fatalf("supplier's statements: %d", code)
	}
	ids := regexp.MustCompile(`href="/statements/(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(ids) == 0 {
		t.Fatal("the supplier has no statements")
	}
	own := "/statements/" + ids[0][1]
	if code, body := get(t, supplier, srv.URL+own+"?format=csv"); code != 200 || !strings.Contains(body, "Declaration,Learner") || !strings.Contains(body, ",Total,") {
		t.Errorf("statement CSV: %d %.200s", code, body)
	}
	if printer.Available() {
		if code, body := get(t, supplier, srv.URL+own+"?format=pdf"); code != 200 || !strings.HasPrefix(body, "%PDF-") || !strings.Contains(body, "/StructTreeRoot") {
			t.Errorf("statement PDF: %d, tagged %v", code, strings.Contains(body, "/StructTreeRoot"))
		}
	}
	if code, _ := get(t, other, srv.URL+own); code != http.StatusNotFound {
		t.Errorf("another supplier opened the statement: %d", code)
	}
	if code, _ := get(t, manager, srv.URL+"/statements"); code != http.StatusForbidden {
		t.Errorf("a setting manager opened statements: %d", code)
	}
	// The team: a payable statement is authorised, then paid.
	code, body = get(t, team, srv.URL+"/statements")
	if code != 200 || !strings.Contains(body, "Run statements") {
		t.Fatalf("team's statements: %d", code)
	}
	payable := regexp.MustCompile(`href="(/statements/\d+)">[^<]*<span[^>]*>[^<]*</span></a></th>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*><strong class="govuk-tag govuk-tag--blue">Payable`).FindStringSubmatch(body)
	if payable == nil {
		t.Fatal("no payable statement in the demo")
	}
	if code, _ := post(t, team, srv.URL+payable[1]+"/authorise", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("authorise: %d", code)
	}
	code, body = post(t, team, srv.URL+payable[1]+"/pay", url.Values{"paid-day": {"1"}, "paid-month": {"12"}, "paid-year": {"2026"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter the payment reference") {
		t.Fatalf("pay without a reference: %d", code)
	}
	if code, _ := post(t, supplier, srv.URL+payable[1]+"/pay", url.Values{"payment_reference": {"X"}}); code != http.StatusForbidden {
		t.Errorf("a supplier recorded a payment: %d", code)
	}
	code, _ = post(t, team, srv.URL+payable[1]+"/pay", url.Values{"payment_reference": {"BACS-TEST-1"}, "paid-day": {"1"}, "paid-month": {"12"}, "paid-year": {"2026"}})
	if code != http.StatusSeeOther {
		t.Fatalf("pay: %d", code)
	}
	if _, body := get(t, team, srv.URL+payable[1]); !strings.Contains(body, "reference BACS-TEST-1") {
		t.Errorf("the paid statement does not show its payment")
	}

	if code, body := get(t, team, srv.URL+"/budget"); code != 200 || !strings.Contains(body, "Approved and paid by local authority") {
		t.Errorf("budget: %d", code)
	}
	if code, _ := get(t, supplier, srv.URL+"/budget"); code != http.StatusForbidden {
		t.Errorf("a supplier opened the budget: %d", code)
	}

	// Claims of cover: the nursery's manager sees its claims and starts one
	// for a learner of the nursery; another setting's manager cannot.
	code, body = get(t, manager, srv.URL+"/claims")
	if code != 200 || !strings.Contains(body, "Claims for cover") {
		t.Fatalf("manager's claims: %d", code)
	}
	learner := regexp.MustCompile(`href="/claims/new\?learner=(\d+)"`).FindStringSubmatch(body)
	if learner == nil {
		t.Fatal("the nursery's manager is offered no learner to claim for")
	}
	if code, body := get(t, manager, srv.URL+"/claims/new?learner="+learner[1]); code != 200 || !strings.Contains(body, "Sessions to claim") {
		t.Fatalf("claim form: %d", code)
	}
	if code, _ := get(t, client("manager.hackney"), srv.URL+"/claims/new?learner="+learner[1]); code != http.StatusNotFound {
		t.Errorf("another setting's manager opened the claim form: %d", code)
	}
	code, body = post(t, manager, srv.URL+"/claims", url.Values{"learner": {learner[1]}, "conditions": {"yes"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose the sessions") {
		t.Errorf("a claim of nothing: %d", code)
	}
	code, body = get(t, supplier, srv.URL+"/claims")
	toVerify := regexp.MustCompile(`action="(/claims/\d+/verify)"`).FindStringSubmatch(body)
	if code != 200 || toVerify == nil {
		t.Fatalf("the supplier's claims: %d, a claim to verify: %v", code, toVerify)
	}
	if code, _ := post(t, other, srv.URL+toVerify[1], url.Values{"decision": {"yes"}}); code != http.StatusNotFound {
		t.Errorf("another supplier verified the claim: %d", code)
	}
	if code, _ := post(t, supplier, srv.URL+toVerify[1], url.Values{"decision": {"yes"}}); code != http.StatusSeeOther {
		t.Errorf("verify: %d", code)
	}
	_, body = get(t, team, srv.URL+"/claims")
	if !strings.Contains(body, "/approve") {
		t.Error("the programme team is offered no claim to approve")
	}

	// Payment batches: the approved claims go to finance as a file, and
	// finance's answer comes back; one that does not match changes nothing.
	if code, _ := post(t, team, srv.URL+"/batches", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("make a batch: %d", code)
	}
	_, body = get(t, team, srv.URL+"/batches")
	batch := regexp.MustCompile(`href="/batches/(\d+)/file"`).FindStringSubmatch(body)
	if batch == nil {
		t.Fatal("no batch to download")
	}
	code, file := get(t, team, srv.URL+"/batches/"+batch[1]+"/file")
	lines := strings.Split(strings.TrimSpace(file), "\n")
	if code != 200 || len(lines) < 2 || !strings.HasPrefix(lines[0], "claim_id,amount,outcome") {
		t.Fatalf("batch file: %d %.200s", code, file)
	}
	code, body = upload(t, team, srv.URL+"/batches/"+batch[1]+"/response", "response.csv", lines[0]+"\n999999,1.00,paid,X,,EY1,x,y,1.00,1.00\n")
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "nothing was changed") || !strings.Contains(body, "999999") {
		t.Fatalf("a response that does not match: %d %s", code, body[strings.Index(body, "<main"):])
	}
	for i := 1; i < len(lines); i++ {
		f := strings.Split(lines[i], ",")
		f[2], f[3] = "paid", "FIN-"+f[0]
		lines[i] = strings.Join(f, ",")
	}
	if code, body := upload(t, team, srv.URL+"/batches/"+batch[1]+"/response", "response.csv", strings.Join(lines, "\n")); code != http.StatusSeeOther {
		t.Fatalf("finance's response: %d %.300s", code, body)
	}
	if _, body := get(t, team, srv.URL+"/batches"); !strings.Contains(body, "Reconciled") {
		t.Error("the batch is not reconciled")
	}
	if code, _ := get(t, supplier, srv.URL+"/batches"); code != http.StatusForbidden {
		t.Errorf("a supplier opened the batches: %d", code)
	}
	if code, _ := get(t, client("trainer"), srv.URL+"/claims"); code != http.StatusForbidden {
		t.Errorf("a trainer opened claims: %d", code)
	}
}

// demoServer serves the demo on SQLite, and client signs in as the demo
// user whose email starts with prefix and an @.
func demoServer(t *testing.T, printer *pdf.Renderer) (*httptest.Server, func(prefix string) *http.Client) {
	t.Helper()
	db := storetest.SQLite(t)
	h := auth.NewHasher(auth.FastParams, 4)
	res, err := demo.Seed(context.Background(), db, h, demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Config{DB: db, Hasher: h, PDF: printer})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	password := map[string]string{}
	for _, u := range res.Users {
		password[u.Email] = u.Password
	}
	return srv, func(prefix string) *http.Client {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for email, pw := range password {
			if strings.HasPrefix(email, prefix+"@") {
				r, err := c.PostForm(srv.URL+"/sign-in", url.Values{"email": {email}, "password": {pw}})
				if err != nil || r.StatusCode != http.StatusSeeOther {
					t.Fatalf("sign in as %s: %v %v", email, r, err)
				}
				r.Body.Close()
				return c
			}
		}
		t.Fatalf("no demo user %s", prefix)
		return nil
	}
}

package web_test

import (
	"encoding/csv"
	"html"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestDeclarationsPages walks declarations as the demo's supplier: its
// learners with each milestone declared or to declare; a declaration the
// records support is recorded and priced; one they do not support is
// refused with the reason and nothing recorded; a paid one voided becomes
// a clawback; another supplier and a setting manager cannot reach them.
func TestDeclarationsPages(t *testing.T) {
	srv, client := demoServer(t, nil)
	supplier, other, team, manager := client("supplier"), client("supplier.brightstart"), client("programme"), client("manager")

	code, body := get(t, supplier, srv.URL+"/declarations")
	if code != http.StatusOK || !strings.Contains(body, "Your learners") {
		t.Fatalf("supplier's declarations: %d", code)
	}
	links := regexp.MustCompile(`href="/declarations/new\?learner=(\d+)&amp;milestone=(\w+)"`).FindAllStringSubmatch(body, -1)
	if len(links) == 0 {
		t.Fatalf("no milestone is offered to declare:\n%s", body)
	}
	// Try each offered milestone until one is refused and one recorded:
	// the demo holds learners at every stage.
	var recorded, refused bool
	for _, l := range links {
		if recorded && refused {
			break
		}
		form := url.Values{"learner": {l[1]}, "milestone": {l[2]}, "declared_on-day": {"1"}, "declared_on-month": {"1"}, "declared_on-year": {"2020"}}
		// A date before anyone was enrolled is refused, whatever the records.
		if code, body := post(t, supplier, srv.URL+"/declarations", form); code != http.StatusUnprocessableEntity || !strings.Contains(body, "govuk-error-summary") {
			t.Fatalf("a declaration dated 2020: %d", code)
		}
		code, page := get(t, supplier, srv.URL+"/declarations/new?learner="+l[1]+"&milestone="+l[2])
		if code != http.StatusOK {
			t.Fatalf("declare form: %d", code)
		}
		day := regexp.MustCompile(`name="declared_on-day"[^>]*value="(\d+)"`).FindStringSubmatch(page)
		month := regexp.MustCompile(`name="declared_on-month"[^>]*value="(\d+)"`).FindStringSubmatch(page)
		year := regexp.MustCompile(`name="declared_on-year"[^>]*value="(\d+)"`).FindStringSubmatch(page)
		if day == nil || month == nil || year == nil {
			t.Fatalf("the form is not filled with today:\n%s", page)
		}
		form.Set("declared_on-day", day[1])
		form.Set("declared_on-month", month[1])
		form.Set("declared_on-year", year[1])
		code, body := post(t, supplier, srv.URL+"/declarations", form)
		switch code {
		case http.StatusSeeOther:
			recorded = true
			_, list := get(t, supplier, srv.URL+"/declarations")
			if !strings.Contains(html.UnescapeString(list), "checked against the records") {
				t.Errorf("no confirmation after declaring:\n%s", list)
			}
		case http.StatusUnprocessableEntity:
			refused = true
			msg := regexp.MustCompile(`(?s)govuk-error-summary__list">.*?<a href="[^"]*">([^<]+)`).FindStringSubmatch(body)
			if msg == nil {
				t.Fatalf("a refusal without a reason:\n%s", body)
			}
		default:
			t.Fatalf("declare %s for %s: %d", l[2], l[1], code)
		}
	}
	if !recorded || !refused {
		t.Errorf("recorded %v, refused %v: the demo should give both", recorded, refused)
	}

	// Void a paid declaration: the confirmation says it will be clawed back.
	_, paid := get(t, supplier, srv.URL+"/declarations?state=paid")
	void := regexp.MustCompile(`href="/declarations/(\d+)/void"`).FindStringSubmatch(paid)
	if void == nil {
		t.Fatal("no paid declaration to void")
	}
	path := "/declarations/" + void[1] + "/void"
	if code, body := get(t, supplier, srv.URL+path); code != http.StatusOK || !strings.Contains(body, "takes") {
		t.Fatalf("void form: %d", code)
	}
	if code, _ := post(t, supplier, srv.URL+path, url.Values{"reason": {""}}); code != http.StatusUnprocessableEntity {
		t.Errorf("a void without a reason: %d", code)
	}
	if code, _ := post(t, other, srv.URL+path, url.Values{"reason": {"not mine"}}); code != http.StatusNotFound {
		t.Errorf("another supplier voided it: %d", code)
	}
	if code, _ := post(t, supplier, srv.URL+path, url.Values{"reason": {"Learner left before the session"}}); code != http.StatusSeeOther {
		t.Fatalf("void: %d", code)
	}
	_, list := get(t, supplier, srv.URL+"/declarations?state=awaiting_clawback")
	if !strings.Contains(list, "Learner left before the session") {
		t.Errorf("the voided paid declaration is not awaiting clawback")
	}

	// The programme team sees every supplier's, without declaring.
	if code, body := get(t, team, srv.URL+"/declarations"); code != http.StatusOK || strings.Contains(body, "Your learners") || !strings.Contains(body, "Every supplier") {
		t.Errorf("the programme team's declarations: %d", code)
	}
	if code, _ := get(t, manager, srv.URL+"/declarations"); code != http.StatusForbidden {
		t.Errorf("a setting manager opened declarations: %d", code)
	}
}

// TestClawbackAndBudgetExport: the programme team claws back a paid claim
// of cover from the claims list, with a reason, and downloads the budget
// by authority as CSV and XLSX, whose total row is the sum of its rows.
func TestClawbackAndBudgetExport(t *testing.T) {
	srv, client := demoServer(t, nil)
	team, manager := client("programme"), client("manager")
	_, list := get(t, team, srv.URL+"/claims")
	link := regexp.MustCompile(`href="(/claims/\d+/clawback)"`).FindStringSubmatch(list)
	if link == nil {
		t.Fatal("no paid claim offers a clawback")
	}
	if code, _ := get(t, manager, srv.URL+link[1]); code != http.StatusForbidden {
		t.Errorf("a setting manager opened the clawback: %d", code)
	}
	if code, body := get(t, team, srv.URL+link[1]); code != http.StatusOK || !strings.Contains(body, "nothing is deleted") {
		t.Fatalf("clawback form: %d", code)
	}
	if code, body := post(t, team, srv.URL+link[1], url.Values{"reason": {" "}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "Give the reason") {
		t.Errorf("a clawback without a reason: %d", code)
	}
	if code, _ := post(t, team, srv.URL+link[1], url.Values{"reason": {"Register corrected after payment"}}); code != http.StatusSeeOther {
		t.Fatalf("clawback: %d", code)
	}
	if _, body := get(t, team, srv.URL+"/claims"); !strings.Contains(body, "will be clawed back") || !strings.Contains(body, "Register corrected after payment") {
		t.Errorf("the claims list does not show the clawback")
	}
	if code, _ := post(t, team, srv.URL+link[1], url.Values{"reason": {"again"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("a second clawback of the same claim: %d", code)
	}

	res, err := team.Get(srv.URL + "/budget?format=csv")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("budget CSV: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var sum, total float64
	for _, r := range rows {
		if len(r) < 5 {
			continue
		}
		v, err := strconv.ParseFloat(r[3], 64)
		if err != nil {
			continue // the title, header and definitions
		}
		if r[1] == "All authorities" {
			total = v
		} else {
			sum += v
		}
	}
	if total == 0 || math.Abs(sum-total) > 0.001 {
		t.Errorf("budget CSV: rows add to %.2f, total row %.2f\n%s", sum, total, b)
	}
	if code, body := get(t, team, srv.URL+"/budget?format=xlsx"); code != http.StatusOK || !strings.HasPrefix(body, "PK") {
		t.Errorf("budget XLSX: %d", code)
	}
	if code, _ := get(t, team, srv.URL+"/budget?format=doc"); code != http.StatusNotFound {
		t.Errorf("an unknown format: %d", code)
	}
}

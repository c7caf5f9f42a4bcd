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
	if !strings.Contains(body, `href="#cohort-`) || !strings.Contains(body, `id="cohort-`) {
		t.Errorf("the learners are not grouped by cohort:\n%s", body)
	}
	links := regexp.MustCompile(`href="/declarations/new\?learner=(\d+)&amp;milestone=(\w+)"`).FindAllStringSubmatch(body, -1)
	if len(links) == 0 {
		t.Fatalf("no milestone is offered to declare:\n%s", body)
	}
	// A milestone the records do not support yet is not offered, and says
	// why; declaring it anyway is refused with that same reason.
	milestones := []string{"started", "retained", "completed"}
	var notYet, notYetLearner, notYetMilestone string
	for _, row := range regexp.MustCompile(`(?s)<tr class="govuk-table__row">\s*<th scope="row".*?</tr>`).FindAllString(body, -1) {
		id := regexp.MustCompile(`href="/applications/(\d+)"`).FindStringSubmatch(row)
		cells := regexp.MustCompile(`(?s)<td class="govuk-table__cell">(.*?)</td>`).FindAllStringSubmatch(row, -1)
		if id == nil || len(cells) != len(milestones) {
			t.Fatalf("a learner's row without its three milestones:\n%s", row)
		}
		for i, c := range cells {
			if r, ok := strings.CutPrefix(c[1], `<span class="govuk-body-s">Not yet: `); ok && notYet == "" {
				notYet, notYetLearner, notYetMilestone = html.UnescapeString(strings.TrimSuffix(r, "</span>")), id[1], milestones[i]
			}
		}
	}
	if notYet == "" {
		t.Fatalf("no milestone says it is not yet due: the demo holds learners at every stage:\n%s", body)
	}
	today := url.Values{}
	{
		_, form := get(t, supplier, srv.URL+"/declarations/new?learner="+links[0][1]+"&milestone="+links[0][2])
		for _, part := range []string{"day", "month", "year"} {
			v := regexp.MustCompile(`name="declared_on-` + part + `"[^>]*value="(\d+)"`).FindStringSubmatch(form)
			if v == nil {
				t.Fatalf("the form is not filled with today:\n%s", form)
			}
			today.Set("declared_on-"+part, v[1])
		}
	}
	form := url.Values{"learner": {notYetLearner}, "milestone": {notYetMilestone}}
	for k, v := range today {
		form[k] = v
	}
	code, refusal := post(t, supplier, srv.URL+"/declarations", form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(refusal), notYet) {
		t.Errorf("declaring a milestone shown as not yet (%s): %d, want 422 with %q", notYet, code, notYet)
	}
	// A date before anyone was enrolled is refused, whatever the records.
	form = url.Values{"learner": {links[0][1]}, "milestone": {links[0][2]}, "declared_on-day": {"1"}, "declared_on-month": {"1"}, "declared_on-year": {"2020"}}
	if code, body := post(t, supplier, srv.URL+"/declarations", form); code != http.StatusUnprocessableEntity || !strings.Contains(body, "govuk-error-summary") {
		t.Fatalf("a declaration dated 2020: %d", code)
	}
	// Every milestone offered is accepted by the records today.
	for _, l := range links {
		form := url.Values{"learner": {l[1]}, "milestone": {l[2]}}
		for k, v := range today {
			form[k] = v
		}
		if code, body := post(t, supplier, srv.URL+"/declarations", form); code != http.StatusSeeOther {
			msg := regexp.MustCompile(`(?s)govuk-error-summary__list">.*?<a href="[^"]*">([^<]+)`).FindStringSubmatch(body)
			t.Fatalf("declare %s for %s, as offered: %d %v", l[2], l[1], code, msg)
		}
	}
	_, list := get(t, supplier, srv.URL+"/declarations")
	if !strings.Contains(html.UnescapeString(list), "checked against the records") {
		t.Errorf("no confirmation after declaring:\n%s", list)
	}
	// What was declared is not offered again.
	for _, l := range links {
		if strings.Contains(list, `learner=`+l[1]+`&amp;milestone=`+l[2]+`"`) {
			t.Errorf("%s for %s is offered again after it was declared", l[2], l[1])
		}
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
	_, list = get(t, supplier, srv.URL+"/declarations?state=awaiting_clawback")
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

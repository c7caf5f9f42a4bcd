package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"senco/internal/catalogue"
	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

func gpost(t *testing.T, c *http.Client, u string, v url.Values) (int, string, string) {
	t.Helper()
	res, err := c.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, res.Header.Get("Location"), b.String()
}

// TestGrowthPages: a setting manager reviews twice and compares; the LA
// sees a review only once it is shared; another setting never; a
// practitioner rates confidence and logs CPD; the programme team sees only
// withheld figures of one setting, never its ratings or evidence.
func TestGrowthPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		fws, err := catalogue.ReviewFrameworks()
		if err != nil {
			t.Fatal(err)
		}
		fw := fws[len(fws)-1]
		today := domain.DateOf(db.Now())
		form := func(on domain.Date, r domain.ReviewRating, evidence string) url.Values {
			v := url.Values{"reviewed_by": {"Alpha manager"}, "reviewed_on-day": {itoa(on.Time().Day())}, "reviewed_on-month": {itoa(int(on.Time().Month()))}, "reviewed_on-year": {itoa(on.Time().Year())}}
			for _, a := range fw.Areas {
				for _, it := range a.Items {
					v.Set("rating-"+it.Code, string(r))
					v.Set("evidence-"+it.Code, evidence)
				}
			}
			return v
		}
		sm1, sm2, la1, learner, team := f.client(t, "sm1"), f.client(t, "sm2"), f.client(t, "la1"), f.client(t, "learner1"), f.client(t, "programme")

		bad := form(today, domain.RatingSecure, "")
		bad.Del("rating-parents.involve")
		if code, _, body := gpost(t, sm1, f.srv.URL+"/growth/reviews", bad); code != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#rating-parents.involve"`) {
			t.Fatalf("an unrated item: %d", code)
		}
		code, loc, _ := gpost(t, sm1, f.srv.URL+"/growth/reviews", form(today.AddDays(-180), domain.RatingDevelopment, "Alpha first evidence"))
		if code != http.StatusSeeOther {
			t.Fatalf("first review: %d", code)
		}
		first := loc
		code, loc, _ = gpost(t, sm1, f.srv.URL+"/growth/reviews", form(today, domain.RatingSecure, "Alpha later evidence"))
		if code != http.StatusSeeOther {
			t.Fatalf("second review: %d", code)
		}
		second := loc
		code, _, body := do(t, sm1, http.MethodGet, f.srv.URL+second)
		if code != http.StatusOK || !strings.Contains(body, "Better") || !strings.Contains(body, "Compared with the previous review") {
			t.Fatalf("compare: %d", code)
		}
		for _, c := range []*http.Client{sm2, la1, team} {
			if code, _, _ := do(t, c, http.MethodGet, f.srv.URL+first); code != http.StatusNotFound && code != http.StatusForbidden {
				t.Errorf("an unshared review opened by another: %d", code)
			}
		}
		if code, _, _ := gpost(t, sm1, f.srv.URL+second+"/share", url.Values{"share": {"yes"}}); code != http.StatusSeeOther {
			t.Fatalf("share: %d", code)
		}
		if code, _, body := do(t, la1, http.MethodGet, f.srv.URL+second); code != http.StatusOK || !strings.Contains(body, "Alpha later evidence") {
			t.Errorf("the LA cannot read a shared review: %d", code)
		}
		if code, _, body := do(t, la1, http.MethodGet, f.srv.URL+"/growth/la"); code != http.StatusOK || !strings.Contains(body, "withheld") || strings.Contains(body, "Alpha first evidence") {
			t.Errorf("LA page: %d", code)
		}
		if code, _, _ := gpost(t, sm1, f.srv.URL+second+"/actions", url.Values{"item": {"parents.involve"}, "action": {"Coffee mornings"}, "owner": {"Sam"},
			"due_on-day": {itoa(today.AddMonths(1).Time().Day())}, "due_on-month": {itoa(int(today.AddMonths(1).Time().Month()))}, "due_on-year": {itoa(today.AddMonths(1).Time().Year())}}); code != http.StatusSeeOther {
			t.Errorf("add action: %d", code)
		}
		if _, _, body := do(t, sm1, http.MethodGet, f.srv.URL+"/growth/reviews"); !strings.Contains(body, "Coffee mornings") {
			t.Error("the plan does not show the action")
		}

		rate := url.Values{"point": {"enrolment"}, "rated_on-day": {itoa(today.Time().Day())}, "rated_on-month": {itoa(int(today.Time().Month()))}, "rated_on-year": {itoa(today.Time().Year())}}
		for _, a := range domain.JobRoleAreas {
			rate.Set("score-"+a.Code, "2")
		}
		if code, _, _ := gpost(t, learner, f.srv.URL+"/growth/me/confidence", rate); code != http.StatusSeeOther {
			t.Fatalf("rate: %d", code)
		}
		if code, _, body := gpost(t, learner, f.srv.URL+"/growth/me/cpd", url.Values{"title": {"Makaton"}, "hours": {"1.5"}, "cpd_evidence": {""},
			"done_on-day": {itoa(today.Time().Day())}, "done_on-month": {itoa(int(today.Time().Month()))}, "done_on-year": {itoa(today.Time().Year())}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "#cpd_evidence") {
			t.Errorf("CPD without evidence: %d", code)
		}
		code, _, body = do(t, learner, http.MethodGet, f.srv.URL+"/growth/me")
		if code != http.StatusOK || !strings.Contains(body, "Gap") || !strings.Contains(body, "Level 7") {
			t.Errorf("practitioner page: %d", code)
		}

		code, _, body = do(t, team, http.MethodGet, f.srv.URL+"/growth/impact")
		if code != http.StatusOK || !strings.Contains(body, "withheld") || strings.Contains(body, "Alpha") || !strings.Contains(body, "cannot show") {
			t.Errorf("impact page: %d", code)
		}
		code, _, body = do(t, team, http.MethodGet, f.srv.URL+"/growth/impact/download/csv")
		if code != http.StatusOK || !strings.Contains(body, "England") || strings.Contains(body, "Alpha") {
			t.Errorf("impact CSV: %d %.200s", code, body)
		}
		for _, c := range []*http.Client{sm1, la1, learner} {
			if code, _, _ := do(t, c, http.MethodGet, f.srv.URL+"/growth/impact"); code != http.StatusForbidden {
				t.Errorf("impact page open to another role: %d", code)
			}
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

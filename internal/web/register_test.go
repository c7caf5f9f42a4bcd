package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestMarkEveryonePresent: a trainer marks the whole register present,
// changes the one learner who was absent, saves, and records that
// learner's catch-up from the register.
func TestMarkEveryonePresent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		tr := f.client(t, "trainer1")
		a, b := f.apps[0], f.apps[1]
		u := fmt.Sprintf("%s/sessions/%d/attendance", f.srv.URL, f.sessions[1])
		checked := func(body string, app int64, m domain.Mark) bool {
			return regexp.MustCompile(fmt.Sprintf(`name="mark-%d"[^>]*value="%s" checked`, app, m)).MatchString(body)
		}

		code, body := get(t, tr, u)
		if code != 200 || !strings.Contains(body, fmt.Sprintf(`href="/sessions/%d/attendance?mark=present"`, f.sessions[1])) ||
			!strings.Contains(body, "Mark everyone present") {
			t.Fatalf("register not yet taken: %d, want a \"Mark everyone present\" button", code)
		}
		code, body = get(t, tr, u+"?mark=present")
		if code != 200 || !checked(body, a, domain.Present) || !checked(body, b, domain.Present) ||
			!strings.Contains(body, "Nothing is saved until you do") {
			t.Fatalf("everyone present: %d, want both learners shown present with the notice", code)
		}
		if m := f.marks(t, f.sessions[1]); m[a] != "" || m[b] != "" {
			t.Fatalf("marking everyone present saved marks: %v", m)
		}
		// The trainer changes the exception and saves.
		code, _, _ = cohortPostTo(t, tr, u, url.Values{"version": {cohortVersion(t, body)},
			fmt.Sprintf("mark-%d", a): {"present"}, fmt.Sprintf("mark-%d", b): {"absent"}})
		if code != 303 {
			t.Fatalf("save: %d", code)
		}
		if m := f.marks(t, f.sessions[1]); m[a] != domain.Present || m[b] != domain.Absent {
			t.Fatalf("marks after save: %v", m)
		}
		// Now that everyone is marked the button goes; asking for it keeps
		// the saved absence.
		_, body = get(t, tr, u)
		if strings.Contains(body, "Mark everyone") {
			t.Errorf("a register with every learner marked still offers to mark everyone present")
		}
		if _, body := get(t, tr, u+"?mark=present"); !checked(body, b, domain.Absent) || strings.Contains(body, "Nothing is saved until you do") {
			t.Errorf("mark=present on a taken register changed the saved absence")
		}
		// The register lists who missed it, each with a catch-up link.
		link := fmt.Sprintf(`href="/sessions/%d/catch-up?learner=%d">Record a catch-up<span class="govuk-visually-hidden"> for Bea Leedsworker`, f.sessions[1], b)
		if !strings.Contains(body, "Learners who missed this session") || !strings.Contains(body, link) || strings.Contains(body, fmt.Sprintf("catch-up?learner=%d", a)) {
			t.Fatalf("register: no catch-up link for the absent learner")
		}
		cu := fmt.Sprintf("%s/sessions/%d/catch-up", f.srv.URL, f.sessions[1])
		if _, body := get(t, tr, fmt.Sprintf("%s?learner=%d", cu, b)); !strings.Contains(body, fmt.Sprintf(`value="%d" selected`, b)) {
			t.Errorf("catch-up form from the register does not choose the learner")
		}
		code, loc, _ := cohortPostTo(t, tr, cu, cohortDateForm("on", f.today, url.Values{"learner": {cohortItoa(b)}}))
		if code != 303 {
			t.Fatalf("catch-up: %d", code)
		}
		if _, body := get(t, tr, f.srv.URL+loc); !strings.Contains(body, "Catch-up recorded for Bea Leedsworker") || !strings.Contains(body, "Change the catch-up") {
			t.Errorf("register after the catch-up: banner or change link missing")
		}

		// A session not held yet offers neither.
		var later domain.Session
		err := db.InTx(context.Background(), func(tx *store.Tx) error {
			var err error
			later, err = tx.AddSession(context.Background(), domain.OperatorActor("test"), f.c1, domain.Session{Date: f.today.AddDays(7), Minutes: 360, Mode: domain.FaceToFace, Topic: "Unit 4"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		_, body = get(t, tr, fmt.Sprintf("%s/sessions/%d/attendance?mark=present", f.srv.URL, later.ID))
		if !strings.Contains(body, "its register can be taken on that day or after") || strings.Contains(body, "Mark everyone") || checked(body, a, domain.Present) {
			t.Errorf("a session next week offers to mark everyone present")
		}
	})
}

// TestRegisterCountsAgree: a learner marked for a session who then moves
// to another cohort leaves that session's register and its count of marks
// together, so "marked" never exceeds the learners on the register.
func TestRegisterCountsAgree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		ctx := context.Background()
		tr := f.client(t, "trainer1")
		a, b := f.apps[0], f.apps[1]
		u := fmt.Sprintf("%s/sessions/%d/attendance", f.srv.URL, f.sessions[0])
		_, body := get(t, tr, u)
		if code, _, _ := cohortPostTo(t, tr, u, url.Values{"version": {cohortVersion(t, body)},
			fmt.Sprintf("mark-%d", a): {"present"}, fmt.Sprintf("mark-%d", b): {"present"}}); code != 303 {
			t.Fatalf("save: %d", code)
		}
		c2, err := db.Cohort(ctx, cohortNational, f.c2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.Transfer(ctx, domain.OperatorActor("test"), f.app(t, b), c2, f.today)
		}); err != nil {
			t.Fatal(err)
		}
		s := f.session(t, f.sessions[0])
		lines, err := db.Register(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		marked := 0
		for _, l := range lines {
			if l.Mark != "" {
				marked++
			}
		}
		if s.OnRegister != len(lines) || s.Marked != marked || s.Marked > s.OnRegister || len(lines) != 1 {
			t.Fatalf("after the transfer: the session counts %d marked of %d; its register lists %d, %d marked", s.Marked, s.OnRegister, len(lines), marked)
		}
		_, body = get(t, f.client(t, "sup1"), fmt.Sprintf("%s/cohorts/%d", f.srv.URL, f.c1.ID))
		if !strings.Contains(body, ">1 of 1</td>") {
			t.Errorf("the cohort's sessions do not show 1 of 1 marked")
		}
		// The supplier's home counts the same register.
		if _, home := get(t, f.client(t, "sup1"), f.srv.URL+"/"); strings.Contains(home, "2 of 1") {
			t.Errorf("home counts more marks than learners")
		}
	})
}

// TestHistoryInDateOrder: a register taken after a late placement records
// the start of training on the session's earlier date; the application's
// history reads in date order all the same.
func TestHistoryInDateOrder(t *testing.T) {
	db := storetest.SQLite(t)
	f := cohortFixture(t, db)
	sup := f.client(t, "sup1")
	app := f.apps[2]
	if code, _, _ := cohortPostTo(t, sup, fmt.Sprintf("%s/applications/%d/place", f.srv.URL, app), url.Values{"cohort": {cohortItoa(f.c1.ID)}}); code != 303 {
		t.Fatalf("place: %d", code)
	}
	u := fmt.Sprintf("%s/sessions/%d/attendance", f.srv.URL, f.sessions[0])
	_, body := get(t, sup, u)
	if code, _, _ := cohortPostTo(t, sup, u, url.Values{"version": {cohortVersion(t, body)}, fmt.Sprintf("mark-%d", app): {"present"}}); code != 303 {
		t.Fatalf("save: %d", code)
	}
	_, body = get(t, sup, fmt.Sprintf("%s/applications/%d", f.srv.URL, app))
	applied, started, enrolled := strings.Index(body, ">Applied"), strings.Index(body, ">Started training"), strings.Index(body, ">Enrolled")
	if applied < 0 || started < 0 || enrolled < 0 || !(applied < started && started < enrolled) {
		t.Errorf("history out of date order: applied at %d, started training (%s) at %d, enrolled (today) at %d",
			applied, f.session(t, f.sessions[0]).Date.Long(), started, enrolled)
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestMoveTheWaitingList: a supplier moves the people waiting on a full
// cohort to another of its cohorts with space, after confirming; a choice
// the rules refuse says why and changes nothing.
func TestMoveTheWaitingList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := cohortFixture(t, db)
		ctx := context.Background()
		op := domain.OperatorActor("test")
		var small domain.Cohort
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			small, err = tx.CreateCohort(ctx, op, domain.Cohort{ContractID: f.con1.ID, SupplierOrgID: f.con1.SupplierOrgID, Name: "Leeds small",
				Mode: domain.Online, LACodes: []string{"E08000035"}, StartsOn: f.today.AddDays(10), EndsOn: f.today.AddDays(100), Capacity: 1})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		sup := f.client(t, "sup1")
		// Cleo fills Leeds autumn's last place; Dana and Esme wait.
		for _, app := range f.apps[2:] {
			if code, _, _ := cohortPostTo(t, sup, fmt.Sprintf("%s/applications/%d/place", f.srv.URL, app), url.Values{"cohort": {cohortItoa(f.c1.ID)}}); code != 303 {
				t.Fatalf("place %d: %d", app, code)
			}
		}
		dana, esme := f.apps[3], f.apps[4]
		if a := f.app(t, esme); a.WaitlistCohortID != f.c1.ID {
			t.Fatalf("Esme is not waiting: %+v", a)
		}
		u := fmt.Sprintf("%s/cohorts/%d/waiting-list/move", f.srv.URL, f.c1.ID)
		if _, body := get(t, sup, fmt.Sprintf("%s/cohorts/%d", f.srv.URL, f.c1.ID)); !strings.Contains(body, fmt.Sprintf(`href="/cohorts/%d/waiting-list/move"`, f.c1.ID)) {
			t.Errorf("the cohort page does not offer to move its waiting list")
		}
		code, body := get(t, sup, u)
		if code != 200 || !strings.Contains(body, "Dana Leedsworker") || !strings.Contains(body, "Esme Leedsworker") ||
			!strings.Contains(body, "Leeds and Bradford winter") || !strings.Contains(body, "5 free places of 5") ||
			strings.Contains(body, "Barking spring") || strings.Contains(body, fmt.Sprintf(`value="%d"`, f.c1.ID)) {
			t.Fatalf("move form: %d\n%s", code, body)
		}
		move := func(cohort int64, confirm bool, apps ...int64) (int, string, string) {
			v := url.Values{"cohort": {cohortItoa(cohort)}}
			for _, a := range apps {
				v.Add("people", cohortItoa(a))
			}
			if confirm {
				v.Set("confirm", "yes")
			}
			return cohortPostTo(t, sup, u, v)
		}
		refusals := []struct {
			name   string
			cohort int64
			apps   []int64
			msg    string
		}{
			{"no one chosen", f.c2.ID, nil, "Choose at least one person on the waiting list to move"},
			{"another supplier's cohort", f.c3.ID, []int64{dana}, "Choose a cohort from the list"},
			{"someone not waiting", f.c2.ID, []int64{f.apps[0]}, "no longer on this waiting list"},
			{"more people than places", small.ID, []int64{dana, esme}, "Leeds small has 1 free place: choose 1 person, or another cohort"},
		}
		for _, tt := range refusals {
			for _, confirm := range []bool{false, true} {
				code, _, body := move(tt.cohort, confirm, tt.apps...)
				if code != 422 || !strings.Contains(body, tt.msg) || !strings.Contains(body, "govuk-error-summary") {
					t.Errorf("%s (confirmed %v): %d, want 422 saying %q", tt.name, confirm, code, tt.msg)
				}
			}
		}
		if a := f.app(t, dana); a.Status != domain.StatusEligible || a.WaitlistCohortID != f.c1.ID {
			t.Fatalf("a refused move changed Dana: %s, waiting for %d", a.Status, a.WaitlistCohortID)
		}
		// The choice is confirmed before anything moves.
		code, _, body = move(f.c2.ID, false, esme, dana)
		if code != 200 || !strings.Contains(body, "Check the move") || !strings.Contains(body, "Move 2 people to Leeds and Bradford winter") ||
			!strings.Contains(body, "2 of 5") || strings.Index(body, "Dana Leedsworker") > strings.Index(body, "Esme Leedsworker") {
			t.Fatalf("confirmation: %d\n%s", code, body)
		}
		if a := f.app(t, dana); a.Status != domain.StatusEligible {
			t.Fatalf("the confirmation page moved Dana: %s", a.Status)
		}
		code, loc, _ := move(f.c2.ID, true, dana, esme)
		if code != 303 {
			t.Fatalf("confirmed move: %d", code)
		}
		if _, body := get(t, sup, f.srv.URL+loc); !strings.Contains(body, "2 people moved from the waiting list to Leeds and Bradford winter") ||
			!strings.Contains(body, "No one is waiting for a place") {
			t.Errorf("after the move: banner missing or the waiting list not empty")
		}
		for _, id := range []int64{dana, esme} {
			if a := f.app(t, id); a.Status != domain.StatusEnrolled || a.CohortID != f.c2.ID || a.WaitlistCohortID != 0 {
				t.Errorf("application %d after the move: %s on %d, waiting for %d", id, a.Status, a.CohortID, a.WaitlistCohortID)
			}
		}
		// Only the cohort's supplier may move its waiting list.
		for key, want := range map[string]int{"trainer1": 403, "sup2": 404, "programme": 403, "laLeeds": 403} {
			if code, _ := get(t, f.client(t, key), u); code != want {
				t.Errorf("%s: %d, want %d", key, code, want)
			}
		}
	})
}

package delivery

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/web/page"
)

// --- Move people from a waiting list to another cohort ------------------

type cohortMoveData struct {
	cohortPage
	Cohort store.CohortRecord
	// Waiting is the cohort's waiting list, first come first served.
	Waiting []store.Application
	// Choices are the supplier's other cohorts of the programme with a
	// free place that have not finished.
	Choices      []store.CohortRecord
	PeopleItems  []any
	CohortItems  []any
	People       []string
	CohortChoice string
	// Confirm is set once the choice passed the rules: the page asks to
	// confirm the move, naming who goes where.
	Confirm *cohortMoveConfirm
	page.Form
}

type cohortMoveConfirm struct {
	To     store.CohortRecord
	People []store.Application
	After  int // places filled on To after the move
}

const cohortMoveTitle = "Move people from the waiting list"

// loadCohortToRun loads a cohort in scope that the user runs (its
// supplier's administrator).
func (s *Handlers) loadCohortToRun(r *http.Request) (store.CohortRecord, domain.User, error) {
	c, u, err := s.loadCohort(r)
	if err != nil {
		return c, u, err
	}
	if !policy.CanRunCohort(u, c.SupplierOrgID) {
		return c, u, page.ErrForbidden
	}
	return c, u, nil
}

func (s *Handlers) cohortMoveData(r *http.Request, c store.CohortRecord, u domain.User) (cohortMoveData, error) {
	ctx := r.Context()
	scope := policy.Delivery(u)
	d := cohortMoveData{cohortPage: cohortPage{Today: s.Today()}, Cohort: c}
	waiting, err := s.DB.Applications(ctx, scope, store.AppFilter{Waitlisted: c.ID, PageSize: 1000})
	if err != nil {
		return d, err
	}
	d.Waiting = waiting.Applications
	sort.SliceStable(d.Waiting, func(i, j int) bool { return d.Waiting[i].AppliedOn.Before(d.Waiting[j].AppliedOn) })
	list, err := s.DB.Cohorts(ctx, scope, store.CohortFilter{ProgrammeID: c.ProgrammeID, PageSize: 1000})
	if err != nil {
		return d, err
	}
	for _, o := range list.Cohorts {
		if o.ID != c.ID && o.SupplierOrgID == c.SupplierOrgID && o.Phase(d.Today) != "finished" && o.Free() > 0 {
			d.Choices = append(d.Choices, o)
		}
	}
	names, err := s.cohortLANames(ctx)
	if err != nil {
		return d, err
	}
	for _, o := range d.Choices {
		free := "1 free place"
		if o.Free() != 1 {
			free = fmt.Sprintf("%d free places", o.Free())
		}
		hint := fmt.Sprintf("%s of %d. Serves %s. %s, %s to %s.", free, o.Capacity, strings.Join(cohortNamesOf(o.LACodes, names), ", "),
			o.Mode.Label(), o.StartsOn.Long(), o.EndsOn.Long())
		d.CohortItems = append(d.CohortItems, map[string]any{"value": page.Itoa(o.ID), "text": o.Name, "hint": hint})
	}
	for _, a := range d.Waiting {
		hint := fmt.Sprintf("%s%s. Applied %s.", a.SettingDisplayName(), cohortLAOf(a), a.AppliedOn.Long())
		d.PeopleItems = append(d.PeopleItems, map[string]any{"value": page.Itoa(a.ID), "text": a.PractitionerName, "hint": hint})
	}
	return d, nil
}

func cohortLAOf(a store.Application) string {
	if a.LAName == "" {
		return ""
	}
	return ", " + a.LAName
}

func (s *Handlers) MoveWaitingForm(w http.ResponseWriter, r *http.Request) error {
	c, u, err := s.loadCohortToRun(r)
	if err != nil {
		return err
	}
	d, err := s.cohortMoveData(r, c, u)
	if err != nil {
		return err
	}
	d.People = r.URL.Query()["app"]
	d.CohortChoice = r.URL.Query().Get("cohort")
	return s.Render(w, r, "cohort-waiting-move", cohortMoveTitle, d)
}

// MoveWaiting checks the choice against the rules and asks to confirm it;
// posted again with confirm=yes, it moves them all or none.
func (s *Handlers) MoveWaiting(w http.ResponseWriter, r *http.Request) error {
	c, u, err := s.loadCohortToRun(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.cohortMoveData(r, c, u)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	d.People, d.CohortChoice = r.PostForm["people"], r.PostFormValue("cohort")
	// The people in the waiting list's order, whatever order they came in.
	var people []store.Application
	var ids []int64
	for _, a := range d.Waiting {
		if slices.Contains(d.People, page.Itoa(a.ID)) {
			people, ids = append(people, a), append(ids, a.ID)
		}
	}
	switch {
	case len(d.People) == 0:
		d.Fail("people", "Choose at least one person on the waiting list to move")
	case len(people) != len(d.People):
		d.Fail("people", "Someone you chose is no longer on this waiting list; choose again from the list")
	}
	var to store.CohortRecord
	if i := slices.IndexFunc(d.Choices, func(o store.CohortRecord) bool { return page.Itoa(o.ID) == d.CohortChoice }); i >= 0 {
		to = d.Choices[i]
	} else if _, err := strconv.ParseInt(d.CohortChoice, 10, 64); err != nil {
		d.Fail("cohort", "Choose the cohort to move them to")
	} else {
		d.Fail("cohort", "Choose a cohort from the list: only your other cohorts of this programme with a free place can take them")
	}
	if d.Valid() {
		// The same rules the store applies under the cohort's lock, so a
		// refusal shows before the confirmation, not after it.
		if _, err := domain.MoveWaiting(people, c.Cohort, to.Cohort, to.Placed, d.Today); err != nil {
			if rule, ok := store.IsRule(err); ok {
				d.Fail(cohortRuleField(rule, "people", "people", "cohort"), rule.Msg)
			} else {
				return err
			}
		}
	}
	d.ErrorOrder = page.OrderFields(d.ErrorOrder, "people", "cohort")
	if !d.Valid() {
		return s.RenderForm(w, r, "cohort-waiting-move", cohortMoveTitle, d)
	}
	if r.PostFormValue("confirm") != "yes" {
		d.Confirm = &cohortMoveConfirm{To: to, People: people, After: to.Placed + len(people)}
		return s.Render(w, r, "cohort-waiting-move", "Check the move", d)
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error { return tx.MoveWaiting(ctx, domain.ActorOf(u), ids, c, to, d.Today) })
	if rule, ok := store.IsRule(err); ok {
		// Another move or placement took the places meanwhile.
		d.Fail(cohortRuleField(rule, "people", "people", "cohort"), rule.Msg)
		return s.RenderForm(w, r, "cohort-waiting-move", cohortMoveTitle, d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/cohorts/%d?done=moved&to=%d&n=%d#waiting-list", c.ID, to.ID, len(ids)), http.StatusSeeOther)
	return nil
}

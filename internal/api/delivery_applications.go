package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// Applications and learners, for suppliers' own systems. Reads take the
// routes' scope, policy.Delivery; every action needs the permit its route
// names (policy.CanRunCohorts) and loads the application in scope inside
// its transaction, so another supplier's application is 404 and nothing
// changes. The status machine (domain.CheckTransition, applied by the
// store) refuses illegal moves with 422.

var applicationList = listSpec{filters: []string{"programme", "status", "cohort"}}

// listApplications lists applications in scope, newest application first,
// or by last change when filter[updated_since] is given.
func (a *API) listApplications(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), applicationList)
	if err != nil {
		return nil, err
	}
	f := store.AppFilter{Page: q.number, PageSize: q.size, UpdatedSince: q.updatedSince,
		ProgrammeID: q.id("programme"), Status: enum(&q, "status", domain.Statuses), CohortID: q.id("cohort")}
	if q.err != nil {
		return nil, q.err
	}
	page, err := a.db.Applications(r.Context(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, page.Total, page.Applications, applicationResource), nil
}

// getApplication returns one application in scope.
func (a *API) getApplication(r *http.Request, c caller) (any, error) {
	ap, err := lookup(r, "application", func(ctx context.Context, id int64) (store.Application, error) {
		return a.db.Application(ctx, c.scope, id)
	})
	if err != nil {
		return nil, err
	}
	return single{Data: applicationResource(ap)}, nil
}

type applicationInput struct {
	PractitionerID   idValue   `json:"practitioner_id"`
	SettingURN       string    `json:"setting_urn"`
	ProgrammeID      idValue   `json:"programme_id"`
	AppliedOn        dateValue `json:"applied_on"`
	WorkingTowardsL3 bool      `json:"working_towards_l3"`
}

var applicationFields = map[string]string{"setting": "setting_urn", "date": "applied_on"}

// createApplication records an application a supplier makes on behalf of a
// practitioner it recorded, at a setting its contracts for the programme
// serve; the programme's eligibility rules are applied at once. A second
// live application of the same person to the same programme is a 409.
func (a *API) createApplication(r *http.Request, c caller) (any, error) {
	var in applicationInput
	body, err := readData(r, "application", true, false, &in)
	if err != nil {
		return nil, err
	}
	urn := strings.ToUpper(strings.TrimSpace(in.SettingURN))
	errs := map[string]string{}
	if in.PractitionerID == 0 {
		errs["practitioner_id"] = "Give the practitioner_id of a practitioner your organisation recorded"
	}
	if in.ProgrammeID == 0 {
		errs["programme_id"] = "Give the programme_id of the programme applied for"
	}
	switch {
	case urn == "":
		errs["setting"] = "Give the setting_urn of the setting the practitioner applies from"
	case !urnPattern.MatchString(urn):
		errs["setting"] = fmt.Sprintf("%q is not an Ofsted URN such as EY101465 or 2602617", in.SettingURN)
	}
	if err := fieldErrors(errs, applicationFields); err != nil {
		return nil, err
	}
	today := a.today()
	appliedOn := domain.Date(in.AppliedOn)
	switch {
	case appliedOn.IsZero():
		appliedOn = today
	case appliedOn.After(today):
		return nil, invalid(attr("applied_on"), "The application date cannot be in the future (today is %s)", today)
	}
	ctx := r.Context()
	if _, err := a.db.Practitioner(ctx, policy.People(c.user), int64(in.PractitionerID)); errors.Is(err, store.ErrNotFound) {
		return nil, invalid(attr("practitioner_id"), "There is no practitioner %d that your organisation recorded", in.PractitionerID)
	} else if err != nil {
		return nil, err
	}
	if _, err := a.db.Programme(ctx, int64(in.ProgrammeID)); errors.Is(err, store.ErrNotFound) {
		return nil, invalid(attr("programme_id"), "There is no programme %d", in.ProgrammeID)
	} else if err != nil {
		return nil, err
	}
	return a.write(r, c, body, applicationFields, func(ctx context.Context, tx *store.Tx) (any, error) {
		ap, err := tx.Apply(ctx, actorOf(c), store.ApplyInput{ProgrammeID: int64(in.ProgrammeID), PractitionerID: int64(in.PractitionerID),
			SettingURN: urn, AppliedOn: appliedOn, WorkingTowardsL3: in.WorkingTowardsL3})
		if err != nil {
			return nil, err
		}
		ap, err = tx.ScopedApplication(ctx, c.scope, ap.ID)
		if errors.Is(err, store.ErrNotFound) {
			// The supplier could neither see nor place it: refuse, and the
			// transaction leaves no trace.
			return nil, invalid(attr("setting_urn"), "None of your organisation's contracts for this programme serves the local authority of setting %s", urn)
		}
		if err != nil {
			return nil, err
		}
		return single{Data: applicationResource(ap)}, nil
	})
}

// act runs an action on the application of the path (the route has
// checked the caller's permit): the application is loaded in scope inside
// the transaction (404 otherwise); fn changes it; the response is the
// application as it is then, with what fn reports in meta.
func (a *API) act(r *http.Request, c caller, input any, fields map[string]string,
	fn func(ctx context.Context, tx *store.Tx, scope policy.Scope, ap store.Application) (*actionMeta, error)) (any, error) {
	id, raw, err := pathID(r, "application")
	if err != nil {
		return nil, err
	}
	body, err := readData(r, "application", false, true, input)
	if err != nil {
		return nil, err
	}
	return a.write(r, c, body, fields, func(ctx context.Context, tx *store.Tx) (any, error) {
		ap, err := tx.ScopedApplication(ctx, c.scope, id)
		if err != nil {
			return nil, hidden(err, "application", raw)
		}
		meta, err := fn(ctx, tx, c.scope, ap)
		if err != nil {
			return nil, err
		}
		ap, err = tx.ScopedApplication(ctx, c.scope, id)
		if err != nil {
			return nil, err
		}
		return applicationDocument{Data: applicationResource(ap), Meta: meta}, nil
	})
}

// cohortFor loads the cohort an action names, in scope: for a supplier,
// one of its own.
func cohortFor(ctx context.Context, tx *store.Tx, scope policy.Scope, id idValue) (store.CohortRecord, error) {
	if id == 0 {
		return store.CohortRecord{}, invalid(attr("cohort_id"), "Give the cohort_id of one of your organisation's cohorts")
	}
	ch, err := tx.ScopedCohort(ctx, scope, int64(id))
	if errors.Is(err, store.ErrNotFound) {
		return ch, invalid(attr("cohort_id"), "There is no cohort %d of your organisation", id)
	}
	return ch, err
}

var actionFields = map[string]string{"cohort": "cohort_id", "reason": "reason", "date": "date"}

type placeInput struct {
	CohortID idValue   `json:"cohort_id"`
	Date     dateValue `json:"date"`
}

// placing reads what a placement or a transfer names: the date, by
// default today, and the cohort, in scope.
func placing(ctx context.Context, tx *store.Tx, scope policy.Scope, in placeInput) (domain.Date, store.CohortRecord, error) {
	on, err := actionDate(in.Date, domain.DateOf(tx.Now()), false)
	if err != nil {
		return on, store.CohortRecord{}, err
	}
	ch, err := cohortFor(ctx, tx, scope, in.CohortID)
	return on, ch, err
}

// place puts an applicant on a cohort, or on its waiting list when it is
// full, and says which in meta.
func (a *API) place(ctx context.Context, tx *store.Tx, c caller, scope policy.Scope, ap store.Application, in placeInput) (*actionMeta, error) {
	on, ch, err := placing(ctx, tx, scope, in)
	if err != nil {
		return nil, err
	}
	waitlisted, err := tx.Place(ctx, actorOf(c), ap, ch, on)
	if err != nil {
		return nil, err
	}
	if waitlisted {
		return &actionMeta{Outcome: "waiting_list", Detail: fmt.Sprintf("%s is full (%d places): the applicant is on its waiting list", ch.Name, ch.Capacity)}, nil
	}
	return &actionMeta{Outcome: "enrolled", Detail: "Enrolled on " + ch.Name}, nil
}

// acceptApplication places an eligible applicant on a cohort (or its
// waiting list).
func (a *API) acceptApplication(r *http.Request, c caller) (any, error) {
	var in placeInput
	return a.act(r, c, &in, actionFields, func(ctx context.Context, tx *store.Tx, scope policy.Scope, ap store.Application) (*actionMeta, error) {
		return a.place(ctx, tx, c, scope, ap, in)
	})
}

// resumeApplication places a deferred learner on a cohort.
func (a *API) resumeApplication(r *http.Request, c caller) (any, error) {
	var in placeInput
	return a.act(r, c, &in, actionFields, func(ctx context.Context, tx *store.Tx, scope policy.Scope, ap store.Application) (*actionMeta, error) {
		if ap.Status != domain.StatusDeferred {
			return nil, invalid("", "Only a deferred learner can resume; this application is %s. Place an eligible applicant with accept", strings.ToLower(ap.Status.Label()))
		}
		return a.place(ctx, tx, c, scope, ap, in)
	})
}

type rejectInput struct {
	Reason string `json:"reason"`
}

// rejectApplication turns down an application not yet placed: it is
// withdrawn with the reason "ineligible" and the supplier's explanation.
// (An eligibility decision of the programme team is a manual decision in
// the service, not an API action.)
func (a *API) rejectApplication(r *http.Request, c caller) (any, error) {
	var in rejectInput
	return a.act(r, c, &in, actionFields, func(ctx context.Context, tx *store.Tx, scope policy.Scope, ap store.Application) (*actionMeta, error) {
		reason := strings.TrimSpace(in.Reason)
		if reason == "" {
			return nil, invalid(attr("reason"), "Give the reason the application is rejected")
		}
		if msg := domain.TooLong("The reason", reason, domain.MaxNoteLength); msg != "" {
			return nil, invalid(attr("reason"), "%s", msg)
		}
		if ap.Status != domain.StatusApplied && ap.Status != domain.StatusEligible {
			return nil, invalid("", "Only an application not yet placed (applied or eligible) can be rejected; this one is %s. Withdraw a learner instead",
				strings.ToLower(ap.Status.Label()))
		}
		if err := tx.Withdraw(ctx, actorOf(c), ap, domain.WithdrawIneligible, domain.DateOf(tx.Now()), reason); err != nil {
			return nil, err
		}
		return &actionMeta{Outcome: "withdrawn", Detail: "Withdrawn as ineligible: " + reason}, nil
	})
}

type deferInput struct {
	Date dateValue `json:"date"`
	Note string    `json:"note"`
}

// deferApplication takes a learner off their cohort to join a later one.
func (a *API) deferApplication(r *http.Request, c caller) (any, error) {
	var in deferInput
	return a.act(r, c, &in, actionFields, func(ctx context.Context, tx *store.Tx, scope policy.Scope, ap store.Application) (*actionMeta, error) {
		on, err := actionDate(in.Date, domain.DateOf(tx.Now()), false)
		if err != nil {
			return nil, err
		}
		if msg := domain.TooLong("The note", in.Note, domain.MaxNoteLength); msg != "" {
			return nil, invalid(attr("note"), "%s", msg)
		}
		if err := tx.Defer(ctx, actorOf(c), ap, on, in.Note); err != nil {
			return nil, err
		}
		return &actionMeta{Outcome: "deferred", Detail: "Deferred on " + on.String()}, nil
	})
}

type withdrawInput struct {
	Reason string    `json:"reason"`
	Date   dateValue `json:"date"`
	Note   string    `json:"note"`
}

// withdrawApplication records a learner leaving, with a reason from the
// fixed list and the date.
func (a *API) withdrawApplication(r *http.Request, c caller) (any, error) {
	var in withdrawInput
	return a.act(r, c, &in, actionFields, func(ctx context.Context, tx *store.Tx, scope policy.Scope, ap store.Application) (*actionMeta, error) {
		reason := domain.WithdrawalReason(strings.TrimSpace(in.Reason))
		var bad *Error
		if !reason.Valid() {
			bad = invalid(attr("reason"), "The reason must be one of %s", codes(domain.WithdrawalReasons))
		}
		if msg := domain.TooLong("The note", in.Note, domain.MaxNoteLength); msg != "" && bad == nil {
			bad = invalid(attr("note"), "%s", msg)
		}
		on, err := actionDate(in.Date, domain.DateOf(tx.Now()), true)
		if err != nil {
			var e *Error
			if bad == nil || !errors.As(err, &e) {
				return nil, err
			}
			bad.More = append(bad.More, e)
		}
		if bad != nil {
			return nil, bad
		}
		if err := tx.Withdraw(ctx, actorOf(c), ap, reason, on, in.Note); err != nil {
			return nil, err
		}
		return &actionMeta{Outcome: "withdrawn", Detail: fmt.Sprintf("Withdrawn on %s: %s", on, reason.Label())}, nil
	})
}

// transferApplication moves an enrolled or in-training learner to another
// cohort of the same supplier and programme with a free place.
func (a *API) transferApplication(r *http.Request, c caller) (any, error) {
	var in placeInput
	return a.act(r, c, &in, actionFields, func(ctx context.Context, tx *store.Tx, scope policy.Scope, ap store.Application) (*actionMeta, error) {
		on, ch, err := placing(ctx, tx, scope, in)
		if err != nil {
			return nil, err
		}
		if err := tx.Transfer(ctx, actorOf(c), ap, ch, on); err != nil {
			return nil, err
		}
		return &actionMeta{Outcome: "transferred", Detail: "Transferred to " + ch.Name}, nil
	})
}

var learnerList = listSpec{filters: []string{"programme", "cohort"}}

// listLearners lists the learners in scope: applications enrolled or
// beyond (and those who left after enrolling), with their attendance rate
// by domain.AttendanceRate to today. Ordered by id, or by last change when
// filter[updated_since] is given.
func (a *API) listLearners(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), learnerList)
	if err != nil {
		return nil, err
	}
	f := store.LearnerFilter{Page: q.number, PageSize: q.size, UpdatedSince: q.updatedSince,
		ProgrammeID: q.id("programme"), CohortID: q.id("cohort")}
	if q.err != nil {
		return nil, q.err
	}
	page, err := a.db.Learners(r.Context(), c.scope, f)
	if err != nil {
		return nil, err
	}
	marks, held, err := a.db.LearnerAttendance(r.Context(), page.Applications, a.today())
	if err != nil {
		return nil, err
	}
	return listOf(q, page.Total, page.Applications, func(ap store.Application) resource {
		n := 0
		if ap.CohortID != 0 {
			n = held[ap.CohortID]
		}
		return learnerResource(ap, marks[ap.ID], n)
	}), nil
}

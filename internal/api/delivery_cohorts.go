package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"senco/internal/domain"
	"senco/internal/store"
)

// Cohorts, their sessions and the attendance register of a session, for
// suppliers' own systems. Reads take the routes' scope, policy.Delivery;
// writes need the permit their route names (policy.CanRunCohorts for
// cohorts and sessions, policy.CanTakeAttendance for attendance).

var cohortList = listSpec{filters: []string{"programme"}}

// listCohorts lists the cohorts in the token's delivery scope, newest start
// first, or by last change when filter[updated_since] is given.
func (a *API) listCohorts(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), cohortList)
	if err != nil {
		return nil, err
	}
	f := store.CohortFilter{Page: q.number, PageSize: q.size, UpdatedSince: q.updatedSince, ProgrammeID: q.id("programme")}
	if q.err != nil {
		return nil, q.err
	}
	page, err := a.db.Cohorts(r.Context(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, page.Total, page.Cohorts, a.cohortResourceToday()), nil
}

// cohortResourceToday is cohortResource as of today.
func (a *API) cohortResourceToday() func(store.CohortRecord) resource {
	today := a.today()
	return func(ch store.CohortRecord) resource { return cohortResource(ch, today) }
}

// scopedCohort loads the cohort of the path in scope; any other id is 404.
func (a *API) scopedCohort(r *http.Request, c caller) (store.CohortRecord, error) {
	return lookup(r, "cohort", func(ctx context.Context, id int64) (store.CohortRecord, error) {
		return a.db.Cohort(ctx, c.scope, id)
	})
}

// getCohort returns one cohort in scope.
func (a *API) getCohort(r *http.Request, c caller) (any, error) {
	ch, err := a.scopedCohort(r, c)
	if err != nil {
		return nil, err
	}
	return single{Data: cohortResource(ch, a.today())}, nil
}

type cohortInput struct {
	ContractID idValue   `json:"contract_id"`
	Name       string    `json:"name"`
	Mode       string    `json:"mode"`
	LACodes    []string  `json:"la_codes"`
	StartsOn   dateValue `json:"starts_on"`
	EndsOn     dateValue `json:"ends_on"`
	Capacity   int       `json:"capacity"`
}

// cohortFields maps the domain's and store's field names for a cohort to
// the request's attributes.
var cohortFields = map[string]string{
	"contract": "contract_id", "name": "name", "mode": "mode", "las": "la_codes",
	"starts-day": "starts_on", "ends-day": "ends_on", "capacity": "capacity",
}

// createCohort adds a cohort under one of the supplier's contracts in
// force. A cohort of the same name under the same supplier and programme
// is the same cohort: a retry without an Idempotency-Key is a 409, not a
// second cohort.
func (a *API) createCohort(r *http.Request, c caller) (any, error) {
	var in cohortInput
	body, err := readData(r, "cohort", true, false, &in)
	if err != nil {
		return nil, err
	}
	ch := domain.Cohort{ContractID: int64(in.ContractID), SupplierOrgID: c.user.Org.ID, Name: strings.TrimSpace(in.Name),
		Mode: domain.DeliveryMode(in.Mode), StartsOn: domain.Date(in.StartsOn), EndsOn: domain.Date(in.EndsOn), Capacity: in.Capacity}
	for _, code := range in.LACodes {
		code = strings.ToUpper(strings.TrimSpace(code))
		if !slices.Contains(ch.LACodes, code) {
			ch.LACodes = append(ch.LACodes, code)
		}
	}
	errs := ch.Validate()
	if ch.ContractID == 0 {
		errs["contract"] = "Give the contract_id of the contract the cohort runs under"
	}
	if ch.Mode != "" && !ch.Mode.Valid() {
		errs["mode"] = fmt.Sprintf("The mode must be one of %s", codes(domain.DeliveryModes))
	}
	for _, code := range ch.LACodes {
		if !gssPattern.MatchString(code) {
			errs["las"] = fmt.Sprintf("%q is not a local authority's GSS code such as E09000002", code)
		}
	}
	if err := fieldErrors(errs, cohortFields); err != nil {
		return nil, err
	}
	contract, err := a.db.Contract(r.Context(), c.scope, ch.ContractID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalid(attr("contract_id"), "There is no contract %d of your organisation", ch.ContractID)
	}
	if err != nil {
		return nil, err
	}
	today := a.today()
	return a.write(r, c, body, cohortFields, func(ctx context.Context, tx *store.Tx) (any, error) {
		same, err := tx.CohortNamed(ctx, ch.SupplierOrgID, contract.ProgrammeID, ch.Name)
		if err != nil {
			return nil, err
		}
		if same != 0 {
			return nil, newError(http.StatusConflict, "Your organisation already has a cohort called %q on this programme (id %d); give a new cohort another name", ch.Name, same)
		}
		created, err := tx.CreateCohort(ctx, actorOf(c), ch)
		if errors.Is(err, store.ErrNotFound) {
			return nil, invalid(attr("contract_id"), "There is no contract %d of your organisation", ch.ContractID)
		}
		if err != nil {
			return nil, err
		}
		rec, err := tx.ScopedCohort(ctx, c.scope, created.ID)
		if err != nil {
			return nil, err
		}
		return single{Data: cohortResource(rec, today)}, nil
	})
}

// listCohortSessions lists a cohort's sessions by date (by last change
// with filter[updated_since]); a cohort outside the scope is 404.
func (a *API) listCohortSessions(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), listSpec{})
	if err != nil {
		return nil, err
	}
	ch, err := a.scopedCohort(r, c)
	if err != nil {
		return nil, err
	}
	all, err := a.db.Sessions(r.Context(), ch.ID)
	if err != nil {
		return nil, err
	}
	// A cohort has a dozen or so sessions: filtered and paged here.
	var match []store.SessionRecord
	for _, s := range all {
		if q.updatedSince.IsZero() || !s.UpdatedAt.Before(q.updatedSince) {
			match = append(match, s)
		}
	}
	if !q.updatedSince.IsZero() {
		slices.SortStableFunc(match, func(x, y store.SessionRecord) int {
			if c := x.UpdatedAt.Compare(y.UpdatedAt); c != 0 {
				return c
			}
			return int(x.ID - y.ID)
		})
	}
	return pageOf(q, match, sessionResource), nil
}

// getSession returns a session whose cohort is in scope.
func (a *API) getSession(r *http.Request, c caller) (any, error) {
	s, err := a.scopedSession(r, c)
	if err != nil {
		return nil, err
	}
	return single{Data: sessionResource(s)}, nil
}

// scopedSession loads the session of the path if its cohort is in scope;
// any other id is 404.
func (a *API) scopedSession(r *http.Request, c caller) (store.SessionRecord, error) {
	return lookup(r, "session", func(ctx context.Context, id int64) (store.SessionRecord, error) {
		s, _, err := a.db.Session(ctx, c.scope, id)
		return s, err
	})
}

type sessionInput struct {
	Date    dateValue `json:"date"`
	Minutes int       `json:"minutes"`
	Mode    string    `json:"mode"`
	Topic   string    `json:"topic"`
	Venue   string    `json:"venue"`
	Units   []string  `json:"units"`
	Starts  string    `json:"starts_at"`
	Ends    string    `json:"ends_at"`
}

var sessionFields = map[string]string{"date-day": "date", "hours": "minutes", "mode": "mode", "topic": "topic", "venue": "venue", "units": "units",
	"starts": "starts_at", "ends": "ends_at"}

// createSession schedules a session of a cohort in scope, within the
// cohort's dates. A session of the cohort on the same date with the same
// topic is the same session: a retry without an Idempotency-Key is a 409.
func (a *API) createSession(r *http.Request, c caller) (any, error) {
	cohortID, raw, err := pathID(r, "cohort")
	if err != nil {
		return nil, err
	}
	var in sessionInput
	body, err := readData(r, "session", true, false, &in)
	if err != nil {
		return nil, err
	}
	s := domain.Session{Date: domain.Date(in.Date), Minutes: in.Minutes, Mode: domain.DeliveryMode(in.Mode),
		Topic: strings.TrimSpace(in.Topic), Venue: strings.TrimSpace(in.Venue), Starts: strings.TrimSpace(in.Starts), Ends: strings.TrimSpace(in.Ends)}
	for _, u := range in.Units {
		if u = strings.TrimSpace(u); u != "" {
			if strings.Contains(u, ",") {
				return nil, invalid(attr("units"), "A unit reference cannot contain a comma: %q", u)
			}
			s.Units = append(s.Units, u)
		}
	}
	return a.write(r, c, body, sessionFields, func(ctx context.Context, tx *store.Tx) (any, error) {
		ch, err := tx.ScopedCohort(ctx, c.scope, cohortID)
		if err != nil {
			return nil, hidden(err, "cohort", raw)
		}
		if err := fieldErrors(s.Validate(ch.Cohort), sessionFields); err != nil {
			return nil, err
		}
		same, err := tx.SessionScheduled(ctx, ch.ID, s.Date, s.Topic)
		if err != nil {
			return nil, err
		}
		if same != 0 {
			return nil, newError(http.StatusConflict, "%s already has a session on %s about %q (id %d)", ch.Name, s.Date, s.Topic, same)
		}
		created, err := tx.AddSession(ctx, actorOf(c), ch.Cohort, s)
		if err != nil {
			return nil, err
		}
		rec, _, err := tx.ScopedSession(ctx, c.scope, created.ID)
		if err != nil {
			return nil, err
		}
		return single{Data: sessionResource(rec)}, nil
	})
}

// getAttendance returns a session's register with its version, which a
// save must name. Only the learners in the caller's scope are listed.
func (a *API) getAttendance(r *http.Request, c caller) (any, error) {
	s, err := a.scopedSession(r, c)
	if err != nil {
		return nil, err
	}
	lines, err := a.db.Register(r.Context(), s)
	if err != nil {
		return nil, err
	}
	visible, err := a.db.ApplicationsInScope(r.Context(), c.scope, lineIDs(lines))
	if err != nil {
		return nil, err
	}
	return single{Data: attendanceResource(s, lines, visible)}, nil
}

func lineIDs(lines []store.RegisterLine) []int64 {
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.ApplicationID
	}
	return ids
}

type attendanceInput struct {
	RegisterVersion *int `json:"register_version"`
	Marks           []struct {
		ApplicationID idValue `json:"application_id"`
		Mark          string  `json:"mark"`
	} `json:"marks"`
}

var attendanceFields = map[string]string{"marks": "marks"}

// putAttendance saves marks for a session's learners in one go. The save
// names the register_version it was based on: if someone saved since, it is
// refused (409) rather than undoing their marks. A mark for anyone not on
// the cohort refuses the whole save (422). Learners not named keep their
// marks.
func (a *API) putAttendance(r *http.Request, c caller) (any, error) {
	sessionID, raw, err := pathID(r, "session")
	if err != nil {
		return nil, err
	}
	var in attendanceInput
	body, err := readData(r, "attendance", true, false, &in)
	if err != nil {
		return nil, err
	}
	if in.RegisterVersion == nil {
		return nil, invalid(attr("register_version"), "Give the register_version of the register you read, so that a save cannot undo someone else's")
	}
	if len(in.Marks) == 0 {
		return nil, invalid(attr("marks"), "Give at least one mark")
	}
	marks := map[int64]domain.Mark{}
	var bad *Error
	add := func(e *Error) {
		if bad == nil {
			bad = e
		} else {
			bad.More = append(bad.More, e)
		}
	}
	for i, m := range in.Marks {
		at := fmt.Sprintf("%s/%d", attr("marks"), i)
		id := int64(m.ApplicationID)
		mark := domain.Mark(strings.TrimSpace(m.Mark))
		switch {
		case id == 0:
			add(invalid(at+"/application_id", "Give the application_id of the learner"))
		case marks[id] != "":
			add(invalid(at+"/application_id", "Learner %d is marked more than once", id))
		}
		if !mark.Valid() {
			add(invalid(at+"/mark", "The mark must be one of %s, not %q", codes(domain.Marks), m.Mark))
		}
		if id != 0 {
			marks[id] = mark
		}
	}
	if bad != nil {
		return nil, bad
	}
	return a.write(r, c, body, attendanceFields, func(ctx context.Context, tx *store.Tx) (any, error) {
		s, _, err := tx.ScopedSession(ctx, c.scope, sessionID)
		if err != nil {
			return nil, hidden(err, "session", raw)
		}
		err = tx.SaveRegister(ctx, actorOf(c), s, *in.RegisterVersion, marks)
		if errors.Is(err, store.ErrConflict) {
			current, verr := tx.RegisterVersion(ctx, s.ID)
			if verr != nil {
				return nil, verr
			}
			return nil, newError(http.StatusConflict,
				"Someone else saved this register first: it is now at register_version %d and your save was based on %d. "+
					"Nothing was saved; read the register again, reapply your marks and save with register_version %d",
				current, *in.RegisterVersion, current)
		}
		if err != nil {
			return nil, err
		}
		s, _, err = tx.ScopedSession(ctx, c.scope, sessionID)
		if err != nil {
			return nil, err
		}
		lines, err := tx.SessionRegister(ctx, s)
		if err != nil {
			return nil, err
		}
		visible, err := tx.ApplicationsInScope(ctx, c.scope, lineIDs(lines))
		if err != nil {
			return nil, err
		}
		return single{Data: attendanceResource(s, lines, visible)}, nil
	})
}

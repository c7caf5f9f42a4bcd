package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// Cohorts, their sessions and the attendance register of a session, for
// suppliers' own systems. Reads take policy.Delivery's scope; writes need
// policy.CanRunCohorts (cohorts, sessions) or policy.CanTakeAttendance.

// parseIDFilter reads a filter whose value is a record id.
func parseIDFilter(q listQuery, name, what string) (int64, error) {
	v, p := q.filter(name)
	if p == "" {
		return 0, nil
	}
	id, ok := parseID(v)
	if !ok {
		return 0, badParam(p, "%s must be a %s id (a positive whole number), not %q", p, what, v)
	}
	return id, nil
}

var cohortList = listSpec{filters: []string{"programme"}}

// listCohorts lists the cohorts in the token's delivery scope, newest start
// first, or by last change when filter[updated_since] is given.
func (a *API) listCohorts(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), cohortList)
	if err != nil {
		return nil, err
	}
	f := store.CohortFilter{Page: q.number, PageSize: q.size, UpdatedSince: q.updatedSince}
	if f.ProgrammeID, err = parseIDFilter(q, "programme", "programme"); err != nil {
		return nil, err
	}
	page, err := a.db.Cohorts(r.Context(), policy.Delivery(c.user), f)
	if err != nil {
		return nil, err
	}
	today := a.today()
	out := list{Data: make([]resource, 0, len(page.Cohorts)), Meta: metaOf(q, page.Total)}
	for _, ch := range page.Cohorts {
		out.Data = append(out.Data, cohortResource(ch, today))
	}
	return out, nil
}

// scopedCohort loads the cohort of the path in scope; any other id is 404.
func (a *API) scopedCohort(r *http.Request, c caller) (store.CohortRecord, error) {
	raw := r.PathValue("id")
	id, ok := parseID(raw)
	if !ok {
		return store.CohortRecord{}, notFound("cohort", raw)
	}
	ch, err := a.db.Cohort(r.Context(), policy.Delivery(c.user), id)
	if errors.Is(err, store.ErrNotFound) {
		return ch, notFound("cohort", raw)
	}
	return ch, err
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
	if !policy.CanRunCohorts(c.user) {
		return nil, forbidden(c, "create cohorts")
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	var in cohortInput
	if err := decodeData(body, "cohort", true, false, &in); err != nil {
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
		errs["mode"] = fmt.Sprintf("The mode must be one of %s", modeCodes())
	}
	for _, code := range ch.LACodes {
		if !gssPattern.MatchString(code) {
			errs["las"] = fmt.Sprintf("%q is not a local authority's GSS code such as E09000002", code)
		}
	}
	if err := fieldErrors(errs, cohortFields); err != nil {
		return nil, err
	}
	scope := policy.Delivery(c.user)
	contract, err := a.db.Contract(r.Context(), scope, ch.ContractID)
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
			return nil, &Error{Status: http.StatusConflict, Title: "Conflict",
				Detail: fmt.Sprintf("Your organisation already has a cohort called %q on this programme (id %d); give a new cohort another name", ch.Name, same)}
		}
		created, err := tx.CreateCohort(ctx, actorOf(c), ch)
		if errors.Is(err, store.ErrNotFound) {
			return nil, invalid(attr("contract_id"), "There is no contract %d of your organisation", ch.ContractID)
		}
		if err != nil {
			return nil, err
		}
		rec, err := tx.ScopedCohort(ctx, scope, created.ID)
		if err != nil {
			return nil, err
		}
		return single{Data: cohortResource(rec, today)}, nil
	})
}

func modeCodes() string {
	codes := make([]string, len(domain.DeliveryModes))
	for i, m := range domain.DeliveryModes {
		codes[i] = string(m)
	}
	return strings.Join(codes, ", ")
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
	out := list{Data: []resource{}, Meta: metaOf(q, len(match))}
	start := min((q.number-1)*q.size, len(match))
	for _, s := range match[start:min(start+q.size, len(match))] {
		out.Data = append(out.Data, sessionResource(s))
	}
	return out, nil
}

// getSession returns a session whose cohort is in scope.
func (a *API) getSession(r *http.Request, c caller) (any, error) {
	s, _, err := a.scopedSession(r, c)
	if err != nil {
		return nil, err
	}
	return single{Data: sessionResource(s)}, nil
}

func (a *API) scopedSession(r *http.Request, c caller) (store.SessionRecord, store.CohortRecord, error) {
	raw := r.PathValue("id")
	id, ok := parseID(raw)
	if !ok {
		return store.SessionRecord{}, store.CohortRecord{}, notFound("session", raw)
	}
	s, ch, err := a.db.Session(r.Context(), policy.Delivery(c.user), id)
	if errors.Is(err, store.ErrNotFound) {
		return s, ch, notFound("session", raw)
	}
	return s, ch, err
}

type sessionInput struct {
	Date    dateValue `json:"date"`
	Minutes int       `json:"minutes"`
	Mode    string    `json:"mode"`
	Topic   string    `json:"topic"`
	Venue   string    `json:"venue"`
	Units   []string  `json:"units"`
}

var sessionFields = map[string]string{"date-day": "date", "hours": "minutes", "mode": "mode", "topic": "topic", "venue": "venue", "units": "units"}

// createSession schedules a session of a cohort in scope, within the
// cohort's dates. A session of the cohort on the same date with the same
// topic is the same session: a retry without an Idempotency-Key is a 409.
func (a *API) createSession(r *http.Request, c caller) (any, error) {
	if !policy.CanRunCohorts(c.user) {
		return nil, forbidden(c, "schedule sessions")
	}
	raw := r.PathValue("id")
	cohortID, ok := parseID(raw)
	if !ok {
		return nil, notFound("cohort", raw)
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	var in sessionInput
	if err := decodeData(body, "session", true, false, &in); err != nil {
		return nil, err
	}
	s := domain.Session{Date: domain.Date(in.Date), Minutes: in.Minutes, Mode: domain.DeliveryMode(in.Mode),
		Topic: strings.TrimSpace(in.Topic), Venue: strings.TrimSpace(in.Venue)}
	for _, u := range in.Units {
		if u = strings.TrimSpace(u); u != "" {
			if strings.Contains(u, ",") {
				return nil, invalid(attr("units"), "A unit reference cannot contain a comma: %q", u)
			}
			s.Units = append(s.Units, u)
		}
	}
	scope := policy.Delivery(c.user)
	return a.write(r, c, body, sessionFields, func(ctx context.Context, tx *store.Tx) (any, error) {
		ch, err := tx.ScopedCohort(ctx, scope, cohortID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, notFound("cohort", raw)
		}
		if err != nil {
			return nil, err
		}
		if err := fieldErrors(s.Validate(ch.Cohort), sessionFields); err != nil {
			return nil, err
		}
		same, err := tx.SessionScheduled(ctx, ch.ID, s.Date, s.Topic)
		if err != nil {
			return nil, err
		}
		if same != 0 {
			return nil, &Error{Status: http.StatusConflict, Title: "Conflict",
				Detail: fmt.Sprintf("%s already has a session on %s about %q (id %d)", ch.Name, s.Date, s.Topic, same)}
		}
		created, err := tx.AddSession(ctx, actorOf(c), ch.Cohort, s)
		if err != nil {
			return nil, err
		}
		rec, _, err := tx.ScopedSession(ctx, scope, created.ID)
		if err != nil {
			return nil, err
		}
		return single{Data: sessionResource(rec)}, nil
	})
}

// getAttendance returns a session's register with its version, which a
// save must name. Only the learners in the caller's scope are listed.
func (a *API) getAttendance(r *http.Request, c caller) (any, error) {
	s, _, err := a.scopedSession(r, c)
	if err != nil {
		return nil, err
	}
	lines, err := a.db.Register(r.Context(), s)
	if err != nil {
		return nil, err
	}
	visible, err := a.db.ApplicationsInScope(r.Context(), policy.Delivery(c.user), lineIDs(lines))
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
	if !policy.CanTakeAttendance(c.user) {
		return nil, forbidden(c, "take attendance")
	}
	raw := r.PathValue("id")
	sessionID, ok := parseID(raw)
	if !ok {
		return nil, notFound("session", raw)
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	var in attendanceInput
	if err := decodeData(body, "attendance", true, false, &in); err != nil {
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
			add(invalid(at+"/mark", "The mark must be one of %s, not %q", markCodes(), m.Mark))
		}
		if id != 0 {
			marks[id] = mark
		}
	}
	if bad != nil {
		return nil, bad
	}
	scope := policy.Delivery(c.user)
	return a.write(r, c, body, attendanceFields, func(ctx context.Context, tx *store.Tx) (any, error) {
		s, _, err := tx.ScopedSession(ctx, scope, sessionID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, notFound("session", raw)
		}
		if err != nil {
			return nil, err
		}
		err = tx.SaveRegister(ctx, actorOf(c), s, *in.RegisterVersion, marks)
		if errors.Is(err, store.ErrConflict) {
			current, verr := tx.RegisterVersion(ctx, s.ID)
			if verr != nil {
				return nil, verr
			}
			return nil, &Error{Status: http.StatusConflict, Title: "Conflict", Detail: fmt.Sprintf(
				"Someone else saved this register first: it is now at register_version %d and your save was based on %d. "+
					"Nothing was saved; read the register again, reapply your marks and save with register_version %d",
				current, *in.RegisterVersion, current)}
		}
		if err != nil {
			return nil, err
		}
		s, _, err = tx.ScopedSession(ctx, scope, sessionID)
		if err != nil {
			return nil, err
		}
		lines, err := tx.SessionRegister(ctx, s)
		if err != nil {
			return nil, err
		}
		visible, err := tx.ApplicationsInScope(ctx, scope, lineIDs(lines))
		if err != nil {
			return nil, err
		}
		return single{Data: attendanceResource(s, lines, visible)}, nil
	})
}

func markCodes() string {
	codes := make([]string, len(domain.Marks))
	for i, m := range domain.Marks {
		codes[i] = string(m)
	}
	return strings.Join(codes, ", ")
}

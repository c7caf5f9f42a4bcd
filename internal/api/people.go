package api

import (
	"context"
	"net/http"

	"senco/internal/store"
)

// Practitioners and employments are personal data: every read here passes
// the routes' scope, policy.People, and a token whose role sees no staff
// gets empty lists and 404s.

type practitionerAttributes struct {
	GivenName          string    `json:"given_name"`
	FamilyName         string    `json:"family_name"`
	Email              *string   `json:"email"`
	DateOfBirth        date      `json:"date_of_birth"`
	QualificationLevel int       `json:"qualification_level"`
	QTS                bool      `json:"qts"`
	EYTS               bool      `json:"eyts"`
	QTLS               bool      `json:"qtls"`
	UpdatedAt          timestamp `json:"updated_at"`
}

func practitionerResource(r store.PractitionerRecord) resource {
	p := r.Practitioner
	return resource{ID: idString(p.ID), Type: "practitioner", Attributes: practitionerAttributes{
		GivenName: p.GivenName, FamilyName: p.FamilyName, Email: optional(p.Email), DateOfBirth: date(p.DateOfBirth),
		QualificationLevel: p.QualificationLevel, QTS: p.QTS, EYTS: p.EYTS, QTLS: p.QTLS, UpdatedAt: timestamp(r.UpdatedAt),
	}}
}

var practitionerList = listSpec{filters: []string{"q", "setting"}}

// listPractitioners lists the practitioners in the token's people scope, by
// name, or by last change when filter[updated_since] is given.
func (a *API) listPractitioners(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), practitionerList)
	if err != nil {
		return nil, err
	}
	f := store.PeopleFilter{Page: q.number, PageSize: q.size, UpdatedSince: q.updatedSince, Q: q.text(), SettingURN: q.urn("setting")}
	if q.err != nil {
		return nil, q.err
	}
	page, err := a.db.SearchPractitioners(r.Context(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, page.Total, page.Practitioners, practitionerResource), nil
}

// getPractitioner returns one practitioner in scope; any other id is 404.
func (a *API) getPractitioner(r *http.Request, c caller) (any, error) {
	p, err := lookup(r, "practitioner", func(ctx context.Context, id int64) (store.PractitionerRecord, error) {
		return a.db.Practitioner(ctx, c.scope, id)
	})
	if err != nil {
		return nil, err
	}
	return single{Data: practitionerResource(p)}, nil
}

type employmentAttributes struct {
	PractitionerID string    `json:"practitioner_id"`
	SettingURN     string    `json:"setting_urn"`
	Role           string    `json:"role"`
	StartedOn      date      `json:"started_on"`
	EndedOn        date      `json:"ended_on"`
	UpdatedAt      timestamp `json:"updated_at"`
}

func employmentResource(r store.EmploymentRecord) resource {
	e := r.Employment
	return resource{ID: idString(e.ID), Type: "employment", Attributes: employmentAttributes{
		PractitionerID: idString(e.PractitionerID), SettingURN: e.SettingURN, Role: string(e.Role),
		StartedOn: date(e.StartedOn), EndedOn: date(e.EndedOn), UpdatedAt: timestamp(r.UpdatedAt),
	}}
}

var employmentList = listSpec{filters: []string{"setting", "practitioner", "current_on"}}

// listEmployments lists the employments in the token's people scope:
// current ones first, then by start date, newest first; or by last change
// when filter[updated_since] is given.
func (a *API) listEmployments(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), employmentList)
	if err != nil {
		return nil, err
	}
	f := store.PeopleFilter{Page: q.number, PageSize: q.size, UpdatedSince: q.updatedSince,
		SettingURN: q.urn("setting"), PractitionerID: q.id("practitioner"), CurrentOn: q.date("current_on")}
	if q.err != nil {
		return nil, q.err
	}
	page, err := a.db.Employments(r.Context(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, page.Total, page.Employments, employmentResource), nil
}

// getEmployment returns one employment in scope; any other id is 404.
func (a *API) getEmployment(r *http.Request, c caller) (any, error) {
	e, err := lookup(r, "employment", func(ctx context.Context, id int64) (store.EmploymentRecord, error) {
		return a.db.Employment(ctx, c.scope, id)
	})
	if err != nil {
		return nil, err
	}
	return single{Data: employmentResource(e)}, nil
}

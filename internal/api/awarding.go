package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/register"
	"senco/internal/store"
	"senco/internal/store/quality"
)

// The awarding organisation's API: registering learners in bulk (a list,
// checked whole, all made in one transaction or none), certificate claims
// (full, or a unit certificate for partial achievement) refused with the
// domain's reason when the learner cannot be certified, and certificates
// with their verification codes and status. The rules are the ones the
// awarding pages apply: register.ApplyRegistrationsIn and package quality.

type registrationAttributes struct {
	LearnerName   string  `json:"learner_name"`
	LearnerNumber string  `json:"learner_number"`
	ULN           *string `json:"uln"`
	Status        string  `json:"status"`
}

func registrationResource(app store.Application) resource {
	return resource{ID: idString(app.ID), Type: "registration", Attributes: registrationAttributes{LearnerName: app.PractitionerName,
		LearnerNumber: app.LearnerNumber, ULN: optional(app.ULN), Status: string(app.Status)}}
}

type registrationInput struct {
	ApplicationID json.RawMessage `json:"application_id"`
	LearnerNumber string          `json:"learner_number"`
	ULN           string          `json:"uln"`
}

// maxRegistrations bounds one request's list.
const maxRegistrations = 1000

// registrationSource names the request in problems.
const registrationSource = "request"

// registerLearners registers a list of learners: every item is checked
// first and any problem refuses the whole list, with each problem at its
// item and attribute (/data/3/attributes/learner_number); then all are
// registered in one transaction.
func (a *API) registerLearners(r *http.Request, c caller) (any, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Data []struct {
			Type       *string           `json:"type"`
			Attributes registrationInput `json:"attributes"`
		} `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, jsonError(err, "")
	}
	switch {
	case doc.Data == nil:
		return nil, malformed("/data", `The request body must have "data": [{"type": "registration", "attributes": {"application_id": …, "learner_number": …}}, …]`)
	case len(doc.Data) > maxRegistrations:
		return nil, malformed("/data", "Send at most %d registrations in one request", maxRegistrations)
	}
	rows := make([]importer.Registration, len(doc.Data))
	ids := make([]string, len(doc.Data))
	for i, d := range doc.Data {
		if d.Type != nil && *d.Type != "registration" {
			return nil, malformed(fmt.Sprintf("/data/%d/type", i), `The type must be "registration", not %q`, *d.Type)
		}
		rows[i] = importer.Registration{Row: i + 1, LearnerNumber: d.Attributes.LearnerNumber, ULN: d.Attributes.ULN}
		ids[i] = strings.Trim(string(d.Attributes.ApplicationID), `"`)
	}
	known, err := register.Registerable(r.Context(), a.db.Reader(), c.user)
	if err != nil {
		return nil, err
	}
	if list, total := importer.CheckRegistrations(registrationSource, rows, ids, known); total > 0 {
		return nil, problemsError(list, total)
	}
	return a.write(r, c, body, nil, func(ctx context.Context, tx *store.Tx) (any, error) {
		if err := register.ApplyRegistrationsIn(ctx, tx, actorOf(c), c.user, registrationSource, rows); err != nil {
			var probs *importer.Problems
			if errors.As(err, &probs) {
				return nil, problemsError(probs.List, probs.Total)
			}
			return nil, err
		}
		out := list{Data: make([]resource, 0, len(rows))}
		for _, row := range rows {
			app, err := store.ApplicationIn(ctx, tx.Reader(), c.scope, row.ApplicationID)
			if err != nil {
				return nil, err
			}
			out.Data = append(out.Data, registrationResource(app))
		}
		q := listQuery{number: 1, size: max(len(rows), 1)}
		out.Meta = metaOf(q, len(rows))
		return out, nil
	})
}

// problemsError is the 422 of a list's problems, each at its item's
// attribute.
func problemsError(list []importer.Problem, total int) error {
	var out *Error
	for _, p := range list {
		ptr := "/data"
		if p.Row > 0 {
			ptr = fmt.Sprintf("/data/%d/attributes/%s", p.Row-1, p.Column)
		}
		detail := "Expected " + p.Expected
		if p.Row > 0 {
			detail = fmt.Sprintf("Registration %d (from 0), %s: expected %s", p.Row-1, p.Column, p.Expected)
		}
		e := invalid(ptr, "%s", detail)
		if out == nil {
			out = e
		} else {
			out.More = append(out.More, e)
		}
	}
	if more := total - len(list); more > 0 && out != nil {
		out.More = append(out.More, invalid("/data", "and %d more problems; nothing was registered", more))
	}
	return out
}

type certificateAttributes struct {
	ApplicationID      string    `json:"application_id"`
	LearnerName        string    `json:"learner_name"`
	Number             string    `json:"number"`
	Kind               string    `json:"kind"`
	Units              []string  `json:"units"`
	VerificationCode   string    `json:"verification_code"`
	IssuedOn           date      `json:"issued_on"`
	Status             string    `json:"status"`
	InvalidatedOn      date      `json:"invalidated_on"`
	InvalidReason      *string   `json:"invalid_reason"`
	FlaggedForReview   bool      `json:"flagged_for_review"`
	ReviewReason       *string   `json:"review_reason"`
	QualificationCode  string    `json:"qualification_code"`
	QualificationTitle string    `json:"qualification_title"`
	AwardingOrg        string    `json:"awarding_organisation"`
	UpdatedAt          timestamp `json:"updated_at"`
}

func certificateResource(cert domain.Award) resource {
	units := cert.Units
	if units == nil {
		units = []string{}
	}
	return resource{ID: idString(cert.ID), Type: "certificate", Attributes: certificateAttributes{ApplicationID: idString(cert.ApplicationID),
		LearnerName: cert.LearnerName, Number: cert.Number, Kind: string(cert.Kind), Units: units, VerificationCode: cert.Code,
		IssuedOn: date(cert.IssuedOn), Status: string(cert.State), InvalidatedOn: date(cert.InvalidatedOn), InvalidReason: optional(cert.InvalidReason),
		FlaggedForReview: cert.Flagged(), ReviewReason: optional(cert.ReviewReason), QualificationCode: cert.QualificationCode,
		QualificationTitle: cert.QualificationTitle, AwardingOrg: cert.AwardingOrg, UpdatedAt: timestamp(cert.UpdatedAt)}}
}

var certificateList = listSpec{filters: []string{"application"}}

// listCertificates lists the certificates of the learners in scope.
func (a *API) listCertificates(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), certificateList)
	if err != nil {
		return nil, err
	}
	f := quality.CertificateFilter{ApplicationID: q.id("application"), UpdatedSince: q.updatedSince, Page: q.number, Size: q.size}
	if q.err != nil {
		return nil, q.err
	}
	certs, total, err := quality.CertificateList(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, total, certs, certificateResource), nil
}

// getCertificate returns one certificate of a learner in scope.
func (a *API) getCertificate(r *http.Request, c caller) (any, error) {
	cert, err := lookup(r, "certificate", func(ctx context.Context, id int64) (domain.Award, error) {
		return quality.CertificateIn(ctx, a.db.Reader(), c.scope, id)
	})
	if err != nil {
		return nil, err
	}
	return single{Data: certificateResource(cert)}, nil
}

type claimInput struct {
	ApplicationID     idValue   `json:"application_id"`
	Kind              string    `json:"kind"`
	Units             []string  `json:"units"`
	IssuedOn          dateValue `json:"issued_on"`
	CertificateNumber string    `json:"certificate_number"`
}

// The domain's fields of a certification refusal, as the claim's
// attributes: a learner's standing (status, registration, an open QA
// action) concerns the learner as a whole.
var claimFields = map[string]string{"certified-day": "issued_on", "status": "", "learner_number": "", "qa": "", "units": "units",
	"certificate_number": "certificate_number"}

// claimCertificate issues a full or unit certificate for a learner the
// awarding organisation awards, refused with the reason when the learner
// cannot be certified (domain.CertificationBlock, UnitCertificationBlock).
func (a *API) claimCertificate(r *http.Request, c caller) (any, error) {
	var in claimInput
	body, err := readData(r, "certificate", true, false, &in)
	if err != nil {
		return nil, err
	}
	if in.ApplicationID == 0 {
		return nil, invalid(attr("application_id"), "Give the application_id of the learner")
	}
	kind := domain.CertificateKind(strings.TrimSpace(in.Kind))
	if kind != domain.CertificateFull && kind != domain.CertificateUnit {
		return nil, invalid(attr("kind"), "The kind must be full or unit, not %q", in.Kind)
	}
	if len(in.CertificateNumber) > domain.MaxCodeLength {
		return nil, invalid(attr("certificate_number"), "The certificate_number must be at most %d characters", domain.MaxCodeLength)
	}
	if kind == domain.CertificateUnit && strings.TrimSpace(in.CertificateNumber) != "" {
		return nil, invalid(attr("certificate_number"), "A unit certificate is numbered in sequence; leave certificate_number out")
	}
	on, err := actionDate(in.IssuedOn, a.today(), false)
	if err != nil {
		return nil, invalid(attr("issued_on"), "The date of the certificate cannot be in the future")
	}
	return a.write(r, c, body, claimFields, func(ctx context.Context, tx *store.Tx) (any, error) {
		app, err := store.ApplicationIn(ctx, tx.Reader(), c.scope, int64(in.ApplicationID))
		if err != nil {
			return nil, unseen(err, "application_id", "learner")
		}
		var cert domain.Award
		if kind == domain.CertificateFull {
			cert, err = quality.Certify(ctx, tx, actorOf(c), app, in.CertificateNumber, on)
		} else {
			cert, err = quality.CertifyUnits(ctx, tx, actorOf(c), app, in.Units, on)
		}
		if err != nil {
			return nil, err
		}
		return single{Data: certificateResource(cert)}, nil
	})
}

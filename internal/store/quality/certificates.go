// Package quality is the store's SQL for quality assurance and
// certificates: the sampling plans and samples of internal and external
// quality assurance, the outcome of each sampled decision, and the
// certificates awarding organisations issue with their verification codes.
// It is part of the store — it writes in the store's transactions with the
// store's kit — in a package of its own so that neither grows too large to
// read. The decisions are the domain's (internal/domain/certificate.go and
// quality.go); this package loads their facts and persists their results.
package quality

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/growth"
)

const certColumns = `c.id, c.application_id, COALESCE(c.number, ''), c.kind, c.units, c.code, c.issued_on, c.state, c.invalidated_on,
	c.invalid_reason, c.review_reason, c.review_flagged_on, c.updated_at,
	p.given_name || ' ' || p.family_name, COALESCE(q.code, ''), COALESCE(q.title, ''), COALESCE(q.level, 0), COALESCE(q.awarding_org, '')`

const certFrom = ` FROM issued_certificates c JOIN applications ap ON ap.id = c.application_id JOIN practitioners p ON p.id = ap.practitioner_id
	JOIN programmes pr ON pr.id = ap.programme_id LEFT JOIN qualifications q ON q.id = pr.qualification_id`

func scanCert(sc store.Scanner, c *domain.Award) error {
	var units string
	if err := sc.Scan(&c.ID, &c.ApplicationID, &c.Number, &c.Kind, &units, &c.Code, &c.IssuedOn, &c.State, &c.InvalidatedOn,
		&c.InvalidReason, &c.ReviewReason, &c.ReviewFlaggedOn, store.NullTime(&c.UpdatedAt),
		&c.LearnerName, &c.QualificationCode, &c.QualificationTitle, &c.QualificationLevel, &c.AwardingOrg); err != nil {
		return err
	}
	if units != "" {
		c.Units = strings.Split(units, ",")
	}
	return nil
}

// Certificates are an application's certificates, oldest first.
func Certificates(ctx context.Context, q store.Querier, appID int64) ([]domain.Award, error) {
	return store.Collect(ctx, q, "certificates", scanCert, `SELECT `+certColumns+certFrom+` WHERE c.application_id = $1 ORDER BY c.id`, appID)
}

// CertificateIn reads one certificate of an application in scope.
func CertificateIn(ctx context.Context, q store.Querier, scope policy.Scope, id int64) (domain.Award, error) {
	var c domain.Award
	var a store.Args
	where, ok := store.AppScope(&a, scope)
	if !ok {
		return c, store.ErrNotFound
	}
	err := scanCert(q.QueryRowContext(ctx, `SELECT `+certColumns+certFrom+` WHERE `+where+` AND c.id = `+a.Add(id), a...), &c)
	return c, store.NotFound(err, "certificate")
}

// CertificateByCode reads the certificate with a verification code (as
// domain.NormaliseVerificationCode reads it), for the public page.
func CertificateByCode(ctx context.Context, q store.Querier, code string) (domain.Award, error) {
	var c domain.Award
	err := scanCert(q.QueryRowContext(ctx, `SELECT `+certColumns+certFrom+` WHERE c.code = $1`, code), &c)
	return c, store.NotFound(err, "certificate")
}

// Flagged are the valid certificates in scope flagged for review, oldest
// flag first.
func Flagged(ctx context.Context, q store.Querier, scope policy.Scope) ([]domain.Award, error) {
	var a store.Args
	where, ok := store.AppScope(&a, scope)
	if !ok {
		return nil, nil
	}
	return store.Collect(ctx, q, "flagged certificates", scanCert, `SELECT `+certColumns+certFrom+` WHERE `+where+
		` AND c.review_reason <> '' AND `+store.StatusIs("c.state", domain.CertificateValid)+` ORDER BY c.review_flagged_on, c.id`, a...)
}

// Facts loads what certifying a learner needs: their certificates, their
// open quality-assurance actions and (when the portfolio records
// criterion decisions for them) their criteria.
func Facts(ctx context.Context, q store.Querier, app store.Application) (domain.CertificationFacts, error) {
	fs, err := FactsOf(ctx, q, []store.Application{app})
	return fs[app.ID], err
}

// FactsOf is Facts for many learners at once, by application id, in one
// query a kind of record rather than several a learner: the awarding
// organisation's queue shows fifty at a time.
func FactsOf(ctx context.Context, q store.Querier, apps []store.Application) (map[int64]domain.CertificationFacts, error) {
	out := make(map[int64]domain.CertificationFacts, len(apps))
	if len(apps) == 0 {
		return out, nil
	}
	var a store.Args
	ids, practitioners := make([]string, len(apps)), make([]int64, len(apps))
	for i, app := range apps {
		ids[i], practitioners[i] = a.Add(app.ID), app.PractitionerID
		out[app.ID] = domain.CertificationFacts{App: app}
	}
	in := "(" + strings.Join(ids, ", ") + ")"
	held, err := store.Collect(ctx, q, "certificates", scanCert, `SELECT `+certColumns+certFrom+` WHERE c.application_id IN `+in+` ORDER BY c.id`, a...)
	if err != nil {
		return nil, err
	}
	items, err := store.Collect(ctx, q, "sample items", scanItem, `SELECT `+itemColumns+itemFrom+` WHERE i.application_id IN `+in+` ORDER BY i.id`, a...)
	if err != nil {
		return nil, err
	}
	type decision struct {
		app int64
		domain.CriterionDecision
	}
	decisions, err := store.Collect(ctx, q, "criterion decisions", func(sc store.Scanner, d *decision) error {
		return sc.Scan(&d.app, &d.ID, &d.Criterion, &d.Outcome)
	}, `SELECT application_id, id, criterion, outcome FROM criterion_decisions WHERE application_id IN `+in+` ORDER BY id`, a...)
	if err != nil {
		return nil, err
	}
	claims, err := growth.RPLClaimsOf(ctx, q, practitioners)
	if err != nil {
		return nil, err
	}
	heldOf, itemsOf, decisionsOf, claimsOf := map[int64][]domain.Award{}, map[int64][]domain.QAItem{}, map[int64][]domain.CriterionDecision{}, map[int64][]domain.RPLClaim{}
	for _, c := range held {
		heldOf[c.ApplicationID] = append(heldOf[c.ApplicationID], c)
	}
	for _, i := range items {
		itemsOf[i.Decision.ApplicationID] = append(itemsOf[i.Decision.ApplicationID], i)
	}
	for _, d := range decisions {
		decisionsOf[d.app] = append(decisionsOf[d.app], d.CriterionDecision)
	}
	for _, c := range claims {
		claimsOf[c.PractitionerID] = append(claimsOf[c.PractitionerID], c)
	}
	quals := map[int64]domain.Qualification{}
	for _, app := range apps {
		f := out[app.ID]
		f.Held = heldOf[app.ID]
		f.OpenActions = domain.OpenQAActions(itemsOf[app.ID])
		if ds := decisionsOf[app.ID]; len(ds) > 0 {
			qual, err := qualificationOf(ctx, q, app, quals)
			if err != nil {
				return nil, err
			}
			f.Criteria = criteriaOf(qual, ds, claimsOf[app.PractitionerID], domain.OverturnedDecisions(itemsOf[app.ID]))
		}
		out[app.ID] = f
	}
	return out, nil
}

// qualificationOf is the version the learner is assessed on, read once
// per version (seen keeps those read).
func qualificationOf(ctx context.Context, q store.Querier, app store.Application, seen map[int64]domain.Qualification) (domain.Qualification, error) {
	qid := app.QualificationID
	if qid == 0 {
		pr, err := store.ProgrammeIn(ctx, q, app.ProgrammeID)
		if err != nil {
			return domain.Qualification{}, err
		}
		qid = pr.QualificationID
	}
	if qual, ok := seen[qid]; ok {
		return qual, nil
	}
	qual, err := store.QualificationIn(ctx, q, qid)
	seen[qid] = qual
	return qual, err
}

// criteriaOf is the learner's criteria and whether each is met
// (domain.MetCriteria, without the overturned decisions, with their
// recognised prior learning), from the portfolio's criterion decisions;
// nil when their qualification has no assessment plan, when the assessor's
// "assessment complete" stands for them.
func criteriaOf(qual domain.Qualification, decisions []domain.CriterionDecision, claims []domain.RPLClaim, overturned domain.Overturned) []domain.CriterionStanding {
	if qual.Plan.Empty() {
		return nil
	}
	met := domain.MetCriteria(append(decisions, domain.RecognisedDecisions(qual, claims)...), overturned)
	var out []domain.CriterionStanding
	for _, c := range qual.Criteria() {
		out = append(out, domain.CriterionStanding{Ref: string(c), Unit: c.Unit(), Mandatory: qual.Plan.IsMandatory(c), Met: met[c]})
	}
	return out
}

// NewCode is a fresh verification code: 16 letters of Crockford's base 32
// from the system's random source (80 bits).
func NewCode() (string, error) {
	b := make([]byte, domain.VerificationCodeLength)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("verification code: %w", err)
	}
	for i := range b {
		b[i] = domain.VerificationCodeAlphabet[int(b[i])%len(domain.VerificationCodeAlphabet)]
	}
	return string(b), nil
}

// insert adds a certificate and numbers it from its row: numbers follow
// the order certificates were issued in and two issued at once cannot
// share one.
func insert(ctx context.Context, tx *store.Tx, a domain.Actor, app store.Application, kind domain.CertificateKind, units []string, on domain.Date, number string) (domain.Award, error) {
	code, err := NewCode()
	if err != nil {
		return domain.Award{}, err
	}
	now := tx.Now()
	id, err := tx.InsertID(ctx, `INSERT INTO issued_certificates (application_id, kind, units, code, issued_on, state, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
		app.ID, string(kind), strings.Join(units, ","), code, on, string(domain.CertificateValid), a.Label, now)
	if err != nil {
		return domain.Award{}, fmt.Errorf("certificate: %w", err)
	}
	if number == "" {
		var qual string
		if err := tx.Reader().QueryRowContext(ctx, `SELECT COALESCE(q.code, '') FROM programmes pr LEFT JOIN qualifications q ON q.id = pr.qualification_id WHERE pr.id = $1`,
			app.ProgrammeID).Scan(&qual); err != nil {
			return domain.Award{}, fmt.Errorf("certificate number: %w", err)
		}
		number = domain.CertificateNumber(qual, on.Time().Year(), id)
	}
	if _, err := tx.Exec(ctx, `UPDATE issued_certificates SET number = $2 WHERE id = $1`, id, number); err != nil {
		if store.IsUniqueViolation(err) {
			return domain.Award{}, domain.Refuse("certificate_number", "Certificate number %s is already taken", number)
		}
		return domain.Award{}, fmt.Errorf("certificate number: %w", err)
	}
	c, err := CertificateIn(ctx, tx.Reader(), policy.Scope{Kind: policy.National}, id)
	if err != nil {
		return c, err
	}
	return c, tx.Audit(ctx, a, "certificate issued", "certificate", fmt.Sprint(id), nil,
		map[string]any{"application_id": app.ID, "number": number, "kind": kind, "units": units, "issued_on": on.String()})
}

// Certify issues a learner's full certificate (domain.Certify) numbered
// number, or numbered in sequence when number is empty.
func Certify(ctx context.Context, tx *store.Tx, a domain.Actor, app store.Application, number string, on domain.Date) (domain.Award, error) {
	f, err := Facts(ctx, tx.Reader(), app)
	if err != nil {
		return domain.Award{}, err
	}
	// Decide before numbering, so a refusal takes no number.
	if _, err := domain.Certify(f, "to be numbered", on, tx.Today()); err != nil {
		return domain.Award{}, err
	}
	c, err := insert(ctx, tx, a, app, domain.CertificateFull, nil, on, strings.TrimSpace(number))
	if err != nil {
		return c, err
	}
	ch, err := domain.Certify(f, c.Number, on, tx.Today())
	if err != nil {
		return c, err
	}
	return c, tx.SaveApplication(ctx, a, app, ch)
}

// CertifyUnits issues a unit certificate for achieved units
// (domain.CertifyUnits); the application's status stays as it is.
func CertifyUnits(ctx context.Context, tx *store.Tx, a domain.Actor, app store.Application, units []string, on domain.Date) (domain.Award, error) {
	f, err := Facts(ctx, tx.Reader(), app)
	if err != nil {
		return domain.Award{}, err
	}
	units, err = domain.CertifyUnits(f, units, on, tx.Today())
	if err != nil {
		return domain.Award{}, err
	}
	return insert(ctx, tx, a, app, domain.CertificateUnit, units, on, "")
}

func save(ctx context.Context, tx *store.Tx, a domain.Actor, action string, old, n domain.Award) error {
	if _, err := tx.Exec(ctx, `UPDATE issued_certificates SET state = $2, invalidated_on = $3, invalid_reason = $4, review_reason = $5,
		review_flagged_on = $6, updated_at = $7 WHERE id = $1`,
		n.ID, string(n.State), n.InvalidatedOn, n.InvalidReason, n.ReviewReason, n.ReviewFlaggedOn, tx.Now()); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	return tx.Audit(ctx, a, action, "certificate", fmt.Sprint(n.ID),
		map[string]any{"state": old.State, "review_reason": old.ReviewReason},
		map[string]any{"state": n.State, "reason": n.InvalidReason, "review_reason": n.ReviewReason})
}

// Invalidate withdraws a certificate with a reason (domain.Invalidate).
// A full certificate's learner returns to completed (domain.Revoke), so
// they no longer count as qualified.
func Invalidate(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, id int64, reason string) (domain.Award, error) {
	old, err := CertificateIn(ctx, tx.Reader(), scope, id)
	if err != nil {
		return old, err
	}
	n, err := domain.Invalidate(old, reason, tx.Today())
	if err != nil {
		return old, err
	}
	if err := save(ctx, tx, a, "certificate invalidated", old, n); err != nil {
		return n, err
	}
	if n.Kind != domain.CertificateFull {
		return n, nil
	}
	app, err := store.ApplicationIn(ctx, tx.Reader(), scope, n.ApplicationID)
	if err != nil {
		return n, err
	}
	if app.Status != domain.StatusCertified {
		return n, nil
	}
	ch, err := domain.Revoke(app, reason, tx.Today())
	if err != nil {
		return n, err
	}
	return n, tx.SaveApplication(ctx, a, app, ch)
}

// Revoke withdraws a learner's qualification with a reason: their valid
// full certificate is invalidated and they return to completed.
func Revoke(ctx context.Context, tx *store.Tx, a domain.Actor, app store.Application, reason string, on domain.Date) error {
	held, err := Certificates(ctx, tx.Reader(), app.ID)
	if err != nil {
		return err
	}
	ch, err := domain.Revoke(app, reason, on)
	if err != nil {
		return err
	}
	for _, c := range held {
		if c.Kind == domain.CertificateFull && c.State == domain.CertificateValid {
			n, err := domain.Invalidate(c, reason, on)
			if err != nil {
				return err
			}
			if err := save(ctx, tx, a, "certificate invalidated", c, n); err != nil {
				return err
			}
		}
	}
	return tx.SaveApplication(ctx, a, app, ch)
}

// ClearReview records that the awarding organisation reviewed a flagged
// certificate and it stands.
func ClearReview(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, id int64) (domain.Award, error) {
	old, err := CertificateIn(ctx, tx.Reader(), scope, id)
	if err != nil {
		return old, err
	}
	n, err := domain.ClearReview(old)
	if err != nil {
		return old, err
	}
	return n, save(ctx, tx, a, "certificate review cleared", old, n)
}

// flagApplication flags the application's valid certificates for review:
// a decision behind them was overturned after they were issued.
func flagApplication(ctx context.Context, tx *store.Tx, a domain.Actor, appID int64, why string) error {
	held, err := Certificates(ctx, tx.Reader(), appID)
	if err != nil {
		return err
	}
	for _, c := range held {
		if n, ok := domain.FlagForReview(c, why, tx.Today()); ok {
			if err := save(ctx, tx, a, "certificate flagged for review", c, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// CertificateFilter narrows a list of certificates: one learner, changes
// at or after UpdatedSince (then in order of change), a page.
type CertificateFilter struct {
	ApplicationID int64
	UpdatedSince  time.Time
	Page, Size    int
}

// CertificateList lists the certificates of the learners in scope, by id
// or by change, and how many there are in all.
func CertificateList(ctx context.Context, q store.Querier, scope policy.Scope, f CertificateFilter) ([]domain.Award, int, error) {
	var a store.Args
	where, ok := store.AppScope(&a, scope)
	if !ok {
		return nil, 0, nil
	}
	if f.ApplicationID != 0 {
		where += " AND c.application_id = " + a.Add(f.ApplicationID)
	}
	order := " ORDER BY c.id"
	if !f.UpdatedSince.IsZero() {
		where += " AND c.updated_at >= " + a.Add(f.UpdatedSince)
		order = " ORDER BY c.updated_at, c.id"
	}
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+certFrom+` WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("certificate list: %w", err)
	}
	list, err := store.Collect(ctx, q, "certificates", scanCert, `SELECT `+certColumns+certFrom+` WHERE `+where+order+store.PageClause(&a, f.Page, f.Size), a...)
	return list, total, err
}

package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
)

// practitionerScope limits practitioners (aliased p) to a scope: those
// employed at a setting in scope (now or before), those the caller's
// organisation recorded, or the caller themself. many says whether the
// query lists practitioners or reads one: a list tests membership of one
// set computed once (an IN of a UNION), since an EXISTS per practitioner
// read every practitioner of the national register (1.4 s for Leeds on
// SQLite, the set 35 ms); one practitioner is a single EXISTS probe.
func practitionerScope(a *args, scope policy.Scope, many bool) (string, bool) {
	switch scope.Kind {
	case policy.National:
		return "1=1", true
	case policy.LA:
		if many {
			return "p.id IN (SELECT e.practitioner_id FROM employments e JOIN settings es ON es.urn = e.setting_urn WHERE es.la_code = " +
				a.add(scope.LACode) + " UNION SELECT o.id FROM practitioners o WHERE o.owner_org_id = " + a.add(scope.OrgID) + ")", true
		}
		return "(EXISTS (SELECT 1 FROM employments e JOIN settings es ON es.urn = e.setting_urn WHERE e.practitioner_id = p.id AND es.la_code = " +
			a.add(scope.LACode) + ") OR p.owner_org_id = " + a.add(scope.OrgID) + ")", true
	case policy.Setting:
		if many {
			return "p.id IN (SELECT e.practitioner_id FROM employments e WHERE e.setting_urn = " + a.add(scope.SettingURN) +
				" UNION SELECT o.id FROM practitioners o WHERE o.owner_org_id = " + a.add(scope.OrgID) + ")", true
		}
		return "(EXISTS (SELECT 1 FROM employments e WHERE e.practitioner_id = p.id AND e.setting_urn = " + a.add(scope.SettingURN) +
			") OR p.owner_org_id = " + a.add(scope.OrgID) + ")", true
	case policy.Org:
		return "p.owner_org_id = " + a.add(scope.OrgID), true
	case policy.Self:
		return "p.id = " + a.add(scope.PractitionerID), true
	}
	return "", false
}

// employmentScope limits employments (aliased e, with settings es joined)
// to a scope. A setting sees only employments at itself, not where its
// former staff went next.
func employmentScope(a *args, scope policy.Scope) (string, bool) {
	switch scope.Kind {
	case policy.National:
		return "1=1", true
	case policy.LA:
		return "es.la_code = " + a.add(scope.LACode), true
	case policy.Setting:
		return "e.setting_urn = " + a.add(scope.SettingURN), true
	case policy.Org:
		return "p.owner_org_id = " + a.add(scope.OrgID), true
	case policy.Self:
		return "e.practitioner_id = " + a.add(scope.PractitionerID), true
	}
	return "", false
}

const practitionerColumns = `p.id, p.given_name, p.family_name, p.email, p.date_of_birth, p.qualification_level, p.qts, p.eyts, p.qtls,
	p.prior_sen_training, p.owner_org_id, p.updated_at`

// PractitionerRecord is a practitioner with when they last changed.
type PractitionerRecord struct {
	domain.Practitioner
	UpdatedAt time.Time
}

func scanPractitioner(sc interface{ Scan(...any) error }, r *PractitionerRecord) error {
	p := &r.Practitioner
	return sc.Scan(&p.ID, &p.GivenName, &p.FamilyName, &p.Email, &p.DateOfBirth, &p.QualificationLevel, &p.QTS, &p.EYTS, &p.QTLS,
		&p.PriorSENTraining, &p.OwnerOrgID, nullTime{&r.UpdatedAt})
}

// PeopleFilter narrows practitioner and employment lists.
type PeopleFilter struct {
	Q              string
	SettingURN     string
	PractitionerID int64
	// PractitionerIDs keeps the employments of these practitioners (a
	// page of a list), when not empty.
	PractitionerIDs []int64
	CurrentOn       domain.Date // employments covering this date only
	UpdatedSince    time.Time
	Page            int
	PageSize        int
}

// PractitionerPage is one page of practitioners and the total.
type PractitionerPage struct {
	Practitioners []PractitionerRecord
	Total         int
}

// SearchPractitioners lists practitioners in scope by name.
func (db *DB) SearchPractitioners(ctx context.Context, scope policy.Scope, f PeopleFilter) (PractitionerPage, error) {
	var page PractitionerPage
	var a args
	where, ok := practitionerScope(&a, scope, true)
	if !ok {
		return page, nil
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		where += ` AND (lower(p.given_name || ' ' || p.family_name) LIKE ` + a.add(like(normalise(q))) + ` ESCAPE '\' OR lower(p.email) = ` + a.add(strings.ToLower(q)) + `)`
	}
	if f.SettingURN != "" {
		where += " AND EXISTS (SELECT 1 FROM employments e2 WHERE e2.practitioner_id = p.id AND e2.setting_urn = " + a.add(f.SettingURN) + ")"
	}
	if !f.UpdatedSince.IsZero() {
		where += " AND p.updated_at >= " + a.add(f.UpdatedSince.UTC())
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM practitioners p WHERE `+where, a...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count practitioners: %w", err)
	}
	size := f.PageSize
	if size <= 0 {
		size = 50
	}
	order := "p.family_name, p.given_name, p.id"
	if !f.UpdatedSince.IsZero() {
		order = "p.updated_at, p.id"
	}
	var err error
	page.Practitioners, err = collect(ctx, db.read, "search practitioners", scanPractitioner,
		`SELECT `+practitionerColumns+` FROM practitioners p WHERE `+where+` ORDER BY `+order+pageClause(&a, f.Page, size), a...)
	return page, err
}

// Practitioner returns one practitioner in scope.
func (db *DB) Practitioner(ctx context.Context, scope policy.Scope, id int64) (PractitionerRecord, error) {
	var r PractitionerRecord
	var a args
	where, ok := practitionerScope(&a, scope, false)
	if !ok {
		return r, ErrNotFound
	}
	err := scanPractitioner(db.read.QueryRowContext(ctx, `SELECT `+practitionerColumns+` FROM practitioners p WHERE `+where+` AND p.id = `+a.add(id), a...), &r)
	return r, notFound(err, "practitioner")
}

// EmploymentRecord is an employment with the names pages show.
type EmploymentRecord struct {
	domain.Employment
	PractitionerName string
	SettingName      string
	SettingType      domain.ProviderType
	UpdatedAt        time.Time
}

// SettingDisplayName is the setting's name as pages show it, naming the
// type and URN where Ofsted withholds a home-based provider's name.
func (r EmploymentRecord) SettingDisplayName() string {
	return domain.Setting{URN: r.SettingURN, Name: r.SettingName, Type: r.SettingType}.DisplayName()
}

const employmentColumns = `e.id, e.practitioner_id, e.setting_urn, e.role, e.started_on, e.ended_on, e.updated_at,
	p.given_name || ' ' || p.family_name, es.name, es.provider_type`

const employmentFrom = ` FROM employments e JOIN practitioners p ON p.id = e.practitioner_id JOIN settings es ON es.urn = e.setting_urn`

func scanEmployment(sc interface{ Scan(...any) error }, r *EmploymentRecord) error {
	e := &r.Employment
	return sc.Scan(&e.ID, &e.PractitionerID, &e.SettingURN, &e.Role, &e.StartedOn, &e.EndedOn, nullTime{&r.UpdatedAt},
		&r.PractitionerName, &r.SettingName, &r.SettingType)
}

// EmploymentPage is one page of employments and the total.
type EmploymentPage struct {
	Employments []EmploymentRecord
	Total       int
}

// Employments lists employments in scope, current ones first, then by
// start date, newest first.
func (db *DB) Employments(ctx context.Context, scope policy.Scope, f PeopleFilter) (EmploymentPage, error) {
	var page EmploymentPage
	var a args
	where, ok := employmentScope(&a, scope)
	if !ok {
		return page, nil
	}
	if f.SettingURN != "" {
		where += " AND e.setting_urn = " + a.add(f.SettingURN)
	}
	if f.PractitionerID != 0 {
		where += " AND e.practitioner_id = " + a.add(f.PractitionerID)
	}
	if len(f.PractitionerIDs) > 0 {
		in := make([]string, len(f.PractitionerIDs))
		for i, id := range f.PractitionerIDs {
			in[i] = a.add(id)
		}
		where += " AND e.practitioner_id IN (" + strings.Join(in, ", ") + ")"
	}
	if !f.CurrentOn.IsZero() {
		d := a.add(f.CurrentOn)
		where += " AND e.started_on <= " + d + " AND (e.ended_on IS NULL OR e.ended_on > " + d + ")"
	}
	if !f.UpdatedSince.IsZero() {
		where += " AND e.updated_at >= " + a.add(f.UpdatedSince.UTC())
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*)`+employmentFrom+` WHERE `+where, a...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count employments: %w", err)
	}
	order := "CASE WHEN e.ended_on IS NULL THEN 0 ELSE 1 END, e.started_on DESC, e.id DESC"
	if !f.UpdatedSince.IsZero() {
		order = "e.updated_at, e.id"
	}
	var err error
	page.Employments, err = collect(ctx, db.read, "list employments", scanEmployment,
		`SELECT `+employmentColumns+employmentFrom+` WHERE `+where+` ORDER BY `+order+pageClause(&a, f.Page, f.PageSize), a...)
	return page, err
}

// Employment returns one employment in scope.
func (db *DB) Employment(ctx context.Context, scope policy.Scope, id int64) (EmploymentRecord, error) {
	var r EmploymentRecord
	var a args
	where, ok := employmentScope(&a, scope)
	if !ok {
		return r, ErrNotFound
	}
	err := scanEmployment(db.read.QueryRowContext(ctx, `SELECT `+employmentColumns+employmentFrom+` WHERE `+where+` AND e.id = `+a.add(id), a...), &r)
	return r, notFound(err, "employment")
}

// CreatePractitioner adds a practitioner recorded by the actor's organisation.
func (tx *Tx) CreatePractitioner(ctx context.Context, a domain.Actor, p domain.Practitioner) (domain.Practitioner, error) {
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	var err error
	p.ID, err = tx.insertID(ctx, `INSERT INTO practitioners (given_name, family_name, email, date_of_birth, qualification_level, qts, eyts, qtls,
		prior_sen_training, owner_org_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
		strings.TrimSpace(p.GivenName), strings.TrimSpace(p.FamilyName), p.Email, p.DateOfBirth, p.QualificationLevel, p.QTS, p.EYTS, p.QTLS,
		p.PriorSENTraining, p.OwnerOrgID, tx.now)
	if err != nil {
		return p, fmt.Errorf("create practitioner: %w", err)
	}
	return p, tx.Audit(ctx, a, "create", "practitioner", fmt.Sprint(p.ID), nil, p)
}

// FindPractitioner returns the practitioner the same person already is, by
// email, or by name and date of birth, among those the organisation
// recorded; ErrNotFound when there is none.
func (tx *Tx) FindPractitioner(ctx context.Context, ownerOrgID int64, p domain.Practitioner) (domain.Practitioner, error) {
	var r PractitionerRecord
	var err error
	if e := strings.ToLower(strings.TrimSpace(p.Email)); e != "" {
		err = scanPractitioner(tx.tx.QueryRowContext(ctx, `SELECT `+practitionerColumns+` FROM practitioners p WHERE p.owner_org_id = $1 AND p.email = $2 ORDER BY p.id LIMIT 1`,
			ownerOrgID, e), &r)
	} else {
		err = scanPractitioner(tx.tx.QueryRowContext(ctx, `SELECT `+practitionerColumns+` FROM practitioners p WHERE p.owner_org_id = $1
			AND lower(p.given_name) = $2 AND lower(p.family_name) = $3 AND p.date_of_birth = $4 ORDER BY p.id LIMIT 1`,
			ownerOrgID, strings.ToLower(strings.TrimSpace(p.GivenName)), strings.ToLower(strings.TrimSpace(p.FamilyName)), p.DateOfBirth), &r)
	}
	return r.Practitioner, notFound(err, "find practitioner")
}

// AddEmployment records an employment. The same practitioner, setting, role
// and start date twice is a conflict, so a retried write never duplicates.
func (tx *Tx) AddEmployment(ctx context.Context, a domain.Actor, e domain.Employment) (domain.Employment, error) {
	if err := e.Validate(); err != nil {
		return e, err
	}
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM employments WHERE practitioner_id = $1 AND setting_urn = $2 AND role = $3 AND started_on = $4`,
		e.PractitionerID, e.SettingURN, string(e.Role), e.StartedOn).Scan(&n); err != nil {
		return e, fmt.Errorf("add employment: %w", err)
	}
	if n > 0 {
		return e, fmt.Errorf("%w: %w", domain.ErrEmploymentRecorded, ErrConflict)
	}
	var err error
	e.ID, err = tx.insertID(ctx, `INSERT INTO employments (practitioner_id, setting_urn, role, started_on, ended_on, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6)`, e.PractitionerID, e.SettingURN, string(e.Role), e.StartedOn, e.EndedOn, tx.now)
	if err != nil {
		return e, fmt.Errorf("add employment: %w", err)
	}
	if err := tx.touchPractitioner(ctx, e.PractitionerID); err != nil {
		return e, err
	}
	return e, tx.Audit(ctx, a, "create", "employment", fmt.Sprint(e.ID), nil, e)
}

// EndEmployment sets the end date of an employment the caller has already
// loaded in scope.
func (tx *Tx) EndEmployment(ctx context.Context, a domain.Actor, before domain.Employment, endedOn domain.Date) (domain.Employment, error) {
	after := before
	after.EndedOn = endedOn
	if err := after.Validate(); err != nil {
		return before, err
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE employments SET ended_on = $2, updated_at = $3 WHERE id = $1`, before.ID, endedOn, tx.now)
	if err != nil {
		return before, fmt.Errorf("end employment: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return before, ErrNotFound
	}
	if err := tx.touchPractitioner(ctx, before.PractitionerID); err != nil {
		return before, err
	}
	return after, tx.Audit(ctx, a, "end", "employment", fmt.Sprint(before.ID), before, after)
}

// touchPractitioner marks a practitioner changed when their employments
// change, so API clients syncing by updated_since see it.
func (tx *Tx) touchPractitioner(ctx context.Context, id int64) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE practitioners SET updated_at = $2 WHERE id = $1`, id, tx.now)
	if err != nil {
		return fmt.Errorf("touch practitioner: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
)

// appScope limits applications (aliased ap) to a scope. A supplier sees the
// applications from the authorities its contracts in force serve, and
// those on its own cohorts.
func appScope(a *args, scope policy.Scope) (string, bool) {
	switch scope.Kind {
	case policy.National:
		return "1=1", true
	case policy.Org:
		org := a.add(scope.OrgID)
		return "(EXISTS (SELECT 1 FROM contracts c JOIN contract_las cl ON cl.contract_id = c.id WHERE c.supplier_org_id = " + org +
			" AND c.programme_id = ap.programme_id AND c.superseded_by IS NULL AND cl.la_code = ap.la_code)" +
			" OR EXISTS (SELECT 1 FROM cohorts sc WHERE sc.id = ap.cohort_id AND sc.supplier_org_id = " + org + "))", true
	case policy.Staffed:
		return "EXISTS (SELECT 1 FROM cohort_staff cs WHERE cs.cohort_id = ap.cohort_id AND cs.user_id = " + a.add(scope.UserID) + ")", true
	case policy.Awarding:
		return "EXISTS (SELECT 1 FROM programmes pp JOIN qualifications q ON q.id = pp.qualification_id WHERE pp.id = ap.programme_id AND q.awarding_org = " + a.add(scope.OrgName) + ")", true
	case policy.LA:
		return "ap.la_code = " + a.add(scope.LACode), true
	case policy.Setting:
		return "ap.setting_urn = " + a.add(scope.SettingURN), true
	case policy.Self:
		return "ap.practitioner_id = " + a.add(scope.PractitionerID), true
	}
	return "", false
}

// Application is the domain's application; the alias keeps the store's
// callers reading as before while the workflow moves into the domain.
type Application = domain.Application

const appColumns = `ap.id, ap.programme_id, ap.practitioner_id, ap.setting_urn, COALESCE(ap.la_code, ''), ap.applied_on, ap.nominated,
	ap.setting_confirmed_at IS NOT NULL, ap.working_towards_l3, ap.status, ap.decision, ap.reason_code, ap.reason, ap.manual_decision,
	ap.extra_setting_place, COALESCE(ap.cohort_id, 0), COALESCE(ap.waitlist_cohort_id, 0), ap.withdrawal_reason, ap.withdrawn_on,
	ap.assessment_complete_on, ap.learner_number, ap.uln, ap.certificate_number, ap.certified_on, ap.revoked_on, ap.revoke_reason,
	COALESCE(ap.qualification_id, 0), ap.enrolled_on, ap.left_training_on, ap.updated_at,
	p.given_name || ' ' || p.family_name, p.email, s.name, s.provider_type, COALESCE(la.name, ''), pr.name, COALESCE(ch.name, ''), COALESCE(so.name, '')`

const appFrom = ` FROM applications ap JOIN practitioners p ON p.id = ap.practitioner_id JOIN settings s ON s.urn = ap.setting_urn
	LEFT JOIN local_authorities la ON la.code = ap.la_code JOIN programmes pr ON pr.id = ap.programme_id
	LEFT JOIN cohorts ch ON ch.id = ap.cohort_id LEFT JOIN organisations so ON so.id = ch.supplier_org_id`

func scanApp(sc interface{ Scan(...any) error }, r *Application) error {
	return sc.Scan(&r.ID, &r.ProgrammeID, &r.PractitionerID, &r.SettingURN, &r.LACode, &r.AppliedOn, &r.Nominated,
		&r.SettingConfirmed, &r.WorkingTowardsL3, &r.Status, &r.Decision, &r.ReasonCode, &r.Reason, &r.ManualDecision,
		&r.ExtraSettingPlace, &r.CohortID, &r.WaitlistCohortID, &r.WithdrawalReason, &r.WithdrawnOn,
		&r.AssessmentCompleteOn, &r.LearnerNumber, &r.ULN, &r.CertificateNumber, &r.CertifiedOn, &r.RevokedOn, &r.RevokeReason,
		&r.QualificationID, &r.EnrolledOn, &r.LeftTrainingOn, nullTime{&r.UpdatedAt},
		&r.PractitionerName, &r.Email, &r.SettingName, &r.SettingType, &r.LAName, &r.ProgrammeName, &r.CohortName, &r.SupplierName)
}

// AppFilter narrows an application list.
type AppFilter struct {
	ProgrammeID  int64
	Status       domain.Status
	CohortID     int64
	Waitlisted   int64 // on this cohort's waiting list
	SettingURN   string
	LACodes      []string // from any of these authorities
	Unplaced     bool     // on no cohort yet
	ManualReview bool
	// Statuses keeps applications in any of these statuses.
	Statuses []domain.Status
	// Unregistered keeps learners with no learner number yet.
	Unregistered bool
	// Learners keeps those ever placed on a cohort: learners, not
	// applications still being decided.
	Learners     bool
	OldestFirst  bool // by date applied, oldest first: a queue
	Q            string
	UpdatedSince time.Time
	Page         int
	PageSize     int
}

// AppPage is one page of applications and the total.
type AppPage struct {
	Applications []Application
	Total        int
}

// Applications lists applications in scope.
func (db *DB) Applications(ctx context.Context, scope policy.Scope, f AppFilter) (AppPage, error) {
	var page AppPage
	var a args
	where, ok := appScope(&a, scope)
	if !ok {
		return page, nil
	}
	if f.ProgrammeID != 0 {
		where += " AND ap.programme_id = " + a.add(f.ProgrammeID)
	}
	if f.Status != "" {
		where += " AND ap.status = " + a.add(string(f.Status))
	}
	if f.CohortID != 0 {
		where += " AND ap.cohort_id = " + a.add(f.CohortID)
	}
	if f.Waitlisted != 0 {
		where += " AND ap.waitlist_cohort_id = " + a.add(f.Waitlisted) + " AND " + statusIs("ap.status", domain.StatusEligible)
	}
	if f.SettingURN != "" {
		where += " AND ap.setting_urn = " + a.add(f.SettingURN)
	}
	if len(f.LACodes) > 0 {
		ph := make([]string, len(f.LACodes))
		for i, c := range f.LACodes {
			ph[i] = a.add(c)
		}
		where += " AND ap.la_code IN (" + strings.Join(ph, ", ") + ")"
	}
	if f.Unplaced {
		where += " AND ap.cohort_id IS NULL"
	}
	if len(f.Statuses) > 0 {
		where += " AND " + statusIn("ap.status", f.Statuses)
	}
	if f.Unregistered {
		where += " AND ap.learner_number = ''"
	}
	if f.Learners {
		where += " AND ap.enrolled_on IS NOT NULL"
	}
	if f.ManualReview {
		where += " AND ap.decision = '" + string(domain.DecisionManual) + "' AND " + statusIs("ap.status", domain.StatusApplied)
	}
	// The count joins practitioners only when a name is searched: the
	// scope and the other filters are on the application itself.
	countFrom := ` FROM applications ap`
	if q := strings.TrimSpace(f.Q); q != "" {
		where += ` AND (lower(p.given_name || ' ' || p.family_name) LIKE ` + a.add(like(q)) + ` ESCAPE '\' OR ap.setting_urn = ` + a.add(strings.ToUpper(q)) + `)`
		countFrom += ` JOIN practitioners p ON p.id = ap.practitioner_id`
	}
	order := "ap.applied_on DESC, ap.id DESC"
	if f.OldestFirst {
		order = "ap.applied_on, ap.id"
	}
	if !f.UpdatedSince.IsZero() {
		where += " AND ap.updated_at >= " + a.add(f.UpdatedSince.UTC())
		order = "ap.updated_at, ap.id"
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*)`+countFrom+` WHERE `+where, a...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count applications: %w", err)
	}
	var err error
	page.Applications, err = collect(ctx, db.read, "list applications", scanApp,
		`SELECT `+appColumns+appFrom+` WHERE `+where+` ORDER BY `+order+pageClause(&a, f.Page, f.PageSize), a...)
	return page, err
}

// Application returns one application in scope.
func (db *DB) Application(ctx context.Context, scope policy.Scope, id int64) (Application, error) {
	var r Application
	var a args
	where, ok := appScope(&a, scope)
	if !ok {
		return r, ErrNotFound
	}
	err := scanApp(db.read.QueryRowContext(ctx, `SELECT `+appColumns+appFrom+` WHERE `+where+` AND ap.id = `+a.add(id), a...), &r)
	return r, notFound(err, "application")
}

func (tx *Tx) application(ctx context.Context, id int64) (Application, error) {
	var r Application
	err := scanApp(tx.tx.QueryRowContext(ctx, `SELECT `+appColumns+appFrom+` WHERE ap.id = $1`, id), &r)
	return r, notFound(err, "application")
}

// AppEvent is one dated, attributed change of an application.
type AppEvent struct {
	From, To domain.Status
	Event    string
	On       domain.Date
	Detail   string
	Actor    string
	At       time.Time
}

// ApplicationEvents lists an application's history, oldest first; the
// caller has loaded the application in scope.
func (db *DB) ApplicationEvents(ctx context.Context, id int64) ([]AppEvent, error) {
	return collect(ctx, db.read, "application events", func(sc scanner, e *AppEvent) error {
		return sc.Scan(&e.From, &e.To, &e.Event, &e.On, &e.Detail, &e.Actor, nullTime{&e.At})
	}, `SELECT from_status, to_status, event, on_date, detail, actor, at FROM application_events WHERE application_id = $1 ORDER BY id`, id)
}

func (tx *Tx) event(ctx context.Context, a domain.Actor, id int64, from, to domain.Status, event string, on domain.Date, detail string) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO application_events (application_id, from_status, to_status, event, on_date, detail, actor, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, string(from), string(to), event, on, detail, a.Label, tx.now)
	if err != nil {
		return fmt.Errorf("application event: %w", err)
	}
	return nil
}

// ApplyInput is a new application.
type ApplyInput struct {
	ProgrammeID      int64
	PractitionerID   int64
	SettingURN       string
	AppliedOn        domain.Date
	Nominated        bool // by the setting; otherwise self-applied
	SettingConfirmed bool
	WorkingTowardsL3 bool
}

// Apply records an application (domain.Apply) and checks its eligibility
// with the programme's rules. A second live application by the same person
// to the same programme is a conflict, guarded by a unique index too.
func (tx *Tx) Apply(ctx context.Context, a domain.Actor, in ApplyInput) (Application, error) {
	req := domain.NewApplication{ProgrammeID: in.ProgrammeID, PractitionerID: in.PractitionerID, SettingURN: in.SettingURN,
		AppliedOn: in.AppliedOn, Nominated: in.Nominated, SettingConfirmed: in.SettingConfirmed, WorkingTowardsL3: in.WorkingTowardsL3}
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE programme_id = $1 AND practitioner_id = $2 AND `+statusNotIn("status", domain.NotLive),
		in.ProgrammeID, in.PractitionerID).Scan(&n); err != nil {
		return Application{}, fmt.Errorf("apply: %w", err)
	}
	req.AlreadyApplied = n > 0
	err := tx.tx.QueryRowContext(ctx, `SELECT COALESCE(la_code, '') FROM settings WHERE urn = $1`, in.SettingURN).Scan(&req.LACode)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Application{}, fmt.Errorf("apply: %w", err)
	}
	req.SettingFound = err == nil
	if err := tx.tx.QueryRowContext(ctx, `SELECT qualification_id FROM programmes WHERE id = $1`, in.ProgrammeID).Scan(&req.QualificationID); err != nil {
		return Application{}, notFound(err, "programme")
	}
	ch, err := domain.Apply(req)
	if errors.Is(err, domain.ErrAlreadyApplied) {
		return Application{}, fmt.Errorf("%w: %w", err, ErrConflict)
	}
	if err != nil {
		return Application{}, err
	}
	app := ch.App
	var confirmed any
	if app.SettingConfirmed {
		confirmed = tx.now
	}
	id, err := tx.insertID(ctx, `INSERT INTO applications (programme_id, practitioner_id, setting_urn, la_code, applied_on, nominated, setting_confirmed_at,
		working_towards_l3, status, qualification_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
		app.ProgrammeID, app.PractitionerID, app.SettingURN, nullString(app.LACode), app.AppliedOn, app.Nominated, confirmed, app.WorkingTowardsL3,
		string(app.Status), app.QualificationID, tx.now)
	if err != nil {
		if isUniqueViolation(err) {
			// Another request made the same application first.
			return Application{}, fmt.Errorf("%w: %w", domain.ErrAlreadyApplied, ErrConflict)
		}
		return Application{}, fmt.Errorf("apply: %w", err)
	}
	if err := tx.events(ctx, a, id, ch.Events); err != nil {
		return Application{}, err
	}
	if err := tx.Audit(ctx, a, ch.Action, "application", fmt.Sprint(id), nil, in); err != nil {
		return Application{}, err
	}
	return tx.Assess(ctx, a, id)
}

// eligibilityFacts gathers what the rules look at for an application.
func (tx *Tx) eligibilityFacts(ctx context.Context, app Application) (domain.EligibilityFacts, error) {
	var f domain.EligibilityFacts
	p, err := scanProgramme(tx.tx.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes p WHERE p.id = $1`, app.ProgrammeID))
	if err != nil {
		return f, notFound(err, "programme")
	}
	f.Programme, f.AppliedOn, f.WorkingTowardsL3 = p, app.AppliedOn, app.WorkingTowardsL3
	var s SettingRecord
	if err := scanSetting(tx.tx.QueryRowContext(ctx, `SELECT `+settingColumns+settingFrom+` WHERE s.urn = $1`, app.SettingURN), &s); err == nil {
		f.Setting = &s.Setting
	}
	var email string
	var dob domain.Date
	if err := tx.tx.QueryRowContext(ctx, `SELECT qualification_level, email, date_of_birth FROM practitioners WHERE id = $1`, app.PractitionerID).
		Scan(&f.QualificationLevel, &email, &dob); err != nil {
		return f, notFound(err, "practitioner")
	}
	// The same person: this practitioner record, or another with the same
	// email and date of birth, or the same learner number.
	var sameArgs args
	same := "(ap2.practitioner_id = " + sameArgs.add(app.PractitionerID)
	if email != "" && !dob.IsZero() {
		same += " OR (p2.email = " + sameArgs.add(email) + " AND p2.date_of_birth = " + sameArgs.add(dob) + ")"
	}
	if app.LearnerNumber != "" {
		same += " OR ap2.learner_number = " + sameArgs.add(app.LearnerNumber)
	}
	same += ")"
	base := ` FROM applications ap2 JOIN practitioners p2 ON p2.id = ap2.practitioner_id WHERE ap2.id <> ` + sameArgs.add(app.ID) + ` AND ` + same
	q := `SELECT COUNT(CASE WHEN ap2.programme_id = ` + sameArgs.add(app.ProgrammeID) + ` AND ` + statusNotIn("ap2.status", domain.Unfunded) + ` THEN 1 END),
		COUNT(CASE WHEN ` + statusIs("ap2.status", domain.StatusCertified) + ` AND ap2.qualification_id = ` + sameArgs.add(p.QualificationID) + ` THEN 1 END)` + base
	var funded, certified int
	if err := tx.tx.QueryRowContext(ctx, q, sameArgs...).Scan(&funded, &certified); err != nil {
		return f, fmt.Errorf("eligibility: %w", err)
	}
	f.AlreadyFunded, f.HoldsQualification = funded > 0, certified > 0
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(CASE WHEN extra_setting_place THEN 1 END) FROM applications
		WHERE programme_id = $1 AND setting_urn = $2 AND id <> $3 AND `+statusNotIn("status", domain.Unfunded),
		app.ProgrammeID, app.SettingURN, app.ID).Scan(&f.SettingPlacesUsed, &f.SettingPlacesExtra); err != nil {
		return f, fmt.Errorf("eligibility: %w", err)
	}
	if app.ExtraSettingPlace {
		f.SettingPlacesExtra++
	}
	return f, nil
}

// Assess runs the programme's eligibility rules on an application
// (domain.Assess); a manual decision is never overwritten by a re-run.
func (tx *Tx) Assess(ctx context.Context, a domain.Actor, id int64) (Application, error) {
	app, err := tx.application(ctx, id)
	if err != nil {
		return app, err
	}
	if app.ManualDecision || !app.Status.In([]domain.Status{domain.StatusApplied, domain.StatusEligible, domain.StatusIneligible}) {
		return app, nil
	}
	facts, err := tx.eligibilityFacts(ctx, app)
	if err != nil {
		return app, err
	}
	ch := domain.Assess(app, facts, tx.today())
	if !ch.Changed() {
		return app, nil
	}
	if err := tx.save(ctx, a, app, ch, false); err != nil {
		return app, err
	}
	return tx.application(ctx, id)
}

// Decide records a manual eligibility decision by the programme team
// (domain.Decide). It stands: re-running the rules never overwrites it.
func (tx *Tx) Decide(ctx context.Context, a domain.Actor, app Application, eligible, extraPlace bool, reason string) (Application, error) {
	ch, err := domain.Decide(app, eligible, extraPlace, reason, tx.today())
	if err != nil {
		return app, err
	}
	if err := tx.save(ctx, a, app, ch, true); err != nil {
		return app, err
	}
	return tx.application(ctx, app.ID)
}

// ConfirmBySetting records the setting's confirmation of a self-application.
func (tx *Tx) ConfirmBySetting(ctx context.Context, a domain.Actor, app Application) error {
	ch, err := domain.ConfirmBySetting(app, tx.today())
	if err != nil || !ch.Changed() {
		return err
	}
	return tx.save(ctx, a, app, ch, true)
}

// today is the transaction's date, the "today" of every decision.
func (tx *Tx) today() domain.Date { return domain.DateOf(tx.now) }

// save persists a decision: the application's changed state (only if it
// is still in the status the decision saw), its events and an audit entry
// of what changed.
func (tx *Tx) save(ctx context.Context, a domain.Actor, old Application, ch domain.Change, audit bool) error {
	n := ch.App
	var confirmed any
	if n.SettingConfirmed && !old.SettingConfirmed {
		confirmed = tx.now
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE applications SET status = $3, decision = $4, reason_code = $5, reason = $6, manual_decision = $7,
		extra_setting_place = $8, cohort_id = $9, waitlist_cohort_id = $10, withdrawal_reason = $11, withdrawn_on = $12,
		assessment_complete_on = $13, learner_number = $14, uln = $15, certificate_number = $16, certified_on = $17, revoked_on = $18,
		revoke_reason = $19, enrolled_on = $20, left_training_on = $21, setting_confirmed_at = COALESCE(setting_confirmed_at, $22), updated_at = $23
		WHERE id = $1 AND status = $2`,
		old.ID, string(old.Status), string(n.Status), string(n.Decision), n.ReasonCode, n.Reason, n.ManualDecision,
		n.ExtraSettingPlace, nullID(n.CohortID), nullID(n.WaitlistCohortID), string(n.WithdrawalReason), n.WithdrawnOn,
		n.AssessmentCompleteOn, n.LearnerNumber, n.ULN, n.CertificateNumber, n.CertifiedOn, n.RevokedOn,
		n.RevokeReason, n.EnrolledOn, n.LeftTrainingOn, confirmed, tx.now)
	if err != nil {
		return fmt.Errorf("%s: %w", ch.Action, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return fmt.Errorf("%w: %w", domain.ErrApplicationChanged, ErrConflict)
	}
	if err := tx.events(ctx, a, old.ID, ch.Events); err != nil {
		return err
	}
	if !audit {
		return nil
	}
	before, after := appDiff(old, n)
	return tx.Audit(ctx, a, ch.Action, "application", fmt.Sprint(old.ID), before, after)
}

func (tx *Tx) events(ctx context.Context, a domain.Actor, id int64, events []domain.Event) error {
	for _, e := range events {
		if err := tx.event(ctx, a, id, e.From, e.To, e.Name, e.On, e.Detail); err != nil {
			return err
		}
	}
	return nil
}

// appDiff is what an audit entry records of a change: the fields that
// differ, before and after.
func appDiff(old, n Application) (before, after map[string]any) {
	before, after = map[string]any{}, map[string]any{}
	diff := func(name string, b, a any) {
		if b != a {
			before[name], after[name] = b, a
		}
	}
	diff("status", old.Status, n.Status)
	diff("decision", old.Decision, n.Decision)
	diff("reason", old.Reason, n.Reason)
	diff("extra_setting_place", old.ExtraSettingPlace, n.ExtraSettingPlace)
	diff("cohort_id", old.CohortID, n.CohortID)
	diff("waitlist_cohort_id", old.WaitlistCohortID, n.WaitlistCohortID)
	diff("withdrawal_reason", old.WithdrawalReason, n.WithdrawalReason)
	diff("withdrawn_on", old.WithdrawnOn.String(), n.WithdrawnOn.String())
	diff("assessment_complete_on", old.AssessmentCompleteOn.String(), n.AssessmentCompleteOn.String())
	diff("learner_number", old.LearnerNumber, n.LearnerNumber)
	diff("uln", old.ULN, n.ULN)
	diff("certificate_number", old.CertificateNumber, n.CertificateNumber)
	diff("certified_on", old.CertifiedOn.String(), n.CertifiedOn.String())
	diff("revoked_on", old.RevokedOn.String(), n.RevokedOn.String())
	diff("revoke_reason", old.RevokeReason, n.RevokeReason)
	diff("setting_confirmed", old.SettingConfirmed, n.SettingConfirmed)
	return before, after
}

// lockCohort takes the cohort's row lock (PostgreSQL; SQLite has one
// writer at a time) and counts its filled places afresh, so that two
// placements into its last place cannot both see it free.
func (tx *Tx) lockCohort(ctx context.Context, id int64) (placed int, err error) {
	if tx.db.Dialect == Postgres {
		if _, err := tx.tx.ExecContext(ctx, `SELECT id FROM cohorts WHERE id = $1 FOR UPDATE`, id); err != nil {
			return 0, fmt.Errorf("lock cohort: %w", err)
		}
	}
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE cohort_id = $1 AND `+statusIn("status", domain.PlaceHolding), id).Scan(&placed); err != nil {
		return 0, fmt.Errorf("count places: %w", err)
	}
	return placed, nil
}

// Place puts an eligible (or deferred) applicant on a cohort of the caller's
// supplier, or on its waiting list when the cohort is full (domain.Place).
func (tx *Tx) Place(ctx context.Context, a domain.Actor, app Application, c CohortRecord, on domain.Date) (waitlisted bool, err error) {
	placed, err := tx.lockCohort(ctx, c.ID)
	if err != nil {
		return false, err
	}
	ch, waitlisted, err := domain.Place(app, c.Cohort, placed, on)
	if err != nil {
		return waitlisted, err
	}
	return waitlisted, tx.save(ctx, a, app, ch, !waitlisted)
}

// MoveWaiting moves people on the waiting list of from (a cohort the caller
// loaded in scope) to another cohort of the same supplier with space
// (domain.MoveWaiting), all or none. The people are read afresh and the
// destination's places counted under its lock, as Place does, so two moves
// into its last places cannot both fit.
func (tx *Tx) MoveWaiting(ctx context.Context, a domain.Actor, ids []int64, from, to CohortRecord, on domain.Date) error {
	placed, err := tx.lockCohort(ctx, to.ID)
	if err != nil {
		return err
	}
	apps := make([]Application, len(ids))
	for i, id := range ids {
		if apps[i], err = tx.application(ctx, id); err != nil {
			return err
		}
	}
	changes, err := domain.MoveWaiting(apps, from.Cohort, to.Cohort, placed, on)
	if err != nil {
		return err
	}
	for i, ch := range changes {
		if err := tx.save(ctx, a, apps[i], ch, true); err != nil {
			return err
		}
	}
	return nil
}

// Transfer moves an enrolled or in-training learner to another cohort of
// the same supplier and programme with a free place (domain.Transfer).
func (tx *Tx) Transfer(ctx context.Context, a domain.Actor, app Application, to CohortRecord, on domain.Date) error {
	var from CohortRecord
	if app.CohortID != 0 {
		if err := scanCohort(tx.tx.QueryRowContext(ctx, `SELECT `+cohortColumns+cohortFrom+` WHERE ch.id = $1`, app.CohortID), &from); err != nil {
			return notFound(err, "cohort")
		}
	}
	placed, err := tx.lockCohort(ctx, to.ID)
	if err != nil {
		return err
	}
	ch, err := domain.Transfer(app, from.Cohort, to.Cohort, placed, on)
	if err != nil {
		return err
	}
	return tx.save(ctx, a, app, ch, true)
}

// Withdraw records a learner leaving, with a reason from the fixed list.
func (tx *Tx) Withdraw(ctx context.Context, a domain.Actor, app Application, reason domain.WithdrawalReason, on domain.Date, note string) error {
	ch, err := domain.Withdraw(app, reason, on, note)
	if err != nil {
		return err
	}
	return tx.save(ctx, a, app, ch, true)
}

// Defer takes a learner off their cohort to join a later one.
func (tx *Tx) Defer(ctx context.Context, a domain.Actor, app Application, on domain.Date, note string) error {
	ch, err := domain.Defer(app, on, note)
	if err != nil {
		return err
	}
	return tx.save(ctx, a, app, ch, true)
}

// StartTraining marks an enrolled learner as in training.
func (tx *Tx) StartTraining(ctx context.Context, a domain.Actor, app Application, on domain.Date) error {
	ch, err := domain.StartTraining(app, on)
	if err != nil {
		return err
	}
	return tx.save(ctx, a, app, ch, true)
}

// RegisterLearner records the awarding organisation's learner number and,
// when given, a ULN (domain.RegisterLearner). A learner number belongs to
// one person.
func (tx *Tx) RegisterLearner(ctx context.Context, a domain.Actor, app Application, learnerNumber, uln string) error {
	r := domain.TrimRegistration(domain.Registration{LearnerNumber: learnerNumber, ULN: uln})
	if r.LearnerNumber != "" {
		var n int
		if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE learner_number = $1 AND id <> $2 AND practitioner_id <> $3`,
			r.LearnerNumber, app.ID, app.PractitionerID).Scan(&n); err != nil {
			return fmt.Errorf("register learner: %w", err)
		}
		r.NumberHeldByOther = n > 0
	}
	ch, err := domain.RegisterLearner(app, r)
	if err != nil {
		return err
	}
	return tx.save(ctx, a, app, ch, true)
}

// CompleteAssessment records the assessor's decision that the assessment is
// complete and, when attendance meets the programme's threshold, completes
// the learner's training (domain.CompleteAssessment). missing are the
// mandatory criteria not yet met, which the portfolio's store
// (store/portfolio.CompleteAssessment) works out from the decisions.
func (tx *Tx) CompleteAssessment(ctx context.Context, a domain.Actor, app Application, missing []domain.CriterionRef, on domain.Date) (completed bool, rate float64, err error) {
	if err := domain.NotInFuture("date", "The date the assessment was completed", on, tx.today()); err != nil {
		return false, 0, err
	}
	p, err := scanProgramme(tx.tx.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes p WHERE p.id = $1`, app.ProgrammeID))
	if err != nil {
		return false, 0, notFound(err, "programme")
	}
	marks, held, err := tx.attendanceOf(ctx, app.ID, app.CohortID, on)
	if err != nil {
		return false, 0, err
	}
	rate = domain.AttendanceRate(marks, held)
	ch, completed, err := domain.CompleteAssessment(app, rate, p.Rules.AttendanceThreshold, missing, on)
	if err != nil {
		return false, rate, err
	}
	return completed, rate, tx.save(ctx, a, app, ch, true)
}

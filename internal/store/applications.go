package store

import (
	"context"
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
	COALESCE(ap.qualification_id, 0), ap.updated_at,
	p.given_name || ' ' || p.family_name, p.email, s.name, s.provider_type, COALESCE(la.name, ''), pr.name, COALESCE(ch.name, ''), COALESCE(so.name, '')`

const appFrom = ` FROM applications ap JOIN practitioners p ON p.id = ap.practitioner_id JOIN settings s ON s.urn = ap.setting_urn
	LEFT JOIN local_authorities la ON la.code = ap.la_code JOIN programmes pr ON pr.id = ap.programme_id
	LEFT JOIN cohorts ch ON ch.id = ap.cohort_id LEFT JOIN organisations so ON so.id = ch.supplier_org_id`

func scanApp(sc interface{ Scan(...any) error }, r *Application) error {
	return sc.Scan(&r.ID, &r.ProgrammeID, &r.PractitionerID, &r.SettingURN, &r.LACode, &r.AppliedOn, &r.Nominated,
		&r.SettingConfirmed, &r.WorkingTowardsL3, &r.Status, &r.Decision, &r.ReasonCode, &r.Reason, &r.ManualDecision,
		&r.ExtraSettingPlace, &r.CohortID, &r.WaitlistCohortID, &r.WithdrawalReason, &r.WithdrawnOn,
		&r.AssessmentCompleteOn, &r.LearnerNumber, &r.ULN, &r.CertificateNumber, &r.CertifiedOn, &r.RevokedOn, &r.RevokeReason,
		&r.QualificationID, nullTime{&r.UpdatedAt},
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
	if f.ManualReview {
		where += " AND ap.decision = '" + string(domain.DecisionManual) + "' AND " + statusIs("ap.status", domain.StatusApplied)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		where += ` AND (lower(p.given_name || ' ' || p.family_name) LIKE ` + a.add(like(q)) + ` ESCAPE '\' OR ap.setting_urn = ` + a.add(strings.ToUpper(q)) + `)`
	}
	order := "ap.applied_on DESC, ap.id DESC"
	if !f.UpdatedSince.IsZero() {
		where += " AND ap.updated_at >= " + a.add(f.UpdatedSince.UTC())
		order = "ap.updated_at, ap.id"
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications ap JOIN practitioners p ON p.id = ap.practitioner_id WHERE `+where, a...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count applications: %w", err)
	}
	size := f.PageSize
	if size <= 0 {
		size = 100
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+appColumns+appFrom+` WHERE `+where+` ORDER BY `+order+
		` LIMIT `+a.add(size)+` OFFSET `+a.add((max(f.Page, 1)-1)*size), a...)
	if err != nil {
		return page, fmt.Errorf("list applications: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Application
		if err := scanApp(rows, &r); err != nil {
			return page, fmt.Errorf("list applications: %w", err)
		}
		page.Applications = append(page.Applications, r)
	}
	return page, rows.Err()
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
	rows, err := db.read.QueryContext(ctx, `SELECT from_status, to_status, event, on_date, detail, actor, at FROM application_events WHERE application_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("application events: %w", err)
	}
	defer rows.Close()
	var out []AppEvent
	for rows.Next() {
		var e AppEvent
		if err := rows.Scan(&e.From, &e.To, &e.Event, &e.On, &e.Detail, &e.Actor, nullTime{&e.At}); err != nil {
			return nil, fmt.Errorf("application events: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
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

// Apply records an application and checks its eligibility with the
// programme's rules. A second live application by the same person to the
// same programme is a conflict.
func (tx *Tx) Apply(ctx context.Context, a domain.Actor, in ApplyInput) (Application, error) {
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE programme_id = $1 AND practitioner_id = $2 AND `+statusNotIn("status", domain.NotLive),
		in.ProgrammeID, in.PractitionerID).Scan(&n); err != nil {
		return Application{}, fmt.Errorf("apply: %w", err)
	}
	if n > 0 {
		return Application{}, fmt.Errorf("this practitioner already has an application to this programme: %w", ErrConflict)
	}
	var la any
	var laCode string
	err := tx.tx.QueryRowContext(ctx, `SELECT COALESCE(la_code, '') FROM settings WHERE urn = $1`, in.SettingURN).Scan(&laCode)
	if err != nil {
		return Application{}, refuse("setting", "No setting with URN %s is on the register", in.SettingURN)
	}
	if laCode != "" {
		la = laCode
	}
	var confirmed any
	if in.SettingConfirmed || in.Nominated {
		confirmed = tx.now
	}
	var qual int64
	if err := tx.tx.QueryRowContext(ctx, `SELECT qualification_id FROM programmes WHERE id = $1`, in.ProgrammeID).Scan(&qual); err != nil {
		return Application{}, notFound(err, "programme")
	}
	id, err := tx.insertID(ctx, `INSERT INTO applications (programme_id, practitioner_id, setting_urn, la_code, applied_on, nominated, setting_confirmed_at,
		working_towards_l3, status, qualification_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'applied', $9, $10, $10)`,
		in.ProgrammeID, in.PractitionerID, in.SettingURN, la, in.AppliedOn, in.Nominated, confirmed, in.WorkingTowardsL3, qual, tx.now)
	if err != nil {
		if isUniqueViolation(err) {
			// Another request made the same application first.
			return Application{}, fmt.Errorf("this practitioner already has an application to this programme: %w", ErrConflict)
		}
		return Application{}, fmt.Errorf("apply: %w", err)
	}
	how := "self-applied"
	if in.Nominated {
		how = "nominated by the setting"
	}
	if err := tx.event(ctx, a, id, "", domain.StatusApplied, "applied", in.AppliedOn, how); err != nil {
		return Application{}, err
	}
	if err := tx.Audit(ctx, a, "create", "application", fmt.Sprint(id), nil, in); err != nil {
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

// Assess runs the programme's eligibility rules on an application that is
// still applied, eligible or ineligible. A manual decision is never
// overwritten by a re-run.
func (tx *Tx) Assess(ctx context.Context, a domain.Actor, id int64) (Application, error) {
	app, err := tx.application(ctx, id)
	if err != nil {
		return app, err
	}
	if app.ManualDecision {
		return app, nil
	}
	switch app.Status {
	case domain.StatusApplied, domain.StatusEligible, domain.StatusIneligible:
	default:
		return app, nil
	}
	facts, err := tx.eligibilityFacts(ctx, app)
	if err != nil {
		return app, err
	}
	res := domain.CheckEligibility(facts)
	to := domain.StatusApplied
	switch res.Decision {
	case domain.DecisionEligible:
		to = domain.StatusEligible
	case domain.DecisionIneligible:
		to = domain.StatusIneligible
	}
	if res.Decision == app.Decision && res.Code == app.ReasonCode && to == app.Status {
		return app, nil
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE applications SET status = $2, decision = $3, reason_code = $4, reason = $5, updated_at = $6 WHERE id = $1`,
		id, string(to), string(res.Decision), res.Code, res.Reason, tx.now); err != nil {
		return app, fmt.Errorf("assess application: %w", err)
	}
	if err := tx.event(ctx, a, id, app.Status, to, "eligibility", domain.DateOf(tx.now), res.Reason); err != nil {
		return app, err
	}
	return tx.application(ctx, id)
}

// Decide records a manual eligibility decision by the programme team. It
// stands: re-running the rules never overwrites it.
func (tx *Tx) Decide(ctx context.Context, a domain.Actor, app Application, eligible, extraPlace bool, reason string) (Application, error) {
	to := domain.StatusIneligible
	decision := domain.DecisionIneligible
	if eligible {
		to, decision = domain.StatusEligible, domain.DecisionEligible
	}
	if app.Status != to {
		if err := domain.CheckTransition(app.Status, to); err != nil && app.Status != domain.StatusApplied {
			return app, refuse("decision", "%s", err)
		}
	}
	if strings.TrimSpace(reason) == "" {
		return app, refuse("reason", "Give the reason for the decision")
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE applications SET status = $2, decision = $3, reason_code = 'manual', reason = $4, manual_decision = $5,
		extra_setting_place = $6, updated_at = $7 WHERE id = $1`, app.ID, string(to), string(decision), reason, true, extraPlace, tx.now); err != nil {
		return app, fmt.Errorf("decide application: %w", err)
	}
	if err := tx.event(ctx, a, app.ID, app.Status, to, "manual decision", domain.DateOf(tx.now), reason); err != nil {
		return app, err
	}
	if err := tx.Audit(ctx, a, "decide", "application", fmt.Sprint(app.ID), map[string]any{"status": app.Status, "reason": app.Reason},
		map[string]any{"status": to, "reason": reason, "extra_setting_place": extraPlace}); err != nil {
		return app, err
	}
	return tx.application(ctx, app.ID)
}

// ConfirmBySetting records the setting's confirmation of a self-application.
func (tx *Tx) ConfirmBySetting(ctx context.Context, a domain.Actor, app Application) error {
	if app.SettingConfirmed {
		return nil
	}
	if app.Nominated || !app.Status.Live() {
		return refuse("status", "Only a live application the practitioner made themself needs the setting's confirmation")
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE applications SET setting_confirmed_at = $2, updated_at = $2 WHERE id = $1`, app.ID, tx.now); err != nil {
		return fmt.Errorf("confirm application: %w", err)
	}
	if err := tx.event(ctx, a, app.ID, app.Status, app.Status, "confirmed by setting", domain.DateOf(tx.now), ""); err != nil {
		return err
	}
	return tx.Audit(ctx, a, "confirm", "application", fmt.Sprint(app.ID), nil, nil)
}

// transition moves an application to a new status, checked by the domain's
// status machine, with its event and audit entry.
func (tx *Tx) transition(ctx context.Context, a domain.Actor, app Application, to domain.Status, event string, on domain.Date, detail string, set string, setArgs ...any) error {
	if err := domain.CheckTransition(app.Status, to); err != nil {
		return refuse("status", "%s", capitalise(err.Error()))
	}
	q := `UPDATE applications SET status = $2, updated_at = $3`
	// Keep the enrolment's span for the coverage figures (domain.Enrolment).
	switch {
	case to == domain.StatusEnrolled:
		q += ", enrolled_on = " + fmt.Sprintf("$%d", 5+len(setArgs)) + ", left_training_on = NULL"
		setArgs = append(setArgs, on)
	case (app.Status == domain.StatusEnrolled || app.Status == domain.StatusInTraining) &&
		(to == domain.StatusWithdrawn || to == domain.StatusDeferred || to == domain.StatusCompleted):
		q += ", left_training_on = " + fmt.Sprintf("$%d", 5+len(setArgs))
		setArgs = append(setArgs, on)
	}
	if set != "" {
		q += ", " + set
	}
	q += ` WHERE id = $1 AND status = $4`
	all := append([]any{app.ID, string(to), tx.now, string(app.Status)}, setArgs...)
	res, err := tx.tx.ExecContext(ctx, q, all...)
	if err != nil {
		return fmt.Errorf("%s: %w", event, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("the application changed while you were working on it: %w", ErrConflict)
	}
	if err := tx.event(ctx, a, app.ID, app.Status, to, event, on, detail); err != nil {
		return err
	}
	return tx.Audit(ctx, a, event, "application", fmt.Sprint(app.ID), map[string]any{"status": app.Status}, map[string]any{"status": to, "on": on, "detail": detail})
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Place puts an eligible (or deferred) applicant on a cohort of the caller's
// supplier, or on its waiting list when the cohort is full. The cohort must
// serve the setting's authority and belong to the application's programme.
func (tx *Tx) Place(ctx context.Context, a domain.Actor, app Application, c CohortRecord, on domain.Date) (waitlisted bool, err error) {
	if c.ProgrammeID != app.ProgrammeID {
		return false, refuse("cohort", "%s is a cohort of another programme", c.Name)
	}
	servesLA := false
	for _, code := range c.LACodes {
		servesLA = servesLA || code == app.LACode
	}
	if !servesLA {
		return false, refuse("cohort", "%s does not serve %s, the setting's local authority", c.Name, nonEmpty(app.LAName, "the setting's authority (not recorded)"))
	}
	if app.Status != domain.StatusEligible && app.Status != domain.StatusDeferred {
		return false, refuse("status", "Only an eligible or deferred applicant can be placed; this one is %s", strings.ToLower(app.Status.Label()))
	}
	var placed int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE cohort_id = $1 AND `+statusIn("status", domain.PlaceHolding), c.ID).Scan(&placed); err != nil {
		return false, fmt.Errorf("place: %w", err)
	}
	if placed >= c.Capacity {
		if app.WaitlistCohortID == c.ID {
			return true, refuse("cohort", "%s is full and %s is already on its waiting list", c.Name, app.PractitionerName)
		}
		if _, err := tx.tx.ExecContext(ctx, `UPDATE applications SET waitlist_cohort_id = $2, updated_at = $3 WHERE id = $1`, app.ID, c.ID, tx.now); err != nil {
			return false, fmt.Errorf("waiting list: %w", err)
		}
		return true, tx.event(ctx, a, app.ID, app.Status, app.Status, "waiting list", on, c.Name+" is full ("+fmt.Sprint(c.Capacity)+" places)")
	}
	return false, tx.transition(ctx, a, app, domain.StatusEnrolled, "enrolled", on, c.Name, "cohort_id = $5, waitlist_cohort_id = NULL", c.ID)
}

func nonEmpty(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// Transfer moves an enrolled or in-training learner to another cohort of
// the same supplier and programme with a free place.
func (tx *Tx) Transfer(ctx context.Context, a domain.Actor, app Application, to CohortRecord, on domain.Date) error {
	if app.Status != domain.StatusEnrolled && app.Status != domain.StatusInTraining {
		return refuse("status", "Only an enrolled or in-training learner can be transferred; this one is %s", strings.ToLower(app.Status.Label()))
	}
	if to.ID == app.CohortID {
		return refuse("cohort", "%s is already on %s", app.PractitionerName, to.Name)
	}
	var from CohortRecord
	if err := scanCohort(tx.tx.QueryRowContext(ctx, `SELECT `+cohortColumns+cohortFrom+` WHERE ch.id = $1`, app.CohortID), &from); err != nil {
		return notFound(err, "cohort")
	}
	if from.SupplierOrgID != to.SupplierOrgID || to.ProgrammeID != app.ProgrammeID {
		return refuse("cohort", "A learner can only move to another cohort of the same supplier and programme")
	}
	if to.Placed >= to.Capacity {
		return refuse("cohort", "%s is full (%d places)", to.Name, to.Capacity)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE applications SET cohort_id = $2, updated_at = $3 WHERE id = $1`, app.ID, to.ID, tx.now); err != nil {
		return fmt.Errorf("transfer: %w", err)
	}
	if err := tx.event(ctx, a, app.ID, app.Status, app.Status, "transferred", on, from.Name+" → "+to.Name); err != nil {
		return err
	}
	return tx.Audit(ctx, a, "transfer", "application", fmt.Sprint(app.ID), map[string]any{"cohort_id": from.ID}, map[string]any{"cohort_id": to.ID})
}

// Withdraw records a learner leaving, with a reason from the fixed list.
func (tx *Tx) Withdraw(ctx context.Context, a domain.Actor, app Application, reason domain.WithdrawalReason, on domain.Date, note string) error {
	if !reason.Valid() {
		return refuse("reason", "Choose a reason for the withdrawal")
	}
	return tx.transition(ctx, a, app, domain.StatusWithdrawn, "withdrawn", on, reason.Label()+nonEmptyPrefix(": ", note),
		"withdrawal_reason = $5, withdrawn_on = $6, waitlist_cohort_id = NULL", string(reason), on)
}

func nonEmptyPrefix(prefix, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return prefix + strings.TrimSpace(s)
}

// Defer takes a learner off their cohort to join a later one.
func (tx *Tx) Defer(ctx context.Context, a domain.Actor, app Application, on domain.Date, note string) error {
	return tx.transition(ctx, a, app, domain.StatusDeferred, "deferred", on, strings.TrimSpace(note), "cohort_id = NULL")
}

// StartTraining marks an enrolled learner as in training.
func (tx *Tx) StartTraining(ctx context.Context, a domain.Actor, app Application, on domain.Date) error {
	return tx.transition(ctx, a, app, domain.StatusInTraining, "started training", on, "", "")
}

// RegisterLearner records the awarding organisation's learner number and,
// when given, a ULN checked by its check digit.
func (tx *Tx) RegisterLearner(ctx context.Context, a domain.Actor, app Application, learnerNumber, uln string) error {
	learnerNumber, uln = strings.TrimSpace(learnerNumber), strings.TrimSpace(uln)
	if learnerNumber == "" {
		return refuse("learner_number", "Enter the learner number")
	}
	if uln != "" && !domain.ValidULN(uln) {
		return refuse("uln", "Enter a ULN of 10 digits with a correct check digit, or leave it blank")
	}
	switch app.Status {
	case domain.StatusEnrolled, domain.StatusInTraining, domain.StatusCompleted:
	default:
		return refuse("status", "Only an enrolled, in-training or completed learner can be registered; this one is %s", strings.ToLower(app.Status.Label()))
	}
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE learner_number = $1 AND id <> $2 AND practitioner_id <> $3`, learnerNumber, app.ID, app.PractitionerID).Scan(&n); err != nil {
		return fmt.Errorf("register learner: %w", err)
	}
	if n > 0 {
		return refuse("learner_number", "Learner number %s belongs to another learner", learnerNumber)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE applications SET learner_number = $2, uln = $3, updated_at = $4 WHERE id = $1`, app.ID, learnerNumber, uln, tx.now); err != nil {
		return fmt.Errorf("register learner: %w", err)
	}
	return tx.Audit(ctx, a, "register", "application", fmt.Sprint(app.ID), map[string]string{"learner_number": app.LearnerNumber, "uln": app.ULN},
		map[string]string{"learner_number": learnerNumber, "uln": uln})
}

// CompleteAssessment records the assessor's decision that the assessment is
// complete and, when attendance meets the programme's threshold, completes
// the learner's training (domain.TrainingComplete).
func (tx *Tx) CompleteAssessment(ctx context.Context, a domain.Actor, app Application, on domain.Date) (completed bool, rate float64, err error) {
	if app.Status != domain.StatusInTraining && app.Status != domain.StatusEnrolled {
		return false, 0, refuse("status", "Only a learner in training can have their assessment completed; this one is %s", strings.ToLower(app.Status.Label()))
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
	if _, err := tx.tx.ExecContext(ctx, `UPDATE applications SET assessment_complete_on = $2, updated_at = $3 WHERE id = $1`, app.ID, on, tx.now); err != nil {
		return false, rate, fmt.Errorf("complete assessment: %w", err)
	}
	if err := tx.event(ctx, a, app.ID, app.Status, app.Status, "assessment complete", on, ""); err != nil {
		return false, rate, err
	}
	if !domain.TrainingComplete(rate, p.Rules.AttendanceThreshold, true) {
		return false, rate, nil
	}
	if app.Status == domain.StatusEnrolled {
		if err := tx.StartTraining(ctx, a, app, on); err != nil {
			return false, rate, err
		}
		app.Status = domain.StatusInTraining
	}
	detail := fmt.Sprintf("attendance %.0f%% (threshold %.0f%%), assessment complete", rate*100, p.Rules.AttendanceThreshold*100)
	return true, rate, tx.transition(ctx, a, app, domain.StatusCompleted, "completed", on, detail, "")
}

// Certify records the certificate of a learner whose training is complete.
func (tx *Tx) Certify(ctx context.Context, a domain.Actor, app Application, number string, on domain.Date) error {
	number = strings.TrimSpace(number)
	if number == "" {
		return refuse("certificate_number", "Enter the certificate number")
	}
	if app.Status != domain.StatusCompleted {
		return refuse("status", "%s has not completed training (status: %s), so cannot be certified", app.PractitionerName, strings.ToLower(app.Status.Label()))
	}
	if app.LearnerNumber == "" {
		return refuse("learner_number", "Register the learner with a learner number before certifying")
	}
	return tx.transition(ctx, a, app, domain.StatusCertified, "certified", on, "certificate "+number,
		"certificate_number = $5, certified_on = $6, revoked_on = NULL, revoke_reason = ''", number, on)
}

// Revoke withdraws a certificate, with a reason; the learner returns to
// completed.
func (tx *Tx) Revoke(ctx context.Context, a domain.Actor, app Application, reason string, on domain.Date) error {
	if strings.TrimSpace(reason) == "" {
		return refuse("reason", "Give the reason the certificate is revoked")
	}
	if app.Status != domain.StatusCertified {
		return refuse("status", "Only a certificate can be revoked; %s is %s", app.PractitionerName, strings.ToLower(app.Status.Label()))
	}
	return tx.transition(ctx, a, app, domain.StatusCompleted, "certificate revoked", on, reason,
		"revoked_on = $5, revoke_reason = $6", on, strings.TrimSpace(reason))
}

package quality

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// itemScope limits sampled decisions (qa_items i of qa_samples s,
// applications ap) to what a quality-assurance scope sees: a supplier its
// own samples, an awarding organisation the learners of the
// qualifications it awards, an assessor the items on their own decisions.
func itemScope(a *store.Args, scope policy.Scope) (string, bool) {
	switch scope.Kind {
	case policy.National:
		return "1=1", true
	case policy.Org:
		return "s.supplier_org_id = " + a.Add(scope.OrgID), true
	case policy.Awarding:
		return "EXISTS (SELECT 1 FROM programmes pp JOIN qualifications q ON q.id = pp.qualification_id WHERE pp.id = ap.programme_id AND q.awarding_org = " +
			a.Add(scope.OrgName) + ")", true
	case policy.Staffed:
		return "i.assessor_user_id = " + a.Add(scope.UserID), true
	}
	return "", false
}

const itemColumns = `i.id, i.sample_id, s.level, i.kind, COALESCE(i.decision_id, 0), i.application_id, i.assessor_user_id, i.criterion, i.decided_on,
	i.outcome, i.action, COALESCE(i.reviewer_user_id, 0), i.reviewed_on, i.resolved_on, i.resolved_note, i.updated_at,
	p.given_name || ' ' || p.family_name, COALESCE(au.name, ''), COALESCE(o.name, '')`

const itemFrom = ` FROM qa_items i JOIN qa_samples s ON s.id = i.sample_id JOIN applications ap ON ap.id = i.application_id
	JOIN practitioners p ON p.id = ap.practitioner_id LEFT JOIN users au ON au.id = i.assessor_user_id
	LEFT JOIN organisations o ON o.id = s.supplier_org_id`

func scanItem(sc store.Scanner, i *domain.QAItem) error {
	return sc.Scan(&i.ID, &i.SampleID, &i.Level, &i.Decision.Kind, &i.Decision.ID, &i.Decision.ApplicationID, &i.Decision.AssessorID,
		&i.Decision.Criterion, &i.Decision.DecidedOn, &i.Outcome, &i.Action, &i.ReviewerID, &i.ReviewedOn, &i.ResolvedOn, &i.ResolvedNote,
		store.NullTime(&i.UpdatedAt), &i.LearnerName, &i.AssessorName, &i.SupplierName)
}

// Supplier is a supplier a quality assurer may sample.
type Supplier struct {
	ID   int64
	Name string
}

// Suppliers are the suppliers a user's quality-assurance scope may
// sample: their own (IQA), or those running cohorts of the qualifications
// their awarding organisation awards (EQA), or all that run cohorts.
func Suppliers(ctx context.Context, q store.Querier, scope policy.Scope) ([]Supplier, error) {
	var a store.Args
	where := ""
	switch scope.Kind {
	case policy.National:
		where = "1=1"
	case policy.Org:
		where = "o.id = " + a.Add(scope.OrgID)
	case policy.Awarding:
		where = "EXISTS (SELECT 1 FROM cohorts ch JOIN programmes pp ON pp.id = ch.programme_id JOIN qualifications q ON q.id = pp.qualification_id" +
			" WHERE ch.supplier_org_id = o.id AND q.awarding_org = " + a.Add(scope.OrgName) + ")"
	default:
		return nil, nil
	}
	return store.Collect(ctx, q, "suppliers", func(sc store.Scanner, s *Supplier) error { return sc.Scan(&s.ID, &s.Name) },
		`SELECT o.id, o.name FROM organisations o WHERE `+where+` AND EXISTS (SELECT 1 FROM cohorts c2 WHERE c2.supplier_org_id = o.id) ORDER BY o.name, o.id`, a...)
}

// SupplierIn is one supplier of Suppliers.
func SupplierIn(ctx context.Context, q store.Querier, scope policy.Scope, id int64) (Supplier, error) {
	all, err := Suppliers(ctx, q, scope)
	if err != nil {
		return Supplier{}, err
	}
	for _, s := range all {
		if s.ID == id {
			return s, nil
		}
	}
	return Supplier{}, store.ErrNotFound
}

// Plan is a supplier's sampling plan at a level, or the default plan when
// none was saved.
func Plan(ctx context.Context, q store.Querier, supplier int64, level domain.QALevel) (domain.SamplingPlan, error) {
	p := domain.SamplingPlan{SupplierOrgID: supplier, Level: level}
	err := q.QueryRowContext(ctx, `SELECT learner_share, decision_share, new_assessor_share, new_assessor_below FROM qa_plans
		WHERE supplier_org_id = $1 AND level = $2`, supplier, string(level)).Scan(&p.LearnerShare, &p.DecisionShare, &p.NewAssessorShare, &p.NewAssessorBelow)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.DefaultSamplingPlan(supplier, level), nil
	}
	if err != nil {
		return p, fmt.Errorf("sampling plan: %w", err)
	}
	return p, nil
}

// SavePlan saves a supplier's sampling plan (domain.CheckSamplingPlan).
func SavePlan(ctx context.Context, tx *store.Tx, a domain.Actor, p domain.SamplingPlan) error {
	if r := domain.CheckSamplingPlan(p); r != nil {
		return r
	}
	if !p.Level.Valid() {
		return domain.Refuse("level", "Choose internal or external quality assurance")
	}
	if _, err := tx.Exec(ctx, `INSERT INTO qa_plans (supplier_org_id, level, learner_share, decision_share, new_assessor_share, new_assessor_below, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (supplier_org_id, level) DO UPDATE SET learner_share = EXCLUDED.learner_share, decision_share = EXCLUDED.decision_share,
		new_assessor_share = EXCLUDED.new_assessor_share, new_assessor_below = EXCLUDED.new_assessor_below, updated_by = EXCLUDED.updated_by,
		updated_at = EXCLUDED.updated_at`,
		p.SupplierOrgID, string(p.Level), p.LearnerShare, p.DecisionShare, p.NewAssessorShare, p.NewAssessorBelow, a.Label, tx.Now()); err != nil {
		return fmt.Errorf("save sampling plan: %w", err)
	}
	return tx.Audit(ctx, a, "sampling plan", "supplier", fmt.Sprint(p.SupplierOrgID), nil, p)
}

// Decisions are a supplier's assessor decisions made on or before upTo
// that a plan can sample: each learner's final "assessment complete"
// (made by the cohort's assessor) and, where the portfolio records them,
// its criterion decisions. awardingOrg, when set, keeps the learners of
// the qualifications that organisation awards (external sampling).
func Decisions(ctx context.Context, q store.Querier, supplier int64, awardingOrg string, upTo domain.Date) ([]domain.QADecision, error) {
	var a store.Args
	where := "ch.supplier_org_id = " + a.Add(supplier) + " AND ap.assessment_complete_on IS NOT NULL AND ap.assessment_complete_on <= " + a.Add(upTo)
	if awardingOrg != "" {
		where += " AND EXISTS (SELECT 1 FROM programmes pp JOIN qualifications q ON q.id = pp.qualification_id WHERE pp.id = ap.programme_id AND q.awarding_org = " +
			a.Add(awardingOrg) + ")"
	}
	final, err := store.Collect(ctx, q, "assessor decisions", func(sc store.Scanner, d *domain.QADecision) error {
		d.Kind = domain.QAFinal
		return sc.Scan(&d.ApplicationID, &d.AssessorID, &d.DecidedOn)
	}, `SELECT ap.id, x.assessor, ap.assessment_complete_on FROM applications ap JOIN cohorts ch ON ch.id = ap.cohort_id
		JOIN (SELECT cohort_id, MIN(user_id) AS assessor FROM cohort_staff WHERE role = '`+string(domain.RoleAssessor)+`' GROUP BY cohort_id) x ON x.cohort_id = ch.id
		WHERE `+where+` ORDER BY ap.id`, a...)
	if err != nil {
		return nil, err
	}
	// Interim: the criterion decisions of the supplier's learners.
	var b store.Args
	iwhere := "ch.supplier_org_id = " + b.Add(supplier) + " AND d.assessor_user_id IS NOT NULL AND d.decided_on <= " + b.Add(upTo)
	if awardingOrg != "" {
		iwhere += " AND EXISTS (SELECT 1 FROM programmes pp JOIN qualifications q ON q.id = pp.qualification_id WHERE pp.id = ap.programme_id AND q.awarding_org = " +
			b.Add(awardingOrg) + ")"
	}
	interim, err := store.Collect(ctx, q, "criterion decisions", func(sc store.Scanner, d *domain.QADecision) error {
		d.Kind = domain.QAInterim
		return sc.Scan(&d.ID, &d.ApplicationID, &d.AssessorID, &d.Criterion, &d.DecidedOn)
	}, `SELECT d.id, d.application_id, d.assessor_user_id, d.criterion, d.decided_on FROM criterion_decisions d
		JOIN applications ap ON ap.id = d.application_id JOIN cohorts ch ON ch.id = ap.cohort_id
		WHERE `+iwhere+` ORDER BY d.id`, b...)
	if err != nil {
		return nil, err
	}
	return append(interim, final...), nil
}

// Sample is one drawn sample and how far its review has got.
type Sample struct {
	ID           int64
	SupplierID   int64
	SupplierName string
	Plan         domain.SamplingPlan
	Seed         int64
	DrawnByID    int64
	DrawnBy      string
	DrawnOn      domain.Date
	Items        int
	Reviewed     int
	Open         int
}

const sampleColumns = `s.id, s.supplier_org_id, o.name, s.level, s.learner_share, s.decision_share, s.new_assessor_share, s.new_assessor_below,
	s.seed, s.drawn_by_user, s.drawn_by, s.drawn_on,
	(SELECT COUNT(*) FROM qa_items i WHERE i.sample_id = s.id),
	(SELECT COUNT(*) FROM qa_items i WHERE i.sample_id = s.id AND i.outcome <> ''),
	(SELECT COUNT(*) FROM qa_items i WHERE i.sample_id = s.id AND ` + "i.outcome = 'action'" + ` AND i.resolved_on IS NULL)`

func scanSample(sc store.Scanner, s *Sample) error {
	err := sc.Scan(&s.ID, &s.SupplierID, &s.SupplierName, &s.Plan.Level, &s.Plan.LearnerShare, &s.Plan.DecisionShare, &s.Plan.NewAssessorShare,
		&s.Plan.NewAssessorBelow, &s.Seed, &s.DrawnByID, &s.DrawnBy, &s.DrawnOn, &s.Items, &s.Reviewed, &s.Open)
	s.Plan.SupplierOrgID = s.SupplierID
	return err
}

// sampleScope limits samples to those with an item the scope sees, or
// (a supplier, an awarding organisation) drawn over what it may sample.
func sampleScope(a *store.Args, scope policy.Scope) (string, bool) {
	switch scope.Kind {
	case policy.National:
		return "1=1", true
	case policy.Org:
		return "s.supplier_org_id = " + a.Add(scope.OrgID), true
	case policy.Awarding:
		return "s.level = " + a.Add(string(domain.QAExternal)) + " AND EXISTS (SELECT 1 FROM users du JOIN organisations dorg ON dorg.id = du.org_id WHERE du.id = s.drawn_by_user AND dorg.name = " +
			a.Add(scope.OrgName) + ")", true
	}
	return "", false
}

// Samples are the samples in scope, newest first.
func Samples(ctx context.Context, q store.Querier, scope policy.Scope) ([]Sample, error) {
	var a store.Args
	where, ok := sampleScope(&a, scope)
	if !ok {
		return nil, nil
	}
	return store.Collect(ctx, q, "samples", scanSample, `SELECT `+sampleColumns+` FROM qa_samples s JOIN organisations o ON o.id = s.supplier_org_id
		WHERE `+where+` ORDER BY s.id DESC`, a...)
}

// SampleIn reads one sample in scope.
func SampleIn(ctx context.Context, q store.Querier, scope policy.Scope, id int64) (Sample, error) {
	var s Sample
	var a store.Args
	where, ok := sampleScope(&a, scope)
	if !ok {
		return s, store.ErrNotFound
	}
	err := scanSample(q.QueryRowContext(ctx, `SELECT `+sampleColumns+` FROM qa_samples s JOIN organisations o ON o.id = s.supplier_org_id
		WHERE `+where+` AND s.id = `+a.Add(id), a...), &s)
	return s, store.NotFound(err, "sample")
}

// NewSeed is a fresh seed for a draw.
func NewSeed() (int64, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, fmt.Errorf("seed: %w", err)
	}
	// Positive and within a signed 53 bits, so it reads the same in JSON.
	return int64(binary.BigEndian.Uint64(b[:]) >> 11), nil
}

// Draw draws a sample of a supplier's decisions by its plan at the level
// (domain.DrawSample) and keeps it with its seed (seed 0 takes a fresh
// one). The reviewer's own decisions are never drawn. awardingOrg limits
// an external sample to the organisation's learners.
func Draw(ctx context.Context, tx *store.Tx, a domain.Actor, level domain.QALevel, supplier int64, awardingOrg string, seed int64) (int64, error) {
	plan, err := Plan(ctx, tx.Reader(), supplier, level)
	if err != nil {
		return 0, err
	}
	if seed == 0 {
		if seed, err = NewSeed(); err != nil {
			return 0, err
		}
	}
	today := tx.Today()
	all, err := Decisions(ctx, tx.Reader(), supplier, awardingOrg, today)
	if err != nil {
		return 0, err
	}
	draw := domain.DrawSample(plan, all, a.UserID, seed)
	if len(draw.Decisions) == 0 {
		return 0, domain.Refuse("supplier", "There are no decisions to sample: none made by other assessors yet, or the plan samples none")
	}
	now := tx.Now()
	id, err := tx.InsertID(ctx, `INSERT INTO qa_samples (supplier_org_id, level, seed, learner_share, decision_share, new_assessor_share, new_assessor_below,
		drawn_by_user, drawn_by, drawn_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		supplier, string(level), seed, plan.LearnerShare, plan.DecisionShare, plan.NewAssessorShare, plan.NewAssessorBelow, a.UserID, a.Label, today, now)
	if err != nil {
		return 0, fmt.Errorf("sample: %w", err)
	}
	for _, d := range draw.Decisions {
		if _, err := tx.Exec(ctx, `INSERT INTO qa_items (sample_id, application_id, kind, decision_id, criterion, assessor_user_id, decided_on, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, d.ApplicationID, string(d.Kind), store.NullID(d.ID), d.Criterion, d.AssessorID, d.DecidedOn, now); err != nil {
			return 0, fmt.Errorf("sample item: %w", err)
		}
	}
	return id, tx.Audit(ctx, a, "sample drawn", "qa_sample", fmt.Sprint(id), nil,
		map[string]any{"supplier": supplier, "level": level, "seed": seed, "decisions": len(draw.Decisions), "of": len(all)})
}

// Redraw draws a kept sample again from its seed, plan and the decisions
// made by its day: the same decisions it holds, unless one was since
// removed.
func Redraw(ctx context.Context, q store.Querier, s Sample, awardingOrg string) (domain.Draw, error) {
	all, err := Decisions(ctx, q, s.SupplierID, awardingOrg, s.DrawnOn)
	if err != nil {
		return domain.Draw{}, err
	}
	return domain.DrawSample(s.Plan, all, s.DrawnByID, s.Seed), nil
}

// Items are a sample's decisions that the scope sees.
func Items(ctx context.Context, q store.Querier, scope policy.Scope, sampleID int64) ([]domain.QAItem, error) {
	var a store.Args
	where, ok := itemScope(&a, scope)
	if !ok {
		return nil, nil
	}
	return store.Collect(ctx, q, "sample items", scanItem, `SELECT `+itemColumns+itemFrom+` WHERE `+where+` AND i.sample_id = `+a.Add(sampleID)+
		` ORDER BY i.id`, a...)
}

// ItemIn reads one sampled decision in scope.
func ItemIn(ctx context.Context, q store.Querier, scope policy.Scope, id int64) (domain.QAItem, error) {
	var i domain.QAItem
	var a store.Args
	where, ok := itemScope(&a, scope)
	if !ok {
		return i, store.ErrNotFound
	}
	err := scanItem(q.QueryRowContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE `+where+` AND i.id = `+a.Add(id), a...), &i)
	return i, store.NotFound(err, "sampled decision")
}

// ItemsOfApplication are every sampled decision of a learner, at both levels.
func ItemsOfApplication(ctx context.Context, q store.Querier, appID int64) ([]domain.QAItem, error) {
	return store.Collect(ctx, q, "sample items", scanItem, `SELECT `+itemColumns+itemFrom+` WHERE i.application_id = $1 ORDER BY i.id`, appID)
}

// ItemFilter narrows a list of sampled decisions.
type ItemFilter struct {
	OpenOnly     bool
	UpdatedSince time.Time
	Page         int
	PageSize     int
}

// ItemList is sampled decisions in scope, oldest change first (so a
// client reading filter[updated_since] misses none).
func ItemList(ctx context.Context, q store.Querier, scope policy.Scope, f ItemFilter) ([]domain.QAItem, error) {
	var a store.Args
	where, ok := f.where(&a, scope)
	if !ok {
		return nil, nil
	}
	page := ""
	if f.PageSize > 0 {
		page = store.PageClause(&a, f.Page, f.PageSize)
	}
	return store.Collect(ctx, q, "sample items", scanItem, `SELECT `+itemColumns+itemFrom+` WHERE `+where+` ORDER BY i.updated_at, i.id`+page, a...)
}

// ItemCount is how many sampled decisions ItemList lists in all.
func ItemCount(ctx context.Context, q store.Querier, scope policy.Scope, f ItemFilter) (int, error) {
	var a store.Args
	where, ok := f.where(&a, scope)
	if !ok {
		return 0, nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+itemFrom+` WHERE `+where, a...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count sample items: %w", err)
	}
	return n, nil
}

func (f ItemFilter) where(a *store.Args, scope policy.Scope) (string, bool) {
	where, ok := itemScope(a, scope)
	if !ok {
		return "", false
	}
	if f.OpenOnly {
		where += " AND i.outcome = " + a.Add(string(domain.QAAction)) + " AND i.resolved_on IS NULL"
	}
	if !f.UpdatedSince.IsZero() {
		where += " AND i.updated_at >= " + a.Add(f.UpdatedSince)
	}
	return where, true
}

// Overturned are the criterion decisions of a learner that quality
// assurance overturned (domain.OverturnedDecisions): the input of the
// criterion-met rule.
func Overturned(ctx context.Context, q store.Querier, appID int64) (domain.Overturned, error) {
	items, err := ItemsOfApplication(ctx, q, appID)
	if err != nil {
		return nil, err
	}
	return domain.OverturnedDecisions(items), nil
}

func saveItem(ctx context.Context, tx *store.Tx, a domain.Actor, action string, old, n domain.QAItem) error {
	if _, err := tx.Exec(ctx, `UPDATE qa_items SET outcome = $2, action = $3, reviewer_user_id = $4, reviewed_on = $5, resolved_on = $6,
		resolved_note = $7, updated_at = $8 WHERE id = $1 AND outcome = $9 AND (resolved_on IS NULL) = $10`,
		n.ID, string(n.Outcome), n.Action, store.NullID(n.ReviewerID), n.ReviewedOn, n.ResolvedOn, n.ResolvedNote, tx.Now(),
		string(old.Outcome), old.ResolvedOn.IsZero()); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	return tx.Audit(ctx, a, action, "qa_item", fmt.Sprint(n.ID),
		map[string]any{"outcome": old.Outcome, "resolved_on": old.ResolvedOn.String()},
		map[string]any{"outcome": n.Outcome, "action": n.Action, "resolved_on": n.ResolvedOn.String(), "note": n.ResolvedNote})
}

// RecordOutcome records the reviewer's outcome of a sampled decision
// (domain.RecordOutcome). An action on the decision of a learner already
// certified flags their certificate for review; it never changes it.
func RecordOutcome(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, id int64, outcome domain.QAOutcome, action string, on domain.Date) (domain.QAItem, error) {
	old, err := ItemIn(ctx, tx.Reader(), scope, id)
	if err != nil {
		return old, err
	}
	n, err := domain.RecordOutcome(old, a.UserID, outcome, action, on, tx.Today())
	if err != nil {
		return old, err
	}
	return n, recordOutcome(ctx, tx, a, old, n)
}

// recordOutcome saves an outcome and flags the certificates an action
// puts in doubt.
func recordOutcome(ctx context.Context, tx *store.Tx, a domain.Actor, old, n domain.QAItem) error {
	if err := saveItem(ctx, tx, a, "quality assurance outcome", old, n); err != nil {
		return err
	}
	if n.Outcome == domain.QAAction {
		why := fmt.Sprintf("%s found an action required on %s's decision: %s", n.Level.Label(), n.AssessorName, n.Action)
		return flagApplication(ctx, tx, a, n.Decision.ApplicationID, why)
	}
	return nil
}

// PushOutcome records an outcome that a supplier's own internal quality
// assurance pushed on a decision of its internal sample
// (domain.RecordPushedOutcome), with the supplier's reference for it. The
// same outcome pushed again returns the item as it is (created false); a
// different one, once an outcome is recorded, is a conflict.
func PushOutcome(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, id int64, outcome domain.QAOutcome, action, externalRef string, on domain.Date) (domain.QAItem, bool, error) {
	old, err := ItemIn(ctx, tx.Reader(), scope, id)
	if err != nil {
		return old, false, err
	}
	if old.Outcome != domain.QAPending {
		if domain.SamePushedOutcome(old, outcome, action) {
			return old, false, nil
		}
		return old, false, fmt.Errorf("sampled decision %d: %w: %w", id, domain.ErrOutcomeRecorded, store.ErrConflict)
	}
	n, err := domain.RecordPushedOutcome(old, a.UserID, outcome, action, on, tx.Today())
	if err != nil {
		return old, false, err
	}
	if err := recordOutcome(ctx, tx, a, old, n); err != nil {
		return n, false, err
	}
	if _, err := tx.Exec(ctx, `UPDATE qa_items SET external_ref = $2 WHERE id = $1`, id, strings.TrimSpace(externalRef)); err != nil {
		return n, false, fmt.Errorf("outcome reference: %w", err)
	}
	n, err = ItemIn(ctx, tx.Reader(), scope, id)
	return n, true, err
}

// ResolveAction records the assessor's answer to an action on their own
// decision (domain.ResolveAction).
func ResolveAction(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, id int64, note string) (domain.QAItem, error) {
	old, err := ItemIn(ctx, tx.Reader(), scope, id)
	if err != nil {
		return old, err
	}
	n, err := domain.ResolveAction(old, a.UserID, note, tx.Today(), tx.Today())
	if err != nil {
		return old, err
	}
	return n, saveItem(ctx, tx, a, "quality assurance action resolved", old, n)
}

// Report is each assessor's decisions, sampled decisions and outcomes at
// a level for a supplier (domain.QAReportByAssessor).
func Report(ctx context.Context, q store.Querier, scope policy.Scope, supplier int64, level domain.QALevel, awardingOrg string, today domain.Date) ([]domain.QAAssessorReport, error) {
	all, err := Decisions(ctx, q, supplier, awardingOrg, today)
	if err != nil {
		return nil, err
	}
	var a store.Args
	where, ok := itemScope(&a, scope)
	if !ok {
		return nil, nil
	}
	items, err := store.Collect(ctx, q, "sample items", scanItem, `SELECT `+itemColumns+itemFrom+` WHERE `+where+
		` AND s.supplier_org_id = `+a.Add(supplier)+` AND s.level = `+a.Add(string(level))+` ORDER BY i.id`, a...)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	type nm struct {
		id   int64
		name string
	}
	users, err := store.Collect(ctx, q, "assessors", func(sc store.Scanner, n *nm) error { return sc.Scan(&n.id, &n.name) },
		`SELECT id, name FROM users WHERE org_id = $1`, supplier)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		names[u.id] = u.name
	}
	return domain.QAReportByAssessor(all, items, names), nil
}

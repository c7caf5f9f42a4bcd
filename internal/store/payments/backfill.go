package payments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// Backfill: the store loads the register for domain.MakeClaim, persists
// claims with the sessions they hold (a unique index holds each session's
// hours once), and gathers approved claims into payment batches.

// claimScope limits claims (aliased bc) to a scope: the programme team all,
// a supplier those of its learners, a setting its own.
func claimScope(a *store.Args, scope policy.Scope) (string, bool) {
	switch scope.Kind {
	case policy.National:
		return "1=1", true
	case policy.Org:
		return "bc.supplier_org_id = " + a.Add(scope.OrgID), true
	case policy.Setting:
		return "bc.setting_urn = " + a.Add(scope.SettingURN), true
	}
	return "", false
}

const claimColumns = `bc.id, bc.setting_urn, bc.application_id, bc.programme_id, bc.supplier_org_id, bc.state, bc.rate_pence, bc.minutes,
	bc.amount_pence, bc.reason, COALESCE(bc.batch_id, 0), bc.payment_ref, bc.submitted_on, bc.created_at, bc.updated_at,
	p.given_name || ' ' || p.family_name, s.name`

const claimFrom = ` FROM backfill_claims bc JOIN applications ap ON ap.id = bc.application_id JOIN practitioners p ON p.id = ap.practitioner_id
	JOIN settings s ON s.urn = bc.setting_urn`

func scanClaim(sc store.Scanner, c *domain.Claim) error {
	return sc.Scan(&c.ID, &c.SettingURN, &c.ApplicationID, &c.ProgrammeID, &c.SupplierOrgID, &c.State, &c.Rate, &c.Minutes,
		&c.Amount, &c.Reason, &c.BatchID, &c.PaymentRef, &c.SubmittedOn, store.NullTime(&c.CreatedAt), store.NullTime(&c.UpdatedAt),
		&c.LearnerName, &c.SettingName)
}

// AcceptConditions records that a setting accepted the programme's grant
// conditions; accepting again changes nothing.
func AcceptConditions(ctx context.Context, tx *store.Tx, a domain.Actor, settingURN string, programmeID int64) error {
	res, err := tx.Exec(ctx, `INSERT INTO backfill_conditions (setting_urn, programme_id, accepted_by, accepted_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (setting_urn, programme_id) DO NOTHING`, settingURN, programmeID, a.Label, tx.Now())
	if err != nil {
		return fmt.Errorf("accept conditions: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return tx.Audit(ctx, a, "accept conditions", "setting", settingURN, nil, map[string]any{"programme_id": programmeID})
}

// claimFacts loads what domain.MakeClaim needs for a learner.
func claimFacts(ctx context.Context, q store.Querier, app store.Application) (domain.ClaimFacts, error) {
	f := domain.ClaimFacts{App: app}
	err := q.QueryRowContext(ctx, `SELECT COALESCE(la.region_code, '') FROM settings s LEFT JOIN local_authorities la ON la.code = s.la_code WHERE s.urn = $1`,
		app.SettingURN).Scan(&f.Region)
	if err != nil {
		return f, store.NotFound(err, "setting")
	}
	p, err := store.ProgrammeIn(ctx, q, app.ProgrammeID)
	if err != nil {
		return f, err
	}
	f.Rules = p.Rules.Backfill
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM backfill_conditions WHERE setting_urn = $1 AND programme_id = $2`, app.SettingURN, app.ProgrammeID).Scan(&n); err != nil {
		return f, fmt.Errorf("claim facts: %w", err)
	}
	f.Conditions = n > 0
	// Every session the learner was marked for, on whichever cohort.
	f.Sessions, err = store.Collect(ctx, q, "claim facts", func(sc store.Scanner, s *domain.SessionAttended) error {
		return sc.Scan(&s.SessionID, &s.Date, &s.Minutes, &s.Mark, &s.Claimed)
	}, `SELECT st.id, st.held_on, st.minutes, at.mark,
		EXISTS (SELECT 1 FROM backfill_claim_lines l WHERE l.application_id = at.application_id AND l.session_id = st.id AND l.released_at IS NULL)
		FROM attendance at JOIN sessions_taught st ON st.id = at.session_id WHERE at.application_id = $1 ORDER BY st.held_on, st.id`, app.ID)
	if err != nil {
		return f, err
	}
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(minutes), 0) FROM backfill_claim_lines WHERE application_id = $1 AND released_at IS NULL`, app.ID).
		Scan(&f.PaidMinutes); err != nil {
		return f, fmt.Errorf("claim facts: %w", err)
	}
	err = q.QueryRowContext(ctx, `SELECT ch.supplier_org_id FROM cohorts ch WHERE ch.id = COALESCE($2,
		(SELECT st.cohort_id FROM attendance at JOIN sessions_taught st ON st.id = at.session_id WHERE at.application_id = $1 ORDER BY st.held_on DESC LIMIT 1))`,
		app.ID, store.NullID(app.CohortID)).Scan(&f.SupplierOrgID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("claim facts: %w", err)
	}
	return f, nil
}

// ClaimForm is what a setting's claim form for one learner shows.
type ClaimForm struct {
	App       store.Application
	Facts     domain.ClaimFacts
	Claimable []domain.SessionAttended
}

// LoadClaimForm loads a learner of the setting in scope and the sessions
// they may claim cover for today.
func LoadClaimForm(ctx context.Context, q store.Querier, scope policy.Scope, appID int64, today domain.Date) (ClaimForm, error) {
	if scope.Kind != policy.Setting {
		return ClaimForm{}, store.ErrNotFound
	}
	app, err := store.ApplicationIn(ctx, q, scope, appID)
	if err != nil {
		return ClaimForm{}, err
	}
	cf := ClaimForm{App: app}
	if cf.Facts, err = claimFacts(ctx, q, app); err != nil {
		return cf, err
	}
	cf.Claimable = domain.Claimable(cf.Facts.Sessions, cf.Facts.Rules, today)
	return cf, nil
}

// SubmitClaim records a setting's claim for cover of the sessions chosen
// (domain.MakeClaim). Two claims racing for one session: the second is
// refused by the index as already claimed.
func SubmitClaim(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, appID int64, sessionIDs []int64) (domain.Claim, error) {
	if scope.Kind != policy.Setting {
		return domain.Claim{}, store.ErrNotFound
	}
	app, err := tx.ScopedApplication(ctx, scope, appID)
	if err != nil {
		return domain.Claim{}, err
	}
	f, err := claimFacts(ctx, tx.Reader(), app)
	if err != nil {
		return domain.Claim{}, err
	}
	c, err := domain.MakeClaim(scope.SettingURN, sessionIDs, f, tx.Today())
	if err != nil {
		return c, err
	}
	c.ID, err = tx.InsertID(ctx, `INSERT INTO backfill_claims (setting_urn, application_id, programme_id, supplier_org_id, state, rate_pence, minutes,
		amount_pence, submitted_on, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
		c.SettingURN, c.ApplicationID, c.ProgrammeID, c.SupplierOrgID, string(c.State), int64(c.Rate), c.Minutes, int64(c.Amount), c.SubmittedOn, a.Label, tx.Now())
	if err != nil {
		return c, fmt.Errorf("submit claim: %w", err)
	}
	for _, l := range c.Lines {
		if _, err := tx.Exec(ctx, `INSERT INTO backfill_claim_lines (claim_id, application_id, session_id, minutes) VALUES ($1, $2, $3, $4)`,
			c.ID, c.ApplicationID, l.SessionID, l.Minutes); err != nil {
			if store.IsUniqueViolation(err) {
				return c, fmt.Errorf("%w: %w", domain.ErrClaimedMeanwhile, store.ErrConflict)
			}
			return c, fmt.Errorf("claim line: %w", err)
		}
	}
	c.CreatedAt, c.UpdatedAt = tx.Now(), tx.Now()
	return c, tx.Audit(ctx, a, "claim", "backfill_claim", fmt.Sprint(c.ID), nil,
		map[string]any{"application_id": c.ApplicationID, "minutes": c.Minutes, "amount_pence": c.Amount, "sessions": sessionIDs})
}

func claim(ctx context.Context, q store.Querier, scope policy.Scope, id int64) (domain.Claim, error) {
	var c domain.Claim
	var a store.Args
	where, ok := claimScope(&a, scope)
	if !ok {
		return c, store.ErrNotFound
	}
	err := scanClaim(q.QueryRowContext(ctx, `SELECT `+claimColumns+claimFrom+` WHERE `+where+` AND bc.id = `+a.Add(id), a...), &c)
	return c, store.NotFound(err, "claim")
}

// saveClaim persists a claim's decided state, if it is still in the state
// decided on, releasing its sessions when it no longer holds them.
func saveClaim(ctx context.Context, tx *store.Tx, a domain.Actor, old, c domain.Claim, action string) error {
	var batch any
	if c.BatchID != 0 {
		batch = c.BatchID
	}
	res, err := tx.Exec(ctx, `UPDATE backfill_claims SET state = $3, reason = $4, batch_id = $5, payment_ref = $6, updated_at = $7
		WHERE id = $1 AND state = $2`, c.ID, string(old.State), string(c.State), c.Reason, batch, c.PaymentRef, tx.Now())
	if err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %w", domain.ErrClaimChanged, store.ErrConflict)
	}
	if !c.State.In(domain.LiveClaims) {
		if _, err := tx.Exec(ctx, `UPDATE backfill_claim_lines SET released_at = $2 WHERE claim_id = $1 AND released_at IS NULL`, c.ID, tx.Now()); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
	}
	return tx.Audit(ctx, a, action, "backfill_claim", fmt.Sprint(c.ID), map[string]any{"state": old.State},
		map[string]any{"state": c.State, "reason": c.Reason, "payment_ref": c.PaymentRef})
}

// VerifyClaim is the supplier's check of a claim of one of its learners.
func VerifyClaim(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, id int64, ok bool, reason string) (domain.Claim, error) {
	if scope.Kind != policy.Org {
		return domain.Claim{}, store.ErrNotFound
	}
	return decideClaim(ctx, tx, a, scope, id, "verify", func(c domain.Claim) (domain.Claim, error) { return domain.VerifyClaim(c, ok, reason) })
}

// ApproveClaim is the programme team's decision on a claim.
func ApproveClaim(ctx context.Context, tx *store.Tx, a domain.Actor, id int64, ok bool, reason string) (domain.Claim, error) {
	return decideClaim(ctx, tx, a, policy.Scope{Kind: policy.National}, id, "approve", func(c domain.Claim) (domain.Claim, error) { return domain.ApproveClaim(c, ok, reason) })
}

// ClawBackClaim records that a paid claim was found wrong.
func ClawBackClaim(ctx context.Context, tx *store.Tx, a domain.Actor, id int64, reason string) (domain.Claim, error) {
	return decideClaim(ctx, tx, a, policy.Scope{Kind: policy.National}, id, "claw back", func(c domain.Claim) (domain.Claim, error) { return domain.ClawBackClaim(c, reason) })
}

func decideClaim(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, id int64, action string, decide func(domain.Claim) (domain.Claim, error)) (domain.Claim, error) {
	old, err := claim(ctx, tx.Reader(), scope, id)
	if err != nil {
		return old, err
	}
	c, err := decide(old)
	if err != nil {
		return old, err
	}
	return c, saveClaim(ctx, tx, a, old, c, action)
}

// ClaimFilter narrows a list of claims.
type ClaimFilter struct {
	State         domain.ClaimState
	ApplicationID int64
	BatchID       int64
	UpdatedSince  time.Time
	Page          int
	PageSize      int
}

// ClaimPage is a page of claims, with the total count and amount.
type ClaimPage struct {
	Claims []domain.Claim
	Total  int
	Amount domain.Money
}

// Claims lists claims in scope, newest first.
func Claims(ctx context.Context, q store.Querier, scope policy.Scope, f ClaimFilter) (ClaimPage, error) {
	var page ClaimPage
	var a store.Args
	where, ok := claimScope(&a, scope)
	if !ok {
		return page, nil
	}
	if f.State != "" {
		where += " AND bc.state = " + a.Add(string(f.State))
	}
	if f.ApplicationID != 0 {
		where += " AND bc.application_id = " + a.Add(f.ApplicationID)
	}
	if f.BatchID != 0 {
		where += " AND bc.batch_id = " + a.Add(f.BatchID)
	}
	order := "bc.id DESC"
	if !f.UpdatedSince.IsZero() {
		where += " AND bc.updated_at >= " + a.Add(f.UpdatedSince.UTC())
		order = "bc.updated_at, bc.id"
	}
	if f.BatchID != 0 {
		order = "bc.id"
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(bc.amount_pence), 0) FROM backfill_claims bc WHERE `+where, a...).
		Scan(&page.Total, &page.Amount); err != nil {
		return page, fmt.Errorf("count claims: %w", err)
	}
	var err error
	page.Claims, err = store.Collect(ctx, q, "list claims", scanClaim, `SELECT `+claimColumns+claimFrom+` WHERE `+where+` ORDER BY `+order+store.PageClause(&a, f.Page, f.PageSize), a...)
	return page, err
}

// Claim returns one claim in scope with the sessions it claims.
func Claim(ctx context.Context, q store.Querier, scope policy.Scope, id int64) (domain.Claim, error) {
	c, err := claim(ctx, q, scope, id)
	if err != nil {
		return c, err
	}
	c.Lines, err = store.Collect(ctx, q, "claim lines", func(sc store.Scanner, l *domain.ClaimLine) error { return sc.Scan(&l.SessionID, &l.Date, &l.Minutes) },
		`SELECT l.session_id, st.held_on, l.minutes FROM backfill_claim_lines l JOIN sessions_taught st ON st.id = l.session_id WHERE l.claim_id = $1 ORDER BY st.held_on`, id)
	return c, err
}

const batchColumns = `b.id, b.state, b.created_by, b.created_at, b.reconciled_at,
	(SELECT COUNT(*) FROM backfill_claims bc WHERE bc.batch_id = b.id), (SELECT COALESCE(SUM(bc.amount_pence), 0) FROM backfill_claims bc WHERE bc.batch_id = b.id)`

func scanBatch(sc store.Scanner, b *domain.Batch) error {
	return sc.Scan(&b.ID, &b.State, &b.CreatedBy, store.NullTime(&b.CreatedAt), store.NullTime(&b.ReconciledAt), &b.Claims, &b.Total)
}

// CreateBatch gathers every approved claim into a new payment batch for
// finance, in one transaction: a batch is made whole or not at all.
func CreateBatch(ctx context.Context, tx *store.Tx, a domain.Actor) (domain.Batch, error) {
	var b domain.Batch
	var n int
	if err := tx.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM backfill_claims WHERE `+store.StatusIs("state", domain.ClaimApproved)).Scan(&n); err != nil {
		return b, fmt.Errorf("create batch: %w", err)
	}
	if n == 0 {
		return b, domain.Refuse("batch", "No approved claims are waiting to be paid")
	}
	id, err := tx.InsertID(ctx, `INSERT INTO payment_batches (state, created_by, created_at) VALUES ($1, $2, $3)`, string(domain.BatchSent), a.Label, tx.Now())
	if err != nil {
		return b, fmt.Errorf("create batch: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE backfill_claims SET state = $2, batch_id = $1, updated_at = $3 WHERE `+store.StatusIs("state", domain.ClaimApproved),
		id, string(domain.ClaimBatched), tx.Now()); err != nil {
		return b, fmt.Errorf("create batch: %w", err)
	}
	if err := scanBatch(tx.Reader().QueryRowContext(ctx, `SELECT `+batchColumns+` FROM payment_batches b WHERE b.id = $1`, id), &b); err != nil {
		return b, fmt.Errorf("create batch: %w", err)
	}
	return b, tx.Audit(ctx, a, "create", "payment_batch", fmt.Sprint(id), nil, map[string]any{"claims": b.Claims, "total_pence": b.Total})
}

// Batches lists payment batches, newest first.
func Batches(ctx context.Context, q store.Querier) ([]domain.Batch, error) {
	return store.Collect(ctx, q, "list batches", scanBatch, `SELECT `+batchColumns+` FROM payment_batches b ORDER BY b.id DESC`)
}

// Batch returns one payment batch.
func Batch(ctx context.Context, q store.Querier, id int64) (domain.Batch, error) {
	var b domain.Batch
	err := scanBatch(q.QueryRowContext(ctx, `SELECT `+batchColumns+` FROM payment_batches b WHERE b.id = $1`, id), &b)
	return b, store.NotFound(err, "batch")
}

// ReconcileBatch applies finance's response to a batch (domain.
// ReconcileBatch): all of it, or — when it does not match the batch —
// none of it.
func ReconcileBatch(ctx context.Context, tx *store.Tx, a domain.Actor, id int64, rows []domain.BatchResponse) (domain.Batch, error) {
	var b domain.Batch
	if err := scanBatch(tx.Reader().QueryRowContext(ctx, `SELECT `+batchColumns+` FROM payment_batches b WHERE b.id = $1`, id), &b); err != nil {
		return b, store.NotFound(err, "batch")
	}
	page, err := Claims(ctx, tx.Reader(), policy.Scope{Kind: policy.National}, ClaimFilter{BatchID: id, PageSize: 1 << 30})
	if err != nil {
		return b, err
	}
	out, err := domain.ReconcileBatch(b, page.Claims, rows)
	if err != nil {
		return b, err
	}
	for i, c := range out {
		if err := saveClaim(ctx, tx, a, page.Claims[i], c, "reconcile"); err != nil {
			return b, err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE payment_batches SET state = $2, reconciled_at = $3 WHERE id = $1`, id, string(domain.BatchReconciled), tx.Now()); err != nil {
		return b, fmt.Errorf("reconcile batch: %w", err)
	}
	b.State, b.ReconciledAt = domain.BatchReconciled, tx.Now()
	return b, tx.Audit(ctx, a, "reconcile", "payment_batch", fmt.Sprint(id), nil, map[string]any{"rows": len(rows)})
}

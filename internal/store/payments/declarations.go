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

// Declarations and statements: the store loads what senco's records say
// of a learner for domain.Declare, persists the declaration, and gathers
// declarations into statements (domain.StatementLines). Scope: the
// programme team sees every supplier's; a supplier only its own.

// moneyScope limits rows of a supplier's money (column col) to a scope.
func moneyScope(a *store.Args, scope policy.Scope, col string) (string, bool) {
	switch scope.Kind {
	case policy.National:
		return "1=1", true
	case policy.Org:
		return col + " = " + a.Add(scope.OrgID), true
	}
	return "", false
}

var declarationColumns = `d.id, d.application_id, d.practitioner_id, d.supplier_org_id, d.contract_id, d.programme_id, d.milestone, d.declared_on,
	d.state, d.amount_pence, d.evidence, d.voided_on, d.void_reason, d.created_at, d.updated_at,
	p.given_name || ' ' || p.family_name, o.name`

const declarationFrom = ` FROM declarations d JOIN practitioners p ON p.id = d.practitioner_id JOIN organisations o ON o.id = d.supplier_org_id`

func scanDeclaration(sc store.Scanner, d *domain.Declaration) error {
	return sc.Scan(declarationDest(d)...)
}

// declarationDest is where declarationColumns scan to, for queries that
// read more columns after them.
func declarationDest(d *domain.Declaration) []any {
	return []any{&d.ID, &d.ApplicationID, &d.PractitionerID, &d.SupplierOrgID, &d.ContractID, &d.ProgrammeID, &d.Milestone, &d.DeclaredOn,
		&d.State, &d.Amount, &d.Evidence, &d.VoidedOn, &d.VoidReason, store.NullTime(&d.CreatedAt), store.NullTime(&d.UpdatedAt),
		&d.LearnerName, &d.SupplierName}
}

// declarationFacts loads what the records say of a learner on date on,
// for domain.Declare.
func declarationFacts(ctx context.Context, tx *store.Tx, supplierOrgID int64, app store.Application, m domain.Milestone, on domain.Date) (domain.DeclarationFacts, error) {
	f := domain.DeclarationFacts{App: app}
	// The cohort they are on, or (deferred) the one they last attended.
	cohort := app.CohortID
	if cohort == 0 {
		err := tx.Reader().QueryRowContext(ctx, `SELECT st.cohort_id FROM attendance at JOIN sessions_taught st ON st.id = at.session_id
			WHERE at.application_id = $1 ORDER BY st.held_on DESC, st.id DESC LIMIT 1`, app.ID).Scan(&cohort)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return f, fmt.Errorf("declaration facts: %w", err)
		}
	}
	if cohort != 0 {
		if err := tx.Reader().QueryRowContext(ctx, `SELECT supplier_org_id FROM cohorts WHERE id = $1`, cohort).Scan(&f.CohortSupplierOrgID); err != nil {
			return f, fmt.Errorf("declaration facts: %w", err)
		}
		var first sql.NullInt64
		if err := tx.Reader().QueryRowContext(ctx, `SELECT COUNT(*), COUNT(CASE WHEN held_on <= $2 THEN 1 END),
			(SELECT id FROM sessions_taught WHERE cohort_id = $1 AND held_on <= $2 ORDER BY held_on, id LIMIT 1)
			FROM sessions_taught WHERE cohort_id = $1`, cohort, on).Scan(&f.SessionsPlanned, &f.SessionsHeld, &first); err != nil {
			return f, fmt.Errorf("declaration facts: %w", err)
		}
		if first.Valid {
			var mark domain.Mark
			var caughtUp bool
			if err := tx.Reader().QueryRowContext(ctx, `SELECT st.held_on, COALESCE(at.mark, ''), at.caught_up_on IS NOT NULL FROM sessions_taught st
				LEFT JOIN attendance at ON at.session_id = st.id AND at.application_id = $2 WHERE st.id = $1`, first.Int64, app.ID).
				Scan(&f.FirstSession, &mark, &caughtUp); err != nil {
				return f, fmt.Errorf("declaration facts: %w", err)
			}
			f.FirstAttended = mark == domain.Present || mark == domain.Half || caughtUp
		}
		marks, held, err := tx.AttendanceOf(ctx, app.ID, cohort, on)
		if err != nil {
			return f, err
		}
		f.Rate = domain.AttendanceRate(marks, held)
	}
	p, err := store.ProgrammeIn(ctx, tx.Reader(), app.ProgrammeID)
	if err != nil {
		return f, store.NotFound(err, "programme")
	}
	f.Threshold = p.Rules.AttendanceThreshold
	err = tx.Reader().QueryRowContext(ctx, `SELECT id, price_started, price_retained, price_completed FROM contracts
		WHERE supplier_org_id = $1 AND programme_id = $2 AND superseded_by IS NULL ORDER BY version DESC LIMIT 1`, supplierOrgID, app.ProgrammeID).
		Scan(&f.Contract.ID, &f.Contract.PriceStarted, &f.Contract.PriceRetained, &f.Contract.PriceCompleted)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("declaration facts: %w", err)
	}
	var existing domain.Declaration
	err = scanDeclaration(tx.Reader().QueryRowContext(ctx, `SELECT `+declarationColumns+declarationFrom+` WHERE d.application_id = $1 AND d.milestone = $2 AND `+
		declarationLive("d.state"), app.ID, string(m)), &existing)
	switch {
	case err == nil:
		f.Existing = &existing
	case !errors.Is(err, sql.ErrNoRows):
		return f, fmt.Errorf("declaration facts: %w", err)
	}
	// The same person under another record (same email and date of birth),
	// or the same learner number, funded by another supplier.
	var elsewhere int
	if err := tx.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM declarations d2 JOIN practitioners p2 ON p2.id = d2.practitioner_id
		JOIN applications a2 ON a2.id = d2.application_id, practitioners me
		WHERE me.id = $1 AND d2.milestone = $2 AND d2.supplier_org_id <> $3 AND `+declarationLive("d2.state")+`
		AND (d2.practitioner_id = me.id OR (me.email <> '' AND p2.email = me.email AND p2.date_of_birth = me.date_of_birth)
			OR ($4 <> '' AND a2.learner_number = $4))`, app.PractitionerID, string(m), supplierOrgID, app.LearnerNumber).Scan(&elsewhere); err != nil {
		return f, fmt.Errorf("declaration facts: %w", err)
	}
	f.FundedElsewhere = elsewhere > 0
	return f, nil
}

// declarationLive is the condition "the declaration is live", from the
// domain's list.
func declarationLive(col string) string { return store.StatusIn(col, domain.LiveDeclarations) }

// Declare records a supplier's declaration that a learner in scope reached
// a milestone, once senco's records support it (domain.Declare). A learner
// has one live declaration per milestone: a second request, or two at
// once, get the first back with created false.
func Declare(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, appID int64, m domain.Milestone, on domain.Date) (d domain.Declaration, created bool, err error) {
	if scope.Kind != policy.Org {
		return d, false, store.ErrNotFound
	}
	app, err := tx.ScopedApplication(ctx, scope, appID)
	if err != nil {
		return d, false, err
	}
	f, err := declarationFacts(ctx, tx, scope.OrgID, app, m, on)
	if err != nil {
		return d, false, err
	}
	d, err = domain.Declare(scope.OrgID, m, on, f, tx.Today())
	if errors.Is(err, domain.ErrDeclared) {
		return d, false, nil
	}
	if err != nil {
		return d, false, err
	}
	// A savepoint, so that losing the race to the unique index leaves the
	// transaction usable to read the winner (PostgreSQL aborts it otherwise).
	if _, err := tx.Exec(ctx, `SAVEPOINT declare`); err != nil {
		return d, false, fmt.Errorf("declare: %w", err)
	}
	d.ID, err = tx.InsertID(ctx, `INSERT INTO declarations (application_id, practitioner_id, supplier_org_id, contract_id, programme_id, milestone,
		declared_on, state, amount_pence, evidence, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
		d.ApplicationID, d.PractitionerID, d.SupplierOrgID, d.ContractID, d.ProgrammeID, string(d.Milestone), d.DeclaredOn, string(d.State),
		int64(d.Amount), d.Evidence, a.Label, tx.Now())
	if err != nil {
		if _, rerr := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT declare`); rerr != nil {
			return d, false, fmt.Errorf("declare: %w", rerr)
		}
		if store.IsUniqueViolation(err) {
			var won domain.Declaration
			err := scanDeclaration(tx.Reader().QueryRowContext(ctx, `SELECT `+declarationColumns+declarationFrom+` WHERE d.application_id = $1 AND d.milestone = $2 AND `+
				declarationLive("d.state"), appID, string(m)), &won)
			return won, false, store.NotFound(err, "declaration")
		}
		return d, false, fmt.Errorf("declare: %w", err)
	}
	d.CreatedAt, d.UpdatedAt = tx.Now(), tx.Now()
	return d, true, tx.Audit(ctx, a, "declare", "declaration", fmt.Sprint(d.ID), nil,
		map[string]any{"application_id": d.ApplicationID, "milestone": d.Milestone, "declared_on": d.DeclaredOn, "amount_pence": d.Amount, "evidence": d.Evidence})
}

// VoidDeclaration voids a declaration in scope (domain.VoidDeclaration).
func VoidDeclaration(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, id int64, reason string) (domain.Declaration, error) {
	d, err := Declaration(ctx, tx.Reader(), scope, id)
	if err != nil {
		return d, err
	}
	n, err := domain.VoidDeclaration(d, reason, tx.Today())
	if err != nil {
		return d, err
	}
	res, err := tx.Exec(ctx, `UPDATE declarations SET state = $3, voided_on = $4, void_reason = $5, updated_at = $6 WHERE id = $1 AND state = $2`,
		d.ID, string(d.State), string(n.State), n.VoidedOn, n.VoidReason, tx.Now())
	if err != nil {
		return d, fmt.Errorf("void declaration: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return d, fmt.Errorf("%w: %w", domain.ErrDeclarationChanged, store.ErrConflict)
	}
	n.UpdatedAt = tx.Now()
	return n, tx.Audit(ctx, a, "void", "declaration", fmt.Sprint(d.ID), map[string]any{"state": d.State}, map[string]any{"state": n.State, "reason": n.VoidReason})
}

// Declaration returns one declaration in scope.
func Declaration(ctx context.Context, q store.Querier, scope policy.Scope, id int64) (domain.Declaration, error) {
	var d domain.Declaration
	var a store.Args
	where, ok := moneyScope(&a, scope, "d.supplier_org_id")
	if !ok {
		return d, store.ErrNotFound
	}
	err := scanDeclaration(q.QueryRowContext(ctx, `SELECT `+declarationColumns+declarationFrom+` WHERE `+where+` AND d.id = `+a.Add(id), a...), &d)
	return d, store.NotFound(err, "declaration")
}

// DeclarationFilter narrows a list of declarations.
type DeclarationFilter struct {
	ApplicationID int64
	State         domain.DeclarationState
	Milestone     domain.Milestone
	UpdatedSince  time.Time
	Page          int
	PageSize      int
}

// DeclarationPage is a page of declarations and the total.
type DeclarationPage struct {
	Declarations []domain.Declaration
	Total        int
}

// Declarations lists declarations in scope, newest first, or in order of
// change for a sync (UpdatedSince).
func Declarations(ctx context.Context, q store.Querier, scope policy.Scope, f DeclarationFilter) (DeclarationPage, error) {
	var page DeclarationPage
	var a store.Args
	where, ok := moneyScope(&a, scope, "d.supplier_org_id")
	if !ok {
		return page, nil
	}
	if f.ApplicationID != 0 {
		where += " AND d.application_id = " + a.Add(f.ApplicationID)
	}
	if f.State != "" {
		where += " AND d.state = " + a.Add(string(f.State))
	}
	if f.Milestone != "" {
		where += " AND d.milestone = " + a.Add(string(f.Milestone))
	}
	order := "d.declared_on DESC, d.id DESC"
	if !f.UpdatedSince.IsZero() {
		where += " AND d.updated_at >= " + a.Add(f.UpdatedSince.UTC())
		order = "d.updated_at, d.id"
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM declarations d WHERE `+where, a...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count declarations: %w", err)
	}
	var err error
	page.Declarations, err = store.Collect(ctx, q, "list declarations", scanDeclaration,
		`SELECT `+declarationColumns+declarationFrom+` WHERE `+where+` ORDER BY `+order+store.PageClause(&a, f.Page, f.PageSize), a...)
	return page, err
}

package payments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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
// for domain.Declare: the facts every milestone shares (LoadDeclarationFacts)
// and the learner's live declaration of m and funding elsewhere.
func declarationFacts(ctx context.Context, tx *store.Tx, supplierOrgID int64, app store.Application, m domain.Milestone, on domain.Date) (domain.DeclarationFacts, error) {
	all, err := LoadDeclarationFacts(ctx, tx.Reader(), supplierOrgID, []store.Application{app}, on)
	if err != nil {
		return domain.DeclarationFacts{}, err
	}
	f := all[app.ID]
	var existing domain.Declaration
	err = scanDeclaration(tx.Reader().QueryRowContext(ctx, `SELECT `+declarationColumns+declarationFrom+` WHERE d.application_id = $1 AND d.milestone = $2 AND `+
		declarationLive("d.state"), app.ID, string(m)), &existing)
	switch {
	case err == nil:
		f.Existing = &existing
	case !errors.Is(err, sql.ErrNoRows):
		return f, fmt.Errorf("declaration facts: %w", err)
	}
	elsewhere, err := FundedElsewhere(ctx, tx.Reader(), supplierOrgID, []store.Application{app})
	if err != nil {
		return f, err
	}
	f.FundedElsewhere = elsewhere[app.ID][m]
	return f, nil
}

// LoadDeclarationFacts loads, for each learner of apps, what the records
// say on date on that every milestone shares: their cohort (or, deferred,
// the one they last attended) and its supplier, the cohort's sessions
// planned and held, the first session and whether they attended it, their
// attendance share, the programme's threshold and the supplier's contract
// in force. A page of learners costs the same few queries as one learner.
// The existing declaration and funding elsewhere are the caller's
// (domain.DeclarationFacts.Existing, FundedElsewhere).
func LoadDeclarationFacts(ctx context.Context, q store.Querier, supplierOrgID int64, apps []store.Application, on domain.Date) (map[int64]domain.DeclarationFacts, error) {
	out := make(map[int64]domain.DeclarationFacts, len(apps))
	if len(apps) == 0 {
		return out, nil
	}
	var a store.Args
	ids := make([]string, 0, len(apps))
	for _, app := range apps {
		out[app.ID] = domain.DeclarationFacts{App: app}
		ids = append(ids, a.Add(app.ID))
	}
	// Every session of each learner's cohort, with their mark: one row a
	// session (one row with no session for a cohort yet to hold one).
	type row struct {
		app, supplier, session int64
		heldOn                 domain.Date
		mark                   domain.Mark
		caughtUp               bool
	}
	rows, err := store.Collect(ctx, q, "declaration facts", func(sc store.Scanner, r *row) error {
		return sc.Scan(&r.app, &r.supplier, &r.session, &r.heldOn, &r.mark, &r.caughtUp)
	}, `SELECT ap.id, ch.supplier_org_id, COALESCE(st.id, 0), st.held_on, COALESCE(at.mark, ''), COALESCE(at.caught_up_on IS NOT NULL, false)
		FROM applications ap
		JOIN cohorts ch ON ch.id = COALESCE(ap.cohort_id, (SELECT s2.cohort_id FROM attendance a2 JOIN sessions_taught s2 ON s2.id = a2.session_id
			WHERE a2.application_id = ap.id ORDER BY s2.held_on DESC, s2.id DESC LIMIT 1))
		LEFT JOIN sessions_taught st ON st.cohort_id = ch.id
		LEFT JOIN attendance at ON at.session_id = st.id AND at.application_id = ap.id
		WHERE ap.id IN (`+strings.Join(ids, ", ")+`) ORDER BY ap.id, st.held_on, st.id`, a...)
	if err != nil {
		return nil, err
	}
	marks := map[int64][]domain.Attendance{}
	for _, r := range rows {
		f := out[r.app]
		f.CohortSupplierOrgID = r.supplier
		if r.session != 0 {
			f.SessionsPlanned++
			if !r.heldOn.After(on) {
				f.SessionsHeld++
				if f.FirstSession.IsZero() {
					f.FirstSession = r.heldOn
					f.FirstAttended = r.mark == domain.Present || r.mark == domain.Half || r.caughtUp
				}
				if r.mark != "" {
					marks[r.app] = append(marks[r.app], domain.Attendance{SessionID: r.session, Mark: r.mark, CaughtUp: r.caughtUp})
				}
			}
		}
		out[r.app] = f
	}
	// The programmes' thresholds and the supplier's contract in force for
	// each (a page's learners are on one or two programmes).
	thresholds := map[int64]float64{}
	contracts := map[int64]domain.Contract{}
	for _, app := range apps {
		if _, ok := thresholds[app.ProgrammeID]; ok {
			continue
		}
		p, err := store.ProgrammeIn(ctx, q, app.ProgrammeID)
		if err != nil {
			return nil, store.NotFound(err, "programme")
		}
		thresholds[app.ProgrammeID] = p.Rules.AttendanceThreshold
		var c domain.Contract
		err = q.QueryRowContext(ctx, `SELECT id, price_started, price_retained, price_completed FROM contracts
			WHERE supplier_org_id = $1 AND programme_id = $2 AND superseded_by IS NULL ORDER BY version DESC LIMIT 1`, supplierOrgID, app.ProgrammeID).
			Scan(&c.ID, &c.PriceStarted, &c.PriceRetained, &c.PriceCompleted)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("declaration facts: %w", err)
		}
		contracts[app.ProgrammeID] = c
	}
	for id, f := range out {
		f.Rate = domain.AttendanceRate(marks[id], f.SessionsHeld)
		f.Threshold = thresholds[f.App.ProgrammeID]
		f.Contract = contracts[f.App.ProgrammeID]
		out[id] = f
	}
	return out, nil
}

// FundedElsewhere says, for each learner of apps, which milestones the
// same person (this record, another with the same email and date of birth,
// or the same learner number) has a live declaration of by another
// supplier.
func FundedElsewhere(ctx context.Context, q store.Querier, supplierOrgID int64, apps []store.Application) (map[int64]map[domain.Milestone]bool, error) {
	out := map[int64]map[domain.Milestone]bool{}
	if len(apps) == 0 {
		return out, nil
	}
	var a store.Args
	supplier := a.Add(supplierOrgID)
	ids := make([]string, 0, len(apps))
	for _, app := range apps {
		ids = append(ids, a.Add(app.ID))
	}
	type row struct {
		app int64
		m   domain.Milestone
	}
	// Three indexed lookups, not one query with ORs: the ORs made both
	// databases scan every live declaration for each learner. The learner
	// numbers are given as values: joined from the learner's row, both
	// planners took a number for one of the many records without one and
	// scanned the declarations again. "<> ''" lets SQLite use the partial
	// index applications_learner_number, and CROSS JOIN keeps SQLite from
	// scanning the declarations first (PostgreSQL plans it as a join).
	in := `ap.id IN (` + strings.Join(ids, ", ") + `) AND d2.supplier_org_id <> ` + supplier + ` AND ` + declarationLive("d2.state")
	rows, err := store.Collect(ctx, q, "funded elsewhere", func(sc store.Scanner, r *row) error { return sc.Scan(&r.app, &r.m) },
		`SELECT ap.id, d2.milestone FROM applications ap JOIN declarations d2 ON d2.practitioner_id = ap.practitioner_id WHERE `+in+`
		UNION
		SELECT ap.id, d2.milestone FROM applications ap JOIN practitioners me ON me.id = ap.practitioner_id
			JOIN practitioners p2 ON p2.email = me.email AND p2.date_of_birth = me.date_of_birth AND p2.id <> me.id
			JOIN declarations d2 ON d2.practitioner_id = p2.id WHERE me.email <> '' AND `+in, a...)
	if err != nil {
		return nil, err
	}
	byNumber := map[string][]int64{}
	var n store.Args
	nsupplier := n.Add(supplierOrgID)
	var numbers []string
	for _, app := range apps {
		if app.LearnerNumber == "" {
			continue
		}
		if byNumber[app.LearnerNumber] == nil {
			numbers = append(numbers, n.Add(app.LearnerNumber))
		}
		byNumber[app.LearnerNumber] = append(byNumber[app.LearnerNumber], app.ID)
	}
	if len(numbers) > 0 {
		type numbered struct {
			number string
			m      domain.Milestone
		}
		more, err := store.Collect(ctx, q, "funded elsewhere", func(sc store.Scanner, r *numbered) error { return sc.Scan(&r.number, &r.m) },
			`SELECT a2.learner_number, d2.milestone FROM applications a2 CROSS JOIN declarations d2
			WHERE d2.application_id = a2.id AND a2.learner_number IN (`+strings.Join(numbers, ", ")+`) AND a2.learner_number <> '' AND d2.supplier_org_id <> `+nsupplier+` AND `+declarationLive("d2.state"), n...)
		if err != nil {
			return nil, err
		}
		for _, r := range more {
			for _, id := range byNumber[r.number] {
				rows = append(rows, row{id, r.m})
			}
		}
	}
	for _, r := range rows {
		if out[r.app] == nil {
			out[r.app] = map[domain.Milestone]bool{}
		}
		out[r.app][r.m] = true
	}
	return out, nil
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

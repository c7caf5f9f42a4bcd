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

var statementColumns = `st.id, st.supplier_org_id, st.programme_id, st.month, st.deadline, st.state, st.payment_reference, st.paid_on,
	st.authorised_by, st.created_at, st.updated_at, o.name, p.name,
	(SELECT COALESCE(SUM(l.amount_pence), 0) FROM statement_lines l WHERE l.statement_id = st.id),
	(SELECT COUNT(*) FROM statement_lines l WHERE l.statement_id = st.id)`

const statementFrom = ` FROM statements st JOIN organisations o ON o.id = st.supplier_org_id JOIN programmes p ON p.id = st.programme_id`

func scanStatement(sc store.Scanner, s *domain.Statement) error {
	var month string
	if err := sc.Scan(&s.ID, &s.SupplierOrgID, &s.ProgrammeID, &month, &s.Deadline, &s.State, &s.PaymentReference, &s.PaidOn,
		&s.AuthorisedBy, store.NullTime(&s.CreatedAt), store.NullTime(&s.UpdatedAt), &s.SupplierName, &s.ProgrammeName, &s.Total, &s.Lines); err != nil {
		return err
	}
	m, err := domain.ParseMonth(month)
	s.Month = m
	return err
}

// StatementRun is what a statement run did.
type StatementRun struct {
	Statements int // statements made or added to
	Lines      int
	Closed     int // statements made payable
}

// GenerateStatements gathers every supplier's declarations into their
// statement of month m (domain.StatementLines) — or, where that statement
// has closed, into the next month's — and makes payable the open
// statements whose deadline has passed. It runs in the caller's
// transaction, so a run that fails or is killed leaves no half-made
// statement.
func GenerateStatements(ctx context.Context, tx *store.Tx, a domain.Actor, m domain.Month) (StatementRun, error) {
	var run StatementRun
	if domain.MonthOf(tx.Today()).Before(m) {
		return run, domain.Refuse("month", "Statements can be made for this month or earlier, not for %s", m.Long())
	}
	type key struct{ supplier, programme int64 }
	cands := map[key][]domain.LineCandidate{}
	var order []key
	has := func(kind domain.LineKind) string {
		return `EXISTS (SELECT 1 FROM statement_lines l WHERE l.declaration_id = d.id AND ` + store.StatusIs("l.kind", kind) + `)`
	}
	all, err := store.Collect(ctx, tx.Reader(), "statement candidates", func(sc store.Scanner, c *domain.LineCandidate) error {
		return sc.Scan(append(declarationDest(&c.Declaration), &c.Paid, &c.Reversed, &c.ClawedBack)...)
	}, `SELECT `+declarationColumns+`, `+has(domain.LinePayment)+`, `+has(domain.LineReversal)+`, `+has(domain.LineClawback)+declarationFrom+`
		WHERE `+store.StatusIn("d.state", []domain.DeclarationState{domain.DeclarationEligible, domain.DeclarationVoided, domain.DeclarationAwaitingClawback})+`
		ORDER BY d.supplier_org_id, d.programme_id, d.declared_on, d.id`)
	if err != nil {
		return run, err
	}
	for _, c := range all {
		k := key{c.SupplierOrgID, c.ProgrammeID}
		if _, seen := cands[k]; !seen {
			order = append(order, k)
		}
		cands[k] = append(cands[k], c)
	}
	// Every supplier's lines are written together, 200 to an INSERT: a
	// statement a line was most of a national run (section 9 of
	// docs/performance.md).
	var rows [][]any
	for _, k := range order {
		lines := domain.StatementLines(m, cands[k])
		if len(lines) == 0 {
			continue
		}
		id, err := openStatement(ctx, tx, k.supplier, k.programme, m)
		if err != nil {
			return run, err
		}
		for _, l := range lines {
			rows = append(rows, []any{id, l.DeclarationID, string(l.Kind), int64(l.Amount), tx.Now()})
		}
		if _, err := tx.Exec(ctx, `UPDATE statements SET updated_at = $2 WHERE id = $1`, id, tx.Now()); err != nil {
			return run, fmt.Errorf("statement: %w", err)
		}
		run.Statements++
		run.Lines += len(lines)
	}
	for len(rows) > 0 {
		part := rows[:min(200, len(rows))]
		rows = rows[len(part):]
		var a store.Args
		values := make([]string, len(part))
		for i, r := range part {
			values[i] = "(" + a.Add(r[0]) + ", " + a.Add(r[1]) + ", " + a.Add(r[2]) + ", " + a.Add(r[3]) + ", " + a.Add(r[4]) + ")"
		}
		if _, err := tx.Exec(ctx, `INSERT INTO statement_lines (statement_id, declaration_id, kind, amount_pence, created_at) VALUES `+strings.Join(values, ", "), a...); err != nil {
			return run, fmt.Errorf("statement lines: %w", err)
		}
	}
	closed, err := closeStatements(ctx, tx)
	if err != nil {
		return run, err
	}
	run.Closed = closed
	return run, tx.Audit(ctx, a, "generate", "statements", m.String(), nil, run)
}

// openStatement returns the statement new lines of month m go on for a
// supplier and programme (domain.OpenStatementFor), making it if need be.
func openStatement(ctx context.Context, tx *store.Tx, supplier, programme int64, m domain.Month) (int64, error) {
	for {
		var id int64
		var state domain.StatementState
		err := tx.Reader().QueryRowContext(ctx, `SELECT id, state FROM statements WHERE supplier_org_id = $1 AND programme_id = $2 AND month = $3`,
			supplier, programme, m.String()).Scan(&id, &state)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("statement: %w", err)
		}
		next, own := domain.OpenStatementFor(m, state)
		if !own {
			m = next
			continue
		}
		if id != 0 {
			return id, nil
		}
		return tx.InsertID(ctx, `INSERT INTO statements (supplier_org_id, programme_id, month, deadline, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6)`, supplier, programme, m.String(), domain.StatementDeadline(m), string(domain.StatementOpen), tx.Now())
	}
}

// closeStatements makes payable every open statement past its deadline,
// with its declarations.
func closeStatements(ctx context.Context, tx *store.Tx) (int, error) {
	open, err := store.Collect(ctx, tx.Reader(), "open statements", scanStatement, `SELECT `+statementColumns+statementFrom+` WHERE `+store.StatusIs("st.state", domain.StatementOpen)+` ORDER BY st.id`)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range open {
		next, err := domain.CloseStatement(s, tx.Today())
		if err != nil {
			continue // still open for declarations
		}
		if err := moveStatement(ctx, tx, s, next); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// moveStatement persists a statement's new state and moves its
// declarations with it (domain.DeclarationAfter).
func moveStatement(ctx context.Context, tx *store.Tx, old, s domain.Statement) error {
	res, err := tx.Exec(ctx, `UPDATE statements SET state = $3, authorised_by = $4, payment_reference = $5, paid_on = $6, updated_at = $7
		WHERE id = $1 AND state = $2`, s.ID, string(old.State), string(s.State), s.AuthorisedBy, s.PaymentReference, s.PaidOn, tx.Now())
	if err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return fmt.Errorf("%w: %w", domain.ErrStatementChanged, store.ErrConflict)
	}
	type moved struct {
		id    int64
		state domain.DeclarationState
		kind  domain.LineKind
	}
	ms, err := store.Collect(ctx, tx.Reader(), "statement declarations", func(sc store.Scanner, m *moved) error { return sc.Scan(&m.id, &m.state, &m.kind) },
		`SELECT d.id, d.state, l.kind FROM statement_lines l JOIN declarations d ON d.id = l.declaration_id WHERE l.statement_id = $1`, s.ID)
	if err != nil {
		return err
	}
	// The declarations moving to each state, in one UPDATE each (of up to
	// 500 ids) rather than one a declaration.
	byState := map[domain.DeclarationState][]int64{}
	for _, m := range ms {
		if to := domain.DeclarationAfter(m.state, m.kind, s.State); to != m.state {
			byState[to] = append(byState[to], m.id)
		}
	}
	for _, to := range domain.DeclarationStates {
		ids := byState[to]
		for len(ids) > 0 {
			part := ids[:min(500, len(ids))]
			ids = ids[len(part):]
			var a store.Args
			set := `UPDATE declarations SET state = ` + a.Add(string(to)) + `, updated_at = ` + a.Add(tx.Now()) + ` WHERE id IN (`
			in := make([]string, len(part))
			for i, id := range part {
				in[i] = a.Add(id)
			}
			if _, err := tx.Exec(ctx, set+strings.Join(in, ", ")+`)`, a...); err != nil {
				return fmt.Errorf("declaration: %w", err)
			}
		}
	}
	return nil
}

// AuthoriseStatement records the programme team's approval of a payable
// statement.
func AuthoriseStatement(ctx context.Context, tx *store.Tx, a domain.Actor, id int64) (domain.Statement, error) {
	s, err := Statement(ctx, tx.Reader(), policy.Scope{Kind: policy.National}, id)
	if err != nil {
		return s, err
	}
	n, err := domain.AuthoriseStatement(s, a.Label)
	if err != nil {
		return s, err
	}
	if err := moveStatement(ctx, tx, s, n); err != nil {
		return s, err
	}
	return n, tx.Audit(ctx, a, "authorise", "statement", fmt.Sprint(id), map[string]any{"state": s.State}, map[string]any{"state": n.State, "total_pence": n.Total})
}

// PayStatement records that an authorised statement was paid.
func PayStatement(ctx context.Context, tx *store.Tx, a domain.Actor, id int64, reference string, on domain.Date) (domain.Statement, error) {
	s, err := Statement(ctx, tx.Reader(), policy.Scope{Kind: policy.National}, id)
	if err != nil {
		return s, err
	}
	n, err := domain.PayStatement(s, reference, on, tx.Today())
	if err != nil {
		return s, err
	}
	if err := moveStatement(ctx, tx, s, n); err != nil {
		return s, err
	}
	return n, tx.Audit(ctx, a, "pay", "statement", fmt.Sprint(id), map[string]any{"state": s.State},
		map[string]any{"state": n.State, "payment_reference": n.PaymentReference, "paid_on": n.PaidOn, "total_pence": n.Total})
}

// Statement returns one statement in scope.
func Statement(ctx context.Context, q store.Querier, scope policy.Scope, id int64) (domain.Statement, error) {
	var s domain.Statement
	var a store.Args
	where, ok := moneyScope(&a, scope, "st.supplier_org_id")
	if !ok {
		return s, store.ErrNotFound
	}
	err := scanStatement(q.QueryRowContext(ctx, `SELECT `+statementColumns+statementFrom+` WHERE `+where+` AND st.id = `+a.Add(id), a...), &s)
	return s, store.NotFound(err, "statement")
}

// StatementFilter narrows a list of statements.
type StatementFilter struct {
	SupplierOrgID int64
	State         domain.StatementState
	UpdatedSince  time.Time
}

// Statements lists statements in scope, newest month first.
func Statements(ctx context.Context, q store.Querier, scope policy.Scope, f StatementFilter) ([]domain.Statement, error) {
	var a store.Args
	where, ok := moneyScope(&a, scope, "st.supplier_org_id")
	if !ok {
		return nil, nil
	}
	if f.SupplierOrgID != 0 {
		where += " AND st.supplier_org_id = " + a.Add(f.SupplierOrgID)
	}
	if f.State != "" {
		where += " AND st.state = " + a.Add(string(f.State))
	}
	order := "st.month DESC, o.name, st.id"
	if !f.UpdatedSince.IsZero() {
		where += " AND st.updated_at >= " + a.Add(f.UpdatedSince.UTC())
		order = "st.updated_at, st.id"
	}
	return store.Collect(ctx, q, "list statements", scanStatement, `SELECT `+statementColumns+statementFrom+` WHERE `+where+` ORDER BY `+order, a...)
}

// StatementLines lists a statement's lines; the caller has loaded the
// statement in scope.
func StatementLines(ctx context.Context, q store.Querier, id int64) ([]domain.StatementLine, error) {
	return store.Collect(ctx, q, "statement lines", func(sc store.Scanner, l *domain.StatementLine) error {
		return sc.Scan(&l.ID, &l.StatementID, &l.DeclarationID, &l.Kind, &l.Amount, store.NullTime(&l.CreatedAt), &l.Milestone, &l.DeclaredOn, &l.LearnerName, &l.ULN)
	}, `SELECT l.id, l.statement_id, l.declaration_id, l.kind, l.amount_pence, l.created_at, d.milestone, d.declared_on,
		p.given_name || ' ' || p.family_name, ap.uln
		FROM statement_lines l JOIN declarations d ON d.id = l.declaration_id JOIN practitioners p ON p.id = d.practitioner_id
		JOIN applications ap ON ap.id = d.application_id WHERE l.statement_id = $1 ORDER BY l.id`, id)
}

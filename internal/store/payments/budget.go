package payments

import (
	"context"
	"fmt"

	"senco/internal/domain"
	"senco/internal/store"
)

// AreaMoney is what a programme approved and paid for one local authority:
// suppliers' fees for its learners and cover for its settings.
type AreaMoney struct {
	LACode, LAName, RegionCode, RegionName string
	Approved, Paid                         domain.Money
}

// Budget is where a programme's money stands (domain.Budget), with the
// approved and paid money by authority.
func Budget(ctx context.Context, db *store.DB, programmeID int64) (domain.Budget, []AreaMoney, error) {
	var b domain.Budget
	p, err := db.Programme(ctx, programmeID)
	if err != nil {
		return b, nil, err
	}
	b.Budget, b.Target = p.Rules.Budget, p.TargetCompletions
	var value domain.Money
	if err := db.Reader().QueryRowContext(ctx, `SELECT COALESCE(SUM(allocated_places), 0),
		COALESCE(SUM(allocated_places * (price_started + price_retained + price_completed)), 0)
		FROM contracts WHERE programme_id = $1 AND superseded_by IS NULL`, programmeID).Scan(&b.Places, &value); err != nil {
		return b, nil, fmt.Errorf("budget: %w", err)
	}
	if b.Places > 0 {
		b.FullPrice = value / domain.Money(b.Places)
	}
	paidDecl := []domain.DeclarationState{domain.DeclarationPaid, domain.DeclarationAwaitingClawback}
	approvedDecl := []domain.DeclarationState{domain.DeclarationEligible, domain.DeclarationPayable}
	pendingClaim := []domain.ClaimState{domain.ClaimSubmitted, domain.ClaimVerified}
	approvedClaim := []domain.ClaimState{domain.ClaimApproved, domain.ClaimBatched, domain.ClaimNotPaid}
	var earned, pending domain.Money
	if err := db.Reader().QueryRowContext(ctx, `SELECT
		COALESCE((SELECT SUM(amount_pence) FROM declarations d WHERE d.programme_id = $1 AND `+store.StatusIn("d.state", domain.LiveDeclarations)+`), 0),
		COALESCE((SELECT SUM(amount_pence) FROM declarations d WHERE d.programme_id = $1 AND `+store.StatusIn("d.state", approvedDecl)+`), 0)
		+ COALESCE((SELECT SUM(amount_pence) FROM backfill_claims bc WHERE bc.programme_id = $1 AND `+store.StatusIn("bc.state", approvedClaim)+`), 0),
		COALESCE((SELECT SUM(amount_pence) FROM declarations d WHERE d.programme_id = $1 AND `+store.StatusIn("d.state", paidDecl)+`), 0)
		+ COALESCE((SELECT SUM(amount_pence) FROM backfill_claims bc WHERE bc.programme_id = $1 AND `+store.StatusIs("bc.state", domain.ClaimPaid)+`), 0),
		COALESCE((SELECT SUM(amount_pence) FROM backfill_claims bc WHERE bc.programme_id = $1 AND `+store.StatusIn("bc.state", pendingClaim)+`), 0)`,
		programmeID).Scan(&earned, &b.Approved, &b.Paid, &pending); err != nil {
		return b, nil, fmt.Errorf("budget: %w", err)
	}
	// Committed: the contracts' fees not yet earned by a declaration, and
	// cover claimed but not yet approved.
	b.Committed = max(0, value-earned) + pending
	areas, err := store.Collect(ctx, db.Reader(), "budget by authority", func(sc store.Scanner, m *AreaMoney) error {
		return sc.Scan(&m.LACode, &m.LAName, &m.RegionCode, &m.RegionName, &m.Approved, &m.Paid)
	}, `SELECT la.code, la.name, la.region_code, la.region_name, SUM(x.approved), SUM(x.paid) FROM (
		SELECT ap.la_code AS la, CASE WHEN `+store.StatusIn("d.state", approvedDecl)+` THEN d.amount_pence ELSE 0 END AS approved,
			CASE WHEN `+store.StatusIn("d.state", paidDecl)+` THEN d.amount_pence ELSE 0 END AS paid
			FROM declarations d JOIN applications ap ON ap.id = d.application_id WHERE d.programme_id = $1
		UNION ALL
		SELECT s.la_code, CASE WHEN `+store.StatusIn("bc.state", approvedClaim)+` THEN bc.amount_pence ELSE 0 END,
			CASE WHEN `+store.StatusIs("bc.state", domain.ClaimPaid)+` THEN bc.amount_pence ELSE 0 END
			FROM backfill_claims bc JOIN settings s ON s.urn = bc.setting_urn WHERE bc.programme_id = $1
		) x JOIN local_authorities la ON la.code = x.la
		GROUP BY la.code, la.name, la.region_code, la.region_name
		HAVING SUM(x.approved) + SUM(x.paid) > 0
		ORDER BY la.region_name, la.name`, programmeID)
	return b, areas, err
}

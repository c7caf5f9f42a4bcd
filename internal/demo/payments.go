package demo

import (
	"fmt"
	"slices"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// payments: each supplier declares its learners' milestones as they reach
// them — started a week after the first session, retained once half the
// sessions are held, completed after the training completes — and the
// programme team runs the statements month by month. All but the last
// closed statement are authorised and paid; one paid declaration is found
// wrong and clawed back on the open statement. Declarations the records
// do not support are refused, as they would be for a supplier.
func (d *delivery) payments() error {
	for _, c := range d.cohorts {
		if len(c.sessions) == 0 {
			continue
		}
		supplier := d.supplierAdmin(c.plan.supplier)
		scope := policy.Scope{Kind: policy.Org, OrgID: d.suppliers[c.plan.supplier].ID}
		half := c.sessions[(len(c.sessions)-1)/2].Date
		for _, a := range c.learners {
			app, err := d.app(a)
			if err != nil {
				return err
			}
			claims := []struct {
				m  domain.Milestone
				on domain.Date
			}{
				{domain.MilestoneStarted, c.sessions[0].Date.AddDays(7)},
				{domain.MilestoneRetained, half.AddDays(3)},
				{domain.MilestoneCompleted, later(app.CertifiedOn, app.LeftTrainingOn).AddDays(10)},
			}
			for _, claim := range claims {
				if !claim.on.Before(d.today) || claim.on.Before(c.sessions[0].Date) {
					continue
				}
				if _, _, err := d.tx.Declare(d.ctx, supplier, scope, app.ID, claim.m, claim.on); err != nil {
					if _, refused := domain.IsRefusal(err); refused {
						continue
					}
					return fmt.Errorf("declare %s for application %d: %w", claim.m, app.ID, err)
				}
			}
		}
	}
	team := d.programmeTeam()
	now := domain.MonthOf(d.today)
	for m := domain.MonthOf(d.prog.OpensOn); !now.Before(m); m = m.Next() {
		if _, err := d.tx.GenerateStatements(d.ctx, team, m); err != nil {
			return fmt.Errorf("statements for %s: %w", m, err)
		}
	}
	payable, err := d.tx.Statements(d.ctx, d.all, store.StatementFilter{State: domain.StatementPayable})
	if err != nil {
		return err
	}
	// Each supplier's newest closed statement stays payable (the list is
	// newest first); the older ones are paid.
	newest := map[int64]bool{}
	var older []domain.Statement
	for _, s := range payable {
		if !newest[s.SupplierOrgID] {
			newest[s.SupplierOrgID] = true
			continue
		}
		older = append(older, s)
	}
	var clawback *domain.Declaration
	for _, s := range slices.Backward(older) {
		if _, err := d.tx.AuthoriseStatement(d.ctx, team, s.ID); err != nil {
			return err
		}
		paidOn := domain.StatementDeadline(s.Month).AddDays(5)
		if _, err := d.tx.PayStatement(d.ctx, team, s.ID, fmt.Sprintf("BACS-%s-%03d", s.Month, s.SupplierOrgID), paidOn); err != nil {
			return err
		}
	}
	paid, err := d.tx.Declarations(d.ctx, d.all, store.DeclarationFilter{State: domain.DeclarationPaid, Milestone: domain.MilestoneRetained, PageSize: 1000})
	if err != nil {
		return err
	}
	if len(paid.Declarations) > 0 {
		clawback = &paid.Declarations[len(paid.Declarations)/2]
		supplier := domain.Actor{OrgID: clawback.SupplierOrgID, Label: "supplier (demo)"}
		for i, s := range d.suppliers {
			if s.ID == clawback.SupplierOrgID {
				supplier = d.supplierAdmin(i)
			}
		}
		if _, err := d.tx.VoidDeclaration(d.ctx, supplier, policy.Scope{Kind: policy.Org, OrgID: clawback.SupplierOrgID}, clawback.ID,
			"The register was marked against the wrong learner for two sessions; attendance did not reach the retained share"); err != nil {
			return err
		}
		if _, err := d.tx.GenerateStatements(d.ctx, team, now); err != nil {
			return err
		}
	}
	return nil
}

package demo

import (
	"fmt"
	"slices"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store/payments"
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
				if _, _, err := payments.Declare(d.ctx, d.tx, supplier, scope, app.ID, claim.m, claim.on); err != nil {
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
		if _, err := payments.GenerateStatements(d.ctx, d.tx, team, m); err != nil {
			return fmt.Errorf("statements for %s: %w", m, err)
		}
	}
	payable, err := payments.Statements(d.ctx, d.tx.Reader(), d.all, payments.StatementFilter{State: domain.StatementPayable})
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
		if _, err := payments.AuthoriseStatement(d.ctx, d.tx, team, s.ID); err != nil {
			return err
		}
		paidOn := domain.StatementDeadline(s.Month).AddDays(5)
		if _, err := payments.PayStatement(d.ctx, d.tx, team, s.ID, fmt.Sprintf("BACS-%s-%03d", s.Month, s.SupplierOrgID), paidOn); err != nil {
			return err
		}
	}
	paid, err := payments.Declarations(d.ctx, d.tx.Reader(), d.all, payments.DeclarationFilter{State: domain.DeclarationPaid, Milestone: domain.MilestoneRetained, PageSize: 1000})
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
		if _, err := payments.VoidDeclaration(d.ctx, d.tx, supplier, policy.Scope{Kind: policy.Org, OrgID: clawback.SupplierOrgID}, clawback.ID,
			"The register was marked against the wrong learner for two sessions; attendance did not reach the retained share"); err != nil {
			return err
		}
		if _, err := payments.GenerateStatements(d.ctx, d.tx, team, now); err != nil {
			return err
		}
	}
	return nil
}

// claims: settings claim cover for their learners' recent sessions (those
// still inside the claim window), and the claims are taken through every
// state — submitted, verified, approved, in a batch sent to finance, paid,
// not paid, rejected by the supplier, clawed back — the demo nurseries'
// own first, so their managers see each.
func (d *delivery) claims() error {
	team := d.programmeTeam()
	own := map[string]bool{}
	for _, key := range []string{"nursery", "nursery2"} {
		if u, ok := d.users[key+"/"+string(domain.RoleSettingManager)]; ok {
			own[u.Org.SettingURN] = true
		}
	}
	var apps []*dApp
	for _, a := range d.apps {
		if a.cohort != nil && a.status.In(domain.Training) {
			apps = append(apps, a)
		}
	}
	slices.SortStableFunc(apps, func(a, b *dApp) int {
		switch {
		case own[a.urn] && !own[b.urn]:
			return -1
		case own[b.urn] && !own[a.urn]:
			return 1
		}
		return 0
	})
	type made struct {
		id   int64
		fate int
		sup  int
	}
	var claims []made
	for _, a := range apps {
		scope := policy.Scope{Kind: policy.Setting, SettingURN: a.urn}
		manager := domain.Actor{Label: "manager of " + a.urn + " (demo)"}
		form, err := payments.LoadClaimForm(d.ctx, d.tx.Reader(), scope, a.id, d.tx.Today())
		if err != nil {
			return err
		}
		if len(form.Claimable) == 0 {
			continue
		}
		if err := payments.AcceptConditions(d.ctx, d.tx, manager, a.urn, d.prog.ID); err != nil {
			return err
		}
		var ids []int64
		for _, s := range form.Claimable {
			ids = append(ids, s.SessionID)
		}
		c, err := payments.SubmitClaim(d.ctx, d.tx, manager, scope, a.id, ids)
		if err != nil {
			if _, refused := domain.IsRefusal(err); refused {
				continue
			}
			return fmt.Errorf("claim for application %d: %w", a.id, err)
		}
		claims = append(claims, made{c.ID, len(claims) % 8, a.cohort.plan.supplier})
	}
	// Fates: 0 submitted, 1 verified, 2 approved, 3 in a sent batch, 4 paid,
	// 5 not paid, 6 rejected by the supplier, 7 paid then clawed back.
	for _, c := range claims {
		if c.fate == 0 {
			continue
		}
		scope := policy.Scope{Kind: policy.Org, OrgID: d.suppliers[c.sup].ID}
		if _, err := payments.VerifyClaim(d.ctx, d.tx, d.supplierAdmin(c.sup), scope, c.id, c.fate != 6, "Our register does not show the practitioner at two of the sessions claimed"); err != nil {
			return err
		}
	}
	approve := func(fates ...int) error {
		for _, c := range claims {
			if slices.Contains(fates, c.fate) {
				if _, err := payments.ApproveClaim(d.ctx, d.tx, team, c.id, true, ""); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := approve(4, 5, 7); err != nil {
		return err
	}
	if n := slices.IndexFunc(claims, func(c made) bool { return c.fate >= 4 && c.fate != 6 }); n < 0 {
		return nil
	}
	b, err := payments.CreateBatch(d.ctx, d.tx, team)
	if err != nil {
		return err
	}
	page, err := payments.Claims(d.ctx, d.tx.Reader(), d.all, payments.ClaimFilter{BatchID: b.ID, PageSize: 1000})
	if err != nil {
		return err
	}
	fate := map[int64]int{}
	for _, c := range claims {
		fate[c.id] = c.fate
	}
	var rows []domain.BatchResponse
	for i, c := range page.Claims {
		r := domain.BatchResponse{Row: i + 2, ClaimID: c.ID, Amount: c.Amount, Outcome: domain.OutcomePaid, Reference: fmt.Sprintf("FIN-%06d", 400000+c.ID)}
		if fate[c.ID] == 5 {
			r.Outcome, r.Reference, r.Reason = domain.OutcomeNotPaid, "", "The setting's bank details did not match the account holder"
		}
		rows = append(rows, r)
	}
	if _, err := payments.ReconcileBatch(d.ctx, d.tx, team, b.ID, rows); err != nil {
		return err
	}
	for _, c := range claims {
		if c.fate == 7 {
			if _, err := payments.ClawBackClaim(d.ctx, d.tx, team, c.id, "The setting's rota shows no cover was arranged for these sessions"); err != nil {
				return err
			}
		}
	}
	if err := approve(3); err != nil {
		return err
	}
	if slices.ContainsFunc(claims, func(c made) bool { return c.fate == 3 }) {
		if _, err := payments.CreateBatch(d.ctx, d.tx, team); err != nil {
			return err
		}
	}
	return approve(2)
}

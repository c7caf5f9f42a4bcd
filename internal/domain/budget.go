package domain

import "fmt"

// Budget is where a programme's money stands: committed (contracted fees
// not yet earned, and claims of cover not yet approved), approved (earned
// and approved, not yet paid) and paid (net of clawbacks).
type Budget struct {
	Budget    Money
	Committed Money
	Approved  Money
	Paid      Money
	// Places is what the contracts in force allocate; Target the
	// completions the programme must reach; FullPrice the average fee of
	// one learner through every milestone under those contracts.
	Places    int
	Target    int
	FullPrice Money
}

// Spent is what the programme has paid or approved.
func (b Budget) Spent() Money { return b.Approved + b.Paid }

// Left is the budget not yet committed, approved or paid.
func (b Budget) Left() Money { return b.Budget - b.Committed - b.Approved - b.Paid }

// BudgetWarnings are what the programme team must hear: the contracts
// cannot reach the target, or the money cannot.
func BudgetWarnings(b Budget) []string {
	var out []string
	if b.Target > 0 && b.Places < b.Target {
		out = append(out, fmt.Sprintf("The contracts in force allocate %s places, fewer than the target of %s completions: contract more places or lower the target",
			groupThousands(int64(b.Places)), groupThousands(int64(b.Target))))
	}
	if b.Budget > 0 && b.Left() < 0 {
		out = append(out, fmt.Sprintf("Commitments, approvals and payments of %s exceed the budget of %s by %s", (b.Committed+b.Spent()).String(), b.Budget.String(), (-b.Left()).String()))
	}
	if need := b.FullPrice * Money(b.Target); b.Budget > 0 && b.Target > 0 && need > b.Budget {
		out = append(out, fmt.Sprintf("The target of %s completions at %s each needs %s in fees, more than the budget of %s",
			groupThousands(int64(b.Target)), b.FullPrice.String(), need.String(), b.Budget.String()))
	}
	return out
}

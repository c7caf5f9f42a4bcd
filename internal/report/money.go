package report

import (
	"fmt"

	"senco/internal/domain"
)

// StatementTable is a supplier's statement as an export: one row a line,
// with the total as the last row.
func StatementTable(s domain.Statement, lines []domain.StatementLine) Table {
	t := Table{
		Name:  fmt.Sprintf("statement-%s-%d", s.Month, s.SupplierOrgID),
		Title: fmt.Sprintf("%s: statement for %s (%s)", s.SupplierName, s.Month.Long(), s.State.Label()),
		Columns: []Column{{"declaration_id", "Declaration", KindInt}, {"learner", "Learner", KindText}, {"uln", "ULN", KindText},
			{"milestone", "Milestone", KindText}, {"declared_on", "Declared on", KindDate}, {"kind", "Line", KindText}, {"amount", "Amount (£)", KindMoney}},
		Definitions: []Definition{
			{"Payment", "A declaration senco checked against its records, priced from the contract in force"},
			{"Reversal", "A declaration voided before it was paid: it comes off the statement it was on"},
			{"Clawback", "A declaration voided after it was paid: the amount is taken back"},
			{"Total", "The sum of the statement's lines"},
		},
	}
	for _, l := range lines {
		t.Rows = append(t.Rows, []any{int(l.DeclarationID), l.LearnerName, l.ULN, l.Milestone.Label(), l.DeclaredOn, l.Kind.Label(), l.Amount})
	}
	t.Rows = append(t.Rows, []any{nil, "Total", nil, nil, nil, nil, domain.StatementTotal(lines)})
	return t
}

// BatchTable is a payment batch as finance receives it: the columns of the
// response senco takes back (claim_id, amount, outcome, payment_reference,
// reason) first, outcome and the rest left for finance to fill in, then
// what finance needs to pay each claim.
func BatchTable(b domain.Batch, claims []domain.Claim) Table {
	t := Table{
		Name:  fmt.Sprintf("payment-batch-%d", b.ID),
		Title: fmt.Sprintf("Payment batch %d: cover for training (%d claims)", b.ID, len(claims)),
		Columns: []Column{{"claim_id", "claim_id", KindInt}, {"amount", "amount", KindMoney}, {"outcome", "outcome", KindText},
			{"payment_reference", "payment_reference", KindText}, {"reason", "reason", KindText},
			{"setting_urn", "setting_urn", KindText}, {"setting_name", "setting_name", KindText}, {"learner", "learner", KindText},
			{"hours", "hours", KindNumber}, {"rate", "rate_per_hour", KindMoney}},
		Definitions: []Definition{
			{"outcome", "Fill in paid or not_paid for every claim, and upload the file back to senco"},
			{"payment_reference", "The reference of the payment, for a paid claim"},
			{"reason", "Why a claim could not be paid, for a claim not paid"},
		},
	}
	for _, c := range claims {
		t.Rows = append(t.Rows, []any{int(c.ID), c.Amount, "", "", "", c.SettingURN, c.SettingName, c.LearnerName, c.Hours(), c.Rate})
	}
	return t
}

// AreaMoney is the cover money approved and paid in one authority.
type AreaMoney struct {
	LACode, LAName, RegionName string
	Approved, Paid             domain.Money
}

// BudgetTable is where a programme's money stands, as an export: the
// cover approved and paid by authority, with the whole budget's figures in
// its title and a total row that is the sum of the rows.
func BudgetTable(p domain.Programme, b domain.Budget, areas []AreaMoney) Table {
	t := Table{
		Name: fmt.Sprintf("budget-programme-%d", p.ID),
		Title: fmt.Sprintf("%s: budget %s; committed %s; approved, not yet paid %s; paid %s", p.Name,
			b.Budget, b.Committed, b.Approved, b.Paid),
		Columns: []Column{{"la_code", "LA code", KindText}, {"la", "Local authority", KindText}, {"region", "Region", KindText},
			{"approved", "Approved, not yet paid (£)", KindMoney}, {"paid", "Paid (£)", KindMoney}},
		Definitions: []Definition{
			{"Committed", "Contracted fees not yet earned by a declaration, and cover claimed but not yet approved"},
			{"Approved, not yet paid", "Suppliers' fees for the authority's learners on statements not yet paid, and cover for its settings approved but not yet paid"},
			{"Paid", "Suppliers' fees and cover paid, less what was clawed back"},
		},
	}
	var approved, paid domain.Money
	for _, a := range areas {
		t.Rows = append(t.Rows, []any{a.LACode, a.LAName, a.RegionName, a.Approved, a.Paid})
		approved, paid = approved+a.Approved, paid+a.Paid
	}
	t.Rows = append(t.Rows, []any{nil, "All authorities", nil, approved, paid})
	return t
}

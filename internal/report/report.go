// Package report builds senco's management information: coverage of
// qualified SENCOs by England, region and local authority on any date,
// coverage and uptake by deprivation, programme progress with its forecast
// and its suppliers side by side, and the gap list; and exports any of them
// as CSV, XLSX or JSON.
//
// It computes no rule of its own. Eligibility, qualified SENCO, in training
// and coverage are the functions of package domain (DESIGN.md section 4),
// applied in the store's coverage queries, which are tested against them;
// progress and the forecast are domain.ComputeProgress and domain.Forecast.
// This package adds up, arranges and writes out what those give, so the
// dashboards, exports, CLI and API show the same figure to the unit.
package report

import "senco/internal/domain"

// Definition is one term every figure is counted by, in words.
type Definition struct{ Term, Meaning string }

// Definitions are the definitions every figure in senco uses — on the
// dashboards, in exports, from the CLI and the API — worded from the rules
// of DESIGN.md section 4 as package domain implements them.
func Definitions() []Definition {
	return []Definition{
		{"These definitions", "Every figure senco shows — on its pages, in CSV and XLSX downloads, from the command line and the API — " +
			"is counted by the definitions below, each implemented once and used everywhere, so the same question gets the same answer to the unit. " +
			"Figures are as at the date stated: a different date can give different figures."},
		{"Eligible setting", "A setting counts on a date when it was registered on or before that date and had not closed on or before it, " +
			"is on the Early Years Register, is a childminder, childcare on non-domestic premises or childcare on domestic premises, and is in England. " +
			"Home childcarers (not on the Early Years Register) and maintained nursery schools (whose SENCO must hold QTS) are not counted."},
		{"Qualified SENCO", "A setting has a qualified SENCO on a date when someone whose employment there (in any role) covers that date holds, " +
			"certified on or before that date and not revoked, a SENCO qualification at level 3 or above, or an equivalent recorded as recognised. " +
			"A SENCO who leaves stops counting for the setting on the day their employment ends and counts for the setting they join from their first day there; " +
			"someone employed at two settings at once counts for both. Whether that person is also the setting's designated SENCO is reported beside it."},
		{"Coverage", "Eligible settings in the area with at least one qualified SENCO on the date, divided by eligible settings in the area on the date: " +
			"a fraction from 0 to 1 (shown as a percentage on pages and in spreadsheets). An area with no eligible settings has coverage 0."},
		{"In training", "An eligible setting is in training on a date when someone employed there on that date has an active enrolment on training: " +
			"placed on a cohort on or before the date and not yet completed, withdrawn or deferred. In-training coverage is those settings divided by eligible settings."},
		{"Gap", "Eligible settings with no qualified SENCO and no one in training on the date: the settings an Area SENCO works with first."},
		{"Group settings and childminders", "Coverage is reported for group settings (childcare on non-domestic premises and childcare on domestic premises) " +
			"and for childminders separately, and for both together. Group settings are expected to name a SENCO; childminders are encouraged to."},
		{"Local authority, not recorded, ended authorities", "Settings are counted under the local authority Ofsted's register files them under. " +
			"Settings whose authority Ofsted did not record count in England's figures and appear as their own \"not recorded\" row, never dropped. " +
			"Settings still filed under an authority that has since ended (such as Cumbria in the 2021 register) appear under it, marked as ended, " +
			"until a newer release of the register moves them. The authority rows add up to their regions and to England."},
		{"Programme progress", "A programme's applications by where they are now: applied, eligible (ever judged eligible), ineligible, enrolled (ever placed on a cohort), " +
			"in training (enrolled or in training now), completed training, certified, withdrawn (by reason) and deferred, against the programme's target."},
		{"Completions", "The distinct practitioners certified under the programme: the figure the target is measured against. " +
			"\"Completed training\" counts the distinct practitioners who completed their training, certified or not."},
		{"Forecast", "Expected completions by month from the cohorts still in flight: each cohort's active learners (enrolled or in training), times the completion rate observed so far " +
			"(learners completed ÷ learners completed or withdrawn after enrolment, over every cohort of the programme), in the month the cohort ends. " +
			"Before any learner has finished, the rate is taken as 1, and the forecast says so. It is an expectation from what has happened, not a promise."},
		{"Supplier performance", "For each supplier: places allocated (its contract in force), places filled (learners ever enrolled on its cohorts), " +
			"retention (1 − learners withdrawn after enrolment ÷ learners ever enrolled) and completion, the completion rate the forecast uses " +
			"(learners who completed training ÷ learners who completed or withdrew after enrolment), not shown before any of its learners has finished."},
		{"Deprivation (IMD 2019)", "The English Indices of Deprivation 2019 for upper-tier local authorities (MHCLG). Authorities are ranked by the rank of their average score " +
			"and cut into ten deciles: decile 1 is the most deprived tenth of authorities. Where an authority has been reorganised since 2019, " +
			"the figure of the authority it was part of is used, and said to be so."},
	}
}

// Column is one column of a table: its key (for JSON and code), its title
// (for people) and its kind: "text", "int", "percent" (a fraction 0–1),
// "number" (a decimal) or "date".
type Column struct{ Key, Title, Kind string }

// Column kinds.
const (
	KindText    = "text"
	KindInt     = "int"
	KindPercent = "percent"
	KindNumber  = "number"
	KindDate    = "date"
	// KindMoney is an amount (domain.Money, integer pence): pounds with two
	// decimals in CSV, a number formatted in pounds in XLSX, pence in JSON.
	KindMoney = "money"
)

// Table is a report ready to export. Each row has one cell per column: a
// string for text, an int for int, a float64 for percent (a fraction) and
// number, a domain.Date for date (the zero Date is blank), or nil for a
// blank cell of any kind.
type Table struct {
	Name, Title string
	AsAt        domain.Date
	Columns     []Column
	Rows        [][]any
	Definitions []Definition
}

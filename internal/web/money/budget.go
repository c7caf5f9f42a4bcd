package money

import (
	"net/http"
	"strconv"

	"senco/internal/domain"
	"senco/internal/report"
	"senco/internal/store/payments"
	"senco/internal/web/page"
)

type budgetData struct {
	Programmes []domain.Programme
	Programme  domain.Programme
	Budget     domain.Budget
	Warnings   []string
	Areas      []payments.AreaMoney
}

// Budget shows where a programme's money stands: committed, approved and
// paid against its budget, by authority, with the warnings the programme
// team must hear.
func (s *Handlers) Budget(w http.ResponseWriter, r *http.Request) error {
	progs, err := s.DB.Programmes(r.Context())
	if err != nil {
		return err
	}
	d := budgetData{Programmes: progs}
	if len(progs) == 0 {
		return s.Render(w, r, "money-budget", "Budget", d)
	}
	d.Programme = progs[0]
	if v := r.URL.Query().Get("programme"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		found := false
		for _, p := range progs {
			if p.ID == id {
				d.Programme, found = p, true
			}
		}
		if !found {
			return page.ErrNotFound
		}
	}
	d.Budget, d.Areas, err = payments.Budget(r.Context(), s.DB, d.Programme.ID)
	if err != nil {
		return err
	}
	if f := r.URL.Query().Get("format"); f != "" {
		return sendTable(w, report.BudgetTable(d.Programme, d.Budget, areaRows(d.Areas)), f)
	}
	d.Warnings = domain.BudgetWarnings(d.Budget)
	return s.Render(w, r, "money-budget", "Budget", d)
}

func areaRows(areas []payments.AreaMoney) []report.AreaMoney {
	out := make([]report.AreaMoney, len(areas))
	for i, a := range areas {
		out[i] = report.AreaMoney{LACode: a.LACode, LAName: a.LAName, RegionName: a.RegionName, Approved: a.Approved, Paid: a.Paid}
	}
	return out
}

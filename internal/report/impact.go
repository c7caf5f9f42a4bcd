package report

import "senco/internal/domain"

// ImpactTable is the programme's impact by area: for England, each region
// and each authority, the change in self-review ratings and in confidence
// of those who trained and those not yet trained, with counts and response
// rates. Withheld cells (fewer than domain.MinCell) are blank, with their
// count blank too, so that no export carries what the page withholds.
func ImpactTable(rows []domain.ImpactRow, asAt domain.Date) Table {
	t := Table{Name: "impact-" + asAt.String(), Title: "Impact of the programme: change in self-review ratings and confidence", AsAt: asAt,
		Columns: []Column{{"area", "Area", KindText}, {"kind", "Kind of area", KindText}, {"code", "Code", KindText}},
		Definitions: []Definition{
			{"What this can and cannot show", domain.ImpactStatement},
			{"Self-review points", "Each item of a setting's SEND self-review scores 0 (area for development), 1 (partly in place) or 2 (secure); the figures are the mean per item in each setting's first and latest review."},
			{"Confidence", "Each of the job role's five areas is rated 1 (not yet confident) to 5 (very confident); the figures are the mean per area in each practitioner's first and latest rating."},
			{"Trained", "A setting from which a practitioner completed training; a practitioner who completed training."},
			{"Response rate", "Self-review: eligible settings with at least one review. Confidence: practitioners holding a place with at least one rating."},
		}}
	for _, m := range []struct{ key, title string }{{"review", "Self-review"}, {"confidence", "Confidence"}} {
		for _, g := range domain.Groups {
			p := m.key + "_" + string(g) + "_"
			label := m.title + ", " + g.Label() + ": "
			t.Columns = append(t.Columns,
				Column{p + "count", label + "with two or more", KindInt},
				Column{p + "first", label + "first (mean)", KindNumber},
				Column{p + "latest", label + "latest (mean)", KindNumber},
				Column{p + "change", label + "change", KindNumber},
				Column{p + "responded", label + "responded", KindInt},
				Column{p + "response_rate", label + "response rate", KindPercent})
		}
	}
	for _, r := range rows {
		row := []any{r.Name, r.Kind, r.Code}
		for _, figs := range []map[domain.Group]domain.ImpactFigure{r.Review, r.Confidence} {
			for _, g := range domain.Groups {
				f := figs[g]
				var rate any
				if f.Of > 0 {
					rate = f.ResponseRate
				}
				if f.Withheld {
					row = append(row, nil, nil, nil, nil, f.Responded, rate)
					continue
				}
				row = append(row, f.Units, f.First, f.Latest, f.Change, f.Responded, rate)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

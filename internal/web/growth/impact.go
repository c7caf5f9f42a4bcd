package growth

import (
	"bytes"
	"mime"
	"net/http"

	"senco/internal/domain"
	"senco/internal/report"
	"senco/internal/web/page"
)

type impactRow struct {
	Kind, Name string
	Review     map[domain.Group]figure
	Confidence map[domain.Group]figure
}

type areaRow struct {
	Title   string
	Figures map[domain.Group]figure
}

type impactData struct {
	Statement  string
	MinCell    int
	Groups     []domain.Group
	Rows       []impactRow
	ReviewArea []areaRow
	ConfArea   []areaRow
	AsAt       string
}

// impact computes (or reads from the cache) England's figures.
func (s *Handlers) impact(r *http.Request) ([]domain.ImpactRow, map[domain.ImpactKey]domain.ImpactSums, error) {
	im, err := s.Impact.Impact(r.Context(), s.DB, "", s.Today())
	if err != nil {
		return nil, nil, err
	}
	sums := im.Sums()
	return domain.ImpactTable(sums, im.LAs), sums, nil
}

func areaRows(sums map[domain.ImpactKey]domain.ImpactSums, measure string, areas []domain.JobRoleArea) []areaRow {
	var out []areaRow
	for _, a := range domain.ImpactByArea(sums, measure, areas) {
		row := areaRow{Title: a.Title, Figures: map[domain.Group]figure{}}
		for g, f := range a.Figures {
			row.Figures[g] = figureOf(f)
		}
		out = append(out, row)
	}
	return out
}

// Impact is the programme team's page: before and after, trained and not
// yet trained, for England, each region and authority, with what the
// comparison can and cannot show. Every figure is of at least five.
func (s *Handlers) ImpactPage(w http.ResponseWriter, r *http.Request) error {
	rows, sums, err := s.impact(r)
	if err != nil {
		return err
	}
	d := impactData{Statement: domain.ImpactStatement, MinCell: domain.MinCell, Groups: domain.Groups, AsAt: s.Today().Long()}
	for _, row := range rows {
		ir := impactRow{Kind: row.Kind, Name: row.Name, Review: map[domain.Group]figure{}, Confidence: map[domain.Group]figure{}}
		for _, g := range domain.Groups {
			ir.Review[g], ir.Confidence[g] = figureOf(row.Review[g]), figureOf(row.Confidence[g])
		}
		d.Rows = append(d.Rows, ir)
	}
	var reviewAreas []domain.JobRoleArea
	for _, a := range s.current().Areas {
		reviewAreas = append(reviewAreas, domain.JobRoleArea{Code: a.Code, Title: a.Title})
	}
	// Per-area figures cover England whole; sums are keyed per authority.
	d.ReviewArea = areaRows(sums, domain.MeasureReview, reviewAreas)
	d.ConfArea = areaRows(sums, domain.MeasureConfidence, domain.JobRoleAreas)
	return s.Render(w, r, "growth-impact", "Impact of the programme", d)
}

// ImpactExport downloads the impact table as CSV or XLSX.
func (s *Handlers) ImpactExport(w http.ResponseWriter, r *http.Request) error {
	rows, _, err := s.impact(r)
	if err != nil {
		return err
	}
	t := report.ImpactTable(rows, s.Today())
	var buf bytes.Buffer
	var ctype, ext string
	switch r.PathValue("format") {
	case "csv":
		ctype, ext = "text/csv; charset=utf-8", ".csv"
		err = report.WriteCSV(&buf, t)
	case "xlsx":
		ctype, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"
		err = report.WriteXLSX(&buf, t)
	default:
		return page.ErrNotFound
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": t.Name + ext}))
	h.Set("Cache-Control", "no-store")
	_, err = buf.WriteTo(w)
	return err
}

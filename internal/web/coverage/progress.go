package coverage

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/web/page"
)

// covFunnelRow is one stage of a programme's progress.
type covFunnelRow struct {
	Stage, Hint string
	Count       covCell
}

type covReasonRow struct {
	Reason string
	Count  string
}

type covForecastRow struct{ Month, Expected string }

type covSupplierRow struct {
	Name                                        string
	Allocated, Filled, Retention, Completion    string
	InTraining, Completed, Certified, Withdrawn string
	Deferred                                    string
}

type covProgressData struct {
	Date             covAsAt
	Query            url.Values
	Programme        domain.Programme
	Shown            bool
	National         bool
	Supplier         bool
	Report           report.ProgressReport
	TargetSentence   string
	ProgressChart    template.HTML
	Funnel           []covFunnelRow
	Reasons          []covReasonRow
	Forecast         []covForecastRow
	ForecastTotal    string
	ForecastSentence string
	ForecastChart    template.HTML
	Suppliers        []covSupplierRow
	SupplierCaption  string
	Retention        string
	Completion       string
	Downloads        map[string]covDownloads
	AppsHref         string
	Definitions      []report.Definition
	page.Form
}

func (s *Handlers) Progress(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	scope := policy.Delivery(u)
	id, err := page.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	prog, err := s.DB.Programme(ctx, id)
	if err != nil {
		return err
	}
	d := covProgressData{Programme: prog, National: scope.Kind == policy.National, Supplier: scope.Kind == policy.Org || scope.Kind == policy.Staffed}
	d.Date = s.covReadAsAt(r, &d.Form)
	title := prog.Name + ": progress"
	if !d.Valid() {
		return s.RenderForm(w, r, "coverage-progress", title, d)
	}
	asAt := d.Date.AsAt
	rep, err := report.BuildProgress(ctx, s.DB, scope, id, asAt)
	if errors.Is(err, report.ErrPastProgress) {
		d.Fail(covAsAtField, "Programme progress is counted as it stands today, so the date must be today or later")
		return s.RenderForm(w, r, "coverage-progress", title, d)
	}
	if err != nil {
		return err
	}
	if covWantsDownload(r) {
		switch r.URL.Query().Get("table") {
		case "progress":
			return s.covDownload(w, r, rep.Table(), "programme-"+page.Itoa(id))
		case "forecast":
			return s.covDownload(w, r, rep.ForecastTable(), "programme-"+page.Itoa(id))
		}
		return page.ErrNotFound
	}
	// The completion rate the forecast used, as the counts it came from.
	flights, err := s.DB.CohortFlights(ctx, scope, id)
	if err != nil {
		return err
	}
	completed, finished := 0, 0
	for _, f := range flights {
		completed += f.Completed
		finished += f.Completed + f.Withdrawn
	}

	d.Report, d.Shown, d.Definitions = rep, true, covDefinitions()
	d.Query = covQuery(r, asAt)
	path := "/coverage/programmes/" + page.Itoa(id)
	d.Downloads = map[string]covDownloads{
		"progress": covDownloadLinks(path, d.Query, "progress", "progress and suppliers"),
		"forecast": covDownloadLinks(path, d.Query, "forecast", "forecast"),
	}
	apps := func(status string) string {
		q := url.Values{"programme": {page.Itoa(id)}}
		if status != "" {
			q.Set("status", status)
		}
		return "/applications?" + q.Encode()
	}
	d.AppsHref = apps("")
	p := rep.Progress
	d.TargetSentence = covTargetSentence(rep, d.National)
	if p.Target > 0 && d.National {
		chart := covBarChart("target-chart", "Completions against the target, as at "+asAt.Long(),
			fmt.Sprintf("%s of the target of %s completions: %s.", page.Count(p.Certified), page.Count(p.Target), page.Percent(p.TargetShare())),
			[]covChartItem{{Label: "Completions", Value: page.Count(p.Certified) + " of " + page.Count(p.Target) + " (" + page.Percent(p.TargetShare()) + ")", Fraction: p.TargetShare()}},
			func(f float64) string { return page.Count(int(f * float64(p.Target))) }, 200, true)
		if d.ProgressChart, err = chart.HTML(); err != nil {
			return err
		}
	}
	cell := func(n int, status string) covCell {
		c := covCell{Text: page.Count(n), Numeric: true}
		if status != "-" {
			c.Href = apps(status)
		}
		return c
	}
	d.Funnel = []covFunnelRow{
		{"Applications", "every application to the programme", cell(p.Applications, "")},
		{"Eligible", "ever judged eligible, enrolled and beyond included", cell(p.Eligible, "-")},
		{"Ineligible", "", cell(p.Ineligible, string(domain.StatusIneligible))},
		{"Awaiting manual review", "", cell(p.ManualReview, "manual_review")},
		{"Enrolled", "ever placed on a cohort", cell(p.Enrolled, "-")},
		{"In training", "enrolled or in training now", cell(p.InTraining, "-")},
		{"Completed training", "distinct practitioners, certified or not", cell(p.CompletedTraining, "-")},
		{"Certified", "distinct practitioners: the completions the target counts", cell(p.Certified, string(domain.StatusCertified))},
		{"Withdrawn", "", cell(p.Withdrawn, string(domain.StatusWithdrawn))},
		{"Deferred", "", cell(p.Deferred, string(domain.StatusDeferred))},
	}
	for _, reason := range domain.WithdrawalReasons {
		d.Reasons = append(d.Reasons, covReasonRow{Reason: reason.Label(), Count: page.Count(p.WithdrawnBy[reason])})
	}
	d.Retention, d.Completion = page.Percent(rep.Retention), page.Percent(rep.Completion)

	// The forecast, its rate stated as what was observed.
	var total float64
	var items []covChartItem
	var descs []string
	peak := 0.0
	for _, m := range rep.Forecast {
		peak = max(peak, m.Expected)
	}
	for _, m := range rep.Forecast {
		month := m.Month.Time().Format("January 2006")
		d.Forecast = append(d.Forecast, covForecastRow{Month: month, Expected: page.Decimal(m.Expected)})
		total += m.Expected
		f := 0.0
		if peak > 0 {
			f = m.Expected / peak
		}
		items = append(items, covChartItem{Label: month, Value: page.Decimal(m.Expected), Fraction: f})
		descs = append(descs, month+" "+page.Decimal(m.Expected))
	}
	d.ForecastTotal = page.Decimal(total)
	if rep.ForecastRateObserved {
		d.ForecastSentence = fmt.Sprintf("Based on the completion rate observed so far: %s (%s completed of %s who finished).",
			page.Percent(rep.ForecastRate), page.Count(completed), page.Count(finished))
	} else {
		d.ForecastSentence = "No learner has finished yet, so the forecast takes the completion rate as 100%: every learner now in training is expected to complete."
	}
	if len(items) > 0 {
		chart := covBarChart("forecast-chart", "Expected completions by month, as at "+asAt.Long(),
			"Bar chart. "+strings.Join(descs, "; ")+". "+d.ForecastSentence, items,
			func(f float64) string { return page.Decimal(f * peak) }, 70, false)
		if d.ForecastChart, err = chart.HTML(); err != nil {
			return err
		}
	}

	d.SupplierCaption = "Suppliers side by side"
	if d.Supplier {
		d.SupplierCaption = "Your cohorts"
	}
	for _, sp := range rep.Suppliers {
		d.Suppliers = append(d.Suppliers, covSupplierRow{Name: sp.Name, Allocated: page.Count(sp.Allocated), Filled: page.Count(sp.Filled),
			Retention: page.Percent(sp.Retention), Completion: page.Percent(sp.Completion), InTraining: page.Count(sp.InTraining),
			Completed: page.Count(sp.CompletedTraining), Certified: page.Count(sp.Certified), Withdrawn: page.Count(sp.Withdrawn),
			Deferred: page.Count(sp.Deferred)})
	}
	return s.Render(w, r, "coverage-progress", title, d)
}

// covTargetSentence states completions against the target.
func covTargetSentence(rep report.ProgressReport, national bool) string {
	p := rep.Progress
	who := page.Count(p.Certified) + " practitioners have"
	if p.Certified == 1 {
		who = "1 practitioner has"
	}
	if p.Target == 0 {
		return who + " been certified under this programme. It has no target for completions."
	}
	if !national {
		return fmt.Sprintf("Of the learners you can see, %s been certified under this programme, against its national target of %s completions.", who, page.Count(p.Target))
	}
	s := fmt.Sprintf("%s been certified: %s of the target of %s completions.", who, page.Percent(p.TargetShare()), page.Count(p.Target))
	if left := p.Target - p.Certified; left > 0 {
		s += " " + page.Count(left) + " more are needed to meet it."
	} else {
		s += " The target has been met."
	}
	return s
}

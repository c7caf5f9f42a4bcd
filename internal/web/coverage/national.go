package coverage

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/web/page"
)

// covKindRow is one line of the headline figures: group settings,
// childminders, or both.
type covKindRow struct {
	ID, Kind                             string
	Eligible, Qualified, InTraining, Gap covCell
	Coverage, TrainingCoverage           template.HTML
	DesignatedOf                         string
}

// covKindRows are an area's headline figures, each count linking to the
// rows behind it (link gives the link for a kind, "group", "childminder"
// or "", and what: "all", "qualified", "training" or "gap"; nil for none).
func covKindRows(a domain.AreaCoverage, link func(kind, what string) string) []covKindRow {
	var out []covKindRow
	for _, k := range []struct {
		name, kind string
		c          domain.Counts
	}{{"Group settings", "group", a.Group}, {"Childminders", "childminder", a.Childminder}, {"All settings", "", a.All()}} {
		cell := func(n int, what string) covCell {
			c := covCell{Text: page.Count(n), Numeric: true}
			if link != nil {
				c.Href, c.Hidden = link(k.kind, what), " "+strings.ToLower(k.name)+" "+covWhat[what]
			}
			return c
		}
		id := k.kind
		if id == "" {
			id = "all"
		}
		out = append(out, covKindRow{ID: "figures-" + id, Kind: k.name,
			Eligible: cell(k.c.Eligible, "all"), Qualified: cell(k.c.Qualified, "qualified"),
			InTraining: cell(k.c.InTraining, "training"), Gap: cell(k.c.Gap, "gap"),
			Coverage: page.PercentOf(k.c.Qualified, k.c.Eligible), TrainingCoverage: page.PercentOf(k.c.InTraining, k.c.Eligible),
			DesignatedOf: page.Count(k.c.Designated)})
	}
	return out
}

// covAreaRow is a region or authority in a coverage table.
type covAreaRow struct {
	ID, Name, Href, Note, Region, IMD    string
	Eligible, Qualified, InTraining, Gap covCell
	CovGroup, CovChildminder, CovAll     template.HTML
	row                                  report.CoverageRow
}

var covLACols = []covCol{
	{"name", "Local authority", false},
	{"region", "Region", false},
	{"eligible", "Eligible settings", true},
	{"qualified", "With a qualified SENCO", true},
	{"training", "With someone in training", true},
	{"gap", "Gap", true},
	{"cov_group", "Coverage: group settings", true},
	{"cov_childminder", "Coverage: childminders", true},
	{"coverage", "Coverage: all", true},
	{"imd", "IMD 2019 decile", false},
}

var covRegionCols = []covCol{
	{"name", "Region", false},
	{"eligible", "Eligible settings", true},
	{"qualified", "With a qualified SENCO", true},
	{"training", "With someone in training", true},
	{"gap", "Gap", true},
	{"cov_group", "Coverage: group settings", true},
	{"cov_childminder", "Coverage: childminders", true},
	{"coverage", "Coverage: all", true},
}

// covSortValue is the value a coverage row sorts by under key.
func covSortValue(key string) func(covAreaRow) (float64, string) {
	return func(r covAreaRow) (float64, string) {
		a := r.row.AreaCoverage
		switch key {
		case "region":
			return 0, r.Region
		case "eligible":
			return float64(a.All().Eligible), ""
		case "qualified":
			return float64(a.All().Qualified), ""
		case "training":
			return float64(a.All().InTraining), ""
		case "gap":
			return float64(a.All().Gap), ""
		case "cov_group":
			return a.Group.Coverage(), ""
		case "cov_childminder":
			return a.Childminder.Coverage(), ""
		case "coverage":
			return a.All().Coverage(), ""
		case "imd":
			if r.row.IMD == nil {
				return 11, ""
			}
			return float64(r.row.IMD.Decile), ""
		}
		return 0, r.Name
	}
}

// covEquityRow is one IMD decile's coverage and uptake.
type covEquityRow struct {
	Decile, Href                  string
	LAs, Eligible, Qualified, Gap covCell
	Coverage, TrainingCoverage    template.HTML
	Applications, Certified       string
	UptakeRate                    template.HTML
}

type covProgrammeLink struct{ Name, Href string }

type covNationalData struct {
	Date     covAsAt
	Query    url.Values
	Cov      report.Coverage
	Shown    bool
	Headline []covKindRow
	Key      []covKeyFigure
	Spread   string
	// Unfiled says how many of England's eligible settings Ofsted filed
	// under no local authority, so are in no region's or authority's
	// figure ("" when none).
	Unfiled     string
	Chart       template.HTML
	RegionHeads []covHead
	Regions     []covAreaRow
	LAHeads     []covHead
	LAs         []covAreaRow
	Others      []covAreaRow // not recorded, unknown codes: after the authorities
	England     covAreaRow
	Filter      string // what the authority table is narrowed to
	ClearFilter string
	Equity      []covEquityRow
	Programmes  []covProgrammeLink
	Downloads   map[string]covDownloads
	Hidden      []covHidden
	Definitions []report.Definition
	page.Form
}

// covKeyFigure is a figure shown large at the top of a dashboard.
type covKeyFigure struct{ Label, Value, Detail, Href string }

func (s *Handlers) National(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	scope := policy.Settings(u)
	switch scope.Kind {
	case policy.National:
	case policy.LA:
		target := "/coverage/la/" + url.PathEscape(scope.LACode)
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return nil
	default:
		return page.ErrForbidden
	}
	ctx := r.Context()
	d := covNationalData{}
	d.Date = s.covReadAsAt(r, &d.Form)
	d.Query = covQuery(r, d.Date.AsAt)
	d.Hidden = covHiddenFields(d.Query)
	if !d.Valid() {
		return s.RenderForm(w, r, "coverage-national", "Coverage of qualified SENCOs", d)
	}
	asAt := d.Date.AsAt
	cov, err := report.BuildCoverage(ctx, s.DB, scope, asAt)
	if err != nil {
		return err
	}
	if covWantsDownload(r) {
		var t report.Table
		switch r.URL.Query().Get("table") {
		case "la", "region":
			if t, err = cov.Table(r.URL.Query().Get("table")); err != nil {
				return err
			}
		case "equity":
			equity, err := report.EquityOf(ctx, s.DB, scope, cov, 0)
			if err != nil {
				return err
			}
			t = report.EquityTable(equity, asAt)
		default:
			return page.ErrNotFound
		}
		return s.covDownload(w, r, t, "")
	}
	equity, err := report.EquityOf(ctx, s.DB, scope, cov, 0)
	if err != nil {
		return err
	}
	d.Cov, d.Shown, d.Definitions = cov, true, covDefinitions()
	const path = "/coverage"
	q := d.Query
	d.Downloads = map[string]covDownloads{
		"region": covDownloadLinks(path, q, "region", "coverage by region"),
		"la":     covDownloadLinks(path, q, "la", "coverage by local authority"),
		"equity": covDownloadLinks(path, q, "equity", "coverage and uptake by deprivation"),
	}
	all := cov.England.All()
	d.Key = []covKeyFigure{
		{Label: "Eligible settings", Value: page.Count(all.Eligible), Detail: page.Count(cov.England.Group.Eligible) + " group settings and " + page.Count(cov.England.Childminder.Eligible) + " childminders", Href: "#by-la"},
		{Label: "With a qualified SENCO", Value: page.Count(all.Qualified), Detail: page.PercentOfText(all.Qualified, all.Eligible) + " coverage", Href: covHref(path, q, "by-la", "sort", "coverage", "dir", "asc")},
		{Label: "With someone in training", Value: page.Count(all.InTraining), Detail: page.PercentOfText(all.InTraining, all.Eligible) + " of eligible settings", Href: covHref(path, q, "by-la", "sort", "training", "dir", "desc")},
	}
	// England's figures stand on the authorities' rows: each links to the
	// table of authorities, sorted by it.
	d.Headline = covKindRows(cov.England.AreaCoverage, func(kind, what string) string {
		sort := map[string]string{"all": "eligible", "qualified": "qualified", "training": "training", "gap": "gap"}[what]
		return covHref(path, q, "by-la", "sort", sort, "dir", "desc")
	})
	d.Spread = covSpreadSentence(cov.Spread)
	unfiled := 0
	for _, la := range cov.LAs {
		if la.Level == report.LevelNotRecorded {
			unfiled += la.All().Eligible
		}
	}
	d.Unfiled = covUnfiledSentence(all.Eligible, unfiled)

	// Regions: table, chart.
	rKey, rDesc := covSort(r.URL.Query(), "rsort", "rdir", covRegionCols)
	d.RegionHeads = covHeads(path, q, "rsort", "rdir", "by-region", covRegionCols, rKey, rDesc)
	var chartItems []covChartItem
	var descs []string
	for _, reg := range cov.Regions {
		row := covAreaRowOf(reg, asAt, func(string) string { return covHref(path, q, "by-la", "region", reg.Code, "decile", "") })
		d.Regions = append(d.Regions, row)
		cv := reg.All().Coverage()
		chartItems = append(chartItems, covChartItem{Label: reg.Name, Value: page.Percent(cv), Fraction: cv})
		descs = append(descs, fmt.Sprintf("%s %s (%s of %s eligible settings)", reg.Name, page.Percent(cv), page.Count(reg.All().Qualified), page.Count(reg.All().Eligible)))
	}
	covSortRows(d.Regions, rDesc, covSortValue(rKey), func(r covAreaRow) string { return r.Name })
	if len(chartItems) > 0 {
		title := "Coverage of qualified SENCOs by region, all eligible settings, as at " + asAt.Long()
		chart := covBarChart("region-chart", title, "Bar chart. "+strings.Join(descs, "; ")+". England "+page.Percent(all.Coverage())+".",
			chartItems, page.Rate, 70, false)
		if d.Chart, err = chart.HTML(); err != nil {
			return err
		}
	}

	// Authorities, narrowed to a region or a deprivation decile.
	region, decile := r.URL.Query().Get("region"), r.URL.Query().Get("decile")
	key, desc := covSort(r.URL.Query(), "sort", "dir", covLACols)
	d.LAHeads = covHeads(path, q, "sort", "dir", "by-la", covLACols, key, desc)
	for _, la := range cov.LAs {
		if region != "" && la.RegionCode != region {
			continue
		}
		if decile != "" && (la.IMD == nil && decile != "0" || la.IMD != nil && strconv.Itoa(la.IMD.Decile) != decile) {
			continue
		}
		code := la.Code
		if la.Level == report.LevelNotRecorded {
			code = "none"
		}
		row := covAreaRowOf(la, asAt, func(what string) string {
			return covHref("/coverage/la/"+url.PathEscape(code), url.Values{"as_at": {asAt.String()}}, "settings", "show", what)
		})
		row.Href = covHref("/coverage/la/"+url.PathEscape(code), url.Values{"as_at": {asAt.String()}}, "")
		if la.Level == report.LevelNotRecorded || la.RegionCode == "" {
			d.Others = append(d.Others, row)
		} else {
			d.LAs = append(d.LAs, row)
		}
	}
	covSortRows(d.LAs, desc, covSortValue(key), func(r covAreaRow) string { return r.Name })
	switch {
	case region != "":
		name := region
		for _, reg := range cov.Regions {
			if reg.Code == region {
				name = reg.Name
			}
		}
		d.Filter = "authorities in " + name
	case decile == "0":
		d.Filter = "authorities with no known IMD 2019 figure, and settings whose authority was not recorded"
	case decile != "":
		d.Filter = "authorities in IMD 2019 decile " + decile
	}
	if d.Filter != "" {
		d.ClearFilter = covHref(path, q, "by-la", "region", "", "decile", "")
	}
	d.England = covAreaRowOf(cov.England, asAt, nil)

	for _, e := range equity {
		label := strconv.Itoa(e.Decile)
		switch e.Decile {
		case 0:
			label = "Not known"
		case 1:
			label = "1 (most deprived)"
		case 10:
			label = "10 (least deprived)"
		}
		href := covHref(path, q, "by-la", "decile", strconv.Itoa(e.Decile), "region", "")
		a := e.All()
		row := covEquityRow{Decile: label, Href: href,
			LAs:      covCell{Text: page.Count(e.LAs), Href: href, Numeric: true},
			Eligible: covCell{Text: page.Count(a.Eligible), Numeric: true}, Qualified: covCell{Text: page.Count(a.Qualified), Numeric: true},
			Gap:      covCell{Text: page.Count(a.Gap), Numeric: true},
			Coverage: page.PercentOf(a.Qualified, a.Eligible), TrainingCoverage: page.PercentOf(a.InTraining, a.Eligible),
			Applications: page.Count(e.Applications), Certified: page.Count(e.Certified)}
		if a.Eligible > 0 {
			row.UptakeRate = template.HTML(page.Decimal(float64(e.Applications) * 100 / float64(a.Eligible)))
		} else {
			row.UptakeRate = page.NothingToCount
		}
		d.Equity = append(d.Equity, row)
	}
	if d.Programmes, err = s.covProgrammeLinks(r, u); err != nil {
		return err
	}
	return s.Render(w, r, "coverage-national", "Coverage of qualified SENCOs", d)
}

// covAreaRowOf shows a coverage row; link gives the rows behind each count
// ("all", "qualified", "training", "gap"), or nil for none.
func covAreaRowOf(r report.CoverageRow, asAt domain.Date, link func(what string) string) covAreaRow {
	a := r.All()
	id := r.Code
	if r.Level == report.LevelNotRecorded {
		id = "none"
	}
	out := covAreaRow{ID: r.Level + "-" + id, Name: r.Name, Region: r.RegionName, Note: covEnded(r.EndedOn), IMD: covIMD(r.IMD), row: r,
		CovGroup: page.PercentOf(r.Group.Qualified, r.Group.Eligible), CovChildminder: page.PercentOf(r.Childminder.Qualified, r.Childminder.Eligible),
		CovAll: page.PercentOf(a.Qualified, a.Eligible)}
	if r.Level == report.LevelNotRecorded {
		out.Region, out.IMD = "Not recorded", "Not known"
	}
	cell := func(n int, what string) covCell {
		c := covCell{Text: page.Count(n), Numeric: true}
		if link != nil {
			c.Href, c.Hidden = link(what), " "+covWhat[what]+", "+r.Name
		}
		return c
	}
	out.Eligible, out.Qualified, out.InTraining, out.Gap = cell(a.Eligible, "all"), cell(a.Qualified, "qualified"), cell(a.InTraining, "training"), cell(a.Gap, "gap")
	return out
}

// covSpreadSentence states the spread between the best and worst
// authorities plainly.
// covUnfiledSentence explains why England's count of eligible settings is
// more than its regions' and authorities' added up.
func covUnfiledSentence(england, unfiled int) string {
	switch unfiled {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("England's %s eligible settings include 1 that Ofsted filed under no local authority: it counts in England's figures but in no region's or authority's, so the regions add up to %s.",
			page.Count(england), page.Count(england-unfiled))
	}
	return fmt.Sprintf("England's %s eligible settings include %s that Ofsted filed under no local authority: they count in England's figures but in no region's or authority's, so the regions add up to %s.",
		page.Count(england), page.Count(unfiled), page.Count(england-unfiled))
}

func covSpreadSentence(sp report.Spread) string {
	if sp.Best.Code == "" {
		return fmt.Sprintf("No local authority has %d or more eligible settings on this date, so the spread between authorities is not shown.", report.SpreadMinEligible)
	}
	worst, best := sp.Worst.All().Coverage(), sp.Best.All().Coverage()
	return fmt.Sprintf("Coverage ranges from %s in %s to %s in %s, a gap of %s percentage points (among the authorities with %d or more eligible settings).",
		page.Percent(worst), sp.Worst.Name, page.Percent(best), sp.Best.Name, page.Decimal(sp.Points), report.SpreadMinEligible)
}

// covProgrammeLinks lists the programmes whose progress the user may see.
func (s *Handlers) covProgrammeLinks(r *http.Request, u domain.User) ([]covProgrammeLink, error) {
	switch policy.Delivery(u).Kind {
	case policy.Nothing, policy.Self, policy.Setting:
		return nil, nil
	}
	progs, err := s.DB.Programmes(r.Context())
	if err != nil {
		return nil, err
	}
	var out []covProgrammeLink
	for _, p := range progs {
		out = append(out, covProgrammeLink{Name: p.Name, Href: "/coverage/programmes/" + page.Itoa(p.ID)})
	}
	return out, nil
}

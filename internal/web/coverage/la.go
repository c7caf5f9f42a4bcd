package coverage

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/store"
	"senco/internal/store/growth"
	"senco/internal/web/page"
)

const (
	covSettingsPageSize = 100
	covDefaultMonths    = 6
	covMaxMonths        = 120
)

// covShows are the lists of settings an authority's dashboard offers.
var covShows = []struct{ Value, Text, Caption string }{
	{"gap", "Gap: no qualified SENCO and no one in training", "Gap list: eligible settings with no qualified SENCO and no one in training"},
	{"lost", "Lost their qualified SENCO recently", "Eligible settings that lost their qualified SENCO"},
	{"qualified", "With a qualified SENCO", "Eligible settings with a qualified SENCO"},
	{"training", "With someone in training", "Eligible settings with someone in training"},
	{"all", "All eligible settings", "All eligible settings"},
}

// covTypes are the kinds of setting the lists filter by.
var covTypes = []struct{ Value, Text string }{
	{"", "Any type"},
	{"group", "Group settings (non-domestic and domestic premises)"},
	{string(domain.Childminder), domain.Childminder.Label()},
	{string(domain.NonDomestic), domain.NonDomestic.Label()},
	{string(domain.Domestic), domain.Domestic.Label()},
}

// covSettingRow is one eligible setting in an authority's list.
type covSettingRow struct {
	URN, Name, Href, Type, Places, Outcome string
	Withheld                               bool
	Qualified, Designated, InTraining      bool
	LATrained                              bool // someone there attended the LA's own SENCO course
	Lost                                   domain.Date
	Address                                string // "" when Ofsted withholds it
	HomeBased                              bool   // a childminder or childcare on domestic premises
	InspectedOn                            domain.Date
}

// covAddress is a setting's address on one line; Ofsted withholds a
// home-based provider's, and writes REDACTED in its place.
func covAddress(st store.SettingCoverageRow) string {
	var parts []string
	for _, p := range []string{st.Address1, st.Town, st.Postcode} {
		if p = strings.TrimSpace(p); p != "" && p != "REDACTED" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

type covLAData struct {
	Date      covAsAt
	Query     url.Values
	Code      string
	Row       report.CoverageRow
	Shown     bool
	Ended     string
	IMD       string
	IMDPartOf bool
	Headline  []covKindRow
	Key       []covKeyFigure
	Show      string
	Type      string
	Months    string
	MonthsN   int
	ShowItems []any
	TypeItems []any
	Caption   string
	LostCount int
	LATrained string // settings where someone attended the LA's own course
	LostHref  string
	Settings  []covSettingRow
	// Priority is the gap list's order in words (domain.GapPriorityRule).
	Priority    []string
	Total       int
	First       int
	Last        int
	Pagination  map[string]any
	Download    covDownloads
	Summary     covDownloads
	National    bool
	Programmes  []covProgrammeLink
	Name        string
	Definitions []report.Definition
	page.Form
}

func (s *Handlers) LA(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	code := r.PathValue("code")
	scope, ok := policy.LACoverage(u, code)
	switch {
	case !policy.CanListLAs(u):
		return page.ErrForbidden
	case !ok:
		return page.ErrNotFound
	}
	ctx := r.Context()
	q := r.URL.Query()
	d := covLAData{Code: code, National: policy.Settings(u).Kind == policy.National, Show: q.Get("show"), Type: q.Get("type"), Months: strings.TrimSpace(q.Get("months"))}
	d.Date = s.covReadAsAt(r, &d.Form)
	if d.Show == "" {
		d.Show = "gap"
	}
	found := false
	for _, sh := range covShows {
		d.ShowItems = append(d.ShowItems, map[string]any{"value": sh.Value, "text": sh.Text})
		if sh.Value == d.Show {
			found, d.Caption = true, sh.Caption
		}
	}
	if !found {
		d.Fail("show", "Choose which settings to show from the list")
	}
	found = false
	for _, t := range covTypes {
		d.TypeItems = append(d.TypeItems, map[string]any{"value": t.Value, "text": t.Text})
		found = found || t.Value == d.Type
	}
	if !found {
		d.Fail("type", "Choose a type of setting from the list")
	}
	d.MonthsN = covDefaultMonths
	if d.Months != "" {
		n, err := strconv.Atoi(d.Months)
		switch {
		case err != nil:
			d.Fail("months", "The number of months must be a whole number, like 6")
		case n < 1 || n > covMaxMonths:
			d.Fail("months", fmt.Sprintf("The number of months must be between 1 and %d", covMaxMonths))
		default:
			d.MonthsN = n
		}
	}
	d.ErrorOrder = page.OrderFields(d.ErrorOrder, covAsAtField, "show", "type", "months")
	pageNo, err := page.Number(r)
	if err != nil {
		return err
	}
	if !d.Valid() {
		// The authority must still exist for the pageNo to be shown.
		var err error
		if d.Name, err = s.covLAName(r, scope, code); err != nil {
			return err
		}
		return s.RenderForm(w, r, "coverage-la", "Coverage of qualified SENCOs", d)
	}
	asAt := d.Date.AsAt
	cov, err := report.BuildCoverage(ctx, s.DB, scope, asAt)
	if err != nil {
		return err
	}
	row, ok := cov.Find(code)
	if !ok {
		if code != "none" {
			return page.ErrNotFound
		}
		row = report.CoverageRow{Level: report.LevelNotRecorded, Name: "Not recorded by Ofsted"}
	}
	d.Row, d.Name, d.Definitions = row, row.Name, covDefinitions()
	settings, err := s.DB.CoverageSettings(ctx, scope, asAt, code, d.Show == "gap")
	if err != nil {
		return err
	}
	lost, err := s.DB.SettingsLostSENCO(ctx, scope, asAt.AddMonths(-d.MonthsN), asAt, code)
	if err != nil {
		return err
	}
	var rows []store.SettingCoverageRow
	for _, st := range settings {
		if !covTypeMatches(d.Type, st.Type) {
			continue
		}
		_, isLost := lost[st.URN]
		switch d.Show {
		case "qualified":
			if !st.Qualified {
				continue
			}
		case "training":
			if !st.InTraining {
				continue
			}
		case "lost":
			if !isLost {
				continue
			}
		}
		rows = append(rows, st)
	}
	if covWantsDownload(r) {
		switch q.Get("table") {
		case "settings":
			return s.covDownload(w, r, covSettingsTable(rows, lost, asAt, d.MonthsN, row.Name, d.Caption), code)
		case "summary":
			t, err := cov.Table("la")
			if err != nil {
				return err
			}
			return s.covDownload(w, r, t, code)
		}
		return page.ErrNotFound
	}
	if d.Show == "gap" {
		// The gap list is worked through from the top: in the domain's
		// order of priority, which the page states, not by name. (Its
		// download keeps the report's order, as the command line's does.)
		facts := func(st store.SettingCoverageRow) domain.GapFacts {
			return domain.GapFacts{URN: st.URN, Places: st.Places, Outcome: st.Outcome, LostOn: lost[st.URN]}
		}
		sort.SliceStable(rows, func(i, j int) bool { return domain.GapBefore(facts(rows[i]), facts(rows[j])) })
		d.Priority = domain.GapPriorityRule
	}
	d.Shown = true
	d.Query = covQuery(r, asAt)
	path := "/coverage/la/" + url.PathEscape(code)
	d.Ended = covEnded(row.EndedOn)
	if row.Level != report.LevelNotRecorded {
		d.IMD = covIMD(row.IMD)
		d.IMDPartOf = row.IMD != nil && row.IMD.PartOf()
	}
	d.Headline = covKindRows(row.AreaCoverage, func(kind, what string) string {
		return covHref(path, d.Query, "settings", "show", what, "type", kind)
	})
	all := row.All()
	laTrained, err := growth.LATrained(ctx, s.DB.Reader(), code, asAt)
	if err != nil {
		return err
	}
	d.LostCount = len(lost)
	d.LATrained = page.Count(covCountIn(settings, laTrained))
	d.LostHref = covHref(path, d.Query, "settings", "show", "lost", "type", "")
	d.Key = []covKeyFigure{
		{Label: "Eligible settings", Value: page.Count(all.Eligible), Detail: page.Count(row.Group.Eligible) + " group settings and " + page.Count(row.Childminder.Eligible) + " childminders", Href: covHref(path, d.Query, "settings", "show", "all", "type", "")},
		{Label: "With a qualified SENCO", Value: page.Count(all.Qualified), Detail: page.PercentOfText(all.Qualified, all.Eligible) + " coverage", Href: covHref(path, d.Query, "settings", "show", "qualified", "type", "")},
		{Label: "With someone in training", Value: page.Count(all.InTraining), Detail: page.PercentOfText(all.InTraining, all.Eligible) + " of eligible settings", Href: covHref(path, d.Query, "settings", "show", "training", "type", "")},
		{Label: "Gap", Value: page.Count(all.Gap), Detail: "no qualified SENCO and no one in training", Href: covHref(path, d.Query, "settings", "show", "gap", "type", "")},
	}
	d.Total = len(rows)
	if from := (pageNo - 1) * covSettingsPageSize; from < len(rows) || pageNo == 1 {
		to := min(from+covSettingsPageSize, len(rows))
		for _, st := range rows[min(from, len(rows)):to] {
			name := st.Name
			if name == "" {
				name = st.Type.Label() + " " + st.URN
			}
			d.Settings = append(d.Settings, covSettingRow{URN: st.URN, Name: name, Withheld: st.Name == "", Href: page.SettingPath(st.URN), Type: st.Type.Label(),
				Places: page.Count(st.Places), Outcome: st.Outcome.String(), Qualified: st.Qualified, Designated: st.Designated,
				InTraining: st.InTraining, LATrained: laTrained[st.URN], Lost: lost[st.URN], Address: covAddress(st), InspectedOn: st.InspectedOn,
				HomeBased: st.Type == domain.Childminder || st.Type == domain.Domestic})
		}
		if d.Total > 0 {
			d.First, d.Last = from+1, to
		}
	} else {
		return page.ErrNotFound
	}
	d.Pagination = page.Pagination(&url.URL{Path: path, RawQuery: d.Query.Encode()}, pageNo, d.Total, covSettingsPageSize)
	d.Download = covDownloadLinks(path, d.Query, "settings", strings.ToLower(d.Caption[:1])+d.Caption[1:])
	d.Summary = covDownloadLinks(path, d.Query, "summary", "the coverage figures")
	if d.Programmes, err = s.covProgrammeLinks(r, u); err != nil {
		return err
	}
	title := "Coverage of qualified SENCOs in " + row.Name
	if row.Level == report.LevelNotRecorded {
		title = "Coverage of qualified SENCOs: settings whose local authority Ofsted did not record"
	}
	return s.Render(w, r, "coverage-la", title, d)
}

// covCountIn is how many of the settings are in set.
func covCountIn(settings []store.SettingCoverageRow, set map[string]bool) int {
	n := 0
	for _, st := range settings {
		if set[st.URN] {
			n++
		}
	}
	return n
}

// covLAName checks an authority exists in scope, for a page shown with
// errors (and no figures).
func (s *Handlers) covLAName(r *http.Request, scope policy.Scope, code string) (string, error) {
	if code == "none" {
		return "Not recorded by Ofsted", nil
	}
	la, err := s.DB.LocalAuthority(r.Context(), scope, code)
	if err != nil {
		return "", err
	}
	return la.Name, nil
}

func covTypeMatches(filter string, t domain.ProviderType) bool {
	switch filter {
	case "":
		return true
	case "group":
		return t.IsGroup()
	}
	return string(t) == filter
}

// covSettingsTable is the export of an authority's list of settings: the
// gap list of package report with, beside each setting, the day it lost
// its qualified SENCO when that was within the months asked for.
func covSettingsTable(rows []store.SettingCoverageRow, lost map[string]domain.Date, asAt domain.Date, months int, area, caption string) report.Table {
	t := report.GapTable(rows, asAt)
	if caption != covShows[0].Caption {
		t.Name = "settings"
	}
	t.Title = caption + ", " + area + ", as at " + asAt.Long()
	t.Columns = append(t.Columns, report.Column{Key: "lost_senco_on", Title: covLostTitle(months), Kind: report.KindDate})
	for i, r := range rows {
		t.Rows[i] = append(t.Rows[i], lost[r.URN])
	}
	return t
}

// covLostTitle heads the column of settings that lost their qualified
// SENCO.
func covLostTitle(months int) string {
	unit := "months"
	if months == 1 {
		unit = "month"
	}
	return fmt.Sprintf("Lost its qualified SENCO in the %d %s to the as-at date, on", months, unit)
}

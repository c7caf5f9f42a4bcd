package e2e

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"mime"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"senco/internal/demo"
	"senco/internal/domain"
)

// TestCoverageJourneys runs the journeys of the coverage dashboards, each
// in a tab of its own, side by side, on a demo seeded for them (the
// delivery journeys change records the figures count).
func TestCoverageJourneys(t *testing.T) {
	requireBrowser(t)
	a := newApp(t)
	progs, err := a.DB.Programmes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var prog domain.Programme
	for _, p := range progs {
		if p.Name == demo.ProgrammeName {
			prog = p
		}
	}
	if prog.ID == 0 {
		t.Fatalf("the demo has no programme %q", demo.ProgrammeName)
	}
	for _, j := range []struct {
		name string
		fn   func(*testing.T, *app, domain.Programme)
	}{
		{"National", coverageNationalJourney},
		{"AsAtAndDownload", coverageDownloadJourney},
		{"AreaAndProgramme", coverageAreaJourney},
		{"LAOfficer", coverageLAOfficerJourney},
	} {
		t.Run(j.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			j.fn(t, a, prog)
			t.Logf("%s took %v", j.name, time.Since(start).Round(time.Millisecond))
		})
	}
}

// The programme team reads England's coverage and sorts the authorities by
// coverage.
func coverageNationalJourney(t *testing.T, a *app, _ domain.Programme) {
	today := domain.Today()
	p := journeyPage(t, a)
	p.signInAs(a, programmeEmail)
	p.follow(p.link(".govuk-service-navigation", "Coverage"))
	p.wantPath("/coverage")
	p.wantHeading("Coverage of qualified SENCOs")
	p.wantText("Figures as at " + today.Long() + " (today).")

	// England: groups and childminders add up, and the key figures agree
	// with the table.
	group, cms, all := p.figureRow("figures-group"), p.figureRow("figures-childminder"), p.figureRow("figures-all")
	for _, i := range []int{0, 1, 3, 5, 6} { // the counts, not the percentages
		if group[i]+cms[i] != all[i] {
			p.errorf("England's column %d: group settings %v + childminders %v != all %v", i+1, group[i], cms[i], all[i])
		}
	}
	if all[0] < 100 || all[1] == 0 {
		p.errorf("England's figures are %v", all)
	}
	keys := p.texts("main .cov-key")
	if len(keys) != 3 || !strings.Contains(keys[0], "Eligible settings "+thousands(int(all[0]))) || !strings.Contains(keys[1], "With a qualified SENCO "+thousands(int(all[1]))) {
		p.errorf("the key figures are %q, want %v eligible and %v qualified", keys, all[0], all[1])
	}

	// The spread between authorities, stated plainly and adding up.
	sentence := eval[string](p, `[...document.querySelectorAll('main p')].map(e => e.innerText).find(t => t.startsWith('Coverage ranges from') || t.startsWith('No local authority has')) ?? ''`)
	m := regexp.MustCompile(`^Coverage ranges from ([\d.]+)% in (.+) to ([\d.]+)% in (.+), a gap of ([\d.]+) percentage points \(among the authorities with (\d+) or more eligible settings\)\.$`).FindStringSubmatch(sentence)
	if m == nil {
		p.errorf("the spread sentence is %q", sentence)
	} else {
		worst, _ := strconv.ParseFloat(m[1], 64)
		best, _ := strconv.ParseFloat(m[3], 64)
		gap, _ := strconv.ParseFloat(m[5], 64)
		if best < worst || math.Abs(best-worst-gap) > 0.11 {
			p.errorf("the spread sentence %q does not add up", sentence)
		}
	}

	// Regions and authorities.
	if n := len(p.texts("#by-region-caption ~ tbody tr")); n < 9 {
		p.errorf("the regions table has %d rows", n)
	}
	las := p.laRows()
	if len(las) < 100 {
		p.fatalf("the authorities table has %d rows", len(las))
	}
	leeds := a.laName(t, demo.Leeds)
	if !slices.ContainsFunc(las, func(r laRow) bool { return r.Name == leeds }) {
		p.errorf("the authorities table has no %s", leeds)
	}
	p.look("01-coverage")
	p.narrowHere("coverage at 320 px")

	// Sort the authorities by coverage, with the column's header link.
	p.follow(p.link("#by-la-caption ~ thead", "Coverage: all"))
	if q := p.path(); !strings.Contains(q, "sort=coverage") || !strings.Contains(q, "dir=desc") {
		p.errorf("sorting by coverage led to %s", q)
	}
	if got := p.headerSort("Coverage: all"); got != "descending" {
		p.errorf("the Coverage: all header says aria-sort=%q, want descending", got)
	}
	if got := p.headerSort("Local authority"); got != "none" {
		p.errorf("the Local authority header says aria-sort=%q after sorting by coverage", got)
	}
	sorted := p.laRows()
	for i := 1; i < len(sorted); i++ {
		if sorted[i].Coverage > sorted[i-1].Coverage {
			p.errorf("sorted by coverage, %s (%.1f%%) comes after %s (%.1f%%)", sorted[i].Name, sorted[i].Coverage, sorted[i-1].Name, sorted[i-1].Coverage)
			break
		}
	}
	p.shot("02-sorted-by-coverage") // the page checked above, in another order
	p.follow(p.link("#by-la-caption ~ thead", "Coverage: all"))
	if got := p.headerSort("Coverage: all"); got != "ascending" {
		p.errorf("sorting again says aria-sort=%q, want ascending", got)
	}
	if rows := p.laRows(); rows[0].Coverage > rows[len(rows)-1].Coverage {
		p.errorf("sorted ascending, the first authority %s has %.1f%% and the last %s %.1f%%", rows[0].Name, rows[0].Coverage, rows[len(rows)-1].Name, rows[len(rows)-1].Coverage)
	}
	p.signOut()
}

// The programme team changes the as-at date (first to no real date) and
// downloads the authorities' table as a spreadsheet.
func coverageDownloadJourney(t *testing.T, a *app, _ domain.Programme) {
	today := domain.Today()
	leeds := a.laName(t, demo.Leeds)
	p := journeyPage(t, a)
	p.signInAs(a, programmeEmail)
	p.follow(p.link(".govuk-service-navigation", "Coverage"))

	// The as-at date: no real date, then six months ago.
	p.fill("as_at-day", "31")
	p.fill("as_at-month", "2")
	p.fill("as_at-year", strconv.Itoa(today.Time().Year()))
	if status := p.follow(p.link("form.cov-as-at", "Show figures")); status != 422 {
		p.errorf("31 February answered %d, want 422", status)
	}
	if got := p.texts(".govuk-error-summary a[href='#as_at-day']"); len(got) != 1 {
		p.errorf("the error summary does not point at the date: %q", p.text(".govuk-error-summary"))
	}
	p.look("01-as-at-error")
	asAt := today.AddMonths(-6)
	p.fillDate("as_at", asAt)
	p.follow(p.link("form.cov-as-at", "Show figures"))
	p.wantText("Figures as at " + asAt.Long() + ".")
	if strings.Contains(p.text("main"), "(today)") {
		p.errorf("figures as at %s say (today)", asAt.Long())
	}
	if got := p.text("#by-la-caption"); got != "Coverage by local authority, as at "+asAt.Long() {
		p.errorf("the authorities table is captioned %q", got)
	}
	p.shot("02-as-at-six-months-ago") // the page National checks, on another date

	// The authorities as a spreadsheet, fetched with the session.
	href := eval[string](p, `document.querySelector('main a[href*="table=la"][href*="format=xlsx"]')?.getAttribute('href') ?? ''`)
	if !strings.Contains(href, "as_at="+asAt.String()) {
		p.fatalf("the authorities' XLSX link is %q, want it as at %s", href, asAt)
	}
	resp, body := p.sessionGet(href)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		p.fatalf("the XLSX answered %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err != nil || params["filename"] != "coverage-by-la-"+asAt.String()+".xlsx" {
		p.errorf("the XLSX is sent as %q", resp.Header.Get("Content-Disposition"))
	}
	pageLeeds := laRow{}
	for _, r := range p.laRows() {
		if r.Name == leeds {
			pageLeeds = r
		}
	}
	if pageLeeds.Name == "" {
		p.fatalf("the authorities table has no %s", leeds)
	}
	checkCoverageXLSX(t, body, asAt, demo.Leeds, pageLeeds)
	p.signOut()
}

// checkCoverageXLSX opens the authorities' spreadsheet: a frozen header
// row, counts and percentages stored as numbers (the authority's agreeing
// with the page), a Definitions sheet with the as-at date.
func checkCoverageXLSX(t *testing.T, body []byte, asAt domain.Date, code string, onPage laRow) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("open the XLSX: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[1] != "Definitions" {
		t.Fatalf("the XLSX has the sheets %q, want the table's and Definitions", sheets)
	}
	sheet := sheets[0]
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("the sheet %s's panes are %+v (%v), want the header row frozen", sheet, panes, err)
	}
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) < 100 {
		t.Fatalf("the sheet %s has %d rows (%v)", sheet, len(rows), err)
	}
	head := rows[0]
	col := func(title string) int {
		i := slices.Index(head, title)
		if i < 0 {
			t.Fatalf("the sheet has no column %q: %q", title, head)
		}
		return i
	}
	if head[0] != "Code" || head[1] != "Local authority" {
		t.Errorf("the header row is %q", head)
	}
	eligible, coverage, gap := col("All settings: eligible"), col("All settings: coverage"), col("Gap: no qualified SENCO and no one in training")
	var found bool
	for r := 1; r < len(rows); r++ {
		if rows[r][0] != code {
			continue
		}
		found = true
		cell := func(i int) string {
			name, _ := excelize.CoordinatesToCellName(i+1, r+1)
			return name
		}
		for _, i := range []int{eligible, coverage, gap} {
			typ, err := f.GetCellType(sheet, cell(i))
			if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
				t.Errorf("cell %s (%s) is of type %v (%v), want a number", cell(i), head[i], typ, err)
			}
		}
		raw := func(i int) float64 {
			v, err := f.GetCellValue(sheet, cell(i), excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Errorf("cell %s (%s) holds %q, not a number", cell(i), head[i], v)
			}
			return x
		}
		if got := raw(eligible); got != onPage.Eligible {
			t.Errorf("the XLSX gives %s %v eligible settings, the page %v", code, got, onPage.Eligible)
		}
		if got := raw(gap); got != onPage.Gap {
			t.Errorf("the XLSX gives %s a gap of %v, the page %v", code, got, onPage.Gap)
		}
		if got := raw(coverage); got < 0 || got > 1 || math.Abs(got*100-onPage.Coverage) > 0.051 {
			t.Errorf("the XLSX gives %s coverage %v, the page %.1f%%", code, got, onPage.Coverage)
		}
		if shown, _ := f.GetCellValue(sheet, cell(coverage)); !strings.HasSuffix(shown, "%") {
			t.Errorf("the coverage cell shows %q, want a percentage", shown)
		}
	}
	if !found {
		t.Errorf("the XLSX has no row for %s", code)
	}
	defs, err := f.GetRows("Definitions")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Table": "Coverage of qualified SENCOs by local authority, as at " + asAt.Long(),
		"As at": asAt.String(),
	}
	for _, r := range defs {
		if len(r) >= 2 {
			if w, ok := want[r[0]]; ok {
				if r[1] != w {
					t.Errorf("the Definitions sheet says %s %q, want %q", r[0], r[1], w)
				}
				delete(want, r[0])
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("the Definitions sheet lacks %v: %q", want, defs)
	}
	if len(defs) < 8 {
		t.Errorf("the Definitions sheet has %d rows: no definitions?", len(defs))
	}
}

// The programme team opens Leeds from the national table, its gap list,
// and the programme's progress.
func coverageAreaJourney(t *testing.T, a *app, prog domain.Programme) {
	today := domain.Today()
	leeds := a.laName(t, demo.Leeds)
	p := journeyPage(t, a)
	p.signInAs(a, programmeEmail)
	p.open("/coverage")
	var national laRow
	for _, r := range p.laRows() {
		if r.Name == leeds {
			national = r
		}
	}
	p.follow(p.css(fmt.Sprintf(`#la-%s th a`, demo.Leeds)))
	p.wantPath(fmt.Sprintf("/coverage/la/%s?as_at=%s", demo.Leeds, today))
	p.wantHeading("Coverage of qualified SENCOs in " + leeds)
	all := p.figureRow("figures-all")
	if all[0] != national.Eligible || all[5] != national.Gap {
		p.errorf("%s's page has %v eligible and a gap of %v; the national table %v and %v", leeds, all[0], all[5], national.Eligible, national.Gap)
	}

	// The gap list, shown first.
	if got := p.text("#settings"); got != "Gap list: eligible settings with no qualified SENCO and no one in training" {
		p.errorf("the list is headed %q", got)
	}
	gap := int(all[5])
	if got := p.text("#settings ~ [role=status]"); gap > 0 && !strings.HasSuffix(got, fmt.Sprintf("of %d settings", gap)) {
		p.errorf("the gap list says %q, want %d settings", got, gap)
	}
	rows := p.tableRowCells("settings-caption")
	if len(rows) == 0 || len(rows) > 100 {
		p.errorf("the gap list shows %d rows", len(rows))
	}
	// Setting, type, places, inspection, LA-trained, lost its SENCO: no
	// column that says No on every row of a gap list, and the settings
	// that lost their SENCO first, as the stated order of priority says.
	if got := p.text("#gap-priority"); !strings.HasPrefix(got, "In order of priority: settings that lost their qualified SENCO recently") {
		p.errorf("the gap list's order is not stated: %q", got)
	}
	lostSeen := true
	for _, r := range rows {
		if len(r) != 6 {
			p.errorf("the gap list shows %q", r)
			break
		}
		lost := strings.HasPrefix(r[5], "Lost on")
		if lost && !lostSeen {
			p.errorf("a setting that lost its SENCO (%q) comes after one that did not", r[0])
			break
		}
		lostSeen = lost
	}
	p.look("01-leeds")

	// The programme's progress.
	p.follow(p.link("main", prog.Name+": progress and forecast"))
	p.wantPath(fmt.Sprintf("/coverage/programmes/%d", prog.ID))
	p.wantHeading(prog.Name)
	p.wantText("Figures as at " + today.Long() + " (today)")
	if got := p.after("Against the target"); !strings.Contains(got, thousands(prog.TargetCompletions)) {
		p.errorf("the target sentence is %q, want the target %s", got, thousands(prog.TargetCompletions))
	}
	p.look("02-programme-progress")
	p.signOut()
}

// The Leeds LA officer is taken to Leeds, and another authority's
// dashboard is not found.
func coverageLAOfficerJourney(t *testing.T, a *app, _ domain.Programme) {
	leeds := a.laName(t, demo.Leeds)
	p := journeyPage(t, a)
	p.signInAs(a, laLeedsEmail)
	p.follow(p.link(".govuk-service-navigation", "Coverage"))
	p.wantPath("/coverage/la/" + demo.Leeds)
	p.wantHeading("Coverage of qualified SENCOs in " + leeds)
	if p.exists(`main a[href^="/coverage?"], main a[href="/coverage"]`) {
		p.errorf("the LA officer is offered the national dashboard")
	}
	p.look("01-leeds")
	asAt := domain.Today().AddMonths(-1)
	p.open("/coverage?as_at=" + asAt.String())
	p.wantPath(fmt.Sprintf("/coverage/la/%s?as_at=%s", demo.Leeds, asAt))
	p.wantText("Figures as at " + asAt.Long() + ".")
	if status := p.open("/coverage/la/" + demo.Hackney); status != 404 {
		p.errorf("Hackney's dashboard answered %d to the Leeds officer, want 404", status)
	}
	p.wantHeading("Page not found")
	p.look("02-hackney-not-found")
	p.signOut()
}

// laRow is a row of the national table of authorities.
type laRow struct {
	Name                     string
	Eligible, Qualified, Gap float64
	Coverage                 float64 // percent
}

// laRows are the authorities of the national table, in its order.
func (p *page) laRows() []laRow {
	p.t.Helper()
	cells := p.tableRowCells("by-la-caption")
	var out []laRow
	for _, c := range cells {
		// England's total, and the rows of settings with no authority
		// or an authority of no region, come after the sorted authorities.
		if len(c) < 10 || strings.HasPrefix(c[0], "England") || c[1] == "" || c[1] == "Not recorded" {
			continue
		}
		out = append(out, laRow{Name: strings.TrimSpace(strings.SplitN(c[0], " (ended", 2)[0]), Eligible: number(c[2]), Qualified: number(c[3]),
			Gap: number(c[5]), Coverage: number(c[8])})
	}
	return out
}

// figureRow is the numbers of a headline row (by its id): eligible,
// qualified, coverage %, in training, in-training coverage %, gap,
// designated.
func (p *page) figureRow(id string) []float64 {
	p.t.Helper()
	cells := eval[[]string](p, fmt.Sprintf(`[...document.getElementById(%s)?.cells ?? []].slice(1).map(c => c.innerText)`, jsString(id)))
	if len(cells) != 7 {
		p.fatalf("the row #%s has cells %q", id, cells)
	}
	out := make([]float64, len(cells))
	for i, c := range cells {
		out[i] = number(c)
	}
	return out
}

// tableRowCells is the text of each cell of each body row of the table
// whose caption has the id.
func (p *page) tableRowCells(captionID string) [][]string {
	p.t.Helper()
	rows := eval[[][]string](p, fmt.Sprintf(`[...document.getElementById(%s)?.closest('table')?.tBodies[0]?.rows ?? []].map(r => [...r.cells].map(c => c.innerText))`, jsString(captionID)))
	for _, r := range rows {
		for i := range r {
			r[i] = squash(r[i])
		}
	}
	return rows
}

// headerSort is the aria-sort of the authorities table's column header.
func (p *page) headerSort(text string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`[...document.querySelectorAll('#by-la-caption ~ thead th')].find(th => th.querySelector('a')?.innerText.trim() === %s)?.getAttribute('aria-sort') ?? ''`, jsString(text)))
}

// number reads a figure as shown ("1,234", "12.5%"), without its visually
// hidden words.
func number(s string) float64 {
	s = strings.TrimSpace(s)
	if i := strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == ',' || r == '.') }); i >= 0 {
		s = s[:i]
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

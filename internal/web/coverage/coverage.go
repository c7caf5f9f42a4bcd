// Package coverage serves the coverage dashboards: national, one local
// authority's, and one programme's progress against its target, each with
// its tables as downloads.
package coverage

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/report"
	"senco/internal/web/page"
)

// Handlers are the pages of this area; each method is one route's handler.
// A page for one kind of user is admitted by the policy decision its line in
// internal/web/routes.go names; the handler checks the record in hand.
type Handlers struct {
	*page.Site
}

// covAsAtField is the id of the "Show figures as at" date input; its day
// input is what the error summary links to.
const covAsAtField = "as_at-day"

// covAsAt is the date the figures are shown as at, read from the query:
// the date input's three fields when the form was sent, else as_at
// (YYYY-MM-DD), else today.
type covAsAt struct {
	AsAt  domain.Date // zero when the date given is not valid
	Today domain.Date
	Field page.DateField
}

// IsToday reports whether the figures are today's.
func (a covAsAt) IsToday() bool { return a.AsAt.Equal(a.Today) }

func (s *Handlers) covReadAsAt(r *http.Request, f *page.Form) covAsAt {
	q := r.URL.Query()
	a := covAsAt{Today: domain.DateOf(s.DB.Now())}
	fields := page.DateField{Day: strings.TrimSpace(q.Get("as_at-day")), Month: strings.TrimSpace(q.Get("as_at-month")), Year: strings.TrimSpace(q.Get("as_at-year"))}
	_, sent := q["as_at-day"]
	switch {
	case sent || !fields.Empty():
		a.Field = fields
	case strings.TrimSpace(q.Get("as_at")) != "":
		v := strings.TrimSpace(q.Get("as_at"))
		parts := strings.Split(v, "-")
		if len(parts) != 3 {
			a.Field = page.DateField{Day: v}
			f.Fail(covAsAtField, "The date must be a real date, for example 31 3 2026")
			return a
		}
		a.Field = page.DateField{Day: strings.TrimLeft(parts[2], "0"), Month: strings.TrimLeft(parts[1], "0"), Year: parts[0]}
		if a.Field.Day == "" && parts[2] != "" {
			a.Field.Day = "0"
		}
		if a.Field.Month == "" && parts[1] != "" {
			a.Field.Month = "0"
		}
	default:
		a.AsAt = a.Today
		a.Field = page.DateFieldOf(a.Today)
		return a
	}
	d, msg := a.Field.Parse("the date")
	if msg != "" {
		f.Fail(covAsAtField, msg)
		return a
	}
	a.AsAt = d
	return a
}

// covQuery is the page's query made canonical: the as-at date as as_at
// (not the date input's three fields) and no page number, for links that
// sort, filter or download what is shown.
func covQuery(r *http.Request, asAt domain.Date) url.Values {
	q := url.Values{}
	for k, v := range r.URL.Query() {
		switch k {
		case "as_at-day", "as_at-month", "as_at-year", "as_at", "page", "format", "table":
			continue
		}
		q[k] = v
	}
	if !asAt.IsZero() {
		q.Set("as_at", asAt.String())
	}
	return q
}

// covHref is path with the query q changed by the pairs given (an empty
// value removes the key) and an optional #fragment.
func covHref(path string, q url.Values, fragment string, pairs ...string) string {
	c := url.Values{}
	for k, v := range q {
		c[k] = v
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			c.Del(pairs[i])
		} else {
			c.Set(pairs[i], pairs[i+1])
		}
	}
	h := path
	if e := c.Encode(); e != "" {
		h += "?" + e
	}
	if fragment != "" {
		h += "#" + fragment
	}
	return h
}

// covDownloads are the links to a table as CSV and as XLSX.
type covDownloads struct{ CSV, XLSX, What string }

func covDownloadLinks(path string, q url.Values, table, what string) covDownloads {
	return covDownloads{CSV: covHref(path, q, "", "table", table, "format", "csv"),
		XLSX: covHref(path, q, "", "table", table, "format", "xlsx"), What: what}
}

// covWantsDownload reports whether the request asks for a file rather
// than the page.
func covWantsDownload(r *http.Request) bool { return r.URL.Query().Get("format") != "" }

// covDownload writes a table as the file the format asks for, as an
// attachment named after the table, the area and the as-at date.
func (s *Handlers) covDownload(w http.ResponseWriter, r *http.Request, t report.Table, area string) error {
	name := t.Name
	if area != "" {
		name += "-" + area
	}
	name += "-" + t.AsAt.String()
	var buf bytes.Buffer
	var ctype string
	switch r.URL.Query().Get("format") {
	case "csv":
		ctype, name = "text/csv; charset=utf-8", name+".csv"
		if err := report.WriteCSV(&buf, t); err != nil {
			return err
		}
	case "xlsx":
		ctype, name = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx"
		if err := report.WriteXLSX(&buf, t); err != nil {
			return err
		}
	default:
		return page.ErrNotFound
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err := buf.WriteTo(w)
	return err
}

// covCell is a figure in a table: its text, and the rows behind it.
type covCell struct {
	Text, Href string
	Hidden     string // completes a link's text for screen readers
	Numeric    bool
}

// covWhat names what a count counts, for link text.
var covWhat = map[string]string{"all": "eligible settings", "qualified": "with a qualified SENCO", "training": "with someone in training", "gap": "in the gap"}

// covHidden is a hidden input of a form that keeps the page's other
// choices when it is sent.
type covHidden struct{ Name, Value string }

// covHiddenFields keeps the query's values except the ones the form sets.
func covHiddenFields(q url.Values, except ...string) []covHidden {
	var out []covHidden
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "as_at" || slices.Contains(except, k) {
			continue
		}
		for _, v := range q[k] {
			out = append(out, covHidden{k, v})
		}
	}
	return out
}

// covDefinitions are the definitions every figure is counted by.
func covDefinitions() []report.Definition { return report.Definitions() }

// covCol is a sortable column of a table.
type covCol struct {
	Key, Text string
	Numeric   bool
}

// covHead is a column header: a sortable one links to the table sorted by
// it (the other way when it is already), and says how it is sorted.
type covHead struct {
	Text, Href, AriaSort, Arrow string
	Numeric                     bool
}

// covSort reads a table's sort key and direction from the query, falling
// back to the first column ascending when they name nothing known.
func covSort(q url.Values, sortParam, dirParam string, cols []covCol) (string, bool) {
	key, desc := cols[0].Key, q.Get(dirParam) == "desc"
	found := false
	for _, c := range cols {
		if c.Key == q.Get(sortParam) {
			key, found = c.Key, true
		}
	}
	if !found {
		desc = false
	}
	return key, desc
}

func covHeads(path string, q url.Values, sortParam, dirParam, fragment string, cols []covCol, key string, desc bool) []covHead {
	out := make([]covHead, len(cols))
	for i, c := range cols {
		h := covHead{Text: c.Text, Numeric: c.Numeric, AriaSort: "none"}
		dir := "asc"
		if c.Key == key {
			h.AriaSort, h.Arrow = "ascending", "▲"
			if desc {
				h.AriaSort, h.Arrow = "descending", "▼"
			} else {
				dir = "desc"
			}
		} else if c.Numeric {
			dir = "desc"
		}
		h.Href = covHref(path, q, fragment, sortParam, c.Key, dirParam, dir)
		out[i] = h
	}
	return out
}

// covSortRows orders rows by the value key gives, names breaking ties.
func covSortRows[T any](rows []T, desc bool, value func(T) (float64, string), name func(T) string) {
	slices.SortStableFunc(rows, func(a, b T) int {
		va, sa := value(a)
		vb, sb := value(b)
		c := cmp.Or(cmp.Compare(va, vb), strings.Compare(sa, sb))
		if desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(name(a), name(b)))
	})
}

// covEnded is how an ended authority is marked beside its name.
func covEnded(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return "(ended " + d.Long() + ")"
}

// covIMD describes an authority's IMD 2019 decile, saying when the figure
// is that of a former authority it was part of.
func covIMD(d *report.Deprivation) string {
	if d == nil {
		return "Not known"
	}
	s := strconv.Itoa(d.Decile)
	if d.PartOf() {
		s += " (part of " + d.UTLAName + ")"
	}
	return s
}

// covChart is a horizontal bar chart drawn as SVG: a text alternative in
// its title and description (role="img"), each bar labelled with its
// value in text, so nothing depends on colour; the table beside it holds
// the same figures.
type covChart struct {
	ID, Title, Desc string
	Width, Height   int
	LabelW, BarW    int
	Bars            []covBar
	Ticks           []covTick
	AxisY           int
}

type covBar struct {
	Label, Value string
	Y, W         float64
	TextY        float64
	ValueX       float64
	Outline      bool // draw the full scale behind the bar (a target)
}

type covTick struct {
	X     float64
	Label string
}

type covChartItem struct {
	Label, Value string
	Fraction     float64 // of the full scale, 0 to 1
}

const covRowH, covBarH, covTop = 30, 20, 10

// covBarChart lays out items as bars; ticks label the scale at 0, ¼, ½, ¾
// and the whole. valueW is the room left for each bar's value.
func covBarChart(id, title, desc string, items []covChartItem, tick func(float64) string, valueW int, outline bool) covChart {
	c := covChart{ID: id, Title: title, Desc: desc, LabelW: 220, BarW: 340}
	c.Width = c.LabelW + c.BarW + valueW
	for i, it := range items {
		f := min(max(it.Fraction, 0), 1)
		y := float64(covTop + i*covRowH)
		b := covBar{Label: it.Label, Value: it.Value, Y: y, W: f * float64(c.BarW), TextY: y + covBarH/2 + 5, Outline: outline}
		b.ValueX = float64(c.LabelW) + b.W + 8
		if outline {
			b.ValueX = float64(c.LabelW+c.BarW) + 8
		}
		c.Bars = append(c.Bars, b)
	}
	c.AxisY = covTop + len(items)*covRowH
	for _, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.Ticks = append(c.Ticks, covTick{X: float64(c.LabelW) + q*float64(c.BarW), Label: tick(q)})
	}
	c.Height = c.AxisY + 24
	return c
}

var covChartTemplate = template.Must(template.New("chart").Funcs(template.FuncMap{
	"n": page.Decimal,
}).Parse(`<svg class="cov-chart" xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc" focusable="false">
<title id="{{.ID}}-title">{{.Title}}</title>
<desc id="{{.ID}}-desc">{{.Desc}}</desc>
{{- $c := .}}
<g aria-hidden="true" font-family="Arial, sans-serif" font-size="14" fill="#0b0c0c">
{{- range .Ticks}}
<line x1="{{n .X}}" x2="{{n .X}}" y1="{{$.AxisY}}" y2="4" stroke="#b1b4b6" stroke-width="1"/>
<text x="{{n .X}}" y="{{$.AxisY}}" dy="16" text-anchor="middle" font-size="12">{{.Label}}</text>
{{- end}}
{{- range .Bars}}
<text x="{{$c.LabelW}}" dx="-8" y="{{n .TextY}}" text-anchor="end">{{.Label}}</text>
{{- if .Outline}}<rect x="{{$c.LabelW}}" y="{{n .Y}}" width="{{$c.BarW}}" height="20" fill="#ffffff" stroke="#0b0c0c" stroke-width="1"/>{{end}}
<rect x="{{$c.LabelW}}" y="{{n .Y}}" width="{{n .W}}" height="20" fill="#1d70b8"/>
<text x="{{n .ValueX}}" y="{{n .TextY}}" font-weight="bold">{{.Value}}</text>
{{- end}}
</g>
</svg>`))

// HTML renders the chart.
func (c covChart) HTML() (template.HTML, error) {
	var b bytes.Buffer
	if err := covChartTemplate.Execute(&b, c); err != nil {
		return "", fmt.Errorf("chart %s: %w", c.ID, err)
	}
	return template.HTML(b.String()), nil
}

package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"senco/internal/domain"
	"senco/internal/report"
	"senco/internal/report/reporttest"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// rpTable is a small table with every kind of cell, and a name a
// spreadsheet would take for a formula.
func rpTable() report.Table {
	return report.Table{
		Name: "sample", Title: "Sample, as at 1 June 2024", AsAt: domain.NewDate(2024, 6, 1),
		Columns: []report.Column{{"code", "Code", report.KindText}, {"name", "Name", report.KindText}, {"n", "Count", report.KindInt},
			{"share", "Share", report.KindPercent}, {"x", "Expected", report.KindNumber}, {"on", "Ended on", report.KindDate}},
		Rows: [][]any{
			{"E08000035", "Leeds", 14, 3.0 / 14, 1.5, domain.Date{}},
			{"E10000006", "=Cumbria, ended", 2, 0.5, 0.0, domain.NewDate(2023, 3, 31)},
			{"", "Not recorded by Ofsted", 0, 0.0, nil, nil},
		},
		Definitions: report.Definitions(),
	}
}

// TestCSVRoundTrip writes a table as CSV and reads it back.
func TestCSVRoundTrip(t *testing.T) {
	tbl := rpTable()
	var b bytes.Buffer
	if err := report.WriteCSV(&b, tbl); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(tbl.Rows)+1 {
		t.Fatalf("%d records", len(recs))
	}
	if got := strings.Join(recs[0], "|"); got != "Code|Name|Count|Share (fraction)|Expected|Ended on" {
		t.Errorf("header %s", got)
	}
	for i, row := range tbl.Rows {
		for j, want := range row {
			got := recs[i+1][j]
			c := tbl.Columns[j]
			switch want := want.(type) {
			case nil:
				if got != "" {
					t.Errorf("row %d %s: %q, want blank", i, c.Key, got)
				}
			case string:
				if strings.TrimPrefix(got, "'") != want || (strings.HasPrefix(want, "=") != strings.HasPrefix(got, "'")) {
					t.Errorf("row %d %s: %q, want %q (guarded if a formula)", i, c.Key, got, want)
				}
			case int:
				if n, err := strconv.Atoi(got); err != nil || n != want {
					t.Errorf("row %d %s: %q, want %d", i, c.Key, got, want)
				}
			case float64:
				f, err := strconv.ParseFloat(got, 64)
				places := 2
				if c.Kind == report.KindPercent {
					places = 4
				}
				if err != nil || math.Abs(f-want) > 0.5*math.Pow(10, -float64(places)) || len(got)-strings.Index(got, ".")-1 != places {
					t.Errorf("row %d %s: %q, want %v to %d places", i, c.Key, got, want, places)
				}
			case domain.Date:
				if (want.IsZero() && got != "") || (!want.IsZero() && got != want.String()) {
					t.Errorf("row %d %s: %q, want %s", i, c.Key, got, want)
				}
			}
		}
	}
	if recs[1][3] != "0.2143" {
		t.Errorf("3/14 written as %q", recs[1][3])
	}
}

// TestJSON writes a table as JSON and reads it back.
func TestJSON(t *testing.T) {
	tbl := rpTable()
	var b bytes.Buffer
	if err := report.WriteJSON(&b, tbl); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Name, Title string
		AsAt        string `json:"as_at"`
		Columns     []struct{ Key, Title, Kind string }
		Rows        []map[string]any
		Definitions []struct{ Term, Meaning string }
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.AsAt != "2024-06-01" || len(doc.Columns) != 6 || len(doc.Rows) != 3 || len(doc.Definitions) != len(report.Definitions()) {
		t.Fatalf("%s", b.String())
	}
	r := doc.Rows[0]
	if r["code"] != "E08000035" || r["n"] != 14.0 || r["share"] != 3.0/14 || r["on"] != nil {
		t.Errorf("row 0: %v", r)
	}
	if doc.Rows[1]["on"] != "2023-03-31" || doc.Rows[1]["name"] != "=Cumbria, ended" || doc.Rows[2]["x"] != nil {
		t.Errorf("rows 1, 2: %v %v", doc.Rows[1], doc.Rows[2])
	}
	// Keys in column order.
	out := b.String()
	i, j, k := strings.Index(out, `"code": "E08000035"`), strings.Index(out, `"name": "Leeds"`), strings.Index(out, `"n": 14`)
	if i < 0 || !(i < j && j < k) {
		t.Errorf("row keys not in column order: %s", out)
	}
}

// TestXLSX opens the spreadsheet with excelize: typed cells, formats, the
// frozen header, the autofilter and the Definitions sheet.
func TestXLSX(t *testing.T) {
	tbl := rpTable()
	var b bytes.Buffer
	if err := report.WriteXLSX(&b, tbl); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "sample" || got[1] != report.DefinitionsSheet {
		t.Fatalf("sheets %v", got)
	}
	sheet := "sample"
	if v, _ := f.GetCellValue(sheet, "A1"); v != "Code" {
		t.Errorf("A1 %q", v)
	}
	// The header is bold.
	if s, _ := f.GetCellStyle(sheet, "A1"); true {
		st, err := f.GetStyle(s)
		if err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("header style %+v %v", st, err)
		}
	}
	rawValue := func(cell string) string {
		v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	numFmt := func(cell string) string {
		s, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(s)
		if err != nil {
			t.Fatal(err)
		}
		if st.CustomNumFmt != nil {
			return *st.CustomNumFmt
		}
		return strconv.Itoa(st.NumFmt)
	}
	// Numbers are numbers, percentages fractions with a % format, dates
	// dates (a serial number with a date format), text text.
	if v := rawValue("C2"); v != "14" {
		t.Errorf("C2 %q", v)
	}
	if v, err := strconv.ParseFloat(rawValue("D2"), 64); err != nil || math.Abs(v-3.0/14) > 1e-12 || !strings.Contains(numFmt("D2"), "%") {
		t.Errorf("D2 %q format %q", rawValue("D2"), numFmt("D2"))
	}
	if v, _ := f.GetCellValue(sheet, "D2"); v != "21.4%" {
		t.Errorf("D2 shows %q", v)
	}
	serial, err := strconv.ParseFloat(rawValue("F3"), 64)
	if err != nil {
		t.Fatalf("F3 is not a date serial: %q", rawValue("F3"))
	}
	if d, err := excelize.ExcelDateToTime(serial, false); err != nil || !d.Equal(time.Date(2023, 3, 31, 0, 0, 0, 0, time.UTC)) || !strings.Contains(numFmt("F3"), "yy") {
		t.Errorf("F3 %v %v format %q", d, err, numFmt("F3"))
	}
	if v := rawValue("F2"); v != "" {
		t.Errorf("blank date written as %q", v)
	}
	if v := rawValue("B3"); v != "'=Cumbria, ended" { // guarded, as in CSV
		t.Errorf("B3 %q", v)
	}
	if formula, _ := f.GetCellFormula(sheet, "B3"); formula != "" {
		t.Errorf("B3 became a formula %q", formula)
	}
	// In the XML: numeric cells have no string type, the text cells do.
	xml := rpZipEntry(t, raw, "xl/worksheets/sheet1.xml")
	for _, want := range []string{`<c r="C2" s=`, `state="frozen"`, `ySplit="1"`, `topLeftCell="A2"`, `<autoFilter ref="$A$1:$F$4"`, `<col min="1" max="1" width=`} {
		if !strings.Contains(xml, want) {
			t.Errorf("sheet XML has no %s", want)
		}
	}
	if strings.Contains(rpCellXML(xml, "C2"), ` t="`) || !strings.Contains(rpCellXML(xml, "A2"), ` t="`) {
		t.Errorf("cell types: C2 %s, A2 %s", rpCellXML(xml, "C2"), rpCellXML(xml, "A2"))
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v %v", panes, err)
	}
	// The Definitions sheet: the title, the as-at date and every definition.
	rows, err := f.GetRows(report.DefinitionsSheet)
	if err != nil {
		t.Fatal(err)
	}
	text := ""
	for _, r := range rows {
		text += strings.Join(r, " | ") + "\n"
	}
	if !strings.Contains(text, tbl.Title) || !strings.Contains(text, "As at") {
		t.Errorf("Definitions sheet:\n%s", text)
	}
	for _, d := range report.Definitions() {
		if !strings.Contains(text, d.Term+" | "+d.Meaning) {
			t.Errorf("Definitions sheet lacks %s", d.Term)
		}
	}
	asAt, err := f.GetCellValue(report.DefinitionsSheet, "B2", excelize.Options{RawCellValue: true})
	if s, err2 := strconv.ParseFloat(asAt, 64); err != nil || err2 != nil {
		t.Errorf("as-at date is not a date: %q", asAt)
	} else if d, _ := excelize.ExcelDateToTime(s, false); !d.Equal(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("as-at date %v", d)
	}
}

func rpZipEntry(t *testing.T, b []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == name {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			x, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(x)
		}
	}
	t.Fatalf("no %s in the spreadsheet", name)
	return ""
}

// rpCellXML is the opening tag of a cell in sheet XML.
func rpCellXML(xml, ref string) string {
	i := strings.Index(xml, `<c r="`+ref+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(xml[i:], ">")
	return xml[i : i+j+1]
}

// TestCoverageXLSX exports the seeded coverage report and checks it
// against the report.
func TestCoverageXLSX(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		reporttest.Seed(t, db)
		c, err := report.BuildCoverage(context.Background(), db, rpNational, reporttest.TurnoverDay)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := c.Table("la")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := report.WriteXLSX(&b, tbl); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(tbl.Name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(tbl.Rows)+1 {
			t.Fatalf("%d rows in the sheet for %d in the table", len(rows), len(tbl.Rows))
		}
		last := rows[len(rows)-1]
		for i, col := range tbl.Columns {
			want := tbl.Rows[len(tbl.Rows)-1][i]
			switch want := want.(type) {
			case int:
				if i >= len(last) || last[i] != strconv.Itoa(want) {
					t.Errorf("England %s: sheet %v, table %d", col.Key, last, want)
				}
			case float64:
				got, err := strconv.ParseFloat(last[i], 64)
				// Spreadsheets keep 15 significant digits.
				if err != nil || math.Abs(got-want) > 1e-14 {
					t.Errorf("England %s: sheet %q, table %v", col.Key, last[i], want)
				}
			}
		}
	})
}

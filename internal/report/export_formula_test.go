package report_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"senco/internal/domain"
	"senco/internal/report"
)

// hostile are text cells a spreadsheet would run, one per trigger.
var hostile = []string{"=1+2 Nursery", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2", `=HYPERLINK("https://evil.example","x")`}

// hostileTable has a hostile value in every text cell, beside numbers
// (negative ones too) that must stay numbers.
func hostileTable() report.Table {
	t := report.Table{
		Name: "hostile", Title: "=1+2 title", AsAt: domain.NewDate(2024, 6, 1),
		Columns:     []report.Column{{"name", "Name", report.KindText}, {"town", "Town", report.KindText}, {"n", "Change", report.KindInt}, {"x", "Expected", report.KindNumber}},
		Definitions: []report.Definition{{Term: "=term", Meaning: "-meaning"}},
	}
	for i, h := range hostile {
		t.Rows = append(t.Rows, []any{h, h, -3 - i, -1.5})
	}
	return t
}

// TestExportWritersGuardFormulas writes a hostile table with every
// spreadsheet writer and checks no text cell starts with a trigger, while
// numbers stay numbers.
func TestExportWritersGuardFormulas(t *testing.T) {
	tbl := hostileTable()

	var b bytes.Buffer
	if err := report.WriteCSV(&b, tbl); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hostile {
		rec := recs[i+1]
		for j := range 2 {
			if rec[j] != "'"+h {
				t.Errorf("CSV row %d cell %d: %q, want %q", i+1, j+1, rec[j], "'"+h)
			}
		}
		if rec[2] != strconv.Itoa(-3-i) || rec[3] != "-1.50" {
			t.Errorf("CSV row %d numbers: %q %q", i+1, rec[2], rec[3])
		}
	}

	for _, write := range []struct {
		name string
		fn   func(*bytes.Buffer) error
	}{
		{"WriteXLSX", func(b *bytes.Buffer) error { return report.WriteXLSX(b, tbl) }},
		{"WriteXLSXBook", func(b *bytes.Buffer) error { return report.WriteXLSXBook(b, tbl, tbl) }},
	} {
		var b bytes.Buffer
		if err := write.fn(&b); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			for r, row := range rows {
				for c, v := range row {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					typ, _ := f.GetCellType(sheet, cell)
					if v == "" || typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset {
						continue
					}
					if strings.ContainsRune("=+-@\t\r", rune(v[0])) {
						t.Errorf("%s %s!%s: text %q starts with a formula trigger", write.name, sheet, cell, v)
					}
				}
			}
		}
		sheet := f.GetSheetName(0)
		if v, _ := f.GetCellValue(sheet, "C2", excelize.Options{RawCellValue: true}); v != "-3" {
			t.Errorf("%s C2: %q, want the number -3", write.name, v)
		}
		f.Close()
	}
}

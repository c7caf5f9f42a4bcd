package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"senco/internal/csvsafe"
	"senco/internal/domain"
)

// FractionSuffix ends the CSV header of a percent column: its values are
// fractions (0.1234 is 12.34%).
const FractionSuffix = " (fraction)"

// check reports a row whose cells do not match the columns, before any
// writer has written a byte.
func (t Table) check() error {
	for n, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("%s row %d has %d cells for %d columns", t.Name, n+1, len(row), len(t.Columns))
		}
	}
	return nil
}

// WriteCSV writes the table as UTF-8 CSV: a header row of the column
// titles (a percent column's title ends "(fraction)"), then one line per
// row. Integers are written as digits, percentages as fractions with 4
// decimal places (0.1234), other numbers with 2, dates as YYYY-MM-DD, and
// blank cells empty. Text that a spreadsheet would take for a formula gets
// a leading apostrophe.
func WriteCSV(w io.Writer, t Table) error {
	if err := t.check(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Title
		if c.Kind == KindPercent {
			head[i] += FractionSuffix
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for n, row := range t.Rows {
		for i, v := range row {
			s, err := csvCell(t.Columns[i], v)
			if err != nil {
				return fmt.Errorf("%s row %d, %s: %w", t.Name, n+1, t.Columns[i].Key, err)
			}
			rec[i] = s
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(c Column, v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return csvsafe.Cell(v), nil
	case int:
		return strconv.Itoa(v), nil
	case float64:
		if c.Kind == KindPercent {
			return strconv.FormatFloat(v, 'f', 4, 64), nil
		}
		return strconv.FormatFloat(v, 'f', 2, 64), nil
	case domain.Date:
		if v.IsZero() {
			return "", nil
		}
		return v.String(), nil
	}
	return "", fmt.Errorf("cannot write a %T", v)
}

// WriteJSON writes the table as one JSON object: name, title, as_at,
// columns (key, title, kind), rows (objects keyed by column key, in column
// order; percentages as fractions at full precision, dates as YYYY-MM-DD,
// blanks as null) and definitions (term, meaning).
func WriteJSON(w io.Writer, t Table) error {
	type col struct {
		Key   string `json:"key"`
		Title string `json:"title"`
		Kind  string `json:"kind"`
	}
	type def struct {
		Term    string `json:"term"`
		Meaning string `json:"meaning"`
	}
	doc := struct {
		Name        string            `json:"name"`
		Title       string            `json:"title"`
		AsAt        *string           `json:"as_at"`
		Columns     []col             `json:"columns"`
		Rows        []json.RawMessage `json:"rows"`
		Definitions []def             `json:"definitions"`
	}{Name: t.Name, Title: t.Title, Columns: []col{}, Rows: []json.RawMessage{}, Definitions: []def{}}
	if err := t.check(); err != nil {
		return err
	}
	if !t.AsAt.IsZero() {
		s := t.AsAt.String()
		doc.AsAt = &s
	}
	for _, c := range t.Columns {
		doc.Columns = append(doc.Columns, col{c.Key, c.Title, c.Kind})
	}
	for _, d := range t.Definitions {
		doc.Definitions = append(doc.Definitions, def{d.Term, d.Meaning})
	}
	for n, row := range t.Rows {
		var b bytes.Buffer
		b.WriteByte('{')
		for i, v := range row {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(t.Columns[i].Key)
			b.Write(k)
			b.WriteByte(':')
			switch d := v.(type) {
			case domain.Date:
				if d.IsZero() {
					v = nil
				} else {
					v = d.String()
				}
			case float64:
				if math.IsNaN(d) || math.IsInf(d, 0) {
					v = nil
				}
			}
			val, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("%s row %d, %s: %w", t.Name, n+1, t.Columns[i].Key, err)
			}
			b.Write(val)
		}
		b.WriteByte('}')
		doc.Rows = append(doc.Rows, b.Bytes())
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// DefinitionsSheet is the name of the sheet of definitions in an XLSX
// export.
const DefinitionsSheet = "Definitions"

// WriteXLSX writes the table as a spreadsheet: one sheet of the table
// with typed cells (integers and numbers as numbers, percentages as
// fractions with a percentage format, dates as dates, text guarded by
// csvsafe.Cell as in CSV), its header row
// bold and frozen, columns sized to their contents and an autofilter; and
// a sheet "Definitions" with the title, the as-at date and every
// definition.
func WriteXLSX(w io.Writer, t Table) error { return WriteXLSXBook(w, t) }

// WriteXLSXBook writes several tables as one spreadsheet, a sheet each,
// then the Definitions sheet (every table's title, the as-at date of the
// first, and the definitions of all of them, each once).
func WriteXLSXBook(w io.Writer, tables ...Table) error {
	if len(tables) == 0 {
		return fmt.Errorf("no table to write")
	}
	for _, t := range tables {
		if err := t.check(); err != nil {
			return err
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	used := map[string]bool{DefinitionsSheet: true}
	for i, t := range tables {
		name := sheetName(t.Name, used)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := writeSheet(f, name, t, st); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	if err := writeDefinitions(f, tables, st); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

type styles struct{ header, integer, percent, number, date, wrap, bold int }

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	pct, num, day := "0.0%", "#,##0.00", "yyyy-mm-dd"
	for _, x := range []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F3F2F1"}},
			Border: []excelize.Border{{Type: "bottom", Color: "0B0C0C", Style: 2}}}},
		{&s.integer, excelize.Style{NumFmt: 3}},
		{&s.percent, excelize.Style{CustomNumFmt: &pct}},
		{&s.number, excelize.Style{CustomNumFmt: &num}},
		{&s.date, excelize.Style{CustomNumFmt: &day}},
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}}},
	} {
		id, err := f.NewStyle(&x.style)
		if err != nil {
			return s, err
		}
		*x.id = id
	}
	return s, nil
}

// sheetName makes a valid, unused sheet name (at most 31 characters, none
// of []:*?/\).
func sheetName(name string, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) {
			return '-'
		}
		return r
	}, name)
	if name == "" {
		name = "Report"
	}
	if utf8.RuneCountInString(name) > 31 {
		name = string([]rune(name)[:31])
	}
	base := name
	for i := 2; used[name]; i++ {
		suffix := fmt.Sprintf(" %d", i)
		r := []rune(base)
		if len(r)+len(suffix) > 31 {
			r = r[:31-len(suffix)]
		}
		name = string(r) + suffix
	}
	used[name] = true
	return name
}

func writeSheet(f *excelize.File, sheet string, t Table, st styles) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// Widths from the contents: the longest value, or the title up to 30
	// characters (longer titles wrap), between 8 and 60.
	widths := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		widths[i] = min(utf8.RuneCountInString(c.Title), 30)
	}
	for _, row := range t.Rows {
		for i, v := range row {
			if i >= len(widths) {
				break
			}
			n := 0
			switch v := v.(type) {
			case string:
				n = utf8.RuneCountInString(v)
			case int:
				n = len(strconv.Itoa(v)) + len(strconv.Itoa(v))/3
			case float64:
				n = 8
			case domain.Date:
				n = 10
			}
			widths[i] = max(widths[i], n)
		}
	}
	lines := 1
	for i, c := range t.Columns {
		w := min(max(widths[i]+2, 8), 60)
		widths[i] = w
		if err := sw.SetColWidth(i+1, i+1, float64(w)); err != nil {
			return err
		}
		lines = max(lines, (utf8.RuneCountInString(c.Title)+w-3)/(w-2))
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	head := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = excelize.Cell{StyleID: st.header, Value: c.Title}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: float64(15 * lines)}); err != nil {
		return err
	}
	cells := make([]any, len(t.Columns))
	for n, row := range t.Rows {
		for i, v := range row {
			switch v := v.(type) {
			case nil:
				cells[i] = nil
			case string:
				if v == "" {
					cells[i] = nil // a blank cell, not an empty string
					continue
				}
				cells[i] = csvsafe.Cell(v) // text a person could edit back into a formula
			case int:
				cells[i] = excelize.Cell{StyleID: st.integer, Value: v}
			case float64:
				if math.IsNaN(v) || math.IsInf(v, 0) {
					cells[i] = nil
					continue
				}
				s := st.number
				if t.Columns[i].Kind == KindPercent {
					s = st.percent
				}
				cells[i] = excelize.Cell{StyleID: s, Value: v}
			case domain.Date:
				if v.IsZero() {
					cells[i] = nil
					continue
				}
				cells[i] = excelize.Cell{StyleID: st.date, Value: v.Time()}
			default:
				return fmt.Errorf("%s row %d, %s: cannot write a %T", t.Name, n+1, t.Columns[i].Key, v)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	// The autofilter is set on the worksheet before Flush, which writes it
	// after the streamed rows.
	last, _ := excelize.CoordinatesToCellName(max(len(t.Columns), 1), len(t.Rows)+1)
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return err
	}
	return sw.Flush()
}

func writeDefinitions(f *excelize.File, tables []Table, st styles) error {
	sheet := DefinitionsSheet
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	set := func(cell string, v any, style int) error {
		if s, ok := v.(string); ok {
			v = csvsafe.Cell(s)
		}
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, cell, cell, style)
	}
	if err := f.SetColWidth(sheet, "A", "A", 34); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 110); err != nil {
		return err
	}
	row := 1
	for _, t := range tables {
		if err := set(fmt.Sprintf("A%d", row), "Table", st.bold); err != nil {
			return err
		}
		if err := set(fmt.Sprintf("B%d", row), t.Title, st.wrap); err != nil {
			return err
		}
		row++
	}
	asAt := tables[0].AsAt
	if err := set(fmt.Sprintf("A%d", row), "As at", st.bold); err != nil {
		return err
	}
	if !asAt.IsZero() {
		if err := set(fmt.Sprintf("B%d", row), asAt.Time(), st.date); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, fmt.Sprintf("B%d", row), fmt.Sprintf("B%d", row), st.date); err != nil {
			return err
		}
	}
	row++
	if err := set(fmt.Sprintf("A%d", row), "Note", st.bold); err != nil {
		return err
	}
	if err := set(fmt.Sprintf("B%d", row), "Percentages are stored as fractions (0.1234) and shown as percentages. Every figure is counted by the definitions below.", st.wrap); err != nil {
		return err
	}
	row += 2
	if err := set(fmt.Sprintf("A%d", row), "Term", st.header); err != nil {
		return err
	}
	if err := set(fmt.Sprintf("B%d", row), "Meaning", st.header); err != nil {
		return err
	}
	row++
	seen := map[string]bool{}
	for _, t := range tables {
		for _, d := range t.Definitions {
			if seen[d.Term] {
				continue
			}
			seen[d.Term] = true
			if err := set(fmt.Sprintf("A%d", row), d.Term, st.bold); err != nil {
				return err
			}
			if err := set(fmt.Sprintf("B%d", row), d.Meaning, st.wrap); err != nil {
				return err
			}
			// Wrapped text needs the row tall enough to show it.
			if err := f.SetRowHeight(sheet, row, float64(15*max(1, (utf8.RuneCountInString(d.Meaning)+99)/100))); err != nil {
				return err
			}
			row++
		}
	}
	return nil
}

// Package csvsafe keeps the text cells of exported spreadsheets from being
// taken for formulas. A name such as "=HYPERLINK(…)" typed into the service
// would otherwise run in the spreadsheet of whoever opens the export.
//
// The rule is OWASP's: a cell starting with =, +, -, @, a tab or a carriage
// return gets a leading single quote, which spreadsheets show as text and
// do not evaluate. Every CSV and XLSX writer applies it through Cell or
// Writer, so there is one rule.
package csvsafe

import (
	"encoding/csv"
	"io"
	"strings"
)

// triggers are the first characters that make a spreadsheet read a cell as
// a formula (or, for tab and carriage return, hide one after them).
const triggers = "=+-@\t\r"

// Cell returns s guarded against being read as a formula.
//
// A plain number such as "-3" or "-0.25" is left alone: a spreadsheet reads
// it as that number, not a formula, and prefixing it would turn a numeric
// column into text. Anything more (like "-3+A1" or "-1e3") is guarded.
func Cell(s string) string {
	if s == "" || !strings.ContainsRune(triggers, rune(s[0])) || plainNumber(s) {
		return s
	}
	return "'" + s
}

// Unguard undoes Cell, for a file of ours that comes back (a register
// downloaded, filled in and uploaded): a leading quote before a trigger is
// removed; anything else is left as it is.
func Unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(triggers, rune(s[1])) {
		return s[1:]
	}
	return s
}

// plainNumber reports whether s is a sign, digits and at most one decimal
// point among them.
func plainNumber(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	digits, points := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}

// Writer is a csv.Writer whose every field goes through Cell.
type Writer struct {
	w   *csv.Writer
	rec []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one record, guarding each field.
func (w *Writer) Write(record []string) error {
	w.rec = w.rec[:0]
	for _, f := range record {
		w.rec = append(w.rec, Cell(f))
	}
	return w.w.Write(w.rec)
}

// Flush writes any buffered data to the underlying io.Writer.
func (w *Writer) Flush() { w.w.Flush() }

// Error reports any error from an earlier Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }

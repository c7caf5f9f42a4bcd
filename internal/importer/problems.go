// Package importer reads and validates the files people upload: the Ofsted
// register of early years providers, local authority lists and lists of
// practitioners with their employments. It is pure — no database — and
// all-or-nothing: every row is checked before anything is returned, and a file
// with any problem is refused as a whole with a *Problems error listing what
// is wrong, row by row, in words the person who made the file can act on.
package importer

import (
	"fmt"
	"path/filepath"
	"strings"
)

// MaxProblems is how many problems a *Problems keeps; Total counts them all.
const MaxProblems = 100

// Problem is one thing wrong with an input file.
type Problem struct {
	File     string // base name of the file
	Row      int    // 1-based row number as a spreadsheet shows it (header row = its own number); 0 for whole-file problems
	Column   string // header name, "" for whole-row/file problems
	Value    string
	Expected string // what was expected, in plain words
}

// String is the problem as one line, e.g.
//
//	providers.csv row 12, column "Registration date": "31/02/2021" — expected a real date as DD/MM/YYYY
//	providers.csv row 3: expected 46 values, as many as the header row has, but this row has 47 (…)
//	providers.csv column "Local authority" is missing — expected a column headed "Local authority" (…)
//	providers.csv: expected a CSV file, but this is an Excel workbook (…)
//
// A problem with a Column and no Row is a column missing from the file.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Row > 0 {
		fmt.Fprintf(&b, " row %d", p.Row)
	}
	if p.Column != "" {
		if p.Row > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " column %q", p.Column)
	}
	switch {
	case p.Row == 0 && p.Column != "":
		// A column of the file, not a value in it: the column is missing.
		b.WriteString(" is missing —")
	case p.Column != "" || p.Value != "":
		b.WriteString(":")
		if p.Value == "" {
			b.WriteString(" blank")
		} else {
			fmt.Fprintf(&b, " %q", shorten(p.Value, 80))
		}
		b.WriteString(" —")
	default:
		b.WriteString(":")
	}
	b.WriteString(" expected ")
	b.WriteString(p.Expected)
	return b.String()
}

// shorten cuts s to at most n runes so a runaway field (a whole file read
// into one quoted value) does not flood the message.
func shorten(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

// Problems is the error returned when a file is refused: at most the first
// MaxProblems problems, and the total count.
type Problems struct {
	List  []Problem
	Total int
}

// Error is one line per problem, then how many more there are.
func (p *Problems) Error() string {
	var b strings.Builder
	for i, q := range p.List {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(q.String())
	}
	if more := p.Total - len(p.List); more > 0 {
		if len(p.List) > 0 {
			b.WriteByte('\n')
		}
		if more == 1 {
			b.WriteString("… and 1 more problem")
		} else {
			fmt.Fprintf(&b, "… and %d more problems", more)
		}
	}
	return b.String()
}

// collector gathers the problems of one file.
type collector struct {
	file  string
	probs Problems
}

func newCollector(file string) *collector {
	if i := strings.LastIndexByte(file, '\\'); i >= 0 {
		file = file[i+1:] // a Windows path, as some browsers send
	}
	base := filepath.Base(file)
	if file == "" || base == "." || base == "/" {
		base = "file"
	}
	return &collector{file: base}
}

func (c *collector) add(row int, column, value, expected string) {
	c.probs.Total++
	if len(c.probs.List) < MaxProblems {
		c.probs.List = append(c.probs.List, Problem{File: c.file, Row: row, Column: column, Value: value, Expected: expected})
	}
}

// whole records a problem with the file as a whole.
func (c *collector) whole(expected string) { c.add(0, "", "", expected) }

func (c *collector) failed() bool { return c.probs.Total > 0 }

// err returns the *Problems, or nil when there are none. It returns the
// error interface so a nil result is a true nil.
func (c *collector) err() error {
	if c.probs.Total == 0 {
		return nil
	}
	p := c.probs
	return &p
}

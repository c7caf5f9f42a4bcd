package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"Alice":                   "Alice",
		"O'Brien":                 "O'Brien",
		"=1+2":                    "'=1+2",
		"=HYPERLINK(\"x\",\"y\")": "'=HYPERLINK(\"x\",\"y\")",
		"+44 113 000 0000":        "'+44 113 000 0000",
		"-2+3":                    "'-2+3",
		"@SUM(A1)":                "'@SUM(A1)",
		"\t=1":                    "'\t=1",
		"\r=1":                    "'\r=1",
		"-":                       "'-",
		"-1e3":                    "'-1e3",
		"-.":                      "'-.",
		"1.2.3":                   "1.2.3",
		"-3":                      "-3",
		"-0.25":                   "-0.25",
		"+7":                      "+7",
		"12":                      "12",
		" =1+2":                   " =1+2",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnguard(t *testing.T) {
	for _, s := range []string{"", "Alice", "=1+2", "-2+3", "-3", "@a", "+44 1", "'quoted", "''=x", "'"} {
		if got := Unguard(Cell(s)); got != s {
			t.Errorf("Unguard(Cell(%q)) = %q", s, got)
		}
	}
	if got := Unguard("'Brien"); got != "'Brien" {
		t.Errorf("Unguard changed a quote before a letter: %q", got)
	}
}

func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	if err := w.Write([]string{"=1+2", "Alice", "-3"}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	rec, err := csv.NewReader(&b).Read()
	if err != nil || rec[0] != "'=1+2" || rec[1] != "Alice" || rec[2] != "-3" {
		t.Fatalf("%q %v", rec, err)
	}
}

package importer

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// readAllText runs openText and its stream over in.
func readAllText(in []byte) (string, error) {
	c := newCollector("f.csv")
	r, _ := openText(c, bytes.NewReader(in))
	if r == nil {
		return "", c.err()
	}
	b, err := io.ReadAll(r)
	return string(b), err
}

func TestTextStream(t *testing.T) {
	const chunk = 64 << 10
	filler := func(n int) string { return strings.Repeat("a,b\n", n/4) + strings.Repeat("x", n%4) }
	tests := []struct {
		name string
		in   []byte
		want string // "" when an error is wanted
		err  string
	}{
		{"ASCII", []byte("a,b\n1,2\n"), "a,b\n1,2\n", ""},
		{"BOM dropped", []byte("\xef\xbb\xbfa,b\n"), "a,b\n", ""},
		{"UTF-8 across the chunk boundary", []byte(filler(chunk-1) + "é,ü\n"), filler(chunk-1) + "é,ü\n", ""},
		{"UTF-8 three-byte rune across the boundary", []byte(filler(chunk-2) + "–\n"), filler(chunk-2) + "–\n", ""},
		{"Windows-1252 after the first chunk", []byte(filler(70000) + "Caf\xe9\n" + filler(100) + "Cr\xe8che \x96 \x80\n"), filler(70000) + "Café\n" + filler(100) + "Crèche – €\n", ""},
		{"Windows-1252 byte at the end of a chunk", []byte(filler(chunk-1) + "\xe9t\xe9\n"), filler(chunk-1) + "été\n", ""},
		{"Windows-1252 byte last in the file", []byte("a,Caf\xe9"), "a,Café", ""},
		{"undefined Windows-1252 byte", []byte("a,b\n\x81,c\n"), "", "encoding that cannot be read reliably"},
		{"long run of non-ASCII", []byte("a,\xe9\xe9\xe9\xe9\n"), "", "encoding that cannot be read reliably"},
		{"too much non-ASCII", []byte(strings.Repeat("\xe9 ", 50)), "", "encoding that cannot be read reliably"},
		{"UTF-8 then not", []byte(filler(100) + "é\n" + filler(chunk*2) + "\xe9\n"), "", "mixes UTF-8"},
		{"NUL after the start", []byte(filler(100000) + "\x00"), "", "binary data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, in := range [][]byte{tc.in, gz(t, tc.in)} {
				got, err := readAllText(in)
				if tc.err == "" {
					if err != nil || got != tc.want {
						t.Fatalf("got %d bytes, %v; want %d bytes (first difference at %d)", len(got), err, len(tc.want), firstDiff(got, tc.want))
					}
					continue
				}
				var te *textError
				if !errors.As(err, &te) || !strings.Contains(te.expected, tc.err) {
					t.Fatalf("got %v, want a text error saying %q", err, tc.err)
				}
			}
		})
	}
}

func firstDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestDates(t *testing.T) {
	for _, s := range []string{"31/02/2021", "29/02/2021", "00/01/2021", "1/13/2021", "01/01/21", "01-01-2021", "2021-01-01", "01/01/2021x", "", "31/04/2021", "01/01/1899"} {
		if d, ok := parseUKDate(s); ok {
			t.Errorf("parseUKDate(%q) = %v", s, d)
		}
	}
	for s, want := range map[string]string{"29/02/2020": "2020-02-29", "1/2/2021": "2021-02-01", "31/12/1979": "1979-12-31", "29/02/2000": "2000-02-29"} {
		if d, ok := parseUKDate(s); !ok || d.String() != want {
			t.Errorf("parseUKDate(%q) = %v, %v", s, d, ok)
		}
	}
	for _, s := range []string{"2021-02-29", "2021-2-01", "2021/02/01", "1900-02-29"} {
		if d, ok := parseISODate(s); ok {
			t.Errorf("parseISODate(%q) = %v", s, d)
		}
	}
	if d, ok := parseAnyDate("2024-02-29"); !ok || d.String() != "2024-02-29" {
		t.Error(d, ok)
	}
}

func TestPostcodes(t *testing.T) {
	for in, want := range map[string]string{
		"RM10 8DF": "RM10 8DF", "rm108df": "RM10 8DF", " sw1a  1aa ": "SW1A 1AA", "W1A 0AX": "W1A 0AX", "m11ae": "M1 1AE",
		"B33 8TH": "B33 8TH", "not known": "NOT KNOWN", "BFPO 123": "BFPO 123", "": "",
	} {
		var b strings.Builder
		writePostcode(&b, in)
		if b.String() != want {
			t.Errorf("%q → %q, want %q", in, b.String(), want)
		}
	}
}

func TestRegisters(t *testing.T) {
	for in, want := range map[string][3]bool{
		"ALL": {true, true, true}, "EYR only": {true, false, false}, "EYR-CCR": {true, true, false}, "CCR-VCR": {false, true, true},
		"CCR only": {false, true, false}, "EYR-VCR": {true, false, true}, "VCR only": {false, false, true},
		"EYR, CCR, VCR": {true, true, true}, "EYR/CCR": {true, true, false},
	} {
		if got, ok := parseRegisters(in); !ok || got != want {
			t.Errorf("%q → %v %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "None", "EYR+XYZ", "only"} {
		if got, ok := parseRegisters(in); ok {
			t.Errorf("%q accepted as %v", in, got)
		}
	}
}

func TestURNs(t *testing.T) {
	for _, s := range []string{"319354", "2602617", "EY101465", "VC123456", "CA000006"} {
		if !validURN(s) {
			t.Errorf("%q refused", s)
		}
	}
	for _, s := range []string{"", "12345", "12345678", "EY12345", "SC123456", "EY1234567x", "ey101465", "EY 101465"} {
		if validURN(s) {
			t.Errorf("%q accepted", s)
		}
	}
}

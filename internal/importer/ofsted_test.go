package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"senco/internal/domain"
)

type typeCounts map[domain.ProviderType]int

func countTypes(ss []domain.Setting, keep func(domain.Setting) bool) typeCounts {
	c := typeCounts{}
	for _, s := range ss {
		if keep == nil || keep(s) {
			c[s.Type]++
		}
	}
	return c
}

func eligibleAt(d domain.Date) func(domain.Setting) bool {
	return func(s domain.Setting) bool { return domain.EligibleSetting(s, d) }
}

func TestParseOfstedExtract(t *testing.T) {
	f, err := os.Open(extractFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rel, err := ParseOfsted("ofsted_childcare_providers_2021-08-31_extract.csv", f, shippedIndex(), release2021)
	if err != nil {
		t.Fatal(err)
	}
	if rel.Rows != 2000 || len(rel.Settings) != 2000 {
		t.Fatalf("rows %d, settings %d; want 2000", rel.Rows, len(rel.Settings))
	}
	want := typeCounts{domain.Childminder: 936, domain.NonDomestic: 771, domain.HomeChildcarer: 273, domain.Domestic: 20}
	if got := countTypes(rel.Settings, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("by type %v, want %v", got, want)
	}
	wantEligible := typeCounts{domain.Childminder: 901, domain.NonDomestic: 677, domain.Domestic: 20}
	if got := countTypes(rel.Settings, eligibleAt(release2021)); !reflect.DeepEqual(got, wantEligible) {
		t.Errorf("eligible by type %v, want %v", got, wantEligible)
	}
	if len(rel.NotRecorded) != 1 {
		t.Errorf("NotRecorded %v, want 1 URN", rel.NotRecorded)
	}
	places := 0
	for _, s := range rel.Settings {
		if s.EYR {
			places += s.Places
		}
		if s.Status != domain.Active || s.SourceRelease != "2021-08-31" || !s.LastSeenOn.Equal(release2021) {
			t.Fatalf("setting %s: status %q, release %q, last seen %v", s.URN, s.Status, s.SourceRelease, s.LastSeenOn)
		}
		if s.LACode == "" && !slices.Contains(rel.NotRecorded, s.URN) {
			t.Errorf("setting %s has no LA but is not in NotRecorded", s.URN)
		}
	}
	if places != 38106 {
		t.Errorf("EYR places %d, want 38106", places)
	}

	first := rel.Settings[0]
	wantFirst := domain.Setting{
		URN: "2602617", Name: "Sun and Moon Playcare Scheme", Type: domain.NonDomestic, Subtype: "Out-of-school day care",
		Status: domain.Active, EYR: true, CCR: true, VCR: true, LACode: "E09000002",
		Address1: "Richard Alibon Primary School", Address2: "Alibon Road", Town: "Dagenham", Postcode: "RM10 8DF",
		Places: 16, RegisteredOn: domain.NewDate(2020, 9, 18), SourceRelease: "2021-08-31", LastSeenOn: release2021,
	}
	if !reflect.DeepEqual(first, wantFirst) {
		t.Errorf("first setting\n got %+v\nwant %+v", first, wantFirst)
	}
	third := rel.Settings[2] // a childminder: Ofsted redacts name and address
	if third.URN != "EY339354" || third.Name != "" || third.Address1 != "" || third.Town != "" || third.Postcode != "" ||
		third.Type != domain.Childminder || third.Outcome != 2 || !third.InspectedOn.Equal(domain.NewDate(2017, 3, 23)) {
		t.Errorf("redacted childminder: %+v", third)
	}
}

func TestParseOfstedFull(t *testing.T) {
	f, err := os.Open(fullFile)
	if err != nil {
		t.Skipf("the full 2021 Ofsted register is not beside the project (%v): skipping the national-scale check", err)
	}
	defer f.Close()
	rel, err := ParseOfsted("ofsted_childcare_providers_2021-08-31_full.csv.gz", f, shippedIndex(), release2021)
	if err != nil {
		t.Fatal(err)
	}
	if rel.Rows != 70980 || len(rel.Settings) != 70980 {
		t.Fatalf("rows %d, settings %d; want 70980", rel.Rows, len(rel.Settings))
	}
	want := typeCounts{domain.Childminder: 33683, domain.NonDomestic: 27378, domain.HomeChildcarer: 9685, domain.Domestic: 234}
	if got := countTypes(rel.Settings, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("by type %v, want %v", got, want)
	}
	wantEligible := typeCounts{domain.Childminder: 31957, domain.NonDomestic: 23538, domain.Domestic: 228}
	got := countTypes(rel.Settings, eligibleAt(release2021))
	if !reflect.DeepEqual(got, wantEligible) {
		t.Errorf("eligible by type %v, want %v", got, wantEligible)
	}
	if n := got[domain.Childminder] + got[domain.NonDomestic] + got[domain.Domestic]; n != 55723 {
		t.Errorf("eligible %d, want 55723", n)
	}
	if len(rel.NotRecorded) != 36 {
		t.Errorf("NotRecorded %d, want 36", len(rel.NotRecorded))
	}
	places, active := 0, 0
	byLA := map[string]int{}
	for _, s := range rel.Settings {
		if s.EYR {
			places += s.Places
		}
		if s.Status == domain.Active {
			active++
		}
		byLA[s.LACode]++
	}
	if places != 1287503 {
		t.Errorf("EYR places %d, want 1,287,503", places)
	}
	if active != 70980 {
		t.Errorf("active %d, want all", active)
	}
	// Per authority, the totals of the derived by-LA file.
	for _, r := range byLARows(t) {
		if n, _ := strconv.Atoi(r["total_providers"]); byLA[r["la_gss_code"]] != n {
			t.Errorf("%s (%s): %d providers, want %d", r["ofsted_la_name"], r["la_gss_code"], byLA[r["la_gss_code"]], n)
		}
	}
}

func byLARows(t *testing.T) []map[string]string {
	t.Helper()
	f, err := os.Open("testdata/ofsted_childcare_providers_2021-08-31_by_la.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range all[1:] {
		m := map[string]string{}
		for i, k := range all[0] {
			m[k] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

func TestParseOfstedLayouts(t *testing.T) {
	h2021, _ := extract()
	// The original 2021 file before the personal columns were dropped.
	var hOrig []string
	for _, k := range h2021 {
		hOrig = append(hOrig, k)
		switch k {
		case "Registered person URN":
			hOrig = append(hOrig, "Registered_Person_Name")
		case "Postcode":
			hOrig = append(hOrig, "Telephone Number")
		}
	}
	// A newer file: renamed, re-cased columns, no register flags, report-card-era inspection columns.
	hNew := []string{"Provider URN", "Registration Date", "Provider Type", "Provider Subtype", "Provider Status",
		"Individual register combinations", "Provider Name", "Provider Address Line 1", "Provider Town",
		"Provider Postcode", "Provider Local Authority", "Provider Region", "Places",
		"EYR OEIF: Most recent: Full inspection date", "EYR OEIF/CIF: Most recent: Overall effectiveness",
		"EYR REIF: Most recent: Inspection date"}
	newRow := func(urn, combos, la, postcode, oe, date string) map[string]string {
		return map[string]string{"Provider URN": urn, "Registration Date": "01/02/2020", "Provider Type": "Childcare on non-domestic premises",
			"Provider Subtype": "Full day care", "Provider Status": "Active", "Individual register combinations": combos,
			"Provider Name": "Little Acorns", "Provider Address Line 1": "1 High Street", "Provider Town": "Leeds",
			"Provider Postcode": postcode, "Provider Local Authority": la, "Provider Region": "Yorkshire and The Humber", "Places": "40",
			"EYR OEIF: Most recent: Full inspection date": date, "EYR OEIF/CIF: Most recent: Overall effectiveness": oe}
	}
	cp := func(s string) []byte {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	secretName, secretPhone := "Jane Secretperson", "01632 960123"

	tests := []struct {
		name    string
		file    string
		in      []byte
		release domain.Date
		check   func(t *testing.T, rel *Release)
	}{
		{
			name: "BOM and CRLF",
			in:   []byte("\ufeff" + strings.ReplaceAll(ofstedCSV(ofstedRow(nil), ofstedRow(map[string]string{"Provider URN": "EY123456"})), "\n", "\r\n")),
			check: func(t *testing.T, rel *Release) {
				if len(rel.Settings) != 2 || rel.Settings[0].URN != "2602617" || rel.Settings[1].Places != 16 || rel.Settings[0].Name != "Sun and Moon Playcare Scheme" {
					t.Errorf("got %+v", rel.Settings)
				}
			},
		},
		{
			name: "quoted newline and comma",
			in:   []byte(ofstedCSV(ofstedRow(map[string]string{"Provider name": "Acorns, Oaks\r\nand Saplings"}), ofstedRow(map[string]string{"Provider URN": "EY123456"}))),
			check: func(t *testing.T, rel *Release) {
				if len(rel.Settings) != 2 || rel.Settings[0].Name != "Acorns, Oaks\nand Saplings" {
					t.Errorf("got %q", rel.Settings[0].Name)
				}
			},
		},
		{
			name: "gzip whatever the name",
			file: "register.csv",
			in:   gz(t, []byte(ofstedCSV(ofstedRow(nil)))),
			check: func(t *testing.T, rel *Release) {
				if len(rel.Settings) != 1 || rel.Settings[0].LACode != "E09000002" {
					t.Errorf("got %+v", rel.Settings)
				}
			},
		},
		{
			name: "two lines above the header and renamed columns",
			in: []byte("Childcare providers and inspections: most recent inspections as at 31 March 2026\n" +
				"\"This worksheet contains one table, with providers in rows. Some cells are REDACTED.\"\n" +
				csvText(hNew,
					newRow("2700001", "EYR-CCR", "Leeds", "ls8 5dt", "2", "12/09/2018"),
					newRow("EY700002", "CCR-VCR", "North Yorkshire", "YO1  7HH", "-", ""),
					newRow("2700003", "EYR, CCR, VCR", "Bristol, City of", "BS1 5TR", "Outstanding", "01/03/2024"),
					newRow("2700004", "ALL", "Cumberland", "REDACTED", "", ""))),
			release: domain.NewDate(2026, 3, 31),
			check: func(t *testing.T, rel *Release) {
				s := rel.Settings
				if len(s) != 4 {
					t.Fatalf("%d settings", len(s))
				}
				type regs struct{ e, c, v bool }
				for i, want := range []regs{{true, true, false}, {false, true, true}, {true, true, true}, {true, true, true}} {
					if got := (regs{s[i].EYR, s[i].CCR, s[i].VCR}); got != want {
						t.Errorf("row %d registers %v, want %v", i, got, want)
					}
				}
				if s[0].Postcode != "LS8 5DT" || s[1].Postcode != "YO1 7HH" || s[3].Postcode != "" {
					t.Errorf("postcodes %q %q %q", s[0].Postcode, s[1].Postcode, s[3].Postcode)
				}
				if s[0].Outcome != 2 || !s[0].InspectedOn.Equal(domain.NewDate(2018, 9, 12)) || s[1].Outcome != 0 || s[2].Outcome != 1 {
					t.Errorf("outcomes %v %v %v", s[0].Outcome, s[1].Outcome, s[2].Outcome)
				}
				if s[1].LACode != "E06000065" || s[2].LACode != "E06000023" || s[3].LACode != "E06000063" {
					t.Errorf("LA codes %s %s %s", s[1].LACode, s[2].LACode, s[3].LACode)
				}
				if s[0].Places != 40 || s[0].Town != "Leeds" || s[0].Subtype != "Full day care" {
					t.Errorf("got %+v", s[0])
				}
			},
		},
		{
			name: "original layout with the person's name and telephone",
			in: []byte(csvText(hOrig,
				ofstedRow(map[string]string{"Registered_Person_Name": secretName, "Telephone Number": secretPhone}),
				ofstedRow(map[string]string{"Provider URN": "EY123456", "Registered_Person_Name": secretName, "Telephone Number": secretPhone, "Local authority": "Not Recorded"}))),
			check: func(t *testing.T, rel *Release) {
				if len(rel.Settings) != 2 || rel.Settings[0].Postcode != "RM10 8DF" || rel.Settings[0].Name != "Sun and Moon Playcare Scheme" {
					t.Fatalf("got %+v", rel.Settings)
				}
				var strs []string
				allStrings(reflect.ValueOf(rel), &strs)
				for _, s := range strs {
					if strings.Contains(s, "Secretperson") || strings.Contains(s, "960123") {
						t.Errorf("personal data kept: %q", s)
					}
				}
			},
		},
		{
			name: "Windows-1252",
			in: cp(ofstedCSV(
				ofstedRow(map[string]string{"Provider name": "Café Crèche – Zoë’s", "Provider town": "Ashby-de-la-Zouch"}),
				ofstedRow(map[string]string{"Provider URN": "EY123456", "Provider name": "Naïve Nursery"}))),
			check: func(t *testing.T, rel *Release) {
				if rel.Settings[0].Name != "Café Crèche – Zoë’s" || rel.Settings[1].Name != "Naïve Nursery" {
					t.Errorf("names %q, %q", rel.Settings[0].Name, rel.Settings[1].Name)
				}
			},
		},
		{
			name: "UTF-8 with non-breaking spaces",
			in:   []byte(ofstedCSV(ofstedRow(map[string]string{"Provider name": "\u00a0Café\u00a0Bleu ", "Local authority": "Barking\u00a0and Dagenham\u00a0"}))),
			check: func(t *testing.T, rel *Release) {
				if rel.Settings[0].Name != "Café Bleu" || rel.Settings[0].LACode != "E09000002" {
					t.Errorf("got %q %q", rel.Settings[0].Name, rel.Settings[0].LACode)
				}
			},
		},
		{
			name: "status, Not Recorded, lower-case URN, blank grade",
			in: []byte(ofstedCSV(
				ofstedRow(map[string]string{"Provider status": "Resigned"}),
				ofstedRow(map[string]string{"Provider URN": "ey101465", "Local authority": "Not Recorded", "Most recent full: Overall effectiveness": "-", "Places": ""}),
			)),
			check: func(t *testing.T, rel *Release) {
				s := rel.Settings
				if s[0].Status != domain.Closed || s[0].ClosedOn.IsZero() || s[1].Status != domain.Active {
					t.Errorf("statuses %q %q", s[0].Status, s[1].Status)
				}
				if s[1].URN != "EY101465" || s[1].LACode != "" || !reflect.DeepEqual(rel.NotRecorded, []string{"EY101465"}) || s[1].Places != 0 {
					t.Errorf("got %+v, NotRecorded %v", s[1], rel.NotRecorded)
				}
			},
		},
		{
			name: "blank rows are skipped",
			in:   []byte(ofstedCSV(ofstedRow(nil)) + "\n,,,,,,\n"),
			check: func(t *testing.T, rel *Release) {
				if rel.Rows != 1 || len(rel.Settings) != 1 {
					t.Errorf("rows %d", rel.Rows)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file, release := tc.file, tc.release
			if file == "" {
				file = "providers.csv"
			}
			if release.IsZero() {
				release = release2021
			}
			rel, err := ParseOfsted(file, bytes.NewReader(tc.in), shippedIndex(), release)
			if err != nil {
				t.Fatal(err)
			}
			if rel.Rows != len(rel.Settings) {
				t.Errorf("Rows %d, settings %d", rel.Rows, len(rel.Settings))
			}
			tc.check(t, rel)
		})
	}
}

func TestParseOfstedProblems(t *testing.T) {
	h2021, _ := extract()
	without := func(drop ...string) []string {
		var out []string
		for _, k := range h2021 {
			if !slices.Contains(drop, k) {
				out = append(out, k)
			}
		}
		return out
	}
	row := ofstedRow
	two := func(changes map[string]string) string {
		return ofstedCSV(row(nil), row(mergeMap(map[string]string{"Provider URN": "EY123456"}, changes)))
	}
	tests := []struct {
		name   string
		in     []byte
		row    int
		column string
		value  string
		says   string // in Problem.String()
		total  int    // 0 means 1
	}{
		{name: "empty", in: nil, says: "providers.csv: expected a CSV file with a header row and rows of data, but the file is empty (0 bytes)"},
		{name: "Excel workbook", in: []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml"), says: "this is an Excel workbook"},
		{name: "old Excel", in: []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), says: "old-style Excel workbook (.xls)"},
		{name: "web page", in: []byte("\n<!DOCTYPE html>\n<html><head><title>Childcare providers</title></head></html>"), says: "this is a web page (HTML)"},
		{name: "PDF", in: []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3"), says: "this is a PDF"},
		{name: "binary", in: []byte{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d}, says: "binary data"},
		{name: "UTF-16", in: []byte("\xff\xfeP\x00r\x00"), says: "UTF-16"},
		{name: "gzip of nothing", in: gz(t, nil), says: "empty"},
		{name: "corrupt gzip", in: append(gz(t, []byte(two(nil)))[:40], 1, 2, 3), says: "a readable"},
		{name: "header only", in: []byte(ofstedCSV()), says: "rows of data below the header row (row 1), but there are none"},
		{name: "no header", in: []byte("name,town\nAcorns,Leeds\n"), says: `expected a header row with a "Provider URN" column within the first 10 rows`},
		{name: "semicolons", in: []byte(strings.ReplaceAll(two(nil), ",", ";")), says: "semicolons"},
		{name: "missing required column", in: []byte(csvText(without("Local authority"), row(nil))),
			column: "Local authority", says: `"Local authority", "Provider local authority", "Local authority name", "LA name" or "LA"`},
		{name: "missing both EYR flag and combinations", in: []byte(csvText(without("Provider Early Years Register Flag", "Individual Register combinations"), row(nil))),
			column: "Provider Early Years Register Flag", says: "Individual Register combinations"},
		{name: "unterminated quote", in: []byte(ofstedCSV(row(nil)) + "EY123456,\"31/02/2021,Childminder\n" + ofstedCSV(row(nil))[len(ofstedCSV()):]),
			row: 3, says: "is not closed"},
		{name: "bare quote", in: []byte(ofstedCSV(row(nil)) + "Web link,EY12\"3456," + ofstedCSV(row(nil))[len(ofstedCSV())+len("Web link,2602617,"):]),
			row: 3, says: "quote mark"},
		{name: "unknown LA", in: []byte(two(map[string]string{"Local authority": "Narnia"})),
			row: 3, column: "Local authority", value: "Narnia", says: `— expected a local authority name as Ofsted spells it, e.g. "Bristol", "Barking and Dagenham" or "Durham"`},
		{name: "misspelt LA", in: []byte(two(map[string]string{"Local authority": "Southend-on-See"})),
			row: 3, column: "Local authority", value: "Southend-on-See", says: `e.g. "Southend on Sea"`},
		{name: "blank LA", in: []byte(two(map[string]string{"Local authority": ""})), row: 3, column: "Local authority", says: `or "Not Recorded"`},
		{name: "duplicate URN", in: []byte(ofstedCSV(row(nil), row(map[string]string{"Provider URN": "EY123456"}), row(nil))),
			row: 4, column: "Provider URN", value: "2602617", says: "URN 2602617 is also on row 2"},
		{name: "impossible date", in: []byte(two(map[string]string{"Registration date": "31/02/2021"})),
			row: 3, column: "Registration date", value: "31/02/2021",
			says: `providers.csv row 3, column "Registration date": "31/02/2021" — expected a real date as DD/MM/YYYY`},
		{name: "ISO date", in: []byte(two(map[string]string{"Registration date": "2021-02-01"})), row: 3, column: "Registration date", says: "DD/MM/YYYY"},
		{name: "registered after the release", in: []byte(two(map[string]string{"Registration date": "01/09/2021"})),
			row: 3, column: "Registration date", says: "on or before the release date 31/08/2021"},
		{name: "blank registration date", in: []byte(two(map[string]string{"Registration date": ""})), row: 3, column: "Registration date", says: "blank — expected"},
		{name: "unknown provider type", in: []byte(two(map[string]string{"Provider type": "Childminder agency"})),
			row: 3, column: "Provider type", value: "Childminder agency", says: `"Childminder", "Childcare on non-domestic premises", "Childcare on domestic premises" or "Home childcarer"`},
		{name: "bad flag", in: []byte(two(map[string]string{"Provider Early Years Register Flag": "Maybe"})), row: 3, column: "Provider Early Years Register Flag", says: "Y or N"},
		{name: "negative places", in: []byte(two(map[string]string{"Places": "-3"})), row: 3, column: "Places", says: "whole number"},
		{name: "words for places", in: []byte(two(map[string]string{"Places": "ten"})), row: 3, column: "Places", says: "whole number"},
		{name: "grade 5", in: []byte(two(map[string]string{"Most recent full: Overall effectiveness": "5"})), row: 3, column: "Most recent full: Overall effectiveness"},
		{name: "bad inspection date", in: []byte(two(map[string]string{"Most recent full: Inspection date": "30/13/2019"})), row: 3, column: "Most recent full: Inspection date"},
		{name: "bad URN", in: []byte(two(map[string]string{"Provider URN": "12AB"})), row: 3, column: "Provider URN", value: "12AB", says: "EY101465"},
		{name: "blank URN", in: []byte(two(map[string]string{"Provider URN": ""})), row: 3, column: "Provider URN"},
		{name: "row number after a quoted newline", in: []byte(ofstedCSV(row(map[string]string{"Provider name": "A\nB\nC"}), row(map[string]string{"Provider URN": "EY123456", "Registration date": "x"}))),
			row: 3, column: "Registration date"},
		{name: "row number after lines above the header and a blank line",
			in:  []byte("Title line\nSecond line\n" + ofstedCSV(row(nil)) + "\n" + ofstedCSV(row(map[string]string{"Provider URN": "EY123456", "Places": "x"}))[len(ofstedCSV()):]),
			row: 6, column: "Places"}, // title 1, title 2, header 3, row 4, blank 5
		{name: "too many values", in: []byte(ofstedCSV(row(nil)) + strings.TrimSuffix(ofstedCSV(row(map[string]string{"Provider URN": "EY123456"}))[len(ofstedCSV()):], "\n") + ",extra\n"),
			row: 3, says: "46 values, as many as the header row has, but this row has 47"},
		{name: "too few values", in: []byte(ofstedCSV(row(nil)) + "Web link,EY123456,01/01/2020\n"), row: 3, says: "this row has 3"},
		{name: "not Windows-1252 either", in: append([]byte(two(nil)), []byte("Web link,EY1\x81\x8d\x90\n")...), says: "encoding that cannot be read reliably"},
		{name: "mixed encodings", in: []byte(two(map[string]string{"Provider name": "Café"}) + "Caf\xe9\n"), says: "mixes UTF-8 with another encoding"},
		{name: "text converted twice", in: []byte(two(map[string]string{"Provider name": "CafÃ© Bleu"})), row: 3, column: "Provider name", says: "garbled"},
		{name: "several problems in one row", in: []byte(two(map[string]string{"Places": "x", "Provider type": "x", "Registration date": "x"})), row: 3, column: "Registration date", total: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rel, err := ParseOfsted("providers.csv", bytes.NewReader(tc.in), shippedIndex(), release2021)
			if rel != nil {
				t.Errorf("data returned with a refused file")
			}
			p := problems(t, err)
			want := max(tc.total, 1)
			if p.Total != want {
				t.Fatalf("%d problems, want %d:\n%v", p.Total, want, err)
			}
			q := p.List[0]
			if q.File != "providers.csv" || q.Row != tc.row || q.Column != tc.column || (tc.value != "" && q.Value != tc.value) {
				t.Errorf("got %#v", q)
			}
			if !strings.Contains(q.String(), tc.says) {
				t.Errorf("message %q does not say %q", q.String(), tc.says)
			}
		})
	}
}

func mergeMap(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func TestParseOfstedManyProblems(t *testing.T) {
	rows := urnRows(150, map[string]string{"Registration date": "31/02/2021"})
	_, err := ParseOfsted("providers.csv", strings.NewReader(ofstedCSV(rows...)), shippedIndex(), release2021)
	p := problems(t, err)
	if len(p.List) != 100 || p.Total != 150 {
		t.Fatalf("listed %d, total %d; want 100 of 150", len(p.List), p.Total)
	}
	if p.List[99].Row != 101 {
		t.Errorf("last listed row %d, want 101", p.List[99].Row)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 101 || lines[100] != "… and 50 more problems" {
		t.Errorf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

func TestParseOfstedCallerMistakes(t *testing.T) {
	in := ofstedCSV(ofstedRow(nil))
	for name, f := range map[string]func() error{
		"nil index": func() error { _, err := ParseOfsted("x.csv", strings.NewReader(in), nil, release2021); return err },
		"zero release": func() error {
			_, err := ParseOfsted("x.csv", strings.NewReader(in), shippedIndex(), domain.Date{})
			return err
		},
	} {
		err := f()
		var p *Problems
		if err == nil || errors.As(err, &p) {
			t.Errorf("%s: got %v, want a plain error", name, err)
		}
	}
}

func TestParseOfstedReadFailure(t *testing.T) {
	r := ioErrReader{data: []byte(ofstedCSV(ofstedRow(nil))), err: fmt.Errorf("connection reset")}
	_, err := ParseOfsted("providers.csv", &r, shippedIndex(), release2021)
	p := problems(t, err)
	if !strings.Contains(p.List[0].String(), "connection reset") {
		t.Errorf("got %v", err)
	}
}

type ioErrReader struct {
	data []byte
	err  error
}

func (r *ioErrReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

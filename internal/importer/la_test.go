package importer

import (
	"bytes"
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"

	"senco/internal/domain"
)

func readCSVMaps(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
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

func TestShippedLocalAuthorities(t *testing.T) {
	las, err := ShippedLocalAuthorities()
	if err != nil {
		t.Fatal(err)
	}
	if len(las) != 172 {
		t.Errorf("%d authorities, want 172", len(las))
	}
	byCode := map[string]domain.LocalAuthority{}
	for _, la := range las {
		byCode[la.Code] = la
	}
	// The 153 authorities live in 2024 are all there, as they were then.
	live := readCSVMaps(t, "testdata/england_local_authorities_2024.csv")
	if len(live) != 153 {
		t.Fatalf("2024 list has %d rows", len(live))
	}
	at := domain.NewDate(2024, 4, 1)
	for _, r := range live {
		la, ok := byCode[r["la_gss_code"]]
		switch {
		case !ok:
			t.Errorf("%s %s missing", r["la_gss_code"], r["la_name"])
		case la.Name != r["la_name"] || la.OfstedName != r["ofsted_la_name"] || la.RegionCode != r["region_gss_code"] || la.DfECode != r["dfe_old_la_code"]:
			t.Errorf("%s: got %+v, want %v", la.Code, la, r)
		case la.Ended(at) || la.StartedOn.After(at):
			t.Errorf("%s not operating on %s: %+v", la.Code, at, la)
		}
	}
	ended := map[string]domain.Date{
		"E10000006": domain.NewDate(2023, 3, 31), // Cumbria
		"E10000021": domain.NewDate(2021, 3, 31), // Northamptonshire
		"E10000023": domain.NewDate(2023, 3, 31), // North Yorkshire (county)
		"E10000027": domain.NewDate(2023, 3, 31), // Somerset (county)
		"E08000016": domain.NewDate(2025, 4, 30), // Barnsley, recoded
	}
	for code, d := range ended {
		if la := byCode[code]; !la.EndedOn.Equal(d) {
			t.Errorf("%s ended %v, want %v", code, la.EndedOn, d)
		}
	}
	for _, la := range las {
		if strings.Contains(la.Code, "/") || la.Code == "z" || strings.Contains(la.Name, "Forces") {
			t.Errorf("joint or BFPO row shipped: %+v", la)
		}
	}
	// The caller owns the slice.
	las[0].Name = "changed"
	again, _ := ShippedLocalAuthorities()
	if again[0].Name == "changed" {
		t.Error("ShippedLocalAuthorities shares its slice")
	}
}

// The shipped file is exactly what data/SOURCES.md says it was built from.
func TestShippedLocalAuthoritiesMatchSources(t *testing.T) {
	live := map[string]map[string]string{}
	for _, r := range readCSVMaps(t, "testdata/england_local_authorities_2024.csv") {
		live[r["la_gss_code"]] = r
	}
	var want bytes.Buffer
	w := csv.NewWriter(&want)
	w.Write(strings.Split("code,dfe_code,name,ofsted_name,region_code,region_name,type,started_on,ended_on", ","))
	var recs [][]string
	for _, r := range readCSVMaps(t, "testdata/dfe_la_codes_all_history.csv") {
		code := r["new_la_code"]
		if strings.Contains(code, "/") || code == "z" {
			continue
		}
		dfe := r["old_la_code"]
		if dfe == "x" {
			dfe = ""
		}
		ofsted := r["la_name"]
		if l, ok := live[code]; ok {
			ofsted = l["ofsted_la_name"]
		}
		recs = append(recs, []string{code, dfe, r["la_name"], ofsted, r["region_gss_code"], r["region_name"], r["entity_description"], r["date_of_operation"], r["date_of_termination"]})
	}
	slices.SortFunc(recs, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	w.WriteAll(recs)
	if got := string(shippedLACSV); got != want.String() {
		t.Errorf("data/local_authorities.csv differs from its sources; rebuilt:\n%s", want.String())
	}
}

// Every local authority spelling in Ofsted's 31 August 2021 register
// resolves to the one authority operating then, the one the derived by-LA
// file joined it to.
func TestOfstedSpellingsResolve(t *testing.T) {
	las, err := ShippedLocalAuthorities()
	if err != nil {
		t.Fatal(err)
	}
	x := NewLAIndex(las)
	n := 0
	for _, r := range readCSVMaps(t, "testdata/ofsted_childcare_providers_2021-08-31_by_la.csv") {
		name := r["ofsted_la_name"]
		if name == "Not Recorded" {
			continue
		}
		n++
		code, ok := x.Resolve(name, release2021)
		if !ok || code != r["la_gss_code"] {
			t.Errorf("%q resolved to %q %v, want %s", name, code, ok, r["la_gss_code"])
		}
		// Exactly one authority answering to the name operates at the date.
		var operating []string
		for _, la := range las {
			if slices.Contains(laKeys(la), normKey(name)) && !la.StartedOn.After(release2021) && !la.Ended(release2021) {
				operating = append(operating, la.Code)
			}
		}
		if len(operating) != 1 {
			t.Errorf("%q: %d authorities operating on %s: %v", name, len(operating), release2021, operating)
		}
	}
	if n != 152 {
		t.Errorf("%d names checked, want 152", n)
	}
}

func TestResolve(t *testing.T) {
	x := shippedIndex()
	d := domain.NewDate
	tests := []struct {
		name string
		asOf domain.Date
		want string
	}{
		{"Barking and Dagenham", release2021, "E09000002"},
		{"barking & dagenham", release2021, "E09000002"},
		{"  BARKING  AND   DAGENHAM ", release2021, "E09000002"},
		{"Bristol", release2021, "E06000023"},
		{"Bristol, City of", release2021, "E06000023"},
		{"City of Bristol", release2021, "E06000023"},
		{"Kingston upon Hull", release2021, "E06000010"},
		{"Herefordshire, County of", release2021, "E06000019"},
		{"Southend on Sea", release2021, "E06000033"},
		{"Southend-on-Sea", release2021, "E06000033"},
		{"St Helens", release2021, "E08000013"},
		{"St. Helens", release2021, "E08000013"},
		{"Bournemouth, Christchurch & Poole", release2021, "E06000058"},
		{"Bournemouth Christchurch and Poole", release2021, "E06000058"},
		{"Durham", release2021, "E06000047"},
		{"County Durham", release2021, "E06000047"},
		{"Durham", d(2009, 1, 1), "E10000010"},
		{"Northumberland", release2021, "E06000057"},
		{"Northumberland", d(2010, 1, 1), "E06000048"},
		{"Cumbria", release2021, "E10000006"},
		{"Cumbria", d(2024, 1, 1), "E10000006"}, // only one Cumbria, even after it ended
		{"Cumberland", d(2024, 1, 1), "E06000063"},
		{"Northamptonshire", d(2020, 1, 1), "E10000021"},
		{"North Northamptonshire", release2021, "E06000061"},
		{"North Yorkshire", release2021, "E10000023"},
		{"North Yorkshire", d(2023, 4, 1), "E06000065"},
		{"North Yorkshire", d(2023, 3, 31), "E10000023"},
		{"Somerset", release2021, "E10000027"},
		{"Somerset", d(2025, 3, 31), "E06000066"},
		{"Buckinghamshire", d(2019, 1, 1), "E10000002"},
		{"Buckinghamshire", release2021, "E06000060"},
		{"Barnsley", d(2025, 3, 31), "E08000016"},
		{"Barnsley", d(2025, 5, 1), "E08000038"},
		{"Sheffield", domain.Date{}, "E08000039"},       // no date: the latest
		{"North Yorkshire", d(2000, 1, 1), "E06000065"}, // before either: the latest
		{"E09000002", release2021, "E09000002"},
		{"Narnia", release2021, ""},
		{"", release2021, ""},
		{"Not Recorded", release2021, ""},
	}
	for _, tc := range tests {
		got, ok := x.Resolve(tc.name, tc.asOf)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Resolve(%q, %s) = %q, %v; want %q", tc.name, tc.asOf, got, ok, tc.want)
		}
	}
	var nilIndex *LAIndex
	if _, ok := nilIndex.Resolve("Leeds", release2021); ok {
		t.Error("nil index resolved")
	}
	if s := x.Suggest("Southend-on-See"); s != "Southend on Sea" {
		t.Errorf("Suggest = %q", s)
	}
	if s := x.Suggest("Narnia"); s != "" {
		t.Errorf("Suggest(Narnia) = %q", s)
	}
}

func TestParseLocalAuthorities(t *testing.T) {
	const hdr = "code,dfe_code,name,ofsted_name,region_code,region_name,type,started_on,ended_on\n"
	good := "E09000002,301,Barking and Dagenham,,E12000007,London,London Boroughs,2009-01-01,\n"
	las, err := ParseLocalAuthorities("las.csv", strings.NewReader(hdr+good+"E10000006,909,Cumbria,Cumbria,E12000002,North West,Counties,2009-01-01,2023-03-31\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(las) != 2 || las[0].OfstedName != "Barking and Dagenham" || !las[1].EndedOn.Equal(domain.NewDate(2023, 3, 31)) || las[0].DfECode != "301" {
		t.Errorf("got %+v", las)
	}
	// DfE's own layout is accepted too, in any column order.
	las, err = ParseLocalAuthorities("las.csv", strings.NewReader("region_name,new_la_code,la_name,date_of_operation,date_of_termination,region_gss_code,old_la_code\nLondon,E09000001,City of London,2009-01-01,,E12000007,x\n"))
	if err != nil || len(las) != 1 || las[0].Code != "E09000001" || las[0].DfECode != "" {
		t.Errorf("DfE layout: %+v, %v", las, err)
	}

	tests := []struct {
		name, in     string
		row          int
		column, says string
	}{
		{"bad code", hdr + "E06000061 / E06000062,940,X,,E12000004,East Midlands,,2021-04-01,\n", 2, "code", "GSS code"},
		{"Scottish code", hdr + "S12000033,,Aberdeen,,E12000001,North East,,2009-01-01,\n", 2, "code", "E06, E07"},
		{"bad region", hdr + "E09000002,301,Barking,,London,London,,2009-01-01,\n", 2, "region_code", "E12"},
		{"duplicate code", hdr + good + good, 3, "code", "also on row 2"},
		{"bad DfE code", hdr + "E09000002,30,Barking,,E12000007,London,,2009-01-01,\n", 2, "dfe_code", "3 digits"},
		{"blank name", hdr + "E09000002,301,,,E12000007,London,,2009-01-01,\n", 2, "name", "name"},
		{"UK date", hdr + "E09000002,301,Barking,,E12000007,London,,01/01/2009,\n", 2, "started_on", "YYYY-MM-DD"},
		{"no start", hdr + "E09000002,301,Barking,,E12000007,London,,,\n", 2, "started_on", "started"},
		{"ends before it starts", hdr + "E09000002,301,Barking,,E12000007,London,,2009-01-01,2008-12-31\n", 2, "ended_on", "on or after the start date 2009-01-01"},
		{"impossible end", hdr + "E09000002,301,Barking,,E12000007,London,,2009-01-01,2023-02-30\n", 2, "ended_on", "real date"},
		{"missing column", "code,name,region_code,started_on\nE09000002,Barking,E12000007,2009-01-01\n", 0, "region_name", `"region_name"`},
		{"same name at the same time", hdr + good + "E09000099,,Barking & Dagenham,,E12000007,London,,2015-01-01,\n", 3, "name", "operate at the same time"},
		{"empty", "", 0, "", "empty"},
		{"header only", hdr, 0, "", "there are none"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			las, err := ParseLocalAuthorities("las.csv", strings.NewReader(tc.in))
			if las != nil {
				t.Error("data returned with a refused file")
			}
			p := problems(t, err)
			q := p.List[0]
			if q.Row != tc.row || q.Column != tc.column || !strings.Contains(q.String(), tc.says) {
				t.Errorf("got %s (%#v)", q, q)
			}
		})
	}
}

package importer

import (
	"bytes"
	"errors"
	"regexp"
	"testing"

	"senco/internal/domain"
)

// The fuzz targets feed the import parsers any bytes: a parser must never
// panic, must refuse with *Problems or accept, and what it accepts must keep
// the promises its callers rely on. Seeds are in testdata/fuzz (cut from the
// real files in testdata, then broken in the ways people's files break);
// run one with, for example,
//
//	go test ./internal/importer -run '^$' -fuzz FuzzParseLocalAuthorities -fuzztime 1m

// refusedWithProblems fails unless err is nil or a *Problems listing at
// least one problem.
func refusedWithProblems(t *testing.T, err error) bool {
	t.Helper()
	if err == nil {
		return false
	}
	var p *Problems
	if !errors.As(err, &p) || p.Total == 0 || len(p.List) == 0 {
		t.Fatalf("refused without problems to show: %T %v", err, err)
	}
	return true
}

func FuzzParseLocalAuthorities(f *testing.F) {
	f.Add([]byte("code,name,region_code,region_name,started_on\nE09000002,Barking and Dagenham,E12000007,London,1965-04-01\n"))
	gss := regexp.MustCompile(`^E(06|07|08|09|10|11)[0-9]{6}$`)
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseLocalAuthorityList("fuzz.csv", bytes.NewReader(data))
		if refusedWithProblems(t, err) {
			return
		}
		if len(l.Authorities) == 0 {
			t.Fatal("accepted a list with no authorities")
		}
		seen := map[string]bool{}
		for _, la := range l.Authorities {
			switch {
			case !gss.MatchString(la.Code):
				t.Fatalf("accepted code %q", la.Code)
			case seen[la.Code]:
				t.Fatalf("accepted %s twice", la.Code)
			case la.Name == "" || la.OfstedName == "" || la.StartedOn.IsZero():
				t.Fatalf("accepted an authority without a name or start: %+v", la)
			case !la.EndedOn.IsZero() && la.EndedOn.Before(la.StartedOn):
				t.Fatalf("accepted an end before the start: %+v", la)
			}
			seen[la.Code] = true
		}
		// What the list states is what Keep applies; the rest is the old.
		old := domain.LocalAuthority{DfECode: "999", OfstedName: "Old", Type: "Old", EndedOn: domain.NewDate(2000, 1, 1)}
		kept := l.Keep(l.Authorities[0], old)
		if kept.Code != l.Authorities[0].Code || kept.Name != l.Authorities[0].Name {
			t.Fatalf("Keep changed a stated column: %+v", kept)
		}
	})
}

func FuzzParseOfsted(f *testing.F) {
	f.Add([]byte("Provider URN,Provider name\n"))
	las, err := ShippedLocalAuthorities()
	if err != nil {
		f.Fatal(err)
	}
	index := NewLAIndex(las)
	release := domain.NewDate(2021, 8, 31)
	f.Fuzz(func(t *testing.T, data []byte) {
		rel, err := ParseOfsted("fuzz.csv", bytes.NewReader(data), index, release)
		if refusedWithProblems(t, err) {
			return
		}
		seen := map[string]bool{}
		for _, s := range rel.Settings {
			if s.URN == "" || seen[s.URN] {
				t.Fatalf("accepted URN %q (twice: %v)", s.URN, seen[s.URN])
			}
			seen[s.URN] = true
			if s.LACode != "" && index.las[index.codes[s.LACode]].Code != s.LACode {
				t.Fatalf("setting %s filed under unknown authority %q", s.URN, s.LACode)
			}
		}
	})
}

func FuzzParsePractitioners(f *testing.F) {
	f.Add([]byte("given_name,family_name,setting_urn,role,started_on\nAda,Example,124950,SENCO,2019-09-02\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParsePractitioners("fuzz.csv", bytes.NewReader(data))
		if refusedWithProblems(t, err) {
			return
		}
		for _, r := range rows {
			if errs := r.Practitioner.Validate(); len(errs) > 0 {
				t.Fatalf("row %d accepted with problems the domain refuses: %v", r.Row, errs)
			}
			if err := r.Employment.Validate(); err != nil {
				t.Fatalf("row %d accepted an employment the domain refuses: %v", r.Row, err)
			}
		}
	})
}

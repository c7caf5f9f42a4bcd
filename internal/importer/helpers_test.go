package importer

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"senco/internal/domain"
)

// fullFile is the whole 31 August 2021 register, beside the project.
const fullFile = "../../../shared/data/ofsted_childcare_providers_2021-08-31_full.csv.gz"

const extractFile = "testdata/ofsted_childcare_providers_2021-08-31_extract.csv"

var release2021 = domain.NewDate(2021, 8, 31)

var shippedIndex = sync.OnceValue(func() *LAIndex {
	las, err := ShippedLocalAuthorities()
	if err != nil {
		panic(err)
	}
	return NewLAIndex(las)
})

// extract returns the header and records of the 2021 extract.
var extract = sync.OnceValues(func() ([]string, [][]string) {
	f, err := os.Open(extractFile)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		panic(err)
	}
	return all[0], all[1:]
})

// ofstedRow is the first row of the extract (a named non-domestic setting
// in Barking and Dagenham) as a map, with changes applied.
func ofstedRow(changes map[string]string) map[string]string {
	h, recs := extract()
	m := map[string]string{}
	for i, k := range h {
		m[k] = recs[0][i]
	}
	for k, v := range changes {
		m[k] = v
	}
	return m
}

// csvText writes header and rows (maps by header name) as CSV.
func csvText(header []string, rows ...map[string]string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(header)
	for _, r := range rows {
		rec := make([]string, len(header))
		for i, k := range header {
			rec[i] = r[k]
		}
		w.Write(rec)
	}
	w.Flush()
	return b.String()
}

// ofstedCSV is a 2021-layout file of the given rows.
func ofstedCSV(rows ...map[string]string) string {
	h, _ := extract()
	return csvText(h, rows...)
}

// urnRows returns n rows with distinct URNs.
func urnRows(n int, changes map[string]string) []map[string]string {
	var out []map[string]string
	for i := range n {
		r := ofstedRow(changes)
		r["Provider URN"] = fmt.Sprintf("EY%06d", i+1)
		out = append(out, r)
	}
	return out
}

func gz(t testing.TB, s []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(s)
	w.Close()
	return b.Bytes()
}

// problems asserts err is a *Problems and returns it.
func problems(t *testing.T, err error) *Problems {
	t.Helper()
	var p *Problems
	if !errors.As(err, &p) {
		t.Fatalf("want *Problems, got %T %v", err, err)
	}
	if p.Total < len(p.List) || len(p.List) == 0 {
		t.Fatalf("bad Problems: %d listed, total %d", len(p.List), p.Total)
	}
	return p
}

// allStrings collects every string reachable in v, for checking that
// something is not kept anywhere.
func allStrings(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			allStrings(v.Elem(), out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			allStrings(v.Field(i), out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			allStrings(v.Index(i), out)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			allStrings(k, out)
			allStrings(v.MapIndex(k), out)
		}
	}
}

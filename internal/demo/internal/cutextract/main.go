// Command cutextract cuts the demo's Ofsted register extract from the full
// 31 August 2021 provider-level file: every row of a few local authorities,
// plus the rows whose authority Ofsted did not record, with the header and
// the values unchanged. Run it from the module root:
//
//	go run ./internal/demo/internal/cutextract
//
// It writes internal/demo/data/ofsted_demo_extract.csv.gz byte for byte the
// same each time (no time stamp or name in the gzip header), so a refresh
// that changes nothing shows no diff.
package main

import (
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

func main() {
	in := flag.String("in", "../shared/data/ofsted_childcare_providers_2021-08-31_full.csv.gz", "the full Ofsted file (gzip CSV)")
	out := flag.String("out", "internal/demo/data/ofsted_demo_extract.csv.gz", "where to write the extract")
	las := flag.String("las", "Leeds,Hackney,Cumbria,Lancashire,Not Recorded", "comma-separated values of the \"Local authority\" column to keep")
	flag.Parse()
	counts, err := cut(*in, *out, strings.Split(*las, ","))
	if err != nil {
		fmt.Fprintln(os.Stderr, "cutextract:", err)
		os.Exit(1)
	}
	total := 0
	for _, la := range strings.Split(*las, ",") {
		fmt.Printf("%-16s %5d\n", la, counts[la])
		total += counts[la]
	}
	fmt.Printf("%-16s %5d rows written to %s\n", "total", total, *out)
}

func cut(inPath, outPath string, keep []string) (map[string]int, error) {
	f, err := os.Open(inPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", inPath, err)
	}
	r := csv.NewReader(zr)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", inPath, err)
	}
	laCol := slices.Index(header, "Local authority")
	if laCol < 0 {
		return nil, fmt.Errorf("%s: no \"Local authority\" column", inPath)
	}
	for _, h := range header {
		// The shared copy has had the personal columns removed; refuse a
		// file that still has them rather than copy them into the product.
		if h == "Registered_Person_Name" || h == "Telephone Number" {
			return nil, fmt.Errorf("%s: has the personal column %q; use the copy with it removed", inPath, h)
		}
	}

	tmp := outPath + ".tmp"
	o, err := os.Create(tmp)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	zw, err := gzip.NewWriterLevel(o, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(zw)
	if err := w.Write(header); err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", inPath, err)
		}
		if la := rec[laCol]; slices.Contains(keep, la) {
			counts[la]++
			if err := w.Write(rec); err != nil {
				return nil, err
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if err := o.Close(); err != nil {
		return nil, err
	}
	for _, la := range keep {
		if counts[la] == 0 {
			return nil, fmt.Errorf("no rows for local authority %q: check the spelling Ofsted uses", la)
		}
	}
	return counts, os.Rename(tmp, outPath)
}

package importer

import (
	"bytes"
	"os"
	"testing"

	"senco/internal/domain"
)

func BenchmarkParseOfstedFull(b *testing.B) {
	raw, err := os.ReadFile(fullFile)
	if err != nil {
		b.Skipf("the full 2021 Ofsted file is not here (%v); the benchmark needs ../../../shared/data/", err)
	}
	las, err := ShippedLocalAuthorities()
	if err != nil {
		b.Fatal(err)
	}
	idx := NewLAIndex(las)
	release := domain.NewDate(2021, 8, 31)
	b.ReportAllocs()
	b.ResetTimer()
	rows := 0
	for b.Loop() {
		rel, err := ParseOfsted("full.csv.gz", bytes.NewReader(raw), idx, release)
		if err != nil {
			b.Fatal(err)
		}
		rows += rel.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

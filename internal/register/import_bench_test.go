package register

// National-scale import: the whole 2021 Ofsted register (70,980 rows)
// through ImportSettings, the path the command line and the web upload use.
//
//	go test ./internal/register/ -run '^$' -bench 'ImportFull|ReimportFull' -benchtime 3x
//	SENCO_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	    go test ./internal/register/ -run '^$' -bench 'Full.*Postgres' -benchtime 3x
//
// See docs/performance.md for the figures.

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// fullRegister is the whole 2021 Ofsted register, kept beside the project.
const fullRegister = "../../../shared/data/ofsted_childcare_providers_2021-08-31_full.csv.gz"

const fullRegisterRows = 70980

var release2021 = domain.NewDate(2021, 8, 31)

// readFullRegister returns the compressed file's bytes, skipping when the
// file is not beside the project.
func readFullRegister(tb testing.TB) []byte {
	tb.Helper()
	raw, err := os.ReadFile(fullRegister)
	if err != nil {
		tb.Skipf("the full 2021 Ofsted register is not beside the project (%v): skipping the national-scale import", err)
	}
	return raw
}

// withLAs adds the shipped local authorities, which a register import needs.
func withLAs(tb testing.TB, db *store.DB) *store.DB {
	tb.Helper()
	las, err := importer.ShippedLocalAuthorities()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := UpsertLocalAuthorities(context.Background(), db, operator, las); err != nil {
		tb.Fatal(err)
	}
	return db
}

func importFull(tb testing.TB, db *store.DB, raw []byte) store.ReleaseSummary {
	tb.Helper()
	sum, _, err := ImportSettings(context.Background(), db, operator, "ofsted_childcare_providers_2021-08-31_full.csv.gz",
		bytes.NewReader(raw), release2021, false)
	if err != nil {
		tb.Fatal(err)
	}
	return sum
}

// TestImportFullRegister imports the whole register and checks what the
// database then holds, by provider type, against Ofsted's published totals;
// a second import of the same file must change nothing.
func TestImportFullRegister(t *testing.T) {
	if testing.Short() {
		t.Skip("national-scale import skipped in -short mode")
	}
	raw := readFullRegister(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		withLAs(t, db)
		start := time.Now()
		sum := importFull(t, db, raw)
		t.Logf("imported %d rows in %v", sum.Rows, time.Since(start).Round(time.Millisecond))
		if sum.Rows != fullRegisterRows || sum.Added != fullRegisterRows || sum.Updated+sum.Unchanged+sum.Closed != 0 {
			t.Fatalf("first import: %+v, want %d rows all added", sum, fullRegisterRows)
		}
		want := map[domain.ProviderType]int{
			domain.Childminder: 33683, domain.NonDomestic: 27378, domain.HomeChildcarer: 9685, domain.Domestic: 234,
		}
		got := map[domain.ProviderType]int{}
		national := policy.Scope{Kind: policy.National}
		for typ := range want {
			p, err := db.SearchSettings(ctx, national, store.SettingFilter{Type: typ, PageSize: 1})
			if err != nil {
				t.Fatal(err)
			}
			got[typ] = p.Total
		}
		all, err := db.SearchSettings(ctx, national, store.SettingFilter{PageSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		for typ, n := range want {
			if got[typ] != n {
				t.Errorf("%s: %d settings in the database, want %d", typ, got[typ], n)
			}
		}
		if all.Total != fullRegisterRows {
			t.Errorf("%d settings in the database, want %d", all.Total, fullRegisterRows)
		}

		start = time.Now()
		again := importFull(t, db, raw)
		t.Logf("re-imported %d rows in %v", again.Rows, time.Since(start).Round(time.Millisecond))
		if again.Unchanged != fullRegisterRows || again.Added+again.Updated+again.Closed != 0 {
			t.Errorf("re-import: %+v, want all %d unchanged", again, fullRegisterRows)
		}
	})
}

// benchImport times fresh imports of the whole register, each into a new
// database from open (untimed), and reports rows a second (wall time) and
// the CPU time of this process per import (for SQLite, all the work; for
// PostgreSQL, the client's share only).
func benchImport(b *testing.B, open func(testing.TB) *store.DB) {
	raw := readFullRegister(b)
	b.ReportAllocs()
	rows := 0
	var elapsed, cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := withLAs(b, open(b))
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		sum := importFull(b, db, raw)
		elapsed += time.Since(start)
		cpu += cpuTime() - cpu0
		if sum.Added != fullRegisterRows {
			b.Fatalf("import: %+v, want %d added", sum, fullRegisterRows)
		}
		rows += sum.Rows
	}
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// benchReimport times imports of the whole register into a database that
// already holds it (the monthly case: almost everything unchanged).
func benchReimport(b *testing.B, open func(testing.TB) *store.DB) {
	raw := readFullRegister(b)
	db := withLAs(b, open(b))
	importFull(b, db, raw)
	b.ReportAllocs()
	b.ResetTimer()
	rows := 0
	start, cpu0 := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		sum := importFull(b, db, raw)
		if sum.Unchanged != fullRegisterRows {
			b.Fatalf("re-import: %+v, want all %d unchanged", sum, fullRegisterRows)
		}
		rows += sum.Rows
	}
	b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

func BenchmarkImportFullSQLite(b *testing.B)     { benchImport(b, storetest.SQLite) }
func BenchmarkReimportFullSQLite(b *testing.B)   { benchReimport(b, storetest.SQLite) }
func BenchmarkImportFullPostgres(b *testing.B)   { benchImport(b, storetest.Postgres) }
func BenchmarkReimportFullPostgres(b *testing.B) { benchReimport(b, storetest.Postgres) }

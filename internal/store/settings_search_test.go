package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/storetest"
)

// TestSearchSettingsWords builds a register of random names, towns and
// postcodes and checks, on both databases, that a search finds exactly the
// settings whose name, URN, postcode, town or authority holds every word
// of the query somewhere, ranked as SearchSettings documents: the name
// beginning with the query, then the query beginning a word, then the
// rest, by name. Both databases therefore give the same pages. It runs
// again after a release renames settings (the index follows the register
// in the writing transaction) and on a register loaded by the first-import
// path, which rebuilds the index once.
func TestSearchSettingsWords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedLAs(t, db)
		laNames := map[string]string{"E09000002": "Barking and Dagenham", "E08000035": "Leeds", "E10000006": "Cumbria", "": ""}
		rng := rand.New(rand.NewPCG(3, 5))
		vocab := []string{"Little", "Acorns", "Sunshine", "Day", "Nursery", "Pre-School", "Montessori", "Kids", "Club", "St. Mary's", "Bright", "Stars", "100%", "Ark_1", "Leeds"}
		towns := []string{"Leeds", "London", "Otley", "Ilkley", "Dagenham", ""}
		las := []string{"E09000002", "E08000035", "E10000006", ""}
		build := func(n int) []domain.Setting {
			var ss []domain.Setting
			for i := range n {
				var name []string
				for range 1 + rng.IntN(4) {
					name = append(name, vocab[rng.IntN(len(vocab))])
				}
				s := setting(fmt.Sprintf("EY%06d", i), strings.Join(name, " "), domain.ProviderTypes[rng.IntN(4)], las[rng.IntN(len(las))], true)
				s.Town = towns[rng.IntN(len(towns))]
				s.Postcode = fmt.Sprintf("LS%d %dAB", 1+rng.IntN(20), rng.IntN(10))
				ss = append(ss, s)
			}
			return ss
		}
		queries := []string{"nursery", "NURSERY day", "little acorns", "ls1", "ls1 nursery", "leeds", "st. mary", "100%", "ark_", "_", "y", "ay", "day nur", "otley kids",
			"montessori pre-school", "  sunshine   stars ", "mary's", "dagenham", "barking", "zzz", "ls12 3ab", "ls123ab"}
		check := func(what string, ss []domain.Setting) {
			t.Helper()
			for _, q := range queries {
				words := strings.Fields(strings.ToLower(q))
				phrase := strings.Join(words, " ")
				type hit struct {
					rank int
					s    domain.Setting
				}
				var want []hit
				for _, s := range ss {
					text := strings.Join(strings.Fields(strings.ToLower(strings.Join([]string{s.Name, s.URN, s.Postcode, strings.ReplaceAll(s.Postcode, " ", ""), s.Town, laNames[s.LACode]}, " "))), " ")
					all := true
					for _, w := range words {
						all = all && strings.Contains(text, w)
					}
					if !all {
						continue
					}
					r := 2
					switch {
					case strings.HasPrefix(text, phrase):
						r = 0
					case strings.Contains(text, " "+phrase):
						r = 1
					}
					want = append(want, hit{r, s})
				}
				slices.SortFunc(want, func(a, b hit) int {
					if a.rank != b.rank {
						return a.rank - b.rank
					}
					if c := strings.Compare(a.s.Name, b.s.Name); c != 0 {
						return c
					}
					return strings.Compare(a.s.URN, b.s.URN)
				})
				page, err := db.SearchSettings(ctx, policy.Scope{Kind: policy.National}, store.SettingFilter{Q: q, PageSize: 1000})
				if err != nil {
					t.Fatalf("%s, %q: %v", what, q, err)
				}
				var got, exp []string
				for _, r := range page.Settings {
					got = append(got, r.URN)
				}
				for _, h := range want[:min(len(want), 1000)] {
					exp = append(exp, h.s.URN)
				}
				if page.Total != len(want) || !slices.Equal(got, exp) {
					i := 0
					for i < min(len(got), len(exp)) && got[i] == exp[i] {
						i++
					}
					t.Errorf("%s, %q: total %d, want %d; %d URNs, want %d, the first difference at %d", what, q, page.Total, len(want), len(got), len(exp), i)
				}
			}
		}
		// A small register, through the ordinary path (triggers).
		ss := build(300)
		if _, err := apply(t, db, store.Release{FileName: "a.csv", ReleaseOn: d2021, Settings: ss}); err != nil {
			t.Fatal(err)
		}
		check("first release", ss)
		// A release that renames and moves some of them.
		later := d2021.AddDays(30)
		next := slices.Clone(ss)
		for i := range next {
			next[i].LastSeenOn, next[i].SourceRelease = later, later.String()
			if i%7 == 0 {
				next[i].Name = "Renamed " + next[i].Name
				next[i].Town = towns[rng.IntN(len(towns))]
			}
		}
		if _, err := apply(t, db, store.Release{FileName: "b.csv", ReleaseOn: later, Settings: next}); err != nil {
			t.Fatal(err)
		}
		queries = append(queries, "renamed", "renamed little")
		check("renaming release", next)
		if t.Failed() {
			return
		}
		// The first-import path: a register of its own.
		big := storetest.SQLite(t)
		if db.Dialect == store.Postgres {
			big = storetest.Postgres(t)
		}
		seedLAs(t, big)
		db = big
		ss = build(6000)
		if _, err := apply(t, db, store.Release{FileName: "c.csv", ReleaseOn: d2021, Settings: ss}); err != nil {
			t.Fatal(err)
		}
		check("first import", ss)
	})
}

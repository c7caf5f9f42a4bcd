package report

import (
	"math"
	"testing"

	"senco/internal/domain"
)

func spreadRow(code string, level string, eligible, qualified int) CoverageRow {
	return CoverageRow{Level: level, Code: code, Name: code, AreaCoverage: domain.AreaCoverage{Group: domain.Counts{Eligible: eligible, Qualified: qualified}}}
}

// TestSpread checks which authorities the spread picks.
func TestSpread(t *testing.T) {
	for _, tc := range []struct {
		name        string
		rows        []CoverageRow
		best, worst string
		points      float64
	}{
		{"none qualifies", []CoverageRow{spreadRow("A", LevelLA, 9, 9), spreadRow("B", LevelLA, 0, 0)}, "", "", 0},
		{"one authority is both", []CoverageRow{spreadRow("A", LevelLA, 10, 5)}, "A", "A", 0},
		{"best and worst", []CoverageRow{spreadRow("A", LevelLA, 10, 5), spreadRow("B", LevelLA, 20, 2), spreadRow("C", LevelLA, 40, 30)}, "C", "B", 65},
		{"small authorities are left out", []CoverageRow{spreadRow("A", LevelLA, 10, 5), spreadRow("tiny", LevelLA, 9, 9), spreadRow("B", LevelLA, 10, 4)}, "A", "B", 10},
		{"the not-recorded row is not an authority", []CoverageRow{spreadRow("A", LevelLA, 10, 5), spreadRow("", LevelNotRecorded, 100, 0), spreadRow("B", LevelLA, 10, 4)}, "A", "B", 10},
		// Ties keep the first in order (authorities come sorted by name).
		{"ties keep the first", []CoverageRow{spreadRow("A", LevelLA, 10, 5), spreadRow("B", LevelLA, 20, 10), spreadRow("C", LevelLA, 10, 1)}, "A", "C", 40},
		{"childminders count too", []CoverageRow{spreadRow("A", LevelLA, 5, 5), {Level: LevelLA, Code: "B", AreaCoverage: domain.AreaCoverage{
			Group: domain.Counts{Eligible: 5, Qualified: 5}, Childminder: domain.Counts{Eligible: 5}}}}, "B", "B", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := spreadOf(tc.rows)
			if s.Best.Code != tc.best || s.Worst.Code != tc.worst || math.Abs(s.Points-tc.points) > 1e-9 {
				t.Errorf("best %q worst %q points %v; want %q %q %v", s.Best.Code, s.Worst.Code, s.Points, tc.best, tc.worst, tc.points)
			}
		})
	}
}

// TestDeprivation checks the shipped IMD 2019 figures and the crosswalk.
func TestDeprivation(t *testing.T) {
	byUTLA, byLA, err := parseIMD(imdCSV, crosswalkCSV)
	if err != nil {
		t.Fatal(err)
	}
	if len(byUTLA) != 151 || len(byLA) != 155 {
		t.Errorf("%d authorities of 2019, %d in the crosswalk", len(byUTLA), len(byLA))
	}
	perDecile := map[int]int{}
	for _, d := range byUTLA {
		perDecile[d.Decile]++
	}
	for d := 1; d <= 10; d++ {
		if perDecile[d] < 15 || perDecile[d] > 16 {
			t.Errorf("decile %d has %d authorities", d, perDecile[d])
		}
	}
	for _, tc := range []struct {
		code, utla string
		rank       int
		decile     int
		partOf     bool
	}{
		{"E06000009", "E06000009", 1, 1, false},  // Blackpool, the most deprived
		{"E08000035", "E08000035", 43, 3, false}, // Leeds
		{"E06000063", "E10000006", 83, 6, true},  // Cumberland: part of Cumbria
		{"E10000006", "E10000006", 83, 6, false}, // Cumbria itself, ended
		{"E06000060", "E10000002", 0, 0, false},  // Buckinghamshire: the same area as the county
		{"E08000038", "E08000016", 0, 0, false},  // Barnsley, recoded in 2025
	} {
		d := DeprivationOf(tc.code)
		if d == nil {
			t.Errorf("%s: no deprivation", tc.code)
			continue
		}
		if d.UTLACode != tc.utla || (tc.rank != 0 && d.RankOfAverageScore != tc.rank) || (tc.decile != 0 && d.Decile != tc.decile) || d.PartOf() != tc.partOf {
			t.Errorf("%s: %+v", tc.code, d)
		}
	}
	if d := DeprivationOf("E06000028"); d != nil { // Bournemouth, ended 2019
		t.Errorf("Bournemouth: %+v", d)
	}
}

package report

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"sync"
)

// Deprivation is an authority's English Indices of Deprivation 2019 figures
// (upper-tier summaries, shipped in data/, see data/SOURCES.md). UTLACode
// and UTLAName are the 2019 authority the figures are for, and
// Relationship says how it relates to the authority asked about
// ("identical code and area", "same area: …", "part of: …",
// "recoded: …"). Decile 1 is the most deprived tenth of the 151 authorities
// by rank of average score; 10 the least deprived.
type Deprivation struct {
	UTLACode, UTLAName, Relationship string
	AverageScore                     float64
	RankOfAverageScore               int
	Decile                           int
	IDACIAverageScore                float64
}

// PartOf reports whether the figure is that of a larger, former authority
// the authority was part of, so a page must say so beside it.
func (d Deprivation) PartOf() bool {
	return len(d.Relationship) >= 8 && d.Relationship[:8] == "part of:"
}

//go:embed data/imd2019_utla_summary.csv
var imdCSV []byte

//go:embed data/imd2019_la_crosswalk.csv
var crosswalkCSV []byte

// identical is the relationship of an authority with its own figure.
const identical = "identical code and area"

var imd struct {
	once   sync.Once
	byUTLA map[string]Deprivation
	byLA   map[string]Deprivation
	err    error
}

func loadIMD() (map[string]Deprivation, map[string]Deprivation, error) {
	imd.once.Do(func() {
		imd.byUTLA, imd.byLA, imd.err = parseIMD(imdCSV, crosswalkCSV)
	})
	return imd.byUTLA, imd.byLA, imd.err
}

// parseIMD reads the shipped summary and crosswalk.
func parseIMD(summary, crosswalk []byte) (map[string]Deprivation, map[string]Deprivation, error) {
	recs, err := readCSV(summary, "utla19_code", "utla19_name", "imd_average_score", "imd_rank_of_average_score", "idaci_average_score")
	if err != nil {
		return nil, nil, fmt.Errorf("imd2019_utla_summary.csv: %w", err)
	}
	byUTLA := map[string]Deprivation{}
	for i, r := range recs {
		score, err1 := strconv.ParseFloat(r[2], 64)
		rank, err2 := strconv.Atoi(r[3])
		idaci, err3 := strconv.ParseFloat(r[4], 64)
		if err1 != nil || err2 != nil || err3 != nil || rank < 1 {
			return nil, nil, fmt.Errorf("imd2019_utla_summary.csv row %d: unreadable figures %q", i+2, r)
		}
		byUTLA[r[0]] = Deprivation{UTLACode: r[0], UTLAName: r[1], Relationship: identical, AverageScore: score, RankOfAverageScore: rank, IDACIAverageScore: idaci}
	}
	n := len(byUTLA)
	for code, d := range byUTLA {
		if d.RankOfAverageScore > n {
			return nil, nil, fmt.Errorf("imd2019_utla_summary.csv: %s has rank %d of %d", code, d.RankOfAverageScore, n)
		}
		d.Decile = (d.RankOfAverageScore*10 + n - 1) / n
		byUTLA[code] = d
	}
	links, err := readCSV(crosswalk, "la_code", "imd2019_utla_code", "relationship")
	if err != nil {
		return nil, nil, fmt.Errorf("imd2019_la_crosswalk.csv: %w", err)
	}
	byLA := map[string]Deprivation{}
	for i, l := range links {
		d, ok := byUTLA[l[1]]
		if !ok {
			return nil, nil, fmt.Errorf("imd2019_la_crosswalk.csv row %d: %s links to %s, which is not in the summary", i+2, l[0], l[1])
		}
		d.Relationship = l[2]
		byLA[l[0]] = d
	}
	return byUTLA, byLA, nil
}

// readCSV returns the named columns of every row.
func readCSV(b []byte, cols ...string) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	head, err := r.Read()
	if err != nil {
		return nil, err
	}
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for j, h := range head {
			if h == c {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return nil, fmt.Errorf("no column %s", c)
		}
	}
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		row := make([]string, len(cols))
		for i, j := range idx {
			row[i] = rec[j]
		}
		out = append(out, row)
	}
}

// DeprivationOf returns the IMD 2019 figures of an authority by its GSS
// code: through the crosswalk for authorities created or recoded since
// 2019, or its own figures for an authority of the 2019 geography (ended
// ones included); nil when none is known.
func DeprivationOf(laCode string) *Deprivation {
	byUTLA, byLA, err := loadIMD()
	if err != nil {
		// The files are embedded and tested: unreadable is a broken build.
		panic(err)
	}
	if d, ok := byLA[laCode]; ok {
		return &d
	}
	if d, ok := byUTLA[laCode]; ok {
		return &d
	}
	return nil
}

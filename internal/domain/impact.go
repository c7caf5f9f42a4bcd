package domain

import "sort"

// The programme's impact, answered from the records themselves: how the
// self-review ratings of settings and the confidence of practitioners
// changed between their first and latest record, for those who trained and
// those not yet trained, by local authority and region.
//
// What it can show: whether ratings moved, how far, in which areas, and
// whether they moved more where staff trained. What it cannot show: that
// training caused the change. Settings choose to review themselves and to
// train, both groups rate themselves, and those who trained may differ from
// those who did not in ways the records do not hold.

// MinCell is the fewest settings or practitioners an aggregate may be
// shown of: fewer, and the figure is withheld, so no one's own ratings can
// be read from it.
const MinCell = 5

// ImpactStatement is the plain statement the impact page and its exports
// carry.
const ImpactStatement = "These figures compare each setting's first and latest self-review, and each practitioner's first and latest confidence rating, for those who trained and those not yet trained. They show whether ratings changed and by how much. They cannot show that training caused the change: settings and practitioners choose to review themselves and to train, everyone rates themselves, and the two groups may differ in ways these records do not hold. Figures of fewer than 5 settings or practitioners are withheld."

// Group is whether the setting or practitioner has trained.
type Group string

const (
	GroupTrained    Group = "trained"
	GroupNotTrained Group = "not_yet_trained"
)

// Groups in the order pages show them.
var Groups = []Group{GroupTrained, GroupNotTrained}

func (g Group) Label() string {
	if g == GroupTrained {
		return "Trained"
	}
	return "Not yet trained"
}

// ImpactSums are the sums one area, group and measure holds, as the store
// counts them: Units (settings or practitioners) with a first and a latest
// record, their points at each, and the number of scores the points are of.
type ImpactSums struct {
	Units         int
	Scores        int // items (or areas) scored, at each of first and latest
	First, Latest int // total points
	// Responded: units with at least one record; Of: units that could
	// respond (eligible settings, or practitioners with an application).
	Responded, Of int
}

// Add sums two.
func (s ImpactSums) Add(o ImpactSums) ImpactSums {
	return ImpactSums{s.Units + o.Units, s.Scores + o.Scores, s.First + o.First, s.Latest + o.Latest, s.Responded + o.Responded, s.Of + o.Of}
}

// ImpactFigure is what may be shown of a cell.
type ImpactFigure struct {
	Withheld      bool
	Units         int
	First, Latest float64 // mean points per score
	Change        float64
	ResponseRate  float64 // Responded / Of
	Responded, Of int
}

// Figure is the cell as it may be shown: withheld below MinCell units.
// Response counts are of the whole group and shown beside a withheld
// change only when they too reach MinCell.
func (s ImpactSums) Figure() ImpactFigure {
	f := ImpactFigure{Units: s.Units, Responded: s.Responded, Of: s.Of}
	if s.Of > 0 {
		f.ResponseRate = float64(s.Responded) / float64(s.Of)
	}
	if s.Units < MinCell || s.Scores == 0 {
		return ImpactFigure{Withheld: true, Units: 0, Responded: f.Responded, Of: f.Of, ResponseRate: f.ResponseRate}
	}
	f.First = float64(s.First) / float64(s.Scores)
	f.Latest = float64(s.Latest) / float64(s.Scores)
	f.Change = f.Latest - f.First
	return f
}

// ImpactKey is one cell of the counts: an authority, a measure ("review"
// or "confidence"), a group and an area ("" for all areas).
type ImpactKey struct {
	LACode  string
	Measure string
	Group   Group
	Area    string
}

// Measures of impact.
const (
	MeasureReview     = "review"
	MeasureConfidence = "confidence"
)

// AreaInfo names an authority and its region.
type AreaInfo struct{ Code, Name, RegionCode, RegionName string }

// ImpactRow is one area (England, a region or an authority) of the impact
// table: each measure's figure for each group.
type ImpactRow struct {
	Kind, Code, Name string // kind: england, region, la
	Review           map[Group]ImpactFigure
	Confidence       map[Group]ImpactFigure
}

// ImpactTable rolls the store's sums per authority up into England, each
// region and each authority (all areas together), withholding small cells.
// Rows: England first, then each region followed by its authorities.
func ImpactTable(sums map[ImpactKey]ImpactSums, las []AreaInfo) []ImpactRow {
	type acc map[string]map[Group]ImpactSums
	add := func(a acc, m string, g Group, s ImpactSums) {
		if a[m] == nil {
			a[m] = map[Group]ImpactSums{}
		}
		a[m][g] = a[m][g].Add(s)
	}
	eng, regions, byLA := acc{}, map[string]acc{}, map[string]acc{}
	for _, la := range las {
		for _, m := range []string{MeasureReview, MeasureConfidence} {
			for _, g := range Groups {
				s, ok := sums[ImpactKey{la.Code, m, g, ""}]
				if !ok {
					continue
				}
				if byLA[la.Code] == nil {
					byLA[la.Code] = acc{}
				}
				if regions[la.RegionCode] == nil {
					regions[la.RegionCode] = acc{}
				}
				add(byLA[la.Code], m, g, s)
				add(regions[la.RegionCode], m, g, s)
				add(eng, m, g, s)
			}
		}
	}
	row := func(kind, code, name string, a acc) ImpactRow {
		r := ImpactRow{Kind: kind, Code: code, Name: name, Review: map[Group]ImpactFigure{}, Confidence: map[Group]ImpactFigure{}}
		for _, g := range Groups {
			r.Review[g] = a[MeasureReview][g].Figure()
			r.Confidence[g] = a[MeasureConfidence][g].Figure()
		}
		return r
	}
	out := []ImpactRow{row("england", "", "England", eng)}
	sorted := append([]AreaInfo(nil), las...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].RegionName != sorted[j].RegionName {
			return sorted[i].RegionName < sorted[j].RegionName
		}
		return sorted[i].Name < sorted[j].Name
	})
	region := ""
	for _, la := range sorted {
		if byLA[la.Code] == nil {
			continue
		}
		if la.RegionCode != region {
			region = la.RegionCode
			out = append(out, row("region", la.RegionCode, la.RegionName, regions[la.RegionCode]))
		}
		out = append(out, row("la", la.Code, la.Name, byLA[la.Code]))
	}
	return out
}

// AreaImpact is the change of one review area (or job role area) for
// England's groups, for the page's second table.
type AreaImpact struct {
	Code, Title string
	Figures     map[Group]ImpactFigure
}

// ImpactByArea is England's figure per area of a measure.
func ImpactByArea(sums map[ImpactKey]ImpactSums, measure string, areas []JobRoleArea) []AreaImpact {
	var out []AreaImpact
	for _, a := range areas {
		ai := AreaImpact{Code: a.Code, Title: a.Title, Figures: map[Group]ImpactFigure{}}
		for _, g := range Groups {
			var s ImpactSums
			for k, v := range sums {
				if k.Measure == measure && k.Group == g && k.Area == a.Code {
					s = s.Add(v)
				}
			}
			ai.Figures[g] = s.Figure()
		}
		out = append(out, ai)
	}
	return out
}

// RatingCounts are how many items of an area were rated each way, in the
// first and latest reviews of a set of settings.
type RatingCounts struct {
	Settings      int
	First, Latest map[ReviewRating]int
}

// Shown reports whether the counts are of enough settings to show.
func (c RatingCounts) Shown() bool { return c.Settings >= MinCell }

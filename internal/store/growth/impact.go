package growth

import (
	"context"
	"fmt"
	"sync"

	"senco/internal/domain"
	"senco/internal/store"
)

// ReviewAgg is one cell of the self-review counts: the settings of an
// authority and group with a first and a later review, summed for one area.
type ReviewAgg struct {
	LACode        string
	Group         domain.Group
	Area          string
	Settings      int
	Items         int // items of the area in each setting's first review, summed
	First, Latest int // points
	FirstCounts   map[domain.ReviewRating]int
	LatestCounts  map[domain.ReviewRating]int
}

// Response is how many of an authority's group could and did respond.
type Response struct {
	LACode    string
	Group     domain.Group
	Measure   string
	Of        int
	Responded int
}

// ConfidenceAgg is one cell of the confidence counts.
type ConfidenceAgg struct {
	LACode        string
	Group         domain.Group
	Area          string
	People        int
	First, Latest int // summed scores
}

// Impact is every count the impact and LA pages are made from. Nothing in
// it is of one setting or person: each cell is a sum over a group.
type Impact struct {
	Reviews    []ReviewAgg
	Confidence []ConfidenceAgg
	Responses  []Response
	LAs        []domain.AreaInfo
}

func group(trained bool) domain.Group {
	if trained {
		return domain.GroupTrained
	}
	return domain.GroupNotTrained
}

// LoadImpact counts the first and latest self-review of every setting
// with two or more, and the first and latest confidence rating of every
// practitioner with two or more, by authority, group and area; with the
// response counts. la limits it to one authority ("" for England). A
// setting has trained when someone applied from it completed training; a
// practitioner when they did.
func LoadImpact(ctx context.Context, q store.Querier, la string, d domain.Date) (Impact, error) {
	var im Impact
	var a store.Args
	gsa, gpa, sWhere, apWhere := "", "", "", ""
	if la != "" {
		p := a.Add(la)
		gsa, gpa, sWhere, apWhere = " AND g.la_code = "+p, " AND g.la_code = "+p, " AND s.la_code = "+p, " AND ap.la_code = "+p
	}
	// The trained sets are small (thousands): an uncorrelated IN builds
	// each once. Whether a setting or person responded is asked of the
	// summary's primary key instead: as an IN over its hundreds of
	// thousands of rows PostgreSQL would not hash it and scanned it for
	// every setting (minutes at national scale).
	finished := store.StatusIn("ap.status", domain.Finished)
	trainedSettings := `(SELECT ap.setting_urn FROM applications ap WHERE ` + finished + apWhere + `)`
	trainedPeople := `(SELECT ap.practitioner_id FROM applications ap WHERE ` + finished + `)`
	rows, err := store.Collect(ctx, q, "impact of reviews", func(sc store.Scanner, r *ReviewAgg) error {
		var trained int
		var fs, fp, fd, ls, lp, ld int
		if err := sc.Scan(&r.LACode, &trained, &r.Area, &r.Settings, &r.Items, &r.First, &r.Latest, &fs, &fp, &fd, &ls, &lp, &ld); err != nil {
			return err
		}
		r.Group = group(trained == 1)
		r.FirstCounts = map[domain.ReviewRating]int{domain.RatingSecure: fs, domain.RatingPartly: fp, domain.RatingDevelopment: fd}
		r.LatestCounts = map[domain.ReviewRating]int{domain.RatingSecure: ls, domain.RatingPartly: lp, domain.RatingDevelopment: ld}
		return nil
	}, `SELECT x.la_code, x.trained, x.area_code, COUNT(*), SUM(x.items), SUM(x.first_points), SUM(x.latest_points),
		SUM(x.first_secure), SUM(x.first_partly), SUM(x.first_development), SUM(x.latest_secure), SUM(x.latest_partly), SUM(x.latest_development)
	FROM (SELECT g.*, CASE WHEN g.setting_urn IN `+trainedSettings+` THEN 1 ELSE 0 END AS trained
		FROM growth_setting_areas g WHERE g.reviews > 1`+gsa+`) x
	GROUP BY x.la_code, x.trained, x.area_code`, a...)
	if err != nil {
		return im, err
	}
	im.Reviews = rows

	im.Confidence, err = store.Collect(ctx, q, "impact of confidence", func(sc store.Scanner, r *ConfidenceAgg) error {
		var trained int
		if err := sc.Scan(&r.LACode, &trained, &r.Area, &r.People, &r.First, &r.Latest); err != nil {
			return err
		}
		r.Group = group(trained == 1)
		return nil
	}, `SELECT x.la_code, x.trained, x.area_code, COUNT(*), SUM(x.first_score), SUM(x.latest_score)
	FROM (SELECT g.*, CASE WHEN g.practitioner_id IN `+trainedPeople+` THEN 1 ELSE 0 END AS trained
		FROM growth_practitioner_areas g WHERE g.ratings > 1`+gpa+`) x
	GROUP BY x.la_code, x.trained, x.area_code`, a...)
	if err != nil {
		return im, err
	}

	// Response: eligible settings that reviewed at least once; practitioners
	// holding a place who rated at least once.
	var b store.Args
	if la != "" {
		b.Add(la)
	}
	elig := store.EligibleSQL(&b, "s", d)
	scan := func(measure string) func(store.Scanner, *Response) error {
		return func(sc store.Scanner, r *Response) error {
			var trained int
			if err := sc.Scan(&r.LACode, &trained, &r.Of, &r.Responded); err != nil {
				return err
			}
			r.Group, r.Measure = group(trained == 1), measure
			return nil
		}
	}
	settings, err := store.Collect(ctx, q, "impact response", scan(domain.MeasureReview),
		`SELECT x.la_code, x.trained, COUNT(*), SUM(x.responded) FROM (
			SELECT COALESCE(s.la_code, '') AS la_code,
				CASE WHEN s.urn IN `+trainedSettings+` THEN 1 ELSE 0 END AS trained,
				CASE WHEN EXISTS (SELECT 1 FROM growth_setting_areas g WHERE g.setting_urn = s.urn) THEN 1 ELSE 0 END AS responded
			FROM settings s WHERE `+elig+sWhere+`) x
		GROUP BY x.la_code, x.trained`, b...)
	if err != nil {
		return im, err
	}
	var c store.Args
	apLA := ""
	if la != "" {
		apLA = " AND ap.la_code = " + c.Add(la)
	}
	people, err := store.Collect(ctx, q, "impact response", scan(domain.MeasureConfidence),
		`SELECT x.la_code, x.trained, COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM growth_practitioner_areas g WHERE g.practitioner_id = x.practitioner_id) THEN 1 ELSE 0 END) FROM (
			SELECT ap.practitioner_id, MIN(COALESCE(ap.la_code, '')) AS la_code, MAX(CASE WHEN `+finished+` THEN 1 ELSE 0 END) AS trained
			FROM applications ap WHERE `+store.StatusIn("ap.status", domain.PlaceHolding)+apLA+` GROUP BY ap.practitioner_id) x
		GROUP BY x.la_code, x.trained`, c...)
	if err != nil {
		return im, err
	}
	im.Responses = append(settings, people...)

	var e store.Args
	laWhere := ""
	if la != "" {
		laWhere = " WHERE code = " + e.Add(la)
	}
	im.LAs, err = store.Collect(ctx, q, "impact areas", func(sc store.Scanner, x *domain.AreaInfo) error {
		return sc.Scan(&x.Code, &x.Name, &x.RegionCode, &x.RegionName)
	}, `SELECT code, name, region_code, region_name FROM local_authorities`+laWhere+` ORDER BY region_name, name`, e...)
	return im, err
}

// Sums turns the counts into the domain's cells: for each authority,
// measure and group, one cell of all areas together and one per area.
func (im Impact) Sums() map[domain.ImpactKey]domain.ImpactSums {
	out := map[domain.ImpactKey]domain.ImpactSums{}
	for _, r := range im.Reviews {
		cell := domain.ImpactSums{Units: r.Settings, Scores: r.Items, First: r.First, Latest: r.Latest}
		out[domain.ImpactKey{LACode: r.LACode, Measure: domain.MeasureReview, Group: r.Group, Area: r.Area}] = cell
		all := domain.ImpactKey{LACode: r.LACode, Measure: domain.MeasureReview, Group: r.Group}
		s := out[all]
		s.Units = max(s.Units, r.Settings) // every review rates every area: one setting, once
		s.Scores, s.First, s.Latest = s.Scores+r.Items, s.First+r.First, s.Latest+r.Latest
		out[all] = s
	}
	for _, r := range im.Confidence {
		out[domain.ImpactKey{LACode: r.LACode, Measure: domain.MeasureConfidence, Group: r.Group, Area: r.Area}] = domain.ImpactSums{Units: r.People, Scores: r.People, First: r.First, Latest: r.Latest}
		all := domain.ImpactKey{LACode: r.LACode, Measure: domain.MeasureConfidence, Group: r.Group}
		s := out[all]
		s.Units = max(s.Units, r.People)
		s.Scores, s.First, s.Latest = s.Scores+r.People, s.First+r.First, s.Latest+r.Latest
		out[all] = s
	}
	for _, r := range im.Responses {
		k := domain.ImpactKey{LACode: r.LACode, Measure: r.Measure, Group: r.Group}
		s := out[k]
		s.Of, s.Responded = s.Of+r.Of, s.Responded+r.Responded
		out[k] = s
	}
	return out
}

// AreaCounts are an authority's (or England's) rating counts per review
// area and group, first and latest: what the LA officer's page shows.
func (im Impact) AreaCounts() map[string]map[domain.Group]domain.RatingCounts {
	out := map[string]map[domain.Group]domain.RatingCounts{}
	for _, r := range im.Reviews {
		if out[r.Area] == nil {
			out[r.Area] = map[domain.Group]domain.RatingCounts{}
		}
		c := out[r.Area][r.Group]
		if c.First == nil {
			c.First, c.Latest = map[domain.ReviewRating]int{}, map[domain.ReviewRating]int{}
		}
		c.Settings += r.Settings
		for k, v := range r.FirstCounts {
			c.First[k] += v
		}
		for k, v := range r.LatestCounts {
			c.Latest[k] += v
		}
		out[r.Area][r.Group] = c
	}
	return out
}

// Cache keeps the impact counts until the data they are counted from
// changes: the growth version (every write of this package) or the
// coverage version (settings, people, applications) moves, or the day
// turns.
type Cache struct {
	mu   sync.Mutex
	keys map[string]string
	vals map[string]Impact
}

// NewCache is an empty cache.
func NewCache() *Cache { return &Cache{keys: map[string]string{}, vals: map[string]Impact{}} }

// Impact returns the counts for la ("" for England) as of d, computing
// them only when the data changed since they were last computed.
func (c *Cache) Impact(ctx context.Context, db *store.DB, la string, d domain.Date) (Impact, error) {
	gv, err := Version(ctx, db.Reader())
	if err != nil {
		return Impact{}, err
	}
	cv, err := db.CoverageVersion(ctx)
	if err != nil {
		return Impact{}, err
	}
	key := fmt.Sprintf("%d/%d/%s", gv, cv, d)
	c.mu.Lock()
	if c.keys[la] == key {
		im := c.vals[la]
		c.mu.Unlock()
		return im, nil
	}
	c.mu.Unlock()
	im, err := LoadImpact(ctx, db.Reader(), la, d)
	if err != nil {
		return im, err
	}
	c.mu.Lock()
	c.keys[la], c.vals[la] = key, im
	c.mu.Unlock()
	return im, nil
}

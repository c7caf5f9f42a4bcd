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
	// Each authority's sums by area are kept (growth_la_review_sums,
	// growth_la_confidence_sums); the trained part of them is summed from
	// the rows of the trained settings and people, and the rest is the
	// difference.
	all, err := store.Collect(ctx, q, "impact of reviews", scanReviewAgg,
		`SELECT la_code, area_code, settings, items, first_points, latest_points,
			first_secure, first_partly, first_development, latest_secure, latest_partly, latest_development
		FROM growth_la_review_sums g WHERE 1=1`+gsa, a...)
	if err != nil {
		return im, err
	}
	trained, err := store.Collect(ctx, q, "impact of reviews", scanReviewAgg,
		`SELECT g.la_code, g.area_code, COUNT(*), SUM(g.items), SUM(g.first_points), SUM(g.latest_points),
			SUM(g.first_secure), SUM(g.first_partly), SUM(g.first_development), SUM(g.latest_secure), SUM(g.latest_partly), SUM(g.latest_development)
		FROM growth_setting_areas g WHERE g.reviews > 1 AND g.setting_urn IN `+trainedSettings+gsa+`
		GROUP BY g.la_code, g.area_code`, a...)
	if err != nil {
		return im, err
	}
	im.Reviews = splitReviews(all, trained)

	allConf, err := store.Collect(ctx, q, "impact of confidence", scanConfidenceAgg,
		`SELECT la_code, area_code, people, first_score, latest_score FROM growth_la_confidence_sums g WHERE 1=1`+gpa, a...)
	if err != nil {
		return im, err
	}
	trainedConf, err := store.Collect(ctx, q, "impact of confidence", scanConfidenceAgg,
		`SELECT g.la_code, g.area_code, COUNT(*), SUM(g.first_score), SUM(g.latest_score)
		FROM growth_practitioner_areas g WHERE g.ratings > 1 AND g.practitioner_id IN `+trainedPeople+gpa+`
		GROUP BY g.la_code, g.area_code`, a...)
	if err != nil {
		return im, err
	}
	im.Confidence = splitConfidence(allConf, trainedConf)

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
	// Whether a setting responded: for one authority a probe of the
	// summary's key per setting; for England one join to the settings that
	// reviewed, which PostgreSQL merges or hashes instead of probing
	// 55,000 times (1.7 s against 0.2 s at national scale).
	responded, respondedFrom := `CASE WHEN EXISTS (SELECT 1 FROM growth_setting_areas g WHERE g.setting_urn = s.urn) THEN 1 ELSE 0 END`, ``
	if la == "" {
		responded = `CASE WHEN r.setting_urn IS NULL THEN 0 ELSE 1 END`
		respondedFrom = ` LEFT JOIN (SELECT DISTINCT setting_urn FROM growth_setting_areas) r ON r.setting_urn = s.urn`
	}
	settings, err := store.Collect(ctx, q, "impact response", scan(domain.MeasureReview),
		`SELECT x.la_code, x.trained, COUNT(*), SUM(x.responded) FROM (
			SELECT COALESCE(s.la_code, '') AS la_code,
				CASE WHEN s.urn IN `+trainedSettings+` THEN 1 ELSE 0 END AS trained,
				`+responded+` AS responded
			FROM settings s`+respondedFrom+` WHERE `+elig+sWhere+`) x
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

func scanReviewAgg(sc store.Scanner, r *ReviewAgg) error {
	var fs, fp, fd, ls, lp, ld int
	if err := sc.Scan(&r.LACode, &r.Area, &r.Settings, &r.Items, &r.First, &r.Latest, &fs, &fp, &fd, &ls, &lp, &ld); err != nil {
		return err
	}
	r.FirstCounts = map[domain.ReviewRating]int{domain.RatingSecure: fs, domain.RatingPartly: fp, domain.RatingDevelopment: fd}
	r.LatestCounts = map[domain.ReviewRating]int{domain.RatingSecure: ls, domain.RatingPartly: lp, domain.RatingDevelopment: ld}
	return nil
}

func scanConfidenceAgg(sc store.Scanner, r *ConfidenceAgg) error {
	return sc.Scan(&r.LACode, &r.Area, &r.People, &r.First, &r.Latest)
}

// splitReviews makes each authority and area's cells of the trained and
// of the not yet trained from all of them and the trained: every sum is
// additive, so the not yet trained are the difference. A group with no
// setting has no cell, as a GROUP BY would give.
func splitReviews(all, trained []ReviewAgg) []ReviewAgg {
	type key struct{ la, area string }
	t := map[key]ReviewAgg{}
	for _, r := range trained {
		t[key{r.LACode, r.Area}] = r
	}
	var out []ReviewAgg
	for _, r := range all {
		tr, ok := t[key{r.LACode, r.Area}]
		if ok {
			tr.Group = domain.GroupTrained
			out = append(out, tr)
		}
		rest := ReviewAgg{LACode: r.LACode, Group: domain.GroupNotTrained, Area: r.Area, Settings: r.Settings - tr.Settings,
			Items: r.Items - tr.Items, First: r.First - tr.First, Latest: r.Latest - tr.Latest,
			FirstCounts: map[domain.ReviewRating]int{}, LatestCounts: map[domain.ReviewRating]int{}}
		for _, rating := range domain.ReviewRatings {
			rest.FirstCounts[rating] = r.FirstCounts[rating] - tr.FirstCounts[rating]
			rest.LatestCounts[rating] = r.LatestCounts[rating] - tr.LatestCounts[rating]
		}
		if rest.Settings > 0 {
			out = append(out, rest)
		}
	}
	return out
}

// splitConfidence is splitReviews for confidence.
func splitConfidence(all, trained []ConfidenceAgg) []ConfidenceAgg {
	type key struct{ la, area string }
	t := map[key]ConfidenceAgg{}
	for _, r := range trained {
		t[key{r.LACode, r.Area}] = r
	}
	var out []ConfidenceAgg
	for _, r := range all {
		tr, ok := t[key{r.LACode, r.Area}]
		if ok {
			tr.Group = domain.GroupTrained
			out = append(out, tr)
		}
		rest := ConfidenceAgg{LACode: r.LACode, Group: domain.GroupNotTrained, Area: r.Area, People: r.People - tr.People,
			First: r.First - tr.First, Latest: r.Latest - tr.Latest}
		if rest.People > 0 {
			out = append(out, rest)
		}
	}
	return out
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

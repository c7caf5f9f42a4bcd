package growth

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
)

// confidenceScope limits ratings (aliased cr) to a scope: a practitioner
// their own; an LA officer those shared with it.
func confidenceScope(a *store.Args, scope policy.Scope) (string, bool) {
	switch scope.Kind {
	case policy.Self:
		return "cr.practitioner_id = " + a.Add(scope.PractitionerID), true
	case policy.LA:
		return "cr.la_code = " + a.Add(scope.LACode) + " AND cr.shared_with_la = " + a.Add(true), true
	}
	return "", false
}

const ratingColumns = `cr.id, cr.practitioner_id, cr.la_code, cr.point, cr.rated_on, cr.shared_with_la, cr.created_at, cr.updated_at`

func scanRating(sc store.Scanner, r *domain.ConfidenceRating) error {
	return sc.Scan(&r.ID, &r.PractitionerID, &r.LACode, &r.Point, &r.RatedOn, &r.SharedWithLA, store.NullTime(&r.CreatedAt), store.NullTime(&r.UpdatedAt))
}

// RatingFilter narrows a list of ratings.
type RatingFilter struct {
	UpdatedSince time.Time
	Page, Size   int
}

// Ratings lists the confidence ratings in scope with their scores: by
// practitioner and point, or by last change with UpdatedSince.
func Ratings(ctx context.Context, q store.Querier, scope policy.Scope, f RatingFilter) ([]domain.ConfidenceRating, error) {
	var a store.Args
	where, ok := confidenceScope(&a, scope)
	if !ok {
		return nil, nil
	}
	order := " ORDER BY cr.practitioner_id, cr.rated_on, cr.id"
	if !f.UpdatedSince.IsZero() {
		where += " AND cr.updated_at >= " + a.Add(f.UpdatedSince.UTC())
		order = " ORDER BY cr.updated_at, cr.id"
	}
	page := ""
	if f.Size > 0 {
		page = " " + store.PageClause(&a, max(f.Page, 1), f.Size)
	}
	rs, err := store.Collect(ctx, q, "confidence ratings", scanRating, `SELECT `+ratingColumns+` FROM confidence_ratings cr WHERE `+where+order+page, a...)
	if err != nil || len(rs) == 0 {
		return rs, err
	}
	var b store.Args
	ids, at := "", map[int64]int{}
	for i, r := range rs {
		if i > 0 {
			ids += ", "
		}
		ids += b.Add(r.ID)
		at[r.ID] = i
		rs[i].Scores = map[string]int{}
	}
	type score struct {
		id    int64
		area  string
		score int
	}
	scores, err := store.Collect(ctx, q, "confidence scores", func(sc store.Scanner, s *score) error { return sc.Scan(&s.id, &s.area, &s.score) },
		`SELECT rating_id, area_code, score FROM confidence_scores WHERE rating_id IN (`+ids+`)`, b...)
	for _, s := range scores {
		rs[at[s.id]].Scores[s.area] = s.score
	}
	return rs, err
}

// CountRatings is how many ratings in scope the filter matches.
func CountRatings(ctx context.Context, q store.Querier, scope policy.Scope, f RatingFilter) (int, error) {
	var a store.Args
	where, ok := confidenceScope(&a, scope)
	if !ok {
		return 0, nil
	}
	if !f.UpdatedSince.IsZero() {
		where += " AND cr.updated_at >= " + a.Add(f.UpdatedSince.UTC())
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM confidence_ratings cr WHERE `+where, a...).Scan(&n)
	return n, err
}

// currentLA is the authority of the setting a practitioner works at on d
// (their latest employment there), "" when none.
func currentLA(ctx context.Context, q store.Querier, practitionerID int64, d domain.Date) (string, error) {
	las, err := store.Collect(ctx, q, "practitioner's authority", func(sc store.Scanner, s *string) error { return sc.Scan(s) },
		`SELECT COALESCE(s.la_code, '') FROM employments e JOIN settings s ON s.urn = e.setting_urn
		WHERE e.practitioner_id = $1 AND e.started_on <= $2 AND (e.ended_on IS NULL OR e.ended_on >= $2) ORDER BY e.started_on DESC, e.id DESC LIMIT 1`, practitionerID, d)
	if err != nil || len(las) == 0 {
		return "", err
	}
	return las[0], nil
}

// Rate records a practitioner's own confidence rating (domain.RateConfidence).
func Rate(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, point domain.RatingPoint, ratedOn domain.Date, scores map[string]int, share bool) (domain.ConfidenceRating, error) {
	if scope.Kind != policy.Self {
		return domain.ConfidenceRating{}, store.ErrNotFound
	}
	existing, err := Ratings(ctx, tx.Reader(), scope, RatingFilter{})
	if err != nil {
		return domain.ConfidenceRating{}, err
	}
	r, rule := domain.RateConfidence(existing, point, ratedOn, scores, share, tx.Today())
	if rule != nil {
		return r, rule
	}
	r.PractitionerID = scope.PractitionerID
	if r.LACode, err = currentLA(ctx, tx.Reader(), r.PractitionerID, r.RatedOn); err != nil {
		return r, err
	}
	now := tx.Now()
	r.ID, err = tx.InsertID(ctx, `INSERT INTO confidence_ratings (practitioner_id, la_code, point, rated_on, shared_with_la, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, r.PractitionerID, r.LACode, r.Point, r.RatedOn, r.SharedWithLA, a.Label, now)
	if err != nil && store.IsUniqueViolation(err) {
		return r, domain.Refuse("point", "You have already rated your confidence %s", r.Point.Label())
	}
	if err != nil {
		return r, fmt.Errorf("rate confidence: %w", err)
	}
	for _, area := range domain.JobRoleAreas {
		if _, err := tx.Exec(ctx, `INSERT INTO confidence_scores (rating_id, area_code, score) VALUES ($1, $2, $3)`, r.ID, area.Code, r.Scores[area.Code]); err != nil {
			return r, fmt.Errorf("rate confidence: %w", err)
		}
		// Points come in order, so the newest rating is the latest.
		if _, err := tx.Exec(ctx, `INSERT INTO growth_practitioner_areas (practitioner_id, area_code, la_code, ratings, first_score, latest_score)
			VALUES ($1, $2, $3, 1, $4, $4) ON CONFLICT (practitioner_id, area_code) DO UPDATE SET ratings = growth_practitioner_areas.ratings + 1,
			latest_score = excluded.latest_score`, r.PractitionerID, area.Code, r.LACode, r.Scores[area.Code]); err != nil {
			return r, fmt.Errorf("rate confidence: %w", err)
		}
	}
	if err := tx.Audit(ctx, a, "rate confidence", "practitioner", strconv.FormatInt(r.PractitionerID, 10), nil, map[string]any{"point": r.Point, "rated_on": r.RatedOn}); err != nil {
		return r, err
	}
	if err := bump(ctx, tx); err != nil {
		return r, err
	}
	return r, keepConfidenceSums(ctx, tx, r.PractitionerID)
}

// Goals is a practitioner's development plan.
func Goals(ctx context.Context, q store.Querier, scope policy.Scope) ([]domain.DevGoal, error) {
	if scope.Kind != policy.Self {
		return nil, nil
	}
	return store.Collect(ctx, q, "development plan", func(sc store.Scanner, g *domain.DevGoal) error {
		return sc.Scan(&g.ID, &g.PractitionerID, &g.AreaCode, &g.Goal, &g.ByOn, &g.DoneOn, store.NullTime(&g.CreatedAt), store.NullTime(&g.UpdatedAt))
	}, `SELECT id, practitioner_id, area_code, goal, by_on, done_on, created_at, updated_at FROM development_goals WHERE practitioner_id = $1
		ORDER BY CASE WHEN done_on IS NULL THEN 0 ELSE 1 END, by_on, id`, scope.PractitionerID)
}

// AddGoal adds a goal to the practitioner's own plan (domain.PlanGoal).
func AddGoal(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, area, goal string, by domain.Date) (domain.DevGoal, error) {
	if scope.Kind != policy.Self {
		return domain.DevGoal{}, store.ErrNotFound
	}
	g, rule := domain.PlanGoal(area, goal, by, tx.Today())
	if rule != nil {
		return g, rule
	}
	g.PractitionerID = scope.PractitionerID
	var err error
	g.ID, err = tx.InsertID(ctx, `INSERT INTO development_goals (practitioner_id, area_code, goal, by_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
		g.PractitionerID, g.AreaCode, g.Goal, g.ByOn, tx.Now())
	if err != nil {
		return g, fmt.Errorf("add goal: %w", err)
	}
	if err := tx.Audit(ctx, a, "plan development", "practitioner", strconv.FormatInt(g.PractitionerID, 10), nil, map[string]any{"goal_id": g.ID, "area": g.AreaCode}); err != nil {
		return g, err
	}
	return g, bump(ctx, tx)
}

// CPD is a practitioner's CPD log, newest first.
func CPD(ctx context.Context, q store.Querier, scope policy.Scope) ([]domain.CPDEntry, error) {
	if scope.Kind != policy.Self {
		return nil, nil
	}
	return store.Collect(ctx, q, "CPD log", func(sc store.Scanner, e *domain.CPDEntry) error {
		return sc.Scan(&e.ID, &e.PractitionerID, &e.DoneOn, &e.Title, &e.Minutes, &e.AreaCode, &e.Evidence, store.NullTime(&e.CreatedAt), store.NullTime(&e.UpdatedAt))
	}, `SELECT id, practitioner_id, done_on, title, minutes, area_code, evidence, created_at, updated_at FROM cpd_entries WHERE practitioner_id = $1
		ORDER BY done_on DESC, id DESC`, scope.PractitionerID)
}

// LogCPD records CPD in the practitioner's own log (domain.LogCPD).
func LogCPD(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, e domain.CPDEntry) (domain.CPDEntry, error) {
	if scope.Kind != policy.Self {
		return domain.CPDEntry{}, store.ErrNotFound
	}
	e, rule := domain.LogCPD(e, tx.Today())
	if rule != nil {
		return e, rule
	}
	e.PractitionerID = scope.PractitionerID
	var err error
	e.ID, err = tx.InsertID(ctx, `INSERT INTO cpd_entries (practitioner_id, done_on, title, minutes, area_code, evidence, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, e.PractitionerID, e.DoneOn, e.Title, e.Minutes, e.AreaCode, e.Evidence, tx.Now())
	if err != nil {
		return e, fmt.Errorf("log CPD: %w", err)
	}
	if err := tx.Audit(ctx, a, "log CPD", "practitioner", strconv.FormatInt(e.PractitionerID, 10), nil, map[string]any{"cpd_id": e.ID, "minutes": e.Minutes}); err != nil {
		return e, err
	}
	return e, bump(ctx, tx)
}

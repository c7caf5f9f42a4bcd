// Package growth is the store's SQL for the SENCO's own growth: settings'
// SEND self-reviews and action plans, practitioners' confidence ratings,
// development plans and CPD, recognised prior learning, the local
// authority's own courses and mentoring, and the programme's impact
// figures. It is part of the store — it writes in the store's transactions
// with the store's kit — in a package of its own. Every write moves the
// growth version in the same transaction, which is what the impact figures
// are kept by.
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

// bump moves the growth version: the impact figures computed before are
// stale from this transaction's commit.
func bump(ctx context.Context, tx *store.Tx) error {
	if _, err := tx.Exec(ctx, `UPDATE growth_version SET version = version + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("growth version: %w", err)
	}
	return nil
}

// Version is the growth version.
func Version(ctx context.Context, q store.Querier) (int64, error) {
	var v int64
	if err := q.QueryRowContext(ctx, `SELECT version FROM growth_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("growth version: %w", err)
	}
	return v, nil
}

// reviewScope limits reviews (aliased sr) to a scope: a setting its own; an
// LA officer those its settings shared. Nobody else reads an individual
// review.
func reviewScope(a *store.Args, scope policy.Scope) (string, bool) {
	switch scope.Kind {
	case policy.Setting:
		return "sr.setting_urn = " + a.Add(scope.SettingURN), true
	case policy.LA:
		return "sr.la_code = " + a.Add(scope.LACode) + " AND sr.shared_with_la = " + a.Add(true), true
	}
	return "", false
}

const reviewColumns = `sr.id, sr.setting_urn, s.name, sr.la_code, sr.framework_version, sr.reviewed_on, sr.reviewed_by, sr.shared_with_la, sr.created_at, sr.updated_at`

const reviewFrom = ` FROM self_reviews sr JOIN settings s ON s.urn = sr.setting_urn`

func scanReview(sc store.Scanner, r *domain.SelfReview) error {
	return sc.Scan(&r.ID, &r.SettingURN, &r.SettingName, &r.LACode, &r.FrameworkVersion, &r.ReviewedOn, &r.ReviewedBy, &r.SharedWithLA,
		store.NullTime(&r.CreatedAt), store.NullTime(&r.UpdatedAt))
}

// ReviewFilter narrows a list of reviews.
type ReviewFilter struct {
	SettingURN   string
	UpdatedSince time.Time // zero for all
	Page, Size   int
}

// Reviews lists the reviews in scope, newest first, with their ratings.
func Reviews(ctx context.Context, q store.Querier, scope policy.Scope, f ReviewFilter) ([]domain.SelfReview, error) {
	var a store.Args
	where, ok := reviewScope(&a, scope)
	if !ok {
		return nil, nil
	}
	if f.SettingURN != "" {
		where += " AND sr.setting_urn = " + a.Add(f.SettingURN)
	}
	if !f.UpdatedSince.IsZero() {
		where += " AND sr.updated_at >= " + a.Add(f.UpdatedSince.UTC())
	}
	order := " ORDER BY sr.reviewed_on DESC, sr.id DESC"
	if !f.UpdatedSince.IsZero() {
		order = " ORDER BY sr.updated_at, sr.id"
	}
	page := ""
	if f.Size > 0 {
		page = " " + store.PageClause(&a, max(f.Page, 1), f.Size)
	}
	rs, err := store.Collect(ctx, q, "self-reviews", scanReview, `SELECT `+reviewColumns+reviewFrom+` WHERE `+where+order+page, a...)
	if err != nil {
		return nil, err
	}
	return rs, withRatings(ctx, q, rs)
}

// CountReviews is how many reviews in scope the filter matches.
func CountReviews(ctx context.Context, q store.Querier, scope policy.Scope, f ReviewFilter) (int, error) {
	var a store.Args
	where, ok := reviewScope(&a, scope)
	if !ok {
		return 0, nil
	}
	if !f.UpdatedSince.IsZero() {
		where += " AND sr.updated_at >= " + a.Add(f.UpdatedSince.UTC())
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM self_reviews sr WHERE `+where, a...).Scan(&n)
	return n, err
}

// withRatings reads the ratings of the reviews listed.
func withRatings(ctx context.Context, q store.Querier, rs []domain.SelfReview) error {
	if len(rs) == 0 {
		return nil
	}
	var a store.Args
	ids := ""
	at := map[int64]int{}
	for i, r := range rs {
		if i > 0 {
			ids += ", "
		}
		ids += a.Add(r.ID)
		at[r.ID] = i
	}
	type row struct {
		id int64
		ir domain.ItemRating
	}
	rows, err := store.Collect(ctx, q, "self-review ratings", func(sc store.Scanner, r *row) error {
		return sc.Scan(&r.id, &r.ir.ItemCode, &r.ir.Rating, &r.ir.Evidence, &r.ir.Actions)
	}, `SELECT review_id, item_code, rating, evidence, actions FROM self_review_ratings WHERE review_id IN (`+ids+`) ORDER BY review_id, item_code`, a...)
	if err != nil {
		return err
	}
	for _, r := range rows {
		rs[at[r.id]].Ratings = append(rs[at[r.id]].Ratings, r.ir)
	}
	return nil
}

// Review reads one review in scope.
func Review(ctx context.Context, q store.Querier, scope policy.Scope, id int64) (domain.SelfReview, error) {
	var a store.Args
	where, ok := reviewScope(&a, scope)
	if !ok {
		return domain.SelfReview{}, store.ErrNotFound
	}
	var r domain.SelfReview
	err := scanReview(q.QueryRowContext(ctx, `SELECT `+reviewColumns+reviewFrom+` WHERE `+where+` AND sr.id = `+a.Add(id), a...), &r)
	if err != nil {
		return r, store.NotFound(err, "self-review")
	}
	rs := []domain.SelfReview{r}
	err = withRatings(ctx, q, rs)
	return rs[0], err
}

// Previous is the review of the same setting before r, if there is one.
func Previous(ctx context.Context, q store.Querier, scope policy.Scope, r domain.SelfReview) (domain.SelfReview, bool, error) {
	var a store.Args
	where, ok := reviewScope(&a, scope)
	if !ok {
		return domain.SelfReview{}, false, store.ErrNotFound
	}
	urn, on, id := a.Add(r.SettingURN), a.Add(r.ReviewedOn), a.Add(r.ID)
	var prev domain.SelfReview
	err := scanReview(q.QueryRowContext(ctx, `SELECT `+reviewColumns+reviewFrom+` WHERE `+where+` AND sr.setting_urn = `+urn+
		` AND (sr.reviewed_on < `+on+` OR (sr.reviewed_on = `+on+` AND sr.id < `+id+`)) ORDER BY sr.reviewed_on DESC, sr.id DESC LIMIT 1`, a...), &prev)
	if err != nil {
		if err := store.NotFound(err, "self-review"); err == store.ErrNotFound {
			return prev, false, nil
		}
		return prev, false, err
	}
	rs := []domain.SelfReview{prev}
	err = withRatings(ctx, q, rs)
	return rs[0], true, err
}

// SaveReview records a setting's review (domain.NewReview) with its
// ratings and their sums by area.
func SaveReview(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, f domain.ReviewFramework, in domain.ReviewInput) (domain.SelfReview, error) {
	if scope.Kind != policy.Setting {
		return domain.SelfReview{}, store.ErrNotFound
	}
	var s domain.Setting
	err := tx.Reader().QueryRowContext(ctx, `SELECT urn, name, COALESCE(la_code, '') FROM settings WHERE urn = $1`, scope.SettingURN).Scan(&s.URN, &s.Name, &s.LACode)
	if err != nil {
		return domain.SelfReview{}, store.NotFound(err, "setting")
	}
	var last domain.Date
	if err := tx.Reader().QueryRowContext(ctx, `SELECT MAX(reviewed_on) FROM self_reviews WHERE setting_urn = $1`, s.URN).Scan(&last); err != nil {
		return domain.SelfReview{}, fmt.Errorf("last review: %w", err)
	}
	r, rule := domain.NewReview(f, s, in, last, tx.Today())
	if rule != nil {
		return r, rule
	}
	now := tx.Now()
	r.ID, err = tx.InsertID(ctx, `INSERT INTO self_reviews (setting_urn, la_code, framework_version, reviewed_on, reviewed_by, shared_with_la, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, r.SettingURN, r.LACode, r.FrameworkVersion, r.ReviewedOn, r.ReviewedBy, r.SharedWithLA, a.Label, now)
	if err != nil {
		return r, fmt.Errorf("save review: %w", err)
	}
	r.CreatedAt, r.UpdatedAt = now, now
	for _, ir := range r.Ratings {
		if _, err := tx.Exec(ctx, `INSERT INTO self_review_ratings (review_id, item_code, rating, evidence, actions) VALUES ($1, $2, $3, $4, $5)`,
			r.ID, ir.ItemCode, ir.Rating, ir.Evidence, ir.Actions); err != nil {
			return r, fmt.Errorf("save review rating: %w", err)
		}
	}
	for _, area := range f.Areas {
		var items, points, secure, partly, dev int
		for _, it := range area.Items {
			ir, _ := r.Rating(it.Code)
			items++
			points += ir.Rating.Points()
			switch ir.Rating {
			case domain.RatingSecure:
				secure++
			case domain.RatingPartly:
				partly++
			default:
				dev++
			}
		}
		// The newest review is the setting's latest (NewReview refuses one
		// dated before the last); the first stays as it was.
		if _, err := tx.Exec(ctx, `INSERT INTO growth_setting_areas (setting_urn, area_code, la_code, reviews, items,
			first_points, first_secure, first_partly, first_development, latest_points, latest_secure, latest_partly, latest_development)
			VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $5, $6, $7, $8)
			ON CONFLICT (setting_urn, area_code) DO UPDATE SET reviews = growth_setting_areas.reviews + 1,
				latest_points = excluded.latest_points, latest_secure = excluded.latest_secure,
				latest_partly = excluded.latest_partly, latest_development = excluded.latest_development`,
			r.SettingURN, area.Code, r.LACode, items, points, secure, partly, dev); err != nil {
			return r, fmt.Errorf("save review area: %w", err)
		}
	}
	if err := tx.Audit(ctx, a, "self-review", "setting", r.SettingURN, nil, map[string]any{"review_id": r.ID, "reviewed_on": r.ReviewedOn, "shared_with_la": r.SharedWithLA}); err != nil {
		return r, err
	}
	if err := bump(ctx, tx); err != nil {
		return r, err
	}
	return r, keepReviewSums(ctx, tx, r.SettingURN)
}

// keepReviewSums recomputes the review sums by area of the authority a
// setting's rows count in (the authority of its first review; see
// migration 00023). It runs after bump: the growth version's row lock
// orders concurrent writers on PostgreSQL, so each recomputes from the
// rows the one before it committed.
func keepReviewSums(ctx context.Context, tx *store.Tx, settingURN string) error {
	return keepSums(ctx, tx, "review sums", `SELECT DISTINCT la_code FROM growth_setting_areas WHERE setting_urn = $1`, settingURN,
		`DELETE FROM growth_la_review_sums WHERE la_code = $1`,
		`INSERT INTO growth_la_review_sums (la_code, area_code, settings, items, first_points, first_secure, first_partly, first_development,
			latest_points, latest_secure, latest_partly, latest_development)
		SELECT la_code, area_code, COUNT(*), SUM(items), SUM(first_points), SUM(first_secure), SUM(first_partly), SUM(first_development),
			SUM(latest_points), SUM(latest_secure), SUM(latest_partly), SUM(latest_development)
		FROM growth_setting_areas WHERE la_code = $1 AND reviews > 1 GROUP BY la_code, area_code`)
}

// keepConfidenceSums is keepReviewSums for a practitioner's confidence.
func keepConfidenceSums(ctx context.Context, tx *store.Tx, practitionerID int64) error {
	return keepSums(ctx, tx, "confidence sums", `SELECT DISTINCT la_code FROM growth_practitioner_areas WHERE practitioner_id = $1`, practitionerID,
		`DELETE FROM growth_la_confidence_sums WHERE la_code = $1`,
		`INSERT INTO growth_la_confidence_sums (la_code, area_code, people, first_score, latest_score)
		SELECT la_code, area_code, COUNT(*), SUM(first_score), SUM(latest_score)
		FROM growth_practitioner_areas WHERE la_code = $1 AND ratings > 1 GROUP BY la_code, area_code`)
}

// keepSums finds the authorities whose sums a write touched (las, of key)
// and recomputes each: clear, then sum again.
func keepSums(ctx context.Context, tx *store.Tx, what, las string, key any, clear, sum string) error {
	codes, err := store.Collect(ctx, tx.Reader(), what, func(sc store.Scanner, code *string) error { return sc.Scan(code) }, las, key)
	if err != nil {
		return err
	}
	for _, la := range codes {
		if _, err := tx.Exec(ctx, clear, la); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if _, err := tx.Exec(ctx, sum, la); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

// ShareReview sets whether the setting's LA sees review id.
func ShareReview(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, id int64, share bool) (domain.SelfReview, error) {
	r, err := Review(ctx, tx.Reader(), scope, id)
	if err != nil || scope.Kind != policy.Setting {
		return r, store.NotFound(err, "self-review")
	}
	if r.SharedWithLA == share {
		return r, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE self_reviews SET shared_with_la = $1, updated_at = $2 WHERE id = $3`, share, tx.Now(), id); err != nil {
		return r, fmt.Errorf("share review: %w", err)
	}
	before := r.SharedWithLA
	r.SharedWithLA, r.UpdatedAt = share, tx.Now()
	if err := tx.Audit(ctx, a, "share self-review", "self_review", strconv.FormatInt(id, 10), map[string]any{"shared_with_la": before}, map[string]any{"shared_with_la": share}); err != nil {
		return r, err
	}
	return r, bump(ctx, tx)
}

const actionColumns = `ra.id, ra.review_id, ra.setting_urn, ra.item_code, ra.action, ra.owner, ra.due_on, ra.done_on, ra.created_at, ra.updated_at`

func scanAction(sc store.Scanner, x *domain.ReviewAction) error {
	return sc.Scan(&x.ID, &x.ReviewID, &x.SettingURN, &x.ItemCode, &x.Action, &x.Owner, &x.DueOn, &x.DoneOn, store.NullTime(&x.CreatedAt), store.NullTime(&x.UpdatedAt))
}

// Actions is a setting's action plan: open actions by date, then done ones.
func Actions(ctx context.Context, q store.Querier, scope policy.Scope) ([]domain.ReviewAction, error) {
	if scope.Kind != policy.Setting {
		return nil, nil
	}
	return store.Collect(ctx, q, "action plan", scanAction, `SELECT `+actionColumns+` FROM review_actions ra WHERE ra.setting_urn = $1
		ORDER BY CASE WHEN ra.done_on IS NULL THEN 0 ELSE 1 END, ra.due_on, ra.id`, scope.SettingURN)
}

// AddAction adds a step to the action plan from an item of a review
// (domain.PlanAction).
func AddAction(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, f domain.ReviewFramework, reviewID int64, item, action, owner string, due domain.Date) (domain.ReviewAction, error) {
	if scope.Kind != policy.Setting {
		return domain.ReviewAction{}, store.ErrNotFound
	}
	r, err := Review(ctx, tx.Reader(), scope, reviewID)
	if err != nil {
		return domain.ReviewAction{}, err
	}
	x, rule := domain.PlanAction(f, r, item, action, owner, due, tx.Today())
	if rule != nil {
		return x, rule
	}
	now := tx.Now()
	x.ID, err = tx.InsertID(ctx, `INSERT INTO review_actions (review_id, setting_urn, item_code, action, owner, due_on, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, x.ReviewID, x.SettingURN, x.ItemCode, x.Action, x.Owner, x.DueOn, now)
	if err != nil {
		return x, fmt.Errorf("add action: %w", err)
	}
	if err := tx.Audit(ctx, a, "plan action", "setting", x.SettingURN, nil, map[string]any{"action_id": x.ID, "item": x.ItemCode, "due_on": x.DueOn}); err != nil {
		return x, err
	}
	return x, bump(ctx, tx)
}

// CompleteAction marks an action of the setting done today.
func CompleteAction(ctx context.Context, tx *store.Tx, a domain.Actor, scope policy.Scope, id int64) (domain.ReviewAction, error) {
	if scope.Kind != policy.Setting {
		return domain.ReviewAction{}, store.ErrNotFound
	}
	var x domain.ReviewAction
	err := scanAction(tx.Reader().QueryRowContext(ctx, `SELECT `+actionColumns+` FROM review_actions ra WHERE ra.id = $1 AND ra.setting_urn = $2`, id, scope.SettingURN), &x)
	if err != nil {
		return x, store.NotFound(err, "action")
	}
	x, rule := domain.CompleteAction(x, tx.Today(), tx.Today())
	if rule != nil {
		return x, rule
	}
	if _, err := tx.Exec(ctx, `UPDATE review_actions SET done_on = $1, updated_at = $2 WHERE id = $3 AND done_on IS NULL`, x.DoneOn, tx.Now(), id); err != nil {
		return x, fmt.Errorf("complete action: %w", err)
	}
	if err := tx.Audit(ctx, a, "complete action", "setting", x.SettingURN, nil, map[string]any{"action_id": id}); err != nil {
		return x, err
	}
	return x, bump(ctx, tx)
}

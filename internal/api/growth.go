package api

import (
	"context"
	"net/http"
	"time"

	"senco/internal/domain"
	"senco/internal/store/growth"
)

// The SENCO's own growth, for a setting's or an LA's own system: a
// setting's self-reviews (an LA reads only those its settings shared) and
// practitioners' confidence ratings shared with their LA. Both change only
// by their owner's hand; filter[updated_since] picks up what changed.

type itemRatingAttributes struct {
	ItemCode string `json:"item_code"`
	AreaCode string `json:"area_code"`
	Rating   string `json:"rating"`
	Evidence string `json:"evidence"`
	Actions  string `json:"actions"`
}

type reviewAttributes struct {
	SettingURN       string                 `json:"setting_urn"`
	SettingName      string                 `json:"setting_name"`
	LACode           string                 `json:"la_code"`
	FrameworkVersion int                    `json:"framework_version"`
	ReviewedOn       domain.Date            `json:"reviewed_on"`
	ReviewedBy       string                 `json:"reviewed_by"`
	SharedWithLA     bool                   `json:"shared_with_la"`
	Ratings          []itemRatingAttributes `json:"ratings"`
	CreatedAt        time.Time              `json:"created_at"`
	UpdatedAt        time.Time              `json:"updated_at"`
}

func reviewResource(r domain.SelfReview) resource {
	items := make([]itemRatingAttributes, 0, len(r.Ratings))
	for _, ir := range r.Ratings {
		items = append(items, itemRatingAttributes{ItemCode: ir.ItemCode, AreaCode: domain.AreaOf(ir.ItemCode), Rating: string(ir.Rating), Evidence: ir.Evidence, Actions: ir.Actions})
	}
	return resource{ID: idString(r.ID), Type: "self_review", Attributes: reviewAttributes{SettingURN: r.SettingURN, SettingName: r.SettingName,
		LACode: r.LACode, FrameworkVersion: r.FrameworkVersion, ReviewedOn: r.ReviewedOn, ReviewedBy: r.ReviewedBy, SharedWithLA: r.SharedWithLA,
		Ratings: items, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}}
}

var reviewList = listSpec{}

// listReviews lists the self-reviews in scope, newest first, or by
// updated_at then id with filter[updated_since].
func (a *API) listReviews(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), reviewList)
	if err != nil {
		return nil, err
	}
	f := growth.ReviewFilter{UpdatedSince: q.updatedSince, Page: q.number, Size: q.size}
	total, err := growth.CountReviews(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	rs, err := growth.Reviews(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, total, rs, reviewResource), nil
}

// getReview returns one self-review in scope; another's (or one not
// shared with the LA) is 404.
func (a *API) getReview(r *http.Request, c caller) (any, error) {
	rv, err := lookup(r, "self-review", func(ctx context.Context, id int64) (domain.SelfReview, error) {
		return growth.Review(ctx, a.db.Reader(), c.scope, id)
	})
	if err != nil {
		return nil, err
	}
	return single{Data: reviewResource(rv)}, nil
}

type ratingAttributes struct {
	PractitionerID string         `json:"practitioner_id"`
	LACode         string         `json:"la_code"`
	Point          string         `json:"point"`
	RatedOn        domain.Date    `json:"rated_on"`
	SharedWithLA   bool           `json:"shared_with_la"`
	Scores         map[string]int `json:"scores"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

func ratingResource(r domain.ConfidenceRating) resource {
	return resource{ID: idString(r.ID), Type: "confidence_rating", Attributes: ratingAttributes{PractitionerID: idString(r.PractitionerID), LACode: r.LACode,
		Point: string(r.Point), RatedOn: r.RatedOn, SharedWithLA: r.SharedWithLA, Scores: r.Scores, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}}
}

// listRatings lists the confidence ratings in scope: an LA's, those shared
// with it.
func (a *API) listRatings(r *http.Request, c caller) (any, error) {
	q, err := parseList(r.URL.Query(), reviewList)
	if err != nil {
		return nil, err
	}
	f := growth.RatingFilter{UpdatedSince: q.updatedSince, Page: q.number, Size: q.size}
	total, err := growth.CountRatings(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	rs, err := growth.Ratings(r.Context(), a.db.Reader(), c.scope, f)
	if err != nil {
		return nil, err
	}
	return listOf(q, total, rs, ratingResource), nil
}

func growthPaths() obj {
	return obj{
		"/api/v1/self-reviews": obj{"get": listOperation("listSelfReviews", "List SEND self-reviews",
			"A setting manager's token reads its setting's self-reviews; an LA officer's those its settings chose to share with it. "+
				"Nobody else reads an individual review. Newest first; by updated_at then id with filter[updated_since]. A review's "+
				"updated_at changes when it is shared or unshared. Free text never names a child.",
			"SelfReview", true)},
		"/api/v1/self-reviews/{id}": obj{"get": getOperation("getSelfReview", "Get a SEND self-review",
			"One review by id with every item's rating, evidence and actions. Another setting's, or one not shared with the LA, is 404.",
			"SelfReview", idParam("Self-review id"))},
		"/api/v1/confidence-ratings": obj{"get": listOperation("listConfidenceRatings", "List confidence ratings",
			"An LA officer's token reads the confidence ratings practitioners at its settings chose to share with it: each of the job "+
				"role's five areas scored 1 (not yet confident) to 5 (very confident), at enrolment, the end of training and six months "+
				"later. By practitioner and date; by updated_at then id with filter[updated_since].",
			"ConfidenceRating", true)},
	}
}

func growthSchemas() obj {
	out := obj{}
	add := func(m obj) {
		for k, v := range m {
			out[k] = v
		}
	}
	codes := func(rs []domain.ReviewRating) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = string(r)
		}
		return out
	}
	points := make([]string, len(domain.RatingPoints))
	for i, p := range domain.RatingPoints {
		points[i] = string(p)
	}
	scores := obj{}
	for _, a := range domain.JobRoleAreas {
		scores[a.Code] = obj{"type": "integer", "minimum": domain.ConfidenceMin, "maximum": domain.ConfidenceMax, "description": a.Title}
	}
	note := obj{"type": "string", "maxLength": domain.MaxNoteLength}
	add(resourceSchemas("SelfReview", "self_review", "Self-review id", obj{
		"setting_urn":       tString,
		"setting_name":      tString,
		"la_code":           tString,
		"framework_version": tInteger,
		"reviewed_on":       tDate,
		"reviewed_by":       obj{"type": "string", "maxLength": domain.MaxNameLength},
		"shared_with_la":    tBool,
		"ratings": obj{"type": "array", "items": object(obj{
			"item_code": tString,
			"area_code": tString,
			"rating":    enumOf("Secure, partly in place or area for development", codes(domain.ReviewRatings)),
			"evidence":  note,
			"actions":   note,
		})},
		"created_at": tDateTime,
		"updated_at": tDateTime,
	}))
	add(resourceSchemas("ConfidenceRating", "confidence_rating", "Rating id", obj{
		"practitioner_id": tID,
		"la_code":         tString,
		"point":           enumOf("When in training it was rated", points),
		"rated_on":        tDate,
		"shared_with_la":  tBool,
		"scores":          object(scores),
		"created_at":      tDateTime,
		"updated_at":      tDateTime,
	}))
	return out
}

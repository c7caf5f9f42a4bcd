package domain

import (
	"fmt"
	"strings"
	"time"
)

// The SEND self-review: a setting's dated self-evaluation against a
// framework of areas and items (catalogue data, versioned), each item rated
// with its evidence and the actions it calls for. It is a supportive tool,
// not an inspection: the setting sees its own reviews and chooses, review
// by review, whether its local authority sees them too. Nobody else sees an
// individual review; the programme team sees aggregates only (impact.go).

// NoChildText is said beside every free-text field of the self-review,
// confidence and CPD records: they are about practice, never about a child.
const NoChildText = "Do not name or describe any child, or give details from which a child could be recognised."

// ReviewRating is how an item of the self-review stands.
type ReviewRating string

const (
	RatingSecure      ReviewRating = "secure"
	RatingPartly      ReviewRating = "partly_in_place"
	RatingDevelopment ReviewRating = "area_for_development"
)

// ReviewRatings in the order forms offer them.
var ReviewRatings = []ReviewRating{RatingSecure, RatingPartly, RatingDevelopment}

// Label is the rating as people say it.
func (r ReviewRating) Label() string {
	switch r {
	case RatingSecure:
		return "Secure"
	case RatingPartly:
		return "Partly in place"
	case RatingDevelopment:
		return "Area for development"
	}
	return string(r)
}

// Points orders the ratings for comparison and averages: an area for
// development 0, partly in place 1, secure 2.
func (r ReviewRating) Points() int {
	switch r {
	case RatingSecure:
		return 2
	case RatingPartly:
		return 1
	}
	return 0
}

// Valid reports whether r is one of ReviewRatings.
func (r ReviewRating) Valid() bool {
	for _, v := range ReviewRatings {
		if r == v {
			return true
		}
	}
	return false
}

// ReviewFramework is one version of the self-review's areas and items.
type ReviewFramework struct {
	Version int
	Areas   []ReviewArea
}

// ReviewArea is an area of the framework.
type ReviewArea struct {
	Code, Title, Summary string
	Items                []ReviewItem
}

// ReviewItem is a statement the setting rates itself against.
type ReviewItem struct {
	Code, Text string
}

// Item finds an item by its code.
func (f ReviewFramework) Item(code string) (ReviewArea, ReviewItem, bool) {
	for _, a := range f.Areas {
		for _, it := range a.Items {
			if it.Code == code {
				return a, it, true
			}
		}
	}
	return ReviewArea{}, ReviewItem{}, false
}

// AreaOf is the area an item code belongs to, "" when none: item codes are
// "area.item", so an item keeps its area across versions.
func AreaOf(itemCode string) string {
	area, _, _ := strings.Cut(itemCode, ".")
	return area
}

// Check refuses a framework a file got wrong: no areas, an empty or
// duplicate code, an item outside its area's prefix.
func (f ReviewFramework) Check() error {
	if f.Version < 1 || len(f.Areas) == 0 {
		return fmt.Errorf("self-review framework: version %d with %d areas", f.Version, len(f.Areas))
	}
	seen := map[string]bool{}
	for _, a := range f.Areas {
		if a.Code == "" || a.Title == "" || len(a.Items) == 0 || seen[a.Code] {
			return fmt.Errorf("self-review framework v%d: area %q is empty or repeated", f.Version, a.Code)
		}
		seen[a.Code] = true
		for _, it := range a.Items {
			if AreaOf(it.Code) != a.Code || it.Text == "" || seen[it.Code] {
				return fmt.Errorf("self-review framework v%d: item %q of area %q", f.Version, it.Code, a.Code)
			}
			seen[it.Code] = true
		}
	}
	return nil
}

// ItemRating is one item of a review as the setting rated it.
type ItemRating struct {
	ItemCode string
	Rating   ReviewRating
	Evidence string
	Actions  string
}

// SelfReview is one dated review of a setting.
type SelfReview struct {
	ID               int64
	SettingURN       string
	SettingName      string
	LACode           string
	FrameworkVersion int
	ReviewedOn       Date
	ReviewedBy       string
	SharedWithLA     bool
	Ratings          []ItemRating
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Rating is the review's rating of an item, if it has one.
func (r SelfReview) Rating(code string) (ItemRating, bool) {
	for _, ir := range r.Ratings {
		if ir.ItemCode == code {
			return ir, true
		}
	}
	return ItemRating{}, false
}

// Count is how many items the review rated r.
func (r SelfReview) Count(rating ReviewRating) int {
	n := 0
	for _, ir := range r.Ratings {
		if ir.Rating == rating {
			n++
		}
	}
	return n
}

// ReviewInput is what the person running a review entered.
type ReviewInput struct {
	ReviewedOn Date
	ReviewedBy string
	Share      bool
	Ratings    map[string]ItemRating // by item code
}

// NewReview decides a setting's review: dated today or earlier and not
// before its previous review, run by a named person, every item of the
// framework rated, its texts within their limits. Fields of a refusal are
// "reviewed_on", "reviewed_by" and "rating-CODE", "evidence-CODE",
// "actions-CODE".
func NewReview(f ReviewFramework, s Setting, in ReviewInput, last Date, today Date) (SelfReview, *Refusal) {
	r := SelfReview{SettingURN: s.URN, SettingName: s.Name, LACode: s.LACode, FrameworkVersion: f.Version,
		ReviewedOn: in.ReviewedOn, ReviewedBy: strings.TrimSpace(in.ReviewedBy), SharedWithLA: in.Share}
	switch {
	case in.ReviewedOn.IsZero():
		return r, Refuse("reviewed_on", "Enter the date of the review")
	case in.ReviewedOn.After(today):
		return r, Refuse("reviewed_on", "The date of the review must be today or in the past")
	case !last.IsZero() && in.ReviewedOn.Before(last):
		return r, Refuse("reviewed_on", "The date of the review must be on or after the previous review, %s", last.Long())
	case r.ReviewedBy == "":
		return r, Refuse("reviewed_by", "Enter the name of the person who ran the review")
	}
	if msg := TooLong("Name", r.ReviewedBy, MaxNameLength); msg != "" {
		return r, Refuse("reviewed_by", "%s", msg)
	}
	for _, a := range f.Areas {
		for _, it := range a.Items {
			ir := in.Ratings[it.Code]
			ir.ItemCode = it.Code
			ir.Evidence, ir.Actions = strings.TrimSpace(ir.Evidence), strings.TrimSpace(ir.Actions)
			if !ir.Rating.Valid() {
				return r, Refuse("rating-"+it.Code, "Choose a rating for %q in %s", it.Text, a.Title)
			}
			if msg := TooLong("Evidence", ir.Evidence, MaxNoteLength); msg != "" {
				return r, Refuse("evidence-"+it.Code, "%s (%s)", msg, a.Title)
			}
			if msg := TooLong("Actions", ir.Actions, MaxNoteLength); msg != "" {
				return r, Refuse("actions-"+it.Code, "%s (%s)", msg, a.Title)
			}
			r.Ratings = append(r.Ratings, ir)
		}
	}
	for code := range in.Ratings {
		if _, _, ok := f.Item(code); !ok {
			return r, Refuse("rating-"+code, "There is no item %q in version %d of the self-review", code, f.Version)
		}
	}
	return r, nil
}

// ItemChange is one item compared between two reviews.
type ItemChange struct {
	Item              ReviewItem
	Before, After     ItemRating
	HasBefore         bool
	HasAfter          bool
	Better, Worse     bool
	BeforeVersionNote string
}

// AreaComparison is one area of two reviews side by side.
type AreaComparison struct {
	Area                      ReviewArea
	Items                     []ItemChange
	BeforePoints, AfterPoints int
	Max                       int
}

// CompareReviews sets a review beside an earlier one, item by item, in the
// framework of the later review. An item the earlier review's version did
// not have shows without a before.
func CompareReviews(f ReviewFramework, before, after SelfReview) []AreaComparison {
	var out []AreaComparison
	for _, a := range f.Areas {
		ac := AreaComparison{Area: a}
		for _, it := range a.Items {
			c := ItemChange{Item: it}
			c.Before, c.HasBefore = before.Rating(it.Code)
			c.After, c.HasAfter = after.Rating(it.Code)
			if c.HasBefore && c.HasAfter {
				c.Better = c.After.Rating.Points() > c.Before.Rating.Points()
				c.Worse = c.After.Rating.Points() < c.Before.Rating.Points()
				ac.BeforePoints += c.Before.Rating.Points()
				ac.AfterPoints += c.After.Rating.Points()
				ac.Max += 2
			}
			ac.Items = append(ac.Items, c)
		}
		out = append(out, ac)
	}
	return out
}

// ReviewAction is a step of the setting's action plan, from an item of a
// review, with who does it and by when.
type ReviewAction struct {
	ID         int64
	ReviewID   int64
	SettingURN string
	ItemCode   string
	Action     string
	Owner      string
	DueOn      Date
	DoneOn     Date
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Overdue reports whether the action is past its date and not done.
func (a ReviewAction) Overdue(today Date) bool { return a.DoneOn.IsZero() && a.DueOn.Before(today) }

// PlanAction decides a new step of the action plan for an item of review r.
func PlanAction(f ReviewFramework, r SelfReview, itemCode, action, owner string, due, today Date) (ReviewAction, *Refusal) {
	a := ReviewAction{ReviewID: r.ID, SettingURN: r.SettingURN, ItemCode: itemCode, Action: strings.TrimSpace(action), Owner: strings.TrimSpace(owner), DueOn: due}
	if _, _, ok := f.Item(itemCode); !ok {
		return a, Refuse("item", "Choose the item of the review this action is for")
	}
	switch {
	case a.Action == "":
		return a, Refuse("action", "Enter what will be done")
	case TooLong("Action", a.Action, MaxNoteLength) != "":
		return a, Refuse("action", "%s", TooLong("Action", a.Action, MaxNoteLength))
	case a.Owner == "":
		return a, Refuse("owner", "Enter who will do it")
	case TooLong("Owner", a.Owner, MaxNameLength) != "":
		return a, Refuse("owner", "%s", TooLong("Owner", a.Owner, MaxNameLength))
	case due.IsZero():
		return a, Refuse("due_on", "Enter the date it will be done by")
	case due.Before(r.ReviewedOn):
		return a, Refuse("due_on", "The date must be on or after the review, %s", r.ReviewedOn.Long())
	case due.After(today.AddMonths(24)):
		return a, Refuse("due_on", "The date must be within two years")
	}
	return a, nil
}

// CompleteAction marks an action done on day; done once.
func CompleteAction(a ReviewAction, day, today Date) (ReviewAction, *Refusal) {
	switch {
	case !a.DoneOn.IsZero():
		return a, Refuse("done_on", "This action was marked done on %s", a.DoneOn.Long())
	case day.IsZero() || day.After(today):
		return a, Refuse("done_on", "The date it was done must be today or in the past")
	}
	a.DoneOn = day
	return a, nil
}

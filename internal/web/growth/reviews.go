package growth

import (
	"errors"
	"net/http"
	"strconv"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/growth"
	"senco/internal/web/page"
)

type reviewRow struct {
	Review                  domain.SelfReview
	Secure, Partly, Develop string
	Shared                  string
}

type reviewsData struct {
	Reviews []reviewRow
	Actions []actionRow
}

type actionRow struct {
	Action  domain.ReviewAction
	Item    string
	Due     string
	Overdue bool
}

func (s *Handlers) actionRows(acts []domain.ReviewAction) []actionRow {
	today := s.Today()
	out := make([]actionRow, 0, len(acts))
	for _, a := range acts {
		_, it, _ := s.current().Item(a.ItemCode)
		if it.Text == "" {
			it.Text = a.ItemCode
		}
		out = append(out, actionRow{Action: a, Item: it.Text, Due: a.DueOn.Long(), Overdue: a.Overdue(today)})
	}
	return out
}

// Reviews lists the setting's self-reviews and its action plan.
func (s *Handlers) Reviews(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	scope := policy.Reviews(u)
	rs, err := growth.Reviews(r.Context(), s.DB.Reader(), scope, growth.ReviewFilter{})
	if err != nil {
		return err
	}
	acts, err := growth.Actions(r.Context(), s.DB.Reader(), scope)
	if err != nil {
		return err
	}
	d := reviewsData{Actions: s.actionRows(acts)}
	for _, rv := range rs {
		row := reviewRow{Review: rv, Secure: page.Count(rv.Count(domain.RatingSecure)), Partly: page.Count(rv.Count(domain.RatingPartly)),
			Develop: page.Count(rv.Count(domain.RatingDevelopment)), Shared: "Not shared"}
		if rv.SharedWithLA {
			row.Shared = "Shared with your local authority"
		}
		d.Reviews = append(d.Reviews, row)
	}
	return s.Render(w, r, "growth-reviews", "SEND self-review", d)
}

type reviewForm struct {
	Framework  domain.ReviewFramework
	Areas      []formArea
	On         page.DateField
	ReviewedBy string
	Share      bool
	NoChild    string
	page.Form
}

type formArea struct {
	Area  domain.ReviewArea
	Items []formItem
}

type formItem struct {
	Item     domain.ReviewItem
	Options  []option
	Evidence string
	Actions  string
}

func (s *Handlers) reviewForm(in domain.ReviewInput, on page.DateField) reviewForm {
	f := reviewForm{Framework: s.current(), On: on, ReviewedBy: in.ReviewedBy, Share: in.Share, NoChild: domain.NoChildText}
	for _, a := range f.Framework.Areas {
		fa := formArea{Area: a}
		for _, it := range a.Items {
			ir := in.Ratings[it.Code]
			fa.Items = append(fa.Items, formItem{Item: it, Options: ratingOptions(ir.Rating), Evidence: ir.Evidence, Actions: ir.Actions})
		}
		f.Areas = append(f.Areas, fa)
	}
	return f
}

// ReviewNew is the self-review form, every item of the current framework.
func (s *Handlers) ReviewNew(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	return s.Render(w, r, "growth-review-new", "New SEND self-review", s.reviewForm(domain.ReviewInput{ReviewedBy: u.Name}, page.DateFieldOf(s.Today())))
}

// ReviewCreate saves the review, or shows the form again with what is
// missing.
func (s *Handlers) ReviewCreate(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	in := domain.ReviewInput{ReviewedBy: r.PostFormValue("reviewed_by"), Share: r.PostFormValue("share") == "yes", Ratings: map[string]domain.ItemRating{}}
	for _, a := range s.current().Areas {
		for _, it := range a.Items {
			in.Ratings[it.Code] = domain.ItemRating{Rating: domain.ReviewRating(r.PostFormValue("rating-" + it.Code)),
				Evidence: r.PostFormValue("evidence-" + it.Code), Actions: r.PostFormValue("actions-" + it.Code)}
		}
	}
	on := page.ReadDate(r, "reviewed_on")
	d := s.reviewForm(in, on)
	in.ReviewedOn = d.ParseDate(on, "reviewed_on-day", "the date of the review")
	if !d.Valid() {
		return s.RenderForm(w, r, "growth-review-new", "New SEND self-review", d)
	}
	var rv domain.SelfReview
	err := s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		rv, err = growth.SaveReview(r.Context(), tx, domain.ActorOf(u), policy.Reviews(u), s.current(), in)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		field := rule.Field
		if field == "reviewed_on" {
			field = "reviewed_on-day"
		}
		d.Fail(field, rule.Msg)
		return s.RenderForm(w, r, "growth-review-new", "New SEND self-review", d)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/growth/reviews/"+strconv.FormatInt(rv.ID, 10), "Self-review of "+rv.ReviewedOn.Long()+" saved")
	return nil
}

type compareArea struct {
	Area          domain.ReviewArea
	Items         []compareItem
	Before, After string
}

type compareItem struct {
	Item          domain.ReviewItem
	Before, After map[string]any
	HasBefore     bool
	Change        string
	Evidence      string
	Actions       string
}

type reviewData struct {
	Review    domain.SelfReview
	Previous  domain.SelfReview
	HasPrev   bool
	Areas     []compareArea
	CanManage bool
	Actions   []actionRow
	ItemsOpts []option
	Due       page.DateField
	Action    string
	Owner     string
	NoChild   string
	page.Form
}

func (s *Handlers) loadReview(r *http.Request) (reviewData, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return reviewData{}, page.ErrNotFound
	}
	scope := policy.Reviews(u)
	rv, err := growth.Review(r.Context(), s.DB.Reader(), scope, id)
	if errors.Is(err, store.ErrNotFound) {
		return reviewData{}, page.ErrNotFound
	}
	if err != nil {
		return reviewData{}, err
	}
	d := reviewData{Review: rv, CanManage: policy.CanRunReview(u), NoChild: domain.NoChildText}
	d.Previous, d.HasPrev, err = growth.Previous(r.Context(), s.DB.Reader(), scope, rv)
	if err != nil {
		return d, err
	}
	fw := s.framework(rv.FrameworkVersion)
	for _, ac := range domain.CompareReviews(fw, d.Previous, rv) {
		ca := compareArea{Area: ac.Area, After: page.Count(ac.AfterPoints)}
		if d.HasPrev && ac.Max > 0 {
			ca.Before = page.Count(ac.BeforePoints)
		}
		for _, c := range ac.Items {
			ci := compareItem{Item: c.Item, After: ratingTag(c.After.Rating), HasBefore: d.HasPrev && c.HasBefore, Evidence: c.After.Evidence, Actions: c.After.Actions}
			if ci.HasBefore {
				ci.Before = ratingTag(c.Before.Rating)
				switch {
				case c.Better:
					ci.Change = "Better"
				case c.Worse:
					ci.Change = "Worse"
				default:
					ci.Change = "Same"
				}
			}
			ca.Items = append(ca.Items, ci)
		}
		d.Areas = append(d.Areas, ca)
		for _, it := range ac.Area.Items {
			d.ItemsOpts = append(d.ItemsOpts, option{Value: it.Code, Text: ac.Area.Title + ": " + it.Text})
		}
	}
	if d.CanManage {
		acts, err := growth.Actions(r.Context(), s.DB.Reader(), scope)
		if err != nil {
			return d, err
		}
		for _, a := range s.actionRows(acts) {
			if a.Action.ReviewID == rv.ID {
				d.Actions = append(d.Actions, a)
			}
		}
	}
	return d, nil
}

// Review shows one review beside the one before it, item by item, with its
// part of the action plan.
func (s *Handlers) Review(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadReview(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "growth-review", "Self-review of "+d.Review.ReviewedOn.Long(), d)
}

// ReviewShare sets whether the local authority sees this review.
func (s *Handlers) ReviewShare(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return page.ErrNotFound
	}
	share := r.PostFormValue("share") == "yes"
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := growth.ShareReview(r.Context(), tx, domain.ActorOf(u), policy.Reviews(u), id, share)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return page.ErrNotFound
	}
	if err != nil {
		return err
	}
	msg := "This review is no longer shared with your local authority"
	if share {
		msg = "This review is shared with your local authority"
	}
	s.RedirectFlash(w, r, "/growth/reviews/"+strconv.FormatInt(id, 10), msg)
	return nil
}

// ActionCreate adds a step to the action plan from an item of the review.
func (s *Handlers) ActionCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadReview(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	item := r.PostFormValue("item")
	d.Action, d.Owner, d.Due = r.PostFormValue("action"), r.PostFormValue("owner"), page.ReadDate(r, "due_on")
	for i := range d.ItemsOpts {
		d.ItemsOpts[i].Checked = d.ItemsOpts[i].Value == item
	}
	due := d.ParseDate(d.Due, "due_on-day", "the date it will be done by")
	if d.Valid() {
		err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
			_, err := growth.AddAction(r.Context(), tx, domain.ActorOf(u), policy.Reviews(u), s.framework(d.Review.FrameworkVersion), d.Review.ID, item, d.Action, d.Owner, due)
			return err
		})
		if rule, ok := domain.IsRefusal(err); ok {
			field := rule.Field
			if field == "due_on" {
				field = "due_on-day"
			}
			d.Fail(field, rule.Msg)
		} else if err != nil {
			return err
		}
	}
	if !d.Valid() {
		return s.RenderForm(w, r, "growth-review", "Self-review of "+d.Review.ReviewedOn.Long(), d)
	}
	s.RedirectFlash(w, r, "/growth/reviews/"+strconv.FormatInt(d.Review.ID, 10)+"#plan", "Action added to your plan")
	return nil
}

// ActionDone marks an action of the plan done today.
func (s *Handlers) ActionDone(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return page.ErrNotFound
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := growth.CompleteAction(r.Context(), tx, domain.ActorOf(u), policy.Reviews(u), id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return page.ErrNotFound
	}
	if rule, ok := domain.IsRefusal(err); ok {
		s.RedirectFlash(w, r, "/growth/reviews", "Not changed: "+rule.Msg)
		return nil
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/growth/reviews#plan", "Action marked done")
	return nil
}

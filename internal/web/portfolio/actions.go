package portfolio

import (
	"errors"
	"net/http"
	"strconv"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/portfolio"
	"senco/internal/web/page"
)

type observeForm struct {
	page.Form
	On       page.DateField
	Seen     string
	Criteria []domain.CriterionRef
}

func (s *Handlers) observePage(w http.ResponseWriter, r *http.Request, p portfolio.Portfolio, f observeForm, status int) error {
	return s.RenderStatus(w, r, status, "pf-observe", "Record an observation", data{
		"App": p.App, "Plan": p.Qualification.Plan, "F": f, "Errors": f.Errors, "Form": f.Form,
		"Items": criteriaItems(p.Qualification, nil, f.Criteria),
	})
}

// ObserveForm records an observation of the learner's practice.
func (s *Handlers) ObserveForm(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.load(r)
	if err != nil {
		return err
	}
	if !policy.CanMark(u) {
		return page.ErrForbidden
	}
	return s.observePage(w, r, p, observeForm{On: page.DateFieldOf(s.Today()), Criteria: p.Qualification.Plan.Observation.Criteria}, http.StatusOK)
}

// Observe saves the observation; each criterion it evidenced is met.
func (s *Handlers) Observe(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.load(r)
	if err != nil {
		return err
	}
	if !policy.CanMark(u) {
		return page.ErrForbidden
	}
	f := observeForm{On: page.ReadDate(r, "observed_on"), Seen: r.PostFormValue("seen"), Criteria: criteriaOf(r.PostForm["criteria"])}
	on := f.ParseDate(f.On, "observed_on-day", "the date of the observation")
	if f.Valid() {
		err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
			_, err := portfolio.RecordObservation(r.Context(), tx, domain.ActorOf(u), policy.Portfolio(u), p.App.ID,
				domain.Observation{ObservedOn: on, Seen: f.Seen, Criteria: f.Criteria})
			return err
		})
		if rf, ok := domain.IsRefusal(err); ok {
			field := rf.Field
			if field == "observed_on" {
				field = "observed_on-day"
			}
			f.Fail(field, rf.Msg)
		} else if err != nil {
			return err
		}
	}
	if !f.Valid() {
		return s.observePage(w, r, p, f, http.StatusUnprocessableEntity)
	}
	s.RedirectFlash(w, r, path(p.App.ID)+"#observations", "The observation is recorded; the learner has been asked to acknowledge it.")
	return nil
}

// Acknowledge records the learner's acknowledgement of an observation.
func (s *Handlers) Acknowledge(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.load(r)
	if err != nil {
		return err
	}
	if !policy.CanAddEvidence(u) {
		return page.ErrForbidden
	}
	oid, err := strconv.ParseInt(r.PostFormValue("observation"), 10, 64)
	if err != nil {
		return page.ErrNotFound
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := portfolio.AcknowledgeObservation(r.Context(), tx, domain.ActorOf(u), policy.Portfolio(u), oid, r.PostFormValue("comment"))
		return err
	})
	return s.after(w, r, p, err, "#observations", "You acknowledged the observation.")
}

// after answers an action taken from the portfolio page: back to it with
// what happened, or with the refusal's sentence.
func (s *Handlers) after(w http.ResponseWriter, r *http.Request, p portfolio.Portfolio, err error, anchor, done string) error {
	if rf, ok := domain.IsRefusal(err); ok {
		s.RedirectFlash(w, r, path(p.App.ID)+anchor, rf.Msg)
		return nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return page.ErrNotFound
	}
	if errors.Is(err, store.ErrConflict) {
		s.RedirectFlash(w, r, path(p.App.ID)+anchor, domain.ErrPortfolioChanged.Error())
		return nil
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, path(p.App.ID)+anchor, done)
	return nil
}

type reviewForm struct {
	page.Form
	On                 page.DateField
	Summary, NextSteps string
}

func (s *Handlers) reviewPage(w http.ResponseWriter, r *http.Request, p portfolio.Portfolio, f reviewForm, status int) error {
	return s.RenderStatus(w, r, status, "pf-review-new", "Record a progress review", data{"App": p.App, "F": f, "Errors": f.Errors, "Form": f.Form})
}

// ReviewForm records a progress review.
func (s *Handlers) ReviewForm(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.load(r)
	if err != nil {
		return err
	}
	if !policy.CanMark(u) {
		return page.ErrForbidden
	}
	return s.reviewPage(w, r, p, reviewForm{On: page.DateFieldOf(s.Today())}, http.StatusOK)
}

// Review saves a progress review, signed by the assessor who wrote it.
func (s *Handlers) Review(w http.ResponseWriter, r *http.Request) error {
	u, p, err := s.load(r)
	if err != nil {
		return err
	}
	if !policy.CanMark(u) {
		return page.ErrForbidden
	}
	f := reviewForm{On: page.ReadDate(r, "held_on"), Summary: r.PostFormValue("summary"), NextSteps: r.PostFormValue("next_steps")}
	on := f.ParseDate(f.On, "held_on-day", "the date of the review")
	if f.Valid() {
		err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
			_, err := portfolio.AddReview(r.Context(), tx, domain.ActorOf(u), policy.Portfolio(u), p.App.ID,
				domain.ProgressReview{HeldOn: on, Summary: f.Summary, NextSteps: f.NextSteps})
			return err
		})
		if rf, ok := domain.IsRefusal(err); ok {
			field := rf.Field
			if field == "held_on" {
				field = "held_on-day"
			}
			f.Fail(field, rf.Msg)
		} else if err != nil {
			return err
		}
	}
	if !f.Valid() {
		return s.reviewPage(w, r, p, f, http.StatusUnprocessableEntity)
	}
	s.RedirectFlash(w, r, path(p.App.ID)+"#reviews", "The progress review is recorded; the learner and their setting manager are asked to sign it.")
	return nil
}

// Sign signs a progress review as the learner or the assessor (the
// setting manager signs from Reviews).
func (s *Handlers) Sign(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	signer, ok := policy.SignerOf(u)
	if !ok {
		return page.ErrForbidden
	}
	rid, err := page.PathID(r, "id")
	if err != nil {
		return err
	}
	var rev domain.ProgressReview
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		rev, err = portfolio.SignReview(r.Context(), tx, domain.ActorOf(u), policy.ProgressReviews(u), rid, signer)
		return err
	})
	back := "/progress-reviews"
	if signer != domain.SignerManager && rev.ApplicationID != 0 {
		back = path(rev.ApplicationID) + "#reviews"
	}
	if rf, ok := domain.IsRefusal(err); ok {
		s.RedirectFlash(w, r, back, rf.Msg)
		return nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return page.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, back, "You signed the progress review of "+rev.HeldOn.Long()+".")
	return nil
}

// Reviews lists the progress reviews a user may see: for a setting
// manager, their setting's, to sign.
func (s *Handlers) Reviews(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	scope := policy.ProgressReviews(u)
	rs, err := portfolio.Reviews(r.Context(), s.DB.Reader(), scope, 0)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	type row struct {
		R       domain.ProgressReview
		Learner string
	}
	var rows []row
	for _, rv := range rs {
		app, err := store.ApplicationIn(r.Context(), s.DB.Reader(), policy.Scope{Kind: policy.National}, rv.ApplicationID)
		if err != nil {
			return err
		}
		rows = append(rows, row{rv, app.PractitionerName})
	}
	signer, _ := policy.SignerOf(u)
	return s.Render(w, r, "pf-reviews", "Progress reviews", map[string]any{"Rows": rows, "Signer": signer, "Flash": s.TakeFlash(w, r)})
}

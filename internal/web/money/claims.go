package money

import (
	"errors"
	"net/http"
	"strconv"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/payments"
	"senco/internal/web/page"
)

type claimsData struct {
	Claims   []domain.Claim
	Total    int
	Amount   domain.Money
	Learners []store.Application
	CanClaim bool
	// Decide is the decision this user makes on claims, if any: verify
	// (a supplier) or approve (the programme team).
	Decide string
}

// Claims lists the claims of cover in the user's scope: a setting's own,
// a supplier's learners', or all; a setting manager starts a claim here.
func (s *Handlers) Claims(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	page_, err := payments.Claims(r.Context(), s.DB.Reader(), policy.Payments(u), payments.ClaimFilter{PageSize: 200})
	if err != nil {
		return err
	}
	d := claimsData{Claims: page_.Claims, Total: page_.Total, Amount: page_.Amount, CanClaim: policy.CanClaimCover(u)}
	switch {
	case policy.CanVerifyClaims(u):
		d.Decide = "verify"
	case policy.CanPayClaims(u):
		d.Decide = "approve"
	}
	if d.CanClaim {
		learners, err := s.DB.Applications(r.Context(), policy.Delivery(u), store.AppFilter{PageSize: 200})
		if err != nil {
			return err
		}
		for _, a := range learners.Applications {
			if a.Status.HoldsPlace() || a.Status.In(domain.Departed) {
				d.Learners = append(d.Learners, a)
			}
		}
	}
	return s.Render(w, r, "money-claims", "Claims for cover", d)
}

type claimForm struct {
	Claim    payments.ClaimForm
	Chosen   map[int64]bool
	Accepted bool
	page.Form
}

func (s *Handlers) claimForm(r *http.Request) (claimForm, error) {
	u, _ := page.CurrentUser(r)
	id, err := strconv.ParseInt(r.FormValue("learner"), 10, 64)
	if err != nil {
		return claimForm{}, page.ErrNotFound
	}
	f, err := payments.LoadClaimForm(r.Context(), s.DB.Reader(), policy.Payments(u), id, s.Today())
	if errors.Is(err, store.ErrNotFound) {
		return claimForm{}, page.ErrNotFound
	}
	return claimForm{Claim: f, Chosen: map[int64]bool{}, Accepted: f.Facts.Conditions}, err
}

// ClaimNew is the claim form for one learner, every claimable session
// ticked: the hours the register shows they attended.
func (s *Handlers) ClaimNew(w http.ResponseWriter, r *http.Request) error {
	d, err := s.claimForm(r)
	if err != nil {
		return err
	}
	for _, c := range d.Claim.Claimable {
		d.Chosen[c.SessionID] = true
	}
	return s.Render(w, r, "money-claim-new", "Claim cover for "+d.Claim.App.PractitionerName, d)
}

// ClaimCreate submits the claim; a refusal names the sessions and why.
func (s *Handlers) ClaimCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.claimForm(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	var ids []int64
	for _, v := range r.PostForm["sessions"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			ids = append(ids, id)
			d.Chosen[id] = true
		}
	}
	accept := r.PostFormValue("conditions") == "yes"
	var claim domain.Claim
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		if accept && !d.Claim.Facts.Conditions {
			if err := payments.AcceptConditions(r.Context(), tx, domain.ActorOf(u), u.Org.SettingURN, d.Claim.App.ProgrammeID); err != nil {
				return err
			}
		}
		var err error
		claim, err = payments.SubmitClaim(r.Context(), tx, domain.ActorOf(u), policy.Payments(u), d.Claim.App.ID, ids)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		d.Accepted = d.Accepted || accept
		d.Fail(rule.Field, rule.Msg)
		return s.RenderForm(w, r, "money-claim-new", "Claim cover for "+d.Claim.App.PractitionerName, d)
	}
	if errors.Is(err, store.ErrConflict) {
		d.Fail("sessions", "One of these sessions was claimed by another claim meanwhile; choose again")
		return s.RenderForm(w, r, "money-claim-new", "Claim cover for "+d.Claim.App.PractitionerName, d)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/claims", "Claim submitted: "+domain.FormatMinutes(claim.Minutes)+" of cover, "+claim.Amount.String())
	return nil
}

// Verify is a supplier's check of a submitted claim against its register.
func (s *Handlers) Verify(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, func(tx *store.Tx, u domain.User, id int64, ok bool, reason string) (domain.Claim, error) {
		return payments.VerifyClaim(r.Context(), tx, domain.ActorOf(u), policy.Payments(u), id, ok, reason)
	})
}

// Approve is the programme team's decision on a verified claim.
func (s *Handlers) Approve(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, func(tx *store.Tx, u domain.User, id int64, ok bool, reason string) (domain.Claim, error) {
		return payments.ApproveClaim(r.Context(), tx, domain.ActorOf(u), id, ok, reason)
	})
}

func (s *Handlers) decide(w http.ResponseWriter, r *http.Request, do func(*store.Tx, domain.User, int64, bool, string) (domain.Claim, error)) error {
	u, _ := page.CurrentUser(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return page.ErrNotFound
	}
	ok := r.PostFormValue("decision") == "yes"
	var c domain.Claim
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		c, err = do(tx, u, id, ok, r.PostFormValue("reason"))
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return page.ErrNotFound
	}
	if rule, isRule := domain.IsRefusal(err); isRule {
		s.RedirectFlash(w, r, "/claims", "Not changed: "+rule.Msg)
		return nil
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/claims", c.LearnerName+"'s claim is "+c.State.Label())
	return nil
}

// ClawbackForm confirms taking back the payment of a claim found wrong
// after it was paid, and asks why.
func (s *Handlers) ClawbackForm(w http.ResponseWriter, r *http.Request) error {
	c, err := byPathID(r, s.DB.Reader(), payments.Claim)
	if err != nil {
		return err
	}
	return s.Render(w, r, "money-claim-clawback", "Claw back a claim", reasonForm[domain.Claim]{Record: c})
}

// Clawback records the clawback; the claim is kept, with the reason.
func (s *Handlers) Clawback(w http.ResponseWriter, r *http.Request) error {
	c, err := byPathID(r, s.DB.Reader(), payments.Claim)
	if err != nil {
		return err
	}
	return withReason(s, w, r, "money-claim-clawback", "Claw back a claim", c, "/claims",
		func(tx *store.Tx, a domain.Actor, reason string) (string, error) {
			_, err := payments.ClawBackClaim(r.Context(), tx, a, c.ID, reason)
			return c.Amount.String() + " of " + c.SettingName + "'s claim for " + c.LearnerName + " will be clawed back", err
		})
}

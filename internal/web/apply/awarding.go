package apply

import (
	"errors"
	"net/http"
	"strings"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/quality"
	"senco/internal/web/page"
)

// The awarding organisation registers learners, records certificates and
// revokes them. The store applies the rules (ULN check digit, completion
// before certification) and says why it refuses; these pages show that on
// the field it concerns.

// appRefusal puts a store refusal (a rule, or a save that lost a race) on the
// form, on the field it names or else the first field. It reports the
// status to answer with, or false when err is neither.
func appRefusal(f *page.Form, err error, fields []string) (int, bool) {
	if re, ok := store.IsRule(err); ok {
		field := fields[0]
		for _, k := range fields {
			if k == re.Field {
				field = k
			}
		}
		f.Fail(field, re.Msg)
		return http.StatusUnprocessableEntity, true
	}
	if errors.Is(err, store.ErrConflict) {
		f.Fail(fields[0], "The application changed while you were working on it. Check it and try again")
		return http.StatusConflict, true
	}
	return 0, false
}

// ---- register ----

type appRegisterData struct {
	App           store.Application
	LearnerNumber string
	ULN           string
	page.Form
}

func (s *Handlers) RegisterForm(w http.ResponseWriter, r *http.Request) error {
	_, app, err := s.appLoad(r, policy.CanCertify)
	if err != nil {
		return err
	}
	d := appRegisterData{App: app, LearnerNumber: app.LearnerNumber, ULN: app.ULN}
	return s.Render(w, r, "app-register", "Register "+app.PractitionerName, d)
}

func (s *Handlers) Register(w http.ResponseWriter, r *http.Request) error {
	u, app, err := s.appLoad(r, policy.CanCertify)
	if err != nil {
		return err
	}
	d := appRegisterData{App: app, LearnerNumber: strings.TrimSpace(r.PostFormValue("learner_number")),
		ULN: strings.Join(strings.Fields(r.PostFormValue("uln")), "")}
	d.Check(domain.TooLong("The learner number", d.LearnerNumber, domain.MaxCodeLength) == "", "learner_number", domain.TooLong("The learner number", d.LearnerNumber, domain.MaxCodeLength))
	d.Check(domain.TooLong("The ULN", d.ULN, domain.MaxCodeLength) == "", "uln", domain.TooLong("The ULN", d.ULN, domain.MaxCodeLength))
	if !d.Valid() {
		return s.RenderForm(w, r, "app-register", "Register "+app.PractitionerName, d)
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		return tx.RegisterLearner(r.Context(), domain.ActorOf(u), app, d.LearnerNumber, d.ULN)
	})
	if status, ok := appRefusal(&d.Form, err, []string{"learner_number", "uln"}); ok {
		return s.RenderStatus(w, r, status, "app-register", "Register "+app.PractitionerName, d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, appPath(app.ID)+"?done=registered", http.StatusSeeOther)
	return nil
}

// ---- certify ----

type appCertifyData struct {
	App    store.Application
	Block  *domain.Refusal
	Number string
	On     page.DateField
	page.Form
}

// certifyFacts loads the application and what certifying it needs.
func (s *Handlers) certifyFacts(r *http.Request) (domain.User, store.Application, domain.CertificationFacts, error) {
	u, app, err := s.appLoad(r, policy.CanCertify)
	if err != nil {
		return u, app, domain.CertificationFacts{}, err
	}
	f, err := quality.Facts(r.Context(), s.DB.Reader(), app)
	return u, app, f, err
}

// CertifyForm offers the form only to a learner the rule allows
// (domain.CertificationBlock); for anyone else it says why not.
func (s *Handlers) CertifyForm(w http.ResponseWriter, r *http.Request) error {
	_, app, f, err := s.certifyFacts(r)
	if err != nil {
		return err
	}
	d := appCertifyData{App: app, Block: domain.CertificationBlock(f), On: page.DateFieldOf(s.Today())}
	return s.Render(w, r, "app-certify", "Record "+app.PractitionerName+"'s certificate", d)
}

func (s *Handlers) Certify(w http.ResponseWriter, r *http.Request) error {
	u, app, f, err := s.certifyFacts(r)
	if err != nil {
		return err
	}
	title := "Record " + app.PractitionerName + "'s certificate"
	d := appCertifyData{App: app, Block: domain.CertificationBlock(f), Number: strings.TrimSpace(r.PostFormValue("certificate_number")),
		On: page.ReadDate(r, "certified")}
	if d.Block != nil {
		return s.RenderStatus(w, r, http.StatusUnprocessableEntity, "app-certify", title, d)
	}
	on, msg := d.On.Parse("the date of the certificate")
	if msg != "" {
		d.Fail("certified-day", msg)
	}
	if msg := domain.TooLong("The certificate number", d.Number, domain.MaxCodeLength); msg != "" {
		d.Fail("certificate_number", msg)
	}
	if !d.Valid() {
		d.ErrorOrder = page.OrderFields(d.ErrorOrder, "certificate_number", "certified-day")
		return s.RenderForm(w, r, "app-certify", title, d)
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		// Without a number of the organisation's own, the certificate is
		// numbered in sequence as it is issued.
		_, err := quality.Certify(r.Context(), tx, domain.ActorOf(u), app, d.Number, on)
		return err
	})
	if status, ok := appRefusal(&d.Form, err, []string{"certificate_number", "certified-day"}); ok {
		return s.RenderStatus(w, r, status, "app-certify", title, d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, appPath(app.ID)+"?done=certified", http.StatusSeeOther)
	return nil
}

// ---- revoke ----

type appRevokeData struct {
	App    store.Application
	Reason string
	page.Form
}

func (s *Handlers) RevokeForm(w http.ResponseWriter, r *http.Request) error {
	_, app, err := s.appLoad(r, policy.CanCertify)
	if err != nil {
		return err
	}
	return s.Render(w, r, "app-revoke", "Revoke "+app.PractitionerName+"'s certificate", appRevokeData{App: app})
}

func (s *Handlers) Revoke(w http.ResponseWriter, r *http.Request) error {
	u, app, err := s.appLoad(r, policy.CanCertify)
	if err != nil {
		return err
	}
	title := "Revoke " + app.PractitionerName + "'s certificate"
	d := appRevokeData{App: app, Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if app.Status != domain.StatusCertified {
		d.Fail("reason", app.PractitionerName+" holds no certificate to revoke (status: "+strings.ToLower(app.Status.Label())+")")
		return s.RenderStatus(w, r, http.StatusUnprocessableEntity, "app-revoke", title, d)
	}
	if msg := domain.TooLong("The reason", d.Reason, domain.MaxNoteLength); msg != "" {
		d.Fail("reason", msg)
		return s.RenderForm(w, r, "app-revoke", title, d)
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		return quality.Revoke(r.Context(), tx, domain.ActorOf(u), app, d.Reason, s.Today())
	})
	if status, ok := appRefusal(&d.Form, err, []string{"reason"}); ok {
		return s.RenderStatus(w, r, status, "app-revoke", title, d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, appPath(app.ID)+"?done=revoked", http.StatusSeeOther)
	return nil
}

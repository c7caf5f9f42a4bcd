// Package assurance serves quality assurance and certificates: the
// internal quality assurer's and the awarding organisation's sampling
// plans, samples, outcomes and report per assessor; the assessor's actions
// to resolve; the awarding organisation's queues, bulk registration,
// certificates (full and unit), their invalidation and review; the
// certificate as an accessible PDF; and the public page that verifies a
// certificate by its code.
package assurance

import (
	"bytes"
	_ "embed"
	"errors"
	"html/template"
	"mime"
	"net/http"
	"strings"

	"senco/internal/domain"
	"senco/internal/pdf"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/quality"
	"senco/internal/web/page"
)

// Handlers are the pages of this area; each method is one route's handler.
type Handlers struct {
	*page.Site
	// PDF prints certificates; nil or unavailable offers none.
	PDF *pdf.Renderer
	// Lookups limits the public verification page per client.
	Lookups *Limiter
}

func appPath(id int64) string { return "/applications/" + page.Itoa(id) }

// loadCert reads the certificate of the path in the user's delivery scope.
func (s *Handlers) loadCert(r *http.Request) (domain.User, domain.Award, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return u, domain.Award{}, err
	}
	c, err := quality.CertificateIn(r.Context(), s.DB.Reader(), policy.Delivery(u), id)
	return u, c, err
}

// ---- the certificate as a document ----

//go:embed certificate.html
var certificateHTML string

var certificateDoc = template.Must(template.New("certificate").Funcs(template.FuncMap{
	"code": domain.FormatVerificationCode,
}).Parse(certificateHTML))

type certDocData struct {
	C         domain.Award
	VerifyURL string
}

// CertificatePDF is the certificate as an accessible, tagged PDF.
func (s *Handlers) CertificatePDF(w http.ResponseWriter, r *http.Request) error {
	_, c, err := s.loadCert(r)
	if err != nil {
		return err
	}
	var html bytes.Buffer
	if err := certificateDoc.Execute(&html, certDocData{C: c, VerifyURL: verifyBase(r)}); err != nil {
		return err
	}
	out, err := s.PDF.Render(r.Context(), html.Bytes())
	if errors.Is(err, pdf.ErrUnavailable) {
		return page.ErrNotFound
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "certificate-" + c.Number + ".pdf"}))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(out)
	return err
}

// verifyBase is the address of the verification page as the certificate
// prints it: this server's own host.
func verifyBase(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil && (strings.HasPrefix(r.Host, "127.0.0.1") || strings.HasPrefix(r.Host, "localhost")) {
		scheme = "http"
	}
	return scheme + "://" + r.Host + "/verify"
}

// ---- invalidate ----

type invalidateData struct {
	C      domain.Award
	Reason string
	page.Form
}

func (s *Handlers) InvalidateForm(w http.ResponseWriter, r *http.Request) error {
	_, c, err := s.loadCert(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "qa-invalidate", "Invalidate certificate "+c.Number, invalidateData{C: c})
}

func (s *Handlers) Invalidate(w http.ResponseWriter, r *http.Request) error {
	u, c, err := s.loadCert(r)
	if err != nil {
		return err
	}
	d := invalidateData{C: c, Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if msg := domain.TooLong("The reason", d.Reason, domain.MaxNoteLength); msg != "" {
		d.Fail("reason", msg)
		return s.RenderForm(w, r, "qa-invalidate", "Invalidate certificate "+c.Number, d)
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := quality.Invalidate(r.Context(), tx, domain.ActorOf(u), policy.Delivery(u), c.ID, d.Reason)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		d.Fail("reason", rule.Msg)
		return s.RenderForm(w, r, "qa-invalidate", "Invalidate certificate "+c.Number, d)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, appPath(c.ApplicationID), "Certificate "+c.Number+" invalidated")
	return nil
}

// ClearReview records that a flagged certificate was reviewed and stands.
func (s *Handlers) ClearReview(w http.ResponseWriter, r *http.Request) error {
	u, c, err := s.loadCert(r)
	if err != nil {
		return err
	}
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		_, err := quality.ClearReview(r.Context(), tx, domain.ActorOf(u), policy.Delivery(u), c.ID)
		return err
	})
	if _, ok := domain.IsRefusal(err); ok {
		s.RedirectFlash(w, r, "/awarding", "Certificate "+c.Number+" is not flagged for review")
		return nil
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/awarding", "Certificate "+c.Number+" reviewed: it stands")
	return nil
}

// ---- unit certificates ----

type unitsData struct {
	App      store.Application
	Achieved []string
	Block    *domain.Refusal
	Chosen   []string
	On       page.DateField
	page.Form
}

// Items are the achieved units as checkboxes.
func (d unitsData) Items() []any {
	var out []any
	for _, u := range d.Achieved {
		out = append(out, map[string]any{"value": u, "text": "Unit " + u})
	}
	return out
}

func (s *Handlers) loadApp(r *http.Request) (domain.User, store.Application, domain.CertificationFacts, error) {
	u, _ := page.CurrentUser(r)
	id, err := page.PathID(r, "id")
	if err != nil {
		return u, store.Application{}, domain.CertificationFacts{}, err
	}
	app, err := s.DB.Application(r.Context(), policy.Delivery(u), id)
	if err != nil {
		return u, app, domain.CertificationFacts{}, err
	}
	f, err := quality.Facts(r.Context(), s.DB.Reader(), app)
	return u, app, f, err
}

func (s *Handlers) UnitsForm(w http.ResponseWriter, r *http.Request) error {
	_, app, f, err := s.loadApp(r)
	if err != nil {
		return err
	}
	d := unitsData{App: app, Achieved: domain.UnitsAchieved(f), Block: domain.UnitCertificationBlock(f), On: page.DateFieldOf(s.Today())}
	return s.Render(w, r, "qa-units", "Unit certificate for "+app.PractitionerName, d)
}

func (s *Handlers) Units(w http.ResponseWriter, r *http.Request) error {
	u, app, f, err := s.loadApp(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	title := "Unit certificate for " + app.PractitionerName
	d := unitsData{App: app, Achieved: domain.UnitsAchieved(f), Block: domain.UnitCertificationBlock(f), Chosen: r.PostForm["units"], On: page.ReadDate(r, "certified")}
	on := d.ParseDate(d.On, "certified-day", "the date of the certificate")
	if !d.Valid() {
		return s.RenderForm(w, r, "qa-units", title, d)
	}
	var c domain.Award
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		c, err = quality.CertifyUnits(r.Context(), tx, domain.ActorOf(u), app, d.Chosen, on)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		field := rule.Field
		if field != "certified-day" {
			field = "units"
		}
		d.Fail(field, rule.Msg)
		return s.RenderForm(w, r, "qa-units", title, d)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, appPath(app.ID), "Unit certificate "+c.Number+" issued to "+app.PractitionerName)
	return nil
}

package assurance

import (
	"errors"
	"net/http"
	"strings"

	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/policy"
	"senco/internal/register"
	"senco/internal/store"
	"senco/internal/store/quality"
	"senco/internal/web/page"
)

// The awarding organisation's queues: learners to register, learners to
// certify (each with why not, when not), and certificates flagged for
// review after a decision behind them was overturned.

const queueSize = 50

type certifyRow struct {
	App   store.Application
	Block *domain.Refusal
}

type awardingData struct {
	ToRegister []store.Application
	RegTotal   int
	ToCertify  []certifyRow
	Ready      int
	CertTotal  int
	Flagged    []domain.Award
}

func (s *Handlers) Awarding(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	ctx := r.Context()
	scope := policy.Delivery(u)
	d := awardingData{}
	reg, err := s.DB.Applications(ctx, scope, store.AppFilter{Statuses: domain.Registerable, Unregistered: true, Page: 1, PageSize: queueSize})
	if err != nil {
		return err
	}
	d.ToRegister, d.RegTotal = reg.Applications, reg.Total
	done, err := s.DB.Applications(ctx, scope, store.AppFilter{Status: domain.StatusCompleted, Page: 1, PageSize: queueSize})
	if err != nil {
		return err
	}
	d.CertTotal = done.Total
	facts, err := quality.FactsOf(ctx, s.DB.Reader(), done.Applications)
	if err != nil {
		return err
	}
	for _, a := range done.Applications {
		row := certifyRow{App: a, Block: domain.CertificationBlock(facts[a.ID])}
		if row.Block == nil {
			d.Ready++
		}
		d.ToCertify = append(d.ToCertify, row)
	}
	if d.Flagged, err = quality.Flagged(ctx, s.DB.Reader(), scope); err != nil {
		return err
	}
	return s.Render(w, r, "qa-awarding", "Register and certify", d)
}

// ---- registration in bulk ----

const maxUpload = 5 << 20

type registrationsData struct {
	Registered int
	File       string
	Problems   []importer.Problem
	More       int
	page.Form
}

func (s *Handlers) RegistrationsForm(w http.ResponseWriter, r *http.Request) error {
	return s.Render(w, r, "qa-registrations", "Register learners from a file", registrationsData{})
}

func (s *Handlers) RegistrationsTemplate(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	known, err := register.Registerable(r.Context(), s.DB.Reader(), u)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="registrations.csv"`)
	var b strings.Builder
	b.WriteString(strings.Join(importer.RegistrationColumns, ",") + "\r\n")
	// One row per learner still to register, with the number to fill in.
	reg, err := s.DB.Applications(r.Context(), policy.Delivery(u), store.AppFilter{Statuses: domain.Registerable, Unregistered: true, Page: 1, PageSize: 5000})
	if err != nil {
		return err
	}
	for _, a := range reg.Applications {
		if _, ok := known[a.ID]; ok {
			b.WriteString(page.Itoa(a.ID) + ",,\r\n")
		}
	}
	_, err = w.Write([]byte(b.String()))
	return err
}

func (s *Handlers) Registrations(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	title := "Register learners from a file"
	var d registrationsData
	file, name := d.Upload(w, r, "file", maxUpload, "5 MB")
	if file == nil {
		return s.RenderForm(w, r, "qa-registrations", title, d)
	}
	defer file.Close()
	d.File = name
	n, err := register.RegisterLearners(r.Context(), s.DB, domain.ActorOf(u), u, name, file)
	var probs *importer.Problems
	if errors.As(err, &probs) {
		d.Problems, d.More = probs.List, probs.Total-len(probs.List)
		d.Fail("file", "The selected file has problems: no learner was registered. Correct the rows listed below and upload it again")
		return s.RenderForm(w, r, "qa-registrations", title, d)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/awarding", page.Count(n)+" "+plural(n, "learner", "learners")+" registered from "+name)
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

package web

import (
	"errors"
	"net/http"
	"path/filepath"

	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/policy"
	"senco/internal/register"
)

// maxUpload bounds a practitioners CSV upload; a national file of a
// supplier's learners is well under this.
const maxUpload = 10 << 20

type importData struct {
	Summary  *register.PractitionerSummary
	Problems []importer.Problem
	More     int
	File     string
	form
}

func (s *Server) peopleImportForm(w http.ResponseWriter, r *http.Request) error {
	u, _ := currentUser(r)
	if !policy.CanImportPractitioners(u) {
		return errForbidden
	}
	return s.render(w, r, "people-import", "Import practitioners", importData{})
}

func (s *Server) peopleImportTemplate(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="practitioners-template.csv"`)
	b, err := staticFS.ReadFile("static/practitioners-template.csv")
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func (s *Server) peopleImport(w http.ResponseWriter, r *http.Request) error {
	u, _ := currentUser(r)
	if !policy.CanImportPractitioners(u) {
		return errForbidden
	}
	var d importData
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	file, hdr, err := r.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile):
		d.fail("file", "Select a CSV file")
	case err != nil:
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			d.fail("file", "The selected file must be smaller than 10 MB")
		} else {
			d.fail("file", "The selected file could not be read")
		}
	}
	if !d.valid() {
		return s.renderForm(w, r, "people-import", "Import practitioners", d)
	}
	defer file.Close()
	d.File = filepath.Base(hdr.Filename)
	sum, err := register.ImportPractitioners(r.Context(), s.db, domain.ActorOf(u), u, d.File, file)
	var probs *importer.Problems
	if errors.As(err, &probs) {
		d.Problems = probs.List
		d.More = probs.Total - len(probs.List)
		d.fail("file", "The selected file has problems: nothing was imported. Correct the rows listed below and upload it again")
		return s.renderForm(w, r, "people-import", "Import practitioners", d)
	}
	if err != nil {
		return err
	}
	d.Summary = &sum
	return s.render(w, r, "people-import", "Import practitioners", d)
}

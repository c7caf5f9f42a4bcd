package people

import (
	"errors"
	"io/fs"
	"net/http"

	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/register"
	"senco/internal/web/page"
)

// maxUpload bounds a practitioners CSV upload; a national file of a
// supplier's learners is well under this.
const maxUpload = 10 << 20

type importData struct {
	Summary  *register.PractitionerSummary
	Problems []importer.Problem
	More     int
	File     string
	page.Form
}

func (s *Handlers) ImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.Render(w, r, "people-import", "Import practitioners", importData{})
}

func (s *Handlers) ImportTemplate(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="practitioners-template.csv"`)
	b, err := fs.ReadFile(s.Static, "static/practitioners-template.csv")
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func (s *Handlers) Import(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	var d importData
	file, name := d.Upload(w, r, "file", maxUpload, "10 MB")
	if file == nil {
		return s.RenderForm(w, r, "people-import", "Import practitioners", d)
	}
	defer file.Close()
	d.File = name
	sum, err := register.ImportPractitioners(r.Context(), s.DB, domain.ActorOf(u), u, d.File, file)
	var probs *importer.Problems
	if errors.As(err, &probs) {
		d.Problems = probs.List
		d.More = probs.Total - len(probs.List)
		d.Fail("file", "The selected file has problems: nothing was imported. Correct the rows listed below and upload it again")
		return s.RenderForm(w, r, "people-import", "Import practitioners", d)
	}
	if err != nil {
		return err
	}
	d.Summary = &sum
	return s.Render(w, r, "people-import", "Import practitioners", d)
}

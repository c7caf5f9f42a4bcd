package page

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"senco/internal/domain"
)

// DateField is a GOV.UK date input's three values.
type DateField struct{ Day, Month, Year string }

// ReadDate reads the three inputs of the date input named prefix.
func ReadDate(r *http.Request, prefix string) DateField {
	return DateField{
		Day:   strings.TrimSpace(r.PostFormValue(prefix + "-day")),
		Month: strings.TrimSpace(r.PostFormValue(prefix + "-month")),
		Year:  strings.TrimSpace(r.PostFormValue(prefix + "-year")),
	}
}

// DateFieldOf fills a date input with d.
func DateFieldOf(d domain.Date) DateField {
	if d.IsZero() {
		return DateField{}
	}
	t := d.Time()
	return DateField{Day: strconv.Itoa(t.Day()), Month: strconv.Itoa(int(t.Month())), Year: strconv.Itoa(t.Year())}
}

// Empty reports whether nothing was entered.
func (f DateField) Empty() bool { return f.Day == "" && f.Month == "" && f.Year == "" }

// Parse checks a date input as the GOV.UK pattern asks: say which part is
// missing, or that the date must be real.
func (f DateField) Parse(what string) (domain.Date, string) {
	switch {
	case f.Empty():
		return domain.Date{}, "Enter " + what
	case f.Day == "":
		return domain.Date{}, strings.ToUpper(what[:1]) + what[1:] + " must include a day"
	case f.Month == "":
		return domain.Date{}, strings.ToUpper(what[:1]) + what[1:] + " must include a month"
	case f.Year == "":
		return domain.Date{}, strings.ToUpper(what[:1]) + what[1:] + " must include a year"
	}
	d, errD := strconv.Atoi(f.Day)
	m, errM := strconv.Atoi(f.Month)
	y, errY := strconv.Atoi(f.Year)
	if errD != nil || errM != nil || errY != nil || len(f.Year) != 4 || m < 1 || m > 12 || d < 1 {
		return domain.Date{}, strings.ToUpper(what[:1]) + what[1:] + " must be a real date"
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return domain.Date{}, strings.ToUpper(what[:1]) + what[1:] + " must be a real date"
	}
	return domain.NewDate(y, time.Month(m), d), ""
}

// RoleItems are the radios of the roles an employment can have.
func RoleItems() []any {
	var items []any
	for _, r := range domain.EmploymentRoles {
		items = append(items, map[string]any{"value": string(r), "text": r.Label()})
	}
	return items
}

// OrderFields sorts errors into the order of the form's fields.
func OrderFields(got []string, order ...string) []string {
	out := make([]string, 0, len(got))
	seen := map[string]bool{}
	for _, o := range order {
		for _, g := range got {
			if g == o && !seen[g] {
				out = append(out, g)
				seen[g] = true
			}
		}
	}
	for _, g := range got {
		if !seen[g] {
			out = append(out, g)
		}
	}
	return out
}

// Pagination builds the GOV.UK pagination component's parameters, keeping
// the page's other query parameters.
func Pagination(u *url.URL, page, total, size int) map[string]any {
	pages := (total + size - 1) / size
	if pages <= 1 {
		return nil
	}
	href := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		return u.Path + "?" + q.Encode()
	}
	p := map[string]any{}
	if page > 1 {
		p["previousHref"] = href(page - 1)
	}
	if page < pages {
		p["nextHref"] = href(page + 1)
	}
	var items []any
	last := 0
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= page-1 && n <= page+1) {
			if last != 0 && n-last > 1 {
				items = append(items, map[string]any{"ellipsis": true})
			}
			items = append(items, map[string]any{"number": n, "href": href(n), "current": n == page})
			last = n
		}
	}
	p["items"] = items
	return p
}

// SettingPath is the page of one setting.
func SettingPath(urn string) string { return fmt.Sprintf("/settings/%s", url.PathEscape(urn)) }

// Number reads a list's page query parameter: 1 when absent, and not found
// when it is not a whole number from 1.
func Number(r *http.Request) (int, error) {
	p := r.URL.Query().Get("page")
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 {
		return 0, ErrNotFound
	}
	return n, nil
}

// Upload reads the CSV file sent in field, at most limit bytes (size says
// how much that is, "1 MB"), failing the field with the GOV.UK file upload
// pattern's messages. The file is nil when the field failed; the name is
// the file's base name. The caller closes the file.
func (f *Form) Upload(w http.ResponseWriter, r *http.Request, field string, limit int64, size string) (multipart.File, string) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	file, hdr, err := r.FormFile(field)
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return file, filepath.Base(hdr.Filename)
	case errors.Is(err, http.ErrMissingFile):
		f.Fail(field, "Select a CSV file")
	case errors.As(err, &tooBig):
		f.Fail(field, "The selected file must be smaller than "+size)
	default:
		f.Fail(field, "The selected file could not be read")
	}
	return nil, ""
}

// Span is where one page of a list sits in the whole: rows First to Last
// of the total, and the pagination component's parameters.
type Span struct {
	First, Last int
	Pagination  map[string]any
}

// SpanOf is the span of page n of a list of total rows, size to a page,
// when the page shows shown rows.
func SpanOf(u *url.URL, n, size, total, shown int) Span {
	sp := Span{Pagination: Pagination(u, n, total, size)}
	if total > 0 {
		sp.First = (n-1)*size + 1
		sp.Last = sp.First + shown - 1
	}
	return sp
}

// ParseDate reads date input d, failing field (its day input, which the error
// summary links to) with the GOV.UK pattern's message about what. It
// returns the zero date when the field failed.
func (f *Form) ParseDate(d DateField, field, what string) domain.Date {
	date, msg := d.Parse(what)
	if msg != "" {
		f.Fail(field, msg)
	}
	return date
}

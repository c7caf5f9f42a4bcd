// Package money holds the pages of paying suppliers: their monthly
// statements of declarations checked against the records, with the
// programme team's authorisation and payment, and the statement as CSV,
// spreadsheet and accessible PDF.
package money

import (
	"bytes"
	_ "embed"
	"errors"
	"html/template"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"senco/internal/domain"
	"senco/internal/pdf"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/store"
	"senco/internal/store/payments"
	"senco/internal/web/page"
)

// Handlers are the money pages.
type Handlers struct {
	*page.Site
	// PDF prints statements; nil or unavailable hides the PDF link.
	PDF *pdf.Renderer
}

type listData struct {
	Statements []domain.Statement
	CanPay     bool
	Month      string
	page.Form
}

// Statements lists the statements in the user's scope, newest month
// first; the programme team also runs a month's statements here.
func (s *Handlers) Statements(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	d := listData{CanPay: policy.CanPaySuppliers(u), Month: domain.MonthOf(s.Today()).String()}
	var err error
	d.Statements, err = payments.Statements(r.Context(), s.DB.Reader(), policy.Payments(u), payments.StatementFilter{})
	if err != nil {
		return err
	}
	return s.Render(w, r, "money-statements", "Statements", d)
}

// Run gathers every supplier's declarations into the month's statements
// and makes payable those past their deadline.
func (s *Handlers) Run(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	m, err := domain.ParseMonth(r.PostFormValue("month"))
	if err != nil {
		d := listData{CanPay: true, Month: r.PostFormValue("month")}
		d.Form.Fail("month", "Enter the month as a year and month, for example "+domain.MonthOf(s.Today()).String())
		d.Statements, _ = payments.Statements(r.Context(), s.DB.Reader(), policy.Payments(u), payments.StatementFilter{})
		return s.RenderForm(w, r, "money-statements", "Statements", d)
	}
	var run payments.StatementRun
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		run, err = payments.GenerateStatements(r.Context(), tx, domain.ActorOf(u), m)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		d := listData{CanPay: true, Month: m.String()}
		d.Form.Fail("month", rule.Msg)
		d.Statements, _ = payments.Statements(r.Context(), s.DB.Reader(), policy.Payments(u), payments.StatementFilter{})
		return s.RenderForm(w, r, "money-statements", "Statements", d)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/statements", m.Long()+": "+strconv.Itoa(run.Lines)+" lines on "+strconv.Itoa(run.Statements)+
		" statements; "+strconv.Itoa(run.Closed)+" statements made payable")
	return nil
}

type showData struct {
	Statement domain.Statement
	Lines     []domain.StatementLine
	CanPay    bool
	PDF       bool
	Reference string
	Paid      page.DateField
	page.Form
}

func (s *Handlers) load(r *http.Request) (domain.Statement, []domain.StatementLine, error) {
	u, _ := page.CurrentUser(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return domain.Statement{}, nil, page.ErrNotFound
	}
	st, err := payments.Statement(r.Context(), s.DB.Reader(), policy.Payments(u), id)
	if errors.Is(err, store.ErrNotFound) {
		return st, nil, page.ErrNotFound
	}
	if err != nil {
		return st, nil, err
	}
	lines, err := payments.StatementLines(r.Context(), s.DB.Reader(), id)
	return st, lines, err
}

// Statement shows one statement with its lines, or sends it as a file
// (?format=csv, xlsx or pdf).
func (s *Handlers) Statement(w http.ResponseWriter, r *http.Request) error {
	st, lines, err := s.load(r)
	if err != nil {
		return err
	}
	if f := r.URL.Query().Get("format"); f != "" {
		return s.download(w, r, f, st, lines)
	}
	u, _ := page.CurrentUser(r)
	return s.Render(w, r, "money-statement", st.SupplierName+": "+st.Month.Long(),
		showData{Statement: st, Lines: lines, CanPay: policy.CanPaySuppliers(u), PDF: s.PDF.Available()})
}

func (s *Handlers) download(w http.ResponseWriter, r *http.Request, format string, st domain.Statement, lines []domain.StatementLine) error {
	t := report.StatementTable(st, lines)
	if format != "pdf" {
		return sendTable(w, t, format)
	}
	var html bytes.Buffer
	if err := document.Execute(&html, showData{Statement: st, Lines: lines}); err != nil {
		return err
	}
	out, err := s.PDF.Render(r.Context(), html.Bytes())
	if errors.Is(err, pdf.ErrUnavailable) {
		return page.ErrNotFound
	}
	if err != nil {
		return err
	}
	return send(w, "application/pdf", t.Name+".pdf", out)
}

// sendTable sends t as a CSV or XLSX download; another format is not
// found.
func sendTable(w http.ResponseWriter, t report.Table, format string) error {
	var buf bytes.Buffer
	switch format {
	case "csv":
		if err := report.WriteCSV(&buf, t); err != nil {
			return err
		}
		return send(w, "text/csv; charset=utf-8", t.Name+".csv", buf.Bytes())
	case "xlsx":
		if err := report.WriteXLSX(&buf, t); err != nil {
			return err
		}
		return send(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", t.Name+".xlsx", buf.Bytes())
	}
	return page.ErrNotFound
}

// send answers with a download.
func send(w http.ResponseWriter, ctype, filename string, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	h.Set("Cache-Control", "no-store")
	_, err := w.Write(body)
	return err
}

// Authorise is the programme team's approval of a payable statement.
func (s *Handlers) Authorise(w http.ResponseWriter, r *http.Request) error {
	return s.act(w, r, func(tx *store.Tx, u domain.User, st domain.Statement) (string, error) {
		_, err := payments.AuthoriseStatement(r.Context(), tx, domain.ActorOf(u), st.ID)
		return "Statement authorised for payment", err
	})
}

// Pay records the payment of an authorised statement.
func (s *Handlers) Pay(w http.ResponseWriter, r *http.Request) error {
	field := page.ReadDate(r, "paid")
	paid, problem := field.Parse("the date of payment")
	return s.act(w, r, func(tx *store.Tx, u domain.User, st domain.Statement) (string, error) {
		if problem != "" {
			return "", domain.Refuse("paid_on", "%s", problem)
		}
		_, err := payments.PayStatement(r.Context(), tx, domain.ActorOf(u), st.ID, r.PostFormValue("payment_reference"), paid)
		return "Payment recorded: " + strings.TrimSpace(r.PostFormValue("payment_reference")), err
	})
}

func (s *Handlers) act(w http.ResponseWriter, r *http.Request, do func(*store.Tx, domain.User, domain.Statement) (string, error)) error {
	st, lines, err := s.load(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	var msg string
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		msg, err = do(tx, u, st)
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		d := showData{Statement: st, Lines: lines, CanPay: true, PDF: s.PDF.Available(),
			Reference: r.PostFormValue("payment_reference")}
		field := rule.Field
		if field == "paid_on" {
			field = "paid-day"
		}
		d.Form.Fail(field, rule.Msg)
		return s.RenderForm(w, r, "money-statement", st.SupplierName+": "+st.Month.Long(), d)
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/statements/"+strconv.FormatInt(st.ID, 10), msg)
	return nil
}

// document is a statement as a document of its own, for print and PDF:
// headings, a captioned table with its headers and the language set, so
// the PDF printed from it is tagged for screen readers.
//
//go:embed statement.html
var documentHTML string

var document = template.Must(template.New("statement").Parse(documentHTML))

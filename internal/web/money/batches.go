package money

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"strconv"

	"senco/internal/domain"
	"senco/internal/importer"
	"senco/internal/policy"
	"senco/internal/report"
	"senco/internal/store"
	"senco/internal/store/payments"
	"senco/internal/web/page"
)

type batchesData struct {
	Batches  []domain.Batch
	Approved int
	Amount   domain.Money
	// Problems of a response file that did not match its batch.
	Batch    int64
	Problems []string
	page.Form
}

func (s *Handlers) batchesData(r *http.Request) (batchesData, error) {
	var d batchesData
	var err error
	if d.Batches, err = payments.Batches(r.Context(), s.DB.Reader()); err != nil {
		return d, err
	}
	approved, err := payments.Claims(r.Context(), s.DB.Reader(), policy.Scope{Kind: policy.National},
		payments.ClaimFilter{State: domain.ClaimApproved, PageSize: 1})
	d.Approved, d.Amount = approved.Total, approved.Amount
	return d, err
}

// Batches lists the payment batches of claims of cover, and offers the
// approved claims as a new one.
func (s *Handlers) Batches(w http.ResponseWriter, r *http.Request) error {
	d, err := s.batchesData(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "money-batches", "Payment batches", d)
}

// BatchCreate gathers every approved claim into a new batch for finance.
func (s *Handlers) BatchCreate(w http.ResponseWriter, r *http.Request) error {
	u, _ := page.CurrentUser(r)
	var b domain.Batch
	err := s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		b, err = payments.CreateBatch(r.Context(), tx, domain.ActorOf(u))
		return err
	})
	if rule, ok := domain.IsRefusal(err); ok {
		s.RedirectFlash(w, r, "/batches", rule.Msg)
		return nil
	}
	if err != nil {
		return err
	}
	s.RedirectFlash(w, r, "/batches", "Batch "+strconv.FormatInt(b.ID, 10)+" made: "+strconv.Itoa(b.Claims)+" claims, "+b.Total.String())
	return nil
}

func batchID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, page.ErrNotFound
	}
	return id, nil
}

// BatchFile is the batch as the CSV finance fills in and sends back.
func (s *Handlers) BatchFile(w http.ResponseWriter, r *http.Request) error {
	id, err := batchID(r)
	if err != nil {
		return err
	}
	b, err := payments.Batch(r.Context(), s.DB.Reader(), id)
	if errors.Is(err, store.ErrNotFound) {
		return page.ErrNotFound
	}
	if err != nil {
		return err
	}
	claims, err := payments.Claims(r.Context(), s.DB.Reader(), policy.Scope{Kind: policy.National}, payments.ClaimFilter{BatchID: id, PageSize: 1 << 20})
	if err != nil {
		return err
	}
	t := report.BatchTable(b, claims.Claims)
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, t); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": t.Name + ".csv"}))
	h.Set("Cache-Control", "no-store")
	_, err = buf.WriteTo(w)
	return err
}

// BatchResponse takes finance's response back: all of it, or — when a row
// does not match the batch — none of it, with every problem listed.
func (s *Handlers) BatchResponse(w http.ResponseWriter, r *http.Request) error {
	id, err := batchID(r)
	if err != nil {
		return err
	}
	u, _ := page.CurrentUser(r)
	d, err := s.batchesData(r)
	if err != nil {
		return err
	}
	d.Batch = id
	file, name := d.Upload(w, r, "file", 5<<20, "5 MB")
	if file == nil {
		return s.RenderForm(w, r, "money-batches", "Payment batches", d)
	}
	defer file.Close()
	rows, err := importer.ParseBatchResponse(name, file)
	if err == nil {
		err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
			_, err := payments.ReconcileBatch(r.Context(), tx, domain.ActorOf(u), id, rows)
			return err
		})
	}
	var probs *importer.Problems
	var rowProbs domain.RowProblems
	switch {
	case errors.As(err, &probs):
		for _, p := range probs.List {
			d.Problems = append(d.Problems, p.String())
		}
	case errors.As(err, &rowProbs):
		for _, p := range rowProbs {
			d.Problems = append(d.Problems, name+": "+domain.RowProblems{p}.Error())
		}
	case errors.Is(err, store.ErrNotFound):
		return page.ErrNotFound
	default:
		if rule, ok := domain.IsRefusal(err); ok {
			d.Problems = []string{rule.Msg}
		} else if err != nil {
			return err
		}
	}
	if len(d.Problems) > 0 {
		d.Fail("file", "The file does not match batch "+strconv.FormatInt(id, 10)+"; nothing was changed")
		return s.RenderForm(w, r, "money-batches", "Payment batches", d)
	}
	s.RedirectFlash(w, r, "/batches", "Batch "+strconv.FormatInt(id, 10)+" reconciled: "+strconv.Itoa(len(rows))+" claims answered")
	return nil
}

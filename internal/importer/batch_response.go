package importer

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"senco/internal/domain"
)

// The response finance sends back for a payment batch of backfill claims:
// one row a claim, saying whether it was paid.
const (
	brClaim = iota
	brAmount
	brOutcome
	brReference
	brReason
)

var batchResponseSpecs = []colSpec{
	brClaim:     {name: "claim_id", aliases: []string{"claim_id", "claim", "claim_number"}, required: true},
	brAmount:    {name: "amount", aliases: []string{"amount", "amount_gbp", "amount_£"}, required: true},
	brOutcome:   {name: "outcome", aliases: []string{"outcome", "status", "result"}, required: true},
	brReference: {name: "payment_reference", aliases: []string{"payment_reference", "reference"}},
	brReason:    {name: "reason", aliases: []string{"reason", "not_paid_reason"}},
}

// BatchResponseHeader is the header row of the file senco exports for a
// batch and expects back.
var BatchResponseHeader = []string{"claim_id", "amount", "outcome", "payment_reference", "reason"}

// ParseBatchResponse reads finance's response to a payment batch: claim_id,
// amount (pounds, as exported), outcome (paid or not_paid), and the payment
// reference of a paid claim or the reason one was not paid. It checks the
// file's own form; whether the rows match the batch is the domain's
// (domain.ReconcileBatch). On any problem it returns a *Problems error and
// no rows.
func ParseBatchResponse(file string, r io.Reader) ([]domain.BatchResponse, error) {
	c := newCollector(file)
	text, _ := openText(c, r)
	if text == nil {
		return nil, c.err()
	}
	rr := newRowReader(text)
	var h header
	headerRow := 0
	var out []domain.BatchResponse
	for {
		rec, err := rr.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.addRead(err)
			break
		}
		if blankRecord(rec) {
			continue
		}
		if headerRow == 0 {
			headerRow = rr.row
			h = mapHeader(rec, batchResponseSpecs)
			h.missing(c, batchResponseSpecs, headerRow)
			if c.failed() {
				return nil, c.err()
			}
			continue
		}
		row := rr.row
		if !h.checkWidth(c, row, rec) {
			continue
		}
		br := domain.BatchResponse{Row: row, Reference: h.get(rec, brReference), Reason: h.get(rec, brReason)}
		if v := h.get(rec, brClaim); v == "" {
			c.add(row, h.names[brClaim], v, "the claim's number, as in the batch file")
		} else if id, err := strconv.ParseInt(v, 10, 64); err != nil || id <= 0 {
			c.add(row, h.names[brClaim], v, "the claim's number, as in the batch file")
		} else {
			br.ClaimID = id
		}
		if v := h.get(rec, brAmount); v == "" {
			c.add(row, h.names[brAmount], v, "the amount in pounds, for example 130.50")
		} else if m, err := domain.ParseMoney(v); err != nil {
			c.add(row, h.names[brAmount], v, moneyExpected(err))
		} else {
			br.Amount = m
		}
		switch v := strings.ToLower(h.get(rec, brOutcome)); v {
		case "paid":
			br.Outcome = domain.OutcomePaid
		case "not_paid", "not paid", "unpaid":
			br.Outcome = domain.OutcomeNotPaid
		default:
			c.add(row, h.names[brOutcome], h.get(rec, brOutcome), "paid or not_paid")
		}
		out = append(out, br)
	}
	if headerRow == 0 && !c.failed() {
		c.whole("a header row naming the columns claim_id, amount, outcome, payment_reference, reason, but the file has no rows")
	} else if len(out) == 0 && !c.failed() {
		c.whole(fmt.Sprintf("rows of data below the header row (row %d), but there are none", headerRow))
	}
	if c.failed() {
		return nil, c.err()
	}
	return out, nil
}

func moneyExpected(err error) string {
	switch {
	case errors.Is(err, domain.ErrMoneyNegative):
		return "an amount of £0 or more"
	case errors.Is(err, domain.ErrMoneyPence):
		return "an amount with at most 2 decimal places, for example 130.50"
	case errors.Is(err, domain.ErrMoneyTooLarge):
		return "an amount of £100,000,000 or less"
	}
	return "an amount in pounds, for example 130.50"
}

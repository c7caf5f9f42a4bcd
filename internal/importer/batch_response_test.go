package importer

import (
	"strings"
	"testing"

	"senco/internal/domain"
)

func TestParseBatchResponse(t *testing.T) {
	rows, err := ParseBatchResponse("response.csv", strings.NewReader("claim_id,amount,outcome,payment_reference,reason\n"+
		"12,130.50,paid,FIN-1,\n13,\"1,000.00\",Not paid,,Bank details rejected\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.BatchResponse{
		{Row: 2, ClaimID: 12, Amount: 13050, Outcome: domain.OutcomePaid, Reference: "FIN-1"},
		{Row: 3, ClaimID: 13, Amount: 100000, Outcome: domain.OutcomeNotPaid, Reason: "Bank details rejected"},
	}
	if len(rows) != 2 || rows[0] != want[0] || rows[1] != want[1] {
		t.Errorf("rows: %+v", rows)
	}
	tests := []struct {
		name, file string
		want       []string
	}{
		{"missing column", "claim_id,amount\n1,2\n", []string{`response.csv column "outcome" is missing — expected a column headed`}},
		{"bad values", "claim_id,amount,outcome\nx,1.234,maybe\n-4,-5,paid\n", []string{
			`response.csv row 2, column "claim_id": "x" — expected the claim's number`,
			`response.csv row 2, column "amount": "1.234" — expected an amount with at most 2 decimal places`,
			`response.csv row 2, column "outcome": "maybe" — expected paid or not_paid`,
			`response.csv row 3, column "claim_id": "-4" — expected the claim's number`,
			`response.csv row 3, column "amount": "-5" — expected an amount of £0 or more`,
		}},
		{"header only", "claim_id,amount,outcome\n", []string{"rows of data below the header row (row 1), but there are none"}},
		{"empty", "", []string{"expected"}},
	}
	for _, tt := range tests {
		_, err := ParseBatchResponse("response.csv", strings.NewReader(tt.file))
		if err == nil {
			t.Errorf("%s: accepted", tt.name)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) < len(tt.want) {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("%s: problem %d %q, want …%s…", tt.name, i, lines[i], w)
			}
		}
	}
}

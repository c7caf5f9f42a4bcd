package report

import (
	"bytes"
	"strings"
	"testing"

	"senco/internal/domain"
	"senco/internal/importer"
)

func TestStatementExports(t *testing.T) {
	s := domain.Statement{ID: 1, SupplierOrgID: 3, SupplierName: "First Training", Month: domain.Month{Year: 2026, Month: 3}, State: domain.StatementPaid}
	lines := []domain.StatementLine{
		{DeclarationID: 10, LearnerName: "=HYPERLINK(\"x\")", Milestone: domain.MilestoneStarted, DeclaredOn: domain.NewDate(2026, 3, 20), Kind: domain.LinePayment, Amount: 30000},
		{DeclarationID: 11, LearnerName: "Sam Example", Milestone: domain.MilestoneRetained, DeclaredOn: domain.NewDate(2026, 3, 24), Kind: domain.LineClawback, Amount: -40000},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, StatementTable(s, lines)); err != nil {
		t.Fatal(err)
	}
	csv := b.String()
	for _, want := range []string{"Declaration,Learner,ULN,Milestone,Declared on,Line,Amount (£)", `10,"'=HYPERLINK`, ",Clawback,-400.00", ",Total,,,,,-100.00"} {
		if !strings.Contains(csv, want) {
			t.Errorf("statement CSV lacks %q:\n%s", want, csv)
		}
	}
	b.Reset()
	if err := WriteXLSX(&b, StatementTable(s, lines)); err != nil || b.Len() == 0 {
		t.Errorf("statement XLSX: %v", err)
	}
}

// TestBatchRoundTrip: the batch file finance receives, filled in, is the
// response senco takes back.
func TestBatchRoundTrip(t *testing.T) {
	batch := domain.Batch{ID: 4, State: domain.BatchSent}
	claims := []domain.Claim{
		{ID: 21, Amount: 13050, SettingURN: "EY1", SettingName: "Acorn", LearnerName: "Sam Example", Minutes: 540, Rate: 1450, State: domain.ClaimBatched},
		{ID: 22, Amount: 8700, SettingURN: "EY2", SettingName: "Oak", LearnerName: "Jo Example", Minutes: 360, Rate: 1450, State: domain.ClaimBatched},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, BatchTable(batch, claims)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if lines[0] != "claim_id,amount,outcome,payment_reference,reason,setting_urn,setting_name,learner,hours,rate_per_hour" || lines[1] != "21,130.50,,,,EY1,Acorn,Sam Example,9.00,14.50" {
		t.Fatalf("batch file:\n%s", b.String())
	}
	// Finance fills in the outcome of each.
	lines[1] = strings.Replace(lines[1], "130.50,,,", "130.50,paid,FIN-1,", 1)
	lines[2] = strings.Replace(lines[2], "87.00,,,", "87.00,not_paid,,Account closed", 1)
	rows, err := importer.ParseBatchResponse("batch-4.csv", strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	out, err := domain.ReconcileBatch(batch, claims, rows)
	if err != nil || out[0].State != domain.ClaimPaid || out[1].State != domain.ClaimNotPaid || out[1].Reason != "Account closed" {
		t.Fatalf("reconciled: %+v %v", out, err)
	}
}

package domain

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want Money
		err  error
	}{
		{"300", 30000, nil}, {"300.5", 30050, nil}, {"300.50", 30050, nil}, {"£3,000.00", 300000, nil},
		{" £ 12.07 ", 1207, nil}, {"0.01", 1, nil}, {".5", 50, nil}, {"007", 700, nil},
		{"100,000,000", MaxMoney, nil}, {"100000000.01", 0, ErrMoneyTooLarge}, {"1000000000", 0, ErrMoneyTooLarge},
		{"", 0, ErrMoneyEmpty}, {"£", 0, ErrMoneyEmpty}, {"-5", 0, ErrMoneyNegative}, {"−5", 0, ErrMoneyNegative},
		{"1.234", 0, ErrMoneyPence}, {"1,00", 0, ErrMoneyFormat}, {"1000,000", 0, ErrMoneyFormat}, {",000", 0, ErrMoneyFormat},
		{"12.", 0, ErrMoneyFormat}, {"1e3", 0, ErrMoneyFormat}, {"12.3.4", 0, ErrMoneyFormat}, {"£12 50", 0, ErrMoneyFormat},
	}
	for _, tt := range tests {
		got, err := ParseMoney(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestMoneyFormats(t *testing.T) {
	tests := []struct {
		m           Money
		text, plain string
	}{
		{0, "£0.00", "0.00"}, {5, "£0.05", "0.05"}, {123456, "£1,234.56", "1234.56"}, {-1200, "−£12.00", "-12.00"},
		{MaxMoney, "£100,000,000.00", "100000000.00"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.text {
			t.Errorf("%d.String() = %q, want %q", tt.m, got, tt.text)
		}
		if got := tt.m.Plain(); got != tt.plain {
			t.Errorf("%d.Plain() = %q, want %q", tt.m, got, tt.plain)
		}
	}
	if got := Money(30000).Share(4000); got != 12000 {
		t.Errorf("40%% of £300 = %v", got)
	}
	if got := Money(1).Share(5000); got != 1 {
		t.Errorf("half a penny rounds up: %v", got)
	}
}

// TestMoneyRoundTrip: every amount written plainly reads back the same.
func TestMoneyRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		m := Money(r.Int64N(int64(MaxMoney) + 1))
		if got, err := ParseMoney(m.Plain()); err != nil || got != m {
			t.Fatalf("%d → %q → %d, %v", m, m.Plain(), got, err)
		}
		if got, err := ParseMoney(m.String()); err != nil || got != m {
			t.Fatalf("%d → %q → %d, %v", m, m.String(), got, err)
		}
	}
}

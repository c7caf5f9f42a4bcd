package domain

import (
	"strings"
	"testing"
)

func TestBudgetWarnings(t *testing.T) {
	tests := []struct {
		name string
		b    Budget
		want []string
	}{
		{"on course", Budget{Budget: 500_000_000, Committed: 100_000_000, Places: 6000, Target: 5000, FullPrice: 60000}, nil},
		{"too few places", Budget{Budget: 500_000_000, Places: 2000, Target: 7000, FullPrice: 60000}, []string{"allocate 2,000 places, fewer than the target of 7,000"}},
		{"overspent", Budget{Budget: 100_00, Committed: 80_00, Paid: 30_00, Places: 1, Target: 1, FullPrice: 50_00}, []string{"exceed the budget of £100.00 by £10.00"}},
		{"money cannot reach the target", Budget{Budget: 1_000_000_00, Places: 5000, Target: 5000, FullPrice: 1200_00}, []string{"needs £6,000,000.00 in fees, more than the budget of £1,000,000.00"}},
		{"no budget set", Budget{Places: 5000, Target: 5000, FullPrice: 1200_00}, nil},
	}
	for _, tt := range tests {
		got := BudgetWarnings(tt.b)
		if len(got) != len(tt.want) {
			t.Errorf("%s: %q", tt.name, got)
			continue
		}
		for i := range got {
			if !strings.Contains(got[i], tt.want[i]) {
				t.Errorf("%s: %q, want …%s…", tt.name, got[i], tt.want[i])
			}
		}
	}
	b := Budget{Budget: 1000, Committed: 100, Approved: 200, Paid: 300}
	if b.Left() != 400 || b.Spent() != 500 {
		t.Errorf("left %v spent %v", b.Left(), b.Spent())
	}
}

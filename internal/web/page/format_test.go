package page

import (
	"testing"
	"time"

	"senco/internal/domain"
)

func TestCount(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {65432, "65,432"}, {1234567, "1,234,567"}, {-1234, "-1,234"}} {
		if got := Count(c.in); got != c.want {
			t.Errorf("Count(%d) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPercentages holds the one rounding rule: tenths of a percent, half
// away from zero, shown in full as a statistic and without ".0" as a rate.
func TestPercentages(t *testing.T) {
	for _, c := range []struct {
		share               float64
		percent, rate, form string
	}{
		{0, "0.0%", "0%", "0"},
		{0.2, "20.0%", "20%", "20"},
		{0.8, "80.0%", "80%", "80"},
		{1, "100.0%", "100%", "100"},
		{1.0 / 3, "33.3%", "33.3%", "33.3"},
		{2.0 / 3, "66.7%", "66.7%", "66.7"},
		{0.825, "82.5%", "82.5%", "82.5"},
		{0.8296, "83.0%", "83%", "83"},
		{0.0005, "0.1%", "0.1%", "0.1"}, // half away from zero
		{0.00049, "0.0%", "0%", "0"},
		{-0.0005, "-0.1%", "-0.1%", "-0.1"},
	} {
		if got := Percent(c.share); got != c.percent {
			t.Errorf("Percent(%v) = %q, want %q", c.share, got, c.percent)
		}
		if got := Rate(c.share); got != c.rate {
			t.Errorf("Rate(%v) = %q, want %q", c.share, got, c.rate)
		}
		if got := PercentInput(c.share); got != c.form {
			t.Errorf("PercentInput(%v) = %q, want %q", c.share, got, c.form)
		}
	}
}

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{{0, "0.0"}, {2.25, "2.2"}, {2.26, "2.3"}, {12, "12.0"}} {
		if got := Decimal(c.in); got != c.want {
			t.Errorf("Decimal(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPounds(t *testing.T) {
	for _, c := range []struct {
		pence       int64
		want, input string
	}{{0, "£0.00", "0.00"}, {5, "£0.05", "0.05"}, {30050, "£300.50", "300.50"}, {123456789, "£1,234,567.89", "1234567.89"}, {-150, "-£1.50", "-1.50"}} {
		if got := Pounds(c.pence); got != c.want {
			t.Errorf("Pounds(%d) = %q, want %q", c.pence, got, c.want)
		}
		if c.pence >= 0 {
			if got := PoundsInput(c.pence); got != c.input {
				t.Errorf("PoundsInput(%d) = %q, want %q", c.pence, got, c.input)
			}
		}
	}
}

func TestHoursAndDuration(t *testing.T) {
	for _, c := range []struct {
		minutes         int
		hours, duration string
	}{
		{0, "0 hours", "Not set"},
		{30, "0.5 hours", "30 minutes"},
		{60, "1 hour", "1 hour"},
		{90, "1.5 hours", "1 hour 30 minutes"},
		{210, "3.5 hours", "3 hours 30 minutes"},
		{360, "6 hours", "6 hours"},
		{100, "1.67 hours", "1 hour 40 minutes"},
	} {
		if got := Hours(c.minutes); got != c.hours {
			t.Errorf("Hours(%d) = %q, want %q", c.minutes, got, c.hours)
		}
		if got := Duration(c.minutes); got != c.duration {
			t.Errorf("Duration(%d) = %q, want %q", c.minutes, got, c.duration)
		}
	}
}

func TestDateRange(t *testing.T) {
	from, to := domain.NewDate(2026, time.September, 1), domain.NewDate(2027, time.July, 31)
	for _, c := range []struct {
		from, to domain.Date
		want     string
	}{
		{domain.Date{}, domain.Date{}, "Not set"},
		{from, domain.Date{}, "From " + from.Long()},
		{domain.Date{}, to, "Until " + to.Long()},
		{from, to, from.Long() + " to " + to.Long()},
	} {
		if got := DateRange(c.from, c.to); got != c.want {
			t.Errorf("DateRange(%v, %v) = %q, want %q", c.from, c.to, got, c.want)
		}
	}
}

// TestStatusTag: every status has its colour from one table, and an
// application the rules could not decide shows as awaiting review.
func TestStatusTag(t *testing.T) {
	for _, c := range []struct {
		app          domain.Application
		text, colour string
	}{
		{domain.Application{Status: domain.StatusApplied}, domain.StatusApplied.Label(), "grey"},
		{domain.Application{Status: domain.StatusApplied, Decision: domain.DecisionManual}, "Manual review", "orange"},
		{domain.Application{Status: domain.StatusEligible, Decision: domain.DecisionManual}, domain.StatusEligible.Label(), "teal"},
		{domain.Application{Status: domain.StatusIneligible}, domain.StatusIneligible.Label(), "red"},
		{domain.Application{Status: domain.StatusEnrolled}, domain.StatusEnrolled.Label(), "purple"},
		{domain.Application{Status: domain.StatusInTraining}, domain.StatusInTraining.Label(), ""},
		{domain.Application{Status: domain.StatusCompleted}, domain.StatusCompleted.Label(), "green"},
		{domain.Application{Status: domain.StatusCertified}, domain.StatusCertified.Label(), "green"},
		{domain.Application{Status: domain.StatusWithdrawn}, domain.StatusWithdrawn.Label(), "grey"},
		{domain.Application{Status: domain.StatusDeferred}, domain.StatusDeferred.Label(), "yellow"},
		{domain.Application{Status: domain.StatusTransferred}, domain.StatusTransferred.Label(), "orange"},
	} {
		tag := StatusTag(c.app)
		colour, _ := tag["colour"].(string)
		if tag["text"] != c.text || colour != c.colour {
			t.Errorf("StatusTag(%s, %s) = %v, want %q %q", c.app.Status, c.app.Decision, tag, c.text, c.colour)
		}
		if !c.app.AwaitingReview() && StatusColour(c.app.Status) != c.colour {
			t.Errorf("StatusColour(%s) = %q, want %q", c.app.Status, StatusColour(c.app.Status), c.colour)
		}
	}
}

func TestPercentOf(t *testing.T) {
	tests := []struct {
		part, whole int
		cell, text  string
	}{
		{1, 3, "33.3%", "33.3%"},
		{0, 5, "0.0%", "0.0%"},
		{0, 0, string(NothingToCount), "no eligible settings to count"},
	}
	for _, tt := range tests {
		if got := string(PercentOf(tt.part, tt.whole)); got != tt.cell {
			t.Errorf("PercentOf(%d, %d) = %q, want %q", tt.part, tt.whole, got, tt.cell)
		}
		if got := PercentOfText(tt.part, tt.whole); got != tt.text {
			t.Errorf("PercentOfText(%d, %d) = %q, want %q", tt.part, tt.whole, got, tt.text)
		}
	}
}

func TestSessionTimes(t *testing.T) {
	for _, tt := range []struct{ starts, ends, want string }{
		{"09:30", "15:30", "9:30am to 3:30pm"},
		{"12:00", "13:00", "midday to 1pm"},
		{"00:00", "00:30", "midnight to 12:30am"},
		{"", "", ""},
		{"09:30", "", ""},
	} {
		if got := SessionTimes(tt.starts, tt.ends); got != tt.want {
			t.Errorf("SessionTimes(%q, %q) = %q, want %q", tt.starts, tt.ends, got, tt.want)
		}
	}
}

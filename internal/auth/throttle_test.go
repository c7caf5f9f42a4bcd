package auth

import (
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	th := DefaultThrottle
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name            string
		source, account Failures
		wait            time.Duration
		reason          string
	}{
		{"clean", Failures{}, Failures{}, 0, ""},
		{"a few mistakes", Failures{2, now}, Failures{2, now}, 0, ""},
		{"first delay", Failures{3, now}, Failures{3, now}, time.Second, ThrottledSource},
		{"doubling", Failures{5, now}, Failures{5, now}, 4 * time.Second, ThrottledSource},
		{"capped", Failures{40, now}, Failures{0, time.Time{}}, 15 * time.Minute, ThrottledSource},
		{"delay served", Failures{5, now.Add(-5 * time.Second)}, Failures{5, now}, 0, ""},
		{"account under attack, clean source", Failures{}, Failures{500, now}, 0, ""},
		{"account under attack, failing source", Failures{1, now.Add(-time.Minute)}, Failures{10, now}, 59 * time.Minute, ThrottledAccount},
	} {
		wait, reason := th.Check(now, tc.source, tc.account)
		if wait != tc.wait || reason != tc.reason {
			t.Errorf("%s: wait %v %q, want %v %q", tc.name, wait, reason, tc.wait, tc.reason)
		}
	}
}

package domain

import (
	"strings"
	"testing"
)

func TestTooLong(t *testing.T) {
	for _, tc := range []struct {
		value string
		max   int
		want  string
	}{
		{strings.Repeat("a", 100), MaxNameLength, ""},
		{strings.Repeat("é", 100), MaxNameLength, ""}, // characters, not bytes
		{strings.Repeat("a", 101), MaxNameLength, "First name must be 100 characters or fewer"},
		{strings.Repeat("a", 2001), MaxNoteLength, "First name must be 2,000 characters or fewer"},
	} {
		if got := TooLong("First name", tc.value, tc.max); got != tc.want {
			t.Errorf("TooLong(%d characters, %d) = %q, want %q", len([]rune(tc.value)), tc.max, got, tc.want)
		}
	}
}

func TestValidateLimitsText(t *testing.T) {
	huge := strings.Repeat("x", 10_000)
	if got := (Practitioner{GivenName: huge, FamilyName: "B"}).Validate()["given_name"]; got != "First name must be 100 characters or fewer" {
		t.Errorf("practitioner given name: %q", got)
	}
	if got := (Cohort{Name: huge}).Validate()["name"]; got != "The cohort's name must be 200 characters or fewer" {
		t.Errorf("cohort name: %q", got)
	}
	errs := (Session{Topic: huge, Venue: huge, Units: []string{huge}}).Validate(Cohort{})
	if errs["topic"] == "" || errs["venue"] == "" || errs["units"] == "" {
		t.Errorf("session: %v", errs)
	}
	if got := (Programme{Name: huge}).Validate()["name"]; got != "The programme's name must be 200 characters or fewer" {
		t.Errorf("programme name: %q", got)
	}
}

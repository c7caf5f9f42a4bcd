package domain

import (
	"fmt"
	"unicode/utf8"
)

// Limits on the text people type in. They are defined once, here: the forms
// and the API check them (through the Validate methods and TooLong), the
// API's OpenAPI document states them as maxLength, and the database holds
// every column in TextColumns to them (migration 00013), so a value too
// long for one is too long for all. Lengths are in characters (Unicode code
// points), as both databases count them.
const (
	MaxNameLength  = 100  // a person's given, family or full name; an API token's name
	MaxEmailLength = 254  // the longest address SMTP carries (RFC 5321)
	MaxTitleLength = 200  // the name of an organisation, programme or cohort; a session's topic
	MaxVenueLength = 500  // a place, or a link to an online meeting (which run long)
	MaxCodeLength  = 50   // a unit reference, learner number, ULN or certificate number
	MaxNoteLength  = 2000 // a reason or a note
)

// TooLong returns the message for value when it has more than max
// characters ("First name must be 100 characters or fewer"; "2,000" for
// 2000), and "" when it
// fits. label starts the sentence, as the field's label does.
func TooLong(label, value string, max int) string {
	if utf8.RuneCountInString(value) <= max {
		return ""
	}
	n := fmt.Sprint(max)
	if max >= 1000 {
		n = fmt.Sprintf("%d,%03d", max/1000, max%1000)
	}
	return fmt.Sprintf("%s must be %s characters or fewer", label, n)
}

// TextColumn is a database column of text people type in, and its limit.
type TextColumn struct {
	Table, Column string
	Max           int
}

// TextColumns are the columns the database limits. Text that comes from
// Ofsted's register or other imports of public data (setting names,
// addresses) is not limited: it is not ours to refuse.
func TextColumns() []TextColumn {
	return []TextColumn{
		{"practitioners", "given_name", MaxNameLength},
		{"practitioners", "family_name", MaxNameLength},
		{"practitioners", "email", MaxEmailLength},
		{"practitioners", "prior_sen_training", MaxNoteLength},
		{"users", "email", MaxEmailLength},
		{"users", "name", MaxNameLength},
		{"organisations", "name", MaxTitleLength},
		{"api_tokens", "name", MaxNameLength},
		{"programmes", "name", MaxTitleLength},
		{"cohorts", "name", MaxTitleLength},
		{"sessions_taught", "topic", MaxTitleLength},
		{"sessions_taught", "venue", MaxVenueLength},
		{"applications", "reason", MaxNoteLength},
		{"applications", "learner_number", MaxCodeLength},
		{"applications", "uln", MaxCodeLength},
		{"applications", "certificate_number", MaxCodeLength},
		{"applications", "revoke_reason", MaxNoteLength},
		{"attendance", "catch_up_note", MaxNoteLength},
	}
}

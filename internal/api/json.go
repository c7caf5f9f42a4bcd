package api

import (
	"encoding/json"
	"time"

	"senco/internal/domain"
)

// resource is one record as the API sends it.
type resource struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Attributes any    `json:"attributes"`
}

// single is the document of one record.
type single struct {
	Data resource `json:"data"`
}

// list is the document of a page of records.
type list struct {
	Data []resource `json:"data"`
	Meta pageMeta   `json:"meta"`
}

// date is a calendar date sent as "YYYY-MM-DD", or null when not known.
type date domain.Date

func (d date) MarshalJSON() ([]byte, error) {
	if domain.Date(d).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(domain.Date(d).String())
}

// timestamp is a moment sent as RFC 3339 in UTC, or null.
type timestamp time.Time

func (t timestamp) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(time.Time(t).UTC().Format(time.RFC3339Nano))
}

// optional is a string sent as null when empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

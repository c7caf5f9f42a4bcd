package api

import (
	"encoding/json"
	"strings"
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

// listOf is the document of one page of records, total in all.
func listOf[T any](q listQuery, total int, page []T, res func(T) resource) list {
	out := list{Data: make([]resource, 0, len(page)), Meta: metaOf(q, total)}
	for _, v := range page {
		out.Data = append(out.Data, res(v))
	}
	return out
}

// pageOf is the document of the page q asks for of a short list read
// whole (reference data, a cohort's sessions): cut here, not in the query.
func pageOf[T any](q listQuery, all []T, res func(T) resource) list {
	start := min((q.number-1)*q.size, len(all))
	return listOf(q, len(all), all[start:min(start+q.size, len(all))], res)
}

// codes lists the codes of an enumeration for a message: "a, b, c".
func codes[T ~string](values []T) string { return strings.Join(codesOf(values), ", ") }

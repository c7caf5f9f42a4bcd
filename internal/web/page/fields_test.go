package page

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestNumber(t *testing.T) {
	for _, c := range []struct {
		query string
		want  int
		err   error
	}{{"", 1, nil}, {"page=1", 1, nil}, {"page=7&q=x", 7, nil}, {"page=0", 0, ErrNotFound}, {"page=-2", 0, ErrNotFound}, {"page=two", 0, ErrNotFound}} {
		got, err := Number(httptest.NewRequest("GET", "/people?"+c.query, nil))
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("Number(%q) = %d, %v; want %d, %v", c.query, got, err, c.want, c.err)
		}
	}
}

func TestSpanOf(t *testing.T) {
	u := &url.URL{Path: "/people", RawQuery: "q=smith"}
	for _, c := range []struct {
		n, size, total, shown int
		first, last           int
		paged                 bool
	}{
		{1, 50, 0, 0, 0, 0, false},
		{1, 50, 20, 20, 1, 20, false},
		{2, 50, 120, 50, 51, 100, true},
		{3, 50, 120, 20, 101, 120, true},
	} {
		sp := SpanOf(u, c.n, c.size, c.total, c.shown)
		if sp.First != c.first || sp.Last != c.last || (sp.Pagination != nil) != c.paged {
			t.Errorf("SpanOf(page %d of %d) = %d–%d paged %v, want %d–%d paged %v", c.n, c.total, sp.First, sp.Last, sp.Pagination != nil, c.first, c.last, c.paged)
		}
	}
	sp := SpanOf(u, 2, 50, 120, 50)
	if got := sp.Pagination["previousHref"]; got != "/people?page=1&q=smith" {
		t.Errorf("previous page = %v, want the query kept", got)
	}
}

func TestParseDate(t *testing.T) {
	var f Form
	if d := f.ParseDate(DateField{Day: "31", Month: "2", Year: "2026"}, "on-day", "the date"); !d.IsZero() || f.Errors["on-day"] != "The date must be a real date" {
		t.Errorf("31 February: %v, errors %v", d, f.Errors)
	}
	f = Form{}
	if d := f.ParseDate(DateField{Day: "1", Month: "9", Year: "2026"}, "on-day", "the date"); d.IsZero() || !f.Valid() {
		t.Errorf("1 September 2026: %v, errors %v", d, f.Errors)
	}
}

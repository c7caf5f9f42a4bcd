package api

import (
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"senco/internal/domain"
)

// Page sizes (DESIGN.md section 7).
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
	// maxPageNumber keeps (number-1)×size far from overflowing; no list
	// has a billion rows.
	maxPageNumber = 1_000_000
)

// listSpec is what one list accepts beyond pagination.
type listSpec struct {
	// filters are the names inside filter[…]; updated_since is always
	// accepted and need not be listed.
	filters []string
	// aliases accepts each filter also by its bare name (la=… for
	// filter[la]=…).
	aliases bool
	// sorts are the accepted values of sort; nil when the list has one
	// fixed order.
	sorts []string
	// noUpdatedSince refuses filter[updated_since], for a list that cannot
	// yet apply it correctly.
	noUpdatedSince string
}

// listQuery is a parsed list request.
type listQuery struct {
	filters      map[string]string // by filter name, present only when given
	param        map[string]string // the parameter each filter came from, for errors
	updatedSince time.Time
	number, size int
	sort         string
	// err is the first error of the filter readers (text, urn, id, date,
	// enum): each keeps it and reads nothing more, so that a handler
	// reads its filters in one go and checks once, and the first
	// parameter at fault is the one reported.
	err error
}

// filter returns a filter's value and the parameter it came from.
func (q listQuery) filter(name string) (value, param string) {
	return q.filters[name], q.param[name]
}

// parseList reads filter[…], page[…] and sort. Unknown filter[…] and
// page[…] names are refused so a misspelt filter never silently returns
// everything; other parameters are ignored.
func parseList(v url.Values, spec listSpec) (listQuery, error) {
	q := listQuery{filters: map[string]string{}, param: map[string]string{}, number: 1, size: DefaultPageSize}
	known := append([]string{"updated_since"}, spec.filters...)
	// In sorted order, so that an error names the same parameter every time.
	for _, key := range slices.Sorted(maps.Keys(v)) {
		vals := v[key]
		name, isFilter := bracketed(key, "filter")
		page, isPage := bracketed(key, "page")
		switch {
		case isFilter:
			if !slices.Contains(known, name) {
				return q, badParam(key, "%s is not a filter of this list; the filters are %s", key, filterNames(known))
			}
		case isPage:
			if page != "number" && page != "size" {
				return q, badParam(key, "%s is not understood; use page[number] and page[size]", key)
			}
			continue
		case key == "sort":
			continue
		case spec.aliases && slices.Contains(known, key):
			name = key
		case key == "updated_since":
			name = key
		default:
			continue
		}
		if len(vals) != 1 {
			return q, badParam(key, "give %s once", key)
		}
		val := strings.TrimSpace(vals[0])
		if prev, ok := q.filters[name]; ok && prev != val {
			return q, badParam(key, "%s and %s disagree; give one of them", q.param[name], key)
		}
		q.filters[name], q.param[name] = val, key
	}

	if s, p := q.filter("updated_since"); p != "" {
		if spec.noUpdatedSince != "" {
			return q, badParam(p, "%s", spec.noUpdatedSince)
		}
		t, err := parseTime(s)
		if err != nil {
			return q, badParam(p, "%s must be an RFC 3339 time such as 2025-01-31T09:00:00Z, not %q", p, s)
		}
		q.updatedSince = t
	}
	var err error
	if q.number, err = intParam(v, "page[number]", 1, 1, maxPageNumber); err != nil {
		return q, err
	}
	if q.size, err = intParam(v, "page[size]", DefaultPageSize, 1, MaxPageSize); err != nil {
		return q, err
	}
	if vals, ok := v["sort"]; ok {
		if spec.sorts == nil {
			return q, badParam("sort", "this list has a fixed order and does not accept sort")
		}
		if len(vals) != 1 || !slices.Contains(spec.sorts, vals[0]) {
			return q, badParam("sort", "sort must be one of %s", strings.Join(spec.sorts, ", "))
		}
		q.sort = vals[0]
	}
	return q, nil
}

// bracketed reports whether key is prefix[name], and name.
func bracketed(key, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(key, prefix+"[")
	if !ok {
		return "", false
	}
	name, ok := strings.CutSuffix(rest, "]")
	return name, ok
}

func filterNames(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "filter[" + n + "]"
	}
	return strings.Join(out, ", ")
}

// intParam reads an integer query parameter between lo and hi.
func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s, given, err := param(v, name)
	if err != nil || !given {
		return def, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < lo || n > hi {
		return 0, badParam(name, "%s must be a whole number from %d to %d, not %q", name, lo, hi, s)
	}
	return n, nil
}

// param reads a query parameter that may be given at most once, as sent,
// and whether it was given.
func param(v url.Values, name string) (string, bool, error) {
	vals, ok := v[name]
	switch {
	case !ok:
		return "", false, nil
	case len(vals) != 1:
		return "", true, badParam(name, "give %s once", name)
	}
	return vals[0], true, nil
}

// parseTime reads an RFC 3339 time. A '+' in an offset that the client did
// not percent-encode arrives as a space; it is read as the '+' it was.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil && strings.Contains(s, " ") {
		t, err = time.Parse(time.RFC3339Nano, strings.ReplaceAll(s, " ", "+"))
	}
	return t.UTC(), err
}

var (
	gssPattern    = regexp.MustCompile(`^[EWSN]\d{8}$`)
	regionPattern = regexp.MustCompile(`^E12\d{6}$`)
	// Ofsted URNs are digits, some after a two-letter prefix (EY, VC, CA…).
	urnPattern = regexp.MustCompile(`^[A-Z]{0,2}\d{5,8}$`)
)

// maxQueryLength bounds free-text searches.
const maxQueryLength = 100

// text reads filter[q], a free-text search.
func (q *listQuery) text() string {
	s, p := q.filter("q")
	if q.err == nil && len(s) > maxQueryLength {
		q.err = badParam(p, "%s must be at most %d characters", p, maxQueryLength)
	}
	if q.err != nil {
		return ""
	}
	return s
}

// urn reads a setting URN filter, as Ofsted writes it (EY101465 or
// 2602617).
func (q *listQuery) urn(name string) string {
	s, p := q.filter(name)
	if q.err != nil || p == "" {
		return ""
	}
	s = strings.ToUpper(s)
	if !urnPattern.MatchString(s) {
		q.err = badParam(p, "%s must be an Ofsted URN such as EY101465 or 2602617, not %q", p, s)
		return ""
	}
	return s
}

// parseID reads a record id from a path; anything else is no record.
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// id reads a filter whose value is the id of a record of the kind it is
// named after (filter[cohort]=12).
func (q *listQuery) id(name string) int64 {
	v, p := q.filter(name)
	if q.err != nil || p == "" {
		return 0
	}
	id, ok := parseID(v)
	if !ok {
		q.err = badParam(p, "%s must be a %s id (a positive whole number), not %q", p, name, v)
		return 0
	}
	return id
}

// date reads a YYYY-MM-DD filter.
func (q *listQuery) date(name string) domain.Date {
	s, p := q.filter(name)
	if q.err != nil || p == "" {
		return domain.Date{}
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		q.err = badParam(p, "%s must be a date in the form YYYY-MM-DD, not %q", p, s)
	}
	return d
}

// enum reads a filter whose value is one of values, in any case.
func enum[T ~string](q *listQuery, name string, values []T) T {
	v, p := q.filter(name)
	if q.err != nil || p == "" {
		return ""
	}
	code := T(strings.ToLower(v))
	if !slices.Contains(values, code) {
		q.err = badParam(p, "%s must be one of %s, not %q", p, codes(values), v)
		return ""
	}
	return code
}

// pageMeta is the meta of a list.
type pageMeta struct {
	Page struct {
		Number     int `json:"number"`
		Size       int `json:"size"`
		TotalItems int `json:"total_items"`
		TotalPages int `json:"total_pages"`
	} `json:"page"`
}

func metaOf(q listQuery, total int) pageMeta {
	var m pageMeta
	m.Page.Number, m.Page.Size, m.Page.TotalItems = q.number, q.size, total
	m.Page.TotalPages = (total + q.size - 1) / q.size
	return m
}

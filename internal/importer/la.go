package importer

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"senco/internal/domain"
)

//go:embed data/local_authorities.csv
var shippedLACSV []byte

var shippedLAs = sync.OnceValues(func() ([]domain.LocalAuthority, error) {
	return ParseLocalAuthorities("local_authorities.csv", bytes.NewReader(shippedLACSV))
})

// ShippedLocalAuthorities returns the English local authorities shipped with
// the product (data/local_authorities.csv; sources in data/SOURCES.md): every
// upper-tier authority since 2009, with start dates and, for abolished ones,
// end dates, so that older Ofsted registers still resolve. The caller owns
// the returned slice.
func ShippedLocalAuthorities() ([]domain.LocalAuthority, error) {
	las, err := shippedLAs()
	if err != nil {
		return nil, err
	}
	return slices.Clone(las), nil
}

const (
	laCode = iota
	laDfECode
	laName
	laOfstedName
	laRegionCode
	laRegionName
	laType
	laStartedOn
	laEndedOn
)

var laSpecs = []colSpec{
	laCode:       {name: "code", aliases: []string{"code", "la_gss_code", "new_la_code", "gss_code"}, required: true},
	laDfECode:    {name: "dfe_code", aliases: []string{"dfe_code", "dfe_old_la_code", "old_la_code"}},
	laName:       {name: "name", aliases: []string{"name", "la_name"}, required: true},
	laOfstedName: {name: "ofsted_name", aliases: []string{"ofsted_name", "ofsted_la_name"}},
	laRegionCode: {name: "region_code", aliases: []string{"region_code", "region_gss_code"}, required: true},
	laRegionName: {name: "region_name", aliases: []string{"region_name"}, required: true},
	laType:       {name: "type", aliases: []string{"type", "la_type", "entity_description"}},
	laStartedOn:  {name: "started_on", aliases: []string{"started_on", "date_of_operation"}, required: true},
	laEndedOn:    {name: "ended_on", aliases: []string{"ended_on", "date_of_termination"}},
}

var (
	// Upper-tier and district authorities: unitary (E06), non-metropolitan
	// district (E07), metropolitan district (E08), London borough (E09),
	// county (E10), metropolitan county (E11).
	gssLAPattern     = regexp.MustCompile(`^E(06|07|08|09|10|11)[0-9]{6}$`)
	gssRegionPattern = regexp.MustCompile(`^E12[0-9]{6}$`)
)

// ParseLocalAuthorities reads a list of local authorities in the layout of
// the shipped list — code, dfe_code, name, ofsted_name, region_code,
// region_name, type, started_on, ended_on — mapping columns by header name
// (DfE's own column names are accepted too). A blank ofsted_name is taken
// to be the name. Codes must be English GSS codes, dates ISO, codes unique,
// ended_on not before started_on, and no two authorities with the same name
// may operate at the same time (names must resolve to one code at any date).
func ParseLocalAuthorities(file string, r io.Reader) ([]domain.LocalAuthority, error) {
	l, err := ParseLocalAuthorityList(file, r)
	return l.Authorities, err
}

// LAList is a parsed list of local authorities and which optional columns
// its file left out.
type LAList struct {
	Authorities []domain.LocalAuthority
	absent      []int // optional columns (laDfECode …) the file does not have
}

// Absent names the optional columns the file does not have, by their
// names in the shipped list ("ended_on", …).
func (l LAList) Absent() []string {
	var out []string
	for _, col := range l.absent {
		out = append(out, laSpecs[col].name)
	}
	return out
}

// Keep returns la with every column its file did not have taken from old,
// the authority as already recorded: an import changes only what its file
// states. (A list without an ended_on column, such as DfE's 2024 one, must
// not make ended authorities live again.)
func (l LAList) Keep(la, old domain.LocalAuthority) domain.LocalAuthority {
	for _, col := range l.absent {
		switch col {
		case laDfECode:
			la.DfECode = old.DfECode
		case laOfstedName:
			la.OfstedName = old.OfstedName
		case laType:
			la.Type = old.Type
		case laEndedOn:
			la.EndedOn = old.EndedOn
		}
	}
	return la
}

// ParseLocalAuthorityList is ParseLocalAuthorities, also saying which
// optional columns the file left out, for LAList.Keep.
func ParseLocalAuthorityList(file string, r io.Reader) (LAList, error) {
	c := newCollector(file)
	text, _ := openText(c, r)
	if text == nil {
		return LAList{}, c.err()
	}
	rr := newRowReader(text)
	var h header
	headerRow := 0
	var out []domain.LocalAuthority
	rows := []int{}
	seen := map[string]int{}
	for {
		rec, err := rr.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.addRead(err)
			break
		}
		if headerRow == 0 {
			if blankRecord(rec) {
				continue
			}
			headerRow = rr.row
			h = mapHeader(rec, laSpecs)
			h.missing(c, laSpecs, headerRow)
			if c.failed() {
				return LAList{}, c.err()
			}
			continue
		}
		if blankRecord(rec) {
			continue
		}
		row := rr.row
		if !h.checkWidth(c, row, rec) {
			continue
		}
		la := domain.LocalAuthority{
			Code:       strings.ToUpper(h.get(rec, laCode)),
			DfECode:    h.get(rec, laDfECode),
			Name:       h.get(rec, laName),
			OfstedName: h.get(rec, laOfstedName),
			RegionCode: strings.ToUpper(h.get(rec, laRegionCode)),
			RegionName: h.get(rec, laRegionName),
			Type:       h.get(rec, laType),
		}
		if !gssLAPattern.MatchString(la.Code) {
			c.add(row, h.names[laCode], la.Code, "an English local authority GSS code: E06, E07, E08, E09, E10 or E11 then 6 digits (e.g. E09000002)")
		} else if prev, dup := seen[la.Code]; dup {
			c.add(row, h.names[laCode], la.Code, fmt.Sprintf("each code once, but it is also on row %d", prev))
		} else {
			seen[la.Code] = row
		}
		if strings.EqualFold(la.DfECode, "x") {
			la.DfECode = ""
		}
		if la.DfECode != "" && !threeDigits(la.DfECode) {
			c.add(row, h.names[laDfECode], la.DfECode, "a DfE local authority number of 3 digits (e.g. 301), or blank")
		}
		if la.Name == "" {
			c.add(row, h.names[laName], "", "the authority's name")
		}
		if la.OfstedName == "" {
			la.OfstedName = la.Name
		}
		if !gssRegionPattern.MatchString(la.RegionCode) {
			c.add(row, h.names[laRegionCode], la.RegionCode, "an English region GSS code: E12 then 6 digits (e.g. E12000007)")
		}
		if la.RegionName == "" {
			c.add(row, h.names[laRegionName], "", "the region's name")
		}
		var ok bool
		if s := h.get(rec, laStartedOn); s == "" {
			c.add(row, h.names[laStartedOn], "", "the date the authority started, as YYYY-MM-DD")
		} else if la.StartedOn, ok = parseISODate(s); !ok {
			c.add(row, h.names[laStartedOn], s, "a real date as YYYY-MM-DD")
		}
		if s := h.get(rec, laEndedOn); s != "" {
			if la.EndedOn, ok = parseISODate(s); !ok {
				c.add(row, h.names[laEndedOn], s, "a real date as YYYY-MM-DD, or blank while the authority exists")
			} else if !la.StartedOn.IsZero() && la.EndedOn.Before(la.StartedOn) {
				c.add(row, h.names[laEndedOn], s, "an end date on or after the start date "+la.StartedOn.String())
			}
		}
		out = append(out, la)
		rows = append(rows, row)
	}
	if headerRow == 0 && !c.failed() {
		c.whole("a header row naming the columns (code, name, region_code, region_name, started_on, …), but the file has no rows")
	} else if len(out) == 0 && !c.failed() {
		c.whole(fmt.Sprintf("rows of data below the header row (row %d), but there are none", headerRow))
	}
	if !c.failed() {
		checkNameOverlaps(c, h, out, rows)
	}
	if c.failed() {
		return LAList{}, c.err()
	}
	l := LAList{Authorities: out}
	for _, col := range []int{laDfECode, laOfstedName, laType, laEndedOn} {
		if !h.has(col) {
			l.absent = append(l.absent, col)
		}
	}
	return l, nil
}

// checkNameOverlaps refuses two authorities that answer to the same name
// and operate on a common day: Resolve could not choose between them.
func checkNameOverlaps(c *collector, h header, las []domain.LocalAuthority, rows []int) {
	byKey := map[string][]int{}
	for i, la := range las {
		for _, k := range laKeys(la) {
			byKey[k] = append(byKey[k], i)
		}
	}
	reported := map[[2]int]bool{}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ix := byKey[k]
		for a := 0; a < len(ix); a++ {
			for b := a + 1; b < len(ix); b++ {
				i, j := ix[a], ix[b]
				if i == j || las[i].Code == las[j].Code || reported[[2]int{i, j}] || !overlap(las[i], las[j]) {
					continue
				}
				reported[[2]int{i, j}] = true
				c.add(rows[j], h.names[laName], las[j].Name, fmt.Sprintf("names that point to one authority at any date, but %s (%s) and %s on row %d (%s) both answer to %q and operate at the same time; give one an end date", las[j].Code, las[j].Name, las[i].Code, rows[i], las[i].Name, k))
			}
		}
	}
}

func overlap(a, b domain.LocalAuthority) bool {
	// [a.StartedOn, a.EndedOn] ∩ [b.StartedOn, b.EndedOn], ends inclusive, zero end = open.
	if !a.EndedOn.IsZero() && a.EndedOn.Before(b.StartedOn) {
		return false
	}
	if !b.EndedOn.IsZero() && b.EndedOn.Before(a.StartedOn) {
		return false
	}
	return true
}

func threeDigits(s string) bool {
	return len(s) == 3 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9'
}

// laKeys are the normalised names an authority answers to: its Ofsted
// spelling and its name, and for ONS names such as "Bristol, City of" also
// "Bristol" and "City of Bristol".
func laKeys(la domain.LocalAuthority) []string {
	var keys []string
	add := func(s string) {
		k := normKey(s)
		if k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	add(la.OfstedName)
	add(la.Name)
	for _, n := range []string{la.Name, la.OfstedName} {
		if before, after, ok := strings.Cut(n, ", "); ok {
			switch strings.ToLower(after) {
			case "city of", "county of":
				add(before)
				add(after + " " + before)
			}
		}
	}
	return keys
}

// LAIndex resolves local authority names, as Ofsted and people spell them,
// to GSS codes. It is read-only once built and safe for concurrent use.
type LAIndex struct {
	las   []domain.LocalAuthority
	byKey map[string][]int
	codes map[string]int
}

// NewLAIndex indexes las by their names and Ofsted spellings.
func NewLAIndex(las []domain.LocalAuthority) *LAIndex {
	x := &LAIndex{las: slices.Clone(las), byKey: map[string][]int{}, codes: map[string]int{}}
	for i, la := range x.las {
		for _, k := range laKeys(la) {
			x.byKey[k] = append(x.byKey[k], i)
		}
		x.codes[la.Code] = i
	}
	return x
}

// Resolve returns the GSS code of the authority called name — matched
// ignoring case, punctuation, extra spaces and "&" versus "and", against
// both the Ofsted spelling and the ONS name; a GSS code in the list is also
// accepted. When several authorities answer to the name (an authority
// recoded or abolished and re-created), it prefers the one operating at
// asOf, else the one that started latest.
func (x *LAIndex) Resolve(name string, asOf domain.Date) (code string, ok bool) {
	if x == nil {
		return "", false
	}
	if i, found := x.codes[strings.ToUpper(strings.TrimSpace(name))]; found {
		return x.las[i].Code, true
	}
	ix := x.byKey[normKey(name)]
	switch len(ix) {
	case 0:
		return "", false
	case 1:
		return x.las[ix[0]].Code, true
	}
	best, bestOperating := -1, false
	for _, i := range ix {
		la := x.las[i]
		op := !asOf.IsZero() && la.StartedOn.OnOrBefore(asOf) && (la.EndedOn.IsZero() || asOf.OnOrBefore(la.EndedOn))
		switch {
		case best < 0,
			op && !bestOperating,
			op == bestOperating && la.StartedOn.After(x.las[best].StartedOn):
			best, bestOperating = i, op
		}
	}
	return x.las[best].Code, true
}

// Suggest returns the Ofsted spelling closest to name, for messages, or ""
// when nothing is close.
func (x *LAIndex) Suggest(name string) string {
	if x == nil {
		return ""
	}
	k := normKey(name)
	if k == "" {
		return ""
	}
	best, bestD := "", 1<<30
	for key, ix := range x.byKey {
		d := editDistance(k, key)
		if strings.HasPrefix(key, k) || strings.HasPrefix(k, key) {
			d = min(d, 2)
		}
		cand := x.las[ix[len(ix)-1]].OfstedName
		if d < bestD || (d == bestD && cand < best) {
			best, bestD = cand, d
		}
	}
	if bestD > max(2, len(k)/4) {
		return ""
	}
	return best
}

// examples returns a few Ofsted spellings for messages.
func (x *LAIndex) examples() string {
	var ex []string
	for _, want := range []string{"Bristol", "Barking and Dagenham", "Durham"} {
		if x != nil && len(x.byKey[normKey(want)]) > 0 {
			ex = append(ex, want)
		}
	}
	if len(ex) == 0 && x != nil {
		for _, la := range x.las {
			ex = append(ex, la.OfstedName)
			if len(ex) == 3 {
				break
			}
		}
	}
	return quoteList(ex, "or")
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

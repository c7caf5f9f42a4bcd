package importer

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"senco/internal/domain"
)

// Release is one Ofsted register file, read and checked.
type Release struct {
	// Settings in file order: Status Active (Closed when the file's
	// Provider status says otherwise; the file does not say when, so
	// ClosedOn is the release date: closed on or before it), SourceRelease the release date as YYYY-MM-DD, LastSeenOn the
	// release date.
	Settings []domain.Setting
	// NotRecorded lists the URNs whose local authority is Ofsted's own "Not
	// Recorded": they are imported with LACode "" and should be shown as a
	// warning.
	NotRecorded []string
	// Rows is the number of data rows read (blank rows are not counted).
	Rows int
}

// Fields of the Ofsted register the importer reads. Everything else —
// including the registered person's name and the telephone number that
// Ofsted's original files carry — is never read.
const (
	ofURN = iota
	ofRegDate
	ofType
	ofSubtype
	ofStatus
	ofCombos
	ofEYR
	ofCCR
	ofVCR
	ofName
	ofAddr1
	ofAddr2
	ofAddr3
	ofTown
	ofPostcode
	ofLA
	ofPlaces
	ofInspDate
	ofOutcome
)

var ofstedSpecs = []colSpec{
	ofURN:      {name: "Provider URN", aliases: []string{"Provider URN", "URN"}, required: true},
	ofRegDate:  {name: "Registration date", aliases: []string{"Registration date", "Provider registration date", "Date of registration"}, required: true},
	ofType:     {name: "Provider type", aliases: []string{"Provider type"}, required: true},
	ofSubtype:  {name: "Provider subtype", aliases: []string{"Provider subtype", "Provider sub-type", "Provider sub type"}},
	ofStatus:   {name: "Provider status", aliases: []string{"Provider status"}},
	ofCombos:   {name: "Individual Register combinations", aliases: []string{"Individual Register combinations", "Register combinations", "Individual register combination"}},
	ofEYR:      {name: "Provider Early Years Register Flag", aliases: []string{"Provider Early Years Register Flag", "Early Years Register Flag", "Provider EYR Flag", "EYR Flag"}},
	ofCCR:      {name: "Provider Compulsory Childcare Register Flag", aliases: []string{"Provider Compulsory Childcare Register Flag", "Compulsory Childcare Register Flag", "Provider CCR Flag", "CCR Flag"}},
	ofVCR:      {name: "Provider Voluntary Childcare Register Flag", aliases: []string{"Provider Voluntary Childcare Register Flag", "Voluntary Childcare Register Flag", "Provider VCR Flag", "VCR Flag"}},
	ofName:     {name: "Provider name", aliases: []string{"Provider name"}},
	ofAddr1:    {name: "Provider address line 1", aliases: []string{"Provider address line 1", "Provider address 1", "Address line 1"}},
	ofAddr2:    {name: "Provider address line 2", aliases: []string{"Provider address line 2", "Provider address 2", "Address line 2"}},
	ofAddr3:    {name: "Provider address line 3", aliases: []string{"Provider address line 3", "Provider address 3", "Address line 3"}},
	ofTown:     {name: "Provider town", aliases: []string{"Provider town", "Town"}},
	ofPostcode: {name: "Postcode", aliases: []string{"Postcode", "Provider postcode", "Provider post code", "Post code"}},
	ofLA:       {name: "Local authority", aliases: []string{"Local authority", "Provider local authority", "Local authority name", "LA name", "LA"}, required: true},
	ofPlaces:   {name: "Places", aliases: []string{"Places", "Provider places", "Number of places"}},
	ofInspDate: {name: "Most recent full: Inspection date", aliases: []string{
		"Most recent full: Inspection date",
		"EYR OEIF: Most recent: Full inspection date",
		"EYR OEIF/CIF: Most recent: Full inspection date",
		"EYR OEIF/CIF: Most recent: Inspection date",
		"EYR OEIF: Most recent: Inspection date",
		"Most recent full inspection date",
	}},
	ofOutcome: {name: "Most recent full: Overall effectiveness", aliases: []string{
		"Most recent full: Overall effectiveness",
		"EYR OEIF/CIF: Most recent: Overall effectiveness",
		"EYR OEIF: Most recent: Overall effectiveness",
		"Most recent full inspection overall effectiveness",
	}},
}

// headerMark is what identifies the header row of an Ofsted file.
var headerMark = normKey("Provider URN")

const headerSearchRows = 10

var typesExpected = "one of the Ofsted provider types: " + quoteList([]string{
	domain.Childminder.Label(), domain.NonDomestic.Label(), domain.Domestic.Label(), domain.HomeChildcarer.Label()}, "or")

// ParseOfsted reads one release of Ofsted's "Childcare providers and
// inspections" provider-level file (plain or gzip-compressed CSV, in any of
// the layouts Ofsted has used: columns are found by header name, and the
// header row is the first of the first 10 rows with a "Provider URN"
// column). Local authority names are resolved with las as at the release
// date. Every row is checked; on any problem it returns a *Problems error
// and no data. las must not be nil and release must not be zero: those are
// the caller's mistakes, reported as plain errors.
func ParseOfsted(file string, r io.Reader, las *LAIndex, release domain.Date) (*Release, error) {
	if las == nil {
		return nil, errors.New("importer: ParseOfsted needs a local authority index")
	}
	if release.IsZero() {
		return nil, errors.New("importer: ParseOfsted needs the release date")
	}
	c := newCollector(file)
	text, sizeHint := openText(c, r)
	if text == nil {
		return nil, c.err()
	}
	p := ofstedParser{c: c, las: las, release: release, rel: release.String(), laCache: map[string]laHit{}, types: map[string]domain.ProviderType{}}
	rr := newRowReader(text)

	// Find the header row.
	headerRow := 0
	var firstCell string
	for n := 0; n < headerSearchRows; n++ {
		rec, err := rr.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.addRead(err)
			return nil, c.err()
		}
		if firstCell == "" && !blankRecord(rec) {
			firstCell = clean(rec[0])
		}
		for _, f := range rec {
			k := normKey(f)
			if k == headerMark {
				headerRow = rr.row
				break
			}
			if strings.Contains(k, headerMark) && strings.ContainsAny(f, ";\t") {
				c.whole("a CSV file with values separated by commas, but this file separates them with semicolons or tabs; save it as \"CSV UTF-8 (Comma delimited)\"")
				return nil, c.err()
			}
		}
		if headerRow > 0 {
			p.h = mapHeader(rec, ofstedSpecs)
			break
		}
	}
	if headerRow == 0 {
		if firstCell == "" {
			c.whole("a CSV file with a header row and rows of data, but the file has no text in it")
		} else {
			c.whole(fmt.Sprintf("a header row with a %q column within the first %d rows, as in Ofsted's register files, but none was found (the file starts %q)", "Provider URN", headerSearchRows, shorten(firstCell, 60)))
		}
		return nil, c.err()
	}
	p.h.missing(c, ofstedSpecs, headerRow)
	if !p.h.has(ofEYR) && !p.h.has(ofCombos) {
		c.add(0, ofstedSpecs[ofEYR].name, "", fmt.Sprintf("a column headed %s, or else %q to take it from, in the header row (row %d)",
			quoteList(ofstedSpecs[ofEYR].aliases, "or"), ofstedSpecs[ofCombos].name, headerRow))
	}
	if c.failed() {
		return nil, c.err()
	}

	// About 270 bytes a row in Ofsted's files; a good guess saves growing
	// a 25 MB slice.
	est := min(max(sizeHint/250, 1024), 1<<18)
	p.out = &Release{Settings: make([]domain.Setting, 0, est)}
	p.urns = make(map[string]int, est)
	for {
		rec, err := rr.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.addRead(err)
			break
		}
		if blankRecord(rec) {
			continue
		}
		p.out.Rows++
		p.row(rr.row, rec)
	}
	if p.out.Rows == 0 && !c.failed() {
		c.whole(fmt.Sprintf("rows of data below the header row (row %d), but there are none", headerRow))
	}
	if c.failed() {
		return nil, c.err()
	}
	return p.out, nil
}

type laHit struct {
	code        string
	notRecorded bool
	ok          bool
}

type ofstedParser struct {
	c       *collector
	h       header
	las     *LAIndex
	release domain.Date
	rel     string
	laCache map[string]laHit
	types   map[string]domain.ProviderType // ParseOfstedProviderType by spelling
	urns    map[string]int
	out     *Release
	sb      strings.Builder
}

// row checks one data row and, while the file is still clean, appends its
// setting. The strings a setting keeps are copied into one allocation per
// row, so nothing else of the record (such as columns never read) stays
// reachable.
func (p *ofstedParser) row(row int, rec []string) {
	c, h := p.c, p.h
	if !h.checkWidth(c, row, rec) {
		return
	}
	bad := c.probs.Total
	s := domain.Setting{Status: domain.Active, SourceRelease: p.rel, LastSeenOn: p.release}

	urn := strings.ToUpper(h.get(rec, ofURN))
	switch {
	case urn == "":
		c.add(row, h.names[ofURN], "", urnExpected)
	case !validURN(urn):
		c.add(row, h.names[ofURN], urn, urnExpected)
	}

	if v := h.get(rec, ofRegDate); v == "" {
		c.add(row, h.names[ofRegDate], "", "the date the provider was registered, as DD/MM/YYYY")
	} else if d, ok := parseUKDate(v); !ok {
		c.add(row, h.names[ofRegDate], v, "a real date as DD/MM/YYYY")
	} else if d.After(p.release) {
		c.add(row, h.names[ofRegDate], v, "a registration date on or before the release date "+ukDate(p.release))
	} else {
		s.RegisteredOn = d
	}

	v := h.get(rec, ofType)
	t, known := p.types[v]
	if !known {
		t, _ = domain.ParseOfstedProviderType(v)
		p.types[strings.Clone(v)] = t
	}
	if t != "" {
		s.Type = t
	} else {
		c.add(row, h.names[ofType], v, typesExpected)
	}

	if h.has(ofStatus) {
		if v := h.get(rec, ofStatus); v != "" && !strings.EqualFold(v, "Active") {
			// EligibleSetting reads ClosedOn, so a closure must carry a date.
			s.Status = domain.Closed
			s.ClosedOn = p.release
		}
	}

	// Registers: the flags where the file has them, else the combination.
	var combo [3]bool
	comboOK := false
	if h.has(ofCombos) && (!h.has(ofEYR) || !h.has(ofCCR) || !h.has(ofVCR)) {
		v := h.get(rec, ofCombos)
		if combo, comboOK = parseRegisters(v); !comboOK {
			c.add(row, h.names[ofCombos], v, "a register combination such as ALL, EYR only, EYR-CCR, CCR-VCR or VCR only")
		}
	}
	for i, spec := range [3]int{ofEYR, ofCCR, ofVCR} {
		var val bool
		if h.has(spec) {
			v := h.get(rec, spec)
			b, set, ok := yesNo(v)
			if !ok || !set {
				c.add(row, h.names[spec], v, "Y or N")
			}
			val = b
		} else {
			val = combo[i]
		}
		switch i {
		case 0:
			s.EYR = val
		case 1:
			s.CCR = val
		case 2:
			s.VCR = val
		}
	}

	if h.has(ofPlaces) {
		if v := h.get(rec, ofPlaces); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || v[0] == '+' || v[0] == '-' {
				c.add(row, h.names[ofPlaces], v, "a whole number of places (0 or more), or blank")
			} else {
				s.Places = n
			}
		}
	}

	if h.has(ofInspDate) {
		if v := h.get(rec, ofInspDate); v != "" && v != "-" {
			if d, ok := parseUKDate(v); ok {
				s.InspectedOn = d
			} else {
				c.add(row, h.names[ofInspDate], v, "a real date as DD/MM/YYYY, or blank when not yet inspected")
			}
		}
	}
	if h.has(ofOutcome) {
		v := h.get(rec, ofOutcome)
		if o, ok := parseOutcome(v); ok {
			s.Outcome = o
		} else {
			c.add(row, h.names[ofOutcome], v, "an overall effectiveness grade 1, 2, 3 or 4 (or Outstanding, Good, Requires improvement, Inadequate), or blank or \"-\" when not yet inspected")
		}
	}

	laName := h.get(rec, ofLA)
	hit, cached := p.laCache[laName]
	if !cached {
		if normKey(laName) == "not recorded" {
			hit = laHit{notRecorded: true, ok: true}
		} else {
			hit.code, hit.ok = p.las.Resolve(laName, p.release)
		}
		p.laCache[strings.Clone(laName)] = hit
	}
	switch {
	case !hit.ok && laName == "":
		c.add(row, h.names[ofLA], "", "the local authority, as Ofsted spells it (e.g. "+p.las.examples()+"), or \"Not Recorded\"")
	case !hit.ok:
		ex := p.las.examples()
		if sug := p.las.Suggest(laName); sug != "" {
			ex = fmt.Sprintf("%q", sug)
		}
		c.add(row, h.names[ofLA], laName, "a local authority name as Ofsted spells it, e.g. "+ex)
	default:
		s.LACode = hit.code
	}

	text := [...]string{h.get(rec, ofName), h.get(rec, ofAddr1), h.get(rec, ofAddr2), h.get(rec, ofAddr3), h.get(rec, ofTown), h.get(rec, ofPostcode), h.get(rec, ofSubtype)}
	for i, f := range [...]int{ofName, ofAddr1, ofAddr2, ofAddr3, ofTown, ofPostcode, ofSubtype} {
		if garbled(text[i]) {
			c.add(row, h.names[f], text[i], garbledExpected)
		}
	}

	if c.probs.Total > bad || c.failed() {
		// This row or an earlier one is wrong: the file will be refused, so
		// only the checks that need earlier rows continue.
		p.checkDuplicate(row, urn)
		return
	}

	// Keep the text fields, in one allocation.
	name, a1, a2, a3, town, pc, sub := redacted(text[0]), redacted(text[1]), redacted(text[2]), redacted(text[3]), redacted(text[4]), redacted(text[5]), text[6]
	b := &p.sb
	b.Reset()
	b.Grow(len(urn) + len(name) + len(a1) + len(a2) + len(a3) + len(town) + len(pc) + 1 + len(sub))
	b.WriteString(urn)
	b.WriteString(name)
	b.WriteString(a1)
	b.WriteString(a2)
	b.WriteString(a3)
	b.WriteString(town)
	pcStart := b.Len()
	writePostcode(b, pc)
	pcEnd := b.Len()
	b.WriteString(sub)
	all := b.String()
	off := 0
	take := func(n int) string { v := all[off : off+n]; off += n; return v }
	s.URN = take(len(urn))
	s.Name = take(len(name))
	s.Address1 = take(len(a1))
	s.Address2 = take(len(a2))
	s.Address3 = take(len(a3))
	s.Town = take(len(town))
	s.Postcode = all[pcStart:pcEnd]
	s.Subtype = all[pcEnd:]

	p.checkDuplicate(row, s.URN)
	if hit.notRecorded {
		p.out.NotRecorded = append(p.out.NotRecorded, s.URN)
	}
	p.out.Settings = append(p.out.Settings, s)
}

func (p *ofstedParser) checkDuplicate(row int, urn string) {
	if urn == "" || !validURN(urn) {
		return
	}
	if prev, dup := p.urns[urn]; dup {
		p.c.add(row, p.h.names[ofURN], urn, fmt.Sprintf("each provider once, but URN %s is also on row %d", urn, prev))
		return
	}
	p.urns[urn] = row
}

// redacted turns Ofsted's "REDACTED" into "".
func redacted(s string) string {
	if len(s) == 8 && strings.EqualFold(s, "REDACTED") {
		return ""
	}
	return s
}

// writePostcode writes a postcode in capitals with one space before the
// inward code ("sw1a1aa" → "SW1A 1AA"); text that is not shaped like a UK
// postcode is written in capitals with runs of spaces made single.
func writePostcode(b *strings.Builder, s string) {
	if s == "" {
		return
	}
	var buf [8]byte
	n := 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == ' ' {
			continue
		}
		if n == len(buf) {
			n = -1
			break
		}
		if ch >= 'a' && ch <= 'z' {
			ch -= 'a' - 'A'
		}
		buf[n] = ch
		n++
	}
	if n >= 5 && postcodeShape(buf[:n]) {
		b.Write(buf[:n-3])
		b.WriteByte(' ')
		b.Write(buf[n-3 : n])
		return
	}
	space := false
	for _, f := range strings.Fields(s) {
		if space {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToUpper(f))
		space = true
	}
}

// postcodeShape matches A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA,
// AA9A 9AA without the space.
func postcodeShape(p []byte) bool {
	letter := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	n := len(p)
	if n < 5 || n > 7 || !digit(p[n-3]) || !letter(p[n-2]) || !letter(p[n-1]) {
		return false
	}
	out := p[:n-3]
	if !letter(out[0]) {
		return false
	}
	i := 1
	if i < len(out) && letter(out[i]) {
		i++
	}
	if i >= len(out) || !digit(out[i]) {
		return false
	}
	i++
	if i < len(out) && (digit(out[i]) || letter(out[i])) {
		i++
	}
	return i == len(out)
}

// parseRegisters reads Ofsted's "Individual Register combinations": ALL,
// "EYR only", "EYR-CCR", "CCR-VCR", "EYR, CCR, VCR", "EYR/CCR" and so on.
func parseRegisters(s string) (regs [3]bool, ok bool) {
	if strings.EqualFold(s, "ALL") {
		return [3]bool{true, true, true}, true
	}
	any := false
	for _, w := range strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool {
		return !(r >= 'A' && r <= 'Z')
	}) {
		switch w {
		case "EYR":
			regs[0] = true
		case "CCR":
			regs[1] = true
		case "VCR":
			regs[2] = true
		case "ONLY", "AND":
			continue
		default:
			return regs, false
		}
		any = true
	}
	return regs, any
}

// parseOutcome reads an overall effectiveness grade; blank and "-" are 0
// (not yet inspected).
func parseOutcome(s string) (domain.Outcome, bool) {
	if len(s) == 1 && s[0] >= '1' && s[0] <= '4' {
		return domain.Outcome(s[0] - '0'), true
	}
	switch strings.ToLower(s) {
	case "", "-", "n/a", "not applicable", "not yet inspected":
		return 0, true
	case "1", "outstanding":
		return 1, true
	case "2", "good":
		return 2, true
	case "3", "requires improvement", "satisfactory":
		return 3, true
	case "4", "inadequate":
		return 4, true
	}
	return 0, false
}

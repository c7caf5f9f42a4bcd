package importer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// maxFileBytes bounds what a file may hold once decompressed; the national
// Ofsted register is about 20 MB.
const maxFileBytes = 512 << 20

// openText opens an upload as a stream of UTF-8 text without a byte order
// mark. It un-gzips when the bytes start with the gzip magic number
// (whatever the file is called) and refuses, with a specific problem, files
// that are recognisably not CSV (empty, Excel, PDF, HTML, UTF-16). The rest
// is checked as it streams (see textReader): a problem found there comes out
// of the CSV reader as a *textError. It also returns a rough estimate of the
// text's size in bytes (0 when unknown). On failure it records a problem and
// returns nil.
func openText(c *collector, r io.Reader) (io.Reader, int) {
	hint := sizeHint(r)
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(2)
	if len(head) == 0 {
		if err != nil && err != io.EOF {
			c.whole("a file that can be read to the end, but reading it failed: " + err.Error())
		} else {
			c.whole("a CSV file with a header row and rows of data, but the file is empty (0 bytes)")
		}
		return nil, 0
	}
	src := br
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			c.whole("a readable gzip-compressed CSV file, but decompressing it failed: " + err.Error())
			return nil, 0
		}
		src = bufio.NewReaderSize(zr, 64<<10)
		hint *= 5 // typical for CSV
	}
	head, err = src.Peek(1024)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		c.whole("a readable CSV file, but reading it failed: " + err.Error())
		return nil, 0
	}
	if len(head) == 0 {
		c.whole("a CSV file with a header row and rows of data, but the compressed file is empty")
		return nil, 0
	}
	if what := notCSV(head); what != "" {
		c.whole("a CSV file, but " + what)
		return nil, 0
	}
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		src.Discard(3)
	}
	return &textReader{src: src, in: make([]byte, 64<<10)}, hint
}

// sizeHint guesses how many bytes r holds, or 0.
func sizeHint(r io.Reader) int {
	switch v := r.(type) {
	case interface{ Len() int }:
		return v.Len()
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return int(fi.Size())
		}
	}
	return 0
}

// notCSV says what a file is when its first bytes show it is not a CSV file.
func notCSV(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return "this is an Excel workbook (or another zip file); open it in Excel and save it as CSV (File → Save As → \"CSV UTF-8 (Comma delimited)\")"
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return "this is an old-style Excel workbook (.xls); open it in Excel and save it as CSV (File → Save As → \"CSV UTF-8 (Comma delimited)\")"
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "this is a PDF document"
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		return "this file is saved as \"Unicode text\" (UTF-16); save it as \"CSV UTF-8 (Comma delimited)\" instead"
	}
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(h) > 0 && h[0] == '<' {
		l := bytes.ToLower(h)
		if bytes.Contains(l, []byte("<html")) || bytes.Contains(l, []byte("<!doctype")) {
			return "this is a web page (HTML); download the CSV file itself rather than the page that links to it"
		}
		if bytes.HasPrefix(l, []byte("<?xml")) {
			return "this is an XML file; save it as CSV"
		}
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return binaryWords
	}
	ctl := 0
	for _, b := range head {
		if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f {
			ctl++
		}
	}
	if ctl > 2+len(head)/100 {
		return binaryWords
	}
	return ""
}

const (
	binaryWords  = "this file contains binary data, not text"
	encodingText = "a CSV file saved as UTF-8 text (in Excel: Save As → \"CSV UTF-8 (Comma delimited)\"), but its characters are in an encoding that cannot be read reliably"
	mixedText    = "a CSV file in one text encoding, but it mixes UTF-8 with another encoding, so some characters would be garbled; save it again as \"CSV UTF-8 (Comma delimited)\""
)

// textError is a problem with the file as a whole found while streaming.
type textError struct{ expected string }

func (e *textError) Error() string { return e.expected }

const (
	modeASCII  = iota // only ASCII so far: UTF-8 and Windows-1252 agree
	modeUTF8          // valid UTF-8 with non-ASCII characters seen
	modeCP1252        // not UTF-8: decoded as Windows-1252
)

// cp1252 maps the bytes 0x80–0xFF of Windows-1252 to runes.
var cp1252 = func() (t [128]rune) {
	for i := range t {
		t[i] = charmap.Windows1252.DecodeByte(byte(0x80 + i))
	}
	return
}()

// textReader streams a file as UTF-8. While the text is valid UTF-8 it is
// passed through. If an invalid byte turns up while everything before it
// was ASCII (which reads the same in both), the rest is decoded as
// Windows-1252 — but only while it reads plausibly as text: every
// non-ASCII character a letter, mark, punctuation, symbol or space (bytes
// Windows-1252 leaves undefined decode to control characters), none in runs
// longer than three (what other multi-byte encodings look like), and,
// beyond the first 16, at most 1 in 20 characters non-ASCII. Invalid bytes
// after valid non-ASCII UTF-8 mean mixed encodings. NUL bytes mean binary
// data. Any of these ends the stream with a *textError, so nothing garbled
// is stored.
type textReader struct {
	src      *bufio.Reader
	mode     int
	in       []byte
	dec      []byte
	out      []byte
	carry    [utf8.UTFMax]byte
	ncarry   int
	total    int
	nonASCII int
	run      int
	eof      bool
	err      error
}

func (t *textReader) Read(p []byte) (int, error) {
	for len(t.out) == 0 {
		if t.err != nil {
			return 0, t.err
		}
		if t.eof {
			t.err = io.EOF
			if t.mode == modeCP1252 && t.nonASCII > 16 && t.nonASCII*20 > t.total {
				t.err = &textError{encodingText}
			}
			continue
		}
		t.fill()
	}
	n := copy(p, t.out)
	t.out = t.out[n:]
	return n, nil
}

func (t *textReader) fail(expected string) {
	t.err = &textError{expected}
	t.out = nil
}

func (t *textReader) fill() {
	k := copy(t.in, t.carry[:t.ncarry])
	t.ncarry = 0
	n, err := t.src.Read(t.in[k:])
	t.total += n
	switch {
	case err == io.EOF:
		t.eof = true
	case err != nil:
		t.fail("a readable file, but reading it failed: " + err.Error())
		return
	}
	if t.total > maxFileBytes {
		t.fail(fmt.Sprintf("a file of at most %d MB", maxFileBytes>>20))
		return
	}
	chunk := t.in[:k+n]
	if bytes.IndexByte(chunk, 0) >= 0 {
		t.fail("a CSV file, but " + binaryWords)
		return
	}
	if t.mode == modeCP1252 {
		t.dec = t.decode(t.dec[:0], chunk)
		t.out = t.dec
		return
	}
	if !t.eof {
		if k := incompleteTail(chunk); k > 0 {
			t.ncarry = copy(t.carry[:], chunk[len(chunk)-k:])
			chunk = chunk[:len(chunk)-k]
		}
	}
	if utf8.Valid(chunk) {
		if t.mode == modeASCII && !isASCII(chunk) {
			t.mode = modeUTF8
		}
		t.out = chunk
		return
	}
	i := firstInvalid(chunk)
	if t.mode == modeUTF8 || !isASCII(chunk[:i]) {
		t.fail(mixedText)
		return
	}
	t.mode = modeCP1252
	t.dec = t.decode(append(t.dec[:0], chunk[:i]...), chunk[i:])
	t.out = t.dec
	// Bytes held back as a possibly incomplete UTF-8 sequence are decoded as
	// Windows-1252 with the next chunk.
}

// decode appends chunk, decoded as Windows-1252, to dst.
func (t *textReader) decode(dst, chunk []byte) []byte {
	for _, b := range chunk {
		if b < utf8.RuneSelf {
			dst = append(dst, b)
			t.run = 0
			continue
		}
		r := cp1252[b-0x80]
		t.nonASCII++
		t.run++
		if t.run > 3 || unicode.IsControl(r) || r == utf8.RuneError ||
			!(unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)) {
			t.fail(encodingText)
			return nil
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// incompleteTail returns how many bytes at the end of b begin a UTF-8
// sequence that the next chunk may complete.
func incompleteTail(b []byte) int {
	for k := 1; k <= utf8.UTFMax-1 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-k:]) {
				return 0
			}
			return k
		}
	}
	return 0
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// garbled reports whether s contains a sequence that only double-encoded
// text produces: "Ã" or "Â" followed by a character from the Latin-1 upper
// half or Windows-1252 punctuation, or "â€".
func garbled(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return false
	}
	if strings.Contains(s, "â€") {
		return true
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r != 'Ã' && r != 'Â' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i:])
		if (next >= 0x80 && next <= 0xbf) || strings.ContainsRune("‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ", next) {
			return true
		}
	}
	return false
}

const garbledExpected = "readable text, but this looks garbled (text converted twice, e.g. \"CafÃ©\" for \"Café\"); export the file again as \"CSV UTF-8 (Comma delimited)\""

// rowReader reads CSV records and knows the row number a spreadsheet shows
// for each: the physical line it starts on, less the line breaks inside
// quoted values of earlier records (a spreadsheet shows such a record as one
// row). Blank lines count as rows, as spreadsheets show them.
type rowReader struct {
	cr    *csv.Reader
	extra int
	row   int
}

func newRowReader(text io.Reader) *rowReader {
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &rowReader{cr: cr}
}

// readProblem is a record that cannot be read; row is 0 when the problem is
// with the file as a whole.
type readProblem struct {
	row      int
	expected string
}

func (e *readProblem) Error() string { return e.expected }

// read returns the next record (valid until the next call), io.EOF, or a
// *readProblem.
func (r *rowReader) read() ([]string, error) {
	rec, err := r.cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		var te *textError
		if errors.As(err, &te) {
			return nil, &readProblem{0, te.expected}
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			r.row = pe.StartLine - r.extra
			return nil, &readProblem{r.row, csvErrorWords(pe)}
		}
		return nil, &readProblem{0, "a readable file, but reading it failed: " + err.Error()}
	}
	start, _ := r.cr.FieldPos(0)
	r.row = start - r.extra
	last := len(rec) - 1
	end, _ := r.cr.FieldPos(last)
	r.extra += end - start + strings.Count(rec[last], "\n")
	return rec, nil
}

// addRead records the problem read returned.
func (c *collector) addRead(err error) {
	if rp, ok := err.(*readProblem); ok {
		c.add(rp.row, "", "", rp.expected)
		return
	}
	c.whole("a readable file, but reading it failed: " + err.Error())
}

func csvErrorWords(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("valid CSV, but a value that starts with a quote mark (\") is not closed (from line %d to the end of the file); check quote marks on this row", pe.StartLine)
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("valid CSV, but line %d has a quote mark (\") inside a value that is not itself in quotes; put the value in quotes and double the quote mark (\"\")", pe.Line)
	}
	return fmt.Sprintf("valid CSV, but line %d column %d cannot be read: %v", pe.Line, pe.Column, pe.Err)
}

// clean trims spaces, including non-breaking spaces, and turns inner
// non-breaking spaces into ordinary ones. It allocates only when the value
// holds a non-breaking space.
func clean(s string) string {
	if strings.IndexByte(s, 0xc2) >= 0 && strings.Contains(s, "\u00a0") {
		s = strings.ReplaceAll(s, "\u00a0", " ")
	}
	if s == "" {
		return s
	}
	if c := s[0]; c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' {
		return strings.TrimSpace(s)
	}
	if c := s[len(s)-1]; c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' {
		return strings.TrimSpace(s)
	}
	return s
}

// blankRecord reports whether every value of a record is blank.
func blankRecord(rec []string) bool {
	for _, f := range rec {
		if clean(f) != "" {
			return false
		}
	}
	return true
}

// normKey folds a header or a name for matching: lower case, "&" read as
// "and", every run of anything other than letters and digits one space.
func normKey(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 4)
	space := false
	for _, r := range s {
		switch {
		case r == '&':
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			space = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// colSpec is one field a file may carry, with the header names accepted for
// it in order of preference (the first present wins).
type colSpec struct {
	name     string   // the name used in messages
	aliases  []string // accepted header names, as people write them
	required bool
}

// header maps each colSpec to its column index in rec, -1 when absent.
type header struct {
	idx   []int
	names []string // header text of each mapped column, for messages
	width int
}

func mapHeader(rec []string, specs []colSpec) header {
	pos := make(map[string]int, len(rec))
	for i, h := range rec {
		k := normKey(h)
		if _, dup := pos[k]; !dup && k != "" {
			pos[k] = i
		}
	}
	h := header{idx: make([]int, len(specs)), names: make([]string, len(specs)), width: len(rec)}
	for s, spec := range specs {
		h.idx[s] = -1
		h.names[s] = spec.name
		for _, a := range spec.aliases {
			if i, ok := pos[normKey(a)]; ok {
				h.idx[s] = i
				h.names[s] = clean(rec[i])
				break
			}
		}
	}
	return h
}

// missing records a whole-file problem for each required column absent.
func (h header) missing(c *collector, specs []colSpec, headerRow int) {
	for s, spec := range specs {
		if spec.required && h.idx[s] < 0 {
			c.add(0, spec.name, "", fmt.Sprintf("a column headed %s in the header row (row %d)", quoteList(spec.aliases, "or"), headerRow))
		}
	}
}

// get returns the cleaned value of field s in rec, "" when absent.
func (h header) get(rec []string, s int) string {
	i := h.idx[s]
	if i < 0 || i >= len(rec) {
		return ""
	}
	return clean(rec[i])
}

func (h header) has(s int) bool { return h.idx[s] >= 0 }

// checkWidth records a problem when a row has a different number of values
// from the header (extra blank values at the end are tolerated).
func (h header) checkWidth(c *collector, row int, rec []string) bool {
	n := len(rec)
	for n > h.width && clean(rec[n-1]) == "" {
		n--
	}
	if n == h.width {
		return true
	}
	c.add(row, "", "", fmt.Sprintf("%d values, as many as the header row has, but this row has %d (a value containing a comma must be in quotes)", h.width, len(rec)))
	return false
}

func quoteList(xs []string, conj string) string {
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			if i == len(xs)-1 {
				b.WriteString(" " + conj + " ")
			} else {
				b.WriteString(", ")
			}
		}
		fmt.Fprintf(&b, "%q", x)
	}
	return b.String()
}

// yesNo reads Y/N (also Yes/No, any case). ok is false for anything else;
// blank gives set == false.
func yesNo(s string) (v, set, ok bool) {
	switch s {
	case "Y":
		return true, true, true
	case "N":
		return false, true, true
	case "":
		return false, false, true
	}
	switch strings.ToLower(s) {
	case "":
		return false, false, true
	case "y", "yes":
		return true, true, true
	case "n", "no":
		return false, true, true
	}
	return false, false, false
}

// validURN reports whether s has the form of an Ofsted URN as the register
// uses them: 6 or 7 digits, optionally after EY (early years), VC
// (voluntary Childcare Register) or CA (childminder agency).
func validURN(s string) bool {
	if len(s) >= 2 {
		switch s[:2] {
		case "EY", "VC", "CA":
			s = s[2:]
		}
	}
	if len(s) < 6 || len(s) > 7 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

const urnExpected = "an Ofsted URN: 6 or 7 digits, optionally after EY, VC or CA (e.g. 2602617 or EY101465)"

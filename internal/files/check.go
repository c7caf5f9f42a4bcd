package files

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"senco/internal/domain"
)

// Kind is a type of file senco accepts.
type Kind struct {
	Ext   []string // the file name's extensions, lower case
	Type  string   // the Content-Type it is stored and served with
	Label string   // how people name it
}

// The kinds of evidence file accepted: documents, photographs, scans.
var Kinds = []Kind{
	{[]string{".pdf"}, "application/pdf", "PDF"},
	{[]string{".docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document (DOCX)"},
	{[]string{".jpg", ".jpeg"}, "image/jpeg", "JPEG image"},
	{[]string{".png"}, "image/png", "PNG image"},
	{[]string{".txt"}, "text/plain; charset=utf-8", "plain text"},
}

// Limits bound what an upload may be.
type Limits struct {
	MaxSize int64 // bytes of the upload
	// A DOCX is a zip archive: at most MaxEntries files inside, together at
	// most MaxUnzipped bytes once uncompressed, each compressed at most
	// MaxRatio to one (a zip bomb is small outside and enormous inside).
	MaxEntries  int
	MaxUnzipped int64
	MaxRatio    int64
}

// DefaultLimits: 10 MB a file; a DOCX of up to 500 parts and 50 MB
// uncompressed.
var DefaultLimits = Limits{MaxSize: 10 << 20, MaxEntries: 500, MaxUnzipped: 50 << 20, MaxRatio: 200}

// AcceptList names the accepted kinds, for a form's hint.
func AcceptList() string {
	var names []string
	for _, k := range Kinds {
		names = append(names, k.Label)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Accept is the accept attribute of a file input.
func Accept() string {
	var exts []string
	for _, k := range Kinds {
		exts = append(exts, k.Ext...)
	}
	return strings.Join(exts, ",")
}

// Check decides whether an upload called name with content data may be
// stored, and returns the type to store it with. The type is declared by
// the name's extension and must match what the content is (sniffed, never
// trusted from the browser); archives other than a well-formed DOCX are
// refused. The refusal names the file and says what was expected.
func Check(name string, data []byte, lim Limits) (string, error) {
	shown := DisplayName(name)
	switch {
	case len(data) == 0:
		return "", domain.Refuse("file", "%s is empty", shown)
	case int64(len(data)) > lim.MaxSize:
		return "", domain.Refuse("file", "%s is larger than %s", shown, megabytes(lim.MaxSize))
	}
	ext := strings.ToLower(filepath.Ext(name))
	var kind *Kind
	for i, k := range Kinds {
		for _, e := range k.Ext {
			if e == ext {
				kind = &Kinds[i]
			}
		}
	}
	if kind == nil {
		return "", domain.Refuse("file", "%s must be a %s", shown, AcceptList())
	}
	sniffed := http.DetectContentType(data)
	mismatch := func() error {
		return domain.Refuse("file", "%s is called a %s but its content is %s", shown, kind.Label, describe(sniffed))
	}
	switch kind.Type {
	case "application/pdf", "image/jpeg", "image/png":
		if sniffed != kind.Type {
			return "", mismatch()
		}
	case "text/plain; charset=utf-8":
		if !strings.HasPrefix(sniffed, "text/plain") || !utf8.Valid(data) {
			return "", mismatch()
		}
	default: // DOCX
		if sniffed != "application/zip" {
			return "", mismatch()
		}
		if err := checkDOCX(shown, data, lim); err != nil {
			return "", err
		}
	}
	return kind.Type, nil
}

// checkDOCX opens the archive and checks it is a Word document and not a
// bomb: entries counted, sizes declared and sizes actually read bounded.
func checkDOCX(shown string, data []byte, lim Limits) error {
	notWord := domain.Refuse("file", "%s is not a Word document: it is a zip archive of other files, and archives are not accepted", shown)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return domain.Refuse("file", "%s is damaged: it cannot be opened as a Word document", shown)
	}
	if len(zr.File) > lim.MaxEntries {
		return domain.Refuse("file", "%s has %d parts inside, more than a Word document has (at most %d)", shown, len(zr.File), lim.MaxEntries)
	}
	var types, document bool
	var total int64
	for _, f := range zr.File {
		switch f.Name {
		case "[Content_Types].xml":
			types = true
		case "word/document.xml":
			document = true
		}
		if strings.HasSuffix(strings.ToLower(f.Name), ".zip") || strings.Contains(f.Name, "..") {
			return notWord
		}
		if f.UncompressedSize64 > uint64(lim.MaxUnzipped) {
			return bomb(shown, lim)
		}
		total += int64(f.UncompressedSize64)
		if total > lim.MaxUnzipped {
			return bomb(shown, lim)
		}
	}
	if !types || !document {
		return notWord
	}
	// The sizes in the archive's directory may lie: read every part, never
	// more than the limit, and refuse what expands too far.
	var read int64
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return domain.Refuse("file", "%s is damaged: part %s cannot be read", shown, f.Name)
		}
		n, err := io.Copy(io.Discard, io.LimitReader(rc, lim.MaxUnzipped-read+1))
		rc.Close()
		if err != nil {
			return domain.Refuse("file", "%s is damaged: part %s cannot be read", shown, f.Name)
		}
		read += n
		if read > lim.MaxUnzipped || (f.CompressedSize64 > 0 && uint64(n) > f.CompressedSize64*uint64(lim.MaxRatio) && n > 1<<20) {
			return bomb(shown, lim)
		}
	}
	return nil
}

func bomb(shown string, lim Limits) error {
	return domain.Refuse("file", "%s expands to more than %s when opened, which no Word document of evidence needs; save it again or as a PDF", shown, megabytes(lim.MaxUnzipped))
}

func megabytes(n int64) string { return fmt.Sprintf("%d MB", n>>20) }

// describe says what a sniffed type is, in words.
func describe(t string) string {
	switch {
	case t == "application/pdf":
		return "a PDF"
	case t == "image/jpeg":
		return "a JPEG image"
	case t == "image/png":
		return "a PNG image"
	case t == "application/zip":
		return "a zip archive"
	case t == "application/x-gzip" || t == "application/x-rar-compressed":
		return "an archive"
	case strings.HasPrefix(t, "text/html"):
		return "a web page"
	case strings.HasPrefix(t, "text/"):
		return "text"
	case strings.HasPrefix(t, "image/"):
		return "an image of another kind"
	}
	return "of another kind (" + t + ")"
}

// DisplayName is the user's file name as it may be shown and sent back:
// its last path element, without control characters, at most 100
// characters.
func DisplayName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	if strings.TrimSpace(name) == "" {
		return "file"
	}
	return name
}

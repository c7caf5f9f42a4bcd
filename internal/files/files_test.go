package files

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"senco/internal/domain"
)

func docx(t *testing.T, parts map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheck(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	var pngBuf, jpgBuf bytes.Buffer
	png.Encode(&pngBuf, img)
	jpeg.Encode(&jpgBuf, img, nil)
	pdf := []byte("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	word := docx(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "word/document.xml": []byte("<w:document/>")})
	many := map[string][]byte{"[Content_Types].xml": nil, "word/document.xml": nil}
	for i := range 20 {
		many[filepath.Join("word/media", string(rune('a'+i))+".xml")] = nil
	}
	lim := Limits{MaxSize: 1 << 20, MaxEntries: 10, MaxUnzipped: 2 << 20, MaxRatio: 200}
	tests := []struct {
		name, file string
		data       []byte
		typ        string // accepted with this type, or
		refusal    string // refused with a message containing this
	}{
		{"pdf", "essay.pdf", pdf, "application/pdf", ""},
		{"png", "photo.PNG", pngBuf.Bytes(), "image/png", ""},
		{"jpeg", "display.jpeg", jpgBuf.Bytes(), "image/jpeg", ""},
		{"text", "notes.txt", []byte("Notes from the review meeting — agreed outcomes."), "text/plain; charset=utf-8", ""},
		{"docx", "A1 essay.docx", word, Kinds[1].Type, ""},
		{"empty", "essay.pdf", nil, "", "essay.pdf is empty"},
		{"too large", "big.pdf", append(pdf, make([]byte, 1<<20)...), "", "larger than 1 MB"},
		{"unknown extension", "run.exe", []byte("MZ"), "", "must be a PDF, Word document (DOCX), JPEG image, PNG image or plain text"},
		{"no extension", "essay", pdf, "", "must be a PDF"},
		{"png called pdf", "essay.pdf", pngBuf.Bytes(), "", "essay.pdf is called a PDF but its content is a PNG image"},
		{"web page called text", "notes.txt", []byte("<html><script>alert(1)</script></html>"), "", "its content is a web page"},
		{"not UTF-8 text", "notes.txt", []byte("caf\xe9 \xff\xfe"), "", "called a plain text"},
		{"zip", "evidence.zip", word, "", "must be a PDF"},
		{"pdf called docx", "essay.docx", pdf, "", "its content is a PDF"},
		{"zip of other files called docx", "essay.docx", docx(t, map[string][]byte{"a.txt": []byte("x")}), "", "archives are not accepted"},
		{"zip in a docx", "essay.docx", docx(t, map[string][]byte{"[Content_Types].xml": nil, "word/document.xml": nil, "inner.zip": []byte("PK")}), "", "archives are not accepted"},
		{"too many parts", "essay.docx", docx(t, many), "", "more than a Word document has (at most 10)"},
		{"zip bomb", "essay.docx", docx(t, map[string][]byte{"[Content_Types].xml": nil, "word/document.xml": make([]byte, 3<<20)}), "", "expands to more than 2 MB"},
		{"damaged docx", "essay.docx", append([]byte("PK\x03\x04"), make([]byte, 40)...), "", "is damaged"},
		{"a path as the name", "../../etc/passwd.txt", []byte("root"), "text/plain; charset=utf-8", ""},
	}
	for _, tt := range tests {
		typ, err := Check(tt.file, tt.data, lim)
		if tt.refusal == "" {
			if err != nil || typ != tt.typ {
				t.Errorf("%s: %q %v, want %q", tt.name, typ, err, tt.typ)
			}
			continue
		}
		r, ok := domain.IsRefusal(err)
		if !ok || r.Field != "file" || !strings.Contains(r.Msg, tt.refusal) {
			t.Errorf("%s: %v, want a refusal with %q", tt.name, err, tt.refusal)
		}
	}
}

func TestDirAndServe(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	d, err := NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var st Store = d
	key := NewKey()
	if !ValidKey(key) || key == NewKey() {
		t.Fatalf("key %q", key)
	}
	if err := st.Put(ctx, key, strings.NewReader("hello")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"../x", "", "ABC", strings.Repeat("a", 31), "aa/../../etc"} {
		if err := st.Put(ctx, bad, strings.NewReader("x")); err == nil {
			t.Errorf("key %q accepted", bad)
		}
		if _, err := st.Open(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("open %q: %v", bad, err)
		}
	}
	if _, err := st.Open(ctx, NewKey()); !errors.Is(err, ErrNotFound) {
		t.Errorf("open missing: %v", err)
	}
	// Nothing but the stored file (no temporary left behind).
	var found []string
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if !info.IsDir() {
			found = append(found, p)
		}
		return nil
	})
	if len(found) != 1 || filepath.Base(found[0]) != key {
		t.Errorf("files in the directory: %v", found)
	}

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/x", nil)
	if err := Serve(rec, req, st, domain.FileMeta{Key: key, Name: `C:\Users\me\Évaluation "final".txt`, Type: "text/plain; charset=utf-8", Size: 5}); err != nil {
		t.Fatal(err)
	}
	h := rec.Result().Header
	body, _ := io.ReadAll(rec.Result().Body)
	if string(body) != "hello" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("served %q with %v", body, h)
	}
	if cd := h.Get("Content-Disposition"); cd != `attachment; filename="_valuation final.txt"; filename*=UTF-8''%C3%89valuation%20final.txt` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if err := st.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Open(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Errorf("open deleted: %v", err)
	}
}

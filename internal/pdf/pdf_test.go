package pdf

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// TestRenderTagged prints a small document and checks the PDF is tagged:
// a structure tree, marked content, and the document's language.
func TestRenderTagged(t *testing.T) {
	r := New("")
	if !r.Available() {
		if os.Getenv("SENCO_REQUIRE_BROWSER") == "1" {
			t.Fatal("SENCO_REQUIRE_BROWSER=1 but no Chromium was found to print PDFs")
		}
		t.Skip("PDF test skipped: install Debian's chromium to run it")
	}
	defer r.Close()
	html := `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Statement</title></head>
		<body><h1>Statement for March 2026</h1><table><caption>Lines</caption><thead><tr><th scope="col">Learner</th><th scope="col">Amount</th></tr></thead>
		<tbody><tr><td>Sam Example</td><td>£300.00</td></tr></tbody></table></body></html>`
	for range 2 { // the second reuses the browser
		out, err := r.Render(context.Background(), []byte(html))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"%PDF-", "/StructTreeRoot", "/MarkInfo", "/Lang"} {
			if !bytes.Contains(out, []byte(want)) {
				t.Errorf("the PDF has no %s", want)
			}
		}
	}
}

func TestUnavailable(t *testing.T) {
	r := &Renderer{}
	if _, err := r.Render(context.Background(), []byte("<p>x</p>")); err != ErrUnavailable {
		t.Errorf("no browser: %v", err)
	}
}

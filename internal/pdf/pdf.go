// Package pdf renders pages of senco as accessible PDF documents:
// statements and certificates people keep, print and read with a screen
// reader. The PDF is printed by Chromium from the page's own HTML, so it
// is tagged (headings, tables and their headers, reading order and the
// document's language come from the markup) — no pure-Go writer here
// makes tagged PDFs. Without a Chromium on the machine the renderer says
// so, and pages offer the CSV and spreadsheet instead.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrUnavailable: there is no browser to print with.
var ErrUnavailable = errors.New("PDF documents are not available: no Chromium on this server")

// Renderer prints HTML to tagged PDF with one headless Chromium, started
// at the first document and kept for the next; it prints one document at
// a time, so a burst of downloads queues instead of starting browsers.
type Renderer struct {
	path string

	mu      sync.Mutex
	browser context.Context
	cancel  func()
}

// New is a renderer using the Chromium at path, or the first of the usual
// places when path is empty. Available says whether one was found.
func New(path string) *Renderer {
	if path == "" {
		for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				path = p
				break
			}
		}
		if path == "" {
			if p, err := exec.LookPath("chromium"); err == nil {
				path = p
			}
		}
	}
	return &Renderer{path: path}
}

// Available reports whether the renderer has a browser to print with.
func (r *Renderer) Available() bool { return r != nil && r.path != "" }

// Render prints a complete HTML document (with its styles inline: the
// browser fetches nothing) to an A4 PDF with tags and an outline.
func (r *Renderer) Render(ctx context.Context, html []byte) ([]byte, error) {
	if !r.Available() {
		return nil, ErrUnavailable
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.start(); err != nil {
		return nil, err
	}
	tab, cancel := chromedp.NewContext(r.browser)
	defer cancel()
	ctx, stop := context.WithTimeout(ctx, 30*time.Second)
	defer stop()
	// Cancel the tab when the request's context ends, too.
	go func() { <-ctx.Done(); cancel() }()
	out, err := r.print(tab, html)
	if err != nil {
		// A browser that died is started afresh next time.
		r.stop()
		return nil, fmt.Errorf("print PDF: %w", err)
	}
	return out, nil
}

// print loads the document into the tab and prints it.
func (r *Renderer) print(tab context.Context, html []byte) ([]byte, error) {
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		return nil, err
	}
	tree, err := chromedp.Call(tab, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(tab, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: string(html)}); err != nil {
		return nil, err
	}
	yes := true
	res, err := chromedp.Call(tab, page.PrintToPDF, page.PrintToPDFParams{PrintBackground: &yes, PreferCSSPageSize: &yes,
		GenerateTaggedPDF: &yes, GenerateDocumentOutline: &yes})
	return res.Data, err
}

func (r *Renderer) start() error {
	if r.browser != nil && r.browser.Err() == nil {
		return nil
	}
	dir, err := os.MkdirTemp("", "senco-pdf-")
	if err != nil {
		return fmt.Errorf("print PDF: %w", err)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(r.path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(dir),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true))
	browser, cancelBrowser := chromedp.NewContext(alloc)
	if err := chromedp.Do(browser); err != nil {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(dir)
		return fmt.Errorf("start %s to print PDF: %w", r.path, err)
	}
	r.browser = browser
	r.cancel = func() { cancelBrowser(); cancelAlloc(); os.RemoveAll(dir) }
	return nil
}

func (r *Renderer) stop() {
	if r.cancel != nil {
		r.cancel()
	}
	r.browser, r.cancel = nil, nil
}

// Close stops the browser, if one was started.
func (r *Renderer) Close() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stop()
}

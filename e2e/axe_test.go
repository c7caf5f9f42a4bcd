package e2e

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// axe-core from npm (see internal/web/static/VERSIONS), injected into each
// page checked.
//
//go:embed testdata/axe.min.js
var axeSource string

// The WCAG levels senco must meet (WCAG 2.2 AA), as axe tags them.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}})
.then(r => ({
  url: location.pathname + location.search,
  violations: r.violations.map(v => ({
    id: v.id,
    impact: v.impact || '',
    help: v.help,
    helpUrl: v.helpUrl,
    count: v.nodes.length,
    nodes: v.nodes.slice(0, 4).map(n => ({
      target: n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)).join(' '),
      html: n.html.length > 200 ? n.html.slice(0, 200) + '…' : n.html,
      summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
    })),
  })),
  incomplete: r.incomplete.map(v => v.id + ' (' + v.nodes.length + ': ' + v.nodes.slice(0, 3).map(n =>
    n.target.join(' ') + ' – ' + (n.failureSummary || '').replace(/\s+/g, ' ').trim()).join('; ') + ')'),
}))`

type axeNode struct {
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Count   int       `json:"count"`
	Nodes   []axeNode `json:"nodes"`
}

type axeResult struct {
	URL        string         `json:"url"`
	Violations []axeViolation `json:"violations"`
	Incomplete []string       `json:"incomplete"`
}

// axeResult runs axe-core on the page shown now with the run script given
// (axeRun, or a variant of it).
func (p *page) axeResult(run string) axeResult {
	p.t.Helper()
	if !eval[bool](p, `typeof window.axe === 'object'`) {
		if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
			p.fatalf("inject axe-core: %v", err)
		}
	}
	res, err := chromedp.Run(p.ctx, chromedp.Evaluate[axeResult](run, chromedp.EvalAwaitPromise))
	if err != nil {
		p.fatalf("run axe-core: %v", err)
	}
	return res
}

// axe runs axe-core on the page shown now and fails the test, listing each
// violation, when it finds any.
func (p *page) axe(label string) {
	p.t.Helper()
	p.axeWith(label, axeRun)
}

// axeWith is axe with the run script given.
func (p *page) axeWith(label, run string) {
	p.t.Helper()
	res := p.axeResult(run)
	if len(res.Incomplete) > 0 {
		p.t.Logf("axe on %s (%s): needs review by a person: %s", label, res.URL, strings.Join(res.Incomplete, ", "))
	}
	if len(res.Violations) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "axe-core found %d WCAG 2.2 AA rule violation(s) on %s (%s):", len(res.Violations), label, res.URL)
	for _, v := range res.Violations {
		fmt.Fprintf(&b, "\n  - %s [%s] %s (%d element(s)) %s", v.ID, v.Impact, v.Help, v.Count, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n      at %s\n         %s", n.Target, n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&b, "\n         %s", n.Summary)
			}
		}
	}
	p.t.Error(b.String())
}

// reflow checks the page shown has no horizontal scroll at the viewport's
// width (WCAG 1.4.10 Reflow at 320 CSS px): wide tables scroll inside their
// own region, so anything that makes the page itself scroll fails the test.
func (p *page) reflow(label string) {
	p.t.Helper()
	type overflow struct {
		ScrollWidth int      `json:"scrollWidth"`
		ClientWidth int      `json:"clientWidth"`
		Culprits    []string `json:"culprits"`
		InTables    bool     `json:"inTables"`
	}
	o := eval[overflow](p, `(() => {
  const de = document.documentElement, w = de.clientWidth;
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
  // The outermost elements that stick out past the right edge.
  const out = [...document.body.querySelectorAll('*')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > w + 1;
  }).filter((e, _, all) => !all.some(a => a !== e && a.contains(e)));
  return {
    scrollWidth: de.scrollWidth, clientWidth: w,
    culprits: out.slice(0, 8).map(describe),
    inTables: out.length > 0 && out.every(e => e.closest('table')),
  };
})()`)
	if o.ScrollWidth <= o.ClientWidth {
		return
	}
	msg := fmt.Sprintf("%s scrolls horizontally at %d px wide (content %d px wide): %s",
		label, o.ClientWidth, o.ScrollWidth, strings.Join(o.Culprits, ", "))
	if o.InTables {
		msg += " (a data table in no scroll region)"
	}
	p.errorf("%s", msg)
}

package e2e

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/chromedp/chromedp"

	"senco/internal/domain"
	"senco/internal/policy"
	"senco/internal/store"
	"senco/internal/store/quality"
)

const iqaEmail = "iqa@demo.senco.example"

// TestQualityJourney walks quality assurance to a certificate anyone can
// check: the IQA finds the demo's open action in its sample and draws and
// reviews a sample of their own; the awarding organisation cannot certify
// the learner while the action is open and is told why; the assessor
// resolves it; the awarding organisation registers a learner from a CSV
// (a bad file first, refused whole), certifies the learner, opens the
// certificate's PDF and reads its text; signed out, the verification page
// shows the certificate as valid, and a made-up code finds nothing.
func TestQualityJourney(t *testing.T) {
	requireBrowser(t)
	a := newApp(t)
	ctx := context.Background()
	national := policy.Scope{Kind: policy.National}
	open, err := quality.ItemList(ctx, a.DB.Reader(), national, quality.ItemFilter{OpenOnly: true})
	if err != nil || len(open) != 1 {
		t.Fatalf("the demo should have one open action: %d, %v", len(open), err)
	}
	held, err := a.DB.Application(ctx, national, open[0].Decision.ApplicationID)
	if err != nil {
		t.Fatal(err)
	}
	p := journeyPage(t, a)

	// The IQA: the demo's sample with its open action, and a sample of their own.
	p.signInAs(a, iqaEmail)
	p.follow(p.link(".govuk-service-navigation", "Quality assurance"))
	p.wantHeading("Quality assurance")
	p.look("01-iqa-quality")
	p.follow(p.css(fmt.Sprintf(`main a[href="/quality/samples/%d"]`, open[0].SampleID)))
	p.wantText("Drawing again from this seed gives the same")
	p.wantText(held.PractitionerName)
	p.look("02-iqa-sample")
	p.open("/quality")
	p.follow(p.css(`main form[action$="/samples"] button`))
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, "Sample drawn") {
		p.errorf("after drawing, the banner says %q", got)
	}
	p.wantText("Drawing again from this seed gives the same")
	p.follow(p.css(`main table a[href^="/quality/items/"]`))
	if h := p.heading(); !strings.HasPrefix(h, "Review ") {
		p.errorf("the outcome page is headed %q", h)
	}
	p.follow(p.link("main form", "Record the outcome"))
	if p.text(".govuk-error-summary") == "" {
		p.errorf("an outcome with no choice was not refused")
	}
	p.pick("outcome", "agree")
	p.follow(p.link("main form", "Record the outcome"))
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, "Agreed with the decision") {
		p.errorf("after agreeing, the banner says %q", got)
	}
	p.look("03-iqa-agreed")
	p.signOut()

	// The awarding organisation is told why the learner cannot be certified.
	p.signInAs(a, aoEmail)
	p.follow(p.link(".govuk-service-navigation", "Register and certify"))
	p.wantHeading("Register and certify")
	p.look("04-ao-queues")
	p.open(fmt.Sprintf("/applications/%d", held.ID))
	p.wantText(held.PractitionerName + " has 1 quality assurance action open")
	if p.exists(fmt.Sprintf(`main a[href="/applications/%d/certify"]`, held.ID)) {
		p.errorf("the certify link is offered while an action is open")
	}
	p.open(fmt.Sprintf("/applications/%d/certify", held.ID))
	p.wantHeading(held.PractitionerName + " cannot be certified yet")
	if p.exists(`main form[action$="/certify"]`) {
		p.errorf("the certify form is offered while an action is open")
	}
	p.signOut()

	// The assessor resolves the action.
	p.signInAs(a, assessorEmail)
	p.follow(p.link(".govuk-service-navigation", "QA actions"))
	p.wantHeading("Quality assurance actions")
	p.look("05-assessor-actions")
	p.follow(p.link("main table", "Resolve the action on "+held.PractitionerName))
	p.follow(p.link("main form", "Resolve the action"))
	if p.text(".govuk-error-summary") == "" {
		p.errorf("a resolution without a note was not refused")
	}
	p.typeInto("note", "The learner signed the observation record; the decision stands")
	p.follow(p.link("main form", "Resolve the action"))
	p.wantText("You have no open actions")
	p.signOut()

	// The awarding organisation registers from a CSV: a bad file is refused whole.
	unreg, err := a.DB.Applications(ctx, national, store.AppFilter{Statuses: domain.Registerable, Unregistered: true, Page: 1, PageSize: 2})
	if err != nil || len(unreg.Applications) < 2 {
		t.Fatalf("learners to register: %v", err)
	}
	r1, r2 := unreg.Applications[0], unreg.Applications[1]
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "registrations.csv")
	writeFile(t, bad, fmt.Sprintf("application_id,learner_number,uln\n%d,E2E-0001,\n%d,E2E-0001,1234567890\n", r1.ID, r2.ID))
	writeFile(t, good, fmt.Sprintf("application_id,learner_number,uln\n%d,E2E-0001,\n", r1.ID))
	p.signInAs(a, aoEmail)
	p.open("/awarding/registrations")
	p.do(chromedp.SetUploadFiles(p.css("#file"), []string{bad}))
	p.follow(p.link("main form", "Register learners"))
	rows := p.tableRows("Problems in bad.csv")
	if len(rows) != 2 || !strings.Contains(rows[0], "3 learner_number") || !strings.Contains(rows[1], "3 uln") {
		p.errorf("the problems of the bad file: %q", rows)
	}
	p.look("06-ao-registrations-refused")
	if a0, _ := a.DB.Application(ctx, national, r1.ID); a0.LearnerNumber != "" {
		p.errorf("a refused file registered %s", a0.PractitionerName)
	}
	p.do(chromedp.SetUploadFiles(p.css("#file"), []string{good}))
	p.follow(p.link("main form", "Register learners"))
	if got := p.text(".govuk-notification-banner"); !strings.Contains(got, "1 learner registered") {
		p.errorf("after the upload, the banner says %q", got)
	}
	if a0, _ := a.DB.Application(ctx, national, r1.ID); a0.LearnerNumber != "E2E-0001" {
		p.errorf("the file did not register %s: %q", a0.PractitionerName, a0.LearnerNumber)
	}

	// Certified now; the certificate's PDF reads as a certificate.
	p.open(fmt.Sprintf("/applications/%d", held.ID))
	p.follow(p.link("main", "Record the certificate"))
	p.wantHeading("Record " + held.PractitionerName + "'s certificate")
	p.look("07-ao-certify")
	p.follow(p.link("main form", "Record certificate"))
	p.wantPath(fmt.Sprintf("/applications/%d?done=certified", held.ID))
	rows = p.tableRows("Certificates issued")
	if len(rows) != 1 || !strings.Contains(rows[0], "Valid") {
		p.fatalf("the certificates: %q", rows)
	}
	p.look("08-ao-certified")
	code := p.text(`main a[href^="/verify/"]`)
	pdfHref := eval[string](p, `document.querySelector('main a[href$="certificate.pdf"]').getAttribute('href')`)
	// The browser fetches the PDF with its session, as a click would.
	data, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`fetch(%s).then(r => r.arrayBuffer()).then(b => { let s = ''; for (const c of new Uint8Array(b)) s += String.fromCharCode(c); return btoa(s) })`,
		jsString(pdfHref)), chromedp.EvalAwaitPromise))
	if err != nil {
		p.fatalf("fetch the certificate PDF: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil || !bytes.HasPrefix(raw, []byte("%PDF-")) {
		p.fatalf("the certificate PDF: %d bytes, %v", len(raw), err)
	}
	for _, tag := range []string{"/StructTreeRoot", "/MarkInfo", "/Lang (en-GB)"} {
		if !bytes.Contains(raw, []byte(tag)) {
			p.errorf("the certificate PDF is not tagged: no %s", tag)
		}
	}
	text := pdfText(raw)
	for _, want := range []string{"Full certificate", held.PractitionerName, "Level 3", code, "Check this certificate"} {
		if !strings.Contains(text, want) {
			p.errorf("the certificate PDF does not say %q; it says %q", want, text)
		}
	}
	p.signOut()

	// Anyone checks it; a made-up code finds nothing.
	p.open("/verify")
	p.wantHeading("Check a certificate")
	p.fill("code", strings.ToLower(strings.ReplaceAll(code, "-", " ")))
	p.follow(p.link("main form", "Check the certificate"))
	p.wantHeading("This certificate is valid")
	details := p.summary()
	if details["Name"] != held.PractitionerName || details["Status"] != "Valid" {
		p.errorf("the verification page shows %v", details)
	}
	p.look("09-verify")
	p.narrowHere("09-verify-320")
	if status := p.open("/verify/ABCD-EFGH-JKMN-PQRS"); status != 404 {
		p.errorf("a made-up code: status %d", status)
	}
	p.wantHeading("No certificate has this code")
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	pdfStream = regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)
	bfChar    = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	bfRange   = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	hexString = regexp.MustCompile(`<([0-9A-Fa-f]+)>`)
	ranges    = regexp.MustCompile(`(?s)beginbfrange(.*?)endbfrange`)
)

// pdfText is the text of a PDF as a screen reader gets it: the glyphs of
// its pages mapped through the fonts' ToUnicode tables. It reads the
// PDFs Chromium prints (two-byte glyph codes), which is all it is for.
func pdfText(pdf []byte) string {
	var streams [][]byte
	for _, m := range pdfStream.FindAllSubmatch(pdf, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(r)
		streams = append(streams, b)
	}
	cmap := map[uint64]string{}
	utf := func(h []byte) string {
		b, _ := hex.DecodeString(string(h))
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return string(utf16.Decode(u))
	}
	for _, s := range streams {
		if !bytes.Contains(s, []byte("beginbfchar")) && !bytes.Contains(s, []byte("beginbfrange")) {
			continue
		}
		for _, r := range ranges.FindAllSubmatch(s, -1) {
			for _, m := range bfRange.FindAllSubmatch(r[1], -1) {
				lo, _ := strconv.ParseUint(string(m[1]), 16, 32)
				hi, _ := strconv.ParseUint(string(m[2]), 16, 32)
				start := []rune(utf(m[3]))
				for c := lo; c <= hi && len(start) == 1; c++ {
					cmap[c] = string(start[0] + rune(c-lo))
				}
			}
		}
		for _, m := range bfChar.FindAllSubmatch(ranges.ReplaceAll(s, nil), -1) {
			c, _ := strconv.ParseUint(string(m[1]), 16, 32)
			cmap[c] = utf(m[2])
		}
	}
	var out strings.Builder
	for _, s := range streams {
		if !bytes.Contains(s, []byte("BT")) {
			continue
		}
		for _, m := range hexString.FindAllSubmatch(s, -1) {
			h := m[1]
			if len(h)%4 != 0 {
				continue
			}
			for i := 0; i < len(h); i += 4 {
				c, _ := strconv.ParseUint(string(h[i:i+4]), 16, 32)
				out.WriteString(cmap[c])
			}
		}
	}
	return out.String()
}

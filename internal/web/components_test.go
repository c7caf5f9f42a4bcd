package web

import (
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The component partials are checked against GOV.UK Frontend's own
// fixtures (testdata/fixtures/<component>.json, copied from
// node_modules/govuk-frontend/dist/govuk/components/<component>/fixtures.json
// by scripts/refresh-frontend.sh). For each chosen fixture the Nunjucks
// options are converted to our flat dict keys, our partial is rendered and
// the result is compared with the fixture's html after whitespace
// normalisation. Fixtures using options our partials do not support are
// simply not listed.

type fxFixture struct {
	Name    string         `json:"name"`
	Options map[string]any `json:"options"`
	HTML    string         `json:"html"`
}

type fxFixtureFile struct {
	Component string      `json:"component"`
	Fixtures  []fxFixture `json:"fixtures"`
}

// parseComponentTemplates parses every partial with templateFuncs.
func fxParseComponents(t *testing.T) *template.Template {
	t.Helper()
	tmpl, err := template.New("components").Funcs(templateFuncs()).ParseFS(templateFS, "templates/components/*.tmpl")
	if err != nil {
		t.Fatalf("parse component templates: %v", err)
	}
	return tmpl
}

func fxLoad(t *testing.T, component string) map[string]fxFixture {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "fixtures", component+".json"))
	if err != nil {
		t.Fatalf("read fixtures: %v", err)
	}
	var f fxFixtureFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("decode fixtures %s: %v", component, err)
	}
	out := make(map[string]fxFixture, len(f.Fixtures))
	for _, fx := range f.Fixtures {
		out[fx.Name] = fx
	}
	return out
}

var (
	fxReSpace       = regexp.MustCompile(`\s+`)
	fxReAroundClose = regexp.MustCompile(`\s*(/?>)\s*`)
	fxReBeforeOpen  = regexp.MustCompile(`\s+<`)
)

// normaliseHTML collapses whitespace, trims it around tags and maps the
// entity spellings of Nunjucks and html/template onto one another.
func fxNormaliseHTML(s string) string {
	s = strings.ReplaceAll(s, "&#34;", "&quot;")
	s = strings.ReplaceAll(s, "&#43;", "+")
	s = fxReSpace.ReplaceAllString(s, " ")
	s = fxReAroundClose.ReplaceAllString(s, "$1")
	s = fxReBeforeOpen.ReplaceAllString(s, "<")
	return strings.TrimSpace(s)
}

// ---- option conversion helpers ----

// get follows a dotted path through nested maps.
func fxGet(m any, p string) any {
	cur := m
	for _, k := range strings.Split(p, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}

// textOrHTML returns m.html as template.HTML, or else m.text.
func fxTextOrHTML(m any) any {
	if h, ok := fxGet(m, "html").(string); ok && h != "" {
		return template.HTML(h)
	}
	return fxGet(m, "text")
}

// spec maps our key to a Nunjucks option path. A path starting with "~"
// takes textOrHTML of the object at the rest of the path ("~" alone: of
// the options themselves).
type fxSpec map[string]string

func fxConvert(opts any, s fxSpec) map[string]any {
	out := map[string]any{}
	for key, p := range s {
		var v any
		switch {
		case p == "~":
			v = fxTextOrHTML(opts)
		case strings.HasPrefix(p, "~"):
			v = fxTextOrHTML(fxGet(opts, p[1:]))
		default:
			v = fxGet(opts, p)
		}
		if v != nil {
			out[key] = v
		}
	}
	return out
}

// convertList converts each map in a list; other entries (null, false,
// "") are kept as they are, so item indexes stay the same.
func fxConvertList(list any, s fxSpec, extra func(item map[string]any, out map[string]any)) []any {
	l, ok := list.([]any)
	if !ok {
		return nil
	}
	out := make([]any, len(l))
	for i, item := range l {
		m, ok := item.(map[string]any)
		if !ok {
			out[i] = item
			continue
		}
		c := fxConvert(m, s)
		if extra != nil {
			extra(m, c)
		}
		out[i] = c
	}
	return out
}

func fxSetIf(out map[string]any, key string, v any) {
	if v != nil {
		out[key] = v
	}
}

// ---- converters, one per component ----

func fxConvButton(o map[string]any) map[string]any {
	return fxConvert(o, fxSpec{
		"text": "~", "href": "href", "type": "type", "name": "name", "value": "value",
		"id": "id", "classes": "classes", "disabled": "disabled", "isStartButton": "isStartButton",
		"preventDoubleClick": "preventDoubleClick", "attributes": "attributes",
	})
}

var fxFieldSpec = fxSpec{
	"label": "~label", "labelClasses": "label.classes", "labelIsPageHeading": "label.isPageHeading",
	"hint": "~hint", "error": "~errorMessage", "formGroupClasses": "formGroup.classes",
	"id": "id", "name": "name", "classes": "classes", "describedBy": "describedBy",
	"attributes": "attributes", "disabled": "disabled", "value": "value",
}

func fxConvInput(o map[string]any) map[string]any {
	out := fxConvert(o, fxFieldSpec)
	for k, v := range fxConvert(o, fxSpec{
		"type": "type", "autocomplete": "autocomplete", "autocapitalize": "autocapitalize",
		"inputmode": "inputmode", "spellcheck": "spellcheck", "pattern": "pattern",
		"prefix": "~prefix", "suffix": "~suffix",
	}) {
		out[k] = v
	}
	return out
}

func fxConvSelect(o map[string]any) map[string]any {
	out := fxConvert(o, fxFieldSpec)
	out["items"] = fxConvertList(o["items"], fxSpec{
		"value": "value", "text": "text", "selected": "selected", "disabled": "disabled", "attributes": "attributes",
	}, nil)
	return out
}

func fxConvChoices(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{
		"name": "name", "idPrefix": "idPrefix", "hint": "~hint", "error": "~errorMessage",
		"classes": "classes", "formGroupClasses": "formGroup.classes", "attributes": "attributes",
		"values": "values", "value": "value",
		"legend": "~fieldset.legend", "legendClasses": "fieldset.legend.classes",
		"legendIsPageHeading": "fieldset.legend.isPageHeading", "fieldsetClasses": "fieldset.classes",
		"describedBy": "describedBy",
	})
	fxSetIf(out, "describedBy", fxGet(o, "fieldset.describedBy"))
	out["items"] = fxConvertList(o["items"], fxSpec{
		"value": "value", "text": "~", "hint": "~hint", "checked": "checked", "disabled": "disabled",
		"id": "id", "name": "name", "labelClasses": "label.classes", "behaviour": "behaviour",
		"divider": "divider", "attributes": "attributes",
	}, func(item, c map[string]any) {
		if h, ok := fxGet(item, "conditional.html").(string); ok && h != "" {
			c["conditional"] = template.HTML(h)
		}
	})
	return out
}

func fxConvDateInput(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{
		"id": "id", "namePrefix": "namePrefix", "hint": "~hint", "error": "~errorMessage",
		"classes": "classes", "formGroupClasses": "formGroup.classes",
		"legend": "~fieldset.legend", "legendClasses": "fieldset.legend.classes",
		"legendIsPageHeading": "fieldset.legend.isPageHeading", "describedBy": "fieldset.describedBy",
	})
	var fields, errorFields []any
	for _, f := range []string{"day", "month", "year"} {
		if v, ok := o[f].(bool); ok && !v {
			continue // e.g. "year": false
		}
		fields = append(fields, f)
		fxSetIf(out, f, fxGet(o, "values."+f))
		if prefix, ok := o["namePrefix"].(string); ok {
			fxSetIf(out, f, fxGet(o, "values."+prefix+"-"+f))
		}
		fxSetIf(out, f, fxGet(o, f+".value"))
		if e, _ := fxGet(o, f+".error").(bool); e {
			errorFields = append(errorFields, f)
		}
	}
	if len(fields) != 3 {
		out["fields"] = fields
	}
	if items, ok := o["items"].([]any); ok && len(items) > 0 {
		if ac, ok := fxGet(items[0], "autocomplete").(string); ok {
			out["autocomplete"] = strings.TrimSuffix(ac, "-day")
		}
	}
	if errorFields != nil {
		out["errorFields"] = errorFields
	}
	return out
}

func fxConvErrorSummary(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{
		"classes": "classes", "attributes": "attributes", "disableAutoFocus": "disableAutoFocus",
	})
	if h, ok := o["titleHtml"].(string); ok {
		out["title"] = template.HTML(h)
	} else {
		fxSetIf(out, "title", o["titleText"])
	}
	if h, ok := o["descriptionHtml"].(string); ok {
		out["description"] = template.HTML(h)
	} else {
		fxSetIf(out, "description", o["descriptionText"])
	}
	out["list"] = fxConvertList(o["errorList"], fxSpec{"text": "~", "href": "href", "attributes": "attributes"}, nil)
	return out
}

// simple components whose text/html become "text".
func fxConvSimple(extra fxSpec) func(map[string]any) map[string]any {
	return func(o map[string]any) map[string]any {
		s := fxSpec{"text": "~", "id": "id", "classes": "classes", "attributes": "attributes"}
		for k, v := range extra {
			s[k] = v
		}
		return fxConvert(o, s)
	}
}

func fxConvFieldset(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{
		"legend": "~legend", "legendClasses": "legend.classes", "legendIsPageHeading": "legend.isPageHeading",
		"classes": "classes", "role": "role", "describedBy": "describedBy", "attributes": "attributes",
	})
	if h, ok := o["html"].(string); ok {
		out["html"] = template.HTML(h)
	}
	return out
}

func fxConvPhaseBanner(o map[string]any) map[string]any {
	return fxConvert(o, fxSpec{
		"text": "~", "tag": "~tag", "tagClasses": "tag.classes", "classes": "classes", "attributes": "attributes",
	})
}

func fxConvHeader(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{
		"serviceUrl": "url", "containerClasses": "containerClasses", "classes": "classes", "attributes": "attributes",
	})
	if h, ok := o["logoHtml"].(string); ok {
		out["serviceName"] = template.HTML(h)
	} else {
		fxSetIf(out, "serviceName", o["logoText"])
	}
	return out
}

func fxConvServiceNavigation(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{
		"serviceName": "serviceName", "serviceUrl": "serviceUrl", "navigationLabel": "navigationLabel",
		"menuButtonText": "menuButtonText", "navigationId": "navigationId", "navigationClasses": "navigationClasses",
		"collapseNavigationOnMobile": "collapseNavigationOnMobile", "ariaLabel": "ariaLabel",
		"classes": "classes", "attributes": "attributes",
	})
	if o["navigation"] != nil {
		out["navigation"] = fxConvertList(o["navigation"], fxSpec{
			"href": "href", "text": "~", "active": "active", "current": "current", "attributes": "attributes",
		}, nil)
	}
	return out
}

func fxConvFooter(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{
		"metaText": "~meta", "metaTitle": "meta.visuallyHiddenTitle", "licence": "~contentLicence",
		"classes": "classes", "containerClasses": "containerClasses", "attributes": "attributes",
	})
	if v, ok := o["contentLicence"]; ok && v == nil {
		out["hideLicence"] = true
	}
	if items := fxGet(o, "meta.items"); items != nil {
		out["meta"] = fxConvertList(items, fxSpec{"href": "href", "text": "text", "attributes": "attributes"}, nil)
	}
	return out
}

var fxActionSpec = fxSpec{
	"href": "href", "text": "~", "visuallyHiddenText": "visuallyHiddenText",
	"classes": "classes", "attributes": "attributes",
}

func fxConvSummaryList(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{
		"classes": "classes", "attributes": "attributes",
		"cardTitle": "~card.title", "cardHeadingLevel": "card.title.headingLevel", "cardClasses": "card.classes",
	})
	if o["card"] != nil {
		out["card"] = true
	}
	if a := fxGet(o, "card.actions.items"); a != nil {
		out["cardActions"] = fxConvertList(a, fxActionSpec, nil)
	}
	out["rows"] = fxConvertList(o["rows"], fxSpec{
		"key": "~key", "value": "~value", "classes": "classes", "keyClasses": "key.classes",
		"valueClasses": "value.classes", "actionsClasses": "actions.classes",
	}, func(row, c map[string]any) {
		if a := fxGet(row, "actions.items"); a != nil {
			c["actions"] = fxConvertList(a, fxActionSpec, nil)
		}
	})
	return out
}

func fxConvTable(o map[string]any) map[string]any {
	cell := fxSpec{
		"text": "~", "format": "format", "classes": "classes", "colspan": "colspan",
		"rowspan": "rowspan", "attributes": "attributes",
	}
	out := fxConvert(o, fxSpec{
		"caption": "caption", "captionClasses": "captionClasses", "firstCellIsHeader": "firstCellIsHeader",
		"classes": "classes", "attributes": "attributes",
	})
	if h := o["head"]; h != nil {
		out["head"] = fxConvertList(h, cell, nil)
	}
	var rows []any
	for _, r := range o["rows"].([]any) {
		if cells, ok := r.([]any); ok {
			rows = append(rows, fxConvertList(cells, cell, nil))
		} else {
			rows = append(rows, r)
		}
	}
	out["rows"] = rows
	return out
}

func fxConvNotificationBanner(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{
		"text": "text", "type": "type", "titleId": "titleId", "titleHeadingLevel": "titleHeadingLevel",
		"role": "role", "disableAutoFocus": "disableAutoFocus", "classes": "classes", "attributes": "attributes",
	})
	if h, ok := o["html"].(string); ok {
		out["html"] = template.HTML(h)
	}
	if h, ok := o["titleHtml"].(string); ok {
		out["title"] = template.HTML(h)
	} else {
		fxSetIf(out, "title", o["titleText"])
	}
	return out
}

func fxConvPagination(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{
		"previousHref": "previous.href", "previousText": "~previous", "previousLabel": "previous.labelText",
		"nextHref": "next.href", "nextText": "~next", "nextLabel": "next.labelText",
		"landmarkLabel": "landmarkLabel", "classes": "classes", "attributes": "attributes",
	})
	if items := o["items"]; items != nil {
		out["items"] = fxConvertList(items, fxSpec{
			"number": "number", "href": "href", "current": "current", "ellipsis": "ellipsis",
			"visuallyHiddenText": "visuallyHiddenText", "attributes": "attributes",
		}, nil)
	}
	return out
}

func fxConvPanel(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{"text": "~", "headingLevel": "headingLevel", "attributes": "attributes"})
	if h, ok := o["titleHtml"].(string); ok {
		out["title"] = template.HTML(h)
	} else {
		fxSetIf(out, "title", o["titleText"])
	}
	if c, ok := o["classes"].(string); ok {
		if strings.Contains(c, "govuk-panel--interruption") {
			out["interruption"] = true
			c = strings.TrimSpace(strings.Replace(c, "govuk-panel--interruption", "", 1))
		}
		if c != "" {
			out["classes"] = c
		}
	}
	return out
}

func fxConvDetails(o map[string]any) map[string]any {
	out := fxConvert(o, fxSpec{"text": "~", "id": "id", "open": "open", "classes": "classes", "attributes": "attributes"})
	if h, ok := o["summaryHtml"].(string); ok {
		out["summary"] = template.HTML(h)
	} else {
		fxSetIf(out, "summary", o["summaryText"])
	}
	return out
}

// footerBrandRE matches what our footer leaves out on purpose: the crown
// and the crest-logo copyright link.
var fxFooterBrandRE = []*regexp.Regexp{
	regexp.MustCompile(`<svg[^>]*class="govuk-footer__crown"[^>]*>.*?</svg>`),
	regexp.MustCompile(`<div class="govuk-footer__meta-item"><a class="govuk-footer__link govuk-footer__copyright-logo"[^>]*>.*?</a></div>`),
}

func fxStripFooterBrand(s string) string {
	for _, re := range fxFooterBrandRE {
		s = re.ReplaceAllString(s, "")
	}
	return s
}

type fxComponentCase struct {
	fixtureFile string // testdata/fixtures/<fixtureFile>.json
	template    string // our partial
	convert     func(map[string]any) map[string]any
	transform   func(string) string // applied to the normalised fixture html
	fixtures    []string
}

// fxComponentCases lists the fixtures checked per component. Left out on
// purpose: fixtures using options the partials do not support (e.g.
// menuButtonLabel, footer navigation, panel actions, fieldset attributes on
// checkboxes/radios, select/date-input "items" overrides), and "attributes"
// fixtures whose attributes are not in alphabetical order (Nunjucks keeps
// insertion order, a Go map cannot; govukAttributes sorts by name).
var fxComponentCases = []fxComponentCase{
	{"button", "govuk/button", fxConvButton, nil, []string{
		"default", "disabled", "link", "start", "secondary", "secondary disabled", "warning",
		"warning disabled", "inverse", "inverse disabled", "attributes", "link attributes", "classes",
		"link classes", "name", "type", "explicit link", "value", "html", "no type",
		"no data-prevent-double-click", "don't prevent double click", "id", "start link",
		"start link with html", "prevent double click",
	}},
	{"input", "govuk/input", fxConvInput, nil, []string{
		"default", "with hint text", "with error message", "with error and hint", "with width-2 class",
		"with width-20 class", "with label as page heading", "with prefix", "with suffix",
		"with prefix and suffix", "with prefix and suffix and error", "with prefix and suffix and width modifier",
		"with extra letter spacing", "classes", "id", "custom type", "value", "zero value", "with describedBy",
		"attributes", "hint with describedBy", "error with describedBy", "with error, hint and describedBy",
		"inputmode", "with prefix with html as text", "with prefix with html", "with suffix with html as text",
		"with suffix with html", "with optional form-group classes", "with autocomplete attribute",
		"with pattern attribute", "with spellcheck enabled", "with spellcheck disabled",
		"with autocapitalize turned off", "disabled",
	}},
	{"hint", "govuk/hint", fxConvSimple(nil), nil, []string{
		"default", "with html", "classes", "id", "html as text", "attributes",
	}},
	{"label", "govuk/label", fxConvSimple(fxSpec{"for": "for", "isPageHeading": "isPageHeading"}), nil, []string{
		"default", "with bold text", "styled as xl text", "as page heading xl", "as page heading l",
		"as page heading without class", "empty", "classes", "html as text", "html", "for", "attributes",
	}},
	{"error-message", "govuk/error-message", fxConvSimple(fxSpec{"visuallyHiddenText": "visuallyHiddenText"}), nil, []string{
		"default", "translated", "id", "classes", "html as text", "html", "attributes",
		"with visually hidden text", "visually hidden text removed",
	}},
	{"fieldset", "govuk/fieldset", fxConvFieldset, nil, []string{
		"default", "styled as xl text", "styled as large text", "as page heading xl", "as page heading l",
		"as page heading without class", "html fieldset content", "with describedBy", "html as text", "html",
		"legend classes", "classes", "role", "attributes",
	}},
	{"select", "govuk/select", fxConvSelect, nil, []string{
		"default", "with hint text and error message", "with label as page heading", "with full width override",
		"with describedBy", "attributes", "attributes on items", "with falsy items", "hint",
		"hint and describedBy", "error", "error and describedBy", "without values",
		"without values with selected value", "with falsy values", "item selected overrides value", "id",
		"with selected value", "with optional form-group classes",
	}},
	{"checkboxes", "govuk/checkboxes", fxConvChoices, nil, []string{
		"default", "with hint", "with pre-checked values", "with divider and None",
		"with divider, None and conditional items", "with hints on items", "with legend as a page heading",
		"with error message", "with very long option text", "with conditional items",
		"with optional form-group classes showing group error", "small", "small with error",
		"small with conditional reveal", "with id and name", "with disabled item", "with idPrefix",
		"with falsy values", "classes", "with fieldset describedBy", "attributes", "with checked item",
		"items with attributes", "empty conditional", "with label classes", "multiple hints",
		"with conditional items with special characters", "with error message and hint",
		"with error, hint and fieldset describedBy",
		"with single option set 'aria-describedby' on input, and describedBy",
		"with single option (and hint) set 'aria-describedby' on input, and describedBy",
		"with error and idPrefix", "with error message and fieldset describedBy", "with conditional item checked",
		"item checked overrides values", "textarea in conditional", "fieldset html params",
	}},
	{"radios", "govuk/radios", fxConvChoices, nil, []string{
		"default", "with hint", "inline", "with legend as page heading", "with a divider", "with hints on items",
		"without fieldset", "with fieldset and error message", "with very long option text",
		"with conditional items", "with conditional item checked", "small", "small with error",
		"with idPrefix", "minimal items and name", "with falsy items", "fieldset with describedBy", "attributes",
		"items with attributes", "with empty conditional", "label with classes", "with hints on parent and items",
		"with describedBy and hint", "with error message", "with error message and idPrefix",
		"with hint and error message", "with hint, error message and describedBy", "fieldset with html",
		"with fieldset, error message and describedBy", "item checked overrides value", "textarea in conditional",
		"with disabled", "prechecked using value", "with conditional items with special characters",
		"with conditional items and pre-checked value",
	}},
	{"date-input", "govuk/date-input", fxConvDateInput, nil, []string{
		"default", "with values", "with values and name prefix", "day and month", "month and year",
		"with errors only", "with error message and hint", "with error on day input", "with error on month input",
		"with error on year input", "classes", "suffixed id", "with field value", "with hint and described by",
		"with error message and described by", "with error on single field", "fieldset html",
		"with optional form-group classes", "with autocomplete values",
	}},
	{"error-summary", "govuk/error-summary", fxConvErrorSummary, nil, []string{
		"default", "without links", "mixed with and without links", "with description only", "with everything",
		"html as titleText", "title html", "description", "html as descriptionText", "description html",
		"classes", "attributes", "error list with attributes", "error list with html as text",
		"error list with html", "error list with html link", "error list with html as text link",
		"autofocus disabled", "autofocus explicitly enabled",
	}},
	{"back-link", "govuk/back-link", fxConvSimple(fxSpec{"href": "href"}), nil, []string{
		"default", "inverse", "classes", "html as text", "html", "with custom text and link",
	}},
	{"phase-banner", "govuk/phase-banner", fxConvPhaseBanner, nil, []string{
		"default", "classes", "text", "html as text", "attributes", "tag html", "tag classes",
	}},
	{"skip-link", "govuk/skip-link", fxConvSimple(fxSpec{"href": "href"}), nil, []string{
		"default", "no href", "custom href", "custom text", "html as text", "html", "classes",
	}},
	{"generic-header", "govuk/header", fxConvHeader, nil, []string{
		"default", "with image logo", "full width", "attributes", "classes", "custom url",
	}},
	{"service-navigation", "govuk/service-navigation", fxConvServiceNavigation, nil, []string{
		"default", "with navigation with a current item", "with large navigation", "with HTML navigation items",
		"with non-link navigation items", "with service name", "with service link", "with long service name",
		"with service name and navigation", "inverse", "with collapseNavigationOnMobile set to false",
		"with a single navigation item", "with a single navigation item and collapseNavigationOnMobile set to true",
		"with no options set", "attributes", "classes", "with custom aria-label",
		"with custom navigation toggle text", "with custom navigation label",
		"with custom navigation toggle text and navigation label", "with custom navigation classes",
		"with custom navigation ID", "with navigation having empty values", "with navigation being an empty array",
		"with navigation with an active item",
	}},
	{"footer", "govuk/footer", fxConvFooter, fxStripFooterBrand, []string{
		"default", "with custom HTML content licence and copyright notice",
		"with custom text content licence and copyright notice", "with no content licence", "with custom meta",
		"with only custom meta", "with meta links and meta content", "with only meta links", "attributes",
		"classes", "with container classes", "with HTML passed as text content", "with meta",
		"meta html as text", "with meta html", "with meta item attributes",
	}},
	{"summary-list", "govuk/summary-list", fxConvSummaryList, nil, []string{
		"default", "with actions", "no-border", "no-border on last row", "extreme",
		"as a summary card with a text header", "as a summary card with a html header",
		"as a summary card with actions", "as a summary card with actions plus summary list actions",
		"as a summary card extreme", "attributes", "with falsy values", "key with html", "key with classes",
		"value with html", "actions href", "actions with html", "actions with classes", "actions with attributes",
		"single action with anchor", "classes on items", "empty items array", "rows with classes",
		"summary card with custom classes", "summary card with only 1 action", "translated", "with some actions",
		"overridden-widths", "as a summary card with a custom header level",
	}},
	{"table", "govuk/table", fxConvTable, nil, []string{
		"default", "with head", "with head and caption", "classes", "attributes", "html as text", "html",
		"head with classes", "head with rowspan and colspan", "head with attributes", "with firstCellIsHeader true",
		"firstCellIsHeader with classes", "firstCellIsHeader with html", "firstCellIsHeader with html as text",
		"firstCellIsHeader with rowspan and colspan", "firstCellIsHeader with attributes", "with falsy items",
		"rows with classes", "rows with rowspan and colspan", "rows with attributes",
		"with small text modifier for tables with a lot of data",
	}},
	{"tag", "govuk/tag", fxConvSimple(nil), nil, []string{
		"default", "grey", "turquoise", "green", "purple", "pink", "red", "orange", "yellow", "attributes",
		"html as text", "html",
	}},
	{"notification-banner", "govuk/notification-banner", fxConvNotificationBanner, nil, []string{
		"default", "with text as html", "with type as success", "with long heading", "with lots of content",
		"custom title", "title as html", "title html as text", "custom title heading level", "custom title id",
		"custom title id with type as success", "custom text", "html as text", "custom role", "classes",
		"attributes", "with invalid type", "auto-focus disabled, with type as success",
		"auto-focus explicitly enabled, with type as success",
		"role=alert overridden to role=region, with type as success", "custom tabindex",
	}},
	{"pagination", "govuk/pagination", fxConvPagination, nil, []string{
		"default", "with custom link and item text", "with many pages", "first page", "last page",
		"with prev and next only", "with prev and next only and labels",
		"with prev and next only and very long labels", "with previous only", "with next only",
		"with custom classes", "with custom attributes", "with custom navigation landmark",
		"with custom accessible labels on item links", "with empty items",
	}},
	{"inset-text", "govuk/inset-text", fxConvSimple(nil), nil, []string{
		"default", "with html", "classes", "id", "html as text", "attributes",
	}},
	{"warning-text", "govuk/warning-text", fxConvSimple(fxSpec{"iconFallbackText": "iconFallbackText"}), nil, []string{
		"default", "multiple lines", "classes", "html", "html as text", "icon fallback text only",
		"no icon fallback text",
	}},
	{"panel", "govuk/panel", fxConvPanel, nil, []string{
		"default", "title html as text", "title html", "body html as text",
		"body html", "classes", "attributes", "title with no body text", "custom heading level",
		"interruption with custom classes", "interruption, no actions",
	}},
	{"details", "govuk/details", fxConvDetails, nil, []string{
		"default", "expanded", "id", "html as text", "html", "summary html as text", "summary html", "classes",
		"with html",
	}},
}

func TestComponentFixtures(t *testing.T) {
	tmpl := fxParseComponents(t)
	for _, cc := range fxComponentCases {
		fixtures := fxLoad(t, cc.fixtureFile)
		for _, name := range cc.fixtures {
			t.Run(cc.fixtureFile+"/"+name, func(t *testing.T) {
				fx, ok := fixtures[name]
				if !ok {
					t.Fatalf("no fixture %q in %s.json", name, cc.fixtureFile)
				}
				params := cc.convert(fx.Options)
				var b strings.Builder
				if err := tmpl.ExecuteTemplate(&b, cc.template, params); err != nil {
					t.Fatalf("execute %s: %v", cc.template, err)
				}
				got := fxNormaliseHTML(b.String())
				want := fxNormaliseHTML(fx.HTML)
				if cc.transform != nil {
					want = cc.transform(want)
				}
				if got != want {
					t.Errorf("%s with %v\n got: %s\nwant: %s\n%s", cc.template, params, got, want, fxFirstDiff(got, want))
				}
			})
		}
	}
}

// firstDiff points at where two strings part.
func fxFirstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-60)
	return "differ at " + strconv.Itoa(i) + ":\n got …" + a[from:min(len(a), i+60)] + "\nwant …" + b[from:min(len(b), i+60)]
}

// Every partial file defines govuk/<file name>, and each listed component
// has a fixture file.
func TestComponentTemplateNames(t *testing.T) {
	tmpl := fxParseComponents(t)
	files, err := fs.Glob(templateFS, "templates/components/*.tmpl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no component templates: %v", err)
	}
	for _, f := range files {
		name := "govuk/" + strings.TrimSuffix(path.Base(f), ".tmpl")
		if tmpl.Lookup(name) == nil {
			t.Errorf("%s does not define %q", f, name)
		}
	}
	tested := map[string]bool{}
	for _, cc := range fxComponentCases {
		tested[cc.template] = true
	}
	for _, f := range files {
		name := "govuk/" + strings.TrimSuffix(path.Base(f), ".tmpl")
		if !tested[name] {
			t.Errorf("%s has no fixture test", name)
		}
	}
}

// The brief's calling convention, with flat keys, works end to end.
func TestComponentCallingConvention(t *testing.T) {
	tmpl := fxParseComponents(t)
	page := `{{template "govuk/input" dict "id" "q" "name" "q" "label" "Search" "value" .Q "error" .Errors.q}}`
	p, err := template.Must(tmpl.Clone()).New("page").Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	data := map[string]any{"Q": `<b>"x"</b>`, "Errors": map[string]string{"q": "Enter a search term"}}
	if err := p.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	got := fxNormaliseHTML(b.String())
	for _, want := range []string{
		`<div class="govuk-form-group govuk-form-group--error">`,
		`<label class="govuk-label" for="q">Search</label>`,
		`<p id="q-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span>Enter a search term</p>`,
		`<input class="govuk-input govuk-input--error" id="q" name="q" type="text" value="&lt;b&gt;&quot;x&quot;&lt;/b&gt;" aria-describedby="q-error">`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s\nin %s", want, got)
		}
	}

	// No error: no error classes or message.
	b.Reset()
	if err := p.Execute(&b, map[string]any{"Q": "", "Errors": map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); strings.Contains(s, "error") || strings.Contains(s, "value=") {
		t.Errorf("unexpected error markup or empty value: %s", s)
	}
}

// The header and footer must not carry the GOV.UK crown or crest.
func TestComponentNoCrown(t *testing.T) {
	tmpl := fxParseComponents(t)
	for _, name := range []string{"govuk/header", "govuk/footer"} {
		var b strings.Builder
		params := map[string]any{
			"serviceName": "Early Years SENCO",
			"navigation":  []any{map[string]any{"href": "/", "text": "Home", "current": true}},
			"meta":        []any{map[string]any{"href": "/cookies", "text": "Cookies"}},
			"copyright":   "© Department for Education",
		}
		if err := tmpl.ExecuteTemplate(&b, name, params); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s := b.String()
		for _, bad := range []string{"crown", "crest", "copyright-logo", "govuk-logo", "GOV.UK"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s output contains %q:\n%s", name, bad, s)
			}
		}
	}
}

func TestComponentFuncs(t *testing.T) {
	if _, err := tmplDict("a"); err == nil {
		t.Error("dict with odd count: no error")
	}
	if _, err := tmplDict(1, "x"); err == nil {
		t.Error("dict with non-string key: no error")
	}
	m, err := tmplDict("a", 1, "b", nil)
	if err != nil || m["a"] != 1 || len(m) != 2 {
		t.Errorf("dict = %v, %v", m, err)
	}
	if !tmplHasKey(m, "a") || tmplHasKey(m, "b") || tmplHasKey(m, "c") || tmplHasKey(nil, "a") {
		t.Error("hasKey wrong")
	}
	if !tmplHasKey(map[string]string{"x": ""}, "x") {
		t.Error("hasKey on map[string]string")
	}
	if l := tmplList(); l == nil || len(l) != 0 {
		t.Errorf("list() = %#v", l)
	}
	if got := tmplItemID("a", 0) + "," + tmplItemID("a", 2); got != "a,a-3" {
		t.Errorf("itemID = %s", got)
	}
	if !tmplContains([]string{"1", "2"}, 2) || tmplContains([]any{1}, "2") || tmplContains(nil, 1) {
		t.Error("contains wrong")
	}
	if !tmplNonEmpty(0) || tmplNonEmpty("") || tmplNonEmpty(nil) {
		t.Error("nonEmpty wrong")
	}
	if tmplHeadingLevel("3", 2) != 3 || tmplHeadingLevel("9", 2) != 2 || tmplHeadingLevel(nil, 1) != 1 {
		t.Error("headingLevel wrong")
	}
	attrs, err := tmplAttributes(map[string]any{"data-b": `x"<`, "aria-hidden": true, "hidden": false, "data-a": 1})
	if err != nil || attrs != ` aria-hidden data-a="1" data-b="x&#34;&lt;"` {
		t.Errorf("attributes = %q, %v", attrs, err)
	}
	for _, bad := range []string{"onclick", "href", "style", "a b", `x"`} {
		if _, err := tmplAttributes(map[string]string{bad: "1"}); err == nil {
			t.Errorf("attribute %q accepted", bad)
		}
	}
	if _, err := tmplAttributes("x"); err == nil {
		t.Error("attributes from a string accepted")
	}
}

func TestComponentStaticHandler(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/static/", StaticHandler())
	cases := []struct {
		path, ctype string
		status      int
	}{
		{"/static/govuk/govuk-frontend.min.css", "text/css; charset=utf-8", 200},
		{"/static/govuk/govuk-frontend.min.js", "text/javascript; charset=utf-8", 200},
		{"/static/favicon.svg", "image/svg+xml", 200},
		{"/static/app.mjs", "text/javascript; charset=utf-8", 200},
		{"/static/govuk/", "", 404},
		{"/static/govuk", "", 404},
		{"/static/", "", 404},
		{"/static/nope.css", "", 404},
		{"/static/../assets.go", "", 307}, // ServeMux cleans the path: a redirect, not the file
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", c.path, nil))
		if rec.Code != c.status {
			t.Errorf("%s: status %d, want %d", c.path, rec.Code, c.status)
			continue
		}
		if c.status != 200 {
			continue
		}
		if got := rec.Header().Get("Content-Type"); got != c.ctype {
			t.Errorf("%s: Content-Type %q, want %q", c.path, got, c.ctype)
		}
		if got := rec.Header().Get("Cache-Control"); got != "public, max-age=3600" {
			t.Errorf("%s: Cache-Control %q", c.path, got)
		}
		if rec.Body.Len() == 0 {
			t.Errorf("%s: empty body", c.path)
		}
	}
}

// The compiled CSS must not use or load GDS Transport, and must point its
// images at /static/govuk/.
func TestComponentVendoredCSS(t *testing.T) {
	css, err := staticFS.ReadFile("static/govuk/govuk-frontend.min.css")
	if err != nil {
		t.Fatal(err)
	}
	s := string(css)
	if strings.Contains(s, "GDS Transport") || strings.Contains(s, "@font-face") {
		t.Error("CSS uses GDS Transport or declares a font face")
	}
	if !strings.Contains(s, "font-family:arial,sans-serif") {
		t.Error("CSS does not use arial")
	}
	urls := regexp.MustCompile(`url\(([^)]*)\)`).FindAllStringSubmatch(s, -1)
	var bad []string
	for _, u := range urls {
		if !strings.HasPrefix(strings.Trim(u[1], `"'`), "/static/govuk/") {
			bad = append(bad, u[1])
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("asset URLs outside /static/govuk/: %v", bad)
	}
	if entries, err := fs.ReadDir(staticFS, "static/govuk"); err == nil {
		for _, e := range entries {
			if e.Name() == "fonts" {
				t.Error("fonts shipped")
			}
		}
	}
}

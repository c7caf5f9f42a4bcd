package web

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"senco/internal/domain"
)

// templateFuncs returns the functions available to every template,
// including the GOV.UK Frontend component partials in
// templates/components. See templates/components/README.md.
//
// General purpose:
//
//	dict k1 v1 k2 v2 ...  -> map[string]any (error on odd count or non-string key)
//	list a b c ...        -> []any
//	hasKey m "k"          -> true if map m has key k with a non-nil value
//
// Helpers used by the component partials (prefixed govuk to avoid clashes):
//
//	govukAttributes m     -> template.HTMLAttr rendering extra attributes
//	govukNonEmpty v       -> v is non-nil and not "" once printed
//	govukIsHTML v         -> v is a template.HTML value
//	govukEq a b           -> a and b print the same (fmt.Sprint)
//	govukContains list v  -> list (slice/array) holds an element printing as v
//	govukJoin a b ...     -> non-empty strings joined with single spaces
//	govukItemID prefix i  -> prefix for i == 0, prefix-(i+1) otherwise
//	govukCapitalize s     -> first letter upper case, rest lower case
//	govukCell v           -> table cell map from a map, string or template.HTML
//	govukHeadingLevel v d -> heading level 1..6 from v, or d when v is unset/invalid
//	govukDateItems m      -> the day/month/year items of a date input
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"dict":            tmplDict,
		"list":            tmplList,
		"hasKey":          tmplHasKey,
		"govukAttributes": tmplAttributes,
		"govukNonEmpty":   tmplNonEmpty,
		"govukIsHTML":     tmplIsHTML,
		"govukEq":         tmplEq,
		"govukContains":   tmplContains,
		"govukJoin":       tmplJoin,
		"govukItemID":     tmplItemID,
		"govukCapitalize": tmplCapitalize,
		// verificationCode writes a certificate's code in groups of four.
		"verificationCode":  domain.FormatVerificationCode,
		"govukCell":         tmplCell,
		"govukHeadingLevel": tmplHeadingLevel,
		"govukDateItems":    tmplDateItems,
		"footerVersion":     footerVersion,
	}
}

// footerVersion is the release shown in the footer, for reporting a
// problem; a build with no release (a developer's) shows none.
func footerVersion(v string) string {
	if v == "" || v == "dev" {
		return ""
	}
	return "Release " + v
}

// tmplDict builds a map from alternating string keys and values.
func tmplDict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments (%d)", len(pairs))
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %d is %T, not string", i/2, pairs[i])
		}
		m[k] = pairs[i+1]
	}
	return m, nil
}

// tmplList returns its arguments as a slice.
func tmplList(items ...any) []any {
	if items == nil {
		return []any{}
	}
	return items
}

// tmplLookup returns the value stored under key in any map with string
// keys, and whether it was there and non-nil.
func tmplLookup(m any, key string) (any, bool) {
	switch mm := m.(type) {
	case nil:
		return nil, false
	case map[string]any:
		v, ok := mm[key]
		return v, ok && v != nil
	case map[string]string:
		v, ok := mm[key]
		return v, ok
	}
	rv := reflect.ValueOf(m)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil, false
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	v := rv.MapIndex(reflect.ValueOf(key).Convert(rv.Type().Key()))
	if !v.IsValid() {
		return nil, false
	}
	if (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && v.IsNil() {
		return nil, false
	}
	return v.Interface(), true
}

// tmplHasKey reports whether m is a map with key present and non-nil.
func tmplHasKey(m any, key string) bool {
	_, ok := tmplLookup(m, key)
	return ok
}

// tmplString prints v the way a template would.
func tmplString(v any) string {
	switch s := v.(type) {
	case nil:
		return ""
	case string:
		return s
	case template.HTML:
		return string(s)
	case fmt.Stringer:
		return s.String()
	}
	return fmt.Sprint(v)
}

// tmplNonEmpty reports whether v is non-nil and prints as a non-empty
// string. Unlike a template's "if", it is true for 0 and false.
func tmplNonEmpty(v any) bool {
	if v == nil {
		return false
	}
	rv := reflect.ValueOf(v)
	if (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) && rv.IsNil() {
		return false
	}
	return tmplString(v) != ""
}

// tmplIsHTML reports whether v is trusted HTML (template.HTML).
func tmplIsHTML(v any) bool {
	_, ok := v.(template.HTML)
	return ok
}

// tmplEq compares two values by their printed form, so that 2, 2.0 and
// "2" are all equal. nil equals nothing.
func tmplEq(a, b any) bool {
	if a == nil || b == nil {
		return false
	}
	return tmplString(a) == tmplString(b)
}

// tmplContains reports whether list (a slice or array) holds an element
// that prints the same as v.
func tmplContains(list any, v any) bool {
	if list == nil || v == nil {
		return false
	}
	rv := reflect.ValueOf(list)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return tmplEq(list, v)
	}
	want := tmplString(v)
	for i := 0; i < rv.Len(); i++ {
		e := rv.Index(i).Interface()
		if e != nil && tmplString(e) == want {
			return true
		}
	}
	return false
}

// tmplJoin joins the non-empty printed forms of its arguments with a space.
func tmplJoin(parts ...any) string {
	var out []string
	for _, p := range parts {
		if s := strings.TrimSpace(tmplString(p)); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}

// tmplItemID follows GOV.UK Frontend: the first item of a checkboxes or
// radios group gets the plain prefix (so an error summary can link to it),
// later ones get prefix-N where N counts from 1.
func tmplItemID(prefix any, index int) string {
	p := tmplString(prefix)
	if index == 0 {
		return p
	}
	return p + "-" + strconv.Itoa(index+1)
}

// tmplCapitalize upper-cases the first letter and lower-cases the rest,
// like Nunjucks' capitalize filter.
func tmplCapitalize(v any) string {
	s := tmplString(v)
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + strings.ToLower(s[size:])
}

// tmplCell turns a table cell into a map: maps are returned as they are
// (converted to map[string]any), anything else becomes {"text": v}.
func tmplCell(v any) map[string]any {
	switch c := v.(type) {
	case map[string]any:
		return c
	case nil:
		return map[string]any{}
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String {
		m := make(map[string]any, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			m[iter.Key().String()] = iter.Value().Interface()
		}
		return m
	}
	return map[string]any{"text": v}
}

// tmplHeadingLevel returns v as a heading level between 1 and 6, or def
// when v is unset or out of range. The result is a plain int, so it is
// safe to print inside a tag name (<h{{$level}}>).
func tmplHeadingLevel(v any, def int) int {
	n, err := strconv.Atoi(tmplString(v))
	if err != nil || n < 1 || n > 6 {
		return def
	}
	return n
}

// tmplAttributeNameOK accepts ordinary attribute names and refuses the
// ones that carry URLs, scripts or styles, which html/template would
// otherwise have to sanitise.
func tmplAttributeNameOK(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		ok := r == '-' || r == '_' || r == ':' || r == '.' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "on") {
		return false
	}
	switch lower {
	case "href", "src", "srcset", "srcdoc", "action", "formaction", "style",
		"xlink:href", "data", "codebase", "background", "poster", "cite", "ping":
		return false
	}
	return true
}

// tmplErrBadAttributes is returned for an attributes value that is not a map.
var tmplErrBadAttributes = errors.New("govukAttributes: want a map with string keys")

// tmplAttributes renders a map of extra attributes as ` name="value"`
// pairs, sorted by name. true renders the bare name, false and nil are
// left out, anything else is printed and HTML-escaped. Names that are
// not plain attribute names, event handlers (on*), style and URL-valued
// attributes (href, src, action, ...) are refused with an error.
func tmplAttributes(m any) (template.HTMLAttr, error) {
	if m == nil {
		return "", nil
	}
	rv := reflect.ValueOf(m)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return "", tmplErrBadAttributes
	}
	keys := make([]string, 0, rv.Len())
	for _, k := range rv.MapKeys() {
		keys = append(keys, k.String())
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		if !tmplAttributeNameOK(k) {
			return "", fmt.Errorf("govukAttributes: attribute %q is not allowed", k)
		}
		v, _ := tmplLookup(m, k)
		switch val := v.(type) {
		case nil:
			continue
		case bool:
			if !val {
				continue
			}
			b.WriteString(" " + k)
			continue
		}
		b.WriteString(" " + k + `="` + html.EscapeString(tmplString(v)) + `"`)
	}
	return template.HTMLAttr(b.String()), nil
}

// tmplDateItems works out the inputs of a date input from its params:
// fields (default day, month, year), the values under "day", "month" and
// "year", namePrefix, id, error and errorFields, and autocomplete.
//
// When error is set and errorFields is empty every input is highlighted,
// as in GOV.UK Frontend; otherwise only the listed fields are.
func tmplDateItems(params map[string]any) []map[string]any {
	fields := []string{"day", "month", "year"}
	if f, ok := params["fields"]; ok && f != nil {
		rv := reflect.ValueOf(f)
		if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
			fields = fields[:0:0]
			for i := 0; i < rv.Len(); i++ {
				fields = append(fields, tmplString(rv.Index(i).Interface()))
			}
		}
	}
	id := tmplString(params["id"])
	prefix := tmplString(params["namePrefix"])
	errFields := params["errorFields"]
	anyFieldError := false
	if errFields != nil {
		rv := reflect.ValueOf(errFields)
		anyFieldError = (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array) && rv.Len() > 0
	}
	hasMessage := tmplNonEmpty(params["error"])
	autocomplete := tmplString(params["autocomplete"])

	items := make([]map[string]any, 0, len(fields))
	for _, name := range fields {
		width := "2"
		if name == "year" {
			width = "4"
		}
		classes := "govuk-date-input__input"
		if (anyFieldError && tmplContains(errFields, name)) || (!anyFieldError && hasMessage) {
			classes += " govuk-input--error"
		}
		classes += " govuk-input--width-" + width
		fullName := name
		if prefix != "" {
			fullName = prefix + "-" + name
		}
		item := map[string]any{
			"id":      id + "-" + name,
			"name":    fullName,
			"label":   tmplCapitalize(name),
			"value":   params[name],
			"classes": classes,
		}
		if autocomplete != "" {
			item["autocomplete"] = autocomplete + "-" + name
		}
		items = append(items, item)
	}
	return items
}

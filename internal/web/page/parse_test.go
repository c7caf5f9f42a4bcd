package page

import (
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
)

func pageSet(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"templates/layout.tmpl":          {Data: []byte(`{{define "layout"}}<main>{{template "content" .}}</main>{{end}}`)},
		"templates/components/hint.tmpl": {Data: []byte(`{{define "govuk/hint"}}<div>{{.text}}</div>{{end}}`)},
	}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// TestParseRefusesMissingPartials: a page, or a partial it uses, that names
// a template no file defines fails at start-up, wherever the call hides.
func TestParseRefusesMissingPartials(t *testing.T) {
	for _, c := range []struct {
		name    string
		files   map[string]string
		missing string // "" when the set is sound
	}{
		{"sound", map[string]string{"templates/pages/home.tmpl": `{{define "content"}}{{template "govuk/hint" .}}{{end}}`}, ""},
		{"page", map[string]string{"templates/pages/home.tmpl": `{{define "content"}}{{template "govuk/nope" .}}{{end}}`}, "govuk/nope"},
		{"in if", map[string]string{"templates/pages/home.tmpl": `{{define "content"}}{{if .}}x{{else}}{{template "nope" .}}{{end}}{{end}}`}, "nope"},
		{"in range", map[string]string{"templates/pages/home.tmpl": `{{define "content"}}{{range .}}{{template "nope" .}}{{else}}none{{end}}{{end}}`}, "nope"},
		{"in with", map[string]string{"templates/pages/home.tmpl": `{{define "content"}}{{with .}}{{template "nope" .}}{{end}}{{end}}`}, "nope"},
		{"in a partial", map[string]string{
			"templates/components/broken.tmpl": `{{define "govuk/broken"}}{{template "govuk/gone" .}}{{end}}`,
			"templates/pages/home.tmpl":        `{{define "content"}}ok{{end}}`,
		}, "govuk/gone"},
		{"no content", map[string]string{"templates/pages/home.tmpl": `{{define "other"}}x{{end}}`}, `"content"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			pages, err := Parse(pageSet(c.files), template.FuncMap{})
			if c.missing == "" {
				if err != nil || pages["home"] == nil {
					t.Fatalf("Parse = %v, %v; want the home page", pages, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.missing) || !strings.Contains(err.Error(), "home.tmpl") {
				t.Fatalf("Parse error = %v, want one naming home.tmpl and %s", err, c.missing)
			}
		})
	}
}

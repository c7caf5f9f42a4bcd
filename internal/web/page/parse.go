package page

import (
	"fmt"
	"html/template"
	"io/fs"
	"sort"
	"strings"
	"text/template/parse"
)

// Parse parses the page templates of fsys: the partials in
// templates/components and templates/layout.tmpl shared by every page, and
// one set per templates/pages/NAME.tmpl, keyed by NAME.
//
// It fails, at start-up rather than in front of a user, when a page or a
// partial names a template that no file defines: html/template parses
// {{template "nope"}} happily and would only fail while rendering.
func Parse(fsys fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	base, err := template.New("base").Funcs(funcs).ParseFS(fsys, "templates/components/*.tmpl", "templates/layout.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	names, err := fs.Glob(fsys, "templates/pages/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		b, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone templates for %s: %w", n, err)
		}
		t, err := b.ParseFS(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("page %s does not define \"content\"", n)
		}
		if missing := undefined(t); len(missing) > 0 {
			return nil, fmt.Errorf("page %s names templates no file defines: %s", n, strings.Join(missing, ", "))
		}
		pages[strings.TrimSuffix(strings.TrimPrefix(n, "templates/pages/"), ".tmpl")] = t
	}
	return pages, nil
}

// undefined lists, sorted, the names that {{template}} actions in t's set
// call but that the set does not define.
func undefined(t *template.Template) []string {
	defined := map[string]bool{}
	for _, d := range t.Templates() {
		if d.Tree != nil && d.Tree.Root != nil {
			defined[d.Name()] = true
		}
	}
	missing := map[string]bool{}
	for _, d := range t.Templates() {
		if d.Tree == nil {
			continue
		}
		walk(d.Tree.Root, func(name string) {
			if !defined[name] {
				missing[name] = true
			}
		})
	}
	out := make([]string, 0, len(missing))
	for name := range missing {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// walk calls called with the name of every {{template}} action under n.
func walk(n parse.Node, called func(string)) {
	switch n := n.(type) {
	case nil:
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, called)
		}
	case *parse.TemplateNode:
		called(n.Name)
	case *parse.IfNode:
		walk(n.List, called)
		walk(n.ElseList, called)
	case *parse.RangeNode:
		walk(n.List, called)
		walk(n.ElseList, called)
	case *parse.WithNode:
		walk(n.List, called)
		walk(n.ElseList, called)
	}
}

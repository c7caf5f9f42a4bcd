package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// staticFS holds the vendored GOV.UK Frontend build (static/govuk/, see
// static/VERSIONS and scripts/refresh-frontend.sh) and the service's own
// static files.
//
//go:embed static
var staticFS embed.FS

// templateFS holds the html/template files: components/*.tmpl (the
// GOV.UK Frontend partials), the layout and the pages.
//
//go:embed templates
var templateFS embed.FS

// staticCacheControl is short because the asset names carry no version or
// hash: a refreshed GOV.UK Frontend must reach browsers within the hour.
const staticCacheControl = "public, max-age=3600"

// staticContentTypes are set explicitly, since Go's built-in table (and
// the machine's mime.types) may lack some of them.
var staticContentTypes = map[string]string{
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".webmanifest": "application/manifest+json",
	".json":        "application/json",
	".txt":         "text/plain; charset=utf-8",
}

// StaticHandler serves the embedded static files. Mount it at /static/:
//
//	mux.Handle("GET /static/", web.StaticHandler())
//
// so that /static/govuk/govuk-frontend.min.css is served from
// static/govuk/govuk-frontend.min.css. Directories are not listed (404).
func StaticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		// Cannot happen: "static" is embedded above.
		panic(err)
	}
	files := http.FileServerFS(sub)
	return http.StripPrefix("/static", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" || name == "." || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		info, err := fs.Stat(sub, name)
		if err != nil || info.IsDir() {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		if ct, ok := staticContentTypes[strings.ToLower(path.Ext(name))]; ok {
			h.Set("Content-Type", ct)
		}
		h.Set("Cache-Control", staticCacheControl)
		h.Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	}))
}

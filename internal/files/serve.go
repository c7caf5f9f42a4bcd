package files

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"senco/internal/domain"
)

// Serve writes a stored file as a download: the type it was checked as,
// the user's file name only in Content-Disposition (quoted and RFC 5987
// encoded), and nosniff so a browser never reinterprets it.
func Serve(w http.ResponseWriter, r *http.Request, st Store, f domain.FileMeta) error {
	rc, err := st.Open(r.Context(), f.Key)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", f.Type)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	if f.Size > 0 {
		h.Set("Content-Length", fmt.Sprint(f.Size))
	}
	h.Set("Content-Disposition", disposition(f.Name))
	if _, err := io.Copy(w, rc); err != nil {
		return fmt.Errorf("serve file: %w", err)
	}
	return nil
}

func disposition(name string) string {
	name = DisplayName(name)
	ascii := strings.Map(func(r rune) rune {
		if r > 0x7e || r == '\\' {
			return '_'
		}
		return r
	}, name)
	v := `attachment; filename="` + ascii + `"`
	if ascii != name {
		// The UTF-8 name as well (RFC 5987), for the browsers that read it.
		v += "; filename*=UTF-8''" + attrEncode(name)
	}
	return v
}

// attrEncode percent-encodes every byte outside RFC 5987's attr-char.
func attrEncode(s string) string {
	const ok = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(ok, c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

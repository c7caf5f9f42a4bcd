package page

import (
	"encoding/base64"
	"net/http"
	"unicode/utf8"
)

// A flash is the one-line confirmation a form's redirect shows on the next
// page ("Erin Smith's application is now eligible"). It travels in a
// cookie that lives for a minute and is read once, not in the URL: words
// in a query string would let anyone's link put a sentence of their choice
// into a success banner on senco's own pages.
const flashCookie = "senco_flash"

// maxFlash bounds the message kept, in bytes (cookies are small).
const maxFlash = 600

// RedirectFlash redirects (303) to path, showing msg there once.
func (s *Site) RedirectFlash(w http.ResponseWriter, r *http.Request, path, msg string) {
	for len(msg) > maxFlash {
		_, n := utf8.DecodeLastRuneInString(msg)
		msg = msg[:len(msg)-n]
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// TakeFlash returns the message RedirectFlash left for this page, if any,
// and clears it so a reload does not show it again.
func (s *Site) TakeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || !utf8.Valid(b) {
		return ""
	}
	return string(b)
}

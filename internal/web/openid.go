package web

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"senco/internal/auth"
	"senco/internal/openid"
	"senco/internal/store"
	"senco/internal/web/page"
)

// Sign-in through an OpenID Connect provider, beside local accounts. The
// provider says who someone is; senco says whether they may come in: only
// a person whose verified email address is that of an account already
// invited (by `senco user add` or an administrator) is signed in, with the
// role that account was given. No account is ever made on first sign-in.

// openIDCookie keeps one attempt's state, nonce and PKCE verifier (and
// where the user was going) between senco and the provider's callback.
const openIDCookie = "senco_openid"

const openIDPath = "/sign-in/openid"

func (s *Server) openIDStart(w http.ResponseWriter, r *http.Request) error {
	c := s.cfg.OpenID
	if c == nil {
		return page.ErrNotFound
	}
	to, a, err := c.Begin(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "openid sign-in could not start", "err", err)
		return s.openIDFailed(w, r, "Sign-in with "+c.Name()+" is not available at the moment. Try again later, or sign in with your email address and password.")
	}
	next := auth.SafeNext(r.URL.Query().Get("next"))
	value := strings.Join([]string{a.State, a.Nonce, a.Verifier, base64.RawURLEncoding.EncodeToString([]byte(next))}, ".")
	http.SetCookie(w, &http.Cookie{Name: openIDCookie, Value: value, Path: openIDPath, MaxAge: 600,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) openIDCallback(w http.ResponseWriter, r *http.Request) error {
	c := s.cfg.OpenID
	if c == nil {
		return page.ErrNotFound
	}
	ctx := r.Context()
	http.SetCookie(w, &http.Cookie{Name: openIDCookie, Value: "", Path: openIDPath, MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		s.log.WarnContext(ctx, "openid sign-in refused by the provider", "error", e, "description", q.Get("error_description"))
		return s.openIDFailed(w, r, "Sign-in with "+c.Name()+" did not finish. Try again, or sign in with your email address and password.")
	}
	a, next, ok := readAttempt(r)
	if !ok || subtle.ConstantTimeCompare([]byte(a.State), []byte(q.Get("state"))) != 1 {
		// No cookie (it expired, or the link was opened in another
		// browser) or a state that is not this browser's: a forged or
		// stale callback is never followed.
		return s.openIDFailed(w, r, "This sign-in link has expired or was not started in this browser. Start again.")
	}
	id, err := c.Finish(ctx, a, q.Get("code"))
	switch {
	case errors.Is(err, openid.ErrUnverified):
		s.log.WarnContext(ctx, "openid sign-in with an unverified email", "email", id.Email, "subject", id.Subject)
		return s.openIDFailed(w, r, c.Name()+" has not verified your email address, so senco cannot match it to an account.")
	case err != nil:
		s.log.ErrorContext(ctx, "openid sign-in failed", "err", err)
		return s.openIDFailed(w, r, "Sign-in with "+c.Name()+" did not finish. Try again, or sign in with your email address and password.")
	}
	u, _, err := s.db.UserByEmail(ctx, id.Email)
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && !u.DisabledAt.IsZero()):
		s.log.WarnContext(ctx, "openid sign-in with no invited account", "email", id.Email, "subject", id.Subject)
		return s.openIDFailed(w, r, "There is no senco account for "+id.Email+". Ask your organisation's senco administrator to invite you with this email address.")
	case err != nil:
		return err
	}
	return s.startSession(w, r, u, next, "openid")
}

func readAttempt(r *http.Request) (openid.Attempt, string, bool) {
	ck, err := r.Cookie(openIDCookie)
	if err != nil {
		return openid.Attempt{}, "", false
	}
	parts := strings.Split(ck.Value, ".")
	if len(parts) != 4 || parts[0] == "" {
		return openid.Attempt{}, "", false
	}
	next, err := base64.RawURLEncoding.DecodeString(parts[3])
	if err != nil {
		return openid.Attempt{}, "", false
	}
	return openid.Attempt{State: parts[0], Nonce: parts[1], Verifier: parts[2]}, auth.SafeNext(string(next)), true
}

// openIDFailed shows the sign-in page with what went wrong; the password
// form stays there as the way in.
func (s *Server) openIDFailed(w http.ResponseWriter, r *http.Request, msg string) error {
	f := s.newSignInForm("")
	f.Fail("openid", msg)
	return s.site.RenderStatus(w, r, http.StatusForbidden, "sign-in", "Sign in", f)
}

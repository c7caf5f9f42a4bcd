package web

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/web/page"
)

const sessionCookie = "senco_session"

type session struct {
	hash string
	user domain.User
}

// withSession loads the user of the session cookie, if it is live, and
// slides the idle expiry now and then (not on every request: that would
// make every page view a write).
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		hash := auth.HashToken(c.Value)
		u, last, err := s.db.SessionUser(r.Context(), hash, s.sessionLimits())
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				s.log.ErrorContext(r.Context(), "load session", "err", err)
			}
			s.clearCookie(w)
			next.ServeHTTP(w, r)
			return
		}
		if time.Since(last) > 5*time.Minute {
			if err := s.db.TouchSession(r.Context(), hash, s.sessionLimits()); err != nil {
				s.log.ErrorContext(r.Context(), "touch session", "err", err)
			}
		}
		ctx := page.WithUser(r.Context(), u)
		ctx = context.WithValue(ctx, keySession, session{hash: hash, user: u})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requireUser sends anyone not signed in to the sign-in page, remembering
// where they were going.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := page.CurrentUser(r); !ok {
			to := "/sign-in"
			if r.Method == http.MethodGet {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sessionLimits are the configured limits, which the store enforces.
func (s *Server) sessionLimits() store.SessionLimits {
	return store.SessionLimits{Idle: s.cfg.SessionIdle, Max: s.cfg.SessionMax}
}

func (s *Server) setCookie(w http.ResponseWriter, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

type signInForm struct {
	Email string
	Next  string
	// OpenID names the OpenID Connect provider offered beside the
	// password form ("" when none is configured), and OpenIDStart the
	// address that starts it, keeping where the user was going.
	OpenID, OpenIDStart string
	page.Form
}

func (s *Server) newSignInForm(next string) signInForm {
	f := signInForm{Next: auth.SafeNext(next)}
	if s.cfg.OpenID != nil {
		f.OpenID, f.OpenIDStart = s.cfg.OpenID.Name(), openIDPath
		if f.Next != "" {
			f.OpenIDStart += "?next=" + url.QueryEscape(f.Next)
		}
	}
	return f
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) error {
	if _, ok := page.CurrentUser(r); ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.site.Render(w, r, "sign-in", "Sign in", s.newSignInForm(r.URL.Query().Get("next")))
}

// clientAddress is where the request came from, believing
// X-Forwarded-For only from the configured proxies.
func (s *Server) clientAddress(r *http.Request) netip.Addr {
	return auth.ClientAddress(r, s.cfg.TrustedProxies)
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f := s.newSignInForm(r.PostFormValue("next"))
	f.Email = strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	f.Check(f.Email != "", "email", "Enter your email address")
	f.Check(password != "", "password", "Enter your password")
	if !f.Valid() {
		return s.site.RenderForm(w, r, "sign-in", "Sign in", f)
	}
	emailKey := "email:" + strings.ToLower(f.Email)
	addrKey := "addr:" + auth.SourceKey(s.clientAddress(r))
	wait, why, err := s.cfg.Throttle.Wait(ctx, s.db, s.db.Now(), addrKey, emailKey)
	if err != nil {
		return err
	}
	if wait > 0 {
		s.log.WarnContext(ctx, "sign-in throttled", "reason", why, "address", s.clientAddress(r).String(), "email", strings.ToLower(f.Email), "wait", wait)
		f.Fail("email", auth.WaitMessage(wait))
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		return s.site.RenderStatus(w, r, http.StatusTooManyRequests, "sign-in", "Sign in", f)
	}
	u, hash, err := s.db.UserByEmail(ctx, f.Email)
	ok := false
	switch {
	case err == nil && u.DisabledAt.IsZero():
		ok, err = s.cfg.Hasher.Verify(ctx, hash, password)
		if err != nil {
			return err
		}
	case err == nil, errors.Is(err, store.ErrNotFound):
		// Hash anyway so that a wrong email takes as long as a wrong password.
		_, _ = s.cfg.Hasher.Hash(ctx, password)
	default:
		return err
	}
	if !ok {
		for _, k := range []string{emailKey, addrKey} {
			if err := s.db.RecordSignInFailure(ctx, k, s.cfg.Throttle.Window); err != nil {
				return err
			}
		}
		f.Fail("email", "Enter a correct email address and password")
		return s.site.RenderForm(w, r, "sign-in", "Sign in", f)
	}
	if err := s.db.ClearSignInFailures(ctx, emailKey); err != nil {
		return err
	}
	return s.startSession(w, r, u, f.Next, "password")
}

// startSession signs u in: a new session, its audit entry (saying how
// they signed in), the cookie, and the page they were going to.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u domain.User, next, method string) error {
	ctx := r.Context()
	secret, tokenHash, err := auth.NewToken("")
	if err != nil {
		return err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateSession(ctx, tokenHash, u.ID, s.sessionLimits()); err != nil {
			return err
		}
		var after any // a password sign-in's entry stays as it always was
		if method != "password" {
			after = map[string]string{"method": method}
		}
		return tx.Audit(ctx, domain.ActorOf(u), "sign_in", "user", page.Itoa(u.ID), nil, after)
	})
	if err != nil {
		return err
	}
	s.setCookie(w, secret, s.cfg.SessionMax)
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if sess, ok := r.Context().Value(keySession).(session); ok {
		if err := s.db.DeleteSession(r.Context(), sess.hash); err != nil {
			return err
		}
	}
	s.clearCookie(w)
	http.Redirect(w, r, "/sign-in?signed_out=1", http.StatusSeeOther)
	return nil
}

package assurance

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/store/quality"
	"senco/internal/web/page"
)

// The public verification page: anyone with a certificate's code sees the
// learner's name, the qualification, the date and whether the certificate
// stands — nothing else. Codes are 80 random bits, and lookups are limited
// per client, so the page cannot be used to list certificates.

// Limiter allows each client a burst of lookups that refills steadily.
type Limiter struct {
	mu      sync.Mutex
	burst   float64
	perSec  float64
	clients map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter allows burst lookups at once and perMinute after.
func NewLimiter(burst, perMinute int) *Limiter {
	return &Limiter{burst: float64(burst), perSec: float64(perMinute) / 60, clients: map[string]*bucket{}, now: time.Now}
}

// Allow takes one lookup from the client's allowance.
func (l *Limiter) Allow(client string) bool {
	if l == nil {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.clients[client]
	if !ok {
		// Forget full buckets now and then, so the map stays small.
		if len(l.clients) > 10000 {
			for k, v := range l.clients {
				if v.tokens+now.Sub(v.at).Seconds()*l.perSec >= l.burst {
					delete(l.clients, k)
				}
			}
		}
		b = &bucket{tokens: l.burst, at: now}
		l.clients[client] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.perSec)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type verifyData struct {
	Code     string
	Found    bool
	Searched bool
	C        domain.Award
	page.Form
}

// VerifyForm asks for a code; a code given in the query goes to its page.
func (s *Handlers) VerifyForm(w http.ResponseWriter, r *http.Request) error {
	noIndex(w)
	raw := r.URL.Query().Get("code")
	if raw == "" {
		return s.Render(w, r, "qa-verify", "Check a certificate", verifyData{})
	}
	d := verifyData{Code: raw}
	code, ok := domain.NormaliseVerificationCode(raw)
	if !ok {
		d.Fail("code", "Enter the verification code as printed on the certificate: 16 letters and numbers, for example ABCD-EFGH-JKMN-PQRS")
		return s.RenderForm(w, r, "qa-verify", "Check a certificate", d)
	}
	http.Redirect(w, r, "/verify/"+url.PathEscape(domain.FormatVerificationCode(code)), http.StatusSeeOther)
	return nil
}

// Verify answers for one code.
func (s *Handlers) Verify(w http.ResponseWriter, r *http.Request) error {
	noIndex(w)
	d := verifyData{Code: r.PathValue("code"), Searched: true}
	if !s.Lookups.Allow(clientOf(r)) {
		w.Header().Set("Retry-After", "60")
		d.Fail("code", "Too many certificates were checked from your connection. Wait a minute and try again")
		return s.RenderStatus(w, r, http.StatusTooManyRequests, "qa-verify", "Check a certificate", d)
	}
	code, ok := domain.NormaliseVerificationCode(d.Code)
	if ok {
		c, err := quality.CertificateByCode(r.Context(), s.DB.Reader(), code)
		switch {
		case err == nil:
			d.C, d.Found, d.Code = c, true, domain.FormatVerificationCode(code)
			return s.Render(w, r, "qa-verify", "Certificate "+d.Code, d)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	return s.RenderStatus(w, r, http.StatusNotFound, "qa-verify", "No certificate found", d)
}

func noIndex(w http.ResponseWriter) {
	w.Header().Set("X-Robots-Tag", "noindex")
	w.Header().Set("Cache-Control", "no-store")
}

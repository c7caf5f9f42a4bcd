package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"senco/internal/api"
	"senco/internal/auth"
	"senco/internal/files"
	"senco/internal/notify"
	"senco/internal/openid"
	"senco/internal/pdf"
	"senco/internal/store"
	"senco/internal/web"
)

// shutdownGrace is how long requests in flight get to finish on SIGINT or
// SIGTERM.
const shutdownGrace = 20 * time.Second

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "serve", "[flags]", "Run the web service and the JSON API (/api/v1/). The database schema is brought up to date first.\nStops gracefully on SIGINT or SIGTERM.")
	addr := fs.String("addr", envOr(e, "SENCO_ADDR", "127.0.0.1:8080"), "address to listen on (env SENCO_ADDR)")
	dbURL := dbFlag(fs, e, "SENCO_DB", "sqlite:senco.db")
	secure := fs.Bool("secure-cookies", envBool(e, "SENCO_SECURE_COOKIES"), "mark cookies Secure: set when served over HTTPS, as in production (env SENCO_SECURE_COOKIES)")
	proxies := fs.String("trusted-proxies", envOr(e, "SENCO_TRUSTED_PROXIES", ""), "addresses or CIDR prefixes of the proxies in front, whose X-Forwarded-For names the client, e.g. 127.0.0.1 (env SENCO_TRUSTED_PROXIES)")
	metricsAddr := fs.String("metrics-addr", envOr(e, "SENCO_METRICS_ADDR", ""), "serve /metrics on this address only, e.g. 127.0.0.1:9090, and not on --addr (env SENCO_METRICS_ADDR)")
	var oid openid.Config
	fs.StringVar(&oid.Issuer, "openid-issuer", envOr(e, "SENCO_OPENID_ISSUER", ""), "offer sign-in through this OpenID Connect provider, beside passwords (env SENCO_OPENID_ISSUER)")
	fs.StringVar(&oid.ClientID, "openid-client-id", envOr(e, "SENCO_OPENID_CLIENT_ID", ""), "senco's client id at the provider (env SENCO_OPENID_CLIENT_ID; the secret only from env SENCO_OPENID_CLIENT_SECRET)")
	fs.StringVar(&oid.RedirectURL, "openid-redirect-url", envOr(e, "SENCO_OPENID_REDIRECT_URL", ""), "the callback registered with the provider: https://HOST/sign-in/openid/callback (env SENCO_OPENID_REDIRECT_URL)")
	fs.StringVar(&oid.Name, "openid-name", envOr(e, "SENCO_OPENID_NAME", ""), "the provider's name on the sign-in button (env SENCO_OPENID_NAME)")
	mail := addFileAndMailFlags(fs, e, "senco-files")
	pos, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := want(pos, 0, ""); err != nil {
		return err
	}
	oid.ClientSecret = envOr(e, "SENCO_OPENID_CLIENT_SECRET", "")
	if oid.Issuer != "" && (oid.ClientID == "" || oid.RedirectURL == "") {
		return usagef("--openid-issuer needs --openid-client-id and --openid-redirect-url")
	}
	trusted, err := auth.ParsePrefixes(*proxies)
	if err != nil {
		return usagef("--trusted-proxies: %v", err)
	}
	log := newLogger(e)
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	return serveHTTP(ctx, log, db, newHasher(), server{addr: *addr, metricsAddr: *metricsAddr, trustedProxies: trusted, secureCookies: *secure, openID: oid, files: mail.files(), ready: func(url string) {
		log.Info("senco is listening", "url", url, "version", versionString(), "database", string(db.Dialect))
	}})
}

// openIDClient is the configured provider's client, or nil for none.
func openIDClient(c openid.Config) *openid.Client {
	if !c.Enabled() {
		return nil
	}
	return openid.New(c)
}

// newHasher bounds concurrent password hashing (64 MiB each) near the core
// count.
func newHasher() *auth.Hasher { return auth.NewHasher(auth.DefaultParams, max(2, runtime.NumCPU())) }

// server is how to serve.
type server struct {
	addr           string
	metricsAddr    string // "": /metrics on addr
	trustedProxies []netip.Prefix
	secureCookies  bool
	demoUsers      []web.DemoUser
	files          fileAndMail
	ready          func(url string) // called once listening
	metricsReady   func(url string) // called once the metrics address is listening
	openID         openid.Config
}

// serveHTTP serves the web service and the API until ctx ends or the
// process gets SIGINT or SIGTERM, then shuts down gracefully.
func serveHTTP(ctx context.Context, log *slog.Logger, db *store.DB, h *auth.Hasher, o server) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	reg := prometheus.NewRegistry()
	// Statements print as accessible PDF where the machine has Chromium.
	printer := pdf.New(os.Getenv("SENCO_CHROMIUM"))
	defer printer.Close()
	// serve and demo always name a directory (--files); without one (an
	// embedding that serves no uploads) web keeps files in a temporary one.
	var fileStore files.Store
	if o.files.dir != "" {
		dir, err := files.NewDir(o.files.dir)
		if err != nil {
			return err
		}
		fileStore = dir
	}
	if o.files.smtp != "" {
		// Notifications go by mail as well as into the outbox people read in
		// the service; a mail server that is down delays them, never loses them.
		mailer := notify.New(db, notify.SMTP{Addr: o.files.smtp, From: o.files.from}, log)
		go mailer.Run(ctx)
	}
	w, err := web.New(web.Config{
		DB:               db,
		Hasher:           h,
		Log:              log,
		API:              api.New(db, log).Handler(),
		SecureCookies:    o.secureCookies,
		Version:          versionString(),
		DemoUsers:        o.demoUsers,
		Registry:         reg,
		MetricsElsewhere: o.metricsAddr != "",
		TrustedProxies:   o.trustedProxies,
		PDF:              printer,
		OpenID:           openIDClient(o.openID),
		Files:            fileStore,
		MailConfigured:   o.files.smtp != "",
	})
	if err != nil {
		return err
	}
	if o.metricsAddr != "" {
		// Metrics on their own address, which a deployment keeps off the
		// public network: they say how busy the service is and where.
		mln, err := net.Listen("tcp", o.metricsAddr)
		if err != nil {
			return fmt.Errorf("metrics address: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		go ms.Serve(mln)
		defer ms.Close()
		log.Info("metrics are served on their own address", "url", urlOf(mln.Addr())+"metrics")
		if o.metricsReady != nil {
			o.metricsReady(urlOf(mln.Addr()))
		}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           w.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads of a whole register
		WriteTimeout:      5 * time.Minute, // large exports
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if o.ready != nil {
		o.ready(urlOf(ln.Addr()))
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal ends the process at once
	log.Info("shutting down: finishing requests in flight", "grace", shutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// urlOf is the address to open in a browser.
func urlOf(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String() + "/"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

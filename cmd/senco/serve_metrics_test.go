package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"senco/internal/auth"
)

// TestServeMetricsAddr serves with --metrics-addr: /metrics answers there
// and not on the service's own address. Without it, /metrics stays on the
// service's address.
func TestServeMetricsAddr(t *testing.T) {
	get := func(url string) (int, string) {
		t.Helper()
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	db, err := openDB(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "senco.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log := newLogger(&env{stderr: io.Discard, getenv: func(string) string { return "" }})
	for _, separate := range []bool{true, false} {
		ctx, cancel := context.WithCancel(context.Background())
		o := server{addr: "127.0.0.1:0"}
		var metricsURL string
		if separate {
			o.metricsAddr = "127.0.0.1:0"
			o.metricsReady = func(url string) { metricsURL = url }
		}
		o.ready = func(url string) {
			defer cancel()
			get(url + "sign-in") // one request to count
			code, body := get(url + "metrics")
			if !separate {
				if code != 200 || !strings.Contains(body, "senco_http_requests_total") {
					t.Errorf("/metrics on the service's address without --metrics-addr: %d", code)
				}
				return
			}
			if code != http.StatusNotFound || strings.Contains(body, "senco_http_requests_total") {
				t.Errorf("/metrics on the service's address with --metrics-addr: %d", code)
			}
			code, body = get(metricsURL + "metrics")
			if code != 200 || !strings.Contains(body, `senco_http_requests_total{code="200",method="GET",route="GET /sign-in"}`) {
				t.Errorf("/metrics on the metrics address: %d\n%.500s", code, body)
			}
		}
		if err := serveHTTP(ctx, log, db, auth.NewHasher(auth.FastParams, 1), o); err != nil {
			t.Fatal(err)
		}
	}
}

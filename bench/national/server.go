package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"senco/internal/api"
	"senco/internal/auth"
	"senco/internal/domain"
	"senco/internal/store"
	"senco/internal/web"
)

// server is senco's real handler on 127.0.0.1 behind a handler that times
// each request exactly.
type server struct {
	base   string
	hs     *http.Server
	client *http.Client
	mu     sync.Mutex
	sink   map[string]*results // by the request's X-Bench-Kind
}

const kindHeader = "X-Bench-Kind"

func startServer(db *store.DB, clients int) (*server, error) {
	srv, err := web.New(web.Config{
		DB: db, Hasher: auth.NewHasher(auth.DefaultParams, 2),
		// The default limit (20 requests a second per token) would answer
		// most of a 50-client load with 429.
		API: api.New(db, nil, api.WithRateLimit(0, 0)).Handler(),
	})
	if err != nil {
		return nil, err
	}
	s := &server{sink: map[string]*results{}}
	inner := srv.Handler()
	timed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		inner.ServeHTTP(w, r)
		d := time.Since(start)
		s.mu.Lock()
		res := s.sink[r.Header.Get(kindHeader)]
		s.mu.Unlock()
		if res != nil {
			res.add(start, d)
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.hs = &http.Server{Handler: timed, ReadHeaderTimeout: 10 * time.Second}
	go s.hs.Serve(ln)
	s.base = "http://" + ln.Addr().String()
	s.client = &http.Client{Timeout: 300 * time.Second, Transport: &http.Transport{
		MaxIdleConns: clients, MaxIdleConnsPerHost: clients, DisableCompression: true,
	}}
	return s, nil
}

func (s *server) close() { s.hs.Close() }

// record sends the server times of requests of kind to res.
func (s *server) record(kind string, res *results) {
	s.mu.Lock()
	s.sink[kind] = res
	s.mu.Unlock()
}

// credential is how a request signs in: a session cookie or an API token.
type credential struct {
	cookie, token string
}

// get asks for path and reads the whole answer; the time it returns is
// the client's (the server's own is recorded by the wrapping handler).
func (s *server) get(ctx context.Context, kind, path string, cr credential) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set(kindHeader, kind)
	if cr.token != "" {
		req.Header.Set("Authorization", "Bearer "+cr.token)
	} else {
		req.AddCookie(&http.Cookie{Name: "senco_session", Value: cr.cookie})
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return body, fmt.Errorf("%s: %s", path, resp.Status)
	}
	return body, nil
}

var actor = domain.OperatorActor("bench-national")

// signIn makes a live session (as the sign-in page would) and an API
// token (as the tokens page would) for an existing user.
func signIn(ctx context.Context, db *store.DB, userID int64) (cookie, token string, err error) {
	var hash, tokenHash string
	if cookie, hash, err = auth.NewToken(""); err != nil {
		return "", "", err
	}
	if token, tokenHash, err = auth.NewToken("senco_"); err != nil {
		return "", "", err
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateSession(ctx, hash, userID, store.SessionLimits{Idle: 6 * time.Hour, Max: 12 * time.Hour}); err != nil {
			return err
		}
		_, err := tx.CreateAPIToken(ctx, actor, userID, "bench-national", tokenHash, tx.Now().Add(24*time.Hour))
		return err
	})
	return cookie, token, err
}

// laOfficer returns the id of an LA officer of the authority, made (in the
// authority's organisation) the first time.
func laOfficer(ctx context.Context, db *store.DB, bare *sql.DB, code string) (int64, error) {
	email := strings.ToLower("la-officer." + code + "@bench.senco.example")
	if id, err := scalar[int64](ctx, bare, `SELECT id FROM users WHERE email = $1`, email); err == nil {
		return id, nil
	}
	orgs, err := db.Organisations(ctx)
	if err != nil {
		return 0, err
	}
	var org domain.Organisation
	for _, o := range orgs {
		if o.Kind == domain.OrgLA && o.LACode == code {
			org = o
		}
	}
	if org.ID == 0 {
		return 0, fmt.Errorf("no organisation for the authority %s", code)
	}
	var u domain.User
	err = db.InTx(ctx, func(tx *store.Tx) error {
		u, err = tx.CreateUser(ctx, actor, domain.User{Email: email, Name: "LA officer (bench)", Role: domain.RoleLAOfficer, Org: org}, "not-a-password-hash")
		return err
	})
	return u.ID, err
}

// pair is one kind of request measured through the server and bare.
type pair struct {
	name       string
	http, bare *results
	// request asks the server once; query runs the bare SQL once.
	request func(context.Context) error
	query   func(context.Context) error
}

// Package openid signs people in through an OpenID Connect provider, as
// the Department's own sign-in services work: the authorisation code flow
// with PKCE, a state and a nonce, the ID token checked against the
// provider's published keys. It says who the provider vouches for (a
// verified email address); whether that person may use senco is for the
// caller to decide, against the accounts it has invited.
package openid

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config names the provider and senco's registration with it.
type Config struct {
	Issuer       string // e.g. https://signin.example.gov.uk
	ClientID     string
	ClientSecret string
	RedirectURL  string // senco's callback: https://HOST/sign-in/oidc/callback
	Name         string // shown on the button: "Sign in with NAME"
}

// Enabled reports whether a provider is configured.
func (c Config) Enabled() bool { return c.Issuer != "" && c.ClientID != "" }

// Client is senco's side of the flow. The provider's metadata is fetched
// on first use, not at start-up, so senco starts while the provider is
// down and signs people in once it is back.
type Client struct {
	cfg  Config
	http *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
}

// New is a client for cfg.
func New(cfg Config) *Client {
	if cfg.Name == "" {
		cfg.Name = "your organisation's account"
	}
	return &Client{cfg: cfg, http: &http.Client{Timeout: 10 * time.Second}}
}

// Name is what the sign-in button calls the provider.
func (c *Client) Name() string { return c.cfg.Name }

func (c *Client) discover(ctx context.Context) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, c.http), c.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("openid provider %s: %w", c.cfg.Issuer, err)
	}
	c.provider = p
	return p, nil
}

func (c *Client) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, RedirectURL: c.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
	}
}

// Attempt is one sign-in under way: the secrets the browser keeps (in a
// cookie only senco's callback reads) until the provider sends it back.
type Attempt struct {
	State, Nonce, Verifier string
}

// Begin starts a sign-in: the address to send the browser to, and the
// attempt to keep for the callback.
func (c *Client) Begin(ctx context.Context) (string, Attempt, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return "", Attempt{}, err
	}
	a := Attempt{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
	return c.oauth(p).AuthCodeURL(a.State, oidc.Nonce(a.Nonce), oauth2.S256ChallengeOption(a.Verifier)), a, nil
}

// Identity is who the provider vouches for.
type Identity struct {
	Subject string
	Email   string
}

// ErrUnverified is a provider that does not vouch for the email address.
var ErrUnverified = errors.New("the provider has not verified this email address")

// Finish exchanges the code the provider sent back for tokens, checks the
// ID token (signature, issuer, audience, expiry, nonce) and returns the
// verified email address, from the token or else from the provider's
// userinfo endpoint.
func (c *Client) Finish(ctx context.Context, a Attempt, code string) (Identity, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	ctx = oidc.ClientContext(ctx, c.http)
	conf := c.oauth(p)
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(a.Verifier))
	if err != nil {
		return Identity{}, fmt.Errorf("exchanging the code: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return Identity{}, errors.New("the provider sent no ID token")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID}).Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("checking the ID token: %w", err)
	}
	if idt.Nonce != a.Nonce {
		return Identity{}, errors.New("the ID token was not made for this sign-in (nonce)")
	}
	var claims struct {
		Email    string `json:"email"`
		Verified *bool  `json:"email_verified"`
	}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("reading the ID token: %w", err)
	}
	if claims.Email == "" || claims.Verified == nil {
		info, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return Identity{}, fmt.Errorf("asking the provider who signed in: %w", err)
		}
		if info.Subject != idt.Subject {
			return Identity{}, errors.New("the provider's userinfo is for someone else")
		}
		claims.Email, claims.Verified = info.Email, &info.EmailVerified
	}
	if claims.Email == "" || claims.Verified == nil || !*claims.Verified {
		return Identity{Subject: idt.Subject, Email: claims.Email}, ErrUnverified
	}
	return Identity{Subject: idt.Subject, Email: strings.TrimSpace(claims.Email)}, nil
}

func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

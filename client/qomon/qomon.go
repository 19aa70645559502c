// Package qomon is roster's Qomon client: it implements client.Provider
// and client.ConditionalTeamWriter on the REST API described in
// the project's API reference (shared/api/qomon.md) (roles, users, invitations, teams) through
// client/rest. The token selects the space, so the org arguments of the
// Provider methods are ignored.
package qomon

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/rest"
)

// Kind names the provider, in profiles and on the command line.
const Kind = "qomon"

// DefaultURL is the hosted service (no version prefix).
const DefaultURL = "https://incoming.qomon.app"

// Pacing: at most 5 requests per second per token (api §2.5), with a
// small burst so a single command's first requests are not delayed.
const (
	paceRate  = 5
	paceBurst = 5
)

// NormalizeURL checks a server URL and returns its one canonical form:
// scheme and host (plus any path prefix) with no trailing slash. Plain
// http is allowed only for loopback hosts.
func NormalizeURL(raw string) (string, error) {
	u, err := rest.CheckURL(raw)
	if err != nil {
		return "", err
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	u.Host = strings.ToLower(u.Host)
	return u.String(), nil
}

// Client talks to one Qomon space with one token. It is safe for
// concurrent use.
type Client struct {
	client.Unsupported
	rc   *rest.Client
	pace *rest.Limiter // shared by every Client of this server and token

	mu         sync.Mutex
	roles      []client.Role // cached GET /roles; a fresh read replaces it
	teamIDPath bool          // PATCH /teams was missing; PATCH /teams/{id} worked
}

var (
	_ client.Provider              = (*Client)(nil)
	_ client.ConditionalTeamWriter = (*Client)(nil)
)

// New builds a client for cfg.URL ("" = DefaultURL).
func New(cfg client.Config) (*Client, error) {
	return newClient(cfg, nil, nil)
}

// newClient lets tests replace the pacing and the retry sleep.
func newClient(cfg client.Config, pace *rest.Limiter, sleep func(context.Context, time.Duration) error) (*Client, error) {
	raw := cfg.URL
	if strings.TrimSpace(raw) == "" {
		raw = DefaultURL
	}
	base, err := NormalizeURL(raw)
	if err != nil {
		return nil, fmt.Errorf("Qomon URL: %w", err)
	}
	version := cfg.Version
	if version == "" {
		version = "dev"
	}
	if pace == nil {
		pace = limiterFor(base, cfg.Token)
	}
	rc, err := rest.New(rest.Config{
		BaseURL:     base + "/",
		Token:       cfg.Token,
		AuthScheme:  "Bearer",
		UserAgent:   "roster/" + version,
		HTTPClient:  cfg.HTTPClient,
		Timeout:     cfg.Timeout,
		MaxBody:     cfg.MaxBody,
		Debug:       cfg.Debug,
		DecodeError: DecodeError,
		Pace:        pace,
		Sleep:       sleep,
	})
	if err != nil {
		return nil, err
	}
	return &Client{Unsupported: client.Unsupported{Provider: Kind}, rc: rc, pace: pace}, nil
}

// limiters holds one pacing bucket per server and token, so that every
// Client of one token (a command, the TUI, apply) shares the budget.
var (
	limitersMu sync.Mutex
	limiters   = map[[32]byte]*rest.Limiter{}
)

func limiterFor(base, token string) *rest.Limiter {
	key := sha256.Sum256([]byte(base + "\x00" + token)) // never keep the token itself
	limitersMu.Lock()
	defer limitersMu.Unlock()
	l := limiters[key]
	if l == nil {
		l = rest.NewLimiter(paceRate, paceBurst)
		limiters[key] = l
	}
	return l
}

// Kind names the provider.
func (c *Client) Kind() string { return Kind }

// Can reports what the Qomon API can do (api §5).
func (c *Client) Can(cp client.Capability) bool {
	switch cp {
	case client.CapUserRole, client.CapMemberRole, client.CapTeamCreate,
		client.CapTeamRename, client.CapTeamMembers, client.CapTeamLeaders,
		client.CapTeamPrivate, client.CapInvitations:
		return true
	}
	return false
}

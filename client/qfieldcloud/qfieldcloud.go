// Package qfieldcloud is roster's QFieldCloud client: it implements
// client.Provider on the REST API described in the project's API reference (shared/api/qfieldcloud.md)
// (users, organizations, members, teams) through client/rest.
package qfieldcloud

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/rest"
)

// Kind names the provider, in profiles and on the command line.
const Kind = "qfieldcloud"

// DefaultURL is the hosted service.
const DefaultURL = "https://app.qfield.cloud/api/v1/"

const apiSuffix = "/api/v1"

// NormalizeURL accepts a server URL with or without the trailing /api/v1/
// (and with or without a final slash) and returns it ending in exactly one
// "/api/v1/". Plain http is allowed only for loopback hosts.
func NormalizeURL(raw string) (string, error) {
	u, err := rest.CheckURL(raw)
	if err != nil {
		return "", err
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, apiSuffix) {
		p += apiSuffix
	}
	u.Path = p + "/"
	u.RawPath = ""
	return u.String(), nil
}

// Client talks to one QFieldCloud server with one token. It is safe for
// concurrent use.
type Client struct {
	client.Unsupported
	rc       *rest.Client
	username string // signed-in account, from the config or auth/user/

	mu sync.Mutex // guards username once looked up

	projectNames sync.Map // project id → OWNER/NAME, from reads, for messages
}

var _ client.Provider = (*Client)(nil)

// New builds a client. The token may be empty for a client only used to
// log in; every other call then fails with ErrUnauthenticated.
func New(cfg client.Config) (*Client, error) {
	rc, err := newREST(cfg)
	if err != nil {
		return nil, err
	}
	return &Client{Unsupported: client.Unsupported{Provider: Kind}, rc: rc, username: cfg.Username}, nil
}

func newREST(cfg client.Config) (*rest.Client, error) {
	raw := cfg.URL
	if strings.TrimSpace(raw) == "" {
		raw = DefaultURL
	}
	base, err := NormalizeURL(raw)
	if err != nil {
		return nil, fmt.Errorf("QFieldCloud URL: %w", err)
	}
	version := cfg.Version
	if version == "" {
		version = "dev"
	}
	return rest.New(rest.Config{
		BaseURL:    base,
		Token:      cfg.Token,
		AuthScheme: "Token",
		// The User-Agent sets the token's client type: "cli" keeps a new
		// login from expiring the person's QField or QGIS tokens (api §2.4).
		UserAgent:   "cli|roster|" + version,
		HTTPClient:  cfg.HTTPClient,
		Timeout:     cfg.Timeout,
		MaxBody:     cfg.MaxBody,
		Debug:       cfg.Debug,
		DecodeError: DecodeError,
	})
}

// Kind names the provider.
func (c *Client) Kind() string { return Kind }

// Can reports what the QFieldCloud API can do.
func (c *Client) Can(cp client.Capability) bool {
	switch cp {
	case client.CapPasswordLogin, client.CapServerLogout, client.CapUserSearch,
		client.CapOrganizations, client.CapMemberAdd, client.CapMemberRemove,
		client.CapMemberRole, client.CapMemberPublic, client.CapTeamCreate,
		client.CapTeamRename, client.CapTeamDelete, client.CapTeamMembers,
		client.CapOneTeamPerUser, client.CapProjects:
		return true
	}
	return false
}

// seg escapes one path segment. Every route ends with a slash (api §1).
func seg(s string) string { return url.PathEscape(s) }

// addressable refuses a name the API cannot reach: the server stores team
// names with "/" (and team accounts are "@org/team"), but Django routes
// the decoded path, so even an escaped "/" splits the route and the
// answer is an HTML 404 that would wrongly blame the server URL.
func addressable(what, kind, name, hint string) error {
	if !strings.Contains(name, "/") {
		return nil
	}
	return fmt.Errorf("%s: %s %q contains \"/\": QFieldCloud's API cannot address such a name (%s): %w", what, kind, name, hint, client.ErrUnsupported)
}

const slashTeamHint = "the server decodes %2F before routing; rename or delete the team in QFieldCloud's web admin"

func path(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p)
		b.WriteByte('/')
	}
	return b.String()
}

// me returns the signed-in username, asking auth/user/ once.
func (c *Client) me(ctx context.Context) (string, error) {
	c.mu.Lock()
	name := c.username
	c.mu.Unlock()
	if name != "" {
		return name, nil
	}
	u, err := c.CurrentUser(ctx)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.username = u.Username
	c.mu.Unlock()
	return u.Username, nil
}

// Roles lists the three organization roles; they are fixed by the server.
func (c *Client) Roles(context.Context) ([]client.Role, error) {
	return []client.Role{
		{ID: "admin", Name: "admin", Order: 1, Description: "manages members and teams (the owner is always admin)"},
		{ID: "creator", Name: "creator", Order: 2, Description: "may also create organization projects; no member rights"},
		{ID: "member", Name: "member", Order: 3, Description: "takes part in the organization's projects"},
	}, nil
}

// validRole reports whether r is one of the server's roles (case-sensitive).
func validRole(r string) bool { return r == "admin" || r == "creator" || r == "member" }

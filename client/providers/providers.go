// Package providers is the registry of the services roster manages. Each
// kind is described once, here: its name, default URL, the environment
// variables that carry its token and URL, how to open its client and, when
// it has CapPasswordLogin, how to sign in with a password. Everything that
// needs to know which providers exist (config, the session layer, the
// command line, the TUI's sign-in screen) asks this package.
package providers

import (
	"context"
	"fmt"
	"strings"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/client/qomon"
)

// Kind names, as written in profiles and on the command line.
const (
	QFieldCloud = qfieldcloud.Kind
	Qomon       = qomon.Kind
)

// Info is what roster knows about a provider kind before any client exists.
type Info struct {
	Kind       string
	DefaultURL string
	TokenEnv   string // environment variable holding a token
	URLEnv     string // environment variable holding the base URL
	// PasswordLogin is set when the kind has client.CapPasswordLogin: a
	// username (or e-mail) and password are exchanged for a token.
	// Otherwise people sign in with a token (an API key).
	PasswordLogin bool
}

// entry is one registered kind: its description and its constructors.
type entry struct {
	Info
	open      func(client.Config) (client.Provider, error)
	normalize func(string) (string, error)
	login     func(context.Context, client.Config, string, string) (client.Session, error)
}

var registry = []entry{
	{
		Info: Info{Kind: QFieldCloud, DefaultURL: qfieldcloud.DefaultURL,
			TokenEnv: "QFIELDCLOUD_TOKEN", URLEnv: "QFIELDCLOUD_URL", PasswordLogin: true},
		open: func(cfg client.Config) (client.Provider, error) {
			c, err := qfieldcloud.New(cfg)
			if err != nil {
				return nil, err
			}
			return c, nil
		},
		normalize: qfieldcloud.NormalizeURL,
		login:     qfieldcloud.Login,
	},
	{
		Info: Info{Kind: Qomon, DefaultURL: qomon.DefaultURL,
			TokenEnv: "QOMON_TOKEN", URLEnv: "QOMON_URL"},
		open: func(cfg client.Config) (client.Provider, error) {
			c, err := qomon.New(cfg)
			if err != nil {
				return nil, err
			}
			return c, nil
		},
		normalize: qomon.NormalizeURL,
	},
}

// Kinds lists every provider kind, in the order shown to people.
func Kinds() []string {
	out := make([]string, len(registry))
	for i, e := range registry {
		out[i] = e.Kind
	}
	return out
}

// All describes every provider kind, in the order shown to people.
func All() []Info {
	out := make([]Info, len(registry))
	for i, e := range registry {
		out[i] = e.Info
	}
	return out
}

// Lookup describes the provider of the given kind (exact, lower case).
func Lookup(kind string) (Info, bool) {
	e, ok := find(kind)
	return e.Info, ok
}

func find(kind string) (entry, bool) {
	for _, e := range registry {
		if e.Kind == kind {
			return e, true
		}
	}
	return entry{}, false
}

// Open builds the provider client of the given kind. Callers outside the
// session layer (internal/session) get a bare client: no read-only guard,
// no audit log.
func Open(kind string, cfg client.Config) (client.Provider, error) {
	e, ok := find(kind)
	if !ok {
		return nil, unknown(kind)
	}
	return e.open(cfg)
}

// NormalizeURL checks and normalises a base URL for the given kind; ""
// gives the provider's default URL.
func NormalizeURL(kind, raw string) (string, error) {
	e, ok := find(kind)
	if !ok {
		return "", unknown(kind)
	}
	if strings.TrimSpace(raw) == "" {
		raw = e.DefaultURL
	}
	return e.normalize(raw)
}

// Login exchanges a username (or e-mail) and password for a token, on a
// kind with client.CapPasswordLogin; other kinds answer ErrUnsupported.
func Login(ctx context.Context, kind string, cfg client.Config, username, password string) (client.Session, error) {
	e, ok := find(kind)
	if !ok {
		return client.Session{}, unknown(kind)
	}
	if e.login == nil {
		return client.Session{}, fmt.Errorf("signing in to %s with a password: it signs in with an API key (token): %w", kind, client.ErrUnsupported)
	}
	return e.login(ctx, cfg, username, password)
}

func unknown(kind string) error {
	return fmt.Errorf("unknown provider %q (known: %s): %w", kind, strings.Join(Kinds(), ", "), client.ErrBadInput)
}

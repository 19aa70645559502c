package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/providers"
	"github.com/roster-cli/roster/config"
	"github.com/roster-cli/roster/tui"
)

// session is a provider opened for the chosen profile.
type session struct {
	profile config.Profile
	source  config.Source
	prov    client.Provider
}

// configDir resolves (once) where config.toml lives.
func (a *app) configDir() (string, error) {
	if a.cfgDir != "" {
		return a.cfgDir, nil
	}
	dir, err := config.Dir(a.f.Getenv)
	if err != nil {
		return "", fmt.Errorf("finding the configuration directory: %w", err)
	}
	a.cfgDir = dir
	return dir, nil
}

// config loads config.toml (once); a missing file is an empty config.
func (a *app) config() (*config.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	dir, err := a.configDir()
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the configuration: %w", err)
	}
	a.debugf("config dir: %s", dir)
	a.cfg = cfg
	return cfg, nil
}

// tokens is the token resolver: env var, then keyring, then
// credentials.toml.
func (a *app) tokens() (*config.Tokens, error) {
	return a.tokensWarning(a.f.ErrOut)
}

// tokensWarning is tokens with the insecure-storage warning sent to warn
// (nil: dropped, where the caller says it another way).
func (a *app) tokensWarning(warn io.Writer) (*config.Tokens, error) {
	dir, err := a.configDir()
	if err != nil {
		return nil, err
	}
	t := &config.Tokens{
		Getenv:  a.f.Getenv,
		Keyring: a.f.Keyring,
		File:    config.NewCredentialsFile(dir),
	}
	if warn != nil {
		t.Warn = warn
	}
	return t, nil
}

// selectProfile picks the profile: --profile, $ROSTER_PROFILE, the active
// one, else the implicit env profile.
func (a *app) selectProfile() (config.Profile, error) {
	cfg, err := a.config()
	if err != nil {
		return config.Profile{}, err
	}
	p, err := config.Select(cfg, a.g.profile, a.f.Getenv)
	switch {
	case err == nil:
		return p, nil
	case errors.Is(err, config.ErrUnknownProfile), errors.Is(err, config.ErrAmbiguousEnv):
		return config.Profile{}, &usageError{msg: err.Error()}
	case errors.Is(err, config.ErrNoProfile):
		return config.Profile{}, errNotSignedIn
	}
	return config.Profile{}, err
}

// open resolves the chosen profile and its token and opens its provider.
func (a *app) open(ctx context.Context) (*session, error) {
	p, err := a.selectProfile()
	if err != nil {
		return nil, err
	}
	return a.openProfile(ctx, p)
}

func (a *app) openProfile(ctx context.Context, p config.Profile) (*session, error) {
	return a.openProfileWarning(ctx, p, a.f.ErrOut)
}

// openProfileQuietly opens p without writing to the terminal: the TUI is
// drawing on it, and shows the token's source (file) itself.
func (a *app) openProfileQuietly(ctx context.Context, p config.Profile) (*session, error) {
	return a.openProfileWarning(ctx, p, nil)
}

func (a *app) openProfileWarning(_ context.Context, p config.Profile, warn io.Writer) (*session, error) {
	toks, err := a.tokensWarning(warn)
	if err != nil {
		return nil, err
	}
	token, source, err := toks.Token(p)
	a.debugf("profile: %s (%s, %s)", p.Name, p.Provider, p.URL)
	switch {
	case errors.Is(err, config.ErrNoToken):
		return nil, errNotSignedIn
	case err != nil:
		return nil, fmt.Errorf("reading the token of profile %s: %w", quote(p.Name), err)
	}
	a.debugf("token source: %s", source)
	prov, err := a.provider(p.Provider, p.URL, token, p.Username, p.Name)
	if err != nil {
		return nil, fmt.Errorf("opening profile %s: %w", quote(p.Name), err)
	}
	return &session{profile: p, source: source, prov: prov}, nil
}

// provider builds a client with the global flags applied. Its writes are
// recorded in the audit log (not under --dry-run, which sends none); the
// read-only guard sits outside, so a refused write is not recorded.
func (a *app) provider(kind, url, token, username, profile string) (client.Provider, error) {
	prov, err := providers.Open(kind, a.clientConfig(url, token, username))
	if err != nil {
		return nil, err
	}
	if a.dry == nil {
		prov = a.audited(prov, profile)
	}
	if a.g.readOnly {
		prov = client.ReadOnly(prov)
	}
	return prov, nil
}

func (a *app) clientConfig(url, token, username string) client.Config {
	return client.Config{
		URL:        url,
		Token:      token,
		HTTPClient: a.httpClient(),
		Timeout:    a.g.timeout,
		Debug:      a.debugWriter(),
		Version:    a.f.Version,
		Username:   username,
	}
}

// tuiSession turns an opened session into what the TUI works on.
func (s *session) tuiSession(readOnly bool) *tui.Session {
	return &tui.Session{
		Profile:  s.profile.Name,
		Kind:     s.profile.Provider,
		URL:      s.profile.URL,
		Source:   string(s.source),
		Org:      s.profile.Org,
		Username: s.profile.Username,
		Provider: s.prov,
		ReadOnly: readOnly,
	}
}

// needsOrg reports whether the provider addresses organizations by name
// (QFieldCloud); on Qomon the token selects the space.
func (s *session) needsOrg() bool { return s.prov.Can(client.CapOrganizations) }

// org picks the organization for a command: the given one, else the
// profile's default.
func (s *session) org(given string) (string, error) {
	if !s.needsOrg() {
		if given != "" {
			return "", usagef("%s has no organizations (the token selects the space): drop %s", s.prov.Kind(), quote(given))
		}
		return "", nil
	}
	if given != "" {
		return given, nil
	}
	if s.profile.Org != "" {
		return s.profile.Org, nil
	}
	return "", usagef("no organization given, and profile %s has no default organization: pass ORG (roster orgs list shows yours)", quote(s.profile.Name))
}

// where names the org for messages ("" on Qomon: the space).
func where(org string) string {
	if org == "" {
		return "the space"
	}
	return quote(org)
}

// writeGuard refuses a write in --read-only mode before anything is read,
// asked or sent.
func (a *app) writeGuard(action string) error {
	if a.g.readOnly {
		return fmt.Errorf("%s: %w", action, client.ErrReadOnly)
	}
	return nil
}

// require refuses, before any prompt or request, an action the provider
// has no API for.
func (s *session) require(c client.Capability, action string) error {
	if s.prov.Can(c) {
		return nil
	}
	return fmt.Errorf("%s: %s has no API for this: %w", action, s.prov.Kind(), client.ErrUnsupported)
}

func (a *app) httpClient() *http.Client {
	if a.hc != nil {
		return a.hc
	}
	return a.f.HTTPClient
}

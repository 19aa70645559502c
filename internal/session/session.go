// Package session is everything between a profile name and a ready
// client.Provider, in one place:
//
//   - which profile (Select: --profile, $ROSTER_PROFILE, the active one,
//     the implicit env profile),
//   - its token (env variable, then keyring, then credentials.toml, each
//     keyring call bounded by the store's own timeout),
//   - the provider client (through the registry, client/providers),
//   - sign-in (Login: by client.CapPasswordLogin, never by a provider name),
//   - and the wrappers every write goes through, applied once (wrap): the
//     dry-run transport, the audit log and the read-only guard.
//
// Commands (cmd), the TUI's start, profile switcher and sign-in screen,
// and --demo all get their provider from an Opener, so there is no other
// way to a provider that could skip the audit log or --read-only.
package session

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/providers"
	"github.com/roster-cli/roster/config"
	"github.com/roster-cli/roster/internal/audit"
	"github.com/roster-cli/roster/internal/demo"
)

// SourceDemo is the token source of a demo profile (shown in the TUI).
const SourceDemo config.Source = "demo"

// Options are the facts of one run of roster that decide how providers are
// opened.
type Options struct {
	Getenv  func(string) string
	Keyring config.SecretStore // nil: no keyring
	// HTTPClient is the base client (nil: the provider clients' safe
	// default); under DryRun its transport is wrapped.
	HTTPClient *http.Client
	Timeout    time.Duration // per request attempt
	MaxBody    int64         // response body cap (0: the clients' default)
	Debug      io.Writer     // request log (nil: off)
	Version    string        // sent in the User-Agent
	Now        func() time.Time

	// ReadOnly refuses every write before any request (--read-only).
	ReadOnly bool
	// DryRun, when set, prints every write here and sends none
	// (--dry-run); dry-run writes are not recorded in the audit log.
	DryRun io.Writer
	// Warn receives warnings (a token in plain text, an audit log that
	// cannot be written). Nil drops them: the TUI says these on screen.
	Warn io.Writer
}

// Opener opens sessions for one run of roster. It loads the configuration
// once and shares it with the caller (Config), so a command that changes
// profiles and then opens one sees its own change.
type Opener struct {
	opts Options

	mu     sync.Mutex
	dir    string
	cfg    *config.Config
	log    *audit.Log
	logErr error
	dry    *DryRun
	hc     *http.Client
}

// New prepares an Opener; nothing is read until it is used.
func New(opts Options) *Opener {
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	o := &Opener{opts: opts, hc: opts.HTTPClient}
	if opts.DryRun != nil {
		o.dry, o.hc = newDryRun(opts.HTTPClient, opts.DryRun)
	}
	return o
}

// Session is a provider opened for one profile: what commands and the TUI
// work on.
type Session struct {
	Profile config.Profile
	Source  config.Source // env | keyring | file | demo
	// Provider is wrapped: writes refused under ReadOnly, recorded in the
	// audit log (not in a dry run or the demo), printed not sent under
	// DryRun.
	Provider client.Provider
	ReadOnly bool
}

// ConfigDir is where config.toml and credentials.toml live.
func (o *Opener) ConfigDir() (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.configDirLocked()
}

func (o *Opener) configDirLocked() (string, error) {
	if o.dir != "" {
		return o.dir, nil
	}
	dir, err := config.Dir(o.opts.Getenv)
	if err != nil {
		return "", fmt.Errorf("finding the configuration directory: %w", err)
	}
	o.dir = dir
	return dir, nil
}

// Config loads config.toml (once); a missing file is an empty config.
func (o *Opener) Config() (*config.Config, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cfg != nil {
		return o.cfg, nil
	}
	dir, err := o.configDirLocked()
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the configuration: %w", err)
	}
	o.cfg = cfg
	return cfg, nil
}

// Tokens is the token resolver: env variable, then keyring, then
// credentials.toml. Its warnings go to Options.Warn.
func (o *Opener) Tokens() (*config.Tokens, error) {
	dir, err := o.ConfigDir()
	if err != nil {
		return nil, err
	}
	return &config.Tokens{
		Getenv:  o.opts.Getenv,
		Keyring: o.opts.Keyring,
		File:    config.NewCredentialsFile(dir),
		Warn:    o.opts.Warn,
	}, nil
}

// Select picks the profile: name (--profile), else $ROSTER_PROFILE, else
// the active one, else the implicit env profile (config.Select).
func (o *Opener) Select(name string) (config.Profile, error) {
	cfg, err := o.Config()
	if err != nil {
		return config.Profile{}, err
	}
	return config.Select(cfg, name, o.opts.Getenv)
}

// Open reads p's token and opens its provider. An error matching
// config.ErrNoToken means there is no token anywhere.
func (o *Opener) Open(ctx context.Context, p config.Profile) (*Session, error) {
	toks, err := o.Tokens()
	if err != nil {
		return nil, err
	}
	token, source, err := toks.Token(p)
	if err != nil {
		return nil, err
	}
	return o.open(p, token, source)
}

// open builds the client for p with token and applies the wrappers.
func (o *Opener) open(p config.Profile, token string, source config.Source) (*Session, error) {
	username := p.Username
	if source == config.SourceEnv {
		// The env token wins over the profile's stored one, and it may be
		// someone else's: the account comes from the token (the client
		// asks auth/user/ once when it needs the name), not the profile.
		username = ""
		p.Username = ""
	}
	prov, err := providers.Open(p.Provider, o.clientConfig(p.URL, token, username))
	if err != nil {
		return nil, fmt.Errorf("opening profile %q: %w", p.Name, err)
	}
	return &Session{Profile: p, Source: source, Provider: o.wrap(prov, p.Name, source), ReadOnly: o.opts.ReadOnly}, nil
}

// Check opens p's provider bare (no wrappers: only a read is made) and
// asks who the token belongs to. For auth status.
func (o *Opener) Check(ctx context.Context, p config.Profile, token string) (client.User, error) {
	prov, err := providers.Open(p.Provider, o.clientConfig(p.URL, token, ""))
	if err != nil {
		return client.User{}, err
	}
	return prov.CurrentUser(ctx)
}

// Logout ends p's token on the server (where the provider has
// client.CapServerLogout), for `auth logout --everywhere`. supported is
// false when the provider has no way to.
func (o *Opener) Logout(ctx context.Context, p config.Profile, token string) (supported bool, err error) {
	prov, err := providers.Open(p.Provider, o.clientConfig(p.URL, token, ""))
	if err != nil {
		return false, err
	}
	if !prov.Can(client.CapServerLogout) {
		return false, nil
	}
	return true, prov.Logout(ctx)
}

// Can reports whether p's provider has capability c (no request is made).
func (o *Opener) Can(p config.Profile, c client.Capability) bool {
	prov, err := providers.Open(p.Provider, o.clientConfig(p.URL, "", ""))
	return err == nil && prov.Can(c)
}

// wrap is the one place a provider gets its write wrappers. The audit
// wrapper sits inside the read-only guard, so a refused write is not
// recorded; a dry run sends no write, so there is nothing to record, and
// the demo writes nothing to disk.
func (o *Opener) wrap(prov client.Provider, profile string, source config.Source) client.Provider {
	if o.dry == nil && source != SourceDemo {
		if log, err := o.AuditLog(); err == nil {
			prov = audit.Wrap(prov, log, profile)
		} else {
			o.warnf("writes will not be recorded: %v", err)
		}
	}
	if o.opts.ReadOnly {
		prov = client.ReadOnly(prov)
	}
	return prov
}

// AuditLog is roster's audit log (opened once).
func (o *Opener) AuditLog() (*audit.Log, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.log != nil || o.logErr != nil {
		return o.log, o.logErr
	}
	path, err := audit.DefaultPath(o.opts.Getenv)
	if err != nil {
		o.logErr = err
		return nil, err
	}
	o.log = audit.New(path, o.opts.Now)
	o.log.Warn = func(err error) { o.warnf("%v", err) }
	return o.log, nil
}

// DryRun is the dry-run transport, nil outside a dry run.
func (o *Opener) DryRun() *DryRun { return o.dry }

// HTTPClient is the client every provider of this Opener uses.
func (o *Opener) HTTPClient() *http.Client { return o.hc }

func (o *Opener) clientConfig(url, token, username string) client.Config {
	return client.Config{
		URL:        url,
		Token:      token,
		HTTPClient: o.hc,
		Timeout:    o.opts.Timeout,
		MaxBody:    o.opts.MaxBody,
		Debug:      o.opts.Debug,
		Version:    o.opts.Version,
		Username:   username,
	}
}

func (o *Opener) warnf(format string, args ...any) {
	if o.opts.Warn != nil {
		fmt.Fprintf(o.opts.Warn, "roster: warning: "+format+"\n", args...)
	}
}

// OpenDemo opens a demo profile on its in-process fake. Read-only applies
// as everywhere; the audit log does not: the demo writes nothing to disk.
func (o *Opener) OpenDemo(ep demo.Endpoint) (*Session, error) {
	cfg := o.clientConfig(ep.Profile.URL, ep.Token, ep.Profile.Username)
	cfg.HTTPClient = ep.HTTPClient
	cfg.Version = "demo"
	prov, err := providers.Open(ep.Profile.Provider, cfg)
	if err != nil {
		return nil, fmt.Errorf("opening demo profile %q: %w", ep.Profile.Name, err)
	}
	return &Session{Profile: ep.Profile, Source: SourceDemo, Provider: o.wrap(prov, ep.Profile.Name, SourceDemo), ReadOnly: o.opts.ReadOnly}, nil
}

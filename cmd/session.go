package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/config"
	sessions "github.com/roster-cli/roster/internal/session"
	"github.com/roster-cli/roster/tui"
)

// The way from a profile to a provider is internal/session: cmd only
// turns its errors into the contract's exit codes and messages.

// session is a provider opened for the chosen profile.
type session struct {
	profile config.Profile
	source  config.Source
	prov    client.Provider
}

// chanWriter passes each write (one warning line) to the TUI.
type chanWriter chan string

func (c chanWriter) Write(p []byte) (int, error) {
	c <- strings.TrimSuffix(strings.TrimPrefix(string(p), "roster: "), "\n")
	return len(p), nil
}

// sess is the run's session opener, made on first use, after the flags
// are parsed (and after the TUI has silenced --debug on a terminal).
func (a *app) sess() *sessions.Opener {
	if a.opener != nil {
		return a.opener
	}
	var warn io.Writer = a.f.ErrOut
	if a.quiet {
		warn = nil
		if a.warnings != nil {
			warn = chanWriter(a.warnings)
		}
	}
	var dry io.Writer
	if a.dryRunFlag {
		dry = a.f.Out
	}
	a.opener = sessions.New(sessions.Options{
		Getenv:     a.f.Getenv,
		Keyring:    a.f.Keyring,
		HTTPClient: a.f.HTTPClient,
		Timeout:    a.g.timeout,
		MaxBody:    a.f.MaxBody,
		Debug:      a.debugWriter(),
		Version:    a.f.Version,
		Now:        a.f.now,
		ReadOnly:   a.g.readOnly,
		DryRun:     dry,
		Warn:       warn,
	})
	a.dry = a.opener.DryRun()
	return a.opener
}

// configDir is where config.toml lives.
func (a *app) configDir() (string, error) { return a.sess().ConfigDir() }

// config loads config.toml (once); a missing file is an empty config.
func (a *app) config() (*config.Config, error) {
	cfg, err := a.sess().Config()
	if err == nil {
		a.debugf("config dir: %s", cfg.Path())
	}
	return cfg, err
}

// tokens is the token resolver: env var, then keyring, then
// credentials.toml.
func (a *app) tokens() (*config.Tokens, error) { return a.sess().Tokens() }

// selectProfile picks the profile: --profile, $ROSTER_PROFILE, the active
// one, else the implicit env profile.
func (a *app) selectProfile() (config.Profile, error) {
	p, err := a.sess().Select(a.g.profile)
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

// openProfile opens p through the session layer.
func (a *app) openProfile(ctx context.Context, p config.Profile) (*session, error) {
	s, err := a.openSession(ctx, p)
	if err != nil {
		return nil, err
	}
	return fromSession(s), nil
}

// openSession opens p through the session layer, with the contract's
// errors: no token anywhere is "not signed in" (exit 4).
func (a *app) openSession(ctx context.Context, p config.Profile) (*sessions.Session, error) {
	a.debugf("profile: %s (%s, %s)", p.Name, p.Provider, p.URL)
	s, err := a.sess().Open(ctx, p)
	switch {
	case errors.Is(err, config.ErrNoToken):
		return nil, errNotSignedIn
	case err != nil:
		var ke *config.KeyringError
		if errors.As(err, &ke) {
			return nil, err // it names the profile and the ways out
		}
		return nil, fmt.Errorf("reading the token of profile %s: %w", quote(p.Name), err)
	}
	a.debugf("token source: %s", s.Source)
	return s, nil
}

func fromSession(s *sessions.Session) *session {
	return &session{profile: s.Profile, source: s.Source, prov: s.Provider}
}

// tuiSession turns an opened session into what the TUI works on.
func tuiSession(s *sessions.Session) *tui.Session {
	return &tui.Session{
		Profile:  s.Profile.Name,
		Kind:     s.Profile.Provider,
		URL:      s.Profile.URL,
		Source:   string(s.Source),
		Org:      s.Profile.Org,
		Username: s.Profile.Username,
		Provider: s.Provider,
		ReadOnly: s.ReadOnly,
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
	return "", &noOrgError{profile: s.profile.Name}
}

// noOrgError: no ORG given and the profile has no default organization.
type noOrgError struct{ profile string }

func (e *noOrgError) Error() string {
	return fmt.Sprintf("no organization given, and profile %s has no default organization: pass ORG (roster orgs list shows yours)", quote(e.profile))
}

// Unwrap makes it a usage error (exit 2).
func (e *noOrgError) Unwrap() error { return &usageError{msg: e.Error()} }

// missingArg explains a "[ORG] USER…" command given one argument too few
// when the profile has no default organization: the first argument can
// only be ORG, so the last one is missing. It names it and shows the
// usage line.
func missingArg(c *cobra.Command, err error, args []string, names ...string) error {
	var no *noOrgError
	if !errors.As(err, &no) || len(args) != len(names)-1 || len(args) == 0 {
		return err
	}
	return &usageError{
		msg: fmt.Sprintf("%s: missing %s: profile %s has no default organization, so ORG is needed too and %s was taken as ORG",
			strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" "), names[len(names)-1], quote(no.profile), quote(args[0])),
		usage: c.UseLine(),
	}
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

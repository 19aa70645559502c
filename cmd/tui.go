package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client/providers"
	"github.com/roster-cli/roster/config"
	"github.com/roster-cli/roster/internal/demo"
	"github.com/roster-cli/roster/tui"
)

// runTUI starts the interactive app: only with a terminal on both stdin
// and stdout; otherwise usage and exit 2.
func (a *app) runTUI(ctx context.Context, c *cobra.Command, demo bool) error {
	if !a.f.StdinTTY || !a.f.StdoutTTY {
		c.SetOut(a.f.ErrOut)
		_ = c.Usage()
		return usagef("the TUI needs a terminal on stdin and stdout; in scripts use a command (roster --help lists them)")
	}
	opts := tui.Options{
		Version:  a.f.versionLine(),
		ReadOnly: a.g.readOnly,
		NoColor:  a.noColor(),
		Timeout:  a.g.timeout,
		In:       a.f.In,
		Out:      a.f.Out,
	}
	// The request log and warnings would scribble over the screen (the
	// TUI shows the token's source itself).
	if a.f.StderrTTY {
		a.g.debug = false
	}
	a.quiet = true
	// The TUI reads every warning at once; the buffer only spares a
	// writer the wait for the next Update.
	a.warnings = make(chan string, 16)
	opts.Warnings = a.warnings
	for _, info := range providers.All() {
		opts.SignInProviders = append(opts.SignInProviders, tui.SignInProvider{
			Kind: info.Kind, DefaultURL: info.DefaultURL, PasswordLogin: info.PasswordLogin})
	}
	if demo {
		return a.runDemo(ctx, opts)
	}

	opts.Profiles = a.tuiProfiles
	opts.Open = a.openConfigured
	opts.SignIn = a.signIn
	// The profile is chosen here (a config file read: a wrong --profile
	// is a usage error before any screen); its token is read in the TUI,
	// so the first frame does not wait for the keyring (up to its 3 s
	// timeout), and a keyring problem is shown there with the ways out.
	p, err := a.selectProfile()
	switch {
	case err == nil:
		opts.StartProfile = p.Name
		opts.Start = func(ctx context.Context) (*tui.Session, error) {
			s, err := a.openSession(ctx, p)
			if errors.Is(err, errNotSignedIn) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return tuiSession(s), nil
		}
	case errors.Is(err, errNotSignedIn):
		// Sign-in screen.
	default:
		return err
	}
	return a.f.RunTUI(opts)
}

// openConfigured opens a configured profile for the switcher.
func (a *app) openConfigured(ctx context.Context, name string) (*tui.Session, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	p, err := config.Select(cfg, name, a.f.Getenv)
	if err != nil {
		return nil, fmt.Errorf("opening profile %s: %w", quote(name), err)
	}
	s, err := a.openSession(ctx, p)
	if err != nil {
		return nil, err
	}
	return tuiSession(s), nil
}

func (a *app) tuiProfiles() []tui.ProfileEntry {
	rows, err := a.profileRows()
	if err != nil {
		return nil
	}
	var out []tui.ProfileEntry
	for _, r := range rows {
		out = append(out, tui.ProfileEntry{Name: r.Name, Kind: r.Provider, URL: r.URL, Active: r.Active})
	}
	return out
}

// openDemo opens a demo profile through the session layer.
func (a *app) openDemo(w *demo.World, name string) (*tui.Session, error) {
	ep, err := w.Endpoint(name)
	if err != nil {
		return nil, err
	}
	s, err := a.sess().OpenDemo(ep)
	if err != nil {
		return nil, err
	}
	return tuiSession(s), nil
}

// runDemo runs the TUI on the in-process demo servers: no keyring, no
// config read or written.
func (a *app) runDemo(ctx context.Context, opts tui.Options) error {
	w, err := a.f.StartDemo()
	if err != nil {
		return fmt.Errorf("starting the demo: %w", err)
	}
	defer w.Close()
	profiles := w.Profiles()
	if len(profiles) == 0 {
		return errors.New("starting the demo: no demo profiles")
	}
	s, err := a.openDemo(w, profiles[0].Name)
	if err != nil {
		return fmt.Errorf("starting the demo: %w", err)
	}
	opts.Session = s
	// The switcher lists the demo profiles and the configured ones; the
	// config and keyring are read only if the user picks a configured
	// profile, so a plain demo run touches neither.
	demoNames := map[string]bool{}
	for _, p := range profiles {
		demoNames[p.Name] = true
	}
	opts.Profiles = func() []tui.ProfileEntry {
		var out []tui.ProfileEntry
		for _, p := range profiles {
			out = append(out, tui.ProfileEntry{Name: p.Name, Kind: p.Provider, URL: p.URL, Demo: true})
		}
		for _, p := range a.tuiProfiles() {
			if !demoNames[p.Name] {
				out = append(out, p)
			}
		}
		return out
	}
	opts.Open = func(ctx context.Context, name string) (*tui.Session, error) {
		if demoNames[name] {
			return a.openDemo(w, name)
		}
		return a.openConfigured(ctx, name)
	}
	return a.f.RunTUI(opts)
}

package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/providers"
	"github.com/roster-cli/roster/config"
	sessions "github.com/roster-cli/roster/internal/session"
	"github.com/roster-cli/roster/tui"
)

func (a *app) newAuthCmd() *cobra.Command {
	c := groupCmd("auth", "Sign in, check and sign out")
	c.AddCommand(a.newLoginCmd(), a.newStatusCmd(), a.newLogoutCmd())
	return c
}

func (a *app) newLoginCmd() *cobra.Command {
	var req sessions.LoginRequest
	var withToken, passwordStdin bool
	c := &cobra.Command{
		Use:   "login",
		Short: "Sign in and save a profile",
		Long: `Sign in to QFieldCloud (username and password) or Qomon (an API key) and save
the profile. The token goes to the OS keyring, or to credentials.toml with
--insecure-storage. On a terminal roster asks for what is missing.`,
		Args: noArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			req.Profile = a.g.profile
			return a.loginCmd(c.Context(), req, withToken, passwordStdin)
		}),
	}
	fl := c.Flags()
	fl.StringVar(&req.Kind, "provider", "", strings.Join(providers.Kinds(), " or "))
	fl.StringVar(&req.URL, "url", "", "server URL (default: the provider's)")
	fl.StringVar(&req.Username, "username", "", "username or e-mail; with a Qomon API key, your e-mail in the space (the API cannot tell whose key it is: the TUI then marks your row and disables what your role cannot do)")
	fl.BoolVar(&passwordStdin, "password-stdin", false, "read the password from stdin (QFieldCloud)")
	fl.BoolVar(&withToken, "with-token", false, "read a token from stdin")
	fl.BoolVar(&req.Insecure, "insecure-storage", false, "store the token in credentials.toml (0600) instead of the keyring")
	_ = c.RegisterFlagCompletionFunc("provider", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return providers.Kinds(), cobra.ShellCompDirectiveNoFileComp
	})
	return c
}

func (a *app) loginCmd(ctx context.Context, req sessions.LoginRequest, withToken, passwordStdin bool) error {
	if withToken && passwordStdin {
		return usagef("--with-token and --password-stdin cannot be used together")
	}
	interactive := a.f.CanPrompt() && !withToken && !passwordStdin
	cfg, err := a.config()
	if err != nil {
		return err
	}
	// Logging in again to a known profile keeps its provider and URL.
	if old, ok := cfg.Get(req.Profile); ok && req.Profile != "" {
		if req.Kind == "" {
			req.Kind = old.Provider
		}
		if req.URL == "" {
			req.URL = old.URL
		}
		if req.Username == "" {
			req.Username = old.Username
		}
	}
	if req.Kind == "" {
		if !interactive {
			return usagef("--provider is required without a terminal (%s)", strings.Join(providers.Kinds(), " or "))
		}
		if req.Kind, err = a.choose("Provider", providers.Kinds(), ""); err != nil {
			return err
		}
	}
	info, ok := providers.Lookup(req.Kind)
	if !ok {
		return usagef("unknown provider %s (known: %s)", quote(req.Kind), strings.Join(providers.Kinds(), ", "))
	}
	if req.URL == "" && interactive {
		if req.URL, err = a.ask("Server URL", info.DefaultURL); err != nil {
			return err
		}
	}
	password := info.PasswordLogin && !withToken
	if passwordStdin && !password {
		return usagef("--password-stdin: %s signs in with a token: use --with-token", req.Kind)
	}
	if password && req.Username == "" {
		if !interactive {
			return usagef("--username is required with --password-stdin")
		}
		if req.Username, err = a.ask("Username or e-mail", ""); err != nil {
			return err
		}
	}
	switch {
	case withToken:
		if req.Token, err = a.f.readAllInput(); err != nil {
			return fmt.Errorf("reading the token from stdin: %w", err)
		}
		req.Token = strings.TrimSpace(req.Token)
		if req.Token == "" {
			return usagef("--with-token: no token on stdin")
		}
	case passwordStdin:
		if req.Password, err = a.f.readAllInput(); err != nil {
			return fmt.Errorf("reading the password from stdin: %w", err)
		}
		if req.Password == "" {
			return usagef("--password-stdin: no password on stdin")
		}
	case !interactive:
		return usagef("no terminal to ask on: pass --with-token (token on stdin) or, to sign in with a password, --username and --password-stdin")
	case password:
		if req.Password, err = a.askSecret("Password"); err != nil {
			return err
		}
	default:
		if req.Token, err = a.askSecret("API key (token)"); err != nil {
			return err
		}
	}
	res, err := a.login(ctx, req)
	if err != nil {
		return err
	}
	a.reportLogin(res)
	return nil
}

func (a *app) reportLogin(res *sessions.LoginResult) {
	p := res.Session.Profile
	who := res.User.Name()
	if res.User.Username != "" && res.User.Username != who {
		who += " (" + res.User.Username + ")"
	}
	a.notef("✓ Signed in to %s at %s as %s\n", p.Provider, p.URL, quote(who))
	if !res.Expires.IsZero() {
		days := int(res.Expires.Sub(a.f.now()).Hours() / 24)
		a.notef("  the token expires on %s (in %d days); sign in again then\n", res.Expires.Local().Format("2006-01-02 15:04"), days)
	}
	switch res.Stored {
	case config.SourceFile:
		dir, _ := a.configDir()
		a.notef("  token stored in %s/credentials.toml (insecure storage: mode 0600, readable by anyone with your account)\n", dir)
	default:
		a.notef("  token stored in the OS keyring\n")
	}
	if res.OrgNote != "" {
		a.notef("  %s\n", res.OrgNote)
	}
	a.notef("  profile %s is now active\n", quote(p.Name))
	if res.EnvVar != "" {
		a.notef("warning: %s is set: it overrides the stored token for this profile until you unset it\n", res.EnvVar)
	}
}

// login is the sign-in flow shared by `auth login` and the TUI: the
// session layer gets and checks the token, saves the profile and opens
// it; errors already say what to do (no "run roster auth login" hint).
func (a *app) login(ctx context.Context, req sessions.LoginRequest) (*sessions.LoginResult, error) {
	res, err := a.sess().Login(ctx, req)
	if err != nil {
		return nil, noHint{err}
	}
	return res, nil
}

// signIn is the TUI's sign-in screen, on the same flow as auth login: its
// session is opened by the session layer, wrapped as every other one.
func (a *app) signIn(ctx context.Context, r tui.SignInRequest) (*tui.Session, error) {
	res, err := a.login(ctx, sessions.LoginRequest{
		Kind: r.Provider, URL: r.URL, Profile: r.Profile,
		Username: r.Username, Password: r.Password, Token: r.Token,
	})
	if err != nil {
		return nil, err
	}
	return tuiSession(res.Session), nil
}

func (a *app) newStatusCmd() *cobra.Command {
	var o outputFlags
	c := &cobra.Command{
		Use:   "status",
		Short: "Show every profile, its token source, and whether the token works",
		Args:  noArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			return a.status(c.Context(), o)
		}),
	}
	addJSONFlag(c, &o)
	return c
}

// statusRow is one profile in `auth status --json`.
type statusRow struct {
	Profile  string `json:"profile"`
	Active   bool   `json:"active"`
	Provider string `json:"provider"`
	URL      string `json:"url"`
	User     string `json:"user"`
	Source   string `json:"token_source"`
	Valid    bool   `json:"valid"`
	Error    string `json:"error,omitempty"`

	err error
}

func (a *app) status(ctx context.Context, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	var profiles []config.Profile
	for _, n := range cfg.Names() {
		if p, ok := cfg.Get(n); ok {
			profiles = append(profiles, p)
		}
	}
	chosen, selErr := a.selectProfile()
	_, rawErr := a.sess().Select(a.g.profile)
	switch {
	case selErr == nil && chosen.Implicit:
		profiles = append(profiles, chosen)
	case errors.Is(rawErr, config.ErrAmbiguousEnv):
		// Both tokens set: show both, so the user sees what they hold,
		// and say how a command chooses.
		for _, p := range config.EnvProfiles(a.f.Getenv) {
			if _, stored := cfg.Get(p.Name); !stored {
				profiles = append(profiles, p)
			}
		}
	default:
		var u *usageError
		if errors.As(selErr, &u) {
			return selErr
		}
	}
	if len(profiles) == 0 {
		return errNotSignedIn
	}
	toks, err := a.tokens()
	if err != nil {
		return err
	}
	rows := make([]statusRow, len(profiles))
	var wg sync.WaitGroup
	for i, p := range profiles {
		rows[i] = statusRow{Profile: p.Name, Active: selErr == nil && p.Name == chosen.Name,
			Provider: p.Provider, URL: p.URL, User: p.Username}
		token, src, err := toks.Token(p)
		if err != nil {
			rows[i].err = err
			if errors.Is(err, config.ErrNoToken) {
				rows[i].Error = "no token"
			} else {
				rows[i].Error = err.Error()
			}
			continue
		}
		rows[i].Source = string(src)
		if src == config.SourceEnv {
			rows[i].User = "" // the env token's account, from the server
		}
		wg.Add(1)
		go func(r *statusRow, p config.Profile, token string) {
			defer wg.Done()
			// One cheap request per profile, bounded by --timeout.
			ctx, cancel := context.WithTimeout(ctx, a.g.timeout)
			defer cancel()
			user, err := a.sess().Check(ctx, p, token)
			if err != nil {
				r.err, r.Error = err, err.Error()
				return
			}
			r.Valid = true
			if user.Username != "" {
				r.User = user.Username
			} else if n := user.Name(); n != "" {
				r.User = n
			}
		}(&rows[i], p, token)
	}
	wg.Wait()

	if f == formatJSON {
		if err := writeJSON(a.out(), rows); err != nil {
			return err
		}
	} else {
		t := table{headers: []string{"PROFILE", "PROVIDER", "URL", "USER", "TOKEN", "VALID"}}
		for _, r := range rows {
			name := r.Profile
			if r.Active {
				name = "* " + name
			} else {
				name = "  " + name
			}
			valid := "yes"
			if !r.Valid {
				valid = "no: " + r.Error
			}
			t.add(name, r.Provider, r.URL, r.User, r.Source, valid)
		}
		if err := t.write(a.out()); err != nil {
			return err
		}
	}
	if errors.Is(rawErr, config.ErrAmbiguousEnv) {
		a.notef("note: %v\n", rawErr)
	}
	// The exit code answers "can commands run?": it follows the profile
	// commands would use.
	for _, r := range rows {
		if r.Active && !r.Valid {
			if errors.Is(r.err, config.ErrNoToken) || errors.Is(r.err, client.ErrUnauthenticated) {
				return &silentError{exitNoLogin}
			}
			return &silentError{exitFailed}
		}
	}
	if selErr != nil {
		return &silentError{exitNoLogin}
	}
	return nil
}

func (a *app) newLogoutCmd() *cobra.Command {
	var everywhere bool
	c := &cobra.Command{
		Use:   "logout",
		Short: "Forget the token of a profile (--everywhere: also end it on the server)",
		Long: `Forget the profile's token: roster removes it from the keyring and from
credentials.toml. The token itself stays valid on the server, so QField, QGIS
and other tools signed in as you keep working.

--everywhere also signs out on the server (QFieldCloud: POST auth/logout/),
which expires EVERY token of that account: QField on the phone, QFieldSync
in QGIS and other roster installs have to sign in again.`,
		Args: noArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			return a.logout(c.Context(), everywhere)
		}),
	}
	c.Flags().BoolVar(&everywhere, "everywhere", false, "also sign out on the server: expires every token of the account (QField, QGIS too)")
	return c
}

func (a *app) logout(ctx context.Context, everywhere bool) error {
	p, err := a.selectProfile()
	if err != nil {
		return err
	}
	toks, err := a.tokens()
	if err != nil {
		return err
	}
	token, src, tokErr := toks.Token(p)
	if everywhere {
		if !a.sess().Can(p, client.CapServerLogout) {
			return fmt.Errorf("auth logout --everywhere: %s has no API to sign out on the server (nothing was changed; roster auth logout forgets the local token): %w", p.Provider, client.ErrUnsupported)
		}
		if tokErr != nil {
			if errors.Is(tokErr, config.ErrNoToken) {
				return fmt.Errorf("signing out of %s on the server: no token to sign out with", quote(p.Name))
			}
			return tokErr
		}
		a.notef("Signing out on the server: this expires every %s token of this account (QField, QFieldSync, QGIS, other roster installs)\n", p.Provider)
		if _, err := a.sess().Logout(ctx, p, token); err != nil && !errors.Is(err, client.ErrUnauthenticated) {
			return fmt.Errorf("signing out of %s on the server (the local token is kept): %w", quote(p.Name), err)
		}
		a.notef("✓ Signed out of %s on the server\n", p.URL)
	}
	if tokErr == nil && src == config.SourceEnv {
		if name, ok := toks.EnvOverride(p); ok {
			a.notef("warning: the token comes from %s: unset it yourself\n", name)
		}
	}
	if !p.Implicit {
		if err := toks.Delete(p); err != nil {
			return err // it names the profile (and, for the keyring, the ways out)
		}
		a.notef("✓ Forgot the token of profile %s (keyring and credentials.toml)\n", quote(p.Name))
		if !everywhere && a.sess().Can(p, client.CapServerLogout) {
			a.notef("  the token stays valid on the server; roster auth logout --everywhere also ends it there (and every other session of the account)\n")
		}
	}
	return nil
}

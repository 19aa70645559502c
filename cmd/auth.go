package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/providers"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/config"
	"github.com/roster-cli/roster/tui"
)

func (a *app) newAuthCmd() *cobra.Command {
	c := groupCmd("auth", "Sign in, check and sign out")
	c.AddCommand(a.newLoginCmd(), a.newStatusCmd(), a.newLogoutCmd())
	return c
}

// loginRequest is what `auth login` and the TUI sign-in screen collect.
type loginRequest struct {
	kind, url, profile string
	username, password string
	token              string
	insecure           bool
}

// loginResult is what a successful sign-in did.
type loginResult struct {
	profile  config.Profile
	source   config.Source
	user     client.User
	expires  time.Time
	envVar   string // set when an env var overrides the stored token
	orgNote  string
	provider client.Provider
}

func (a *app) newLoginCmd() *cobra.Command {
	var req loginRequest
	var withToken, passwordStdin bool
	c := &cobra.Command{
		Use:   "login",
		Short: "Sign in and save a profile",
		Long: `Sign in to QFieldCloud (username and password) or Qomon (an API key) and save
the profile. The token goes to the OS keyring, or to credentials.toml with
--insecure-storage. On a terminal roster asks for what is missing.`,
		Args: noArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			req.profile = a.g.profile
			return a.loginCmd(c.Context(), req, withToken, passwordStdin)
		}),
	}
	fl := c.Flags()
	fl.StringVar(&req.kind, "provider", "", "qfieldcloud or qomon")
	fl.StringVar(&req.url, "url", "", "server URL (default: the provider's)")
	fl.StringVar(&req.username, "username", "", "QFieldCloud username or e-mail")
	fl.BoolVar(&passwordStdin, "password-stdin", false, "read the password from stdin (QFieldCloud)")
	fl.BoolVar(&withToken, "with-token", false, "read a token from stdin")
	fl.BoolVar(&req.insecure, "insecure-storage", false, "store the token in credentials.toml (0600) instead of the keyring")
	_ = c.RegisterFlagCompletionFunc("provider", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return providers.Kinds(), cobra.ShellCompDirectiveNoFileComp
	})
	return c
}

func (a *app) loginCmd(ctx context.Context, req loginRequest, withToken, passwordStdin bool) error {
	if withToken && passwordStdin {
		return usagef("--with-token and --password-stdin cannot be used together")
	}
	interactive := a.f.CanPrompt() && !withToken && !passwordStdin
	cfg, err := a.config()
	if err != nil {
		return err
	}
	// Logging in again to a known profile keeps its provider and URL.
	if old, ok := cfg.Get(req.profile); ok && req.profile != "" {
		if req.kind == "" {
			req.kind = old.Provider
		}
		if req.url == "" {
			req.url = old.URL
		}
		if req.username == "" {
			req.username = old.Username
		}
	}
	if req.kind == "" {
		if !interactive {
			return usagef("--provider is required without a terminal (%s)", strings.Join(providers.Kinds(), " or "))
		}
		if req.kind, err = a.choose("Provider", providers.Kinds(), ""); err != nil {
			return err
		}
	}
	info, ok := config.LookupProvider(req.kind)
	if !ok {
		return usagef("unknown provider %s (known: %s)", quote(req.kind), strings.Join(providers.Kinds(), ", "))
	}
	if req.url == "" && interactive {
		if req.url, err = a.ask("Server URL", info.DefaultURL); err != nil {
			return err
		}
	}
	password := req.kind == providers.QFieldCloud && !withToken
	if passwordStdin && !password {
		return usagef("--password-stdin: %s signs in with a token: use --with-token", req.kind)
	}
	if password && req.username == "" {
		if !interactive {
			return usagef("--username is required with --password-stdin")
		}
		if req.username, err = a.ask("Username or e-mail", ""); err != nil {
			return err
		}
	}
	switch {
	case withToken:
		if req.token, err = a.f.readAllInput(); err != nil {
			return fmt.Errorf("reading the token from stdin: %w", err)
		}
		req.token = strings.TrimSpace(req.token)
		if req.token == "" {
			return usagef("--with-token: no token on stdin")
		}
	case passwordStdin:
		if req.password, err = a.f.readAllInput(); err != nil {
			return fmt.Errorf("reading the password from stdin: %w", err)
		}
		if req.password == "" {
			return usagef("--password-stdin: no password on stdin")
		}
	case !interactive:
		return usagef("no terminal to ask on: pass --with-token (token on stdin) or, for QFieldCloud, --username and --password-stdin")
	case password:
		if req.password, err = a.askSecret("Password"); err != nil {
			return err
		}
	default:
		if req.token, err = a.askSecret("API key (token)"); err != nil {
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

func (a *app) reportLogin(res *loginResult) {
	who := res.user.Name()
	if res.user.Username != "" && res.user.Username != who {
		who += " (" + res.user.Username + ")"
	}
	a.notef("✓ Signed in to %s at %s as %s\n", res.profile.Provider, res.profile.URL, quote(who))
	if !res.expires.IsZero() {
		days := int(res.expires.Sub(a.f.now()).Hours() / 24)
		a.notef("  the token expires on %s (in %d days); sign in again then\n", res.expires.Local().Format("2006-01-02 15:04"), days)
	}
	switch res.source {
	case config.SourceFile:
		dir, _ := a.configDir()
		a.notef("  token stored in %s/credentials.toml (insecure storage: mode 0600, readable by anyone with your account)\n", dir)
	default:
		a.notef("  token stored in the OS keyring\n")
	}
	if res.orgNote != "" {
		a.notef("  %s\n", res.orgNote)
	}
	a.notef("  profile %s is now active\n", quote(res.profile.Name))
	if res.envVar != "" {
		a.notef("warning: %s is set: it overrides the stored token for this profile until you unset it\n", res.envVar)
	}
}

// login is the sign-in flow shared by `auth login` and the TUI: get and
// check a token, then save the profile and the token, and make it active.
func (a *app) login(ctx context.Context, req loginRequest) (*loginResult, error) {
	base, err := providers.NormalizeURL(req.kind, req.url)
	if err != nil {
		return nil, noHint{fmt.Errorf("signing in: %w", usageOf(err))}
	}
	host := hostOf(base)
	res := &loginResult{}
	cfg := a.clientConfig(base, "", req.username)
	if req.token == "" {
		if req.kind != providers.QFieldCloud {
			return nil, usagef("signing in to %s: an API key is required", req.kind)
		}
		sess, err := qfieldcloud.Login(ctx, cfg, req.username, req.password)
		if err != nil {
			return nil, noHint{fmt.Errorf("signing in to %s as %s: %w", host, quote(req.username), err)}
		}
		req.token, res.expires, res.user = sess.Token, sess.ExpiresAt, sess.User
	}
	prov, err := providers.Open(req.kind, a.clientConfig(base, req.token, ""))
	if err != nil {
		return nil, fmt.Errorf("signing in to %s: %w", host, err)
	}
	// Check the token before saving it (also fills the user for a token
	// login).
	user, err := prov.CurrentUser(ctx)
	if err != nil {
		return nil, noHint{fmt.Errorf("checking the token with %s: %w", host, err)}
	}
	res.user = user
	p := config.Profile{Name: req.profile, Provider: req.kind, URL: base, Username: user.Username}
	if p.Username == "" && req.kind == providers.QFieldCloud {
		p.Username = user.ID
	}
	if p.Name == "" {
		p.Name = profileName(req.kind, base)
	}
	if err := config.ValidateName(p.Name); err != nil {
		return nil, usagef("signing in: %v", err)
	}
	conf, err := a.config()
	if err != nil {
		return nil, err
	}
	if old, ok := conf.Get(p.Name); ok && old.Provider == p.Provider && old.URL == p.URL {
		p.Org = old.Org
	}
	if p.Org == "" && prov.Can(client.CapOrganizations) {
		// One organization: make it the default so ORG can be left out.
		if orgs, err := prov.Organizations(ctx); err == nil && len(orgs) == 1 {
			p.Org = orgs[0].Name
			res.orgNote = fmt.Sprintf("default organization: %s (your only one)", quote(p.Org))
		}
	}
	toks, err := a.tokens()
	if err != nil {
		return nil, err
	}
	conf.Set(p)
	if err := conf.Use(p.Name); err != nil {
		return nil, fmt.Errorf("activating profile %s: %w", quote(p.Name), err)
	}
	src, err := toks.Store(p, req.token, req.insecure)
	if err != nil {
		return nil, fmt.Errorf("storing the token of profile %s: %w", quote(p.Name), err)
	}
	if err := conf.Save(); err != nil {
		return nil, fmt.Errorf("saving the configuration: %w", err)
	}
	res.profile, res.source = p, src
	if name, ok := toks.EnvOverride(p); ok {
		res.envVar = name
	}
	res.provider = prov
	if a.g.readOnly {
		res.provider = client.ReadOnly(prov)
	}
	return res, nil
}

// signIn is the TUI's sign-in screen, on the same flow as auth login.
func (a *app) signIn(ctx context.Context, r tui.SignInRequest) (*tui.Session, error) {
	res, err := a.login(ctx, loginRequest{
		kind: r.Provider, url: r.URL, profile: r.Profile,
		username: r.Username, password: r.Password, token: r.Token,
	})
	if err != nil {
		return nil, err
	}
	s := &session{profile: res.profile, source: res.source, prov: res.provider}
	if res.envVar != "" {
		// The env token wins from now on; open with what commands will use.
		if s2, err := a.openProfile(ctx, res.profile); err == nil {
			s = s2
		}
	}
	return s.tuiSession(a.g.readOnly), nil
}

// usageOf marks a bad URL (http:// to a remote host, no host…) as a usage
// error.
func usageOf(err error) error {
	if errors.Is(err, client.ErrBadInput) {
		return err
	}
	return &usageError{msg: err.Error()}
}

func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}

// profileName derives a profile name from the provider and host: the bare
// kind for the hosted service, kind-host otherwise.
func profileName(kind, base string) string {
	info, _ := config.LookupProvider(kind)
	host := hostOf(base)
	if def, err := providers.NormalizeURL(kind, info.DefaultURL); err == nil && hostOf(def) == host {
		return kind
	}
	var b strings.Builder
	for _, r := range strings.ToLower(host) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	return kind + "-" + strings.Trim(b.String(), "-.")
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
	if selErr == nil && chosen.Implicit {
		profiles = append(profiles, chosen)
	}
	var u *usageError
	if errors.As(selErr, &u) {
		return selErr
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
		wg.Add(1)
		go func(r *statusRow, p config.Profile, token string) {
			defer wg.Done()
			// One cheap request per profile, bounded by --timeout.
			ctx, cancel := context.WithTimeout(ctx, a.g.timeout)
			defer cancel()
			prov, err := providers.Open(p.Provider, a.clientConfig(p.URL, token, p.Username))
			if err == nil {
				var user client.User
				if user, err = prov.CurrentUser(ctx); err == nil {
					r.Valid = true
					if user.Username != "" {
						r.User = user.Username
					} else if n := user.Name(); n != "" {
						r.User = n
					}
				}
			}
			if err != nil {
				r.err, r.Error = err, err.Error()
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
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the token of a profile (QFieldCloud: also sign out on the server)",
		Args:  noArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			return a.logout(c.Context())
		}),
	}
}

func (a *app) logout(ctx context.Context) error {
	p, err := a.selectProfile()
	if err != nil {
		return err
	}
	toks, err := a.tokens()
	if err != nil {
		return err
	}
	var serverErr error
	if token, src, err := toks.Token(p); err == nil {
		prov, err := providers.Open(p.Provider, a.clientConfig(p.URL, token, p.Username))
		if err != nil {
			return fmt.Errorf("signing out of %s: %w", quote(p.Name), err)
		}
		if prov.Can(client.CapServerLogout) {
			a.notef("Signing out on the server: this also expires your other %s tokens (QField, QFieldSync, other roster installs)\n", p.Provider)
			if err := prov.Logout(ctx); err != nil && !errors.Is(err, client.ErrUnauthenticated) {
				serverErr = err
			}
		}
		if src == config.SourceEnv {
			if name, ok := toks.EnvOverride(p); ok {
				a.notef("warning: the token comes from %s: unset it yourself\n", name)
			}
		}
	}
	if !p.Implicit {
		if err := toks.Delete(p); err != nil {
			return fmt.Errorf("forgetting the token of %s: %w", quote(p.Name), err)
		}
		a.notef("✓ Forgot the token of profile %s (keyring and credentials.toml)\n", quote(p.Name))
	}
	if serverErr != nil {
		return fmt.Errorf("signing out of %s on the server (the local token is gone): %w", quote(p.Name), serverErr)
	}
	return nil
}

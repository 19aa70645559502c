package session

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/providers"
	"github.com/roster-cli/roster/config"
)

// LoginRequest is what `auth login` and the TUI's sign-in screen collect.
type LoginRequest struct {
	Kind    string // provider kind
	URL     string // "" = the provider's default
	Profile string // "" = derived from the kind and host
	// Username and Password sign in on a provider with
	// client.CapPasswordLogin; Token is used as it is otherwise (or when
	// given).
	Username, Password string
	Token              string
	Insecure           bool // store the token in credentials.toml
}

// LoginResult is what a successful sign-in did.
type LoginResult struct {
	// Session is the new profile opened exactly as a command or the TUI
	// would open it: the same wrappers (audit log, read-only, dry run),
	// and the env token when one overrides the stored one.
	Session *Session
	User    client.User
	Expires time.Time // zero: the token does not expire (or it is unknown)
	Stored  config.Source
	EnvVar  string // set when an env variable overrides the stored token
	OrgNote string // the default organization chosen, when one was
}

// Login gets and checks a token, saves the profile and the token, makes
// the profile active and opens it. Mistakes in the request match
// client.ErrBadInput.
func (o *Opener) Login(ctx context.Context, req LoginRequest) (*LoginResult, error) {
	info, ok := providers.Lookup(req.Kind)
	if !ok {
		return nil, fmt.Errorf("signing in: unknown provider %q (known: %s): %w", req.Kind, strings.Join(providers.Kinds(), ", "), client.ErrBadInput)
	}
	base, err := providers.NormalizeURL(req.Kind, req.URL)
	if err != nil {
		return nil, fmt.Errorf("signing in: %w", badInput{err})
	}
	host := hostOf(base)
	res := &LoginResult{}
	if req.Token == "" {
		if !info.PasswordLogin {
			return nil, fmt.Errorf("signing in to %s: an API key (token) is required: %w", req.Kind, client.ErrBadInput)
		}
		s, err := providers.Login(ctx, req.Kind, o.clientConfig(base, "", req.Username), req.Username, req.Password)
		if err != nil {
			return nil, fmt.Errorf("signing in to %s as %q: %w", host, req.Username, err)
		}
		req.Token, res.Expires, res.User = s.Token, s.ExpiresAt, s.User
	}
	// Check the token before saving it (this also finds the account of a
	// token sign-in). Bare client: the check is one read.
	prov, err := providers.Open(req.Kind, o.clientConfig(base, req.Token, ""))
	if err != nil {
		return nil, fmt.Errorf("signing in to %s: %w", host, err)
	}
	user, err := prov.CurrentUser(ctx)
	if err != nil {
		return nil, fmt.Errorf("checking the token with %s: %w", host, err)
	}
	if user.Username == "" && user.ID == "" && !info.PasswordLogin && req.Username != "" {
		// The API cannot say whose token it is (Qomon): the person says
		// so with --username, and it is checked to be a user here, since
		// the TUI marks that row as "you" and judges rights by its role.
		u, err := prov.User(ctx, req.Username)
		switch {
		case errors.Is(err, client.ErrForbidden):
			// A role that may not list users cannot check it either;
			// the e-mail is kept as given.
			user = client.User{ID: req.Username, Username: req.Username, Email: req.Username}
		case err != nil:
			return nil, fmt.Errorf("checking %q with %s: %w", req.Username, host, err)
		default:
			user = u
			user.Username = cmp.Or(u.Email, req.Username)
		}
	}
	res.User = user
	p := config.Profile{Name: req.Profile, Provider: req.Kind, URL: base, Username: user.Username}
	if p.Username == "" && info.PasswordLogin {
		p.Username = user.ID
	}
	if p.Name == "" {
		p.Name = ProfileName(req.Kind, base)
	}
	if err := config.ValidateName(p.Name); err != nil {
		return nil, fmt.Errorf("signing in: %w", badInput{err})
	}
	cfg, err := o.Config()
	if err != nil {
		return nil, err
	}
	if old, ok := cfg.Get(p.Name); ok && old.Provider == p.Provider && old.URL == p.URL {
		p.Org = old.Org
	}
	if p.Org == "" && prov.Can(client.CapOrganizations) {
		// One organization: make it the default so ORG can be left out.
		if orgs, err := prov.Organizations(ctx); err == nil && len(orgs) == 1 {
			p.Org = orgs[0].Name
			res.OrgNote = fmt.Sprintf("default organization: %s (your only one)", orgs[0].Name)
		}
	}
	toks, err := o.Tokens()
	if err != nil {
		return nil, err
	}
	cfg.Set(p)
	if err := cfg.Use(p.Name); err != nil {
		return nil, fmt.Errorf("activating profile %q: %w", p.Name, err)
	}
	src, err := toks.Store(p, req.Token, req.Insecure)
	if err != nil {
		return nil, err // it says what was being stored
	}
	if err := cfg.Save(); err != nil {
		return nil, fmt.Errorf("saving the configuration: %w", err)
	}
	res.Stored = src
	token, source := req.Token, src
	if name, set := toks.EnvOverride(p); set {
		// The env token wins from now on: open with what commands use.
		res.EnvVar = name
		token, source = o.opts.Getenv(name), config.SourceEnv
	}
	if res.Session, err = o.open(p, token, source); err != nil {
		return nil, err
	}
	return res, nil
}

// badInput marks a mistake in the request (a bad URL or profile name): it
// matches client.ErrBadInput without adding its text.
type badInput struct{ error }

func (b badInput) Unwrap() error        { return b.error }
func (b badInput) Is(target error) bool { return target == client.ErrBadInput }

func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}

// ProfileName derives a profile name from the provider and host: the bare
// kind for the hosted service, kind-host otherwise.
func ProfileName(kind, base string) string {
	host := hostOf(base)
	if def, err := providers.NormalizeURL(kind, ""); err == nil && hostOf(def) == host {
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

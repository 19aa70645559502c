package config

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/roster-cli/roster/client/providers"
)

var (
	// ErrNoProfile: no profile applies (the CLI exits 4 and suggests
	// `roster auth login`).
	ErrNoProfile = errors.New("no profile")
	// ErrUnknownProfile: a profile was named that does not exist.
	ErrUnknownProfile = errors.New("unknown profile")
	// ErrAmbiguousEnv: both QFIELDCLOUD_TOKEN and QOMON_TOKEN are set and
	// no profile was chosen. Errors with it also match ErrNoProfile.
	ErrAmbiguousEnv = errors.New("both QFIELDCLOUD_TOKEN and QOMON_TOKEN are set")
)

// ambiguousEnv is the error when both provider tokens are set and no
// profile was chosen: it matches ErrNoProfile and ErrAmbiguousEnv, and says
// how to choose.
type ambiguousEnv struct{ kinds []string }

func (e ambiguousEnv) Error() string {
	return fmt.Sprintf("%s, so roster cannot tell which service to use: choose one with --profile %s (or ROSTER_PROFILE), or unset one",
		ErrAmbiguousEnv, strings.Join(e.kinds, " or --profile "))
}

func (e ambiguousEnv) Is(target error) bool {
	return target == ErrNoProfile || target == ErrAmbiguousEnv
}

// Select returns the profile a command uses: flagProfile (--profile), else
// $ROSTER_PROFILE, else the active profile, else the implicit "env" profile
// when exactly one of QFIELDCLOUD_TOKEN / QOMON_TOKEN is set (its URL from
// the matching *_URL or the default). The name "env" selects that implicit
// profile explicitly; a provider's name ("qfieldcloud", "qomon") that is
// not a stored profile selects the implicit profile of that provider's
// token variable, which is how one of two set tokens is chosen. A stored
// profile without URL gets its provider's default. c may be nil (no
// config); a nil getenv means os.Getenv.
func Select(c *Config, flagProfile string, getenv func(string) string) (Profile, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if c == nil {
		c = &Config{}
	}
	name, from := flagProfile, "--profile"
	if name == "" {
		name, from = getenv("ROSTER_PROFILE"), "ROSTER_PROFILE"
	}
	if name == "" {
		name, from = c.Active, "the active profile in "+c.Path()
	}
	if name == "" {
		p, err := envProfile(getenv)
		if err != nil {
			return Profile{}, err
		}
		return p, nil
	}
	if name == EnvProfile {
		return envProfile(getenv)
	}
	p, ok := c.Get(name)
	if !ok {
		if info, isKind := providers.Lookup(name); isKind && getenv(info.TokenEnv) != "" {
			return envProfileOf(info, name, getenv), nil
		}
		return Profile{}, c.unknown(name, from)
	}
	if p.URL == "" {
		if info, ok := providers.Lookup(p.Provider); ok {
			p.URL = info.DefaultURL
		}
	}
	return p, nil
}

// EnvProfiles lists the implicit profile of every provider whose token
// variable is set: one named "env" when only one is, else one per
// provider, named after it (the names --profile accepts then).
func EnvProfiles(getenv func(string) string) []Profile {
	if getenv == nil {
		getenv = os.Getenv
	}
	var set []providers.Info
	for _, info := range providers.All() {
		if getenv(info.TokenEnv) != "" {
			set = append(set, info)
		}
	}
	var out []Profile
	for _, info := range set {
		name := info.Kind
		if len(set) == 1 {
			name = EnvProfile
		}
		out = append(out, envProfileOf(info, name, getenv))
	}
	return out
}

func envProfile(getenv func(string) string) (Profile, error) {
	ps := EnvProfiles(getenv)
	switch len(ps) {
	case 0:
		return Profile{}, fmt.Errorf("%w: no profile is configured and neither QFIELDCLOUD_TOKEN nor QOMON_TOKEN is set", ErrNoProfile)
	case 1:
		return ps[0], nil
	}
	var kinds []string
	for _, p := range ps {
		kinds = append(kinds, p.Provider)
	}
	return Profile{}, ambiguousEnv{kinds}
}

func envProfileOf(info providers.Info, name string, getenv func(string) string) Profile {
	url := getenv(info.URLEnv)
	if url == "" {
		url = info.DefaultURL
	}
	return Profile{Name: name, Provider: info.Kind, URL: url, Implicit: true}
}

// unknown is the error for a profile name that is not stored, listing the
// ones that are. from says where the name came from, if not obvious.
func (c *Config) unknown(name, from string) error {
	what := fmt.Sprintf("%q", name)
	if from != "" {
		what += " (from " + from + ")"
	}
	names := c.Names()
	if len(names) == 0 {
		return fmt.Errorf("%w %s: no profiles are configured", ErrUnknownProfile, what)
	}
	return fmt.Errorf("%w %s: known profiles: %s", ErrUnknownProfile, what, strings.Join(names, ", "))
}

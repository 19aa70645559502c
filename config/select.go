package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
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

// Select returns the profile a command uses: flagProfile (--profile), else
// $ROSTER_PROFILE, else the active profile, else the implicit "env" profile
// when exactly one of QFIELDCLOUD_TOKEN / QOMON_TOKEN is set (its URL from
// the matching *_URL or the default). The name "env" selects that implicit
// profile explicitly. A stored profile without URL gets its provider's
// default. c may be nil (no config); a nil getenv means os.Getenv.
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
		return Profile{}, c.unknown(name, from)
	}
	if p.URL == "" {
		if info, ok := LookupProvider(p.Provider); ok {
			p.URL = info.DefaultURL
		}
	}
	return p, nil
}

func envProfile(getenv func(string) string) (Profile, error) {
	var set []ProviderInfo
	for _, info := range providers {
		if getenv(info.TokenEnv) != "" {
			set = append(set, info)
		}
	}
	switch len(set) {
	case 0:
		return Profile{}, fmt.Errorf("%w: no profile is configured and neither QFIELDCLOUD_TOKEN nor QOMON_TOKEN is set", ErrNoProfile)
	case 1:
		info := set[0]
		url := getenv(info.URLEnv)
		if url == "" {
			url = info.DefaultURL
		}
		return Profile{Name: EnvProfile, Provider: info.Kind, URL: url, Implicit: true}, nil
	}
	return Profile{}, fmt.Errorf("%w %w, so roster cannot tell which service to use: unset one, or choose a profile with --profile or ROSTER_PROFILE", ErrNoProfile, ErrAmbiguousEnv)
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

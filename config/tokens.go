package config

import (
	"github.com/roster-cli/roster/client/providers"

	"errors"
	"fmt"
	"io"
	"os"
)

// Source says where a token came from.
type Source string

// Token sources, as shown by `auth status`.
const (
	SourceEnv     Source = "env"
	SourceKeyring Source = "keyring"
	SourceFile    Source = "file"
)

// Tokens resolves and stores tokens: the provider's environment variable,
// then the keyring, then the credentials file. Nil Getenv means os.Getenv;
// a nil store is skipped; nil Warn discards warnings.
type Tokens struct {
	Getenv  func(string) string
	Keyring SecretStore
	File    SecretStore
	Warn    io.Writer
}

func (t Tokens) getenv(k string) string {
	if t.Getenv == nil {
		return os.Getenv(k)
	}
	return t.Getenv(k)
}

func (t Tokens) warnf(format string, args ...any) {
	if t.Warn != nil {
		fmt.Fprintf(t.Warn, "roster: warning: "+format+"\n", args...)
	}
}

func (t Tokens) filePath() string {
	if p, ok := t.File.(interface{ Path() string }); ok {
		return p.Path()
	}
	return "the credentials file"
}

// EnvOverride reports the environment variable that overrides the stored
// token for p, and whether it is set (non-empty).
func (t Tokens) EnvOverride(p Profile) (name string, set bool) {
	info, ok := providers.Lookup(p.Provider)
	if !ok {
		return "", false
	}
	return info.TokenEnv, t.getenv(info.TokenEnv) != ""
}

// Token returns p's token and where it came from: the provider's env var,
// then the keyring, then the credentials file (with a warning on Warn each
// time). When the keyring is unavailable the file still serves; if it has
// no token either, the keyring error is returned so the user learns why.
// An error matching ErrNoToken means no token anywhere.
func (t Tokens) Token(p Profile) (string, Source, error) {
	if env, set := t.EnvOverride(p); set {
		return t.getenv(env), SourceEnv, nil
	}
	if p.Implicit {
		env, _ := t.EnvOverride(p)
		return "", "", fmt.Errorf("%w: profile %q takes its token from %s, which is not set", ErrNoToken, p.Name, env)
	}
	var kerr error
	if t.Keyring != nil {
		tok, err := t.Keyring.Get(p.Name)
		switch {
		case err == nil:
			return tok, SourceKeyring, nil
		case errors.Is(err, ErrNoToken):
		default:
			kerr = err
		}
	}
	if t.File != nil {
		tok, err := t.File.Get(p.Name)
		switch {
		case err == nil:
			t.warnf("using the token stored in plain text in %s (--insecure-storage)", t.filePath())
			return tok, SourceFile, nil
		case errors.Is(err, ErrNoToken):
		default:
			if kerr == nil {
				return "", "", fmt.Errorf("token of profile %q: %w", p.Name, err)
			}
			// Both failed: the keyring error says what to do; the file one is secondary.
			t.warnf("%v", err)
		}
	}
	if kerr != nil {
		return "", "", kerr
	}
	env, _ := t.EnvOverride(p)
	if env == "" {
		return "", "", fmt.Errorf("%w for profile %q", ErrNoToken, p.Name)
	}
	return "", "", fmt.Errorf("%w for profile %q (nor is %s set)", ErrNoToken, p.Name, env)
}

// Store saves p's token in the keyring, or in the credentials file when
// insecure is true, then removes the other copy so exactly one place holds
// it. Tokens of the implicit env profile are never stored.
func (t Tokens) Store(p Profile, token string, insecure bool) (Source, error) {
	if p.Implicit {
		return "", fmt.Errorf("storing the token of profile %q: it comes from the environment and is never stored", p.Name)
	}
	if err := ValidateName(p.Name); err != nil {
		return "", fmt.Errorf("storing a token: %w", err)
	}
	if err := checkToken(token); err != nil {
		return "", fmt.Errorf("storing the token of profile %q: %w", p.Name, err)
	}
	if insecure {
		if t.File == nil {
			return "", fmt.Errorf("storing the token of profile %q: no credentials file configured", p.Name)
		}
		if err := t.File.Set(p.Name, token); err != nil {
			return "", fmt.Errorf("storing the token of profile %q: %w", p.Name, err)
		}
		if t.Keyring != nil {
			// The keyring is consulted first, so an old token there would win.
			// It is often unusable on hosts that need --insecure-storage, so a
			// failure only warns: the token itself is stored.
			if err := t.Keyring.Delete(p.Name); err != nil && !errors.Is(err, ErrNoToken) {
				why := err.Error()
				var ke *KeyringError
				if errors.As(err, &ke) {
					why = ke.reason() // its ways out would only repeat what is being done
				}
				t.warnf("could not check the keyring for an older token of profile %q (%s); the token is stored in %s", p.Name, why, t.filePath())
			}
		}
		return SourceFile, nil
	}
	if t.Keyring == nil {
		return "", fmt.Errorf("storing the token of profile %q: no keyring configured", p.Name)
	}
	if err := t.Keyring.Set(p.Name, token); err != nil {
		return "", saying("storing", p, err)
	}
	if t.File != nil {
		if err := t.File.Delete(p.Name); err != nil && !errors.Is(err, ErrNoToken) {
			return SourceKeyring, fmt.Errorf("token of profile %q stored in the keyring, but the old plain-text copy remains: %w", p.Name, err)
		}
	}
	return SourceKeyring, nil
}

// Delete forgets p's token in the keyring and the credentials file. It is
// not an error when neither held one. When the keyring cannot be reached
// but the file held the token, the token is gone (Store keeps one copy)
// and only a warning is written.
func (t Tokens) Delete(p Profile) error {
	if p.Implicit {
		return fmt.Errorf("forgetting the token of profile %q: it comes from the environment; unset it there", p.Name)
	}
	var kerr error
	if t.Keyring != nil {
		if err := t.Keyring.Delete(p.Name); err != nil && !errors.Is(err, ErrNoToken) {
			kerr = err
		}
	}
	fileHeld := false
	if t.File != nil {
		err := t.File.Delete(p.Name)
		switch {
		case err == nil:
			fileHeld = true
		case errors.Is(err, ErrNoToken):
		default:
			if kerr != nil {
				t.warnf("%v", err)
				return saying("forgetting", p, kerr)
			}
			return fmt.Errorf("forgetting the token of profile %q: %w", p.Name, err)
		}
	}
	if kerr != nil {
		if fileHeld {
			t.warnf("removed the token of profile %q from %s; the keyring could not be checked: %v", p.Name, t.filePath(), kerr)
			return nil
		}
		return saying("forgetting", p, kerr)
	}
	return nil
}

// saying adds what was being done to a store's error, unless the error
// already says it (a KeyringError names the operation and the profile,
// and the ways out): one cause, said once.
func saying(op string, p Profile, err error) error {
	var ke *KeyringError
	if errors.As(err, &ke) {
		return err
	}
	return fmt.Errorf("%s the token of profile %q: %w", op, p.Name, err)
}

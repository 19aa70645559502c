package config

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/roster-cli/roster/internal/sanitize"
)

// KeyringService is the keyring service name; the user is the profile name.
const KeyringService = "roster"

// DefaultKeyringTimeout bounds every keyring call: a frozen Secret Service
// daemon otherwise blocks forever (zalando/go-keyring#125).
const DefaultKeyringTimeout = 3 * time.Second

// MaxTokenLen is the longest token stored: the Windows credential limit.
const MaxTokenLen = 2560

var (
	// ErrNoToken: no token stored for the profile (or none anywhere).
	ErrNoToken = errors.New("no token stored")
	// ErrKeyringUnavailable: the OS keyring could not be used (no session
	// bus, no Secret Service, locked, or no answer in time).
	ErrKeyringUnavailable = errors.New("the system keyring is not available")
	// ErrInvalidToken: a token roster refuses to store.
	ErrInvalidToken = errors.New("invalid token")
)

// SecretStore keeps one token per profile name. Get returns an error
// matching ErrNoToken when it holds none.
type SecretStore interface {
	Get(profile string) (string, error)
	Set(profile, token string) error
	Delete(profile string) error
}

// KeyringError is a keyring that could not be used. It matches
// ErrKeyringUnavailable and the underlying error with errors.Is, and its
// message says how to get going again.
type KeyringError struct {
	Op      string        // "reading", "storing" or "deleting"
	Profile string        // profile name
	Err     error         // the backend's error; nil when it timed out
	Timeout time.Duration // non-zero: no answer within this time
}

func (e *KeyringError) Error() string {
	return fmt.Sprintf("%s (%s the token of profile %q: %s); unlock the keyring, "+
		"or set QFIELDCLOUD_TOKEN or QOMON_TOKEN, or store the token in a plain-text file with "+
		"`roster auth login --insecure-storage`", ErrKeyringUnavailable, e.Op, e.Profile, e.reason())
}

func (e *KeyringError) reason() string {
	if e.Err == nil {
		return fmt.Sprintf("no answer within %s, the keyring daemon may be frozen", e.Timeout)
	}
	raw := e.Err.Error()
	var ee *exec.Error
	switch {
	case errors.As(e.Err, &ee) || strings.Contains(raw, "dbus-launch"):
		return "no D-Bus session bus"
	case strings.Contains(raw, "dial unix") || strings.Contains(raw, "DBUS_SESSION_BUS_ADDRESS"):
		return "cannot reach the D-Bus session bus: " + short(raw)
	case strings.Contains(raw, "ServiceUnknown") || strings.Contains(raw, "not provided by any .service files"):
		return "no Secret Service (such as gnome-keyring) is running"
	case strings.Contains(raw, "unlock"):
		return "the keyring is locked: " + short(raw)
	}
	return short(raw)
}

// short makes a backend message safe and brief for one terminal line.
func short(s string) string {
	s = sanitize.Text(s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

func (e *KeyringError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrKeyringUnavailable}
	}
	return []error{ErrKeyringUnavailable, e.Err}
}

// backend is the part of go-keyring roster uses; tests substitute it.
type backend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// libBackend calls go-keyring's package functions, so keyring.MockInit
// applies to it.
type libBackend struct{}

func (libBackend) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (libBackend) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (libBackend) Delete(s, u string) error        { return keyring.Delete(s, u) }

type keyringStore struct {
	b       backend
	timeout time.Duration
}

// NewKeyring is the OS keyring (service "roster", user = profile name).
// Every call runs in its own goroutine and gives up after timeout (0 means
// DefaultKeyringTimeout); a call that gave up may finish later, unseen.
// Only "not found" maps to ErrNoToken; every other failure is a
// *KeyringError.
func NewKeyring(timeout time.Duration) SecretStore {
	return newKeyring(libBackend{}, timeout)
}

func newKeyring(b backend, timeout time.Duration) *keyringStore {
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	return &keyringStore{b: b, timeout: timeout}
}

func (k *keyringStore) Get(profile string) (string, error) {
	tok, err := k.call("reading", profile, "", func() (string, error) { return k.b.Get(KeyringService, profile) })
	if err == nil && tok == "" {
		err = fmt.Errorf("%w for profile %q in the keyring", ErrNoToken, profile)
	}
	return tok, err
}

func (k *keyringStore) Set(profile, token string) error {
	if err := checkToken(token); err != nil {
		return err
	}
	_, err := k.call("storing", profile, token, func() (string, error) { return "", k.b.Set(KeyringService, profile, token) })
	return err
}

func (k *keyringStore) Delete(profile string) error {
	_, err := k.call("deleting", profile, "", func() (string, error) { return "", k.b.Delete(KeyringService, profile) })
	return err
}

type result struct {
	s   string
	err error
}

func (k *keyringStore) call(op, profile, secret string, f func() (string, error)) (string, error) {
	if profile == "" {
		return "", fmt.Errorf("%s a token in the keyring: %w: empty profile name", op, ErrInvalidName)
	}
	ch := make(chan result, 1) // buffered: a late answer must not block the goroutine forever
	go func() {
		s, err := f()
		ch <- result{s, err}
	}()
	t := time.NewTimer(k.timeout)
	defer t.Stop()
	var r result
	select {
	case r = <-ch:
	case <-t.C:
		return "", &KeyringError{Op: op, Profile: profile, Timeout: k.timeout}
	}
	switch {
	case r.err == nil:
		return r.s, nil
	case errors.Is(r.err, keyring.ErrNotFound):
		return "", fmt.Errorf("%w for profile %q in the keyring", ErrNoToken, profile)
	case errors.Is(r.err, keyring.ErrSetDataTooBig):
		return "", fmt.Errorf("%s the token of profile %q: %w: too long for the keyring", op, profile, ErrInvalidToken)
	}
	err := r.err
	if secret != "" && strings.Contains(err.Error(), secret) {
		// A backend error must never carry the token into a message.
		err = errors.New(strings.ReplaceAll(err.Error(), secret, "[token]"))
	}
	return "", &KeyringError{Op: op, Profile: profile, Err: err}
}

// checkToken refuses what cannot be a token: empty, too long for every
// keyring, or containing spaces or control characters (which would also
// corrupt the Authorization header).
func checkToken(token string) error {
	if token == "" {
		return fmt.Errorf("%w: empty", ErrInvalidToken)
	}
	if len(token) > MaxTokenLen {
		return fmt.Errorf("%w: longer than %d bytes", ErrInvalidToken, MaxTokenLen)
	}
	for _, r := range token {
		if r <= ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\uFFFD' {
			return fmt.Errorf("%w: contains spaces or control characters", ErrInvalidToken)
		}
	}
	return nil
}

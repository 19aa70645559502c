package config

import (
	"github.com/roster-cli/roster/client/providers"

	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// mocked records that go-keyring's global backend was replaced by a mock,
// which cannot be undone; the real-keyring tests refuse to run after it.
var mocked bool

// mockKeyring installs go-keyring's in-memory mock. It is global: tests
// using it must not be parallel.
func mockKeyring(t *testing.T, err error) {
	t.Helper()
	mocked = true
	if err != nil {
		keyring.MockInitWithError(err)
	} else {
		keyring.MockInit()
	}
}

var work = Profile{Name: "work", Provider: providers.QFieldCloud, URL: "https://app.qfield.cloud/api/v1/"}

func newTokens(t *testing.T, env map[string]string) (Tokens, *bytes.Buffer, string) {
	t.Helper()
	dir := t.TempDir()
	warn := &bytes.Buffer{}
	return Tokens{Getenv: envMap(env), Keyring: NewKeyring(time.Second), File: NewCredentialsFile(dir), Warn: warn}, warn, dir
}

func TestTokenEnvWins(t *testing.T) {
	mockKeyring(t, nil)
	tk, warn, _ := newTokens(t, map[string]string{"QFIELDCLOUD_TOKEN": "from-env", "QOMON_TOKEN": "other"})
	if _, err := tk.Store(work, "in-keyring", false); err != nil {
		t.Fatal(err)
	}
	tok, src, err := tk.Token(work)
	if err != nil || tok != "from-env" || src != SourceEnv {
		t.Fatalf("Token = %q, %q, %v; want env", tok, src, err)
	}
	if name, set := tk.EnvOverride(work); name != "QFIELDCLOUD_TOKEN" || !set {
		t.Fatalf("EnvOverride = %q, %v", name, set)
	}
	if name, set := tk.EnvOverride(Profile{Name: "q", Provider: providers.Qomon}); name != "QOMON_TOKEN" || !set {
		t.Fatalf("EnvOverride(qomon) = %q, %v", name, set)
	}
	if warn.Len() != 0 {
		t.Fatalf("unexpected warning %q", warn)
	}
}

func TestTokenKeyring(t *testing.T) {
	mockKeyring(t, nil)
	tk, warn, dir := newTokens(t, nil)
	if name, set := tk.EnvOverride(work); name != "QFIELDCLOUD_TOKEN" || set {
		t.Fatalf("EnvOverride = %q, %v", name, set)
	}
	if _, _, err := tk.Token(work); !errors.Is(err, ErrNoToken) {
		t.Fatalf("Token before Store = %v, want ErrNoToken", err)
	}
	src, err := tk.Store(work, "secret-1", false)
	if err != nil || src != SourceKeyring {
		t.Fatalf("Store = %q, %v", src, err)
	}
	tok, src, err := tk.Token(work)
	if err != nil || tok != "secret-1" || src != SourceKeyring {
		t.Fatalf("Token = %q, %q, %v; want keyring", tok, src, err)
	}
	if got, err := keyring.Get(KeyringService, "work"); err != nil || got != "secret-1" {
		t.Fatalf("keyring holds %q, %v under service roster, user work", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, CredentialsFileName)); !os.IsNotExist(err) {
		t.Fatalf("credentials file exists after a keyring Store: %v", err)
	}
	if err := tk.Delete(work); err != nil {
		t.Fatal(err)
	}
	if _, _, err := tk.Token(work); !errors.Is(err, ErrNoToken) {
		t.Fatalf("Token after Delete = %v", err)
	}
	if err := tk.Delete(work); err != nil {
		t.Fatalf("second Delete = %v, want nil", err)
	}
	if warn.Len() != 0 {
		t.Fatalf("unexpected warning %q", warn)
	}
}

func TestTokenFileFallbackWarns(t *testing.T) {
	mockKeyring(t, nil)
	tk, warn, dir := newTokens(t, nil)
	src, err := tk.Store(work, "plain-1", true)
	if err != nil || src != SourceFile {
		t.Fatalf("Store(insecure) = %q, %v", src, err)
	}
	path := filepath.Join(dir, CredentialsFileName)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("credentials mode %v", st.Mode().Perm())
	}
	for i := 1; i <= 2; i++ {
		tok, src, err := tk.Token(work)
		if err != nil || tok != "plain-1" || src != SourceFile {
			t.Fatalf("Token = %q, %q, %v; want file", tok, src, err)
		}
		want := "using the token stored in plain text in " + path + " (--insecure-storage)"
		if n := strings.Count(warn.String(), want); n != i {
			t.Fatalf("after %d uses the warning appears %d times: %q", i, n, warn)
		}
	}
	// Storing in the keyring removes the plain-text copy, and back again.
	if _, err := tk.Store(work, "secure-2", false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("credentials file still there after storing in the keyring: %v", err)
	}
	if _, err := tk.Store(work, "plain-3", true); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(KeyringService, "work"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("keyring still holds the token after --insecure-storage: %v", err)
	}
	if tok, src, _ := tk.Token(work); tok != "plain-3" || src != SourceFile {
		t.Fatalf("Token = %q, %q", tok, src)
	}
	// Another profile's token in the file survives a Delete.
	other := Profile{Name: "other", Provider: providers.Qomon}
	if _, err := tk.Store(other, "plain-o", true); err != nil {
		t.Fatal(err)
	}
	if err := tk.Delete(work); err != nil {
		t.Fatal(err)
	}
	if tok, _, err := tk.Token(other); err != nil || tok != "plain-o" {
		t.Fatalf("other profile's token = %q, %v", tok, err)
	}
	if err := tk.Delete(other); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("empty credentials file not removed: %v", err)
	}
}

var errNoBus = errors.New(`exec: "dbus-launch": executable file not found in $PATH`)

func TestTokenKeyringUnavailableFileServes(t *testing.T) {
	mockKeyring(t, nil)
	tk, warn, _ := newTokens(t, nil)
	if _, err := tk.Store(work, "plain-1", true); err != nil {
		t.Fatal(err)
	}
	mockKeyring(t, errNoBus)
	tok, src, err := tk.Token(work)
	if err != nil || tok != "plain-1" || src != SourceFile {
		t.Fatalf("Token = %q, %q, %v; want the file's token", tok, src, err)
	}
	if !strings.Contains(warn.String(), "plain text") {
		t.Fatalf("no plain-text warning: %q", warn)
	}
	// Logout on a host without a keyring works: the file held the token.
	warn.Reset()
	if err := tk.Delete(work); err != nil {
		t.Fatalf("Delete = %v", err)
	}
	if !strings.Contains(warn.String(), "keyring could not be checked") {
		t.Fatalf("warning = %q", warn)
	}
	// Storing with --insecure-storage works too, with a warning.
	warn.Reset()
	if src, err := tk.Store(work, "plain-2", true); err != nil || src != SourceFile {
		t.Fatalf("Store(insecure) without keyring = %q, %v", src, err)
	}
	if !strings.Contains(warn.String(), "older token") {
		t.Fatalf("warning = %q", warn)
	}
}

func TestTokenKeyringUnavailableNothingStored(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		reason string
	}{
		{"no bus", errNoBus, "no D-Bus session bus"},
		{"no secret service", errors.New("The name org.freedesktop.secrets was not provided by any .service files"), "no Secret Service"},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), "locked"},
		{"odd", errors.New("weird \x1b[31mred\x1b[0m failure"), "weird red failure"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mockKeyring(t, tc.err)
			tk, _, _ := newTokens(t, nil)
			_, _, err := tk.Token(work)
			if !errors.Is(err, ErrKeyringUnavailable) || errors.Is(err, ErrNoToken) {
				t.Fatalf("Token = %v, want ErrKeyringUnavailable", err)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("error does not wrap the backend error")
			}
			var ke *KeyringError
			if !errors.As(err, &ke) || ke.Profile != "work" {
				t.Fatalf("error %T is not a *KeyringError for work", err)
			}
			msg := err.Error()
			for _, want := range []string{"unlock the keyring", "QFIELDCLOUD_TOKEN", "QOMON_TOKEN", "roster auth login --insecure-storage", tc.reason, `"work"`} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not contain %q", msg, want)
				}
			}
			if strings.Contains(msg, "\x1b") {
				t.Errorf("message carries an escape sequence: %q", msg)
			}
			if _, err := tk.Store(work, "tok", false); !errors.Is(err, ErrKeyringUnavailable) {
				t.Fatalf("Store = %v", err)
			}
			if err := tk.Delete(work); !errors.Is(err, ErrKeyringUnavailable) {
				t.Fatalf("Delete with nothing in the file = %v", err)
			}
		})
	}
}

func TestKeyringNotFoundIsNoToken(t *testing.T) {
	mockKeyring(t, keyring.ErrNotFound)
	k := NewKeyring(0)
	if _, err := k.Get("work"); !errors.Is(err, ErrNoToken) || errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("Get = %v, want ErrNoToken", err)
	}
	if err := k.Delete("work"); !errors.Is(err, ErrNoToken) {
		t.Fatalf("Delete = %v, want ErrNoToken", err)
	}
	tk, _, _ := newTokens(t, nil)
	_, _, err := tk.Token(work)
	if !errors.Is(err, ErrNoToken) || !strings.Contains(err.Error(), "QFIELDCLOUD_TOKEN") {
		t.Fatalf("Token = %v, want ErrNoToken naming the env var", err)
	}
}

func TestKeyringSetErrorNeverShowsToken(t *testing.T) {
	t.Parallel()
	k := newKeyring(echoBackend{}, time.Second)
	err := k.Set("work", "s3cr3t-token")
	if err == nil || strings.Contains(err.Error(), "s3cr3t-token") {
		t.Fatalf("Set error = %v", err)
	}
}

// echoBackend fails with an error quoting the password, as a careless
// backend might.
type echoBackend struct{}

func (echoBackend) Get(s, u string) (string, error) { return "", errors.New("boom") }
func (echoBackend) Set(s, u, p string) error        { return errors.New("cannot store " + p) }
func (echoBackend) Delete(s, u string) error        { return errors.New("boom") }

func TestTokenImplicitProfile(t *testing.T) {
	mockKeyring(t, nil)
	env := Profile{Name: EnvProfile, Provider: providers.Qomon, Implicit: true}
	tk, _, _ := newTokens(t, map[string]string{"QOMON_TOKEN": "q"})
	if tok, src, err := tk.Token(env); tok != "q" || src != SourceEnv || err != nil {
		t.Fatalf("Token = %q %q %v", tok, src, err)
	}
	if _, err := tk.Store(env, "x", false); err == nil {
		t.Fatal("stored a token for the implicit profile")
	}
	if err := tk.Delete(env); err == nil {
		t.Fatal("Delete of the implicit profile succeeded")
	}
	tk.Getenv = envMap(nil)
	if _, _, err := tk.Token(env); !errors.Is(err, ErrNoToken) || !strings.Contains(err.Error(), "QOMON_TOKEN") {
		t.Fatalf("Token without env = %v", err)
	}
}

func TestStoreRejectsBadTokens(t *testing.T) {
	mockKeyring(t, nil)
	tk, _, _ := newTokens(t, nil)
	for _, bad := range []string{"", "has space", "new\nline", strings.Repeat("x", MaxTokenLen+1), "\x1b[2J"} {
		for _, insecure := range []bool{false, true} {
			if _, err := tk.Store(work, bad, insecure); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("Store(%q, insecure=%v) = %v, want ErrInvalidToken", bad, insecure, err)
			}
		}
	}
	if _, err := tk.Store(work, strings.Repeat("x", MaxTokenLen), false); err != nil {
		t.Fatalf("Store of a %d-byte token = %v", MaxTokenLen, err)
	}
	if _, err := tk.Store(Profile{Name: "bad name", Provider: providers.Qomon}, "t", false); !errors.Is(err, ErrInvalidName) {
		t.Fatalf("Store with a bad profile name = %v", err)
	}
}

func TestDamagedCredentialsFile(t *testing.T) {
	mockKeyring(t, nil)
	tk, _, dir := newTokens(t, nil)
	path := filepath.Join(dir, CredentialsFileName)
	content := "[tokens]\nwork = \"sekrit-value\nbroken\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := tk.Token(work)
	if err == nil || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), "sekrit") {
		t.Fatalf("Token with a damaged file = %v", err)
	}
	if _, err := tk.Store(work, "new", true); err == nil {
		t.Fatal("Store overwrote a damaged credentials file")
	}
	if data, _ := os.ReadFile(path); string(data) != content {
		t.Fatal("damaged credentials file changed")
	}
}

// blockBackend never answers, like a frozen Secret Service daemon.
type blockBackend struct{ release chan struct{} }

func (b blockBackend) Get(s, u string) (string, error) { <-b.release; return "", nil }
func (b blockBackend) Set(s, u, p string) error        { <-b.release; return nil }
func (b blockBackend) Delete(s, u string) error        { <-b.release; return nil }

func TestKeyringTimeout(t *testing.T) {
	t.Parallel()
	b := blockBackend{release: make(chan struct{})}
	t.Cleanup(func() { close(b.release) })
	const timeout = 50 * time.Millisecond
	k := newKeyring(b, timeout)
	for name, call := range map[string]func() error{
		"Get":    func() error { _, err := k.Get("work"); return err },
		"Set":    func() error { return k.Set("work", "tok") },
		"Delete": func() error { return k.Delete("work") },
	} {
		start := time.Now()
		err := call()
		elapsed := time.Since(start)
		if !errors.Is(err, ErrKeyringUnavailable) {
			t.Fatalf("%s = %v, want ErrKeyringUnavailable", name, err)
		}
		var ke *KeyringError
		if !errors.As(err, &ke) || ke.Timeout != timeout {
			t.Fatalf("%s error %#v", name, err)
		}
		if !strings.Contains(err.Error(), "no answer within 50ms") {
			t.Errorf("%s message %q", name, err)
		}
		// The backend blocks for ever: any return proves the timeout; the
		// bound only tells "gave up" from "hung", whatever the load.
		if elapsed < timeout || elapsed > timeout+30*time.Second {
			t.Fatalf("%s returned after %v, want about %v", name, elapsed, timeout)
		}
	}
	if d := newKeyring(b, 0).timeout; d != DefaultKeyringTimeout || DefaultKeyringTimeout != 3*time.Second {
		t.Fatalf("default timeout %v", d)
	}
}

// failingStore is a keyring that cannot be reached.
type failingStore struct{ op string }

func (f failingStore) err(p string) error {
	return &KeyringError{Op: f.op, Profile: p, Err: errors.New("exec: dbus-launch: not found")}
}
func (f failingStore) Get(p string) (string, error) { return "", f.err(p) }
func (f failingStore) Set(p, _ string) error        { return f.err(p) }
func (f failingStore) Delete(p string) error        { return f.err(p) }

// With no keyring, --insecure-storage warns once, briefly, and does not
// suggest what is being done; a keyring store failure is said once.
func TestNoKeyringSaidOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	warn := &bytes.Buffer{}
	tk := Tokens{Getenv: envMap(nil), Keyring: failingStore{"deleting"}, File: NewCredentialsFile(dir), Warn: warn}
	if _, err := tk.Store(work, "plain", true); err != nil {
		t.Fatal(err)
	}
	if w := warn.String(); strings.Count(w, "work") != 1 || strings.Contains(w, "--insecure-storage") || !strings.Contains(w, "no D-Bus session bus") {
		t.Errorf("warning: %q", w)
	}
	tk.Keyring = failingStore{"storing"}
	_, err := tk.Store(work, "secure", false)
	if !errors.Is(err, ErrKeyringUnavailable) || strings.Count(err.Error(), "the token of profile") != 1 {
		t.Errorf("store error: %v", err)
	}
}

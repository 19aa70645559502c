//go:build unix

package config

// Tests against the real OS keyring (go-keyring's Secret Service backend),
// run only with KEYRING_IT=1 inside a private session:
//
//	dbus-run-session -- sh scripts/keyring-session.sh env KEYRING_IT=1 go test -run RealKeyring ./config/
//
// They must run before any test that calls keyring.MockInit, which replaces
// the backend for the rest of the process; `mocked` detects that.

import (
	"github.com/roster-cli/roster/client/providers"

	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func realKeyring(t *testing.T) {
	t.Helper()
	if os.Getenv("KEYRING_IT") != "1" {
		t.Skip("real keyring: set KEYRING_IT=1 and run inside scripts/keyring-session.sh")
	}
	if mocked {
		t.Skip("go-keyring was mocked earlier in this process; run with -run RealKeyring")
	}
}

func uniqueProfile(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "it-" + hex.EncodeToString(b)
}

// secretToolLookup reads what go-keyring stored, through libsecret.
func secretToolLookup(profile string) (string, error) {
	out, err := exec.Command("secret-tool", "lookup", "service", KeyringService, "username", profile).Output()
	return strings.TrimRight(string(out), "\n"), err
}

func TestRealKeyringRoundTrip(t *testing.T) {
	realKeyring(t)
	k := NewKeyring(0)
	if ks := k.(*keyringStore); ks.timeout != 3*time.Second || DefaultKeyringTimeout != 3*time.Second {
		t.Fatalf("default timeout %v, want 3s", ks.timeout)
	}
	profile := uniqueProfile(t)
	t.Cleanup(func() { k.Delete(profile) })

	if _, err := k.Get(profile); !errors.Is(err, ErrNoToken) {
		t.Fatalf("Get before Set = %v, want ErrNoToken", err)
	}
	const tok = "real-token-ü-123"
	if err := k.Set(profile, tok); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get(profile)
	if err != nil || got != tok {
		t.Fatalf("Get = %q, %v", got, err)
	}
	seen, err := secretToolLookup(profile)
	if err != nil || seen != tok {
		t.Fatalf("secret-tool lookup service roster username %s = %q, %v", profile, seen, err)
	}
	// Replacing a token keeps one item.
	if err := k.Set(profile, tok+"-2"); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get(profile); got != tok+"-2" {
		t.Fatalf("Get after replace = %q", got)
	}
	if err := k.Delete(profile); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(profile); !errors.Is(err, ErrNoToken) {
		t.Fatalf("Get after Delete = %v, want ErrNoToken", err)
	}
	if err := k.Delete(profile); !errors.Is(err, ErrNoToken) {
		t.Fatalf("second Delete = %v, want ErrNoToken", err)
	}
	if seen, err := secretToolLookup(profile); err == nil {
		t.Fatalf("secret-tool still finds %q after Delete", seen)
	}
}

func TestRealKeyringStoreLeavesNoFile(t *testing.T) {
	realKeyring(t)
	dir := filepath.Join(t.TempDir(), "roster")
	profile := uniqueProfile(t)
	p := Profile{Name: profile, Provider: providers.Qomon, URL: "https://incoming.qomon.app"}
	c := &Config{Dir: dir}
	c.Set(p)
	if err := c.Use(profile); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	var warn bytes.Buffer
	tk := Tokens{Getenv: envMap(nil), Keyring: NewKeyring(0), File: NewCredentialsFile(dir), Warn: &warn}
	t.Cleanup(func() { tk.Delete(p) })

	// A stale plain-text copy must go when the keyring takes the token.
	if _, err := tk.Store(p, "old-plain-token", true); err != nil {
		t.Fatal(err)
	}
	const tok = "keyring-only-token-7f3a"
	src, err := tk.Store(p, tok, false)
	if err != nil || src != SourceKeyring {
		t.Fatalf("Store = %q, %v", src, err)
	}
	got, src, err := tk.Token(p)
	if err != nil || got != tok || src != SourceKeyring {
		t.Fatalf("Token = %q, %q, %v", got, src, err)
	}
	if seen, err := secretToolLookup(profile); err != nil || seen != tok {
		t.Fatalf("secret-tool lookup = %q, %v", seen, err)
	}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(tok)) || bytes.Contains(data, []byte("old-plain-token")) {
			t.Errorf("%s contains a token", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, CredentialsFileName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("credentials file still exists: %v", err)
	}
	if warn.Len() != 0 {
		t.Errorf("unexpected warnings: %q", warn.String())
	}
}

// TestRealKeyringNoBus runs its check in a child process: godbus caches
// the session bus connection for the life of a process, so the broken
// address must be in place before the first call.
func TestRealKeyringNoBus(t *testing.T) {
	realKeyring(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestRealKeyringNoBusChild$", "-test.v")
	cmd.Env = append(os.Environ(),
		"ROSTER_KEYRING_CHILD=nobus",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-such-bus"))
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err != nil || !bytes.Contains(out, []byte("--- PASS: TestRealKeyringNoBusChild")) {
		t.Fatalf("child failed: %v", err)
	}
}

func TestRealKeyringNoBusChild(t *testing.T) {
	if os.Getenv("ROSTER_KEYRING_CHILD") != "nobus" {
		t.Skip("run by TestRealKeyringNoBus")
	}
	k := NewKeyring(0)
	start := time.Now()
	_, err := k.Get("work")
	elapsed := time.Since(start)
	t.Logf("Get without a session bus gave up after %v: %v", elapsed, err)
	if !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("Get = %v, want ErrKeyringUnavailable", err)
	}
	var ke *KeyringError
	if !errors.As(err, &ke) || ke.Timeout != 0 {
		t.Fatalf("want a backend failure, not a timeout: %#v", err)
	}
	for _, want := range []string{"unlock the keyring", "QFIELDCLOUD_TOKEN", "--insecure-storage"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	// The token chain reports the keyring error when nothing else holds a token.
	tk := Tokens{Getenv: envMap(nil), Keyring: k, File: NewCredentialsFile(t.TempDir())}
	if _, _, err := tk.Token(Profile{Name: "work", Provider: providers.Qomon}); !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("Token = %v, want ErrKeyringUnavailable", err)
	}
}

// secretsOwnerPID finds the process owning org.freedesktop.secrets on the
// session bus, as keyring-session.sh does.
func secretsOwnerPID(t *testing.T) int {
	t.Helper()
	out, err := exec.Command("dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
		"/org/freedesktop/DBus", "org.freedesktop.DBus.GetConnectionUnixProcessID",
		"string:org.freedesktop.secrets").Output()
	if err != nil {
		t.Fatalf("finding the Secret Service owner: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "uint32" {
			pid, err := strconv.Atoi(f[1])
			if err == nil && pid > 0 {
				return pid
			}
		}
	}
	t.Fatalf("no PID in %q", out)
	return 0
}

// TestRealKeyringFrozenDaemon stops the Secret Service daemon with SIGSTOP:
// go-keyring then blocks forever, and the wrapper must give up on time.
func TestRealKeyringFrozenDaemon(t *testing.T) {
	realKeyring(t)
	if DefaultKeyringTimeout != 3*time.Second {
		t.Fatalf("DefaultKeyringTimeout = %v, want 3s", DefaultKeyringTimeout)
	}
	profile := uniqueProfile(t)
	k := NewKeyring(time.Second)
	// Warm up: the session bus connection exists, so only the daemon is in the way.
	if _, err := k.Get(profile); !errors.Is(err, ErrNoToken) {
		t.Fatalf("Get on the live keyring = %v, want ErrNoToken", err)
	}
	pid := secretsOwnerPID(t)
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatalf("kill -STOP %d: %v", pid, err)
	}
	t.Cleanup(func() {
		if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
			t.Errorf("kill -CONT %d: %v", pid, err)
		}
	})
	for _, op := range []struct {
		name string
		call func() error
	}{
		{"Get", func() error { _, err := k.Get(profile); return err }},
		{"Set", func() error { return k.Set(profile, "never-stored") }},
	} {
		start := time.Now()
		err := op.call()
		elapsed := time.Since(start)
		t.Logf("%s with a frozen Secret Service (pid %d) gave up after %v: %v", op.name, pid, elapsed, err)
		if !errors.Is(err, ErrKeyringUnavailable) {
			t.Fatalf("%s = %v, want ErrKeyringUnavailable", op.name, err)
		}
		var ke *KeyringError
		if !errors.As(err, &ke) || ke.Timeout != time.Second {
			t.Fatalf("%s: want a timeout KeyringError, got %#v", op.name, err)
		}
		// Not before the timeout; the upper bound only tells "gave up"
		// from "hung" (ten times the timeout, whatever the load).
		if elapsed < time.Second || elapsed > 10*time.Second {
			t.Fatalf("%s gave up after %v, want just over 1s", op.name, elapsed)
		}
	}
	// Thawed, the keyring answers again (the late Set may have landed; clean up).
	if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	k3 := NewKeyring(0)
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := k3.Get(profile)
		if err == nil || errors.Is(err, ErrNoToken) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("keyring did not recover after SIGCONT: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	k3.Delete(profile)
}

//go:build unix

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These run inside a private Secret Service session (scripts/test.sh:
// dbus-run-session -- sh scripts/keyring-session.sh env KEYRING_IT=1 …).
func needKeyring(t *testing.T) {
	t.Helper()
	if os.Getenv("KEYRING_IT") == "" {
		t.Skip("set KEYRING_IT=1 inside scripts/keyring-session.sh")
	}
	needE2E(t, "secret-tool", "dbus-send")
}

// keyringEnv is a clean environment that keeps the private session bus.
func keyringEnv(home string) []string {
	env := []string{"HOME=" + home, "ROSTER_CONFIG_DIR=" + filepath.Join(home, "cfg")}
	for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "XDG_DATA_HOME"} {
		if v := os.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func secretLookup(profile string) string {
	out, _ := exec.Command("secret-tool", "lookup", "service", "roster", "username", profile).Output()
	return strings.TrimSpace(string(out))
}

// noFileContains fails if any file under dir holds secret.
func noFileContains(t *testing.T, dir, secret string) {
	t.Helper()
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(path)
		if strings.Contains(string(b), secret) {
			t.Errorf("%s contains the token", path)
		}
		return nil
	})
}

func TestRealKeyringLoginStatusLogout(t *testing.T) {
	needKeyring(t)
	f := startFakes(t)
	home := t.TempDir()
	env := keyringEnv(home)

	// QFieldCloud: password exchanged for a token, stored in the keyring.
	r := runCLI(t, env, "demo\n", "auth", "login", "--provider", "qfieldcloud", "--url", f.QFieldCloudURL,
		"--username", "demo", "--profile", "field", "--password-stdin")
	if r.code != 0 {
		t.Fatalf("auth login qfieldcloud: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	qfcToken := secretLookup("field")
	if len(qfcToken) != 100 {
		t.Fatalf("secret-tool finds %d characters for profile field, want the 100-char token", len(qfcToken))
	}
	// Qomon: the API key checked, then stored.
	r = runCLI(t, env, f.QomonToken+"\n", "auth", "login", "--provider", "qomon", "--url", f.QomonURL,
		"--profile", "space", "--with-token")
	if r.code != 0 {
		t.Fatalf("auth login qomon: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := secretLookup("space"); got != f.QomonToken {
		t.Fatalf("secret-tool lookup space = %q", got)
	}
	noFileContains(t, home, qfcToken)
	noFileContains(t, home, f.QomonToken)

	r = runCLI(t, env, "", "auth", "status", "--json")
	if r.code != 0 {
		t.Fatalf("auth status: exit %d\n%s", r.code, r.stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("auth status --json: %v\n%s", err, r.stdout)
	}
	for _, row := range rows {
		if row["token_source"] != "keyring" || row["valid"] != true {
			t.Errorf("auth status row %v: want token_source keyring, valid true", row)
		}
	}
	// A command uses the keyring token of the active profile.
	r = runCLI(t, env, "", "--profile", "field", "orgs", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "fieldops") {
		t.Errorf("orgs list with the keyring token: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	r = runCLI(t, env, "", "auth", "logout", "--everywhere", "--profile", "field")
	if r.code != 0 {
		t.Fatalf("auth logout: exit %d\n%s", r.code, r.stderr)
	}
	if got := secretLookup("field"); got != "" {
		t.Errorf("after logout the keyring still holds the token")
	}
	// --everywhere expires the token on the server too.
	r = runCLI(t, []string{"HOME=" + home, "QFIELDCLOUD_URL=" + f.QFieldCloudURL, "QFIELDCLOUD_TOKEN=" + qfcToken}, "", "orgs", "list")
	if r.code != 4 {
		t.Errorf("the logged-out token still works: exit %d", r.code)
	}
	for _, out := range []string{r.stdout, r.stderr} {
		if strings.Contains(out, qfcToken) {
			t.Error("output contains the token")
		}
	}
}

// secretsOwner is the PID of the Secret Service daemon on the session bus.
func secretsOwner(t *testing.T) int {
	t.Helper()
	out, err := exec.Command("dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
		"/org/freedesktop/DBus", "org.freedesktop.DBus.GetConnectionUnixProcessID",
		"string:org.freedesktop.secrets").Output()
	if err != nil {
		t.Fatalf("finding the Secret Service: %v", err)
	}
	var pid int
	for _, f := range strings.Fields(string(out)) {
		if n, err := strconv.Atoi(f); err == nil {
			pid = n
		}
	}
	if pid == 0 {
		t.Fatalf("no Secret Service owner in %q", out)
	}
	return pid
}

// TestRealKeyringFrozenAndAbsent: a frozen daemon and no bus at all give
// the clear message within the timeout, never a hang.
func TestRealKeyringFrozenAndAbsent(t *testing.T) {
	needKeyring(t)
	f := startFakes(t)
	home := t.TempDir()
	env := keyringEnv(home)
	r := runCLI(t, env, f.QomonToken+"\n", "auth", "login", "--provider", "qomon", "--url", f.QomonURL,
		"--profile", "space", "--with-token")
	if r.code != 0 {
		t.Fatalf("auth login: exit %d\n%s", r.code, r.stderr)
	}

	// The TUI opens the profile with the token from the keyring.
	ok := startTmux(t, 100, 30, append(env, "TERM=xterm-256color", "PATH="+os.Getenv("PATH")), rosterBin)
	ok.waitFor("token: keyring", 10*time.Second)
	ok.waitFor("Claire Martin", 10*time.Second)
	ok.keys("q")
	if code := ok.exitCode(5 * time.Second); code != 0 {
		t.Errorf("TUI on the keyring profile: exit %d", code)
	}

	pid := secretsOwner(t)
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGCONT) })
	// The TUI draws its first frame at once and says what is wrong when
	// the keyring gives up, instead of a blank terminal for 3 s.
	tm := startTmux(t, 100, 30, append(env, "TERM=xterm-256color", "PATH="+os.Getenv("PATH")), rosterBin)
	// The first frame comes before the keyring gives up (3 s): the header
	// is seen on a screen that does not yet say the open failed. (If the
	// frame waited for the keyring, both would appear in the same frame.)
	tm.waitFor("profile space", 5*time.Second)
	if strings.Contains(tm.screen(), "Could not open profile space") {
		t.Errorf("the first frame waited for the frozen keyring:\n%s", tm.screen())
	}
	tm.waitFor("Could not open profile space", 8*time.Second)
	tm.waitFor("QOMON_TOKEN", time.Second)
	tm.keys("q")
	if code := tm.exitCode(5 * time.Second); code != 0 {
		t.Errorf("q after a failed open: exit %d", code)
	}

	start := time.Now()
	r = runCLI(t, env, "", "roles", "list")
	elapsed := time.Since(start)
	syscall.Kill(pid, syscall.SIGCONT)
	t.Logf("frozen keyring: roster gave up after %s (exit %d)", elapsed.Round(time.Millisecond), r.code)
	// Frozen, the keyring never answers: ten times its 3 s timeout tells
	// "gave up" from "hung" under any load.
	if r.code == 0 || elapsed > 30*time.Second || !strings.Contains(r.stderr, "no answer within 3s") {
		t.Errorf("frozen keyring: exit %d after %s; want the 3 s keyring timeout:\n%s", r.code, elapsed, r.stderr)
	}
	for _, want := range []string{"keyring", "QOMON_TOKEN", "--insecure-storage"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("frozen keyring message lacks %q:\n%s", want, r.stderr)
		}
	}

	// No session bus at all.
	noBus := []string{"HOME=" + home, "ROSTER_CONFIG_DIR=" + filepath.Join(home, "cfg"),
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(home, "no-such-bus")}
	start = time.Now()
	r = runCLI(t, noBus, "", "roles", "list")
	elapsed = time.Since(start)
	t.Logf("no session bus: roster gave up after %s (exit %d)", elapsed.Round(time.Millisecond), r.code)
	// No bus fails at once, not by the timeout: the message tells which.
	if r.code == 0 || strings.Contains(r.stderr, "no answer within") || !strings.Contains(r.stderr, "QOMON_TOKEN") {
		t.Errorf("no bus: exit %d after %s, stderr:\n%s", r.code, elapsed, r.stderr)
	}
	// The env var is the documented way out, and it works.
	r = runCLI(t, append(noBus, "QOMON_TOKEN="+f.QomonToken, "QOMON_URL="+f.QomonURL), "", "roles", "list")
	if r.code != 0 {
		t.Errorf("with QOMON_TOKEN and no keyring: exit %d\n%s", r.code, r.stderr)
	}
}

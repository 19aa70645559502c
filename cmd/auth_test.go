package cmd

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/config"
)

func TestAuthStatusEveryProfile(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	good := e.vars["QFIELDCLOUD_TOKEN"]
	delete(e.vars, "QFIELDCLOUD_TOKEN")
	e.seedProfiles(
		config.Profile{Name: "work", Provider: "qfieldcloud", URL: srv.URL(), Username: "demo"},
		config.Profile{Name: "stale", Provider: "qfieldcloud", URL: srv.URL(), Username: "ana"},
		config.Profile{Name: "empty", Provider: "qomon", URL: "http://127.0.0.1:1"},
	)
	e.keyring.Set("work", good)
	e.keyring.Set("stale", "x"+good[1:])

	r := e.run("", "auth", "status")
	expectCode(t, r, 0)
	for _, want := range []string{"* work", "keyring  yes", "stale", "no: ", "empty", "no token"} {
		expectContains(t, "stdout", r.stdout, want)
	}
	r = e.run("", "auth", "status", "--json")
	expectCode(t, r, 0)
	var rows []statusRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 3 {
		t.Fatalf("%v\n%s", err, r)
	}
	// The exit code follows the profile commands would use.
	r = e.run("", "--profile", "stale", "auth", "status")
	expectCode(t, r, 4)
	if strings.Contains(r.stdout+r.stderr, good[1:]) {
		t.Fatal("a token was printed")
	}
}

func TestKeyringUnavailable(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	delete(e.vars, "QFIELDCLOUD_TOKEN")
	e.seedProfiles(config.Profile{Name: "work", Provider: "qfieldcloud", URL: srv.URL(), Username: "demo"})
	e.keyring.err = &config.KeyringError{Op: "reading", Profile: "work", Timeout: 3 * time.Second}
	r := e.run("", "members", "list", "fieldops")
	expectCode(t, r, 1)
	oneLineError(t, r, "keyring")
	expectContains(t, "stderr", r.stderr, "--insecure-storage")

	// The way out: a token in credentials.toml.
	r = e.run("demo\n", "auth", "login", "--profile", "work", "--username", "demo", "--password-stdin", "--insecure-storage")
	expectCode(t, r, 0)
	r = e.run("", "members", "list", "fieldops")
	expectCode(t, r, 0)
	expectContains(t, "stderr", r.stderr, "plain text")
}

func TestDemoNeedsNoConfig(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.tty = true
	e.set("ROSTER_CONFIG_DIR", e.dir+"/never")
	r := e.run("", "--demo")
	expectCode(t, r, 0)
	if e.tuiOpts == nil || e.tuiOpts.Session == nil || e.tuiOpts.Profiles == nil {
		t.Fatalf("demo options: %+v", e.tuiOpts)
	}
	if s := e.tuiOpts.Session; s.Provider == nil {
		t.Fatal("demo session without a provider")
	}
	if _, err := os.Stat(e.dir + "/never"); !os.IsNotExist(err) {
		t.Errorf("--demo touched the config directory: %v", err)
	}
}

// The demo's profile switcher lists the demo profiles and the configured
// ones, and opens each kind the right way.
func TestDemoSwitcherListsConfiguredProfiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.tty = true
	e.seedProfiles(config.Profile{Name: "work", Provider: "qomon", URL: "https://qomon.example"})
	r := e.run("", "--demo")
	expectCode(t, r, 0)
	var names []string
	for _, p := range e.tuiOpts.Profiles() {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); got != "demo-qfieldcloud,demo-qomon,work" {
		t.Fatalf("switcher profiles = %s", got)
	}
	s, err := e.tuiOpts.Open(context.Background(), "demo-qomon")
	if err != nil || s.Kind != "qomon" || s.Source != "demo" {
		t.Fatalf("open demo-qomon: %+v, %v", s, err)
	}
	// The configured profile has no token: opening it says so.
	if _, err := e.tuiOpts.Open(context.Background(), "work"); err == nil {
		t.Fatal("opening a profile without a token succeeded")
	}
}

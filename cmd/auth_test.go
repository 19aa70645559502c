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
	if n := strings.Count(r.stderr, "the token of profile"); n != 1 {
		t.Errorf("the cause is said %d times:\n%s", n, r)
	}

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

// Plain logout forgets roster's copy only: the token keeps working on the
// server (QField in the field is not signed out). --everywhere says what
// it does, then POSTs auth/logout/, which expires it.
func TestLogoutLocalUnlessEverywhere(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	delete(e.vars, "QFIELDCLOUD_TOKEN")
	e.seedProfiles(config.Profile{Name: "work", Provider: "qfieldcloud", URL: srv.URL(), Username: "demo"})
	tok := srv.Token("demo")
	e.keyring.Set("work", tok)
	srv.Kit().ResetRequests()

	r := e.run("", "auth", "logout")
	expectCode(t, r, 0)
	if e.keyring.get("work") != "" {
		t.Fatal("token kept in the keyring after logout")
	}
	for _, req := range srv.Kit().Requests() {
		if req.Method == "POST" {
			t.Fatalf("plain logout sent %s %s", req.Method, req.Path)
		}
	}
	expectContains(t, "stderr", r.stderr, "stays valid on the server")
	e.set("QFIELDCLOUD_TOKEN", tok)
	expectCode(t, e.run("", "orgs", "list"), 0) // still valid
	delete(e.vars, "QFIELDCLOUD_TOKEN")

	e.keyring.Set("work", tok)
	r = e.run("", "auth", "logout", "--everywhere")
	expectCode(t, r, 0)
	expectContains(t, "stderr", r.stderr, "expires every qfieldcloud token")
	posts := 0
	for _, req := range srv.Kit().Requests() {
		if req.Method == "POST" && strings.Contains(req.Path, "auth/logout") {
			posts++
		}
	}
	if posts != 1 {
		t.Fatalf("--everywhere sent %d POST auth/logout/", posts)
	}
	if e.keyring.get("work") != "" {
		t.Fatal("token kept in the keyring after logout --everywhere")
	}
	e.set("QFIELDCLOUD_TOKEN", tok)
	expectCode(t, e.run("", "orgs", "list"), 4) // expired on the server
}

// Qomon has no sign-out API: --everywhere says so (exit 2) and changes
// nothing.
func TestLogoutEverywhereUnsupported(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedProfiles(config.Profile{Name: "camp", Provider: "qomon", URL: "http://127.0.0.1:1"})
	e.keyring.Set("camp", "tok")
	r := e.run("", "auth", "logout", "--everywhere")
	expectCode(t, r, 2)
	oneLineError(t, r, "no API to sign out")
	if e.keyring.get("camp") != "tok" {
		t.Fatal("the local token was forgotten although nothing was done")
	}
}

// A saved profile (alice = demo here) and an env token of someone else
// (ana): the env token wins, and the account comes from the token, not
// from the profile's username.
func TestEnvTokenOfAnotherUserWins(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	e.seedProfiles(config.Profile{Name: "work", Provider: "qfieldcloud", URL: srv.URL(), Username: "demo"})
	e.keyring.Set("work", srv.Token("demo"))
	e.set("QFIELDCLOUD_TOKEN", srv.Token("ana"))
	srv.Kit().ResetRequests()
	r := e.run("", "orgs", "list")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "geo-survey")
	if strings.Contains(r.stdout, "fieldops") {
		t.Errorf("listed the profile user's organizations, not the token's:\n%s", r)
	}
	who := 0
	for _, req := range srv.Kit().Requests() {
		if strings.HasSuffix(req.Path, "auth/user/") {
			who++
		}
	}
	if who != 1 {
		t.Errorf("GET auth/user/ sent %d times, want once", who)
	}
	r = e.run("", "auth", "status", "--json")
	expectCode(t, r, 0)
	var rows []statusRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 1 || rows[0].User != "ana" || rows[0].Source != "env" {
		t.Fatalf("status: %v\n%s", err, r)
	}
}

// Both tokens set: the message says how to choose, --profile qfieldcloud
// and --profile qomon pick that token, and auth status shows both.
func TestBothEnvTokens(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	e.set("QOMON_TOKEN", "q-token").set("QOMON_URL", "http://127.0.0.1:1")
	r := e.run("", "orgs", "list")
	expectCode(t, r, 2)
	oneLineError(t, r, "both QFIELDCLOUD_TOKEN and QOMON_TOKEN are set")
	expectContains(t, "stderr", r.stderr, "--profile qfieldcloud or --profile qomon")
	if strings.Contains(r.stderr, "no profile both") {
		t.Errorf("garbled message:\n%s", r)
	}
	r = e.run("", "--profile", "qfieldcloud", "orgs", "list")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "fieldops")
	r = e.run("", "--profile", "qomon", "auth", "status", "--json")
	var rows []statusRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 1 || rows[0].Provider != "qomon" || !rows[0].Active {
		t.Fatalf("status --profile qomon: %v\n%s", err, r)
	}
	r = e.run("", "auth", "status")
	expectCode(t, r, 4)
	for _, want := range []string{"qfieldcloud", "qomon", srv.URL(), "env"} {
		expectContains(t, "stdout", r.stdout, want)
	}
	expectContains(t, "stderr", r.stderr, "--profile qfieldcloud or --profile qomon")
}

// The keyring failing while a token is stored: one cause, said once.
func TestKeyringUnavailableSaidOnce(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	delete(e.vars, "QFIELDCLOUD_TOKEN")
	e.keyring.err = &config.KeyringError{Op: "storing", Profile: "work", Timeout: 3 * time.Second}
	r := e.run("demo\n", "auth", "login", "--profile", "work", "--provider", "qfieldcloud", "--url", srv.URL(), "--username", "demo", "--password-stdin")
	expectCode(t, r, 1)
	oneLineError(t, r, "keyring")
	if n := strings.Count(r.stderr, "the token of profile"); n != 1 {
		t.Errorf("the cause is said %d times:\n%s", n, r)
	}
	if n := strings.Count(r.stderr, "--insecure-storage"); n != 1 {
		t.Errorf("the way out is said %d times:\n%s", n, r)
	}
}

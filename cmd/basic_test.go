package cmd

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/config"
)

func TestExitCodes(t *testing.T) {
	t.Parallel()
	api := func(kind error) error { return &client.APIError{Kind: kind, Status: 400, Message: "x"} }
	cases := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errors.New("boom"), 1},
		{usagef("bad"), 2},
		{fmt.Errorf("adding: %w", client.ErrBadInput), 2},
		{fmt.Errorf("deleting: %w", client.ErrUnsupported), 2},
		{fmt.Errorf("x: %w", client.ErrReadOnly), 2},
		{errNotSignedIn, 4},
		{fmt.Errorf("x: %w", config.ErrNoToken), 4},
		{fmt.Errorf("listing: %w", api(client.ErrUnauthenticated)), 4},
		{fmt.Errorf("listing: %w", api(client.ErrForbidden)), 1},
		{fmt.Errorf("listing: %w", api(client.ErrNotFound)), 1},
		{fmt.Errorf("listing: %w", api(client.ErrNetwork)), 1},
		{&silentError{3}, 3},
	}
	for _, c := range cases {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	cases := [][]string{
		{"bogus"},
		{"members", "bogus"},
		{"members", "list", "--nope"},
		{"members", "add"},
		{"members", "list", "a", "b"},
		{"teams", "rename", "x"},
		{"users", "list", "--limit", "x"},
		{"--timeout", "0s", "version"},
		{"members", "list", "--json", "--csv"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t).set("QOMON_TOKEN", "t0ken")
			r := e.run("", args...)
			expectCode(t, r, 2)
			if r.stdout != "" {
				t.Errorf("stdout not empty:\n%s", r)
			}
			if !strings.HasPrefix(r.stderr, "roster: ") {
				t.Errorf("stderr:\n%s", r)
			}
		})
	}
}

// roster version, roster --version and the TUI's help show one string.
func TestVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.run("", "version")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "roster 1.2.3-test (")
	expectContains(t, "stdout", r.stdout, "go1.")
	first := strings.SplitN(r.stdout, "\n", 2)[0]

	r = e.run("", "--version")
	expectCode(t, r, 0)
	if r.stdout != first+"\n" {
		t.Errorf("--version = %q, version = %q", r.stdout, first)
	}
	e.tty = true
	expectCode(t, e.run("", "--demo"), 0)
	if got := "roster " + e.tuiOpts.Version; got != first {
		t.Errorf("TUI help shows %q, version %q", got, first)
	}
}

// A release build's stamps are shown as given.
func TestVersionStamped(t *testing.T) {
	t.Parallel()
	f := &Factory{Version: "v1.4.0", Build: Build{Version: "v1.4.0", Commit: "0123456789abcdef0123", Date: "2026-12-05T10:00:00Z"}}
	if got, want := f.versionLine(), "v1.4.0 (commit 0123456789ab, built 2026-12-05T10:00:00Z)"; got != want {
		t.Errorf("versionLine = %q, want %q", got, want)
	}
}

func TestCompletion(t *testing.T) {
	t.Parallel()
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		r := newEnv(t).run("", "completion", sh)
		expectCode(t, r, 0)
		if !strings.Contains(r.stdout, "roster") {
			t.Errorf("%s completion does not mention roster", sh)
		}
	}
}

func TestNotSignedIn(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"members", "list", "acme"}, {"users", "list"}, {"teams", "list"}} {
		r := newEnv(t).run("", args...)
		expectCode(t, r, 4)
		if r.stderr != "roster: "+errNotSignedIn.Error()+"\n" {
			t.Errorf("stderr = %q", r.stderr)
		}
	}
}

// The no-token message names every way forward.
func TestNotSignedInNamesTheWaysForward(t *testing.T) {
	t.Parallel()
	r := newEnv(t).run("", "users", "list")
	expectCode(t, r, 4)
	for _, want := range []string{"roster auth login", "QFIELDCLOUD_TOKEN", "QOMON_TOKEN", "roster --demo"} {
		expectContains(t, "stderr", r.stderr, want)
	}
}

func TestRootWithoutTerminal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.run("")
	expectCode(t, r, 2)
	expectContains(t, "stderr", r.stderr, "Usage:")
	if e.tuiOpts != nil {
		t.Error("TUI started without a terminal")
	}
}

func TestRootSignInScreen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.tty = true
	r := e.run("", "--read-only", "--no-color")
	expectCode(t, r, 0)
	if e.tuiOpts == nil {
		t.Fatal("TUI not started")
	}
	o := e.tuiOpts
	if o.Session != nil || o.SignIn == nil || !o.ReadOnly || !o.NoColor {
		t.Errorf("options: session=%v signIn=%v readOnly=%v noColor=%v", o.Session, o.SignIn != nil, o.ReadOnly, o.NoColor)
	}
}

func TestTableAlignsAndSanitises(t *testing.T) {
	t.Parallel()
	tb := table{headers: []string{"A", "EMPTY", "B", "C"}}
	tb.add("x\x1b[31mred", "", "é", "")
	tb.add("longer value", "", strings.Repeat("w", 60), "c")
	var b strings.Builder
	if err := tb.write(&b); err != nil {
		t.Fatal(err)
	}
	want := "A             B                                                 C\n" +
		"xred          é\n" +
		"longer value  " + strings.Repeat("w", 47) + "…  c\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

// A mistyped command gets gh's suggestion, at the root and under a noun.
func TestTypoSuggestions(t *testing.T) {
	t.Parallel()
	for args, want := range map[string]string{
		"memebrs":       "members",
		"member list":   "members",
		"tems":          "teams",
		"members lst":   "list",
		"auth logot":    "login\n\tlogout",
		"profiles uses": "use",
	} {
		r := newEnv(t).run("", strings.Fields(args)...)
		expectCode(t, r, 2)
		expectContains(t, "stderr", r.stderr, "\n\nDid you mean this?\n\t"+want+"\n")
	}
	r := newEnv(t).run("", "zzzzz")
	expectCode(t, r, 2)
	if strings.Contains(r.stderr, "Did you mean") {
		t.Errorf("suggested something for zzzzz:\n%s", r)
	}
}

// log --since takes days and weeks too.
func TestLogSinceDaysAndWeeks(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"2d", "1w", "1w2d", "36h", "1.5d"} {
		r := newEnv(t).run("", "log", "--since", ok)
		expectCode(t, r, 0)
	}
	var f sinceFlag
	if err := f.Set("1w2d3h"); err != nil || time.Duration(f) != (9*24+3)*time.Hour {
		t.Fatalf("1w2d3h = %v, %v", time.Duration(f), err)
	}
	r := newEnv(t).run("", "log", "--since", "2x")
	expectCode(t, r, 2)
	expectContains(t, "stderr", r.stderr, "2d, 1w")
}

// Without a terminal the confirmation error says the action once.
func TestConfirmationSaidOnce(t *testing.T) {
	t.Parallel()
	_, e := qfc(t)
	r := e.run("", "members", "remove", "fieldops", "hiro")
	expectCode(t, r, 2)
	oneLineError(t, r, "pass --yes")
	if n := strings.Count(strings.ToLower(r.stderr), "remov"); n != 1 {
		t.Errorf("the action is said %d times:\n%s", n, r)
	}
}

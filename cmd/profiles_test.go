package cmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/roster-cli/roster/config"
)

// seedProfiles writes profiles to the env's config.toml, the first active.
func (e *env) seedProfiles(ps ...config.Profile) {
	e.t.Helper()
	cfg, err := config.Load(e.dir)
	if err != nil {
		e.t.Fatal(err)
	}
	for i, p := range ps {
		cfg.Set(p)
		if i == 0 {
			if err := cfg.Use(p.Name); err != nil {
				e.t.Fatal(err)
			}
		}
	}
	if err := cfg.Save(); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) loadConfig() *config.Config {
	e.t.Helper()
	cfg, err := config.Load(e.dir)
	if err != nil {
		e.t.Fatal(err)
	}
	return cfg
}

func TestProfiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.run("", "profiles", "list")
	expectCode(t, r, 0)
	expectContains(t, "stderr", r.stderr, "no profiles")

	e.seedProfiles(
		config.Profile{Name: "work", Provider: "qfieldcloud", URL: "https://app.qfield.cloud/api/v1/", Username: "ana", Org: "acme"},
		config.Profile{Name: "space", Provider: "qomon", URL: "https://incoming.qomon.app"},
	)
	e.keyring.Set("space", "sekret")

	r = e.run("", "profiles", "list")
	expectCode(t, r, 0)
	golden(t, "profiles_list.txt", r.stdout)

	r = e.run("", "profiles", "list", "--json")
	expectCode(t, r, 0)
	var rows []profileRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 2 || !rows[1].Active || rows[1].Name != "work" {
		t.Fatalf("profiles list --json: %v\n%s", err, r)
	}

	r = e.run("", "profiles", "use", "nope")
	expectCode(t, r, 2)
	expectContains(t, "stderr", r.stderr, "known: space, work")

	r = e.run("", "profiles", "use", "space")
	expectCode(t, r, 0)
	if got := e.loadConfig().Active; got != "space" {
		t.Errorf("active = %q after use", got)
	}

	r = e.run("", "profiles", "remove", "space")
	expectCode(t, r, 0)
	if _, ok := e.loadConfig().Get("space"); ok {
		t.Error("profile still there after remove")
	}
	if e.keyring.get("space") != "" {
		t.Error("token still in the keyring after remove")
	}

	// Completion of profile names.
	r = e.run("", "__complete", "profiles", "use", "w")
	expectCode(t, r, 0)
	if !strings.HasPrefix(r.stdout, "work\n") {
		t.Errorf("completion: %q", r.stdout)
	}
	r = e.run("", "__complete", "--profile", "")
	if !strings.Contains(r.stdout, "work") {
		t.Errorf("--profile completion: %q", r.stdout)
	}
}

func TestUnknownProfileFlag(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.run("", "--profile", "ghost", "members", "list")
	expectCode(t, r, 2)
	oneLineError(t, r, "ghost")
}

func TestLoginUsage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"auth", "login"}, "--provider is required"},
		{[]string{"auth", "login", "--provider", "nope", "--with-token"}, "unknown provider"},
		{[]string{"auth", "login", "--provider", "qomon", "--password-stdin"}, "--with-token"},
		{[]string{"auth", "login", "--provider", "qfieldcloud", "--password-stdin"}, "--username"},
		{[]string{"auth", "login", "--provider", "qomon", "--with-token"}, "no token on stdin"},
		{[]string{"auth", "login", "--provider", "qomon", "--with-token", "--url", "http://example.com"}, "loopback"},
		{[]string{"auth", "login", "--provider", "qomon", "--with-token", "--password-stdin"}, "together"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			t.Parallel()
			stdin := ""
			if strings.Contains(c.want, "loopback") {
				stdin = "tok\n"
			}
			r := newEnv(t).run(stdin, c.args...)
			expectCode(t, r, 2)
			oneLineError(t, r, c.want)
		})
	}
}

package cmd

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// filesHolding walks dir and returns the files whose bytes contain secret,
// checking on the way that every file is 0600 and every directory 0700.
func filesHolding(t *testing.T, dir, secret string) []string {
	t.Helper()
	var hits []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && info.Mode().Perm() != 0o700 {
				t.Errorf("directory %s is %o, want 700", path, info.Mode().Perm())
			}
			return nil
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("file %s is %o, want 600", path, info.Mode().Perm())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), secret) {
			hits = append(hits, filepath.Base(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

// A whole session per provider, every command category with --debug:
// login, status, reads, writes, dry runs, errors, profiles, logout. The
// token appears in no byte of output and in no file under HOME; the
// config directory is 0700 and its files 0600.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	t.Run("qfieldcloud", func(t *testing.T) {
		t.Parallel()
		srv, e := qfc(t)
		delete(e.vars, "QFIELDCLOUD_TOKEN")
		delete(e.vars, "QFIELDCLOUD_URL")
		e.vars["ROSTER_CONFIG_DIR"] = filepath.Join(e.dir, "config", "roster") // created by roster
		var out strings.Builder
		run := func(stdin string, args ...string) result {
			r := e.run(stdin, append([]string{"--debug"}, args...)...)
			out.WriteString(r.stdout + r.stderr)
			return r
		}
		expectCode(t, run("demo\n", "auth", "login", "--provider", "qfieldcloud", "--url", srv.URL(), "--username", "demo", "--password-stdin", "--profile", "work"), 0)
		tok := e.keyring.get("work")
		if len(tok) < 20 {
			t.Fatalf("no token in the keyring after login: %q", tok)
		}
		for _, args := range [][]string{
			{"auth", "status"}, {"auth", "status", "--json"}, {"profiles", "list", "--json"},
			{"users", "list", "--json"}, {"users", "get", "demo", "--json"}, {"orgs", "list"},
			{"members", "list", "fieldops", "--csv"}, {"teams", "list", "--org", "fieldops"},
			{"members", "add", "fieldops", "david"}, {"members", "set-role", "fieldops", "david", "admin"},
			{"teams", "add-member", "fieldops/hydrology", "olga", "nobody"},
			{"members", "remove", "fieldops", "david", "--yes", "--dry-run"},
			{"members", "remove", "fieldops", "david", "--yes"},
			{"members", "list", "no-such-org"}, {"members", "add", "fieldops", "elena", "--read-only"},
		} {
			run("", args...)
		}
		srv.ExpireTokens("demo") // a 401 with the token in flight
		if r := run("", "members", "list", "fieldops"); r.code != 4 {
			t.Errorf("expired token: exit %d", r.code)
		}
		if hits := filesHolding(t, e.dir, tok); len(hits) != 0 {
			t.Errorf("the token is in %v (keyring storage must leave no file with it)", hits)
		}
		// --insecure-storage is the one way a token lands in a file.
		expectCode(t, run("demo\n", "auth", "login", "--provider", "qfieldcloud", "--url", srv.URL(), "--username", "demo", "--password-stdin", "--profile", "work", "--insecure-storage"), 0)
		tok2 := e.keyring.get("work")
		if tok2 != "" {
			t.Error("--insecure-storage left the old token in the keyring")
		}
		creds, err := os.ReadFile(filepath.Join(e.vars["ROSTER_CONFIG_DIR"], "credentials.toml"))
		if err != nil {
			t.Fatal(err)
		}
		fileTok := ""
		for _, l := range strings.Split(string(creds), "\n") {
			if i := strings.Index(l, `"`); i >= 0 && strings.Count(l, `"`) >= 2 {
				fileTok = strings.Trim(l[i:], `"`)
			}
		}
		if hits := filesHolding(t, e.dir, fileTok); len(fileTok) < 20 || len(hits) != 1 || hits[0] != "credentials.toml" {
			t.Errorf("with --insecure-storage the token is in %v, want only credentials.toml", hits)
		}
		run("", "members", "list", "fieldops")
		expectCode(t, run("", "auth", "logout"), 0)
		if hits := filesHolding(t, e.dir, fileTok); len(hits) != 0 {
			t.Errorf("after logout the token is still in %v", hits)
		}
		for _, secret := range []string{tok, fileTok} {
			if strings.Contains(out.String(), secret) {
				t.Fatal("a token appears in roster's output")
			}
		}
		expectContains(t, "debug output", out.String(), "debug: POST")
	})
	t.Run("qomon", func(t *testing.T) {
		t.Parallel()
		w, e := qom(t)
		tok := e.vars["QOMON_TOKEN"]
		delete(e.vars, "QOMON_TOKEN")
		delete(e.vars, "QOMON_URL")
		var out strings.Builder
		run := func(stdin string, args ...string) result {
			r := e.run(stdin, append([]string{"--debug"}, args...)...)
			out.WriteString(r.stdout + r.stderr)
			return r
		}
		expectCode(t, run(tok+"\n", "auth", "login", "--provider", "qomon", "--url", w.srv.URL(), "--with-token", "--profile", "nord"), 0)
		if e.keyring.get("nord") != tok {
			t.Fatal("the token is not in the keyring")
		}
		for _, args := range [][]string{
			{"auth", "status", "--json"}, {"users", "list", "--csv"}, {"roles", "list"}, {"teams", "list", "--json"},
			{"invitations", "list"}, {"users", "set-role", "bob@example.org", "manager"},
			{"teams", "add-member", "Quartier Nord", "cleo@example.org", "nobody@example.org"},
			{"invitations", "send", "x@example.org", "not-an-email"},
			{"teams", "create", "Sud", "--dry-run"}, {"users", "get", "nobody@example.org"},
		} {
			run("", args...)
		}
		if hits := filesHolding(t, e.dir, tok); len(hits) != 0 {
			t.Errorf("the token is in %v", hits)
		}
		expectCode(t, run("", "auth", "logout"), 0)
		if strings.Contains(out.String(), tok) {
			t.Fatal("the token appears in roster's output")
		}
		expectContains(t, "debug output", out.String(), "debug: GET")
	})
}

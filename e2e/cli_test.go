package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCLIAgainstFakes runs the built binary as a script would: pipes, exit
// codes, one JSON document, errors on stderr.
func TestCLIAgainstFakes(t *testing.T) {
	needE2E(t)
	f := startFakes(t)
	home := t.TempDir()
	env := f.qfcEnv(home)

	r := runCLI(t, env, "", "members", "list", "fieldops", "--json")
	if r.code != 0 {
		t.Fatalf("members list: exit %d\n%s", r.code, r.stderr)
	}
	var members []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &members); err != nil || len(members) == 0 {
		t.Fatalf("members list --json: %v\n%s", err, r.stdout)
	}

	steps := []struct {
		args     []string
		code     int
		contains string // in stdout+stderr
	}{
		{[]string{"members", "add", "fieldops", "zoe", "--role", "admin"}, 0, "zoe"},
		{[]string{"members", "add", "fieldops", "zoe"}, 1, "already a member"},
		{[]string{"members", "set-role", "fieldops", "zoe", "creator"}, 0, "creator"},
		{[]string{"members", "set-role", "fieldops", "zoe", "boss"}, 2, "boss"},
		{[]string{"members", "remove", "fieldops", "zoe"}, 2, "--yes"},
		{[]string{"members", "remove", "fieldops", "zoe", "--yes"}, 0, "zoe"},
		{[]string{"members", "list", "no-such-org"}, 1, "no-such-org"},
		{[]string{"members", "add", "fieldops", "zoe", "--read-only"}, 2, "read-only"},
		{[]string{"members", "list", "--bogus-flag"}, 2, "bogus"},
		{[]string{"invitations", "list"}, 2, "qfieldcloud"},
	}
	for _, s := range steps {
		r := runCLI(t, env, "", s.args...)
		all := r.stdout + r.stderr
		if r.code != s.code || !strings.Contains(all, s.contains) {
			t.Errorf("roster %s: exit %d, want %d, containing %q\nstdout: %s\nstderr: %s",
				strings.Join(s.args, " "), r.code, s.code, s.contains, r.stdout, r.stderr)
		}
		if strings.Contains(all, f.QFieldCloudToken) {
			t.Errorf("roster %s printed the token", strings.Join(s.args, " "))
		}
	}

	// Not signed in anywhere: exit 4 with the hint.
	r = runCLI(t, []string{"HOME=" + home}, "", "members", "list", "fieldops")
	if r.code != 4 || !strings.Contains(r.stderr, "roster auth login") {
		t.Errorf("no token: exit %d, stderr %q; want 4 and the auth login hint", r.code, r.stderr)
	}
	// A bad token is a 401: exit 4 too.
	r = runCLI(t, []string{"HOME=" + home, "QFIELDCLOUD_URL=" + f.QFieldCloudURL, "QFIELDCLOUD_TOKEN=wrong"}, "", "orgs", "list")
	if r.code != 4 {
		t.Errorf("bad token: exit %d, want 4\n%s", r.code, r.stderr)
	}
	// roster alone without a terminal: usage, exit 2.
	r = runCLI(t, env, "")
	if r.code != 2 {
		t.Errorf("roster without a terminal: exit %d, want 2", r.code)
	}

	// Qomon: a role by name, a team member added with the safe write.
	qenv := f.qomonEnv(home)
	r = runCLI(t, qenv, "", "roles", "list", "--json")
	if r.code != 0 || !strings.Contains(r.stdout, "superadmin") {
		t.Fatalf("qomon roles list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, qenv, "", "members", "remove", "x", "--yes")
	if r.code != 2 || !strings.Contains(r.stderr, "qomon") {
		t.Errorf("qomon members remove: exit %d, stderr %q; want 2 naming qomon", r.code, r.stderr)
	}
}

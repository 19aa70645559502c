package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-cli/roster/internal/audit"
)

// Writes from plain commands are recorded with before/after and outcome;
// reads are not; the file never holds the token; roster log shows it.
func TestAuditLogOfCommands(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	state := filepath.Join(e.dir, "state")
	e.set("XDG_STATE_HOME", state)
	expectCode(t, e.run("", "members", "list", "fieldops"), 0)
	expectCode(t, e.run("", "members", "add", "fieldops", "rosa", "--role", "creator"), 0)
	expectCode(t, e.run("", "members", "set-role", "fieldops", "rosa", "admin"), 0)
	expectCode(t, e.run("", "teams", "add-member", "fieldops/hydrology", "rosa"), 0)
	expectCode(t, e.run("", "members", "remove", "fieldops", "nobody", "--yes"), 1)
	expectCode(t, e.run("", "members", "add", "fieldops", "ana", "--dry-run"), 0)
	expectCode(t, e.run("", "members", "add", "fieldops", "ana", "--read-only"), 2)

	path := filepath.Join(state, "roster", "audit.jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if tok := srv.Token("demo"); strings.Contains(string(data), tok) {
		t.Fatal("the token is in the audit log")
	}
	for _, secret := range []string{"Authorization", "Token ", "password"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("the audit log mentions %q:\n%s", secret, data)
		}
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode %v", st.Mode().Perm())
	}
	got := e.auditEntries()
	var lines []string
	for _, en := range got {
		lines = append(lines, strings.Join([]string{en.Profile, en.Provider, en.Action, en.Org, en.Target, en.Before, en.After, en.Outcome}, "|"))
	}
	want := []string{
		"env|qfieldcloud|member.add|fieldops|rosa||role=creator public=false|ok",
		"env|qfieldcloud|member.update|fieldops|rosa|role=creator public=false|role=admin public=false|ok",
		"env|qfieldcloud|team.member.add|fieldops|hydrology: rosa||member|ok",
		"env|qfieldcloud|member.remove|fieldops|nobody||removed|error",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit entries:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if got[3].Error == "" {
		t.Error("the failed write has no error text")
	}

	r := e.run("", "log")
	expectCode(t, r, 0)
	expectContains(t, "log", r.stdout, "member.update")
	expectContains(t, "log", r.stdout, "role=creator → role=admin")
	r = e.run("", "log", "--json")
	expectCode(t, r, 0)
	var js []audit.Entry
	if err := json.Unmarshal([]byte(r.stdout), &js); err != nil || len(js) != 4 {
		t.Fatalf("log --json: %v, %d entries\n%s", err, len(js), r.stdout)
	}
}

func TestLogFiltersAndDamagedLines(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	state := filepath.Join(e.dir, "state")
	e.set("XDG_STATE_HOME", state)
	// Nothing yet: an empty log is not an error.
	r := e.run("", "log", "--json")
	expectCode(t, r, 0)
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("empty log: %q", r.stdout)
	}
	// The test clock is 2026-11-24 09:00 UTC.
	content := `{"time":"2026-11-20T09:00:00Z","profile":"work","provider":"qomon","action":"user.set_role","target":"12","outcome":"ok"}
{"time":"2026-11-24T08:30:00Z","profile":"work","provider":"qomon","action":"team.rename","tar
this is not JSON
{"time":"2026-11-24T08:45:00Z","profile":"home","provider":"qfieldcloud","action":"member.add","org":"o","target":"bob","outcome":"ok"}
{"time":"2026-11-24T08:50:00Z","profile":"work","provider":"qomon","action":"team.member.add","target":"Nord: 7","outcome":"error","error":"conflict"}
`
	if err := os.MkdirAll(filepath.Join(state, "roster"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(state, "roster", "audit.jsonl"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	count := func(args ...string) int {
		t.Helper()
		r := e.run("", append([]string{"log", "--json"}, args...)...)
		expectCode(t, r, 0)
		expectContains(t, "stderr", r.stderr, "line 2 is damaged, skipped")
		expectContains(t, "stderr", r.stderr, "line 3 is damaged, skipped")
		var js []audit.Entry
		if err := json.Unmarshal([]byte(r.stdout), &js); err != nil {
			t.Fatalf("%v\n%s", err, r.stdout)
		}
		return len(js)
	}
	if n := count(); n != 3 {
		t.Errorf("all: %d entries, want 3", n)
	}
	if n := count("--since", "1h"); n != 2 {
		t.Errorf("--since 1h: %d entries, want 2", n)
	}
	if n := count("--profile", "work"); n != 2 {
		t.Errorf("--profile work: %d entries, want 2", n)
	}
	if n := count("--profile", "work", "--since", "1h"); n != 1 {
		t.Errorf("--profile work --since 1h: %d entries, want 1", n)
	}
	r = e.run("", "log")
	expectCode(t, r, 0)
	expectContains(t, "log", r.stdout, "error: conflict")
	expectCode(t, e.run("", "log", "--since", "-1h"), 2)
}

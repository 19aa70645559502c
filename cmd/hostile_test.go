package cmd

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon/qomontest"
)

// Hostile server text: every family of terminal control a name, e-mail or
// error message could carry.
const (
	hostileFirst = "Eve\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07\x1b[2J\x1b[H"
	hostileLast  = "\u202eevil\u2066\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\\u009b31m\x1bP1$r\x1b\\\x00\x7f"
	hostileMail  = "eve\x1b[31m@evil.example\x1b_apc\x1b\\\u009d0;title\u0007"
	hostileTeam  = "team\x1b]0;pwned\x1b\\\u2067x\u2069\x1b^pm\x1b\\"
)

// terminalSafe fails if s holds an escape, a C0 control other than
// newline, a C1 control or a bidi control.
func terminalSafe(t *testing.T, what, s string) {
	t.Helper()
	for i, r := range s {
		bad := (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) ||
			(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
			r == 0x200e || r == 0x200f || r == 0x061c
		if bad {
			t.Errorf("%s holds control %U at byte %d:\n%q", what, r, i, s)
			return
		}
	}
}

// jsonStrings collects every string value of a JSON document.
func jsonStrings(t *testing.T, doc string) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, doc)
	}
	out := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out[x] = true
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// Every human output of a list or get against a server whose names hold
// escapes is free of them; --json keeps the exact values, escaped (the raw
// output holds no ESC either); --csv keeps the exact data for spreadsheets.
func TestHostileTextQFieldCloud(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	huge := strings.Repeat("W", 5000)
	srv.AddUser(qfctest.User{Username: "eve", FirstName: hostileFirst, LastName: hostileLast + huge, Email: hostileMail, Password: "pw"})
	srv.AddMember("fieldops", "eve", "member", true)
	srv.AddTeam("fieldops", hostileTeam, "eve")

	human := [][]string{
		{"members", "list", "fieldops"},
		{"users", "list", "--search", "eve"},
		{"users", "get", "eve"},
		{"teams", "list", "--org", "fieldops"},
		{"teams", "get", hostileTeam, "--org", "fieldops"},
	}
	for _, args := range human {
		r := e.run("", args...)
		expectCode(t, r, 0)
		terminalSafe(t, fmt.Sprint(args, " stdout"), r.stdout)
		terminalSafe(t, fmt.Sprint(args, " stderr"), r.stderr)
		if !strings.Contains(r.stdout, "eve") && !strings.Contains(r.stdout, "team") {
			t.Errorf("%v: the hostile row is missing:\n%s", args, r.stdout)
		}
		for _, l := range strings.Split(r.stdout, "\n") {
			if len(l) > 600 {
				t.Errorf("%v: a %d-byte line: oversized values must be truncated", args, len(l))
			}
		}
	}

	for _, c := range []struct {
		args []string
		want []string
	}{
		// QFieldCloud shows no e-mail of other people: names carry the attack.
		{[]string{"users", "list", "--search", "eve", "--json"}, []string{hostileFirst + " " + hostileLast + huge}},
		{[]string{"users", "get", "eve", "--json"}, []string{hostileFirst + " " + hostileLast + huge}},
		{[]string{"teams", "list", "--org", "fieldops", "--json"}, []string{hostileTeam}},
	} {
		r := e.run("", c.args...)
		expectCode(t, r, 0)
		if strings.ContainsRune(r.stdout, 0x1b) {
			t.Errorf("%v: raw ESC in JSON output (must be escaped)", c.args)
		}
		got := jsonStrings(t, r.stdout)
		for _, w := range c.want {
			if !got[w] {
				t.Errorf("%v: JSON lost the exact value %.80q; has %d strings", c.args, w, len(got))
			}
		}
	}

	r := e.run("", "users", "list", "--search", "eve", "--csv")
	expectCode(t, r, 0)
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, r.stdout)
	}
	found := false
	for _, rec := range recs {
		for _, f := range rec {
			found = found || f == hostileFirst+" "+hostileLast+huge
		}
	}
	if !found {
		t.Errorf("--csv does not keep the exact name:\n%.500q", r.stdout)
	}
}

func TestHostileTextQomon(t *testing.T) {
	t.Parallel()
	w, e := qom(t)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	w.srv.AddUser("nord", qomontest.User{FirstName: hostileFirst, Surname: hostileLast, Mail: "eve@example.org", City: hostileTeam, Created: at, Updated: at})
	w.srv.AddUser("nord", qomontest.User{FirstName: "Mallory", Surname: "M", Mail: hostileMail, Created: at, Updated: at})
	w.srv.AddTeam("nord", qomontest.Team{Name: hostileTeam, Description: hostileLast, Users: []int64{w.bob.ID}, CreatedAt: at, UpdatedAt: at})
	w.srv.AddInvitation("nord", qomontest.Invitation{Email: hostileMail, CreatedAt: at, LastSent: at})

	for _, args := range [][]string{
		{"users", "list"},
		{"users", "get", "eve@example.org"},
		{"members", "list"},
		{"teams", "list"},
		{"teams", "get", hostileTeam},
		{"teams", "members", hostileTeam},
		{"invitations", "list"},
		{"roles", "list"},
	} {
		r := e.run("", args...)
		expectCode(t, r, 0)
		terminalSafe(t, fmt.Sprint(args, " stdout"), r.stdout)
		terminalSafe(t, fmt.Sprint(args, " stderr"), r.stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"users", "get", "eve@example.org", "--json"}, hostileTeam},
		{[]string{"teams", "list", "--json"}, hostileTeam},
		{[]string{"users", "list", "--json"}, hostileMail},
		{[]string{"members", "list", "--json"}, hostileMail},
		{[]string{"invitations", "list", "--json"}, hostileMail},
	} {
		r := e.run("", c.args...)
		expectCode(t, r, 0)
		if strings.ContainsRune(r.stdout, 0x1b) {
			t.Errorf("%v: raw ESC in JSON output", c.args)
		}
		if !jsonStrings(t, r.stdout)[c.want] {
			t.Errorf("%v: JSON lost the exact value %q:\n%s", c.args, c.want, r.stdout)
		}
	}
}

// An error message from the server is untrusted too: it reaches stderr
// sanitised, on one line, capped.
func TestHostileErrorMessage(t *testing.T) {
	t.Parallel()
	msg := hostileFirst + "\nsecond line\r\n" + strings.Repeat("x", 10000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		json.NewEncoder(w).Encode(map[string]any{"code": "permission_denied", "message": msg,
			"debug": map[string]any{"detail": hostileLast}})
	}))
	t.Cleanup(srv.Close)
	e := newEnv(t)
	e.set("QFIELDCLOUD_URL", srv.URL+"/api/v1/").set("QFIELDCLOUD_TOKEN", "tok-abcdefghijklmnopqrstuvwxyz")
	for _, args := range [][]string{
		{"members", "list", "fieldops"},
		{"members", "add", "fieldops", "bob"},
		{"members", "add", "fieldops", "bob", "--debug"},
	} {
		r := e.run("", args...)
		expectCode(t, r, 1)
		terminalSafe(t, fmt.Sprint(args, " stderr"), r.stderr)
		terminalSafe(t, fmt.Sprint(args, " stdout"), r.stdout)
		if args[len(args)-1] != "--debug" {
			oneLineError(t, r, "evillink") // the server's detail, made safe
		}
		if len(r.stderr) > 4000 {
			t.Errorf("%v: %d bytes of stderr: a huge server message must be capped", args, len(r.stderr))
		}
	}
}

package cmd

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// qfc starts a seeded fake QFieldCloud and an env signed in as "demo"
// through QFIELDCLOUD_URL / QFIELDCLOUD_TOKEN.
func qfc(t *testing.T, opts ...qfctest.Option) (*qfctest.Server, *env) {
	t.Helper()
	srv := qfctest.New(opts...)
	srv.SeedDemo()
	t.Cleanup(srv.Close)
	e := newEnv(t)
	e.set("QFIELDCLOUD_URL", srv.URL()).set("QFIELDCLOUD_TOKEN", srv.Token("demo"))
	return srv, e
}

func member(srv *qfctest.Server, org, user string) (qfctest.Member, bool) {
	for _, m := range srv.Members(org) {
		if m.User == user {
			return m, true
		}
	}
	return qfctest.Member{}, false
}

func team(srv *qfctest.Server, org, name string) (qfctest.Team, bool) {
	for _, t := range srv.Teams(org) {
		if t.Name == name {
			return t, true
		}
	}
	return qfctest.Team{}, false
}

func TestQFieldCloudReadsGolden(t *testing.T) {
	t.Parallel()
	_, e := qfc(t)
	cases := []struct {
		golden string
		args   []string
	}{
		{"qfc_members_list.txt", []string{"members", "list", "fieldops"}},
		{"qfc_members_list.json", []string{"members", "list", "fieldops", "--json"}},
		{"qfc_members_list.csv", []string{"members", "list", "fieldops", "--csv"}},
		{"qfc_teams_list.txt", []string{"teams", "list", "--org", "fieldops"}},
		{"qfc_teams_list.json", []string{"teams", "list", "--org", "fieldops", "--json"}},
		{"qfc_team_members.txt", []string{"teams", "members", "fieldops/surveyors"}},
		{"qfc_team_get.txt", []string{"teams", "get", "surveyors", "--org", "fieldops"}},
		{"qfc_orgs_list.txt", []string{"orgs", "list"}},
		{"qfc_orgs_get.json", []string{"orgs", "get", "fieldops", "--json"}},
		{"qfc_users_list.txt", []string{"users", "list", "--search", "a", "--limit", "6"}},
		{"qfc_users_list.csv", []string{"users", "list", "--org", "city-parks", "--csv"}},
		{"qfc_users_get.txt", []string{"users", "get", "demo"}},
		{"qfc_roles_list.txt", []string{"roles", "list"}},
	}
	for _, c := range cases {
		r := e.run("", c.args...)
		expectCode(t, r, 0)
		if strings.HasSuffix(c.golden, ".json") && !json.Valid([]byte(r.stdout)) {
			t.Errorf("%v: invalid JSON:\n%s", c.args, r.stdout)
		}
		golden(t, c.golden, r.stdout)
	}
}

func TestQFieldCloudWrites(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		args   []string
		stdout string
		check  func(t *testing.T, srv *qfctest.Server)
	}{
		{"members add", []string{"members", "add", "fieldops", "david", "--role", "admin", "--public"}, "Added david to fieldops as admin",
			func(t *testing.T, srv *qfctest.Server) {
				if m, ok := member(srv, "fieldops", "david"); !ok || m.Role != "admin" || !m.Public {
					t.Errorf("david: %+v %v", m, ok)
				}
			}},
		{"members add default org", []string{"--profile", "env", "members", "add", "keiko"}, "",
			nil},
		{"members set-role", []string{"members", "set-role", "fieldops", "elena", "creator"}, "elena is now creator in fieldops",
			func(t *testing.T, srv *qfctest.Server) {
				if m, _ := member(srv, "fieldops", "elena"); m.Role != "creator" {
					t.Errorf("elena: %+v", m)
				}
			}},
		{"members remove", []string{"members", "remove", "fieldops", "pablo", "--yes"}, "Removed pablo from fieldops",
			func(t *testing.T, srv *qfctest.Server) {
				if _, ok := member(srv, "fieldops", "pablo"); ok {
					t.Error("pablo still a member")
				}
			}},
		{"teams create", []string{"teams", "create", "mappers", "--org", "fieldops"}, "Created fieldops/mappers",
			func(t *testing.T, srv *qfctest.Server) {
				if _, ok := team(srv, "fieldops", "mappers"); !ok {
					t.Error("no team mappers")
				}
			}},
		{"teams rename", []string{"teams", "rename", "fieldops/botanists", "plants"}, "Renamed",
			func(t *testing.T, srv *qfctest.Server) {
				if tm, ok := team(srv, "fieldops", "plants"); !ok || !slices.Contains(tm.Members, "lucas") {
					t.Errorf("plants: %+v %v", tm, ok)
				}
			}},
		{"teams delete", []string{"teams", "delete", "fieldops/hydrology", "--yes"}, "Deleted",
			func(t *testing.T, srv *qfctest.Server) {
				if _, ok := team(srv, "fieldops", "hydrology"); ok {
					t.Error("hydrology still there")
				}
			}},
		{"teams add-member", []string{"teams", "add-member", "fieldops/hydrology", "olga", "pablo"}, "Added pablo to fieldops/hydrology",
			func(t *testing.T, srv *qfctest.Server) {
				tm, _ := team(srv, "fieldops", "hydrology")
				if !slices.Contains(tm.Members, "olga") || !slices.Contains(tm.Members, "pablo") {
					t.Errorf("hydrology: %+v", tm)
				}
			}},
		{"teams remove-member", []string{"teams", "remove-member", "surveyors", "ines", "jonas", "--org", "fieldops", "--yes"}, "Removed",
			func(t *testing.T, srv *qfctest.Server) {
				tm, _ := team(srv, "fieldops", "surveyors")
				if !slices.Equal(tm.Members, []string{"kavya"}) {
					t.Errorf("surveyors: %+v", tm)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv, e := qfc(t)
			if c.check == nil {
				// ORG left out: the implicit env profile has no default
				// organization, so this is a usage error naming the
				// missing argument, with the usage line.
				r := e.run("", c.args...)
				expectCode(t, r, 2)
				oneLineError(t, r, "missing USER")
				expectContains(t, "stderr", r.stderr, "no default organization")
				expectContains(t, "stderr", r.stderr, "\nUsage: roster members add [ORG] USER")
				return
			}
			r := e.run("", c.args...)
			expectCode(t, r, 0)
			expectContains(t, "stdout", r.stdout, c.stdout)
			c.check(t, srv)
		})
	}
}

func TestQFieldCloudDefaultOrgFromProfile(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	r := e.run("demo\n", "auth", "login", "--provider", "qfieldcloud", "--url", srv.URL(), "--username", "demo", "--password-stdin", "--profile", "work")
	expectCode(t, r, 0)
	// demo belongs to three organizations: no default is guessed.
	cfg := e.loadConfig()
	p, _ := cfg.Get("work")
	p.Org = "fieldops"
	cfg.Set(p)
	if err := cfg.Save(); err != nil {
		t.Fatal(err)
	}
	delete(e.vars, "QFIELDCLOUD_TOKEN")
	r = e.run("", "members", "add", "keiko")
	expectCode(t, r, 0)
	if _, ok := member(srv, "fieldops", "keiko"); !ok {
		t.Error("keiko not added to the profile's organization")
	}
	r = e.run("", "teams", "members", "surveyors")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "ines")
}

func TestQFieldCloudPartialFailure(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	// ines is already in a team (QFieldCloud allows one team per person).
	r := e.run("", "teams", "add-member", "fieldops/hydrology", "olga", "ines", "pablo")
	expectCode(t, r, 1)
	expectContains(t, "stdout", r.stdout, "Added olga")
	expectContains(t, "stdout", r.stdout, "Added pablo")
	expectContains(t, "stderr", r.stderr, "roster: 1 of 3 failed: ines")
	expectContains(t, "stderr", r.stderr, "done: olga, pablo")
	tm, _ := team(srv, "fieldops", "hydrology")
	if !slices.Contains(tm.Members, "olga") || !slices.Contains(tm.Members, "pablo") || slices.Contains(tm.Members, "ines") {
		t.Errorf("hydrology: %+v", tm)
	}
}

func TestQFieldCloudConfirmation(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	r := e.run("", "members", "remove", "fieldops", "pablo")
	expectCode(t, r, 2)
	oneLineError(t, r, "--yes")
	if _, ok := member(srv, "fieldops", "pablo"); !ok {
		t.Fatal("removed without --yes")
	}
	e.tty = true
	r = e.run("n\n", "members", "remove", "fieldops", "pablo")
	expectCode(t, r, 1)
	expectContains(t, "stderr", r.stderr, "Remove pablo from fieldops? [y/N]")
	if _, ok := member(srv, "fieldops", "pablo"); !ok {
		t.Fatal("removed after answering no")
	}
	r = e.run("y\n", "teams", "remove-member", "fieldops/surveyors", "ines", "jonas")
	expectCode(t, r, 0)
	expectContains(t, "stderr", r.stderr, "Remove 2 people")
	if tm, _ := team(srv, "fieldops", "surveyors"); len(tm.Members) != 1 {
		t.Errorf("surveyors: %+v", tm)
	}
	if n := srv.Kit().CountWrites(); n != 2 {
		t.Errorf("%d writes, want 2", n)
	}
}

// writeCommands is every write command, for --read-only and --dry-run.
var qfcWriteCommands = [][]string{
	{"members", "add", "fieldops", "david"},
	{"members", "set-role", "fieldops", "elena", "member"},
	{"members", "remove", "fieldops", "pablo", "--yes"},
	{"teams", "create", "mappers", "--org", "fieldops"},
	{"teams", "rename", "fieldops/botanists", "plants"},
	{"teams", "delete", "fieldops/hydrology", "--yes"},
	{"teams", "add-member", "fieldops/hydrology", "olga"},
	{"teams", "remove-member", "fieldops/surveyors", "ines", "--yes"},
}

func TestQFieldCloudReadOnly(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	for _, args := range append(qfcWriteCommands,
		[]string{"users", "set-role", "ana", "admin"},
		[]string{"invitations", "send", "x@example.org"},
		[]string{"invitations", "cancel", "1", "--yes"},
	) {
		r := e.run("", append([]string{"--read-only"}, args...)...)
		expectCode(t, r, 2)
		oneLineError(t, r, "read-only")
	}
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Errorf("the fake saw %d writes in read-only mode", n)
	}
}

func TestQFieldCloudDryRun(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	for _, args := range qfcWriteCommands {
		r := e.run("", append(args, "--dry-run")...)
		expectCode(t, r, 0)
		expectContains(t, "stdout", r.stdout, "dry run, not sent: ")
		expectContains(t, "stdout", r.stdout, "(dry run: nothing sent)")
	}
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Errorf("the fake saw %d writes in dry-run mode", n)
	}
	r := e.run("", "members", "add", "fieldops", "david", "--role", "admin", "--dry-run")
	expectContains(t, "stdout", r.stdout, `POST /api/v1/members/fieldops/ {"is_public":false,"member":"david","role":"admin"}`)
}

func TestQFieldCloudUnsupported(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	for _, args := range [][]string{
		{"users", "set-role", "ana", "admin"},
		{"invitations", "list"},
		{"invitations", "send", "x@example.org"},
		{"invitations", "cancel", "1", "--yes"},
		{"teams", "create", "x", "--org", "fieldops", "--private"},
		{"teams", "add-member", "fieldops/hydrology", "olga", "--leader"},
	} {
		r := e.run("", args...)
		expectCode(t, r, 2)
		oneLineError(t, r, "qfieldcloud")
	}
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Errorf("%d writes", n)
	}
}

func TestQFieldCloudServerErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		setup func(srv *qfctest.Server, e *env)
		args  []string
		code  int
		want  string
	}{
		{"unknown org", nil, []string{"members", "list", "nosuchorg"}, 1, "no organization nosuchorg"},
		{"member limit", func(srv *qfctest.Server, e *env) { srv.SetMemberLimit("fieldops", 13) },
			[]string{"members", "add", "fieldops", "keiko"}, 1, "member limit"},
		{"not admin", nil, []string{"members", "remove", "city-parks", "zoe", "--yes"}, 1, "admin"},
		{"unknown user", nil, []string{"members", "add", "fieldops", "nobody"}, 1, "nobody"},
		{"duplicate member", nil, []string{"members", "add", "fieldops", "elena"}, 1, "elena"},
		{"bad role", nil, []string{"members", "set-role", "fieldops", "elena", "boss"}, 2, "boss"},
		{"unknown team", nil, []string{"teams", "get", "fieldops/nope"}, 1, "nope"},
		{"team exists", nil, []string{"teams", "create", "surveyors", "--org", "fieldops"}, 1, "surveyors"},
		{"expired token", func(srv *qfctest.Server, e *env) { srv.ExpireTokens("demo") }, []string{"orgs", "list"}, 4, "roster auth login"},
		{"bad token", func(srv *qfctest.Server, e *env) { e.set("QFIELDCLOUD_TOKEN", "nope") }, []string{"members", "list", "fieldops"}, 4, "token"},
		{"malformed JSON", func(srv *qfctest.Server, e *env) {
			srv.Kit().Inject(fakehttp.Fault{Kind: fakehttp.FaultMalformed})
		}, []string{"members", "list", "fieldops"}, 1, "members"},
		{"HTML 502", func(srv *qfctest.Server, e *env) {
			srv.Kit().Inject(fakehttp.Fault{Kind: fakehttp.FaultHTML, Status: 502})
		}, []string{"teams", "list", "--org", "fieldops"}, 1, "502"},
		{"HTML 500 on write", func(srv *qfctest.Server, e *env) {
			srv.Kit().Inject(fakehttp.Fault{Method: "POST", Kind: fakehttp.FaultHTML, Status: 500})
		}, []string{"members", "add", "fieldops", "david"}, 1, "500"},
		{"timeout", func(srv *qfctest.Server, e *env) {
			srv.Kit().Inject(fakehttp.Fault{Kind: fakehttp.FaultStall})
		}, []string{"--timeout", "50ms", "orgs", "list"}, 1, "50ms"},
		{"stalled write", func(srv *qfctest.Server, e *env) {
			srv.Kit().Inject(fakehttp.Fault{Method: "DELETE", Kind: fakehttp.FaultStall})
		}, []string{"--timeout", "1s", "members", "remove", "fieldops", "pablo", "--yes"}, 1, "may or may not"},
		{"connection refused", func(srv *qfctest.Server, e *env) {
			e.set("QFIELDCLOUD_URL", "http://127.0.0.1:1/")
		}, []string{"orgs", "list"}, 1, "refused"},
		{"http to a remote host", func(srv *qfctest.Server, e *env) {
			e.set("QFIELDCLOUD_URL", "http://qfield.example.org/")
		}, []string{"orgs", "list"}, 2, "https"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv, e := qfc(t)
			if c.setup != nil {
				c.setup(srv, e)
			}
			r := e.run("", c.args...)
			expectCode(t, r, c.code)
			oneLineError(t, r, c.want)
			if r.stdout != "" && !strings.HasPrefix(r.stdout, "[") {
				t.Errorf("stdout not empty:\n%s", r)
			}
		})
	}
}

func TestQFieldCloudLogin(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	delete(e.vars, "QFIELDCLOUD_TOKEN")
	delete(e.vars, "QFIELDCLOUD_URL")

	r := e.run("wrong\n", "auth", "login", "--provider", "qfieldcloud", "--url", srv.URL(), "--username", "demo", "--password-stdin")
	expectCode(t, r, 4)
	oneLineError(t, r, "demo")
	if strings.Contains(r.stderr, "hint:") {
		t.Errorf("a failed login hints to log in:\n%s", r)
	}

	r = e.run("demo\n", "auth", "login", "--provider", "qfieldcloud", "--url", strings.TrimSuffix(srv.URL(), "api/v1/"), "--username", "demo", "--password-stdin")
	expectCode(t, r, 0)
	expectContains(t, "stderr", r.stderr, "Signed in to qfieldcloud")
	expectContains(t, "stderr", r.stderr, "expires on")
	expectContains(t, "stderr", r.stderr, "OS keyring")
	cfg := e.loadConfig()
	name := cfg.Active
	p, ok := cfg.Get(name)
	if !ok || p.Username != "demo" || p.URL != srv.URL() {
		t.Fatalf("profile %q: %+v", name, p)
	}
	tok := e.keyring.get(name)
	if len(tok) != 100 {
		t.Fatalf("keyring token %q", tok)
	}
	if strings.Contains(r.stdout+r.stderr, tok) {
		t.Fatal("token printed")
	}

	r = e.run("", "members", "list", "fieldops")
	expectCode(t, r, 0)

	// Logging in again replaces the token; an env token gets a warning.
	e.set("QFIELDCLOUD_TOKEN", "from-env")
	r = e.run("demo\n", "auth", "login", "--provider", "qfieldcloud", "--url", srv.URL(), "--username", "demo", "--password-stdin", "--insecure-storage")
	expectCode(t, r, 0)
	expectContains(t, "stderr", r.stderr, "credentials.toml")
	expectContains(t, "stderr", r.stderr, "QFIELDCLOUD_TOKEN is set")
	if e.keyring.get(name) != "" {
		t.Error("old keyring token kept after --insecure-storage")
	}
	delete(e.vars, "QFIELDCLOUD_TOKEN")

	r = e.run("", "auth", "status", "--json")
	expectCode(t, r, 0)
	var rows []statusRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 1 || !rows[0].Valid || rows[0].Source != "file" || rows[0].User != "demo" {
		t.Fatalf("status: %v\n%s", err, r)
	}

	r = e.run("", "auth", "logout")
	expectCode(t, r, 0)
	expectContains(t, "stderr", r.stderr, "--everywhere")
	r = e.run("", "members", "list", "fieldops")
	expectCode(t, r, 4)
	if r.stderr != "roster: "+errNotSignedIn.Error()+"\n" {
		t.Errorf("after logout:\n%s", r)
	}
}

func TestQFieldCloudLoginLockout(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t, qfctest.WithLockout(2))
	delete(e.vars, "QFIELDCLOUD_TOKEN")
	var r result
	for i := 0; i < 3; i++ {
		r = e.run("bad\n", "auth", "login", "--provider", "qfieldcloud", "--url", srv.URL(), "--username", "ana", "--password-stdin")
	}
	expectCode(t, r, 4)
	oneLineError(t, r, "too many failed")
}

func TestQFieldCloudInteractiveLogin(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	delete(e.vars, "QFIELDCLOUD_TOKEN")
	e.tty = true
	e.secrets = []string{"ana"}
	r := e.run("1\n"+srv.URL()+"\nana\n", "auth", "login")
	expectCode(t, r, 0)
	expectContains(t, "stderr", r.stderr, "? Password: ")
	cfg := e.loadConfig()
	p, _ := cfg.Get(cfg.Active)
	if p.Username != "ana" || p.Org != "geo-survey" {
		t.Errorf("profile: %+v (ana owns only geo-survey)", p)
	}
}

// TestTokenNeverPrinted runs commands with --debug and checks no output
// holds the token.
func TestTokenNeverPrinted(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	tok := e.vars["QFIELDCLOUD_TOKEN"]
	var all strings.Builder
	for _, args := range [][]string{
		{"--debug", "members", "list", "fieldops"},
		{"--debug", "members", "add", "fieldops", "david"},
		{"--debug", "auth", "status"},
		{"--debug", "teams", "add-member", "fieldops/hydrology", "ines"},
		{"--debug", "members", "add", "fieldops", "keiko", "--dry-run"},
	} {
		r := e.run("", args...)
		all.WriteString(r.stdout + r.stderr)
	}
	srv.ExpireTokens("demo")
	r := e.run("", "--debug", "orgs", "list")
	all.WriteString(r.stdout + r.stderr)
	out := all.String()
	expectContains(t, "debug output", out, "debug: token source: env")
	expectContains(t, "debug output", out, "debug: GET")
	if strings.Contains(out, tok) {
		t.Fatal("the token appears in roster's output")
	}
}

package cmd

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// qomWith is qom with fake options.
func qomWith(t *testing.T, opts ...qomontest.Option) (*qomonWorld, *env) {
	t.Helper()
	srv := qomontest.New(opts...)
	t.Cleanup(srv.Close)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { return at })
	srv.AddSpace("nord", nil)
	w := &qomonWorld{srv: srv}
	w.ada = srv.AddUser("nord", qomontest.User{FirstName: "Ada", Surname: "Lovelace", Mail: "ada@example.org", Role: "superadmin", Created: at, Updated: at})
	w.bob = srv.AddUser("nord", qomontest.User{FirstName: "Bob", Surname: "Martin", Mail: "bob@example.org", Created: at, Updated: at})
	w.team = srv.AddTeam("nord", qomontest.Team{Name: "Quartier Nord", Users: []int64{w.bob.ID}, CreatedAt: at, UpdatedAt: at})
	e := newEnv(t)
	e.set("QOMON_URL", srv.URL()).set("QOMON_TOKEN", srv.Token("nord", "ada@example.org"))
	return w, e
}

func countRequests(k *fakehttp.Kit, method, path string) int {
	n := 0
	for _, r := range k.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// The case: a server capping pages at 1000 with 5,000 users
// printed 1,500 users and exit 0.
func TestQomonUsersListPastPageCap(t *testing.T) {
	t.Parallel()
	for _, noCount := range []bool{false, true} {
		opts := []qomontest.Option{qomontest.WithPageCap(1000)}
		if noCount {
			opts = append(opts, qomontest.WithoutCount())
		}
		w, e := qomWith(t, opts...)
		w.srv.SeedGenerated("nord", 4998) // + ada and bob
		r := e.run("", "users", "list", "--json")
		expectCode(t, r, 0)
		var rows []map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 5000 {
			t.Fatalf("count=%v: %d users, want 5000", !noCount, len(rows))
		}
		// The last user is found by e-mail too (set-role, plan, export).
		all := w.srv.Users("nord")
		r = e.run("", "users", "get", all[len(all)-1].Mail, "--json")
		expectCode(t, r, 0)
	}
}

// Rows and count disagreeing at the end fail the list, naming both.
func TestQomonUsersListCountDisagreesExits1(t *testing.T) {
	t.Parallel()
	w, e := qomWith(t, qomontest.WithPageCap(100), qomontest.WithCountSkew(7))
	w.srv.SeedGenerated("nord", 248)
	r := e.run("", "users", "list", "--json")
	expectCode(t, r, 1)
	oneLineError(t, r, "counted 257 but sent 250")
	// Rows stream as they come; the array is never closed, so no JSON
	// reader takes the part for the whole.
	if json.Valid([]byte(r.stdout)) {
		t.Errorf("a partial list was printed as valid JSON:\n%.300s", r.stdout)
	}
	// A cut CSV would look whole: nothing is printed but the error.
	r = e.run("", "users", "list", "--csv")
	expectCode(t, r, 1)
	oneLineError(t, r, "counted 257 but sent 250")
	if r.stdout != "" {
		t.Errorf("a partial list was printed as CSV:\n%.300s", r.stdout)
	}
}

// QFieldCloud members come in one request, each exactly once, although
// the fake reorders every paged query.
func TestQFieldCloudMembersListOneRequest(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t, qfctest.WithUnstablePages())
	srv.AddOrg("big", "demo")
	srv.SeedGenerated("big", 3000)
	srv.Kit().ResetRequests()
	r := e.run("", "members", "list", "big", "--json")
	expectCode(t, r, 0)
	var rows []struct{ User string }
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range rows {
		seen[m.User] = true
	}
	if len(rows) != 3000 || len(seen) != 3000 {
		t.Fatalf("%d rows, %d distinct, want 3000", len(rows), len(seen))
	}
	for _, q := range srv.Kit().Requests() {
		if q.Path == "/api/v1/members/big/" && q.RawQuery != "" {
			t.Errorf("members paged: %s", q.RawQuery)
		}
	}
	if n := countRequests(srv.Kit(), "GET", "/api/v1/members/big/"); n != 1 {
		t.Errorf("%d member requests, want 1", n)
	}
}

// GET /teams refused (403) or missing (404/405): the public teams, with a
// note on stderr; --json output is the list alone.
func TestQomonTeamsPublicOnlyAnnounced(t *testing.T) {
	t.Parallel()
	for _, status := range []int{403, 404, 405} {
		w, e := qomWith(t, qomontest.WithTeamsStatus(status))
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		w.srv.AddTeam("nord", qomontest.Team{Name: "Secret", Private: true, CreatedAt: at, UpdatedAt: at})
		for _, args := range [][]string{{"teams", "list"}, {"teams", "list", "--json"}} {
			r := e.run("", args...)
			expectCode(t, r, 0)
			expectContains(t, fmt.Sprintf("%d %v stderr", status, args), r.stderr, client.PublicTeamsNote)
			expectContains(t, fmt.Sprintf("%d %v stdout", status, args), r.stdout, "Quartier Nord")
			if strings.Contains(r.stdout, "Secret") || strings.Contains(r.stdout, "public teams only") {
				t.Errorf("%d %v: stdout:\n%s", status, args, r.stdout)
			}
		}
		if n := countRequests(w.srv.Kit(), "GET", "/teams/public"); n != 2 {
			t.Errorf("%d: %d GET /teams/public, want 2", status, n)
		}
	}
	// The full list says nothing.
	_, e := qomWith(t)
	r := e.run("", "teams", "list")
	expectCode(t, r, 0)
	if strings.Contains(r.stderr, "public") {
		t.Errorf("note without cause: %s", r.stderr)
	}
}

// Local checks come before the first request: an unknown role exits 2
// with nothing read or sent (the audit log's read of the old membership
// used to go first).
func TestMembersBadRoleSendsNothing(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	for _, args := range [][]string{
		{"members", "add", "fieldops", "erin", "--role", "overlord"},
		{"members", "set-role", "fieldops", "elena", "overlord"},
		{"members", "set-role", "fieldops", "elena", "Admin"}, // roles are case-sensitive
		{"members", "add", "fieldops", "erin@example.org"},    // usernames only
		{"members", "set-role", "fieldops", "elena@example.org", "admin"},
		{"members", "remove", "fieldops", "elena@example.org", "--yes"},
	} {
		srv.Kit().ResetRequests()
		r := e.run("", args...)
		expectCode(t, r, 2)
		if strings.Contains(args[len(args)-2]+args[len(args)-1]+args[3], "@") {
			oneLineError(t, r, "takes the exact username")
		} else {
			oneLineError(t, r, "unknown role")
		}
		if reqs := srv.Kit().Requests(); len(reqs) != 0 {
			t.Errorf("%v sent %d requests, first %s %s", args, len(reqs), reqs[0].Method, reqs[0].Path)
		}
	}
	if m, _ := member(srv, "fieldops", "elena"); m.Role != "admin" {
		t.Errorf("elena changed: %+v", m)
	}
}

// users list --org lists the owner and members, as the help says: not
// the organization's own account, which the server includes.
func TestUsersListOrgDropsTheOrgAccount(t *testing.T) {
	t.Parallel()
	_, e := qfc(t)
	r := e.run("", "users", "list", "--org", "fieldops", "--json")
	expectCode(t, r, 0)
	var rows []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range rows {
		if u.ID == "fieldops" || u.Type == "organization" {
			t.Errorf("the organization itself is listed: %+v", u)
		}
		ids = append(ids, u.ID)
	}
	if !slices.Contains(ids, "demo") || !slices.Contains(ids, "elena") {
		t.Errorf("owner or a member missing: %v", ids)
	}
	r = e.run("", "users", "list", "--org", "fieldops", "--limit", "3", "--json")
	expectCode(t, r, 0)
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 3 {
		t.Errorf("--limit 3: %d rows %v", len(rows), err)
	}
}

// teams remove-member with an e-mail: QFieldCloud removes by username
// only; roster says so and sends nothing.
func TestTeamsRemoveMemberByEmail(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	srv.Kit().ResetRequests()
	r := e.run("", "teams", "remove-member", "fieldops/surveyors", "elena@example.org", "--yes")
	if r.code == 0 {
		t.Fatalf("exit 0\n%s", r)
	}
	expectContains(t, "stderr", r.stderr, "username only")
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Errorf("%d writes sent", n)
	}
}

// Team names: the prefix counts, and a name with "/" is refused clearly.
func TestQFieldCloudTeamNames(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	long := "t" + strings.Repeat("x", 140) // 141: "@fieldops/" leaves 140
	srv.Kit().ResetRequests()
	r := e.run("", "teams", "create", long, "--org", "fieldops")
	expectCode(t, r, 2)
	oneLineError(t, r, "at most 140")
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	srv.AddTeam("fieldops", "north/south", "elena")
	r = e.run("", "teams", "get", "fieldops/north/south")
	expectCode(t, r, 2)
	oneLineError(t, r, "cannot address")
	if strings.Contains(r.stderr, "server URL") {
		t.Errorf("blames the URL: %s", r.stderr)
	}
}

// A Qomon team whose name holds "/" and other reserved characters opens,
// lists its members and takes writes.
func TestQomonTeamNamedWithSlash(t *testing.T) {
	t.Parallel()
	w, e := qomWith(t)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	name := "Nord/Sud ?#%"
	w.srv.AddTeam("nord", qomontest.Team{Name: name, Users: []int64{w.bob.ID}, CreatedAt: at, UpdatedAt: at})
	r := e.run("", "teams", "get", name)
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, name)
	r = e.run("", "teams", "members", name, "--json")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "bob@example.org")
	r = e.run("", "teams", "add-member", name, "ada@example.org")
	expectCode(t, r, 0)
	tm, ok := w.teamNamed(name)
	if !ok || len(tm.Users) != 2 {
		t.Fatalf("after add: %+v %v", tm, ok)
	}
}

// POST /teams answered without the team: created, found by name, and a
// second run does not make a duplicate.
func TestQomonTeamsCreateWithoutTeamInAnswer(t *testing.T) {
	t.Parallel()
	w, e := qomWith(t, qomontest.WithoutCreatedTeam())
	r := e.run("", "teams", "create", "Sud")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "Created team Sud (id ")
	r = e.run("", "teams", "create", "Sud")
	expectCode(t, r, 1)
	oneLineError(t, r, "already exists")
	n := 0
	for _, tm := range w.srv.Teams("nord") {
		if tm.Name == "Sud" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d teams named Sud", n)
	}
	if p := countRequests(w.srv.Kit(), "POST", "/teams"); p != 1 {
		t.Errorf("%d POST /teams, want 1", p)
	}
}

// export and plan read teams through the same announced fallback: an
// export says in the file and on stderr that private teams are left out,
// and a plan of a file with teams fails rather than plan a private team
// it cannot see as new (a duplicate on apply).
func TestQomonExportPlanPublicTeamsOnly(t *testing.T) {
	t.Parallel()
	w, e := qomWith(t, qomontest.WithTeamsStatus(403))
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	w.srv.AddTeam("nord", qomontest.Team{Name: "Secret", Private: true, CreatedAt: at, UpdatedAt: at})
	r := e.run("", "export")
	expectCode(t, r, 0)
	expectContains(t, "stderr", r.stderr, client.PublicTeamsNote)
	expectContains(t, "stdout", r.stdout, "# Note: "+client.PublicTeamsNote)
	if strings.Contains(r.stdout, "Secret") {
		t.Errorf("a private team in the export:\n%s", r.stdout)
	}
	w.srv.Kit().ResetRequests()
	file := r.stdout + "  - name: Secret\n    private: true\n"
	r = e.run(file, "plan", "-")
	expectCode(t, r, 1)
	oneLineError(t, r, "cannot plan the file's teams: "+client.PublicTeamsNote)
	if w.srv.Kit().CountWrites() != 0 {
		t.Error("a plan wrote")
	}
}

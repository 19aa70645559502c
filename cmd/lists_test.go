package cmd

import (
	"encoding/json"
	"fmt"
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

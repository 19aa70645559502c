package cmd

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client/qomon/qomontest"
)

type qomonWorld struct {
	srv            *qomontest.Server
	ada, bob, cleo qomontest.User
	team           qomontest.Team
}

// qom starts a fake Qomon with one space and an env signed in as its
// superadmin through QOMON_URL / QOMON_TOKEN.
func qom(t *testing.T) (*qomonWorld, *env) {
	t.Helper()
	srv := qomontest.New()
	t.Cleanup(srv.Close)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { return at })
	srv.AddSpace("nord", nil)
	w := &qomonWorld{srv: srv}
	w.ada = srv.AddUser("nord", qomontest.User{FirstName: "Ada", Surname: "Lovelace", Mail: "ada@example.org", Role: "superadmin", Created: at, Updated: at})
	w.bob = srv.AddUser("nord", qomontest.User{FirstName: "Bob", Surname: "Martin", Mail: "bob@example.org", City: "Paris", Created: at, Updated: at})
	w.cleo = srv.AddUser("nord", qomontest.User{FirstName: "Cléo", Surname: "Dupont\x1b[31m", Mail: "cleo@example.org", Role: "manager", Created: at, Updated: at})
	w.team = srv.AddTeam("nord", qomontest.Team{Name: "Quartier Nord", Description: "Porte-à-porte", Users: []int64{w.bob.ID}, CreatedAt: at, UpdatedAt: at})
	srv.AddInvitation("nord", qomontest.Invitation{Email: "new@example.org", CreatedAt: at, LastSent: at})
	e := newEnv(t)
	e.set("QOMON_URL", srv.URL()).set("QOMON_TOKEN", srv.Token("nord", "ada@example.org"))
	return w, e
}

func (w *qomonWorld) teamNamed(name string) (qomontest.Team, bool) {
	for _, t := range w.srv.Teams("nord") {
		if t.Name == name {
			return t, true
		}
	}
	return qomontest.Team{}, false
}

func TestQomonReadsGolden(t *testing.T) {
	t.Parallel()
	_, e := qom(t)
	cases := []struct {
		golden string
		args   []string
	}{
		{"qomon_users_list.txt", []string{"users", "list"}},
		{"qomon_users_list.csv", []string{"users", "list", "--csv"}},
		{"qomon_users_list.json", []string{"users", "list", "--json"}},
		{"qomon_members_list.txt", []string{"members", "list"}},
		{"qomon_roles_list.txt", []string{"roles", "list"}},
		{"qomon_teams_list.txt", []string{"teams", "list"}},
		{"qomon_team_members.txt", []string{"teams", "members", "Quartier Nord"}},
		{"qomon_invitations_list.txt", []string{"invitations", "list"}},
		{"qomon_invitations_list.json", []string{"invitations", "list", "--json"}},
	}
	for _, c := range cases {
		r := e.run("", c.args...)
		expectCode(t, r, 0)
		if strings.Contains(r.stdout, "\x1b") && !strings.HasSuffix(c.golden, ".json") && !strings.HasSuffix(c.golden, ".csv") {
			t.Errorf("%v: escape sequence reached the terminal", c.args)
		}
		if strings.HasSuffix(c.golden, ".json") && !json.Valid([]byte(r.stdout)) {
			t.Errorf("%v: invalid JSON", c.args)
		}
		golden(t, c.golden, r.stdout)
	}
}

func TestQomonWrites(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		args  func(w *qomonWorld) []string
		check func(t *testing.T, w *qomonWorld)
	}{
		{"users set-role", func(w *qomonWorld) []string { return []string{"users", "set-role", "bob@example.org", "manager"} },
			func(t *testing.T, w *qomonWorld) {
				u, _ := w.srv.UserByMail("nord", "bob@example.org")
				if u.RoleID != w.srv.RoleID("nord", "manager") {
					t.Errorf("bob's role id %d", u.RoleID)
				}
			}},
		{"teams create private", func(w *qomonWorld) []string { return []string{"teams", "create", "Sud", "--private"} },
			func(t *testing.T, w *qomonWorld) {
				if tm, ok := w.teamNamed("Sud"); !ok || !tm.Private {
					t.Errorf("Sud: %+v %v", tm, ok)
				}
			}},
		{"teams rename", func(w *qomonWorld) []string { return []string{"teams", "rename", "Quartier Nord", "Nord"} },
			func(t *testing.T, w *qomonWorld) {
				tm, ok := w.teamNamed("Nord")
				if !ok || tm.Description != "Porte-à-porte" || !slices.Contains(tm.Users, w.bob.ID) {
					t.Errorf("Nord: %+v %v", tm, ok)
				}
			}},
		{"teams add-member leader", func(w *qomonWorld) []string {
			return []string{"teams", "add-member", fmt.Sprint(w.team.ID), "cleo@example.org", fmt.Sprint(w.ada.ID), "--leader"}
		},
			func(t *testing.T, w *qomonWorld) {
				tm, _ := w.srv.Team("nord", w.team.ID)
				if !slices.Contains(tm.Leaders, w.cleo.ID) || !slices.Contains(tm.Leaders, w.ada.ID) || !slices.Contains(tm.Users, w.bob.ID) {
					t.Errorf("team: %+v", tm)
				}
			}},
		{"teams remove-member", func(w *qomonWorld) []string {
			return []string{"teams", "remove-member", "Quartier Nord", "bob@example.org", "--yes"}
		},
			func(t *testing.T, w *qomonWorld) {
				if tm, _ := w.srv.Team("nord", w.team.ID); len(tm.Users) != 0 {
					t.Errorf("team: %+v", tm)
				}
			}},
		{"invitations send", func(w *qomonWorld) []string {
			return []string{"invitations", "send", "x@example.org", "y@example.org", "--role", "manager"}
		},
			func(t *testing.T, w *qomonWorld) {
				var got []string
				for _, inv := range w.srv.Invitations("nord") {
					if inv.RoleID == w.srv.RoleID("nord", "manager") {
						got = append(got, inv.Email)
					}
				}
				if !slices.Equal(got, []string{"x@example.org", "y@example.org"}) {
					t.Errorf("invitations: %v", got)
				}
			}},
		{"invitations cancel", func(w *qomonWorld) []string {
			return []string{"invitations", "cancel", fmt.Sprint(w.srv.Invitations("nord")[0].ID), "--yes"}
		},
			func(t *testing.T, w *qomonWorld) {
				if n := len(w.srv.Invitations("nord")); n != 0 {
					t.Errorf("%d invitations left", n)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w, e := qom(t)
			r := e.run("", c.args(w)...)
			expectCode(t, r, 0)
			expectContains(t, "stdout", r.stdout, "✓ ")
			c.check(t, w)
		})
	}
}

func TestQomonUnsupported(t *testing.T) {
	t.Parallel()
	w, e := qom(t)
	for _, args := range [][]string{
		{"members", "add", "bob@example.org"},
		{"members", "remove", "bob@example.org", "--yes"},
		{"teams", "delete", "Quartier Nord", "--yes"},
		{"orgs", "list"},
		{"members", "list", "acme"},
		{"teams", "list", "--org", "acme"},
	} {
		r := e.run("", args...)
		expectCode(t, r, 2)
		oneLineError(t, r, "qomon")
	}
	if n := w.srv.Kit().CountWrites(); n != 0 {
		t.Errorf("%d writes", n)
	}
}

func TestQomonPartialInvite(t *testing.T) {
	t.Parallel()
	w, e := qom(t)
	r := e.run("", "invitations", "send", "ok@example.org", "not-an-email", "--role", "manager")
	expectCode(t, r, 1)
	expectContains(t, "stdout", r.stdout, "ok@example.org")
	expectContains(t, "stderr", r.stderr, "1 of 2 failed: not-an-email")
	expectContains(t, "stderr", r.stderr, "done: ok@example.org")
	if n := len(w.srv.Invitations("nord")); n != 2 {
		t.Errorf("%d invitations, want 2", n)
	}
	r = e.run("", "users", "set-role", "bob@example.org", "nosuchrole")
	expectCode(t, r, 2)
	oneLineError(t, r, "nosuchrole")
}

func TestQomonLoginWithToken(t *testing.T) {
	t.Parallel()
	w, e := qom(t)
	tok := e.vars["QOMON_TOKEN"]
	delete(e.vars, "QOMON_TOKEN")
	delete(e.vars, "QOMON_URL")
	r := e.run("wrong-token\n", "auth", "login", "--provider", "qomon", "--url", w.srv.URL(), "--with-token")
	expectCode(t, r, 4)
	oneLineError(t, r, "token")
	r = e.run(tok+"\n", "auth", "login", "--provider", "qomon", "--url", w.srv.URL(), "--with-token", "--profile", "nord")
	expectCode(t, r, 0)
	if e.keyring.get("nord") != tok {
		t.Fatal("token not stored under the profile name")
	}
	r = e.run("", "teams", "list")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "Quartier Nord")
	r = e.run("", "auth", "logout")
	expectCode(t, r, 0)
	if e.keyring.get("nord") != "" {
		t.Fatal("token kept after logout")
	}
	if strings.Contains(r.stderr, "--everywhere") || strings.Contains(r.stderr, "on the server") {
		t.Errorf("Qomon has no server logout, yet logout points to one:\n%s", r)
	}
}

package qfieldcloud_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
)

// world starts a fake with the demo world, reached in memory.
func world(t testing.TB, opts ...qfctest.Option) *qfctest.Server {
	t.Helper()
	s := qfctest.New(append([]qfctest.Option{qfctest.WithoutSocket()}, opts...)...)
	t.Cleanup(s.Close)
	s.SeedDemo()
	return s
}

// as returns a client signed in as user.
func as(t testing.TB, s *qfctest.Server, user string) *qfieldcloud.Client {
	t.Helper()
	c, err := qfieldcloud.New(client.Config{URL: s.URL(), Token: s.Token(user), HTTPClient: s.HTTPClient(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ptr[T any](v T) *T { return &v }

func memberOf(s *qfctest.Server, org, user string) (qfctest.Member, bool) {
	for _, m := range s.Members(org) {
		if m.User == user {
			return m, true
		}
	}
	return qfctest.Member{}, false
}

func teamOf(s *qfctest.Server, org, team string) (qfctest.Team, bool) {
	for _, t := range s.Teams(org) {
		if t.Name == team {
			return t, true
		}
	}
	return qfctest.Team{}, false
}

type row struct {
	name    string
	as      string
	call    func(ctx context.Context, c *qfieldcloud.Client) error
	kind    error  // nil: success
	msg     string // substring of the error, or "" for none
	noWrite bool   // refused locally, or by the server before any change
	check   func(t *testing.T, s *qfctest.Server)
}

func run(t *testing.T, rows []row) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			s := world(t)
			user := r.as
			if user == "" {
				user = "demo"
			}
			c := as(t, s, user)
			before := snapshot(s)
			err := r.call(context.Background(), c)
			switch {
			case r.kind == nil && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case r.kind != nil && !errors.Is(err, r.kind):
				t.Fatalf("error %v, want kind %v", err, r.kind)
			case r.msg != "" && (err == nil || !strings.Contains(err.Error(), r.msg)):
				t.Fatalf("error %v, want it to contain %q", err, r.msg)
			}
			if err != nil {
				var ae *client.APIError
				if errors.As(err, &ae) && strings.Contains(err.Error(), s.Token(user)[:20]) {
					t.Fatal("token in error")
				}
			}
			if r.noWrite {
				if after := snapshot(s); after != before {
					t.Fatalf("state changed:\n%s\n---\n%s", before, after)
				}
			}
			if r.check != nil {
				r.check(t, s)
			}
		})
	}
}

// snapshot renders the fake's membership state for comparisons.
func snapshot(s *qfctest.Server) string {
	var b strings.Builder
	for _, org := range []string{"fieldops", "geo-survey", "city-parks", "wetland-watch"} {
		for _, m := range s.Members(org) {
			b.WriteString(org + ":" + m.User + ":" + m.Role + ":" + map[bool]string{true: "p", false: "-"}[m.Public] + "\n")
		}
		for _, t := range s.Teams(org) {
			b.WriteString(org + "/" + t.Name + ":" + strings.Join(t.Members, ",") + "\n")
		}
	}
	return b.String()
}

func TestAuthContract(t *testing.T) {
	t.Parallel()
	run(t, []row{
		{name: "current user", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			u, err := c.CurrentUser(ctx)
			if err == nil && (u.Username != "demo" || u.Email != "demo@example.org" || u.Type != client.AccountPerson || u.FullName != "Dana Moreau") {
				return errors.New("wrong user " + u.Username)
			}
			return err
		}},
		{name: "logout expires every token", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			if err := c.Logout(ctx); err != nil {
				return err
			}
			_, err := c.CurrentUser(ctx)
			return err
		}, kind: client.ErrUnauthenticated, msg: "token is unknown or expired"},
		{name: "roles", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			rs, err := c.Roles(ctx)
			if len(rs) != 3 || rs[0].ID != "admin" || rs[1].ID != "creator" || rs[2].ID != "member" || rs[0].Description == "" {
				return errors.New("wrong roles")
			}
			return err
		}},
	})
}

func TestBadToken(t *testing.T) {
	t.Parallel()
	s := world(t)
	c, _ := qfieldcloud.New(client.Config{URL: s.URL(), Token: "nope", HTTPClient: s.HTTPClient()})
	_, err := c.CurrentUser(context.Background())
	if !errors.Is(err, client.ErrUnauthenticated) || !strings.Contains(err.Error(), "roster auth login") {
		t.Fatalf("got %v", err)
	}
	c, _ = qfieldcloud.New(client.Config{URL: s.URL(), HTTPClient: s.HTTPClient()})
	_, err = c.CurrentUser(context.Background())
	if !errors.Is(err, client.ErrUnauthenticated) || !strings.Contains(err.Error(), "not_authenticated") {
		t.Fatalf("no token: %v", err)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name, login, password string
		kind                  error
		msg                   string
	}{
		{"username", "demo", "demo", nil, ""},
		{"username ignores case", "DeMo", "demo", nil, ""},
		{"email", "ana@example.org", "ana", nil, ""},
		{"wrong password", "demo", "nope", client.ErrUnauthenticated, "wrong username or password"},
		{"unknown user", "nobody", "x", client.ErrUnauthenticated, "wrong username or password"},
		{"inactive", "former", "former", client.ErrUnauthenticated, "wrong username or password"},
		{"organization", "fieldops", "x", client.ErrUnauthenticated, "wrong username or password"},
		{"no password", "demo", "", client.ErrBadInput, "no password"},
		{"no login", "", "x", client.ErrBadInput, "no username"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := world(t)
			sess, err := qfieldcloud.Login(ctx, client.Config{URL: s.URL(), HTTPClient: s.HTTPClient(), Version: "1.2.3"}, tc.login, tc.password)
			if tc.kind == nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(sess.Token) != 100 || sess.ExpiresAt.IsZero() || sess.User.Username == "" || sess.User.Type != client.AccountPerson {
					t.Fatalf("session %+v", sess)
				}
				req := s.Kit().Requests()[0]
				if req.Header.Get("Authorization") != "" || req.Header.Get("User-Agent") != "cli|roster|1.2.3" || req.Path != "/api/v1/auth/token/" {
					t.Fatalf("request %+v", req)
				}
				field := "username"
				if strings.Contains(tc.login, "@") {
					field = "email"
				}
				if !strings.Contains(string(req.Body), `"`+field+`":`) {
					t.Fatalf("body %s", req.Body)
				}
				c, _ := qfieldcloud.New(client.Config{URL: s.URL(), Token: sess.Token, HTTPClient: s.HTTPClient()})
				if _, err := c.CurrentUser(ctx); err != nil {
					t.Fatalf("new token does not work: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v, want %v containing %q", err, tc.kind, tc.msg)
			}
			if tc.password != "" && tc.password != tc.login && strings.Contains(err.Error(), tc.password) {
				t.Fatal("password in error")
			}
		})
	}
}

func TestLoginLockout(t *testing.T) {
	t.Parallel()
	s := world(t)
	cfg := client.Config{URL: s.URL(), HTTPClient: s.HTTPClient()}
	for i := range 5 {
		if _, err := qfieldcloud.Login(context.Background(), cfg, "ana", "wrong"); !errors.Is(err, client.ErrUnauthenticated) {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	_, err := qfieldcloud.Login(context.Background(), cfg, "ana", "ana")
	if !errors.Is(err, client.ErrUnauthenticated) || !strings.Contains(err.Error(), "too many failed logins: wait 30 minutes") {
		t.Fatalf("got %v", err)
	}
}

func TestUsersContract(t *testing.T) {
	t.Parallel()
	users := func(q client.UserQuery, want func([]client.User) bool) func(ctx context.Context, c *qfieldcloud.Client) error {
		return func(ctx context.Context, c *qfieldcloud.Client) error {
			us, err := client.CollectUsers(ctx, c, q)
			if err != nil {
				return err
			}
			if !want(us) {
				var names []string
				for _, u := range us {
					names = append(names, u.Username)
				}
				return errors.New("unexpected users: " + strings.Join(names, ","))
			}
			return nil
		}
	}
	names := func(us []client.User) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.Username)
		}
		return out
	}
	run(t, []row{
		{name: "search includes orgs and teams", call: users(client.UserQuery{Search: "sur"}, func(us []client.User) bool {
			n := names(us)
			return slices.Contains(n, "@fieldops/surveyors") && slices.Contains(n, "geo-survey") && us[0].Type != ""
		})},
		{name: "persons of an org", call: users(client.UserQuery{Org: "fieldops", PersonsOnly: true}, func(us []client.User) bool {
			n := names(us)
			return len(us) == 13 && slices.Contains(n, "demo") && slices.Contains(n, "pablo") && !slices.Contains(n, "fieldops")
		})},
		{name: "exclude org", call: users(client.UserQuery{ExcludeOrg: "fieldops", PersonsOnly: true}, func(us []client.User) bool {
			n := names(us)
			return !slices.Contains(n, "demo") && !slices.Contains(n, "elena") && slices.Contains(n, "keiko")
		})},
		{name: "exclude team", call: users(client.UserQuery{Org: "fieldops", PersonsOnly: true, ExcludeTeam: "fieldops/surveyors"}, func(us []client.User) bool {
			n := names(us)
			return len(us) == 10 && !slices.Contains(n, "ines") && slices.Contains(n, "lucas")
		})},
		{name: "limit", call: users(client.UserQuery{PersonsOnly: true, Limit: 7}, func(us []client.User) bool { return len(us) == 7 })},
		{name: "search order", call: users(client.UserQuery{Search: "a", PersonsOnly: true}, func(us []client.User) bool {
			// Position of "a" first, then byte order: amara, ana, … then
			// names with "a" at 1 (camille, david, …).
			return us[0].Username == "amara" && us[1].Username == "ana" && us[2].Username == "camille"
		})},
		{name: "unknown org", call: users(client.UserQuery{Org: "nope"}, nil), kind: client.ErrNotFound, msg: "no organization nope"},
		{name: "bad team", call: users(client.UserQuery{ExcludeTeam: "surveyors"}, nil), kind: client.ErrBadInput, msg: "want ORG/TEAM"},
		{name: "org and exclude org", call: users(client.UserQuery{Org: "a", ExcludeOrg: "b"}, nil), kind: client.ErrBadInput},
		{name: "get user", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			u, err := c.User(ctx, "ana")
			if err == nil && (u.FullName != "Ana Silva" || u.Email != "" || u.DisplayName != "ana") {
				return errors.New("wrong user")
			}
			return err
		}},
		{name: "get user is case-sensitive", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := c.User(ctx, "Ana")
			return err
		}, kind: client.ErrNotFound, msg: "no user Ana"},
		{name: "organizations", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			os, err := c.Organizations(ctx)
			if err != nil {
				return err
			}
			if len(os) != 3 || os[0].Name != "city-parks" || os[1].MembershipRoleOrigin != "organization_owner" || os[2].MembershipRole != "admin" {
				return errors.New("wrong organizations")
			}
			return nil
		}},
		{name: "organization", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			o, err := c.Organization(ctx, "city-parks")
			if err == nil && (o.Owner != "ben" || o.MembershipRole != "member" || !slices.Contains(o.Teams, "rangers") || slices.Contains(o.PublicMembers, "yusuf")) {
				return errors.New("wrong organization")
			}
			return err
		}},
		{name: "organization of others", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := c.Organization(ctx, "wetland-watch")
			return err
		}, kind: client.ErrForbidden, msg: "you are not a member of wetland-watch"},
		{name: "unknown organization", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := c.Organization(ctx, "nope")
			return err
		}, kind: client.ErrNotFound, msg: "no organization nope"},
		{name: "a person is no organization", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := c.Organization(ctx, "demo")
			return err
		}, kind: client.ErrNotFound, msg: "not an organization"},
	})
}

func TestMembersContract(t *testing.T) {
	t.Parallel()
	add := func(org, user, role string) func(ctx context.Context, c *qfieldcloud.Client) error {
		return func(ctx context.Context, c *qfieldcloud.Client) error {
			m, err := c.AddMember(ctx, org, client.MemberSpec{User: user, Role: role, Public: true})
			if err == nil && (m.User != user || m.Organization != org) {
				return errors.New("wrong member")
			}
			return err
		}
	}
	update := func(org, user string, u client.MemberUpdate) func(ctx context.Context, c *qfieldcloud.Client) error {
		return func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := c.UpdateMember(ctx, org, user, u)
			return err
		}
	}
	remove := func(org, user string) func(ctx context.Context, c *qfieldcloud.Client) error {
		return func(ctx context.Context, c *qfieldcloud.Client) error { return c.RemoveMember(ctx, org, user) }
	}
	hasMember := func(org, user, role string, public bool) func(t *testing.T, s *qfctest.Server) {
		return func(t *testing.T, s *qfctest.Server) {
			m, ok := memberOf(s, org, user)
			if !ok || m.Role != role || m.Public != public {
				t.Fatalf("member %+v %v", m, ok)
			}
		}
	}
	run(t, []row{
		{name: "list", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			ms, err := client.CollectMembers(ctx, c, "fieldops")
			if err == nil && (len(ms) != 12 || ms[0].User != "elena" || ms[0].Role != "admin" || !ms[0].Public) {
				return errors.New("wrong members")
			}
			return err
		}},
		{name: "list as outsider", as: "keiko", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := client.CollectMembers(ctx, c, "wetland-watch")
			return err
		}},
		{name: "list unknown org", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := client.CollectMembers(ctx, c, "nope")
			return err
		}, kind: client.ErrNotFound, msg: "no organization nope"},
		{name: "get", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			m, err := c.Member(ctx, "fieldops", "grace")
			if err == nil && (m.Role != "creator" || !m.Public) {
				return errors.New("wrong member")
			}
			return err
		}},
		{name: "get non-member", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := c.Member(ctx, "fieldops", "keiko")
			return err
		}, kind: client.ErrNotFound, msg: "keiko is not a member of fieldops"},
		{name: "get owner", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := c.Member(ctx, "fieldops", "demo")
			return err
		}, kind: client.ErrNotFound},
		{name: "get unknown org", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := c.Member(ctx, "nope", "demo")
			return err
		}, kind: client.ErrNotFound, msg: "no organization nope"},

		{name: "add", call: add("fieldops", "keiko", ""), check: hasMember("fieldops", "keiko", "member", true)},
		{name: "add creator as admin of another's org", call: add("geo-survey", "keiko", "creator"), check: hasMember("geo-survey", "keiko", "creator", true)},
		{name: "add bad role", call: add("fieldops", "keiko", "Admin"), kind: client.ErrBadInput, msg: `unknown role "Admin"`, noWrite: true},
		{name: "add as member", call: add("city-parks", "keiko", ""), kind: client.ErrForbidden, msg: "only organization admins can change members of city-parks", noWrite: true},
		{name: "add as outsider", call: add("wetland-watch", "keiko", ""), kind: client.ErrForbidden, noWrite: true},
		{name: "add to unknown org", call: add("nope", "keiko", ""), kind: client.ErrForbidden, msg: "or nope does not exist", noWrite: true},
		{name: "add unknown user", call: add("fieldops", "nobody", ""), kind: client.ErrNotFound, msg: "no account nobody", noWrite: true},
		{name: "add case variant", call: add("fieldops", "Keiko", ""), kind: client.ErrNotFound, msg: "case-sensitive", noWrite: true},
		{name: "add existing", call: add("fieldops", "elena", ""), kind: client.ErrInvalid, msg: "adding elena to fieldops: elena is already a member of fieldops", noWrite: true},
		{name: "add owner", call: add("geo-survey", "ana", ""), kind: client.ErrInvalid, msg: "ana owns geo-survey", noWrite: true},
		{name: "add organization", call: add("fieldops", "city-parks", ""), kind: client.ErrInvalid, msg: "only persons can be members", noWrite: true},
		{name: "add at limit", as: "chloe", call: add("wetland-watch", "keiko", ""), kind: client.ErrLimitReached, msg: "wetland-watch has reached its plan's member limit", noWrite: true},
		{name: "add existing at limit", as: "chloe", call: add("wetland-watch", "felix", ""), kind: client.ErrLimitReached, noWrite: true},

		{name: "set role", call: update("fieldops", "ines", client.MemberUpdate{Role: ptr("admin")}), check: hasMember("fieldops", "ines", "admin", true)},
		{name: "set public", call: update("fieldops", "jonas", client.MemberUpdate{Public: ptr(true)}), check: hasMember("fieldops", "jonas", "member", true)},
		{name: "demote an admin", call: update("fieldops", "elena", client.MemberUpdate{Role: ptr("member")}), check: hasMember("fieldops", "elena", "member", true)},
		{name: "update bad role", call: update("fieldops", "ines", client.MemberUpdate{Role: ptr("owner")}), kind: client.ErrBadInput, noWrite: true},
		{name: "update nothing", call: update("fieldops", "ines", client.MemberUpdate{}), kind: client.ErrBadInput, noWrite: true},
		{name: "update non-member", call: update("fieldops", "keiko", client.MemberUpdate{Role: ptr("admin")}), kind: client.ErrNotFound, msg: "keiko is not a member of fieldops", noWrite: true},
		{name: "update owner", call: update("geo-survey", "ana", client.MemberUpdate{Role: ptr("member")}), kind: client.ErrNotFound, msg: "owner's role cannot change", noWrite: true},
		{name: "update as member", call: update("city-parks", "zoe", client.MemberUpdate{Role: ptr("admin")}), kind: client.ErrForbidden, msg: "only organization admins", noWrite: true},
		{name: "update owner as member", call: update("city-parks", "ben", client.MemberUpdate{Role: ptr("member")}), kind: client.ErrForbidden, noWrite: true},
		{name: "update at limit", as: "chloe", call: update("wetland-watch", "felix", client.MemberUpdate{Role: ptr("admin")}), kind: client.ErrLimitReached, msg: "blocks role and visibility changes too", noWrite: true},

		{name: "remove also leaves teams", call: remove("fieldops", "nils"), check: func(t *testing.T, s *qfctest.Server) {
			if _, ok := memberOf(s, "fieldops", "nils"); ok {
				t.Fatal("still a member")
			}
			if tm, _ := teamOf(s, "fieldops", "hydrology"); len(tm.Members) != 0 {
				t.Fatalf("still in team: %v", tm.Members)
			}
		}},
		{name: "remove self as admin", as: "elena", call: remove("fieldops", "elena")},
		{name: "remove non-member", call: remove("fieldops", "keiko"), kind: client.ErrNotFound, msg: "keiko is not a member of fieldops", noWrite: true},
		{name: "remove owner", call: remove("geo-survey", "ana"), kind: client.ErrNotFound, msg: "the owner cannot be removed", noWrite: true},
		{name: "remove as member", call: remove("city-parks", "zoe"), kind: client.ErrForbidden, noWrite: true},
		{name: "remove self as member", as: "zoe", call: remove("city-parks", "zoe"), kind: client.ErrForbidden, noWrite: true},
	})
}

func TestTeamsContract(t *testing.T) {
	t.Parallel()
	create := func(org, name string, private bool) func(ctx context.Context, c *qfieldcloud.Client) error {
		return func(ctx context.Context, c *qfieldcloud.Client) error {
			tm, err := c.CreateTeam(ctx, org, client.TeamSpec{Name: name, Private: private})
			if err == nil && (tm.Name != name || tm.Organization != org || tm.Members == nil) {
				return errors.New("wrong team")
			}
			return err
		}
	}
	rename := func(org, team, name string) func(ctx context.Context, c *qfieldcloud.Client) error {
		return func(ctx context.Context, c *qfieldcloud.Client) error {
			tm, err := c.RenameTeam(ctx, org, team, name)
			if err == nil && tm.Name != name {
				return errors.New("not renamed")
			}
			return err
		}
	}
	del := func(org, team string) func(ctx context.Context, c *qfieldcloud.Client) error {
		return func(ctx context.Context, c *qfieldcloud.Client) error { return c.DeleteTeam(ctx, org, team) }
	}
	addTM := func(org, team, user string, leader bool) func(ctx context.Context, c *qfieldcloud.Client) error {
		return func(ctx context.Context, c *qfieldcloud.Client) error {
			return c.AddTeamMember(ctx, org, team, user, leader)
		}
	}
	rmTM := func(org, team, user string) func(ctx context.Context, c *qfieldcloud.Client) error {
		return func(ctx context.Context, c *qfieldcloud.Client) error {
			return c.RemoveTeamMember(ctx, org, team, user)
		}
	}
	inTeam := func(org, team, user string, want bool) func(t *testing.T, s *qfctest.Server) {
		return func(t *testing.T, s *qfctest.Server) {
			tm, ok := teamOf(s, org, team)
			if !ok || slices.Contains(tm.Members, user) != want {
				t.Fatalf("team %+v: %s in it = %v", tm, user, !want)
			}
		}
	}
	hasTeam := func(org, team string, want bool) func(t *testing.T, s *qfctest.Server) {
		return func(t *testing.T, s *qfctest.Server) {
			if _, ok := teamOf(s, org, team); ok != want {
				t.Fatalf("team %s/%s exists = %v", org, team, ok)
			}
		}
	}
	run(t, []row{
		{name: "list", as: "keiko", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			ts, err := c.Teams(ctx, "fieldops")
			if err == nil && (len(ts) != 3 || ts[0].Name != "botanists" || ts[2].Name != "surveyors" || len(ts[2].Members) != 3 || ts[2].Members[0].User != "ines") {
				return errors.New("wrong teams")
			}
			return err
		}},
		{name: "list unknown org", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := c.Teams(ctx, "nope")
			return err
		}, kind: client.ErrNotFound, msg: "no organization nope"},
		{name: "get", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			tm, err := c.Team(ctx, "geo-survey", "drones")
			if err == nil && (tm.ID != "drones" || len(tm.Members) != 2 || tm.Members[0].User != "ana") {
				return errors.New("wrong team")
			}
			return err
		}},
		{name: "get unknown", call: func(ctx context.Context, c *qfieldcloud.Client) error {
			_, err := c.Team(ctx, "fieldops", "Surveyors")
			return err
		}, kind: client.ErrNotFound, msg: "no team Surveyors in fieldops"},

		{name: "create", call: create("fieldops", "mappers", false), check: hasTeam("fieldops", "mappers", true)},
		{name: "create existing", call: create("fieldops", "surveyors", false), kind: client.ErrInvalid, msg: "fieldops already has a team named surveyors", noWrite: true},
		{name: "create case variant", call: create("fieldops", "Surveyors", false), kind: client.ErrInvalid, msg: "already has a team", noWrite: true},
		{name: "create bad name", call: create("fieldops", "my team", false), kind: client.ErrBadInput, noWrite: true},
		{name: "create reserved name", call: create("fieldops", "members", false), kind: client.ErrBadInput, msg: "reserved", noWrite: true},
		{name: "create short name", call: create("fieldops", "ab", false), kind: client.ErrBadInput, noWrite: true},
		{name: "create private", call: create("fieldops", "mappers", true), kind: client.ErrUnsupported, noWrite: true},
		{name: "create as member", call: create("city-parks", "mappers", false), kind: client.ErrForbidden, msg: "only organization admins can change teams of city-parks", noWrite: true},

		{name: "rename", call: rename("fieldops", "hydrology", "water"), check: func(t *testing.T, s *qfctest.Server) {
			if tm, ok := teamOf(s, "fieldops", "water"); !ok || len(tm.Members) != 1 {
				t.Fatalf("renamed team %+v", tm)
			}
		}},
		{name: "rename to own name", call: rename("fieldops", "hydrology", "hydrology"), kind: client.ErrBadInput, msg: "already its name", noWrite: true},
		{name: "rename to taken", call: rename("fieldops", "hydrology", "botanists"), kind: client.ErrInvalid, msg: "fieldops already has a team named botanists", noWrite: true},
		{name: "rename unknown", call: rename("fieldops", "nope", "water"), kind: client.ErrNotFound, msg: "no team nope in fieldops", noWrite: true},
		{name: "rename as member", call: rename("city-parks", "rangers", "wardens"), kind: client.ErrForbidden, noWrite: true},
		{name: "rename bad name", call: rename("fieldops", "hydrology", "9lives"), kind: client.ErrBadInput, noWrite: true},

		{name: "delete", call: del("fieldops", "botanists"), check: hasTeam("fieldops", "botanists", false)},
		{name: "delete unknown", call: del("fieldops", "nope"), kind: client.ErrNotFound, msg: "no team nope in fieldops", noWrite: true},
		{name: "delete as member", call: del("city-parks", "rangers"), kind: client.ErrForbidden, noWrite: true},

		{name: "add member", call: addTM("fieldops", "botanists", "elena", false), check: inTeam("fieldops", "botanists", "elena", true)},
		{name: "add member by email", call: addTM("fieldops", "botanists", "olga@example.net", false), check: inTeam("fieldops", "botanists", "olga", true)},
		{name: "add owner", call: addTM("fieldops", "botanists", "demo", false), check: inTeam("fieldops", "botanists", "demo", true)},
		{name: "add member in another team", call: addTM("fieldops", "botanists", "nils", false), kind: client.ErrInvalid,
			msg: "no account nils, or nils is already in a team (QFieldCloud allows one team per person on the whole server)", noWrite: true},
		{name: "add member in another org's team", call: addTM("geo-survey", "north", "drones-less", false), kind: client.ErrInvalid, msg: "no account drones-less", noWrite: true},
		{name: "add non-member", call: addTM("fieldops", "botanists", "keiko", false), kind: client.ErrInvalid, msg: "keiko is not a member of fieldops", noWrite: true},
		{name: "add member as leader", call: addTM("fieldops", "botanists", "elena", true), kind: client.ErrUnsupported, noWrite: true},
		{name: "add member as member", call: addTM("city-parks", "rangers", "dmitri", false), kind: client.ErrForbidden, noWrite: true},
		{name: "add member to unknown team", call: addTM("fieldops", "nope", "elena", false), kind: client.ErrForbidden, msg: "team nope does not exist", noWrite: true},

		{name: "remove member", call: rmTM("fieldops", "surveyors", "ines"), check: inTeam("fieldops", "surveyors", "ines", false)},
		{name: "remove non-member", call: rmTM("fieldops", "surveyors", "nils"), kind: client.ErrNotFound, msg: "nils is not in team fieldops/surveyors", noWrite: true},
		{name: "remove as member", call: rmTM("city-parks", "rangers", "zoe"), kind: client.ErrForbidden, noWrite: true},
	})
}

func TestCapabilities(t *testing.T) {
	t.Parallel()
	c, err := qfieldcloud.New(client.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for cp, want := range map[client.Capability]bool{
		client.CapPasswordLogin: true, client.CapServerLogout: true, client.CapUserSearch: true,
		client.CapOrganizations: true, client.CapMemberAdd: true, client.CapMemberRemove: true,
		client.CapMemberRole: true, client.CapMemberPublic: true, client.CapTeamCreate: true,
		client.CapTeamRename: true, client.CapTeamDelete: true, client.CapTeamMembers: true,
		client.CapOneTeamPerUser: true, client.CapUserRole: false, client.CapTeamLeaders: false,
		client.CapTeamPrivate: false, client.CapInvitations: false,
	} {
		if c.Can(cp) != want {
			t.Errorf("Can(%s) = %v", cp, !want)
		}
	}
	if c.Kind() != "qfieldcloud" {
		t.Fatal(c.Kind())
	}
	if _, err := c.Invitations(context.Background()); !errors.Is(err, client.ErrUnsupported) {
		t.Fatalf("invitations: %v", err)
	}
	if err := c.SetTeamPrivate(context.Background(), "a", "b", true); !errors.Is(err, client.ErrUnsupported) {
		t.Fatalf("private: %v", err)
	}
}

func TestNormalizeURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://app.qfield.cloud":               "https://app.qfield.cloud/api/v1/",
		"https://app.qfield.cloud/":              "https://app.qfield.cloud/api/v1/",
		"https://app.qfield.cloud/api/v1":        "https://app.qfield.cloud/api/v1/",
		"https://app.qfield.cloud/api/v1/":       "https://app.qfield.cloud/api/v1/",
		" https://qfc.example.org/sub/api/v1// ": "https://qfc.example.org/sub/api/v1/",
		"http://localhost:8000":                  "http://localhost:8000/api/v1/",
		"http://127.0.0.1:8000/api/v1/":          "http://127.0.0.1:8000/api/v1/",
		"http://[::1]:8000":                      "http://[::1]:8000/api/v1/",
	} {
		got, err := qfieldcloud.NormalizeURL(in)
		if err != nil || got != want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"http://app.qfield.cloud", "ftp://x", "app.qfield.cloud", "https://"} {
		if got, err := qfieldcloud.NormalizeURL(bad); err == nil {
			t.Errorf("NormalizeURL(%q) = %q, want an error", bad, got)
		}
	}
	if _, err := qfieldcloud.New(client.Config{URL: "http://example.org"}); err == nil {
		t.Error("New accepted plain http to a remote host")
	}
}

package qomon

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

func TestNormalizeURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://incoming.qomon.app":       "https://incoming.qomon.app",
		"https://incoming.qomon.app/":      "https://incoming.qomon.app",
		" https://Incoming.Qomon.app// ":   "https://incoming.qomon.app",
		"http://127.0.0.1:8080/":           "http://127.0.0.1:8080",
		"http://localhost:1/prefix/":       "http://localhost:1/prefix",
		"https://user:pw@x.example/?q=1#f": "https://x.example",
	} {
		got, err := NormalizeURL(in)
		if err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"http://incoming.qomon.app", "ftp://x", "incoming.qomon.app", "https://"} {
		if _, err := NormalizeURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := New(client.Config{URL: "http://example.org"}); err == nil {
		t.Error("New accepted plain http to a remote host")
	}
	c, err := New(client.Config{})
	if err != nil || c.rc.Base().String() != DefaultURL+"/" {
		t.Errorf("default URL: %v", err)
	}
}

func TestCan(t *testing.T) {
	t.Parallel()
	c, _ := New(client.Config{})
	yes := []client.Capability{client.CapUserRole, client.CapMemberRole, client.CapTeamCreate, client.CapTeamRename,
		client.CapTeamMembers, client.CapTeamLeaders, client.CapTeamPrivate, client.CapInvitations}
	no := []client.Capability{client.CapPasswordLogin, client.CapServerLogout, client.CapUserSearch, client.CapOrganizations,
		client.CapMemberAdd, client.CapMemberRemove, client.CapMemberPublic, client.CapTeamDelete, client.CapOneTeamPerUser}
	for _, cp := range yes {
		if !c.Can(cp) {
			t.Errorf("Can(%s) = false", cp)
		}
	}
	for _, cp := range no {
		if c.Can(cp) {
			t.Errorf("Can(%s) = true", cp)
		}
	}
	if c.Kind() != "qomon" {
		t.Error(c.Kind())
	}
}

func TestRequestsCarryBearerEnvelopeAndUA(t *testing.T) {
	t.Parallel()
	s := fake(t)
	c := admin(t, s)
	if _, err := c.SetUserRole(ctx(t), qomontest.ChampEmail, "manager"); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Kit().Requests() {
		if r.Header.Get("Authorization") != "[present]" || r.Header.Get("User-Agent") != "roster/test" {
			t.Errorf("%s %s: headers %v", r.Method, r.Path, r.Header)
		}
	}
	p := requests(s, "PATCH", "/users/role")
	if len(p) != 1 {
		t.Fatalf("%d PATCH /users/role", len(p))
	}
	var body map[string]map[string]int64
	if err := json.Unmarshal(p[0].Body, &body); err != nil || body["data"]["user_id"] == 0 || body["data"]["role_id"] == 0 || len(body["data"]) != 2 {
		t.Errorf("body %s", p[0].Body)
	}
}

func TestAuthErrors(t *testing.T) {
	t.Parallel()
	s := fake(t)
	for _, tok := range []string{"qmn_nope", ""} {
		c := withToken(t, s, tok)
		_, err := c.CurrentUser(ctx(t))
		mustIs(t, err, client.ErrUnauthenticated, "checking the Qomon token")
		_, err = c.Teams(ctx(t), "")
		mustIs(t, err, client.ErrUnauthenticated)
	}
	// The token never appears in an error.
	c := withToken(t, s, "qmn_secret_value")
	_, err := c.Roles(ctx(t))
	if err == nil || strings.Contains(err.Error(), "qmn_secret_value") {
		t.Errorf("%v", err)
	}
	if _, err := admin(t, s).CurrentUser(ctx(t)); err != nil {
		t.Error(err)
	}
}

func TestRoles(t *testing.T) {
	t.Parallel()
	s := fake(t)
	roles, err := admin(t, s).Roles(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	want := s.Roles(qomontest.SpaceParis)
	if len(roles) != len(want) {
		t.Fatalf("%d roles", len(roles))
	}
	for i, r := range roles {
		if r.ID != strconv.FormatInt(want[i].ID, 10) || r.Name != want[i].Name || r.Kind != want[i].Type || r.Order != want[i].Order {
			t.Errorf("%+v vs %+v", r, want[i])
		}
	}
	lyon, _ := as(t, s, qomontest.SpaceLyon, qomontest.LyonEmail).Roles(ctx(t))
	if lyon[0].ID == roles[0].ID {
		t.Error("role ids are not per space")
	}
}

func userIDs(us []client.User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.ID)
	}
	return out
}

func TestUsers(t *testing.T) {
	t.Parallel()
	s := fake(t, qomontest.WithVariants())
	c := admin(t, s)
	all, err := client.CollectUsers(ctx(t), c, client.UserQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(s.Users(qomontest.SpaceParis)) {
		t.Fatalf("%d users", len(all))
	}
	for _, u := range all {
		if u.Role == nil || u.Role.Name == "unknown" {
			t.Errorf("user %s (%s): role %+v", u.ID, u.Name(), u.Role)
		}
	}
	for _, tc := range []struct {
		name string
		q    client.UserQuery
		want func([]client.User) bool
	}{
		{"search name, any case", client.UserQuery{Search: "CLAUDEL"}, func(us []client.User) bool { return len(us) == 1 && us[0].Email == qomontest.ManagerEmail }},
		{"search accented first name", client.UserQuery{Search: "émilie"}, func(us []client.User) bool { return len(us) == 1 }},
		{"search e-mail", client.UserQuery{Search: "@example.org"}, func(us []client.User) bool { return len(us) == 6 }},
		{"limit", client.UserQuery{Limit: 2}, func(us []client.User) bool { return len(us) == 2 && us[0].ID == all[0].ID }},
		{"search and limit", client.UserQuery{Search: "e", Limit: 1}, func(us []client.User) bool { return len(us) == 1 }},
		{"exclude team by name", client.UserQuery{ExcludeTeam: qomontest.TeamNord}, func(us []client.User) bool { return len(us) == len(all)-3 }},
		{"sorted by surname", client.UserQuery{Sort: true}, func(us []client.User) bool {
			return slices.IsSortedFunc(us, func(a, b client.User) int {
				return strings.Compare(strings.ToLower(a.LastName), strings.ToLower(b.LastName))
			})
		}},
	} {
		got, err := client.CollectUsers(ctx(t), c, tc.q)
		if err != nil || !tc.want(got) {
			t.Errorf("%s: %v %v", tc.name, err, userIDs(got))
		}
	}
	if !slices.ContainsFunc(s.Kit().Requests(), func(r fakehttp.Request) bool { return strings.Contains(r.RawQuery, "sort=true") }) {
		t.Error("Sort did not send sort=true")
	}
	for _, q := range []client.UserQuery{{Org: "x"}, {ExcludeOrg: "x"}, {PersonsOnly: true}} {
		_, err := client.CollectUsers(ctx(t), c, q)
		mustIs(t, err, client.ErrUnsupported, "qomon")
	}
	_, err = client.CollectUsers(ctx(t), c, client.UserQuery{ExcludeTeam: "Nope"})
	mustIs(t, err, client.ErrNotFound)
}

func TestUsersPagesUntilShort(t *testing.T) {
	t.Parallel()
	s := fake(t)
	s.SeedGenerated("Big", 1234)
	c := as(t, s, "Big", s.Users("Big")[0].Mail)
	var pages int
	var got []client.User
	err := c.Users(ctx(t), client.UserQuery{}, func(p []client.User) error { pages++; got = append(got, p...); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1234 {
		t.Fatalf("%d users", len(got))
	}
	for i := 1; i < len(got); i++ {
		a, _ := strconv.Atoi(got[i-1].ID)
		b, _ := strconv.Atoi(got[i].ID)
		if b <= a {
			t.Fatal("not in server order")
		}
	}
	for _, r := range requests(s, "GET", "/users") {
		if !strings.Contains(r.RawQuery, "limit=") || !strings.Contains(r.RawQuery, "offset=") {
			t.Errorf("page without limit/offset: %s", r.RawQuery)
		}
	}
}

func TestUser(t *testing.T) {
	t.Parallel()
	s := fake(t)
	c := admin(t, s)
	camille := userID(t, s, qomontest.SpaceParis, qomontest.ManagerEmail)
	u, err := c.User(ctx(t), strconv.FormatInt(camille, 10))
	if err != nil || u.Email != qomontest.ManagerEmail || u.Role.Kind != "manager" {
		t.Fatalf("%+v %v", u, err)
	}
	u, err = c.User(ctx(t), "CAMILLE@example.org")
	if err != nil || u.ID != strconv.FormatInt(camille, 10) {
		t.Fatalf("%+v %v", u, err)
	}
	_, err = c.User(ctx(t), "nobody@example.org")
	mustIs(t, err, client.ErrNotFound, "nobody@example.org")
	_, err = c.User(ctx(t), "bob")
	mustIs(t, err, client.ErrBadInput)
	louise := userID(t, s, qomontest.SpaceLyon, qomontest.LyonEmail)
	_, err = c.User(ctx(t), strconv.FormatInt(louise, 10))
	mustIs(t, err, client.ErrNotFound, "not found")
}

func TestSetUserRole(t *testing.T) {
	t.Parallel()
	s := fake(t)
	c := admin(t, s)
	denis := userID(t, s, qomontest.SpaceParis, qomontest.ChampEmail)
	for _, tc := range []struct{ role, wantKind string }{
		{"manager", "manager"},       // kind
		{"équipe SALARIÉE", "admin"}, // name, any case
		{strconv.FormatInt(s.RoleID(qomontest.SpaceParis, "Porte-parole"), 10), "custom"}, // id
		{"Trésorier", "custom"},
	} {
		u, err := c.SetUserRole(ctx(t), qomontest.ChampEmail, tc.role)
		if err != nil || u.Role.Kind != tc.wantKind {
			t.Fatalf("%s: %+v %v", tc.role, u.Role, err)
		}
		if got, _ := s.UserByMail(qomontest.SpaceParis, qomontest.ChampEmail); strconv.FormatInt(got.RoleID, 10) != u.Role.ID {
			t.Errorf("%s: server has role %d", tc.role, got.RoleID)
		}
	}
	before := len(writes(s))
	_, err := c.SetUserRole(ctx(t), strconv.FormatInt(denis, 10), "custom")
	mustIs(t, err, client.ErrBadInput, "ambiguous", "Trésorier", "Porte-parole")
	_, err = c.SetUserRole(ctx(t), qomontest.ChampEmail, "chef")
	mustIs(t, err, client.ErrBadInput, "unknown role", "Administrateur", "Champ")
	lyonRole := strconv.FormatInt(s.RoleID(qomontest.SpaceLyon, "manager"), 10)
	_, err = c.SetUserRole(ctx(t), qomontest.ChampEmail, lyonRole)
	mustIs(t, err, client.ErrBadInput, "unknown role")
	// Already that role: nothing is sent (Qomon e-mails on each change).
	if _, err := c.SetUserRole(ctx(t), qomontest.ChampEmail, "Trésorier"); err != nil {
		t.Fatal(err)
	}
	if len(writes(s)) != before {
		t.Errorf("refused or no-op role changes wrote: %v", writes(s)[before:])
	}
	// The user is re-read just before the PATCH.
	log := s.Kit().Requests()
	_, err = c.SetUserRole(ctx(t), strconv.FormatInt(denis, 10), "user")
	if err != nil {
		t.Fatal(err)
	}
	tail := s.Kit().Requests()[len(log):]
	var seq []string
	for _, r := range tail {
		seq = append(seq, r.Method+" "+r.Path)
	}
	want := fmt.Sprintf("GET /roles,GET /users/%d,PATCH /users/role,GET /users/%d", denis, denis)
	if strings.Join(seq, ",") != want {
		t.Errorf("sequence %v, want %s", seq, want)
	}
	// A user-role caller is refused by the server.
	_, err = as(t, s, qomontest.SpaceParis, qomontest.ChampEmail).SetUserRole(ctx(t), qomontest.AdminEmail, "user")
	mustIs(t, err, client.ErrForbidden)
	_, err = c.SetUserRole(ctx(t), "ghost@example.org", "user")
	mustIs(t, err, client.ErrNotFound)
}

func TestMembers(t *testing.T) {
	t.Parallel()
	s := fake(t)
	c := admin(t, s)
	ms, err := client.CollectMembers(ctx(t), c, "ignored")
	if err != nil || len(ms) != len(s.Users(qomontest.SpaceParis)) {
		t.Fatalf("%d %v", len(ms), err)
	}
	for _, m := range ms {
		if m.User == "" || m.Role == "" || m.RoleID == "" {
			t.Errorf("%+v", m)
		}
	}
	m, err := c.Member(ctx(t), "", qomontest.ManagerEmail)
	if err != nil || m.Role != "Organisateur" || m.Name != "Camille Claudel" {
		t.Fatalf("%+v %v", m, err)
	}
	role := "Champ"
	m, err = c.UpdateMember(ctx(t), "", qomontest.ManagerEmail, client.MemberUpdate{Role: &role})
	if err != nil || m.Role != "Champ" {
		t.Fatalf("%+v %v", m, err)
	}
	pub := true
	_, err = c.UpdateMember(ctx(t), "", qomontest.ManagerEmail, client.MemberUpdate{Public: &pub})
	mustIs(t, err, client.ErrUnsupported, "qomon")
}

func TestUnsupported(t *testing.T) {
	t.Parallel()
	s := fake(t)
	c := admin(t, s)
	cx := ctx(t)
	_, err := c.AddMember(cx, "", client.MemberSpec{User: "x@example.org"})
	mustIs(t, err, client.ErrUnsupported, "qomon", "roster invitations send")
	mustIs(t, c.RemoveMember(cx, "", "1"), client.ErrUnsupported, "qomon")
	mustIs(t, c.DeleteTeam(cx, "", "1"), client.ErrUnsupported, "qomon")
	mustIs(t, c.Logout(cx), client.ErrUnsupported, "qomon")
	_, err = c.Organizations(cx)
	mustIs(t, err, client.ErrUnsupported, "qomon")
	_, err = c.Organization(cx, "x")
	mustIs(t, err, client.ErrUnsupported, "qomon")
	if n := len(s.Kit().Requests()); n != 0 {
		t.Errorf("%d requests for unsupported actions", n)
	}
}

func TestTeams(t *testing.T) {
	t.Parallel()
	s := fake(t)
	c := admin(t, s)
	ts, err := c.Teams(ctx(t), "")
	if err != nil || len(ts) != 3 {
		t.Fatalf("%d %v", len(ts), err)
	}
	nord := ts[0]
	if nord.Name != qomontest.TeamNord || !nord.Private || !nord.HideUsers || nord.Address.HouseNumber != "12" ||
		nord.Address.Extra["building"] != "B" || len(nord.Members) != 3 || !nord.Members[0].Leader || nord.UpdatedAt == nil {
		t.Errorf("%+v", nord)
	}
	byID, err := c.Team(ctx(t), "", nord.ID)
	if err != nil || byID.Name != nord.Name {
		t.Errorf("%+v %v", byID, err)
	}
	byName, err := c.Team(ctx(t), "", qomontest.TeamMarche)
	if err != nil || byName.Private {
		t.Errorf("%+v %v", byName, err)
	}
	_, err = c.Team(ctx(t), "", "quartier nord") // names are exact
	mustIs(t, err, client.ErrNotFound)
	_, err = c.Team(ctx(t), "", "999999")
	mustIs(t, err, client.ErrNotFound)
	lyonTeam := s.Teams(qomontest.SpaceLyon)[0]
	_, err = c.Team(ctx(t), "", strconv.FormatInt(lyonTeam.ID, 10))
	mustIs(t, err, client.ErrNotFound)

	// A token refused the full list falls back to the public teams.
	s.Kit().Inject(fakehttp.Fault{Method: "GET", PathPrefix: "/teams", Kind: fakehttp.FaultStatus, Status: 403, Times: 1})
	ts, err = c.Teams(ctx(t), "")
	if err != nil || len(ts) != 1 || ts[0].Name != qomontest.TeamMarche {
		t.Fatalf("fallback: %v %v", ts, err)
	}
	// The champ sees only what the server shows them.
	ts, err = as(t, s, qomontest.SpaceParis, qomontest.ChampEmail).Teams(ctx(t), "")
	if err != nil || len(ts) != 2 {
		t.Errorf("%d %v", len(ts), err)
	}
}

func TestCreateTeam(t *testing.T) {
	t.Parallel()
	s := fake(t)
	c := admin(t, s)
	tm, err := c.CreateTeam(ctx(t), "", client.TeamSpec{Name: " Sud ", Description: "Quartier sud", Private: true})
	if err != nil || tm.Name != "Sud" || !tm.Private || tm.ID == "" {
		t.Fatalf("%+v %v", tm, err)
	}
	p := requests(s, "POST", "/teams")
	var body struct {
		Data struct {
			Team map[string]json.RawMessage `json:"team"`
		} `json:"data"`
	}
	json.Unmarshal(p[0].Body, &body)
	for _, k := range []string{"name", "description", "private", "hide_users", "address", "users", "leaders"} {
		if _, ok := body.Data.Team[k]; !ok {
			t.Errorf("POST /teams lacks %s: %s", k, p[0].Body)
		}
	}
	if _, ok := body.Data.Team["id"]; ok {
		t.Error("POST /teams sent an id")
	}
	_, err = c.CreateTeam(ctx(t), "", client.TeamSpec{Name: "  "})
	mustIs(t, err, client.ErrBadInput)
	_, err = as(t, s, qomontest.SpaceParis, qomontest.ChampEmail).CreateTeam(ctx(t), "", client.TeamSpec{Name: "X"})
	mustIs(t, err, client.ErrForbidden, "creating team")
	if len(s.Teams(qomontest.SpaceParis)) != 4 {
		t.Error("team count")
	}
}

func TestInvitations(t *testing.T) {
	t.Parallel()
	s := fake(t)
	c := admin(t, s)
	invs, err := c.Invitations(ctx(t))
	if err != nil || len(invs) != 1 || invs[0].Email != qomontest.PendingEmail || invs[0].RoleName != "Champ" || invs[0].UserID != "" {
		t.Fatalf("%+v %v", invs, err)
	}
	got, err := c.Invite(ctx(t), []client.InvitationSpec{
		{Email: qomontest.LyonOnlyEmail, Role: "organisateur"},
		{Email: "fresh@example.org"},
	})
	if err != nil || len(got) != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	if got[0].UserID == "" || got[0].RoleName != "Organisateur" || got[1].UserID != "" || got[1].RoleName != "Champ" {
		t.Errorf("%+v", got)
	}
	if _, ok := s.UserByMail(qomontest.SpaceParis, qomontest.LyonOnlyEmail); !ok {
		t.Error("existing account not added")
	}
	before := len(s.Kit().Requests())
	_, err = c.Invite(ctx(t), []client.InvitationSpec{{Email: "ok@example.org"}, {Email: "Bob <bob@example.org>"}})
	mustIs(t, err, client.ErrBadInput, "not an e-mail")
	_, err = c.Invite(ctx(t), nil)
	mustIs(t, err, client.ErrBadInput)
	if len(s.Kit().Requests()) != before {
		t.Error("bad invitations sent requests")
	}
	_, err = c.Invite(ctx(t), []client.InvitationSpec{{Email: "x@example.org", Role: "boss"}})
	mustIs(t, err, client.ErrBadInput, "unknown role")
	_, err = as(t, s, qomontest.SpaceParis, qomontest.ChampEmail).Invite(ctx(t), []client.InvitationSpec{{Email: "x@example.org"}})
	mustIs(t, err, client.ErrForbidden)

	if err := c.CancelInvitation(ctx(t), got[1].ID); err != nil {
		t.Fatal(err)
	}
	mustIs(t, c.CancelInvitation(ctx(t), got[1].ID), client.ErrNotFound)
	mustIs(t, c.CancelInvitation(ctx(t), "abc"), client.ErrBadInput)
	if n := len(s.Invitations(qomontest.SpaceParis)); n != 2 {
		t.Errorf("%d invitations", n)
	}
}

// TestInviteAcceptsOneObject: an older API version answers one object.
func TestInviteAcceptsOneObject(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		`{"msg":"ok","invitations":{"id":5,"email":"a@example.org","role_id":61}}`,
		`{"msg":"ok","invitation":{"id":5,"email":"a@example.org","role_id":61}}`,
		`{"id":5,"email":"a@example.org","role_id":61}`,
		`{"msg":"ok","invitations":[{"id":5,"email":"a@example.org","role":{"id":61,"name":"Champ"}}]}`,
	} {
		var out struct {
			Invitations json.RawMessage `json:"invitations"`
			Invitation  json.RawMessage `json:"invitation"`
		}
		json.Unmarshal([]byte(raw), &out)
		src := out.Invitations
		if src == nil {
			src = out.Invitation
		}
		if src == nil {
			src = json.RawMessage(raw)
		}
		l := decodeOneOrMany(src)
		if len(l) != 1 || l[0].invitation(testRoles).Email != "a@example.org" || l[0].invitation(testRoles).RoleName != "Champ" {
			t.Errorf("%s: %+v", raw, l)
		}
	}
}

func TestRateLimitWithRetryAfter(t *testing.T) {
	t.Parallel()
	s := fake(t, qomontest.WithRateLimit(2, 150*time.Millisecond))
	c := admin(t, s)
	for i := range 5 {
		if _, err := c.Roles(ctx(t)); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	// Each 429 was answered, waited for (Retry-After) and tried again.
	if got := len(requests(s, "GET", "/roles")); got <= 5 {
		t.Errorf("%d requests for 5 calls: the limit never bit", got)
	}
}

func TestRateLimitBackoffWithoutRetryAfter(t *testing.T) {
	t.Parallel()
	s := fake(t, qomontest.WithRateLimit(1, time.Hour), qomontest.WithoutRetryAfter())
	var sl sleeps
	c := admin(t, s, clientOpt{sleep: sl.sleep})
	if _, err := c.Roles(ctx(t)); err != nil {
		t.Fatal(err)
	}
	_, err := c.Roles(ctx(t))
	mustIs(t, err, client.ErrRateLimited)
	got := sl.all()
	// 5 tries, so 4 waits: 0.5, 1, 2, 4 s plus up to 25 % jitter (api §2.5).
	if len(got) != 4 {
		t.Fatalf("waits %v", got)
	}
	for i, base := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second} {
		if got[i] < base || got[i] > base*5/4 {
			t.Errorf("wait %d = %s, want %s..%s", i, got[i], base, base*5/4)
		}
	}
	if n := len(requests(s, "GET", "/roles")); n != 6 {
		t.Errorf("%d requests, want 1 + 5 tries", n)
	}
}

func TestRateLimitedWriteIsRetried(t *testing.T) {
	t.Parallel()
	s := fake(t, qomontest.WithRateLimit(3, 100*time.Millisecond))
	c := admin(t, s)
	// A 429 is a refusal: retrying a write is safe and it lands once.
	tm, err := c.RenameTeam(ctx(t), "", qomontest.TeamMarche, "Marché couvert")
	if err != nil || tm.Name != "Marché couvert" {
		t.Fatalf("%+v %v", tm, err)
	}
	if teamByName(t, s, qomontest.SpaceParis, "Marché couvert").Name == "" {
		t.Error("not renamed")
	}
}

func TestServerErrors(t *testing.T) {
	t.Parallel()
	s := fake(t)
	var sl sleeps
	c := admin(t, s, clientOpt{sleep: sl.sleep})
	s.Kit().Inject(fakehttp.Fault{Method: "GET", PathPrefix: "/roles", Kind: fakehttp.FaultStatus, Status: 500, Times: 1})
	_, err := c.Roles(ctx(t))
	mustIs(t, err, client.ErrServer, "listing roles", "HTTP 500")
	// 503 on a read is retried.
	s.Kit().Inject(fakehttp.Fault{Method: "GET", PathPrefix: "/roles", Kind: fakehttp.FaultStatus, Status: 503, Times: 1})
	if _, err := c.Roles(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if len(sl.all()) != 1 {
		t.Errorf("waits %v", sl.all())
	}
}

func TestPacing(t *testing.T) {
	t.Parallel()
	s := fake(t)
	// The real pacing: 5 requests in a burst, then 5 per second.
	c, err := New(client.Config{URL: s.URL(), Token: s.Token(qomontest.SpaceParis, qomontest.StaffEmail), HTTPClient: s.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for range paceBurst + 2 {
		if _, err := c.Roles(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("%d requests in %s: not paced", paceBurst+2, d)
	}
	base := strings.TrimSuffix(c.rc.Base().String(), "/")
	tok := s.Token(qomontest.SpaceParis, qomontest.StaffEmail)
	if limiterFor(base, tok) != c.pace || limiterFor(base, "other") == limiterFor(base, tok) {
		t.Error("the pacing is not one bucket per token")
	}
}

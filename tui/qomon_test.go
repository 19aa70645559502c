package tui

import (
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qomon"
	"github.com/roster-cli/roster/client/qomon/qomontest"
)

// qomonSession opens the TUI's session on the Qomon demo fake (in memory).
func qomonSession(t *testing.T) (*qomontest.Server, *Session) {
	t.Helper()
	srv := qomontest.New(qomontest.WithoutSocket())
	t.Cleanup(srv.Close)
	srv.SeedDemo()
	p, err := qomon.New(client.Config{URL: srv.URL(), Token: srv.DemoToken(), HTTPClient: srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	return srv, &Session{Profile: "demo-qomon", Kind: p.Kind(), URL: srv.URL(), Source: "demo", Provider: p}
}

func qomonHarness(t *testing.T) (*qomontest.Server, *harness) {
	t.Helper()
	srv, sess := qomonSession(t)
	h := newHarness(t, Options{Session: sess})
	h.mustSee("1 Users", "2 Teams", "3 Roles", "4 Invitations", "Claire")
	return srv, h
}

// serverUser finds a demo user on the fake by e-mail.
func serverUser(t *testing.T, srv *qomontest.Server, mail string) qomontest.User {
	t.Helper()
	u, ok := srv.UserByMail(qomontest.DemoSpace, mail)
	if !ok {
		t.Fatalf("no user %s on the fake", mail)
	}
	return u
}

func serverTeam(t *testing.T, srv *qomontest.Server, name string) qomontest.Team {
	t.Helper()
	for _, tm := range srv.Teams(qomontest.DemoSpace) {
		if tm.Name == name {
			return tm
		}
	}
	t.Fatalf("no team %q on the fake", name)
	return qomontest.Team{}
}

// pick moves a picker's cursor to the option labelled label and chooses it.
func pick(h *harness, label string) {
	h.t.Helper()
	d, ok := h.m.top().(*pickerDialog)
	if !ok {
		h.t.Fatalf("top is %T, want a picker:\n%s", h.m.top(), h.view())
	}
	h.keys("g")
	for range d.opts {
		if d.opts[d.cursor].Label == label {
			h.keys("enter")
			return
		}
		h.keys("j")
	}
	h.t.Fatalf("picker has no %q:\n%s", label, h.view())
}

func TestQomonUsersFilterSortAndDetail(t *testing.T) {
	t.Parallel()
	_, h := qomonHarness(t)
	u := h.m.top().(*usersScreen)
	if !u.local || u.more || u.tbl.Total() != 40 {
		t.Fatalf("local=%v more=%v rows=%d, want all 40 users loaded for a local filter", u.local, u.more, u.tbl.Total())
	}
	h.mustSee("ROLE", "Administrateur", "Organisateur")
	// The filter is local: no request per keystroke, q is text.
	h.keys("/")
	h.typeText("organisateur")
	h.mustSee("5 of 40 users")
	h.keys("enter", "esc")
	h.mustSee("40 users")
	// s cycles name → role → id.
	h.keys("s")
	h.mustSee("users sorted by name") // the outcome, until the next key
	h.keys("g")
	h.mustSee("sorted by name")
	if first, _ := u.tbl.Selected(); first.label() != "Adam Martinez" {
		t.Fatalf("first by name = %q", first.label())
	}
	h.keys("s", "g")
	h.mustSee("sorted by role")
	if first, _ := u.tbl.Selected(); first.role() != "Administrateur" {
		t.Fatalf("first by role = %q", first.role())
	}
	h.keys("s")
	h.mustSee("sorted by id")
	// Detail: every profile field, from the server.
	h.keys("g", "enter")
	h.mustSee("phone", "address", "rue de la République", "93100", "locale", "fr", "created", "updated", "Administrateur")
	h.keys("esc")
	if h.topTitle() != "Users" {
		t.Fatalf("top = %q", h.topTitle())
	}
}

func TestQomonUserRoleChange(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	u := h.m.top().(*usersScreen)
	h.keys("/")
	h.typeText("julien")
	h.keys("enter")
	row, _ := u.tbl.Selected()
	h.keys("e")
	h.mustSee("Role of Julien Bernard in the space", "Champ", "Trésorier")
	pick(h, "Organisateur")
	h.mustSee("Julien Bernard is now Organisateur")
	got := serverUser(t, srv, row.email())
	want := srv.RoleID(qomontest.DemoSpace, "manager")
	if got.RoleID != want {
		t.Fatalf("server role id = %d, want %d (manager)", got.RoleID, want)
	}
	if after, _ := u.tbl.Get(row.id()); after.role() != "Organisateur" || u.writes.pending(row.id()) {
		t.Fatalf("row after = %q pending=%v", after.role(), u.writes.pending(row.id()))
	}
}

func TestQomonRolesCountUsers(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	h.keys("3")
	h.mustSee("ROLE", "USERS", "Référent quartier")
	rs := h.m.top().(*spaceRolesScreen)
	count := map[int64]int{}
	for _, u := range srv.Users(qomontest.DemoSpace) {
		count[u.RoleID]++
	}
	total := 0
	for _, r := range rs.tbl.Items() {
		id, _ := strconv.ParseInt(r.ID, 10, 64)
		if r.Users != count[id] {
			t.Errorf("role %s: %d users shown, server has %d", r.Name, r.Users, count[id])
		}
		total += r.Users
	}
	if total != 40 {
		t.Fatalf("counts add up to %d, want 40", total)
	}
	// A role changed elsewhere is counted again when the tab comes back.
	h.keys("1", "g", "j")
	h.keys("e")
	pick(h, "Trésorier")
	h.mustSee("is now Trésorier")
	before := rowByName(rs, "Trésorier").Users
	h.keys("3")
	if after := rowByName(rs, "Trésorier").Users; after != before+1 {
		t.Fatalf("Trésorier users %d → %d after a change, want +1", before, after)
	}
}

func rowByName(rs *spaceRolesScreen, name string) roleRow {
	for _, r := range rs.tbl.Items() {
		if r.Name == name {
			return r
		}
	}
	return roleRow{}
}

func TestQomonInvitations(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	h.keys("4")
	h.mustSee("3 invitations", "yasmine.haddad@mail.example", "pending")
	h.keys("a")
	h.typeText("nora@example.org")
	h.keys("enter")
	h.mustSee("Role of nora@example.org in the space")
	pick(h, "Organisateur")
	h.mustSee("invited nora@example.org as Organisateur", "4 invitations")
	var sent *qomontest.Invitation
	for _, inv := range srv.Invitations(qomontest.DemoSpace) {
		if inv.Email == "nora@example.org" {
			sent = &inv
		}
	}
	if sent == nil || sent.RoleID != srv.RoleID(qomontest.DemoSpace, "manager") {
		t.Fatalf("invitation on the server: %+v", sent)
	}
	// d, then enter on the default (Cancel): nothing happens.
	is := h.m.top().(*invitationsScreen)
	for k, _ := is.tbl.SelectedKey(); k != strconv.FormatInt(sent.ID, 10); k, _ = is.tbl.SelectedKey() {
		h.keys("j")
	}
	h.keys("d")
	h.mustSee("Withdraw the invitation of nora@example.org")
	h.keys("enter")
	h.mustSee("cancelled", "4 invitations")
	if len(srv.Invitations(qomontest.DemoSpace)) != 4 {
		t.Fatal("cancelled dialog withdrew the invitation")
	}
	h.keys("d", "right", "enter")
	h.mustSee("cancelled the invitation of nora@example.org", "3 invitations")
	if len(srv.Invitations(qomontest.DemoSpace)) != 3 {
		t.Fatal("invitation still on the server")
	}
}

// openQomonTeam goes Teams → name.
func openQomonTeam(t *testing.T, h *harness, name string) *teamMembersScreen {
	t.Helper()
	h.keys("2")
	h.mustSee(name)
	ts := h.m.top().(*teamsScreen)
	h.keys("g")
	for range ts.tbl.Len() {
		if x, _ := ts.tbl.Selected(); x.Name == name {
			break
		}
		h.keys("j")
	}
	h.keys("enter")
	if h.topTitle() != name {
		t.Fatalf("top = %q, want %s", h.topTitle(), name)
	}
	return h.m.top().(*teamMembersScreen)
}

func TestQomonTeamsCreateRenamePrivate(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	h.keys("2")
	h.mustSee("LEADERS", "VISIBILITY", "Comité de campagne", "private")
	// Delete has no API on this provider: disabled with the reason.
	h.keys("d")
	h.mustSee("d: not available on qomon")
	h.keys("a")
	h.typeText("Collage")
	h.keys("enter")
	h.mustSee("Visibility of the new team Collage")
	pick(h, "private")
	h.mustSee("created team Collage")
	if !serverTeam(t, srv, "Collage").Private {
		t.Fatal("new team is not private on the server")
	}
	ts := h.m.top().(*teamsScreen)
	h.keys("g")
	for x, _ := ts.tbl.Selected(); x.Name != "Phoning"; x, _ = ts.tbl.Selected() {
		h.keys("j")
	}
	before := serverTeam(t, srv, "Phoning")
	h.mustSee("v make private")
	h.keys("v")
	h.mustSee("Make team Phoning private?", "Keep public", "Make private")
	h.keys("enter") // Keep public has the focus
	if serverTeam(t, srv, "Phoning").Private {
		t.Fatal("v changed the visibility without a confirmation")
	}
	h.keys("v", "right", "enter")
	h.mustSee("team Phoning is now private", "v make public")
	after := serverTeam(t, srv, "Phoning")
	if !after.Private || !slices.Equal(after.Users, before.Users) || !slices.Equal(after.Leaders, before.Leaders) || after.Description != before.Description {
		t.Fatalf("after v: %+v (before %+v)", after, before)
	}
	h.keys("n", "ctrl+u")
	h.typeText("Phoning soir")
	h.keys("enter")
	h.mustSee("renamed team Phoning to Phoning soir")
	if renamed := serverTeam(t, srv, "Phoning soir"); !renamed.Private || len(renamed.Users) != len(before.Users) {
		t.Fatalf("rename lost fields: %+v", renamed)
	}
}

func TestQomonTeamMembersLeadersAddRemove(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	tm := openQomonTeam(t, h, "Phoning")
	h.mustSee("leader", "of team Phoning")
	n := tm.tbl.Total()
	// Add a member as a leader.
	h.keys("a")
	h.mustSee("User (e-mail or id)")
	paste(h, "claire.martin@campagne.example")
	h.keys("enter")
	h.mustSee("Add claire.martin@campagne.example to team Phoning as")
	pick(h, "leader")
	h.mustSee("added claire.martin@campagne.example to team Phoning as a leader")
	claire := serverUser(t, srv, qomontest.DemoAdminEmail)
	team := serverTeam(t, srv, "Phoning")
	if !slices.Contains(team.Users, claire.ID) || !slices.Contains(team.Leaders, claire.ID) {
		t.Fatalf("server team %+v lacks Claire (%d) as member and leader", team, claire.ID)
	}
	if tm.tbl.Total() != n+1 {
		t.Fatalf("rows = %d, want %d", tm.tbl.Total(), n+1)
	}
	// l drops only the leadership.
	cid := strconv.FormatInt(claire.ID, 10)
	h.keys("g")
	for k, _ := tm.tbl.SelectedKey(); k != cid; k, _ = tm.tbl.SelectedKey() {
		h.keys("j")
	}
	h.keys("l")
	h.mustSee("no longer leads team Phoning")
	team = serverTeam(t, srv, "Phoning")
	if !slices.Contains(team.Users, claire.ID) || slices.Contains(team.Leaders, claire.ID) {
		t.Fatalf("after l: %+v", team)
	}
	// Remove, confirmed.
	h.keys("d", "right", "enter")
	h.mustSee("removed " + cid + " from team Phoning")
	if slices.Contains(serverTeam(t, srv, "Phoning").Users, claire.ID) {
		t.Fatal("still in the team on the server")
	}
}

// TestQomonConcurrentTeamEdit: someone else changes the team between the
// copy on screen and the write; roster refuses, says why, puts the row
// back and shows the other edit.
func TestQomonConcurrentTeamEdit(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	tm := openQomonTeam(t, h, "Phoning")
	n := tm.tbl.Total()
	other := serverUser(t, srv, "sophie.dubois@campagne.example")
	var fired atomic.Bool
	srv.BeforeTeamWrite(func(id int64) {
		if fired.CompareAndSwap(false, true) {
			srv.EditTeam(id, func(t *qomontest.Team) { t.Users = append(t.Users, other.ID) })
		}
	})
	h.keys("a")
	paste(h, "claire.martin@campagne.example")
	h.keys("enter")
	pick(h, "member")
	if !fired.Load() {
		t.Fatal("the concurrent edit never happened")
	}
	if !strings.Contains(h.m.c.err, "changed by someone else") || !strings.Contains(h.m.c.err, "adding claire.martin@campagne.example to team Phoning") {
		t.Fatalf("error line = %q", h.m.c.err)
	}
	claire := serverUser(t, srv, qomontest.DemoAdminEmail)
	if slices.Contains(serverTeam(t, srv, "Phoning").Users, claire.ID) {
		t.Fatal("the refused change was written")
	}
	if tm.writes.busyAny() {
		t.Fatal("a write is still pending")
	}
	// Rolled back, then reloaded: the other person's edit shows; no Claire.
	if _, ok := tm.tbl.Get("claire.martin@campagne.example"); ok {
		t.Fatal("the refused row is still shown")
	}
	if _, ok := tm.tbl.Get(strconv.FormatInt(other.ID, 10)); !ok || tm.tbl.Total() != n+1 {
		t.Fatalf("after the conflict %d rows, want %d with the other edit", tm.tbl.Total(), n+1)
	}
	h.mustSee("error: ")
}

// paste sends text as one key message, as a terminal delivers a paste:
// one debounce tick instead of one per character (each tick of the
// suggestion box is a search on the server).
func paste(h *harness, text string) {
	h.t.Helper()
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true})
}

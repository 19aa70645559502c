package tui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client"
)

func serverMember(t *testing.T, members func(string) []clientMember, org, user string) (clientMember, bool) {
	t.Helper()
	for _, m := range members(org) {
		if m.User == user {
			return m, true
		}
	}
	return clientMember{}, false
}

// clientMember is the part of a fake's member the tests compare.
type clientMember struct {
	User, Role string
	Public     bool
}

// A role change is undone after a confirmation that names the request;
// enter on the default button cancels.
func TestUndoRoleChangeAndRemoval(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	members := func(org string) []clientMember {
		var out []clientMember
		for _, m := range srv.Members(org) {
			out = append(out, clientMember{m.User, m.Role, m.Public})
		}
		return out
	}
	h := newHarness(t, Options{Session: sess})
	h.keys("u")
	h.mustSee("nothing to undo in this session")
	enterOrg(t, h, "fieldops")
	h.keys("enter")
	h.mustSee("of fieldops")
	ms := h.m.top().(*membersScreen)
	k := selectWhere(h, ms, func(m client.Member) bool { return m.Role == "member" })
	before, _ := serverMember(t, members, "fieldops", k)
	h.keys("e", "g", "enter") // admin is first in the picker
	h.mustSee(k + " is now admin of fieldops")

	h.keys("u")
	h.mustSee("Undo", "roster will send: change member "+k, "role=member")
	h.keys("enter") // Cancel has the focus
	h.mustSee("cancelled")
	if m, _ := serverMember(t, members, "fieldops", k); m.Role != "admin" {
		t.Fatalf("a cancelled undo changed the role to %q", m.Role)
	}
	h.keys("u", "right", "enter")
	h.mustSee("undone: make " + k + " member of fieldops again")
	if m, _ := serverMember(t, members, "fieldops", k); m.Role != before.Role {
		t.Fatalf("after undo the role is %q, want %q", m.Role, before.Role)
	}
	// The undo itself has no inverse; the role change is marked undone.
	h.keys("u")
	h.mustSee("the last write cannot be undone")

	// Removal: undo adds them back with the old role and visibility.
	ms = h.m.top().(*membersScreen)
	ms.tbl.selectKey(k)
	h.keys("d", "right", "enter")
	h.mustSee("removed " + k + " from fieldops")
	if _, ok := serverMember(t, members, "fieldops", k); ok {
		t.Fatalf("%s still a member", k)
	}
	h.keys("u")
	h.mustSee("add member "+k, "role=member")
	h.keys("right", "enter")
	h.mustSee("undone: add " + k + " to fieldops again as member")
	after, ok := serverMember(t, members, "fieldops", k)
	if !ok || after != before {
		t.Fatalf("after undo %+v (present %v), want %+v", after, ok, before)
	}
	h.mustSee(k) // the screen reloaded
}

// A team rename and a team member add are undone; a team deletion is not
// undoable and u says why, in the status bar and in help.
func TestUndoTeamRenameMemberAndDelete(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("j", "enter")
	h.mustSee("botanists")
	ts := h.m.top().(*teamsScreen)
	ts.tbl.selectKey("botanists")
	h.keys("n", "ctrl+u")
	h.typeText("plants")
	h.keys("enter")
	h.mustSee("renamed team botanists to plants")
	h.keys("u", "right", "enter")
	h.mustSee("undone: rename team plants back to botanists")
	names := ""
	for _, tm := range srv.Teams("fieldops") {
		names += tm.Name + " "
	}
	if !strings.Contains(names, "botanists") || strings.Contains(names, "plants") {
		t.Fatalf("teams on the server after undo: %s", names)
	}

	ts = h.m.top().(*teamsScreen)
	ts.tbl.selectKey("hydrology")
	h.keys("d", "right", "enter")
	h.mustSee("deleted team hydrology of fieldops")
	h.keys("u")
	h.mustSee("a deleted team loses its memberships")
	h.keys("?")
	h.mustSee("undo the last write", "unavailable: the last write cannot")
	h.keys("?")

	// The activity view lists the writes, newest first, with their outcome.
	h.keys("A")
	h.mustSee("Activity", "3 writes", "deleted team hydrology", "undone", "renamed team botanists")
	h.keys("esc")
	h.mustNotSee("Activity")
}

// Read-only: u is off with the reason.
func TestUndoReadOnly(t *testing.T) {
	t.Parallel()
	_, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess, ReadOnly: true})
	h.keys("u")
	h.mustSee("read-only mode")
}

// Qomon: undoing a team member removal adds them back with their
// leadership, through the safe read-modify-write.
func TestUndoQomonTeamMember(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	tm := openQomonTeam(t, h, "Phoning")
	h.mustSee("leader")
	var lead client.TeamMember
	for _, x := range tm.tbl.Items() {
		if x.Leader {
			lead = x
		}
	}
	tm.tbl.selectKey(lead.User)
	h.keys("d", "right", "enter")
	h.mustSee("removed " + lead.User + " from team Phoning")
	h.keys("u")
	// In words: the name, the id only in brackets.
	d := h.m.top().(*confirmDialog)
	if !strings.Contains(d.text, "add "+lead.Name+" to team Phoning again") || !strings.Contains(d.text, "roster will send: add "+lead.Name+" (user "+lead.User+")") || !strings.Contains(d.text, "leader=yes") {
		t.Fatalf("undo dialog: %q", d.text)
	}
	h.keys("right", "enter")
	h.mustSee("undone: add " + lead.Name + " to team Phoning again")
	team := serverTeam(t, srv, "Phoning")
	id := serverUserByID(team.Leaders, lead.User)
	if !id {
		t.Fatalf("after undo %s is not a leader of Phoning again: %+v", lead.User, team)
	}
}

func serverUserByID(ids []int64, id string) bool {
	for _, x := range ids {
		if strconv.FormatInt(x, 10) == id {
			return true
		}
	}
	return false
}

// Qomon: a team made private is made public again; a created team cannot
// be deleted through the API, and u says so.
func TestUndoQomonPrivateAndCreate(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	h.keys("2")
	h.mustSee("Phoning")
	ts := h.m.top().(*teamsScreen)
	h.keys("g")
	for range ts.tbl.Len() {
		if x, _ := ts.tbl.Selected(); x.Name == "Phoning" {
			break
		}
		h.keys("j")
	}
	h.keys("v", "right", "enter")
	h.mustSee("team Phoning is now private")
	h.keys("u")
	h.mustSee("roster will send: set private=no on team Phoning")
	h.keys("right", "enter")
	h.mustSee("undone: make team Phoning public again")
	if serverTeam(t, srv, "Phoning").Private {
		t.Fatal("Phoning is still private after undo")
	}
	h.keys("a")
	h.typeText("Collage")
	h.keys("enter")
	pick(h, "public")
	h.mustSee("created team Collage")
	h.keys("u")
	h.mustSee("qomon has no API to delete a team")
}

// QFieldCloud: a member add and a team creation are undone by removing
// and deleting them.
func TestUndoMemberAddAndTeamCreate(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("j", "enter")
	h.mustSee("botanists")
	h.keys("a")
	h.typeText("mappers")
	h.keys("enter")
	h.mustSee("created team mappers in fieldops")
	h.keys("u", "right", "enter")
	h.mustSee("undone: delete the new team mappers of fieldops")
	for _, tm := range srv.Teams("fieldops") {
		if strings.HasSuffix(tm.Name, "mappers") {
			t.Fatal("the created team is still on the server")
		}
	}
	h.keys("esc", "k", "enter")
	h.mustSee("of fieldops")
	h.keys("a")
	h.typeText("zoe")
	h.keys("enter", "enter", "enter") // the name, the default role, not public
	h.mustSee("added zoe to fieldops")
	h.keys("u", "right", "enter")
	h.mustSee("undone: remove zoe from fieldops again")
	for _, m := range srv.Members("fieldops") {
		if m.User == "zoe" {
			t.Fatal("zoe is still a member after undo")
		}
	}
}

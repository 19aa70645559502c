package tui

import (
	"strings"
	"testing"
)

// An empty QFieldCloud team shows QFieldCloud's columns: no LEADER (a
// Qomon column), no name or e-mail (QFieldCloud's team rows have none).
func TestEmptyQFieldCloudTeamColumns(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	srv.AddTeam("fieldops", "empty-team")
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("j", "enter")
	h.mustSee("empty-team")
	h.m.top().(*teamsScreen).tbl.selectKey("empty-team")
	h.keys("enter")
	h.mustSee("0 members · of team fieldops/empty-team", "USER", "nobody in this team")
	h.mustNotSee("LEADER", "E-MAIL", "NAME")
}

// While a write is in flight Activity lists it, never "no writes yet".
func TestActivityShowsWritesInFlight(t *testing.T) {
	t.Parallel()
	h := openMembers(t, newMem(), Options{})
	h.keys("e")
	h.hold = true
	h.keys("g", "enter") // ana → admin, held
	h.keys("A")
	h.mustSee("in flight", "making ana admin of fieldops")
	h.mustNotSee("no writes in this session yet")
	h.keys("u")
	h.mustSee("the write is still in flight")
	h.release()
	h.mustSee("ana is now admin of fieldops", "1 write")
	h.mustNotSee("in flight")
	// enter shows the write whole.
	h.keys("enter")
	h.mustSee("write 1", "ana is now admin of fieldops", "outcome", "ok")
}

// A QFieldCloud team whose name holds a "/" cannot be addressed: the
// server routes the decoded path, so even an escaped "/" splits it (api
// §4.11). The screen says so plainly, without blaming the server URL,
// and sends nothing for it.
func TestTeamWithSlashSaysWhy(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	srv.AddTeam("fieldops", "north/south", "ben")
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("j", "enter")
	h.mustSee("north/south")
	h.m.top().(*teamsScreen).tbl.selectKey("north/south")
	n := len(srv.Kit().Requests())
	h.keys("enter")
	h.mustSee("contains \"/\"")
	h.mustNotSee("server URL")
	for _, r := range srv.Kit().Requests()[n:] {
		if strings.Contains(r.Path, "north") {
			t.Fatalf("sent %s %s for an unaddressable name", r.Method, r.Path)
		}
	}
}

// The header names the Qomon space (its id: the API gives no name) once
// the users have told it.
func TestHeaderNamesTheQomonSpace(t *testing.T) {
	t.Parallel()
	_, h := qomonHarness(t)
	first := strings.Split(h.view(), "\n")[0]
	if !strings.Contains(first, "qomon · space 50") {
		t.Fatalf("header = %q, want the space", first)
	}
}

// The organization list says "owner" for the owner, not the API's admin.
func TestOrgListSaysOwner(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Session: memSession(newMem())})
	h.keys("2")
	if row := lineWith(h.view(), "fieldops"); !strings.Contains(row, "owner") || strings.Contains(row, "admin") {
		t.Fatalf("fieldops row = %q, want owner", row)
	}
	if row := lineWith(h.view(), "city-parks"); !strings.Contains(row, "member") {
		t.Fatalf("city-parks row = %q", row)
	}
}

package tui

import (
	"cmp"
	"net/http"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// teamRow is the teams list's line for a team.
func teamRow(h *harness, name string) string {
	for _, ln := range strings.Split(h.view(), "\n") {
		if strings.Contains(ln, " "+name+" ") {
			return ln
		}
	}
	return ""
}

// A leader changed inside a Qomon team is what the Teams list shows and
// writes against afterwards: the LEADERS column follows, and renaming or
// changing the visibility right after sends the write (it used to stop at
// "changed by someone else": roster's own earlier write, held stale).
func TestQomonTeamsListFollowsAChangeInside(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	tm := openQomonTeam(t, h, "Phoning")
	var who client.TeamMember
	h.keys("g")
	for range tm.tbl.Len() {
		if x, _ := tm.tbl.Selected(); !x.Leader {
			who = x
			break
		}
		h.keys("j")
	}
	if who.User == "" {
		t.Fatalf("no plain member in Phoning:\n%s", h.view())
	}
	name := cmp.Or(who.Name, cmp.Or(who.Email, who.User))
	h.keys("l")
	h.mustSee(name + " now leads team Phoning")
	// Back to the list, its own reload held back: the change inside has
	// already reached it.
	h.hold = true
	h.keys("esc")
	if row := teamRow(h, "Phoning"); !strings.Contains(row, strings.SplitN(name, " ", 2)[0]) {
		t.Fatalf("LEADERS of Phoning after the change = %q, want %s in it", row, name)
	}
	if len(h.held) == 0 {
		t.Fatal("the Teams list did not read the teams again on return")
	}
	h.release()
	if row := teamRow(h, "Phoning"); !strings.Contains(row, strings.SplitN(name, " ", 2)[0]) {
		t.Fatalf("LEADERS of Phoning after the reload = %q, want %s in it", row, name)
	}
	writes := func() int {
		n := 0
		for _, r := range srv.Kit().Requests() {
			if r.Method != http.MethodGet {
				n++
			}
		}
		return n
	}
	before := writes()
	h.keys("n", "ctrl+u")
	h.typeText("Phoning soir")
	h.keys("enter")
	h.mustSee("renamed team Phoning to Phoning soir")
	h.mustNotSee("changed by someone else")
	if writes() != before+1 {
		t.Fatalf("rename sent %d writes, want 1", writes()-before)
	}
	if tmSrv := serverTeam(t, srv, "Phoning soir"); len(tmSrv.Leaders) == 0 {
		t.Fatalf("renamed team lost its leaders: %+v", tmSrv)
	}
	h.keys("v", "right", "enter")
	h.mustSee("team Phoning soir is now")
	h.mustNotSee("changed by someone else")
}

// A screen that loaded before a write elsewhere reloads when it is shown
// again; one that did not is not asked again.
func TestScreensReloadAfterWritesElsewhere(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	users := p.called("Users")
	h.keys("1")
	if p.called("Users") != users {
		t.Fatal("the Users tab reloaded with nothing written")
	}
	h.keys("2")
	h.keys("j", "d", "right", "enter") // remove ben from fieldops
	h.mustSee("removed ben from fieldops")
	h.keys("esc") // the fieldops hub
	h.keys("esc") // Organizations: loaded before the write
	if p.called("Organizations") < 2 {
		t.Fatal("Organizations was not read again after a write in it")
	}
	h.keys("1")
	if p.called("Users") != users+1 {
		t.Fatalf("Users read %d times after a write elsewhere, want once more", p.called("Users")-users)
	}
}

// A reload answered after a write that finished meanwhile may predate
// it: it is not shown, the list is read again.
func TestReloadOlderThanAWriteIsDropped(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	h.keys("esc") // the fieldops hub, then its teams
	h.keys("j", "enter")
	h.mustSee("surveyors", "botanists")
	h.hold = true
	h.keys("ctrl+r") // a reload in flight (held) ...
	reload := h.held
	h.held = nil
	h.m.top().(*teamsScreen).tbl.selectKey("botanists")
	h.keys("n", "ctrl+u")
	h.typeText("plants")
	h.keys("enter") // ... and a rename
	var write []tea.Msg
	write, h.held = h.held, nil
	// The reload read the teams before the rename reached the server.
	for _, m := range reload {
		if tm, ok := m.(teamsMsg); ok {
			for i := range tm.teams {
				if tm.teams[i].ID == "plants" {
					tm.teams[i].ID, tm.teams[i].Name = "botanists", "botanists"
				}
			}
		}
	}
	for _, m := range write {
		h.send(m) // the rename's answer first
	}
	h.hold = false
	for _, m := range reload {
		h.send(m) // then the older reload
	}
	ts := h.m.top().(*teamsScreen)
	if _, ok := ts.tbl.Get("plants"); !ok {
		t.Fatalf("the renamed team is gone from the list:\n%s", h.view())
	}
	if _, ok := ts.tbl.Get("botanists"); ok {
		t.Fatalf("an answer older than the rename put the old name back:\n%s", h.view())
	}
}

// The organization's hub reads the organization again when it comes back
// into view after a write below it (its team count).
func TestOrgHubFollowsWritesBelow(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := newHarness(t, Options{Session: memSession(p)})
	h.keys("2", "enter")
	h.mustSee("public members")
	if hub := h.m.top().(*orgHub); len(hub.org.Teams) != 1 {
		t.Fatalf("teams before = %d", len(hub.org.Teams))
	}
	h.keys("j", "enter")
	h.keys("a")
	h.typeText("mappers")
	h.keys("enter")
	h.mustSee("created team mappers in fieldops")
	p.mu.Lock()
	p.orgs[0].Teams = append(p.orgs[0].Teams, "mappers") // what the server now says
	p.mu.Unlock()
	h.keys("esc")
	if hub := h.m.top().(*orgHub); len(hub.org.Teams) != 2 {
		t.Fatalf("the hub still shows %d teams after a team was created", len(hub.org.Teams))
	}
}

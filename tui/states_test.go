package tui

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// fixedClock makes the time of a stale list predictable.
func fixedClock(h *harness) {
	at := time.Date(2026, 12, 5, 14, 7, 9, 0, time.Local)
	h.m.c.now = func() time.Time { return at }
}

// While the first answer is awaited the body says so, with no counts and
// no "none"; "none" comes only with a good answer of zero rows.
func TestListLoadingIsNotEmpty(t *testing.T) {
	t.Parallel()
	p := newMem()
	p.orgs = nil
	h := newHarness(t, Options{Session: memSession(p)})
	h.hold = true
	h.keys("2")
	h.mustSee("loading your organizations…")
	h.mustNotSee("0 organizations", "you belong to no organization")
	if body := strings.Split(h.view(), "\n")[2]; !strings.Contains(body, "loading your organizations…") {
		t.Fatalf("the body's first line is %q, want the loading line", body)
	}
	h.release()
	h.mustSee("0 organizations", "you belong to no organization")
	h.mustNotSee("loading")
}

// A first load that fails shows the error in the body and how to retry,
// never an empty list; ctrl+r then loads.
func TestListFailedFirstLoad(t *testing.T) {
	t.Parallel()
	p := newMem()
	p.fail["Organizations"] = errors.New("listing organizations: connection refused")
	h := newHarness(t, Options{Session: memSession(p)})
	h.keys("2")
	h.mustSee("could not load the organizations:", "connection refused", "ctrl+r retries")
	h.mustNotSee("0 organizations", "you belong to no organization")
	delete(p.fail, "Organizations")
	h.keys("ctrl+r")
	h.mustSee("2 organizations", "fieldops", "city-parks")
	h.mustNotSee("could not load")
}

// A failed reload keeps the last good rows, marked stale with the time of
// the good answer, and says why.
func TestListFailedReloadKeepsStaleRows(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	fixedClock(h)
	h.keys("ctrl+r") // a good answer at the fixed time
	h.mustSee("4 members")
	p.mu.Lock()
	p.fail["Members"] = errors.New("listing members of fieldops: connection refused")
	p.mu.Unlock()
	h.m.c.now = func() time.Time { return time.Date(2026, 12, 5, 15, 0, 0, 0, time.Local) }
	h.keys("ctrl+r")
	h.mustSee("4 members", "ana@example.org", "ben@example.com",
		"STALE: as of 14:07:09 · ctrl+r retries · reload failed: listing members of fieldops")
	h.mustNotSee("no members", "0 members")
	ms := h.m.top().(*membersScreen)
	if ms.tbl.Total() != 4 {
		t.Fatalf("rows after a failed reload = %d, want the 4 good ones", ms.tbl.Total())
	}
	// A good reload clears the mark.
	p.mu.Lock()
	delete(p.fail, "Members")
	p.mu.Unlock()
	h.keys("ctrl+r")
	h.mustNotSee("STALE")
}

// A listing that fails after some pages replaced the rows says the list
// is incomplete.
func TestListCutOffIsIncomplete(t *testing.T) {
	t.Parallel()
	h := openMembers(t, newMem(), Options{})
	ms := h.m.top().(*membersScreen)
	h.hold = true
	h.keys("ctrl+r")
	req := ms.req
	h.held = nil
	h.hold = false
	// Delivered by hand (the command asking for the next page is not run).
	h.m.Update(pageMsg[client.Member]{to: to{ms.id}, req: req, rows: []client.Member{{User: "ana", Name: "Ana Silva"}}})
	h.mustSee("1 member so far")
	h.m.Update(pageMsg[client.Member]{to: to{ms.id}, req: req, done: true, err: errors.New("page 2: connection reset")})
	h.mustSee("INCOMPLETE: the listing failed · ctrl+r retries · page 2: connection reset")
	h.mustNotSee("so far")
}

// A Qomon token that may read the roles but not list users: the roles
// are shown, their counts "unavailable", never "no roles".
func TestQomonRolesCountsUnavailable(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodGet, PathPrefix: "/users", Kind: fakehttp.FaultStatus, Status: 403})
	h.keys("3")
	h.mustSee("6 roles", "Référent quartier", "unavailable", "user counts unavailable: this token may not list users")
	h.mustNotSee("no roles", "0 roles")
	rs := h.m.top().(*spaceRolesScreen)
	for _, r := range rs.tbl.Items() {
		if r.Counted {
			t.Fatalf("role %s claims a count", r.Name)
		}
	}
	if strings.Contains(h.m.c.err, "counting") {
		t.Fatalf("a 403 on counting is not a failure of the screen: %q", h.m.c.err)
	}
}

// While a new search is loading, the rows of the old one keep their own
// label: the info line never names a search the rows do not answer.
func TestSearchLabelFollowsTheRows(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Session: memSession(newMem())})
	h.mustSee("7 users")
	us := h.m.top().(*usersScreen)
	h.hold = true
	cmd := us.list("zzzz")
	h.run(cmd)
	h.mustSee("7 users")
	h.mustNotSee(`search "zzzz"`)
	h.release()
	h.mustSee(`0 users · search "zzzz"`, "no users")
}

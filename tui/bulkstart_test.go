package tui

import "testing"

// A bulk run in which no row needs a write (every marked member already
// holds the role) ends at once with its report: it must not stay "running"
// and refuse every later bulk change.
func TestBulkRunWithNothingToDoEnds(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("enter")
	h.mustSee("of fieldops")
	ms := h.m.top().(*membersScreen)
	h.keys("g")
	marked := 0
	for range ms.tbl.Len() {
		if x, _ := ms.tbl.Selected(); x.Role == "member" && marked < 2 {
			h.keys(" ")
			marked++
		}
		h.keys("j")
	}
	srv.Kit().ResetRequests()
	h.keys("e")
	pick(h, "member")
	h.keys("right", "enter")
	if ms.bulk != nil {
		t.Fatal("a bulk run with nothing to send is still running")
	}
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Fatalf("%d writes for a change that was already so", n)
	}
	h.mustSee("2 already so")
	// A later bulk change is not refused as "still running".
	h.keys("e")
	h.mustNotSee("a bulk change is still running")
}

package tui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// openQFCTeam goes Organizations → org → Teams → name (its members).
func openQFCTeam(t *testing.T, h *harness, org, name string) *teamMembersScreen {
	t.Helper()
	enterOrg(t, h, org)
	h.keys("j", "enter")
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

// markRows marks the rows with these keys (space on each).
func markRows(t *testing.T, h *harness, tm *teamMembersScreen, keys ...string) {
	t.Helper()
	for _, k := range keys {
		h.keys("g")
		for range tm.tbl.Len() {
			if sel, _ := tm.tbl.SelectedKey(); sel == k {
				break
			}
			h.keys("j")
		}
		if sel, _ := tm.tbl.SelectedKey(); sel != k {
			t.Fatalf("no row %q:\n%s", k, h.view())
		}
		h.keys(" ")
	}
	if n := tm.tbl.MarkCount(); n != len(keys) {
		t.Fatalf("%d marked, want %d", n, len(keys))
	}
}

func requestsOf(k *fakehttp.Kit, method, prefix string) []fakehttp.Request {
	var out []fakehttp.Request
	for _, r := range k.Requests() {
		if r.Method == method && strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

func qfcTeamMembers(srv *qfctest.Server, org, team string) []string {
	for _, tm := range srv.Teams(org) {
		if strings.HasSuffix(tm.Name, team) {
			return tm.Members
		}
	}
	return nil
}

// On QFieldCloud three marked team members go with one confirmation:
// Cancel (focused) sends nothing, Remove sends one DELETE per row.
func TestTeamMembersBulkRemoveQFieldCloud(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	tm := openQFCTeam(t, h, "fieldops", "surveyors")
	h.mustSee("ines", "jonas", "kavya")
	markRows(t, h, tm, "ines", "jonas", "kavya")
	h.mustSee("3 marked", "d remove 3 marked")
	srv.Kit().ResetRequests()
	h.keys("d")
	d, ok := h.m.top().(*confirmDialog)
	if !ok {
		t.Fatalf("d with marks opened %T", h.m.top())
	}
	for _, who := range []string{"ines", "jonas", "kavya", "Remove these 3 members from team fieldops/surveyors?"} {
		if !strings.Contains(d.text, who) {
			t.Fatalf("confirmation lacks %q: %q", who, d.text)
		}
	}
	h.keys("enter") // the safe button is focused
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Fatalf("Cancel sent %d writes", n)
	}
	if got := qfcTeamMembers(srv, "fieldops", "surveyors"); len(got) != 3 {
		t.Fatalf("after Cancel the team is %v", got)
	}
	if tm.tbl.MarkCount() != 3 {
		t.Fatal("Cancel dropped the marks")
	}
	h.keys("d", "right", "enter")
	if got := qfcTeamMembers(srv, "fieldops", "surveyors"); len(got) != 0 {
		t.Fatalf("server team after the bulk removal: %v", got)
	}
	dels := requestsOf(srv.Kit(), http.MethodDelete, "/api/v1/organizations/fieldops/teams/surveyors/members/")
	if len(dels) != 3 {
		t.Fatalf("%d DELETEs, want 3: %+v", len(dels), dels)
	}
	h.mustSee("remove 3 members from team fieldops/surveyors: 3 done")
	if tm.tbl.MarkCount() != 0 || tm.tbl.Total() != 0 || tm.writes.busyAny() || tm.bulk != nil {
		t.Fatalf("after the run: %d marked, %d rows, busy %v", tm.tbl.MarkCount(), tm.tbl.Total(), tm.writes.busyAny())
	}
	// Each row went through the single-row path: an activity entry with
	// its own undo per row.
	undos := map[string]bool{}
	for _, a := range tm.c.activity {
		if a.err == nil && a.undo != nil && strings.HasPrefix(a.undo.what, "add ") {
			undos[strings.Fields(a.undo.what)[1]] = true
		}
	}
	if !undos["ines"] || !undos["jonas"] || !undos["kavya"] {
		t.Fatalf("undoable removals in the activity: %v", undos)
	}
}

// A refused DELETE for the second row does not stop the third; that row
// alone stays marked, for a retry with the same d.
func TestTeamMembersBulkRemoveOneFailsQFieldCloud(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	tm := openQFCTeam(t, h, "fieldops", "surveyors")
	markRows(t, h, tm, "ines", "jonas", "kavya")
	srv.Kit().ResetRequests()
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodDelete, PathPrefix: "/api/v1/organizations/fieldops/teams/surveyors/members/jonas", Kind: fakehttp.FaultStatus, Status: 403, Times: 1})
	h.keys("d", "right", "enter")
	if got := qfcTeamMembers(srv, "fieldops", "surveyors"); !slices.Equal(got, []string{"jonas"}) {
		t.Fatalf("server team = %v, want only jonas left", got)
	}
	dels := requestsOf(srv.Kit(), http.MethodDelete, "/api/v1/organizations/fieldops/teams/surveyors/members/")
	if len(dels) != 3 || !dels[1].Faulted || !strings.Contains(dels[2].Path, "kavya") {
		t.Fatalf("DELETEs: %+v", dels)
	}
	if !tm.tbl.IsMarked("jonas") || tm.tbl.MarkCount() != 1 {
		t.Fatalf("marks after the run: jonas %v, %d in all", tm.tbl.IsMarked("jonas"), tm.tbl.MarkCount())
	}
	if _, ok := tm.tbl.Get("jonas"); !ok {
		t.Fatal("the failed row was not put back")
	}
	if e := h.m.c.err; !strings.Contains(e, "2 done, 1 failed") || !strings.Contains(e, "jonas: ") {
		t.Fatalf("error line = %q", e)
	}
	// The same d retries the failed row.
	h.keys("d")
	if d := h.m.top().(*confirmDialog); !strings.Contains(d.text, "jonas") || strings.Contains(d.text, "ines") || strings.Contains(d.text, "kavya") {
		t.Fatalf("retry confirmation: %q", d.text)
	}
	h.keys("right", "enter")
	if got := qfcTeamMembers(srv, "fieldops", "surveyors"); len(got) != 0 {
		t.Fatalf("after the retry: %v", got)
	}
}

// Read-only: d with marks is disabled, says why and sends nothing.
func TestTeamMembersBulkRemoveReadOnly(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess, ReadOnly: true})
	tm := openQFCTeam(t, h, "fieldops", "surveyors")
	markRows(t, h, tm, "ines", "kavya")
	h.mustSee("2 marked")
	srv.Kit().ResetRequests()
	h.keys("d")
	h.mustSee("d: read-only mode")
	if _, ok := h.m.top().(*confirmDialog); ok {
		t.Fatal("read-only opened the confirmation")
	}
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Fatalf("read-only sent %d writes", n)
	}
}

// qomonPhoningMarked opens Phoning on the Qomon fake and marks its first
// three rows; it returns their keys (user ids).
func qomonPhoningMarked(t *testing.T) (*qomontest.Server, *harness, *teamMembersScreen, []string) {
	t.Helper()
	srv, h := qomonHarness(t)
	tm := openQomonTeam(t, h, "Phoning")
	var keys []string
	for _, x := range tm.tbl.Items()[:3] {
		keys = append(keys, x.User)
	}
	markRows(t, h, tm, keys...)
	h.mustSee("3 marked", "leader (this row only)")
	return srv, h, tm, keys
}

func qomonInTeam(t *testing.T, srv *qomontest.Server, team, key string) bool {
	t.Helper()
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		t.Fatalf("row key %q is not an id", key)
	}
	return slices.Contains(serverTeam(t, srv, team).Users, id)
}

// On Qomon each write replaces the whole team and is conditional on the
// copy shown: the rows after the first go on a fresh read, not on the
// copy from before the first removal (which would refuse them all).
func TestTeamMembersBulkRemoveQomon(t *testing.T) {
	t.Parallel()
	srv, h, tm, keys := qomonPhoningMarked(t)
	n := tm.tbl.Total()
	srv.Kit().ResetRequests()
	h.keys("d")
	d := h.m.top().(*confirmDialog)
	for _, k := range keys {
		if !strings.Contains(d.text, "("+k+")") {
			t.Fatalf("confirmation lacks %s: %q", k, d.text)
		}
	}
	h.keys("enter")
	if w := srv.Kit().CountWrites(); w != 0 {
		t.Fatalf("Cancel sent %d writes", w)
	}
	h.keys("d", "right", "enter")
	for _, k := range keys {
		if qomonInTeam(t, srv, "Phoning", k) {
			t.Fatalf("%s is still in Phoning on the server (error line %q)", k, h.m.c.err)
		}
	}
	if p := requestsOf(srv.Kit(), http.MethodPatch, "/teams"); len(p) != 3 {
		t.Fatalf("%d PATCHes, want 3", len(p))
	}
	if h.m.c.err != "" {
		t.Fatalf("error line = %q", h.m.c.err)
	}
	h.mustSee("remove 3 members from team Phoning: 3 done")
	if tm.tbl.Total() != n-3 || tm.tbl.MarkCount() != 0 {
		t.Fatalf("rows %d (want %d), %d marked", tm.tbl.Total(), n-3, tm.tbl.MarkCount())
	}
}

// The second PATCH refused: the first and third rows are removed, the
// second stays in the team and marked.
func TestTeamMembersBulkRemoveOneFailsQomon(t *testing.T) {
	t.Parallel()
	srv, h, tm, keys := qomonPhoningMarked(t)
	srv.Kit().ResetRequests()
	// The team is read afresh before each write: the first read after
	// the first PATCH arms a fault for the next PATCH (the second row's).
	var armed atomic.Bool
	srv.BeforeTeamWrite(func(int64) {
		if len(requestsOf(srv.Kit(), http.MethodPatch, "/teams")) == 1 && armed.CompareAndSwap(false, true) {
			srv.Kit().Inject(fakehttp.Fault{Method: http.MethodPatch, Kind: fakehttp.FaultStatus, Status: 403, Times: 1})
		}
	})
	h.keys("d", "right", "enter")
	if !armed.Load() {
		t.Fatal("the fault was never armed")
	}
	if qomonInTeam(t, srv, "Phoning", keys[0]) || !qomonInTeam(t, srv, "Phoning", keys[1]) || qomonInTeam(t, srv, "Phoning", keys[2]) {
		t.Fatalf("server team after the run: %v (rows %v)", serverTeam(t, srv, "Phoning").Users, keys)
	}
	patches := requestsOf(srv.Kit(), http.MethodPatch, "/teams")
	if len(patches) != 3 || !patches[1].Faulted {
		t.Fatalf("PATCHes: %d, second faulted %v", len(patches), len(patches) > 1 && patches[1].Faulted)
	}
	if !tm.tbl.IsMarked(keys[1]) || tm.tbl.MarkCount() != 1 {
		t.Fatalf("marks: %s %v, %d in all", keys[1], tm.tbl.IsMarked(keys[1]), tm.tbl.MarkCount())
	}
	if e := h.m.c.err; !strings.Contains(e, "2 done, 1 failed") || !strings.Contains(e, keys[1]+": ") {
		t.Fatalf("error line = %q", e)
	}
}

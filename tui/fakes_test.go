package tui

import (
	"net/http"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// qfcSession opens the TUI's session on the QFieldCloud fake (in memory).
func qfcSession(t *testing.T) (*qfctest.Server, *Session) {
	t.Helper()
	srv := qfctest.New(qfctest.WithoutSocket())
	t.Cleanup(srv.Close)
	srv.SeedDemo()
	p, err := qfieldcloud.New(client.Config{URL: srv.URL(), Token: srv.Token("demo"), HTTPClient: srv.HTTPClient(), Username: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	return srv, &Session{Profile: "demo-qfieldcloud", Kind: p.Kind(), URL: srv.URL(), Source: "demo", Username: "demo", Provider: p}
}

// enterOrg opens Organizations → org (the hub).
func enterOrg(t *testing.T, h *harness, org string) {
	t.Helper()
	h.keys("2")
	h.mustSee(org)
	o := h.m.top().(*orgsScreen)
	for i := 0; i < o.tbl.Len(); i++ {
		if k, _ := o.tbl.SelectedKey(); k == org {
			break
		}
		h.keys("j")
	}
	h.keys("enter")
	if h.topTitle() != org {
		t.Fatalf("top = %q, want %s", h.topTitle(), org)
	}
}

func TestQFieldCloudMembersRoleAndRemove(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("enter")
	h.mustSee("of fieldops", "elena")
	ms := h.m.top().(*membersScreen)
	// Change the role of the first plain member to creator.
	k := selectWhere(h, ms, func(m client.Member) bool { return m.Role == "member" })
	h.keys("e")
	h.mustSee("Role of "+k+" in fieldops", "creator")
	for range 3 {
		if o := h.m.top().(*pickerDialog); o.opts[o.cursor].Value == "creator" {
			break
		}
		h.keys("k")
	}
	h.keys("enter")
	h.mustSee(k + " is now creator of fieldops")
	var role string
	for _, m := range srv.Members("fieldops") {
		if m.User == k {
			role = m.Role
		}
	}
	if role != "creator" {
		t.Fatalf("server role of %s = %q", k, role)
	}
	h.keys("d", "right", "enter")
	h.mustSee("removed " + k + " from fieldops")
	for _, m := range srv.Members("fieldops") {
		if m.User == k {
			t.Fatalf("%s still a member on the server", k)
		}
	}
}

func TestQFieldCloudServerRefusalRollsBack(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("enter")
	h.mustSee("of fieldops")
	ms := h.m.top().(*membersScreen)
	k := selectWhere(h, ms, func(m client.Member) bool { return m.Role == "member" })
	before, _ := ms.tbl.Get(k)
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodPatch, Kind: fakehttp.FaultStatus, Status: 403, Times: 1})
	h.keys("e", "g", "enter")
	after, _ := ms.tbl.Get(k)
	if after.Role != before.Role || ms.writes.pending(k) {
		t.Fatalf("after a 403 the row is %+v, want the old role %q back", after, before.Role)
	}
	if !strings.Contains(h.m.c.err, "making "+k) {
		t.Fatalf("error line = %q", h.m.c.err)
	}
}

func TestQFieldCloudNotAdminAndLimit(t *testing.T) {
	t.Parallel()
	_, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "city-parks") // demo is a plain member there
	h.keys("enter")
	h.mustSee("of city-parks")
	h.keys("a")
	h.mustSee("a: needs organization admin")
	h.mustSee("(a add)")
}

func TestQFieldCloudTeams(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("j", "enter")
	h.mustSee("surveyors", "botanists", "hydrology")
	h.keys("a")
	h.typeText("mappers")
	h.keys("enter")
	h.mustSee("created team mappers in fieldops")
	found := false
	for _, tm := range srv.Teams("fieldops") {
		found = found || strings.HasSuffix(tm.Name, "mappers")
	}
	if !found {
		t.Fatalf("team not on the server: %+v", srv.Teams("fieldops"))
	}
}

func TestQomonTopLevelScreens(t *testing.T) {
	t.Parallel()
	srv := qomontest.New(qomontest.WithoutSocket())
	t.Cleanup(srv.Close)
	srv.SeedDemo()
	p, err := qomon.New(client.Config{URL: srv.URL(), Token: srv.DemoToken(), HTTPClient: srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{Session: &Session{Profile: "demo-qomon", Kind: "qomon", Source: "demo", Provider: p}})
	h.mustSee("1 Users", "2 Teams", "3 Roles", "4 Invitations", "Claire")
	h.keys("2")
	h.mustSee("of the space")
	if h.m.top().(*teamsScreen).tbl.Total() == 0 {
		t.Fatalf("no teams:\n%s", h.view())
	}
}

// selectWhere moves the cursor to the first member matching ok.
func selectWhere(h *harness, ms *membersScreen, ok func(client.Member) bool) string {
	h.t.Helper()
	h.keys("g")
	for range ms.tbl.Len() {
		if m, _ := ms.tbl.Selected(); ok(m) {
			return m.User
		}
		h.keys("j")
	}
	h.t.Fatalf("no such member:\n%s", h.view())
	return ""
}

package tui

import (
	"net/http"
	"testing"

	"github.com/roster-cli/roster/internal/fakehttp"
)

// openMember opens the details of user from Organizations → org → Members.
func openMember(t *testing.T, h *harness, org, user string) {
	t.Helper()
	enterOrg(t, h, org)
	h.keys("enter")
	h.mustSee("of " + org)
	ms := h.m.top().(*membersScreen)
	h.keys("g")
	for range ms.tbl.Len() {
		if x, _ := ms.tbl.Selected(); x.User == user {
			h.keys("enter")
			return
		}
		h.keys("j")
	}
	t.Fatalf("no member %s:\n%s", user, h.view())
}

// ines reaches projects three ways: a team's rows, her own row, and as
// the owner; each is shown with its role and origin, as the fake computes
// them.
func TestUserDetailsListProjectsWithRoleAndOrigin(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	openMember(t, h, "fieldops", "ines")
	h.mustSee("full name       Inês Carvalho", "ines can open 4 projects, in fieldops, geo-survey",
		"fieldops/open-data       reporter  through team @fieldops/surveyors",
		"fieldops/tree-inventory  editor    through team @fieldops/surveyors",
		"fieldops/wetland-survey  reader    direct row",
		"ines/field-notes         admin     owner of the project")
	for _, x := range []struct{ owner, name, role, origin string }{
		{"fieldops", "open-data", "reporter", "team_member"},
		{"fieldops", "tree-inventory", "editor", "team_member"},
		{"fieldops", "wetland-survey", "reader", "collaborator"},
		{"ines", "field-notes", "admin", "project_owner"},
	} {
		role, origin := srv.EffectiveRole(srv.ProjectID(x.owner, x.name), "ines")
		if role != x.role || origin != x.origin {
			t.Fatalf("the fake says ines is %s (%s) on %s/%s; the view says %s (%s)", role, origin, x.owner, x.name, x.role, x.origin)
		}
	}
	// kavya's direct reader row beats her team's editor row; the hidden
	// way in is named.
	h.keys("esc")
	ms := h.m.top().(*membersScreen)
	ms.tbl.selectKey("kavya")
	h.keys("enter")
	h.mustSee("fieldops/tree-inventory  reader    direct row (also team @fieldops/surveyors editor)")
}

// The projects have a request of their own: when it fails the fields
// stay, the section says so (no "0 projects"), and ctrl+r reads again.
func TestUserDetailsProjectsFailAlone(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodGet, PathPrefix: "/api/v1/collaborators/", Kind: fakehttp.FaultStatus, Status: 500, Times: 1})
	openMember(t, h, "fieldops", "ines")
	h.mustSee("full name       Inês Carvalho", "projects        could not be read: finding what ines can reach", "ctrl+r retries")
	h.mustNotSee("can open 0 projects")
	h.keys("ctrl+r")
	h.mustSee("ines can open 4 projects")
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodGet, PathPrefix: "/api/v1/collaborators/", Kind: fakehttp.FaultStatus, Status: 500, Times: 1})
	h.keys("ctrl+r")
	h.mustSee("ines can open 4 projects", "STALE: as of", "fieldops/wetland-survey")
}

// Without projects (Qomon, or any provider without them) no section and
// no request.
func TestUserDetailsWithoutProjects(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := newHarness(t, Options{Session: memSession(p)})
	h.keys("2", "enter", "enter", "enter")
	h.mustSee("member of")
	h.mustNotSee("projects")
}

// From the Users screen too; an organization's row gets no section.
func TestUsersScreenDetailsListProjects(t *testing.T) {
	t.Parallel()
	_, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	us := h.m.top().(*usersScreen)
	found := false
	for range us.tbl.Len() {
		if u, _ := us.tbl.Selected(); u.handle() == "ines" {
			found = true
			break
		}
		h.keys("j")
	}
	if !found {
		t.Fatalf("no ines:\n%s", h.view())
	}
	h.keys("enter")
	h.mustSee("ines can open 4 projects", "fieldops/wetland-survey  reader    direct row")
	h.keys("esc", "g")
	for range us.tbl.Len() {
		if u, _ := us.tbl.Selected(); u.role() == "organization" {
			h.keys("enter")
			h.mustSee("type            organization")
			h.mustNotSee("can open")
			return
		}
		h.keys("j")
	}
	t.Fatalf("no organization row:\n%s", h.view())
}

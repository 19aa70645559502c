package tui

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// goldenTime is the fake's clock in goldens (collaborator rows show when
// they changed).
var goldenTime = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// qfcSessionAt is qfcSession on a fake whose clock stands at now.
func qfcSessionAt(t *testing.T, now time.Time) (*qfctest.Server, *Session) {
	t.Helper()
	srv := qfctest.New(qfctest.WithoutSocket(), qfctest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	srv.SeedDemo()
	p, err := qfieldcloud.New(client.Config{URL: srv.URL(), Token: srv.Token("demo"), HTTPClient: srv.HTTPClient(), Username: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	return srv, &Session{Profile: "demo-qfieldcloud", Kind: p.Kind(), URL: srv.URL(), Source: "demo", Username: "demo", Provider: p}
}

// openProject goes Organizations → org → Projects → name (the project's
// detail).
func openProject(t *testing.T, h *harness, org, name string) *projectHub {
	t.Helper()
	enterOrg(t, h, org)
	h.keys("j", "j", "enter")
	h.mustSee("of "+org, name)
	ps := h.m.top().(*projectsScreen)
	h.keys("g")
	for range ps.tbl.Len() {
		if p, _ := ps.tbl.Selected(); p.Name == name {
			break
		}
		h.keys("j")
	}
	h.keys("enter")
	hub, ok := h.m.top().(*projectHub)
	if !ok || hub.proj.Name != name {
		t.Fatalf("top = %T %q, want the project %s:\n%s", h.m.top(), h.topTitle(), name, h.view())
	}
	return hub
}

// openCollaborators goes on to the project's collaborators.
func openCollaborators(t *testing.T, h *harness, org, name string) *collaboratorsScreen {
	t.Helper()
	openProject(t, h, org, name)
	h.keys("enter")
	cs, ok := h.m.top().(*collaboratorsScreen)
	if !ok {
		t.Fatalf("top = %T, want collaborators:\n%s", h.m.top(), h.view())
	}
	h.mustSee("of " + org + "/" + name)
	return cs
}

// selectCollab moves the cursor to user's row.
func selectCollab(t *testing.T, h *harness, cs *collaboratorsScreen, user string) {
	t.Helper()
	h.keys("g")
	for range cs.tbl.Len() {
		if x, _ := cs.tbl.Selected(); x.User == user {
			return
		}
		h.keys("j")
	}
	t.Fatalf("no row %s:\n%s", user, h.view())
}

// serverRow is user's row on the fake, if any.
func serverRow(srv *qfctest.Server, owner, name, user string) (qfctest.Collaborator, bool) {
	p, _ := srv.ProjectByName(owner, name)
	for _, r := range p.Collaborators {
		if r.User == user {
			return r, true
		}
	}
	return qfctest.Collaborator{}, false
}

// writes lists the logged writes as "METHOD path body".
func loggedWrites(srv *qfctest.Server) []string {
	var out []string
	for _, r := range srv.Kit().Requests() {
		if r.IsWrite() {
			out = append(out, r.Method+" "+r.Path+" "+strings.TrimSpace(string(r.Body)))
		}
	}
	return out
}

// dialogSays checks the text of the confirmation on top (the view wraps it).
func dialogSays(t *testing.T, h *harness, want string) {
	t.Helper()
	d, ok := h.m.top().(*confirmDialog)
	if !ok || !strings.Contains(d.text, want) {
		t.Fatalf("want a dialog saying %q:\n%s", want, h.view())
	}
}

// pickRole moves a picker's cursor to role and chooses it.
func pickRole(t *testing.T, h *harness, role string) {
	t.Helper()
	p, ok := h.m.top().(*pickerDialog)
	if !ok {
		t.Fatalf("no picker on top:\n%s", h.view())
	}
	h.keys("g")
	for range p.opts {
		if p.opts[p.cursor].Value == role {
			h.keys("enter")
			return
		}
		h.keys("j")
	}
	t.Fatalf("no role %s in the picker", role)
}

func TestProjectDetailShowsRoleAndOrigin(t *testing.T) {
	t.Parallel()
	_, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	openProject(t, h, "city-parks", "playgrounds")
	// demo is a plain member of city-parks, whose default role is reader.
	h.mustSee("owner           city-parks", "visibility      private", "your role       reader",
		"role origin     default role for members of city-parks")
	h.mustSee("needs project admin or manager (you are reader)")
	h.keys("enter")
	if _, ok := h.m.top().(*projectHub); !ok {
		t.Fatalf("enter opened %T on a project demo cannot manage", h.m.top())
	}
	h.mustSee("enter: needs project admin or manager (you are reader)")

	h = newHarness(t, Options{Session: sess})
	openProject(t, h, "fieldops", "tree-inventory")
	h.mustSee("your role       admin", "role origin     owner of organization fieldops")
}

func TestCollaboratorsListPersonsAndTeams(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	cs := openCollaborators(t, h, "fieldops", "tree-inventory")
	h.mustSee("5 collaborators", "kavya", "@fieldops/surveyors", "team", "editor")
	selectCollab(t, h, cs, "@fieldops/surveyors")
	srv.Kit().ResetRequests()
	h.keys("e")
	h.mustSee("e: " + teamRowReason)
	h.keys("d")
	h.mustSee("d: " + teamRowReason)
	if _, ok := h.m.top().(*collaboratorsScreen); !ok {
		t.Fatalf("a key on a team row opened %T", h.m.top())
	}
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Fatalf("e/d on a team row sent %d requests: %v", n, srv.Kit().Requests())
	}
	h.keys("?")
	h.mustSee("e          change the row's role —", "unavailable: the API cannot edit o")
}

func TestCollaboratorAddWithSuggestionsAndPicker(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	cs := openCollaborators(t, h, "fieldops", "tree-inventory")
	h.keys("a")
	h.typeText("hyd")
	h.mustSee("suggestions", "@fieldops/hydrology")
	h.keys("down", "enter")
	h.mustSee("Role of @fieldops/hydrology on fieldops/tree-inventory")
	h.mustNotSee("current")
	if p := h.m.top().(*pickerDialog); p.opts[p.cursor].Value != "reader" {
		t.Fatalf("the picker opened on %s, want the default reader", p.opts[p.cursor].Value)
	}
	pickRole(t, h, "manager")
	h.mustSee("added @fieldops/hydrology to project fieldops/tree-inventory as manager")
	if r, ok := serverRow(srv, "fieldops", "tree-inventory", "@fieldops/hydrology"); !ok || r.Role != "manager" {
		t.Fatalf("server row = %+v, %v", r, ok)
	}
	if x, ok := cs.tbl.Get("@fieldops/hydrology"); !ok || x.Role != "manager" || !x.IsTeam() {
		t.Fatalf("table row = %+v, %v", x, ok)
	}
	// A person: suggested from the organization's members who have no row.
	h.keys("a")
	h.typeText("pab")
	h.mustSee("pablo")
	h.keys("down", "enter", "enter") // the picker's default: reader
	h.mustSee("added pablo to project fieldops/tree-inventory as reader")
	ws := loggedWrites(srv)
	if len(ws) != 2 {
		t.Fatalf("writes = %q", ws)
	}
	for _, w := range ws {
		if !strings.HasPrefix(w, "POST /api/v1/collaborators/"+cs.proj.ID+"/") || strings.Contains(w, "projectid") || strings.Contains(w, "owner") {
			t.Fatalf("write %q", w)
		}
	}
	var body map[string]string
	if err := json.Unmarshal([]byte(ws[1][strings.Index(ws[1], "{"):]), &body); err != nil || body["collaborator"] != "pablo" || body["role"] != "reader" {
		t.Fatalf("body = %v (%v)", body, err)
	}
	// Already a row: said in the dialog, nothing sent.
	h.keys("a")
	h.typeText("pablo")
	h.keys("enter")
	h.mustSee("pablo already has a row on fieldops/tree-inventory")
	h.keys("esc")
	if n := len(loggedWrites(srv)); n != 2 {
		t.Fatalf("a duplicate add sent a write: %q", loggedWrites(srv))
	}
}

func TestCollaboratorRoleChangeRemoveAndUndo(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	cs := openCollaborators(t, h, "fieldops", "tree-inventory")
	selectCollab(t, h, cs, "lucas")
	h.keys("e")
	h.mustSee("Role of lucas on fieldops/tree-inventory", "current")
	pickRole(t, h, "manager")
	h.mustSee("lucas is now manager on project fieldops/tree-inventory")
	if r, _ := serverRow(srv, "fieldops", "tree-inventory", "lucas"); r.Role != "manager" {
		t.Fatalf("server role = %q", r.Role)
	}
	ws := loggedWrites(srv)
	if len(ws) != 1 || !strings.HasPrefix(ws[0], "PATCH /api/v1/collaborators/"+cs.proj.ID+"/lucas/ ") || !strings.HasSuffix(ws[0], `{"role":"manager"}`) {
		t.Fatalf("writes = %q (only the role is sent)", ws)
	}
	h.keys("u")
	dialogSays(t, h, "roster will send: change collaborator lucas of project fieldops/tree-inventory: role=editor")
	h.keys("right", "enter")
	h.mustSee("undone: make lucas editor on project fieldops/tree-inventory again")
	if r, _ := serverRow(srv, "fieldops", "tree-inventory", "lucas"); r.Role != "editor" {
		t.Fatalf("after undo the server role = %q", r.Role)
	}

	// Remove: the dialog opens on the safe button.
	selectCollab(t, h, cs, "olga")
	h.keys("d")
	h.mustSee("Remove collaborator", "[› Keep ]")
	dialogSays(t, h, "Remove olga's row (reporter) from project fieldops/tree-inventory?")
	h.keys("enter")
	h.mustSee("cancelled")
	if _, ok := serverRow(srv, "fieldops", "tree-inventory", "olga"); !ok {
		t.Fatal("enter on the default button removed the row")
	}
	h.keys("d", "right", "enter")
	h.mustSee("removed olga from project fieldops/tree-inventory")
	if _, ok := serverRow(srv, "fieldops", "tree-inventory", "olga"); ok {
		t.Fatal("olga still has a row")
	}
	if _, ok := cs.tbl.Get("olga"); ok {
		t.Fatal("olga still listed")
	}
	h.keys("u")
	dialogSays(t, h, "roster will send: add collaborator olga to project fieldops/tree-inventory: role=reporter")
	h.keys("right", "enter")
	h.mustSee("undone: add olga to project fieldops/tree-inventory again as reporter")
	if r, ok := serverRow(srv, "fieldops", "tree-inventory", "olga"); !ok || r.Role != "reporter" {
		t.Fatalf("after undo olga's row = %+v, %v", r, ok)
	}
	if _, ok := cs.tbl.Get("olga"); !ok {
		t.Fatalf("the undo did not reload the list:\n%s", h.view())
	}
}

func TestCollaboratorAddUndoAndTeamAddHasNoUndo(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	openCollaborators(t, h, "fieldops", "tree-inventory")
	h.keys("a")
	h.typeText("pablo")
	h.keys("enter")
	pickRole(t, h, "editor")
	h.mustSee("added pablo to project fieldops/tree-inventory as editor")
	h.keys("u")
	dialogSays(t, h, "roster will send: remove collaborator pablo from project fieldops/tree-inventory")
	h.keys("right", "enter")
	h.mustSee("undone: remove pablo from project fieldops/tree-inventory again")
	if _, ok := serverRow(srv, "fieldops", "tree-inventory", "pablo"); ok {
		t.Fatal("the undo left pablo's row")
	}

	h.keys("a")
	h.typeText("@fieldops/hydrology")
	h.keys("enter", "enter")
	h.mustSee("added @fieldops/hydrology to project fieldops/tree-inventory as reader")
	srv.Kit().ResetRequests()
	h.keys("u")
	h.mustSee("the API cannot remove a team's row")
	if n := len(srv.Kit().Requests()); n != 0 {
		t.Fatalf("u sent %d requests", n)
	}
}

func TestCollaboratorRefusalRollsBack(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	cs := openCollaborators(t, h, "fieldops", "tree-inventory")
	selectCollab(t, h, cs, "kavya")
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodPatch, Kind: fakehttp.FaultStatus, Status: 403, Times: 1})
	h.keys("e")
	pickRole(t, h, "admin")
	if x, _ := cs.tbl.Get("kavya"); x.Role != "reader" || cs.writes.pending("kavya") {
		t.Fatalf("after a 403 the row is %+v, want reader back", x)
	}
	h.mustSee("error: making kavya admin on project fieldops/tree-inventory")
	if r, _ := serverRow(srv, "fieldops", "tree-inventory", "kavya"); r.Role != "reader" {
		t.Fatalf("server role %q", r.Role)
	}
	// The server's refusal of an add (not a member of the organization)
	// leaves no row behind.
	h.keys("a")
	h.typeText("quentin")
	h.keys("enter", "enter")
	if _, ok := cs.tbl.Get("quentin"); ok {
		t.Fatalf("a refused add left a row:\n%s", h.view())
	}
	h.mustSee("error: adding quentin to project fieldops/tree-inventory")
}

func TestCollaboratorsReadOnly(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	sess.Provider = client.ReadOnly(sess.Provider) // as internal/session wraps it under --read-only
	h := newHarness(t, Options{Session: sess, ReadOnly: true})
	cs := openCollaborators(t, h, "fieldops", "tree-inventory")
	selectCollab(t, h, cs, "lucas")
	srv.Kit().ResetRequests()
	for _, k := range []string{"a", "e", "d"} {
		h.keys(k)
		h.mustSee(k + ": read-only mode")
	}
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Fatalf("read-only sent %d writes", n)
	}
	// Under the read-only wrapper even a write reaching the provider is
	// refused before the network.
	cmd := cs.setRole("lucas", "admin")
	h.run(cmd)
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Fatalf("read-only provider sent %d writes", n)
	}
	if !strings.Contains(h.m.c.err, "read-only") {
		t.Fatalf("error line = %q", h.m.c.err)
	}
}

func TestCollaboratorsLoadStates(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	hub := openProject(t, h, "fieldops", "tree-inventory")
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodGet, PathPrefix: "/api/v1/collaborators/" + hub.proj.ID, Kind: fakehttp.FaultStatus, Status: 500, Times: 1})
	h.keys("enter")
	h.mustSee("could not load the collaborators:", "ctrl+r retries")
	h.mustNotSee("0 collaborators", "no collaborator rows")
	h.keys("ctrl+r")
	h.mustSee("5 collaborators", "kavya")
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodGet, PathPrefix: "/api/v1/collaborators/", Kind: fakehttp.FaultStatus, Status: 500, Times: 1})
	h.keys("ctrl+r")
	h.mustSee("STALE: as of", "kavya")
}

func TestProjectsNotOfferedWithoutCapability(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := newHarness(t, Options{Session: memSession(p)})
	enterOrg(t, h, "fieldops")
	h.mustSee("Projects", "not available on memsrv")
	h.keys("j", "j", "enter")
	h.mustSee("enter: not available on memsrv")
	if _, ok := h.m.top().(*orgHub); !ok {
		t.Fatalf("enter opened %T", h.m.top())
	}
	for _, c := range p.calls {
		if strings.Contains(strings.ToLower(c), "project") {
			t.Fatalf("a request for projects: %v", p.calls)
		}
	}
	_ = client.CapProjects
}

// An undo reads the row fresh: a role changed elsewhere since is shown
// (Cancel focused), a row removed elsewhere makes the undo moot, and
// nothing is sent in either case without a confirmation.
func TestCollaboratorUndoChecksTheRowFresh(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	cs := openCollaborators(t, h, "fieldops", "tree-inventory")
	selectCollab(t, h, cs, "lucas")
	h.keys("e")
	pickRole(t, h, "manager")
	h.mustSee("lucas is now manager on project fieldops/tree-inventory")
	// Another admin makes lucas a reader.
	if _, err := sess.Provider.SetCollaboratorRole(context.Background(), cs.proj.ID, "lucas", "reader"); err != nil {
		t.Fatal(err)
	}
	srv.Kit().ResetRequests()
	h.keys("u")
	h.mustSee("Undo: changed elsewhere", "[› Cancel ]")
	dialogSays(t, h, "lucas is now reader on project fieldops/tree-inventory (changed elsewhere since your edit set manager)")
	h.keys("enter")
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Fatalf("a cancelled undo sent %d writes", n)
	}
	if r, _ := serverRow(srv, "fieldops", "tree-inventory", "lucas"); r.Role != "reader" {
		t.Fatalf("lucas is %s", r.Role)
	}

	// The row goes elsewhere: the undo no longer applies.
	if err := sess.Provider.RemoveCollaborator(context.Background(), cs.proj.ID, "lucas"); err != nil {
		t.Fatal(err)
	}
	srv.Kit().ResetRequests()
	h.keys("u")
	h.mustSee("no longer applies: lucas has no row on project fieldops/tree-inventory any more")
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Fatalf("a moot undo sent %d writes", n)
	}
}

// space marks person rows (not team rows); e and d then act on every
// marked row after one confirmation, one write per row, each with its own
// undo; a refused row stays marked and the rest go on.
func TestCollaboratorsBulk(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	cs := openCollaborators(t, h, "fieldops", "tree-inventory")
	selectCollab(t, h, cs, "@fieldops/botanists")
	h.keys(" ")
	h.mustSee("team rows cannot be marked: the API cannot edit")
	if cs.tbl.MarkCount() != 0 {
		t.Fatal("a team row was marked")
	}
	for _, u := range []string{"kavya", "lucas", "olga"} {
		selectCollab(t, h, cs, u)
		h.keys(" ")
	}
	h.mustSee("3 marked", "e role of 3 marked", "d remove 3 marked")
	srv.Kit().ResetRequests()
	h.keys("e")
	h.mustSee("Role of 3 marked collaborators on fieldops/tree-inventory")
	pickRole(t, h, "editor")
	dialogSays(t, h, "kavya: reader → editor")
	dialogSays(t, h, "lucas: already editor")
	dialogSays(t, h, "olga: reporter → editor")
	h.keys("enter") // the safe button: nothing happens
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Fatalf("a cancelled bulk change sent %d writes", n)
	}
	h.keys("e")
	pickRole(t, h, "editor")
	h.keys("right", "enter")
	h.mustSee("make 3 collaborators editor on fieldops/tree-inventory: 2 done, 1 already so (lucas)")
	for _, u := range []string{"kavya", "lucas", "olga"} {
		if r, _ := serverRow(srv, "fieldops", "tree-inventory", u); r.Role != "editor" {
			t.Fatalf("%s is %s on the server", u, r.Role)
		}
	}
	ws := loggedWrites(srv)
	if len(ws) != 2 || !strings.Contains(ws[0], "/kavya/") || !strings.Contains(ws[1], "/olga/") {
		t.Fatalf("writes = %q", ws)
	}
	// Each row has its own undo: the last one first.
	h.keys("u")
	dialogSays(t, h, "role=reporter")
	h.keys("right", "enter")
	h.mustSee("undone: make olga reporter on project fieldops/tree-inventory again")
	if r, _ := serverRow(srv, "fieldops", "tree-inventory", "olga"); r.Role != "reporter" {
		t.Fatalf("olga is %s after undo", r.Role)
	}

	// Bulk remove; the first DELETE is refused.
	cs.tbl.ClearMarks()
	for _, u := range []string{"kavya", "olga"} {
		selectCollab(t, h, cs, u)
		h.keys(" ")
	}
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodDelete, Kind: fakehttp.FaultStatus, Status: 403, Times: 1})
	h.keys("d")
	h.mustSee("Remove 2 collaborators", "[› Keep ]")
	h.keys("right", "enter")
	h.mustSee("error: remove 2 collaborators from fieldops/tree-inventory: 1 done, 1 failed")
	if !strings.Contains(h.m.c.err, "1 done, 1 failed: kavya:") {
		t.Fatalf("error line = %q", h.m.c.err)
	}
	if _, ok := serverRow(srv, "fieldops", "tree-inventory", "kavya"); !ok {
		t.Fatal("the refused row is gone")
	}
	if _, ok := serverRow(srv, "fieldops", "tree-inventory", "olga"); ok {
		t.Fatal("olga's row is still there")
	}
	if !cs.tbl.IsMarked("kavya") || cs.tbl.MarkCount() != 1 {
		t.Fatalf("marks after the run: kavya=%v count=%d", cs.tbl.IsMarked("kavya"), cs.tbl.MarkCount())
	}
}

// The projects list draws the three states: failed (the error, no "no
// projects"), loaded with rows, empty only after a good answer; a failed
// reload keeps the rows, marked stale.
func TestProjectsListStates(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	srv.AddOrg("quiet-org", "demo") // an organization without projects
	h := newHarness(t, Options{Session: sess})
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodGet, PathPrefix: "/api/v1/projects/", Kind: fakehttp.FaultStatus, Status: 500, Times: 1})
	enterOrg(t, h, "fieldops")
	h.keys("j", "j", "enter")
	h.mustSee("could not load the projects:", "ctrl+r retries")
	h.mustNotSee("0 projects", "no projects of")
	h.keys("ctrl+r")
	h.mustSee("6 projects · of fieldops", "tree-inventory", "relevé-2019")
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodGet, PathPrefix: "/api/v1/projects/", Kind: fakehttp.FaultStatus, Status: 500, Times: 1})
	h.keys("ctrl+r")
	h.mustSee("STALE: as of", "tree-inventory")

	h = newHarness(t, Options{Session: sess})
	enterOrg(t, h, "quiet-org")
	h.keys("j", "j", "enter")
	h.mustSee("0 projects · of quiet-org", "no projects of quiet-org you hold a role on")
}

// Qomon has no projects: a person's details have no projects section and
// nothing asks for projects.
func TestQomonUserDetailsWithoutProjects(t *testing.T) {
	t.Parallel()
	srv, sess := qomonSession(t)
	h := newHarness(t, Options{Session: sess})
	h.mustSee("Claire")
	h.keys("enter")
	h.mustSee("rue de la République")
	h.mustNotSee("projects", "can open")
	for _, r := range srv.Kit().Requests() {
		if strings.Contains(r.Path, "project") {
			t.Fatalf("a request for projects on Qomon: %s %s", r.Method, r.Path)
		}
	}
}

// Server text (names, descriptions) reaches the terminal sanitised.
func TestProjectTextSanitised(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	srv.CreateProject(qfctest.ProjectSpec{Owner: "fieldops", Name: "aa-\x1b]0;pwned\x07x", Description: "\x1b[2Jwiped\x1b[31m"})
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("j", "j", "enter")
	h.mustSee("7 projects")
	if v := h.view(); strings.ContainsAny(v, "\x1b\x07") {
		t.Fatalf("control characters reach the screen: %q", v)
	}
	ps := h.m.top().(*projectsScreen)
	for _, p := range ps.tbl.Items() {
		if strings.HasPrefix(p.Name, "aa-") {
			ps.tbl.selectKey(p.ID)
		}
	}
	h.keys("enter")
	h.mustSee("fieldops/aa-x", "description     wiped")
	if v := h.view(); strings.ContainsAny(v, "\x1b\x07") {
		t.Fatalf("control characters reach the detail: %q", v)
	}
}

// An added row takes its place in the list (persons by name, then teams),
// while pending and after the answer.
func TestCollaboratorAddedRowInOrder(t *testing.T) {
	t.Parallel()
	_, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	cs := openCollaborators(t, h, "fieldops", "tree-inventory")
	h.keys("a")
	h.typeText("maria")
	h.keys("enter", "enter")
	h.mustSee("added maria to project fieldops/tree-inventory as reader")
	var order []string
	for _, x := range cs.tbl.Items() {
		order = append(order, x.User)
	}
	if got := strings.Join(order, " "); got != "kavya lucas maria olga @fieldops/botanists @fieldops/surveyors" {
		t.Fatalf("order = %s", got)
	}
}

// In Activity, u undoes the selected collaborator write, not only the
// last one.
func TestCollaboratorUndoFromActivity(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	cs := openCollaborators(t, h, "fieldops", "tree-inventory")
	selectCollab(t, h, cs, "lucas")
	h.keys("e")
	pickRole(t, h, "manager")
	selectCollab(t, h, cs, "kavya")
	h.keys("e")
	pickRole(t, h, "editor")
	h.mustSee("kavya is now editor on project fieldops/tree-inventory")
	h.keys("A")
	h.mustSee("2 writes")
	h.keys("j") // the older write: lucas
	h.keys("u")
	dialogSays(t, h, "change collaborator lucas of project fieldops/tree-inventory: role=editor")
	h.keys("right", "enter")
	h.mustSee("undone: make lucas editor on project fieldops/tree-inventory again")
	if r, _ := serverRow(srv, "fieldops", "tree-inventory", "lucas"); r.Role != "editor" {
		t.Fatalf("lucas is %s", r.Role)
	}
	if r, _ := serverRow(srv, "fieldops", "tree-inventory", "kavya"); r.Role != "editor" {
		t.Fatalf("kavya is %s: the newer write was undone instead", r.Role)
	}
}

// A role through a team names the team.
func TestProjectDetailNamesTheTeam(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	srv.AddTeam("city-parks", "leads", "demo")
	srv.AddCollaborator(srv.ProjectID("city-parks", "playgrounds"), "@city-parks/leads", "manager", false)
	h := newHarness(t, Options{Session: sess})
	openProject(t, h, "city-parks", "playgrounds")
	h.mustSee("your role       manager", "role origin     through team @city-parks/leads")
	if role, origin := srv.EffectiveRole(srv.ProjectID("city-parks", "playgrounds"), "demo"); role != "manager" || origin != "team_member" {
		t.Fatalf("the fake says %s (%s)", role, origin)
	}
}

// s sorts by the next column; an added row then follows that sort.
func TestCollaboratorsSortKept(t *testing.T) {
	t.Parallel()
	_, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	cs := openCollaborators(t, h, "fieldops", "tree-inventory")
	h.keys("s", "s", "s") // collaborator → type → role
	h.mustSee("sorted by role")
	h.keys("a")
	h.typeText("maria")
	h.keys("enter")
	pickRole(t, h, "admin")
	h.mustSee("added maria to project fieldops/tree-inventory as admin")
	if first := cs.tbl.Items()[0]; first.User != "maria" {
		t.Fatalf("first row %s, want maria (admin sorts first by role)", first.User)
	}
}

// A reload answered after a write that finished meanwhile may predate it:
// it is dropped and the list read again, so the old role never comes back.
func TestCollaboratorsReloadOlderThanAWriteIsDropped(t *testing.T) {
	t.Parallel()
	_, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	cs := openCollaborators(t, h, "fieldops", "tree-inventory")
	selectCollab(t, h, cs, "lucas")
	h.hold = true
	h.keys("ctrl+r") // read now: lucas is an editor
	reload := h.held
	h.held = nil
	h.keys("e")
	pickRole(t, h, "manager") // the write runs; its answer is held
	var write []tea.Msg
	write, h.held = h.held, nil
	h.hold = false
	for _, m := range write {
		h.send(m)
	}
	for _, m := range reload {
		h.send(m)
	}
	if x, _ := cs.tbl.Get("lucas"); x.Role != "manager" {
		t.Fatalf("an answer older than the role change put %q back:\n%s", x.Role, h.view())
	}
}

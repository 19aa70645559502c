package tui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// ← on the focused Cancel stays there: a press too many never reaches
// the destructive button.
func TestConfirmDoesNotWrap(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	h.keys("d", "left", "enter")
	h.mustSee("cancelled")
	if p.called("RemoveMember") != 0 {
		t.Fatal("left on Cancel wrapped to the action and removed the member")
	}
	h.keys("d", "right", "tab", "enter") // right twice stays on the action
	if p.called("RemoveMember") != 1 {
		t.Fatalf("RemoveMember called %d times", p.called("RemoveMember"))
	}
}

// The role picker marks the role in force, aligns the descriptions and,
// when the options do not fit, says how many are out of view.
func TestPickerMarksCurrentAlignsAndSaysMore(t *testing.T) {
	t.Parallel()
	c := &Common{Styles: NewStyles(), Keys: NewKeyMap(false)}
	c.Ctx = t.Context()
	roles := []client.Role{
		{ID: "1", Name: "Administrateur", Description: "everything"},
		{ID: "2", Name: "Champ", Description: "the field"},
		{ID: "3", Name: "Trésorier", Description: "the money"},
		{ID: "4", Name: "A", Description: "a"},
		{ID: "5", Name: "B", Description: "b"},
		{ID: "6", Name: "C", Description: "c"},
	}
	p := rolePicker(c, 1, "Role of x", "x", "2", roles)
	p.SetSize(60, 10) // the body of a 60×15 terminal
	v := p.View()
	if !strings.Contains(v, "› Champ           current  the field") {
		t.Fatalf("current role not marked and aligned:\n%s", v)
	}
	if !strings.Contains(v, "  Administrateur           everything") {
		t.Fatalf("descriptions not aligned:\n%s", v)
	}
	if !strings.Contains(v, "↓ 3 more") {
		t.Fatalf("no more marker:\n%s", v)
	}
	for range 5 {
		p.Update(tea.KeyMsg{Type: tea.KeyDown})
	}
	if v := p.View(); !strings.Contains(v, "↑ ") || !strings.Contains(v, "› C") {
		t.Fatalf("at the end:\n%s", v)
	}
}

// A name the provider refuses is refused in the dialog, with the text
// kept for correcting; nothing is sent.
func TestTeamNameValidatedInDialog(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("j", "enter")
	h.mustSee("surveyors")
	before := len(srv.Teams("fieldops"))
	h.keys("a")
	h.typeText("field crew")
	h.keys("enter")
	h.mustSee("use letters, digits, - and _", "Name: field crew")
	if _, ok := h.m.top().(*inputDialog); !ok {
		t.Fatalf("the dialog closed on a bad name: top = %T", h.m.top())
	}
	h.keys("backspace", "backspace", "backspace", "backspace", "backspace")
	h.typeText("_crew")
	h.keys("enter")
	h.mustSee("created team field_crew in fieldops")
	if n := len(srv.Teams("fieldops")); n != before+1 {
		t.Fatalf("server has %d teams, want %d", n, before+1)
	}
}

// An invitation to something that is not an e-mail address is refused
// before the role is asked for.
func TestInvitationEmailValidatedBeforeRole(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	h.keys("4")
	h.mustSee("yasmine")
	n := len(srv.Kit().Requests())
	h.keys("a")
	h.typeText("not-an-email")
	h.keys("enter")
	h.mustSee("not an e-mail address", "E-mail: not-an-email")
	h.mustNotSee("Role of")
	if got := len(srv.Kit().Requests()); got != n {
		t.Fatalf("%d requests sent for a bad address", got-n)
	}
	h.keys("ctrl+u")
	h.typeText("nora@x.org")
	h.keys("enter")
	h.mustSee("Role of nora@x.org")
}

// countWrites counts the non-GET requests the fake received.
func countWrites(srv interface{ Kit() *fakehttp.Kit }) int { return srv.Kit().CountWrites() }

// Undo reads the member fresh: when someone changed the role since this
// session's edit, the dialog shows both (Cancel focused) and nothing is
// sent unless the user insists.
func TestUndoConflictShowsBothAndSendsNothing(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	other, err := qfieldcloud.New(client.Config{URL: srv.URL(), Token: srv.Token("demo"), HTTPClient: srv.HTTPClient(), Username: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("enter")
	h.mustSee("of fieldops")
	ms := h.m.top().(*membersScreen)
	k := selectWhere(h, ms, func(m client.Member) bool { return m.Role == "member" })
	h.keys("e", "g", "enter") // admin
	h.mustSee(k + " is now admin of fieldops")
	// Someone else (the CLI) makes them creator meanwhile.
	creator := "creator"
	if _, err := other.UpdateMember(t.Context(), "fieldops", k, client.MemberUpdate{Role: &creator}); err != nil {
		t.Fatal(err)
	}
	writes := countWrites(srv)
	h.keys("u")
	h.mustSee("Undo: changed elsewhere", "[› Cancel ]", "Undo anyway")
	if d := h.m.top().(*confirmDialog); !strings.Contains(d.text, k+" is now creator of fieldops (changed elsewhere since your edit set admin); undo would make "+k+" member of fieldops again") {
		t.Fatalf("dialog text: %q", d.text)
	}
	h.keys("enter")
	h.mustSee("cancelled")
	// The list shows what the fresh read found, not this session's value.
	if x, _ := ms.tbl.Get(k); x.Role != "creator" {
		t.Fatalf("row after the conflict = %+v, want creator as read", x)
	}
	if got := serverRole(t, srv, "fieldops", k); got != "creator" {
		t.Fatalf("role after a cancelled conflicting undo = %q, want creator", got)
	}
	if n := countWrites(srv); n != writes {
		t.Fatalf("%d writes sent by a cancelled undo", n-writes)
	}
	// Insisting sends the inverse; a further change between dialog and
	// send is caught by the second read.
	h.keys("u")
	h.mustSee("Undo anyway")
	member := "admin"
	if _, err := other.UpdateMember(t.Context(), "fieldops", k, client.MemberUpdate{Role: &member}); err != nil {
		t.Fatal(err)
	}
	h.keys("right", "enter")
	if !strings.Contains(h.m.c.err, "nothing sent: it changed again since the dialog opened") {
		t.Fatalf("error line = %q", h.m.c.err)
	}
	if got := serverRole(t, srv, "fieldops", k); got != "admin" {
		t.Fatalf("role = %q after a refused undo", got)
	}
}

func serverRole(t *testing.T, srv *qfctest.Server, org, user string) string {
	t.Helper()
	for _, m := range srv.Members(org) {
		if m.User == user {
			return m.Role
		}
	}
	return ""
}

// In Activity, u undoes the selected row even when a later write has no
// inverse; a row whose object a later write deleted says so.
func TestActivityUndoesSelectedRow(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("enter")
	h.mustSee("of fieldops")
	ms := h.m.top().(*membersScreen)
	k := selectWhere(h, ms, func(m client.Member) bool { return m.Role == "member" })
	h.keys("e", "g", "enter")
	h.mustSee(k + " is now admin of fieldops")
	h.keys("esc", "j", "enter") // Teams
	h.mustSee("surveyors")
	h.keys("a")
	h.typeText("drones")
	h.keys("enter")
	h.mustSee("created team drones in fieldops")
	ts := h.m.top().(*teamsScreen)
	ts.tbl.selectKey("drones")
	h.keys("d", "right", "enter")
	h.mustSee("deleted team drones of fieldops")
	h.keys("u")
	h.mustSee("u: the last write cannot be undone")
	h.keys("A")
	// Newest first: #3 (delete), #2 (create), #1 (role).
	h.mustSee("#3 ok: a deleted team loses its memberships")
	h.keys("j")
	h.mustSee("#2 ok: no longer applies: write #3 (deleted team drones of fieldops) deleted it")
	h.keys("u")
	h.mustSee("u: #2 cannot be undone: no longer applies")
	h.keys("j", "u")
	h.mustSee("Undo", "make "+k+" member of")
	h.keys("right", "enter")
	h.mustSee("undone: make " + k + " member of fieldops again")
	if got := serverRole(t, srv, "fieldops", k); got != "member" {
		t.Fatalf("role after the row's undo = %q", got)
	}
	if a := h.m.c.activity; len(a) != 4 || a[3].what != "undo: make "+k+" member of fieldops again" || !a[0].undone {
		t.Fatalf("activity after the row's undo: %+v", a)
	}
	h.mustSee("› 1 ", "#1 ok: undone")
}

// Undo texts name people and roles in words, ids only in brackets.
func TestUndoTextsInWords(t *testing.T) {
	t.Parallel()
	_, h := qomonHarness(t)
	us := h.m.top().(*usersScreen)
	h.keys("j")
	u, _ := us.tbl.Selected()
	target := "Organisateur"
	if u.role() == target {
		target = "Trésorier"
	}
	h.keys("e")
	h.mustSee("Role of " + u.label())
	pick(h, target)
	h.mustSee(u.label() + " is now " + target)
	h.keys("u")
	h.mustSee("Undo")
	d := h.m.top().(*confirmDialog)
	want := "make " + u.label() + " " + u.role() + " again"
	req := "set the role of " + u.label() + " (user " + u.id() + ") to " + u.role() + " (role id " + u.roleID() + ")"
	if !strings.Contains(d.text, want) || !strings.Contains(d.text, req) {
		t.Fatalf("undo dialog %q lacks %q or %q", d.text, want, req)
	}
}

// The signed-in person's row says "(you)"; changing one's own role or
// leaving asks first, with the consequence spelled out.
func TestSelfMarkedAndSelfChangesAsk(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	h.mustSee("demo (you)")
	ms := h.m.top().(*membersScreen)
	ms.tbl.selectKey("demo")
	h.keys("e")
	pick(h, "member")
	h.mustSee("Change your own role", "[› Cancel ]", "Change my role")
	d := h.m.top().(*confirmDialog)
	if !strings.Contains(d.text, "from admin to member? You lose the rights of an admin there") || !strings.Contains(d.text, "1 other admin of fieldops remain") {
		t.Fatalf("dialog: %q", d.text)
	}
	h.keys("enter")
	if p.called("UpdateMember") != 0 {
		t.Fatal("own role changed without a confirmation")
	}
	h.keys("d")
	h.mustSee("Leave fieldops")
	d = h.m.top().(*confirmDialog)
	if !strings.Contains(d.text, "Remove yourself (demo) from fieldops? You lose access to its projects") {
		t.Fatalf("dialog: %q", d.text)
	}
	h.keys("esc")
	// Another member's role: no extra question.
	ms.tbl.selectKey("ana")
	h.keys("e")
	pick(h, "admin")
	h.mustSee("ana is now admin of fieldops")
	// Now with elena the only other admin gone, the note says so.
	ms.tbl.selectKey("demo")
	if !strings.Contains(ms.otherAdmins("demo"), "2 other admins") {
		t.Fatalf("other admins: %q", ms.otherAdmins("demo"))
	}
	ms.tbl.Remove("elena")
	ms.tbl.Remove("ana")
	if !strings.Contains(ms.otherAdmins("demo"), "No other admin is left in fieldops") {
		t.Fatalf("other admins: %q", ms.otherAdmins("demo"))
	}
	h.keys("e")
	pick(h, "member")
	h.keys("right", "enter")
	if p.called("UpdateMember") != 2 {
		t.Fatalf("UpdateMember called %d times after confirming", p.called("UpdateMember"))
	}
}

// A Qomon token whose person holds a "user" role cannot write: every
// write key is disabled with the reason before anything is sent.
func TestQomonUserRoleWriteKeysDisabled(t *testing.T) {
	t.Parallel()
	srv := qomontest.New(qomontest.WithoutSocket())
	t.Cleanup(srv.Close)
	srv.SeedDemo()
	var champ qomontest.User
	champID := srv.RoleID(qomontest.DemoSpace, "user")
	for _, u := range srv.Users(qomontest.DemoSpace) {
		if u.RoleID == champID && u.Mail != "" {
			champ = u
			break
		}
	}
	p, err := qomon.New(client.Config{URL: srv.URL(), Token: srv.Token(qomontest.DemoSpace, champ.Mail), HTTPClient: srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{Session: &Session{Profile: "q", Kind: "qomon", Source: "env", Username: champ.Mail, Provider: p}})
	h.mustSee("(you)", "(e role)")
	writes := srv.Kit().CountWrites()
	h.keys("e")
	h.mustSee("e: your role Champ cannot change the space")
	h.keys("2")
	h.mustSee("(a new team)", "(n rename)")
	h.keys("v")
	h.mustSee("v: your role Champ cannot change the space")
	h.keys("4")
	h.keys("a")
	h.mustSee("a: your role Champ cannot change the space")
	if n := srv.Kit().CountWrites(); n != writes {
		t.Fatalf("%d writes sent by a user-role token", n-writes)
	}
}

// Demoting oneself on Qomon says that the new role cannot undo it.
func TestQomonSelfDemotionAsks(t *testing.T) {
	t.Parallel()
	srv, sess := qomonSession(t)
	sess.Username = qomontest.DemoAdminEmail
	h := newHarness(t, Options{Session: sess})
	h.mustSee("69 (you)  Claire Martin")
	us := h.m.top().(*usersScreen)
	for r, _ := us.tbl.Selected(); r.email() != qomontest.DemoAdminEmail; r, _ = us.tbl.Selected() {
		h.keys("j")
	}
	writes := srv.Kit().CountWrites()
	h.keys("e")
	pick(h, "Champ")
	h.mustSee("Change your own role")
	d := h.m.top().(*confirmDialog)
	if !strings.Contains(d.text, "from Administrateur to Champ? Champ cannot change the space: you could not undo this yourself.") ||
		!strings.Contains(d.text, "administer the space") {
		t.Fatalf("dialog: %q", d.text)
	}
	h.keys("enter")
	if n := srv.Kit().CountWrites(); n != writes {
		t.Fatal("own role changed without a confirmation")
	}
}

// space marks rows (counted in the header); e changes the role of every
// marked row after one confirmation listing them; a failure is reported
// for its row and the others are still changed.
func TestBulkRoleChangeOfMarkedRows(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("enter")
	h.mustSee("of fieldops")
	ms := h.m.top().(*membersScreen)
	var picked []string
	h.keys("g")
	for range ms.tbl.Len() {
		if x, _ := ms.tbl.Selected(); x.Role == "member" && len(picked) < 3 {
			picked = append(picked, x.User)
			h.keys(" ")
		}
		h.keys("j")
	}
	h.mustSee("3 marked", "e role of 3 marked")
	h.keys("e")
	h.mustSee("Role of 3 marked members in fieldops")
	pick(h, "creator")
	d := h.m.top().(*confirmDialog)
	for _, u := range picked {
		if !strings.Contains(d.text, u+": member → creator") {
			t.Fatalf("confirmation does not list %s: %q", u, d.text)
		}
	}
	h.mustSee("[› Cancel ]", "Change 3 roles")
	// The first PATCH is refused; the other two must still be sent.
	srv.Kit().Inject(fakehttp.Fault{Method: http.MethodPatch, Kind: fakehttp.FaultStatus, Status: 403, Times: 1})
	h.keys("right", "enter")
	for i, u := range picked {
		want := "creator"
		if i == 0 {
			want = "member"
		}
		if got := serverRole(t, srv, "fieldops", u); got != want {
			t.Fatalf("%s is %q on the server, want %q", u, got, want)
		}
	}
	if !strings.Contains(h.m.c.err, "make 3 members creator of fieldops: 2 done, 1 failed: "+picked[0]+": ") {
		t.Fatalf("error line = %q", h.m.c.err)
	}
	// The failed row stays marked for a retry; the others are not.
	if got := ms.tbl.Marked(); len(got) != 1 || got[0].User != picked[0] {
		t.Fatalf("marked after the run: %+v", got)
	}
	if n := len(h.m.c.activity); n != 3 {
		t.Fatalf("activity has %d writes, want one per row", n)
	}
}

// Qomon users: e on marked users changes every role after one
// confirmation listing them.
func TestBulkQomonUsersRole(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	us := h.m.top().(*usersScreen)
	var ids []string
	h.keys("g")
	for range us.tbl.Len() {
		if u, _ := us.tbl.Selected(); u.role() == "Champ" && len(ids) < 3 {
			ids = append(ids, u.id())
			h.keys(" ")
		}
		h.keys("j")
	}
	h.mustSee("3 marked")
	h.keys("e")
	h.mustSee("Role of 3 marked users in the space")
	pick(h, "Organisateur")
	h.mustSee("Make these 3 users Organisateur?", "Champ → Organisateur")
	h.keys("right", "enter")
	h.mustSee("make 3 users Organisateur: 3 done")
	org := srv.RoleID(qomontest.DemoSpace, "Organisateur")
	for _, u := range srv.Users(qomontest.DemoSpace) {
		for _, id := range ids {
			if strconv.FormatInt(u.ID, 10) == id && u.RoleID != org {
				t.Fatalf("user %s has role %d, want %d", id, u.RoleID, org)
			}
		}
	}
	if us.tbl.MarkCount() != 0 {
		t.Fatal("marks stay after a successful run")
	}
}

// d on marked members removes them all after one confirmation naming
// each; Cancel keeps everyone.
func TestBulkRemoveMarkedMembers(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	h.keys(" ", "j", " ") // ana, ben
	h.mustSee("2 marked", "d remove 2 marked")
	h.keys("d")
	h.mustSee("Remove 2 members")
	d := h.m.top().(*confirmDialog)
	if !strings.Contains(d.text, "Ana Silva (ana), member") || !strings.Contains(d.text, "Ben Okafor (ben), member") {
		t.Fatalf("confirmation: %q", d.text)
	}
	h.keys("enter")
	if p.called("RemoveMember") != 0 {
		t.Fatal("Cancel removed members")
	}
	h.keys("d", "right", "enter")
	if p.called("RemoveMember") != 2 {
		t.Fatalf("RemoveMember called %d times", p.called("RemoveMember"))
	}
	h.mustSee("remove 2 members from fieldops: 2 done")
	h.mustNotSee("Ben Okafor")
}

// The footer is generated from the keymap with priorities: ? help and
// q quit never fall off, u, y, A and ctrl+r show where they apply and
// fit, and the filter line has its own keys.
func TestFooterPriorities(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Session: memSession(newMem())})
	h.send(tea.WindowSizeMsg{Width: 130, Height: 24})
	footer := func() string {
		lines := strings.Split(h.view(), "\n")
		return lines[len(lines)-1]
	}
	if f := footer(); !strings.Contains(f, "ctrl+r reload") || !strings.HasSuffix(f, "? help · q quit") {
		t.Fatalf("users footer at 130: %q", f)
	}
	h.keys("2", "enter", "enter")
	h.keys("e")
	pick(h, "admin")
	h.mustSee("ana is now admin")
	if f := footer(); !strings.Contains(f, "u undo") || !strings.Contains(f, "A activity") || !strings.Contains(f, "y copy") {
		t.Fatalf("members footer at 130 after a write: %q", f)
	}
	for _, w := range []int{80, 60} {
		h.send(tea.WindowSizeMsg{Width: w, Height: 24})
		if f := footer(); !strings.HasSuffix(f, "? help · q quit") {
			t.Fatalf("footer at %d: %q", w, f)
		}
	}
	h.keys("/")
	if f := footer(); !strings.HasPrefix(f, "enter keep filter · esc clear") || !strings.HasSuffix(f, "ctrl+c quit") {
		t.Fatalf("filter footer: %q", f)
	}
}

// At 110 columns (two help columns of 55) no reason is cut.
func TestHelpWrapsReasons(t *testing.T) {
	t.Parallel()
	_, h := qomonHarness(t)
	h.send(tea.WindowSizeMsg{Width: 110, Height: 40})
	h.keys("2", "?")
	v := h.view()
	for _, l := range strings.Split(v, "\n") {
		for _, col := range strings.Split(l, "  ") {
			if strings.HasSuffix(strings.TrimSpace(col), "…") {
				t.Fatalf("help cuts %q at 110 columns:\n%s", col, v)
			}
		}
	}
	flat := strings.Join(strings.Fields(v), " ")
	if !strings.Contains(flat, "unavailable: not available on qomon") {
		t.Fatalf("reason missing:\n%s", v)
	}
}

// The filter matches every visible column (/admin finds the admins) and
// an empty result says "no match for …", not "no members".
func TestFilterEveryColumnAndNoMatch(t *testing.T) {
	t.Parallel()
	h := openMembers(t, newMem(), Options{})
	h.keys("/")
	h.typeText("admin")
	h.mustSee("2 of 4 members", "demo", "elena")
	h.mustNotSee("Ana Silva")
	h.keys("ctrl+u")
	h.typeText("zzz")
	h.mustSee("no match for “zzz” among 4 members (esc clears)")
	h.mustNotSee("no members")
}

// s sorts QFieldCloud lists too, in collation order: Éloïse before Zoë,
// Léa before Louis (bytewise both would be the other way round).
func TestSortIsLocaleAware(t *testing.T) {
	t.Parallel()
	p := newMem()
	p.members["fieldops"] = []client.Member{
		{Organization: "fieldops", User: "zoe", Name: "Zoë", Role: "member"},
		{Organization: "fieldops", User: "louis", Name: "Louis", Role: "member"},
		{Organization: "fieldops", User: "eloise", Name: "Éloïse", Role: "admin"},
		{Organization: "fieldops", User: "lea", Name: "Léa", Role: "member"},
	}
	h := openMembers2(t, p)
	ms := h.m.top().(*membersScreen)
	h.keys("s", "s") // USER, then NAME
	h.mustSee("sorted by name")
	var got []string
	for _, x := range ms.tbl.Items() {
		got = append(got, x.Name)
	}
	if strings.Join(got, ",") != "Éloïse,Léa,Louis,Zoë" {
		t.Fatalf("sorted by name: %v", got)
	}
	// A reload keeps the order.
	h.keys("ctrl+r")
	got = got[:0]
	for _, x := range ms.tbl.Items() {
		got = append(got, x.Name)
	}
	if strings.Join(got, ",") != "Éloïse,Léa,Louis,Zoë" {
		t.Fatalf("after reload: %v", got)
	}
}

// openMembers2 opens fieldops' members of p, whatever their names.
func openMembers2(t *testing.T, p *memProvider) *harness {
	t.Helper()
	h := newHarness(t, Options{Session: memSession(p)})
	h.keys("2", "enter", "enter")
	if h.topTitle() != "Members" {
		t.Fatalf("top = %q", h.topTitle())
	}
	return h
}

// Local user lists sort by name in collation order too.
func TestUsersSortCollates(t *testing.T) {
	t.Parallel()
	var rows []userRow
	for i, n := range []string{"Zoë", "Louis", "Éloïse", "Léa", "adam"} {
		rows = append(rows, packFields(strconv.Itoa(i+1), strconv.Itoa(i+1), n, "", "", ""))
	}
	tbl := newTable(userColumns(true), userRow.id, userRowCells, userRowHay)
	tbl.SetItems(rows)
	k := &sortKeys{so: newSorter(), order: sortName, cache: map[string]cachedKeys{}}
	tbl.SortKeyed(k.of)
	var got []string
	for _, r := range tbl.Items() {
		got = append(got, r.name())
	}
	if strings.Join(got, ",") != "adam,Éloïse,Léa,Louis,Zoë" {
		t.Fatalf("users by name: %v", got)
	}
}

// G on a server-paged list goes to the real end in one press.
func TestBottomFetchesToTheRealEnd(t *testing.T) {
	t.Parallel()
	p := newMem()
	for i := range 1000 {
		n := fmt.Sprintf("user%04d", i)
		p.users = append(p.users, client.User{ID: n, Username: n, Type: client.AccountPerson})
	}
	h := newHarness(t, Options{Session: memSession(p)})
	us := h.m.top().(*usersScreen)
	if us.tbl.Total() >= len(p.users) {
		t.Fatalf("the first screen loaded every page (%d rows)", us.tbl.Total())
	}
	h.keys("G")
	if us.tbl.Total() != len(p.users) {
		t.Fatalf("after one G: %d of %d rows", us.tbl.Total(), len(p.users))
	}
	if k, _ := us.tbl.SelectedKey(); k != "user0999" {
		t.Fatalf("cursor on %q, want the last user", k)
	}
	h.mustNotSee("more below")
}

// Add member: the highlighted suggestion is what enter takes (not the
// letters typed), tab completes; the role and the public flag are asked
// with the defaults preselected; the cursor lands on the new row.
func TestAddMemberSuggestionRolePublicCursor(t *testing.T) {
	t.Parallel()
	srv, sess := qfcSession(t)
	h := newHarness(t, Options{Session: sess})
	enterOrg(t, h, "fieldops")
	h.keys("enter")
	h.mustSee("of fieldops")
	ms := h.m.top().(*membersScreen)
	h.keys("a")
	h.typeText("q")
	d := h.m.top().(*inputDialog)
	if len(d.sugs) == 0 {
		t.Fatalf("no suggestions for q:\n%s", h.view())
	}
	first := d.sugs[0]
	h.mustSee("› "+first, "enter takes: "+first)
	h.keys("tab")
	if d.input.Value() != first {
		t.Fatalf("tab completed to %q, want %q", d.input.Value(), first)
	}
	h.keys("enter")
	h.mustSee("Role of " + first + " in fieldops")
	pk := h.m.top().(*pickerDialog)
	if pk.opts[pk.cursor].Value != "member" || pk.current != -1 {
		t.Fatalf("role picker opens on %q (current %d), want the default member, unmarked", pk.opts[pk.cursor].Value, pk.current)
	}
	pick(h, "creator")
	h.mustSee("Is " + first + " a public member of fieldops?")
	pk = h.m.top().(*pickerDialog)
	if pk.opts[pk.cursor].Value != "no" {
		t.Fatalf("public picker opens on %q, want no", pk.opts[pk.cursor].Value)
	}
	pick(h, "yes")
	h.mustSee("added " + first + " to fieldops as creator")
	var found bool
	for _, m := range srv.Members("fieldops") {
		if m.User == first {
			found = true
			if m.Role != "creator" || !m.Public {
				t.Fatalf("server member %+v, want creator and public", m)
			}
		}
	}
	if !found {
		t.Fatalf("%s not added", first)
	}
	if k, _ := ms.tbl.SelectedKey(); k != first {
		t.Fatalf("cursor on %q, want the new member %q", k, first)
	}
}

// A person's details list their organizations (with the role) and teams;
// a role's details list who holds it.
func TestDetailsListMembershipsAndHolders(t *testing.T) {
	t.Parallel()
	h := openMembers(t, newMem(), Options{})
	h.keys("enter") // ana
	h.mustSee("organizations", "fieldops (member)", "teams", "fieldops/surveyors")

	_, q := qomonHarness(t)
	q.keys("3", "enter")
	q.mustSee("held by")
	d := q.m.top().(*detailScreen)
	part := d.part.(*holdersPart)
	if !part.got || len(part.names) == 0 {
		t.Fatalf("holders not read:\n%s", q.view())
	}
	q.mustSee(plural(len(part.names), "person") + ": " + part.names[0])
}

// e works from a member's details: the picker opens over them and the
// details show the new role at once.
func TestEditFromDetails(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	h.keys("enter") // ana's details
	h.mustSee("member ana", "e change role")
	h.keys("e")
	h.mustSee("Role of ana in fieldops")
	pick(h, "admin")
	h.mustSee("ana is now admin of fieldops")
	if h.topTitle() != "member ana" {
		t.Fatalf("top = %q, want the details back", h.topTitle())
	}
	if !strings.Contains(lineWith(h.view(), "role   "), "admin") {
		t.Fatalf("details still show the old role:\n%s", h.view())
	}
	if p.called("UpdateMember") != 1 {
		t.Fatalf("UpdateMember called %d times", p.called("UpdateMember"))
	}
}

// d on marked invitations withdraws each after one confirmation.
func TestBulkWithdrawInvitations(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	h.keys("4")
	h.mustSee("yasmine")
	before := len(srv.Invitations(qomontest.DemoSpace))
	h.keys(" ", "j", " ")
	h.mustSee("2 marked", "d withdraw 2 marked")
	h.keys("d")
	h.mustSee("Withdraw 2 invitations", "[› Keep ]")
	h.keys("right", "enter")
	h.mustSee("withdraw 2 invitations: 2 done")
	if n := len(srv.Invitations(qomontest.DemoSpace)); n != before-2 {
		t.Fatalf("%d invitations on the server, want %d", n, before-2)
	}
}

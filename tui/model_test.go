package tui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/roster-cli/roster/client"
)

func init() {
	// Stable output whatever the terminal says: Ascii goldens double as
	// the NO_COLOR check.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
}

// openMembers goes Organizations → fieldops → Members.
func openMembers(t *testing.T, p *memProvider, opts Options) *harness {
	t.Helper()
	opts.Session = memSession(p)
	h := newHarness(t, opts)
	h.keys("2") // Organizations
	h.mustSee("fieldops", "city-parks")
	h.keys("enter") // fieldops hub
	h.keys("enter") // Members
	if h.topTitle() != "Members" {
		t.Fatalf("top = %q, want Members", h.topTitle())
	}
	h.mustSee("ana@example.org", "elena")
	return h
}

func TestFilterTypingQIsText(t *testing.T) {
	t.Parallel()
	h := openMembers(t, newMem(), Options{})
	h.keys("/")
	h.typeText("q")
	if h.quit {
		t.Fatal("q in the filter quit the app")
	}
	h.mustSee("/q")
	// No member has a q in name or e-mail.
	h.mustSee("0 of 4 members")
	h.keys("backspace")
	h.typeText("silva")
	h.mustSee("1 of 4 members", "Ana Silva")
	h.mustNotSee("Ben Okafor")
	h.keys("esc") // leaves and clears the filter
	if h.m.top().Capturing() {
		t.Fatal("esc did not leave the filter")
	}
	h.mustSee("Ben Okafor", "4 members")
	h.keys("q")
	if !h.quit {
		t.Fatal("q outside the filter did not quit")
	}
}

func TestFilterInvertAndEnterKeeps(t *testing.T) {
	t.Parallel()
	h := openMembers(t, newMem(), Options{})
	h.keys("/")
	h.typeText("!example.org")
	h.keys("enter")
	h.mustSee("2 of 4 members", "ben@example.com", "elena@example.com")
	h.mustNotSee("ana@example.org")
	// esc first clears the accepted filter, then goes back.
	h.keys("esc")
	h.mustSee("4 members")
	if h.topTitle() != "Members" {
		t.Fatalf("first esc left the screen: top = %q", h.topTitle())
	}
	h.keys("esc")
	if h.topTitle() != "fieldops" {
		t.Fatalf("second esc: top = %q, want fieldops", h.topTitle())
	}
}

func TestEscAtTopLevelDoesNotQuit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Session: memSession(newMem())})
	for range 3 {
		h.keys("esc")
	}
	if h.quit {
		t.Fatal("esc quit from the top screen")
	}
	if h.topTitle() != "Users" {
		t.Fatalf("top = %q", h.topTitle())
	}
}

func TestEscBacksOutAndCancels(t *testing.T) {
	t.Parallel()
	h := openMembers(t, newMem(), Options{})
	members := h.m.top().(*membersScreen)
	h.keys("esc")
	if h.topTitle() != "fieldops" {
		t.Fatalf("top = %q, want the fieldops hub", h.topTitle())
	}
	if members.ctx.Err() == nil {
		t.Fatal("leaving the screen did not cancel its context")
	}
	h.keys("esc")
	if h.topTitle() != "Organizations" {
		t.Fatalf("top = %q", h.topTitle())
	}
	// A late answer for the closed screen is dropped without harm.
	h.send(pageMsg[client.Member]{to: to{members.id}, req: members.req, rows: []client.Member{{User: "ghost"}}})
	h.mustNotSee("ghost")
}

func TestDeleteCancelledByDefault(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	h.keys("d")
	h.mustSee("Remove member", "Remove ana (Ana Silva) from organization fieldops?", "[› Cancel ]")
	h.keys("enter") // the default is Cancel
	if n := p.called("RemoveMember"); n != 0 {
		t.Fatalf("RemoveMember called %d times after Cancel", n)
	}
	h.mustSee("cancelled", "ana@example.org")
	if h.topTitle() != "Members" {
		t.Fatalf("dialog still open: %q", h.topTitle())
	}
	// esc also cancels.
	h.keys("d", "esc")
	if p.called("RemoveMember") != 0 || h.topTitle() != "Members" {
		t.Fatal("esc did not cancel the dialog")
	}
}

func TestDeleteConfirmed(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	h.keys("j") // ben
	h.keys("d", "right")
	h.mustSee("[› Remove ]", "Remove ben (Ben Okafor) from organization fieldops?")
	h.hold = true
	h.keys("enter")
	h.mustSee("removing ben from fieldops…", "›…ben")
	h.release()
	h.mustSee("removed ben from fieldops", "3 members")
	h.mustNotSee("Ben Okafor")
	if p.called("RemoveMember") != 1 {
		t.Fatalf("RemoveMember calls = %d", p.called("RemoveMember"))
	}
}

func TestRoleChangeShowsPendingThenServerAnswer(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	h.keys("e")
	h.mustSee("Role of ana in fieldops", "› member")
	h.hold = true
	h.keys("g", "enter") // admin
	h.mustSee("making ana admin of fieldops…")
	if row := lineWith(h.view(), "ana@example.org"); !strings.Contains(row, "…") || !strings.Contains(row, "admin") {
		t.Fatalf("pending row = %q, want the new role marked pending", row)
	}
	h.release()
	h.mustSee("ana is now admin of fieldops")
	if row := lineWith(h.view(), "ana@example.org"); strings.Contains(row, "…") || !strings.Contains(row, "admin") {
		t.Fatalf("row after the answer = %q", row)
	}
}

func TestRefusalRollsBack(t *testing.T) {
	t.Parallel()
	forbidden := &client.APIError{Kind: client.ErrForbidden, Status: 403, Message: "You do not have permission"}
	p := newMem()
	p.fail["UpdateMember"] = forbidden
	p.fail["AddMember"] = &client.APIError{Kind: client.ErrLimitReached, Status: 403, Message: "member limit reached"}
	h := openMembers(t, p, Options{})

	h.keys("e", "g", "enter")
	h.mustSee("error: making ana admin of fieldops: You do not have permission [HTTP 403]")
	if row := lineWith(h.view(), "ana@example.org"); !strings.Contains(row, "member") || strings.Contains(row, "…") {
		t.Fatalf("row after refusal = %q, want the old role back", row)
	}

	h.keys("a")
	h.typeText("quentin")
	h.keys("enter", "enter") // the name, the default role
	h.hold = true
	h.keys("enter") // not public
	h.mustSee("adding quentin to fieldops…", "quentin")
	h.release()
	h.mustSee("error: adding quentin to fieldops: member limit reached", "4 members")
	if strings.Contains(lineWith(h.view(), "  quentin"), "quentin") {
		t.Fatal("the refused member is still listed")
	}
}

func TestAddMemberWithSuggestion(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	h.keys("a")
	h.typeText("que") // the debounce tick then the search run in the harness
	h.mustSee("suggestions", "quentin")
	h.keys("down", "enter")
	h.mustSee("Role of quentin in fieldops") // the default preselected
	h.keys("enter")
	h.mustSee("Is quentin a public member of fieldops?")
	h.keys("enter")
	h.mustSee("added quentin to fieldops as member", "quentin@example.org")
}

func TestStaleSearchDropped(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := newHarness(t, Options{Session: memSession(p)})
	u := h.m.top().(*usersScreen)
	h.mustSee("7 users")
	h.keys("/")
	// Two searches started; the answer to the first comes last.
	first := u.list("a")
	second := u.list("be")
	newer := collect(second)
	older := collect(first)
	for _, m := range newer {
		h.deliver(m)
	}
	for _, m := range older {
		h.deliver(m)
	}
	h.mustSee("ben@example.com", "1 user ")
	h.mustNotSee("ana@example.org")
}

func TestSearchDebounce(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := newHarness(t, Options{Session: memSession(p)})
	u := h.m.top().(*usersScreen)
	before := p.called("Users")
	h.hold = true
	h.keys("/")
	h.typeText("an")
	// One tick per key; only the last may search.
	ticks := h.held
	h.held = nil
	h.hold = false
	if len(ticks) != 2 {
		t.Fatalf("held %d messages, want 2 debounce ticks", len(ticks))
	}
	for _, m := range ticks {
		h.deliver(m)
	}
	if got := p.called("Users") - before; got != 1 {
		t.Fatalf("searches = %d, want 1", got)
	}
	if u.query != "an" {
		t.Fatalf("query = %q", u.query)
	}
	h.mustSee("ana@example.org", `search "an"`)
	h.mustNotSee("ben@example.com")
	// esc clears the search and lists everyone again.
	h.keys("esc")
	h.mustSee("7 users")
}

func TestReadOnlyDisablesWrites(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{ReadOnly: true})
	h.mustSee("READ-ONLY", "(d remove)")
	for _, k := range []string{"d", "e", "a"} {
		h.keys(k)
		if h.topTitle() != "Members" {
			t.Fatalf("%s opened %q in read-only mode", k, h.topTitle())
		}
		h.mustSee(k + ": read-only mode")
	}
	h.keys("?")
	h.mustSee("remove the member (asks first) —", "unavailable: read-only mode")
	h.keys("?")
	h.mustSee("ana@example.org")
}

func TestNeedsAdminAndProviderReasons(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := newHarness(t, Options{Session: memSession(p)})
	h.keys("e") // Users: the provider has no space roles
	h.mustSee("e: roles are per organization here: Organizations › Members")
	h.keys("2", "j", "enter", "enter") // city-parks, where demo is a member
	if h.topTitle() != "Members" {
		t.Fatalf("top = %q", h.topTitle())
	}
	h.keys("d")
	h.mustSee("d: needs organization admin")
	if h.topTitle() != "Members" {
		t.Fatal("d opened a dialog for a non-admin")
	}
}

func TestTooSmall(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Session: memSession(newMem())})
	h.send(tea.WindowSizeMsg{Width: 100, Height: 8})
	h.mustSee("terminal too small: need 40×10, have 100×8")
	h.send(tea.WindowSizeMsg{Width: 30, Height: 8})
	h.mustSee("terminal too small", "have 30×8")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 15})
	h.mustNotSee("too small")
}

func TestTabsAndDigits(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := newHarness(t, Options{Session: memSession(p)})
	steps := []struct {
		key, want string
	}{
		{"tab", "Organizations"}, {"tab", "Users"}, {"shift+tab", "Organizations"},
		{"1", "Users"}, {"2", "Organizations"}, {"9", "Organizations"},
	}
	for _, s := range steps {
		h.keys(s.key)
		if got := h.m.stacks[h.m.active][0].Title(); got != s.want {
			t.Fatalf("after %s: screen %q, want %q", s.key, got, s.want)
		}
	}
	// Each tab keeps its own stack.
	h.keys("enter")
	h.keys("1", "2")
	if h.topTitle() != "fieldops" {
		t.Fatalf("stack lost on switching: %q", h.topTitle())
	}
	if p.called("Organizations") != 1 {
		t.Fatalf("Organizations loaded %d times; a tab loads once", p.called("Organizations"))
	}
}

func TestTeamsCreateRenameDelete(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := newHarness(t, Options{Session: memSession(p)})
	h.keys("2", "enter", "j", "enter")
	if h.topTitle() != "Teams" {
		t.Fatalf("top = %q", h.topTitle())
	}
	h.mustSee("botanists", "surveyors")
	h.keys("a")
	h.typeText("hydrology")
	h.keys("enter")
	h.mustSee("created team hydrology in fieldops")
	h.keys("g", "n") // botanists
	h.mustSee("Rename team botanists")
	h.keys("ctrl+u")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlU})
	h.typeText("flora")
	h.keys("enter")
	h.mustSee("renamed team botanists to flora", "flora")
	h.mustNotSee("botanists  ")
	h.keys("d")
	h.mustSee("Delete team flora of fieldops?")
	h.keys("right", "enter")
	h.mustSee("deleted team flora of fieldops")
	if len(p.teams["fieldops"]) != 2 {
		t.Fatalf("teams on the server: %v", p.teams["fieldops"])
	}
}

func TestTeamMembersAddRemove(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := newHarness(t, Options{Session: memSession(p)})
	h.keys("2", "enter", "j", "enter", "j", "enter") // surveyors
	if h.topTitle() != "surveyors" {
		t.Fatalf("top = %q", h.topTitle())
	}
	h.mustSee("Ana Silva", "1 member ")
	h.keys("a")
	h.typeText("ben")
	h.keys("enter")
	h.mustSee("added ben to team fieldops/surveyors", "2 members")
	h.keys("g", "d")
	h.mustSee("Remove ana (Ana Silva) from team fieldops/surveyors?")
	h.keys("l", "enter")
	h.mustSee("removed ana from team fieldops/surveyors")
	h.mustNotSee("Ana Silva")
}

func TestDetailShowsFields(t *testing.T) {
	t.Parallel()
	p := newMem()
	p.users[1].FullName = "Ana \x1b[31mSilva\u202e"
	h := openMembers(t, p, Options{})
	h.keys("enter")
	h.mustSee("member of", "fieldops", "username", "e-mail", "ana@example.org")
	h.mustNotSee("\x1b[31m")
	h.keys("esc")
	if h.topTitle() != "Members" {
		t.Fatalf("top = %q", h.topTitle())
	}
}

func TestCopyWritesOSC52(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	h := openMembers(t, newMem(), Options{Out: &out})
	h.keys("y")
	want, _ := osc52("ana@example.org")
	if out.String() != want {
		t.Fatalf("wrote %q, want %q", out.String(), want)
	}
	h.mustSee("copied ana@example.org")
}

func TestOSC52(t *testing.T) {
	t.Parallel()
	// Plain in and out of tmux: tmux 3.3+ drops the DCS passthrough.
	seq, ok := osc52("hi")
	if !ok || seq != "\x1b]52;c;aGk=\x07" {
		t.Fatalf("plain = %q", seq)
	}
	if _, ok := osc52(strings.Repeat("x", 60000)); ok {
		t.Fatal("an oversized payload was accepted")
	}
}

// testSignInProviders are what cmd passes from the registry: the screen
// decides the fields by PasswordLogin, never by a name.
var testSignInProviders = []SignInProvider{
	{Kind: "qfieldcloud", DefaultURL: "https://app.qfield.cloud/api/v1/", PasswordLogin: true},
	{Kind: "qomon", DefaultURL: "https://incoming.qomon.app"},
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	p := newMem()
	var got SignInRequest
	calls := 0
	signIn := func(_ context.Context, req SignInRequest) (*Session, error) {
		calls++
		got = req
		if req.Password != "s3cret" {
			return nil, errors.New("signing in to QFieldCloud: wrong username or password")
		}
		return memSession(p), nil
	}
	h := newHarness(t, Options{SignIn: signIn, SignInProviders: testSignInProviders})
	h.mustSee("Sign in to a membership service", "(•) qfieldcloud", "Password")
	h.keys("q") // q is not quit here: the screen is a form
	if h.quit {
		t.Fatal("q quit the sign-in screen")
	}
	h.keys("tab", "tab", "tab") // URL, Profile, Username
	h.typeText("demo")
	h.keys("enter")
	h.typeText("wrong")
	h.keys("enter")
	h.mustSee("wrong username or password")
	h.mustNotSee("wrong\n", "•••••s")
	if got.Username != "demo" || got.Provider != "qfieldcloud" {
		t.Fatalf("request = %+v", got)
	}
	for range 5 {
		h.keys("backspace")
	}
	h.typeText("s3cret")
	h.keys("enter")
	if calls != 2 {
		t.Fatalf("SignIn calls = %d", calls)
	}
	h.mustSee("1 Users", "profile test")
}

func TestSignInQomonAsksForToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{SignInProviders: testSignInProviders})
	h.keys("right")
	h.mustSee("(•) qomon", "API token", "URL empty = incoming.qomon.app")
	h.mustNotSee("Password")
	h.keys("tab", "tab", "tab", "enter")
	h.mustSee("enter the API token")
}

func TestProfileSwitch(t *testing.T) {
	t.Parallel()
	p, other := newMem(), newMem()
	other.orgs = nil
	opened := ""
	opts := Options{
		Session: memSession(p),
		Profiles: func() []ProfileEntry {
			return []ProfileEntry{{Name: "test", Kind: "memsrv", Active: true}, {Name: "work", Kind: "memsrv", URL: "https://example.org"}}
		},
		Open: func(_ context.Context, name string) (*Session, error) {
			opened = name
			s := memSession(other)
			s.Profile = name
			return s, nil
		},
	}
	h := newHarness(t, opts)
	h.keys("p")
	h.mustSee("Switch profile", "› test", "work")
	h.keys("j", "enter")
	if opened != "work" {
		t.Fatalf("opened %q", opened)
	}
	h.mustSee("profile work", "opened profile work")
}

func TestProfileKeyWithoutProfiles(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Session: memSession(newMem())})
	h.keys("p")
	h.mustSee("p: no profiles to switch to")
}

func TestUsersPagesLoadWhenScrolling(t *testing.T) {
	t.Parallel()
	p := newMem()
	for i := range 200 {
		n := "user" + strconv.Itoa(1000+i)
		p.users = append(p.users, client.User{ID: n, Username: n})
	}
	p.pageSize = 20
	h := newHarness(t, Options{Session: memSession(p)})
	u := h.m.top().(*usersScreen)
	first := u.tbl.Total()
	if first >= 207 || first < 2*u.tbl.height {
		t.Fatalf("first load = %d rows, want a screenful or two, not all", first)
	}
	h.mustSee("more below")
	h.keys("G")
	if u.tbl.Total() <= first {
		t.Fatalf("no page loaded at the end: %d rows", u.tbl.Total())
	}
	for range 20 {
		h.keys("G")
	}
	if u.tbl.Total() != 207 {
		t.Fatalf("rows = %d, want all 207", u.tbl.Total())
	}
	h.mustNotSee("more below")
}

func TestMouseWheelScrolls(t *testing.T) {
	t.Parallel()
	h := openMembers(t, newMem(), Options{})
	h.send(tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if k, _ := h.m.top().(*membersScreen).tbl.SelectedKey(); k != "elena" {
		t.Fatalf("selected %q after the wheel", k)
	}
}

func TestHelpListsScreenAndGlobalKeys(t *testing.T) {
	t.Parallel()
	h := openMembers(t, newMem(), Options{Version: "1.2.3"})
	h.keys("?")
	h.mustSee("change the member's role", "Everywhere", "switch profile", "roster 1.2.3")
	h.keys("q")
	if !h.quit {
		t.Fatal("q in help did not quit")
	}
}

func lineWith(view, s string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

package tui

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// runes is what Bubble Tea v1 delivers when several runes are read at
// once: one KeyRunes message.
func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func TestBurstMovesOncePerRune(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Session: memSession(newMem())})
	h.mustSee("quentin")
	us := h.m.top().(*usersScreen)
	h.send(runes("jjjjj"))
	if us.tbl.cursor != 5 {
		t.Fatalf("cursor after one burst of 5 j = %d, want 5", us.tbl.cursor)
	}
	h.send(runes("kk"))
	if us.tbl.cursor != 3 {
		t.Fatalf("cursor after kk = %d, want 3", us.tbl.cursor)
	}
}

func TestBurstQQQuits(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Session: memSession(newMem())})
	h.send(runes("qq"))
	if !h.quit {
		t.Fatal("qq in one message did not quit")
	}
}

// In the role dialog "kk" then enter moves twice, then confirms: it must
// not confirm the current role.
func TestBurstInRoleDialog(t *testing.T) {
	t.Parallel()
	p := newMem()
	h := openMembers(t, p, Options{})
	h.keys("e")
	h.mustSee("Role of ana in fieldops", "› member")
	h.send(runes("kk"))
	h.keys("enter")
	h.mustSee("ana is now admin of fieldops")
	if n := p.called("UpdateMember"); n != 1 {
		t.Fatalf("UpdateMember called %d times, want 1", n)
	}
	if got := p.members["fieldops"][0]; got.User != "ana" || got.Role != "admin" {
		t.Fatalf("server has %+v, want ana admin", got)
	}
}

// In a text input a burst stays text (a paste), and a burst that opens
// one gives it the rest: "/" then "sil" filters for "sil"; "a" opens the
// add dialog and "qu" is typed into it rather than quitting.
func TestBurstIsTextInInputs(t *testing.T) {
	t.Parallel()
	h := openMembers(t, newMem(), Options{})
	h.send(runes("/sil"))
	ms := h.m.top().(*membersScreen)
	if !ms.filtering || ms.input.Value() != "sil" {
		t.Fatalf("after /sil: filtering=%v value=%q", ms.filtering, ms.input.Value())
	}
	h.mustSee("1 of 4 members", "Ana Silva")
	h.send(runes("jj")) // still text: no move, no quit
	if ms.input.Value() != "siljj" {
		t.Fatalf("filter = %q, want siljj", ms.input.Value())
	}
	h.keys("esc")
	h.send(runes("aqu"))
	if h.quit {
		t.Fatal("q typed right after a quit the app")
	}
	d, ok := h.m.top().(*inputDialog)
	if !ok || d.input.Value() != "qu" {
		t.Fatalf("top = %T, want the add dialog holding %q:\n%s", h.m.top(), "qu", h.view())
	}
}

// The same through a real program: teatest sends one KeyRunes message.
func TestBurstTeatest(t *testing.T) {
	t.Parallel()
	tm := teatest.NewTestModel(t, New(Options{Session: memSession(newMem()), Out: &bytes.Buffer{}}), teatest.WithInitialTermSize(100, 30))
	wait := func(s string) {
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithCheckInterval(5*time.Millisecond), teatest.WithDuration(time.Minute))
	}
	wait("quentin")
	tm.Send(runes("jjjj"))
	wait("› elena")
	tm.Send(runes("qq"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(time.Minute))
	if c := fm.(*Model).stacks[0][0].(*usersScreen).tbl.cursor; c != 4 {
		t.Fatalf("cursor = %d, want 4", c)
	}
}

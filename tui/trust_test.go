package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
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

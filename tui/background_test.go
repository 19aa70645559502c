package tui

import (
	"os"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

func TestParseBackground(t *testing.T) {
	t.Parallel()
	cases := []struct {
		reply    string
		dark, ok bool
	}{
		{"\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[1;1R", true, true},
		{"\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[1;1R", false, true},
		{"\x1b]11;rgb:fd/f6/e3\x1b\\", false, true},      // two digits (Solarized light)
		{"\x1b]11;rgb:2828/2c2c/3434\x1b\\", true, true}, // four digits, dark grey
		{"\x1b]11;rgba:ffff/ffff/ffff/ffff\x1b\\", false, true},
		{"\x1b[24;80R", false, false}, // DSR only: no OSC 11 support
		{"", false, false},
		{"\x1b]11;rgb:zz/00/00\x1b\\", false, false},
	}
	for _, c := range cases {
		dark, ok := parseBackground([]byte(c.reply))
		if dark != c.dark || ok != c.ok {
			t.Errorf("parseBackground(%q) = %v, %v; want %v, %v", c.reply, dark, ok, c.dark, c.ok)
		}
	}
}

func TestColorFGBG(t *testing.T) {
	t.Parallel()
	cases := []struct {
		v        string
		dark, ok bool
	}{
		{"15;0", true, true},
		{"0;15", false, true},
		{"0;default;7", false, true},
		{"7;8", true, true},
		{"", false, false},
		{"15", false, false},
		{"15;x", false, false},
	}
	for _, c := range cases {
		dark, ok := colorFGBG(c.v)
		if dark != c.dark || ok != c.ok {
			t.Errorf("colorFGBG(%q) = %v, %v; want %v, %v", c.v, dark, ok, c.dark, c.ok)
		}
	}
}

// Without a terminal, or in tmux, nothing is asked: COLORFGBG or dark.
func TestDarkBackgroundWithoutAsking(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A wait would last the whole bound: an hour cannot be mistaken for
	// load (a wait shows as a test that never ends).
	if !darkBackground(f, f, env(map[string]string{"TERM": "xterm"}), time.Hour) {
		t.Error("a file is not dark by default")
	}
	if darkBackground(nil, nil, env(map[string]string{"TERM": "tmux-256color", "COLORFGBG": "0;15"}), time.Hour) {
		t.Error("COLORFGBG 0;15 is light")
	}
	if st, _ := f.Stat(); st.Size() != 0 {
		t.Error("wrote a query to a file")
	}
}

// A late answer to the background question reaches Bubble Tea as one
// alt+] key with many runes; it must not act as keys (1 would switch
// screens, / would open the filter).
func TestLateBackgroundAnswerIsNotKeys(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Session: memSession(newMem())})
	h.keys("/") // the worst moment: a text input has the focus
	before := h.view()
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Alt: true, Runes: []rune("]11;rgb:ffff/ffff/ffff")})
	if h.view() != before {
		t.Errorf("the answer changed the screen:\n%s", h.view())
	}
	if isTerminalReply([]rune("]"), true) || isTerminalReply([]rune("]11;rgb"), false) {
		t.Error("a real alt+] key, or typed text, taken for an answer")
	}
}

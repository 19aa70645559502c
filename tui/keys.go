package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Binding is one key of the app: a bubbles binding plus whether it writes
// to the server and, when it cannot act at all in this run, why.
type Binding struct {
	key.Binding
	// Writes marks actions that change data on the server; --read-only
	// turns all of them off in NewKeyMap.
	Writes bool
	// Off is the reason the binding is disabled for the whole run
	// ("read-only mode"); "" when it is on.
	Off string
}

// Matches reports whether msg presses this binding (enabled or not, so the
// caller can say why a disabled one did nothing).
func (b Binding) Matches(msg tea.KeyMsg) bool {
	s := msg.String()
	for _, k := range b.Keys() {
		if k == s {
			return true
		}
	}
	return false
}

// KeyMap is the one keymap of the TUI, shaped like the "TUI keys" table of
// the spec. Help, the footer and key handling are all generated from it.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom Binding
	Next, Prev, Nth                         Binding
	Filter, Open, Back                      Binding
	Edit, Add, Delete, Rename               Binding
	Leader, Private, Sort                   Binding
	Reload, Profile, Copy, Help, Quit       Binding
	Undo, Activity, Messages, Mark          Binding
	ForceQuit                               Binding
}

func bind(keys []string, helpKey, desc string) Binding {
	return Binding{Binding: key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))}
}

// NewKeyMap builds the keymap. With readOnly every write binding is
// disabled once, here, with the reason shown in help and on a press.
func NewKeyMap(readOnly bool) *KeyMap {
	km := &KeyMap{
		Up:        bind([]string{"up", "k"}, "↑/k", "up"),
		Down:      bind([]string{"down", "j"}, "↓/j", "down"),
		PageUp:    bind([]string{"pgup"}, "pgup", "page up"),
		PageDown:  bind([]string{"pgdown"}, "pgdn", "page down"),
		Top:       bind([]string{"g", "home"}, "g", "top"),
		Bottom:    bind([]string{"G", "end"}, "G", "bottom"),
		Next:      bind([]string{"tab"}, "tab", "next screen"),
		Prev:      bind([]string{"shift+tab"}, "shift+tab", "previous screen"),
		Nth:       bind([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, "1…9", "nth screen"),
		Filter:    bind([]string{"/"}, "/", "filter"),
		Open:      bind([]string{"enter"}, "enter", "open"),
		Back:      bind([]string{"esc"}, "esc", "back"),
		Edit:      bind([]string{"e"}, "e", "edit role"),
		Add:       bind([]string{"a"}, "a", "add"),
		Delete:    bind([]string{"d"}, "d", "remove"),
		Rename:    bind([]string{"n"}, "n", "rename"),
		Leader:    bind([]string{"l"}, "l", "toggle leader"),
		Private:   bind([]string{"v"}, "v", "toggle private"),
		Sort:      bind([]string{"s"}, "s", "sort"),
		Reload:    bind([]string{"ctrl+r"}, "ctrl+r", "reload"),
		Profile:   bind([]string{"p"}, "p", "switch profile"),
		Copy:      bind([]string{"y"}, "y", "copy id/e-mail"),
		Help:      bind([]string{"?"}, "?", "help"),
		Undo:      bind([]string{"u"}, "u", "undo the last write"),
		Activity:  bind([]string{"A"}, "A", "this session's writes"),
		Mark:      bind([]string{" "}, "space", "mark"),
		Messages:  bind([]string{"!"}, "!", "messages in full"),
		Quit:      bind([]string{"q"}, "q", "quit"),
		ForceQuit: bind([]string{"ctrl+c"}, "ctrl+c", "quit"),
	}
	for _, b := range []*Binding{&km.Edit, &km.Add, &km.Delete, &km.Rename, &km.Leader, &km.Private, &km.Undo} {
		b.Writes = true
		if readOnly {
			b.Off = "read-only mode"
		}
	}
	return km
}

// Hint is a binding as one screen offers it now: its own description and,
// when it cannot act at the moment, the reason.
type Hint struct {
	B      Binding
	Desc   string
	Reason string // "" = available
}

// hint offers b with desc; reason says why it cannot act now ("" = it can).
// A run-wide reason (read-only) wins over the screen's.
func hint(b Binding, desc, reason string) Hint {
	if b.Off != "" {
		reason = b.Off
	}
	if desc == "" {
		desc = b.Help().Desc
	}
	return Hint{B: b, Desc: desc, Reason: reason}
}

// disabledReason returns the reason for the first disabled hint msg presses.
func disabledReason(groups [][]Hint, msg tea.KeyMsg) (string, bool) {
	for _, g := range groups {
		for _, h := range g {
			if h.Reason != "" && h.B.Matches(msg) {
				return h.Reason, true
			}
		}
	}
	return "", false
}

// moveHints are the movement keys every list offers.
func (km *KeyMap) moveHints() []Hint {
	return []Hint{
		hint(km.Up, "", ""), hint(km.Down, "", ""),
		hint(km.PageUp, "", ""), hint(km.PageDown, "", ""),
		hint(km.Top, "", ""), hint(km.Bottom, "", ""),
	}
}

package tui

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-runewidth"
)

// lineInput is a one-line text field. bubbles' textinput pulls in a
// system-clipboard dependency for paste; terminals deliver pastes as key
// runes anyway, so this small field is all the TUI needs. It has no blink
// timer: an idle screen sends nothing.
type lineInput struct {
	Prompt string
	Secret bool // shows • per character (passwords, tokens)
	Limit  int  // maximum runes; 0 = none
	value  []rune
	pos    int
}

func (in *lineInput) Value() string { return string(in.value) }

func (in *lineInput) SetValue(v string) {
	in.value = []rune(v)
	in.pos = len(in.value)
}

// Update edits the field; it reports whether the key was used.
func (in *lineInput) Update(k tea.KeyMsg) bool {
	switch k.Type {
	case tea.KeyRunes, tea.KeySpace:
		rs := k.Runes
		if k.Type == tea.KeySpace {
			rs = []rune{' '}
		}
		clean := rs[:0:0]
		for _, r := range rs {
			if r == '\n' || r == '\r' || r == '\t' {
				r = ' '
			}
			if unicode.IsPrint(r) {
				clean = append(clean, r)
			}
		}
		if in.Limit > 0 && len(in.value)+len(clean) > in.Limit {
			clean = clean[:max(0, in.Limit-len(in.value))]
		}
		in.value = append(in.value[:in.pos:in.pos], append(clean, in.value[in.pos:]...)...)
		in.pos += len(clean)
	case tea.KeyBackspace:
		if in.pos > 0 {
			in.value = append(in.value[:in.pos-1:in.pos-1], in.value[in.pos:]...)
			in.pos--
		}
	case tea.KeyDelete:
		if in.pos < len(in.value) {
			in.value = append(in.value[:in.pos:in.pos], in.value[in.pos+1:]...)
		}
	case tea.KeyLeft:
		in.pos = max(0, in.pos-1)
	case tea.KeyRight:
		in.pos = min(len(in.value), in.pos+1)
	case tea.KeyHome, tea.KeyCtrlA:
		in.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		in.pos = len(in.value)
	case tea.KeyCtrlU:
		in.value = append(in.value[:0:0], in.value[in.pos:]...)
		in.pos = 0
	case tea.KeyCtrlK:
		in.value = in.value[:in.pos]
	case tea.KeyCtrlW:
		i := in.pos
		for i > 0 && in.value[i-1] == ' ' {
			i--
		}
		for i > 0 && in.value[i-1] != ' ' {
			i--
		}
		in.value = append(in.value[:i:i], in.value[in.pos:]...)
		in.pos = i
	default:
		return false
	}
	return true
}

// View renders prompt and text in width cells, with a block cursor when
// focused, scrolled so the cursor stays visible.
func (in *lineInput) View(width int, focused bool) string {
	text := in.value
	if in.Secret {
		text = []rune(strings.Repeat("•", len(in.value)))
	}
	room := width - runewidth.StringWidth(in.Prompt) - 1
	if room < 1 {
		room = 1
	}
	// Scroll: show the tail that ends at the cursor when it would not fit.
	start := 0
	for runewidth.StringWidth(string(text[start:in.pos])) > room {
		start++
	}
	var b strings.Builder
	b.WriteString(in.Prompt)
	w := 0
	for i := start; i < len(text); i++ {
		rw := runewidth.RuneWidth(text[i])
		if w+rw > room {
			break
		}
		if focused && i == in.pos {
			b.WriteString(cursorStyle.Render(string(text[i])))
		} else {
			b.WriteRune(text[i])
		}
		w += rw
	}
	if focused && in.pos == len(text) {
		b.WriteString("█")
	}
	return b.String()
}

var cursorStyle = lipgloss.NewStyle().Reverse(true)

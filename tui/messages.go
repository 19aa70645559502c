package tui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// maxMessages is how many status lines the messages view keeps.
const maxMessages = 200

// message is one status line as it was shown, kept whole: the status bar
// clips to the width, the messages view (!) shows every word.
type message struct {
	at   time.Time
	text string
	err  bool
}

func (c *Common) logMessage(text string, err bool) {
	c.messages = append(c.messages, message{at: c.clock(), text: text, err: err})
	if len(c.messages) > maxMessages {
		c.messages = c.messages[len(c.messages)-maxMessages:]
	}
}

// textScreen shows lines of text wrapped to the width, scrolled with the
// movement keys: the full text of messages or of one write.
type textScreen struct {
	base
	title  string
	text   func(w int) []string
	offset int
}

func newText(c *Common, title string, text func(w int) []string) *textScreen {
	return &textScreen{base: newBase(c), title: title, text: text}
}

// newMessages lists this session's status lines, newest first, whole.
func newMessages(c *Common) *textScreen {
	return newText(c, "Messages", func(w int) []string {
		st := c.Styles
		if len(c.messages) == 0 {
			return []string{st.Dim.Render("no messages in this session yet")}
		}
		var out []string
		for i := len(c.messages) - 1; i >= 0; i-- {
			m := c.messages[i]
			head := m.at.Format("15:04:05") + "  "
			text := m.text
			if m.err {
				text = "error: " + text
			}
			for j, ln := range strings.Split(wrapText(text, max(10, w-len(head))), "\n") {
				if j == 0 {
					ln = st.Dim.Render(head) + styleMsg(st, m.err, ln)
				} else {
					ln = strings.Repeat(" ", len(head)) + styleMsg(st, m.err, ln)
				}
				out = append(out, ln)
			}
		}
		return out
	})
}

func styleMsg(st *Styles, err bool, s string) string {
	if err {
		return st.Error.Render(s)
	}
	return s
}

// fieldText lays out fields as label and wrapped value.
func fieldText(st *Styles, w int, fs []field) []string {
	var out []string
	for _, f := range fs {
		for j, ln := range strings.Split(wrapText(san(f.V), max(10, w-16)), "\n") {
			label := strings.Repeat(" ", 16)
			if j == 0 {
				label = st.Label.Render(fit(f.K, 14)) + "  "
			}
			out = append(out, label+ln)
		}
	}
	return out
}

func (s *textScreen) Title() string { return s.title }

func (s *textScreen) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	km := s.c.Keys
	last := max(0, len(s.text(s.w))-s.h)
	switch {
	case km.Up.Matches(k):
		s.offset = max(0, s.offset-1)
	case km.Down.Matches(k):
		s.offset = min(last, s.offset+1)
	case km.PageUp.Matches(k):
		s.offset = max(0, s.offset-s.h)
	case km.PageDown.Matches(k):
		s.offset = min(last, s.offset+s.h)
	case km.Top.Matches(k):
		s.offset = 0
	case km.Bottom.Matches(k):
		s.offset = last
	}
	return nil
}

func (s *textScreen) View() string {
	lines := s.text(s.w)
	off := min(s.offset, max(0, len(lines)-s.h))
	for i := range lines {
		lines[i] = clip(lines[i], s.w)
	}
	return padLines(strings.Join(lines[off:], "\n"), s.h)
}

func (s *textScreen) ShortHelp() []Hint {
	km := s.c.Keys
	return []Hint{hint(km.Up, "", ""), hint(km.Down, "", ""), hint(km.Back, "", "")}
}

func (s *textScreen) FullHelp() [][]Hint {
	km := s.c.Keys
	return [][]Hint{{hint(km.Up, "", ""), hint(km.Down, "", ""), hint(km.PageUp, "", ""), hint(km.PageDown, "", ""),
		hint(km.Top, "", ""), hint(km.Bottom, "", ""), hint(km.Back, "", "")}}
}

// errorLine is the status bar's error line: the error clipped to w, with
// a pointer to the messages view when it does not fit.
func errorLine(st *Styles, err string, w int) string {
	text := "error: " + err
	const more = " · ! full text"
	if ansi.StringWidth(text) <= w || w < 30 {
		return st.Error.Render(clip(text, w))
	}
	return st.Error.Render(clip(text, w-ansi.StringWidth(more))) + st.Dim.Render(more)
}

package tui

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// maxOSC52 caps the encoded payload: terminals and tmux drop longer ones.
const maxOSC52 = 74994

// osc52 builds the OSC 52 sequence that puts text on the terminal's
// clipboard (works over SSH, no xclip needed). Inside tmux it is wrapped
// in a DCS passthrough. ok is false when text is too long to send.
func osc52(text string, tmux bool) (seq string, ok bool) {
	enc := base64.StdEncoding.EncodeToString([]byte(text))
	if len(enc) > maxOSC52 {
		return "", false
	}
	seq = "\x1b]52;c;" + enc + "\x07"
	if tmux {
		seq = "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
	}
	return seq, true
}

// copiedMsg reports a copy.
type copiedMsg struct {
	what string
	err  error
}

// copyCmd writes the sequence from a command, never from View. The write is
// one call, so it lands between two frames of the renderer.
func copyCmd(out io.Writer, text string, tmux bool) tea.Cmd {
	return func() tea.Msg {
		seq, ok := osc52(text, tmux)
		if !ok {
			return copiedMsg{err: fmt.Errorf("copying: %d bytes is too long for the terminal clipboard", len(text))}
		}
		if _, err := io.WriteString(out, seq); err != nil {
			return copiedMsg{err: fmt.Errorf("copying: %w", err)}
		}
		return copiedMsg{what: san(text)}
	}
}

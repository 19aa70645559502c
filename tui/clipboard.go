package tui

import (
	"encoding/base64"
	"fmt"
	"io"

	tea "github.com/charmbracelet/bubbletea"
)

// maxOSC52 caps the encoded payload: terminals and tmux drop longer ones.
const maxOSC52 = 74994

// osc52 builds the OSC 52 sequence that puts text on the terminal's
// clipboard (works over SSH, no xclip needed). It is sent plain inside
// tmux too: with set-clipboard on, tmux takes a plain OSC 52 into its
// paste buffer and forwards it to the outer terminal, whereas a DCS
// passthrough wrapping is dropped unless allow-passthrough is set (off
// by default since tmux 3.3). ok is false when text is too long to send.
func osc52(text string) (seq string, ok bool) {
	enc := base64.StdEncoding.EncodeToString([]byte(text))
	if len(enc) > maxOSC52 {
		return "", false
	}
	return "\x1b]52;c;" + enc + "\x07", true
}

// copiedMsg reports a copy.
type copiedMsg struct {
	what string
	err  error
}

// copyCmd writes the sequence from a command, never from View. The write is
// one call, so it lands between two frames of the renderer.
func copyCmd(out io.Writer, text string) tea.Cmd {
	return func() tea.Msg {
		seq, ok := osc52(text)
		if !ok {
			return copiedMsg{err: fmt.Errorf("copying: %d bytes is too long for the terminal clipboard", len(text))}
		}
		if _, err := io.WriteString(out, seq); err != nil {
			return copiedMsg{err: fmt.Errorf("copying: %w", err)}
		}
		return copiedMsg{what: san(text)}
	}
}

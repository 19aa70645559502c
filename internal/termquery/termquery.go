// Package termquery keeps the terminal from being queried while packages
// initialise. Bubble Tea v1's init asks the terminal for its background
// colour (OSC 11) through lipgloss and waits up to 5 s for an answer that
// a bare pty, some serial consoles and some SSH set-ups never send, on
// every run of every command. roster asks once, with its own short bound,
// and only when the TUI starts (tui.Run).
//
// Import it first, for its side effect, from package main.
package termquery

import "os"

var term, hadTerm = os.LookupEnv("TERM")

func init() {
	// termenv sends no status query to a "dumb" terminal.
	os.Setenv("TERM", "dumb")
}

// Restore puts TERM back as it was; main calls it before anything else.
func Restore() {
	if hadTerm {
		os.Setenv("TERM", term)
	} else {
		os.Unsetenv("TERM")
	}
}

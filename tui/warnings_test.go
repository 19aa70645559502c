package tui

import "testing"

// A warning from the session layer (Options.Warnings) is shown on the
// error line, since under the TUI stderr would scribble over the screen.
func TestWarningsAreShown(t *testing.T) {
	t.Parallel()
	ch := make(chan string, 1)
	ch <- "warning: writes will not be recorded: the audit log cannot be written"
	close(ch) // the harness runs commands to the end: a closed channel ends the wait
	h := newHarness(t, Options{Session: memSession(newMem()), Warnings: ch})
	h.mustSee("writes will not be recorded")
}

package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// Typing "alice" at 50 ms a key in the server search sends at most two
// search requests (the debounce waits for a pause), and the screen ends on
// the answer to the last query. Real time, real program, real fake server.
func TestTypingSearchSendsFewRequests(t *testing.T) {
	srv, ses := qfcSession(t)
	tm := teatest.NewTestModel(t, New(Options{Session: ses, Out: &bytes.Buffer{}}), teatest.WithInitialTermSize(100, 30))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("users")) },
		teatest.WithCheckInterval(5*time.Millisecond), teatest.WithDuration(time.Minute))
	srv.Kit().ResetRequests()
	tm.Send(keyMsg("/"))
	// A loaded machine can stretch a 50 ms pause past the debounce; each
	// such pause may rightly start one more search, so it is counted
	// rather than left to fail the test.
	stretched := 0
	last := time.Now()
	for _, r := range "alice" {
		if gap := time.Since(last); gap >= searchDelay {
			stretched++
		}
		last = time.Now()
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		time.Sleep(50 * time.Millisecond)
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(`search "alice"`)) },
		teatest.WithCheckInterval(5*time.Millisecond), teatest.WithDuration(time.Minute))
	tm.Send(quitWhenIdleMsg{})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(time.Minute))
	searches := 0
	for _, r := range srv.Kit().Requests() {
		if strings.HasSuffix(r.Path, "/users/") && strings.Contains(r.RawQuery, "q=") {
			searches++
		}
	}
	if searches == 0 || searches > 2+stretched {
		t.Fatalf("typing alice sent %d search requests, want 1 or 2 (+%d for pauses load stretched past %s)", searches, stretched, searchDelay)
	}
	if u := fm.(*Model).stacks[0][0].(*usersScreen); u.query != "alice" {
		t.Fatalf("screen shows the search for %q, want alice", u.query)
	}
}

package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client"
)

// In the TUI a warning (here: a write that the audit log cannot record)
// does not scribble on stderr over the screen, nor vanish: it reaches the
// TUI through Options.Warnings, which shows it on the error line.
func TestTUIWarningsReachTheScreen(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	_ = srv
	// The audit log's directory is a file: appending fails.
	state := filepath.Join(e.dir, "state")
	if err := os.WriteFile(state, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	e.set("XDG_STATE_HOME", state)
	e.tty = true
	r := e.run("")
	expectCode(t, r, 0)
	if e.tuiOpts == nil || e.tuiOpts.Start == nil || e.tuiOpts.Warnings == nil {
		t.Fatalf("TUI options: %+v", e.tuiOpts)
	}
	s, err := e.tuiOpts.Start(context.Background())
	if err != nil || s == nil {
		t.Fatalf("start: %v", err)
	}
	if _, err := s.Provider.AddMember(context.Background(), "fieldops", client.MemberSpec{User: "zoe"}); err != nil {
		t.Fatal(err)
	}
	select {
	case w := <-e.tuiOpts.Warnings:
		if !strings.Contains(w, "warning") || !strings.Contains(w, "audit") {
			t.Errorf("warning %q", w)
		}
	default:
		t.Fatal("the audit failure reached no one")
	}
	if r.stderr != "" {
		t.Errorf("stderr under the TUI: %q", r.stderr)
	}
}

package tui

import (
	"errors"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client"
)

// statusLines are the two status lines (above the footer).
func statusLines(h *harness) (string, string) {
	lines := strings.Split(h.view(), "\n")
	n := len(lines)
	return lines[n-3], lines[n-2]
}

// A write's line lasts as long as the write: its name while in flight,
// then its outcome; a refusal leaves no "…making" line behind.
func TestStatusLineBelongsToTheWrite(t *testing.T) {
	t.Parallel()
	p := newMem()
	p.fail["UpdateMember"] = &client.APIError{Kind: client.ErrForbidden, Status: 403, Message: "You do not have permission"}
	h := openMembers(t, p, Options{})
	h.keys("e")
	h.hold = true
	h.keys("g", "enter")
	if first, _ := statusLines(h); !strings.Contains(first, "making ana admin of fieldops…") {
		t.Fatalf("status while in flight = %q", first)
	}
	h.release()
	first, second := statusLines(h)
	if strings.TrimSpace(first) != "" {
		t.Fatalf("status line after the refusal = %q, want it empty", first)
	}
	if !strings.Contains(second, "error: making ana admin of fieldops: You do not have permission") {
		t.Fatalf("error line = %q", second)
	}
}

// An error stays until the next key; a later success never shows under
// an old error, on this screen or another.
func TestErrorStaysUntilTheNextKey(t *testing.T) {
	t.Parallel()
	p := newMem()
	p.fail["UpdateMember"] = errors.New("connection refused")
	h := openMembers(t, p, Options{})
	h.keys("e", "g", "enter")
	h.mustSee("error: making ana admin of fieldops: connection refused")
	h.send(pageMsg[client.Member]{}) // another message, not a key: the error stays
	h.mustSee("error: making ana admin")
	h.keys("j")
	h.mustNotSee("error:")
	delete(p.fail, "UpdateMember")
	h.keys("e", "g", "enter")
	h.mustSee("ben is now admin of fieldops")
	h.mustNotSee("error:")
	// Navigation is a key too: the outcome goes with it.
	h.keys("esc")
	h.mustNotSee("is now admin")
}

// The status bar clips; ! shows every message of the session whole,
// newest first, errors marked.
func TestMessagesViewShowsFullText(t *testing.T) {
	t.Parallel()
	p := newMem()
	long := strings.Repeat("the server explained at length why not ", 6) + "END-OF-REASON"
	p.fail["UpdateMember"] = errors.New(long)
	h := openMembers(t, p, Options{})
	h.keys("e", "g", "enter")
	_, second := statusLines(h)
	if strings.Contains(second, "END-OF-REASON") || !strings.Contains(second, "! full text") {
		t.Fatalf("error line = %q, want it clipped with a pointer to !", second)
	}
	h.keys("!")
	if h.topTitle() != "Messages" {
		t.Fatalf("top = %q, want Messages", h.topTitle())
	}
	h.mustSee("error: making ana admin of fieldops:", "END-OF-REASON")
	flat := strings.Join(strings.Fields(h.view()), " ")
	if !strings.Contains(flat, strings.Join(strings.Fields(long), " ")) {
		t.Fatalf("the messages view lacks the whole error:\n%s", h.view())
	}
	h.keys("esc")
	if h.topTitle() != "Members" {
		t.Fatalf("esc left %q", h.topTitle())
	}
}

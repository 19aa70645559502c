package tui

import (
	"errors"
	"strings"
	"testing"

	"github.com/roster-cli/roster/internal/fakehttp"
)

// The clients already say what failed: the TUI does not say it again.
func TestErrorsSayTheActionOnce(t *testing.T) {
	t.Parallel()
	srv, h := qomonHarness(t)
	srv.Kit().Inject(fakehttp.Fault{Method: "GET", PathPrefix: "/users", Kind: fakehttp.FaultStatus, Status: 500})
	h.keys("ctrl+r")
	h.mustSee("listing users")
	for _, line := range strings.Split(h.view(), "\n") {
		if n := strings.Count(line, "listing users"); n > 1 {
			t.Errorf("the action is said %d times in one line:\n%s", n, line)
		}
	}

	if got := doing("listing users", errors.New("listing users: boom")).Error(); got != "listing users: boom" {
		t.Errorf("doing = %q", got)
	}
	if got := doing("listing users", errors.New("boom")).Error(); got != "listing users: boom" {
		t.Errorf("doing = %q", got)
	}
}

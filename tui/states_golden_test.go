package tui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/roster-cli/roster/internal/fakehttp"
)

// stateCase drives the model to one list state (or the messages view) at
// a size; goldens show loading, empty, failed and stale as they are drawn.
type stateCase struct {
	name string
	run  func(t *testing.T, w, h int) *harness
}

func sized(t *testing.T, p *memProvider, w, ht int) *harness {
	h := newHarness(t, Options{Session: memSession(p)})
	h.send(tea.WindowSizeMsg{Width: w, Height: ht})
	at := time.Date(2026, 12, 5, 14, 7, 9, 0, time.UTC)
	h.m.c.now = func() time.Time { return at }
	return h
}

var stateCases = []stateCase{
	{"orgs_loading", func(t *testing.T, w, ht int) *harness {
		h := sized(t, newMem(), w, ht)
		h.hold = true
		h.keys("2")
		return h
	}},
	{"orgs_empty", func(t *testing.T, w, ht int) *harness {
		p := newMem()
		p.orgs = nil
		h := sized(t, p, w, ht)
		h.keys("2")
		return h
	}},
	{"orgs_failed", func(t *testing.T, w, ht int) *harness {
		p := newMem()
		p.fail["Organizations"] = errors.New(`listing organizations: Get "https://app.qfield.cloud/api/v1/organizations/": dial tcp 127.0.0.1:443: connect: connection refused`)
		h := sized(t, p, w, ht)
		h.keys("2")
		return h
	}},
	{"members_stale", func(t *testing.T, w, ht int) *harness {
		p := newMem()
		h := sized(t, p, w, ht)
		h.keys("2", "enter", "enter")
		h.m.c.now = func() time.Time { return time.Date(2026, 12, 5, 14, 9, 30, 0, time.UTC) }
		p.mu.Lock()
		p.fail["Members"] = errors.New(`listing members of fieldops: Get "https://app.qfield.cloud/api/v1/members/fieldops/": dial tcp 127.0.0.1:443: connect: connection refused`)
		p.mu.Unlock()
		h.keys("ctrl+r")
		return h
	}},
	{"messages", func(t *testing.T, w, ht int) *harness {
		p := newMem()
		p.fail["UpdateMember"] = errors.New("You do not have permission to change the role of a member of this organization; ask an owner or an administrator of fieldops [HTTP 403]")
		h := sized(t, p, w, ht)
		h.keys("2", "enter", "enter", "e", "g", "enter", "j", "e", "g", "enter", "!")
		return h
	}},
	{"q_roles_uncounted", func(t *testing.T, w, ht int) *harness {
		srv, sess := qomonSession(t)
		srv.Kit().Inject(fakehttp.Fault{Method: http.MethodGet, PathPrefix: "/users", Kind: fakehttp.FaultStatus, Status: 403})
		h := newHarness(t, Options{Session: sess})
		h.send(tea.WindowSizeMsg{Width: w, Height: ht})
		h.keys("3")
		h.keys("1", "3") // the users tab's 403 has been seen: the roles in peace
		return h
	}},
}

func TestStateGoldens(t *testing.T) {
	t.Parallel()
	for _, c := range stateCases {
		for _, sz := range [][2]int{{100, 30}, {80, 24}, {60, 15}} {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, sz[0], sz[1]), func(t *testing.T) {
				t.Parallel()
				h := c.run(t, sz[0], sz[1])
				v := h.view()
				if n := strings.Count(v, "\n") + 1; n != sz[1] {
					t.Fatalf("view has %d lines, want %d", n, sz[1])
				}
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// The profile to start on is opened in a command: the first frame is
// drawn before the token is read, and what comes back decides the screen.
func TestStartOpensTheProfileInACommand(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		sess  func() *Session
		err   error
		title string
		want  []string
	}{
		{"session", func() *Session { return memSession(newMem()) }, nil, "Users", []string{"profile test"}},
		{"not signed in", func() *Session { return nil }, nil, "Sign in", []string{"sign in"}},
		{"keyring frozen", func() *Session { return nil }, errors.New("reading the token of profile work: the keyring did not answer within 3s: unlock it, set QFIELDCLOUD_TOKEN, or roster auth login --insecure-storage"),
			"Opening work", []string{"Could not open profile work", "QFIELDCLOUD_TOKEN", "p switches to another profile"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			started, release := make(chan struct{}), make(chan struct{})
			m := newModel(Options{StartProfile: "work", Out: &strings.Builder{}, Start: func(ctx context.Context) (*Session, error) {
				close(started)
				<-release // the keyring is slow
				return c.sess(), c.err
			}})
			m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
			cmd := m.Init()
			if cmd == nil {
				t.Fatal("Init starts nothing")
			}
			done := make(chan tea.Msg, 1)
			go func() { done <- cmd() }()
			<-started
			v := m.View()
			for _, want := range []string{"roster", "profile work", "opening profile work…"} {
				if !strings.Contains(v, want) {
					t.Errorf("first frame lacks %q:\n%s", want, v)
				}
			}
			close(release)
			m.Update(<-done)
			if got := m.top().Title(); got != c.title {
				t.Errorf("screen %q, want %q", got, c.title)
			}
			v = m.View()
			for _, want := range c.want {
				if !strings.Contains(v, want) {
					t.Errorf("view lacks %q:\n%s", want, v)
				}
			}
			if m.busy() != "" && c.err != nil {
				t.Errorf("still busy after a failed open: %q", m.busy())
			}
		})
	}
}

// After a failed start, p switches to a profile that works.
func TestStartFailedThenSwitchProfile(t *testing.T) {
	t.Parallel()
	mem := memSession(newMem())
	m := newModel(Options{
		StartProfile: "work", Out: &strings.Builder{},
		Start:    func(context.Context) (*Session, error) { return nil, errors.New("keyring locked") },
		Profiles: func() []ProfileEntry { return []ProfileEntry{{Name: "work"}, {Name: "test"}} },
		Open:     func(context.Context, string) (*Session, error) { return mem, nil },
	})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(m.Init()())
	run := func(msg tea.Msg) {
		for _, msg := range collect(func() tea.Msg { return msg }) {
			_, cmd := m.Update(msg)
			for _, next := range collect(cmd) {
				_, cmd2 := m.Update(next)
				for _, last := range collect(cmd2) {
					m.Update(last)
				}
			}
		}
	}
	run(keyMsg("p"))
	if !strings.Contains(m.View(), "Switch profile") {
		t.Fatalf("p did not open the switcher:\n%s", m.View())
	}
	run(keyMsg("j"))
	run(keyMsg("enter"))
	if m.c.Session == nil || m.top().Title() != "Users" {
		t.Fatalf("not on the opened profile:\n%s", m.View())
	}
}

// --read-only shows its badge from the first frame on.
func TestStartReadOnlyBadge(t *testing.T) {
	t.Parallel()
	m := newModel(Options{StartProfile: "work", ReadOnly: true, Out: &strings.Builder{},
		Start: func(context.Context) (*Session, error) { return nil, errors.New("keyring locked") }})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if !strings.Contains(m.View(), "READ-ONLY") {
		t.Errorf("no read-only badge while opening:\n%s", m.View())
	}
}

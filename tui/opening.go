package tui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// openingScreen stands while the profile to start on is opened: its token
// is read from the keyring in a command, which can take up to the
// keyring's timeout or fail, so the first frame never waits for it. When
// opening fails it says why and what the user can do.
type openingScreen struct {
	base
	profile string
	err     string
}

// startedMsg is the answer to Options.Start.
type startedMsg struct {
	sess *Session
	err  error
}

func newOpening(c *Common, profile string) *openingScreen {
	return &openingScreen{base: newBase(c), profile: profile}
}

func (s *openingScreen) Title() string { return "Opening " + san(s.profile) }

func (s *openingScreen) Update(tea.Msg) tea.Cmd { return nil }

func (s *openingScreen) View() string {
	st := s.c.Styles
	if s.err == "" {
		return st.Dim.Render("opening profile " + san(s.profile) + "…")
	}
	w := max(s.w, 20)
	return lipgloss.JoinVertical(lipgloss.Left,
		st.Error.Render("Could not open profile "+san(s.profile)+":"),
		"",
		lipgloss.NewStyle().Width(w).Render(san(s.err)),
		"",
		st.Dim.Render("p switches to another profile · q quits"),
	)
}

// start runs Options.Start with the request timeout.
func (m *Model) start() tea.Cmd {
	start, ctx, timeout := m.opts.Start, m.c.Ctx, m.c.Timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		sess, err := start(ctx)
		return startedMsg{sess, err}
	}
}

// started installs the session the app starts on, the sign-in screen when
// there is none, or the reason opening failed.
func (m *Model) started(msg startedMsg) tea.Cmd {
	if _, ok := m.stacks[0][0].(*openingScreen); !ok || m.c.Session != nil {
		return nil // the user opened another profile meanwhile
	}
	if m.opening == m.opts.StartProfile {
		m.opening = ""
	}
	switch {
	case msg.err != nil:
		if s, ok := m.top().(*openingScreen); ok {
			s.err = msg.err.Error()
		}
		m.c.Fail(msg.err)
		return nil
	case msg.sess == nil:
		m.closeAll()
		m.stacks = [][]Screen{{newSignIn(m.c, m.opts)}}
		m.inited = []bool{false}
		m.active = 0
		m.resize()
		return m.activate()
	}
	m.setSession(msg.sess)
	if msg.sess.Source == "file" {
		m.c.Toast("token read from credentials.toml (insecure storage)")
	}
	return m.activate()
}

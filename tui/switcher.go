package tui

import (
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// profilesMsg brings the profile list for the switcher.
type profilesMsg struct{ list []ProfileEntry }

// sessionMsg is a profile opened (switcher) or a sign-in that succeeded;
// from is the screen that asked, to show an error in place.
type sessionMsg struct {
	from int
	name string
	sess *Session
	err  error
}

// listProfiles reads the profiles in a command (Profiles may touch disk).
func (m *Model) listProfiles() tea.Cmd {
	list := m.opts.Profiles
	return func() tea.Msg { return profilesMsg{list: list()} }
}

func (m *Model) openSwitcher(msg profilesMsg) tea.Cmd {
	if len(msg.list) == 0 {
		m.c.Toast("no profiles: add one with roster auth login")
		return nil
	}
	opts := make([]option, len(msg.list))
	current := ""
	for i, p := range msg.list {
		var tags []string
		tags = append(tags, san(p.Kind))
		if p.URL != "" {
			tags = append(tags, san(p.URL))
		}
		if p.Demo {
			tags = append(tags, "demo")
		}
		if p.Active {
			tags = append(tags, "active")
		}
		opts[i] = option{Label: san(p.Name), Value: p.Name, Desc: strings.Join(tags, " · ")}
		if m.c.Session != nil && p.Name == m.c.Session.Profile {
			current = p.Name
		}
	}
	open, ctx, timeout := m.opts.Open, m.c.Ctx, m.c.Timeout
	picker := newPicker(m.c, "Switch profile", opts, current, func(o option) tea.Msg {
		return openProfileMsg{name: o.Value, run: func() tea.Msg {
			rctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			sess, err := open(rctx, o.Value)
			return sessionMsg{name: o.Value, sess: sess, err: err}
		}}
	})
	m.stacks[m.active] = append(m.stacks[m.active], picker)
	f := m.frame()
	picker.SetSize(f.Width, max(f.Body, 1))
	return nil
}

// openProfileMsg carries the chosen profile's open command out of the
// picker: the root shows it as in flight and runs it.
type openProfileMsg struct {
	name string
	run  tea.Cmd
}

func (m *Model) openedSession(msg sessionMsg) tea.Cmd {
	m.opening = ""
	if msg.err != nil {
		if s := m.find(msg.from); s != nil && msg.from != 0 {
			return s.Update(msg) // sign-in shows it inline
		}
		m.c.Fail(fmt.Errorf("opening profile %s: %w", msg.name, msg.err))
		return nil
	}
	m.setSession(msg.sess)
	if msg.sess.Source == "file" {
		m.c.Toast("opened profile %s (token from credentials.toml: insecure storage)", msg.sess.Profile)
	} else {
		m.c.Toast("opened profile %s", msg.sess.Profile)
	}
	return m.activate()
}

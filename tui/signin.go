package tui

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// signInScreen collects what `roster auth login` asks for and calls
// Options.SignIn in a command; a refusal is shown inline.
type signInScreen struct {
	base
	signIn   func(context.Context, SignInRequest) (*Session, error)
	kinds    []SignInProvider
	provider int // index into kinds
	fields   []*lineInput
	focus    int // 0 = provider choice, then the fields in view
	problem  string
	waiting  bool
	req      int
}

const (
	fURL = iota
	fProfile
	fUser
	fPassword
	fToken
)

func newSignIn(c *Common, opts Options) *signInScreen {
	m := &signInScreen{base: newBase(c), signIn: opts.SignIn, kinds: opts.SignInProviders}
	m.fields = []*lineInput{
		{Prompt: "URL       ", Limit: 300},
		{Prompt: "Profile   ", Limit: 100},
		{Prompt: "Username  ", Limit: 200},
		{Prompt: "Password  ", Limit: 500, Secret: true},
		{Prompt: "API token ", Limit: 2000, Secret: true},
	}
	return m
}

func (m *signInScreen) Title() string   { return "Sign in" }
func (m *signInScreen) Capturing() bool { return true }

// Typing: focus 0 is the provider choice, the others are text fields.
func (m *signInScreen) Typing() bool { return m.focus > 0 }
func (m *signInScreen) Busy() string {
	if m.waiting {
		return "signing in…"
	}
	return ""
}

// chosen is the provider picked (none when the app offers none).
func (m *signInScreen) chosen() SignInProvider {
	if m.provider < len(m.kinds) {
		return m.kinds[m.provider]
	}
	return SignInProvider{}
}

// visible lists the fields the chosen provider asks for.
func (m *signInScreen) visible() []int {
	if m.chosen().PasswordLogin {
		return []int{fURL, fProfile, fUser, fPassword}
	}
	return []int{fURL, fProfile, fToken}
}

func (m *signInScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case sessionMsg:
		if msg.err != nil && m.waiting {
			m.waiting = false
			m.problem = san(msg.err.Error())
		}
		return nil
	case tea.KeyMsg:
		if m.waiting {
			return nil
		}
		vis := m.visible()
		switch msg.String() {
		case "tab", "down":
			m.focus = (m.focus + 1) % (len(vis) + 1)
			return nil
		case "shift+tab", "up":
			m.focus = (m.focus + len(vis)) % (len(vis) + 1)
			return nil
		case "enter":
			if m.focus < len(vis) {
				m.focus++
				return nil
			}
			return m.submit()
		}
		if m.focus == 0 {
			switch msg.String() {
			case "right", " ", "l":
				if n := len(m.kinds); n > 0 {
					m.provider = (m.provider + 1) % n
				}
				m.problem = ""
			case "left", "h":
				if n := len(m.kinds); n > 0 {
					m.provider = (m.provider + n - 1) % n
				}
				m.problem = ""
			}
			return nil
		}
		m.fields[vis[m.focus-1]].Update(msg)
		m.problem = ""
	}
	return nil
}

func (m *signInScreen) submit() tea.Cmd {
	if len(m.kinds) == 0 {
		m.problem = "no providers to sign in to: run roster auth login"
		return nil
	}
	req := SignInRequest{
		Provider: m.chosen().Kind,
		URL:      strings.TrimSpace(m.fields[fURL].Value()),
		Profile:  strings.TrimSpace(m.fields[fProfile].Value()),
	}
	if m.chosen().PasswordLogin {
		req.Username = strings.TrimSpace(m.fields[fUser].Value())
		req.Password = m.fields[fPassword].Value()
		if req.Username == "" || req.Password == "" {
			m.problem = "enter a username and a password"
			return nil
		}
	} else {
		req.Token = strings.TrimSpace(m.fields[fToken].Value())
		if req.Token == "" {
			m.problem = "enter the API token"
			return nil
		}
	}
	if m.signIn == nil {
		m.problem = "signing in is not available here: run roster auth login"
		return nil
	}
	m.waiting = true
	m.problem = ""
	ctx, cancel := m.reqCtx()
	fn, id := m.signIn, m.id
	return func() tea.Msg {
		defer cancel()
		sess, err := fn(ctx, req)
		if err == nil && sess == nil {
			err = fmt.Errorf("signing in: no session returned")
		}
		return sessionMsg{from: id, name: req.Profile, sess: sess, err: err}
	}
}

func (m *signInScreen) View() string {
	st := m.c.Styles
	inner := max(30, min(m.w-6, 70))
	var lines []string
	lines = append(lines, st.Head.Render("Sign in to a membership service"), "")
	choice := make([]string, len(m.kinds))
	for i, p := range m.kinds {
		if i == m.provider {
			choice[i] = st.ButtonFocused.Render("(•) " + san(p.Kind))
		} else {
			choice[i] = st.Button.Render("( ) " + san(p.Kind))
		}
	}
	mark := "  "
	if m.focus == 0 {
		mark = "› "
	}
	lines = append(lines, mark+"Provider  "+strings.Join(choice, "  "))
	for i, f := range m.visible() {
		mark := "  "
		if m.focus == i+1 {
			mark = "› "
		}
		lines = append(lines, mark+m.fields[f].View(inner-2, m.focus == i+1))
	}
	lines = append(lines, "")
	switch {
	case m.problem != "":
		lines = append(lines, st.Error.Render(clip(m.problem, inner)))
	default:
		lines = append(lines, st.Dim.Render(clip("URL empty = "+san(urlHost(m.chosen().DefaultURL))+" · profile empty = derived", inner)))
	}
	return dialogBox(m.c, m.w, m.h, strings.Join(lines, "\n"))
}

// urlHost is the host of a default URL, for the hint line.
func urlHost(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

func (m *signInScreen) ShortHelp() []Hint {
	return []Hint{
		{B: bind([]string{"tab"}, "tab/↓", ""), Desc: "next field"},
		{B: bind([]string{"left"}, "←/→", ""), Desc: "provider"},
		{B: m.c.Keys.Open, Desc: "next / sign in"},
		{B: m.c.Keys.ForceQuit, Desc: "quit"},
	}
}

func (m *signInScreen) FullHelp() [][]Hint { return [][]Hint{m.ShortHelp()} }

// Package tui is roster's terminal UI: one root model routing between
// screens (users, organizations, members, teams) that work only through
// client.Provider and its capabilities. All IO runs in tea.Cmds whose
// answers carry the id of the screen and request they belong to.
package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/roster-cli/roster/client"
)

// Model is the root: it owns the session, the screen stacks (one per
// top-level screen), the help overlay and the status line.
type Model struct {
	opts   Options
	c      *Common
	cancel context.CancelFunc

	stacks [][]Screen // stacks[i][0] is top-level screen i
	inited []bool
	active int

	opening    string // profile being opened by the switcher
	askMe      bool   // the session's person is yet to be asked for
	help       bool
	helpOffset int
	spin       spinner.Model
	spinning   bool
	quitting   bool
	undoing    string // the undo in flight
	undoWID    int    // its id among the writes in flight
	width      int
	height     int
	out        io.Writer
}

var _ tea.Model = (*Model)(nil)

// New builds the root model. With opts.Session nil it opens on sign-in.
func New(opts Options) tea.Model { return newModel(opts) }

func newModel(opts Options) *Model {
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Out == nil {
		opts.Out = os.Stdout
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Model{
		opts:   opts,
		cancel: cancel,
		spin:   spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		out:    opts.Out,
	}
	m.c = &Common{Ctx: ctx, Styles: NewStyles(), Keys: NewKeyMap(opts.ReadOnly), ReadOnly: opts.ReadOnly, Timeout: opts.Timeout}
	switch {
	case opts.Session != nil:
		m.setSession(opts.Session)
	case opts.Start != nil:
		m.stacks = [][]Screen{{newOpening(m.c, opts.StartProfile)}}
		m.inited = []bool{true}
		m.opening = opts.StartProfile
	default:
		m.stacks = [][]Screen{{newSignIn(m.c, opts)}}
		m.inited = []bool{false}
	}
	return m
}

// setSession replaces every screen with the top-level screens of sess.
func (m *Model) setSession(sess *Session) {
	m.closeAll()
	// The provider's read-only guard is internal/session's (the one place
	// providers are wrapped); here read-only disables the write keys.
	ro := m.opts.ReadOnly || sess.ReadOnly
	sess.ReadOnly = ro
	m.c.Session = sess
	m.askMe = true
	m.c.ReadOnly = ro
	m.c.Keys = NewKeyMap(ro)
	m.c.err = ""
	tops := []Screen{newUsers(m.c)}
	if sess.Provider.Can(client.CapOrganizations) {
		tops = append(tops, newOrgs(m.c))
	} else {
		// A provider whose token selects one space: its users (with
		// their roles) and teams are top-level screens, and so are its
		// roles and invitations where it has them.
		tops = append(tops, newTeams(m.c, sess.Org, ""))
		if sess.Provider.Can(client.CapUserRole) {
			tops = append(tops, newSpaceRoles(m.c))
		}
		if sess.Provider.Can(client.CapInvitations) {
			tops = append(tops, newInvitations(m.c))
		}
	}
	m.stacks = make([][]Screen, len(tops))
	m.inited = make([]bool, len(tops))
	for i, s := range tops {
		m.stacks[i] = []Screen{s}
	}
	m.active = 0
	m.help = false
	m.resize()
}

func (m *Model) closeAll() {
	for _, st := range m.stacks {
		for _, s := range st {
			s.Close()
		}
	}
}

func (m *Model) top() Screen {
	st := m.stacks[m.active]
	return st[len(st)-1]
}

func (m *Model) frame() Frame {
	return layout(m.width, m.height, layoutState{SignedIn: m.c.Session != nil})
}

func (m *Model) resize() {
	f := m.frame()
	m.c.Width, m.c.Height = f.Width, f.Body
	for _, st := range m.stacks {
		for _, s := range st {
			s.SetSize(f.Width, max(f.Body, 1))
		}
	}
}

// Init starts the first screen.
func (m *Model) Init() tea.Cmd {
	warn := m.waitWarning()
	if m.c.Session == nil && m.opts.Start != nil {
		return tea.Batch(m.start(), warn)
	}
	return tea.Batch(m.activate(), warn)
}

// warningMsg is one warning from the session layer (Options.Warnings).
type warningMsg string

// waitWarning waits for the next warning; it is started again after each.
func (m *Model) waitWarning() tea.Cmd {
	ch := m.opts.Warnings
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		w, ok := <-ch
		if !ok {
			return nil
		}
		return warningMsg(w)
	}
}

// shower is a top-level screen that refreshes when its tab comes back
// (counts that other screens' writes change).
type shower interface{ Shown() tea.Cmd }

// activate runs Init of the active top-level screen the first time it is
// shown, so tabs never visited cost no requests.
func (m *Model) activate() tea.Cmd {
	if m.c.Session != nil && m.askMe {
		m.askMe = false
		return tea.Batch(m.knowMe(m.c.Session), m.activate())
	}
	if m.inited[m.active] {
		if cmd := m.revisit(); cmd != nil {
			return cmd
		}
		if s, ok := m.stacks[m.active][0].(shower); ok && len(m.stacks[m.active]) == 1 {
			return s.Shown()
		}
		return nil
	}
	m.inited[m.active] = true
	return m.stacks[m.active][0].Init()
}

// Update routes a message: keys to the top screen (after the global
// keys), answers to the screen that asked, by id.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	cmd = tea.Batch(cmd, m.navigate())
	cmd = tea.Batch(cmd, m.spinner())
	m.c.spin = m.spin.View()
	return m, cmd
}

// openedBy reports whether s (details) was opened by the screen from,
// whose dialogs (a role picker started by e in the details) open over it.
func openedBy(s Screen, from int) bool {
	o, ok := s.(interface{ opener() int })
	return ok && o.opener() == from && from != 0
}

// navigate applies the stack changes screens asked for in this Update.
func (m *Model) navigate() tea.Cmd {
	var cmds []tea.Cmd
	for len(m.c.nav) > 0 {
		op := m.c.nav[0]
		m.c.nav = m.c.nav[1:]
		if m.top().ID() != op.from && !openedBy(m.top(), op.from) {
			continue // the user moved on before the answer came
		}
		if op.push != nil {
			m.stacks[m.active] = append(m.stacks[m.active], op.push)
			f := m.frame()
			op.push.SetSize(f.Width, max(f.Body, 1))
			cmds = append(cmds, op.push.Init())
			continue
		}
		m.popTop()
		if op.then != nil {
			cmds = append(cmds, m.update(op.then))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return nil
	case tea.KeyMsg:
		if isTerminalReply(msg.Runes, msg.Alt) {
			return nil // a late answer to the background question
		}
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			return m.burst(msg)
		}
		return m.key(msg)
	case tea.MouseMsg:
		if m.help {
			return nil
		}
		return m.top().Update(msg)
	case warningMsg:
		m.c.Fail(errors.New(string(msg)))
		return m.waitWarning()
	case quitWhenIdleMsg:
		// Quit once nothing is in flight: tests compare settled screens.
		if m.busyAnywhere() {
			return tea.Tick(5*time.Millisecond, func(time.Time) tea.Msg { return quitWhenIdleMsg{} })
		}
		return tea.Quit
	case spinner.TickMsg:
		if m.busy() == "" {
			m.spinning = false // stop: no timer runs while idle
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case sessionMsg:
		return m.openedSession(msg)
	case startedMsg:
		return m.started(msg)
	case profilesMsg:
		return m.openSwitcher(msg)
	case openProfileMsg:
		m.opening = msg.name
		return msg.run
	case copiedMsg:
		if msg.err != nil {
			m.c.Fail(msg.err)
		} else {
			m.c.Toast("copied %s", msg.what)
		}
		return nil
	case meMsg:
		return m.gotMe(msg)
	case undoCheckedMsg:
		return m.undoChecked(msg)
	case undoConfirmedMsg:
		return m.runUndo(msg)
	case undoneMsg:
		return m.undone(msg)
	case teamChangedMsg:
		// Every screen showing the team takes the server's version.
		var cmds []tea.Cmd
		for _, st := range m.stacks {
			for _, s := range st {
				cmds = append(cmds, s.Update(msg))
			}
		}
		return tea.Batch(cmds...)
	case routed:
		if a, ok := msg.(activityMsg); ok {
			rec := a.activity()
			m.c.landed(rec.wid)
			if rec.err == nil {
				m.c.gen++
			}
			m.c.record(rec)
			if as, ok := m.top().(*activityScreen); ok {
				as.refresh()
			}
		}
		if s := m.find(msg.screen()); s != nil {
			return s.Update(msg)
		}
		// The screen is gone; a write's outcome is still worth a line.
		if r, ok := msg.(reporter); ok {
			okText, err := r.report()
			if err != nil {
				m.c.Fail(err)
			} else if okText != "" {
				m.c.Toast("%s", okText)
			}
		}
		return nil
	}
	return nil
}

func (m *Model) find(id int) Screen {
	for _, st := range m.stacks {
		for _, s := range st {
			if s.ID() == id {
				return s
			}
		}
	}
	return nil
}

// revisit reloads the screen coming back into view when a write
// succeeded since it loaded: what it shows may be what this session
// changed elsewhere (a team's leaders changed inside it, a member
// removed from the organization and so from its teams).
func (m *Model) revisit() tea.Cmd {
	top := m.top()
	g, ok := top.(generational)
	if !ok || !g.behind() {
		return nil
	}
	g.caughtUp()
	return top.Reload()
}

func (m *Model) popTop() {
	st := m.stacks[m.active]
	if len(st) <= 1 {
		return
	}
	st[len(st)-1].Close()
	m.stacks[m.active] = st[:len(st)-1]
}

func (m *Model) quit() tea.Cmd {
	m.quitting = true
	m.closeAll()
	m.cancel()
	return tea.Quit
}

// globalHints are the keys the root handles, with reasons when they
// cannot act.
func (m *Model) globalHints() []Hint {
	km := m.c.Keys
	var h []Hint
	if len(m.stacks) > 1 {
		h = append(h, hint(km.Next, "", ""), hint(km.Prev, "", ""), hint(km.Nth, "", ""))
	}
	_, opening := m.stacks[0][0].(*openingScreen)
	if m.c.Session != nil || opening {
		reason := ""
		if m.opts.Profiles == nil || m.opts.Open == nil {
			reason = "no profiles to switch to"
		}
		h = append(h, hint(km.Profile, "", reason))
	}
	if m.c.Session != nil {
		_, why := m.undoChoice()
		h = append(h, hint(km.Undo, "", why), hint(km.Activity, "", ""), hint(km.Messages, "", ""))
	}
	return append(h, hint(km.Help, "", ""), hint(km.Quit, "", ""))
}

func (m *Model) key(k tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	if km.ForceQuit.Matches(k) {
		return m.quit()
	}
	// A key starts something new: the last outcome and error have been
	// seen (they stay whole in the messages view).
	m.c.status, m.c.err = "", ""
	if m.help {
		switch {
		case km.Help.Matches(k), km.Back.Matches(k):
			m.help = false
		case km.Quit.Matches(k):
			return m.quit()
		case km.Up.Matches(k):
			m.helpOffset = max(0, m.helpOffset-1)
		case km.Down.Matches(k):
			m.helpOffset++
		}
		return nil
	}
	top := m.top()
	if top.Capturing() {
		return top.Update(k)
	}
	groups := append(top.FullHelp(), m.globalHints())
	if reason, off := disabledReason(groups, k); off {
		m.c.Toast("%s: %s", k.String(), reason)
		return nil
	}
	switch {
	case km.Quit.Matches(k):
		return m.quit()
	case km.Help.Matches(k):
		m.help, m.helpOffset = true, 0
		return nil
	case km.Back.Matches(k):
		if done, cmd := top.Back(); done {
			return cmd
		}
		m.popTop() // never quits: at the bottom it does nothing
		return m.revisit()
	case km.Copy.Matches(k):
		text := top.Copy()
		if text == "" {
			m.c.Toast("nothing to copy here")
			return nil
		}
		return copyCmd(m.out, text)
	case km.Reload.Matches(k):
		if g, ok := top.(generational); ok {
			g.caughtUp()
		}
		return top.Reload()
	}
	if _, opening := m.stacks[0][0].(*openingScreen); opening && km.Profile.Matches(k) {
		return m.listProfiles() // the profile to start on could not be opened
	}
	if m.c.Session != nil {
		n := len(m.stacks)
		switch {
		case km.Next.Matches(k) && n > 1:
			m.active = (m.active + 1) % n
			return m.activate()
		case km.Prev.Matches(k) && n > 1:
			m.active = (m.active + n - 1) % n
			return m.activate()
		case km.Nth.Matches(k):
			i := int(k.Runes[0] - '1')
			if i < n {
				m.active = i
				return m.activate()
			}
			return nil
		case km.Profile.Matches(k):
			return m.listProfiles()
		case km.Undo.Matches(k):
			return m.askUndo()
		case km.Activity.Matches(k):
			return m.pushOnTop(newActivity(m.c))
		case km.Messages.Matches(k):
			return m.pushOnTop(newMessages(m.c))
		}
	}
	return top.Update(k)
}

// burst handles several runes read at once (a fast typist, key repeat,
// tmux send-keys, a paste without bracketed paste): Bubble Tea v1 delivers
// them as one KeyRunes message. Outside a text input each rune is a key of
// its own, applied in order with the stack changes it causes (so "e" then
// "k" reaches the dialog "e" opened); once a text input has the focus, the
// rest is text for it.
func (m *Model) burst(k tea.KeyMsg) tea.Cmd {
	var cmds []tea.Cmd
	for i, r := range k.Runes {
		if m.quitting {
			break
		}
		if !m.help && typing(m.top()) {
			rest := k
			rest.Runes = k.Runes[i:]
			cmds = append(cmds, m.key(rest))
			break
		}
		cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt}), m.navigate())
	}
	return tea.Batch(cmds...)
}

// typer is a screen with a text input that may have the focus.
type typer interface{ Typing() bool }

// typing reports whether s has a text input in focus: there runes are
// text, never keys.
func typing(s Screen) bool {
	t, ok := s.(typer)
	return ok && t.Typing()
}

// quitWhenIdleMsg quits as soon as no request is in flight.
type quitWhenIdleMsg struct{}

// busy names what is in flight on the active stack.
func (m *Model) busy() string {
	if m.opening != "" {
		return "opening profile " + san(m.opening) + "…"
	}
	if m.undoing != "" {
		return san(m.undoing)
	}
	st := m.stacks[m.active]
	for i := len(st) - 1; i >= 0; i-- {
		if b := st[i].Busy(); b != "" {
			return b
		}
	}
	return ""
}

// busyAnywhere reports a request in flight on any stack (a tab in the
// background may still be loading what the header shows).
func (m *Model) busyAnywhere() bool {
	if m.opening != "" || m.undoing != "" {
		return true
	}
	for _, st := range m.stacks {
		for _, s := range st {
			if s.Busy() != "" {
				return true
			}
		}
	}
	return false
}

// spinner starts the spinner when a request is in flight; its ticks stop
// by themselves once nothing is.
func (m *Model) spinner() tea.Cmd {
	if m.spinning || m.busy() == "" {
		return nil
	}
	m.spinning = true
	return m.spin.Tick
}

// View draws header, body, status and footer, each sized by layout.
func (m *Model) View() string {
	f := m.frame()
	if f.TooSmall {
		w, h := max(m.width, 1), max(m.height, 1)
		msg := fmt.Sprintf("terminal too small: need %d×%d, have %d×%d", minWidth, minHeight, m.width, m.height)
		return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, lipgloss.NewStyle().Width(w).Align(lipgloss.Center).Render(msg))
	}
	var b strings.Builder
	b.WriteString(m.header(f))
	b.WriteString("\n")
	body := ""
	if m.help {
		body = m.helpView(f)
	} else {
		body = padLines(m.top().View(), f.Body)
	}
	b.WriteString(body)
	b.WriteString("\n")
	b.WriteString(m.status(f, body))
	b.WriteString("\n")
	b.WriteString(m.footer(f))
	return b.String()
}

func (m *Model) header(f Frame) string {
	st := m.c.Styles
	sess := m.c.Session
	if sess == nil {
		if s, ok := m.stacks[0][0].(*openingScreen); ok {
			line := st.App.Render("roster") + "  " + st.Dim.Render("profile "+san(s.profile))
			if m.c.ReadOnly {
				badge := st.Badge.Render(" READ-ONLY ")
				room := f.Width - lipgloss.Width(badge) - 1
				line = fit(clip(line, room), room) + " " + badge
			}
			return clip(line, f.Width)
		}
		return clip(st.App.Render("roster")+"  "+st.Dim.Render("sign in"), f.Width)
	}
	parts := []string{"profile " + san(sess.Profile), san(sess.Kind)}
	if !sess.Provider.Can(client.CapOrganizations) {
		// The token selects one space; the API gives its id, no name.
		if m.c.space != "" {
			parts = append(parts, "space "+san(m.c.space))
		} else {
			parts = append(parts, "the token's space")
		}
	}
	if sess.Username != "" {
		parts = append(parts, "user "+san(sess.Username))
	}
	if sess.Source != "" {
		parts = append(parts, "token: "+san(sess.Source))
	}
	line := st.App.Render("roster") + "  " + strings.Join(parts, " · ")
	if sess.ReadOnly {
		badge := st.Badge.Render(" READ-ONLY ")
		room := f.Width - lipgloss.Width(badge) - 1
		line = fit(clip(line, room), room) + " " + badge
	}
	tabs := make([]string, len(m.stacks))
	for i, stck := range m.stacks {
		label := fmt.Sprintf("%d %s", i+1, stck[0].Title())
		if i == m.active {
			tabs[i] = st.ActiveTab.Render("[" + label + "]")
		} else {
			tabs[i] = st.Tab.Render(" " + label + " ")
		}
	}
	stack := m.stacks[m.active]
	crumbs := make([]string, 0, len(stack))
	for _, s := range stack[1:] {
		crumbs = append(crumbs, s.Title())
	}
	second := strings.Join(tabs, " ")
	if len(crumbs) > 0 {
		second += st.Crumb.Render("  › " + strings.Join(crumbs, " › "))
	}
	return clip(line, f.Width) + "\n" + clip(second, f.Width)
}

func (m *Model) status(f Frame, body string) string {
	st := m.c.Styles
	var first string
	// The newest line wins: an outcome or a reason given since the last
	// key, else what is in flight (unless the body already says it: a
	// list waiting for its first answer).
	if m.c.status != "" {
		first = st.OK.Render(clip(m.c.status, f.Width))
	} else if b := m.busy(); b != "" && !strings.Contains(body, b) {
		first = m.spin.View() + " " + b
	}
	second := ""
	if m.c.err != "" {
		second = errorLine(st, m.c.err, f.Width)
	}
	return clip(first, f.Width) + "\n" + second
}

func (m *Model) footer(f Frame) string {
	km := m.c.Keys
	if m.help {
		return renderShort(m.c.Styles, []Hint{
			{B: km.Up, Desc: "scroll"}, {B: km.Help, Desc: "close help"}, {B: km.Quit, Desc: "quit"},
		}, f.Width, 2)
	}
	top := m.top()
	if fh, ok := top.(filterHinter); ok {
		if h := fh.filterHints(km); h != nil {
			return renderShort(m.c.Styles, h, f.Width, 1)
		}
	}
	hints := top.ShortHelp()
	if top.Capturing() {
		return renderShort(m.c.Styles, hints, f.Width, 0)
	}
	// Then, where they apply: undo, copy, activity, reload; ? and q
	// always stay.
	has := map[string]bool{}
	for _, h := range hints {
		has[h.B.Help().Key] = true
	}
	extra := func(h Hint) {
		if !has[h.B.Help().Key] {
			hints = append(hints, h)
		}
	}
	if m.c.Session != nil {
		if _, why := m.undoChoice(); why == "" {
			extra(hint(km.Undo, "undo", ""))
		}
	}
	if top.Copy() != "" {
		extra(hint(km.Copy, "copy", ""))
	}
	if m.c.Session != nil && len(m.c.activity) > 0 {
		extra(hint(km.Activity, "activity", ""))
	}
	if reloads(top) {
		extra(hint(km.Reload, "reload", ""))
	}
	hints = append(hints, hint(km.Help, "", ""), hint(km.Quit, "", ""))
	return renderShort(m.c.Styles, hints, f.Width, 2)
}

// reloads reports whether the screen offers ctrl+r (its help lists it,
// enabled).
func reloads(s Screen) bool {
	for _, g := range s.FullHelp() {
		for _, h := range g {
			if h.B.Help().Key == "ctrl+r" && h.Reason == "" {
				return true
			}
		}
	}
	return false
}

// filterHinter is a screen with a filter line: while it has the focus
// the footer shows the filter's own keys.
type filterHinter interface {
	filterHints(km *KeyMap) []Hint
}

func (m *Model) helpView(f Frame) string {
	top := m.top()
	screen := helpSection{Title: top.Title(), Groups: top.FullHelp()}
	global := helpSection{Title: "Everywhere", Groups: [][]Hint{m.globalHints(), {
		hint(m.c.Keys.Back, "back / close dialog", ""), hint(m.c.Keys.ForceQuit, "quit, also in inputs", ""),
	}}}
	version := m.opts.Version
	if version == "" {
		version = "unknown (built from source)"
	}
	var lines []string
	if f.Width >= 96 {
		// Two columns: the screen's keys, then the global ones.
		half := f.Width / 2
		left := renderFull(m.c.Styles, []helpSection{screen}, half-2)
		right := renderFull(m.c.Styles, []helpSection{global}, half-2)
		for i := 0; i < max(len(left), len(right)); i++ {
			l, r := "", ""
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			lines = append(lines, l+strings.Repeat(" ", max(0, half-lipgloss.Width(l)))+r)
		}
	} else {
		lines = renderFull(m.c.Styles, []helpSection{screen, global}, f.Width)
	}
	lines = append(lines, "", m.c.Styles.Dim.Render("roster "+san(version)))
	off := min(m.helpOffset, max(0, len(lines)-f.Body))
	return padLines(strings.Join(lines[off:], "\n"), f.Body)
}

package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// undoOp is the inverse of one write: what `u` sends after the user
// confirmed the exact request.
type undoOp struct {
	what    string // "make bob member of acme again"
	request string // the request in words, with every value sent
	do      func(ctx context.Context) error
}

// activity is one write of this session, newest last.
type activity struct {
	what   string // the write, as the status bar named it
	err    error
	undo   *undoOp // nil: no inverse
	why    string  // when undo is nil: why not
	undone bool
}

// activityMsg is implemented by write answers, so the root can keep this
// session's activity even when the screen that wrote is gone.
type activityMsg interface {
	activity() activity
}

// record appends a write's outcome to the session's activity.
func (c *Common) record(a activity) {
	c.activity = append(c.activity, a)
}

// lastUndo finds the newest successful write not yet undone; the reason
// says why `u` cannot act when there is none or it has no inverse.
func (c *Common) lastUndo() (int, string) {
	for i := len(c.activity) - 1; i >= 0; i-- {
		a := c.activity[i]
		if a.err != nil || a.undone {
			continue
		}
		if a.undo == nil {
			return -1, "no inverse for the last write: " + a.why
		}
		return i, ""
	}
	return -1, "nothing to undo in this session"
}

// undoConfirmedMsg: the user confirmed undoing activity idx.
type undoConfirmedMsg struct{ idx int }

// undoneMsg is the answer to an undo.
type undoneMsg struct {
	idx int
	err error
}

// askUndo opens the confirmation naming exactly what will be sent.
func (m *Model) askUndo() tea.Cmd {
	idx, reason := m.c.lastUndo()
	if idx < 0 {
		m.c.Toast("u: %s", reason)
		return nil
	}
	op := m.c.activity[idx].undo
	d := newConfirm(m.c, "Undo", "Undo “"+m.c.activity[idx].what+"”: "+op.what+".\n\nroster will send: "+op.request, "Undo", undoConfirmedMsg{idx})
	return m.pushOnTop(d)
}

// pushOnTop opens s over the screen in view (applied by navigate).
func (m *Model) pushOnTop(s Screen) tea.Cmd {
	m.c.nav = append(m.c.nav, navOp{from: m.top().ID(), push: s})
	return nil
}

// runUndo sends the inverse in a command.
func (m *Model) runUndo(idx int) tea.Cmd {
	op := m.c.activity[idx].undo
	m.c.Toast("%s…", op.what)
	ctx, cancel := m.c.request(m.c.Ctx)
	return func() tea.Msg {
		defer cancel()
		return undoneMsg{idx: idx, err: op.do(ctx)}
	}
}

// undone records the outcome and reloads the screen in view.
func (m *Model) undone(msg undoneMsg) tea.Cmd {
	a := &m.c.activity[msg.idx]
	if msg.err != nil {
		m.c.Fail(fmt.Errorf("undo: %s: %w", a.undo.what, msg.err))
		m.c.record(activity{what: "undo: " + a.undo.what, err: msg.err, why: "an undo is not undone"})
		return nil
	}
	a.undone = true
	m.c.Toast("undone: %s", a.undo.what)
	m.c.record(activity{what: "undo: " + a.undo.what, why: "an undo is not undone"})
	return m.top().Reload()
}

// activityScreen lists this session's writes, newest first.
type activityScreen struct {
	base
	lister[activityRow]
}

type activityRow struct {
	n             int
	what, outcome string
	undo          string
}

func newActivity(c *Common) *activityScreen {
	s := &activityScreen{base: newBase(c)}
	s.lister = newLister("writes", "no writes in this session yet",
		[]Column{{Title: "#", Min: 3, Max: 4}, {Title: "WRITE", Min: 24, Max: 0}, {Title: "OUTCOME", Min: 6, Max: 24, Drop: 2}, {Title: "UNDO", Min: 10, Max: 28, Drop: 1}},
		func(r activityRow) string { return strconv.Itoa(r.n) },
		func(r activityRow) []string {
			return []string{strconv.Itoa(r.n), san(r.what), san(r.outcome), san(r.undo)}
		},
		func(r activityRow) string { return strings.ToLower(r.what + "\x00" + r.outcome) })
	var rows []activityRow
	for i := len(c.activity) - 1; i >= 0; i-- {
		a := c.activity[i]
		r := activityRow{n: i + 1, what: a.what, outcome: "ok"}
		switch {
		case a.err != nil:
			r.outcome, r.undo = a.err.Error(), "nothing was changed"
		case a.undone:
			r.undo = "undone"
		case a.undo != nil:
			r.undo = "u: " + a.undo.what
		default:
			r.undo = a.why
		}
		rows = append(rows, r)
	}
	s.tbl.SetItems(rows)
	return s
}

func (s *activityScreen) Title() string { return "Activity" }
func (s *activityScreen) SetSize(w, h int) {
	s.base.SetSize(w, h)
	s.setSize(h)
}
func (s *activityScreen) Capturing() bool       { return s.filtering }
func (s *activityScreen) Back() (bool, tea.Cmd) { return s.back() }
func (s *activityScreen) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		if s.filtering {
			s.filterKey(k)
			s.tbl.SetQuery(s.input.Value())
			return nil
		}
		if s.c.Keys.Filter.Matches(k) {
			s.filtering = true
			return nil
		}
	}
	s.move(s.c.Keys, msg)
	return nil
}
func (s *activityScreen) View() string { return s.view(s.c, s.w, "this session", nil) }
func (s *activityScreen) ShortHelp() []Hint {
	return []Hint{hint(s.c.Keys.Filter, "", ""), hint(s.c.Keys.Back, "", "")}
}
func (s *activityScreen) FullHelp() [][]Hint { return [][]Hint{s.ShortHelp()} }

package tui

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// undoOp is the inverse of one write: what `u` sends after the user
// confirmed the exact request.
type undoOp struct {
	what    string // in words: "make Zoë Ñúñez Organizer again"
	request string // the request in words, with every value sent
	do      func(ctx context.Context) error
	// check reads the object fresh before anything is asked or sent, so
	// an undo never silently overwrites a newer change made elsewhere.
	check func(ctx context.Context) (undoState, error)
	// obj names the object written ("member fieldops/dave"); removes
	// says the write deleted it, so earlier inverses on it no longer
	// apply.
	obj     string
	removes bool
}

// undoState is what a fresh read says about an inverse: cur is the
// object's value now and wrote the value this session's write left; when
// they differ someone changed it since, and now says so in words. gone
// says why the inverse no longer applies at all ("" = it does).
type undoState struct {
	cur, wrote string
	wroteAs    string // wrote in words where it is an id
	now        string // "dave is now member of acme"
	gone       string
}

// changed reports whether the object moved on since this session wrote.
func (s undoState) changed() bool { return s.gone == "" && s.cur != s.wrote }

// activity is one write of this session, newest last.
type activity struct {
	what   string // the write, as the status bar named it
	err    error
	undo   *undoOp // nil: no inverse
	why    string  // when undo is nil: why not
	undone bool
	// objKey and objRemoved name the object of a write without an
	// inverse (a team delete), so it can mark earlier writes.
	objKey     string
	objRemoved bool
	// goneBy is the 1-based number of a later write of this session that
	// deleted the object (0 = none): this inverse no longer applies
	// unless that write was undone.
	goneBy int
	wid    int // the write's id while it was in flight
}

// flight is a write sent and not answered yet.
type flight struct {
	wid  int
	what string
}

// flying records a write in flight (Activity lists it).
func (c *Common) flying(wid int, what string) {
	c.inflight = append(c.inflight, flight{wid, what})
}

// landed drops a write from those in flight.
func (c *Common) landed(wid int) {
	for i, f := range c.inflight {
		if f.wid == wid {
			c.inflight = append(c.inflight[:i:i], c.inflight[i+1:]...)
			return
		}
	}
}

// activityMsg is implemented by write answers, so the root can keep this
// session's activity even when the screen that wrote is gone.
type activityMsg interface {
	activity() activity
}

// record appends a write's outcome to the session's activity. A
// successful deletion marks the earlier writes on the same object: their
// inverses no longer apply.
func (c *Common) record(a activity) {
	c.activity = append(c.activity, a)
	n := len(c.activity)
	if a.err != nil || a.undo == nil && a.obj() == "" || !a.removes() {
		return
	}
	for i := range c.activity[:n-1] {
		e := &c.activity[i]
		if e.err == nil && !e.undone && e.undo != nil && e.undo.obj == a.obj() {
			e.goneBy = n
		}
	}
}

func (a activity) obj() string {
	if a.undo == nil {
		return a.objKey
	}
	return a.undo.obj
}

func (a activity) removes() bool {
	if a.undo == nil {
		return a.objRemoved
	}
	return a.undo.removes
}

// undoReason is why activity i cannot be undone, "" when it can (as far
// as this session knows: the fresh read before sending has the last
// word).
func (c *Common) undoReason(i int) string {
	a := c.activity[i]
	switch {
	case a.err != nil:
		return "it failed: nothing was changed"
	case a.undone:
		return "already undone"
	case a.undo == nil:
		return a.why
	case a.goneBy > 0 && !c.activity[a.goneBy-1].undone:
		return fmt.Sprintf("no longer applies: write #%d (%s) deleted it", a.goneBy, c.activity[a.goneBy-1].what)
	}
	return ""
}

// lastUndo finds the newest successful write not yet undone; the reason
// says why `u` cannot act when there is none or it has no inverse.
func (c *Common) lastUndo() (int, string) {
	for i := len(c.activity) - 1; i >= 0; i-- {
		a := c.activity[i]
		if a.err != nil || a.undone {
			continue
		}
		if r := c.undoReason(i); r != "" {
			return -1, "the last write cannot be undone: " + r + " (older writes: A)"
		}
		return i, ""
	}
	return -1, "nothing to undo in this session"
}

// undoTarget is a screen that chooses which write u undoes (the
// activity view: the selected row).
type undoTarget interface {
	undoTarget() (idx int, reason string)
}

// undoChoice is the write u would undo on the screen in view.
func (m *Model) undoChoice() (int, string) {
	if t, ok := m.top().(undoTarget); ok {
		return t.undoTarget()
	}
	return m.c.lastUndo()
}

// undoCheckedMsg brings the fresh read of an undo's object.
type undoCheckedMsg struct {
	idx   int
	state undoState
	err   error
}

// undoConfirmedMsg: the user confirmed undoing activity idx, having seen
// the object as now.
type undoConfirmedMsg struct {
	idx int
	cur string
}

// undoneMsg is the answer to an undo.
type undoneMsg struct {
	idx int
	err error
}

// askUndo reads the object fresh (where the inverse can), then opens the
// confirmation naming exactly what will be sent.
func (m *Model) askUndo() tea.Cmd {
	idx, reason := m.undoChoice()
	if idx < 0 {
		m.c.Toast("u: %s", reason)
		return nil
	}
	op := m.c.activity[idx].undo
	if op.check == nil {
		return m.confirmUndo(idx, undoState{})
	}
	m.undoing = "checking before undo: " + op.what + "…" // the status line while it reads
	ctx, cancel := m.c.request(m.c.Ctx)
	return func() tea.Msg {
		defer cancel()
		st, err := op.check(ctx)
		return undoCheckedMsg{idx: idx, state: st, err: err}
	}
}

// undoChecked opens the confirmation: plain when the object is as this
// session left it, showing both values (Cancel focused) when someone
// changed it since, and refusing when the inverse no longer applies.
func (m *Model) undoChecked(msg undoCheckedMsg) tea.Cmd {
	m.undoing = ""
	a := m.c.activity[msg.idx]
	if msg.err != nil {
		m.c.Fail(fmt.Errorf("undo: reading before %s: %w", a.undo.what, msg.err))
		return nil
	}
	// The fresh read found the object moved on: the screen in view
	// shows it as read, not as this session left it.
	var reload tea.Cmd
	if msg.state.gone != "" || msg.state.changed() {
		reload = m.top().Reload()
	}
	if msg.state.gone != "" {
		m.c.Toast("u: no longer applies: %s", msg.state.gone)
		return reload
	}
	return tea.Batch(reload, m.confirmUndo(msg.idx, msg.state))
}

func (m *Model) confirmUndo(idx int, st undoState) tea.Cmd {
	a := m.c.activity[idx]
	op := a.undo
	yes := undoConfirmedMsg{idx: idx, cur: st.cur}
	if st.changed() {
		text := fmt.Sprintf("%s (changed elsewhere since your edit set %s); undo would %s.\n\nroster will send: %s",
			st.now, cmp.Or(st.wroteAs, st.wrote), op.what, op.request)
		d := newConfirm(m.c, "Undo: changed elsewhere", text, "Undo anyway", yes)
		return m.pushOnTop(d)
	}
	d := newConfirm(m.c, "Undo", "Undo “"+a.what+"”: "+op.what+".\n\nroster will send: "+op.request, "Undo", yes)
	return m.pushOnTop(d)
}

// pushOnTop opens s over the screen in view (applied by navigate).
func (m *Model) pushOnTop(s Screen) tea.Cmd {
	m.c.nav = append(m.c.nav, navOp{from: m.top().ID(), push: s})
	return nil
}

// runUndo sends the inverse in a command. Where the inverse reads first,
// it reads again and sends nothing when the object changed since the
// dialog showed it.
func (m *Model) runUndo(msg undoConfirmedMsg) tea.Cmd {
	op := m.c.activity[msg.idx].undo
	m.undoing = op.what + "…" // the status line while it runs
	m.undoWID = m.c.newID()
	m.c.flying(m.undoWID, "undo: "+op.what)
	if as, ok := m.top().(*activityScreen); ok {
		as.refresh()
	}
	ctx, cancel := m.c.request(m.c.Ctx)
	return func() tea.Msg {
		defer cancel()
		if op.check != nil {
			st, err := op.check(ctx)
			switch {
			case err != nil:
				return undoneMsg{idx: msg.idx, err: fmt.Errorf("reading before sending: %w", err)}
			case st.gone != "":
				return undoneMsg{idx: msg.idx, err: fmt.Errorf("nothing sent: %s", st.gone)}
			case st.cur != msg.cur:
				return undoneMsg{idx: msg.idx, err: fmt.Errorf("nothing sent: it changed again since the dialog opened (%s)", st.now)}
			}
		}
		return undoneMsg{idx: msg.idx, err: op.do(ctx)}
	}
}

// undone records the outcome and reloads the screen in view.
func (m *Model) undone(msg undoneMsg) tea.Cmd {
	m.undoing = ""
	m.c.landed(m.undoWID)
	a := &m.c.activity[msg.idx]
	if msg.err != nil {
		m.c.Fail(fmt.Errorf("undo: %s: %w", a.undo.what, msg.err))
		m.c.record(activity{what: "undo: " + a.undo.what, err: msg.err, why: "an undo is not undone"})
		return m.top().Reload()
	}
	a.undone = true
	m.c.gen++
	m.c.Toast("undone: %s", a.undo.what)
	m.c.record(activity{what: "undo: " + a.undo.what, why: "an undo is not undone"})
	return m.top().Reload()
}

// activityScreen lists this session's writes, newest first; u undoes the
// selected one when its inverse still applies.
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
		[]Column{{Title: "#", Min: 3, Max: 4}, {Title: "WRITE", Min: 24, Max: 0}, {Title: "OUTCOME", Min: 6, Max: 24, Drop: 2}, {Title: "UNDO", Min: 10, Max: 36, Drop: 1}},
		func(r activityRow) string { return strconv.Itoa(r.n) },
		func(r activityRow) []string {
			n := strconv.Itoa(r.n)
			if r.n < 0 {
				n = "…"
			}
			return []string{n, san(r.what), san(r.outcome), san(r.undo)}
		},
		func(r activityRow) string { return strings.ToLower(r.what + "\x00" + r.outcome + "\x00" + r.undo) })
	s.refresh()
	return s
}

// refresh rebuilds the rows from the session's activity.
func (s *activityScreen) refresh() {
	c := s.c
	var rows []activityRow
	for i := len(c.inflight) - 1; i >= 0; i-- {
		f := c.inflight[i]
		rows = append(rows, activityRow{n: -f.wid, what: strings.TrimSuffix(f.what, "…"), outcome: "in flight", undo: "once it is answered"})
	}
	for i := len(c.activity) - 1; i >= 0; i-- {
		a := c.activity[i]
		r := activityRow{n: i + 1, what: a.what, outcome: "ok"}
		switch why := c.undoReason(i); {
		case a.err != nil:
			r.outcome, r.undo = a.err.Error(), "nothing was changed"
		case a.undone:
			r.undo = "undone"
		case why == "":
			r.undo = "u: " + a.undo.what
		default:
			r.undo = why
		}
		rows = append(rows, r)
	}
	s.tbl.SetItems(rows)
}

// undoTarget is the selected row's write.
func (s *activityScreen) undoTarget() (int, string) {
	r, ok := s.tbl.Selected()
	if !ok {
		return -1, "nothing to undo in this session"
	}
	if r.n < 0 {
		return -1, "the write is still in flight"
	}
	if why := s.c.undoReason(r.n - 1); why != "" {
		return -1, fmt.Sprintf("#%d cannot be undone: %s", r.n, why)
	}
	return r.n - 1, ""
}

func (s *activityScreen) Title() string { return "Activity" }

// activityNote is the room under the list for the selected row's undo
// in full (the column cuts it).
const activityNote = 2

func (s *activityScreen) SetSize(w, h int) {
	s.base.SetSize(w, h)
	s.setSize(max(3, h-activityNote))
}
func (s *activityScreen) Capturing() bool       { return s.filtering }
func (s *activityScreen) Back() (bool, tea.Cmd) { return s.back() }
func (s *activityScreen) Reload() tea.Cmd       { s.refresh(); return nil }
func (s *activityScreen) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		if !s.filtering && s.c.Keys.Open.Matches(k) {
			if r, ok := s.tbl.Selected(); ok {
				return s.push(s.detail(r))
			}
			return nil
		}
		s.listKey(s.c.Keys, k)
		return nil
	}
	s.move(s.c.Keys, msg)
	return nil
}
func (s *activityScreen) View() string {
	list := s.view(s.c, s.w, "this session", nil)
	r, ok := s.tbl.Selected()
	if !ok || s.h-activityNote < 3 {
		return list
	}
	note := fmt.Sprintf("#%d %s: %s", r.n, r.outcome, r.undo)
	if r.n < 0 {
		note = "in flight: " + r.what
	}
	lines := strings.Split(wrapText(san(note), s.w), "\n")
	if len(lines) > activityNote {
		lines = lines[:activityNote]
		lines[activityNote-1] = clip(lines[activityNote-1]+" …", s.w)
	}
	return padLines(list, s.h-activityNote) + "\n" + s.c.Styles.Dim.Render(strings.Join(lines, "\n"))
}

// detail shows one write whole: the columns and the note cut it.
func (s *activityScreen) detail(r activityRow) *textScreen {
	n := strconv.Itoa(r.n)
	if r.n < 0 {
		n = "in flight"
	}
	fs := []field{{"write", n}, {"what", r.what}, {"outcome", r.outcome}, {"undo", r.undo}}
	st := s.c.Styles
	return newText(s.c, "write "+n, func(w int) []string { return fieldText(st, w, fs) })
}

func (s *activityScreen) ShortHelp() []Hint {
	_, why := s.undoTarget()
	return []Hint{hint(s.c.Keys.Undo, "undo this one", why), hint(s.c.Keys.Filter, "", ""), hint(s.c.Keys.Back, "", "")}
}
func (s *activityScreen) FullHelp() [][]Hint {
	_, why := s.undoTarget()
	return [][]Hint{s.c.Keys.moveHints(), {
		hint(s.c.Keys.Undo, "undo the selected write (reads it fresh, asks first)", why),
		hint(s.c.Keys.Open, "the write and its outcome in full", ""),
		hint(s.c.Keys.Filter, "filter by write, outcome or undo", ""), hint(s.c.Keys.Back, "", ""),
	}}
}

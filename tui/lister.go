package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// lister is the list part every list screen shares: a table, the movement
// keys, the mouse wheel and the "/" filter line. While the filter has the
// focus every printable key is text (q too) and esc leaves it.
type lister[T any] struct {
	tbl       table[T]
	filtering bool
	input     lineInput
	noun      string // "members", "users"…, for the info line
	empty     string // text when there is nothing to show
}

// newLister builds a list; hay is what the filter searches, nil = every
// column as shown (the filter then finds what the eye sees: /admin finds
// the admins).
func newLister[T any](noun, empty string, cols []Column, key func(T) string, cells func(T) []string, hay func(T) string) lister[T] {
	if hay == nil {
		hay = func(it T) string { return strings.ToLower(strings.Join(cells(it), "\x00")) }
	}
	return lister[T]{
		tbl:   newTable(cols, key, cells, hay),
		input: lineInput{Prompt: "/", Limit: 200},
		noun:  noun, empty: empty,
	}
}

// setSize: one info line, then the table with its header.
func (l *lister[T]) setSize(h int) { l.tbl.SetHeight(h - 2) }

// move handles movement keys and the wheel; true = handled.
func (l *lister[T]) move(km *KeyMap, msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			l.tbl.Move(-3)
		case tea.MouseButtonWheelDown:
			l.tbl.Move(3)
		default:
			return false
		}
		return true
	case tea.KeyMsg:
		switch {
		case km.Up.Matches(msg):
			l.tbl.Move(-1)
		case km.Down.Matches(msg):
			l.tbl.Move(1)
		case km.PageUp.Matches(msg):
			l.tbl.Move(-l.tbl.height)
		case km.PageDown.Matches(msg):
			l.tbl.Move(l.tbl.height)
		case km.Top.Matches(msg):
			l.tbl.Top()
		case km.Bottom.Matches(msg):
			l.tbl.Bottom()
		default:
			return false
		}
		return true
	}
	return false
}

// filterKey handles a key while the filter line has the focus. It returns
// whether the query text changed. enter keeps the filter, esc clears it.
func (l *lister[T]) filterKey(msg tea.KeyMsg) (changed bool) {
	before := l.input.Value()
	switch msg.Type {
	case tea.KeyEsc:
		l.filtering = false
		l.input.SetValue("")
	case tea.KeyEnter:
		l.filtering = false
	case tea.KeyUp, tea.KeyDown:
		if msg.Type == tea.KeyUp {
			l.tbl.Move(-1)
		} else {
			l.tbl.Move(1)
		}
	default:
		l.input.Update(msg)
	}
	return l.input.Value() != before
}

// listKey does what every list does with a key: text for the filter line
// while it has the focus, movement, and / to start filtering. It reports
// whether the key was used.
func (l *lister[T]) listKey(km *KeyMap, k tea.KeyMsg) bool {
	switch {
	case l.filtering:
		l.filterKey(k)
		l.tbl.SetQuery(l.input.Value())
	case l.move(km, k):
	case km.Filter.Matches(k):
		l.startFilter()
	default:
		return false
	}
	return true
}

// settlePages records the end of a paged listing into l's table: a good
// end with no page yet means zero rows; a failure before any page keeps
// the last good rows (stale), one after pages of this listing had
// replaced them leaves an incomplete list, said so.
func (l *lister[T]) settlePages(ld *loader, fresh *bool, c *Common, err error) {
	ld.paging = false
	ok := c.settle(ld, err)
	switch {
	case *fresh && ok:
		l.tbl.SetItems(nil)
	case !*fresh && !ok && ld.failed != "":
		ld.cut = true
	}
	*fresh = false
}

// Typing: while the filter line has the focus, runes are its text.
func (l *lister[T]) Typing() bool { return l.filtering }

// filterHints are the footer while the filter line has the focus (nil
// otherwise): every printable key is text there.
func (l *lister[T]) filterHints(km *KeyMap) []Hint {
	if !l.filtering {
		return nil
	}
	return []Hint{
		{B: km.Open, Desc: "keep filter"},
		{B: km.Back, Desc: "clear"},
		{B: bind([]string{"up", "down"}, "↑/↓", ""), Desc: "move"},
		{B: bind([]string{"!"}, "!…", ""), Desc: "inverts"},
		{B: km.ForceQuit, Desc: "quit"},
	}
}

// emptyText is what an empty table says: "no match" when rows are there
// but the filter hides them all, the screen's "none" otherwise.
func (l *lister[T]) emptyText() string {
	if q := l.tbl.Query(); q != "" && l.tbl.Total() > 0 {
		return fmt.Sprintf("no match for “%s” among %d %s (esc clears)", san(q), l.tbl.Total(), l.noun)
	}
	return l.empty
}

// sortKey sorts by the next column that has values (s), in collation
// order; true when s was pressed.
func (l *lister[T]) sortKey(c *Common, k tea.KeyMsg) bool {
	if !c.Keys.Sort.Matches(k) || l.filtering || len(l.tbl.cols) == 0 {
		return false
	}
	if c.sorter == nil {
		c.sorter = newSorter()
	}
	col := l.tbl.sortCol
	for range l.tbl.cols {
		col = (col + 1) % len(l.tbl.cols)
		if l.tbl.filled == nil || l.tbl.allFilled || l.tbl.filled[col] {
			break
		}
	}
	l.tbl.SortColumn(col, c.sorter)
	c.Toast("%s sorted by %s", l.noun, strings.ToLower(l.tbl.cols[col].Title))
	return true
}

// sortHint offers s, naming the column it sorts by next.
func (l *lister[T]) sortHint(km *KeyMap) Hint {
	if n := len(l.tbl.cols); n > 0 {
		next := (l.tbl.sortCol + 1) % n
		return hint(km.Sort, "sort by "+strings.ToLower(l.tbl.cols[next].Title), "")
	}
	return hint(km.Sort, "", "")
}

// startFilter gives the focus to the filter line.
func (l *lister[T]) startFilter() { l.filtering = true }

// clearFilter drops an accepted filter (esc outside the input); true when
// there was one.
func (l *lister[T]) clearFilter() bool {
	if l.input.Value() == "" {
		return false
	}
	l.input.SetValue("")
	return true
}

// back clears an accepted filter; the screen's Back uses it so that esc
// first clears the filter, then goes back.
func (l *lister[T]) back() (bool, tea.Cmd) {
	if !l.clearFilter() {
		return false, nil
	}
	l.tbl.SetQuery("")
	return true, nil
}

// view renders the info line and the table, or what stands in for them
// while there is no good answer (ld nil: the rows are local, always
// loaded).
func (l *lister[T]) view(c *Common, w int, extra string, ld *loader) string {
	st := c.Styles
	if ld != nil && !ld.loaded && l.tbl.Total() == 0 {
		// Nothing to show yet: no counts, no "none", only what is happening.
		if ld.failed != "" {
			lines := []string{st.Error.Render(clip("could not load the "+l.noun+":", w))}
			for _, ln := range strings.Split(wrapText(ld.failed, max(10, w-2)), "\n") {
				lines = append(lines, "  "+st.Error.Render(ln))
			}
			lines = append(lines, "", st.Dim.Render(clip("ctrl+r retries · ! shows the messages", w)))
			return strings.Join(lines, "\n")
		}
		doing := ld.doing
		if doing == "" {
			doing = "loading the " + l.noun + "…"
		}
		return clip(strings.TrimSpace(c.spin+" "+doing), w)
	}
	var info string
	n, total := l.tbl.Len(), l.tbl.Total()
	noun := l.noun
	if total == 1 {
		noun = strings.TrimSuffix(noun, "s")
	}
	if n == total {
		info = fmt.Sprintf("%d %s", total, noun)
	} else {
		info = fmt.Sprintf("%d of %d %s", n, total, l.noun)
	}
	if ld != nil && ld.paging {
		info += " so far"
	}
	if extra != "" {
		info += " · " + extra
	}
	if c := l.tbl.sortCol; c >= 0 && c < len(l.tbl.cols) {
		info += " · sorted by " + strings.ToLower(l.tbl.cols[c].Title)
	}
	if mk := l.markNote(); mk != "" {
		info += " · " + mk
	}
	stale := ""
	if ld != nil && ld.failed != "" {
		switch {
		case ld.cut || !ld.loaded:
			stale = "INCOMPLETE: the listing failed · ctrl+r retries · " + ld.failed
		default:
			stale = "STALE: as of " + ld.at.Format("15:04:05") + " · ctrl+r retries · reload failed: " + ld.failed
		}
	}
	var line string
	switch {
	case l.filtering:
		line = l.input.View(max(10, w-len(info)-3), true) + "  " + st.Dim.Render(info)
	case l.input.Value() != "":
		line = st.Dim.Render(clip("/"+l.input.Value()+"  "+info+" · esc clears", w))
	default:
		line = st.Dim.Render(clip(info, w))
	}
	var b strings.Builder
	b.WriteString(line)
	b.WriteString("\n")
	if stale != "" {
		// One line of the table gives way to the warning; a copy keeps
		// View free of changes to the model.
		b.WriteString(st.Error.Render(clip(stale, w)))
		b.WriteString("\n")
		tb := l.tbl
		tb.SetHeight(tb.height - 1)
		b.WriteString(tb.viewRows(st, w, l.emptyText(), true))
		return b.String()
	}
	b.WriteString(l.tbl.View(st, w, l.emptyText()))
	return b.String()
}

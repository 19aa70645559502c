package tui

import (
	"bytes"
	"slices"
	"strings"
)

// table is a scrolling, filterable list of items of one kind. It keeps
// per row only the item and its lower-cased filter text (computed once on
// arrival, so a filter keystroke formats nothing); cells are made by
// cells() for the rows in view only, so neither memory nor a frame grows
// with anything but the items themselves.
type table[T any] struct {
	cols  []Column
	key   func(T) string
	cells func(T) []string // sanitised cells of one row, for display
	hayOf func(T) string   // lower-cased text the filter searches

	items []T
	hays  []string
	// filled marks the columns some row has a value in; a column empty in
	// every row (e.g. e-mail where the server sends none) is not drawn.
	// Column 0 always is. Once every column is filled, rows are no
	// longer scanned.
	filled    []bool
	allFilled bool
	idx       []int // items in view order when filtered; nil = all items
	query     string

	cursor, offset, height int
	pending                map[string]bool
	// marked rows (space), by key: bulk actions act on them. They
	// survive reloads and filters; rows that went away drop out.
	marked map[string]bool
	// self marks the signed-in person's row ("(you)"); nil = none.
	self func(T) bool
	// sortCol is the column rows are sorted by (-1: as listed); kept
	// across reloads by the lister.
	sortCol int
	sorter  *sorter
}

// resort applies the column sort again after rows arrived.
func (t *table[T]) resort() {
	if t.sortCol >= 0 && t.sorter != nil {
		t.SortColumn(t.sortCol, t.sorter)
	}
}

func newTable[T any](cols []Column, key func(T) string, cells func(T) []string, hay func(T) string) table[T] {
	return table[T]{cols: cols, key: key, cells: cells, hayOf: hay, height: 1, pending: map[string]bool{}, sortCol: -1}
}

// fill records which columns it has a value in.
func (t *table[T]) fill(it T) {
	if t.allFilled {
		return
	}
	if t.filled == nil {
		t.filled = make([]bool, len(t.cols))
		if len(t.filled) > 0 {
			t.filled[0] = true
		}
	}
	for c, v := range t.cells(it) {
		if c < len(t.filled) && v != "" {
			t.filled[c] = true
		}
	}
	all := true
	for _, f := range t.filled {
		all = all && f
	}
	t.allFilled = all
}

// widths sizes the columns for width, leaving out those empty in every row.
func (t *table[T]) widths(width int) []int {
	if t.allFilled {
		return fitColumns(t.cols, width)
	}
	show := func(c int) bool {
		if t.filled == nil { // no rows: all but the sparse columns
			return !t.cols[c].Sparse
		}
		return t.filled[c]
	}
	var shown []Column
	for c, col := range t.cols {
		if show(c) {
			shown = append(shown, col)
		}
	}
	fitted := fitColumns(shown, width)
	out := make([]int, len(t.cols))
	j := 0
	for c := range t.cols {
		if show(c) {
			out[c] = fitted[j]
			j++
		}
	}
	return out
}

// Len is the number of rows in view (after the filter); Total all rows.
func (t *table[T]) Len() int {
	if t.idx == nil {
		return len(t.items)
	}
	return len(t.idx)
}
func (t *table[T]) Total() int { return len(t.items) }

func (t *table[T]) item(vi int) int {
	if t.idx == nil {
		return vi
	}
	return t.idx[vi]
}

// Items returns all items (not only those in view).
func (t *table[T]) Items() []T { return t.items }

// SetItems replaces every row, keeping the cursor on the same item when it
// is still there.
func (t *table[T]) SetItems(items []T) {
	sel, had := t.SelectedKey()
	t.items = items
	t.hays = make([]string, len(items))
	t.filled, t.allFilled = nil, false
	for i, it := range items {
		t.hays[i] = t.hayOf(it)
		t.fill(it)
	}
	t.refilter(true)
	if had {
		t.selectKey(sel)
	}
	t.clamp()
	t.resort()
}

// Append adds rows at the end (another page).
func (t *table[T]) Append(items []T) {
	start := len(t.items)
	t.items = append(t.items, items...)
	for _, it := range items {
		t.hays = append(t.hays, t.hayOf(it))
		t.fill(it)
	}
	if t.idx != nil {
		inv, q := parseQuery(t.query)
		for i := start; i < len(t.items); i++ {
			if strings.Contains(t.hays[i], q) != inv {
				t.idx = append(t.idx, i)
			}
		}
	}
	t.clamp()
	t.resort()
}

// Put replaces the item with the same key, or appends it.
func (t *table[T]) Put(it T) {
	k := t.key(it)
	for i := range t.items {
		if t.key(t.items[i]) == k {
			t.items[i] = it
			t.hays[i] = t.hayOf(it)
			t.fill(it)
			return
		}
	}
	t.Append([]T{it})
}

// Replace puts it in place of the item with key old (a rename changes the
// key); it appends when old is gone.
func (t *table[T]) Replace(old string, it T) {
	for i := range t.items {
		if t.key(t.items[i]) == old {
			t.items[i] = it
			t.hays[i] = t.hayOf(it)
			t.fill(it)
			return
		}
	}
	t.Put(it)
}

// Get returns the item with key k.
func (t *table[T]) Get(k string) (T, bool) {
	for _, it := range t.items {
		if t.key(it) == k {
			return it, true
		}
	}
	var zero T
	return zero, false
}

// Remove drops the item with key k.
func (t *table[T]) Remove(k string) {
	for i := range t.items {
		if t.key(t.items[i]) == k {
			sel := t.cursor
			t.items = append(t.items[:i:i], t.items[i+1:]...)
			t.hays = append(t.hays[:i:i], t.hays[i+1:]...)
			t.refilter(true)
			t.cursor = sel
			t.clamp()
			return
		}
	}
}

// ToggleMark marks or unmarks the row with key k.
func (t *table[T]) ToggleMark(k string) {
	if t.marked == nil {
		t.marked = map[string]bool{}
	}
	if t.marked[k] {
		delete(t.marked, k)
	} else {
		t.marked[k] = true
	}
}

// Marked returns the marked rows that are still there, in list order.
func (t *table[T]) Marked() []T {
	if len(t.marked) == 0 {
		return nil
	}
	var out []T
	for _, it := range t.items {
		if t.marked[t.key(it)] {
			out = append(out, it)
		}
	}
	return out
}

// MarkCount is how many marked rows are still there.
func (t *table[T]) MarkCount() int { return len(t.Marked()) }

// ClearMarks unmarks every row.
func (t *table[T]) ClearMarks() { t.marked = nil }

// IsMarked reports whether the row with key k is marked.
func (t *table[T]) IsMarked(k string) bool { return t.marked[k] }

// SetPending marks or unmarks a row as waiting for the server.
func (t *table[T]) SetPending(k string, on bool) {
	if on {
		t.pending[k] = true
	} else {
		delete(t.pending, k)
	}
}

// Selected returns the item under the cursor.
func (t *table[T]) Selected() (T, bool) {
	if t.Len() == 0 {
		var zero T
		return zero, false
	}
	return t.items[t.item(t.cursor)], true
}

// SelectedKey returns the key of the item under the cursor.
func (t *table[T]) SelectedKey() (string, bool) {
	it, ok := t.Selected()
	if !ok {
		return "", false
	}
	return t.key(it), true
}

func (t *table[T]) selectKey(k string) {
	for vi := 0; vi < t.Len(); vi++ {
		if t.key(t.items[t.item(vi)]) == k {
			t.cursor = vi
			return
		}
	}
}

// SetHeight sets how many rows are in view (the header line excluded).
func (t *table[T]) SetHeight(h int) {
	t.height = max(1, h)
	t.clamp()
}

// Move moves the cursor by d rows; Top and Bottom jump.
func (t *table[T]) Move(d int) { t.cursor += d; t.clamp() }
func (t *table[T]) Top()       { t.cursor = 0; t.clamp() }
func (t *table[T]) Bottom()    { t.cursor = t.Len() - 1; t.clamp() }

// NearEnd reports whether the cursor is within a page of the last row.
func (t *table[T]) NearEnd() bool { return t.Len()-t.cursor <= t.height }

func (t *table[T]) clamp() {
	n := t.Len()
	t.cursor = max(0, min(t.cursor, n-1))
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+t.height {
		t.offset = t.cursor - t.height + 1
	}
	t.offset = max(0, min(t.offset, n-t.height))
}

// parseQuery splits a filter: a leading "!" inverts it.
func parseQuery(q string) (invert bool, needle string) {
	if strings.HasPrefix(q, "!") {
		return true, strings.ToLower(q[1:])
	}
	return false, strings.ToLower(q)
}

// SetQuery filters the rows by substring over name and e-mail ("!"
// inverts). A query that extends the previous one searches only the rows
// still in view.
func (t *table[T]) SetQuery(q string) {
	if q == t.query {
		return
	}
	old := t.query
	t.query = q
	oldInv, oldN := parseQuery(old)
	inv, n := parseQuery(q)
	narrowing := t.idx != nil && !inv && !oldInv && strings.HasPrefix(n, oldN)
	t.refilter(!narrowing)
	t.cursor = 0
	t.offset = 0
	t.clamp()
}

func (t *table[T]) refilter(full bool) {
	inv, n := parseQuery(t.query)
	if n == "" {
		t.idx = nil
		return
	}
	var out []int
	if !full && t.idx != nil {
		out = t.idx[:0]
		for _, i := range t.idx {
			if strings.Contains(t.hays[i], n) != inv {
				out = append(out, i)
			}
		}
	} else {
		out = make([]int, 0, 64)
		for i := range t.hays {
			if strings.Contains(t.hays[i], n) != inv {
				out = append(out, i)
			}
		}
	}
	t.idx = out
}

// Sort orders every row by cmp (stable, so equal rows keep their order),
// keeping the cursor on the same item and the filter applied.
func (t *table[T]) Sort(cmp func(a, b T) int) {
	sel, had := t.SelectedKey()
	perm := make([]int, len(t.items))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, func(a, b int) int { return cmp(t.items[a], t.items[b]) })
	items := make([]T, len(t.items))
	hays := make([]string, len(t.hays))
	for to, from := range perm {
		items[to], hays[to] = t.items[from], t.hays[from]
	}
	t.items, t.hays = items, hays
	t.refilter(true)
	if had {
		t.selectKey(sel)
	}
	t.clamp()
}

// SortKeyed orders every row by keys made once per row (collation keys:
// compared bytewise, first key first), stable, keeping the cursor on the
// same item.
func (t *table[T]) SortKeyed(keys func(T) [][]byte) {
	ks := make([][][]byte, len(t.items))
	for i, it := range t.items {
		ks[i] = keys(it)
	}
	sel, had := t.SelectedKey()
	perm := make([]int, len(t.items))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, func(a, b int) int {
		ka, kb := ks[a], ks[b]
		for j := 0; j < min(len(ka), len(kb)); j++ {
			if c := bytes.Compare(ka[j], kb[j]); c != 0 {
				return c
			}
		}
		return len(ka) - len(kb)
	})
	items := make([]T, len(t.items))
	hays := make([]string, len(t.hays))
	for to, from := range perm {
		items[to], hays[to] = t.items[from], t.hays[from]
	}
	t.items, t.hays = items, hays
	t.refilter(true)
	if had {
		t.selectKey(sel)
	}
	t.clamp()
}

// SortColumn orders the rows by the text of column col as shown, in
// collation order (-1: as listed, which needs a reload to restore).
func (t *table[T]) SortColumn(col int, s *sorter) {
	t.sortCol, t.sorter = col, s
	if col < 0 {
		return
	}
	t.SortKeyed(func(it T) [][]byte {
		cells := t.cells(it)
		if col >= len(cells) {
			return nil
		}
		return [][]byte{s.key(cells[col])}
	})
}

// Query is the current filter.
func (t *table[T]) Query() string { return t.query }

// View renders the header and the rows in view, width cells wide and
// exactly t.height+1 lines.
func (t *table[T]) View(st *Styles, width int, empty string) string {
	return t.viewRows(st, width, empty, false)
}

// viewRows is View; stale rows are drawn dimmed (the line above them says
// why, in words, for NO_COLOR).
func (t *table[T]) viewRows(st *Styles, width int, empty string, stale bool) string {
	widths := t.widths(width)
	var b strings.Builder
	b.Grow((t.height + 1) * (width + 8))
	head := make([]string, 0, len(t.cols))
	for i, c := range t.cols {
		if widths[i] > 0 {
			head = append(head, fit(c.Title, widths[i]))
		}
	}
	b.WriteString(st.Head.Render(clip(strings.Repeat(" ", rowPrefix)+strings.Join(head, "  "), width)))
	n := t.Len()
	if n == 0 {
		b.WriteString("\n")
		b.WriteString(st.Dim.Render(clip("  "+empty, width)))
		return padLines(b.String(), t.height+1)
	}
	cells := make([]string, 0, len(t.cols))
	for vi := t.offset; vi < min(n, t.offset+t.height); vi++ {
		i := t.item(vi)
		row := t.cells(t.items[i])
		cells = cells[:0]
		me := t.self != nil && t.self(t.items[i])
		for c, w := range widths {
			if w > 0 {
				v := ""
				if c < len(row) {
					v = row[c]
				}
				if me && len(cells) == 0 {
					v = fitKeep(v, " (you)", w)
				}
				cells = append(cells, fit(v, w))
			}
		}
		// The second glyph: pending (…) wins over marked (✓), so a
		// marked row being written shows that it is in flight.
		sel, pend := " ", " "
		if vi == t.cursor {
			sel = "›"
		}
		if t.marked[t.key(t.items[i])] {
			pend = "✓"
		}
		if t.pending[t.key(t.items[i])] {
			pend = "…"
		}
		line := sel + pend + strings.Join(cells, "  ")
		b.WriteString("\n")
		switch {
		case vi == t.cursor:
			b.WriteString(st.Selected.Render(line))
		case pend != " ":
			b.WriteString(st.Pending.Render(line))
		case stale:
			b.WriteString(st.Dim.Render(line))
		default:
			b.WriteString(line)
		}
	}
	return padLines(b.String(), t.height+1)
}

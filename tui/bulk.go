package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// Bulk edits: space marks rows (the lister keeps the marks in its table,
// so every list screen has them), e and d then act on every marked row
// after one confirmation listing them. The writes go one at a time, each
// through the screen's own write path (pending mark, rollback, activity
// and undo per row); a failure is reported for its row and the rest go on.

// bulkRun is one action over marked rows.
type bulkRun struct {
	label   string   // "make 3 members creator of fieldops"
	keys    []string // the rows, in list order
	names   map[string]string
	next    int
	cur     string                   // the row whose write is in flight
	step    func(key string) tea.Cmd // starts the write for key; nil = nothing to do
	done    int
	skipped []string
	failed  []string // "ben: forbidden"
	failedK map[string]bool
}

// keepFailedMarks leaves marked only the rows whose write failed, so the
// same e or d retries them.
func keepFailedMarks[T any](t *table[T], b *bulkRun) {
	t.ClearMarks()
	for k := range b.failedK {
		if _, ok := t.Get(k); ok {
			t.ToggleMark(k)
		}
	}
}

// bulkNextOf starts the next write of the run *b, or, when every row had
// its turn, ends it: the marks of rows that failed stay (the same key
// retries them) and the outcome goes on the status line.
func bulkNextOf[T any](b **bulkRun, t *table[T], c *Common) tea.Cmd {
	if cmd := (*b).advance(); cmd != nil {
		return cmd
	}
	run := *b
	*b = nil
	keepFailedMarks(t, run)
	run.report(c)
	return nil
}

// startBulk starts a confirmed run unless one is still going. A run in
// which no row needs a write ends at once with its report, rather than
// staying "running" and refusing every later bulk change.
func startBulk[T any](b **bulkRun, run *bulkRun, t *table[T], c *Common) tea.Cmd {
	if *b != nil {
		c.Toast("a bulk change is still running")
		return nil
	}
	*b = run
	return bulkNextOf(b, t, c)
}

// bulkConfirmedMsg starts a confirmed bulk action on its screen.
type bulkConfirmedMsg struct {
	to
	run *bulkRun
}

// markKey toggles the mark of the selected row (space); true when used.
func (l *lister[T]) markKey(km *KeyMap, k tea.KeyMsg) bool {
	if !km.Mark.Matches(k) || l.filtering {
		return false
	}
	if key, ok := l.tbl.SelectedKey(); ok {
		l.tbl.ToggleMark(key)
	}
	return true
}

// markNote is the header's count of marked rows.
func (l *lister[T]) markNote() string {
	if n := l.tbl.MarkCount(); n > 0 {
		return fmt.Sprintf("%d marked (space unmarks, e/d act on all)", n)
	}
	return ""
}

// bulkList lists the rows of a bulk confirmation, one per line, cut
// after max lines with the count of the rest.
func bulkList(lines []string, limit int) string {
	if len(lines) > limit {
		rest := len(lines) - (limit - 1)
		lines = append(lines[:limit-1:limit-1], fmt.Sprintf("… and %d more", rest))
	}
	return "  " + strings.Join(lines, "\n  ")
}

// advance starts the next row's write; nil when every row is done.
func (b *bulkRun) advance() tea.Cmd {
	for b.next < len(b.keys) {
		k := b.keys[b.next]
		b.next++
		b.cur = k
		if cmd := b.step(k); cmd != nil {
			return cmd
		}
		b.skipped = append(b.skipped, b.names[k])
	}
	b.cur = ""
	return nil
}

// answered records the outcome of the write for key; it reports whether
// it belonged to the run.
func (b *bulkRun) answered(key string, err error) bool {
	if b == nil || key != b.cur {
		return false
	}
	if err != nil {
		b.failed = append(b.failed, b.names[key]+": "+rootCause(err))
		if b.failedK == nil {
			b.failedK = map[string]bool{}
		}
		b.failedK[key] = true
	} else {
		b.done++
	}
	return true
}

// finished reports whether every row has had its turn.
func (b *bulkRun) finished() bool { return b.cur == "" && b.next >= len(b.keys) }

// writeBusy is what a list is busy with while one of its writes is in
// flight (inner), with the bulk run's progress when one is going.
func writeBusy(inner string, b *bulkRun) string {
	if inner != "" && b != nil {
		return b.busy(inner)
	}
	return inner
}

// busy names the run's progress for the status line.
func (b *bulkRun) busy(inner string) string {
	return fmt.Sprintf("%s: %d of %d · %s", b.label, b.next, len(b.keys), inner)
}

// report puts the run's outcome on the status line: what was done, what
// was already so, and every failure by row.
func (b *bulkRun) report(c *Common) {
	text := fmt.Sprintf("%s: %d done", b.label, b.done)
	if len(b.skipped) > 0 {
		text += fmt.Sprintf(", %d already so (%s)", len(b.skipped), strings.Join(b.skipped, ", "))
	}
	if len(b.failed) == 0 {
		c.Toast("%s", text)
		return
	}
	c.Fail(fmt.Errorf("%s, %d failed: %s", text, len(b.failed), strings.Join(b.failed, "; ")))
}

// rootCause is the end of an error chain's text ("forbidden"), short
// enough for a per-row summary.
func rootCause(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		return s[i+2:]
	}
	return s
}

package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Minimum terminal size; below it the whole screen says so.
const (
	minWidth  = 40
	minHeight = 10
)

// Frame is where each part of the screen goes: a pure function of the
// terminal size and the app state (see layout).
type Frame struct {
	Width    int
	TooSmall bool
	Header   int // lines: profile line + tabs/breadcrumb
	Body     int // lines for the screen (or the help overlay)
	Status   int // lines: result/spinner line + error line
	Footer   int // lines: key hints
}

// layoutState is what besides the size decides the layout.
type layoutState struct {
	SignedIn bool // sign-in has no tabs line
}

// layout computes the frame. Width or height 0 means "not known yet" (no
// WindowSizeMsg so far), laid out as 80×24 rather than called tiny.
func layout(width, height int, st layoutState) Frame {
	if width <= 0 {
		width = 80
	}
	if height <= 0 {
		height = 24
	}
	if width < minWidth || height < minHeight {
		return Frame{Width: width, TooSmall: true}
	}
	f := Frame{Width: width, Header: 2, Status: 2, Footer: 1}
	if !st.SignedIn {
		f.Header = 1
	}
	f.Body = height - f.Header - f.Status - f.Footer
	return f
}

// Column is one table column. Columns with a higher Drop are dropped first
// when the width is short (e-mail before role); Drop 0 never goes.
type Column struct {
	Title string
	Min   int // narrowest useful width
	Max   int // widest it grows to; 0 = takes all the rest
	Drop  int
	// Sparse columns are drawn only when some row has a value in them
	// (with no rows, not at all).
	Sparse bool
}

const colGap = 2    // spaces between columns
const rowPrefix = 2 // selection glyph + pending glyph

// fitColumns gives each column a width for a table width; 0 = dropped.
// Columns never wrap: they shrink to Min, then whole columns go.
func fitColumns(cols []Column, width int) []int {
	w := make([]int, len(cols))
	kept := make([]bool, len(cols))
	for i := range cols {
		kept[i] = true
	}
	avail := width - rowPrefix
	need := func() int {
		n, sum := 0, 0
		for i, c := range cols {
			if kept[i] {
				n++
				sum += c.Min
			}
		}
		if n > 1 {
			sum += (n - 1) * colGap
		}
		return sum
	}
	for need() > avail {
		drop := -1
		for i, c := range cols {
			if kept[i] && c.Drop > 0 && (drop < 0 || c.Drop > cols[drop].Drop) {
				drop = i
			}
		}
		if drop < 0 {
			break // nothing left to drop: the cells truncate
		}
		kept[drop] = false
	}
	spare := avail - need()
	for i, c := range cols {
		if kept[i] {
			w[i] = c.Min
		}
	}
	// Grow bounded columns up to Max first, then give the rest to the
	// unbounded ones, left to right.
	for i, c := range cols {
		if kept[i] && c.Max > c.Min && spare > 0 {
			g := min(c.Max-c.Min, spare)
			w[i] += g
			spare -= g
		}
	}
	for i, c := range cols {
		if kept[i] && c.Max == 0 && spare > 0 {
			w[i] += spare
			spare = 0
		}
	}
	if spare < 0 { // even the undroppable minimums do not fit: shave the last
		for i := len(cols) - 1; i >= 0 && spare < 0; i-- {
			if kept[i] {
				cut := min(w[i]-1, -spare)
				w[i] -= cut
				spare += cut
			}
		}
	}
	return w
}

// fit truncates s to exactly w cells (padding with spaces). s may hold
// styling: escape sequences take no cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
	if n > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-n)
}

// clip truncates s to at most w cells without padding.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s
}

// padLines makes s exactly h lines (cut or padded with empty lines).
func padLines(s string, h int) string {
	if h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// wrapText breaks s into lines of at most w cells at spaces (a word
// longer than w is cut), so a reason or problem is read whole instead of
// clipped.
func wrapText(s string, w int) string {
	if w <= 0 {
		return ""
	}
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for ansi.StringWidth(word) > w {
				if line != "" {
					lines = append(lines, line)
					line = ""
				}
				lines = append(lines, ansi.Truncate(word, w, ""))
				word = ansi.TruncateLeft(word, w, "")
			}
			switch {
			case line == "":
				line = word
			case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= w:
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// fitKeep appends tail to s within w cells, cutting s rather than tail
// (a long name keeps its "(you)").
func fitKeep(s, tail string, w int) string {
	tw := ansi.StringWidth(tail)
	if ansi.StringWidth(s)+tw <= w || tw >= w {
		return s + tail
	}
	return ansi.Truncate(s, w-tw, "…") + tail
}

package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// renderShort is the footer: "key desc" pairs that fit the width. A key
// that cannot act now is in parentheses (legible without colour); ? tells
// why. The last keep hints (? help, q quit) always stay; the others are
// kept in the order given (their priority) while they fit, and drawn in
// that order.
func renderShort(st *Styles, hints []Hint, width int, keep int) string {
	plain := make([]string, len(hints))
	for i, h := range hints {
		plain[i] = h.B.Help().Key + " " + h.Desc
		if h.Reason != "" {
			plain[i] = "(" + plain[i] + ")"
		}
	}
	in := make([]bool, len(hints))
	used := 0
	add := func(i int) bool {
		w := lipgloss.Width(plain[i])
		if used > 0 {
			w += 3
		}
		if used+w > width {
			return false
		}
		used += w
		in[i] = true
		return true
	}
	keep = min(keep, len(hints))
	for i := len(hints) - keep; i < len(hints); i++ {
		add(i)
	}
	for i := 0; i < len(hints)-keep; i++ {
		if !add(i) {
			break
		}
	}
	var parts []string
	for i, h := range hints {
		if !in[i] {
			continue
		}
		if h.Reason != "" {
			parts = append(parts, st.Disabled.Render(plain[i]))
		} else {
			parts = append(parts, st.Key.Render(h.B.Help().Key)+" "+st.Desc.Render(h.Desc))
		}
	}
	return strings.Join(parts, st.Dim.Render(" · "))
}

// helpSection is one block of the help overlay.
type helpSection struct {
	Title  string
	Groups [][]Hint
}

// renderFull is the help overlay: every key of the screen and the global
// ones, one per line, the disabled ones with their reason.
func renderFull(st *Styles, sections []helpSection, width int) []string {
	var lines []string
	indent := strings.Repeat(" ", 13)
	// wrapped breaks text into the column after the key, never cutting a
	// reason: the help is where the whole reason is read.
	wrapped := func(text string) []string {
		return strings.Split(wrapText(text, max(10, width-13)), "\n")
	}
	for i, sec := range sections {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, st.Head.Render(clip(sec.Title, width)))
		for _, g := range sec.Groups {
			for _, h := range g {
				k := fit(h.B.Help().Key, 10)
				desc := h.Desc
				if h.Reason != "" {
					line := "  " + k + " " + desc + " — unavailable: " + h.Reason
					if lipgloss.Width(line) <= width {
						lines = append(lines, st.Dim.Render(line))
						continue
					}
					// Too long for the column: the reason on lines of its own.
					for j, l := range wrapped(desc + " —") {
						if j == 0 {
							lines = append(lines, st.Dim.Render("  "+k+" "+l))
						} else {
							lines = append(lines, st.Dim.Render(indent+l))
						}
					}
					for _, l := range wrapped("unavailable: " + h.Reason) {
						lines = append(lines, st.Dim.Render(indent+l))
					}
					continue
				}
				for j, l := range wrapped(desc) {
					if j == 0 {
						lines = append(lines, "  "+st.Key.Render(k)+" "+l)
					} else {
						lines = append(lines, indent+l)
					}
				}
			}
		}
	}
	return lines
}

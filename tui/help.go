package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// renderShort is the footer: "key desc" pairs cut to the width. A key that
// cannot act now is in parentheses (legible without colour); ? tells why.
func renderShort(st *Styles, hints []Hint, width int) string {
	var parts []string
	used := 0
	for _, h := range hints {
		k := h.B.Help().Key
		var part string
		plain := k + " " + h.Desc
		if h.Reason != "" {
			plain = "(" + plain + ")"
			part = st.Disabled.Render(plain)
		} else {
			part = st.Key.Render(k) + " " + st.Desc.Render(h.Desc)
		}
		w := lipgloss.Width(plain)
		sep := 0
		if len(parts) > 0 {
			sep = 3
		}
		if used+sep+w > width {
			break
		}
		used += sep + w
		parts = append(parts, part)
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
					// Too long for the column: the reason on its own line.
					lines = append(lines, st.Dim.Render(clip("  "+k+" "+desc+" —", width)),
						st.Dim.Render(clip(strings.Repeat(" ", 13)+"unavailable: "+h.Reason, width)))
					continue
				}
				lines = append(lines, "  "+st.Key.Render(k)+" "+clip(desc, width-13))
			}
		}
	}
	return lines
}

package tui

import "github.com/charmbracelet/lipgloss"

// Styles is the palette: AdaptiveColor pairs so light and dark terminals
// both read well. Nothing relies on colour alone: selection has a glyph,
// pending rows a glyph, dangerous buttons a word.
type Styles struct {
	App, Badge, Tab, ActiveTab, Crumb  lipgloss.Style
	Head, Selected, Dim, Pending, Info lipgloss.Style
	Error, OK, Key, Desc, Disabled     lipgloss.Style
	Dialog, Button, ButtonFocused      lipgloss.Style
	Label                              lipgloss.Style
}

var (
	colAccent = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B9A6FF"}
	colDim    = lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	colErr    = lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF6B6B"}
	colOK     = lipgloss.AdaptiveColor{Light: "#1B7F3B", Dark: "#6BD68F"}
	colWarn   = lipgloss.AdaptiveColor{Light: "#9A5B00", Dark: "#F2B84B"}
	colSelBg  = lipgloss.AdaptiveColor{Light: "#E4DEFA", Dark: "#3B3360"}
	colBadge  = lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#1A1A1A"}
)

// NewStyles builds the palette.
func NewStyles() *Styles {
	s := lipgloss.NewStyle
	return &Styles{
		App:           s().Bold(true).Foreground(colAccent),
		Badge:         s().Bold(true).Foreground(colBadge).Background(colWarn),
		Tab:           s().Foreground(colDim),
		ActiveTab:     s().Bold(true).Foreground(colAccent).Underline(true),
		Crumb:         s().Foreground(colDim),
		Head:          s().Bold(true).Foreground(colAccent),
		Selected:      s().Background(colSelBg).Bold(true),
		Dim:           s().Foreground(colDim),
		Pending:       s().Foreground(colWarn),
		Info:          s(),
		Error:         s().Foreground(colErr),
		OK:            s().Foreground(colOK),
		Key:           s().Bold(true).Foreground(colAccent),
		Desc:          s().Foreground(colDim),
		Disabled:      s().Foreground(colDim).Strikethrough(true),
		Dialog:        s().Border(lipgloss.RoundedBorder()).BorderForeground(colAccent).Padding(0, 1),
		Button:        s().Foreground(colDim),
		ButtonFocused: s().Bold(true).Foreground(colAccent),
		Label:         s().Foreground(colDim),
	}
}

package tui

import (
	"fmt"
	"io"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Run starts the TUI in the alternate screen and returns when it quits.
//
// Mouse capture stays off unless opts.Mouse: it would take native text
// selection away (over SSH and in tmux people copy from the screen).
// Instead Run turns on the terminal's "alternate scroll" mode, in which
// the wheel sends ↑/↓ in the alternate screen, so the wheel still scrolls
// lists. The background colour is asked once, here, before the program
// starts, at most backgroundBound: asking later stalls or guesses wrong
// in tmux.
func Run(opts Options) error {
	if opts.In == nil {
		opts.In = os.Stdin
	}
	if opts.Out == nil {
		opts.Out = os.Stdout
	}
	r := lipgloss.NewRenderer(opts.Out)
	if opts.NoColor {
		r.SetColorProfile(termenv.Ascii)
	}
	// Asked here, once, with a short bound (termenv would wait 5 s for a
	// terminal that never answers).
	in, _ := opts.In.(*os.File)
	out, _ := opts.Out.(*os.File)
	r.SetHasDarkBackground(darkBackground(in, out, os.Getenv, backgroundBound))
	lipgloss.SetDefaultRenderer(r)

	m := newModel(opts)
	defer m.cancel()
	popts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithInput(opts.In), tea.WithOutput(opts.Out)}
	if opts.Mouse {
		popts = append(popts, tea.WithMouseCellMotion())
	} else {
		_, _ = io.WriteString(opts.Out, "\x1b[?1007h")
		defer func() { _, _ = io.WriteString(opts.Out, "\x1b[?1007l") }()
	}
	if _, err := tea.NewProgram(m, popts...).Run(); err != nil {
		return fmt.Errorf("running the terminal UI: %w", err)
	}
	return nil
}

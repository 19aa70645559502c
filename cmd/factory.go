// Package cmd is roster's command tree: every non-interactive command, the
// root that starts the TUI, and the contract's messages and exit codes.
// One file per noun (members.go, teams.go, …); root.go holds the global
// flags, errors.go the exit codes, examples.go every --help example.
// Providers come from internal/session (session.go is the glue), never
// opened here. main.go only calls Execute(NewFactory(build), args).
package cmd

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/roster-cli/roster/config"
	"github.com/roster-cli/roster/internal/demo"
	"github.com/roster-cli/roster/tui"
)

// keyringTimeout bounds every keyring call: a frozen Secret Service must
// never hang a command.
const keyringTimeout = 3 * time.Second

// Factory holds everything a command touches outside the process: IO
// streams and their terminal facts, the environment, the keyring, the
// network, the clock and the TUI. Tests replace any field.
type Factory struct {
	// Version is sent in the User-Agent; Build is what a release build
	// stamped (cmd/version.go shows both).
	Version string
	Build   Build

	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// Terminal facts, decided once here so no command probes file
	// descriptors itself.
	StdinTTY, StdoutTTY, StderrTTY bool

	Getenv     func(string) string
	Keyring    config.SecretStore
	HTTPClient *http.Client // nil: the clients' safe default
	MaxBody    int64        // response body cap; 0: the clients' default (tests set a small one)
	Now        func() time.Time

	// RunTUI starts the interactive app (tui.Run).
	RunTUI func(tui.Options) error
	// StartDemo starts the in-process demo servers for --demo.
	StartDemo func() (*demo.World, error)
	// ReadSecret reads one line from the terminal without echo.
	ReadSecret func() (string, error)

	lines *bufio.Reader // line reader over In, shared by every prompt
}

// NewFactory wires the real process: os streams, os.Getenv, the OS keyring
// with a 3 s timeout per call.
func NewFactory(b Build) *Factory {
	version := b.Version
	isTTY := func(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
	return &Factory{
		Version:   version,
		Build:     b,
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		StdinTTY:  isTTY(os.Stdin),
		StdoutTTY: isTTY(os.Stdout),
		StderrTTY: isTTY(os.Stderr),
		Getenv:    os.Getenv,
		Keyring:   config.NewKeyring(keyringTimeout),
		Now:       time.Now,
		RunTUI:    tui.Run,
		StartDemo: demo.Start,
		ReadSecret: func() (string, error) {
			b, err := term.ReadPassword(int(os.Stdin.Fd()))
			return string(b), err
		},
	}
}

// CanPrompt reports whether a question can be asked and answered: the
// prompt is drawn on stderr and the answer typed on stdin.
func (f *Factory) CanPrompt() bool { return f.StdinTTY && f.StderrTTY }

// readLine reads one line of input, without its line ending.
func (f *Factory) readLine() (string, error) {
	if f.lines == nil {
		f.lines = bufio.NewReader(f.In)
	}
	s, err := f.lines.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && s != "") {
		if errors.Is(err, io.EOF) {
			return "", errors.New("no answer (end of input)")
		}
		return "", err
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// readAllInput reads the whole of stdin (for --with-token and
// --password-stdin), without the final line ending.
func (f *Factory) readAllInput() (string, error) {
	var r io.Reader = f.In
	if f.lines != nil {
		r = f.lines
	}
	b, err := io.ReadAll(io.LimitReader(r, 1<<16))
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

func (f *Factory) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

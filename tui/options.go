package tui

import (
	"context"
	"io"
	"time"

	"github.com/roster-cli/roster/client"
)

// Session is a provider opened for one profile: what every screen works on.
type Session struct {
	Profile  string          // profile name ("demo-qfieldcloud", "work", "env", …)
	Kind     string          // provider kind (client/providers)
	URL      string          // base URL, for the header
	Source   string          // token source: env | keyring | file | demo
	Org      string          // default organization (QFieldCloud); may be ""
	Username string          // signed-in account, when known
	Provider client.Provider // opened and wrapped by the session layer (internal/session)
	ReadOnly bool
}

// ProfileEntry is one line of the profile switcher.
type ProfileEntry struct {
	Name   string
	Kind   string
	URL    string
	Demo   bool
	Active bool
}

// SignInProvider is one provider the sign-in screen offers, from the
// registry (client/providers): the screen asks for a username and password
// when it has PasswordLogin, for an API token otherwise.
type SignInProvider struct {
	Kind          string
	DefaultURL    string
	PasswordLogin bool
}

// SignInRequest is what the sign-in screen collects; the same flow as
// `roster auth login`.
type SignInRequest struct {
	Provider string // a SignInProvider's Kind
	URL      string // "" = the provider's default
	Profile  string // "" = a name derived from provider and host
	Username string // PasswordLogin: username or e-mail
	Password string // PasswordLogin
	Token    string // otherwise: the API key
}

// Options start the app. The functions do IO: the TUI calls them only
// inside tea.Cmds, never in Update or View.
type Options struct {
	// Session is the profile to open; nil opens the sign-in screen, or
	// runs Start.
	Session *Session
	// Start, when Session is nil, opens the profile to start on in a
	// command, so the first frame does not wait for the keyring; a nil
	// session without an error means "not signed in" (sign-in screen).
	// StartProfile names it meanwhile.
	Start        func(ctx context.Context) (*Session, error)
	StartProfile string
	// Profiles lists the profiles for the switcher (demo and configured).
	Profiles func() []ProfileEntry
	// Open opens a profile by name (switcher).
	Open func(ctx context.Context, name string) (*Session, error)
	// SignIn runs the auth login flow and returns the new session.
	SignIn func(ctx context.Context, req SignInRequest) (*Session, error)
	// SignInProviders are the providers the sign-in screen offers.
	SignInProviders []SignInProvider
	// Version is shown in the help overlay.
	Version string
	// ReadOnly disables every write binding (also applied to sessions
	// opened later).
	ReadOnly bool
	// NoColor forces the Ascii profile (NO_COLOR, --no-color).
	NoColor bool
	// Timeout bounds each request (--timeout); 0 = 30 s.
	Timeout time.Duration
	// Mouse turns on mouse reporting (wheel scrolling in terminals that
	// do not turn the wheel into arrow keys). Off by default: capturing
	// the mouse takes native text selection away.
	Mouse bool
	// In and Out default to os.Stdin and os.Stdout.
	In  io.Reader
	Out io.Writer
	// Warnings carries what a command would print as a warning (an audit
	// log that cannot be written, a token in plain text): the TUI shows
	// each on its error line and in the messages view, since stderr would
	// scribble over the screen. Nil: none.
	Warnings <-chan string
}

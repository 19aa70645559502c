package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/providers"
	"github.com/roster-cli/roster/client/rest"
	"github.com/roster-cli/roster/config"
	"github.com/roster-cli/roster/internal/sanitize"
)

// Exit codes of the contract (spec/cli.md).
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitDrift   = 3
	exitNoLogin = 4
)

// usageError is a mistake in how roster was called: exit 2. suggestions
// are the commands a mistyped one may have meant (gh's "Did you mean
// this?"); usage is the command's usage line, shown when an argument is
// missing.
type usageError struct {
	msg         string
	suggestions []string
	usage       string
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errNotSignedIn: no profile or no token anywhere. It names every way
// forward: a saved profile, a token in the environment, or the demo.
var errNotSignedIn = errors.New("not signed in: run roster auth login, or set " + tokenEnvs() +
	" (roster --demo tries roster on built-in data)")

// tokenEnvs names the providers' token variables: "A or B".
func tokenEnvs() string {
	var names []string
	for _, info := range providers.All() {
		names = append(names, info.TokenEnv)
	}
	return strings.Join(names, " or ")
}

// hinted attaches a hint line to an error.
type hinted struct {
	err  error
	hint string
}

func (h *hinted) Error() string { return h.err.Error() }
func (h *hinted) Unwrap() error { return h.err }

func withHint(err error, hint string) error { return &hinted{err, hint} }

// noHint marks an error whose message already says what to do (login
// failures must not be told to log in).
type noHint struct{ error }

func (n noHint) Unwrap() error { return n.error }

// silentError carries an exit code whose messages were already printed
// (per-target reports, auth status).
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// exitCode is the one place errors become exit codes.
func exitCode(err error) int {
	var u *usageError
	var s *silentError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &s):
		return s.code
	case errors.As(err, &u),
		errors.Is(err, client.ErrBadInput),
		errors.Is(err, client.ErrUnsupported),
		errors.Is(err, client.ErrReadOnly),
		errors.Is(err, rest.ErrInsecureURL):
		return exitUsage
	case errors.Is(err, errNotSignedIn),
		errors.Is(err, config.ErrNoToken),
		errors.Is(err, config.ErrNoProfile),
		errors.Is(err, client.ErrUnauthenticated):
		return exitNoLogin
	}
	return exitFailed
}

// hintFor says what the user can do next, when that is not obvious from
// the message.
func hintFor(err error) string {
	var h *hinted
	if errors.As(err, &h) {
		return h.hint
	}
	var n noHint
	if errors.As(err, &n) {
		return ""
	}
	switch {
	case errors.Is(err, errNotSignedIn):
		return ""
	case errors.Is(err, config.ErrNoToken), errors.Is(err, config.ErrNoProfile):
		return "run roster auth login"
	case errors.Is(err, client.ErrUnauthenticated):
		return "the server refused the token: run roster auth login"
	case errors.Is(err, client.ErrRateLimited):
		return "the server is rate limiting roster: wait a minute and try again"
	case errors.Is(err, context.Canceled):
		return "" // the user pressed ctrl+c: the connection is not to blame
	case errors.Is(err, client.ErrNetwork):
		return "check the server URL (roster auth status) and your connection; --timeout waits longer"
	}
	return ""
}

// printError writes `roster: <what failed>: <why>` and the hint. Server
// text inside errors is untrusted, so the line is sanitised.
func printError(w io.Writer, err error) {
	msg := err.Error()
	// These sentinels only classify (for the exit code): the text before
	// them already says what is wrong.
	for _, s := range []error{client.ErrBadInput, client.ErrUnsupported} {
		if m := strings.TrimSuffix(msg, ": "+s.Error()); m != msg && strings.Contains(m, ": ") {
			msg = m
		}
	}
	fmt.Fprintf(w, "roster: %s\n", sanitize.Cell(msg, 2000))
	var u *usageError
	if errors.As(err, &u) {
		if len(u.suggestions) > 0 {
			fmt.Fprintf(w, "\nDid you mean this?\n")
			for _, s := range u.suggestions {
				fmt.Fprintf(w, "\t%s\n", s)
			}
			fmt.Fprintln(w)
		}
		if u.usage != "" {
			fmt.Fprintf(w, "Usage: %s\n", u.usage)
		}
	}
	// No hint that only repeats what the message already says.
	if h := hintFor(err); h != "" && !(strings.Contains(h, "roster auth login") && strings.Contains(msg, "roster auth login")) {
		fmt.Fprintf(w, "hint: %s\n", sanitize.Cell(h, 500))
	}
}

// quote shows a user-given or server value in messages.
func quote(s string) string {
	s = sanitize.Short(s)
	if s == "" || strings.ContainsAny(s, " \"'") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// wrap adds what was being done to an error that does not say it yet: the
// provider clients already wrap their errors with the action, and saying
// it twice reads badly. A bare server error or sentinel gets the context.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	if _, bare := err.(*client.APIError); bare || isSentinel(err) {
		return fmt.Errorf("%s: %w", what, err)
	}
	return err
}

func isSentinel(err error) bool {
	for _, s := range []error{client.ErrUnauthenticated, client.ErrForbidden, client.ErrNotFound,
		client.ErrInvalid, client.ErrLimitReached, client.ErrRateLimited, client.ErrServer,
		client.ErrNetwork, client.ErrUnsupported, client.ErrReadOnly, client.ErrConflict,
		client.ErrOutcomeUnknown, client.ErrBadInput} {
		if err == s {
			return true
		}
	}
	return false
}

package cmd

import (
	"errors"
	"strings"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/internal/sanitize"
)

// eachTarget runs one write per target, in order, and reports each: a ✓
// line on stdout for a success, a roster: line on stderr for a failure.
// With several targets and some failures it ends with a summary naming
// which succeeded and which failed (exit 1); a lone target's failure is
// returned as is. Targets whose write may or may not have been made are
// named apart from the failed ones: their error says how to check.
func (a *app) eachTarget(targets []string, do func(t string) (string, error), describe func(t string) string) error {
	var done, failed, unknown []string
	var errs []error
	for _, t := range targets {
		msg, err := do(t)
		if err != nil {
			if errors.Is(err, client.ErrOutcomeUnknown) {
				unknown = append(unknown, t)
			} else {
				failed = append(failed, t)
			}
			errs = append(errs, wrap(describe(t), err))
			if len(targets) > 1 {
				printError(a.errOut(), errs[len(errs)-1])
			}
			continue
		}
		done = append(done, t)
		a.done("%s", msg)
	}
	switch {
	case len(errs) == 0:
		return nil
	case len(targets) == 1:
		return errs[0]
	}
	code := exitCode(errs[0])
	for _, e := range errs[1:] {
		if exitCode(e) != code {
			code = exitFailed
		}
	}
	if len(done) > 0 {
		code = exitFailed
	}
	switch {
	case len(failed) > 0 && len(unknown) > 0:
		a.notef("roster: %d of %d failed: %s; outcome unknown: %s\n", len(failed), len(targets), list(failed), list(unknown))
	case len(failed) > 0:
		a.notef("roster: %d of %d failed: %s\n", len(failed), len(targets), list(failed))
	default:
		a.notef("roster: %d of %d with unknown outcome: %s\n", len(unknown), len(targets), list(unknown))
	}
	if len(done) > 0 {
		a.notef("done: %s\n", list(done))
	} else {
		a.notef("done: none\n")
	}
	return &silentError{code}
}

func list(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = sanitize.Short(s)
	}
	return strings.Join(out, ", ")
}

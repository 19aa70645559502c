package cmd

import (
	"errors"
	"fmt"
	"strings"
)

// errCancelled: the user answered no to a confirmation.
var errCancelled = errors.New("cancelled: nothing was changed")

// confirm asks before a destructive action. On a terminal it asks on
// stderr (default No); without one, --yes is required. Its errors do not
// repeat the question: every caller prefixes them with the action.
func (a *app) confirm(yes bool, question string) error {
	if yes || a.dry != nil {
		return nil
	}
	if !a.f.CanPrompt() {
		return usagef("pass --yes to confirm (no terminal to ask on)")
	}
	a.notef("? %s? [y/N] ", question)
	ans, err := a.f.readLine()
	if err != nil {
		a.notef("\n")
		return errCancelled
	}
	switch strings.ToLower(strings.TrimSpace(ans)) {
	case "y", "yes":
		return nil
	}
	return errCancelled
}

// ask reads one answer on the terminal; def is used for an empty answer.
func (a *app) ask(question, def string) (string, error) {
	if def != "" {
		a.notef("? %s [%s]: ", question, def)
	} else {
		a.notef("? %s: ", question)
	}
	ans, err := a.f.readLine()
	if err != nil {
		return "", fmt.Errorf("reading the answer: %w", err)
	}
	ans = strings.TrimSpace(ans)
	if ans == "" {
		return def, nil
	}
	return ans, nil
}

// askSecret reads a password or token without echo.
func (a *app) askSecret(question string) (string, error) {
	a.notef("? %s: ", question)
	s, err := a.f.ReadSecret()
	a.notef("\n")
	if err != nil {
		return "", fmt.Errorf("reading the answer: %w", err)
	}
	return strings.TrimSpace(s), nil
}

// choose asks for one of options by number or name.
func (a *app) choose(question string, options []string, def string) (string, error) {
	for i, o := range options {
		a.notef("  %d) %s\n", i+1, o)
	}
	for {
		ans, err := a.ask(question, def)
		if err != nil {
			return "", err
		}
		for i, o := range options {
			if ans == o || ans == fmt.Sprint(i+1) {
				return o, nil
			}
		}
		a.notef("  please answer one of: %s\n", strings.Join(options, ", "))
	}
}

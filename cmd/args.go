package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
)

// groupCmd is a noun (auth, members, …): alone it prints its help; an
// unknown verb is a usage error.
func groupCmd(use, short string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(c, args[0])
			}
			return c.Help()
		},
	}
}

// unknownCommand is a verb or noun roster does not have, with the ones
// that look like it.
func unknownCommand(c *cobra.Command, name string) error {
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2 // cobra's default, set only on its own path
	}
	return &usageError{
		msg:         fmt.Sprintf("unknown command %q for %q", name, c.CommandPath()),
		suggestions: c.SuggestionsFor(name),
	}
}

func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", c.CommandPath(), args[0])
	}
	return nil
}

// argsBetween checks the count of positional arguments.
func argsBetween(min, max int, names string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) < min || (max >= 0 && len(args) > max) {
			return usagef("%s: expected %s, got %d argument(s)", c.CommandPath(), names, len(args))
		}
		return nil
	}
}

package cmd

// The --dry-run transport itself is internal/session.DryRun: the session
// layer puts it under every provider of a dry run.

import (
	"github.com/spf13/cobra"
)

func addDryRunFlag(c *cobra.Command, on *bool) {
	c.Flags().BoolVar(on, "dry-run", false, "do the needed reads, print the writes (method, path, body) and send none")
}

// write filters the result of one write: under --dry-run the intercepted
// request is the expected outcome, not a failure.
func (a *app) write(err error) error {
	if err != nil && a.dry != nil && a.dry.Take() {
		return nil
	}
	return err
}

// done prints the ✓ line of a write (marked under --dry-run).
func (a *app) done(format string, args ...any) {
	if a.dry != nil {
		a.printf(format+" (dry run: nothing sent)\n", args...)
		return
	}
	a.printf("✓ "+format+"\n", args...)
}

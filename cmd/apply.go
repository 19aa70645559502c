package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/internal/plan"
	"github.com/roster-cli/roster/internal/sanitize"
)

func (a *app) newApplyCmd() *cobra.Command {
	var prune, yes bool
	c := &cobra.Command{
		Use:   "apply FILE",
		Short: "Make the server match a membership file, row by row",
		Long: `Show the plan for FILE (as roster plan does), ask for confirmation (--yes without
a terminal), compute the plan again right before sending, then make each change
in a safe order, printing the result of every row. A failed row does not stop
the others; the exit status is 1 if any failed. Removals are made only with
--prune. Qomon team changes are checked against the team as planned: a team
changed by someone else in the meantime is not overwritten.

QFieldCloud collaborator rows are added once the organization's members are
in, and removed before anyone leaves it. A team's row cannot be changed or
removed through the API: such a row is reported as not made (exit 1), never
as done.`,
		Args: argsBetween(1, 1, "FILE"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.apply(c.Context(), args[0], prune, yes)
		}),
	}
	c.Flags().BoolVar(&prune, "prune", false, "also remove members, team members and collaborator rows the file does not list")
	c.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	addDryRunFlag(c, &a.dryRunFlag)
	return c
}

func (a *app) apply(ctx context.Context, file string, prune, yes bool) error {
	action := "applying " + quote(file)
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, d, pl, err := a.computePlan(ctx, file, prune)
	if err != nil {
		return err
	}
	if err := writePlan(a.out(), pl); err != nil {
		return err
	}
	if pl.Sends()+pl.Unmade() == 0 {
		return nil
	}
	fresh := pl
	if n := pl.Sends(); n > 0 {
		question := fmt.Sprintf("Apply %d %s to %s", n, plural(n, "change", "changes"), where(pl.Organization))
		if err := a.confirm(yes, question); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		// The server may have moved while the plan was read or the
		// question answered: plan again, and apply only what is still to
		// do.
		if fresh, err = plan.Compute(ctx, s.prov, d, plan.Options{Prune: prune}); err != nil {
			return a.fileErrors(wrap("planning "+quote(file)+" again", err))
		}
		if !samePlan(pl, fresh) {
			a.printf("\nThe server changed since the plan above was read; the plan now is:\n\n")
			if err := writePlan(a.out(), fresh); err != nil {
				return err
			}
			if fresh.Sends()+fresh.Unmade() == 0 {
				return nil
			}
			if !yes && a.dry == nil && fresh.Sends() > 0 {
				if err := a.confirm(false, "Apply this plan instead"); err != nil {
					return fmt.Errorf("%s: %w", action, err)
				}
			}
		}
	}
	a.printf("\n")
	unmade := 0
	ok, failed := plan.Apply(ctx, s.prov, fresh, func(st plan.Step, err error) {
		what := sanitize.Cell(st.Describe(), 200)
		if errors.Is(err, plan.ErrNoAPI) {
			// Never sent, so no audit entry and no dry-run line: it is
			// reported, never as done.
			unmade++
			a.printf("✗ %s: %s\n", what, sanitize.Cell(err.Error(), 500))
			return
		}
		switch err = a.write(err); {
		case err == nil && a.dry != nil:
			a.printf("  %s (dry run: nothing sent)\n", what)
		case err == nil:
			a.printf("✓ %s\n", what)
		default:
			a.printf("✗ %s: %s\n", what, sanitize.Cell(err.Error(), 500))
		}
	})
	if a.dry != nil {
		sent := ok + failed - unmade
		a.printf("\nDry run: %d %s printed, nothing sent.\n", sent, plural(sent, "write", "writes"))
		if unmade > 0 {
			a.notef("roster: %s: %d %s cannot be made through the API (marked ✗ above)\n", action, unmade, plural(unmade, "row", "rows"))
			return &silentError{exitFailed}
		}
		return nil
	}
	a.printf("\n%d done, %d failed.\n", ok, failed)
	if failed > 0 {
		why := ""
		if unmade > 0 {
			why = fmt.Sprintf("; %d cannot be made through the API", unmade)
		}
		a.notef("roster: %s: %d of %d %s failed (marked ✗ above%s)\n", action, failed, ok+failed, plural(ok+failed, "change", "changes"), why)
		return &silentError{exitFailed}
	}
	return nil
}

// samePlan reports whether two plans hold the same steps.
func samePlan(a, b *plan.Plan) bool {
	x, err1 := json.Marshal(a.Steps)
	y, err2 := json.Marshal(b.Steps)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

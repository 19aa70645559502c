package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/internal/access"
	"github.com/roster-cli/roster/internal/sanitize"
)

func (a *app) newOffboardCmd() *cobra.Command {
	var org string
	var yes bool
	c := &cobra.Command{
		Use:   "offboard USER",
		Short: "Remove USER from every project row, team and organization, after one plan",
		Long: `Work out everything USER can reach (as roster access does) in ORG, or in every
organization you administer and the personal projects you own or manage, and plan its
removal: their own collaborator rows, then their teams, then their
memberships. The plan is printed like roster plan, confirmed once (--yes
without a terminal), and applied row by row with a result and an audit entry
for each.

What the API cannot remove is listed as left, with the way to finish by hand:
an organization or project they own, projects you cannot read the rows of,
and any row the server refuses. Team rows are not the person's: leaving the
team ends that access. The exit status is 1 when anything is left.`,
		Example: `  # see what would be removed, send nothing
  roster offboard ines --dry-run

  # one organization, no question asked
  roster offboard ines --org fieldops --yes`,
		Args: argsBetween(1, 1, "USER"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.offboard(c.Context(), args[0], org, yes)
		}),
	}
	c.Flags().StringVar(&org, "org", "", "only this organization (default: every organization you administer)")
	c.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	addDryRunFlag(c, &a.dryRunFlag)
	return c
}

func (a *app) offboard(ctx context.Context, user, org string, yes bool) error {
	action := "offboarding " + quote(user)
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, err := a.openProjects(ctx, action)
	if err != nil {
		return err
	}
	me, err := s.prov.CurrentUser(ctx)
	if err != nil {
		return wrap(action, err)
	}
	if me.Username == user {
		return usagef("%s: that is you: roster will not remove the account it works with", action)
	}
	r, err := a.gatherAccess(ctx, s, user, org)
	if err != nil {
		return err
	}
	pl := access.PlanOffboard(r)
	writeOffboardPlan(a, r, pl, org)
	if len(pl.Steps) == 0 {
		if len(pl.Left) > 0 {
			return fmt.Errorf("%s: nothing the API can remove; %d %s left (above)", action, len(pl.Left), plural(len(pl.Left), "way in is", "ways in are"))
		}
		return nil
	}
	n := len(pl.Steps)
	if err := a.confirm(yes, fmt.Sprintf("Make these %d %s for %s", n, plural(n, "removal", "removals"), quote(user))); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	a.printf("\n")
	limit := access.MaxInFlight
	if a.dry != nil {
		limit = 1 // the printed requests then follow the plan's order
	}
	var failed []access.Result
	access.Apply(ctx, s.prov, pl, limit, func(res access.Result) {
		what := sanitize.Cell(res.Step.Describe(user), 200)
		switch err := a.write(res.Err); {
		case err == nil && a.dry != nil:
			a.printf("  %s (dry run: nothing sent)\n", what)
		case err == nil:
			a.printf("✓ %s\n", what)
		default:
			failed = append(failed, access.Result{Step: res.Step, Err: err})
			a.printf("✗ %s: %s\n", what, sanitize.Cell(err.Error(), 500))
		}
	})
	if a.dry != nil {
		a.printf("\nDry run: %d %s printed, nothing sent.\n", n, plural(n, "removal", "removals"))
		return nil
	}
	for _, f := range failed {
		pl.Left = append(pl.Left, access.Left{What: f.Step.Describe(user), Why: "the server refused: " + f.Err.Error(), Fix: f.Step.ByHand(user)})
	}
	if len(pl.Left) > 0 {
		a.printf("\nLeft, to finish by hand:\n")
		writeLeft(a, pl.Left)
		var unknown bool
		for _, f := range failed {
			unknown = unknown || errors.Is(f.Err, client.ErrOutcomeUnknown)
		}
		msg := fmt.Sprintf("all %d %s made, but %d %s left (listed above)", n, plural(n, "removal", "removals"), len(pl.Left), plural(len(pl.Left), "way in is", "ways in are"))
		if len(failed) > 0 {
			msg = fmt.Sprintf("%d of %d removals failed; %d %s left (listed above)", len(failed), n, len(pl.Left), plural(len(pl.Left), "way in is", "ways in are"))
		}
		if unknown {
			msg += "; some outcomes are unknown: run roster access " + user + " to check"
		}
		return fmt.Errorf("%s: %s", action, msg)
	}
	a.printf("\n%s reaches nothing more in %s.\n", quote(user), scopeText(r, org))
	return nil
}

// writeOffboardPlan prints the plan as roster plan does: rows grouped by
// project, team and organization, "-" for each removal, then what is left
// and a summary.
func writeOffboardPlan(a *app, r *access.Report, pl *access.Plan, org string) {
	var b strings.Builder
	fmt.Fprintf(&b, "Offboarding plan for %s, in %s:\n", quote(r.User), scopeText(r, org))
	width := runewidth.StringWidth(sanitize.Cell(r.User, maxCell))
	for _, st := range pl.Steps {
		var group, detail string
		switch st.Kind {
		case access.StepCollaborator:
			group, detail = "project "+st.Project, "own row, was "+st.Before
		case access.StepTeam:
			group = "team " + st.Org + "/" + st.Team
		case access.StepMember:
			group, detail = "organization "+st.Org, "was "+st.Before
		}
		fmt.Fprintf(&b, "\n%s\n", sanitize.Cell(group, 2*maxCell))
		line := "  - " + sanitize.Cell(r.User, maxCell)
		if detail != "" {
			line += strings.Repeat(" ", width-runewidth.StringWidth(sanitize.Cell(r.User, maxCell))) + "  " + sanitize.Cell(detail, 4*maxCell)
		}
		b.WriteString(line + "\n")
	}
	if len(pl.Steps) == 0 {
		fmt.Fprintf(&b, "\nNothing to remove through the API.\n")
	}
	a.printf("%s", b.String())
	if len(pl.Left) > 0 {
		a.printf("\nLeft (the API cannot remove these):\n")
		writeLeft(a, pl.Left)
	}
	a.printf("\n%d to remove, %d left\n", len(pl.Steps), len(pl.Left))
}

func writeLeft(a *app, left []access.Left) {
	for _, l := range left {
		a.printf("  %s: %s\n    to finish: %s\n", sanitize.Cell(l.What, 2*maxCell), sanitize.Cell(l.Why, 500), sanitize.Cell(l.Fix, 500))
	}
}

package cmd

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/internal/plan"
	"github.com/roster-cli/roster/internal/sanitize"
)

func (a *app) newPlanCmd() *cobra.Command {
	var o outputFlags
	var prune bool
	c := &cobra.Command{
		Use:   "plan FILE",
		Short: "Show the difference between a membership file and the server",
		Long: `Compare FILE (see roster export) with the server and show every difference:
+ additions, ~ role or visibility changes, - removals, grouped by organization,
team and project (QFieldCloud collaborator rows). Removals are shown and counted without --prune too, marked as kept
(roster apply makes them only with --prune); with --prune the plan is exactly
what roster apply --prune runs. A row the API cannot make is shown as such.

Exit status: 0 the server matches the file, 3 any difference (drift), 1, 2 or 4
on failure.`,
		Args: argsBetween(1, 1, "FILE"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.plan(c.Context(), args[0], prune, o)
		}),
	}
	c.Flags().BoolVar(&prune, "prune", false, "plan removals as apply --prune would make them")
	addJSONFlag(c, &o)
	return c
}

// planJSON is the --json document of plan and apply.
type planJSON struct {
	*plan.Plan
	Summary plan.Counts `json:"summary"`
}

func (a *app) plan(ctx context.Context, file string, prune bool, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	_, _, pl, err := a.computePlan(ctx, file, prune)
	if err != nil {
		return err
	}
	if f == formatJSON {
		if err := writeJSON(a.out(), planJSON{pl, pl.Counts()}); err != nil {
			return err
		}
	} else if err := writePlan(a.out(), pl); err != nil {
		return err
	}
	// Any difference is drift, also one apply would not act on without
	// --prune or cannot make: a CI job running plan must see it.
	if pl.Drift() {
		return &silentError{exitDrift}
	}
	return nil
}

// computePlan reads the file, opens the profile and compares.
func (a *app) computePlan(ctx context.Context, file string, prune bool) (*session, *plan.Document, *plan.Plan, error) {
	d, err := a.readPlanFile(file)
	if err != nil {
		return nil, nil, nil, a.fileErrors(err)
	}
	s, err := a.open(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	pl, err := plan.Compute(ctx, s.prov, d, plan.Options{Prune: prune})
	if err != nil {
		return nil, nil, nil, a.fileErrors(wrap("planning "+quote(file), err))
	}
	return s, d, pl, nil
}

// planRow is one line of the human plan.
type planRow struct {
	op, who, detail string
}

func stepRow(s plan.Step) planRow {
	r := planRow{op: string(s.Op), who: s.Label}
	if r.who == "" {
		r.who = s.User
	}
	switch s.Action {
	case plan.ActMemberAdd:
		r.detail = s.After
	case plan.ActMemberUpdate, plan.ActTeamLeaderAdd, plan.ActTeamLeaderRemove:
		r.detail = s.Before + " → " + s.After
	case plan.ActMemberRemove:
		r.detail = "was " + s.Before
	case plan.ActTeamMemberAdd:
		if s.Leader {
			r.detail = "as leader"
		}
	case plan.ActTeamMemberRemove:
		if s.Before != "" {
			r.detail = "was " + s.Before
		}
	case plan.ActTeamPrivate:
		r.who = "visibility"
		r.detail = s.Before + " → " + s.After
	case plan.ActCollaboratorAdd:
		r.detail = s.After
	case plan.ActCollaboratorRole:
		r.detail = s.Before + " → " + s.After
	case plan.ActCollaboratorDel:
		r.detail = "was " + s.Before
	}
	switch {
	case s.Blocked != "":
		r.detail = strings.TrimSpace(r.detail + "  (cannot be made through the API: " + s.Blocked + ")")
	case s.Held:
		r.detail = strings.TrimSpace(r.detail + "  (kept: removals need --prune)")
	}
	return r
}

// writePlan prints a plan for a reviewer: rows grouped by organization
// (or space) and team, + before ~ before -, then a one-line summary.
// Server text is sanitised.
func writePlan(w io.Writer, pl *plan.Plan) error {
	var b strings.Builder
	where := "Qomon space"
	if pl.Organization != "" {
		where = "QFieldCloud organization " + pl.Organization
	}
	fmt.Fprintf(&b, "Plan for %s, from %s:\n", sanitize.Short(where), sanitize.Short(pl.File))
	groups := map[string][]plan.Step{}
	var names []string
	for _, s := range pl.Steps {
		if groups[s.Group] == nil {
			names = append(names, s.Group)
		}
		groups[s.Group] = append(groups[s.Group], s)
	}
	// The organization (or space) first, then teams, then projects, each
	// by name.
	kind := func(g string) int {
		switch {
		case strings.HasPrefix(g, "team "):
			return 1
		case strings.HasPrefix(g, "project "):
			return 2
		}
		return 0
	}
	sort.SliceStable(names, func(i, j int) bool {
		if ki, kj := kind(names[i]), kind(names[j]); ki != kj {
			return ki < kj
		}
		return names[i] < names[j]
	})
	width := 0
	for _, s := range pl.Steps {
		width = max(width, runewidth.StringWidth(sanitize.Cell(stepRow(s).who, maxCell)))
	}
	rank := map[plan.Op]int{plan.OpAdd: 0, plan.OpChange: 1, plan.OpRemove: 2}
	for _, g := range names {
		steps := groups[g]
		sort.SliceStable(steps, func(i, j int) bool { return rank[steps[i].Op] < rank[steps[j].Op] })
		fmt.Fprintf(&b, "\n%s\n", sanitize.Cell(g, 2*maxCell))
		for _, s := range steps {
			r := stepRow(s)
			who := sanitize.Cell(r.who, maxCell)
			line := fmt.Sprintf("  %s %s", r.op, who)
			if r.detail != "" {
				line += strings.Repeat(" ", width-runewidth.StringWidth(who)) + "  " + sanitize.Cell(r.detail, 4*maxCell)
			}
			b.WriteString(line + "\n")
		}
	}
	if len(pl.Steps) == 0 {
		b.WriteString("\nNo changes: the server matches the file.\n")
	}
	fmt.Fprintf(&b, "\n%s\n", summary(pl.Counts()))
	_, err := io.WriteString(w, b.String())
	return err
}

// summary counts every difference, including the removals apply keeps
// without --prune and the rows the API cannot make: a plan that shows
// drift never reads as "nothing to do".
func summary(c plan.Counts) string {
	s := fmt.Sprintf("%d to add, %d to change, %d to remove", c.Add, c.Change, c.Remove)
	switch {
	case c.Held == 0:
	case c.Held == c.Remove:
		s += ", kept: apply needs --prune"
	default:
		s += fmt.Sprintf(" (%d kept: apply needs --prune)", c.Held)
	}
	if c.Blocked > 0 {
		s += fmt.Sprintf("; %d cannot be made through the API", c.Blocked)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

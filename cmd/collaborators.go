package cmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
)

func (a *app) newCollaboratorsCmd() *cobra.Command {
	c := groupCmd("collaborators", "List, add, change and remove a QFieldCloud project's collaborators")
	c.Long = `A project's collaborators are rows naming a person, or a team as @ORG/TEAM, with a
role: admin, manager, editor, reporter or reader. They are not everyone with access:
project and organization owners, organization admins, team members and the
organization's default role reach projects without a row of their own
(roster access USER shows one person's every way in).

A team's row can be added but not changed or removed through the API: use the
web UI, or delete the team (its rows go with it).`
	c.Example = `  roster collaborators list fieldops/tree-inventory
  roster collaborators add fieldops/tree-inventory @fieldops/surveyors --role editor
  roster collaborators set-role fieldops/tree-inventory lucas reporter
  roster collaborators remove fieldops/tree-inventory lucas --yes`

	var lo outputFlags
	list := &cobra.Command{
		Use:   "list PROJECT",
		Short: "List a project's collaborator rows (persons, then teams)",
		Example: `  roster collaborators list fieldops/tree-inventory
  roster collaborators list fieldops/tree-inventory --json`,
		Args: argsBetween(1, 1, "PROJECT"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.collaboratorsList(c.Context(), args[0], lo)
		}),
	}
	addListFlags(list, &lo)

	var role string
	add := &cobra.Command{
		Use:   "add PROJECT USER...",
		Short: "Add persons or teams (@ORG/TEAM) to a project (default role reader)",
		Example: `  # give the survey crew editor access
  roster collaborators add fieldops/wetland-survey @fieldops/surveyors --role editor

  # two people as readers; see the requests first
  roster collaborators add fieldops/wetland-survey maria olga --dry-run`,
		Args: argsBetween(2, -1, "PROJECT USER..."),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.collaboratorsAdd(c.Context(), args[0], args[1:], role)
		}),
	}
	add.Flags().StringVar(&role, "role", client.DefaultProjectRole, "role of the new rows: "+client.ProjectRoleList())

	setRole := &cobra.Command{
		Use:   "set-role PROJECT USER ROLE",
		Short: "Change a person's role on a project (teams: web UI only)",
		Example: `  roster collaborators set-role fieldops/wetland-survey ines manager
  roster collaborators set-role fieldops/wetland-survey ines reader --dry-run`,
		Args: argsBetween(3, 3, "PROJECT USER ROLE"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.collaboratorsSetRole(c.Context(), args[0], args[1], args[2])
		}),
	}

	var yes bool
	remove := &cobra.Command{
		Use:   "remove PROJECT USER...",
		Short: "Remove persons' rows from a project (asks first; --yes without a terminal)",
		Example: `  roster collaborators remove fieldops/wetland-survey pablo
  roster collaborators remove fieldops/wetland-survey pablo ines --yes`,
		Args: argsBetween(2, -1, "PROJECT USER..."),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.collaboratorsRemove(c.Context(), args[0], args[1:], yes)
		}),
	}
	remove.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")

	addDryRunFlag(add, &a.dryRunFlag)
	addDryRunFlag(setRole, &a.dryRunFlag)
	addDryRunFlag(remove, &a.dryRunFlag)
	c.AddCommand(list, add, setRole, remove)
	return c
}

func collaboratorColumns(forCSV bool) []column[client.Collaborator] {
	if forCSV {
		return []column[client.Collaborator]{
			{"", "project_id", func(c client.Collaborator) string { return c.ProjectID }},
			{"", "collaborator", func(c client.Collaborator) string { return c.User }},
			{"", "type", func(c client.Collaborator) string { return string(c.Type) }},
			{"", "role", func(c client.Collaborator) string { return c.Role }},
			{"", "created_by", func(c client.Collaborator) string { return c.CreatedBy }},
			{"", "created_at", func(c client.Collaborator) string { return stampOf(c.CreatedAt) }},
		}
	}
	return []column[client.Collaborator]{
		{"COLLABORATOR", "", func(c client.Collaborator) string { return c.User }},
		{"TYPE", "", func(c client.Collaborator) string { return string(c.Type) }},
		{"ROLE", "", func(c client.Collaborator) string { return c.Role }},
		{"ADDED BY", "", func(c client.Collaborator) string { return c.CreatedBy }},
	}
}

func (a *app) collaboratorsList(ctx context.Context, ref string, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	s, err := a.openProjects(ctx, "listing the collaborators of "+quote(ref))
	if err != nil {
		return err
	}
	// An id needs no lookup: the list is then one request.
	id, label := strings.ToLower(ref), ref
	if !client.IsProjectID(ref) {
		p, err := resolveProject(ctx, s, ref)
		if err != nil {
			return err
		}
		id, label = p.ID, p.FullName()
	}
	what := "collaborators of " + quote(label)
	rows, err := s.prov.Collaborators(ctx, id)
	if err := printList(a, f, what, collaboratorColumns(f == formatCSV), all(rows, err)); err != nil {
		return wrap("listing "+what, err)
	}
	return nil
}

// checkRole refuses an unknown project role before anything is read.
func checkRole(role string) error {
	if !client.ValidProjectRole(role) {
		return usagef("unknown project role %s (roles: %s; case-sensitive)", quote(role), client.ProjectRoleList())
	}
	return nil
}

// teamRowRefusal is the exit-2 answer for changing a team's row: the API
// has no route that can address @ORG/TEAM, so nothing is sent.
func teamRowRefusal(action string, teams []string) error {
	org, team, _ := client.SplitTeamAccount(teams[0])
	return usagef("%s: a team's row (%s) cannot be changed or removed through the QFieldCloud API: change it in the project's settings in the web UI, or remove every row of the team by deleting it (roster teams delete %s/%s)",
		action, list(teams), org, team)
}

func teamsIn(users []string) []string {
	var teams []string
	for _, u := range users {
		if client.IsTeamAccount(u) {
			teams = append(teams, u)
		}
	}
	return teams
}

func (a *app) collaboratorsAdd(ctx context.Context, ref string, users []string, role string) error {
	action := fmt.Sprintf("adding collaborators to %s", quote(ref))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	if err := checkRole(role); err != nil {
		return err
	}
	for _, u := range users {
		if strings.HasPrefix(u, "@") && !client.IsTeamAccount(u) {
			return usagef("%s: %s: a team is written @ORG/TEAM", action, quote(u))
		}
	}
	s, err := a.openProjects(ctx, action)
	if err != nil {
		return err
	}
	p, err := resolveProject(ctx, s, ref)
	if err != nil {
		return err
	}
	label := quote(p.FullName())
	return a.eachTarget(users, func(u string) (string, error) {
		got, err := s.prov.AddCollaborator(ctx, p.ID, client.CollaboratorSpec{User: u, Role: role})
		if err := a.write(err); err != nil {
			return "", err
		}
		return fmt.Sprintf("Added %s to %s as %s", quote(u), label, quote(orDefault(got.Role, role))), nil
	}, func(u string) string { return fmt.Sprintf("adding %s to %s", quote(u), label) })
}

func (a *app) collaboratorsSetRole(ctx context.Context, ref, user, role string) error {
	action := fmt.Sprintf("changing the role of %s on %s", quote(user), quote(ref))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	if err := checkRole(role); err != nil {
		return err
	}
	if teams := teamsIn([]string{user}); len(teams) > 0 {
		return teamRowRefusal(action, teams)
	}
	s, err := a.openProjects(ctx, action)
	if err != nil {
		return err
	}
	p, err := resolveProject(ctx, s, ref)
	if err != nil {
		return err
	}
	got, err := s.prov.SetCollaboratorRole(ctx, p.ID, user, role)
	if err = a.write(err); err != nil {
		return wrap(fmt.Sprintf("changing the role of %s on %s", quote(user), quote(p.FullName())), err)
	}
	a.done("%s is now %s on %s", quote(user), quote(orDefault(got.Role, role)), quote(p.FullName()))
	return nil
}

func (a *app) collaboratorsRemove(ctx context.Context, ref string, users []string, yes bool) error {
	action := fmt.Sprintf("removing collaborators from %s", quote(ref))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	if teams := teamsIn(users); len(teams) > 0 {
		return teamRowRefusal(action, teams)
	}
	s, err := a.openProjects(ctx, action)
	if err != nil {
		return err
	}
	p, err := resolveProject(ctx, s, ref)
	if err != nil {
		return err
	}
	label := quote(p.FullName())
	question := fmt.Sprintf("Remove %s from %s", list(users), label)
	if len(users) > 1 {
		question = fmt.Sprintf("Remove %d collaborators (%s) from %s", len(users), list(users), label)
	}
	if err := a.confirm(yes, question); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	return a.eachTarget(users, func(u string) (string, error) {
		if err := a.write(s.prov.RemoveCollaborator(ctx, p.ID, u)); err != nil {
			return "", err
		}
		return fmt.Sprintf("Removed %s from %s", quote(u), label), nil
	}, func(u string) string { return fmt.Sprintf("removing %s from %s", quote(u), label) })
}

func stampOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/internal/sanitize"
)

func (a *app) newTeamsCmd() *cobra.Command {
	c := groupCmd("teams", "List, create, rename and delete teams; add and remove team members")
	var orgFlag string
	c.PersistentFlags().StringVar(&orgFlag, "org", "", "organization of the team (QFieldCloud; default: the profile's)")

	var lo outputFlags
	list := &cobra.Command{
		Use:   "list",
		Short: "List teams",
		Args:  noArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			return a.teamsList(c.Context(), orgFlag, lo)
		}),
	}
	addJSONFlag(list, &lo)

	var gof outputFlags
	get := &cobra.Command{
		Use:   "get TEAM",
		Short: "Show a team (QFieldCloud: ORG/TEAM; Qomon: id or exact name)",
		Args:  argsBetween(1, 1, "TEAM"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.teamsGet(c.Context(), orgFlag, args[0], gof)
		}),
	}
	addJSONFlag(get, &gof)

	var private bool
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a team",
		Args:  argsBetween(1, 1, "NAME"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.teamsCreate(c.Context(), orgFlag, args[0], private, c.Flags().Changed("private"))
		}),
	}
	create.Flags().BoolVar(&private, "private", false, "make the team private (Qomon)")

	rename := &cobra.Command{
		Use:   "rename TEAM NEWNAME",
		Short: "Rename a team",
		Args:  argsBetween(2, 2, "TEAM NEWNAME"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.teamsRename(c.Context(), orgFlag, args[0], args[1])
		}),
	}

	var delYes bool
	del := &cobra.Command{
		Use:   "delete TEAM",
		Short: "Delete a team (asks first; --yes without a terminal)",
		Args:  argsBetween(1, 1, "TEAM"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.teamsDelete(c.Context(), orgFlag, args[0], delYes)
		}),
	}
	del.Flags().BoolVarP(&delYes, "yes", "y", false, "do not ask for confirmation")

	var mo outputFlags
	members := &cobra.Command{
		Use:   "members TEAM",
		Short: "List a team's members",
		Args:  argsBetween(1, 1, "TEAM"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.teamsMembers(c.Context(), orgFlag, args[0], mo)
		}),
	}
	addJSONFlag(members, &mo)

	var leader bool
	addMember := &cobra.Command{
		Use:   "add-member TEAM USER...",
		Short: "Add people to a team",
		Args:  argsBetween(2, -1, "TEAM USER..."),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.teamsAddMembers(c.Context(), orgFlag, args[0], args[1:], leader, c.Flags().Changed("leader"))
		}),
	}
	addMember.Flags().BoolVar(&leader, "leader", false, "also make them leaders (Qomon)")

	var rmYes bool
	removeMember := &cobra.Command{
		Use:   "remove-member TEAM USER...",
		Short: "Remove people from a team (asks first; --yes without a terminal)",
		Args:  argsBetween(2, -1, "TEAM USER..."),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.teamsRemoveMembers(c.Context(), orgFlag, args[0], args[1:], rmYes)
		}),
	}
	removeMember.Flags().BoolVarP(&rmYes, "yes", "y", false, "do not ask for confirmation")

	addDryRunFlag(create, &a.dryRunFlag)
	addDryRunFlag(rename, &a.dryRunFlag)
	addDryRunFlag(del, &a.dryRunFlag)
	addDryRunFlag(addMember, &a.dryRunFlag)
	addDryRunFlag(removeMember, &a.dryRunFlag)
	c.AddCommand(list, get, create, rename, del, members, addMember, removeMember)
	return c
}

// teamRef resolves TEAM: on QFieldCloud ORG/TEAM, or TEAM with --org (or
// the profile's organization); on Qomon an id or exact name.
func teamRef(s *session, ref, orgFlag string) (org, team string, err error) {
	if !s.needsOrg() {
		if orgFlag != "" {
			return "", "", usagef("--org: %s has no organizations (the token selects the space)", s.prov.Kind())
		}
		return "", ref, nil
	}
	if o, t, ok := strings.Cut(ref, "/"); ok {
		if o == "" || t == "" {
			return "", "", usagef("team %s: expected ORG/TEAM", quote(ref))
		}
		if orgFlag != "" && orgFlag != o {
			return "", "", usagef("team %s is in %s, but --org says %s", quote(ref), quote(o), quote(orgFlag))
		}
		return o, t, nil
	}
	if org, err = s.org(orgFlag); err != nil {
		return "", "", usagef("team %s: give it as ORG/TEAM or pass --org", quote(ref))
	}
	return org, ref, nil
}

// teamLabel names a team in messages.
func teamLabel(org, team string) string {
	if org != "" {
		return quote(org + "/" + team)
	}
	return "team " + quote(team)
}

func (a *app) teamsList(ctx context.Context, orgFlag string, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	org, err := s.org(orgFlag)
	if err != nil {
		return err
	}
	l, err := client.ListTeams(ctx, s.prov, org)
	teams := l.Teams
	if err == nil && l.PublicOnly {
		// Announced, never silent; stdout (and --json) stays the list.
		a.notef("roster: note: %s\n", client.PublicTeamsNote)
	}
	cols := []column[client.Team]{
		{"NAME", "name", func(t client.Team) string { return t.Name }},
		{"ID", "id", func(t client.Team) string { return unlessSame(t.ID, t.Name) }},
		{"ORGANIZATION", "organization", func(t client.Team) string { return t.Organization }},
		{"MEMBERS", "members", func(t client.Team) string { return fmt.Sprint(len(t.Members)) }},
		{"PRIVATE", "private", func(t client.Team) string {
			if !s.prov.Can(client.CapTeamPrivate) {
				return ""
			}
			return yesNo(t.Private)
		}},
	}
	what := "teams in " + where(org)
	if err := printList(a, f, what, cols, all(teams, err)); err != nil {
		return wrap(fmt.Sprintf("listing %s", what), err)
	}
	return nil
}

func (a *app) openTeam(ctx context.Context, orgFlag, ref string) (*session, string, string, error) {
	s, err := a.open(ctx)
	if err != nil {
		return nil, "", "", err
	}
	org, team, err := teamRef(s, ref, orgFlag)
	if err != nil {
		return nil, "", "", err
	}
	return s, org, team, nil
}

func (a *app) teamsGet(ctx context.Context, orgFlag, ref string, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	s, org, team, err := a.openTeam(ctx, orgFlag, ref)
	if err != nil {
		return err
	}
	t, err := s.prov.Team(ctx, org, team)
	if err != nil {
		return wrap(fmt.Sprintf("getting %s", teamLabel(org, team)), err)
	}
	if f == formatJSON {
		return writeJSON(a.out(), t)
	}
	var fs fields
	fs.add("name", t.Name)
	fs.add("id", unlessSame(t.ID, t.Name))
	fs.add("organization", t.Organization)
	fs.add("description", t.Description)
	if s.prov.Can(client.CapTeamPrivate) {
		fs.add("private", yesNo(t.Private))
	}
	fs.add("address", formatAddress(t.Address))
	var names []string
	for _, m := range t.Members {
		n := m.User
		if m.Name != "" {
			n = m.Name
		}
		if m.Leader {
			n += " (leader)"
		}
		names = append(names, n)
	}
	fs.add("members", fmt.Sprintf("%d", len(t.Members)))
	if err := fs.write(a.out()); err != nil {
		return err
	}
	for _, n := range names {
		a.printf("  - %s\n", sanitize.Cell(n, maxCell))
	}
	return nil
}

func (a *app) teamsCreate(ctx context.Context, orgFlag, name string, private, privateSet bool) error {
	action := fmt.Sprintf("creating team %s", quote(name))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	org, err := s.org(orgFlag)
	if err != nil {
		return err
	}
	if org != "" {
		action = fmt.Sprintf("creating team %s in %s", quote(name), quote(org))
	}
	if err := s.require(client.CapTeamCreate, action); err != nil {
		return err
	}
	if privateSet && !s.prov.Can(client.CapTeamPrivate) {
		return fmt.Errorf("%s: --private: %s has no private teams: %w", action, s.prov.Kind(), client.ErrUnsupported)
	}
	t, err := s.prov.CreateTeam(ctx, org, client.TeamSpec{Name: name, Private: private})
	if err = a.write(err); err != nil {
		return wrap(action, err)
	}
	label := teamLabel(org, orDefault(t.Name, name))
	if t.ID != "" && t.ID != t.Name {
		label += " (id " + t.ID + ")"
	}
	a.done("Created %s", label)
	return nil
}

func (a *app) teamsRename(ctx context.Context, orgFlag, ref, name string) error {
	action := fmt.Sprintf("renaming team %s to %s", quote(ref), quote(name))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, org, team, err := a.openTeam(ctx, orgFlag, ref)
	if err != nil {
		return err
	}
	action = fmt.Sprintf("renaming %s to %s", teamLabel(org, team), quote(name))
	if err := s.require(client.CapTeamRename, action); err != nil {
		return err
	}
	if _, err := s.prov.RenameTeam(ctx, org, team, name); a.write(err) != nil {
		return wrap(action, err)
	}
	a.done("Renamed %s to %s", teamLabel(org, team), quote(name))
	return nil
}

func (a *app) teamsDelete(ctx context.Context, orgFlag, ref string, yes bool) error {
	action := fmt.Sprintf("deleting team %s", quote(ref))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, org, team, err := a.openTeam(ctx, orgFlag, ref)
	if err != nil {
		return err
	}
	action = "deleting " + teamLabel(org, team)
	if err := s.require(client.CapTeamDelete, action); err != nil {
		return err
	}
	if err := a.confirm(yes, "Delete "+teamLabel(org, team)+" and its memberships"); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	if err := a.write(s.prov.DeleteTeam(ctx, org, team)); err != nil {
		return wrap(action, err)
	}
	a.done("Deleted %s", teamLabel(org, team))
	return nil
}

func (a *app) teamsMembers(ctx context.Context, orgFlag, ref string, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	s, org, team, err := a.openTeam(ctx, orgFlag, ref)
	if err != nil {
		return err
	}
	t, err := s.prov.Team(ctx, org, team)
	members := t.Members
	if members == nil {
		members = []client.TeamMember{}
	}
	cols := []column[client.TeamMember]{
		{"USER", "user", func(m client.TeamMember) string { return m.User }},
		{"NAME", "name", func(m client.TeamMember) string { return m.Name }},
		{"EMAIL", "email", func(m client.TeamMember) string { return m.Email }},
		{"LEADER", "leader", func(m client.TeamMember) string {
			if !s.prov.Can(client.CapTeamLeaders) {
				return ""
			}
			return yesNo(m.Leader)
		}},
	}
	what := "members of " + teamLabel(org, team)
	if err := printList(a, f, what, cols, all(members, err)); err != nil {
		return wrap(fmt.Sprintf("listing %s", what), err)
	}
	return nil
}

func (a *app) teamsAddMembers(ctx context.Context, orgFlag, ref string, users []string, leader, leaderSet bool) error {
	action := fmt.Sprintf("adding to team %s", quote(ref))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, org, team, err := a.openTeam(ctx, orgFlag, ref)
	if err != nil {
		return err
	}
	label := teamLabel(org, team)
	if err := s.require(client.CapTeamMembers, "adding to "+label); err != nil {
		return err
	}
	if leaderSet && !s.prov.Can(client.CapTeamLeaders) {
		return fmt.Errorf("adding to %s: --leader: %s has no team leaders: %w", label, s.prov.Kind(), client.ErrUnsupported)
	}
	as := ""
	if leader {
		as = " as a leader"
	}
	return a.eachTarget(users, func(u string) (string, error) {
		if err := a.write(s.prov.AddTeamMember(ctx, org, team, u, leader)); err != nil {
			return "", err
		}
		return fmt.Sprintf("Added %s to %s%s", quote(u), label, as), nil
	}, func(u string) string { return fmt.Sprintf("adding %s to %s", quote(u), label) })
}

func (a *app) teamsRemoveMembers(ctx context.Context, orgFlag, ref string, users []string, yes bool) error {
	action := fmt.Sprintf("removing from team %s", quote(ref))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, org, team, err := a.openTeam(ctx, orgFlag, ref)
	if err != nil {
		return err
	}
	label := teamLabel(org, team)
	if err := s.require(client.CapTeamMembers, "removing from "+label); err != nil {
		return err
	}
	question := fmt.Sprintf("Remove %s from %s", list(users), label)
	if len(users) > 1 {
		question = fmt.Sprintf("Remove %d people (%s) from %s", len(users), list(users), label)
	}
	if err := a.confirm(yes, question); err != nil {
		return fmt.Errorf("removing from %s: %w", label, err)
	}
	return a.eachTarget(users, func(u string) (string, error) {
		if err := a.write(s.prov.RemoveTeamMember(ctx, org, team, u)); err != nil {
			return "", err
		}
		return fmt.Sprintf("Removed %s from %s", quote(u), label), nil
	}, func(u string) string { return fmt.Sprintf("removing %s from %s", quote(u), label) })
}

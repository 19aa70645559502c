package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
)

func (a *app) newMembersCmd() *cobra.Command {
	c := groupCmd("members", "List, add, change and remove members of an organization or space")

	var lo outputFlags
	list := &cobra.Command{
		Use:   "list [ORG]",
		Short: "List members (ORG defaults to the profile's organization)",
		Args:  argsBetween(0, 1, "[ORG]"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.membersList(c.Context(), optArg(args, 1), lo)
		}),
	}
	addListFlags(list, &lo)

	var role string
	var public bool
	add := &cobra.Command{
		Use:   "add [ORG] USER",
		Short: "Add a member (QFieldCloud: an exact username)",
		Args:  argsBetween(1, 2, "[ORG] USER"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			org, user := splitOrg(args, 2)
			err := a.membersAdd(c.Context(), org, client.MemberSpec{User: user, Role: role, Public: public}, c.Flags().Changed("public"))
			return missingArg(c, err, args, "ORG", "USER")
		}),
	}
	add.Flags().StringVar(&role, "role", "", "role of the new member (QFieldCloud: member, creator or admin; default member)")
	add.Flags().BoolVar(&public, "public", false, "list the membership publicly (QFieldCloud)")

	setRole := &cobra.Command{
		Use:   "set-role [ORG] USER ROLE",
		Short: "Change a member's role",
		Args:  argsBetween(2, 3, "[ORG] USER ROLE"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			org, rest := "", args
			if len(args) == 3 {
				org, rest = args[0], args[1:]
			}
			return missingArg(c, a.membersSetRole(c.Context(), org, rest[0], rest[1]), args, "ORG", "USER", "ROLE")
		}),
	}

	var yes bool
	remove := &cobra.Command{
		Use:   "remove [ORG] USER",
		Short: "Remove a member (asks first; --yes without a terminal)",
		Args:  argsBetween(1, 2, "[ORG] USER"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			org, user := splitOrg(args, 2)
			return missingArg(c, a.membersRemove(c.Context(), org, user, yes), args, "ORG", "USER")
		}),
	}
	remove.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")

	addDryRunFlag(add, &a.dryRunFlag)
	addDryRunFlag(setRole, &a.dryRunFlag)
	addDryRunFlag(remove, &a.dryRunFlag)
	c.AddCommand(list, add, setRole, remove)
	return c
}

// optArg returns the first argument when there are n of them.
func optArg(args []string, n int) string {
	if len(args) == n {
		return args[0]
	}
	return ""
}

// splitOrg reads "[ORG] USER": with n arguments the first is ORG.
func splitOrg(args []string, n int) (org, user string) {
	if len(args) == n {
		return args[0], args[1]
	}
	return "", args[0]
}

func memberColumns(s *session, forCSV bool) []column[client.Member] {
	public := func(m client.Member) string {
		if !forCSV && !s.prov.Can(client.CapMemberPublic) {
			return ""
		}
		return yesNo(m.Public)
	}
	if forCSV {
		return []column[client.Member]{
			{"", "organization", func(m client.Member) string { return m.Organization }},
			{"", "user", func(m client.Member) string { return m.User }},
			{"", "email", func(m client.Member) string { return m.Email }},
			{"", "name", func(m client.Member) string { return m.Name }},
			{"", "role", func(m client.Member) string { return m.Role }},
			{"", "role_id", func(m client.Member) string { return m.RoleID }},
			{"", "is_public", func(m client.Member) string { return fmt.Sprint(m.Public) }},
		}
	}
	return []column[client.Member]{
		{"USER", "user", func(m client.Member) string { return m.User }},
		{"NAME", "name", func(m client.Member) string { return m.Name }},
		{"EMAIL", "email", func(m client.Member) string { return m.Email }},
		{"ROLE", "role", func(m client.Member) string { return m.Role }},
		{"PUBLIC", "is_public", public},
	}
}

func (a *app) membersList(ctx context.Context, given string, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	org, err := s.org(given)
	if err != nil {
		return err
	}
	what := "members of " + where(org)
	err = printList(a, f, what, memberColumns(s, f == formatCSV), func(emit client.Emit[client.Member]) error {
		return s.prov.Members(ctx, org, emit)
	})
	if err != nil {
		return wrap(fmt.Sprintf("listing %s", what), err)
	}
	return nil
}

func (a *app) membersAdd(ctx context.Context, given string, m client.MemberSpec, publicSet bool) error {
	action := fmt.Sprintf("adding %s", quote(m.User))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	org, err := s.org(given)
	if err != nil {
		return err
	}
	action = fmt.Sprintf("adding %s to %s", quote(m.User), where(org))
	if err := s.require(client.CapMemberAdd, action); err != nil {
		return err
	}
	if publicSet && !s.prov.Can(client.CapMemberPublic) {
		return fmt.Errorf("%s: --public: %s has no public memberships: %w", action, s.prov.Kind(), client.ErrUnsupported)
	}
	// Bad input exits 2 before any request, reads included.
	if err := client.CheckMemberSpec(s.prov, org, m); err != nil {
		return err
	}
	got, err := s.prov.AddMember(ctx, org, m)
	if err = a.write(err); err != nil {
		return wrap(action, err)
	}
	a.done("Added %s to %s as %s", quote(orDefault(got.User, m.User)), where(org), quote(orDefault(got.Role, m.Role)))
	return nil
}

func (a *app) membersSetRole(ctx context.Context, given, user, role string) error {
	action := fmt.Sprintf("changing the role of %s to %s", quote(user), quote(role))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	org, err := s.org(given)
	if err != nil {
		return err
	}
	action = fmt.Sprintf("changing the role of %s in %s to %s", quote(user), where(org), quote(role))
	if err := s.require(client.CapMemberRole, action); err != nil {
		return err
	}
	// Bad input exits 2 before any request: the audit log's read of the
	// membership as it was would otherwise go first.
	up := client.MemberUpdate{Role: &role}
	if err := client.CheckMemberUpdate(s.prov, org, user, up); err != nil {
		return err
	}
	got, err := s.prov.UpdateMember(ctx, org, user, up)
	if err = a.write(err); err != nil {
		return wrap(action, err)
	}
	a.done("%s is now %s in %s", quote(orDefault(got.User, user)), quote(orDefault(got.Role, role)), where(org))
	return nil
}

func (a *app) membersRemove(ctx context.Context, given, user string, yes bool) error {
	action := fmt.Sprintf("removing %s", quote(user))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	org, err := s.org(given)
	if err != nil {
		return err
	}
	action = fmt.Sprintf("removing %s from %s", quote(user), where(org))
	if err := s.require(client.CapMemberRemove, action); err != nil {
		return err
	}
	if err := client.CheckMemberRemove(s.prov, org, user); err != nil {
		return err
	}
	if err := a.confirm(yes, fmt.Sprintf("Remove %s from %s", quote(user), where(org))); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	if err := a.write(s.prov.RemoveMember(ctx, org, user)); err != nil {
		return wrap(action, err)
	}
	a.done("Removed %s from %s", quote(user), where(org))
	return nil
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	if def == "" {
		return "the default role"
	}
	return def
}

package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
)

func (a *app) newOrgsCmd() *cobra.Command {
	c := groupCmd("orgs", "List and inspect organizations (QFieldCloud)")
	var lo, gof outputFlags
	list := &cobra.Command{
		Use:   "list",
		Short: "List the organizations of the signed-in user",
		Args:  noArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			f, err := lo.format()
			if err != nil {
				return err
			}
			s, err := a.open(c.Context())
			if err != nil {
				return err
			}
			orgs, err := s.prov.Organizations(c.Context())
			cols := []column[client.Organization]{
				{"NAME", "name", func(o client.Organization) string { return o.Name }},
				{"YOUR ROLE", "membership_role", func(o client.Organization) string { return o.MembershipRole }},
				{"OWNER", "owner", func(o client.Organization) string { return o.Owner }},
				{"TEAMS", "teams", func(o client.Organization) string { return fmt.Sprint(len(o.Teams)) }},
			}
			if err := printList(a, f, "organizations", cols, all(orgs, err)); err != nil {
				return wrap("listing organizations", err)
			}
			return nil
		}),
	}
	addJSONFlag(list, &lo)
	get := &cobra.Command{
		Use:   "get ORG",
		Short: "Show one organization",
		Args:  argsBetween(1, 1, "ORG"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			f, err := gof.format()
			if err != nil {
				return err
			}
			s, err := a.open(c.Context())
			if err != nil {
				return err
			}
			o, err := s.prov.Organization(c.Context(), args[0])
			if err != nil {
				return wrap(fmt.Sprintf("getting organization %s", quote(args[0])), err)
			}
			if f == formatJSON {
				return writeJSON(a.out(), o)
			}
			var fs fields
			fs.add("name", o.Name)
			fs.add("owner", o.Owner)
			fs.add("email", o.Email)
			fs.add("your role", joinName(o.MembershipRole, paren(o.MembershipRoleOrigin)))
			fs.add("public members", strings.Join(o.PublicMembers, ", "))
			fs.add("teams", strings.Join(o.Teams, ", "))
			return fs.write(a.out())
		}),
	}
	addJSONFlag(get, &gof)
	c.AddCommand(list, get)
	return c
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

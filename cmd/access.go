package cmd

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/internal/access"
	"github.com/roster-cli/roster/internal/sanitize"
)

func (a *app) newAccessCmd() *cobra.Command {
	var org string
	var o outputFlags
	c := &cobra.Command{
		Use:   "access USER",
		Short: "Show every organization, team and project USER can reach, and through what",
		Long: `Show what one person can reach across the QFieldCloud organizations you
administer (or ORG): their memberships and teams, and every project with the
effective role and where it comes from, ranked as the server ranks them:
owner, organization owner, organization admin, their own row, a team's row,
the organization's default role, a public project. A direct row wins over a
team's, even a lower one.

Projects are checked when you can read their collaborators (you are admin or
manager there); the others in scope are listed as not checked. Projects of
organizations you do not administer are outside the scope (the person's role
there depends on a membership roster does not read): name one with --org.`,
		Example: `  # everything ines can open in the organizations you administer
  roster access ines

  # only in fieldops, for a script
  roster access ines --org fieldops --json`,
		Args: argsBetween(1, 1, "USER"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.access(c.Context(), args[0], org, o)
		}),
	}
	c.Flags().StringVar(&org, "org", "", "only this organization (default: every organization you administer)")
	addJSONFlag(c, &o)
	return c
}

// gatherAccess reads what USER reaches, checking the account exists.
func (a *app) gatherAccess(ctx context.Context, s *session, user, org string) (*access.Report, error) {
	what := "finding what " + quote(user) + " can reach"
	if strings.ContainsAny(user, "@/") {
		return nil, usagef("%s: USER is one person's username (teams reach projects through their rows: roster collaborators list)", what)
	}
	r, err := access.Gather(ctx, s.prov, user, access.Options{Org: org, CheckUser: true})
	if err != nil {
		return nil, wrap(what, err)
	}
	return r, nil
}

func (a *app) access(ctx context.Context, user, org string, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	s, err := a.openProjects(ctx, "finding what "+quote(user)+" can reach")
	if err != nil {
		return err
	}
	r, err := a.gatherAccess(ctx, s, user, org)
	if err != nil {
		return err
	}
	if f == formatJSON {
		return writeJSON(a.out(), r)
	}
	return writeAccess(a, r, org)
}

func scopeText(r *access.Report, org string) string {
	if org != "" {
		return "organization " + sanitize.Short(org)
	}
	if len(r.Orgs) == 0 {
		return "the personal projects you own or manage (you administer no organization)"
	}
	return "the organizations you administer (" + list(r.Orgs) + ") and the personal projects you own or manage"
}

// through names where a role comes from.
func through(p access.ProjectAccess) string {
	switch p.Origin {
	case client.OriginProjectOwner:
		return "owns the project"
	case client.OriginOrgOwner:
		return "owns " + p.Owner
	case client.OriginOrgAdmin:
		return "admin of " + p.Owner
	case client.OriginCollaborator:
		return "own row"
	case client.OriginTeamMember:
		return "team " + p.Team
	case client.OriginOrgMember:
		return p.Owner + "'s default role for members"
	case client.OriginPublic:
		return "public project"
	}
	return ""
}

// otherWays lists the ways in that the winning one hides.
func otherWays(p access.ProjectAccess) string {
	var out []string
	if p.Row != "" && p.Origin != client.OriginCollaborator {
		out = append(out, "own row "+p.Row)
	}
	for _, t := range p.TeamRows {
		if p.Origin != client.OriginTeamMember || t.Team != p.Team {
			out = append(out, "team "+t.Team+" "+t.Role)
		}
	}
	if p.Note != "" {
		out = append(out, p.Note)
	}
	return strings.Join(out, "; ")
}

func writeAccess(a *app, r *access.Report, org string) error {
	a.printf("%s in %s:\n\n", quote(r.User), scopeText(r, org))
	if len(r.Memberships) == 0 {
		a.printf("Organizations: none\n")
	} else {
		t := table{headers: []string{"ORGANIZATION", "ROLE", "TEAMS", "DEFAULT PROJECT ROLE"}}
		for _, m := range r.Memberships {
			def := m.DefaultRole
			if m.DefaultRoleUnknown {
				def = "unknown (see note)"
			}
			t.add(m.Org, m.Role, strings.Join(m.Teams, ", "), def)
		}
		if err := t.write(a.out()); err != nil {
			return err
		}
	}
	a.printf("\n")
	if len(r.Projects) == 0 {
		a.printf("Projects: none\n")
	} else {
		t := table{headers: []string{"PROJECT", "ROLE", "THROUGH", "ALSO"}}
		for _, p := range r.Projects {
			role := p.Role
			if role == "" {
				role = "none"
			}
			t.add(p.FullName(), role, through(p), otherWays(p))
		}
		if err := t.write(a.out()); err != nil {
			return err
		}
	}
	for _, m := range r.Memberships {
		if m.DefaultRoleUnknown {
			a.printf("\nNote: %s may give every member a default role on all its projects; only a server admin can set it and the API does not show it.\n", sanitize.Short(m.Org))
		}
	}
	if len(r.Unchecked) > 0 {
		a.printf("\nNot checked (only a project's admins and managers can read its collaborators):\n")
		for _, u := range r.Unchecked {
			a.printf("  %s: %s\n", sanitize.Short(u.Project), sanitize.Cell(u.Why, 200))
		}
	}
	return nil
}

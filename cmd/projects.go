package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
)

func (a *app) newProjectsCmd() *cobra.Command {
	c := groupCmd("projects", "List and show QFieldCloud projects")
	c.Example = `  roster projects list
  roster projects list --org fieldops --csv
  roster projects get fieldops/tree-inventory`

	var org string
	var lo outputFlags
	list := &cobra.Command{
		Use:   "list",
		Short: "List the projects you can see (with --org, that organization's)",
		Long: `List the projects you hold a role on, with your role and where it comes from
(owner, organization owner or admin, your own row, a team, the organization's
default). Public projects of others are not listed; roster projects get finds them.`,
		Example: `  # every project you can open
  roster projects list

  # one organization's projects, for a spreadsheet
  roster projects list --org fieldops --csv`,
		Args: noArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			return a.projectsList(c.Context(), org, lo)
		}),
	}
	list.Flags().StringVar(&org, "org", "", "only projects owned by this organization (or person), exact name")
	addListFlags(list, &lo)

	var gof outputFlags
	get := &cobra.Command{
		Use:   "get PROJECT",
		Short: "Show a project (PROJECT = OWNER/NAME, or the project id)",
		Example: `  roster projects get fieldops/tree-inventory
  roster projects get 0a73c77c-0be2-56ff-bd2f-a1a43aec08f5 --json`,
		Args: argsBetween(1, 1, "PROJECT"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.projectsGet(c.Context(), args[0], gof)
		}),
	}
	addJSONFlag(get, &gof)
	c.AddCommand(list, get)
	return c
}

// openProjects opens the profile and refuses providers without projects
// (Qomon) before any request.
func (a *app) openProjects(ctx context.Context, action string) (*session, error) {
	s, err := a.open(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.require(client.CapProjects, action); err != nil {
		return nil, err
	}
	return s, nil
}

// resolveProject finds PROJECT (OWNER/NAME or id); a malformed reference
// is a usage error.
func resolveProject(ctx context.Context, s *session, ref string) (client.Project, error) {
	if !client.IsProjectID(ref) {
		if o, n, ok := strings.Cut(ref, "/"); !ok || o == "" || n == "" {
			return client.Project{}, usagef("project %s: want OWNER/NAME or the project's id", quote(ref))
		}
	}
	p, err := client.ResolveProject(ctx, s.prov, ref)
	if err != nil {
		return client.Project{}, wrap("finding project "+quote(ref), err)
	}
	return p, nil
}

func visibility(p client.Project) string {
	if p.Private {
		return "private"
	}
	return "public"
}

// roleVia is "editor (team_member)" style: the role and its origin.
func roleVia(role string, origin client.RoleOrigin) string {
	if role == "" {
		return ""
	}
	if origin == "" {
		return role
	}
	return role + " (" + originText(origin) + ")"
}

// originText names an origin for people.
func originText(o client.RoleOrigin) string {
	switch o {
	case client.OriginProjectOwner:
		return "owner"
	case client.OriginOrgOwner:
		return "organization owner"
	case client.OriginOrgAdmin:
		return "organization admin"
	case client.OriginCollaborator:
		return "own row"
	case client.OriginTeamMember:
		return "team"
	case client.OriginOrgMember:
		return "organization default"
	case client.OriginPublic:
		return "public"
	}
	return string(o)
}

func projectColumns(forCSV bool) []column[client.Project] {
	if forCSV {
		return []column[client.Project]{
			{"", "id", func(p client.Project) string { return p.ID }},
			{"", "owner", func(p client.Project) string { return p.Owner }},
			{"", "name", func(p client.Project) string { return p.Name }},
			{"", "private", func(p client.Project) string { return fmt.Sprint(p.Private) }},
			{"", "user_role", func(p client.Project) string { return p.UserRole }},
			{"", "user_role_origin", func(p client.Project) string { return string(p.UserRoleOrigin) }},
			{"", "status", func(p client.Project) string { return p.Status }},
			{"", "description", func(p client.Project) string { return p.Description }},
		}
	}
	return []column[client.Project]{
		{"PROJECT", "", func(p client.Project) string { return p.FullName() }},
		{"VISIBILITY", "", visibility},
		{"YOUR ROLE", "", func(p client.Project) string { return roleVia(p.UserRole, p.UserRoleOrigin) }},
		{"ID", "", func(p client.Project) string { return p.ID }},
		{"DESCRIPTION", "", func(p client.Project) string { return p.Description }},
	}
}

func (a *app) projectsList(ctx context.Context, org string, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	what := "projects"
	if org != "" {
		what = "projects of " + quote(org)
	}
	s, err := a.openProjects(ctx, "listing "+what)
	if err != nil {
		return err
	}
	ps, err := s.prov.Projects(ctx, client.ProjectQuery{Owner: org})
	if err := printList(a, f, what, projectColumns(f == formatCSV), all(ps, err)); err != nil {
		return wrap("listing "+what, err)
	}
	return nil
}

func (a *app) projectsGet(ctx context.Context, ref string, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	s, err := a.openProjects(ctx, "getting project "+quote(ref))
	if err != nil {
		return err
	}
	p, err := resolveProject(ctx, s, ref)
	if err != nil {
		return err
	}
	if f == formatJSON {
		return writeJSON(a.out(), p)
	}
	var fs fields
	fs.add("project", p.FullName())
	fs.add("id", p.ID)
	fs.add("owner", p.Owner)
	fs.add("description", p.Description)
	fs.add("visibility", visibility(p))
	fs.add("type", p.Type)
	fs.add("status", p.Status)
	fs.add("your role", roleVia(p.UserRole, p.UserRoleOrigin))
	if p.CreatedAt != nil {
		fs.add("created", p.CreatedAt.Format("2006-01-02 15:04 -07:00"))
	}
	if p.UpdatedAt != nil {
		fs.add("updated", p.UpdatedAt.Format("2006-01-02 15:04 -07:00"))
	}
	return fs.write(a.out())
}

package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client"
)

func (a *app) newUsersCmd() *cobra.Command {
	c := groupCmd("users", "List and inspect users; change a user's role in the space")
	var q client.UserQuery
	var lo outputFlags
	list := &cobra.Command{
		Use:   "list",
		Short: "List users (QFieldCloud: every account; Qomon: the space's users)",
		Args:  noArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			return a.usersList(c.Context(), q, lo)
		}),
	}
	fl := list.Flags()
	fl.StringVar(&q.Search, "search", "", "keep users whose name matches (QFieldCloud: username substring)")
	fl.StringVar(&q.Org, "org", "", "keep only this organization's owner and members")
	fl.StringVar(&q.ExcludeOrg, "exclude-org", "", "drop this organization's owner and members")
	fl.StringVar(&q.ExcludeTeam, "exclude-team", "", "drop members of this team (QFieldCloud: ORG/TEAM)")
	fl.IntVar(&q.Limit, "limit", 0, "stop after N users (0: all)")
	addListFlags(list, &lo)

	var go_ outputFlags
	get := &cobra.Command{
		Use:   "get USER",
		Short: "Show one user (id, username or e-mail)",
		Args:  argsBetween(1, 1, "USER"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.usersGet(c.Context(), args[0], go_)
		}),
	}
	addJSONFlag(get, &go_)

	setRole := &cobra.Command{
		Use:   "set-role USER ROLE",
		Short: "Give a user a role in the space (Qomon: a role name or role_id)",
		Args:  argsBetween(2, 2, "USER ROLE"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.usersSetRole(c.Context(), args[0], args[1])
		}),
	}
	addDryRunFlag(setRole, &a.dryRunFlag)
	c.AddCommand(list, get, setRole)
	return c
}

func userColumns() []column[client.User] {
	role := func(u client.User) string {
		if u.Role == nil {
			return ""
		}
		return u.Role.Name
	}
	return []column[client.User]{
		{"ID", "id", func(u client.User) string { return u.ID }},
		{"USERNAME", "username", func(u client.User) string { return unlessSame(u.Username, u.ID) }},
		{"NAME", "full_name", func(u client.User) string {
			if u.FullName != "" {
				return u.FullName
			}
			return joinName(u.FirstName, u.LastName)
		}},
		{"EMAIL", "email", func(u client.User) string { return u.Email }},
		{"TYPE", "type", func(u client.User) string { return string(u.Type) }},
		{"ROLE", "role", role},
	}
}

// userCSVColumns are the CSV fields: every one, even when empty, so the
// header never depends on the data.
func userCSVColumns() []column[client.User] {
	cols := userColumns()
	cols[1].value = func(u client.User) string { return u.Username }
	return append(cols,
		column[client.User]{"", "first_name", func(u client.User) string { return u.FirstName }},
		column[client.User]{"", "last_name", func(u client.User) string { return u.LastName }},
		column[client.User]{"", "role_id", func(u client.User) string {
			if u.Role == nil {
				return ""
			}
			return u.Role.ID
		}},
	)
}

func (a *app) usersList(ctx context.Context, q client.UserQuery, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	if q.Limit < 0 {
		return usagef("--limit must be 0 (all) or more, got %d", q.Limit)
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	if !s.needsOrg() && (q.Org != "" || q.ExcludeOrg != "") {
		return usagef("--org and --exclude-org: %s has no organizations (the token selects the space)", s.prov.Kind())
	}
	cols := userColumns()
	if f == formatCSV {
		cols = userCSVColumns()
	}
	err = printList(a, f, "users", cols, func(emit client.Emit[client.User]) error {
		return s.prov.Users(ctx, q, emit)
	})
	if err != nil {
		return wrap("listing users", err)
	}
	return nil
}

func (a *app) usersGet(ctx context.Context, id string, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	u, err := s.prov.User(ctx, id)
	if err != nil {
		return wrap(fmt.Sprintf("getting user %s", quote(id)), err)
	}
	if f == formatJSON {
		return writeJSON(a.out(), u)
	}
	var fs fields
	fs.add("id", u.ID)
	fs.add("username", unlessSame(u.Username, u.ID))
	fs.add("name", u.Name())
	fs.add("email", u.Email)
	fs.add("type", string(u.Type))
	if u.Role != nil {
		fs.add("role", fmt.Sprintf("%s (id %s)", u.Role.Name, u.Role.ID))
	}
	fs.add("phone", u.Phone)
	fs.add("address", formatAddress(u.Address))
	fs.add("locale", u.Locale)
	fs.add("status", strings.Join(u.Status, ", "))
	if u.CreatedAt != nil {
		fs.add("created", u.CreatedAt.Format("2006-01-02 15:04"))
	}
	if u.UpdatedAt != nil {
		fs.add("updated", u.UpdatedAt.Format("2006-01-02 15:04"))
	}
	return fs.write(a.out())
}

func formatAddress(ad client.Address) string {
	var parts []string
	if st := joinName(ad.HouseNumber, ad.Street); st != "" {
		parts = append(parts, st)
	}
	if c := joinName(ad.PostalCode, ad.City); c != "" {
		parts = append(parts, c)
	}
	if ad.Country != "" {
		parts = append(parts, ad.Country)
	}
	return strings.Join(parts, ", ")
}

func (a *app) usersSetRole(ctx context.Context, user, role string) error {
	action := fmt.Sprintf("giving %s the role %s", quote(user), quote(role))
	if err := a.writeGuard(action); err != nil {
		return err
	}
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	u, err := s.prov.SetUserRole(ctx, user, role)
	if err = a.write(err); err != nil {
		return wrap(action, err)
	}
	got := role
	if u.Role != nil && u.Role.Name != "" {
		got = u.Role.Name
	}
	name := u.Name()
	if name == "" {
		name = user
	}
	a.done("%s now has the role %s", quote(name), quote(got))
	return nil
}

func (a *app) newRolesCmd() *cobra.Command {
	c := groupCmd("roles", "List the roles members can hold")
	var o outputFlags
	list := &cobra.Command{
		Use:   "list",
		Short: "List the roles",
		Args:  noArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			f, err := o.format()
			if err != nil {
				return err
			}
			s, err := a.open(c.Context())
			if err != nil {
				return err
			}
			roles, err := s.prov.Roles(c.Context())
			cols := []column[client.Role]{
				{"NAME", "name", func(r client.Role) string { return r.Name }},
				{"ID", "id", func(r client.Role) string { return unlessSame(r.ID, r.Name) }},
				{"KIND", "kind", func(r client.Role) string { return r.Kind }},
				{"DESCRIPTION", "description", func(r client.Role) string { return r.Description }},
			}
			if err := printList(a, f, "roles", cols, all(roles, err)); err != nil {
				return wrap("listing roles", err)
			}
			return nil
		}),
	}
	addJSONFlag(list, &o)
	c.AddCommand(list)
	return c
}

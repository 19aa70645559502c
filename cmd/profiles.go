package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/config"
)

func (a *app) newProfilesCmd() *cobra.Command {
	c := groupCmd("profiles", "List, switch and remove profiles")
	var o outputFlags
	list := &cobra.Command{
		Use:   "list",
		Short: "List the profiles",
		Args:  noArgs,
		RunE:  a.run(func(*cobra.Command, []string) error { return a.profilesList(o) }),
	}
	addJSONFlag(list, &o)
	use := &cobra.Command{
		Use:               "use NAME",
		Short:             "Make a profile the active one",
		Args:              argsBetween(1, 1, "NAME"),
		ValidArgsFunction: a.completeProfileArg,
		RunE:              a.run(func(_ *cobra.Command, args []string) error { return a.profilesUse(args[0]) }),
	}
	remove := &cobra.Command{
		Use:               "remove NAME",
		Short:             "Remove a profile and its stored token",
		Args:              argsBetween(1, 1, "NAME"),
		ValidArgsFunction: a.completeProfileArg,
		RunE:              a.run(func(_ *cobra.Command, args []string) error { return a.profilesRemove(args[0]) }),
	}
	c.AddCommand(list, use, remove)
	return c
}

// profileRow is one profile in `profiles list --json`.
type profileRow struct {
	Name     string `json:"name"`
	Provider string `json:"provider"`
	URL      string `json:"url"`
	Username string `json:"username,omitempty"`
	Org      string `json:"org,omitempty"`
	Active   bool   `json:"active"`
}

func (a *app) profileRows() ([]profileRow, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	active := cfg.Active
	var rows []profileRow
	for _, n := range cfg.Names() {
		p, ok := cfg.Get(n)
		if !ok {
			continue
		}
		rows = append(rows, profileRow{p.Name, p.Provider, p.URL, p.Username, p.Org, p.Name == active})
	}
	return rows, nil
}

func (a *app) profilesList(o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	rows, err := a.profileRows()
	if err != nil {
		return err
	}
	if f == formatJSON {
		if rows == nil {
			rows = []profileRow{}
		}
		return writeJSON(a.out(), rows)
	}
	if len(rows) == 0 {
		a.notef("no profiles: run roster auth login\n")
		return nil
	}
	t := table{headers: []string{"  NAME", "PROVIDER", "URL", "USERNAME", "ORG"}}
	for _, r := range rows {
		mark := "  "
		if r.Active {
			mark = "* "
		}
		t.add(mark+r.Name, r.Provider, r.URL, r.Username, r.Org)
	}
	return t.write(a.out())
}

// knownProfile refuses an unknown name with the list of known ones.
func (a *app) knownProfile(name string) (*config.Config, config.Profile, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, config.Profile{}, err
	}
	p, ok := cfg.Get(name)
	if !ok {
		known := "none: run roster auth login"
		if names := cfg.Names(); len(names) > 0 {
			known = strings.Join(names, ", ")
		}
		return nil, config.Profile{}, usagef("no profile named %s (known: %s)", quote(name), known)
	}
	return cfg, p, nil
}

func (a *app) profilesUse(name string) error {
	cfg, p, err := a.knownProfile(name)
	if err != nil {
		return err
	}
	if err := cfg.Use(p.Name); err != nil {
		return fmt.Errorf("activating profile %s: %w", quote(name), err)
	}
	if err := cfg.Save(); err != nil {
		return fmt.Errorf("saving the configuration: %w", err)
	}
	a.notef("✓ Profile %s (%s, %s) is now active\n", quote(p.Name), p.Provider, p.URL)
	if env := a.f.Getenv("ROSTER_PROFILE"); env != "" && env != p.Name {
		a.notef("warning: ROSTER_PROFILE=%s is set and wins over the active profile\n", quote(env))
	}
	return nil
}

func (a *app) profilesRemove(name string) error {
	cfg, p, err := a.knownProfile(name)
	if err != nil {
		return err
	}
	toks, err := a.tokens()
	if err != nil {
		return err
	}
	if err := toks.Delete(p); err != nil {
		return fmt.Errorf("removing the token of profile %s: %w", quote(name), err)
	}
	if err := cfg.Remove(p.Name); err != nil {
		return fmt.Errorf("removing profile %s: %w", quote(name), err)
	}
	if err := cfg.Save(); err != nil {
		return fmt.Errorf("saving the configuration: %w", err)
	}
	a.notef("✓ Removed profile %s and its stored token\n", quote(p.Name))
	return nil
}

// completeProfiles completes profile names (for --profile, use, remove).
func (a *app) completeProfiles(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	cfg, err := a.config()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, n := range cfg.Names() {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeProfileArg completes the one NAME argument of use and remove.
func (a *app) completeProfileArg(c *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return a.completeProfiles(c, args, prefix)
}

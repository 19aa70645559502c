package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/internal/plan"
	"github.com/roster-cli/roster/internal/sanitize"
)

func (a *app) newExportCmd() *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "export [ORG]",
		Short: "Write the membership of an organization or space as YAML",
		Long: `Write who is a member (with role and, on QFieldCloud, the public flag) and who is
in which team as a YAML document; on QFieldCloud also each of the organization's
projects with its collaborator rows (persons and @ORG/TEAM teams, with roles).
Edit it, then see the difference with roster plan FILE and make it so with
roster apply FILE.`,
		Args: argsBetween(0, 1, "[ORG]"),
		RunE: a.run(func(c *cobra.Command, args []string) error {
			return a.export(c.Context(), optArg(args, 1), out)
		}),
	}
	c.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of stdout")
	return c
}

func (a *app) export(ctx context.Context, given, out string) error {
	s, err := a.open(ctx)
	if err != nil {
		return err
	}
	org, err := s.org(given)
	if err != nil {
		return err
	}
	d, err := plan.Export(ctx, s.prov, org)
	if err != nil {
		return wrap("exporting "+where(org), err)
	}
	header, err := a.exportHeader(ctx, s, org, d)
	if err != nil {
		return err
	}
	for _, n := range d.Notes {
		a.notef("roster: note: %s\n", sanitize.Cell(n, 500))
	}
	data, err := d.Marshal(header)
	if err != nil {
		return err
	}
	if out == "" || out == "-" {
		_, err := a.out().Write(data)
		return err
	}
	if err := writeFileAtomic(out, data); err != nil {
		return fmt.Errorf("exporting %s: %w", where(org), err)
	}
	people := "members"
	if org == "" {
		people = "users"
	}
	if org == "" {
		a.notef("Wrote %s (%d %s, %d teams)\n", quote(out), len(d.Members), people, len(d.Teams))
		return nil
	}
	a.notef("Wrote %s (%d %s, %d teams, %d projects)\n", quote(out), len(d.Members), people, len(d.Teams), len(d.Projects))
	return nil
}

// exportHeader says what the file is and how to use it; it holds no
// secret and no volatile data but the date.
func (a *app) exportHeader(ctx context.Context, s *session, org string, d *plan.Document) (string, error) {
	var b strings.Builder
	if org != "" {
		fmt.Fprintf(&b, "roster membership of QFieldCloud organization %s\n", org)
	} else {
		fmt.Fprintf(&b, "roster membership of the Qomon space of profile %s\n", s.profile.Name)
	}
	fmt.Fprintf(&b, "exported %s\n\n", a.f.now().UTC().Format("2006-01-02 15:04 UTC"))
	b.WriteString("Edit, then: roster plan FILE    shows what would change (+ add, ~ change, - remove)\n")
	b.WriteString("            roster apply FILE   makes it so (--prune also removes what is not listed)\n")
	if org != "" {
		b.WriteString("Roles: admin, creator, member. public: whether the membership is shown publicly.\n")
		b.WriteString("Teams must exist (roster teams create); teams not listed are left alone.\n")
		b.WriteString("A person can be in only one team on a QFieldCloud server.\n")
		b.WriteString("Projects: collaborator rows, a person (a member) or @ORG/TEAM, role admin, manager,\n")
		b.WriteString("editor, reporter or reader. Projects not listed are left alone. A team's row cannot\n")
		b.WriteString("be changed or removed through the API (web UI only).")
		writeNotes(&b, d)
		return b.String(), nil
	}
	roles, err := s.prov.Roles(ctx)
	if err != nil {
		return "", wrap("exporting the space: reading the roles", err)
	}
	var names []string
	for _, r := range roles {
		names = append(names, r.Name)
	}
	fmt.Fprintf(&b, "Roles: %s.\n", strings.Join(names, ", "))
	b.WriteString("People join a space by invitation (roster invitations send); a user not listed stays.\n")
	b.WriteString("Teams must exist (roster teams create); teams not listed are left alone.\n")
	b.WriteString("A leader is also a member of the team. id: tells apart teams with the same name.")
	writeNotes(&b, d)
	return b.String(), nil
}

// writeNotes ends a header with what the export could not read, so the
// file itself says it is partial.
func writeNotes(b *strings.Builder, d *plan.Document) {
	for _, n := range d.Notes {
		fmt.Fprintf(b, "\nNote: %s.", sanitize.Cell(n, 500))
	}
}

// writeFileAtomic writes data to path through a temporary file and a
// rename, mode 0600: the file holds people's names and e-mails.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// readPlanFile reads and parses a membership file ("-": stdin).
func (a *app) readPlanFile(name string) (*plan.Document, error) {
	var data []byte
	var err error
	if name == "-" {
		var in string
		in, err = a.f.readAllInput()
		data, name = []byte(in), "stdin"
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", quote(name), err)
	}
	if len(data) > 16<<20 {
		return nil, usagef("%s is larger than 16 MiB: not a membership file", quote(name))
	}
	return plan.Parse(name, data)
}

// fileErrors prints each problem of a membership file on its own line
// and returns exit 2; other errors pass through.
func (a *app) fileErrors(err error) error {
	var es plan.Errors
	if !errors.As(err, &es) || len(es) < 2 {
		return err
	}
	for _, e := range es {
		printError(a.errOut(), e)
	}
	return &silentError{exitUsage}
}

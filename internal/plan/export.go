package plan

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/roster-cli/roster/client"
)

// Export reads the membership of org (QFieldCloud: with its projects'
// collaborator rows) or of the space (Qomon, org "") into a document
// that, applied unchanged, changes nothing.
func Export(ctx context.Context, p client.Provider, org string) (*Document, error) {
	switch p.Kind() {
	case QFieldCloud:
		return exportQFieldCloud(ctx, p, org)
	case Qomon:
		return exportQomon(ctx, p)
	}
	return nil, fmt.Errorf("exporting: provider %q has no document format: %w", p.Kind(), client.ErrUnsupported)
}

func exportQFieldCloud(ctx context.Context, p client.Provider, org string) (*Document, error) {
	ms, err := client.CollectMembers(ctx, p, org)
	if err != nil {
		return nil, fmt.Errorf("exporting %s: %w", org, err)
	}
	ts, err := p.Teams(ctx, org)
	if err != nil {
		return nil, fmt.Errorf("exporting %s: %w", org, err)
	}
	d := &Document{Provider: QFieldCloud, Organization: org}
	for _, m := range ms {
		d.Members = append(d.Members, Member{User: m.User, Role: m.Role, Public: ptr(m.Public)})
	}
	for _, t := range ts {
		e := Team{Name: t.Name, Members: []Ref{}}
		for _, tm := range t.Members {
			e.Members = append(e.Members, Ref{User: tm.User})
		}
		d.Teams = append(d.Teams, e)
	}
	// Every project's rows, where this account may read them (admins and
	// managers only); what it cannot read is said, never guessed.
	o, err := p.Organization(ctx, org)
	if err != nil {
		return nil, fmt.Errorf("exporting %s: %w", org, err)
	}
	if o.MembershipRole != "admin" {
		d.Notes = append(d.Notes, fmt.Sprintf("this account is not an admin of %s: only the projects it holds a role on are listed", org))
	}
	projects, rows, err := readProjects(ctx, p, org, func(pr qfcProject) bool { return pr.Manage })
	if err != nil {
		return nil, fmt.Errorf("exporting %s: %w", org, err)
	}
	d.Projects = []Project{}
	var omitted []string
	for _, pr := range projects {
		if !pr.Manage {
			omitted = append(omitted, pr.Name)
			continue
		}
		e := Project{Name: pr.Name, Collaborators: []Collaborator{}}
		for _, r := range rows[pr.ID] {
			e.Collaborators = append(e.Collaborators, Collaborator{User: r.User, Role: r.Role})
		}
		d.Projects = append(d.Projects, e)
	}
	if len(omitted) > 0 {
		d.Notes = append(d.Notes, fmt.Sprintf("left out %d project(s) whose collaborators this account cannot read (project admins and managers only): %s",
			len(omitted), strings.Join(omitted, ", ")))
	}
	return d, nil
}

func exportQomon(ctx context.Context, p client.Provider) (*Document, error) {
	ms, err := client.CollectMembers(ctx, p, "")
	if err != nil {
		return nil, fmt.Errorf("exporting the space: %w", err)
	}
	tl, err := client.ListTeams(ctx, p, "")
	if err != nil {
		return nil, fmt.Errorf("exporting the space: %w", err)
	}
	ts := tl.Teams
	// Users are named by e-mail (what people recognise); a user without
	// one by id.
	ref := map[string]string{}
	d := &Document{Provider: Qomon}
	if tl.PublicOnly {
		d.Notes = append(d.Notes, client.PublicTeamsNote+": private teams are left out of this file")
	}
	for _, m := range ms {
		ref[m.User] = cmp.Or(m.Email, m.User)
		e := Member{User: ref[m.User]}
		if m.RoleID != "" {
			e.Role = m.Role // a user whose role roster cannot resolve keeps it
		}
		d.Members = append(d.Members, e)
	}
	names := map[string]int{}
	for _, t := range ts {
		names[t.Name]++
	}
	for _, t := range ts {
		e := Team{Name: t.Name, Private: ptr(t.Private), Members: []Ref{}, Leaders: []Ref{}}
		// The id is needed only to tell same-named teams apart; written
		// always, it would also make the file refuse to apply to another
		// space.
		if names[t.Name] > 1 {
			e.ID = t.ID
		}
		for _, tm := range t.Members {
			u := cmp.Or(ref[tm.User], cmp.Or(tm.Email, tm.User))
			e.Members = append(e.Members, Ref{User: u})
			if tm.Leader {
				e.Leaders = append(e.Leaders, Ref{User: u})
			}
		}
		d.Teams = append(d.Teams, e)
	}
	return d, nil
}

func ptr[T any](v T) *T { return &v }

package plan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/roster-cli/roster/client"
)

// teamRowBlocked is why a team's collaborator row cannot be changed: the
// API's detail route cannot hold the / of @ORG/TEAM (not even as %2F).
const teamRowBlocked = "a team's row changes only in the web UI, or goes with the team when it is deleted"

// qfcProject is one of the organization's projects as read.
type qfcProject struct {
	ID   string
	Name string
	// Manage: this account may read and change its rows.
	Manage bool
}

// collabRow is one collaborator row as read.
type collabRow struct {
	User string // username, or @ORG/TEAM
	Role string
}

// projectRole finds a project role in any case; the server's spelling
// is returned.
func projectRole(role string) (string, bool) {
	for _, r := range client.ProjectRoles {
		if strings.EqualFold(r, role) {
			return r, true
		}
	}
	return "", false
}

// collaborators compares the file's projects (those that list
// collaborators) with their rows on the server. Projects the file does
// not list are left alone.
func (df *qfcDiff) collaborators() (removes, adds, changes []Step) {
	d, ix, org := df.d, df.ix, df.d.Organization
	for i, pr := range d.Projects {
		f := fmt.Sprintf("projects[%d]", i+1)
		sp, ok := ix.project[pr.Name]
		if !ok {
			df.errs = append(df.errs, d.errorf(pr.Line, f+".name", "%s", df.noProject(pr.Name)))
			continue
		}
		if pr.Collaborators == nil {
			continue
		}
		base := Step{Group: "project " + pr.Name, Org: org, Project: pr.Name, ProjectID: sp.ID}
		have := map[string]collabRow{}
		for _, r := range ix.rows[sp.ID] {
			have[r.User] = r
		}
		listed := map[string]bool{}
		for j, c := range pr.Collaborators {
			cf := fmt.Sprintf("%s.collaborators[%d]", f, j+1)
			listed[c.User] = true
			role := ""
			if c.Role != "" {
				r, ok := projectRole(c.Role)
				if !ok {
					df.errs = append(df.errs, d.errorf(c.Line, cf+".role", "unknown project role %q (roles: %s)", c.Role, client.ProjectRoleList()))
					continue
				}
				role = r
			}
			cur, has := have[c.User]
			if why := df.cannotCollaborate(c.User, has); why != "" {
				df.errs = append(df.errs, d.errorf(c.Line, cf+".user", "%s", why))
				continue
			}
			s := base
			s.User = c.User
			switch {
			case !has:
				s.Op, s.Action, s.Role = OpAdd, ActCollaboratorAdd, cmp.Or(role, client.DefaultProjectRole)
				s.After = "role " + s.Role
				adds = append(adds, s)
			case role != "" && role != cur.Role:
				s.Op, s.Action, s.Role = OpChange, ActCollaboratorRole, role
				s.Before, s.After = "role "+cur.Role, "role "+role
				if _, _, team := client.SplitTeamAccount(c.User); team {
					s.Blocked = teamRowBlocked
				}
				changes = append(changes, s)
			}
		}
		// Rows the file does not list go only with prune, each by name:
		// some are invisible elsewhere (support staff's incognito rows,
		// a creator's automatic admin row).
		for _, r := range ix.rows[sp.ID] {
			if listed[r.User] {
				continue
			}
			s := base
			s.Op, s.Action, s.User, s.Before, s.Held = OpRemove, ActCollaboratorDel, r.User, "role "+r.Role, !df.opt.Prune
			if _, _, team := client.SplitTeamAccount(r.User); team {
				s.Blocked = teamRowBlocked
			}
			removes = append(removes, s)
		}
	}
	return removes, adds, changes
}

// cannotCollaborate says why user cannot hold a row on one of the
// organization's projects once the plan ran, or "". exists: the row is
// on the server already (then only a conflict with the plan itself
// counts: an existing row may belong to someone the API does not show
// as a member, like support staff).
func (df *qfcDiff) cannotCollaborate(user string, exists bool) string {
	org := df.d.Organization
	if o, team, ok := client.SplitTeamAccount(user); ok {
		switch {
		case exists:
			return ""
		case o != org:
			return fmt.Sprintf("%s is a team of %s: only teams of %s can be collaborators of its projects", user, o, org)
		}
		if _, ok := df.ix.team[team]; !ok {
			return fmt.Sprintf("no team %q in %s (create it first: roster teams create %s --org %s)", team, org, team, org)
		}
		return ""
	}
	if strings.HasPrefix(user, "@") {
		return fmt.Sprintf("%q: a team is written @ORG/TEAM", user)
	}
	_, member := df.ix.member[user]
	switch {
	case df.memberAfter(user):
		return ""
	case member:
		// Removing a member also removes their rows on the organization's
		// projects.
		return fmt.Sprintf("%s is not in members and would be pruned from %s, which removes their rows", user, org)
	case exists:
		return ""
	}
	return fmt.Sprintf("%s is not a member of %s: add them to members (only members can be collaborators of its projects)", user, org)
}

// noProject says a project name was not found, naming the projects whose
// names differ only in case.
func (df *qfcDiff) noProject(name string) string {
	org := df.d.Organization
	var near []string
	for _, p := range df.ix.projects {
		if strings.EqualFold(p.Name, name) {
			near = append(near, p.Name)
		}
	}
	if len(near) > 0 {
		return fmt.Sprintf("no project %q owned by %s (names are case-sensitive; there is %s)", name, org, strings.Join(near, ", "))
	}
	return fmt.Sprintf("no project %q owned by %s, or this account cannot see it", name, org)
}

// maxInFlight bounds the requests a plan or export runs at once across
// projects.
const maxInFlight = 6

// readProjects reads the organization's projects, then the rows of each
// project want picks, at most maxInFlight at once. A project whose rows
// cannot be read fails the whole read: a plan is complete or not made.
func readProjects(ctx context.Context, p client.Provider, org string, want func(qfcProject) bool) ([]qfcProject, map[string][]collabRow, error) {
	ps, err := p.Projects(ctx, client.ProjectQuery{Owner: org})
	if err != nil {
		return nil, nil, err
	}
	var projects, read []qfcProject
	for _, x := range ps {
		if x.Owner != org {
			continue // the server's owner filter ignores case
		}
		pr := qfcProject{ID: x.ID, Name: x.Name, Manage: x.CanManage()}
		projects = append(projects, pr)
		if want(pr) {
			read = append(read, pr)
		}
	}
	rows := make([][]collabRow, len(read))
	err = forEach(ctx, len(read), func(ctx context.Context, i int) error {
		cs, err := p.Collaborators(ctx, read[i].ID)
		if err != nil {
			return fmt.Errorf("reading the collaborators of project %s: %w", read[i].Name, err)
		}
		rows[i] = make([]collabRow, 0, len(cs))
		for _, c := range cs {
			rows[i] = append(rows[i], collabRow{User: c.User, Role: c.Role})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	byID := map[string][]collabRow{}
	for i, pr := range read {
		byID[pr.ID] = rows[i]
	}
	return projects, byID, nil
}

// forEach runs f for 0…n-1 with at most maxInFlight at once. The first
// failure (by index) is returned, and cancels the calls not yet done.
func forEach(ctx context.Context, n int, f func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	sem := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			if errs[i] = f(ctx, i); errs[i] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	// A call cancelled by another's failure is not the cause: report the
	// failure that is not a cancellation first.
	var first error
	for _, err := range errs {
		if err == nil {
			continue
		}
		if first == nil {
			first = err
		}
		if !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return first
}

package plan

import (
	"cmp"
	"fmt"
	"strings"
)

// projectRoles are QFieldCloud's project roles, highest first; the
// server takes them exactly so (lower case).
var projectRoles = []string{"admin", "manager", "editor", "reporter", "reader"}

// defaultProjectRole is what the server gives a new row without a role.
const defaultProjectRole = "reader"

// teamRowBlocked is why a team's collaborator row cannot be changed: the
// API's detail route cannot hold the / of @ORG/TEAM (not even as %2F).
const teamRowBlocked = "QFieldCloud's API cannot change or remove a team's row: use the web UI (deleting the team also removes its rows)"

// qfcProject is one of the organization's projects as read.
type qfcProject struct {
	ID   string
	Name string
}

// collabRow is one collaborator row as read.
type collabRow struct {
	User string // username, or @ORG/TEAM
	Role string
}

// splitTeam reads @ORG/TEAM.
func splitTeam(name string) (org, team string, ok bool) {
	rest, ok := strings.CutPrefix(name, "@")
	if !ok {
		return "", "", false
	}
	org, team, ok = strings.Cut(rest, "/")
	return org, team, ok && org != "" && team != ""
}

// projectRole finds a project role in any case; the server's spelling
// is returned.
func projectRole(role string) (string, bool) {
	for _, r := range projectRoles {
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
					df.errs = append(df.errs, d.errorf(c.Line, cf+".role", "unknown project role %q (roles: %s)", c.Role, strings.Join(projectRoles, ", ")))
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
				s.Op, s.Action, s.Role = OpAdd, ActCollaboratorAdd, cmp.Or(role, defaultProjectRole)
				s.After = "role " + s.Role
				adds = append(adds, s)
			case role != "" && role != cur.Role:
				s.Op, s.Action, s.Role = OpChange, ActCollaboratorRole, role
				s.Before, s.After = "role "+cur.Role, "role "+role
				if _, _, team := splitTeam(c.User); team {
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
			if _, _, team := splitTeam(r.User); team {
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
	if o, team, ok := splitTeam(user); ok {
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

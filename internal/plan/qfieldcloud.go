package plan

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/roster-cli/roster/client"
)

// qfcServer is what a QFieldCloud plan compares the file with: the
// organization as read, nothing derived.
type qfcServer struct {
	org     client.Organization
	members []client.Member
	teams   []client.Team
	roles   []client.Role
	// accounts are the file's members who are not members yet, as the
	// server knows them; a name missing here has no account.
	accounts map[string]client.User
	// projects are the organization's projects (read when the file lists
	// projects); rows are the collaborator rows by project id, read for
	// the projects whose collaborators the file lists.
	projects []qfcProject
	rows     map[string][]collabRow
}

// readQFieldCloud makes every request a QFieldCloud plan needs, and
// nothing else: the organization, its members, teams and the roles, the
// account of each person the file would add, and, when the file lists
// projects, the organization's projects and the rows of those it lists.
func readQFieldCloud(ctx context.Context, p client.Provider, d *Document) (*qfcServer, error) {
	org := d.Organization
	s := &qfcServer{accounts: map[string]client.User{}}
	var err error
	if s.org, err = p.Organization(ctx, org); err != nil {
		return nil, err
	}
	if s.members, err = client.CollectMembers(ctx, p, org); err != nil {
		return nil, err
	}
	if s.teams, err = p.Teams(ctx, org); err != nil {
		return nil, err
	}
	if s.roles, err = p.Roles(ctx); err != nil {
		return nil, err
	}
	member := map[string]bool{s.org.Owner: true}
	for _, m := range s.members {
		member[m.User] = true
	}
	for _, m := range d.Members {
		if member[m.User] {
			continue
		}
		u, err := p.User(ctx, m.User)
		switch {
		case err != nil && isNotFound(err):
			continue
		case err != nil:
			return nil, fmt.Errorf("checking user %s: %w", m.User, err)
		}
		s.accounts[m.User] = u
	}
	if len(d.Projects) > 0 {
		listed := map[string]bool{}
		for _, pr := range d.Projects {
			if pr.Collaborators != nil {
				listed[pr.Name] = true
			}
		}
		s.projects, s.rows, err = readProjects(ctx, p, org, func(pr qfcProject) bool { return listed[pr.Name] })
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// qfcIndex is the server's state keyed as the file names things.
type qfcIndex struct {
	*qfcServer
	member  map[string]client.Member // by username
	team    map[string]client.Team   // by short name
	project map[string]qfcProject    // by exact name
}

func indexQFieldCloud(s *qfcServer) *qfcIndex {
	ix := &qfcIndex{qfcServer: s, member: map[string]client.Member{}, team: map[string]client.Team{}, project: map[string]qfcProject{}}
	for _, m := range s.members {
		ix.member[m.User] = m
	}
	for _, t := range s.teams {
		ix.team[t.Name] = t
	}
	for _, p := range s.projects {
		ix.project[p.Name] = p
	}
	return ix
}

// qfcDiff compares one file with one index, collecting every problem.
type qfcDiff struct {
	d    *Document
	ix   *qfcIndex
	opt  Options
	errs Errors
	// want is who the file lists as a member.
	want map[string]bool
}

// diffQFieldCloud is the plan that makes the organization in ix match d.
func diffQFieldCloud(d *Document, ix *qfcIndex, opt Options) (*Plan, error) {
	df := &qfcDiff{d: d, ix: ix, opt: opt, want: map[string]bool{}}
	adds, changes, removes := df.members()
	teamRemoves, teamAdds := df.teams()
	collabRemoves, collabAdds, collabChanges := df.collaborators()
	if err := df.errs.err(); err != nil {
		return nil, err
	}
	// Safe order: join the organization before its teams; leave teams
	// (which also frees a person for another team: QFieldCloud allows
	// one team per person) before joining new ones. Collaborator rows
	// come once the members are in (a row needs a member or one of the
	// organization's teams), and go before anyone leaves the
	// organization (which would take their rows along unannounced).
	return &Plan{Provider: d.Provider, Organization: d.Organization, File: d.File,
		Steps: concat(adds, changes, teamRemoves, teamAdds, collabRemoves, collabAdds, collabChanges, removes)}, nil
}

// members checks every name and role of the file's members and returns
// the organization's rows.
func (df *qfcDiff) members() (adds, changes, removes []Step) {
	d, ix, org := df.d, df.ix, df.d.Organization
	group := "organization " + org
	for i, m := range d.Members {
		f := memberField(d, i)
		if m.User == ix.org.Owner {
			df.errs = append(df.errs, d.errorf(m.Line, f+".user", "%s owns %s; an owner is not listed as a member", m.User, org))
			continue
		}
		role := ""
		if m.Role != "" {
			r, why := matchRole(m.Role, ix.roles)
			if why != "" {
				df.errs = append(df.errs, d.errorf(m.Line, f+".role", "%s", why))
				continue
			}
			role = r.Name
		}
		df.want[m.User] = true
		cur, ok := ix.member[m.User]
		if !ok {
			u, known := ix.accounts[m.User]
			switch {
			case !known:
				df.errs = append(df.errs, d.errorf(m.Line, f+".user", "no QFieldCloud user %q (usernames are case-sensitive)", m.User))
				continue
			case u.Type != "" && u.Type != client.AccountPerson:
				df.errs = append(df.errs, d.errorf(m.Line, f+".user", "%q is an %s, not a person", m.User, u.Type))
				continue
			}
			s := Step{Op: OpAdd, Action: ActMemberAdd, Group: group, Org: org, User: m.User, Role: cmp.Or(role, "member"), Public: ptr(m.Public != nil && *m.Public)}
			s.After = "role " + s.Role + ", " + visibility(*s.Public)
			adds = append(adds, s)
			continue
		}
		s := Step{Op: OpChange, Action: ActMemberUpdate, Group: group, Org: org, User: m.User}
		var before, after []string
		if role != "" && role != cur.Role {
			s.Role = role
			before, after = append(before, "role "+cur.Role), append(after, "role "+role)
		}
		if m.Public != nil && *m.Public != cur.Public {
			s.Public = ptr(*m.Public)
			before, after = append(before, visibility(cur.Public)), append(after, visibility(*m.Public))
		}
		if len(after) > 0 {
			s.Before, s.After = strings.Join(before, ", "), strings.Join(after, ", ")
			changes = append(changes, s)
		}
	}
	for _, m := range ix.members {
		if !df.want[m.User] {
			removes = append(removes, Step{Op: OpRemove, Action: ActMemberRemove, Group: group, Org: org, User: m.User,
				Before: "role " + m.Role + ", " + visibility(m.Public), Held: !df.opt.Prune})
		}
	}
	return adds, changes, removes
}

// memberAfter reports whether u is a member once the plan ran: the
// owner, the file's members, and the server's others while they are not
// pruned.
func (df *qfcDiff) memberAfter(u string) bool {
	_, has := df.ix.member[u]
	return u == df.ix.org.Owner || df.want[u] || (!df.opt.Prune && has)
}

// teams compares the file's teams (those that list members) with the
// server's. Teams the file does not list are left alone.
func (df *qfcDiff) teams() (removes, adds []Step) {
	d, ix, org := df.d, df.ix, df.d.Organization
	for i, t := range d.Teams {
		f := fmt.Sprintf("teams[%d]", i+1)
		st, ok := ix.team[t.Name]
		if !ok {
			df.errs = append(df.errs, d.errorf(t.Line, f+".name", "no team %q in %s (create it first: roster teams create %s --org %s)", t.Name, org, t.Name, org))
			continue
		}
		if t.Members == nil {
			continue
		}
		tg := "team " + t.Name
		in := map[string]bool{}
		for _, tm := range st.Members {
			in[tm.User] = true
		}
		listed := map[string]bool{}
		for j, r := range t.Members {
			listed[r.User] = true
			if in[r.User] {
				continue
			}
			if !df.memberAfter(r.User) {
				why := "is not a member of " + org + ": add them to members"
				if _, has := ix.member[r.User]; has {
					why = "is not in members and would be pruned from " + org
				}
				df.errs = append(df.errs, d.errorf(r.Line, fmt.Sprintf("%s.members[%d]", f, j+1), "%s %s", r.User, why))
				continue
			}
			adds = append(adds, Step{Op: OpAdd, Action: ActTeamMemberAdd, Group: tg, Org: org, Team: t.Name, TeamID: st.ID, User: r.User})
		}
		for _, tm := range st.Members {
			if !listed[tm.User] {
				removes = append(removes, Step{Op: OpRemove, Action: ActTeamMemberRemove, Group: tg, Org: org, Team: t.Name, TeamID: st.ID, User: tm.User, Held: !df.opt.Prune})
			}
		}
	}
	return removes, adds
}

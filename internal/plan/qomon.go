package plan

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/roster-cli/roster/client"
)

// qomonServer is what a Qomon plan compares the file with: the space as
// read, nothing derived.
type qomonServer struct {
	members []client.Member
	teams   []client.Team
	roles   []client.Role // read only when the file lists users
}

// readQomon makes every request a Qomon plan needs, and nothing else.
func readQomon(ctx context.Context, p client.Provider, d *Document) (*qomonServer, error) {
	s := &qomonServer{}
	var err error
	if s.members, err = client.CollectMembers(ctx, p, ""); err != nil {
		return nil, err
	}
	tl, err := client.ListTeams(ctx, p, "")
	if err != nil {
		return nil, err
	}
	if tl.PublicOnly && len(d.Teams) > 0 {
		// Private teams the token cannot see would be planned as new
		// (a duplicate on apply) and their members as unknown.
		return nil, fmt.Errorf("cannot plan the file's teams: %s (GET /teams was refused); use a token of a role that can", client.PublicTeamsNote)
	}
	s.teams = tl.Teams
	if len(d.Members) > 0 {
		if s.roles, err = p.Roles(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// qomonIndex is the space keyed as a file names things: users by id and
// by e-mail (any case), teams by id and by name (names may repeat).
type qomonIndex struct {
	*qomonServer
	byID       map[string]client.Member
	byMail     map[string]client.Member
	teamByID   map[string]client.Team
	teamByName map[string][]client.Team
}

func indexQomon(s *qomonServer) *qomonIndex {
	ix := &qomonIndex{qomonServer: s, byID: map[string]client.Member{}, byMail: map[string]client.Member{},
		teamByID: map[string]client.Team{}, teamByName: map[string][]client.Team{}}
	for _, m := range s.members {
		ix.byID[m.User] = m
		if m.Email != "" {
			ix.byMail[strings.ToLower(m.Email)] = m
		}
	}
	for _, t := range s.teams {
		ix.teamByName[t.Name] = append(ix.teamByName[t.Name], t)
		ix.teamByID[t.ID] = t
	}
	return ix
}

// find resolves a file's user reference: an e-mail (any case) or an id.
func (ix *qomonIndex) find(ref string) (client.Member, bool) {
	if strings.Contains(ref, "@") {
		m, ok := ix.byMail[strings.ToLower(ref)]
		return m, ok
	}
	m, ok := ix.byID[ref]
	return m, ok
}

// label is how people know a user: the e-mail, else the id.
func (ix *qomonIndex) label(id string) string { return cmp.Or(ix.byID[id].Email, id) }

func unknownQomonUser(ref string) string {
	return fmt.Sprintf("no user %q in the space (people join by invitation: roster invitations send %s)", ref, ref)
}

// qomonDiff compares one file with one index, collecting every problem.
type qomonDiff struct {
	d    *Document
	ix   *qomonIndex
	opt  Options
	errs Errors
	pl   *Plan
}

// diffQomon is the plan that makes the space in ix match d.
func diffQomon(d *Document, ix *qomonIndex, opt Options) (*Plan, error) {
	df := &qomonDiff{d: d, ix: ix, opt: opt, pl: &Plan{Provider: d.Provider, File: d.File, teams: map[string]*client.Team{}}}
	roleSteps := df.users()
	var teamSteps []Step
	for i, t := range d.Teams {
		teamSteps = append(teamSteps, df.team(i, t)...)
	}
	if err := df.errs.err(); err != nil {
		return nil, err
	}
	df.pl.Steps = concat(roleSteps, teamSteps)
	return df.pl, nil
}

// users checks the file's users and returns the role changes, then the
// users the file does not list.
func (df *qomonDiff) users() []Step {
	d, ix := df.d, df.ix
	var steps []Step
	listed := map[string]bool{}
	for i, m := range d.Members {
		f := memberField(d, i)
		cur, ok := ix.find(m.User)
		if !ok {
			df.errs = append(df.errs, d.errorf(m.Line, f+".email", "%s", unknownQomonUser(m.User)))
			continue
		}
		if listed[cur.User] {
			df.errs = append(df.errs, d.errorf(m.Line, f, "%s is listed twice (by e-mail and by id)", m.User))
			continue
		}
		listed[cur.User] = true
		if m.Role == "" {
			continue
		}
		r, why := matchRole(m.Role, ix.roles)
		if why != "" {
			df.errs = append(df.errs, d.errorf(m.Line, f+".role", "%s", why))
			continue
		}
		if r.ID != cur.RoleID {
			steps = append(steps, Step{Op: OpChange, Action: ActMemberUpdate, Group: "space", User: cur.User, Label: ix.label(cur.User),
				Role: r.Name, RoleID: r.ID, Before: "role " + cur.Role, After: "role " + r.Name})
		}
	}
	// A user the file does not list is a difference (someone joined),
	// shown as drift; it stays, with or without prune: Qomon has no API
	// to remove a person from a space.
	if d.Members != nil {
		for _, m := range ix.members {
			if !listed[m.User] {
				steps = append(steps, Step{Op: OpRemove, Action: ActMemberRemove, Group: "space", User: m.User, Label: ix.label(m.User),
					Before: "role " + m.Role, Held: true, Blocked: "Qomon has no endpoint that removes a person from a space; they stay"})
			}
		}
	}
	return steps
}

// findTeam picks the server's team for the file's i-th team: by id when
// given, else by a name only one team has.
func (df *qomonDiff) findTeam(i int, t Team) (client.Team, bool) {
	d, ix := df.d, df.ix
	f := fmt.Sprintf("teams[%d]", i+1)
	switch {
	case t.ID != "":
		st, ok := ix.teamByID[t.ID]
		if !ok {
			df.errs = append(df.errs, d.errorf(t.Line, f+".id", "no team with id %s in the space", t.ID))
			return st, false
		}
		if st.Name != t.Name {
			df.errs = append(df.errs, d.errorf(t.Line, f+".name", "team %s is named %q on the server, not %q (rename it with roster teams rename)", t.ID, st.Name, t.Name))
			return st, false
		}
		return st, true
	case len(ix.teamByName[t.Name]) == 1:
		return ix.teamByName[t.Name][0], true
	case len(ix.teamByName[t.Name]) > 1:
		var ids []string
		for _, x := range ix.teamByName[t.Name] {
			ids = append(ids, x.ID)
		}
		df.errs = append(df.errs, d.errorf(t.Line, f+".name", "%d teams are named %q (ids %s): add id: to pick one", len(ids), t.Name, strings.Join(ids, ", ")))
	default:
		df.errs = append(df.errs, d.errorf(t.Line, f+".name", "no team %q in the space (create it first: roster teams create %q)", t.Name, t.Name))
	}
	return client.Team{}, false
}

// resolve turns the file's refs into user ids, reporting unknowns; nil
// refs (not given) stay nil.
func (df *qomonDiff) resolve(refs []Ref, field string) map[string]bool {
	if refs == nil {
		return nil
	}
	out := map[string]bool{}
	for j, r := range refs {
		m, ok := df.ix.find(r.User)
		if !ok {
			df.errs = append(df.errs, df.d.errorf(r.Line, fmt.Sprintf("%s[%d]", field, j+1), "%s", unknownQomonUser(r.User)))
			continue
		}
		out[m.User] = true
	}
	return out
}

// team returns the steps for the file's i-th team: visibility, then
// additions, leadership changes and removals.
func (df *qomonDiff) team(i int, t Team) []Step {
	st, ok := df.findTeam(i, t)
	if !ok {
		return nil
	}
	ix := df.ix
	f := fmt.Sprintf("teams[%d]", i+1)
	base := Step{Group: "team " + t.Name, Team: t.Name, TeamID: st.ID}
	var steps []Step
	if t.Private != nil && *t.Private != st.Private {
		s := base
		s.Op, s.Action, s.Private = OpChange, ActTeamPrivate, ptr(*t.Private)
		s.Before, s.After = teamVisibility(st.Private), teamVisibility(*t.Private)
		steps = append(steps, s)
	}
	lead := map[string]bool{}
	in := map[string]bool{}
	for _, tm := range st.Members {
		in[tm.User] = true
		lead[tm.User] = tm.Leader
	}
	members := df.resolve(t.Members, f+".members")
	leaders := df.resolve(t.Leaders, f+".leaders")
	var adds, leads, removes []Step
	wanted := map[string]bool{}
	for id := range members {
		wanted[id] = true
	}
	for id := range leaders {
		wanted[id] = true
	}
	for _, id := range sortedKeys(wanted) {
		isLeader := leaders != nil && leaders[id]
		if leaders == nil {
			isLeader = lead[id] // leaders not given: as they are
		}
		s := base
		s.User, s.Label = id, ix.label(id)
		switch {
		case !in[id]:
			s.Op, s.Action, s.Leader = OpAdd, ActTeamMemberAdd, isLeader
			adds = append(adds, s)
		case isLeader && !lead[id]:
			s.Op, s.Action, s.Before, s.After = OpChange, ActTeamLeaderAdd, "member", "leader"
			leads = append(leads, s)
		case !isLeader && lead[id]:
			s.Op, s.Action, s.Before, s.After = OpChange, ActTeamLeaderRemove, "leader", "member"
			leads = append(leads, s)
		}
	}
	for _, tm := range st.Members {
		if members == nil || wanted[tm.User] {
			continue
		}
		s := base
		s.Op, s.Action, s.User, s.Label, s.Held = OpRemove, ActTeamMemberRemove, tm.User, cmp.Or(ix.label(tm.User), tm.Email), !df.opt.Prune
		if tm.Leader {
			s.Before = "leader"
		}
		removes = append(removes, s)
	}
	steps = concat(steps, adds, leads, removes)
	if len(steps) > 0 {
		c := st
		df.pl.teams[st.ID] = &c
	}
	return steps
}

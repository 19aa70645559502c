package plan

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/roster-cli/roster/client"
)

// Op is how a step shows in a plan.
type Op string

const (
	OpAdd    Op = "+"
	OpChange Op = "~"
	OpRemove Op = "-"
)

// Action is what a step sends.
type Action string

const (
	ActMemberAdd        Action = "member.add"
	ActMemberUpdate     Action = "member.update" // role and/or visibility
	ActMemberRemove     Action = "member.remove"
	ActTeamMemberAdd    Action = "team.member.add"
	ActTeamMemberRemove Action = "team.member.remove"
	ActTeamLeaderAdd    Action = "team.leader.add"
	ActTeamLeaderRemove Action = "team.leader.remove"
	ActTeamPrivate      Action = "team.set_private"
)

// Step is one row of a plan: one write.
type Step struct {
	Op     Op     `json:"op"`
	Action Action `json:"action"`
	// Group is where the step shows: "organization NAME", "space" or
	// "team NAME".
	Group  string `json:"group"`
	Org    string `json:"organization,omitempty"`
	Team   string `json:"team,omitempty"`    // team name
	TeamID string `json:"team_id,omitempty"` // the id the API takes
	// User is the user as the API takes it (QFieldCloud username, Qomon
	// id); Label is how people know them (Qomon: the e-mail).
	User    string `json:"user,omitempty"`
	Label   string `json:"label,omitempty"`
	Role    string `json:"role,omitempty"`    // the role to set (name)
	RoleID  string `json:"role_id,omitempty"` // the role to send
	Public  *bool  `json:"public,omitempty"`
	Private *bool  `json:"private,omitempty"`
	Leader  bool   `json:"leader,omitempty"`
	Before  string `json:"before,omitempty"`
	After   string `json:"after,omitempty"`
	// Held marks a removal the file asks for that is not made without
	// prune.
	Held bool `json:"held,omitempty"`
}

// Describe says what the step does in a few words.
func (s Step) Describe() string {
	who := cmpOr(s.Label, s.User)
	where := s.Group
	switch s.Action {
	case ActMemberAdd:
		return fmt.Sprintf("add %s to %s (%s)", who, where, s.After)
	case ActMemberUpdate:
		return fmt.Sprintf("change %s in %s: %s → %s", who, where, s.Before, s.After)
	case ActMemberRemove:
		return fmt.Sprintf("remove %s from %s", who, where)
	case ActTeamMemberAdd:
		if s.Leader {
			return fmt.Sprintf("add %s to %s as a leader", who, where)
		}
		return fmt.Sprintf("add %s to %s", who, where)
	case ActTeamMemberRemove:
		return fmt.Sprintf("remove %s from %s", who, where)
	case ActTeamLeaderAdd:
		return fmt.Sprintf("make %s a leader of %s", who, where)
	case ActTeamLeaderRemove:
		return fmt.Sprintf("make %s a plain member of %s", who, where)
	case ActTeamPrivate:
		return fmt.Sprintf("make %s %s", where, s.After)
	}
	return string(s.Action) + " " + who
}

// Options change how a plan is made.
type Options struct {
	// Prune makes removals real steps; without it they are Held.
	Prune bool
}

// Plan is the ordered list of steps that makes the server match a file.
type Plan struct {
	Provider     string `json:"provider"`
	Organization string `json:"organization,omitempty"`
	File         string `json:"file"`
	Steps        []Step `json:"steps"`
	// Notes are things the file cannot make so, said once.
	Notes []string `json:"notes,omitempty"`

	// teams are the server copies the plan was made from, by team id:
	// the baseline a conditional team write checks against.
	teams map[string]*client.Team
}

// Counts are the plan's rows by kind; Held removals are counted apart.
type Counts struct {
	Add    int `json:"add"`
	Change int `json:"change"`
	Remove int `json:"remove"`
	Held   int `json:"held"`
}

// Counts counts the steps.
func (p *Plan) Counts() Counts {
	var c Counts
	for _, s := range p.Steps {
		switch {
		case s.Held:
			c.Held++
		case s.Op == OpAdd:
			c.Add++
		case s.Op == OpChange:
			c.Change++
		case s.Op == OpRemove:
			c.Remove++
		}
	}
	return c
}

// Empty reports whether applying the plan would send nothing.
func (p *Plan) Empty() bool {
	c := p.Counts()
	return c.Add+c.Change+c.Remove == 0
}

// Compute compares d with the server and returns the plan. Everything the
// file names is checked first: an unknown user, role or team, or a wrong
// provider or organization, is an Errors (client.ErrBadInput) and no plan.
func Compute(ctx context.Context, p client.Provider, d *Document, opt Options) (*Plan, error) {
	if d.Provider != p.Kind() {
		return nil, Errors{{File: d.File, Line: 1, Field: "provider", Msg: fmt.Sprintf("the file describes %s, but the profile is a %s account", d.Provider, p.Kind())}}
	}
	switch d.Provider {
	case QFieldCloud:
		return computeQFieldCloud(ctx, p, d, opt)
	case Qomon:
		return computeQomon(ctx, p, d, opt)
	}
	return nil, fmt.Errorf("planning: provider %q has no document format: %w", d.Provider, client.ErrUnsupported)
}

func (d *Document) errorf(line int, field, format string, args ...any) *Error {
	return &Error{File: d.File, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// matchRole finds a role by id, then kind, then name (case-insensitive).
func matchRole(role string, roles []client.Role) (client.Role, string) {
	for _, r := range roles {
		if r.ID == role {
			return r, ""
		}
	}
	for _, same := range []func(client.Role) bool{
		func(r client.Role) bool { return r.Kind != "" && strings.EqualFold(r.Kind, role) },
		func(r client.Role) bool { return strings.EqualFold(r.Name, role) },
	} {
		var hit []client.Role
		for _, r := range roles {
			if same(r) {
				hit = append(hit, r)
			}
		}
		switch {
		case len(hit) == 1:
			return hit[0], ""
		case len(hit) > 1:
			return client.Role{}, fmt.Sprintf("role %q is ambiguous: give the role id", role)
		}
	}
	var names []string
	for _, r := range roles {
		names = append(names, r.Name)
	}
	return client.Role{}, fmt.Sprintf("unknown role %q (roles: %s)", role, strings.Join(names, ", "))
}

func visibility(public bool) string {
	if public {
		return "public"
	}
	return "private"
}

func memberField(d *Document, i int) string {
	if d.Provider == Qomon {
		return fmt.Sprintf("users[%d]", i+1)
	}
	return fmt.Sprintf("members[%d]", i+1)
}

func computeQFieldCloud(ctx context.Context, p client.Provider, d *Document, opt Options) (*Plan, error) {
	org := d.Organization
	o, err := p.Organization(ctx, org)
	if err != nil {
		return nil, fmt.Errorf("planning %s: %w", org, err)
	}
	current, err := client.CollectMembers(ctx, p, org)
	if err != nil {
		return nil, fmt.Errorf("planning %s: %w", org, err)
	}
	teams, err := p.Teams(ctx, org)
	if err != nil {
		return nil, fmt.Errorf("planning %s: %w", org, err)
	}
	roles, err := p.Roles(ctx)
	if err != nil {
		return nil, fmt.Errorf("planning %s: %w", org, err)
	}
	have := map[string]client.Member{}
	for _, m := range current {
		have[m.User] = m
	}
	var errs Errors
	group := "organization " + org
	pl := &Plan{Provider: d.Provider, Organization: org, File: d.File}

	// Members: check every name and role before any step exists.
	want := map[string]bool{}
	var adds, changes []Step
	for i, m := range d.Members {
		f := memberField(d, i)
		if m.User == o.Owner {
			errs = append(errs, d.errorf(m.Line, f+".user", "%s owns %s; an owner is not listed as a member", m.User, org))
			continue
		}
		role := ""
		if m.Role != "" {
			r, why := matchRole(m.Role, roles)
			if why != "" {
				errs = append(errs, d.errorf(m.Line, f+".role", "%s", why))
				continue
			}
			role = r.Name
		}
		want[m.User] = true
		cur, ok := have[m.User]
		if !ok {
			u, err := p.User(ctx, m.User)
			switch {
			case err != nil && isNotFound(err):
				errs = append(errs, d.errorf(m.Line, f+".user", "no QFieldCloud user %q (usernames are case-sensitive)", m.User))
				continue
			case err != nil:
				return nil, fmt.Errorf("planning %s: checking user %s: %w", org, m.User, err)
			case u.Type != "" && u.Type != client.AccountPerson:
				errs = append(errs, d.errorf(m.Line, f+".user", "%q is an %s, not a person", m.User, u.Type))
				continue
			}
			s := Step{Op: OpAdd, Action: ActMemberAdd, Group: group, Org: org, User: m.User, Role: cmpOr(role, "member"), Public: ptr(m.Public != nil && *m.Public)}
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
	var removes []Step
	for _, m := range current {
		if !want[m.User] {
			removes = append(removes, Step{Op: OpRemove, Action: ActMemberRemove, Group: group, Org: org, User: m.User,
				Before: "role " + m.Role + ", " + visibility(m.Public), Held: !opt.Prune})
		}
	}
	// Who is a member once the plan ran: the file's members, and the
	// server's others while they are not pruned. The owner may be in
	// teams too.
	member := func(u string) bool { return u == o.Owner || want[u] || (!opt.Prune && have[u].User != "") }

	byName := map[string]client.Team{}
	for _, t := range teams {
		byName[t.Name] = t
	}
	var teamAdds, teamRemoves []Step
	for i, t := range d.Teams {
		f := fmt.Sprintf("teams[%d]", i+1)
		st, ok := byName[t.Name]
		if !ok {
			errs = append(errs, d.errorf(t.Line, f+".name", "no team %q in %s (create it first: roster teams create %s --org %s)", t.Name, org, t.Name, org))
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
			if !member(r.User) {
				why := "is not a member of " + org + ": add them to members"
				if have[r.User].User != "" {
					why = "is not in members and would be pruned from " + org
				}
				errs = append(errs, d.errorf(r.Line, fmt.Sprintf("%s.members[%d]", f, j+1), "%s %s", r.User, why))
				continue
			}
			teamAdds = append(teamAdds, Step{Op: OpAdd, Action: ActTeamMemberAdd, Group: tg, Org: org, Team: t.Name, TeamID: st.ID, User: r.User})
		}
		for _, tm := range st.Members {
			if !listed[tm.User] {
				teamRemoves = append(teamRemoves, Step{Op: OpRemove, Action: ActTeamMemberRemove, Group: tg, Org: org, Team: t.Name, TeamID: st.ID, User: tm.User, Held: !opt.Prune})
			}
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	// Safe order: join the organization before its teams; leave teams
	// (which also frees a person for another team: QFieldCloud allows
	// one team per person) before joining new ones, and before leaving
	// the organization.
	pl.Steps = concat(adds, changes, teamRemoves, teamAdds, removes)
	return pl, nil
}

func computeQomon(ctx context.Context, p client.Provider, d *Document, opt Options) (*Plan, error) {
	current, err := client.CollectMembers(ctx, p, "")
	if err != nil {
		return nil, fmt.Errorf("planning the space: %w", err)
	}
	teams, err := p.Teams(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("planning the space: %w", err)
	}
	var roles []client.Role
	if len(d.Members) > 0 {
		if roles, err = p.Roles(ctx); err != nil {
			return nil, fmt.Errorf("planning the space: %w", err)
		}
	}
	byID := map[string]client.Member{}
	byMail := map[string]client.Member{}
	for _, m := range current {
		byID[m.User] = m
		if m.Email != "" {
			byMail[strings.ToLower(m.Email)] = m
		}
	}
	find := func(ref string) (client.Member, bool) {
		if strings.Contains(ref, "@") {
			m, ok := byMail[strings.ToLower(ref)]
			return m, ok
		}
		m, ok := byID[ref]
		return m, ok
	}
	label := func(id string) string { return cmpOr(byID[id].Email, id) }
	unknown := func(ref string) string {
		return fmt.Sprintf("no user %q in the space (people join by invitation: roster invitations send %s)", ref, ref)
	}
	var errs Errors
	pl := &Plan{Provider: d.Provider, File: d.File, teams: map[string]*client.Team{}}
	var roleSteps []Step
	listed := map[string]bool{}
	for i, m := range d.Members {
		f := memberField(d, i)
		cur, ok := find(m.User)
		if !ok {
			errs = append(errs, d.errorf(m.Line, f+".email", "%s", unknown(m.User)))
			continue
		}
		if listed[cur.User] {
			errs = append(errs, d.errorf(m.Line, f, "%s is listed twice (by e-mail and by id)", m.User))
			continue
		}
		listed[cur.User] = true
		if m.Role == "" {
			continue
		}
		r, why := matchRole(m.Role, roles)
		if why != "" {
			errs = append(errs, d.errorf(m.Line, f+".role", "%s", why))
			continue
		}
		if r.ID != cur.RoleID {
			roleSteps = append(roleSteps, Step{Op: OpChange, Action: ActMemberUpdate, Group: "space", User: cur.User, Label: label(cur.User),
				Role: r.Name, RoleID: r.ID, Before: "role " + cur.Role, After: "role " + r.Name})
		}
	}
	if opt.Prune && d.Members != nil && len(listed) < len(current) {
		pl.Notes = append(pl.Notes, fmt.Sprintf("%d users of the space are not in the file; Qomon has no API to remove people from a space, so they stay", len(current)-len(listed)))
	}

	byName := map[string][]client.Team{}
	teamByID := map[string]client.Team{}
	for _, t := range teams {
		byName[t.Name] = append(byName[t.Name], t)
		teamByID[t.ID] = t
	}
	var teamSteps []Step
	for i, t := range d.Teams {
		f := fmt.Sprintf("teams[%d]", i+1)
		var st client.Team
		switch {
		case t.ID != "":
			var ok bool
			if st, ok = teamByID[t.ID]; !ok {
				errs = append(errs, d.errorf(t.Line, f+".id", "no team with id %s in the space", t.ID))
				continue
			}
			if st.Name != t.Name {
				errs = append(errs, d.errorf(t.Line, f+".name", "team %s is named %q on the server, not %q (rename it with roster teams rename)", t.ID, st.Name, t.Name))
				continue
			}
		case len(byName[t.Name]) == 1:
			st = byName[t.Name][0]
		case len(byName[t.Name]) > 1:
			var ids []string
			for _, x := range byName[t.Name] {
				ids = append(ids, x.ID)
			}
			errs = append(errs, d.errorf(t.Line, f+".name", "%d teams are named %q (ids %s): add id: to pick one", len(ids), t.Name, strings.Join(ids, ", ")))
			continue
		default:
			errs = append(errs, d.errorf(t.Line, f+".name", "no team %q in the space (create it first: roster teams create %q)", t.Name, t.Name))
			continue
		}
		tg := "team " + t.Name
		base := Step{Group: tg, Team: t.Name, TeamID: st.ID}
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
		// resolve turns the file's refs into user ids, reporting unknowns.
		resolve := func(refs []Ref, field string) map[string]bool {
			if refs == nil {
				return nil
			}
			out := map[string]bool{}
			for j, r := range refs {
				m, ok := find(r.User)
				if !ok {
					errs = append(errs, d.errorf(r.Line, fmt.Sprintf("%s.%s[%d]", f, field, j+1), "%s", unknown(r.User)))
					continue
				}
				out[m.User] = true
			}
			return out
		}
		members := resolve(t.Members, "members")
		leaders := resolve(t.Leaders, "leaders")
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
			s.User, s.Label = id, label(id)
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
			s.Op, s.Action, s.User, s.Label, s.Held = OpRemove, ActTeamMemberRemove, tm.User, cmpOr(label(tm.User), tm.Email), !opt.Prune
			if tm.Leader {
				s.Before = "leader"
			}
			removes = append(removes, s)
		}
		steps = concat(steps, adds, leads, removes)
		if len(steps) > 0 {
			c := st
			pl.teams[st.ID] = &c
		}
		teamSteps = append(teamSteps, steps...)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	pl.Steps = concat(roleSteps, teamSteps)
	return pl, nil
}

func teamVisibility(private bool) string {
	if private {
		return "private"
	}
	return "public"
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	// Numeric ids sort as numbers, for a stable, natural order.
	sort.Slice(out, func(i, j int) bool {
		a, ea := strconv.ParseInt(out[i], 10, 64)
		b, eb := strconv.ParseInt(out[j], 10, 64)
		if ea == nil && eb == nil {
			return a < b
		}
		return out[i] < out[j]
	})
	return out
}

func concat(lists ...[]Step) []Step {
	out := []Step{}
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

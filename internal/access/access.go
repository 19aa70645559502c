// Package access answers "what can this person reach?" on QFieldCloud:
// every organization membership, team and project of one person across
// the organizations the signed-in account administers, each project with
// the effective role and where it comes from, ranked as the server ranks
// them (api/qfieldcloud.md §9.4). It also turns that answer into an
// offboarding plan. The CLI (roster access, roster offboard) and the TUI
// share it; it does no terminal IO.
package access

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/roster-cli/roster/client"
)

// MaxInFlight bounds the requests sent at once across projects: what
// browsers allow per host, so a server built for its web UI copes.
const MaxInFlight = 6

// Options say what to look at.
type Options struct {
	// Org limits the look to one organization ("" = every organization the
	// signed-in account administers, plus projects it owns or manages that
	// no organization owns).
	Org string
	// Concurrency bounds the requests in flight, every read included (0 or
	// more than MaxInFlight = MaxInFlight).
	Concurrency int
	// CheckUser also reads USER's account (at the same time as the rest),
	// so a misspelt name fails instead of reaching nothing.
	CheckUser bool
}

// Membership is the person's place in one organization.
type Membership struct {
	Org   string   `json:"organization"`
	Role  string   `json:"role"` // owner, admin, creator or member
	Teams []string `json:"teams,omitempty"`
	// DefaultRole is the organization's role for its non-admin members on
	// every project, when known: the API does not expose it, so it is only
	// learnt from your own role on a project where you are a plain member.
	DefaultRole string `json:"default_project_role,omitempty"`
	// DefaultRoleUnknown: the person is a plain member and the default
	// role could not be learnt. If one is set (only a server admin can),
	// they reach every project of the organization with it.
	DefaultRoleUnknown bool `json:"default_project_role_unknown,omitempty"`
}

// TeamRow is a team's collaborator row that reaches the person.
type TeamRow struct {
	Team string `json:"team"` // @ORG/TEAM
	Role string `json:"role"`
}

// ProjectAccess is the person's access to one project.
type ProjectAccess struct {
	ID      string `json:"id"`
	Owner   string `json:"owner"`
	Name    string `json:"name"`
	Private bool   `json:"private"`
	// Role and Origin are the effective role and where it comes from;
	// Role is "" when the person has rows but no valid role (a private
	// organization project of an organization they left).
	Role   string            `json:"role"`
	Origin client.RoleOrigin `json:"origin,omitempty"`
	// Team is the team whose row gives the role (Origin team_member).
	Team string `json:"team,omitempty"`
	// Row is the role of the person's own collaborator row, also when a
	// higher origin wins over it ("" = no row).
	Row string `json:"row,omitempty"`
	// TeamRows are every row of a team the person is in.
	TeamRows []TeamRow `json:"team_rows,omitempty"`
	// Note says what else matters (two teams with different roles, an
	// unknown organization default, an invalid row).
	Note string `json:"note,omitempty"`
}

// FullName is OWNER/NAME.
func (p ProjectAccess) FullName() string { return p.Owner + "/" + p.Name }

// Unchecked is a project in scope whose rows could not be read: only its
// admins and managers may.
type Unchecked struct {
	Project string `json:"project"`
	ID      string `json:"id"`
	Why     string `json:"why"`
}

// Report is everything one person can reach in the scope.
type Report struct {
	User string `json:"user"`
	// Orgs are the organizations looked at.
	Orgs        []string        `json:"organizations_checked"`
	Memberships []Membership    `json:"memberships"`
	Projects    []ProjectAccess `json:"projects"`
	Unchecked   []Unchecked     `json:"unchecked,omitempty"`
	// Requests is how many reads the answer took.
	Requests int `json:"-"`
}

// orgData is what was read of one organization.
type orgData struct {
	org     client.Organization
	members []client.Member
	teams   []client.Team
}

// Gather reads what it needs, at most opt.Concurrency requests at a
// time, and computes the report. A read that fails
// fails the whole answer: a partial list would read as complete.
func Gather(ctx context.Context, p client.Provider, user string, opt Options) (*Report, error) {
	if user == "" {
		return nil, fmt.Errorf("no user given: %w", client.ErrBadInput)
	}
	if !p.Can(client.CapProjects) {
		return nil, fmt.Errorf("what %s can reach: %s has no projects API: %w", user, p.Kind(), client.ErrUnsupported)
	}
	limit := opt.Concurrency
	if limit <= 0 || limit > MaxInFlight {
		limit = MaxInFlight
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g := &group{cancel: cancel, sem: make(chan struct{}, limit), ctx: ctx}
	var reqs counter

	if opt.CheckUser {
		g.go_(func() error {
			u, err := p.User(ctx, user)
			reqs.add(1)
			if err == nil && u.Type != "" && u.Type != client.AccountPerson {
				err = fmt.Errorf("%s is not a person: %w", user, client.ErrBadInput)
			}
			return err
		})
	}

	// The project list and the organizations are read at once; each
	// project's rows as soon as the list is in.
	var projects []client.Project
	projectsDone := make(chan struct{})
	// projectsDone closes whatever happens, also when a failure elsewhere
	// cancels the read before it gets a slot.
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		defer close(projectsDone)
		g.fail(g.slot(func() error {
			ps, err := p.Projects(ctx, client.ProjectQuery{Owner: opt.Org})
			reqs.add(1)
			projects = ps
			return err
		}))
	}()

	orgs := map[string]*orgData{}
	var orgMu sync.Mutex
	readOrg := func(o client.Organization) {
		d := &orgData{org: o}
		orgMu.Lock()
		orgs[o.Name] = d
		orgMu.Unlock()
		g.go_(func() error {
			ms, err := client.CollectMembers(ctx, p, o.Name)
			reqs.add(1)
			d.members = ms
			return err
		})
		g.go_(func() error {
			ts, err := p.Teams(ctx, o.Name)
			reqs.add(1)
			d.teams = ts
			return err
		})
	}
	var scope []string
	isOrg := map[string]bool{} // every organization you belong to
	if opt.Org != "" {
		scope = []string{opt.Org}
		isOrg[opt.Org] = true
		// The owner comes with the organization's detail.
		g.go_(func() error {
			o, err := p.Organization(ctx, opt.Org)
			reqs.add(1)
			if err != nil {
				return err
			}
			readOrg(o)
			return nil
		})
	} else {
		var os []client.Organization
		err := g.slot(func() error {
			var err error
			os, err = p.Organizations(ctx)
			return err
		})
		reqs.add(1)
		if err != nil {
			// A read that failed first (a misspelt USER) is the cause.
			cancel()
			if gerr := g.wait(); gerr != nil && !errors.Is(gerr, context.Canceled) {
				return nil, gerr
			}
			return nil, err
		}
		for _, o := range os {
			isOrg[o.Name] = true
			if o.MembershipRole == "admin" {
				scope = append(scope, o.Name)
				readOrg(o)
			}
		}
	}

	// Collaborator rows, project by project, bounded.
	rows := map[string][]client.Collaborator{}
	var rowsMu sync.Mutex
	var unchecked []Unchecked
	<-projectsDone
	inScope := map[string]bool{}
	for _, o := range scope {
		inScope[o] = true
	}
	var checked []client.Project
	if g.failed() == nil {
		for _, pr := range projects {
			// In scope: the organizations' projects, and (without --org)
			// persons' projects you own or manage. Another organization's
			// project is not: the person's role there depends on a
			// membership roster did not read.
			if !inScope[pr.Owner] && (opt.Org != "" || isOrg[pr.Owner] || !pr.CanManage()) {
				continue
			}
			if !pr.CanManage() {
				unchecked = append(unchecked, Unchecked{Project: pr.FullName(), ID: pr.ID,
					Why: fmt.Sprintf("you are %s there: only admins and managers can read its collaborators", roleOrNone(pr.UserRole))})
				continue
			}
			checked = append(checked, pr)
		}
	}
	for _, pr := range checked {
		g.go_(func() error {
			rs, err := p.Collaborators(ctx, pr.ID)
			reqs.add(1)
			if err != nil {
				return fmt.Errorf("reading the collaborators of %s: %w", pr.FullName(), err)
			}
			rowsMu.Lock()
			rows[pr.ID] = rs
			rowsMu.Unlock()
			return nil
		})
	}
	if err := g.wait(); err != nil {
		return nil, err
	}

	// Team rows of organizations outside the scope (a team on a person's
	// project): read those teams too, to know who is in them.
	var extra []string
	for _, rs := range rows {
		for _, r := range rs {
			if org, _, ok := client.SplitTeamAccount(r.User); ok && orgs[org] == nil && !contains(extra, org) {
				extra = append(extra, org)
			}
		}
	}
	for _, org := range extra {
		d := &orgData{org: client.Organization{Name: org}}
		orgs[org] = d
		g.go_(func() error {
			ts, err := p.Teams(ctx, org)
			reqs.add(1)
			if err != nil {
				return fmt.Errorf("reading the teams of %s, which has a team on a project you manage: %w", org, err)
			}
			d.teams = ts
			return nil
		})
	}
	if err := g.wait(); err != nil {
		return nil, err
	}

	r := compute(user, scope, orgs, isOrg, checked, rows, projects)
	r.Unchecked = unchecked
	r.Requests = reqs.get()
	return r, nil
}

func roleOrNone(r string) string {
	if r == "" {
		return "without a role"
	}
	return "only " + r
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// compute ranks the person's ways into each project as the server does.
func compute(user string, scope []string, orgs map[string]*orgData, isOrg map[string]bool, checked []client.Project,
	rows map[string][]client.Collaborator, all []client.Project) *Report {
	r := &Report{User: user, Orgs: scope, Memberships: []Membership{}, Projects: []ProjectAccess{}}

	// Your own plain-member role on an organization's project is its
	// default role: the only place the API shows it.
	defaults := map[string]string{}
	for _, p := range all {
		if p.UserRoleOrigin == client.OriginOrgMember {
			defaults[p.Owner] = p.UserRole
		}
	}

	// Memberships and team memberships.
	memberRole := map[string]string{} // org → owner/admin/creator/member
	inTeam := map[string]bool{}       // @ORG/TEAM → the person is in it
	for _, org := range scope {
		d := orgs[org]
		if d == nil {
			continue
		}
		role := ""
		if d.org.Owner == user {
			role = "owner"
		}
		for _, m := range d.members {
			if m.User == user {
				role = m.Role
			}
		}
		var teams []string
		for _, t := range d.teams {
			for _, m := range t.Members {
				if m.User == user {
					teams = append(teams, t.Name)
				}
			}
		}
		if role != "" || len(teams) > 0 {
			memberRole[org] = role
			m := Membership{Org: org, Role: role, Teams: teams}
			if role != "owner" && role != "admin" {
				m.DefaultRole = defaults[org]
				m.DefaultRoleUnknown = m.DefaultRole == ""
			}
			r.Memberships = append(r.Memberships, m)
		}
	}
	for org, d := range orgs {
		for _, t := range d.teams {
			for _, m := range t.Members {
				if m.User == user {
					inTeam[client.TeamAccount(org, t.Name)] = true
				}
			}
		}
	}

	for _, p := range checked {
		a := ProjectAccess{ID: p.ID, Owner: p.Owner, Name: p.Name, Private: p.Private}
		for _, row := range rows[p.ID] {
			switch {
			case row.User == user:
				a.Row = row.Role
			case row.IsTeam() && inTeam[row.User]:
				a.TeamRows = append(a.TeamRows, TeamRow{Team: row.User, Role: row.Role})
			}
		}
		sort.Slice(a.TeamRows, func(i, j int) bool { return a.TeamRows[i].Team < a.TeamRows[j].Team })
		org := isOrg[p.Owner]
		role := memberRole[p.Owner]
		switch {
		case !org && p.Owner == user:
			a.Role, a.Origin = "admin", client.OriginProjectOwner
		case org && role == "owner":
			a.Role, a.Origin = "admin", client.OriginOrgOwner
		case org && role == "admin":
			a.Role, a.Origin = "admin", client.OriginOrgAdmin
		case a.Row != "":
			a.Role, a.Origin = a.Row, client.OriginCollaborator
		case len(a.TeamRows) > 0:
			a.Role, a.Origin, a.Team = a.TeamRows[0].Role, client.OriginTeamMember, a.TeamRows[0].Team
			if differ(a.TeamRows) {
				a.Note = "in several teams with different roles: the server picks either"
			}
		case org && role != "" && defaults[p.Owner] != "":
			a.Role, a.Origin = defaults[p.Owner], client.OriginOrgMember
		case !p.Private:
			a.Role, a.Origin = "reader", client.OriginPublic
		}
		if org && role == "" && p.Private && a.Origin != "" {
			// A role on a private organization project counts only while
			// the person belongs to the organization.
			a.Note = fmt.Sprintf("no valid role: %s is not a member of %s", user, p.Owner)
			a.Role, a.Origin, a.Team = "", "", ""
		}
		if a.Role == "" && a.Row == "" && len(a.TeamRows) == 0 {
			continue
		}
		if a.Origin == client.OriginPublic && a.Row == "" && len(a.TeamRows) == 0 {
			continue // everyone reads a public project: not this person's access
		}
		r.Projects = append(r.Projects, a)
	}
	sort.Slice(r.Projects, func(i, j int) bool {
		if r.Projects[i].Owner != r.Projects[j].Owner {
			return r.Projects[i].Owner < r.Projects[j].Owner
		}
		return r.Projects[i].Name < r.Projects[j].Name
	})
	return r
}

func differ(rows []TeamRow) bool {
	for _, r := range rows[1:] {
		if r.Role != rows[0].Role {
			return true
		}
	}
	return false
}

// group runs reads concurrently, each holding one of the sem's slots
// while it runs, and keeps the first error, which cancels the others.
type group struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
	cancel func()
	ctx    context.Context
	sem    chan struct{}
}

// slot runs fn in one of the bounded slots.
func (g *group) slot(fn func() error) error {
	select {
	case g.sem <- struct{}{}:
	case <-g.ctx.Done():
		return g.ctx.Err()
	}
	defer func() { <-g.sem }()
	return fn()
}

func (g *group) go_(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		g.fail(g.slot(fn))
	}()
}

// fail keeps the first error (a cancellation only until a real cause
// comes) and cancels the other reads.
func (g *group) fail(err error) {
	if err == nil {
		return
	}
	g.mu.Lock()
	if g.err == nil || errors.Is(g.err, context.Canceled) {
		g.err = err
	}
	g.mu.Unlock()
	g.cancel()
}

func (g *group) failed() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

func (g *group) wait() error {
	g.wg.Wait()
	return g.failed()
}

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) add(n int) { c.mu.Lock(); c.n += n; c.mu.Unlock() }
func (c *counter) get() int  { c.mu.Lock(); defer c.mu.Unlock(); return c.n }

package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/roster-cli/roster/client"
)

// projectsScreen lists an organization's projects (QFieldCloud): the ones
// the signed-in account holds a role on, with that role.
type projectsScreen struct {
	base
	lister[client.Project]
	org string
	loader
}

type projectsMsg struct {
	to
	req      int
	projects []client.Project
	err      error
}

func projectColumns() []Column {
	return []Column{
		{Title: "PROJECT", Min: 12, Max: 30},
		{Title: "YOUR ROLE", Min: 9, Max: 9},
		{Title: "VISIBILITY", Min: 10, Max: 10, Drop: 2},
		{Title: "STATUS", Min: 6, Max: 6, Drop: 3},
		{Title: "DESCRIPTION", Min: 10, Max: 0, Drop: 4},
	}
}

func visibility(p client.Project) string {
	if p.Private {
		return "private"
	}
	return "public"
}

func projectCells(p client.Project) []string {
	return []string{san(p.Name), san(p.UserRole), visibility(p), san(p.Status), san(p.Description)}
}

func projectHay(p client.Project) string { return strings.ToLower(p.Name + "\x00" + p.Description) }

func newProjects(c *Common, org string) *projectsScreen {
	m := &projectsScreen{base: newBase(c), org: org}
	m.lister = newLister("projects", "no projects of "+where(org)+" you hold a role on", projectColumns(),
		func(p client.Project) string { return p.ID }, projectCells, projectHay)
	return m
}

func (m *projectsScreen) Title() string   { return "Projects" }
func (m *projectsScreen) Init() tea.Cmd   { return m.Reload() }
func (m *projectsScreen) Capturing() bool { return m.filtering }
func (m *projectsScreen) SetSize(w, h int) {
	m.base.SetSize(w, h)
	m.setSize(h)
}
func (m *projectsScreen) Busy() string {
	if m.loading {
		return m.doing
	}
	return ""
}
func (m *projectsScreen) Back() (bool, tea.Cmd) { return m.back() }
func (m *projectsScreen) Copy() string {
	p, ok := m.tbl.Selected()
	if !ok {
		return ""
	}
	return p.ID
}

func (m *projectsScreen) Reload() tea.Cmd {
	p, org := m.c.Provider(), m.org
	return m.load(&m.loader, "loading projects of "+where(org)+"…", func(ctx context.Context, t to, req int) tea.Msg {
		ps, err := p.Projects(ctx, client.ProjectQuery{Owner: org})
		if err != nil {
			err = fmt.Errorf("listing projects of %s: %w", org, err)
		}
		return projectsMsg{t, req, ps, err}
	})
}

func (m *projectsScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case projectsMsg:
		if !m.answered(msg.req) || !m.c.settle(&m.loader, msg.err) {
			return nil
		}
		m.tbl.SetItems(msg.projects)
	case tea.MouseMsg:
		m.move(m.c.Keys, msg)
	case tea.KeyMsg:
		km := m.c.Keys
		if m.listKey(km, msg) || m.sortKey(m.c, msg) {
			return nil
		}
		if km.Open.Matches(msg) {
			if p, ok := m.tbl.Selected(); ok {
				return m.push(newProjectHub(m.c, p))
			}
		}
	}
	return nil
}

func (m *projectsScreen) View() string { return m.view(m.c, m.w, "of "+where(m.org), &m.loader) }

func (m *projectsScreen) ShortHelp() []Hint {
	km := m.c.Keys
	return []Hint{hint(km.Filter, "filter", ""), hint(km.Open, "open", ""), hint(km.Reload, "", "")}
}

func (m *projectsScreen) FullHelp() [][]Hint {
	km := m.c.Keys
	return [][]Hint{km.moveHints(), {
		hint(km.Filter, "filter by name or description (! inverts)", ""),
		hint(km.Open, "the project and its collaborators", ""),
		m.sortHint(km),
		hint(km.Copy, "copy the project id", ""),
		hint(km.Reload, "", ""), hint(km.Back, "", ""),
	}}
}

// originWords says where a role on a project comes from, for a person
// (you: the signed-in account) on a project owned by owner.
func originWords(o client.RoleOrigin, owner, team string) string {
	switch o {
	case client.OriginProjectOwner:
		return "owner of the project"
	case client.OriginOrgOwner:
		return "owner of organization " + owner
	case client.OriginOrgAdmin:
		return "admin of organization " + owner
	case client.OriginCollaborator:
		return "direct collaborator row"
	case client.OriginTeamMember:
		if team != "" {
			return "through team " + team
		}
		return "through a team's row"
	case client.OriginOrgMember:
		return "default role for members of " + owner
	case client.OriginPublic:
		return "the project is public"
	}
	return strings.ReplaceAll(string(o), "_", " ")
}

// projectHub is one project: its fields (owner, visibility, your role and
// where it comes from) and the way to its collaborators.
type projectHub struct {
	base
	proj client.Project
	team string // the team your role comes through, when known
	loader
}

type projectMsg struct {
	to
	req  int
	proj client.Project
	team string
	err  error
}

func newProjectHub(c *Common, p client.Project) *projectHub {
	h := &projectHub{base: newBase(c), proj: p}
	// The list's row is a good answer: shown at once while it is read again.
	h.loaded, h.at = true, c.clock()
	return h
}

func (h *projectHub) Title() string { return san(h.proj.Name) }
func (h *projectHub) Copy() string  { return h.proj.ID }
func (h *projectHub) Init() tea.Cmd { return h.Reload() }
func (h *projectHub) Busy() string {
	if h.loading {
		return h.doing
	}
	return ""
}

func (h *projectHub) Reload() tea.Cmd {
	p, id, name := h.c.Provider(), h.proj.ID, h.proj.FullName()
	me := ""
	if h.c.Session != nil {
		me = h.c.Session.Username
	}
	return h.load(&h.loader, "loading project "+san(name)+"…", func(ctx context.Context, t to, req int) tea.Msg {
		got, err := p.Project(ctx, id)
		if err != nil {
			return projectMsg{t, req, got, "", fmt.Errorf("getting project %s: %w", name, err)}
		}
		team := ""
		if got.UserRoleOrigin == client.OriginTeamMember {
			team = viaTeam(ctx, p, got, me)
		}
		return projectMsg{t, req, got, team, nil}
	})
}

// viaTeam names the team your role on pr comes through: the server says
// only "a team". A team row on an organization's project is one of that
// organization's teams, so being in one of them settles it; in several,
// the project's rows (readable by its admins and managers) do. "" when it
// cannot be known; a failed read only leaves the team unnamed.
func viaTeam(ctx context.Context, p client.Provider, pr client.Project, me string) string {
	if me == "" || !p.Can(client.CapOrganizations) {
		return ""
	}
	teams, err := p.Teams(ctx, pr.Owner)
	if err != nil {
		return ""
	}
	var mine []string
	for _, t := range teams {
		for _, x := range t.Members {
			if x.User == me {
				mine = append(mine, client.TeamAccount(pr.Owner, t.Name))
			}
		}
	}
	if len(mine) <= 1 || !pr.CanManage() {
		if len(mine) == 1 {
			return mine[0]
		}
		return ""
	}
	rows, err := p.Collaborators(ctx, pr.ID)
	if err != nil {
		return ""
	}
	var hit []string
	for _, r := range rows {
		if r.IsTeam() && r.Role == pr.UserRole && slices.Contains(mine, r.User) {
			hit = append(hit, r.User)
		}
	}
	if len(hit) == 1 {
		return hit[0]
	}
	return ""
}

// collabReason is why the collaborators cannot be opened, "" when they can:
// only an effective admin or manager may even list them.
func (h *projectHub) collabReason() string {
	if r := h.c.notOn(client.CapProjects); r != "" {
		return r
	}
	if !h.proj.CanManage() {
		role := h.proj.UserRole
		if role == "" {
			role = "no role"
		}
		return "needs project admin or manager (you are " + san(role) + ")"
	}
	return ""
}

func (h *projectHub) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case projectMsg:
		if !h.answered(msg.req) || !h.c.settle(&h.loader, msg.err) {
			return nil
		}
		h.proj, h.team = msg.proj, msg.team
	case tea.KeyMsg:
		if h.c.Keys.Open.Matches(msg) && h.collabReason() == "" {
			return h.push(newCollaborators(h.c, h.proj))
		}
	}
	return nil
}

// projectFields are a project's fields for the detail view: first what
// decides access (owner, visibility, your role and where it comes from),
// then the rest.
func projectFields(p client.Project, team string) (access, rest []field) {
	role := p.UserRole
	if role == "" {
		role = "none"
	}
	access = []field{{"project", p.FullName()}, {"owner", p.Owner}, {"visibility", visibility(p)}, {"your role", role}}
	if p.UserRoleOrigin != "" {
		access = append(access, field{"role origin", originWords(p.UserRoleOrigin, p.Owner, team)})
	}
	rest = nonEmptyFields([]field{{"description", p.Description}, {"id", p.ID}, {"status", p.Status},
		{"type", p.Type}, {"updated", stamp(p.UpdatedAt)}})
	return access, rest
}

func (h *projectHub) View() string {
	st := h.c.Styles
	var lines []string
	emit := func(fs []field) {
		for _, f := range fs {
			lines = append(lines, st.Label.Render(fit(f.K, 14))+"  "+clip(san(f.V), h.w-16))
		}
	}
	access, rest := projectFields(h.proj, h.team)
	emit(access)
	if h.failed != "" {
		lines = append(lines, st.Error.Render(clip("STALE: as of "+h.at.Format("15:04:05")+" · ctrl+r retries · reload failed: "+h.failed, h.w)))
	}
	// The way on comes before the other fields, so it shows on a small
	// terminal too.
	lines = append(lines, "")
	entry := fit("› Collaborators", min(h.w, 24))
	if why := h.collabReason(); why != "" {
		if lipgloss.Width(entry+"  "+why) <= h.w {
			lines = append(lines, st.Dim.Render(entry+"  "+why))
		} else {
			lines = append(lines, st.Dim.Render(entry), st.Dim.Render(clip("  "+why, h.w)))
		}
	} else {
		lines = append(lines, st.Selected.Render(entry))
	}
	lines = append(lines, "")
	emit(rest)
	return padLines(strings.Join(lines, "\n"), h.h)
}

func (h *projectHub) ShortHelp() []Hint {
	km := h.c.Keys
	return []Hint{hint(km.Open, "collaborators", h.collabReason()), hint(km.Copy, "copy id", ""), hint(km.Back, "", "")}
}

func (h *projectHub) FullHelp() [][]Hint {
	km := h.c.Keys
	return [][]Hint{{hint(km.Open, "the project's collaborators", h.collabReason()),
		hint(km.Copy, "copy the project id", ""), hint(km.Reload, "", ""), hint(km.Back, "", "")}}
}

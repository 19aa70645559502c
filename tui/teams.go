package tui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// teamsScreen lists the teams of an organization (or of the space) and
// creates, renames and deletes them.
type teamsScreen struct {
	base
	lister[client.Team]
	org    string
	myRole string
	loader
	writes writes[client.Team]
	// publicOnly: the last list held only the public teams (said in
	// the header).
	publicOnly bool
}

// teamChangedMsg is a team as the server has it now (read after a change
// inside it), for every screen that shows it.
type teamChangedMsg struct {
	org  string
	team client.Team
}

type teamsMsg struct {
	to
	req        int
	teams      []client.Team
	publicOnly bool // the server listed only the public teams
	err        error
}

// teamCreateMsg creates a team; asked says the visibility was chosen
// (providers with private teams ask before creating).
type teamCreateMsg struct {
	to
	name    string
	private bool
	asked   bool
}

type teamPrivateMsg struct {
	to
	key string
}

type teamRenameMsg struct {
	to
	key, name string
}

type teamDeleteMsg struct {
	to
	key string
}

// teamColumns: leaders and visibility only where the provider has them
// (a QFieldCloud team is neither public nor private).
func teamColumns(leaders, private bool) []Column {
	cols := []Column{
		{Title: "TEAM", Min: 12, Max: 30},
		{Title: "MEMBERS", Min: 7, Max: 7},
		{Title: "VISIBILITY", Min: 10, Max: 10, Drop: 2},
		{Title: "DESCRIPTION", Min: 10, Max: 0, Drop: 4},
	}
	if !private {
		cols = slices.Delete(cols, 2, 3)
	}
	if leaders {
		cols = slices.Insert(cols, 2, Column{Title: "LEADERS", Min: 10, Max: 30, Drop: 3})
	}
	return cols
}

func teamCells(leaders, private bool) func(client.Team) []string {
	return func(t client.Team) []string {
		vis := "public"
		if t.Private {
			vis = "private"
		}
		cells := []string{san(t.Name), strconv.Itoa(len(t.Members)), vis, san(t.Description)}
		if !private {
			cells = slices.Delete(cells, 2, 3)
		}
		if leaders {
			cells = slices.Insert(cells, 2, san(leaderNames(t)))
		}
		return cells
	}
}

// leaderNames lists a team's leaders by name.
func leaderNames(t client.Team) string {
	var names []string
	for _, x := range t.Members {
		if x.Leader {
			names = append(names, cmp.Or(x.Name, cmp.Or(x.Email, x.User)))
		}
	}
	return strings.Join(names, ", ")
}

func newTeams(c *Common, org, myRole string) *teamsScreen {
	m := &teamsScreen{base: newBase(c), org: org, myRole: myRole}
	leaders, private := c.Provider().Can(client.CapTeamLeaders), c.Provider().Can(client.CapTeamPrivate)
	m.lister = newLister("teams", "no teams", teamColumns(leaders, private), func(t client.Team) string { return t.ID }, teamCells(leaders, private), nil)
	m.writes = newWrites[client.Team]()
	return m
}

func (m *teamsScreen) Title() string   { return "Teams" }
func (m *teamsScreen) Init() tea.Cmd   { return m.Reload() }
func (m *teamsScreen) Capturing() bool { return m.filtering }
func (m *teamsScreen) SetSize(w, h int) {
	m.base.SetSize(w, h)
	m.setSize(h)
}

func (m *teamsScreen) Busy() string {
	if b := m.writes.busy(); b != "" {
		return b
	}
	if m.loading {
		return m.doing
	}
	return ""
}

func (m *teamsScreen) Back() (bool, tea.Cmd) {
	return m.back()
}

func (m *teamsScreen) Copy() string {
	t, ok := m.tbl.Selected()
	if !ok {
		return ""
	}
	return t.ID
}

func (m *teamsScreen) Reload() tea.Cmd {
	p, org := m.c.Provider(), m.org
	return m.load(&m.loader, "loading teams of "+where(org)+"…", func(ctx context.Context, t to, req int) tea.Msg {
		l, err := client.ListTeams(ctx, p, org)
		return teamsMsg{t, req, l.Teams, l.PublicOnly, err}
	})
}

func (m *teamsScreen) reason(cp client.Capability) string {
	return m.c.orgWriteReason(cp, m.myRole)
}

func (m *teamsScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case teamsMsg:
		if !m.answered(msg.req) {
			return nil
		}
		if !m.c.settle(&m.loader, msg.err) {
			return nil
		}
		m.publicOnly = msg.publicOnly
		m.tbl.SetItems(msg.teams)
	case teamChangedMsg:
		if msg.org == m.org && !m.writes.pending(msg.team.ID) {
			if _, ok := m.tbl.Get(msg.team.ID); ok {
				m.tbl.Put(msg.team)
			}
		}
	case teamCreateMsg:
		if !msg.asked && m.c.Provider().Can(client.CapTeamPrivate) {
			return m.push(newPicker(m.c, "Visibility of the new team "+san(msg.name), []option{
				{Label: "public", Value: "public", Desc: "everyone in " + where(m.org) + " sees it"},
				{Label: "private", Value: "private", Desc: "only its members and administrators see it"},
			}, "public", func(o option) tea.Msg {
				return teamCreateMsg{msg.to, msg.name, o.Value == "private", true}
			}))
		}
		return m.create(msg.name, msg.private)
	case teamPrivateMsg:
		return m.togglePrivate(msg.key)
	case teamRenameMsg:
		return m.rename(msg.key, msg.name)
	case teamDeleteMsg:
		return m.delete(msg.key)
	case writeMsg[client.Team]:
		m.writes.done(&m.tbl, m.c, msg)
		return m.overtaken(msg.err)
	case tea.MouseMsg:
		m.move(m.c.Keys, msg)
	case tea.KeyMsg:
		return m.key(msg)
	}
	return nil
}

// overtaken asks again when a write succeeded while a reload was in
// flight: that reload's answer may predate the write, and would put the
// old team back (the next conditional write would then meet roster's own
// change as someone else's).
func (m *teamsScreen) overtaken(err error) tea.Cmd {
	if err != nil || !m.loading {
		return nil
	}
	return m.Reload()
}

func (m *teamsScreen) key(k tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	if m.listKey(km, k) || m.sortKey(m.c, k) {
		return nil
	}
	t, sel := m.tbl.Selected()
	switch {
	case km.Open.Matches(k) && sel:
		if m.writes.pending(t.ID) {
			m.c.Toast("%s is still being saved", san(t.Name))
			return nil
		}
		return m.push(newTeamMembers(m.c, m.org, m.myRole, t, m.at))
	case km.Add.Matches(k):
		p := m.c.Provider()
		return m.push(newInput(m.c, "New team in "+where(m.org), "Name", "", nil, func(v string) tea.Msg {
			return teamCreateMsg{to: to{m.id}, name: v}
		}).validating(func(v string) string { return teamNameProblem(p, v) }))
	case km.Private.Matches(k) && sel:
		if m.writes.pending(t.ID) {
			m.c.Toast("%s is still being saved", san(t.Name))
			return nil
		}
		return m.push(m.visibilityConfirm(t))
	case km.Rename.Matches(k) && sel:
		p := m.c.Provider()
		return m.push(newInput(m.c, "Rename team "+san(t.Name), "New name", t.Name, nil, func(v string) tea.Msg {
			return teamRenameMsg{to{m.id}, t.ID, v}
		}).validating(func(v string) string { return teamNameProblem(p, v) }))
	case km.Delete.Matches(k) && sel:
		text := fmt.Sprintf("Delete team %s of %s? Its %s stay in the organization.", san(t.Name), where(m.org), plural(len(t.Members), "member"))
		return m.push(newConfirm(m.c, "Delete team", text, "Delete", teamDeleteMsg{to{m.id}, t.ID}))
	}
	return nil
}

// visibilityAction names what v does to t: "make public" or "make
// private".
func visibilityAction(t client.Team) string {
	if t.Private {
		return "make public"
	}
	return "make private"
}

// visibilityConfirm asks before v changes who sees a team: one key must
// not publish a private team.
func (m *teamsScreen) visibilityConfirm(t client.Team) *confirmDialog {
	text := fmt.Sprintf("Make team %s private? Only its members and the space's administrators will see it.", san(t.Name))
	action, keep := "Make private", "Keep public"
	if t.Private {
		text = fmt.Sprintf("Make team %s public? Everyone in %s will see it and its members.", san(t.Name), where(m.org))
		action, keep = "Make public", "Keep private"
	}
	return newConfirm(m.c, "Team visibility", text, action, teamPrivateMsg{to{m.id}, t.ID}).keeping(keep)
}

func (m *teamsScreen) create(name string, private bool) tea.Cmd {
	p, org := m.c.Provider(), m.org
	next := client.Team{ID: name, Name: name, Organization: org, Private: private}
	if p.Can(client.CapTeamDelete) {
		m.writes.inverse(&undoOp{
			what:    fmt.Sprintf("delete the new team %s of %s", name, where(org)),
			request: fmt.Sprintf("delete team %s of %s", name, where(org)),
			do:      func(ctx context.Context) error { return p.DeleteTeam(ctx, org, name) },
			check: teamCheck(p, org, name, name, func(t client.Team) (string, string) {
				return "", fmt.Sprintf("team %s has %s", t.Name, plural(len(t.Members), "member"))
			}),
			obj: teamObj(org, name),
		}, "")
	} else {
		m.writes.inverse(nil, p.Kind()+" has no API to delete a team")
	}
	return m.writes.begin(&m.base, &m.tbl, writeAdd, client.Team{}, false, next,
		fmt.Sprintf("creating team %s in %s…", san(name), where(org)),
		func(ctx context.Context) (client.Team, string, error) {
			t, err := p.CreateTeam(ctx, org, client.TeamSpec{Name: name, Private: private})
			if err != nil {
				return t, "", fmt.Errorf("creating team %s in %s: %w", name, where(org), err)
			}
			return t, fmt.Sprintf("created team %s in %s", san(t.Name), where(org)), nil
		})
}

func (m *teamsScreen) rename(key, name string) tea.Cmd {
	old, ok := m.tbl.Get(key)
	if !ok || name == old.Name {
		return nil
	}
	next := old
	next.Name = name
	p, org := m.c.Provider(), m.org
	oldName := old.Name
	m.writes.inverse(&undoOp{
		what:    fmt.Sprintf("rename team %s back to %s", name, oldName),
		request: fmt.Sprintf("rename team %s of %s to %s", name, where(org), oldName),
		check: teamCheck(p, org, renamedID(old, name), name, func(t client.Team) (string, string) {
			return t.Name, "team " + oldName + " is now called " + t.Name
		}),
		obj: teamObj(org, old.ID),
		do: func(ctx context.Context) error {
			if cw, ok := p.(client.ConditionalTeamWriter); ok {
				_, err := cw.ModifyTeam(ctx, org, &client.Team{ID: old.ID}, client.TeamChange{Rename: &oldName})
				return err
			}
			_, err := p.RenameTeam(ctx, org, name, oldName)
			return err
		},
	}, "")
	return m.writes.start(&m.base, &m.tbl, old, next,
		fmt.Sprintf("renaming team %s to %s…", san(old.Name), san(name)),
		func(ctx context.Context) (client.Team, string, error) {
			var t client.Team
			var err error
			if cw, ok := p.(client.ConditionalTeamWriter); ok {
				seen := old
				t, err = cw.ModifyTeam(ctx, org, &seen, client.TeamChange{Rename: &name})
			} else {
				t, err = p.RenameTeam(ctx, org, old.ID, name)
			}
			if err != nil {
				return t, "", fmt.Errorf("renaming team %s of %s: %w", old.Name, where(org), err)
			}
			return t, fmt.Sprintf("renamed team %s to %s", san(old.Name), san(t.Name)), nil
		})
}

// togglePrivate makes a team private or public, conditionally on the
// team as listed where team writes replace the whole team.
func (m *teamsScreen) togglePrivate(key string) tea.Cmd {
	old, ok := m.tbl.Get(key)
	if !ok {
		return nil
	}
	next := old
	next.Private = !old.Private
	vis := map[bool]string{true: "private", false: "public"}[next.Private]
	p, org, private := m.c.Provider(), m.org, next.Private
	was := old.Private
	m.writes.inverse(&undoOp{
		what:    fmt.Sprintf("make team %s %s again", old.Name, map[bool]string{true: "private", false: "public"}[was]),
		request: fmt.Sprintf("set private=%s on team %s (a fresh read, then one change)", yesNo(was), old.Name),
		check: teamCheck(p, org, old.ID, vis, func(t client.Team) (string, string) {
			v := map[bool]string{true: "private", false: "public"}[t.Private]
			return v, "team " + t.Name + " is now " + v
		}),
		obj: teamObj(org, old.ID),
		do: func(ctx context.Context) error {
			if cw, ok := p.(client.ConditionalTeamWriter); ok {
				_, err := cw.ModifyTeam(ctx, org, &client.Team{ID: old.ID}, client.TeamChange{Private: &was})
				return err
			}
			return p.SetTeamPrivate(ctx, org, old.ID, was)
		},
	}, "")
	return m.writes.start(&m.base, &m.tbl, old, next,
		fmt.Sprintf("making team %s %s…", san(old.Name), vis),
		func(ctx context.Context) (client.Team, string, error) {
			var t client.Team
			var err error
			if cw, ok := p.(client.ConditionalTeamWriter); ok {
				seen := old
				t, err = cw.ModifyTeam(ctx, org, &seen, client.TeamChange{Private: &private})
			} else if err = p.SetTeamPrivate(ctx, org, old.ID, private); err == nil {
				t, err = p.Team(ctx, org, old.ID)
			}
			if err != nil {
				return t, "", fmt.Errorf("making team %s of %s %s: %w", old.Name, where(org), vis, err)
			}
			return t, fmt.Sprintf("team %s is now %s", san(t.Name), vis), nil
		})
}

func (m *teamsScreen) delete(key string) tea.Cmd {
	old, ok := m.tbl.Get(key)
	if !ok {
		return nil
	}
	p, org := m.c.Provider(), m.org
	m.writes.inverse(nil, "a deleted team loses its memberships and project roles; create it again by hand").deleting(teamObj(org, old.ID))
	return m.writes.begin(&m.base, &m.tbl, writeRemove, old, true, old,
		fmt.Sprintf("deleting team %s of %s…", san(old.Name), where(org)),
		func(ctx context.Context) (client.Team, string, error) {
			if err := p.DeleteTeam(ctx, org, old.ID); err != nil {
				return client.Team{}, "", fmt.Errorf("deleting team %s of %s: %w", old.Name, where(org), err)
			}
			return old, fmt.Sprintf("deleted team %s of %s", san(old.Name), where(org)), nil
		})
}

// teamObj names a team for the activity's bookkeeping.
func teamObj(org, id string) string { return "team " + org + "/" + id }

// renamedID is the id of team t after a rename to name: the new name
// where the name is the id (QFieldCloud), the same id otherwise.
func renamedID(t client.Team, name string) string {
	if t.ID == t.Name {
		return name
	}
	return t.ID
}

// teamCheck reads a team fresh for an undo: gone when it no longer
// exists; value gives its current value (compared with wrote) and the
// sentence saying so.
func teamCheck(p client.Provider, org, id, wrote string, value func(client.Team) (cur, now string)) func(context.Context) (undoState, error) {
	return func(ctx context.Context) (undoState, error) {
		t, err := p.Team(ctx, org, id)
		if errors.Is(err, client.ErrNotFound) {
			return undoState{gone: fmt.Sprintf("team %s no longer exists", id)}, nil
		}
		if err != nil {
			return undoState{}, err
		}
		cur, now := value(t)
		if cur == "" {
			return undoState{now: now}, nil // only existence matters
		}
		return undoState{cur: cur, wrote: wrote, now: now}, nil
	}
}

func (m *teamsScreen) View() string {
	extra := "of " + where(m.org)
	if m.publicOnly {
		extra += " · " + client.PublicTeamsNote
	}
	return m.view(m.c, m.w, extra, &m.loader)
}

func (m *teamsScreen) ShortHelp() []Hint {
	km := m.c.Keys
	h := []Hint{
		hint(km.Filter, "filter", ""), hint(km.Open, "members", ""),
		hint(km.Add, "new team", m.reason(client.CapTeamCreate)),
		hint(km.Rename, "rename", m.reason(client.CapTeamRename)),
		hint(km.Delete, "delete", m.reason(client.CapTeamDelete)),
	}
	if m.c.Provider().Can(client.CapTeamPrivate) {
		h = append(h, hint(km.Private, m.visibilityDesc(), m.reason(client.CapTeamPrivate)))
	}
	return h
}

// visibilityDesc labels v by what it does to the selected team.
func (m *teamsScreen) visibilityDesc() string {
	if t, ok := m.tbl.Selected(); ok {
		return visibilityAction(t)
	}
	return "make private or public"
}

func (m *teamsScreen) FullHelp() [][]Hint {
	km := m.c.Keys
	return [][]Hint{km.moveHints(), {
		hint(km.Filter, "filter by any column (! inverts)", ""),
		hint(km.Open, "the team's members", ""),
		hint(km.Add, "create a team", m.reason(client.CapTeamCreate)),
		hint(km.Rename, "rename the team", m.reason(client.CapTeamRename)),
		hint(km.Delete, "delete the team (asks first)", m.reason(client.CapTeamDelete)),
		hint(km.Private, m.visibilityDesc()+" (asks first)", m.reason(client.CapTeamPrivate)),
		m.sortHint(km),
		hint(km.Copy, "copy the team id", ""),
		hint(km.Reload, "", ""), hint(km.Back, "", ""),
	}}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

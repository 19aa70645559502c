package tui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// teamMembersScreen lists one team's members and adds or removes them.
type teamMembersScreen struct {
	base
	lister[client.TeamMember]
	org    string
	myRole string
	team   client.Team // as last read: the baseline of conditional writes
	loader
	writes writes[client.TeamMember]
	bulk   *bulkRun // the bulk removal running, if any
	// bulkRead: the last row's write answered and the team is being read
	// again; the next row starts on that fresh copy (Qomon's team writes
	// are conditional on it, so a stale baseline would refuse every row
	// after the first).
	bulkRead bool
}

type teamMsg struct {
	to
	req  int
	team client.Team
	err  error
}

// teamAddMsg adds user; asked says whether the leader question was
// answered (providers with team leaders ask it).
type teamAddMsg struct {
	to
	user   string
	leader bool
	asked  bool
}

type teamLeaderMsg struct {
	to
	key string
}

type teamRemoveMsg struct {
	to
	key string
}

// teamMemberColumns: LEADER only where teams have leaders; where they do
// not (QFieldCloud), a team's rows carry usernames only, so name and
// e-mail are drawn only when some row has them (an empty team shows the
// provider's own columns, not another's).
func teamMemberColumns(leaders bool) []Column {
	cols := []Column{
		{Title: "USER", Min: 10, Max: 20},
		{Title: "NAME", Min: 10, Max: 26, Drop: 2, Sparse: !leaders},
		{Title: "E-MAIL", Min: 18, Max: 0, Drop: 3, Sparse: !leaders},
	}
	if leaders {
		cols = append(cols, Column{Title: "LEADER", Min: 6, Max: 6, Drop: 1})
	}
	return cols
}

func teamMemberCells(leaders bool) func(client.TeamMember) []string {
	return func(t client.TeamMember) []string {
		cells := []string{san(t.User), san(t.Name), san(t.Email)}
		if leaders {
			lead := ""
			if t.Leader {
				lead = "leader"
			}
			cells = append(cells, lead)
		}
		return cells
	}
}

// newTeamMembers opens team t as the teams list read it at at.
func newTeamMembers(c *Common, org, myRole string, t client.Team, at time.Time) *teamMembersScreen {
	m := &teamMembersScreen{base: newBase(c), org: org, myRole: myRole, team: t}
	leaders := c.Provider().Can(client.CapTeamLeaders)
	m.lister = newLister("members", "nobody in this team", teamMemberColumns(leaders), func(x client.TeamMember) string { return x.User }, teamMemberCells(leaders), nil)
	m.tbl.self = func(x client.TeamMember) bool { return c.isMe(x.User) || c.isMe(x.Email) }
	m.writes = newWrites[client.TeamMember]()
	// A copy: rows change in place while a write is pending, and
	// m.team must stay the copy the user decided on.
	m.tbl.SetItems(slices.Clone(t.Members))
	// Those rows are the teams list's good answer: shown at once (and
	// "nobody" is true of them), while the team is read again.
	m.loaded, m.at = true, at
	return m
}

// teamName is "org/team" for messages.
func (m *teamMembersScreen) teamName() string {
	if m.org == "" {
		return san(m.team.Name)
	}
	return san(m.org) + "/" + san(m.team.Name)
}

func (m *teamMembersScreen) Title() string   { return san(m.team.Name) }
func (m *teamMembersScreen) Init() tea.Cmd   { return m.Reload() }
func (m *teamMembersScreen) Capturing() bool { return m.filtering }
func (m *teamMembersScreen) SetSize(w, h int) {
	m.base.SetSize(w, h)
	m.setSize(h)
}

func (m *teamMembersScreen) Busy() string {
	b := m.writes.busy()
	if b == "" && m.loading {
		b = m.doing
	}
	if b != "" && m.bulk != nil {
		return m.bulk.busy(b)
	}
	return b
}

func (m *teamMembersScreen) Back() (bool, tea.Cmd) {
	return m.back()
}

func (m *teamMembersScreen) Copy() string {
	x, ok := m.tbl.Selected()
	if !ok {
		return ""
	}
	return cmp.Or(x.Email, x.User)
}

func (m *teamMembersScreen) Reload() tea.Cmd {
	p, org, team := m.c.Provider(), m.org, m.team.ID
	return m.load(&m.loader, "loading team "+m.teamName()+"…", func(ctx context.Context, to to, req int) tea.Msg {
		t, err := p.Team(ctx, org, team)
		return teamMsg{to, req, t, err}
	})
}

func (m *teamMembersScreen) reason(cp client.Capability) string {
	return m.c.orgWriteReason(cp, m.myRole)
}

func (m *teamMembersScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case teamMsg:
		if !m.answered(msg.req) {
			return nil
		}
		var cmd tea.Cmd
		if m.c.settle(&m.loader, msg.err) {
			m.team = msg.team
			m.tbl.SetItems(slices.Clone(msg.team.Members))
			// The lists showing this team take the fresh read too: their
			// copy is the baseline of their own conditional writes.
			changed := teamChangedMsg{org: m.org, team: msg.team}
			cmd = func() tea.Msg { return changed }
		}
		if m.bulkRead {
			// The next marked row goes on (after a failed read too: its
			// write then fails or passes on its own, and says so).
			m.bulkRead = false
			cmd = tea.Batch(cmd, bulkNextOf(&m.bulk, &m.tbl, m.c))
		}
		return cmd
	case bulkConfirmedMsg:
		return startBulk(&m.bulk, msg.run, &m.tbl, m.c)
	case teamAddMsg:
		if !msg.asked && m.c.Provider().Can(client.CapTeamLeaders) {
			return m.push(newPicker(m.c, "Add "+san(msg.user)+" to team "+m.teamName()+" as", []option{
				{Label: "member", Value: "member"},
				{Label: "leader", Value: "leader", Desc: "a member who leads the team"},
			}, "member", func(o option) tea.Msg {
				return teamAddMsg{msg.to, msg.user, o.Value == "leader", true}
			}))
		}
		return m.add(msg.user, msg.leader)
	case teamLeaderMsg:
		return m.toggleLeader(msg.key)
	case teamRemoveMsg:
		return m.remove(msg.key)
	case writeMsg[client.TeamMember]:
		m.writes.done(&m.tbl, m.c, msg)
		if m.bulk.answered(msg.key, msg.err) {
			// Every row, failed or not, is followed by a fresh read: the
			// next row's write is decided on the team as it is now.
			m.bulkRead = true
			return m.Reload()
		}
		if (msg.err == nil || errors.Is(msg.err, client.ErrConflict)) && !m.writes.busyAny() {
			// Read the team again: the baseline of the next conditional
			// write must be what the server has now (after a conflict:
			// show the other edit, so the change can be redone on it).
			return m.Reload()
		}
	case tea.MouseMsg:
		m.move(m.c.Keys, msg)
	case tea.KeyMsg:
		return m.key(msg)
	}
	return nil
}

func (m *teamMembersScreen) key(k tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	if m.listKey(km, k) || m.sortKey(m.c, k) {
		return nil
	}
	if m.markKey(km, k) {
		return nil
	}
	x, sel := m.tbl.Selected()
	switch {
	case km.Delete.Matches(k) && m.tbl.MarkCount() > 0:
		return m.push(m.bulkRemoveConfirm())
	case km.Open.Matches(k) && sel:
		p, user := m.c.Provider(), x.User
		head := []field{{"team", m.teamName()}, {"user", x.User}, {"name", x.Name}, {"e-mail", x.Email}, {"leader", yesNo(x.Leader)}}
		return m.push(withAccess(m.c, newDetail(m.c, "member "+san(x.User), nonEmptyFields(head), nil, m.Copy(),
			func(ctx context.Context) ([]field, error) {
				u, err := p.User(ctx, user)
				if err != nil {
					return nil, fmt.Errorf("getting user %s: %w", user, err)
				}
				return userFields(u), nil
			}), x.User).also(&membershipsPart{user: x.User}))
	case km.Add.Matches(k):
		label := "Username"
		if !m.c.Provider().Can(client.CapUserSearch) {
			label = "User (e-mail or id)"
		}
		return m.push(newInput(m.c, "Add a member to team "+m.teamName(), label, "", m.suggest(), func(v string) tea.Msg {
			return teamAddMsg{to: to{m.id}, user: v}
		}))
	case km.Leader.Matches(k) && sel:
		if m.writes.pending(x.User) {
			m.c.Toast("%s is still being saved", san(x.User))
			return nil
		}
		return m.toggleLeader(x.User)
	case km.Delete.Matches(k) && sel:
		who := san(x.User)
		if x.Name != "" && x.Name != x.User {
			who += " (" + san(x.Name) + ")"
		}
		text := fmt.Sprintf("Remove %s from team %s? They stay a member of %s.", who, m.teamName(), where(m.org))
		return m.push(newConfirm(m.c, "Remove team member", text, "Remove", teamRemoveMsg{to{m.id}, x.User}))
	}
	return nil
}

func nonEmptyFields(fs []field) []field {
	out := fs[:0:0]
	for _, f := range fs {
		if f.V != "" {
			out = append(out, f)
		}
	}
	return out
}

// suggest searches the organization's people (the space's, where the
// token selects one: those not in the team yet).
func (m *teamMembersScreen) suggest() suggestFunc {
	p, org := m.c.Provider(), m.org
	q := client.UserQuery{Org: org, PersonsOnly: true, Limit: 8}
	if !p.Can(client.CapOrganizations) {
		q = client.UserQuery{ExcludeTeam: m.team.ID, Limit: 8}
	}
	return func(ctx context.Context, text string) ([]string, error) {
		q := q
		q.Search = text
		users, err := client.CollectUsers(ctx, p, q)
		if err != nil {
			return nil, fmt.Errorf("searching users: %w", err)
		}
		out := make([]string, 0, len(users))
		for _, u := range users {
			if p.Can(client.CapUserSearch) {
				out = append(out, cmp.Or(u.Username, u.ID))
			} else {
				out = append(out, cmp.Or(u.Email, u.ID))
			}
		}
		return out, nil
	}
}

// teamChange sends one team change, conditionally (against seen, the team
// the user decided on) where the provider's team writes replace the whole
// team, and returns the team afterwards. It runs inside a command.
func teamChange(ctx context.Context, p client.Provider, org string, seen client.Team, ch client.TeamChange) (client.Team, error) {
	if cw, ok := p.(client.ConditionalTeamWriter); ok {
		return cw.ModifyTeam(ctx, org, &seen, ch)
	}
	var err error
	switch {
	case ch.AddMember != "":
		err = p.AddTeamMember(ctx, org, seen.ID, ch.AddMember, ch.Leader)
	case ch.Leader:
		return client.Team{}, fmt.Errorf("%s has no way to drop only the leadership: %w", p.Kind(), client.ErrUnsupported)
	default:
		err = p.RemoveTeamMember(ctx, org, seen.ID, ch.RemoveMember)
	}
	if err != nil {
		return client.Team{}, err
	}
	// The write answers nothing: read the team back to show the server's
	// version of the row.
	return p.Team(ctx, org, seen.ID)
}

func teamMemberObj(org, team, user string) string {
	return "team member " + org + "/" + team + "/" + user
}

// teamMemberLabel names a team member in words: the name, else the
// e-mail, else the id.
func teamMemberLabel(x client.TeamMember) string {
	return cmp.Or(x.Name, x.Email, x.User)
}

func leadWord(leader bool) string {
	if leader {
		return "a leader"
	}
	return "a member (not a leader)"
}

// teamMemberCheck reads the team fresh for an undo and finds user in it
// (nil when not in it); state gives the value compared with wrote, what
// this session left, and the sentence, or "" and the reason the inverse
// no longer applies.
func teamMemberCheck(p client.Provider, org, id, team, user, wrote string, state func(*client.TeamMember) (cur, text string)) func(context.Context) (undoState, error) {
	return func(ctx context.Context) (undoState, error) {
		t, err := p.Team(ctx, org, id)
		if errors.Is(err, client.ErrNotFound) {
			return undoState{gone: fmt.Sprintf("team %s no longer exists", team)}, nil
		}
		if err != nil {
			return undoState{}, err
		}
		var found *client.TeamMember
		for i, x := range t.Members {
			if x.User == user || x.Email != "" && strings.EqualFold(x.Email, user) {
				found = &t.Members[i]
			}
		}
		cur, text := state(found)
		if cur == "" {
			return undoState{gone: text}, nil
		}
		return undoState{cur: cur, wrote: wrote, now: text}, nil
	}
}

func (m *teamMembersScreen) add(user string, leader bool) tea.Cmd {
	for _, x := range m.tbl.Items() {
		if x.User == user || x.Email != "" && strings.EqualFold(x.Email, user) {
			m.c.Fail(fmt.Errorf("adding %s to team %s: already in it", user, m.teamName()))
			return nil
		}
	}
	team := m.teamName()
	as := ""
	if leader {
		as = " as a leader"
	}
	p, org, seen := m.c.Provider(), m.org, m.team
	next := client.TeamMember{User: user, Leader: leader}
	m.writes.inverse(&undoOp{
		what:    fmt.Sprintf("remove %s from team %s again", user, team),
		request: fmt.Sprintf("remove %s from team %s (a fresh read, then one change)", user, team),
		do: func(ctx context.Context) error {
			_, err := teamChange(ctx, p, org, client.Team{ID: seen.ID}, client.TeamChange{RemoveMember: user})
			return err
		},
		check: teamMemberCheck(p, org, seen.ID, team, user, "in", func(x *client.TeamMember) (string, string) {
			if x == nil {
				return "", fmt.Sprintf("%s is no longer in team %s", user, team)
			}
			return "in", ""
		}),
		obj: teamMemberObj(org, seen.ID, user),
	}, "")
	return m.writes.begin(&m.base, &m.tbl, writeAdd, client.TeamMember{}, false, next,
		fmt.Sprintf("adding %s to team %s%s…", san(user), team, as),
		func(ctx context.Context) (client.TeamMember, string, error) {
			t, err := teamChange(ctx, p, org, seen, client.TeamChange{AddMember: user, Leader: leader})
			if err != nil {
				return client.TeamMember{}, "", doing(fmt.Sprintf("adding %s to team %s%s", user, team, as), err)
			}
			got := next
			for _, x := range t.Members {
				if x.User == user || x.Email == user {
					got = x
				}
			}
			return got, fmt.Sprintf("added %s to team %s%s", san(user), team, as), nil
		})
}

// toggleLeader makes a member a leader of the team, or only drops the
// leadership (they stay in the team).
func (m *teamMembersScreen) toggleLeader(key string) tea.Cmd {
	old, ok := m.tbl.Get(key)
	if !ok {
		return nil
	}
	next := old
	next.Leader = !old.Leader
	team, who := m.teamName(), san(cmp.Or(old.Name, old.User))
	p, org, seen := m.c.Provider(), m.org, m.team
	ch := client.TeamChange{AddMember: key, Leader: true}
	what, done := "making %s a leader of team %s", "%s now leads team %s"
	if old.Leader {
		ch = client.TeamChange{RemoveMember: key, Leader: true}
		what, done = "dropping %s from the leaders of team %s", "%s no longer leads team %s"
	}
	back := client.TeamChange{AddMember: key, Leader: true}
	if !old.Leader {
		back = client.TeamChange{RemoveMember: key, Leader: true}
	}
	m.writes.inverse(&undoOp{
		what:    fmt.Sprintf("make %s %s of team %s again", who, leadWord(old.Leader), team),
		request: fmt.Sprintf("set leader=%s for %s in team %s (a fresh read, then one change)", yesNo(old.Leader), key, team),
		do: func(ctx context.Context) error {
			_, err := teamChange(ctx, p, org, client.Team{ID: seen.ID}, back)
			return err
		},
		check: teamMemberCheck(p, org, seen.ID, team, key, leadWord(next.Leader), func(x *client.TeamMember) (string, string) {
			if x == nil {
				return "", fmt.Sprintf("%s is no longer in team %s", who, team)
			}
			return leadWord(x.Leader), fmt.Sprintf("%s is now %s of team %s", who, leadWord(x.Leader), team)
		}),
		obj: teamMemberObj(org, seen.ID, key),
	}, "")
	return m.writes.start(&m.base, &m.tbl, old, next, fmt.Sprintf(what+"…", who, team),
		func(ctx context.Context) (client.TeamMember, string, error) {
			t, err := teamChange(ctx, p, org, seen, ch)
			if err != nil {
				return client.TeamMember{}, "", fmt.Errorf(what+": %w", who, team, err)
			}
			got := next
			for _, x := range t.Members {
				if x.User == key {
					got = x
				}
			}
			return got, fmt.Sprintf(done, who, team), nil
		})
}

func (m *teamMembersScreen) remove(key string) tea.Cmd {
	old, ok := m.tbl.Get(key)
	if !ok {
		return nil
	}
	team := m.teamName()
	p, org, seen := m.c.Provider(), m.org, m.team
	m.writes.inverse(&undoOp{
		what:    fmt.Sprintf("add %s to team %s again", teamMemberLabel(old), team),
		request: fmt.Sprintf("add %s (user %s) to team %s, leader=%s (a fresh read, then one change)", teamMemberLabel(old), key, team, yesNo(old.Leader)),
		do: func(ctx context.Context) error {
			_, err := teamChange(ctx, p, org, client.Team{ID: seen.ID}, client.TeamChange{AddMember: key, Leader: old.Leader})
			return err
		},
		check: teamMemberCheck(p, org, seen.ID, team, key, "out", func(x *client.TeamMember) (string, string) {
			if x != nil {
				return "", fmt.Sprintf("%s is in team %s again", key, team)
			}
			return "out", ""
		}),
		obj: teamMemberObj(org, seen.ID, key), removes: true,
	}, "")
	return m.writes.begin(&m.base, &m.tbl, writeRemove, old, true, old,
		fmt.Sprintf("removing %s from team %s…", san(key), team),
		func(ctx context.Context) (client.TeamMember, string, error) {
			if _, err := teamChange(ctx, p, org, seen, client.TeamChange{RemoveMember: key}); err != nil {
				return client.TeamMember{}, "", fmt.Errorf("removing %s from team %s: %w", key, team, err)
			}
			return old, fmt.Sprintf("removed %s from team %s", san(key), team), nil
		})
}

// bulkRemoveConfirm lists every marked member, then removes them one by
// one through remove (each row keeps its pending mark, rollback, activity
// entry and undo).
func (m *teamMembersScreen) bulkRemoveConfirm() *confirmDialog {
	rows := m.tbl.Marked()
	team := m.teamName()
	run := &bulkRun{label: fmt.Sprintf("remove %s from team %s", plural(len(rows), "member"), team), names: map[string]string{}}
	var lines []string
	for _, x := range rows {
		run.keys = append(run.keys, x.User)
		run.names[x.User] = san(x.User)
		line := san(x.User)
		if l := teamMemberLabel(x); l != x.User {
			line = san(l) + " (" + san(x.User) + ")"
		}
		if x.Leader {
			line += ", leader"
		}
		if m.c.isMe(x.User) || m.c.isMe(x.Email) {
			line += " (you)"
		}
		lines = append(lines, line)
	}
	run.step = func(key string) tea.Cmd { return m.remove(key) }
	text := fmt.Sprintf("Remove these %s from team %s? They stay members of %s.\n\n%s", plural(len(rows), "member"), team, where(m.org), bulkList(lines, 8))
	return newConfirm(m.c, "Remove "+plural(len(rows), "team member"), text, "Remove "+plural(len(rows), "member"), bulkConfirmedMsg{to{m.id}, run})
}

func (m *teamMembersScreen) View() string {
	return m.view(m.c, m.w, "of team "+m.teamName(), &m.loader)
}

func (m *teamMembersScreen) ShortHelp() []Hint {
	km := m.c.Keys
	if n := m.tbl.MarkCount(); n > 0 {
		// With rows marked, what acts on them comes first. l stays a
		// one-row action: the hint says so.
		h := []Hint{
			hint(km.Delete, fmt.Sprintf("remove %d marked", n), m.reason(client.CapTeamMembers)),
			hint(km.Mark, "unmark", ""),
			hint(km.Filter, "filter", ""), hint(km.Add, "add", m.reason(client.CapTeamMembers)),
		}
		if m.c.Provider().Can(client.CapTeamLeaders) {
			h = append(h, hint(km.Leader, "leader (this row only)", m.reason(client.CapTeamLeaders)))
		}
		return h
	}
	h := []Hint{
		hint(km.Filter, "filter", ""), hint(km.Open, "details", ""),
		hint(km.Add, "add", m.reason(client.CapTeamMembers)),
		hint(km.Delete, "remove", m.reason(client.CapTeamMembers)),
	}
	if m.c.Provider().Can(client.CapTeamLeaders) {
		h = append(h, hint(km.Leader, "leader", m.reason(client.CapTeamLeaders)))
	}
	return append(h, hint(km.Mark, "mark", ""))
}

func (m *teamMembersScreen) FullHelp() [][]Hint {
	km := m.c.Keys
	return [][]Hint{km.moveHints(), {
		hint(km.Filter, "filter by any column (! inverts)", ""),
		hint(km.Open, "show every field", ""),
		hint(km.Add, "add a member to the team", m.reason(client.CapTeamMembers)),
		hint(km.Delete, "remove from the team (asks first)", m.reason(client.CapTeamMembers)),
		hint(km.Mark, "mark or unmark: d then removes all marked (one confirmation)", ""),
		hint(km.Leader, "make a leader, or drop the leadership (this row only, even with marks)", m.reason(client.CapTeamLeaders)),
		m.sortHint(km),
		hint(km.Copy, "copy e-mail (or username)", ""),
		hint(km.Reload, "", ""), hint(km.Back, "", ""),
	}}
}

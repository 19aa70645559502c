package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// collaboratorsScreen lists a project's collaborator rows (persons and
// teams, each with a role) and adds, changes and removes them. Team rows
// cannot be changed or removed through the API (their name holds a "/"
// the route never matches), so e and d say so on them.
type collaboratorsScreen struct {
	base
	lister[client.Collaborator]
	proj client.Project
	loader
	writes writes[client.Collaborator]
	bulk   *bulkRun // the bulk change running, if any
}

type collaboratorsMsg struct {
	to
	req  int
	rows []client.Collaborator
	err  error
}

// collabAddMsg adds user with role; role "" means the role is still to be
// chosen (the picker comes next).
type collabAddMsg struct {
	to
	user, role string
}

type collabRoleMsg struct {
	to
	key, role string
}

type collabRemoveMsg struct {
	to
	key string
}

// teamRowReason is why e and d do nothing on a team's row.
const teamRowReason = "the API cannot edit or remove team rows: use the web UI, or delete the team"

// projectRoleDesc says what each project role adds (api §9.4).
var projectRoleDesc = map[string]string{
	"admin":    "also project secrets and old file versions",
	"manager":  "also collaborators, settings and deleting the project",
	"editor":   "also edits and deletes features and files",
	"reporter": "uploads files and adds new features",
	"reader":   "reads the project, its files and jobs",
}

func projectRoleOptions() []option {
	opts := make([]option, len(client.ProjectRoles))
	for i, r := range client.ProjectRoles {
		opts[i] = option{Label: r, Value: r, Desc: projectRoleDesc[r]}
	}
	return opts
}

func collaboratorColumns() []Column {
	return []Column{
		{Title: "COLLABORATOR", Min: 20, Max: 30},
		{Title: "TYPE", Min: 6, Max: 6, Drop: 3},
		{Title: "ROLE", Min: 8, Max: 8},
		{Title: "ADDED BY", Min: 8, Max: 16, Drop: 2},
		{Title: "CHANGED", Min: 10, Max: 0, Drop: 4},
	}
}

// day is the date of t (UTC), "" when unknown.
func day(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func collabType(x client.Collaborator) string {
	if x.IsTeam() {
		return "team"
	}
	return "person"
}

func collaboratorCells(x client.Collaborator) []string {
	return []string{san(x.User), collabType(x), san(x.Role), san(x.CreatedBy), day(x.UpdatedAt)}
}

func collaboratorHay(x client.Collaborator) string { return strings.ToLower(x.User + "\x00" + x.Role) }

func newCollaborators(c *Common, p client.Project) *collaboratorsScreen {
	m := &collaboratorsScreen{base: newBase(c), proj: p}
	m.lister = newLister("collaborators", "no collaborator rows (owners and organization admins reach it without one)",
		collaboratorColumns(), func(x client.Collaborator) string { return x.User }, collaboratorCells, collaboratorHay)
	m.writes = newWrites[client.Collaborator]()
	return m
}

// name is OWNER/NAME, sanitised, for messages.
func (m *collaboratorsScreen) name() string { return san(m.proj.FullName()) }

func (m *collaboratorsScreen) Title() string   { return "Collaborators" }
func (m *collaboratorsScreen) Init() tea.Cmd   { return m.Reload() }
func (m *collaboratorsScreen) Capturing() bool { return m.filtering }
func (m *collaboratorsScreen) SetSize(w, h int) {
	m.base.SetSize(w, h)
	m.setSize(h)
}
func (m *collaboratorsScreen) Busy() string {
	if b := writeBusy(m.writes.busy(), m.bulk); b != "" {
		return b
	}
	if m.loading {
		return m.doing
	}
	return ""
}
func (m *collaboratorsScreen) Back() (bool, tea.Cmd) { return m.back() }
func (m *collaboratorsScreen) Copy() string {
	x, ok := m.tbl.Selected()
	if !ok {
		return ""
	}
	return x.User
}

func (m *collaboratorsScreen) Reload() tea.Cmd {
	p, id, name := m.c.Provider(), m.proj.ID, m.proj.FullName()
	return m.load(&m.loader, "loading collaborators of "+m.name()+"…", func(ctx context.Context, t to, req int) tea.Msg {
		rows, err := p.Collaborators(ctx, id)
		if err != nil {
			err = fmt.Errorf("listing collaborators of %s: %w", name, err)
		}
		return collaboratorsMsg{t, req, rows, err}
	})
}

// rowReason is why e or d cannot act on x now ("" = they can).
func (m *collaboratorsScreen) rowReason(x client.Collaborator, ok bool) string {
	if r := m.c.notOn(client.CapProjects); r != "" {
		return r
	}
	if !ok {
		return "no row selected"
	}
	if x.IsTeam() {
		return teamRowReason
	}
	return ""
}

func (m *collaboratorsScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case collaboratorsMsg:
		if !m.answered(msg.req) || !m.c.settle(&m.loader, msg.err) {
			return nil
		}
		m.tbl.SetItems(msg.rows)
	case collabAddMsg:
		if msg.role == "" {
			return m.push(newPicker(m.c, "Role of "+san(msg.user)+" on "+m.name(), projectRoleOptions(), client.DefaultProjectRole,
				func(o option) tea.Msg { return collabAddMsg{msg.to, msg.user, o.Value} }))
		}
		return m.add(msg.user, msg.role)
	case collabRoleMsg:
		if msg.key == bulkKey {
			return m.push(m.bulkRoleConfirm(msg.role))
		}
		return m.setRole(msg.key, msg.role)
	case collabRemoveMsg:
		return m.remove(msg.key)
	case bulkConfirmedMsg:
		return startBulk(&m.bulk, msg.run, &m.tbl, m.c)
	case writeMsg[client.Collaborator]:
		m.writes.done(&m.tbl, m.c, msg)
		m.order() // the server may spell the name differently
		var again tea.Cmd
		if msg.err == nil && m.loading {
			// A listing started before this write may show it undone.
			again = m.Reload()
		}
		if m.bulk.answered(msg.key, msg.err) {
			return tea.Batch(again, m.bulkNext())
		}
		return again
	case tea.MouseMsg:
		m.move(m.c.Keys, msg)
	case tea.KeyMsg:
		return m.key(msg)
	}
	return nil
}

func (m *collaboratorsScreen) key(k tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	if m.listKey(km, k) || m.sortKey(m.c, k) {
		return nil
	}
	x, sel := m.tbl.Selected()
	if km.Mark.Matches(k) && sel && x.IsTeam() && !m.tbl.IsMarked(x.User) {
		m.c.Toast("space: team rows cannot be marked: %s", teamRowReason)
		return nil
	}
	if m.markKey(km, k) {
		return nil
	}
	marked := m.tbl.MarkCount() > 0
	switch {
	case km.Edit.Matches(k) && marked:
		n := m.tbl.MarkCount()
		return m.push(newPicker(m.c, fmt.Sprintf("Role of %s on %s", plural(n, "marked collaborator"), m.name()), projectRoleOptions(), client.DefaultProjectRole,
			func(o option) tea.Msg { return collabRoleMsg{to{m.id}, bulkKey, o.Value} }))
	case km.Delete.Matches(k) && marked:
		return m.push(m.bulkRemoveConfirm())
	case km.Add.Matches(k):
		return m.push(newInput(m.c, "Add a collaborator to "+m.name(), "User or @org/team", "", m.suggest(), func(v string) tea.Msg {
			return collabAddMsg{to: to{m.id}, user: v}
		}).validating(m.addProblem))
	case km.Edit.Matches(k) && sel:
		if m.writes.pending(x.User) {
			m.c.Toast("%s is still being saved", san(x.User))
			return nil
		}
		key := x.User
		return m.push(newPicker(m.c, "Role of "+san(x.User)+" on "+m.name(), projectRoleOptions(), x.Role,
			func(o option) tea.Msg { return collabRoleMsg{to{m.id}, key, o.Value} }).markCurrent())
	case km.Delete.Matches(k) && sel:
		if m.writes.pending(x.User) {
			m.c.Toast("%s is still being saved", san(x.User))
			return nil
		}
		text := fmt.Sprintf("Remove %s's row (%s) from project %s? They may still reach it as an owner, an organization admin, through a team or the organization's default role.",
			san(x.User), san(x.Role), m.name())
		return m.push(newConfirm(m.c, "Remove collaborator", text, "Remove", collabRemoveMsg{to{m.id}, x.User}).keeping("Keep"))
	}
	return nil
}

// addProblem checks a name before anything is sent: a row that exists,
// a bare team name (the server would take it for a person).
func (m *collaboratorsScreen) addProblem(v string) string {
	if _, ok := m.tbl.Get(v); ok {
		return v + " already has a row on " + m.proj.FullName() + ": e changes its role"
	}
	if strings.HasPrefix(v, "@") && !client.IsTeamAccount(v) {
		return "a team is written @ORG/TEAM, e.g. @" + m.proj.Owner + "/surveyors"
	}
	if strings.ContainsAny(v, " \t/") && !client.IsTeamAccount(v) {
		return "a username has no spaces or /; a team is written @ORG/TEAM"
	}
	return ""
}

// suggest offers the owning organization's teams (as @ORG/TEAM) and
// members that have no row yet.
func (m *collaboratorsScreen) suggest() suggestFunc {
	p, org := m.c.Provider(), m.proj.Owner
	have := map[string]bool{}
	for _, x := range m.tbl.Items() {
		have[x.User] = true
	}
	const most = 8
	return func(ctx context.Context, q string) ([]string, error) {
		q = strings.TrimSpace(q)
		needle := strings.ToLower(q)
		var out []string
		if p.Can(client.CapOrganizations) {
			teams, err := p.Teams(ctx, org)
			if err != nil {
				return nil, fmt.Errorf("listing teams of %s: %w", org, err)
			}
			for _, t := range teams {
				acct := client.TeamAccount(org, t.Name)
				if !have[acct] && strings.Contains(strings.ToLower(acct), needle) {
					out = append(out, acct)
				}
			}
		}
		if strings.HasPrefix(q, "@") || len(out) >= most {
			return out[:min(len(out), most)], nil
		}
		users, err := client.CollectUsers(ctx, p, client.UserQuery{Org: org, PersonsOnly: true, Search: q, Limit: most + len(have)})
		if err != nil {
			return nil, fmt.Errorf("searching members of %s: %w", org, err)
		}
		for _, u := range users {
			if name := u.Username; name != "" && !have[name] && len(out) < most {
				out = append(out, name)
			}
		}
		return out, nil
	}
}

func collabAccountType(user string) client.AccountType {
	if client.IsTeamAccount(user) {
		return client.AccountTeam
	}
	return client.AccountPerson
}

func (m *collaboratorsScreen) add(user, role string) tea.Cmd {
	if _, exists := m.tbl.Get(user); exists {
		m.c.Fail(fmt.Errorf("adding %s to project %s: already has a row", user, m.proj.FullName()))
		return nil
	}
	p, id, name := m.c.Provider(), m.proj.ID, m.proj.FullName()
	next := client.Collaborator{ProjectID: id, User: user, Type: collabAccountType(user), Role: role}
	if next.IsTeam() {
		m.writes.inverse(nil, "the API cannot remove a team's row: use the web UI, or delete the team")
	} else {
		m.writes.inverse(&undoOp{
			what:    fmt.Sprintf("remove %s from project %s again", user, name),
			request: fmt.Sprintf("remove collaborator %s from project %s", user, name),
			do:      func(ctx context.Context) error { return p.RemoveCollaborator(ctx, id, user) },
			check:   collabCheck(p, id, name, user, role),
			obj:     collabObj(id, user),
		}, "")
	}
	defer m.order() // the new row in its place, not at the end
	return m.writes.begin(&m.base, &m.tbl, writeAdd, client.Collaborator{}, false, next,
		fmt.Sprintf("adding %s to project %s as %s…", san(user), san(name), role),
		func(ctx context.Context) (client.Collaborator, string, error) {
			got, err := p.AddCollaborator(ctx, id, client.CollaboratorSpec{User: user, Role: role})
			if err != nil {
				return got, "", fmt.Errorf("adding %s to project %s: %w", user, name, err)
			}
			return got, fmt.Sprintf("added %s to project %s as %s", san(got.User), san(name), san(got.Role)), nil
		})
}

func (m *collaboratorsScreen) setRole(key, role string) tea.Cmd {
	old, ok := m.tbl.Get(key)
	if !ok {
		return nil
	}
	if old.IsTeam() {
		m.c.Toast("%s", teamRowReason)
		return nil
	}
	if old.Role == role {
		m.c.Toast("%s is already %s on project %s", san(key), role, m.name())
		return nil
	}
	next := old
	next.Role = role
	p, id, name, was := m.c.Provider(), m.proj.ID, m.proj.FullName(), old.Role
	m.writes.inverse(&undoOp{
		what:    fmt.Sprintf("make %s %s on project %s again", key, was, name),
		request: fmt.Sprintf("change collaborator %s of project %s: role=%s", key, name, was),
		do: func(ctx context.Context) error {
			_, err := p.SetCollaboratorRole(ctx, id, key, was)
			return err
		},
		check: collabCheck(p, id, name, key, role),
		obj:   collabObj(id, key),
	}, "")
	return m.writes.start(&m.base, &m.tbl, old, next,
		fmt.Sprintf("making %s %s on project %s…", san(key), role, san(name)),
		func(ctx context.Context) (client.Collaborator, string, error) {
			got, err := p.SetCollaboratorRole(ctx, id, key, role)
			if err != nil {
				return got, "", fmt.Errorf("making %s %s on project %s: %w", key, role, name, err)
			}
			return got, fmt.Sprintf("%s is now %s on project %s", san(key), san(got.Role), san(name)), nil
		})
}

func (m *collaboratorsScreen) remove(key string) tea.Cmd {
	old, ok := m.tbl.Get(key)
	if !ok {
		return nil
	}
	if old.IsTeam() {
		m.c.Toast("%s", teamRowReason)
		return nil
	}
	p, id, name := m.c.Provider(), m.proj.ID, m.proj.FullName()
	spec := client.CollaboratorSpec{User: key, Role: old.Role}
	m.writes.inverse(&undoOp{
		what:    fmt.Sprintf("add %s to project %s again as %s", key, name, old.Role),
		request: fmt.Sprintf("add collaborator %s to project %s: role=%s", key, name, old.Role),
		do: func(ctx context.Context) error {
			_, err := p.AddCollaborator(ctx, id, spec)
			return err
		},
		check: collabAbsentCheck(p, id, name, key),
		obj:   collabObj(id, key), removes: true,
	}, "")
	return m.writes.begin(&m.base, &m.tbl, writeRemove, old, true, old,
		fmt.Sprintf("removing %s from project %s…", san(key), san(name)),
		func(ctx context.Context) (client.Collaborator, string, error) {
			if err := p.RemoveCollaborator(ctx, id, key); err != nil {
				return client.Collaborator{}, "", fmt.Errorf("removing %s from project %s: %w", key, name, err)
			}
			return old, fmt.Sprintf("removed %s from project %s", san(key), san(name)), nil
		})
}

// bulkRoleConfirm lists every marked row with the change, then changes
// them one by one, each through setRole (pending mark, rollback, undo).
func (m *collaboratorsScreen) bulkRoleConfirm(role string) *confirmDialog {
	rows := m.tbl.Marked()
	run := &bulkRun{label: fmt.Sprintf("make %s %s on %s", plural(len(rows), "collaborator"), role, m.name()), names: map[string]string{}}
	var lines []string
	for _, x := range rows {
		run.keys = append(run.keys, x.User)
		run.names[x.User] = san(x.User)
		line := fmt.Sprintf("%s: %s → %s", san(x.User), san(x.Role), role)
		if x.Role == role {
			line = fmt.Sprintf("%s: already %s", san(x.User), role)
		}
		lines = append(lines, line)
	}
	run.step = func(key string) tea.Cmd { return m.setRole(key, role) }
	text := fmt.Sprintf("Make these %s on %s?\n\n%s", role, m.name(), bulkList(lines, m.bulkRoom()))
	return newConfirm(m.c, "Change "+plural(len(rows), "role"), text, "Change "+plural(len(rows), "role"), bulkConfirmedMsg{to{m.id}, run})
}

// bulkRemoveConfirm lists every marked row, then removes them one by one.
func (m *collaboratorsScreen) bulkRemoveConfirm() *confirmDialog {
	rows := m.tbl.Marked()
	run := &bulkRun{label: fmt.Sprintf("remove %s from %s", plural(len(rows), "collaborator"), m.name()), names: map[string]string{}}
	var lines []string
	for _, x := range rows {
		run.keys = append(run.keys, x.User)
		run.names[x.User] = san(x.User)
		lines = append(lines, san(x.User)+", "+san(x.Role))
	}
	run.step = func(key string) tea.Cmd { return m.remove(key) }
	text := fmt.Sprintf("Remove these rows from %s?\n\n%s", m.name(), bulkList(lines, m.bulkRoom()))
	return newConfirm(m.c, "Remove "+plural(len(rows), "collaborator"), text, "Remove "+plural(len(rows), "row"), bulkConfirmedMsg{to{m.id}, run}).keeping("Keep")
}

// bulkRoom is how many rows a bulk confirmation lists, so that its
// buttons stay on a small terminal (the rest are counted).
func (m *collaboratorsScreen) bulkRoom() int { return max(2, min(8, m.h-8)) }

// bulkNext starts the next write of the bulk run, or reports it when every
// row had its turn (the marks of rows that failed stay, for a retry).
func (m *collaboratorsScreen) bulkNext() tea.Cmd { return bulkNextOf(&m.bulk, &m.tbl, m.c) }

// order keeps the rows in the provider's order (persons, then teams)
// unless s chose a column, whose sort the table keeps by itself.
func (m *collaboratorsScreen) order() {
	if m.tbl.sortCol < 0 {
		m.tbl.Sort(collabCmp)
	}
}

// collabCmp orders rows as the provider lists them: persons by username,
// then teams (the server has no order).
func collabCmp(a, b client.Collaborator) int {
	if a.IsTeam() != b.IsTeam() {
		if a.IsTeam() {
			return 1
		}
		return -1
	}
	return strings.Compare(a.User, b.User)
}

// collabObj names a collaborator row for the activity's bookkeeping.
func collabObj(projectID, user string) string { return "collaborator " + projectID + "/" + user }

// findRow reads a project's rows fresh and returns user's.
func findRow(ctx context.Context, p client.Provider, projectID, user string) (client.Collaborator, bool, error) {
	rows, err := p.Collaborators(ctx, projectID)
	if err != nil {
		return client.Collaborator{}, false, err
	}
	for _, x := range rows {
		if x.User == user {
			return x, true, nil
		}
	}
	return client.Collaborator{}, false, nil
}

// collabCheck reads user's row fresh for an undo: gone when there is no
// row any more (removed elsewhere, or with the person's membership of the
// organization); otherwise the role now against the role this session
// set.
func collabCheck(p client.Provider, projectID, project, user, wrote string) func(context.Context) (undoState, error) {
	return func(ctx context.Context) (undoState, error) {
		x, ok, err := findRow(ctx, p, projectID, user)
		switch {
		case err != nil:
			return undoState{}, err
		case !ok:
			return undoState{gone: fmt.Sprintf("%s has no row on project %s any more", user, project)}, nil
		}
		return undoState{cur: x.Role, wrote: wrote,
			now: fmt.Sprintf("%s is now %s on project %s", user, x.Role, project)}, nil
	}
}

// collabAbsentCheck: adding a removed row back applies only while there
// is none again.
func collabAbsentCheck(p client.Provider, projectID, project, user string) func(context.Context) (undoState, error) {
	return func(ctx context.Context) (undoState, error) {
		x, ok, err := findRow(ctx, p, projectID, user)
		switch {
		case err != nil:
			return undoState{}, err
		case ok:
			return undoState{gone: fmt.Sprintf("%s has a row on project %s again (%s)", user, project, x.Role)}, nil
		}
		return undoState{}, nil
	}
}

func (m *collaboratorsScreen) View() string {
	return m.view(m.c, m.w, "of "+m.name(), &m.loader)
}

func (m *collaboratorsScreen) writeReason() string { return m.c.notOn(client.CapProjects) }

// editReason is why e and d cannot act now: with marks they act on the
// marked rows (persons only), otherwise on the selected one.
func (m *collaboratorsScreen) editReason() string {
	if m.tbl.MarkCount() > 0 {
		return m.writeReason()
	}
	x, ok := m.tbl.Selected()
	return m.rowReason(x, ok)
}

// markReason: team rows cannot be marked, since nothing marked could be
// done to them.
func (m *collaboratorsScreen) markReason() string {
	if x, ok := m.tbl.Selected(); ok && x.IsTeam() && !m.tbl.IsMarked(x.User) {
		return "team rows cannot be marked: " + teamRowReason
	}
	return ""
}

func (m *collaboratorsScreen) ShortHelp() []Hint {
	km := m.c.Keys
	why := m.editReason()
	edit, del := "role", "remove"
	if n := m.tbl.MarkCount(); n > 0 {
		edit, del = fmt.Sprintf("role of %d marked", n), fmt.Sprintf("remove %d marked", n)
	}
	return []Hint{
		hint(km.Filter, "filter", ""),
		hint(km.Add, "add", m.writeReason()),
		hint(km.Edit, edit, why),
		hint(km.Delete, del, why),
		hint(km.Mark, "mark", m.markReason()),
	}
}

func (m *collaboratorsScreen) FullHelp() [][]Hint {
	km := m.c.Keys
	why := m.editReason()
	return [][]Hint{km.moveHints(), {
		hint(km.Filter, "filter by name or role (! inverts)", ""),
		hint(km.Add, "add a person or @org/team with a role", m.writeReason()),
		hint(km.Edit, "change the row's role", why),
		hint(km.Delete, "remove the row (asks first)", why),
		hint(km.Mark, "mark or unmark: e and d then act on all marked", m.markReason()),
		m.sortHint(km),
		hint(km.Copy, "copy the username or team", ""),
		hint(km.Reload, "", ""), hint(km.Back, "", ""),
	}}
}

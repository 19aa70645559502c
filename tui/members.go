package tui

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// membersScreen lists an organization's members (or the space's, when
// org is "") and changes them: add, role, remove.
type membersScreen struct {
	base
	lister[client.Member]
	org    string
	myRole string // the signed-in person's role in org, when known
	loader
	st     *stream[client.Member]
	fresh  bool // the next page replaces the rows
	writes writes[client.Member]
	bulk   *bulkRun // the bulk change running, if any
	landOn string   // the member being added: the cursor goes there
}

// memberAddMsg, memberRemoveMsg: answers of the add dialog and the
// confirmation, back to the screen.
type memberAddMsg struct {
	to
	user   string
	role   string // "" = not asked yet (or the provider's default)
	public bool
	asked  int // 0: nothing asked, 1: role asked, 2: role and visibility asked
}

// memberAddRolesMsg brings the roles for the add dialog's role question.
type memberAddRolesMsg struct {
	to
	add   memberAddMsg
	roles []client.Role
	err   error
}

type memberRemoveMsg struct {
	to
	key string
}

func memberColumns() []Column {
	return []Column{
		{Title: "USER", Min: 10, Max: 20},
		{Title: "NAME", Min: 10, Max: 24, Drop: 2},
		{Title: "E-MAIL", Min: 18, Max: 0, Drop: 3},
		{Title: "ROLE", Min: 7, Max: 12},
		{Title: "PUBLIC", Min: 6, Max: 6, Drop: 1},
	}
}

func memberCells(m client.Member) []string {
	return []string{san(m.User), san(m.Name), san(m.Email), san(m.Role), yesNo(m.Public)}
}

func newMembers(c *Common, org, myRole string) *membersScreen {
	m := &membersScreen{base: newBase(c), org: org, myRole: myRole}
	m.lister = newLister("members", "no members", memberColumns(), func(x client.Member) string { return x.User }, memberCells, nil)
	m.tbl.self = func(x client.Member) bool { return c.isMe(x.User) || c.isMe(x.Email) }
	m.writes = newWrites[client.Member]()
	return m
}

// where names the organization for messages ("acme", "the space").
func where(org string) string {
	if org == "" {
		return "the space"
	}
	return san(org)
}

func (m *membersScreen) Title() string   { return "Members" }
func (m *membersScreen) Init() tea.Cmd   { return m.Reload() }
func (m *membersScreen) Capturing() bool { return m.filtering }
func (m *membersScreen) SetSize(w, h int) {
	m.base.SetSize(w, h)
	m.setSize(h)
}

func (m *membersScreen) Busy() string {
	if b := writeBusy(m.writes.busy(), m.bulk); b != "" {
		return b
	}
	if m.loading {
		return m.doing
	}
	return ""
}

func (m *membersScreen) Back() (bool, tea.Cmd) {
	return m.back()
}

func (m *membersScreen) Copy() string {
	x, ok := m.tbl.Selected()
	if !ok {
		return ""
	}
	return cmp.Or(x.Email, x.User)
}

// Reload lists all members, page by page as they come.
func (m *membersScreen) Reload() tea.Cmd {
	if m.st != nil {
		m.st.stop()
	}
	m.begin(m.c.newID(), "loading members of "+where(m.org)+"…")
	m.fresh = true
	p, org := m.c.Provider(), m.org
	m.st = newStream(m.ctx, func(ctx context.Context, emit client.Emit[client.Member]) error {
		return p.Members(ctx, org, emit)
	})
	return m.st.next(m.id, m.req)
}

func (m *membersScreen) reason(cp client.Capability) string {
	return m.c.orgWriteReason(cp, m.myRole)
}

func (m *membersScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pageMsg[client.Member]:
		if msg.req != m.req {
			return nil
		}
		if msg.done {
			m.loading = false
			m.settlePages(&m.loader, &m.fresh, m.c, msg.err)
			return nil
		}
		m.paging = true
		if m.fresh {
			m.tbl.SetItems(msg.rows)
			m.fresh = false
		} else {
			m.tbl.Append(msg.rows)
		}
		return m.st.next(m.id, m.req)
	case rolesMsg:
		if msg.err != nil {
			m.c.Fail(msg.err)
			return nil
		}
		if msg.key == bulkKey {
			n := m.tbl.MarkCount()
			return m.push(rolePicker(m.c, m.id, fmt.Sprintf("Role of %s in %s", plural(n, "marked member"), where(m.org)), bulkKey, "", msg.roles))
		}
		x, ok := m.tbl.Get(msg.key)
		if !ok {
			return nil
		}
		return m.push(rolePicker(m.c, m.id, fmt.Sprintf("Role of %s in %s", san(x.User), where(m.org)), msg.key, x.Role, msg.roles))
	case roleSetMsg:
		if msg.key == bulkKey {
			return m.push(m.bulkRoleConfirm(msg.role))
		}
		return m.setRole(msg)
	case bulkConfirmedMsg:
		return startBulk(&m.bulk, msg.run, &m.tbl, m.c)
	case memberAddMsg:
		return m.askAdd(msg)
	case memberAddRolesMsg:
		if msg.err != nil {
			m.c.Fail(msg.err)
			return nil
		}
		// The provider's default ("member") preselected, not marked as
		// held: the person has no role here yet.
		return m.push(newPicker(m.c, fmt.Sprintf("Role of %s in %s", san(msg.add.user), where(m.org)), roleOptions(msg.roles), "member", func(o option) tea.Msg {
			next := msg.add
			next.role, next.asked = o.Value, 1
			return next
		}))
	case memberRemoveMsg:
		return m.remove(msg.key)
	case writeMsg[client.Member]:
		m.writes.done(&m.tbl, m.c, msg)
		if msg.err == nil && msg.key == m.landOn {
			m.landOn = ""
			m.tbl.selectKey(cmp.Or(msg.got.User, msg.key)) // the cursor lands on the new member
			m.tbl.clamp()
		}
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

func (m *membersScreen) key(k tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	if m.listKey(km, k) || m.sortKey(m.c, k) {
		return nil
	}
	if m.markKey(km, k) {
		return nil
	}
	x, sel := m.tbl.Selected()
	marked := m.tbl.MarkCount() > 0
	switch {
	case km.Edit.Matches(k) && marked:
		return loadRoles(&m.base, bulkKey)
	case km.Delete.Matches(k) && marked:
		return m.push(m.bulkRemoveConfirm())
	case km.Open.Matches(k) && sel:
		p, user := m.c.Provider(), x.User
		return m.push(withAccess(m.c, newDetail(m.c, "member "+san(x.User), memberFields(x), nil, m.Copy(),
			func(ctx context.Context) ([]field, error) {
				u, err := p.User(ctx, user)
				if err != nil {
					return nil, fmt.Errorf("getting user %s: %w", user, err)
				}
				return userFields(u), nil
			}), x.User).also(&membershipsPart{user: x.User}).editing(m.id,
			func() tea.Cmd { return loadRoles(&m.base, user) },
			func() string { return m.reason(client.CapMemberRole) },
			func() []field {
				if now, ok := m.tbl.Get(user); ok {
					return memberFields(now)
				}
				return nil
			}))
	case km.Edit.Matches(k) && sel:
		return loadRoles(&m.base, x.User)
	case km.Add.Matches(k):
		return m.push(newInput(m.c, "Add a member to "+where(m.org), "Username", "", m.suggest(), func(v string) tea.Msg {
			return memberAddMsg{to: to{m.id}, user: v}
		}))
	case km.Delete.Matches(k) && sel:
		who := san(x.User)
		if x.Name != "" && x.Name != x.User {
			who += " (" + san(x.Name) + ")"
		}
		text := fmt.Sprintf("Remove %s from organization %s? They lose access to its projects.", who, where(m.org))
		if m.org == "" {
			text = fmt.Sprintf("Remove %s from the space?", who)
		}
		title, action := "Remove member", "Remove"
		if m.c.isMe(x.User) {
			title, action = "Leave "+where(m.org), "Leave"
			text = fmt.Sprintf("Remove yourself (%s) from %s? You lose access to its projects and cannot add yourself back.", san(x.User), where(m.org))
			if x.Role == "admin" {
				text += m.otherAdmins(x.User)
			}
		}
		return m.push(newConfirm(m.c, title, text, action, memberRemoveMsg{to{m.id}, x.User}))
	}
	return nil
}

// suggest searches people who are not members yet.
func (m *membersScreen) suggest() suggestFunc {
	p, org := m.c.Provider(), m.org
	if !p.Can(client.CapUserSearch) {
		return nil
	}
	return func(ctx context.Context, q string) ([]string, error) {
		users, err := client.CollectUsers(ctx, p, client.UserQuery{Search: q, ExcludeOrg: org, PersonsOnly: true, Limit: 8})
		if err != nil {
			return nil, fmt.Errorf("searching users: %w", err)
		}
		out := make([]string, 0, len(users))
		for _, u := range users {
			out = append(out, cmp.Or(u.Username, u.ID))
		}
		return out, nil
	}
}

// askAdd asks, where the provider has them, the new member's role and
// whether the membership is public (the defaults preselected), then adds.
func (m *membersScreen) askAdd(msg memberAddMsg) tea.Cmd {
	if _, exists := m.tbl.Get(msg.user); exists {
		m.c.Fail(fmt.Errorf("adding %s to %s: already a member", msg.user, where(m.org)))
		return nil
	}
	p := m.c.Provider()
	if msg.asked < 1 && p.Can(client.CapMemberRole) {
		ctx, cancel := m.reqCtx()
		id := m.id
		return func() tea.Msg {
			defer cancel()
			roles, err := p.Roles(ctx)
			if err != nil {
				err = fmt.Errorf("listing roles: %w", err)
			}
			return memberAddRolesMsg{to{id}, msg, roles, err}
		}
	}
	if msg.asked < 2 && p.Can(client.CapMemberPublic) {
		return m.push(newPicker(m.c, fmt.Sprintf("Is %s a public member of %s?", san(msg.user), where(m.org)), []option{
			{Label: "no", Value: "no", Desc: "only members see the membership"},
			{Label: "yes", Value: "yes", Desc: "listed among the organization's public members"},
		}, "no", func(o option) tea.Msg {
			next := msg
			next.public, next.asked = o.Value == "yes", 2
			return next
		}))
	}
	return m.add(msg.user, msg.role, msg.public)
}

func (m *membersScreen) add(user, role string, public bool) tea.Cmd {
	p, org := m.c.Provider(), m.org
	next := client.Member{Organization: org, User: user, Role: cmp.Or(role, "…"), Public: public}
	m.landOn = user
	m.writes.inverse(&undoOp{
		what:    fmt.Sprintf("remove %s from %s again", user, where(org)),
		request: fmt.Sprintf("remove member %s from organization %s", user, where(org)),
		do:      func(ctx context.Context) error { return p.RemoveMember(ctx, org, user) },
		check:   memberCheck(p, org, user, nil),
		obj:     memberObj(org, user),
	}, "")
	return m.writes.begin(&m.base, &m.tbl, writeAdd, client.Member{}, false, next,
		fmt.Sprintf("adding %s to %s…", san(user), where(org)),
		func(ctx context.Context) (client.Member, string, error) {
			got, err := p.AddMember(ctx, org, client.MemberSpec{User: user, Role: role, Public: public})
			if err != nil {
				return got, "", doing(fmt.Sprintf("adding %s to %s", user, where(org)), err)
			}
			if got.User == "" {
				got.User = user
			}
			return got, fmt.Sprintf("added %s to %s as %s", san(user), where(org), san(got.Role)), nil
		})
}

func (m *membersScreen) setRole(msg roleSetMsg) tea.Cmd {
	old, ok := m.tbl.Get(msg.key)
	if !ok {
		return nil
	}
	if old.Role == msg.role.Name || old.RoleID != "" && old.RoleID == msg.role.ID {
		m.c.Toast("%s is already %s of %s", san(old.User), san(msg.role.Name), where(m.org))
		return nil
	}
	if m.c.isMe(old.User) && !msg.sure {
		sure := msg
		sure.sure = true
		text := fmt.Sprintf("Change your own role in %s from %s to %s?", where(m.org), san(old.Role), san(msg.role.Name))
		if old.Role == "admin" && msg.role.Name != "admin" {
			text += " You lose the rights of an admin there: you could no longer change its members or teams, nor undo this yourself." + m.otherAdmins(old.User)
		}
		return m.push(newConfirm(m.c, "Change your own role", text, "Change my role", sure))
	}
	next := old
	next.Role, next.RoleID = msg.role.Name, msg.role.ID
	p, org, user, role := m.c.Provider(), m.org, old.User, msg.role
	oldRole := cmp.Or(old.RoleID, old.Role)
	who := memberLabel(old)
	m.writes.inverse(&undoOp{
		what:    fmt.Sprintf("make %s %s of %s again", who, old.Role, where(org)),
		request: fmt.Sprintf("change member %s of %s: role=%s", user, where(org), oldRole),
		do: func(ctx context.Context) error {
			_, err := p.UpdateMember(ctx, org, user, client.MemberUpdate{Role: &oldRole})
			return err
		},
		check: memberCheck(p, org, user, &role.Name),
		obj:   memberObj(org, user),
	}, "")
	return m.writes.start(&m.base, &m.tbl, old, next,
		fmt.Sprintf("making %s %s of %s…", san(user), san(role.Name), where(org)),
		func(ctx context.Context) (client.Member, string, error) {
			id := role.ID
			got, err := p.UpdateMember(ctx, org, user, client.MemberUpdate{Role: &id})
			if err != nil {
				return got, "", fmt.Errorf("making %s %s of %s: %w", user, role.Name, where(org), err)
			}
			return got, fmt.Sprintf("%s is now %s of %s", san(user), san(got.Role), where(org)), nil
		})
}

// bulkKey stands for "the marked rows" where a row key is expected.
const bulkKey = "\x00marked"

// bulkRoleConfirm lists every marked member with the change, then runs
// the role changes one by one.
func (m *membersScreen) bulkRoleConfirm(role client.Role) *confirmDialog {
	rows := m.tbl.Marked()
	run := &bulkRun{label: fmt.Sprintf("make %s %s of %s", plural(len(rows), "member"), san(role.Name), where(m.org)), names: map[string]string{}}
	var lines []string
	self := ""
	for _, x := range rows {
		run.keys = append(run.keys, x.User)
		run.names[x.User] = san(x.User)
		line := fmt.Sprintf("%s: %s → %s", san(x.User), san(x.Role), san(role.Name))
		if x.Role == role.Name {
			line = fmt.Sprintf("%s: already %s", san(x.User), san(role.Name))
		}
		if m.c.isMe(x.User) {
			line += " (you)"
			if x.Role == "admin" && role.Name != "admin" {
				self = "\n\nYou are among them: you lose the rights of an admin in " + where(m.org) + "." + m.otherAdmins(x.User)
			}
		}
		lines = append(lines, line)
	}
	run.step = func(key string) tea.Cmd {
		return m.setRole(roleSetMsg{to: to{m.id}, key: key, role: role, sure: true})
	}
	text := fmt.Sprintf("Make these %s %s of %s?\n\n%s%s", plural(len(rows), "member"), san(role.Name), where(m.org), bulkList(lines, 8), self)
	return newConfirm(m.c, "Change "+plural(len(rows), "role"), text, "Change "+plural(len(rows), "role"), bulkConfirmedMsg{to{m.id}, run})
}

// bulkRemoveConfirm lists every marked member, then removes them one by
// one.
func (m *membersScreen) bulkRemoveConfirm() *confirmDialog {
	rows := m.tbl.Marked()
	run := &bulkRun{label: fmt.Sprintf("remove %s from %s", plural(len(rows), "member"), where(m.org)), names: map[string]string{}}
	var lines []string
	self := ""
	for _, x := range rows {
		run.keys = append(run.keys, x.User)
		run.names[x.User] = san(x.User)
		line := san(memberLabel(x)) + ", " + san(x.Role)
		if m.c.isMe(x.User) {
			line += " (you)"
			self = "\n\nYou are among them: you lose access to " + where(m.org) + " and cannot add yourself back."
		}
		lines = append(lines, line)
	}
	run.step = func(key string) tea.Cmd { return m.remove(key) }
	text := fmt.Sprintf("Remove these %s from %s? They lose access to its projects.\n\n%s%s", plural(len(rows), "member"), where(m.org), bulkList(lines, 8), self)
	return newConfirm(m.c, "Remove "+plural(len(rows), "member"), text, "Remove "+plural(len(rows), "member"), bulkConfirmedMsg{to{m.id}, run})
}

// bulkNext starts the next write of the bulk run, or reports it when
// every row had its turn (the marks of rows that failed stay, for a retry).
func (m *membersScreen) bulkNext() tea.Cmd { return bulkNextOf(&m.bulk, &m.tbl, m.c) }

// otherAdmins says whether anyone but user still administers the
// organization, as listed.
func (m *membersScreen) otherAdmins(user string) string {
	n := 0
	for _, x := range m.tbl.Items() {
		if x.User != user && x.Role == "admin" {
			n++
		}
	}
	if n == 0 {
		return fmt.Sprintf(" No other admin is left in %s: only its owner could give the role back.", where(m.org))
	}
	return fmt.Sprintf(" %s of %s remain.", plural(n, "other admin"), where(m.org))
}

// memberObj names a membership for the activity's bookkeeping.
func memberObj(org, user string) string { return "member " + org + "/" + user }

// memberLabel names a member in words: "Ana Silva (ana)".
func memberLabel(x client.Member) string {
	if x.Name != "" && x.Name != x.User {
		return x.Name + " (" + x.User + ")"
	}
	return x.User
}

// memberCheck reads a membership fresh for an undo: gone when the person
// is no longer a member; with wrote, the role now against the role this
// session set.
func memberCheck(p client.Provider, org, user string, wrote *string) func(context.Context) (undoState, error) {
	return func(ctx context.Context) (undoState, error) {
		x, err := p.Member(ctx, org, user)
		if errors.Is(err, client.ErrNotFound) {
			return undoState{gone: fmt.Sprintf("%s is no longer a member of %s", user, where(org))}, nil
		}
		if err != nil {
			return undoState{}, err
		}
		if wrote == nil {
			return undoState{}, nil
		}
		return undoState{cur: x.Role, wrote: *wrote,
			now: fmt.Sprintf("%s is now %s of %s", memberLabel(x), x.Role, where(org))}, nil
	}
}

// memberAbsentCheck: adding a removed member back applies only while they
// are not a member again.
func memberAbsentCheck(p client.Provider, org, user string) func(context.Context) (undoState, error) {
	return func(ctx context.Context) (undoState, error) {
		x, err := p.Member(ctx, org, user)
		switch {
		case errors.Is(err, client.ErrNotFound):
			return undoState{}, nil
		case err != nil:
			return undoState{}, err
		}
		return undoState{gone: fmt.Sprintf("%s is a member of %s again (%s)", memberLabel(x), where(org), x.Role)}, nil
	}
}

func (m *membersScreen) remove(key string) tea.Cmd {
	old, ok := m.tbl.Get(key)
	if !ok {
		return nil
	}
	p, org := m.c.Provider(), m.org
	if p.Can(client.CapMemberAdd) {
		spec := client.MemberSpec{User: old.User, Role: cmp.Or(old.RoleID, old.Role), Public: old.Public}
		m.writes.inverse(&undoOp{
			what: fmt.Sprintf("add %s to %s again as %s", memberLabel(old), where(org), old.Role),
			request: fmt.Sprintf("add member %s to organization %s: role=%s, public=%s",
				old.User, where(org), spec.Role, yesNo(old.Public)),
			do:    func(ctx context.Context) error { _, err := p.AddMember(ctx, org, spec); return err },
			check: memberAbsentCheck(p, org, old.User),
			obj:   memberObj(org, old.User), removes: true,
		}, "")
	} else {
		m.writes.inverse(nil, p.Kind()+" cannot add members back").deleting(memberObj(org, old.User))
	}
	return m.writes.begin(&m.base, &m.tbl, writeRemove, old, true, old,
		fmt.Sprintf("removing %s from %s…", san(key), where(org)),
		func(ctx context.Context) (client.Member, string, error) {
			if err := p.RemoveMember(ctx, org, key); err != nil {
				return client.Member{}, "", fmt.Errorf("removing %s from %s: %w", key, where(org), err)
			}
			return old, fmt.Sprintf("removed %s from %s", san(key), where(org)), nil
		})
}

func (m *membersScreen) View() string { return m.view(m.c, m.w, "of "+where(m.org), &m.loader) }

func (m *membersScreen) ShortHelp() []Hint {
	km := m.c.Keys
	edit, del := "role", "remove"
	if n := m.tbl.MarkCount(); n > 0 {
		edit, del = fmt.Sprintf("role of %d marked", n), fmt.Sprintf("remove %d marked", n)
	}
	if m.tbl.MarkCount() > 0 {
		// With rows marked, what acts on them comes first.
		return []Hint{
			hint(km.Edit, edit, m.reason(client.CapMemberRole)),
			hint(km.Delete, del, m.reason(client.CapMemberRemove)),
			hint(km.Mark, "unmark", ""),
			hint(km.Filter, "filter", ""), hint(km.Add, "add", m.reason(client.CapMemberAdd)),
		}
	}
	return []Hint{
		hint(km.Filter, "filter", ""), hint(km.Open, "details", ""),
		hint(km.Edit, edit, m.reason(client.CapMemberRole)),
		hint(km.Add, "add", m.reason(client.CapMemberAdd)),
		hint(km.Delete, del, m.reason(client.CapMemberRemove)),
		hint(km.Mark, "mark", ""),
	}
}

func (m *membersScreen) FullHelp() [][]Hint {
	km := m.c.Keys
	return [][]Hint{km.moveHints(), {
		hint(km.Filter, "filter by any column (! inverts)", ""),
		hint(km.Open, "show every field", ""),
		hint(km.Edit, "change the member's role", m.reason(client.CapMemberRole)),
		hint(km.Add, "add a member by username", m.reason(client.CapMemberAdd)),
		hint(km.Delete, "remove the member (asks first)", m.reason(client.CapMemberRemove)),
		hint(km.Mark, "mark or unmark: e and d then act on all marked", ""),
		m.sortHint(km),
		hint(km.Copy, "copy e-mail (or username)", ""),
		hint(km.Reload, "", ""), hint(km.Back, "", ""),
	}}
}

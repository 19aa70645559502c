package tui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// searchDelay debounces server search while typing.
const searchDelay = 150 * time.Millisecond

// usersScreen lists every account. Where the provider searches users on
// the server (CapUserSearch), "/" searches as you type and more pages are
// fetched as the cursor nears the end; otherwise every page is loaded and
// "/" filters and "s" sorts locally.
type usersScreen struct {
	base
	lister[userRow]

	local  bool // filter and sort the loaded rows; no server search
	loader      // req: the listing whose pages are wanted
	typed  int  // the debounce tick that may start a search
	query  string
	st     *stream[client.User]
	fresh  bool // the next page replaces the rows
	more   bool // the listing has more pages
	// shown is the search the rows answer: while another is loading the
	// old rows stay, and so does their label.
	shown string
	// groups is the intersection of the listed users' space ids: every
	// user of a space is in it, so one id left names the space.
	groups map[int64]bool
	order  userSort
	writes writes[userRow]
	bulk   *bulkRun      // the bulk change running, if any
	keys   *sortKeys     // collation keys of the rows for the current order
	toEnd  bool          // G pressed: fetch every page, cursor on the last row
	roles  []client.Role // as last listed for a picker (kinds, for self-demotion)
}

type searchTickMsg struct {
	to
	typed int
}

// rolesMsg brings the provider's roles for a role picker.
type rolesMsg struct {
	to
	key   string // the row the picker is for
	roles []client.Role
	err   error
}

// roleSetMsg is a role chosen in a picker for a row.
type roleSetMsg struct {
	to
	key  string
	role client.Role
	sure bool // a change to oneself was confirmed
}

func userColumns(local bool) []Column {
	if local {
		// A space's users: numeric ids, no usernames; the role matters.
		return []Column{
			{Title: "ID", Min: 4, Max: 8},
			{Title: "NAME", Min: 10, Max: 26},
			{Title: "E-MAIL", Min: 18, Max: 0, Drop: 2},
			{Title: "ROLE", Min: 9, Max: 20, Drop: 1},
		}
	}
	return []Column{
		{Title: "USERNAME", Min: 10, Max: 22},
		{Title: "NAME", Min: 10, Max: 26, Drop: 2},
		{Title: "E-MAIL", Min: 18, Max: 0, Drop: 3},
		{Title: "ROLE/TYPE", Min: 9, Max: 14, Drop: 1},
	}
}

func newUsers(c *Common) *usersScreen {
	m := &usersScreen{base: newBase(c), local: !c.Provider().Can(client.CapUserSearch)}
	m.lister = newLister("users", "no users", userColumns(m.local), userRow.id, userRowCells, userRowHay)
	m.tbl.self = func(r userRow) bool { return c.isMe(r.id()) || c.isMe(r.email()) }
	m.writes = newWrites[userRow]()
	return m
}

func (m *usersScreen) Title() string   { return "Users" }
func (m *usersScreen) Init() tea.Cmd   { return m.list(m.query) }
func (m *usersScreen) Reload() tea.Cmd { return m.list(m.query) }
func (m *usersScreen) SetSize(w, h int) {
	m.base.SetSize(w, h)
	m.setSize(h)
}
func (m *usersScreen) Capturing() bool { return m.filtering }

func (m *usersScreen) Busy() string {
	if b := writeBusy(m.writes.busy(), m.bulk); b != "" {
		return b
	}
	if m.filtering && !m.local && strings.TrimSpace(m.input.Value()) != m.query {
		return "searching users…" // typed: the debounced search is about to start
	}
	if m.loading {
		if m.local {
			return fmt.Sprintf("loading users… %d so far", m.tbl.Total())
		}
		if m.query != "" {
			return fmt.Sprintf("searching users for %q…", san(m.query))
		}
		return "loading users…"
	}
	return ""
}

// Back clears an accepted search or filter before esc goes back.
func (m *usersScreen) Back() (bool, tea.Cmd) {
	if m.local {
		if m.clearFilter() {
			m.tbl.SetQuery("")
			return true, nil
		}
		return false, nil
	}
	if !m.clearFilter() && m.query == "" {
		return false, nil
	}
	m.typed = m.c.newID() // a pending debounce tick must not search again
	return true, m.list("")
}

func (m *usersScreen) Copy() string {
	u, ok := m.tbl.Selected()
	if !ok {
		return ""
	}
	return cmp.Or(u.email(), u.id())
}

// list starts a (new) listing; pages of older ones are dropped by req.
func (m *usersScreen) list(q string) tea.Cmd {
	if m.st != nil {
		m.st.stop()
	}
	m.query = q
	doing := "loading users…"
	if q != "" {
		doing = fmt.Sprintf("searching users for %q…", san(q))
	}
	m.begin(m.c.newID(), doing)
	m.fresh, m.more = true, false
	m.groups = nil
	p := m.c.Provider()
	m.st = newStream(m.ctx, func(ctx context.Context, emit client.Emit[client.User]) error {
		return p.Users(ctx, client.UserQuery{Search: q}, emit)
	})
	return m.st.next(m.id, m.req)
}

// meet narrows the space ids to those of one more user.
func (m *usersScreen) meet(ids []int64) {
	if len(ids) == 0 {
		return
	}
	if m.groups == nil {
		m.groups = map[int64]bool{}
		for _, id := range ids {
			m.groups[id] = true
		}
		return
	}
	has := map[int64]bool{}
	for _, id := range ids {
		has[id] = true
	}
	for id := range m.groups {
		if !has[id] {
			delete(m.groups, id)
		}
	}
}

func (m *usersScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pageMsg[client.User]:
		if msg.req != m.req {
			return nil // a page of an older search
		}
		if msg.done {
			if m.toEnd {
				m.tbl.Bottom()
				m.toEnd = false
			}
			m.loading, m.more = false, false
			err := msg.err
			if err != nil {
				err = doing("listing users", err)
			}
			if m.fresh && err == nil {
				m.shown = m.query // zero rows: the answer to this search
			}
			m.settlePages(&m.loader, &m.fresh, m.c, err)
			if err == nil && m.query == "" && len(m.groups) == 1 && !m.c.Provider().Can(client.CapOrganizations) {
				for id := range m.groups {
					m.c.space = strconv.FormatInt(id, 10)
				}
			}
			return nil
		}
		rows := make([]userRow, len(msg.rows))
		for i, u := range msg.rows {
			rows[i] = packUser(u)
			m.meet(u.GroupIDs)
		}
		m.paging = true
		if m.fresh {
			m.tbl.SetItems(rows)
			m.fresh = false
			m.shown = m.query
		} else {
			m.tbl.Append(rows)
		}
		if m.order != sortServer {
			m.sortRows()
		}
		m.more = true
		if m.toEnd {
			m.tbl.Bottom() // G: follow the end until the last page
		}
		if m.local || m.toEnd || m.tbl.Len() < 2*m.tbl.height || m.tbl.NearEnd() {
			return m.st.next(m.id, m.req)
		}
		// The rows asked for are here: a good answer, more on demand.
		m.loading, m.paging = false, false
		m.c.settle(&m.loader, nil)
		return nil
	case searchTickMsg:
		if msg.typed != m.typed {
			return nil // typed on since
		}
		q := strings.TrimSpace(m.input.Value())
		if q == m.query {
			return nil
		}
		return m.list(q)
	case rolesMsg:
		if msg.err == nil {
			m.roles = msg.roles
		}
		return m.openRoles(msg)
	case roleSetMsg:
		if msg.key == bulkKey {
			return m.push(m.bulkRoleConfirm(msg.role))
		}
		return m.setRole(msg)
	case writeMsg[userRow]:
		m.writes.done(&m.tbl, m.c, msg)
		if m.bulk.answered(msg.key, msg.err) {
			return m.bulkNext()
		}
		return nil
	case bulkConfirmedMsg:
		return startBulk(&m.bulk, msg.run, &m.tbl, m.c)
	case tea.KeyMsg:
		return m.key(msg)
	case tea.MouseMsg:
		m.move(m.c.Keys, msg)
		return m.maybeMore()
	}
	return nil
}

func (m *usersScreen) key(k tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	if m.filtering && m.local {
		m.filterKey(k)
		m.tbl.SetQuery(m.input.Value())
		return nil
	}
	if m.filtering {
		if m.filterKey(k) {
			m.typed = m.c.newID()
			typed, id := m.typed, m.id
			return tea.Tick(searchDelay, func(time.Time) tea.Msg { return searchTickMsg{to{id}, typed} })
		}
		if !m.filtering && strings.TrimSpace(m.input.Value()) != m.query {
			return m.list(strings.TrimSpace(m.input.Value()))
		}
		return m.maybeMore()
	}
	if m.move(km, k) {
		// G goes to the real end of a server-paged list: the pages are
		// fetched one after the other, the cursor following, in one press.
		m.toEnd = km.Bottom.Matches(k) && m.more
		return m.maybeMore()
	}
	if m.c.Provider().Can(client.CapUserRole) && m.markKey(km, k) {
		return nil
	}
	switch {
	case km.Edit.Matches(k) && m.tbl.MarkCount() > 0:
		return loadRoles(&m.base, bulkKey)
	case km.Filter.Matches(k):
		m.startFilter()
	case km.Open.Matches(k):
		u, ok := m.tbl.Selected()
		if !ok {
			return nil
		}
		p := m.c.Provider()
		id := u.id()
		d := newDetail(m.c, "user "+san(u.handle()), nil, rowFields(u), m.Copy(),
			func(ctx context.Context) ([]field, error) {
				fresh, err := p.User(ctx, id)
				if err != nil {
					return nil, fmt.Errorf("getting user %s: %w", id, err)
				}
				return userFields(fresh), nil
			})
		if u.role() == string(client.AccountPerson) {
			d = withAccess(m.c, d, u.handle()) // the projects they can open
		}
		if u.role() == string(client.AccountPerson) || !p.Can(client.CapOrganizations) {
			d = withMemberships(m.c, d, u.id()) // their organizations and teams
		}
		if p.Can(client.CapUserRole) {
			d = d.editing(m.id, func() tea.Cmd { return loadRoles(&m.base, id) }, m.editReason,
				func() []field {
					if now, ok := m.tbl.Get(id); ok {
						return []field{{"role", now.role()}}
					}
					return nil
				})
		}
		return m.push(d)
	case km.Edit.Matches(k):
		u, ok := m.tbl.Selected()
		if !ok {
			return nil
		}
		return loadRoles(&m.base, u.id())
	case km.Sort.Matches(k) && m.local:
		m.order = m.order.next()
		m.sortRows()
		m.c.Toast("users sorted by %s", m.order)
	}
	return nil
}

// maybeMore asks for the next page when the cursor nears the end.
func (m *usersScreen) maybeMore() tea.Cmd {
	if m.more && !m.loading && m.tbl.NearEnd() {
		m.loading = true
		return m.st.next(m.id, m.req)
	}
	return nil
}

func (m *usersScreen) openRoles(msg rolesMsg) tea.Cmd {
	if msg.err != nil {
		m.c.Fail(msg.err)
		return nil
	}
	if msg.key == bulkKey {
		return m.push(rolePicker(m.c, m.id, "Role of "+plural(m.tbl.MarkCount(), "marked user")+" in the space", bulkKey, "", msg.roles))
	}
	u, ok := m.tbl.Get(msg.key)
	if !ok {
		return nil
	}
	return m.push(rolePicker(m.c, m.id, "Role of "+san(u.label())+" in the space", msg.key, u.roleID(), msg.roles))
}

// sortRows orders the loaded users by m.order in collation order.
func (m *usersScreen) sortRows() {
	if m.keys == nil || m.keys.order != m.order {
		if m.c.sorter == nil {
			m.c.sorter = newSorter()
		}
		m.keys = &sortKeys{so: m.c.sorter, order: m.order, cache: map[string]cachedKeys{}}
	}
	m.tbl.SortKeyed(m.keys.of)
}

// bulkRoleConfirm lists every marked user with the change, then runs
// the role changes one by one.
func (m *usersScreen) bulkRoleConfirm(role client.Role) *confirmDialog {
	rows := m.tbl.Marked()
	run := &bulkRun{label: fmt.Sprintf("make %s %s", plural(len(rows), "user"), san(role.Name)), names: map[string]string{}}
	var lines []string
	self := ""
	for _, u := range rows {
		run.keys = append(run.keys, u.id())
		run.names[u.id()] = san(u.label())
		line := fmt.Sprintf("%s: %s → %s", san(u.label()), san(u.role()), san(role.Name))
		if u.roleID() == role.ID {
			line = fmt.Sprintf("%s: already %s", san(u.label()), san(role.Name))
		}
		if m.c.isMe(u.id()) || m.c.isMe(u.email()) {
			line += " (you)"
			self = "\n\nYou are among them. " + m.selfRoleText(u, role)
		}
		lines = append(lines, line)
	}
	run.step = func(key string) tea.Cmd {
		return m.setRole(roleSetMsg{to: to{m.id}, key: key, role: role, sure: true})
	}
	text := fmt.Sprintf("Make these %s %s?\n\n%s%s", plural(len(rows), "user"), san(role.Name), bulkList(lines, 8), self)
	return newConfirm(m.c, "Change "+plural(len(rows), "role"), text, "Change "+plural(len(rows), "role"), bulkConfirmedMsg{to{m.id}, run})
}

// bulkNext starts the next write of the bulk run, or reports it.
func (m *usersScreen) bulkNext() tea.Cmd { return bulkNextOf(&m.bulk, &m.tbl, m.c) }

func (m *usersScreen) setRole(msg roleSetMsg) tea.Cmd {
	old, ok := m.tbl.Get(msg.key)
	if !ok {
		return nil
	}
	r := msg.role
	if old.roleID() == r.ID && r.ID != "" {
		m.c.Toast("%s is already %s", san(old.label()), san(r.Name))
		return nil
	}
	if m.c.isMe(old.id()) && !msg.sure {
		sure := msg
		sure.sure = true
		return m.push(newConfirm(m.c, "Change your own role", m.selfRoleText(old, r), "Change my role", sure))
	}
	next := old.withRole(r)
	who := san(old.label())
	p := m.c.Provider()
	user, role := old.id(), msg.role.ID
	if oldRole := old.roleID(); oldRole != "" {
		oldName := cmp.Or(old.role(), oldRole)
		m.writes.inverse(&undoOp{
			what:    fmt.Sprintf("make %s %s again", old.label(), oldName),
			request: fmt.Sprintf("set the role of %s (user %s) to %s (role id %s)", old.label(), user, oldName, oldRole),
			do:      func(ctx context.Context) error { _, err := p.SetUserRole(ctx, user, oldRole); return err },
			check: func(ctx context.Context) (undoState, error) {
				u, err := p.User(ctx, user)
				if errors.Is(err, client.ErrNotFound) {
					return undoState{gone: fmt.Sprintf("%s is no longer in the space", old.label())}, nil
				}
				if err != nil {
					return undoState{}, err
				}
				now := roleName(u.Role)
				return undoState{cur: roleID(u.Role), wrote: role, wroteAs: r.Name,
					now: fmt.Sprintf("%s is now %s", old.label(), cmp.Or(now, "without a role"))}, nil
			},
			obj: "user " + user,
		}, "")
	} else {
		m.writes.inverse(nil, "the user's previous role was unknown")
	}
	return m.writes.start(&m.base, &m.tbl, old, next,
		fmt.Sprintf("making %s %s…", who, san(r.Name)),
		func(ctx context.Context) (userRow, string, error) {
			u, err := p.SetUserRole(ctx, user, role)
			if err != nil {
				return userRow{}, "", fmt.Errorf("making %s %s: %w", who, r.Name, err)
			}
			return packUser(u), fmt.Sprintf("%s is now %s", who, san(cmp.Or(roleName(u.Role), r.Name))), nil
		})
}

// selfRoleText spells out what changing one's own role in the space
// does: a role that cannot write cannot undo it, and a space whose only
// administrator steps down has none left.
func (m *usersScreen) selfRoleText(old userRow, r client.Role) string {
	kind := map[string]string{}
	for _, x := range m.roles {
		kind[x.ID] = x.Kind
	}
	text := fmt.Sprintf("Change your own role from %s to %s?", san(old.role()), san(r.Name))
	switch {
	case r.Kind == "user":
		text += fmt.Sprintf(" %s cannot change the space: you could not undo this yourself.", san(r.Name))
	case !isAdminKind(r.Kind):
		text += fmt.Sprintf(" %s may not be able to change roles: you might not undo this yourself.", san(r.Name))
	}
	if isAdminKind(kind[old.roleID()]) && !isAdminKind(r.Kind) {
		others := 0
		for _, u := range m.tbl.Items() {
			if u.id() != old.id() && isAdminKind(kind[u.roleID()]) {
				others++
			}
		}
		if others == 0 {
			text += " No one else administers the space: nobody could give the role back."
		} else {
			text += fmt.Sprintf(" %s still administer the space.", plural(others, "other person"))
		}
	}
	return text
}

func roleID(r *client.Role) string {
	if r == nil {
		return ""
	}
	return r.ID
}

func roleName(r *client.Role) string {
	if r == nil {
		return ""
	}
	return r.Name
}

func (m *usersScreen) View() string {
	return m.view(m.c, m.w, m.moreNote(), &m.loader)
}

func (m *usersScreen) moreNote() string {
	var parts []string
	if m.order != sortServer {
		parts = append(parts, "sorted by "+m.order.String())
	}
	if m.shown != "" {
		parts = append(parts, fmt.Sprintf("search %q", san(m.shown)))
	}
	if m.more {
		parts = append(parts, "more below")
	}
	return strings.Join(parts, " · ")
}

func (m *usersScreen) ShortHelp() []Hint {
	km := m.c.Keys
	h := []Hint{hint(km.Filter, "search", ""), hint(km.Open, "details", ""),
		hint(km.Edit, m.editShort(), m.editReason())}
	if m.local {
		h[0].Desc = "filter"
		h = append(h, hint(km.Sort, "sort", ""))
	}
	h = append(h, hint(km.Copy, "copy", ""))
	if m.c.Provider().Can(client.CapUserRole) {
		h = append(h, hint(km.Mark, "mark", ""))
	}
	return h
}

func (m *usersScreen) markHints() []Hint {
	if !m.c.Provider().Can(client.CapUserRole) {
		return nil
	}
	return []Hint{hint(m.c.Keys.Mark, "mark or unmark the user for e", "")}
}

// copyDesc says what y copies: the e-mail, else the id (a username
// where users have one).
func (m *usersScreen) copyDesc() string {
	if m.c.Provider().Can(client.CapUserSearch) {
		return "copy e-mail (or username)"
	}
	return "copy e-mail (or id)"
}

// editReason: where roles belong to organizations, not to the user, the
// reason says where to change them.
func (m *usersScreen) editReason() string {
	p := m.c.Provider()
	if !p.Can(client.CapUserRole) && p.Can(client.CapOrganizations) {
		return "roles are per organization here: Organizations › Members"
	}
	return m.c.writeReason(client.CapUserRole)
}

func (m *usersScreen) editShort() string {
	if n := m.tbl.MarkCount(); n > 0 {
		return fmt.Sprintf("role of %d marked", n)
	}
	return "role"
}

func (m *usersScreen) editDesc() string {
	if m.c.Provider().Can(client.CapUserRole) {
		return "change role in the space"
	}
	return "change the user's role"
}

// sortReason: a server-searched list arrives page by page in the
// server's order; sorting the loaded part would mislead.
func (m *usersScreen) sortReason() string {
	if m.local {
		return ""
	}
	return "the server orders users (search with /)"
}

func (m *usersScreen) FullHelp() [][]Hint {
	km := m.c.Keys
	return [][]Hint{
		km.moveHints(),
		{
			m.filterHint(), hint(km.Open, "show every field", ""),
			hint(km.Edit, m.editDesc(), m.editReason()),
			hint(km.Sort, "sort by "+m.order.next().String(), m.sortReason()),
			hint(km.Copy, m.copyDesc(), ""), hint(km.Reload, "", ""), hint(km.Back, "clear search", ""),
		},
		m.markHints(),
	}
}

func (m *usersScreen) filterHint() Hint {
	if m.local {
		return hint(m.c.Keys.Filter, "filter by name, e-mail or role (! inverts)", "")
	}
	return hint(m.c.Keys.Filter, "search on the server", "")
}

// filterHints: a server search has no "!" (the server matches).
func (m *usersScreen) filterHints(km *KeyMap) []Hint {
	h := m.lister.filterHints(km)
	if h == nil || m.local {
		return h
	}
	h[0].Desc = "search"
	return append(h[:3:3], h[4])
}

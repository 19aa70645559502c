package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// searchDelay debounces server search while typing.
const searchDelay = 150 * time.Millisecond

// usersScreen lists every account, with server-side search as you type
// and more pages fetched as the cursor nears the end.
type usersScreen struct {
	base
	lister[client.User]

	req     int // the listing whose pages are wanted
	typed   int // the debounce tick that may start a search
	query   string
	st      *stream[client.User]
	fresh   bool // the next page replaces the rows
	loading bool
	more    bool // the listing has more pages
	writes  writes[client.User]
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
}

func userColumns() []Column {
	return []Column{
		{Title: "USERNAME", Min: 10, Max: 22},
		{Title: "NAME", Min: 10, Max: 26, Drop: 2},
		{Title: "E-MAIL", Min: 18, Max: 0, Drop: 3},
		{Title: "ROLE/TYPE", Min: 9, Max: 14, Drop: 1},
	}
}

func showUser(u client.User) rowView {
	kind := string(u.Type)
	if u.Role != nil {
		kind = u.Role.Name
	}
	name := u.Name()
	if name == u.Username {
		name = u.DisplayName
	}
	handle := u.Username
	if handle == "" {
		handle = u.ID
	}
	return rowView{
		cells: []string{san(handle), san(name), san(u.Email), san(kind)},
		hay:   strings.ToLower(handle + "\x00" + u.Name() + "\x00" + u.Email),
	}
}

func newUsers(c *Common) *usersScreen {
	m := &usersScreen{base: newBase(c)}
	m.lister = newLister("users", "no users", userColumns(), func(u client.User) string { return u.ID }, showUser)
	m.writes = newWrites[client.User]()
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
	if b := m.writes.busy(); b != "" {
		return b
	}
	if m.loading {
		if m.query != "" {
			return fmt.Sprintf("searching users for %q…", san(m.query))
		}
		return "loading users…"
	}
	return ""
}

// Back clears an accepted search before esc goes back.
func (m *usersScreen) Back() (bool, tea.Cmd) {
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
	if u.Email != "" {
		return u.Email
	}
	return u.ID
}

// list starts a (new) listing; pages of older ones are dropped by req.
func (m *usersScreen) list(q string) tea.Cmd {
	if m.st != nil {
		m.st.stop()
	}
	m.query = q
	m.req = m.c.newID()
	m.fresh, m.loading, m.more = true, true, false
	p := m.c.Provider()
	m.st = newStream(m.ctx, func(ctx context.Context, emit client.Emit[client.User]) error {
		return p.Users(ctx, client.UserQuery{Search: q}, emit)
	})
	return m.st.next(m.id, m.req)
}

func (m *usersScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pageMsg[client.User]:
		if msg.req != m.req {
			return nil // a page of an older search
		}
		if msg.done {
			m.loading, m.more = false, false
			if m.fresh {
				m.tbl.SetItems(nil)
				m.fresh = false
			}
			if msg.err != nil {
				m.c.Fail(fmt.Errorf("listing users: %w", msg.err))
			}
			return nil
		}
		if m.fresh {
			m.tbl.SetItems(msg.rows)
			m.fresh = false
		} else {
			m.tbl.Append(msg.rows)
		}
		m.more = true
		if m.tbl.Len() < 2*m.tbl.height || m.tbl.NearEnd() {
			return m.st.next(m.id, m.req)
		}
		m.loading = false
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
		return m.openRoles(msg)
	case roleSetMsg:
		return m.setRole(msg)
	case writeMsg[client.User]:
		m.writes.done(&m.tbl, m.c, msg)
		return nil
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
		return m.maybeMore()
	}
	switch {
	case km.Filter.Matches(k):
		m.startFilter()
	case km.Open.Matches(k):
		u, ok := m.tbl.Selected()
		if !ok {
			return nil
		}
		p := m.c.Provider()
		id := u.ID
		return m.push(newDetail(m.c, "user "+san(nameOr(u.Username, u.ID)), nil, userFields(u), m.Copy(),
			func(ctx context.Context) ([]field, error) {
				fresh, err := p.User(ctx, id)
				if err != nil {
					return nil, fmt.Errorf("getting user %s: %w", id, err)
				}
				return userFields(fresh), nil
			}))
	case km.Edit.Matches(k):
		u, ok := m.tbl.Selected()
		if !ok {
			return nil
		}
		return loadRoles(&m.base, u.ID)
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
	u, ok := m.tbl.Get(msg.key)
	if !ok {
		return nil
	}
	cur := ""
	if u.Role != nil {
		cur = u.Role.ID
	}
	return m.push(rolePicker(m.c, m.id, "Role of "+san(u.Name())+" in the space", msg.key, cur, msg.roles))
}

func (m *usersScreen) setRole(msg roleSetMsg) tea.Cmd {
	old, ok := m.tbl.Get(msg.key)
	if !ok {
		return nil
	}
	next := old
	r := msg.role
	next.Role = &r
	who := san(old.Name())
	p := m.c.Provider()
	user, role := old.ID, msg.role.ID
	return m.writes.start(&m.base, &m.tbl, old, next,
		fmt.Sprintf("making %s %s…", who, san(r.Name)),
		func(ctx context.Context) (client.User, string, error) {
			u, err := p.SetUserRole(ctx, user, role)
			if err != nil {
				return u, "", fmt.Errorf("making %s %s: %w", who, r.Name, err)
			}
			return u, fmt.Sprintf("%s is now %s", who, nameOr(roleName(u.Role), r.Name)), nil
		})
}

func roleName(r *client.Role) string {
	if r == nil {
		return ""
	}
	return r.Name
}

func nameOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (m *usersScreen) View() string {
	return m.view(m.c, m.w, m.moreNote())
}

func (m *usersScreen) moreNote() string {
	var parts []string
	if m.query != "" {
		parts = append(parts, fmt.Sprintf("search %q", san(m.query)))
	}
	if m.more {
		parts = append(parts, "more below")
	}
	return strings.Join(parts, " · ")
}

func (m *usersScreen) ShortHelp() []Hint {
	km := m.c.Keys
	return []Hint{
		hint(km.Filter, "search", ""), hint(km.Open, "details", ""),
		hint(km.Edit, "", m.c.notOn(client.CapUserRole)), hint(km.Copy, "copy", ""),
	}
}

func (m *usersScreen) FullHelp() [][]Hint {
	km := m.c.Keys
	return [][]Hint{
		km.moveHints(),
		{
			hint(km.Filter, "search on the server", ""), hint(km.Open, "show every field", ""),
			hint(km.Edit, "change role in the space", m.c.notOn(client.CapUserRole)),
			hint(km.Copy, "copy e-mail (or id)", ""), hint(km.Reload, "", ""), hint(km.Back, "clear search", ""),
		},
	}
}

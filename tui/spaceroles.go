package tui

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// spaceRolesScreen lists the roles of a space whose users hold one role
// each (CapUserRole), with how many users hold each.
type spaceRolesScreen struct {
	base
	lister[roleRow]
	loader
	uncounted string // why USERS says "unavailable"; "" when counted
}

// note is the info line's tail.
func (m *spaceRolesScreen) note() string {
	if m.uncounted != "" {
		return "of the space · " + m.uncounted
	}
	return "of the space"
}

// roleRow is a role and the number of users holding it (when they could
// be counted).
type roleRow struct {
	client.Role
	Users   int
	Counted bool
}

type spaceRolesMsg struct {
	to
	req   int
	rows  []roleRow
	other int // users whose role is not in the list ("unknown")
	// uncounted says why the users could not be counted (the roles
	// were read): a token that may read roles but not list users.
	uncounted error
	err       error
}

func roleColumns() []Column {
	return []Column{
		{Title: "ROLE", Min: 10, Max: 28},
		{Title: "USERS", Min: 5, Max: 11},
		{Title: "KIND", Min: 10, Max: 11, Drop: 1},
		{Title: "ACCESS", Min: 10, Max: 12, Drop: 2},
		{Title: "ID", Min: 4, Max: 10, Drop: 3},
	}
}

func roleCells(r roleRow) []string {
	return []string{san(r.Name), r.count(), san(r.Kind), access(r.Role), san(r.ID)}
}

// count is the number of users, or "unavailable".
func (r roleRow) count() string {
	if !r.Counted {
		return "unavailable"
	}
	return strconv.Itoa(r.Users)
}

// access says where a role may sign in.
func access(r client.Role) string {
	switch {
	case r.Web && r.Mobile:
		return "web, mobile"
	case r.Web:
		return "web"
	case r.Mobile:
		return "mobile"
	}
	return ""
}

func newSpaceRoles(c *Common) *spaceRolesScreen {
	m := &spaceRolesScreen{base: newBase(c)}
	m.lister = newLister("roles", "no roles", roleColumns(), func(r roleRow) string { return r.ID }, roleCells, nil)
	return m
}

func (m *spaceRolesScreen) Title() string   { return "Roles" }
func (m *spaceRolesScreen) Init() tea.Cmd   { return m.Reload() }
func (m *spaceRolesScreen) Capturing() bool { return m.filtering }
func (m *spaceRolesScreen) SetSize(w, h int) {
	m.base.SetSize(w, h)
	m.setSize(h)
}

// Shown counts again when the tab comes back: roles may have been
// changed on the Users screen meanwhile.
func (m *spaceRolesScreen) Shown() tea.Cmd { return m.Reload() }

func (m *spaceRolesScreen) Busy() string {
	if m.loading {
		return m.doing
	}
	return ""
}

func (m *spaceRolesScreen) Back() (bool, tea.Cmd) {
	return m.back()
}

func (m *spaceRolesScreen) Copy() string {
	r, ok := m.tbl.Selected()
	if !ok {
		return ""
	}
	return r.ID
}

// Reload reads the roles, then every user, counting them by role: the
// API has no count per role.
func (m *spaceRolesScreen) Reload() tea.Cmd {
	p := m.c.Provider()
	return m.load(&m.loader, "reading the roles and counting the users of each…", func(ctx context.Context, t to, req int) tea.Msg {
		roles, err := p.Roles(ctx)
		if err != nil {
			return spaceRolesMsg{to: t, req: req, err: doing("listing roles", err)}
		}
		count := map[string]int{}
		other := 0
		known := map[string]bool{}
		for _, r := range roles {
			known[r.ID] = true
		}
		err = p.Users(ctx, client.UserQuery{}, func(page []client.User) error {
			for _, u := range page {
				if u.Role != nil && known[u.Role.ID] {
					count[u.Role.ID]++
				} else {
					other++
				}
			}
			return nil
		})
		rows := make([]roleRow, len(roles))
		for i, r := range roles {
			rows[i] = roleRow{Role: r, Users: count[r.ID], Counted: err == nil}
		}
		if err != nil {
			// The roles are known: show them, and the counts as unknown.
			return spaceRolesMsg{to: t, req: req, rows: rows, uncounted: fmt.Errorf("counting the users of each role: %w", err)}
		}
		return spaceRolesMsg{to: t, req: req, rows: rows, other: other}
	})
}

func (m *spaceRolesScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case spaceRolesMsg:
		if !m.answered(msg.req) {
			return nil
		}
		if !m.c.settle(&m.loader, msg.err) {
			return nil
		}
		m.uncounted = ""
		if msg.uncounted != nil {
			m.uncounted = "user counts unavailable"
			if errors.Is(msg.uncounted, client.ErrForbidden) {
				m.uncounted += ": this token may not list users"
			} else {
				m.c.Fail(msg.uncounted)
			}
		}
		m.tbl.SetItems(msg.rows)
		if msg.other > 0 {
			m.c.Toast("%s with a role the space does not list", plural(msg.other, "user"))
		}
	case tea.MouseMsg:
		m.move(m.c.Keys, msg)
	case tea.KeyMsg:
		km := m.c.Keys
		if m.listKey(km, msg) || m.sortKey(m.c, msg) {
			return nil
		}
		switch {
		case km.Open.Matches(msg):
			r, ok := m.tbl.Selected()
			if !ok {
				return nil
			}
			return m.push(newDetail(m.c, "role "+san(r.Name), nil, roleFields(r), r.ID, nil).also(&holdersPart{role: r.Role}))
		}
	}
	return nil
}

func roleFields(r roleRow) []field {
	return nonEmptyFields([]field{
		{"id", r.ID}, {"name", r.Name}, {"kind", r.Kind}, {"users", r.count()},
		{"order", strconv.Itoa(r.Order)}, {"color", r.Color}, {"access", access(r.Role)},
		{"description", r.Description},
	})
}

func (m *spaceRolesScreen) View() string { return m.view(m.c, m.w, m.note(), &m.loader) }

func (m *spaceRolesScreen) ShortHelp() []Hint {
	km := m.c.Keys
	return []Hint{hint(km.Filter, "filter", ""), hint(km.Open, "details", ""), hint(km.Reload, "count again", "")}
}

func (m *spaceRolesScreen) FullHelp() [][]Hint {
	km := m.c.Keys
	return [][]Hint{km.moveHints(), {
		hint(km.Filter, "filter by any column (! inverts)", ""),
		hint(km.Open, "show every field", ""),
		m.sortHint(km),
		hint(km.Copy, "copy the role id", ""),
		hint(km.Reload, "read roles and count users again", ""),
		hint(km.Back, "", ""),
	}}
}

// roleOfKind is the id of the first role of a kind ("user": the default
// of new invitations), "" when none.
func roleOfKind(roles []client.Role, kind string) string {
	for _, r := range roles {
		if r.Kind == kind {
			return r.ID
		}
	}
	return ""
}

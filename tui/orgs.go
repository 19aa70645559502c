package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// orgsScreen lists the signed-in person's organizations.
type orgsScreen struct {
	base
	lister[client.Organization]
	loader
}

type orgsMsg struct {
	to
	req  int
	orgs []client.Organization
	err  error
}

func orgColumns() []Column {
	return []Column{
		{Title: "ORGANIZATION", Min: 12, Max: 28},
		{Title: "YOUR ROLE", Min: 9, Max: 10},
		{Title: "OWNER", Min: 8, Max: 18, Drop: 2},
		{Title: "TEAMS", Min: 5, Max: 5, Drop: 3},
		{Title: "E-MAIL", Min: 10, Max: 0, Drop: 4},
	}
}

func orgCells(o client.Organization) []string {
	return []string{san(o.Name), yourRole(o), san(o.Owner), strconv.Itoa(len(o.Teams)), san(o.Email)}
}

// yourRole is the signed-in person's role as a person reads it: the owner
// is the owner (the API calls the owner's role admin, by origin owner).
func yourRole(o client.Organization) string {
	switch o.MembershipRoleOrigin {
	case "organization_owner", "owner":
		return "owner"
	}
	return san(o.MembershipRole)
}

func newOrgs(c *Common) *orgsScreen {
	m := &orgsScreen{base: newBase(c)}
	m.lister = newLister("organizations", "you belong to no organization", orgColumns(),
		func(o client.Organization) string { return o.Name }, orgCells, nil)
	return m
}

func (m *orgsScreen) Title() string   { return "Organizations" }
func (m *orgsScreen) Init() tea.Cmd   { return m.Reload() }
func (m *orgsScreen) Capturing() bool { return m.filtering }
func (m *orgsScreen) SetSize(w, h int) {
	m.base.SetSize(w, h)
	m.setSize(h)
}
func (m *orgsScreen) Busy() string {
	if m.loading {
		return m.doing
	}
	return ""
}
func (m *orgsScreen) Back() (bool, tea.Cmd) {
	return m.back()
}
func (m *orgsScreen) Copy() string {
	o, ok := m.tbl.Selected()
	if !ok {
		return ""
	}
	return o.Name
}

func (m *orgsScreen) Reload() tea.Cmd {
	p := m.c.Provider()
	return m.load(&m.loader, "loading your organizations…", func(ctx context.Context, t to, req int) tea.Msg {
		orgs, err := p.Organizations(ctx)
		return orgsMsg{t, req, orgs, err}
	})
}

func (m *orgsScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case orgsMsg:
		if !m.answered(msg.req) {
			return nil
		}
		if !m.c.settle(&m.loader, msg.err) {
			return nil
		}
		m.tbl.SetItems(msg.orgs)
	case tea.MouseMsg:
		m.move(m.c.Keys, msg)
	case tea.KeyMsg:
		km := m.c.Keys
		if m.listKey(km, msg) || m.sortKey(m.c, msg) {
			return nil
		}
		switch {
		case km.Open.Matches(msg):
			o, ok := m.tbl.Selected()
			if ok {
				return m.push(newOrgHub(m.c, o))
			}
		}
	}
	return nil
}

func (m *orgsScreen) View() string { return m.view(m.c, m.w, "", &m.loader) }

func (m *orgsScreen) ShortHelp() []Hint {
	km := m.c.Keys
	return []Hint{hint(km.Filter, "filter", ""), hint(km.Open, "open", ""), hint(km.Reload, "", "")}
}

func (m *orgsScreen) FullHelp() [][]Hint {
	km := m.c.Keys
	return [][]Hint{km.moveHints(), {
		hint(km.Filter, "filter by any column (! inverts)", ""),
		hint(km.Open, "members and teams", ""), m.sortHint(km), hint(km.Copy, "copy the name", ""),
		hint(km.Reload, "", ""), hint(km.Back, "clear filter", ""),
	}}
}

// orgHub is one organization: its fields, and the way to its members and
// its teams.
type orgHub struct {
	base
	org    client.Organization
	cursor int
	loader // a read of the organization again (after writes elsewhere)
}

// hubMsg is the organization read again.
type hubMsg struct {
	to
	req int
	org client.Organization
	err error
}

// Reload reads the organization again (its team count, your role): the
// organizations list has no route for one, so the list is read.
func (h *orgHub) Reload() tea.Cmd {
	p, name := h.c.Provider(), h.org.Name
	return h.load(&h.loader, "reading organization "+san(name)+"…", func(ctx context.Context, t to, req int) tea.Msg {
		orgs, err := p.Organizations(ctx)
		if err != nil {
			return hubMsg{t, req, client.Organization{}, err}
		}
		for _, o := range orgs {
			if o.Name == name {
				return hubMsg{t, req, o, nil}
			}
		}
		return hubMsg{t, req, client.Organization{}, fmt.Errorf("organization %s: %w", name, client.ErrNotFound)}
	})
}

func (h *orgHub) Busy() string {
	if h.loading {
		return h.doing
	}
	return ""
}

var hubEntries = []string{"Members", "Teams", "Projects"}

func newOrgHub(c *Common, o client.Organization) *orgHub {
	return &orgHub{base: newBase(c), org: o}
}

func (h *orgHub) Title() string { return san(h.org.Name) }
func (h *orgHub) Copy() string  { return h.org.Name }

func (h *orgHub) Update(msg tea.Msg) tea.Cmd {
	if m, ok := msg.(hubMsg); ok {
		if h.answered(m.req) && h.c.settle(&h.loader, m.err) {
			h.org = m.org
		}
		return nil
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	km := h.c.Keys
	switch {
	case km.Up.Matches(k):
		h.cursor = max(0, h.cursor-1)
	case km.Top.Matches(k):
		h.cursor = 0
	case km.Down.Matches(k):
		h.cursor = min(len(hubEntries)-1, h.cursor+1)
	case km.Bottom.Matches(k):
		h.cursor = len(hubEntries) - 1
	case km.Open.Matches(k):
		switch h.cursor {
		case 0:
			return h.push(newMembers(h.c, h.org.Name, h.org.MembershipRole))
		case 1:
			return h.push(newTeams(h.c, h.org.Name, h.org.MembershipRole))
		}
		if h.entryReason() == "" {
			return h.push(newProjects(h.c, h.org.Name))
		}
	}
	return nil
}

func (h *orgHub) View() string {
	st := h.c.Styles
	o := h.org
	fs := []field{{"organization", o.Name}, {"owner", o.Owner}, {"e-mail", o.Email},
		{"your role", strings.TrimSpace(o.MembershipRole + " " + paren(o.MembershipRoleOrigin))},
		{"you are public", yesNo(o.MembershipIsPublic)},
		{"public members", fmt.Sprint(len(o.PublicMembers))}, {"teams", fmt.Sprint(len(o.Teams))}}
	var lines []string
	for _, f := range fs {
		if f.V == "" {
			continue
		}
		lines = append(lines, st.Label.Render(fit(f.K, 16))+clip(san(f.V), h.w-16))
	}
	lines = append(lines, "")
	for i, e := range hubEntries {
		mark := "  "
		if i == h.cursor {
			mark = "› "
		}
		line := fit(mark+e, min(h.w, 24))
		switch {
		case e == "Projects" && h.c.notOn(client.CapProjects) != "":
			// Offered everywhere, so the reason is where one looks for it.
			line = st.Dim.Render(clip(line+"  "+h.c.notOn(client.CapProjects), h.w))
		case i == h.cursor:
			line = st.Selected.Render(line)
		}
		lines = append(lines, line)
	}
	return padLines(strings.Join(lines, "\n"), h.h)
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + strings.ReplaceAll(s, "_", " ") + ")"
}

// entryReason is why enter cannot open the entry under the cursor.
func (h *orgHub) entryReason() string {
	if hubEntries[h.cursor] == "Projects" {
		return h.c.notOn(client.CapProjects)
	}
	return ""
}

func (h *orgHub) ShortHelp() []Hint {
	km := h.c.Keys
	return []Hint{hint(km.Up, "", ""), hint(km.Down, "", ""), hint(km.Open, "open", h.entryReason()), hint(km.Back, "", "")}
}

func (h *orgHub) FullHelp() [][]Hint {
	km := h.c.Keys
	return [][]Hint{{hint(km.Up, "", ""), hint(km.Down, "", ""), hint(km.Open, "open members, teams or projects", h.entryReason()),
		hint(km.Copy, "copy the name", ""), hint(km.Back, "", "")}}
}

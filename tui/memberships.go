package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// bothParts shows two detail sections, one after the other.
type bothParts struct{ a, b detailPart }

func (p bothParts) reload(b *base) tea.Cmd { return tea.Batch(p.a.reload(b), p.b.reload(b)) }
func (p bothParts) update(c *Common, msg tea.Msg) bool {
	return p.a.update(c, msg) || p.b.update(c, msg)
}
func (p bothParts) lines(c *Common, w int) []string {
	return append(append(p.a.lines(c, w), ""), p.b.lines(c, w)...)
}
func (p bothParts) busy() string { return cmpOr(p.a.busy(), p.b.busy()) }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// also adds a section under the ones a detail already has.
func (d *detailScreen) also(p detailPart) *detailScreen {
	if d.part == nil {
		d.part = p
	} else {
		d.part = bothParts{d.part, p}
	}
	return d
}

// membershipsPart lists a person's organizations (with their role) and
// teams: what an admin opens a person's details to see.
type membershipsPart struct {
	user string
	loader
	orgs, teams, notes []string
	got                bool
}

type membershipsMsg struct {
	to
	req                int
	orgs, teams, notes []string
	err                error
}

// withMemberships adds the person's organizations and teams to d.
func withMemberships(c *Common, d *detailScreen, user string) *detailScreen {
	if user == "" {
		return d
	}
	return d.also(&membershipsPart{user: user})
}

func (a *membershipsPart) reload(b *base) tea.Cmd {
	p, user := b.c.Provider(), a.user
	return b.load(&a.loader, "reading the teams of "+san(user)+"…", func(ctx context.Context, t to, req int) tea.Msg {
		orgs, teams, notes, err := memberships(ctx, p, user)
		return membershipsMsg{t, req, orgs, teams, notes, err}
	})
}

// memberships reads where user belongs: on a provider with organizations,
// each organization the signed-in account sees (one read of the
// membership, one of the teams); elsewhere the space's teams. A part that
// cannot be read is named, never left out silently.
func memberships(ctx context.Context, p client.Provider, user string) (orgs, teams, notes []string, err error) {
	inTeam := func(t client.Team) bool {
		for _, x := range t.Members {
			if x.User == user || x.Email != "" && strings.EqualFold(x.Email, user) {
				return true
			}
		}
		return false
	}
	if !p.Can(client.CapOrganizations) {
		ts, err := p.Teams(ctx, "")
		if err != nil {
			return nil, nil, nil, fmt.Errorf("listing teams: %w", err)
		}
		for _, t := range ts {
			if inTeam(t) {
				teams = append(teams, t.Name)
			}
		}
		return nil, teams, nil, nil
	}
	all, err := p.Organizations(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("listing organizations: %w", err)
	}
	for _, o := range all {
		m, err := p.Member(ctx, o.Name, user)
		if errors.Is(err, client.ErrUnsupported) {
			m, err = memberFromList(ctx, p, o.Name, user)
		}
		switch {
		case errors.Is(err, client.ErrNotFound):
			if o.Owner == user {
				orgs = append(orgs, o.Name+" (owner)")
			}
			continue
		case err != nil:
			notes = append(notes, o.Name+": "+rootCause(err))
			continue
		}
		role := m.Role
		if o.Owner == user {
			role = "owner"
		}
		orgs = append(orgs, o.Name+" ("+role+")")
		ts, err := p.Teams(ctx, o.Name)
		if err != nil {
			notes = append(notes, "teams of "+o.Name+": "+rootCause(err))
			continue
		}
		for _, t := range ts {
			if inTeam(t) {
				teams = append(teams, o.Name+"/"+t.Name)
			}
		}
	}
	return orgs, teams, notes, nil
}

// memberFromList finds user among org's members where the provider has
// no read of one membership.
func memberFromList(ctx context.Context, p client.Provider, org, user string) (client.Member, error) {
	all, err := client.CollectMembers(ctx, p, org)
	if err != nil {
		return client.Member{}, err
	}
	for _, m := range all {
		if m.User == user {
			return m, nil
		}
	}
	return client.Member{}, client.ErrNotFound
}

func (a *membershipsPart) update(c *Common, msg tea.Msg) bool {
	m, ok := msg.(membershipsMsg)
	if !ok {
		return false
	}
	if a.answered(m.req) && c.settle(&a.loader, m.err) {
		a.orgs, a.teams, a.notes, a.got = m.orgs, m.teams, m.notes, true
	}
	return true
}

func (a *membershipsPart) busy() string {
	if a.loading {
		return a.doing
	}
	return ""
}

func (a *membershipsPart) lines(c *Common, w int) []string {
	st := c.Styles
	room := max(10, w-16)
	row := func(k, v string) []string {
		var out []string
		for i, l := range strings.Split(wrapText(san(v), room), "\n") {
			head := strings.Repeat(" ", 16)
			if i == 0 {
				head = st.Label.Render(fit(k, 14)) + "  "
			}
			out = append(out, head+l)
		}
		return out
	}
	if !a.got {
		if a.failed != "" {
			return row("teams", "could not be read: "+a.failed+" (ctrl+r retries)")
		}
		return row("teams", strings.TrimSpace(c.spin+" "+a.doing))
	}
	var out []string
	if c.Provider().Can(client.CapOrganizations) {
		out = append(out, row("organizations", listOrNone(a.orgs, "none you can see"))...)
	}
	out = append(out, row("teams", listOrNone(a.teams, "none"))...)
	for _, n := range a.notes {
		out = append(out, row("not read", n)...)
	}
	return out
}

func listOrNone(v []string, none string) string {
	if len(v) == 0 {
		return none
	}
	return strings.Join(v, ", ")
}

// holdersPart lists who holds a role (Qomon: users carry one role).
type holdersPart struct {
	role client.Role
	loader
	names []string
	got   bool
}

type holdersMsg struct {
	to
	req   int
	names []string
	err   error
}

func (a *holdersPart) reload(b *base) tea.Cmd {
	p, id := b.c.Provider(), a.role.ID
	return b.load(&a.loader, "reading who holds "+san(a.role.Name)+"…", func(ctx context.Context, t to, req int) tea.Msg {
		var names []string
		err := p.Users(ctx, client.UserQuery{}, func(page []client.User) error {
			for _, u := range page {
				if u.Role != nil && u.Role.ID == id {
					names = append(names, u.Name())
				}
			}
			return nil
		})
		if err != nil {
			err = fmt.Errorf("listing the holders of %s: %w", a.role.Name, err)
		}
		return holdersMsg{t, req, names, err}
	})
}

func (a *holdersPart) update(c *Common, msg tea.Msg) bool {
	m, ok := msg.(holdersMsg)
	if !ok {
		return false
	}
	if a.answered(m.req) && c.settle(&a.loader, m.err) {
		a.names, a.got = m.names, true
	}
	return true
}

func (a *holdersPart) busy() string {
	if a.loading {
		return a.doing
	}
	return ""
}

func (a *holdersPart) lines(c *Common, w int) []string {
	st := c.Styles
	room := max(10, w-16)
	text := strings.TrimSpace(c.spin + " " + a.doing)
	switch {
	case a.got:
		text = fmt.Sprintf("%s: %s", plural(len(a.names), "person"), listOrNone(a.names, "nobody"))
	case a.failed != "":
		text = "could not be read: " + a.failed + " (ctrl+r retries)"
	}
	var out []string
	for i, l := range strings.Split(wrapText(san(text), room), "\n") {
		head := strings.Repeat(" ", 16)
		if i == 0 {
			head = st.Label.Render(fit("held by", 14)) + "  "
		}
		out = append(out, head+l)
	}
	return out
}

package tui

import (
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/roster-cli/roster/client"
	reach "github.com/roster-cli/roster/internal/access"
)

// accessPart is the "projects" section of a person's details: every
// project they can open in the organizations the signed-in account
// administers, with the role and where it comes from (internal/access,
// the same answer as `roster access`).
type accessPart struct {
	user string
	loader
	rep *reach.Report
}

type accessMsg struct {
	to
	req int
	rep *reach.Report
	err error
}

// withAccess adds a person's projects to their details where the provider
// has projects.
func withAccess(c *Common, d *detailScreen, user string) *detailScreen {
	if user == "" || !c.Provider().Can(client.CapProjects) {
		return d
	}
	return d.with(&accessPart{user: user})
}

func (a *accessPart) reload(b *base) tea.Cmd {
	p, user := b.c.Provider(), a.user
	return b.load(&a.loader, "reading what "+san(user)+" can reach…", func(ctx context.Context, t to, req int) tea.Msg {
		r, err := reach.Gather(ctx, p, user, reach.Options{})
		if err != nil {
			err = fmt.Errorf("finding what %s can reach: %w", user, err)
		}
		return accessMsg{t, req, r, err}
	})
}

func (a *accessPart) update(c *Common, msg tea.Msg) bool {
	m, ok := msg.(accessMsg)
	if !ok {
		return false
	}
	if a.answered(m.req) && c.settle(&a.loader, m.err) {
		a.rep = m.rep
	}
	return true
}

func (a *accessPart) busy() string {
	if a.loading {
		return a.doing
	}
	return ""
}

// accessScope says where the answer looked.
func accessScope(r *reach.Report) string {
	if len(r.Orgs) == 0 {
		return "projects you own or manage"
	}
	return "in " + strings.Join(r.Orgs, ", ") + " and projects you own or manage"
}

// accessVia names where a role comes from, and what else reaches the
// person that the winning origin hides.
func accessVia(p reach.ProjectAccess) string {
	via := originWords(p.Origin, p.Owner, p.Team)
	if p.Origin == client.OriginCollaborator {
		via = "direct row"
	}
	var also []string
	if p.Row != "" && p.Origin != client.OriginCollaborator {
		also = append(also, "own row "+p.Row)
	}
	for _, t := range p.TeamRows {
		if p.Origin != client.OriginTeamMember || t.Team != p.Team {
			also = append(also, "team "+t.Team+" "+t.Role)
		}
	}
	if p.Note != "" {
		also = append(also, p.Note)
	}
	if len(also) > 0 {
		via += " (also " + strings.Join(also, "; ") + ")"
	}
	return via
}

func (a *accessPart) lines(c *Common, w int) []string {
	st := c.Styles
	head := st.Label.Render(fit("projects", 14)) + "  "
	room := max(10, w-16)
	if a.rep == nil {
		switch {
		case a.failed != "":
			return []string{head + st.Error.Render(clip("could not be read: "+a.failed, room)),
				strings.Repeat(" ", 16) + st.Dim.Render(clip("ctrl+r retries · ! shows the messages", room))}
		default:
			return []string{head + clip(strings.TrimSpace(c.spin+" "+a.doing), room)}
		}
	}
	r := a.rep
	n := len(r.Projects)
	out := []string{head + clip(san(fmt.Sprintf("%s can open %s, %s", a.user, plural(n, "project"), accessScope(r))), room)}
	if a.failed != "" {
		out = append(out, st.Error.Render(clip("STALE: as of "+a.at.Format("15:04:05")+" · ctrl+r retries · reload failed: "+a.failed, w)))
	}
	nw := 0
	for _, p := range r.Projects {
		nw = max(nw, lipgloss.Width(san(p.FullName())))
	}
	nw = min(nw, max(12, w/3))
	for _, p := range r.Projects {
		role := p.Role
		if role == "" {
			role = "none"
		}
		line := "  " + fit(clip(san(p.FullName()), nw), nw) + "  " + fit(san(role), 8) + "  " + san(accessVia(p))
		out = append(out, clip(line, w))
	}
	if k := len(r.Unchecked); k > 0 {
		out = append(out, st.Dim.Render(clip(fmt.Sprintf("  not checked: %s (only their admins and managers may read the rows): %s",
			plural(k, "project"), san(uncheckedNames(r.Unchecked))), w)))
	}
	return out
}

func uncheckedNames(us []reach.Unchecked) string {
	names := make([]string, len(us))
	for i, u := range us {
		names[i] = u.Project
	}
	return strings.Join(names, ", ")
}

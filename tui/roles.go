package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// loadRoles fetches the roles for a role picker for the row key.
func loadRoles(b *base, key string) tea.Cmd {
	ctx, cancel := b.reqCtx()
	p, id := b.c.Provider(), b.id
	return func() tea.Msg {
		defer cancel()
		roles, err := p.Roles(ctx)
		if err != nil {
			err = doing("listing roles", err)
		}
		return rolesMsg{to{id}, key, roles, err}
	}
}

// rolePicker offers roles, the current one selected; the choice goes to
// owner as a roleSetMsg for the row key.
func rolePicker(c *Common, owner int, title, key, current string, roles []client.Role) *pickerDialog {
	opts := make([]option, len(roles))
	byID := make(map[string]client.Role, len(roles))
	for i, r := range roles {
		opts[i] = option{Label: san(r.Name), Value: r.ID, Desc: san(r.Description)}
		byID[r.ID] = r
		if r.Name == current {
			current = r.ID
		}
	}
	p := newPicker(c, title, opts, current, func(o option) tea.Msg {
		return roleSetMsg{to: to{owner}, key: key, role: byID[o.Value]}
	})
	if _, held := byID[current]; held {
		p.markCurrent()
	}
	return p
}

// roleOptions are roles as picker options, descriptions aligned.
func roleOptions(roles []client.Role) []option {
	opts := make([]option, len(roles))
	for i, r := range roles {
		opts[i] = option{Label: san(r.Name), Value: r.ID, Desc: san(r.Description)}
	}
	return opts
}

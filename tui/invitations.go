package tui

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// invitationsScreen lists a space's invitations (CapInvitations), sends
// new ones with a role and cancels pending ones.
type invitationsScreen struct {
	base
	lister[client.Invitation]
	loader
	writes writes[client.Invitation]
	bulk   *bulkRun // the bulk withdrawal running, if any
}

type invitationsMsg struct {
	to
	req  int
	invs []client.Invitation
	err  error
}

// inviteMsg is an e-mail typed in the send dialog.
type inviteMsg struct {
	to
	email string
}

type cancelInviteMsg struct {
	to
	key string
}

func invitationColumns() []Column {
	return []Column{
		{Title: "E-MAIL", Min: 18, Max: 36},
		{Title: "ROLE", Min: 8, Max: 20},
		{Title: "STATE", Min: 7, Max: 8, Drop: 1},
		{Title: "LAST SENT", Min: 16, Max: 20, Drop: 2},
		{Title: "ID", Min: 4, Max: 10, Drop: 3},
	}
}

// invitationState: pending until the invitee has an account here.
func invitationState(inv client.Invitation) string {
	if inv.UserID != "" && inv.UserID != "0" {
		return "joined"
	}
	return "pending"
}

func invitationCells(inv client.Invitation) []string {
	return []string{san(inv.Email), san(cmp.Or(inv.RoleName, inv.RoleID)), invitationState(inv), stamp(inv.LastSent), san(inv.ID)}
}

func newInvitations(c *Common) *invitationsScreen {
	m := &invitationsScreen{base: newBase(c)}
	m.lister = newLister("invitations", "no invitations", invitationColumns(),
		func(inv client.Invitation) string { return inv.ID }, invitationCells, nil)
	m.writes = newWrites[client.Invitation]()
	return m
}

func (m *invitationsScreen) Title() string   { return "Invitations" }
func (m *invitationsScreen) Init() tea.Cmd   { return m.Reload() }
func (m *invitationsScreen) Capturing() bool { return m.filtering }
func (m *invitationsScreen) SetSize(w, h int) {
	m.base.SetSize(w, h)
	m.setSize(h)
}

func (m *invitationsScreen) Busy() string {
	if b := writeBusy(m.writes.busy(), m.bulk); b != "" {
		return b
	}
	if m.loading {
		return m.doing
	}
	return ""
}

func (m *invitationsScreen) Back() (bool, tea.Cmd) {
	return m.back()
}

func (m *invitationsScreen) Copy() string {
	inv, ok := m.tbl.Selected()
	if !ok {
		return ""
	}
	return inv.Email
}

func (m *invitationsScreen) Reload() tea.Cmd {
	p := m.c.Provider()
	return m.load(&m.loader, "loading invitations…", func(ctx context.Context, t to, req int) tea.Msg {
		invs, err := p.Invitations(ctx)
		if err != nil {
			err = doing("listing invitations", err)
		}
		return invitationsMsg{t, req, invs, err}
	})
}

func (m *invitationsScreen) reason() string { return m.c.writeReason(client.CapInvitations) }

func (m *invitationsScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case invitationsMsg:
		if !m.answered(msg.req) {
			return nil
		}
		if !m.c.settle(&m.loader, msg.err) {
			return nil
		}
		m.tbl.SetItems(msg.invs)
	case inviteMsg:
		return loadRoles(&m.base, msg.email)
	case rolesMsg:
		if msg.err != nil {
			m.c.Fail(doing("inviting "+msg.key, msg.err))
			return nil
		}
		p := rolePicker(m.c, m.id, "Role of "+san(msg.key)+" in the space", msg.key, roleOfKind(msg.roles, "user"), msg.roles)
		p.current = -1 // a new invitation's default, not a role held
		return m.push(p)
	case roleSetMsg:
		return m.send(msg.key, msg.role)
	case cancelInviteMsg:
		return m.cancelInvite(msg.key)
	case bulkConfirmedMsg:
		return startBulk(&m.bulk, msg.run, &m.tbl, m.c)
	case writeMsg[client.Invitation]:
		m.writes.done(&m.tbl, m.c, msg)
		if m.bulk.answered(msg.key, msg.err) {
			if cmd := bulkNextOf(&m.bulk, &m.tbl, m.c); cmd != nil {
				return cmd
			}
			return m.Reload() // the run ended: show what the invitations became
		}
		if msg.err == nil && !m.writes.busyAny() {
			// The server decides what an invitation became (a known
			// account joins at once): show its list.
			return m.Reload()
		}
	case tea.MouseMsg:
		m.move(m.c.Keys, msg)
	case tea.KeyMsg:
		return m.key(msg)
	}
	return nil
}

func (m *invitationsScreen) key(k tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	if m.listKey(km, k) || m.sortKey(m.c, k) {
		return nil
	}
	if m.markKey(km, k) {
		return nil
	}
	inv, sel := m.tbl.Selected()
	switch {
	case km.Delete.Matches(k) && m.tbl.MarkCount() > 0:
		return m.push(m.bulkWithdrawConfirm())
	case km.Open.Matches(k) && sel:
		return m.push(newDetail(m.c, "invitation "+san(inv.Email), nil, invitationFields(inv), inv.Email, nil))
	case km.Add.Matches(k):
		return m.push(newInput(m.c, "Invite someone to the space", "E-mail", "", nil, func(v string) tea.Msg {
			return inviteMsg{to{m.id}, v}
		}).validating(emailProblem))
	case km.Delete.Matches(k) && sel:
		if m.writes.pending(inv.ID) {
			m.c.Toast("the invitation of %s is still being saved", san(inv.Email))
			return nil
		}
		text := fmt.Sprintf("Withdraw the invitation of %s? Its link stops working; someone who already joined stays in the space.", san(inv.Email))
		return m.push(newConfirm(m.c, "Withdraw invitation", text, "Withdraw invitation", cancelInviteMsg{to{m.id}, inv.ID}).keeping("Keep"))
	}
	return nil
}

// bulkWithdrawConfirm lists every marked invitation, then withdraws them
// one by one.
func (m *invitationsScreen) bulkWithdrawConfirm() *confirmDialog {
	rows := m.tbl.Marked()
	n := plural(len(rows), "invitation")
	run := &bulkRun{label: "withdraw " + n, names: map[string]string{}}
	var lines []string
	for _, inv := range rows {
		run.keys = append(run.keys, inv.ID)
		run.names[inv.ID] = san(inv.Email)
		lines = append(lines, san(inv.Email)+", "+san(cmp.Or(inv.RoleName, inv.RoleID))+", "+invitationState(inv))
	}
	run.step = func(key string) tea.Cmd { return m.cancelInvite(key) }
	text := fmt.Sprintf("Withdraw these %s? Their links stop working; someone who already joined stays in the space.\n\n%s", n, bulkList(lines, 8))
	return newConfirm(m.c, "Withdraw "+n, text, "Withdraw "+n, bulkConfirmedMsg{to{m.id}, run}).keeping("Keep")
}

func invitationFields(inv client.Invitation) []field {
	return nonEmptyFields([]field{
		{"id", inv.ID}, {"e-mail", inv.Email}, {"phone", inv.Phone}, {"role", inv.RoleName}, {"role id", inv.RoleID},
		{"state", invitationState(inv)}, {"user id", inv.UserID},
		{"created", stamp(inv.CreatedAt)}, {"last sent", stamp(inv.LastSent)},
	})
}

func (m *invitationsScreen) send(email string, role client.Role) tea.Cmd {
	email = strings.TrimSpace(email)
	for _, inv := range m.tbl.Items() {
		if strings.EqualFold(inv.Email, email) && invitationState(inv) == "pending" {
			m.c.Fail(fmt.Errorf("inviting %s: an invitation is already pending (withdraw it first to send a new one)", email))
			return nil
		}
	}
	p := m.c.Provider()
	next := client.Invitation{ID: "new " + email, Email: email, RoleID: role.ID, RoleName: role.Name}
	m.writes.inverse(nil, "an invitation may already be in the invitee's mail; withdraw it with d on the Invitations screen")
	return m.writes.begin(&m.base, &m.tbl, writeAdd, client.Invitation{}, false, next,
		fmt.Sprintf("inviting %s as %s…", san(email), san(role.Name)),
		func(ctx context.Context) (client.Invitation, string, error) {
			got, err := p.Invite(ctx, []client.InvitationSpec{{Email: email, Role: role.ID}})
			if err != nil {
				return client.Invitation{}, "", fmt.Errorf("inviting %s as %s: %w", email, role.Name, err)
			}
			for _, inv := range got {
				if strings.EqualFold(inv.Email, email) {
					if invitationState(inv) == "joined" {
						return inv, fmt.Sprintf("%s already had an account and joined the space as %s", san(email), san(role.Name)), nil
					}
					return inv, fmt.Sprintf("invited %s as %s", san(email), san(role.Name)), nil
				}
			}
			// No invitation in the answer: the server took it (2xx);
			// the reload that follows shows what it made of it.
			return next, fmt.Sprintf("invited %s as %s", san(email), san(role.Name)), nil
		})
}

func (m *invitationsScreen) cancelInvite(key string) tea.Cmd {
	old, ok := m.tbl.Get(key)
	if !ok {
		return nil
	}
	p := m.c.Provider()
	m.writes.inverse(nil, "a withdrawn invitation cannot be restored; invite again with a")
	return m.writes.begin(&m.base, &m.tbl, writeRemove, old, true, old,
		fmt.Sprintf("withdrawing the invitation of %s…", san(old.Email)),
		func(ctx context.Context) (client.Invitation, string, error) {
			if err := p.CancelInvitation(ctx, old.ID); err != nil {
				return client.Invitation{}, "", fmt.Errorf("cancelling the invitation of %s: %w", old.Email, err)
			}
			return old, fmt.Sprintf("cancelled the invitation of %s", san(old.Email)), nil
		})
}

func (m *invitationsScreen) View() string { return m.view(m.c, m.w, "of the space", &m.loader) }

func (m *invitationsScreen) ShortHelp() []Hint {
	km := m.c.Keys
	if n := m.tbl.MarkCount(); n > 0 {
		return []Hint{hint(km.Delete, fmt.Sprintf("withdraw %d marked", n), m.reason()), hint(km.Mark, "unmark", ""), hint(km.Filter, "filter", "")}
	}
	return []Hint{
		hint(km.Filter, "filter", ""), hint(km.Open, "details", ""),
		hint(km.Add, "invite", m.reason()), hint(km.Delete, "withdraw", m.reason()),
		hint(km.Mark, "mark", ""),
	}
}

func (m *invitationsScreen) FullHelp() [][]Hint {
	km := m.c.Keys
	return [][]Hint{km.moveHints(), {
		hint(km.Filter, "filter by any column (! inverts)", ""),
		hint(km.Open, "show every field", ""),
		hint(km.Add, "invite an e-mail address with a role", m.reason()),
		hint(km.Delete, "withdraw the invitation (asks first)", m.reason()),
		hint(km.Mark, "mark or unmark: d then withdraws all marked", ""),
		m.sortHint(km),
		hint(km.Copy, "copy the e-mail", ""),
		hint(km.Reload, "", ""), hint(km.Back, "", ""),
	}}
}

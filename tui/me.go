package tui

import (
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// me is the signed-in person as far as the session knows: their row is
// marked, changes to themselves ask first, and on a provider whose token
// selects a space their role decides which write keys work.
type me struct {
	known bool
	user  client.User
}

// meMsg brings the signed-in person.
type meMsg struct {
	sess *Session
	user client.User
	err  error
}

// whoAmI asks the provider who the token belongs to; where it cannot say
// (a Qomon API key names no one), the profile's username or e-mail is
// looked up instead.
func whoAmI(ctx context.Context, sess *Session, timeout func(context.Context) (context.Context, context.CancelFunc)) tea.Cmd {
	p, name := sess.Provider, sess.Username
	return func() tea.Msg {
		ctx, cancel := timeout(ctx)
		defer cancel()
		u, err := p.CurrentUser(ctx)
		if err == nil && u.ID == "" && u.Username == "" && name != "" {
			u, err = p.User(ctx, name)
		}
		if err != nil {
			err = fmt.Errorf("finding out who is signed in: %w", err)
		}
		return meMsg{sess: sess, user: u, err: err}
	}
}

// knowMe starts with what the session says (the username) and asks the
// provider for the rest.
func (m *Model) knowMe(sess *Session) tea.Cmd {
	m.c.me = me{}
	if sess.Username != "" && sess.Provider.Can(client.CapOrganizations) {
		// QFieldCloud: the username is the id.
		m.c.me = me{known: true, user: client.User{ID: sess.Username, Username: sess.Username}}
	}
	return whoAmI(m.c.Ctx, sess, m.c.request)
}

func (m *Model) gotMe(msg meMsg) tea.Cmd {
	if msg.sess != m.c.Session {
		return nil // another profile since
	}
	if msg.err != nil || msg.user.ID == "" && msg.user.Username == "" {
		return nil // unknown: nothing is marked, the server decides
	}
	m.c.me = me{known: true, user: msg.user}
	return nil
}

// isMe reports whether key (an id, username or e-mail) is the signed-in
// person.
func (c *Common) isMe(key string) bool {
	if !c.me.known || key == "" {
		return false
	}
	u := c.me.user
	return key == u.ID || key == u.Username || u.Email != "" && strings.EqualFold(key, u.Email)
}

// spaceWriteReason is why a write is refused where the token selects a
// space and the signed-in person's role there cannot write (a "user"
// role), known before anything is sent; "" when it may be tried.
func (c *Common) spaceWriteReason() string {
	if !c.me.known || c.me.user.Role == nil || c.Session == nil || c.Session.Provider.Can(client.CapOrganizations) {
		return ""
	}
	if r := c.me.user.Role; r.Kind == "user" {
		return "your role " + san(r.Name) + " cannot change the space"
	}
	return ""
}

// writeReason is notOn(cp), else the signed-in person's lack of rights.
func (c *Common) writeReason(cp client.Capability) string {
	if r := c.notOn(cp); r != "" {
		return r
	}
	return c.spaceWriteReason()
}

// adminKinds are the Qomon role kinds that manage the space.
func isAdminKind(kind string) bool { return kind == "superadmin" || kind == "admin" }

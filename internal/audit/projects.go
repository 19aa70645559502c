package audit

import (
	"context"
	"sync"
	"time"

	"github.com/roster-cli/roster/client"
)

// projectCache remembers what reads through the wrapper saw, so that a
// collaborator entry names the project (OWNER/NAME, not only its id) and
// the row's role before the change without another request. Rows older
// than rowFresh are read again: the TUI keeps a wrapper for a long time.
type projectCache struct {
	mu    sync.Mutex
	names map[string]string // id → OWNER/NAME
	rows  map[string]seenRows
}

type seenRows struct {
	at   time.Time
	role map[string]string // collaborator → role
}

const rowFresh = time.Minute

func (c *projectCache) name(p client.Project) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.names == nil {
		c.names = map[string]string{}
	}
	c.names[p.ID] = p.FullName()
}

// label is OWNER/NAME, or the id when the project was not seen.
func (c *projectCache) label(id string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.names[id]; ok {
		return n
	}
	return id
}

func (c *projectCache) saw(id string, rows []client.Collaborator) {
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r.User] = r.Role
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rows == nil {
		c.rows = map[string]seenRows{}
	}
	c.rows[id] = seenRows{at: time.Now(), role: m}
}

// role is a row's role from a fresh enough read; known=false when there
// was none.
func (c *projectCache) role(id, user string) (role string, known bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.rows[id]
	if !ok || time.Since(r.at) > rowFresh {
		return "", false
	}
	return r.role[user], true
}

func (c *projectCache) set(id, user, role string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.rows[id]; ok {
		if role == "" {
			delete(r.role, user)
		} else {
			r.role[user] = role
		}
	}
}

func (a *auditing) Projects(ctx context.Context, q client.ProjectQuery) ([]client.Project, error) {
	ps, err := a.Provider.Projects(ctx, q)
	for _, p := range ps {
		a.projects.name(p)
	}
	return ps, err
}

func (a *auditing) Project(ctx context.Context, id string) (client.Project, error) {
	p, err := a.Provider.Project(ctx, id)
	if err == nil {
		a.projects.name(p)
	}
	return p, err
}

func (a *auditing) Collaborators(ctx context.Context, id string) ([]client.Collaborator, error) {
	rows, err := a.Provider.Collaborators(ctx, id)
	if err == nil {
		a.projects.saw(id, rows)
	}
	return rows, err
}

// collabBefore is a row's role before a change: from a fresh read through
// this wrapper, else one bounded read; "" when unknown, "none" when the
// row did not exist.
func (a *auditing) collabBefore(ctx context.Context, id, user string) string {
	role, known := a.projects.role(id, user)
	if !known {
		ctx, cancel := context.WithTimeout(ctx, beforeTimeout)
		defer cancel()
		if _, err := a.Collaborators(ctx, id); err != nil {
			return ""
		}
		role, _ = a.projects.role(id, user)
	}
	if role == "" {
		return "none"
	}
	return "role=" + role
}

func (a *auditing) recordCollab(action, id, user, before, after string, err error) {
	// No organization: the target names the owner already, and a
	// person's project has none.
	a.record(action, "", a.projects.label(id)+": "+user, before, after, err)
}

func (a *auditing) AddCollaborator(ctx context.Context, id string, c client.CollaboratorSpec) (client.Collaborator, error) {
	got, err := a.Provider.AddCollaborator(ctx, id, c)
	role := c.Role
	if role == "" {
		role = client.DefaultProjectRole
	}
	if err == nil {
		role = got.Role
		a.projects.set(id, c.User, role)
	}
	a.recordCollab("collaborator.add", id, c.User, "", "role="+role, err)
	return got, err
}

func (a *auditing) SetCollaboratorRole(ctx context.Context, id, user, role string) (client.Collaborator, error) {
	before := a.collabBefore(ctx, id, user)
	got, err := a.Provider.SetCollaboratorRole(ctx, id, user, role)
	if err == nil {
		a.projects.set(id, user, got.Role)
	}
	a.recordCollab("collaborator.set_role", id, user, before, "role="+role, err)
	return got, err
}

func (a *auditing) RemoveCollaborator(ctx context.Context, id, user string) error {
	before := a.collabBefore(ctx, id, user)
	err := a.Provider.RemoveCollaborator(ctx, id, user)
	if err == nil {
		a.projects.set(id, user, "")
	}
	a.recordCollab("collaborator.remove", id, user, before, "removed", err)
	return err
}

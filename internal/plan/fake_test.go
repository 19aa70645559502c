package plan

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/roster-cli/roster/client"
)

// fakeProvider answers the reads a plan makes from fixed data and logs
// every call, so read steps can be checked for exactly what they ask.
// Writes are not implemented (client.Unsupported answers them).
type fakeProvider struct {
	client.Unsupported
	kind    string
	org     client.Organization
	members []client.Member
	teams   []client.Team
	roles   []client.Role
	users   map[string]client.User
	// projects are what Projects answers (owner filter not applied, as
	// the server's ignores case); collaborators are rows by project id.
	projects      []client.Project
	collaborators map[string][]client.Collaborator
	// fail makes the call with this name (e.g. "Teams") fail.
	fail  string
	mu    sync.Mutex // reads may run at once
	calls []string
}

func (f *fakeProvider) Kind() string                                     { return f.kind }
func (f *fakeProvider) Can(client.Capability) bool                       { return false }
func (f *fakeProvider) CurrentUser(context.Context) (client.User, error) { return client.User{}, nil }
func (f *fakeProvider) Invitations(context.Context) ([]client.Invitation, error) {
	return nil, nil
}

func (f *fakeProvider) call(name string, args ...string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, strings.TrimSpace(name+" "+strings.Join(args, " ")))
	if f.fail == name {
		return fmt.Errorf("%s: server said no: %w", name, client.ErrServer)
	}
	return nil
}

func (f *fakeProvider) Organization(_ context.Context, name string) (client.Organization, error) {
	return f.org, f.call("Organization", name)
}

func (f *fakeProvider) Members(_ context.Context, org string, emit client.Emit[client.Member]) error {
	if err := f.call("Members", org); err != nil {
		return err
	}
	return emit(f.members)
}

func (f *fakeProvider) Teams(_ context.Context, org string) ([]client.Team, error) {
	return f.teams, f.call("Teams", org)
}

func (f *fakeProvider) Roles(context.Context) ([]client.Role, error) {
	return f.roles, f.call("Roles")
}

func (f *fakeProvider) User(_ context.Context, id string) (client.User, error) {
	if err := f.call("User", id); err != nil {
		return client.User{}, err
	}
	u, ok := f.users[id]
	if !ok {
		return client.User{}, fmt.Errorf("user %s: %w", id, client.ErrNotFound)
	}
	return u, nil
}

var qfcRoles = []client.Role{{ID: "admin", Name: "admin"}, {ID: "creator", Name: "creator"}, {ID: "member", Name: "member"}}

func (f *fakeProvider) AddMember(_ context.Context, org string, m client.MemberSpec) (client.Member, error) {
	return client.Member{User: m.User}, f.call("AddMember", org, m.User, m.Role)
}

func (f *fakeProvider) UpdateMember(_ context.Context, org, user string, u client.MemberUpdate) (client.Member, error) {
	return client.Member{User: user}, f.call("UpdateMember", org, user)
}

func (f *fakeProvider) RemoveMember(_ context.Context, org, user string) error {
	return f.call("RemoveMember", org, user)
}

func (f *fakeProvider) Projects(_ context.Context, q client.ProjectQuery) ([]client.Project, error) {
	return f.projects, f.call("Projects", q.Owner)
}

func (f *fakeProvider) Collaborators(_ context.Context, id string) ([]client.Collaborator, error) {
	if err := f.call("Collaborators", id); err != nil {
		return nil, err
	}
	return f.collaborators[id], nil
}

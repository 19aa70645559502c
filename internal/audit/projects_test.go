package audit

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
)

// collabProvider has one project with one row; reads count.
type collabProvider struct {
	client.Unsupported
	reads int
}

func (p *collabProvider) CurrentUser(context.Context) (client.User, error) { return client.User{}, nil }
func (p *collabProvider) Kind() string                                     { return "qfieldcloud" }
func (p *collabProvider) Can(client.Capability) bool                       { return true }
func (p *collabProvider) Projects(context.Context, client.ProjectQuery) ([]client.Project, error) {
	return []client.Project{{ID: "p1", Owner: "fieldops", Name: "trees"}}, nil
}
func (p *collabProvider) Collaborators(context.Context, string) ([]client.Collaborator, error) {
	p.reads++
	return []client.Collaborator{{User: "ines", Role: "reader"}}, nil
}
func (p *collabProvider) AddCollaborator(_ context.Context, _ string, c client.CollaboratorSpec) (client.Collaborator, error) {
	return client.Collaborator{User: c.User, Role: "reader"}, nil
}
func (p *collabProvider) SetCollaboratorRole(_ context.Context, _, user, role string) (client.Collaborator, error) {
	return client.Collaborator{User: user, Role: role}, nil
}
func (p *collabProvider) RemoveCollaborator(context.Context, string, string) error { return nil }

// Collaborator writes are recorded with the project's name (seen in an
// earlier read) and the row's role before, read once.
func TestWrapRecordsCollaboratorWrites(t *testing.T) {
	t.Parallel()
	log := New(filepath.Join(t.TempDir(), "audit.jsonl"), nil)
	cp := &collabProvider{}
	p := Wrap(cp, log, "work")
	ctx := context.Background()
	p.Projects(ctx, client.ProjectQuery{})
	p.AddCollaborator(ctx, "p1", client.CollaboratorSpec{User: "maria"})
	p.SetCollaboratorRole(ctx, "p1", "ines", "editor")
	p.RemoveCollaborator(ctx, "p1", "ines")
	p.RemoveCollaborator(ctx, "p2", "ben") // a project never read: its id
	got, err := log.Read(time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Action: "collaborator.add", Target: "fieldops/trees: maria", After: "role=reader"},
		{Action: "collaborator.set_role", Target: "fieldops/trees: ines", Before: "role=reader", After: "role=editor"},
		{Action: "collaborator.remove", Target: "fieldops/trees: ines", Before: "role=editor", After: "removed"},
		{Action: "collaborator.remove", Target: "p2: ben", Before: "none", After: "removed"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries: %+v", len(got), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Action != w.Action || g.Org != w.Org || g.Target != w.Target || g.Before != w.Before || g.After != w.After || g.Outcome != OK {
			t.Errorf("entry %d: %+v, want %+v", i, g, w)
		}
	}
	if cp.reads != 2 {
		t.Errorf("%d collaborator reads for the before values, want 2 (p1 once, then cached; p2 once)", cp.reads)
	}
}

package demo_test

import (
	"context"
	"errors"
	"testing"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/internal/demo"
	"github.com/roster-cli/roster/internal/session"
)

func TestDemoProfilesOpenAndServeData(t *testing.T) {
	w, err := demo.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	if got := len(w.Profiles()); got != 2 {
		t.Fatalf("profiles = %d, want 2", got)
	}
	open := func(name string, readOnly bool) (*session.Session, error) {
		ep, err := w.Endpoint(name)
		if err != nil {
			return nil, err
		}
		return session.New(session.Options{ReadOnly: readOnly}).OpenDemo(ep)
	}
	q, err := open(demo.QFieldCloudProfile, false)
	if err != nil {
		t.Fatal(err)
	}
	orgs, err := q.Provider.Organizations(ctx)
	if err != nil || len(orgs) < 3 {
		t.Fatalf("demo organizations = %d, %v; want several", len(orgs), err)
	}
	users, err := client.CollectUsers(ctx, q.Provider, client.UserQuery{PersonsOnly: true})
	if err != nil || len(users) < 24 {
		t.Fatalf("demo users = %d, %v; want dozens", len(users), err)
	}
	m, err := open(demo.QomonProfile, true)
	if err != nil {
		t.Fatal(err)
	}
	teams, err := m.Provider.Teams(ctx, "")
	if err != nil || len(teams) < 3 {
		t.Fatalf("demo qomon teams = %d, %v", len(teams), err)
	}
	if _, err := m.Provider.CreateTeam(ctx, "", client.TeamSpec{Name: "x"}); !errors.Is(err, client.ErrReadOnly) {
		t.Fatalf("read-only demo create team: %v, want ErrReadOnly", err)
	}
	if _, err := open("nope", false); err == nil {
		t.Fatal("unknown demo profile opened")
	}
}

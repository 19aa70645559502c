package access_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/internal/access"
)

func world(t *testing.T) *qfctest.Server {
	t.Helper()
	s := qfctest.New(qfctest.WithoutSocket())
	t.Cleanup(s.Close)
	s.SeedDemo()
	return s
}

func as(t *testing.T, s *qfctest.Server, user string) client.Provider {
	t.Helper()
	c, err := qfieldcloud.New(client.Config{URL: s.URL(), Token: s.Token(user), HTTPClient: s.HTTPClient(), Username: user})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ways renders a report's projects as "OWNER/NAME role origin [team]".
func ways(r *access.Report) string {
	var b strings.Builder
	for _, p := range r.Projects {
		fmt.Fprintf(&b, "%s %s %s", p.FullName(), p.Role, p.Origin)
		if p.Team != "" {
			b.WriteString(" " + p.Team)
		}
		if p.Row != "" && p.Origin != client.OriginCollaborator {
			b.WriteString(" row=" + p.Row)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestGather(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, user, org string
		ways            string
		memberships     string
	}{
		{"three ways: team, own row, owner", "ines", "",
			"fieldops/open-data reporter team_member @fieldops/surveyors\n" +
				"fieldops/tree-inventory editor team_member @fieldops/surveyors\n" +
				"fieldops/wetland-survey reader collaborator\n" +
				"ines/field-notes admin project_owner\n",
			"fieldops member [surveyors]"},
		{"a direct row beats a team's", "kavya", "fieldops",
			"fieldops/open-data reporter team_member @fieldops/surveyors\n" +
				"fieldops/tree-inventory reader collaborator\n",
			"fieldops member [surveyors]"},
		{"an organization admin with rows elsewhere", "elena", "",
			"demo/notes editor collaborator\n" +
				"fieldops/Trees admin organization_admin\n" +
				"fieldops/open-data admin organization_admin\n" +
				"fieldops/relevé-2019 admin organization_admin\n" +
				"fieldops/tree-inventory admin organization_admin\n" +
				"fieldops/trees admin organization_admin\n" +
				"fieldops/wetland-survey admin organization_admin\n" +
				"geo-survey/drone-flights reader collaborator\n",
			"fieldops admin []; geo-survey member []"},
		{"the organization's owner", "ana", "geo-survey",
			"geo-survey/coastline admin organization_owner\n" +
				"geo-survey/drone-flights admin organization_owner\n",
			"geo-survey owner [drones]"},
		{"the creator's automatic row", "grace", "fieldops",
			"fieldops/wetland-survey admin collaborator\n",
			"fieldops creator []"},
		{"through a team only", "wei", "",
			"geo-survey/drone-flights reporter team_member @geo-survey/drones\n",
			"geo-survey member [drones]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := world(t)
			r, err := access.Gather(context.Background(), as(t, s, "demo"), c.user, access.Options{Org: c.org})
			if err != nil {
				t.Fatal(err)
			}
			if got := ways(r); got != c.ways {
				t.Errorf("projects:\n%s\nwant:\n%s", got, c.ways)
			}
			var ms []string
			for _, m := range r.Memberships {
				ms = append(ms, fmt.Sprintf("%s %s %v", m.Org, m.Role, m.Teams))
			}
			if got := strings.Join(ms, "; "); got != c.memberships {
				t.Errorf("memberships %q, want %q", got, c.memberships)
			}
		})
	}
}

// The organization default role is learnt from the caller's own role on a
// project where they are a plain member, and ranks below rows and teams.
func TestGatherOrganizationDefault(t *testing.T) {
	t.Parallel()
	s := world(t)
	// demo is a plain member of city-parks (default reader) and manages
	// one of its projects through a row.
	id := s.CreateProject(qfctest.ProjectSpec{Owner: "city-parks", Name: "fountains"})
	s.AddCollaborator(id, "demo", "manager", false)
	r, err := access.Gather(context.Background(), as(t, s, "demo"), "zoe", access.Options{Org: "city-parks"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ways(r), "city-parks/fountains reader organization_member\n"; got != want {
		t.Errorf("projects:\n%s\nwant:\n%s", got, want)
	}
	if len(r.Memberships) != 1 || r.Memberships[0].DefaultRole != "reader" || r.Memberships[0].DefaultRoleUnknown {
		t.Errorf("memberships %+v", r.Memberships)
	}
	// The two projects demo cannot manage are named, not skipped.
	if len(r.Unchecked) != 2 || r.Unchecked[0].Project != "city-parks/park-benches" {
		t.Errorf("unchecked %+v", r.Unchecked)
	}
}

func TestGatherStaleRowOfAFormerMember(t *testing.T) {
	t.Parallel()
	s := world(t)
	// A person row on a person's project stays valid; the fake's cascade
	// removed the org project rows, so a former member reaches only that.
	c := as(t, s, "demo")
	if err := c.RemoveMember(context.Background(), "fieldops", "lucas"); err != nil {
		t.Fatal(err)
	}
	r, err := access.Gather(context.Background(), c, "lucas", access.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ways(r) != "" || len(r.Memberships) != 0 {
		t.Errorf("a removed member still reaches: %s %+v", ways(r), r.Memberships)
	}
}

// inflight wraps a provider and records the most reads in flight at
// once, every kind of read.
type inflight struct {
	client.Provider
	mu       sync.Mutex
	now, max int
}

func (p *inflight) enter() func() {
	p.mu.Lock()
	p.now++
	p.max = max(p.max, p.now)
	p.mu.Unlock()
	// Long enough for every goroutine to try to start: the bound, not
	// the scheduler, must keep them out.
	time.Sleep(2 * time.Millisecond)
	return func() { p.mu.Lock(); p.now--; p.mu.Unlock() }
}

func (p *inflight) Collaborators(ctx context.Context, id string) ([]client.Collaborator, error) {
	defer p.enter()()
	return p.Provider.Collaborators(ctx, id)
}

func (p *inflight) Projects(ctx context.Context, q client.ProjectQuery) ([]client.Project, error) {
	defer p.enter()()
	return p.Provider.Projects(ctx, q)
}

func (p *inflight) Organization(ctx context.Context, name string) (client.Organization, error) {
	defer p.enter()()
	return p.Provider.Organization(ctx, name)
}

func (p *inflight) Members(ctx context.Context, org string, emit client.Emit[client.Member]) error {
	defer p.enter()()
	return p.Provider.Members(ctx, org, emit)
}

func (p *inflight) Teams(ctx context.Context, org string) ([]client.Team, error) {
	defer p.enter()()
	return p.Provider.Teams(ctx, org)
}

func (p *inflight) User(ctx context.Context, id string) (client.User, error) {
	defer p.enter()()
	return p.Provider.User(ctx, id)
}

func TestGatherBoundsConcurrency(t *testing.T) {
	t.Parallel()
	s := world(t)
	ids := s.SeedProjects("fieldops", "plot", 60, map[string]string{"ines": "editor"})
	p := &inflight{Provider: as(t, s, "demo")}
	s.Kit().ResetRequests()
	r, err := access.Gather(context.Background(), p, "ines", access.Options{Org: "fieldops", CheckUser: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.max > access.MaxInFlight || p.max < 2 {
		t.Errorf("%d reads in flight at most, want 2…%d", p.max, access.MaxInFlight)
	}
	if n := len(r.Projects); n != 63 {
		t.Errorf("%d projects, want 63", n)
	}
	// The account, one list, the organization, its members and teams, one
	// read per project: never a page loop.
	if got, want := len(s.Kit().Requests()), 5+len(ids)+6; got != want {
		t.Errorf("%d requests, want %d", got, want)
	}
}

// A team of an organization outside the scope on a person's project (the
// API allows it): its members are read too, and offboarding lists that
// way in as left.
func TestGatherForeignTeamOnPersonProject(t *testing.T) {
	t.Parallel()
	s := world(t)
	s.AddCollaborator(s.ProjectID("demo", "notes"), "@city-parks/arborists", "editor", false)
	r, err := access.Gather(context.Background(), as(t, s, "demo"), "camille", access.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ways(r), "demo/notes editor team_member @city-parks/arborists\n"; got != want {
		t.Errorf("projects:\n%s\nwant:\n%s", got, want)
	}
	pl := access.PlanOffboard(r)
	if len(pl.Steps) != 0 || len(pl.Left) != 1 || !strings.Contains(pl.Left[0].What, "@city-parks/arborists") {
		t.Errorf("plan %+v", pl)
	}
}

func TestGatherFailsWhole(t *testing.T) {
	t.Parallel()
	s := world(t)
	// A read that fails fails the answer: a partial one would look whole.
	_, err := access.Gather(context.Background(), as(t, s, "demo"), "ines", access.Options{Org: "nosuchorg"})
	if err == nil {
		t.Fatal("no error for an unknown organization")
	}
}

func TestOffboardPlanAndApply(t *testing.T) {
	t.Parallel()
	s := world(t)
	p := as(t, s, "demo")
	ctx := context.Background()
	r, err := access.Gather(ctx, p, "ines", access.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl := access.PlanOffboard(r)
	var steps []string
	for _, st := range pl.Steps {
		steps = append(steps, st.Describe("ines"))
	}
	want := []string{
		"remove ines's row (reader) from project fieldops/wetland-survey",
		"remove ines from team fieldops/surveyors",
		"remove ines from organization fieldops (member)",
	}
	if strings.Join(steps, "\n") != strings.Join(want, "\n") {
		t.Errorf("steps:\n%s\nwant:\n%s", strings.Join(steps, "\n"), strings.Join(want, "\n"))
	}
	if len(pl.Left) != 1 || pl.Left[0].What != "project ines/field-notes" {
		t.Errorf("left %+v", pl.Left)
	}
	var order []string
	res := access.Apply(ctx, p, pl, 6, func(r access.Result) { order = append(order, string(r.Step.Kind)) })
	for _, r := range res {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Step.Describe("ines"), r.Err)
		}
	}
	if strings.Join(order, ",") != "collaborator,team,member" {
		t.Errorf("reported in order %v", order)
	}
	for _, pr := range s.Projects() {
		for _, c := range pr.Collaborators {
			if c.User == "ines" {
				t.Errorf("ines still has a row on %s/%s", pr.Owner, pr.Name)
			}
		}
	}
	for _, m := range s.Members("fieldops") {
		if m.User == "ines" {
			t.Error("ines is still a member of fieldops")
		}
	}
}

// A failure that cancels the other reads before the project list gets a
// slot must still end Gather (it once waited for that list forever).
func TestGatherNeverHangs(t *testing.T) {
	t.Parallel()
	s := world(t)
	p := as(t, s, "demo")
	for i := range 40 {
		done := make(chan error, 1)
		go func() {
			_, err := access.Gather(context.Background(), p, "ines", access.Options{Org: "nosuchorg", Concurrency: 1, CheckUser: i%2 == 0})
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "nosuchorg") {
				t.Fatalf("run %d: %v, want the unknown organization", i, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("run %d: Gather hung after a failed read", i)
		}
	}
}

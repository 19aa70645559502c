package plan

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/roster-cli/roster/client"
)

// fieldopsWithProjects is fieldops() with three projects: trees (jonas,
// the surveyors team and hiro, a support account that is no member),
// Trees (elena) and relevé (nils, who is no member either).
func fieldopsWithProjects() *qfcServer {
	s := fieldops()
	s.projects = []qfcProject{{ID: "p1", Name: "trees"}, {ID: "p2", Name: "Trees"}, {ID: "p3", Name: "relevé"}}
	s.rows = map[string][]collabRow{
		"p1": {{User: "jonas", Role: "editor"}, {User: "@fieldops/surveyors", Role: "editor"}, {User: "hiro", Role: "reader"}},
		"p2": {{User: "elena", Role: "reader"}},
	}
	return s
}

// collabRows renders collaborator steps with their flags.
func collabRows(steps []Step) []string {
	out := rows(steps)
	for i, s := range steps {
		if s.Blocked != "" {
			out[i] += " blocked"
		}
		if s.ProjectID != "" {
			out[i] += " (" + s.ProjectID + ")"
		}
	}
	return out
}

func TestDiffCollaboratorsRowsAndOrder(t *testing.T) {
	t.Parallel()
	d := qfcDoc([]Member{{User: "elena"}, {User: "jonas"}, {User: "pablo"}, {User: "tereza"}})
	d.Projects = []Project{
		{Name: "trees", Collaborators: []Collaborator{
			{User: "jonas", Role: "Manager"},              // any case: the server's spelling is sent
			{User: "@fieldops/surveyors", Role: "reader"}, // a team's row cannot change
			{User: "hiro"},                   // exists; no role given: as it is
			{User: "tereza", Role: "editor"}, // joins the organization first
			{User: "@fieldops/hydrology"},    // new row: the server's default role
		}},
		{Name: "Trees", Collaborators: []Collaborator{}},
		{Name: "relevé"}, // collaborators not given: left alone
	}
	for _, prune := range []bool{false, true} {
		pl, err := diffQFieldCloud(d, indexQFieldCloud(fieldopsWithProjects()), Options{Prune: prune})
		if err != nil {
			t.Fatal(err)
		}
		held := ""
		if !prune {
			held = " held"
		}
		want := []string{
			"+ member.add organization fieldops tereza [ → role member, private]",
			"- collaborator.remove project Trees elena" + held + " (p2)",
			"+ collaborator.add project trees tereza [ → role editor] (p1)",
			"+ collaborator.add project trees @fieldops/hydrology [ → role reader] (p1)",
			"~ collaborator.set_role project trees jonas [role editor → role manager] (p1)",
			"~ collaborator.set_role project trees @fieldops/surveyors [role editor → role reader] blocked (p1)",
		}
		if got := collabRows(pl.Steps); !reflect.DeepEqual(got, want) {
			t.Errorf("prune=%v:\n got %q\nwant %q", prune, got, want)
		}
		if s := pl.Steps[len(pl.Steps)-1]; !strings.Contains(s.Blocked, "a team's row changes only in the web UI") {
			t.Errorf("blocked reason: %q", s.Blocked)
		}
		if c := pl.Counts(); c.Blocked != 1 || pl.Unmade() != 1 {
			t.Errorf("counts %+v unmade %d", c, pl.Unmade())
		}
	}
}

// A row the file leaves out is removed only with prune, and named; a
// team's row cannot be removed through the API, with or without prune.
func TestDiffCollaboratorsRemovals(t *testing.T) {
	t.Parallel()
	d := qfcDoc([]Member{{User: "elena"}, {User: "jonas"}, {User: "pablo"}})
	d.Projects = []Project{{Name: "trees", Collaborators: []Collaborator{{User: "jonas"}}}}
	for _, prune := range []bool{false, true} {
		pl, err := diffQFieldCloud(d, indexQFieldCloud(fieldopsWithProjects()), Options{Prune: prune})
		if err != nil {
			t.Fatal(err)
		}
		held := ""
		if !prune {
			held = " held"
		}
		want := []string{
			"- collaborator.remove project trees @fieldops/surveyors" + held + " blocked (p1)",
			"- collaborator.remove project trees hiro" + held + " (p1)",
		}
		if got := collabRows(pl.Steps); !reflect.DeepEqual(got, want) {
			t.Errorf("prune=%v:\n got %q\nwant %q", prune, got, want)
		}
		// Asked (prune) and impossible: apply reports it as not made.
		if want := map[bool]int{false: 0, true: 1}[prune]; pl.Unmade() != want || pl.Sends() != btoi(prune) {
			t.Errorf("prune=%v: unmade %d sends %d", prune, pl.Unmade(), pl.Sends())
		}
	}
}

// Exported rows planned against the same server: nothing to do, even for
// a row of someone the API does not show as a member.
func TestDiffCollaboratorsUnchanged(t *testing.T) {
	t.Parallel()
	d := qfcDoc([]Member{{User: "elena"}, {User: "jonas"}, {User: "pablo"}})
	d.Projects = []Project{
		{Name: "trees", Collaborators: []Collaborator{{User: "jonas", Role: "editor"}, {User: "@fieldops/surveyors", Role: "editor"}, {User: "hiro", Role: "reader"}}},
		{Name: "Trees", Collaborators: []Collaborator{{User: "elena", Role: "reader"}}},
		{Name: "relevé", Collaborators: []Collaborator{}},
	}
	pl, err := diffQFieldCloud(d, indexQFieldCloud(fieldopsWithProjects()), Options{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if pl.Drift() {
		t.Errorf("steps: %q", collabRows(pl.Steps))
	}
}

func TestDiffCollaboratorsReportsEveryProblem(t *testing.T) {
	t.Parallel()
	d := qfcDoc([]Member{{User: "elena"}, {User: "jonas"}})
	d.Projects = []Project{
		{Name: "TREES", Line: 10},
		{Name: "roads", Line: 11},
		{Name: "trees", Line: 12, Collaborators: []Collaborator{
			{User: "jonas", Role: "owner", Line: 13},
			{User: "@geo-survey/north", Line: 14},
			{User: "@fieldops/astronomers", Line: 15},
			{User: "@surveyors", Line: 16},
			{User: "stranger", Line: 17},
			{User: "pablo", Line: 18}, // a member the file prunes
		}},
	}
	_, err := diffQFieldCloud(d, indexQFieldCloud(fieldopsWithProjects()), Options{Prune: true})
	var es Errors
	if !errors.As(err, &es) || !errors.Is(err, client.ErrBadInput) {
		t.Fatalf("got %v", err)
	}
	want := []string{
		"f.yaml:10: projects[1].name: no project \"TREES\" owned by fieldops (names are case-sensitive; there is trees, Trees)",
		"f.yaml:11: projects[2].name: no project \"roads\" owned by fieldops, or this account cannot see it",
		"f.yaml:13: projects[3].collaborators[1].role: unknown project role \"owner\" (roles: admin, manager, editor, reporter, reader)",
		"f.yaml:14: projects[3].collaborators[2].user: @geo-survey/north is a team of geo-survey: only teams of fieldops can be collaborators of its projects",
		"f.yaml:15: projects[3].collaborators[3].user: no team \"astronomers\" in fieldops",
		"f.yaml:16: projects[3].collaborators[4].user: \"@surveyors\": a team is written @ORG/TEAM",
		"f.yaml:17: projects[3].collaborators[5].user: stranger is not a member of fieldops: add them to members",
		"f.yaml:18: projects[3].collaborators[6].user: pablo is not in members and would be pruned from fieldops, which removes their rows",
	}
	if len(es) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(es), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(es[i].Error(), w) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i+1, es[i], w)
		}
	}
}

func projectsFake() *fakeProvider {
	s := fieldops()
	return &fakeProvider{kind: QFieldCloud, org: client.Organization{Name: "fieldops", Owner: "olivia", MembershipRole: "admin"},
		members: s.members, teams: s.teams, roles: qfcRoles,
		projects: []client.Project{
			{ID: "p1", Owner: "fieldops", Name: "trees", UserRole: "admin"},
			{ID: "p2", Owner: "fieldops", Name: "Trees", UserRole: "manager"},
			{ID: "p3", Owner: "fieldops", Name: "relevé", UserRole: "reader"},
			{ID: "p4", Owner: "FieldOps", Name: "other"}, // the server's filter ignores case
		},
		collaborators: map[string][]client.Collaborator{
			"p1": {{User: "jonas", Role: "editor"}, {User: "@fieldops/surveyors", Role: "editor"}},
			"p2": {{User: "elena", Role: "reader"}},
		}}
}

// Rows are read only for the projects whose collaborators the file
// lists; a file without projects reads none.
func TestReadQFieldCloudProjects(t *testing.T) {
	t.Parallel()
	f := projectsFake()
	d := qfcDoc(nil)
	d.Projects = []Project{{Name: "trees", Collaborators: []Collaborator{}}, {Name: "Trees"}, {Name: "relevé"}}
	s, err := readQFieldCloud(context.Background(), f, d)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Organization fieldops", "Members fieldops", "Teams fieldops", "Roles", "Projects fieldops", "Collaborators p1"}
	if !reflect.DeepEqual(f.calls, want) {
		t.Errorf("calls:\n got %q\nwant %q", f.calls, want)
	}
	if len(s.projects) != 3 || !s.projects[0].Manage || !s.projects[1].Manage || s.projects[2].Manage {
		t.Errorf("projects: %+v", s.projects)
	}
	if got := s.rows["p1"]; !reflect.DeepEqual(got, []collabRow{{"jonas", "editor"}, {"@fieldops/surveyors", "editor"}}) {
		t.Errorf("rows: %+v", s.rows)
	}

	for _, d := range []*Document{qfcDoc(nil), {Provider: QFieldCloud, Organization: "fieldops", Projects: []Project{}}} {
		f = projectsFake()
		if _, err := readQFieldCloud(context.Background(), f, d); err != nil {
			t.Fatal(err)
		}
		if len(f.calls) != 4 {
			t.Errorf("projects %v: calls %q", d.Projects, f.calls)
		}
	}

	f = projectsFake()
	f.fail = "Collaborators"
	if _, err := readQFieldCloud(context.Background(), f, &Document{Provider: QFieldCloud, Organization: "fieldops", Projects: []Project{{Name: "trees", Collaborators: []Collaborator{}}}}); !errors.Is(err, client.ErrServer) || !strings.Contains(err.Error(), "reading the collaborators of project trees") {
		t.Errorf("failed read: %v", err)
	}
}

func TestExportQFieldCloudProjects(t *testing.T) {
	t.Parallel()
	f := projectsFake()
	d, err := Export(context.Background(), f, "fieldops")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pr := range d.Projects {
		for _, c := range pr.Collaborators {
			got = append(got, pr.Name+" "+c.User+" "+c.Role)
		}
	}
	if want := []string{"trees jonas editor", "trees @fieldops/surveyors editor", "Trees elena reader"}; !reflect.DeepEqual(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	if len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "left out 1 project(s) whose collaborators this account cannot read (project admins and managers only): relevé") {
		t.Errorf("notes %q", d.Notes)
	}
	// Only the projects the account manages are read.
	for _, c := range f.calls {
		if c == "Collaborators p3" || c == "Collaborators p4" {
			t.Errorf("read %s", c)
		}
	}
	f = projectsFake()
	f.org.MembershipRole = "member"
	if d, _ := Export(context.Background(), f, "fieldops"); len(d.Notes) != 2 || !strings.Contains(d.Notes[0], "not an admin of fieldops") {
		t.Errorf("notes %q", d.Notes)
	}
}

func TestForEachBoundsAndReportsTheCause(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	in, peak := 0, 0
	err := forEach(context.Background(), 40, func(ctx context.Context, i int) error {
		mu.Lock()
		in++
		peak = max(peak, in)
		mu.Unlock()
		runtime.Gosched()
		mu.Lock()
		in--
		mu.Unlock()
		return nil
	})
	if err != nil || peak > maxInFlight || peak == 0 {
		t.Errorf("err %v, peak %d", err, peak)
	}
	boom := errors.New("boom")
	err = forEach(context.Background(), 20, func(ctx context.Context, i int) error {
		if i == 2 {
			return boom
		}
		<-ctx.Done() // the others wait until the failure cancels them
		return ctx.Err()
	})
	if !errors.Is(err, boom) {
		t.Errorf("got %v, want the failure, not a cancellation", err)
	}
}

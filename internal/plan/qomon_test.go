package plan

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client"
)

var qomonRoles = []client.Role{{ID: "1", Name: "Administrateur", Kind: "superadmin"}, {ID: "4", Name: "Champ", Kind: "user"}, {ID: "7", Name: "Organisateur", Kind: "custom"}}

// space: four users (one without e-mail), three teams, two named alike.
func space() *qomonServer {
	return &qomonServer{
		members: []client.Member{
			{User: "10", Email: "Ada@Example.org", Role: "Champ", RoleID: "4"},
			{User: "11", Email: "bo@example.org", Role: "Champ", RoleID: "4"},
			{User: "12", Email: "cy@example.org", Role: "Organisateur", RoleID: "7"},
			{User: "13", Role: "Champ", RoleID: "4"},
		},
		teams: []client.Team{
			{ID: "100", Name: "Nord", Private: true, Members: []client.TeamMember{{User: "10", Leader: true}, {User: "11"}}},
			{ID: "200", Name: "Sud", Members: []client.TeamMember{{User: "12"}}},
			{ID: "201", Name: "Sud", Members: []client.TeamMember{}},
		},
		roles: qomonRoles,
	}
}

func qomonDoc(users []Member, teams ...Team) *Document {
	return &Document{File: "s.yaml", Provider: Qomon, Members: users, Teams: teams}
}

func TestReadQomonReadsRolesOnlyForUsers(t *testing.T) {
	t.Parallel()
	s := space()
	for _, c := range []struct {
		users []Member
		want  []string
	}{
		{nil, []string{"Members", "Teams"}},
		{[]Member{{User: "13"}}, []string{"Members", "Teams", "Roles"}},
	} {
		f := &fakeProvider{kind: Qomon, members: s.members, teams: s.teams, roles: qomonRoles}
		got, err := readQomon(context.Background(), f, qomonDoc(c.users))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(f.calls, c.want) {
			t.Errorf("users %v: calls %q, want %q", c.users, f.calls, c.want)
		}
		if len(got.members) != 4 || len(got.teams) != 3 {
			t.Errorf("state: %+v", got)
		}
	}
	for _, call := range []string{"Members", "Teams", "Roles"} {
		f := &fakeProvider{kind: Qomon, fail: call}
		if _, err := readQomon(context.Background(), f, qomonDoc([]Member{{User: "13"}})); !errors.Is(err, client.ErrServer) {
			t.Errorf("%s failing: got %v", call, err)
		}
	}
}

func TestIndexQomon(t *testing.T) {
	t.Parallel()
	ix := indexQomon(space())
	for ref, want := range map[string]string{"ada@example.org": "10", "ADA@EXAMPLE.ORG": "10", "11": "11", "13": "13"} {
		if m, ok := ix.find(ref); !ok || m.User != want {
			t.Errorf("find(%q) = %q %v, want %q", ref, m.User, ok, want)
		}
	}
	for _, ref := range []string{"10@", "nobody@example.org", "99"} {
		if m, ok := ix.find(ref); ok {
			t.Errorf("find(%q) = %q", ref, m.User)
		}
	}
	if ix.label("10") != "Ada@Example.org" || ix.label("13") != "13" {
		t.Errorf("labels: %q %q", ix.label("10"), ix.label("13"))
	}
	if len(ix.teamByName["Sud"]) != 2 || ix.teamByID["201"].Name != "Sud" {
		t.Errorf("teams: %+v", ix.teamByName)
	}
}

func TestDiffQomonRowsAndOrder(t *testing.T) {
	t.Parallel()
	d := qomonDoc([]Member{{User: "ada@example.org", Role: "organisateur"}, {User: "bo@example.org", Role: "4"}},
		Team{Name: "Nord", Private: ptr(false), Members: []Ref{{User: "bo@example.org"}, {User: "13"}}, Leaders: []Ref{{User: "bo@example.org"}}},
		Team{Name: "Sud", ID: "201", Members: []Ref{{User: "cy@example.org"}}}, // leaders not given: as they are
	)
	for _, prune := range []bool{false, true} {
		pl, err := diffQomon(d, indexQomon(space()), Options{Prune: prune})
		if err != nil {
			t.Fatal(err)
		}
		held := ""
		if !prune {
			held = " held"
		}
		want := []string{
			"~ member.update space 10 [role Champ → role Organisateur]",
			"- member.remove space 12 held", // not in the file: drift, but it stays
			"- member.remove space 13 held",
			"~ team.set_private team Nord  [private → public]",
			"+ team.member.add team Nord 13",
			"~ team.leader.add team Nord 11 [member → leader]",
			"- team.member.remove team Nord 10" + held,
			"+ team.member.add team Sud 12",
		}
		if got := rows(pl.Steps); !reflect.DeepEqual(got, want) {
			t.Errorf("prune=%v:\n got %q\nwant %q", prune, got, want)
		}
		if pl.Steps[0].Label != "Ada@Example.org" || pl.Steps[0].RoleID != "7" {
			t.Errorf("role step: %+v", pl.Steps[0])
		}
		// The baseline of a conditional write is the team as read, for
		// teams with steps only.
		if pl.teams["100"] == nil || pl.teams["201"] == nil || pl.teams["200"] != nil {
			t.Errorf("team baselines: %v", pl.teams)
		}
		// Two of the four users are not in the file: drift, never sent
		// (there is no API), with or without prune.
		for _, st := range pl.Steps[1:3] {
			if !st.Held || !strings.Contains(st.Blocked, "Qomon has no endpoint that removes a person from a space") {
				t.Errorf("prune=%v: %+v", prune, st)
			}
		}
		if c := pl.Counts(); c != (Counts{Add: 2, Change: 3, Remove: 3, Held: 1 - btoi(prune), Blocked: 2}) || pl.Sends() != 5+btoi(prune) || pl.Unmade() != 0 {
			t.Errorf("prune=%v: counts %+v, sends %d, unmade %d", prune, c, pl.Sends(), pl.Unmade())
		}
	}
}

func TestDiffQomonLeaderStepDown(t *testing.T) {
	t.Parallel()
	d := qomonDoc(nil, Team{Name: "Nord", Members: []Ref{{User: "ada@example.org"}, {User: "11"}}, Leaders: []Ref{}})
	pl, err := diffQomon(d, indexQomon(space()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows(pl.Steps), []string{"~ team.leader.remove team Nord 10 [leader → member]"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDiffQomonReportsEveryProblem(t *testing.T) {
	t.Parallel()
	d := qomonDoc([]Member{
		{User: "nobody@example.org", Line: 3},
		{User: "ada@example.org", Line: 4},
		{User: "10", Line: 5},
		{User: "bo@example.org", Role: "custom?", Line: 6},
	},
		Team{Name: "Sud", Line: 8},
		Team{Name: "Nord", ID: "200", Line: 9},
		Team{Name: "Est", ID: "999", Line: 10},
		Team{Name: "Ouest", Line: 11},
		Team{Name: "Nord", Line: 12, Members: []Ref{{User: "x@example.org", Line: 13}}, Leaders: []Ref{{User: "77", Line: 14}}},
	)
	_, err := diffQomon(d, indexQomon(space()), Options{})
	var es Errors
	if !errors.As(err, &es) || !errors.Is(err, client.ErrBadInput) {
		t.Fatalf("got %v", err)
	}
	want := []string{
		"s.yaml:3: users[1].email: no user \"nobody@example.org\" in the space (people join by invitation",
		"s.yaml:5: users[3]: 10 is listed twice (by e-mail and by id)",
		"s.yaml:6: users[4].role: unknown role \"custom?\"",
		"s.yaml:8: teams[1].name: 2 teams are named \"Sud\" (ids 200, 201): add id: to pick one",
		"s.yaml:9: teams[2].name: team 200 is named \"Sud\" on the server, not \"Nord\"",
		"s.yaml:10: teams[3].id: no team with id 999 in the space",
		"s.yaml:11: teams[4].name: no team \"Ouest\" in the space",
		"s.yaml:13: teams[5].members[1]: no user \"x@example.org\"",
		"s.yaml:14: teams[5].leaders[1]: no user \"77\"",
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

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

package plan

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client"
)

// fieldops is a small organization: owner olivia, three members, two teams.
func fieldops() *qfcServer {
	return &qfcServer{
		org: client.Organization{Name: "fieldops", Owner: "olivia"},
		members: []client.Member{
			{User: "elena", Role: "admin", Public: true},
			{User: "jonas", Role: "member"},
			{User: "pablo", Role: "member"},
		},
		teams: []client.Team{
			{ID: "surveyors", Name: "surveyors", Members: []client.TeamMember{{User: "jonas"}, {User: "olivia"}}},
			{ID: "hydrology", Name: "hydrology", Members: []client.TeamMember{}},
		},
		roles:    qfcRoles,
		accounts: map[string]client.User{"tereza": {ID: "tereza", Type: client.AccountPerson}, "@fieldops/x": {ID: "@fieldops/x", Type: client.AccountTeam}},
	}
}

func qfcDoc(members []Member, teams ...Team) *Document {
	return &Document{File: "f.yaml", Provider: QFieldCloud, Organization: "fieldops", Members: members, Teams: teams}
}

// rows renders steps compactly for comparison: "op action group user held".
func rows(steps []Step) []string {
	out := []string{}
	for _, s := range steps {
		r := string(s.Op) + " " + string(s.Action) + " " + s.Group + " " + s.User
		if s.After != "" {
			r += " [" + s.Before + " → " + s.After + "]"
		}
		if s.Held {
			r += " held"
		}
		out = append(out, r)
	}
	return out
}

func TestReadQFieldCloudReadsOnlyWhatThePlanNeeds(t *testing.T) {
	t.Parallel()
	srv := fieldops()
	f := &fakeProvider{kind: QFieldCloud, org: srv.org, members: srv.members, teams: srv.teams, roles: qfcRoles,
		users: map[string]client.User{"tereza": {ID: "tereza", Type: client.AccountPerson}}}
	d := qfcDoc([]Member{{User: "elena"}, {User: "olivia"}, {User: "tereza"}, {User: "nobody"}})
	got, err := readQFieldCloud(context.Background(), f, d)
	if err != nil {
		t.Fatal(err)
	}
	// Existing members and the owner are not looked up; newcomers are,
	// once each.
	want := []string{"Organization fieldops", "Members fieldops", "Teams fieldops", "Roles", "User tereza", "User nobody"}
	if !reflect.DeepEqual(f.calls, want) {
		t.Errorf("calls:\n got %q\nwant %q", f.calls, want)
	}
	if _, ok := got.accounts["tereza"]; !ok {
		t.Error("tereza's account not kept")
	}
	if _, ok := got.accounts["nobody"]; ok {
		t.Error("an unknown user has an account")
	}
	if len(got.members) != 3 || len(got.teams) != 2 || got.org.Owner != "olivia" {
		t.Errorf("state: %+v", got)
	}
}

func TestReadQFieldCloudFailsOnAnyFailedRead(t *testing.T) {
	t.Parallel()
	for _, call := range []string{"Organization", "Members", "Teams", "Roles", "User"} {
		f := &fakeProvider{kind: QFieldCloud, org: client.Organization{Name: "fieldops"}, roles: qfcRoles, fail: call}
		_, err := readQFieldCloud(context.Background(), f, qfcDoc([]Member{{User: "tereza"}}))
		if !errors.Is(err, client.ErrServer) {
			t.Errorf("%s failing: got %v", call, err)
		}
	}
}

func TestIndexQFieldCloud(t *testing.T) {
	t.Parallel()
	ix := indexQFieldCloud(fieldops())
	if ix.member["jonas"].Role != "member" || ix.member["elena"].Role != "admin" || len(ix.member) != 3 {
		t.Errorf("members: %+v", ix.member)
	}
	if len(ix.team["surveyors"].Members) != 2 || ix.team["hydrology"].Name != "hydrology" || len(ix.team) != 2 {
		t.Errorf("teams: %+v", ix.team)
	}
}

func TestDiffQFieldCloudRowsAndOrder(t *testing.T) {
	t.Parallel()
	d := qfcDoc([]Member{
		{User: "tereza", Public: ptr(true)},
		{User: "elena", Role: "Creator", Public: ptr(false)}, // role names match any case
		{User: "jonas", Role: "member"},                      // unchanged
	},
		Team{Name: "hydrology", Members: []Ref{{User: "tereza"}}},
		Team{Name: "surveyors", Members: []Ref{{User: "olivia"}}}, // the owner may be in a team
	)
	for _, prune := range []bool{false, true} {
		pl, err := diffQFieldCloud(d, indexQFieldCloud(fieldops()), Options{Prune: prune})
		if err != nil {
			t.Fatal(err)
		}
		held := ""
		if !prune {
			held = " held"
		}
		// Join the organization, change, leave teams, join teams, leave
		// the organization.
		want := []string{
			"+ member.add organization fieldops tereza [ → role member, public]",
			"~ member.update organization fieldops elena [role admin, public → role creator, private]",
			"- team.member.remove team surveyors jonas" + held,
			"+ team.member.add team hydrology tereza",
			"- member.remove organization fieldops pablo" + held,
		}
		if got := rows(pl.Steps); !reflect.DeepEqual(got, want) {
			t.Errorf("prune=%v:\n got %q\nwant %q", prune, got, want)
		}
		if pl.Organization != "fieldops" || pl.File != "f.yaml" {
			t.Errorf("plan header: %+v", pl)
		}
	}
}

func TestDiffQFieldCloudUnchangedIsEmpty(t *testing.T) {
	t.Parallel()
	d := qfcDoc([]Member{{User: "elena", Role: "admin", Public: ptr(true)}, {User: "jonas"}, {User: "pablo", Role: "member", Public: ptr(false)}},
		Team{Name: "surveyors", Members: []Ref{{User: "jonas"}, {User: "olivia"}}},
		Team{Name: "hydrology"}) // members not given: left alone
	pl, err := diffQFieldCloud(d, indexQFieldCloud(fieldops()), Options{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Steps) != 0 {
		t.Errorf("steps for an unchanged file: %q", rows(pl.Steps))
	}
}

func TestDiffQFieldCloudReportsEveryProblem(t *testing.T) {
	t.Parallel()
	d := qfcDoc([]Member{
		{User: "olivia", Line: 4},
		{User: "elena", Role: "boss", Line: 5},
		{User: "nobody", Line: 6},
		{User: "@fieldops/x", Line: 7},
		{User: "jonas", Line: 8},
	},
		Team{Name: "astronomers", Line: 9, Members: []Ref{}},
		Team{Name: "hydrology", Line: 10, Members: []Ref{{User: "pablo", Line: 11}, {User: "stranger", Line: 12}}},
	)
	_, err := diffQFieldCloud(d, indexQFieldCloud(fieldops()), Options{Prune: true})
	var es Errors
	if !errors.As(err, &es) || !errors.Is(err, client.ErrBadInput) {
		t.Fatalf("got %v", err)
	}
	want := []string{
		"f.yaml:4: members[1].user: olivia owns fieldops",
		"f.yaml:5: members[2].role: unknown role \"boss\"",
		"f.yaml:6: members[3].user: no QFieldCloud user \"nobody\"",
		"f.yaml:7: members[4].user: \"@fieldops/x\" is an team, not a person",
		"f.yaml:9: teams[1].name: no team \"astronomers\" in fieldops",
		"f.yaml:11: teams[2].members[1]: pablo is not in members and would be pruned from fieldops",
		"f.yaml:12: teams[2].members[2]: stranger is not a member of fieldops",
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

// Without --prune, a member the file omits stays, so they may be listed
// in a team.
func TestDiffQFieldCloudTeamOfAKeptMember(t *testing.T) {
	t.Parallel()
	d := qfcDoc([]Member{{User: "elena"}, {User: "jonas"}}, Team{Name: "hydrology", Members: []Ref{{User: "pablo"}}})
	pl, err := diffQFieldCloud(d, indexQFieldCloud(fieldops()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"+ team.member.add team hydrology pablo", "- member.remove organization fieldops pablo held"}
	if got := rows(pl.Steps); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

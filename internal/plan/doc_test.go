package plan

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client"
)

func TestMarshalParseRoundTrip(t *testing.T) {
	t.Parallel()
	docs := []*Document{
		{Provider: QFieldCloud, Organization: "yes", Members: []Member{
			{User: "zed", Role: "member", Public: ptr(false)},
			{User: "12", Role: "admin", Public: ptr(true)},
			{User: "null"},
		}, Teams: []Team{{Name: "b-team", Members: []Ref{{User: "zed"}, {User: "12"}}}, {Name: "a-team", Members: []Ref{}}},
			Projects: []Project{
				{Name: "trees", Collaborators: []Collaborator{{User: "zed", Role: "editor"}, {User: "@yes/b-team", Role: "reader"}, {User: "12"}}},
				{Name: "Trees", Collaborators: []Collaborator{}},
				{Name: "relevé: 2019"},
			}},
		{Provider: Qomon, Members: []Member{{User: "ada@example.org", Role: "Référent quartier"}, {User: "42", Role: "true"}},
			Teams: []Team{{Name: "Nord: #1", ID: "7", Private: ptr(true), Members: []Ref{{User: "42"}}, Leaders: []Ref{}}}},
	}
	for _, d := range docs {
		data, err := d.Marshal("a header\nsecond line")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "# a header\n# second line\n") {
			t.Errorf("no header:\n%s", data)
		}
		back, err := Parse("x.yaml", data)
		if err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
		again, _ := back.Marshal("a header\nsecond line")
		if string(again) != string(data) {
			t.Errorf("not stable:\n%s\n---\n%s", data, again)
		}
		for i := range back.Members {
			back.Members[i].Line = 0
		}
		got := map[string]Member{}
		for _, m := range back.Members {
			got[m.User] = m
		}
		for _, m := range d.Members {
			if !reflect.DeepEqual(got[m.User], m) {
				t.Errorf("member %s: got %+v, want %+v", m.User, got[m.User], m)
			}
		}
		if back.Organization != d.Organization || len(back.Teams) != len(d.Teams) {
			t.Errorf("document changed: %+v", back)
		}
		got2 := map[string]Project{}
		for _, pr := range back.Projects {
			pr.Line = 0
			for i := range pr.Collaborators {
				pr.Collaborators[i].Line = 0
			}
			got2[pr.Name] = pr
		}
		for _, pr := range d.Projects {
			g := got2[pr.Name]
			if g.Name != pr.Name || (g.Collaborators == nil) != (pr.Collaborators == nil) || len(g.Collaborators) != len(pr.Collaborators) {
				t.Errorf("project %s: got %+v, want %+v", pr.Name, g, pr)
			}
			for _, c := range pr.Collaborators {
				found := false
				for _, x := range g.Collaborators {
					found = found || x == c
				}
				if !found {
					t.Errorf("project %s: row %+v lost: %+v", pr.Name, c, g.Collaborators)
				}
			}
		}
	}
}

func TestParseErrorsNameLineAndField(t *testing.T) {
	t.Parallel()
	cases := []struct{ doc, want string }{
		{"", "f.yaml:1: document: the file is empty"},
		{"- a\n", "f.yaml:1: want a mapping"},
		{"provider: qfieldcloud\n", "f.yaml:1: organization: missing"},
		{"provider: gitlab\n", "f.yaml:1: provider: want qfieldcloud or qomon"},
		{"provider: qomon\norganization: x\n", "f.yaml:2: organization: a Qomon token selects the space"},
		{"provider: qomon\nmembers: []\n", "f.yaml:2: members: a qomon file lists users, not members"},
		{"provider: qfieldcloud\norganization: o\nmembers:\n  - user: a\n  - user: A\n", "f.yaml:5: members[2].user: \"A\" is already listed at line 4"},
		{"provider: qfieldcloud\norganization: o\nmembers:\n  - role: admin\n", "f.yaml:4: members[1].user: missing"},
		{"provider: qomon\nusers:\n  - email: a@x\n    id: \"3\"\n", "f.yaml:4: users[1].id: give email or id, not both"},
		{"provider: qomon\nteams:\n  - name: N\n    leaders: [a@x, a@x]\n", "f.yaml:4: teams[1].leaders[2]: \"a@x\" is listed twice"},
		{"provider: qfieldcloud\norganization: o\nteams:\n  - name: t\n    private: true\n", "f.yaml:5: teams[1].private: unknown field"},
		{"provider: qfieldcloud\norganization: o\norganization: p\n", "f.yaml:3: organization: given twice"},
		{"provider: qomon\nprojects: []\n", "f.yaml:2: projects: Qomon has no projects"},
		{"provider: qfieldcloud\norganization: o\nprojects:\n  - name: t\n  - name: t\n", "f.yaml:5: projects[2].name: project \"t\" is already listed at line 4"},
		{"provider: qfieldcloud\norganization: o\nprojects:\n  - collaborators: []\n", "f.yaml:4: projects[1].name: missing"},
		{"provider: qfieldcloud\norganization: o\nprojects:\n  - name: t\n    collaborators:\n      - role: editor\n", "f.yaml:6: projects[1].collaborators[1].user: missing"},
		{"provider: qfieldcloud\norganization: o\nprojects:\n  - name: t\n    collaborators:\n      - user: a\n      - user: A\n", "f.yaml:7: projects[1].collaborators[2].user: \"A\" is already listed at line 6"},
		{"provider: qfieldcloud\norganization: o\nprojects:\n  - name: t\n    collaborators: a\n", "f.yaml:5: projects[1].collaborators: want a list"},
		{"provider: qfieldcloud\norganization: o\nprojects:\n  - name: t\n    members: []\n", "f.yaml:5: projects[1].members: unknown field"},
	}
	for _, c := range cases {
		_, err := Parse("f.yaml", []byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.doc, err, c.want)
		}
		if err != nil && !errors.Is(err, client.ErrBadInput) {
			t.Errorf("%q: not ErrBadInput: %v", c.doc, err)
		}
	}
}

func TestMatchRole(t *testing.T) {
	t.Parallel()
	roles := []client.Role{{ID: "1", Name: "Administrateur", Kind: "superadmin"}, {ID: "4", Name: "Champ", Kind: "user"}, {ID: "9", Name: "Trésorier", Kind: "custom"}, {ID: "10", Name: "Autre", Kind: "custom"}}
	for in, want := range map[string]string{"4": "Champ", "superadmin": "Administrateur", "champ": "Champ", "TRÉSORIER": "Trésorier"} {
		if r, why := matchRole(in, roles); r.Name != want {
			t.Errorf("%s: %q %s", in, r.Name, why)
		}
	}
	if _, why := matchRole("custom", roles); !strings.Contains(why, "ambiguous") {
		t.Errorf("custom: %s", why)
	}
	if _, why := matchRole("boss", roles); !strings.Contains(why, "unknown role \"boss\"") {
		t.Errorf("boss: %s", why)
	}
}

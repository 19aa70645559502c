package cmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
)

// rows returns a project's collaborator rows as user → role.
func rows(t *testing.T, srv *qfctest.Server, owner, name string) map[string]string {
	t.Helper()
	p, ok := srv.ProjectByName(owner, name)
	if !ok {
		t.Fatalf("no project %s/%s", owner, name)
	}
	m := map[string]string{}
	for _, c := range p.Collaborators {
		m[c.User] = c.Role
	}
	return m
}

func TestProjectsReadsGolden(t *testing.T) {
	t.Parallel()
	_, e := qfc(t)
	for _, c := range []struct {
		golden string
		args   []string
	}{
		{"qfc_projects_list.txt", []string{"projects", "list"}},
		{"qfc_projects_list_org.csv", []string{"projects", "list", "--org", "fieldops", "--csv"}},
		{"qfc_collaborators_list.txt", []string{"collaborators", "list", "fieldops/tree-inventory"}},
	} {
		r := e.run("", c.args...)
		expectCode(t, r, 0)
		golden(t, c.golden, r.stdout)
	}
}

func TestProjectsJSON(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	r := e.run("", "collaborators", "list", "fieldops/wetland-survey", "--json")
	expectCode(t, r, 0)
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if len(got) != 4 || got[0]["collaborator"] != "grace" || got[0]["role"] != "admin" || got[3]["type"] != "team" ||
		got[0]["project_id"] != srv.ProjectID("fieldops", "wetland-survey") {
		t.Errorf("rows: %v", got)
	}
	// By id, the list is one request.
	srv.Kit().ResetRequests()
	r = e.run("", "collaborators", "list", strings.ToUpper(srv.ProjectID("fieldops", "wetland-survey")), "--csv")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "grace,person,admin")
	if reqs := srv.Kit().Requests(); len(reqs) != 1 || reqs[0].RawQuery != "" {
		t.Errorf("requests %+v, want one without limit", reqs)
	}
	r = e.run("", "projects", "get", "fieldops/Trees", "--json")
	expectCode(t, r, 0)
	var p map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil || p["name"] != "Trees" || p["id"] != srv.ProjectID("fieldops", "Trees") ||
		p["user_role"] != "admin" || p["user_role_origin"] != "organization_owner" || p["private"] != true {
		t.Errorf("project: %v %v", p, err)
	}
	r = e.run("", "projects", "get", srv.ProjectID("city-parks", "playgrounds"))
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "your role:   reader (organization default)")
}

func TestProjectsResolveErrors(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	r := e.run("", "projects", "get", "fieldops/TREES")
	expectCode(t, r, 1)
	oneLineError(t, r, "names differing in case: fieldops/Trees, fieldops/trees")
	r = e.run("", "collaborators", "list", "tree-inventory")
	expectCode(t, r, 2)
	oneLineError(t, r, "OWNER/NAME")
	r = e.run("", "projects", "get", "fieldops/nope")
	expectCode(t, r, 1)
	oneLineError(t, r, "no such project")
	// A reader may not list the rows: the server's 403, explained.
	e.set("QFIELDCLOUD_TOKEN", srv.Token("kavya"))
	r = e.run("", "collaborators", "list", "fieldops/tree-inventory")
	expectCode(t, r, 1)
	oneLineError(t, r, "only the admins and managers")
}

func TestCollaboratorsWrites(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		args   []string
		stdout string
		check  func(t *testing.T, srv *qfctest.Server)
	}{
		{"add several with a role", []string{"collaborators", "add", "fieldops/wetland-survey", "maria", "@fieldops/botanists", "--role", "editor"},
			"Added @fieldops/botanists to fieldops/wetland-survey as editor",
			func(t *testing.T, srv *qfctest.Server) {
				r := rows(t, srv, "fieldops", "wetland-survey")
				if r["maria"] != "editor" || r["@fieldops/botanists"] != "editor" {
					t.Errorf("rows: %v", r)
				}
			}},
		{"add: default role reader", []string{"collaborators", "add", "fieldops/trees", "olga"}, "Added olga to fieldops/trees as reader",
			func(t *testing.T, srv *qfctest.Server) {
				if r := rows(t, srv, "fieldops", "trees"); r["olga"] != "reader" {
					t.Errorf("rows: %v", r)
				}
			}},
		{"add by project id", []string{"collaborators", "add", "", "olga"}, "Added olga to fieldops/Trees",
			func(t *testing.T, srv *qfctest.Server) {
				if r := rows(t, srv, "fieldops", "Trees"); r["olga"] != "reader" {
					t.Errorf("rows: %v", r)
				}
				if _, ok := rows(t, srv, "fieldops", "trees")["olga"]; ok {
					t.Error("added to the case variant")
				}
			}},
		{"set-role", []string{"collaborators", "set-role", "fieldops/wetland-survey", "ines", "manager"}, "ines is now manager on fieldops/wetland-survey",
			func(t *testing.T, srv *qfctest.Server) {
				if r := rows(t, srv, "fieldops", "wetland-survey"); r["ines"] != "manager" {
					t.Errorf("rows: %v", r)
				}
				for _, q := range srv.Kit().Requests() {
					if q.Method == "PATCH" && string(q.Body) != `{"role":"manager"}` {
						t.Errorf("PATCH body %s", q.Body)
					}
				}
			}},
		{"remove two", []string{"collaborators", "remove", "fieldops/tree-inventory", "lucas", "olga", "--yes"}, "Removed olga from fieldops/tree-inventory",
			func(t *testing.T, srv *qfctest.Server) {
				r := rows(t, srv, "fieldops", "tree-inventory")
				if _, ok := r["lucas"]; ok {
					t.Errorf("rows: %v", r)
				}
				if _, ok := r["olga"]; ok {
					t.Errorf("rows: %v", r)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv, e := qfc(t)
			args := c.args
			if args[2] == "" {
				args = append([]string(nil), args...)
				args[2] = strings.ToUpper(srv.ProjectID("fieldops", "Trees"))
			}
			r := e.run("", args...)
			expectCode(t, r, 0)
			expectContains(t, "stdout", r.stdout, c.stdout)
			c.check(t, srv)
			for _, q := range srv.Kit().Requests() {
				if strings.Contains(string(q.Body), "projectid") || strings.Contains(string(q.Body), `"owner"`) {
					t.Errorf("%s %s sent %s", q.Method, q.Path, q.Body)
				}
			}
		})
	}
}

// Refusals that must happen before any request: a team's row, an unknown
// role, a Qomon profile, --read-only.
func TestCollaboratorsRefusedBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"collaborators", "set-role", "fieldops/tree-inventory", "@fieldops/surveyors", "reader"}, "web UI"},
		{[]string{"collaborators", "remove", "fieldops/tree-inventory", "lucas", "@fieldops/surveyors", "--yes"}, "roster teams delete fieldops/surveyors"},
		{[]string{"collaborators", "add", "fieldops/tree-inventory", "maria", "--role", "Editor"}, "unknown project role"},
		{[]string{"collaborators", "set-role", "fieldops/tree-inventory", "lucas", "owner"}, "unknown project role"},
		{[]string{"collaborators", "add", "fieldops/tree-inventory", "@surveyors"}, "@ORG/TEAM"},
		{[]string{"--read-only", "collaborators", "add", "fieldops/tree-inventory", "maria"}, "read-only"},
		{[]string{"--read-only", "collaborators", "remove", "fieldops/tree-inventory", "lucas", "--yes"}, "read-only"},
	} {
		srv.Kit().ResetRequests()
		r := e.run("", c.args...)
		expectCode(t, r, 2)
		oneLineError(t, r, c.want)
		if n := len(srv.Kit().Requests()); n != 0 {
			t.Errorf("%v: %d requests sent", c.args, n)
		}
	}
}

func TestCollaboratorsQomon(t *testing.T) {
	t.Parallel()
	w, e := qom(t)
	for _, args := range [][]string{
		{"projects", "list"},
		{"projects", "get", "a/b"},
		{"collaborators", "list", "a/b"},
		{"collaborators", "add", "a/b", "bob"},
		{"collaborators", "remove", "a/b", "bob", "--yes"},
	} {
		r := e.run("", args...)
		expectCode(t, r, 2)
		oneLineError(t, r, "qomon")
	}
	if n := w.srv.Kit().CountWrites(); n != 0 {
		t.Errorf("%d writes", n)
	}
}

func TestCollaboratorsDryRun(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	before := srv.Projects()
	for _, args := range [][]string{
		{"collaborators", "add", "fieldops/wetland-survey", "maria", "olga", "--role", "editor"},
		{"collaborators", "set-role", "fieldops/wetland-survey", "ines", "manager"},
		{"collaborators", "remove", "fieldops/wetland-survey", "pablo"},
	} {
		r := e.run("", append(args, "--dry-run")...)
		expectCode(t, r, 0)
		expectContains(t, "stdout", r.stdout, "dry run, not sent: ")
		expectContains(t, "stdout", r.stdout, "(dry run: nothing sent)")
	}
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Errorf("the fake saw %d writes in dry-run mode", n)
	}
	r := e.run("", "collaborators", "set-role", "fieldops/wetland-survey", "ines", "manager", "--dry-run")
	expectContains(t, "stdout", r.stdout, "PATCH /api/v1/collaborators/"+srv.ProjectID("fieldops", "wetland-survey")+`/ines/ {"role":"manager"}`)
	after := srv.Projects()
	if len(before) != len(after) {
		t.Fatal("projects changed")
	}
	for i := range before {
		if len(before[i].Collaborators) != len(after[i].Collaborators) {
			t.Errorf("%s changed", after[i].Name)
		}
	}
}

func TestCollaboratorsPartialFailureAndAudit(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	// ben is not a member of fieldops: the server refuses his row.
	r := e.run("", "collaborators", "add", "fieldops/trees", "olga", "ben", "pablo")
	expectCode(t, r, 1)
	expectContains(t, "stdout", r.stdout, "Added olga")
	expectContains(t, "stdout", r.stdout, "Added pablo")
	expectContains(t, "stderr", r.stderr, "ben is not a member of fieldops")
	expectContains(t, "stderr", r.stderr, "roster: 1 of 3 failed: ben")
	got := rows(t, srv, "fieldops", "trees")
	if got["olga"] != "reader" || got["pablo"] != "reader" || got["ben"] != "" {
		t.Errorf("rows %v", got)
	}
	r = e.run("", "collaborators", "remove", "fieldops/trees", "olga")
	expectCode(t, r, 2)
	oneLineError(t, r, "--yes")
	r = e.run("", "collaborators", "set-role", "fieldops/trees", "olga", "editor")
	expectCode(t, r, 0)
	r = e.run("", "log", "--json")
	expectCode(t, r, 0)
	var entries []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &entries); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	var actions []string
	for _, en := range entries {
		actions = append(actions, en["action"].(string)+" "+en["target"].(string)+" "+en["outcome"].(string))
	}
	want := []string{"collaborator.add fieldops/trees: olga ok", "collaborator.add fieldops/trees: ben error",
		"collaborator.add fieldops/trees: pablo ok", "collaborator.set_role fieldops/trees: olga ok"}
	if strings.Join(actions, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(actions, "\n"), strings.Join(want, "\n"))
	}
	if entries[3]["before"] != "role=reader" || entries[3]["after"] != "role=editor" {
		t.Errorf("set_role entry %v", entries[3])
	}
}

func TestProjectCommandsHaveExamples(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, args := range [][]string{
		{"projects", "list"}, {"projects", "get"}, {"collaborators", "list"}, {"collaborators", "add"},
		{"collaborators", "set-role"}, {"collaborators", "remove"}, {"access"}, {"offboard"},
	} {
		r := e.run("", append(args, "--help")...)
		expectCode(t, r, 0)
		if !strings.Contains(r.stdout, "Examples:\n  ") {
			t.Errorf("%v --help has no Examples section:\n%s", args, r.stdout)
		}
	}
}

package cmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// inAnything reports where a person still has a row, a team or a
// membership in the fake.
func inAnything(srv *qfctest.Server, user string) []string {
	var out []string
	for _, p := range srv.Projects() {
		for _, c := range p.Collaborators {
			if c.User == user {
				out = append(out, "row "+p.Owner+"/"+p.Name)
			}
		}
	}
	for _, org := range []string{"fieldops", "geo-survey", "city-parks", "wetland-watch"} {
		if _, ok := member(srv, org, user); ok {
			out = append(out, "member "+org)
		}
		for _, t := range srv.Teams(org) {
			for _, m := range t.Members {
				if m == user {
					out = append(out, "team "+org+"/"+t.Name)
				}
			}
		}
	}
	return out
}

func TestAccessGolden(t *testing.T) {
	t.Parallel()
	_, e := qfc(t)
	r := e.run("", "access", "ines")
	expectCode(t, r, 0)
	golden(t, "qfc_access_ines.txt", r.stdout)
	r = e.run("", "access", "kavya", "--org", "fieldops")
	expectCode(t, r, 0)
	golden(t, "qfc_access_kavya_fieldops.txt", r.stdout)
}

func TestAccessJSON(t *testing.T) {
	t.Parallel()
	_, e := qfc(t)
	r := e.run("", "access", "ines", "--json")
	expectCode(t, r, 0)
	var got struct {
		User     string `json:"user"`
		Projects []struct {
			Owner, Name, Role, Origin, Team string
		} `json:"projects"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	origins := map[string]string{}
	for _, p := range got.Projects {
		origins[p.Owner+"/"+p.Name] = p.Role + " " + p.Origin + " " + p.Team
	}
	if origins["fieldops/tree-inventory"] != "editor team_member @fieldops/surveyors" ||
		origins["fieldops/wetland-survey"] != "reader collaborator " || origins["ines/field-notes"] != "admin project_owner " {
		t.Errorf("origins %v", origins)
	}
}

func TestAccessErrors(t *testing.T) {
	t.Parallel()
	_, e := qfc(t)
	r := e.run("", "access", "nobody")
	expectCode(t, r, 1)
	oneLineError(t, r, "nobody")
	r = e.run("", "access", "@fieldops/surveyors")
	expectCode(t, r, 2)
	oneLineError(t, r, "one person's username")
	r = e.run("", "access", "ines", "--org", "nosuchorg")
	expectCode(t, r, 1)
	oneLineError(t, r, "nosuchorg")
	_, eq := qom(t)
	r = eq.run("", "access", "bob")
	expectCode(t, r, 2)
	oneLineError(t, r, "qomon")
}

func TestOffboardDryRunSendsNoWrite(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	before := inAnything(srv, "ines")
	r := e.run("", "offboard", "ines", "--dry-run")
	expectCode(t, r, 0)
	golden(t, "qfc_offboard_ines_dryrun.txt", r.stdout)
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Errorf("the fake saw %d writes in a dry run", n)
	}
	if after := inAnything(srv, "ines"); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("state changed: %v → %v", before, after)
	}
}

func TestOffboardRemovesEveryRow(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	r := e.run("", "offboard", "ines", "--org", "fieldops", "--yes")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "✓ remove ines's row (reader) from project fieldops/wetland-survey")
	expectContains(t, "stdout", r.stdout, "✓ remove ines from team fieldops/surveyors")
	expectContains(t, "stdout", r.stdout, "✓ remove ines from organization fieldops (member)")
	if left := inAnything(srv, "ines"); len(left) != 0 {
		t.Errorf("ines is still in: %v", left)
	}
	// Each removal is one request, in the plan's order, each audited.
	var writes []string
	for _, q := range srv.Kit().Requests() {
		if q.IsWrite() {
			writes = append(writes, q.Method+" "+q.Path)
		}
	}
	want := []string{
		"DELETE /api/v1/collaborators/" + srv.ProjectID("fieldops", "wetland-survey") + "/ines/",
		"DELETE /api/v1/organizations/fieldops/teams/surveyors/members/ines/",
		"DELETE /api/v1/members/fieldops/ines/",
	}
	if strings.Join(writes, "\n") != strings.Join(want, "\n") {
		t.Errorf("writes:\n%s", strings.Join(writes, "\n"))
	}
	r = e.run("", "log")
	expectContains(t, "log", r.stdout, "collaborator.remove")
	expectContains(t, "log", r.stdout, "fieldops/wetland-survey: ines")
	expectContains(t, "log", r.stdout, "team.member.remove")
	expectContains(t, "log", r.stdout, "member.remove")
}

func TestOffboardLeftAndRefused(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	// kavya's row removal fails on the server; ines/field-notes is owned.
	srv.Kit().Inject(fakehttp.Fault{Method: "DELETE", PathPrefix: "/api/v1/collaborators/", Kind: fakehttp.FaultStatus, Status: 500, Times: 1})
	r := e.run("", "offboard", "kavya", "--yes")
	expectCode(t, r, 1)
	expectContains(t, "stdout", r.stdout, "✗ remove kavya's row (reader) from project fieldops/tree-inventory")
	expectContains(t, "stdout", r.stdout, "to finish: roster collaborators remove fieldops/tree-inventory kavya --yes")
	oneLineError(t, r, "1 of 3 removals failed")
	// The rest went on: she left the team and the organization (which
	// also dropped the row the server refused).
	if left := inAnything(srv, "kavya"); len(left) != 0 {
		t.Errorf("kavya is still in: %v", left)
	}

	r = e.run("", "offboard", "ines", "--yes")
	expectCode(t, r, 1)
	expectContains(t, "stdout", r.stdout, "project ines/field-notes: ines owns it")
	oneLineError(t, r, "all 3 removals made, but 1 way in is left")
}

func TestOffboardRefusals(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"offboard", "ines"}, 2, "--yes"},
		{[]string{"offboard", "demo", "--yes"}, 2, "that is you"},
		{[]string{"--read-only", "offboard", "ines", "--yes"}, 2, "read-only"},
	} {
		r := e.run("", c.args...)
		expectCode(t, r, c.code)
		oneLineError(t, r, c.want)
	}
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Errorf("%d writes", n)
	}
	e.tty = true
	r := e.run("n\n", "offboard", "ines")
	expectCode(t, r, 1)
	expectContains(t, "stderr", r.stderr, "Make these 3 removals for ines? [y/N]")
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Errorf("%d writes after answering no", n)
	}
}

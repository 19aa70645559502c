package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/audit"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// writeFile puts a membership file in the env's directory.
func (e *env) writeFile(name, content string) string {
	e.t.Helper()
	path := filepath.Join(e.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return path
}

// edit replaces old with new in s, failing when old is absent.
func edit(t *testing.T, s string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("edit: %q not in\n%s", pairs[i], s)
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// auditEntries reads the env's audit log, failing on a damaged line.
func (e *env) auditEntries() []audit.Entry {
	e.t.Helper()
	path, err := audit.DefaultPath(func(k string) string { return e.vars[k] })
	if err != nil {
		e.t.Fatal(err)
	}
	got, err := audit.New(path, nil).Read(timeZero, func(d audit.Damaged) { e.t.Errorf("audit line %d damaged: %v", d.Line, d.Err) })
	if err != nil {
		e.t.Fatal(err)
	}
	return got
}

// qomonDemo starts the seeded demo Qomon with an env signed in as its
// superadmin.
func qomonDemo(t *testing.T) (*qomontest.Server, *env) {
	t.Helper()
	srv := qomontest.New()
	t.Cleanup(srv.Close)
	srv.SeedDemo()
	e := newEnv(t)
	e.set("QOMON_URL", srv.URL()).set("QOMON_TOKEN", srv.DemoToken())
	return srv, e
}

// Exporting and applying the unchanged file sends no write, on both
// providers.
func TestExportApplyRoundTripIsNoOp(t *testing.T) {
	t.Parallel()
	t.Run("qfieldcloud", func(t *testing.T) {
		t.Parallel()
		srv, e := qfc(t)
		r := e.run("", "export", "fieldops")
		expectCode(t, r, 0)
		golden(t, "export_qfc_fieldops.yaml", r.stdout)
		file := e.writeFile("fieldops.yaml", r.stdout)
		srv.Kit().ResetRequests()
		for _, args := range [][]string{{"plan", file}, {"apply", file, "--yes"}, {"apply", file, "--yes", "--prune"}} {
			r = e.run("", args...)
			expectCode(t, r, 0)
			expectContains(t, "stdout", r.stdout, "0 to add, 0 to change, 0 to remove")
		}
		if n := srv.Kit().CountWrites(); n != 0 {
			t.Errorf("%d writes for an unchanged file", n)
		}
	})
	t.Run("qomon", func(t *testing.T) {
		t.Parallel()
		srv, e := qomonDemo(t)
		path := filepath.Join(e.dir, "space.yaml")
		r := e.run("", "export", "-o", path)
		expectCode(t, r, 0)
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("exported file: %v %v", st, err)
		}
		data, _ := os.ReadFile(path)
		golden(t, "export_qomon_demo.yaml", string(data))
		srv.Kit().ResetRequests()
		for _, args := range [][]string{{"plan", path}, {"apply", path, "--yes", "--prune"}} {
			r = e.run("", args...)
			expectCode(t, r, 0)
			expectContains(t, "stdout", r.stdout, "0 to add, 0 to change, 0 to remove")
		}
		if n := srv.Kit().CountWrites(); n != 0 {
			t.Errorf("%d writes for an unchanged file", n)
		}
	})
}

// fieldopsEdited is the export of fieldops with a change of every kind:
// elena becomes a private creator, tereza joins (organization, team
// hydrology, project tree-inventory as editor), pablo leaves (and so his
// row on wetland-survey), jonas leaves team surveyors; on the projects,
// kavya is promoted, the surveyors' rows (team rows, which the API
// cannot change or remove) change and go, and hiro's row (support staff)
// is left out.
func fieldopsEdited(t *testing.T, e *env) string {
	t.Helper()
	return edit(t, e.run("", "export", "fieldops").stdout,
		"  - user: elena\n    role: admin\n    public: true", "  - user: elena\n    role: creator\n    public: false",
		"  - user: farid\n", "  - user: tereza\n    public: true\n  - user: farid\n",
		"      - nils\n", "      - nils\n      - tereza\n",
		"  - user: pablo\n    role: member\n    public: false\n", "",
		"      - jonas\n", "",
		"      - user: pablo\n        role: editor\n", "",
		"      - user: kavya\n        role: reader\n", "      - user: kavya\n        role: editor\n      - user: tereza\n        role: editor\n",
		"      - user: '@fieldops/surveyors'\n        role: editor\n", "      - user: '@fieldops/surveyors'\n        role: reader\n",
		"  - name: open-data\n    collaborators:\n      - user: '@fieldops/surveyors'\n        role: reporter\n", "  - name: open-data\n    collaborators: []\n",
		"      - user: hiro\n        role: reader\n", "")
}

func TestPlanGolden(t *testing.T) {
	t.Parallel()
	t.Run("qfieldcloud", func(t *testing.T) {
		t.Parallel()
		srv, e := qfc(t)
		doc := fieldopsEdited(t, e)
		srv.Kit().ResetRequests()
		r := e.run(doc, "plan", "-")
		expectCode(t, r, 3)
		golden(t, "plan_qfc.txt", r.stdout)
		r = e.run(doc, "plan", "-", "--prune")
		expectCode(t, r, 3)
		golden(t, "plan_qfc_prune.txt", r.stdout)
		r = e.run(doc, "plan", "-", "--json")
		expectCode(t, r, 3)
		if !json.Valid([]byte(r.stdout)) {
			t.Fatalf("invalid JSON:\n%s", r.stdout)
		}
		golden(t, "plan_qfc.json", r.stdout)
		if n := srv.Kit().CountWrites(); n != 0 {
			t.Errorf("plan sent %d writes", n)
		}
	})
	t.Run("qomon", func(t *testing.T) {
		t.Parallel()
		srv, e := qomonDemo(t)
		doc := edit(t, e.run("", "export").stdout,
			"  - email: adam.martinez@campagne.example\n    role: Champ", "  - email: adam.martinez@campagne.example\n    role: organisateur",
			"  - name: Jeunes\n    private: true", "  - name: Jeunes\n    private: false",
			"      - adam.martinez@campagne.example\n      - anna.legrand@campagne.example\n", "      - adam.martinez@campagne.example\n",
			"    leaders:\n      - lea.petit@campagne.example", "    leaders:\n      - adam.martinez@campagne.example\n      - lea.petit@campagne.example",
			"      - alice.mercier@campagne.example\n      - jade.morel", "      - alice.mercier@campagne.example\n      - camille.robert@campagne.example\n      - jade.morel")
		r := e.run(doc, "plan", "-", "--prune")
		expectCode(t, r, 3)
		golden(t, "plan_qomon.txt", r.stdout)
		if n := srv.Kit().CountWrites(); n != 0 {
			t.Errorf("plan sent %d writes", n)
		}
		// And apply makes it so: the same file then plans nothing.
		r = e.run(doc, "apply", "-", "--prune", "--yes")
		expectCode(t, r, 0)
		expectContains(t, "stdout", r.stdout, "5 done, 0 failed.")
		r = e.run(doc, "plan", "-", "--prune")
		expectCode(t, r, 0)
	})
}

// One failing row (the member limit of wetland-watch) does not stop the
// others; the exit status says something failed.
func TestApplyOneFailingRowCompletesTheOthers(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	e.set("QFIELDCLOUD_TOKEN", srv.Token("chloe"))
	doc := edit(t, e.run("", "export", "wetland-watch").stdout,
		"  - user: esther\n", "  - user: ana\n    role: creator\n  - user: esther\n",
		"      - isla\n", "      - isla\n      - jakub\n")
	r := e.run(doc, "apply", "-", "--yes")
	expectCode(t, r, 1)
	expectContains(t, "stdout", r.stdout, "✗ add ana to organization wetland-watch")
	expectContains(t, "stdout", r.stdout, "✓ add jakub to team water-quality")
	expectContains(t, "stdout", r.stdout, "1 done, 1 failed.")
	expectContains(t, "stderr", r.stderr, "1 of 2 changes failed")
	if _, ok := member(srv, "wetland-watch", "ana"); ok {
		t.Error("ana was added past the member limit")
	}
	if tm, _ := team(srv, "wetland-watch", "water-quality"); !strings.Contains(strings.Join(tm.Members, ","), "jakub") {
		t.Errorf("jakub not in water-quality: %v", tm.Members)
	}
	// Both rows are in the audit log with their outcome.
	var outcomes []string
	for _, en := range e.auditEntries() {
		outcomes = append(outcomes, en.Action+" "+en.Target+" "+en.Outcome)
	}
	if got := strings.Join(outcomes, "; "); got != "member.add ana error; team.member.add water-quality: jakub ok" {
		t.Errorf("audit: %s", got)
	}
}

func TestApplyRemovalsNeedPrune(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	doc := edit(t, e.run("", "export", "geo-survey").stdout,
		"  - user: olga\n    role: creator\n    public: false\n", "",
		"      - tereza\n", "")
	r := e.run(doc, "apply", "-", "--yes")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "0 to add, 0 to change, 2 to remove, kept: apply needs --prune")
	if _, ok := member(srv, "geo-survey", "olga"); !ok {
		t.Fatal("olga was removed without --prune")
	}
	r = e.run(doc, "apply", "-", "--yes", "--prune")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "✓ remove tereza from team north")
	expectContains(t, "stdout", r.stdout, "✓ remove olga from organization geo-survey")
	// Team removals come before organization removals.
	if strings.Index(r.stdout, "✓ remove tereza") > strings.Index(r.stdout, "✓ remove olga") {
		t.Errorf("organization removal before team removal:\n%s", r.stdout)
	}
	if _, ok := member(srv, "geo-survey", "olga"); ok {
		t.Error("olga still a member after --prune")
	}
	if _, ok := member(srv, "geo-survey", "tereza"); !ok {
		t.Error("tereza left the organization; only her team membership was to go")
	}
}

// Someone changes a Qomon team between the plan and the write: the write
// is refused, nothing of theirs is overwritten, exit 1.
func TestApplyDetectsConcurrentQomonTeamChange(t *testing.T) {
	t.Parallel()
	srv, e := qomonDemo(t)
	doc := edit(t, e.run("", "export").stdout,
		"      - alice.mercier@campagne.example\n      - jade.morel", "      - alice.mercier@campagne.example\n      - camille.robert@campagne.example\n      - jade.morel")
	var phoning qomontest.Team
	for _, tm := range srv.Teams(qomontest.DemoSpace) {
		if tm.Name == "Phoning" {
			phoning = tm
		}
	}
	intruder := srv.Users(qomontest.DemoSpace)[0].ID
	srv.BeforeTeamWrite(func(id int64) {
		if id == phoning.ID {
			srv.BeforeTeamWrite(nil)
			srv.EditTeam(id, func(t *qomontest.Team) { t.Users = append(t.Users, intruder) })
		}
	})
	r := e.run(doc, "apply", "-", "--yes")
	expectCode(t, r, 1)
	expectContains(t, "stdout", r.stdout, "✗ add camille.robert@campagne.example to team Phoning")
	expectContains(t, "stdout", r.stdout, "changed by someone else")
	got, _ := srv.Team(qomontest.DemoSpace, phoning.ID)
	if !containsID(got.Users, intruder) {
		t.Error("the other person's change was overwritten")
	}
	for _, u := range srv.Users(qomontest.DemoSpace) {
		if u.Mail == "camille.robert@campagne.example" && containsID(got.Users, u.ID) {
			t.Error("the write went through despite the conflict")
		}
	}
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func TestPlanValidationErrors(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	cases := []struct {
		name, doc string
		want      []string
	}{
		{"syntax", "provider: qfieldcloud\norganization: fieldops\nmembers:\n  - user: [\n", []string{"f.yaml:4: YAML: did not find expected node content"}},
		{"structure", `provider: qfieldcloud
organization: fieldops
members:
  - user: elena
    rol: admin
  - user: farid
    public: maybe
teams: {}
`, []string{"f.yaml:5: members[1].rol: unknown field", "f.yaml:7: members[2].public: want true or false", "f.yaml:8: teams: want a list"}},
		{"server", `provider: qfieldcloud
organization: fieldops
members:
  - user: elena
    role: boss
  - user: nobody-here
  - user: ana
teams:
  - name: surveyors
    members:
      - ines
      - pablo
      - qiang
  - name: astronomers
    members: []
`, []string{"f.yaml:4: members[1].role: unknown role \"boss\"", "f.yaml:6: members[2].user: no QFieldCloud user \"nobody-here\"",
			"f.yaml:13: teams[1].members[3]: qiang is not a member of fieldops", "f.yaml:14: teams[2].name: no team \"astronomers\""}},
		{"provider", "provider: qomon\nusers: []\n", []string{"f.yaml:1: provider: the file describes qomon"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv.Kit().ResetRequests()
			file := e.writeFile("f.yaml", c.doc)
			for _, cmd := range []string{"plan", "apply"} {
				r := e.run("", cmd, file, "--yes" /* refused by plan as a usage error too */)
				if cmd == "plan" {
					r = e.run("", cmd, file)
				}
				expectCode(t, r, 2)
				for _, w := range c.want {
					expectContains(t, "stderr", r.stderr, w)
				}
			}
			if n := srv.Kit().CountWrites(); n != 0 {
				t.Errorf("%d writes sent for an invalid file", n)
			}
		})
	}
}

func TestApplyConfirmation(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	doc := edit(t, e.run("", "export", "fieldops").stdout, "  - user: elena\n    role: admin", "  - user: elena\n    role: member")
	file := e.writeFile("f.yaml", doc)
	r := e.run("", "apply", file)
	expectCode(t, r, 2)
	expectContains(t, "stderr", r.stderr, "pass --yes")
	e.tty = true
	r = e.run("n\n", "apply", file)
	expectCode(t, r, 1)
	expectContains(t, "stderr", r.stderr, "cancelled")
	if m, _ := member(srv, "fieldops", "elena"); m.Role != "admin" {
		t.Errorf("elena is %s after a cancelled apply", m.Role)
	}
	r = e.run("y\n", "apply", file)
	expectCode(t, r, 0)
	if m, _ := member(srv, "fieldops", "elena"); m.Role != "member" {
		t.Errorf("elena is %s after apply", m.Role)
	}
}

func TestApplyDryRunSendsNothing(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	doc := edit(t, e.run("", "export", "fieldops").stdout,
		"  - user: elena\n    role: admin", "  - user: elena\n    role: member",
		"  - user: farid\n", "  - user: tereza\n  - user: farid\n",
		"      - jonas\n", "")
	srv.Kit().ResetRequests()
	r := e.run(doc, "apply", "-", "--dry-run", "--prune")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "dry run, not sent: PATCH /api/v1/members/fieldops/elena/")
	expectContains(t, "stdout", r.stdout, "Dry run: 3 writes printed, nothing sent.")
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Errorf("dry run sent %d writes", n)
	}
	if m, _ := member(srv, "fieldops", "elena"); m.Role != "admin" {
		t.Errorf("elena is %s after a dry run", m.Role)
	}
	if got := e.auditEntries(); len(got) != 0 {
		t.Errorf("a dry run was recorded in the audit log: %+v", got)
	}
}

// writes lists the write requests in the fake's log as "METHOD path".
func writes(reqs []fakehttp.Request) []string {
	var out []string
	for _, r := range reqs {
		if r.IsWrite() {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// A member added by hand on the server is drift: plan exits 3 and counts
// the removal, with and without --prune; apply without --prune sends
// nothing, and plan --prune shows exactly what apply --prune runs.
func TestPlanReportsEveryDifferenceAsDrift(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	file := e.writeFile("fieldops.yaml", e.run("", "export", "fieldops").stdout)
	srv.AddMember("fieldops", "tereza", "member", false)
	srv.Kit().ResetRequests()

	r := e.run("", "plan", file)
	expectCode(t, r, 3)
	expectContains(t, "stdout", r.stdout, "  - tereza  was role member, private  (kept: removals need --prune)")
	expectContains(t, "stdout", r.stdout, "0 to add, 0 to change, 1 to remove, kept: apply needs --prune\n")
	r = e.run("", "plan", file, "--json")
	expectCode(t, r, 3)
	expectContains(t, "stdout", r.stdout, `"summary": {
    "add": 0,
    "change": 0,
    "remove": 1,
    "held": 1,
    "blocked": 0
  }`)

	r = e.run("", "apply", file, "--yes")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "1 to remove, kept: apply needs --prune")
	if w := writes(srv.Kit().Requests()); len(w) != 0 {
		t.Errorf("plan and apply without --prune sent %q", w)
	}
	if _, ok := member(srv, "fieldops", "tereza"); !ok {
		t.Fatal("tereza was removed without --prune")
	}

	pruned := e.run("", "plan", file, "--prune")
	expectCode(t, pruned, 3)
	expectContains(t, "stdout", pruned.stdout, "0 to add, 0 to change, 1 to remove\n")
	r = e.run("", "apply", file, "--prune", "--yes")
	expectCode(t, r, 0)
	if !strings.HasPrefix(r.stdout, pruned.stdout) {
		t.Errorf("plan --prune is not the plan apply --prune ran:\n--- plan\n%s--- apply\n%s", pruned.stdout, r.stdout)
	}
	if got, want := writes(srv.Kit().Requests()), []string{"DELETE /api/v1/members/fieldops/tereza/"}; !reflect.DeepEqual(got, want) {
		t.Errorf("writes: %q, want %q", got, want)
	}
	r = e.run("", "plan", file)
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "No changes: the server matches the file.")
}

// A Qomon user who joined the space and is not in the file is drift too;
// apply never tries to remove them (there is no API), even with --prune.
func TestPlanQomonUserNotInFileIsDrift(t *testing.T) {
	t.Parallel()
	srv, e := qomonDemo(t)
	file := e.writeFile("space.yaml", e.run("", "export").stdout)
	srv.AddUser(qomontest.DemoSpace, qomontest.User{FirstName: "Zoé", Surname: "Nouvelle", Mail: "zoe.nouvelle@campagne.example"})
	srv.Kit().ResetRequests()
	for _, prune := range []string{"--prune=false", "--prune"} {
		r := e.run("", "plan", file, prune)
		expectCode(t, r, 3)
		expectContains(t, "stdout", r.stdout, "  - zoe.nouvelle@campagne.example  was role ")
		expectContains(t, "stdout", r.stdout, "(cannot be made through the API: Qomon has no endpoint that removes a person from a space; they stay)")
		expectContains(t, "stdout", r.stdout, "0 to add, 0 to change, 1 to remove; 1 cannot be made through the API\n")
		r = e.run("", "apply", file, prune, "--yes")
		expectCode(t, r, 0)
	}
	if w := writes(srv.Kit().Requests()); len(w) != 0 {
		t.Errorf("sent %q", w)
	}
	if _, ok := srv.UserByMail(qomontest.DemoSpace, "zoe.nouvelle@campagne.example"); !ok {
		t.Error("the user left the space")
	}
}

// Collaborator rows are applied in a safe order, removals only with
// --prune; team rows the API cannot change are reported as not made,
// never as done, and nothing is sent for them.
func TestApplyCollaborators(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	// tereza stays out of team hydrology: she is in geo-survey's team
	// north, and a person can be in one team only.
	file := e.writeFile("fieldops.yaml", edit(t, fieldopsEdited(t, e), "      - nils\n      - tereza\n", "      - nils\n"))
	treeInv := srv.ProjectID("fieldops", "tree-inventory")
	wetland := srv.ProjectID("fieldops", "wetland-survey")
	relevé := srv.ProjectID("fieldops", "relevé-2019")
	row := func(project, user string) string {
		p, _ := srv.ProjectByName("fieldops", project)
		for _, c := range p.Collaborators {
			if c.User == user {
				return c.Role
			}
		}
		return ""
	}

	srv.Kit().ResetRequests()
	r := e.run("", "apply", file, "--yes")
	expectCode(t, r, 1)
	got := writes(srv.Kit().Requests())
	want := []string{
		"POST /api/v1/members/fieldops/",
		"PATCH /api/v1/members/fieldops/elena/",
		"POST /api/v1/collaborators/" + treeInv + "/",
		"PATCH /api/v1/collaborators/" + treeInv + "/kavya/",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("apply without --prune sent\n%q\nwant\n%q", got, want)
	}
	expectContains(t, "stdout", r.stdout, "✓ add tereza to project tree-inventory as editor")
	expectContains(t, "stdout", r.stdout, "✗ change @fieldops/surveyors on project tree-inventory: role editor → role reader: cannot be made through the API: a team's row changes only in the web UI")
	expectContains(t, "stdout", r.stdout, "4 done, 1 failed.")
	expectContains(t, "stderr", r.stderr, "1 of 5 changes failed (marked ✗ above; 1 cannot be made through the API)")
	if strings.Contains(r.stdout, "✓ change @fieldops/surveyors") || strings.Contains(r.stdout, "✓ remove") {
		t.Errorf("a row reported done that was not made:\n%s", r.stdout)
	}
	for _, c := range []struct{ project, user, role string }{
		{"tree-inventory", "tereza", "editor"}, {"tree-inventory", "kavya", "editor"},
		{"tree-inventory", "@fieldops/surveyors", "editor"}, {"open-data", "@fieldops/surveyors", "reporter"},
		{"wetland-survey", "pablo", "editor"}, {"relevé-2019", "hiro", "reader"},
	} {
		if got := row(c.project, c.user); got != c.role {
			t.Errorf("%s on %s: role %q, want %q", c.user, c.project, got, c.role)
		}
	}
	var audited []string
	for _, en := range e.auditEntries() {
		if strings.HasPrefix(en.Action, "collaborator.") {
			audited = append(audited, en.Action+" "+en.Outcome)
		}
	}
	if want := []string{"collaborator.add ok", "collaborator.set_role ok"}; !reflect.DeepEqual(audited, want) {
		t.Errorf("audit: %q, want %q", audited, want)
	}

	// With --prune: each row the file leaves out goes, by name, before
	// the person leaves the organization; team rows stay, reported.
	srv.Kit().ResetRequests()
	r = e.run("", "apply", file, "--yes", "--prune")
	expectCode(t, r, 1)
	got = writes(srv.Kit().Requests())
	want = []string{
		"DELETE /api/v1/organizations/fieldops/teams/surveyors/members/jonas/",
		"DELETE /api/v1/collaborators/" + relevé + "/hiro/",
		"DELETE /api/v1/collaborators/" + wetland + "/pablo/",
		"DELETE /api/v1/members/fieldops/pablo/",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("apply --prune sent\n%q\nwant\n%q", got, want)
	}
	expectContains(t, "stdout", r.stdout, "✓ remove hiro from project relevé-2019")
	expectContains(t, "stdout", r.stdout, "✗ remove @fieldops/surveyors from project open-data: cannot be made through the API")
	if row("relevé-2019", "hiro") != "" || row("wetland-survey", "pablo") != "" || row("open-data", "@fieldops/surveyors") != "reporter" {
		t.Error("rows after apply --prune are not as planned")
	}
	r = e.run("", "plan", file, "--prune")
	expectCode(t, r, 3)
	expectContains(t, "stdout", r.stdout, "0 to add, 1 to change, 1 to remove; 2 cannot be made through the API\n")
}

// A dry run prints the collaborator writes and sends none; rows the API
// cannot make are still reported as not made.
func TestApplyDryRunCollaborators(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	doc := edit(t, fieldopsEdited(t, e), "      - nils\n      - tereza\n", "      - nils\n")
	treeInv := srv.ProjectID("fieldops", "tree-inventory")
	wetland := srv.ProjectID("fieldops", "wetland-survey")
	srv.Kit().ResetRequests()
	r := e.run(doc, "apply", "-", "--dry-run", "--prune")
	expectCode(t, r, 1)
	for _, w := range []string{
		"dry run, not sent: POST /api/v1/collaborators/" + treeInv + `/ {"collaborator":"tereza","role":"editor"}`,
		"dry run, not sent: PATCH /api/v1/collaborators/" + treeInv + `/kavya/ {"role":"editor"}`,
		"dry run, not sent: DELETE /api/v1/collaborators/" + wetland + "/pablo/",
		"✗ change @fieldops/surveyors on project tree-inventory: role editor → role reader: cannot be made through the API",
		"Dry run: 8 writes printed, nothing sent.",
	} {
		expectContains(t, "stdout", r.stdout, w)
	}
	expectContains(t, "stderr", r.stderr, "2 rows cannot be made through the API")
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Errorf("dry run sent %d writes", n)
	}
}

var timeZero time.Time

// An account that is not an organization admin exports what it can read
// and says what it left out, on stderr and in the file; the file then
// plans clean and its project list is left alone.
func TestExportSaysWhatItCannotRead(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	e.set("QFIELDCLOUD_TOKEN", srv.Token("maria"))
	r := e.run("", "export", "fieldops")
	expectCode(t, r, 0)
	for _, w := range []string{
		"note: this account is not an admin of fieldops: only the projects it holds a role on are listed",
		"note: left out 2 project(s) whose collaborators this account cannot read (project admins and managers only): tree-inventory, Trees",
	} {
		expectContains(t, "stderr", r.stderr, "roster: "+w)
		expectContains(t, "stdout", r.stdout, "# N"+w[1:]+".\n")
	}
	expectContains(t, "stdout", r.stdout, "\nprojects: []\n")
	srv.Kit().ResetRequests()
	r = e.run(r.stdout, "plan", "-", "--prune")
	expectCode(t, r, 0)
	for _, q := range srv.Kit().Requests() {
		if strings.HasPrefix(q.Path, "/api/v1/collaborators/") || strings.HasPrefix(q.Path, "/api/v1/projects/") {
			t.Errorf("a plan of no projects read %s %s", q.Method, q.Path)
		}
	}
	// Naming a project whose rows this account cannot read fails the
	// plan: it is complete or not made.
	r = e.run(edit(t, e.run("", "export", "fieldops").stdout, "projects: []", "projects:\n  - name: tree-inventory\n    collaborators: []"), "plan", "-")
	expectCode(t, r, 1)
	expectContains(t, "stderr", r.stderr, "reading the collaborators of project tree-inventory")
}

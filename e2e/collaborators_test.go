package e2e

import (
	"encoding/json"
	"testing"
)

// collabRoles reads a project's rows with the CLI (the fake's state).
func collabRoles(t *testing.T, env []string, project string) map[string]string {
	t.Helper()
	r := runCLI(t, env, "", "collaborators", "list", project, "--json")
	if r.code != 0 {
		t.Fatalf("collaborators list: exit %d: %s", r.code, r.stderr)
	}
	var rows []struct {
		User string `json:"collaborator"`
		Role string `json:"role"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("collaborators list --json: %v\n%s", err, r.stdout)
	}
	out := map[string]string{}
	for _, x := range rows {
		out[x.User] = x.Role
	}
	return out
}

// TestTUICollaborators drives the built binary at 80×24: Organizations →
// fieldops → Projects → tree-inventory → Collaborators; pablo is added as
// editor with the role picker, a team row refuses e with the reason, pablo
// is removed (enter on the default Keep first) and the removal undone.
// The fake's rows are read back with the CLI.
func TestTUICollaborators(t *testing.T) {
	needE2E(t, "tmux")
	f := startFakes(t)
	env := f.qfcEnv(t.TempDir())
	tm := startTmux(t, 80, 24, env, rosterBin)
	tm.waitFor("@city-parks/arborists", wait)
	tm.keys("2")
	tm.waitFor("fieldops", wait)
	tm.keys("Down", "Enter")
	tm.waitFor("you are public", wait)
	tm.keys("Down")
	tm.keys("Down")
	tm.keys("Enter")
	tm.waitFor("projects · of fieldops", wait)
	tm.keys("Enter")
	tm.waitFor("role origin", wait)
	tm.keys("Enter")
	tm.waitFor("5 collaborators · of fieldops/tree-inventory", wait)

	tm.keys("a")
	tm.waitFor("Add a collaborator to fieldops/tree-inventory", wait)
	tm.typeText("pablo")
	tm.keys("Enter")
	tm.waitFor("Role of pablo on fieldops/tree-inventory", wait)
	tm.keys("Up")
	tm.keys("Up")
	tm.keys("Enter") // reader → editor
	tm.waitFor("added pablo to project fieldops/tree-inventory as editor", wait)
	if got := collabRoles(t, env, "fieldops/tree-inventory")["pablo"]; got != "editor" {
		t.Fatalf("pablo's role on the server = %q", got)
	}

	tm.keys("End")
	tm.keys("e")
	tm.waitFor("e: the API cannot edit or remove team rows", wait)

	tm.keys("/")
	tm.typeText("pablo")
	tm.keys("Enter")
	tm.waitFor("› pablo", wait)
	tm.keys("d")
	tm.waitFor("[› Keep ]", wait)
	tm.keys("Enter")
	tm.waitFor("cancelled", wait)
	if _, ok := collabRoles(t, env, "fieldops/tree-inventory")["pablo"]; !ok {
		t.Fatal("enter on the default button removed pablo")
	}
	tm.keys("d")
	tm.waitFor("[› Keep ]", wait)
	tm.keys("Right")
	tm.keys("Enter")
	tm.waitFor("removed pablo from project fieldops/tree-inventory", wait)
	if _, ok := collabRoles(t, env, "fieldops/tree-inventory")["pablo"]; ok {
		t.Fatal("pablo still has a row")
	}
	tm.keys("u")
	tm.waitFor("role=editor", wait)
	tm.keys("Right")
	tm.keys("Enter")
	tm.waitFor("undone: add pablo to project fieldops/tree-inventory again as editor", wait)
	if got := collabRoles(t, env, "fieldops/tree-inventory")["pablo"]; got != "editor" {
		t.Fatalf("after undo pablo's role = %q", got)
	}
	tm.keys("q")
	if code := tm.exitCode(wait); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

package cmd

import (
	"fmt"
	"slices"
	"testing"

	"github.com/roster-cli/roster/internal/fakehttp"
)

// Multi-target commands on Qomon and for invitations say exactly which
// targets succeeded and which failed, exit 1, and the server holds exactly
// the successes.
func TestPartialFailureQomon(t *testing.T) {
	t.Parallel()
	t.Run("add-member unknown user", func(t *testing.T) {
		t.Parallel()
		w, e := qom(t)
		r := e.run("", "teams", "add-member", "Quartier Nord", "cleo@example.org", "nobody@example.org", "ada@example.org")
		expectCode(t, r, 1)
		expectContains(t, "stderr", r.stderr, "roster: 1 of 3 failed: nobody@example.org")
		expectContains(t, "stderr", r.stderr, "done: cleo@example.org, ada@example.org")
		tm, _ := w.srv.Team("nord", w.team.ID)
		if !slices.Equal(tm.Users, []int64{w.bob.ID, w.cleo.ID, w.ada.ID}) {
			t.Errorf("team users %v, want bob, cleo, ada", tm.Users)
		}
	})
	t.Run("add-member server failure on the first target", func(t *testing.T) {
		t.Parallel()
		w, e := qom(t)
		// A 5xx team write is re-read and, if untouched, sent once more
		// (api §6); failing twice fails the target.
		w.srv.Kit().Inject(fakehttp.Fault{Method: "PATCH", Kind: fakehttp.FaultStatus, Status: 500, Times: 2})
		r := e.run("", "teams", "add-member", fmt.Sprint(w.team.ID), "cleo@example.org", "ada@example.org")
		expectCode(t, r, 1)
		expectContains(t, "stderr", r.stderr, "roster: 1 of 2 failed: cleo@example.org")
		expectContains(t, "stderr", r.stderr, "done: ada@example.org")
		expectContains(t, "stdout", r.stdout, "ada@example.org")
		tm, _ := w.srv.Team("nord", w.team.ID)
		if slices.Contains(tm.Users, w.cleo.ID) || !slices.Contains(tm.Users, w.ada.ID) || !slices.Contains(tm.Users, w.bob.ID) {
			t.Errorf("team users %v, want bob and ada only", tm.Users)
		}
	})
	t.Run("remove-member", func(t *testing.T) {
		t.Parallel()
		w, e := qom(t)
		r := e.run("", "teams", "remove-member", "Quartier Nord", "bob@example.org", "nobody@example.org", "--yes")
		expectCode(t, r, 1)
		expectContains(t, "stderr", r.stderr, "1 of 2 failed: nobody@example.org")
		expectContains(t, "stderr", r.stderr, "done: bob@example.org")
		if tm, _ := w.srv.Team("nord", w.team.ID); len(tm.Users) != 0 {
			t.Errorf("team users %v, want none", tm.Users)
		}
	})
	t.Run("invitations send all failing", func(t *testing.T) {
		t.Parallel()
		w, e := qom(t)
		r := e.run("", "invitations", "send", "not-an-email", "also bad")
		expectCode(t, r, 2) // both are the user's mistakes: a usage error
		if n := len(w.srv.Invitations("nord")); n != 1 {
			t.Errorf("%d invitations, want the seeded one only", n)
		}
	})
	t.Run("invitations send server failure", func(t *testing.T) {
		t.Parallel()
		w, e := qom(t)
		w.srv.Kit().Inject(fakehttp.Fault{Method: "POST", Kind: fakehttp.FaultStatus, Status: 500})
		r := e.run("", "invitations", "send", "x@example.org", "y@example.org")
		expectCode(t, r, 1)
		expectContains(t, "stderr", r.stderr, "roster: 2 of 2 failed: x@example.org, y@example.org")
		expectContains(t, "stderr", r.stderr, "done: none")
		if n := len(w.srv.Invitations("nord")); n != 1 {
			t.Errorf("%d invitations, want the seeded one only", n)
		}
	})
}

func TestPartialFailureQFieldCloudRemove(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	// nils is in hydrology, not surveyors.
	r := e.run("", "teams", "remove-member", "fieldops/surveyors", "ines", "nils", "kavya", "--yes")
	expectCode(t, r, 1)
	expectContains(t, "stderr", r.stderr, "1 of 3 failed: nils")
	expectContains(t, "stderr", r.stderr, "done: ines, kavya")
	tm, _ := team(srv, "fieldops", "surveyors")
	if !slices.Equal(tm.Members, []string{"jonas"}) {
		t.Errorf("surveyors %v, want jonas", tm.Members)
	}
	if h, _ := team(srv, "fieldops", "hydrology"); !slices.Contains(h.Members, "nils") {
		t.Errorf("nils left hydrology: %v", h.Members)
	}
}

// A target whose write was lost in transit is named apart from the failed
// ones: it may have been made.
func TestPartialFailureUnknownOutcome(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	srv.Kit().Inject(fakehttp.Fault{Method: "POST", Kind: fakehttp.FaultReset, Times: 1})
	// olga's write is lost; ines is already in a team; pablo is added.
	r := e.run("", "teams", "add-member", "fieldops/hydrology", "olga", "ines", "pablo")
	expectCode(t, r, 1)
	expectContains(t, "stderr", r.stderr, "may or may not")
	expectContains(t, "stderr", r.stderr, "roster: 1 of 3 failed: ines; outcome unknown: olga")
	expectContains(t, "stderr", r.stderr, "done: pablo")
}

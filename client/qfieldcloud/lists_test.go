package qfieldcloud_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
)

// TestMembersOneConsistentRequest: the server orders members by nothing,
// so paged queries may return them in a new order each time (the fake's
// WithUnstablePages); roster reads the whole list in one request without
// limit/offset and gets every member exactly once.
func TestMembersOneConsistentRequest(t *testing.T) {
	t.Parallel()
	s := world(t, qfctest.WithUnstablePages())
	s.AddOrg("big", "demo")
	s.SeedGenerated("big", 2345)
	s.Kit().ResetRequests()
	got, err := client.CollectMembers(tctx(t), as(t, s, "demo"), "big")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, m := range s.Members("big") {
		want[m.User] = true
	}
	seen := map[string]bool{}
	for _, m := range got {
		if seen[m.User] || !want[m.User] {
			t.Fatalf("member %s repeated or unknown", m.User)
		}
		seen[m.User] = true
	}
	if len(seen) != len(want) {
		t.Fatalf("%d members, want %d", len(seen), len(want))
	}
	var gets int
	for _, r := range s.Kit().Requests() {
		if r.Method == "GET" && r.Path == "/api/v1/members/big/" {
			gets++
			if r.RawQuery != "" {
				t.Errorf("members read with %q: pages of an unordered list skip and repeat rows", r.RawQuery)
			}
		}
	}
	if gets != 1 {
		t.Errorf("%d requests for the member list, want 1", gets)
	}
}

func tctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang guard
	t.Cleanup(cancel)
	return c
}

// TestTeamNameLengthCountsThePrefix: "@ORG/NAME" must fit 150 characters;
// before, a 150-character short name reached the server, which crashed.
func TestTeamNameLengthCountsThePrefix(t *testing.T) {
	t.Parallel()
	s := world(t)
	c := as(t, s, "demo")
	maxName := 150 - len("@fieldops/")
	long := "t" + strings.Repeat("x", maxName) // one too many
	s.Kit().ResetRequests()
	_, err := c.CreateTeam(tctx(t), "fieldops", client.TeamSpec{Name: long})
	if !errors.Is(err, client.ErrBadInput) || !strings.Contains(err.Error(), "at most 140") {
		t.Fatalf("got %v", err)
	}
	if n := len(s.Kit().Requests()); n != 0 {
		t.Fatalf("%d requests for a name refused locally", n)
	}
	if _, err := c.CreateTeam(tctx(t), "fieldops", client.TeamSpec{Name: long[:maxName]}); err != nil {
		t.Fatalf("longest name that fits: %v", err)
	}
	if _, err := c.RenameTeam(tctx(t), "fieldops", "botanists", long); !errors.Is(err, client.ErrBadInput) {
		t.Fatalf("rename: %v", err)
	}
}

// TestReservedTeamNamesAreTheServers: the server's list, nothing more.
func TestReservedTeamNamesAreTheServers(t *testing.T) {
	t.Parallel()
	for _, n := range []string{"esri", "Deltas", "qfield-files", "collaborators", "push"} {
		if err := qfieldcloud.ValidateTeamName(n); err == nil || !strings.Contains(err.Error(), "reserved") {
			t.Errorf("%s: %v", n, err)
		}
	}
	// Not on the server's list: roster used to refuse them as reserved.
	for _, n := range []string{"admin", "api", "teams", "owners", "qfieldsync"} {
		if err := qfieldcloud.ValidateTeamName(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}

// TestSlashNamesAreRefusedClearly: a team stored with "/" cannot be
// addressed (the server routes the decoded path); roster says so before
// sending, instead of an HTML 404 blaming the server URL.
func TestSlashNamesAreRefusedClearly(t *testing.T) {
	t.Parallel()
	s := world(t)
	s.AddTeam("fieldops", "north/south", "elena")
	c := as(t, s, "demo")
	s.Kit().ResetRequests()
	_, err := c.Team(tctx(t), "fieldops", "north/south")
	if !errors.Is(err, client.ErrUnsupported) || strings.Contains(err.Error(), "server URL") || !strings.Contains(err.Error(), "cannot address") {
		t.Fatalf("got %v", err)
	}
	if err := c.DeleteTeam(tctx(t), "fieldops", "north/south"); !errors.Is(err, client.ErrUnsupported) {
		t.Fatalf("delete: %v", err)
	}
	if _, err := c.User(tctx(t), "@fieldops/surveyors"); !errors.Is(err, client.ErrUnsupported) {
		t.Fatalf("team account: %v", err)
	}
	if n := len(s.Kit().Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	// Other reserved characters are escaped and reach the team.
	s.AddTeam("fieldops", "a b?c#d%e", "farid")
	tm, err := c.Team(tctx(t), "fieldops", "a b?c#d%e")
	if err != nil || tm.Name != "a b?c#d%e" || len(tm.Members) != 1 {
		t.Fatalf("escaped name: %+v %v", tm, err)
	}
	if err := c.RemoveTeamMember(tctx(t), "fieldops", "a b?c#d%e", "farid"); err != nil {
		t.Fatal(err)
	}
	if tm, _ := teamOf(s, "fieldops", "a b?c#d%e"); len(tm.Members) != 0 {
		t.Fatalf("farid still in: %+v", tm)
	}
}

// TestRemoveTeamMemberByEmailSaysUsername: the server removes by username
// only and shows no one's e-mail; roster says so and sends nothing.
func TestRemoveTeamMemberByEmailSaysUsername(t *testing.T) {
	t.Parallel()
	s := world(t)
	c := as(t, s, "demo")
	s.Kit().ResetRequests()
	err := c.RemoveTeamMember(tctx(t), "fieldops", "surveyors", "elena@example.org")
	if !errors.Is(err, client.ErrBadInput) || !strings.Contains(err.Error(), "username only") {
		t.Fatalf("got %v", err)
	}
	if n := len(s.Kit().Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

package qfieldcloud_test

import (
	"context"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
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
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

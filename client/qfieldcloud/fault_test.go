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
	"github.com/roster-cli/roster/internal/fakehttp"
)

// TestFaults drives every fault kind through the client, over a socket and
// in memory: a clear error of the right kind, no hang, and no write
// reaching the fake's state.
func TestFaults(t *testing.T) {
	t.Parallel()
	list := func(ctx context.Context, c *qfieldcloud.Client) error {
		_, err := client.CollectMembers(ctx, c, "fieldops")
		return err
	}
	add := func(ctx context.Context, c *qfieldcloud.Client) error {
		_, err := c.AddMember(ctx, "fieldops", client.MemberSpec{User: "keiko"})
		return err
	}
	teams := func(ctx context.Context, c *qfieldcloud.Client) error {
		_, err := c.Teams(ctx, "fieldops")
		return err
	}
	cases := []struct {
		name  string
		fault fakehttp.Fault
		call  func(ctx context.Context, c *qfieldcloud.Client) error
		kind  error // nil: the call succeeds (after a retry)
		msg   string
	}{
		{"status 500 on a read", fakehttp.Fault{Kind: fakehttp.FaultStatus}, list, client.ErrServer, "HTTP 500"},
		{"status 500 on a write", fakehttp.Fault{Kind: fakehttp.FaultStatus}, add, client.ErrServer, "adding keiko to fieldops"},
		{"proxy 502 once on a read is retried", fakehttp.Fault{Kind: fakehttp.FaultHTML, Status: 502, Times: 1}, list, nil, ""},
		{"proxy 503 on a write", fakehttp.Fault{Kind: fakehttp.FaultHTML, Status: 503}, add, client.ErrServer, "server unavailable"},
		{"HTML 404 on teams: old server", fakehttp.Fault{Kind: fakehttp.FaultHTML, Status: 404}, teams, client.ErrNotFound, "team endpoints need QFieldCloud ≥ 0.30"},
		{"slow but in time", fakehttp.Fault{Kind: fakehttp.FaultSlow, Delay: 20 * time.Millisecond}, add, nil, ""},
		{"stalled write", fakehttp.Fault{Kind: fakehttp.FaultStall}, add, client.ErrOutcomeUnknown, "may or may not have been made"},
		{"stalled read", fakehttp.Fault{Kind: fakehttp.FaultStall}, list, client.ErrNetwork, "no answer within"},
		{"truncated read once is retried", fakehttp.Fault{Kind: fakehttp.FaultTruncated, Times: 1}, list, nil, ""},
		{"truncated write", fakehttp.Fault{Kind: fakehttp.FaultTruncated}, add, client.ErrOutcomeUnknown, "list again to check"},
		{"malformed JSON", fakehttp.Fault{Kind: fakehttp.FaultMalformed}, list, client.ErrServer, "not valid JSON"},
		{"malformed JSON on a write", fakehttp.Fault{Kind: fakehttp.FaultMalformed}, add, client.ErrServer, "not valid JSON"},
		{"huge body", fakehttp.Fault{Kind: fakehttp.FaultHuge}, list, client.ErrServer, "response larger than"},
		{"reset write", fakehttp.Fault{Kind: fakehttp.FaultReset}, add, client.ErrOutcomeUnknown, "adding keiko to fieldops"},
		{"reset read once is retried", fakehttp.Fault{Kind: fakehttp.FaultReset, Times: 1}, list, nil, ""},
	}
	for _, tc := range cases {
		for _, memory := range []bool{false, true} {
			name := tc.name + "/socket"
			if memory {
				name = tc.name + "/memory"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				opts := []qfctest.Option{}
				if memory {
					opts = append(opts, qfctest.WithoutSocket())
				}
				s := qfctest.New(opts...)
				t.Cleanup(s.Close)
				s.SeedDemo()
				// A 5 s attempt ends stalls and leaves room for -race on a
				// loaded machine; a 256 KiB cap makes the huge body cheap
				// (the cap's exact edge is proven in client/rest).
				cfg := client.Config{URL: s.URL(), Token: s.Token("demo"), Timeout: 5 * time.Second, MaxBody: 256 << 10}
				if memory {
					cfg.HTTPClient = s.HTTPClient()
				}
				c, err := qfieldcloud.New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				s.Kit().Inject(tc.fault)
				// No deadline of the test's own: the client's timeout
				// must end every fault (a hang fails the test binary).
				err = tc.call(context.Background(), c)
				if tc.kind == nil {
					if err != nil {
						t.Fatalf("want success, got %v", err)
					}
					return
				}
				if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.msg) {
					t.Fatalf("got %v; want %v containing %q", err, tc.kind, tc.msg)
				}
				if _, ok := memberOf(s, "fieldops", "keiko"); ok {
					t.Fatal("a faulted write reached the fake's state")
				}
			})
		}
	}
}

// TestWriteNotRetried: a write that failed in transit is sent once.
func TestWriteNotRetried(t *testing.T) {
	t.Parallel()
	s := world(t)
	s.Kit().Inject(fakehttp.Fault{Kind: fakehttp.FaultHTML, Status: 502})
	c := as(t, s, "demo")
	_, err := c.AddMember(context.Background(), "fieldops", client.MemberSpec{User: "keiko"})
	if !errors.Is(err, client.ErrServer) {
		t.Fatal(err)
	}
	if n := s.Kit().CountWrites(); n != 1 {
		t.Fatalf("%d writes sent", n)
	}
}

// TestPaging10k checks issue 7's target: 10,000 members at 50 ms latency
// in at most 3 sequential round trips.
func TestPaging10k(t *testing.T) {
	t.Parallel()
	s := qfctest.New(qfctest.WithoutSocket())
	t.Cleanup(s.Close)
	s.SeedGenerated("big", 10000)
	s.Kit().SetLatency(50 * time.Millisecond)
	c, _ := qfieldcloud.New(client.Config{URL: s.URL(), Token: s.Token("big-owner"), HTTPClient: s.HTTPClient()})
	ms, err := client.CollectMembers(context.Background(), c, "big")
	if err != nil || len(ms) != 10000 {
		t.Fatalf("%d members, %v", len(ms), err)
	}
	if n := len(s.Kit().Requests()); n > 7 {
		t.Fatalf("%d requests", n)
	}
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.User] {
			t.Fatalf("duplicate %s", m.User)
		}
		seen[m.User] = true
	}
	if ms[0].User != "big-m000001" || ms[9999].User != "big-m010000" {
		t.Fatalf("order: %s … %s", ms[0].User, ms[9999].User)
	}
}

package qomon

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// faults are every fakehttp fault, with the kind of error each must give
// on a read when it never clears.
var faults = []struct {
	f    fakehttp.Fault
	kind error
	text string
}{
	{fakehttp.Fault{Kind: fakehttp.FaultStatus, Status: 500}, client.ErrServer, "HTTP 500"},
	{fakehttp.Fault{Kind: fakehttp.FaultStatus, Status: 503}, client.ErrServer, "HTTP 503"},
	{fakehttp.Fault{Kind: fakehttp.FaultHTML, Status: 502}, client.ErrServer, "HTTP 502"},
	{fakehttp.Fault{Kind: fakehttp.FaultStall}, client.ErrNetwork, "no answer within"},
	{fakehttp.Fault{Kind: fakehttp.FaultTruncated}, client.ErrNetwork, "reading the response"},
	{fakehttp.Fault{Kind: fakehttp.FaultMalformed}, client.ErrServer, "unexpected answer from Qomon"},
	{fakehttp.Fault{Kind: fakehttp.FaultHuge}, client.ErrServer, "larger than"},
	{fakehttp.Fault{Kind: fakehttp.FaultReset}, client.ErrNetwork, ""},
}

func TestReadFaults(t *testing.T) {
	t.Parallel()
	for _, fc := range faults {
		for _, socket := range []bool{true, false} {
			name := fmt.Sprintf("%s/%d/socket=%v", fc.f.Kind, fc.f.Status, socket)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				s := qomontest.New(func() []qomontest.Option {
					if socket {
						return nil
					}
					return []qomontest.Option{qomontest.WithoutSocket()}
				}()...)
				defer s.Close()
				var sl sleeps
				// 5 s ends stalls and leaves room for -race on a loaded
				// machine; the huge body meets a 256 KiB cap.
				c := admin(t, s, clientOpt{timeout: 5 * time.Second, maxBody: 256 << 10, sleep: sl.sleep, socket: socket})
				f := fc.f
				f.Method, f.PathPrefix = "GET", "/users"
				s.Kit().Inject(f)
				_, err := client.CollectUsers(ctx(t), c, client.UserQuery{})
				mustIs(t, err, fc.kind, "listing users", fc.text)
				if writes(s) != nil {
					t.Errorf("a read fault caused writes: %v", writes(s))
				}
				// Once the fault clears, the same client works.
				s.Kit().ClearFaults()
				if _, err := client.CollectUsers(ctx(t), c, client.UserQuery{}); err != nil {
					t.Errorf("after the fault: %v", err)
				}
			})
		}
	}
}

// TestWriteFaults: whatever breaks during a team write, the team ends
// either unchanged or with exactly the one change, never anything else,
// and the write is sent at most twice (once more only after seeing the
// team unchanged).
func TestWriteFaults(t *testing.T) {
	t.Parallel()
	for _, fc := range faults {
		for _, times := range []int{1, 0} {
			t.Run(fmt.Sprintf("%s/%d/times=%d", fc.f.Kind, fc.f.Status, times), func(t *testing.T) {
				t.Parallel()
				s := fake(t)
				var sl sleeps
				c := admin(t, s, clientOpt{timeout: 5 * time.Second, sleep: sl.sleep}) // room for the reads before the write on a loaded machine
				before := teamByName(t, s, qomontest.SpaceParis, qomontest.TeamNord)
				camille := userID(t, s, qomontest.SpaceParis, qomontest.ManagerEmail)
				f := fc.f
				f.Method, f.PathPrefix, f.Times = "PATCH", "/teams", times
				s.Kit().Inject(f)
				err := c.AddTeamMember(ctx(t), "", qomontest.TeamNord, qomontest.ManagerEmail, false)
				after, _ := s.Team(qomontest.SpaceParis, before.ID)
				changed := !slices.Equal(after.Users, before.Users)
				if changed {
					sameExcept(t, before, after, append(slices.Clone(before.Users), camille), before.Leaders, before.Name, true)
				} else {
					sameExcept(t, before, after, before.Users, before.Leaders, before.Name, true)
				}
				if n := len(writes(s)); n < 1 || n > 2 {
					t.Errorf("%d writes", n)
				}
				switch {
				case err == nil && !changed:
					t.Error("success reported, nothing written")
				case err != nil && changed:
					t.Errorf("the change was made but reported as failed: %v", err)
				case err != nil && !strings.Contains(err.Error(), "adding "+qomontest.ManagerEmail+" to team "+qomontest.TeamNord):
					t.Errorf("error does not say what failed: %v", err)
				}
				if times == 1 && f.Kind != fakehttp.FaultMalformed && err != nil {
					t.Errorf("a one-off fault was not recovered: %v", err)
				}
			})
		}
	}
}

func TestCancelStopsAtOnce(t *testing.T) {
	t.Parallel()
	s := fake(t)
	s.Kit().Inject(fakehttp.Fault{Kind: fakehttp.FaultStall})
	c := admin(t, s)
	cx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := c.Teams(cx, "")
	if !errors.Is(err, client.ErrNetwork) || !strings.Contains(err.Error(), "cancelled") {
		t.Errorf("%v", err)
	}
}

func TestSlowButFine(t *testing.T) {
	t.Parallel()
	s := fake(t)
	s.Kit().Inject(fakehttp.Fault{Kind: fakehttp.FaultSlow, Delay: 50 * time.Millisecond})
	if _, err := admin(t, s).Teams(ctx(t), ""); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkFetchUsers10k lists 10,000 users from the fake with 5 ms of
// latency per request, pacing off.
func BenchmarkFetchUsers10k(b *testing.B) {
	s := qomontest.New(qomontest.WithoutSocket())
	defer s.Close()
	s.SeedGenerated("Bench", 10000)
	s.Kit().SetLatency(5 * time.Millisecond)
	c := as(b, s, "Bench", s.Users("Bench")[0].Mail)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := c.Users(context.Background(), client.UserQuery{}, func(p []client.User) error { n += len(p); return nil })
		if err != nil || n != 10000 {
			b.Fatal(n, err)
		}
	}
}

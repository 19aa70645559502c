package cmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// faultCase is one way the network or server can fail.
type faultCase struct {
	name  string
	fault fakehttp.Fault // Kind 0: no fault (the baseline)
	ok    bool           // the command must still succeed
}

var faultCases = []faultCase{
	{"none", fakehttp.Fault{}, true},
	{"status-500", fakehttp.Fault{Kind: fakehttp.FaultStatus, Status: 500}, false},
	{"status-503", fakehttp.Fault{Kind: fakehttp.FaultStatus, Status: 503}, false},
	{"html-502", fakehttp.Fault{Kind: fakehttp.FaultHTML, Status: 502}, false},
	{"slow", fakehttp.Fault{Kind: fakehttp.FaultSlow, Delay: 30 * time.Millisecond}, true},
	{"stall", fakehttp.Fault{Kind: fakehttp.FaultStall}, false},
	{"truncated", fakehttp.Fault{Kind: fakehttp.FaultTruncated}, false},
	{"malformed", fakehttp.Fault{Kind: fakehttp.FaultMalformed}, false},
	{"huge", fakehttp.Fault{Kind: fakehttp.FaultHuge}, false},
	{"reset", fakehttp.Fault{Kind: fakehttp.FaultReset}, false},
}

// faultCmd is one command of the tree, against a freshly seeded fake.
type faultCmd struct {
	args  []string
	write bool
	multi bool // several targets: one line per failed target, then a summary
}

// fakeWorld is one seeded fake server of either provider.
type fakeWorld struct {
	kit   *fakehttp.Kit
	env   map[string]string
	token string
	state func() string // everything a write could change
	close func()
}

func qfcWorld() *fakeWorld {
	srv := qfctest.New()
	srv.SeedDemo()
	tok := srv.Token("demo")
	return &fakeWorld{
		kit:   srv.Kit(),
		env:   map[string]string{"QFIELDCLOUD_URL": srv.URL(), "QFIELDCLOUD_TOKEN": tok},
		token: tok,
		state: func() string {
			var b strings.Builder
			for _, org := range []string{"fieldops", "geo-survey", "city-parks", "wetland-watch"} {
				fmt.Fprintf(&b, "%s %+v %+v\n", org, srv.Members(org), srv.Teams(org))
			}
			return b.String()
		},
		close: srv.Close,
	}
}

func qomonWorldFor() (*fakeWorld, *qomontest.Server, qomontest.Team, qomontest.Invitation) {
	srv := qomontest.New()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { return at })
	srv.AddSpace("nord", nil)
	srv.AddUser("nord", qomontest.User{FirstName: "Ada", Surname: "Lovelace", Mail: "ada@example.org", Role: "superadmin", Created: at, Updated: at})
	bob := srv.AddUser("nord", qomontest.User{FirstName: "Bob", Surname: "Martin", Mail: "bob@example.org", Created: at, Updated: at})
	srv.AddUser("nord", qomontest.User{FirstName: "Cléo", Surname: "Dupont", Mail: "cleo@example.org", Role: "manager", Created: at, Updated: at})
	tm := srv.AddTeam("nord", qomontest.Team{Name: "Quartier Nord", Users: []int64{bob.ID}, CreatedAt: at, UpdatedAt: at})
	inv := srv.AddInvitation("nord", qomontest.Invitation{Email: "new@example.org", CreatedAt: at, LastSent: at})
	tok := srv.Token("nord", "ada@example.org")
	return &fakeWorld{
		kit:   srv.Kit(),
		env:   map[string]string{"QOMON_URL": srv.URL(), "QOMON_TOKEN": tok},
		token: tok,
		state: func() string {
			return fmt.Sprintf("%+v\n%+v\n%+v\n", srv.Users("nord"), srv.Teams("nord"), srv.Invitations("nord"))
		},
		close: srv.Close,
	}, srv, tm, inv
}

var qfcFaultCmds = []faultCmd{
	{[]string{"auth", "status"}, false, false},
	{[]string{"users", "list"}, false, false},
	{[]string{"users", "get", "elena"}, false, false},
	{[]string{"roles", "list"}, false, false},
	{[]string{"orgs", "list"}, false, false},
	{[]string{"orgs", "get", "fieldops"}, false, false},
	{[]string{"members", "list", "fieldops"}, false, false},
	{[]string{"teams", "list", "--org", "fieldops"}, false, false},
	{[]string{"teams", "get", "fieldops/surveyors"}, false, false},
	{[]string{"teams", "members", "fieldops/surveyors"}, false, false},
	{[]string{"members", "add", "fieldops", "david", "--role", "admin"}, true, false},
	{[]string{"members", "set-role", "fieldops", "elena", "creator"}, true, false},
	{[]string{"members", "remove", "fieldops", "pablo", "--yes"}, true, false},
	{[]string{"teams", "create", "mappers", "--org", "fieldops"}, true, false},
	{[]string{"teams", "rename", "fieldops/botanists", "plants"}, true, false},
	{[]string{"teams", "delete", "fieldops/hydrology", "--yes"}, true, false},
	{[]string{"teams", "add-member", "fieldops/hydrology", "olga", "pablo"}, true, true},
	{[]string{"teams", "remove-member", "fieldops/surveyors", "ines", "jonas", "--yes"}, true, true},
}

// Qomon commands; {team} and {inv} are the seeded team and invitation ids.
var qomonFaultCmds = []faultCmd{
	{[]string{"auth", "status"}, false, false},
	{[]string{"users", "list"}, false, false},
	{[]string{"users", "get", "bob@example.org"}, false, false},
	{[]string{"roles", "list"}, false, false},
	{[]string{"members", "list"}, false, false},
	{[]string{"teams", "list"}, false, false},
	{[]string{"teams", "get", "Quartier Nord"}, false, false},
	{[]string{"teams", "members", "{team}"}, false, false},
	{[]string{"invitations", "list"}, false, false},
	{[]string{"users", "set-role", "bob@example.org", "manager"}, true, false},
	{[]string{"teams", "create", "Sud", "--private"}, true, false},
	{[]string{"teams", "rename", "Quartier Nord", "Nord"}, true, false},
	{[]string{"teams", "add-member", "{team}", "cleo@example.org", "ada@example.org", "--leader"}, true, true},
	{[]string{"teams", "remove-member", "Quartier Nord", "bob@example.org", "--yes"}, true, false},
	{[]string{"invitations", "send", "x@example.org", "y@example.org", "--role", "manager"}, true, true},
	{[]string{"invitations", "cancel", "{inv}", "--yes"}, true, false},
}

// runIsolated runs roster in-process like env.run, but is safe to call
// from any goroutine: it never stops the test, it reports.
func runIsolated(vars map[string]string, timeout time.Duration, args ...string) (result, bool) {
	var out, errb bytes.Buffer
	f := &Factory{
		Version:    "1.2.3-test",
		In:         strings.NewReader(""),
		Out:        &out,
		ErrOut:     &errb,
		Getenv:     func(k string) string { return vars[k] },
		Keyring:    newMemStore(),
		Now:        func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) },
		RunTUI:     nil,
		ReadSecret: func() (string, error) { return "", context.Canceled },
		// A small cap makes the huge-body fault cheap under -race; the
		// cap's exact edge is proven in client/rest.
		MaxBody: 256 << 10,
	}
	done := make(chan int, 1)
	go func() { done <- Execute(f, args) }()
	select {
	case code := <-done:
		return result{out.String(), errb.String(), code}, true
	case <-time.After(timeout):
		return result{}, false
	}
}

// checkFaultRun is every promise a command keeps under a fault. It
// returns the problems found, for a report from any goroutine.
func checkFaultRun(r result, fc faultCase, c faultCmd, token string, writesOnly bool) []string {
	var bad []string
	for _, s := range []string{r.stdout, r.stderr} {
		if strings.Contains(s, token) {
			bad = append(bad, "the token was printed")
		}
		if strings.Contains(s, "panic") || strings.Contains(s, "goroutine ") {
			bad = append(bad, "a panic was printed")
		}
		for _, ch := range s {
			if ch == 0x1b || (ch < 0x20 && ch != '\n') {
				bad = append(bad, fmt.Sprintf("control %U in output", ch))
				break
			}
		}
	}
	if fc.ok {
		if r.code != 0 {
			bad = append(bad, fmt.Sprintf("exit %d, want 0", r.code))
		}
		return bad
	}
	if r.code != 1 {
		bad = append(bad, fmt.Sprintf("exit %d, want 1", r.code))
	}
	if c.args[0] == "auth" {
		// auth status reports in its table, on stdout, why the token
		// could not be checked.
		if !strings.Contains(r.stdout, "no: checking the") {
			bad = append(bad, "auth status does not say why the token is not valid")
		}
		return bad
	}
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	for _, l := range lines {
		if len(l) > 600 {
			bad = append(bad, fmt.Sprintf("a %d-byte error line", len(l)))
		}
	}
	if !strings.HasPrefix(lines[0], "roster: ") || len(strings.TrimPrefix(lines[0], "roster: ")) < 10 {
		bad = append(bad, "stderr does not start with a `roster: …` error line")
	}
	rest := lines[1:]
	if c.multi && len(lines) > 1 && strings.HasPrefix(lines[len(lines)-1], "done: ") {
		// One line per failed target, then "N of M failed" and what was done.
		if l := lines[len(lines)-2]; !strings.Contains(l, " failed: ") && !strings.Contains(l, " unknown outcome: ") {
			bad = append(bad, "a multi-target failure without its summary line")
		}
		rest = nil
	}
	for _, l := range rest {
		if !strings.HasPrefix(l, "hint: ") {
			bad = append(bad, "more than one error line")
			break
		}
	}
	// A write lost in transit: the user must hear it may have happened.
	k := fc.fault.Kind
	if writesOnly && (k == fakehttp.FaultStall || k == fakehttp.FaultReset || k == fakehttp.FaultTruncated) &&
		!strings.Contains(r.stderr, "may or may not") {
		bad = append(bad, "a write with an unknown outcome does not say so")
	}
	return bad
}

// TestEveryCommandThroughEveryFault runs each command of both providers
// through each fault kind, once with every request faulted and, for
// writes, once with only the writes faulted (the reads before them
// succeed). No panic, one clear line, exit 1, no hang, no token, and the
// fake's state unchanged unless the command was meant to succeed.
func TestEveryCommandThroughEveryFault(t *testing.T) {
	t.Parallel()
	type combo struct {
		provider   string
		cmd        faultCmd
		fc         faultCase
		writesOnly bool
	}
	var combos []combo
	for _, p := range []struct {
		name string
		cmds []faultCmd
	}{{"qfieldcloud", qfcFaultCmds}, {"qomon", qomonFaultCmds}} {
		for _, c := range p.cmds {
			for _, fc := range faultCases {
				combos = append(combos, combo{p.name, c, fc, false})
				if c.write && fc.fault.Kind != 0 {
					combos = append(combos, combo{p.name, c, fc, true})
				}
			}
		}
	}
	base := t.TempDir()
	// Most runs wait on timers (stalls, backoff), so many run at once.
	sem := make(chan struct{}, 24)
	var wg sync.WaitGroup
	var ran atomic.Int32
	for _, cb := range combos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			var w *fakeWorld
			args := cb.cmd.args
			if cb.provider == "qfieldcloud" {
				w = qfcWorld()
			} else {
				var team qomontest.Team
				var inv qomontest.Invitation
				w, _, team, inv = qomonWorldFor()
				args = nil
				for _, a := range cb.cmd.args {
					a = strings.ReplaceAll(a, "{team}", fmt.Sprint(team.ID))
					args = append(args, strings.ReplaceAll(a, "{inv}", fmt.Sprint(inv.ID)))
				}
			}
			defer w.close()
			dir, err := os.MkdirTemp(base, "cfg")
			if err != nil {
				t.Error(err)
				return
			}
			vars := map[string]string{"ROSTER_CONFIG_DIR": dir, "HOME": dir}
			for k, v := range w.env {
				vars[k] = v
			}
			if cb.fc.fault.Kind != 0 {
				if cb.writesOnly {
					for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
						f := cb.fc.fault
						f.Method = m
						w.kit.Inject(f)
					}
				} else {
					w.kit.Inject(cb.fc.fault)
				}
			}
			before := w.state()
			name := fmt.Sprintf("%s %s [%s%s]", cb.provider, strings.Join(args, " "), cb.fc.name, map[bool]string{true: ", writes only"}[cb.writesOnly])
			// A short --timeout ends stalls; other runs get a long one, so
			// a loaded CI machine never turns "slow" into a timeout.
			timeout := "5s"
			if cb.fc.fault.Kind == fakehttp.FaultStall {
				timeout = "300ms"
				if cb.writesOnly {
					// The reads before the write must still pass, on a
					// loaded machine too.
					timeout = "5s"
				}
			}
			// A hang detector, not a speed bound: every attempt ends within
			// its --timeout and a timed-out read is retried once, so a
			// command that is still running after many times its requests'
			// timeouts would run for ever.
			r, finished := runIsolated(vars, 2*time.Minute, append([]string{"--timeout", timeout}, args...)...)
			if !finished {
				t.Errorf("%s: hung", name)
				return
			}
			ran.Add(1)
			problems := checkFaultRun(r, cb.fc, cb.cmd, w.token, cb.writesOnly)
			after := w.state()
			applied, faulted := 0, 0
			for _, q := range w.kit.Requests() {
				if q.IsWrite() && !q.Faulted {
					applied++
				}
				if q.Faulted {
					faulted++
				}
			}
			if cb.fc.fault.Kind != 0 && !cb.fc.ok && faulted == 0 && r.code == 0 {
				return // no request made (QFieldCloud's roles are built in): nothing to fault
			}
			if cb.fc.fault.Kind == fakehttp.FaultMalformed && r.code == 0 && cb.cmd.write {
				// A 2xx to a write means done, and some writes do not read
				// the body of the answer. The fake did not apply the write,
				// a real server would have: the success is right, and only
				// the state check does not apply.
				return
			}
			for _, p := range problems {
				t.Errorf("%s: %s\n%s", name, p, r)
			}
			switch {
			case cb.fc.ok && cb.cmd.write:
				if after == before || applied == 0 {
					t.Errorf("%s: the write did not happen (%d writes reached the server)", name, applied)
				}
			case after != before:
				t.Errorf("%s: the fake's state changed:\nbefore %s\nafter  %s", name, before, after)
			case !cb.fc.ok && applied != 0:
				t.Errorf("%s: %d writes reached the server past the fault", name, applied)
			}
		}()
	}
	wg.Wait()
	t.Logf("%d commands, %d fault cases, %d runs (%d combinations)", len(qfcFaultCmds)+len(qomonFaultCmds), len(faultCases), ran.Load(), len(combos))
}

package tui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

var tuiFaults = []struct {
	name  string
	fault fakehttp.Fault
	ok    bool
}{
	{"status-500", fakehttp.Fault{Kind: fakehttp.FaultStatus, Status: 500}, false},
	{"status-503", fakehttp.Fault{Kind: fakehttp.FaultStatus, Status: 503}, false},
	{"html-502", fakehttp.Fault{Kind: fakehttp.FaultHTML, Status: 502}, false},
	{"slow", fakehttp.Fault{Kind: fakehttp.FaultSlow, Delay: 20 * time.Millisecond}, true},
	{"stall", fakehttp.Fault{Kind: fakehttp.FaultStall}, false},
	{"truncated", fakehttp.Fault{Kind: fakehttp.FaultTruncated}, false},
	{"malformed", fakehttp.Fault{Kind: fakehttp.FaultMalformed}, false},
	{"huge", fakehttp.Fault{Kind: fakehttp.FaultHuge}, false},
	{"reset", fakehttp.Fault{Kind: fakehttp.FaultReset}, false},
}

// tuiScreen is one screen: how to reach it from the start, and its title.
type tuiScreen struct {
	name string
	open func(h *harness)
}

var qfcScreens = []tuiScreen{
	{"users", func(h *harness) { h.keys("1") }},
	{"organizations", func(h *harness) { h.keys("2") }},
	{"members", func(h *harness) { enterOrg(h.t, h, "fieldops"); h.keys("enter"); h.mustSee("of fieldops") }},
	{"teams", func(h *harness) { enterOrg(h.t, h, "fieldops"); h.keys("j", "enter"); h.mustSee("surveyors") }},
	{"team members", func(h *harness) {
		enterOrg(h.t, h, "fieldops")
		h.keys("j", "enter")
		h.mustSee("surveyors")
		h.keys("enter")
	}},
}

var qomonScreens = []tuiScreen{
	{"users", func(h *harness) { h.keys("1") }},
	{"teams", func(h *harness) { h.keys("2") }},
	{"roles", func(h *harness) { h.keys("3") }},
	{"invitations", func(h *harness) { h.keys("4") }},
	{"team members", func(h *harness) { h.keys("2"); h.mustSee("of the space"); h.keys("enter") }},
}

// faultWorld opens a session on a fresh in-memory fake of one provider.
// A per-request timeout short enough to end stalls quickly, long enough
// that 80 concurrent runs under -race on 2 cores still load the screen.
func faultWorld(t *testing.T, provider string) (*fakehttp.Kit, *Session) {
	t.Helper()
	// 5 s ends stalls and leaves the loads before the fault room on a
	// loaded 2-core machine under -race (1 s did not); a 256 KiB cap makes
	// the huge body cheap.
	cfg := client.Config{Timeout: 5 * time.Second, MaxBody: 256 << 10}
	if provider == "qfieldcloud" {
		srv := qfctest.New(qfctest.WithoutSocket())
		t.Cleanup(srv.Close)
		srv.SeedDemo()
		cfg.URL, cfg.Token, cfg.HTTPClient, cfg.Username = srv.URL(), srv.Token("demo"), srv.HTTPClient(), "demo"
		p, err := qfieldcloud.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return srv.Kit(), &Session{Profile: "faults", Kind: p.Kind(), URL: srv.URL(), Source: "env", Username: "demo", Provider: p}
	}
	srv := qomontest.New(qomontest.WithoutSocket())
	t.Cleanup(srv.Close)
	srv.SeedDemo()
	cfg.URL, cfg.Token, cfg.HTTPClient = srv.URL(), srv.DemoToken(), srv.HTTPClient()
	p, err := qomon.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv.Kit(), &Session{Profile: "faults", Kind: "qomon", Source: "env", Provider: p}
}

// Each screen of both providers, reloaded (ctrl+r) through each fault:
// no panic, the error on the status line, still on the same screen, and
// no write reached the server. Runs wait on timers (timeouts, backoff),
// so they run at once rather than -parallel at a time.
func TestScreensThroughFaults(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	n := 0
	for _, p := range []struct {
		name    string
		screens []tuiScreen
	}{{"qfieldcloud", qfcScreens}, {"qomon", qomonScreens}} {
		for _, sc := range p.screens {
			for _, f := range tuiFaults {
				n++
				wg.Add(1)
				go func() {
					defer wg.Done()
					t.Run(fmt.Sprintf("%s/%s/%s", p.name, sc.name, f.name), func(t *testing.T) {
						kit, sess := faultWorld(t, p.name)
						h := newHarness(t, Options{Session: sess})
						sc.open(h)
						title := h.topTitle()
						if h.m.c.err != "" {
							t.Fatalf("error before any fault: %s", h.m.c.err)
						}
						kit.Inject(f.fault)
						kit.ResetRequests()
						h.keys("ctrl+r")
						if got := h.topTitle(); got != title {
							t.Errorf("left the screen: %q, was %q", got, title)
						}
						v := h.view()
						if f.ok {
							if h.m.c.err != "" {
								t.Errorf("a slow answer was an error: %s", h.m.c.err)
							}
						} else {
							if h.m.c.err == "" {
								t.Fatalf("no error after the reload failed:\n%s", v)
							}
							if words := strings.Fields(h.m.c.err); len(words) < 2 || !strings.Contains(v, strings.Join(words[:2], " ")) {
								t.Errorf("the error %q is not on screen:\n%s", h.m.c.err, v)
							}
						}
						if len(kit.Requests()) == 0 {
							t.Error("ctrl+r sent no request")
						}
						for _, r := range kit.Requests() {
							if r.IsWrite() {
								t.Errorf("a reload sent %s %s", r.Method, r.Path)
							}
						}
						if strings.ContainsRune(v, 0x07) || strings.Contains(v, "\x1b]") {
							t.Error("the view holds a bell or an OSC sequence")
						}
					})
				}()
			}
		}
	}
	wg.Wait()
	t.Logf("%d screen × fault runs", n)
}

// The first screen loading through a fault at start-up shows the error
// and stays usable (help opens, quit works).
func TestStartThroughFault(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"qfieldcloud", "qomon"} {
		for _, k := range []fakehttp.FaultKind{fakehttp.FaultStatus, fakehttp.FaultMalformed, fakehttp.FaultReset} {
			t.Run(p+"/"+k.String(), func(t *testing.T) {
				t.Parallel()
				kit, sess := faultWorld(t, p)
				kit.Inject(fakehttp.Fault{Kind: k, Status: 500, Method: "GET"})
				h := newHarness(t, Options{Session: sess})
				if h.m.c.err == "" {
					t.Fatalf("no error shown:\n%s", h.view())
				}
				kit.ClearFaults()
				h.keys("ctrl+r")
				h.mustSee(map[string]string{"qfieldcloud": "Ana Silva", "qomon": "Claire Martin"}[p])
				h.keys("?")
				h.mustSee("ctrl+r")
			})
		}
	}
}

// Hostile names from the server reach no screen as terminal controls:
// the users list, the members of an organization and a team's name.
func TestHostileTextOnScreens(t *testing.T) {
	t.Parallel()
	srv := qfctest.New(qfctest.WithoutSocket())
	t.Cleanup(srv.Close)
	srv.SeedDemo()
	srv.AddUser(qfctest.User{Username: "aaa-eve", FirstName: "Eve\x1b]52;c;cHduZWQ=\x07\x1b[2J", LastName: "\u202eevil\u2066\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\\u009b31m\x00"})
	srv.AddMember("fieldops", "aaa-eve", "member", true)
	srv.AddTeam("fieldops", "aaa\x1b]0;pwned\x07team\u2067", "aaa-eve")
	p, err := qfieldcloud.New(client.Config{URL: srv.URL(), Token: srv.Token("demo"), HTTPClient: srv.HTTPClient(), Username: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{Session: &Session{Profile: "hostile", Kind: p.Kind(), URL: srv.URL(), Source: "env", Username: "demo", Provider: p}})
	check := func(where string) {
		t.Helper()
		v := h.view()
		for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\x1bP", "\u009b", "\x00", "\u202e", "\u2066", "\u2067"} {
			if strings.Contains(v, bad) {
				t.Errorf("%s: the view holds %q", where, bad)
			}
		}
	}
	h.mustSee("aaa-eve", "Eve")
	check("users")
	h.keys("enter")
	check("user detail")
	h.keys("esc")
	enterOrg(t, h, "fieldops")
	h.keys("enter")
	h.mustSee("aaa-eve")
	check("members")
	h.keys("esc", "j", "enter")
	h.mustSee("team")
	check("teams")
}

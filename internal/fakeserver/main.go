// Command fakeserver serves roster's fake QFieldCloud and Qomon servers on
// loopback, seeded with the demo data, for end-to-end tests and benchmarks
// of the real binary. It prints one JSON line with the URLs and tokens,
// then serves until stdin closes or it is killed. With -stall it announces
// each request it receives on stderr.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

func main() {
	latency := flag.Duration("latency", 0, "delay added to every request")
	members := flag.Int("members", 0, "generate this many members in organization 'big' (owned by demo)")
	users := flag.Int("qomon-users", 0, "generate this many users in a Qomon space 'Big' (token in qomon_big_token)")
	stall := flag.String("stall", "", "never answer requests of these methods (comma-separated, e.g. GET,POST; \"any\" for all): for ctrl+c and timeout tests")
	pageCap := flag.Int("qomon-page-cap", 0, "Qomon GET /users sends at most this many users per page")
	noCount := flag.Bool("qomon-no-count", false, "Qomon GET /users answers without data.count")
	countSkew := flag.Int("qomon-count-skew", 0, "add this to Qomon's data.count (a count the rows disagree with)")
	teamsStatus := flag.Int("qomon-teams-status", 0, "Qomon GET /teams answers this status (403, 404, 405)")
	noCreatedTeam := flag.Bool("qomon-no-created-team", false, "Qomon POST /teams answers without data.team")
	unstable := flag.Bool("unstable-pages", false, "QFieldCloud paged member lists come in a new order on every request")
	flag.Parse()

	var qfcOpts []qfctest.Option
	if *unstable {
		qfcOpts = append(qfcOpts, qfctest.WithUnstablePages())
	}
	var qomOpts []qomontest.Option
	if *pageCap > 0 {
		qomOpts = append(qomOpts, qomontest.WithPageCap(*pageCap))
	}
	if *noCount {
		qomOpts = append(qomOpts, qomontest.WithoutCount())
	}
	if *countSkew != 0 {
		qomOpts = append(qomOpts, qomontest.WithCountSkew(*countSkew))
	}
	if *teamsStatus != 0 {
		qomOpts = append(qomOpts, qomontest.WithTeamsStatus(*teamsStatus))
	}
	if *noCreatedTeam {
		qomOpts = append(qomOpts, qomontest.WithoutCreatedTeam())
	}

	qfc := qfctest.New(qfcOpts...)
	defer qfc.Close()
	qfc.SeedDemo()
	if *members > 0 {
		qfc.AddOrg("big", "demo")
		qfc.SeedGenerated("big", *members)
	}
	qom := qomontest.New(qomOpts...)
	defer qom.Close()
	qom.SeedDemo()
	qfc.Kit().SetLatency(*latency)
	qom.Kit().SetLatency(*latency)
	if *stall != "" {
		for _, m := range strings.Split(*stall, ",") {
			m = strings.ToUpper(strings.TrimSpace(m))
			if m == "ANY" {
				m = ""
			}
			qfc.Kit().Inject(fakehttp.Fault{Method: m, Kind: fakehttp.FaultStall})
			qom.Kit().Inject(fakehttp.Fault{Method: m, Kind: fakehttp.FaultStall})
		}
		// A test waits for this line to know a request is in flight.
		go announce(qfc.Kit(), qom.Kit())
	}

	// The tokens are the demo user's (QFieldCloud) and the demo
	// superadmin's (Qomon).
	out := map[string]string{
		"qfieldcloud_url":   qfc.URL(),
		"qfieldcloud_token": qfc.Token("demo"),
		"qomon_url":         qom.URL(),
		"qomon_token":       qom.DemoToken(),
	}
	if *users > 0 {
		qom.SeedGenerated("Big", *users)
		out["qomon_big_token"] = qom.Token("Big", qom.Users("Big")[0].Mail)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Serve until the parent closes our stdin (or kills us).
	_, _ = io.Copy(io.Discard, os.Stdin)
	time.Sleep(10 * time.Millisecond)
}

// announce prints "request METHOD PATH" on stderr for each request the
// fakes receive.
func announce(kits ...*fakehttp.Kit) {
	seen := make([]int, len(kits))
	for {
		for i, k := range kits {
			reqs := k.Requests()
			for _, r := range reqs[min(seen[i], len(reqs)):] {
				fmt.Fprintf(os.Stderr, "request %s %s\n", r.Method, r.Path)
			}
			seen[i] = len(reqs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Command fakeserver serves roster's fake QFieldCloud and Qomon servers on
// loopback, seeded with the demo data, for end-to-end tests and benchmarks
// of the real binary. It prints one JSON line with the URLs and tokens,
// then serves until stdin closes or it is killed.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon/qomontest"
)

func main() {
	latency := flag.Duration("latency", 0, "delay added to every request")
	members := flag.Int("members", 0, "generate this many members in organization 'big' (owned by demo)")
	users := flag.Int("qomon-users", 0, "generate this many users in a Qomon space 'Big' (token in qomon_big_token)")
	flag.Parse()

	qfc := qfctest.New()
	defer qfc.Close()
	qfc.SeedDemo()
	if *members > 0 {
		qfc.AddOrg("big", "demo")
		qfc.SeedGenerated("big", *members)
	}
	qom := qomontest.New()
	defer qom.Close()
	qom.SeedDemo()
	qfc.Kit().SetLatency(*latency)
	qom.Kit().SetLatency(*latency)

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

// Command roster manages the members and teams of QFieldCloud
// organizations and Qomon spaces from a terminal.
package main

import (
	"os"

	"github.com/roster-cli/roster/internal/termquery"

	"github.com/roster-cli/roster/cmd"
)

// Set by a release build (scripts/release.sh) with
// -ldflags "-X main.version=… -X main.commit=… -X main.date=…".
var (
	version = ""
	commit  = ""
	date    = ""
)

func main() {
	termquery.Restore()
	os.Exit(cmd.Execute(cmd.NewFactory(cmd.Build{Version: version, Commit: commit, Date: date}), os.Args[1:]))
}

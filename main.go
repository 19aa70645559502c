// Command roster manages the members and teams of QFieldCloud
// organizations and Qomon spaces from a terminal.
package main

import (
	"os"

	"github.com/roster-cli/roster/internal/termquery"

	"github.com/roster-cli/roster/cmd"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func main() {
	termquery.Restore()
	os.Exit(cmd.Execute(cmd.NewFactory(version), os.Args[1:]))
}

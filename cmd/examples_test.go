package cmd

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every command's --help has an Examples section, and every example names
// a real command with real flags.
func TestEveryCommandHasExamples(t *testing.T) {
	t.Parallel()
	root := (&app{f: &Factory{}}).newRoot()
	seen := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		key := commandKey(c)
		seen[key] = true
		generated := c.Name() == "help" || (c.HasParent() && c.Parent().Name() == "completion")
		if !generated && strings.TrimSpace(c.Example) == "" {
			t.Errorf("roster %s --help has no Examples: add them to cmd/examples.go", key)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for key, lines := range examples {
		if !seen[key] {
			t.Errorf("examples for %q: no such command", key)
		}
		for _, line := range lines {
			checkExample(t, line)
		}
	}
}

// checkExample parses one example line as roster would.
func checkExample(t *testing.T, line string) {
	t.Helper()
	cmdline, _, _ := strings.Cut(line, "#")
	if i := strings.LastIndex(cmdline, "|"); i >= 0 {
		cmdline = cmdline[i+1:]
	}
	cmdline, _, _ = strings.Cut(cmdline, ">")
	fields := strings.Fields(cmdline)
	if len(fields) == 0 || fields[0] != "roster" {
		t.Errorf("example %q does not run roster", line)
		return
	}
	root := (&app{f: &Factory{}}).newRoot()
	root.InitDefaultVersionFlag() // cobra adds --version at Execute
	c, rest, err := root.Find(fields[1:])
	if err != nil {
		t.Errorf("example %q: %v", line, err)
		return
	}
	if err := c.ParseFlags(rest); err != nil {
		t.Errorf("example %q: %v", line, err)
	}
}

package cmd

import (
	"strings"

	"github.com/spf13/cobra"
)

// examples are the Examples sections of --help (gh style), by command path
// without "roster": the commands a person types most. They live together
// here so they read as one manual and stay consistent; a test checks that
// every command has some, so a new command lands with its examples.
var examples = map[string][]string{
	"": {
		"roster                      # the terminal UI on your active profile",
		"roster --demo               # try it on built-in data: no account, no network",
		"roster auth login",
		"roster members list fieldops",
	},
	"auth": {
		"roster auth login",
		"roster auth status",
		"roster auth logout",
	},
	"auth login": {
		"roster auth login                      # asks for what it needs",
		"roster auth login --provider qfieldcloud --username alice",
		"printf '%s' \"$KEY\" | roster auth login --provider qomon --with-token --profile campaign",
		"roster auth login --provider qfieldcloud --url https://qfc.example.org --insecure-storage",
	},
	"auth status": {
		"roster auth status",
		"roster auth status --json",
	},
	"auth logout": {
		"roster auth logout                     # forget roster's copy of the token",
		"roster auth logout --profile campaign",
		"roster auth logout --everywhere        # also end every token of the account on the server",
	},
	"profiles": {
		"roster profiles list",
		"roster profiles use campaign",
	},
	"profiles list":   {"roster profiles list", "roster profiles list --json"},
	"profiles use":    {"roster profiles use campaign"},
	"profiles remove": {"roster profiles remove old-server"},
	"users": {
		"roster users list --search ali",
		"roster users get alice",
	},
	"users list": {
		"roster users list",
		"roster users list --search ali",
		"roster users list --org fieldops --csv > fieldops-users.csv",
		"roster users list --exclude-org fieldops --limit 20",
	},
	"users get":      {"roster users get alice", "roster users get claire@example.org --json"},
	"users set-role": {"roster users set-role claire@example.org manager   # Qomon"},
	"roles":          {"roster roles list"},
	"roles list":     {"roster roles list", "roster roles list --json"},
	"orgs": {
		"roster orgs list",
		"roster orgs get fieldops",
	},
	"orgs list": {"roster orgs list", "roster orgs list --json"},
	"orgs get":  {"roster orgs get fieldops"},
	"members": {
		"roster members list fieldops",
		"roster members add fieldops alice --role admin",
		"roster members remove fieldops alice",
	},
	"members list": {
		"roster members list                    # the profile's default organization",
		"roster members list fieldops",
		"roster members list fieldops --csv > members.csv",
	},
	"members add": {
		"roster members add fieldops alice",
		"roster members add fieldops alice --role admin --public",
		"roster members add alice                # to the profile's default organization",
	},
	"members set-role": {
		"roster members set-role fieldops alice admin",
		"roster members set-role alice member --dry-run",
	},
	"members remove": {
		"roster members remove fieldops alice",
		"roster members remove fieldops alice --yes   # in scripts",
	},
	"teams": {
		"roster teams list --org fieldops",
		"roster teams add-member fieldops/surveyors alice",
	},
	"teams list": {"roster teams list --org fieldops", "roster teams list --json"},
	"teams get":  {"roster teams get fieldops/surveyors", "roster teams get \"Quartier Nord\"   # Qomon: id or exact name"},
	"teams create": {
		"roster teams create surveyors --org fieldops",
		"roster teams create \"Quartier Nord\" --private   # Qomon",
	},
	"teams rename":  {"roster teams rename fieldops/surveyors field-surveyors"},
	"teams delete":  {"roster teams delete fieldops/surveyors", "roster teams delete fieldops/surveyors --yes"},
	"teams members": {"roster teams members fieldops/surveyors", "roster teams members \"Quartier Nord\" --json"},
	"teams add-member": {
		"roster teams add-member fieldops/surveyors alice bob",
		"roster teams add-member \"Quartier Nord\" claire@example.org --leader   # Qomon",
	},
	"teams remove-member": {"roster teams remove-member fieldops/surveyors alice", "roster teams remove-member fieldops/surveyors alice --yes"},
	"projects": {
		"roster projects list --org fieldops",
		"roster projects get fieldops/wetlands",
	},
	"projects list": {"roster projects list", "roster projects list --org fieldops --csv"},
	"projects get":  {"roster projects get fieldops/wetlands", "roster projects get fieldops/wetlands --json"},
	"collaborators": {
		"roster collaborators list fieldops/wetlands",
		"roster collaborators add fieldops/wetlands alice --role editor",
	},
	"collaborators list": {"roster collaborators list fieldops/wetlands", "roster collaborators list fieldops/wetlands --csv"},
	"collaborators add": {
		"roster collaborators add fieldops/wetlands alice bob",
		"roster collaborators add fieldops/wetlands @fieldops/surveyors --role editor",
	},
	"collaborators set-role": {"roster collaborators set-role fieldops/wetlands alice manager"},
	"collaborators remove":   {"roster collaborators remove fieldops/wetlands alice", "roster collaborators remove fieldops/wetlands alice --yes"},
	"access": {
		"roster access alice                    # every organization, team and project alice can reach",
		"roster access alice --org fieldops --json",
	},
	"offboard": {
		"roster offboard alice --dry-run        # see the plan, send nothing",
		"roster offboard alice --org fieldops",
	},
	"invitations": {
		"roster invitations list",
		"roster invitations send nora@example.org",
	},
	"invitations list":   {"roster invitations list", "roster invitations list --json"},
	"invitations send":   {"roster invitations send nora@example.org", "roster invitations send nora@example.org yann@example.org --role manager"},
	"invitations cancel": {"roster invitations cancel 4821", "roster invitations cancel 4821 --yes"},
	"export": {
		"roster export fieldops -o fieldops.yaml",
		"roster export > space.yaml              # Qomon: the space",
	},
	"plan": {
		"roster plan fieldops.yaml               # exit 3 when the server differs",
		"roster plan fieldops.yaml --prune",
	},
	"apply": {
		"roster apply fieldops.yaml --dry-run",
		"roster apply fieldops.yaml",
		"roster apply fieldops.yaml --prune --yes   # in CI",
	},
	"log": {
		"roster log",
		"roster log --since 2d",
		"roster log --since 1w --profile work --json",
	},
	"version": {"roster version", "roster --version"},
	"completion": {
		"roster completion bash > /etc/bash_completion.d/roster",
		"roster completion zsh > \"${fpath[1]}/_roster\"",
		"roster completion fish > ~/.config/fish/completions/roster.fish",
	},
}

// addExamples gives every command its Examples section, unless it set
// one itself.
func addExamples(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Example == "" {
			if ex, ok := examples[commandKey(c)]; ok {
				c.Example = "  $ " + strings.Join(ex, "\n  $ ")
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// commandKey is the command's path without the root's name.
func commandKey(c *cobra.Command) string {
	return strings.TrimPrefix(strings.TrimPrefix(c.CommandPath(), c.Root().Name()), " ")
}

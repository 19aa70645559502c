package tui

import (
	"net/mail"
	"strings"

	"github.com/roster-cli/roster/client"
)

// teamNameProblem is what the provider's rules say about a new team name,
// "" when it may be sent.
func teamNameProblem(p client.Provider, name string) string {
	if err := client.CheckTeamName(p, name); err != nil {
		return err.Error()
	}
	return ""
}

// emailProblem refuses what is not one bare e-mail address, before a
// role is asked for.
func emailProblem(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s, "@") {
		return "not an e-mail address: type one address such as name@example.org"
	}
	return ""
}

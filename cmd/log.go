package cmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/internal/audit"
)

// auditLog is roster's audit log: the one the session layer records
// writes in.
func (a *app) auditLog() (*audit.Log, error) { return a.sess().AuditLog() }

func (a *app) newLogCmd() *cobra.Command {
	var o outputFlags
	var since time.Duration
	c := &cobra.Command{
		Use:   "log",
		Short: "Show roster's audit log of the writes it sent",
		Long: `Every write roster sends (from a command, apply or the TUI) is recorded as one
JSON line in $XDG_STATE_HOME/roster/audit.jsonl (else ~/.local/state/roster/).
No token or password is ever recorded.`,
		Args: cobra.NoArgs,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			if c.Flags().Changed("since") && since <= 0 {
				return usagef("--since must be positive, got %s", since)
			}
			// --profile is the global flag: here it filters the log.
			return a.showLog(since, a.g.profile, o)
		}),
	}
	c.Flags().DurationVar(&since, "since", 0, "only writes of the last DURATION (e.g. 24h, 30m)")
	addJSONFlag(c, &o)
	return c
}

func (a *app) showLog(since time.Duration, profile string, o outputFlags) error {
	f, err := o.format()
	if err != nil {
		return err
	}
	log, err := a.auditLog()
	if err != nil {
		return err
	}
	var from time.Time
	if since > 0 {
		from = a.f.now().Add(-since)
	}
	entries, err := log.Read(from, func(d audit.Damaged) {
		a.notef("roster: warning: %s line %d is damaged, skipped: %v\n", log.Path(), d.Line, d.Err)
	})
	if err != nil {
		return err
	}
	var rows []audit.Entry
	for _, e := range entries {
		if profile == "" || e.Profile == profile {
			rows = append(rows, e)
		}
	}
	if f == formatJSON {
		if rows == nil {
			rows = []audit.Entry{}
		}
		return writeJSON(a.out(), rows)
	}
	if len(rows) == 0 {
		a.notef("no writes recorded%s\n", map[bool]string{true: " in that time", false: ""}[since > 0])
		return nil
	}
	t := table{headers: []string{"TIME", "PROFILE", "ACTION", "TARGET", "CHANGE", "OUTCOME"}}
	for _, e := range rows {
		target := e.Target
		if e.Org != "" {
			target = e.Org + ": " + target
		}
		change := changeText(e.Before, e.After)
		outcome := e.Outcome
		if e.Error != "" {
			outcome = fmt.Sprintf("error: %s", e.Error)
		}
		t.add(e.Time.Local().Format("2006-01-02 15:04:05"), e.Profile, e.Action, target, change, outcome)
	}
	return t.write(a.out())
}

// changeText shows before → after, leaving out the key=value parts that
// did not change, so the table column stays short.
func changeText(before, after string) string {
	if before == "" {
		return after
	}
	b, a := strings.Fields(before), strings.Fields(after)
	if len(b) == len(a) && len(b) > 1 {
		var bs, as []string
		for i := range b {
			if b[i] != a[i] {
				bs, as = append(bs, b[i]), append(as, a[i])
			}
		}
		if len(bs) > 0 {
			b, a = bs, as
		}
	}
	return strings.Join(b, " ") + " → " + strings.Join(a, " ")
}

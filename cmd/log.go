package cmd

import (
	"fmt"
	"regexp"
	"strconv"
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
	c.Flags().Var((*sinceFlag)(&since), "since", "only writes of the last DURATION (e.g. 30m, 24h, 2d, 1w)")
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

// sinceFlag is a duration that also takes days (d) and weeks (w), the
// units people think of an audit log in: 2d, 1w, 1w2d, 36h.
type sinceFlag time.Duration

var durationUnit = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?)([wd])`)

func (f *sinceFlag) Set(s string) error {
	var bad error
	hours := durationUnit.ReplaceAllStringFunc(s, func(m string) string {
		p := durationUnit.FindStringSubmatch(m)
		n, err := strconv.ParseFloat(p[1], 64)
		if err != nil {
			bad = err
		}
		if p[2] == "w" {
			n *= 7
		}
		return strconv.FormatFloat(n*24, 'f', -1, 64) + "h"
	})
	d, err := time.ParseDuration(hours)
	if err != nil || bad != nil {
		return fmt.Errorf("%q is not a duration (e.g. 30m, 24h, 2d, 1w)", s)
	}
	*f = sinceFlag(d)
	return nil
}

func (f *sinceFlag) String() string {
	if *f == 0 {
		return "" // no default shown in --help
	}
	return time.Duration(*f).String()
}

func (f *sinceFlag) Type() string { return "duration" }

package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	sessions "github.com/roster-cli/roster/internal/session"
)

// globals are the persistent flags every command sees.
type globals struct {
	profile  string
	readOnly bool
	timeout  time.Duration
	noColor  bool
	debug    bool
}

// app is one run of roster: the factory, the parsed global flags and what
// was loaded lazily (config).
type app struct {
	f       *Factory
	g       globals
	started bool // a command's RunE began: errors before it are usage errors

	dryRunFlag bool             // --dry-run of write commands
	dry        *sessions.DryRun // set while --dry-run is on

	opener *sessions.Opener // profiles, tokens and providers (internal/session)
	quiet  bool             // no warnings on the terminal: the TUI draws there
	// warnings, while the TUI runs, takes the warnings it shows instead.
	warnings chan string
}

// Execute runs roster with args (without the program name) and returns the
// process exit code.
func Execute(f *Factory, args []string) int {
	a := &app{f: f}
	root := a.newRoot()
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	root.SetArgs(args)
	root.SetIn(f.In)
	root.SetOut(f.Out)
	root.SetErr(f.ErrOut)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if !a.started {
		// cobra refused the command line: unknown command or flag, wrong
		// number of arguments.
		var s *silentError
		var u *usageError
		if !errors.As(err, &s) && !errors.As(err, &u) {
			err = &usageError{msg: err.Error()}
		}
		printError(f.ErrOut, err)
		if cmd != nil {
			fmt.Fprintf(f.ErrOut, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return exitUsage
	}
	var s *silentError
	if !errors.As(err, &s) {
		printError(f.ErrOut, err)
	}
	return exitCode(err)
}

func (a *app) newRoot() *cobra.Command {
	var demo bool
	root := &cobra.Command{
		Use:   "roster",
		Short: "Manage QFieldCloud and Qomon memberships from a terminal",
		Long: `roster manages the members and teams of QFieldCloud organizations and
Qomon spaces. Without a command it starts the interactive TUI (on a terminal).

A command uses the profile named by --profile, else $ROSTER_PROFILE, else the
active one (roster auth login saves it), else the token in QFIELDCLOUD_TOKEN
or QOMON_TOKEN (with both set: --profile qfieldcloud or --profile qomon).
roster COMMAND --help shows each command's flags and examples; this help and
the README are the reference scripts can rely on.

Exit codes: 0 ok, 1 failed, 2 usage, 3 plan found drift, 4 not signed in.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(c, args[0])
			}
			return nil
		},
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: a.run(func(c *cobra.Command, _ []string) error {
			return a.runTUI(c.Context(), c, demo)
		}),
	}
	root.CompletionOptions.HiddenDefaultCmd = false
	// --version prints the line `roster version` starts with.
	root.Version = a.f.versionLine()
	root.SetVersionTemplate("roster {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVar(&a.g.profile, "profile", "", "profile to use (default: $ROSTER_PROFILE, then the active profile)")
	pf.BoolVar(&a.g.readOnly, "read-only", false, "refuse every write")
	pf.DurationVar(&a.g.timeout, "timeout", 30*time.Second, "time limit for each request")
	pf.BoolVar(&a.g.noColor, "no-color", false, "no colours (also NO_COLOR)")
	pf.BoolVar(&a.g.debug, "debug", false, "log requests to stderr (tokens redacted)")
	root.Flags().BoolVar(&demo, "demo", false, "start the TUI on built-in demo data (no network, no keyring, nothing written)")
	_ = root.RegisterFlagCompletionFunc("profile", a.completeProfiles)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{msg: err.Error()}
	})

	root.AddCommand(
		a.newAuthCmd(),
		a.newProfilesCmd(),
		a.newUsersCmd(),
		a.newRolesCmd(),
		a.newOrgsCmd(),
		a.newMembersCmd(),
		a.newTeamsCmd(),
		a.newProjectsCmd(),
		a.newCollaboratorsCmd(),
		a.newAccessCmd(),
		a.newOffboardCmd(),
		a.newInvitationsCmd(),
		a.newExportCmd(),
		a.newPlanCmd(),
		a.newApplyCmd(),
		a.newLogCmd(),
		a.newVersionCmd(),
	)
	// The completion command is added by cobra at Execute; made here so
	// it gets its examples too. It keeps the output stream it sees now.
	if a.f.Out != nil {
		root.SetOut(a.f.Out)
		root.SetErr(a.f.ErrOut)
	}
	root.InitDefaultCompletionCmd()
	addExamples(root)
	return root
}

// run marks the start of a command's own work, then validates --timeout.
func (a *app) run(fn func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, args []string) error {
		a.started = true
		if a.g.timeout <= 0 {
			return usagef("--timeout must be positive, got %s", a.g.timeout)
		}
		if a.dryRunFlag {
			a.sess() // puts the dry-run transport in place
		}
		return fn(c, args)
	}
}

// debugf writes a --debug line to stderr. Never pass a token.
func (a *app) debugf(format string, args ...any) {
	if a.g.debug {
		fmt.Fprintf(a.f.ErrOut, "debug: "+format+"\n", args...)
	}
}

// debugWriter is where the clients log requests (nil = off).
func (a *app) debugWriter() io.Writer {
	if a.g.debug {
		return a.f.ErrOut
	}
	return nil
}

func (a *app) noColor() bool {
	return a.g.noColor || a.f.Getenv("NO_COLOR") != ""
}

// out and errOut are the command's streams.
func (a *app) out() io.Writer    { return a.f.Out }
func (a *app) errOut() io.Writer { return a.f.ErrOut }

// printf writes a result line to stdout.
func (a *app) printf(format string, args ...any) { fmt.Fprintf(a.f.Out, format, args...) }

// notef writes a notice (warnings, progress, prompts) to stderr.
func (a *app) notef(format string, args ...any) { fmt.Fprintf(a.f.ErrOut, format, args...) }

// progress reports list progress on stderr, only on a terminal. done
// erases the line.
func (a *app) progress(what string) (step func(n int), done func()) {
	if !a.f.StderrTTY {
		return func(int) {}, func() {}
	}
	shown := false
	return func(n int) {
			shown = true
			fmt.Fprintf(a.f.ErrOut, "\r\x1b[Kfetching %s… %d", what, n)
		}, func() {
			if shown {
				fmt.Fprint(a.f.ErrOut, "\r\x1b[K")
			}
		}
}

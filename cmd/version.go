package cmd

import (
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Build is what a release build stamps into the binary with -ldflags
// (scripts/release.sh): main.version, main.commit and main.date. A plain
// `go build` leaves them empty; Go's own build info (the VCS revision and
// time of the checkout) fills in what it can.
type Build struct {
	Version string // e.g. v1.4.0; "" = dev
	Commit  string // full or short revision
	Date    string // build (or commit) time, RFC 3339
}

// versionLine is the one version string roster shows: `roster version`,
// `roster --version` and the TUI's help all print it.
func (f *Factory) versionLine() string {
	b := f.Build
	if b.Version == "" {
		b.Version = f.Version
	}
	modified := false
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true" && f.Build.Commit == ""
			}
		}
	}
	v := b.Version
	if v == "" {
		v = "dev"
	}
	var parts []string
	if b.Commit != "" {
		c := b.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if modified {
			c += ", modified"
		}
		parts = append(parts, "commit "+c)
	}
	if b.Date != "" {
		parts = append(parts, "built "+b.Date)
	}
	if len(parts) == 0 {
		parts = append(parts, "built from source")
	}
	return v + " (" + strings.Join(parts, ", ") + ")"
}

func (a *app) newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print roster's version, commit, build date and Go version",
		Args:  noArgs,
		RunE: a.run(func(*cobra.Command, []string) error {
			a.printf("roster %s\n%s %s/%s\n", a.f.versionLine(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		}),
	}
}

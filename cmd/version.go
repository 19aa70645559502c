package cmd

import (
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func (a *app) newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print roster's version, commit and Go version",
		Args:  noArgs,
		RunE: a.run(func(*cobra.Command, []string) error {
			v := a.f.Version
			if v == "" {
				v = "dev"
			}
			commit := "unknown (built from source)"
			if info, ok := debug.ReadBuildInfo(); ok {
				var rev, when, dirty string
				for _, s := range info.Settings {
					switch s.Key {
					case "vcs.revision":
						rev = s.Value
					case "vcs.time":
						when = s.Value
					case "vcs.modified":
						if s.Value == "true" {
							dirty = ", modified"
						}
					}
				}
				if rev != "" {
					commit = rev
					if when != "" || dirty != "" {
						commit += " (" + when + dirty + ")"
					}
				}
			}
			a.printf("roster %s\ncommit: %s\n%s %s/%s\n", v, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		}),
	}
}

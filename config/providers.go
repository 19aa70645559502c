// Package config holds roster's profiles (config.toml), where they live on
// disk, which one a command uses, and where its token comes from: the
// provider's environment variable, the OS keyring, or — only after
// `auth login --insecure-storage` — credentials.toml.
//
// It knows nothing of cobra or the TUI; every environment read goes through
// an injected getenv so tests never depend on the machine. What it knows
// about each provider (name, default URL, environment variables) comes from
// the registry in client/providers.
package config

import "github.com/roster-cli/roster/client/providers"

func providerKinds() string {
	s := ""
	for i, k := range providers.Kinds() {
		if i > 0 {
			s += ", "
		}
		s += k
	}
	return s
}

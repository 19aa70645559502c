// Package config holds roster's profiles (config.toml), where they live on
// disk, which one a command uses, and where its token comes from: the
// provider's environment variable, the OS keyring, or — only after
// `auth login --insecure-storage` — credentials.toml.
//
// It knows nothing of cobra or the TUI; every environment read goes through
// an injected getenv so tests never depend on the machine.
package config

// Provider kinds, as written in profiles and on the command line.
const (
	ProviderQFieldCloud = "qfieldcloud"
	ProviderQomon       = "qomon"
)

// ProviderInfo is what roster needs to know about a provider kind before
// any client exists: its default URL and the environment variables that
// carry its token and URL.
type ProviderInfo struct {
	Kind       string
	DefaultURL string
	TokenEnv   string
	URLEnv     string
}

var providers = []ProviderInfo{
	{Kind: ProviderQFieldCloud, DefaultURL: "https://app.qfield.cloud/api/v1/", TokenEnv: "QFIELDCLOUD_TOKEN", URLEnv: "QFIELDCLOUD_URL"},
	{Kind: ProviderQomon, DefaultURL: "https://incoming.qomon.app", TokenEnv: "QOMON_TOKEN", URLEnv: "QOMON_URL"},
}

// Providers lists every provider kind, in the order shown to people.
func Providers() []ProviderInfo {
	return append([]ProviderInfo(nil), providers...)
}

// LookupProvider returns the provider of the given kind (exact, lower case).
func LookupProvider(kind string) (ProviderInfo, bool) {
	for _, p := range providers {
		if p.Kind == kind {
			return p, true
		}
	}
	return ProviderInfo{}, false
}

func providerKinds() string {
	s := ""
	for i, p := range providers {
		if i > 0 {
			s += ", "
		}
		s += p.Kind
	}
	return s
}

// Package providers opens a client.Provider by its kind name, so callers
// (cmd, the demo, tests) need not know the concrete client packages.
package providers

import (
	"fmt"
	"strings"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/client/qomon"
)

// Kind names, as written in profiles and on the command line.
const (
	QFieldCloud = "qfieldcloud"
	Qomon       = "qomon"
)

// Kinds lists every provider kind, in the order shown to people.
func Kinds() []string { return []string{QFieldCloud, Qomon} }

// Open builds the provider client of the given kind.
func Open(kind string, cfg client.Config) (client.Provider, error) {
	switch kind {
	case QFieldCloud:
		c, err := qfieldcloud.New(cfg)
		if err != nil {
			return nil, err
		}
		return c, nil
	case Qomon:
		c, err := qomon.New(cfg)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	return nil, unknown(kind)
}

// NormalizeURL checks and normalises a base URL for the given kind; ""
// gives the provider's default URL.
func NormalizeURL(kind, raw string) (string, error) {
	switch kind {
	case QFieldCloud:
		if strings.TrimSpace(raw) == "" {
			raw = qfieldcloud.DefaultURL
		}
		return qfieldcloud.NormalizeURL(raw)
	case Qomon:
		if strings.TrimSpace(raw) == "" {
			raw = qomon.DefaultURL
		}
		return qomon.NormalizeURL(raw)
	}
	return "", unknown(kind)
}

func unknown(kind string) error {
	return fmt.Errorf("unknown provider %q (known: %s): %w", kind, strings.Join(Kinds(), ", "), client.ErrBadInput)
}

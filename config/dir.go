package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// Dir returns roster's configuration directory: $ROSTER_CONFIG_DIR, else
// $XDG_CONFIG_HOME/roster, else ~/.config/roster. macOS uses ~/.config too,
// on purpose: people expect to find a CLI's config there, not in
// ~/Library/Application Support, so os.UserConfigDir is not used.
// A nil getenv means os.Getenv.
func Dir(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if d := getenv("ROSTER_CONFIG_DIR"); d != "" {
		abs, err := filepath.Abs(d)
		if err != nil {
			return "", errors.New("finding the config directory: ROSTER_CONFIG_DIR: " + err.Error())
		}
		return abs, nil
	}
	// The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
	if x := getenv("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "roster"), nil
	}
	home := getenv("HOME")
	if home == "" && runtime.GOOS == "windows" {
		home = getenv("USERPROFILE")
	}
	if home == "" {
		return "", errors.New("finding the config directory: HOME is not set; set ROSTER_CONFIG_DIR")
	}
	return filepath.Join(home, ".config", "roster"), nil
}

//go:build !(linux || darwin)

package tui

import (
	"os"
	"time"
)

// askBackground does not ask here: no bounded read from the console.
// The palette follows COLORFGBG, else assumes a dark background.
func askBackground(in, out *os.File, bound time.Duration) (dark, ok bool) {
	return false, false
}

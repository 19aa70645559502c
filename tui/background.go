package tui

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"
)

// backgroundBound is how long the TUI waits for the terminal to say its
// background colour before it draws the first frame. Terminals answer in
// a few milliseconds (over SSH: one round trip); a bare pty never does,
// and termenv's own query would wait 5 s for it.
const backgroundBound = 200 * time.Millisecond

// backgroundQuery asks for the background colour (OSC 11), then for the
// cursor position (DSR), which every terminal answers: one that does not
// know OSC 11 answers only the second, and the wait ends there.
const backgroundQuery = "\x1b]11;?\x1b\\\x1b[6n"

// darkBackground tells whether the terminal behind in and out has a dark
// background: from COLORFGBG when set, else by asking the terminal and
// waiting at most bound. Without an answer it says dark, the usual
// default. tmux and screen are not asked: they answer with their own
// colour, not the terminal's.
func darkBackground(in, out *os.File, getenv func(string) string, bound time.Duration) bool {
	if dark, ok := colorFGBG(getenv("COLORFGBG")); ok {
		return dark
	}
	t := getenv("TERM")
	if t == "" || strings.HasPrefix(t, "dumb") || strings.HasPrefix(t, "screen") || strings.HasPrefix(t, "tmux") {
		return true
	}
	if in == nil || out == nil || !term.IsTerminal(int(in.Fd())) || !term.IsTerminal(int(out.Fd())) {
		return true
	}
	if dark, ok := askBackground(in, out, bound); ok {
		return dark
	}
	return true
}

var (
	cursorReply = regexp.MustCompile(`\x1b\[[0-9;]*R`)
	colourReply = regexp.MustCompile(`\x1b\]11;rgba?:([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})`)
)

// parseBackground reads an OSC 11 answer ("rgb:RRRR/GGGG/BBBB", 1 to 4
// hex digits per channel) and says whether the colour is dark (HSL
// lightness below one half, as termenv decides).
func parseBackground(reply []byte) (dark, ok bool) {
	m := colourReply.FindSubmatch(reply)
	if m == nil {
		return false, false
	}
	var ch [3]float64
	for i := range ch {
		v, err := strconv.ParseUint(string(m[i+1]), 16, 16)
		if err != nil {
			return false, false
		}
		ch[i] = float64(v) / float64(uint64(1)<<(4*len(m[i+1]))-1)
	}
	lo, hi := min(ch[0], ch[1], ch[2]), max(ch[0], ch[1], ch[2])
	return (lo+hi)/2 < 0.5, true
}

// colorFGBG reads COLORFGBG ("15;0": foreground 15 on background 0), set
// by some terminals and by users who want to skip the question. The
// background is its last field, an ANSI colour: 7 and 9–15 are light.
func colorFGBG(v string) (dark, ok bool) {
	f := strings.Split(v, ";")
	if len(f) < 2 {
		return false, false
	}
	bg, err := strconv.Atoi(f[len(f)-1])
	if err != nil || bg < 0 || bg > 15 {
		return false, false
	}
	return !(bg == 7 || bg >= 9), true
}

// isTerminalReply tells apart a late answer to backgroundQuery, which
// Bubble Tea reads as an alt+] key with many runes, from a key the user
// pressed: the root drops it.
func isTerminalReply(k []rune, alt bool) bool {
	return alt && len(k) > 4 && strings.HasPrefix(string(k), "]11;")
}

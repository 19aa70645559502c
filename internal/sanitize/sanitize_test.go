package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// hostile is every kind of terminal-control input a server could send,
// each with what must remain once it is made safe.
var hostile = []struct {
	name, in, want string
}{
	{"plain", "Alice Example", "Alice Example"},
	{"unicode kept", "Zoë 日本 🙂", "Zoë 日本 🙂"},
	{"CSI colour", "\x1b[31mred\x1b[0m", "red"},
	{"CSI clear screen", "a\x1b[2Jb\x1b[Hc", "abc"},
	{"CSI with intermediates", "a\x1b[?25lb\x1b[1 qc", "abc"},
	{"CSI cursor up erase line", "ok\x1b[1A\x1b[2Kforged", "okforged"},
	{"C1 CSI", "a\u009b31mb", "ab"},
	{"OSC title BEL", "a\x1b]0;pwned\x07b", "ab"},
	{"OSC title ST", "a\x1b]2;pwned\x1b\\b", "ab"},
	{"OSC 8 hyperlink", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"},
	{"OSC 8 hyperlink BEL", "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07", "click"},
	{"OSC 52 clipboard BEL", "x\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07y", "xy"},
	{"OSC 52 clipboard ST", "x\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x1b\\y", "xy"},
	{"OSC 52 C1 ST", "x\x1b]52;c;AAAA\u009cy", "xy"},
	{"C1 OSC", "x\u009d0;title\u0007y", "xy"},
	{"DCS", "x\x1bP1$r0m\x1b\\y", "xy"},
	{"C1 DCS", "x\u0090q#0;2;0;0;0\u009cy", "xy"},
	{"APC", "x\x1b_Gf=24;AAAA\x1b\\y", "xy"},
	{"C1 APC", "x\u009fhidden\u009cy", "xy"},
	{"PM", "x\x1b^private\x1b\\y", "xy"},
	{"C1 PM", "x\u009eprivate\u009cy", "xy"},
	{"SOS", "x\x1bXstring\x1b\\y", "xy"},
	{"C1 SOS", "x\u0098string\u009cy", "xy"},
	{"two-byte escape", "a\x1bcb\x1b7c\x1b8d", "abcd"},
	{"charset escape", "a\x1b(0b\x1b(Bc", "abc"},
	{"C1 controls", "a\u0080\u0085\u008d\u0096\u009ab", "ab"},
	{"C0 controls", "a\x00\x01\x07\x08\x0b\x0c\x0e\x1a\x1fb", "ab"},
	{"DEL", "a\x7fb", "ab"},
	{"newline tab CR become spaces", "a\nb\tc\rd", "a b c d"},
	{"bidi overrides", "a\u202ab\u202bc\u202cd\u202de\u202ef", "abcdef"},
	{"bidi isolates", "a\u2066b\u2067c\u2068d\u2069e", "abcde"},
	{"bidi marks", "a\u200eb\u200fc\u061cd", "abcd"},
	{"trojan source", "admin\u202e\u2066 // user\u2069\u2066", "admin // user"},
	{"invalid UTF-8", "a\xffb\xc3c", "a\uFFFDb\uFFFDc"},
	{"overlong UTF-8 ESC", "a\xc0\x9bb", "a\uFFFD\uFFFDb"},
	{"unterminated CSI", "abc\x1b[31", "abc"},
	{"unterminated OSC", "abc\x1b]0;title never ends", "abc"},
	{"unterminated OSC 52", "abc\x1b]52;c;AAAA", "abc"},
	{"unterminated DCS", "abc\x1bPqqq", "abc"},
	{"lone ESC at end", "abc\x1b", "abc"},
	{"ESC ESC", "a\x1b\x1b[31mb", "ab"},
	{"CSI interrupted by ESC", "a\x1b[3\x1b]0;t\x07b", "ab"},
	{"ESC then non-ASCII", "a\x1bé", "aé"},
	{"ESC then control", "a\x1b\x07b", "ab"},
	{"C1 CSI unterminated", "a\u009b31", "a"},
}

func TestTextRemovesHostileSequences(t *testing.T) {
	t.Parallel()
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			got := Text(tc.in)
			if got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
			checkSafe(t, tc.in, got)
			if again := Text(got); again != got {
				t.Errorf("not idempotent: %q then %q", got, again)
			}
		})
	}
}

// checkSafe fails if out holds anything a terminal would act on.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("Text(%q) = %q: invalid UTF-8", in, out)
	}
	for _, r := range out {
		if unsafeRune(r) {
			t.Errorf("Text(%q) = %q: keeps control %U", in, out, r)
		}
	}
}

func unsafeRune(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

func TestTextCleanIsUnchanged(t *testing.T) {
	// The fast path must return the very string (no copy) for plain ASCII.
	s := "bob@example.com"
	if got := Text(s); got != s {
		t.Fatalf("Text(%q) = %q", s, got)
	}
	if allocs := testing.AllocsPerRun(100, func() { _ = Text(s) }); allocs != 0 {
		t.Errorf("plain ASCII allocates %v times", allocs)
	}
}

func TestCellTruncatesByDisplayWidth(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in    string
		width int
		want  string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"eleven chars", 10, "eleven ch…"},
		{"日本語日本語", 12, "日本語日本語"},
		{"日本語日本語", 7, "日本語…"},
		{"日本語日本語", 6, "日本…"}, // a wide rune never straddles the edge
		{"🙂🙂🙂🙂", 5, "🙂🙂…"},
		{"abc", 1, "…"},
		{"abc", 0, "abc"},                             // no limit
		{"abc", -3, "abc"},                            // no limit
		{"\x1b[31mred and more\x1b[0m", 7, "red an…"}, // escapes never count
		{strings.Repeat("x", 100000), 200, strings.Repeat("x", 199) + "…"},
	}
	for _, tc := range cases {
		got := Cell(tc.in, tc.width)
		if got != tc.want {
			t.Errorf("Cell(%.40q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
		if tc.width > 0 && runewidth.StringWidth(got) > tc.width {
			t.Errorf("Cell(%.40q, %d) is %d columns wide", tc.in, tc.width, runewidth.StringWidth(got))
		}
	}
}

func TestShortCapsHugeServerText(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("\x1b]52;c;AAAA\x07ab", 50000)
	got := Short(huge)
	if w := runewidth.StringWidth(got); w != 200 || !strings.HasSuffix(got, "…") {
		t.Fatalf("Short of a huge value: %d columns, %q…", w, got[:20])
	}
	checkSafe(t, "huge", got)
}

// FuzzText: whatever a server sends, the result is valid UTF-8 with no
// escape, C0/C1 or bidi control, and sanitising twice changes nothing.
func FuzzText(f *testing.F) {
	for _, tc := range hostile {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		checkSafe(t, s, out)
		if again := Text(out); again != out {
			t.Fatalf("not idempotent: Text(%q) = %q, then %q", s, out, again)
		}
		if c := Cell(s, 8); runewidth.StringWidth(c) > 8 {
			t.Fatalf("Cell(%q, 8) = %q is wider than 8", s, c)
		}
	})
}

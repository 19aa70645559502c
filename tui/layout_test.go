package tui

import (
	"github.com/charmbracelet/x/ansi"
	"reflect"
	"testing"
)

func TestLayout(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		w, h int
		st   layoutState
		want Frame
	}{
		{"standard", 100, 30, layoutState{SignedIn: true}, Frame{Width: 100, Header: 2, Body: 25, Status: 2, Footer: 1}},
		{"small", 60, 15, layoutState{SignedIn: true}, Frame{Width: 60, Header: 2, Body: 10, Status: 2, Footer: 1}},
		{"sign-in has no tabs line", 80, 24, layoutState{}, Frame{Width: 80, Header: 1, Body: 20, Status: 2, Footer: 1}},
		{"minimum", 40, 10, layoutState{SignedIn: true}, Frame{Width: 40, Header: 2, Body: 5, Status: 2, Footer: 1}},
		{"too narrow", 39, 30, layoutState{SignedIn: true}, Frame{Width: 39, TooSmall: true}},
		{"too short", 100, 9, layoutState{SignedIn: true}, Frame{Width: 100, TooSmall: true}},
		{"unknown size is 80x24, not tiny", 0, 0, layoutState{SignedIn: true}, Frame{Width: 80, Header: 2, Body: 19, Status: 2, Footer: 1}},
	}
	for _, c := range cases {
		if got := layout(c.w, c.h, c.st); got != c.want {
			t.Errorf("%s: layout(%d, %d) = %+v, want %+v", c.name, c.w, c.h, got, c.want)
		}
	}
}

func TestFitColumnsDropsEmailBeforeRole(t *testing.T) {
	t.Parallel()
	cols := memberColumns() // USER NAME E-MAIL ROLE PUBLIC
	cases := []struct {
		width int
		want  []int
	}{
		// Wide: bounded columns at their Max, e-mail takes the rest.
		{100, []int{20, 24, 28, 12, 6}},
		// 60: e-mail (Drop 3) goes first; the others grow instead.
		{60, []int{20, 19, 0, 7, 6}},
		// 40: e-mail (Drop 3) goes first, then name (2); role stays.
		{40, []int{20, 0, 0, 8, 6}},
		// Narrower than the undroppable minimums: the last kept shrinks.
		{20, []int{10, 0, 0, 6, 0}},
	}
	for _, c := range cases {
		got := fitColumns(cols, c.width)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("width %d: %v, want %v", c.width, got, c.want)
		}
		sum, n := rowPrefix, 0
		for _, w := range got {
			if w > 0 {
				sum += w
				n++
			}
		}
		sum += (n - 1) * colGap
		if sum > c.width {
			t.Errorf("width %d: columns take %d cells", c.width, sum)
		}
	}
}

func TestTableRendersOnlyVisibleRows(t *testing.T) {
	t.Parallel()
	tb := newTable(memberColumns(), func(s string) string { return s }, func(s string) []string {
		return []string{s}
	}, func(s string) string {
		return s
	})
	items := make([]string, 1000)
	for i := range items {
		items[i] = "row" + string(rune('a'+i%26))
	}
	tb.SetItems(items)
	tb.SetHeight(5)
	tb.Bottom()
	lines := splitLines(tb.View(NewStyles(), 60, "none"))
	if len(lines) != 6 {
		t.Fatalf("view has %d lines, want header + 5", len(lines))
	}
	if tb.offset != 995 || tb.cursor != 999 {
		t.Fatalf("offset %d cursor %d", tb.offset, tb.cursor)
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func TestClipAndFitIgnoreStyling(t *testing.T) {
	t.Parallel()
	styled := "\x1b[1;35m[1 Users]\x1b[0m \x1b[2m 2 Organizations \x1b[0m"
	if got := clip(styled, 100); got != styled {
		t.Fatalf("clip cut a line that fits: %q", got)
	}
	if got := ansi.StringWidth(clip(styled, 12)); got != 12 {
		t.Fatalf("clipped width = %d, want 12", got)
	}
	if got := ansi.StringWidth(fit("\x1b[1mab\x1b[0m", 6)); got != 6 {
		t.Fatalf("fit width = %d", got)
	}
}

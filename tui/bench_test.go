package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// benchModel is the root on a members screen holding n rows.
func benchModel(b *testing.B, n int) (*Model, *membersScreen) {
	b.Helper()
	m := newModel(Options{Session: memSession(newMem()), Out: &strings.Builder{}})
	b.Cleanup(m.cancel)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	ms := newMembers(m.c, "bench", "admin")
	m.stacks[0] = append(m.stacks[0], ms)
	m.resize()
	rows := make([]client.Member, n)
	for i := range rows {
		u := fmt.Sprintf("user%06d", i)
		rows[i] = client.Member{Organization: "bench", User: u, Name: "Person " + u, Email: u + "@example.org", Role: "member"}
	}
	ms.tbl.SetItems(rows)
	return m, ms
}

func BenchmarkView(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			m, ms := benchModel(b, n)
			ms.tbl.Move(n / 2)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkFilterKeystroke is one key typed into the filter at 100k rows:
// Update (the filter runs over every loaded row) and the frame after it.
func BenchmarkFilterKeystroke(b *testing.B) {
	m, _ := benchModel(b, 100_000)
	m.Update(keyMsg("/"))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.Update(keyMsg("9"))
		_ = m.View()
		m.Update(keyMsg("backspace"))
	}
}

package tui

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// bulkProvider lists n generated users in pages, each user's strings
// allocated separately as a JSON decoder would, so the screen's memory per
// row is measured as in the real program.
type bulkProvider struct {
	*memProvider
	n, page int
}

func (p *bulkProvider) Users(ctx context.Context, q client.UserQuery, emit client.Emit[client.User]) error {
	first := []string{"Ana", "Ben", "Chloé", "David", "Elena", "Farid", "Grace", "Hiro", "Inês", "Jonas"}
	last := []string{"Silva", "Okafor", "Dubois", "Kowalski", "Petrova", "Haddad", "Mensah", "Tanaka", "Carvalho", "Lindqvist"}
	for start := 0; start < p.n; start += p.page {
		rows := make([]client.User, 0, min(p.page, p.n-start))
		for i := start; i < min(start+p.page, p.n); i++ {
			name := fmt.Sprintf("huge-m%06d", i+1)
			f, l := first[i%len(first)], last[(i/len(first))%len(last)]
			rows = append(rows, client.User{
				ID: name, Username: strings.Clone(name), Email: name + "@example.org",
				FullName: f + " " + l, FirstName: strings.Clone(f), LastName: strings.Clone(l),
				Type: client.AccountPerson, DisplayName: name + " (" + f + ")",
			})
		}
		if err := emit(rows); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// loadAllUsers opens the Users screen on n users and scrolls until every
// page is loaded, as someone holding G would.
func loadAllUsers(tb testing.TB, n int) (*Model, *usersScreen) {
	tb.Helper()
	p := &bulkProvider{memProvider: newMem(), n: n, page: 10_000}
	m := newModel(Options{Session: memSession(p), Out: &strings.Builder{}})
	tb.Cleanup(m.cancel)
	drive(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	drive(m, m.Init())
	u := m.top().(*usersScreen)
	for u.more {
		drive(m, keyMsg("G"))
	}
	if u.tbl.Total() != n {
		tb.Fatalf("loaded %d rows, want %d", u.tbl.Total(), n)
	}
	return m, u
}

// drive delivers msg (or runs it, when it is a command) and everything
// it causes, synchronously.
func drive(m *Model, msg tea.Msg) {
	var cmd tea.Cmd
	if c, ok := msg.(tea.Cmd); ok {
		cmd = c
	} else {
		_, cmd = m.Update(msg)
	}
	for _, next := range collect(cmd) {
		if _, quit := next.(tea.QuitMsg); !quit {
			drive(m, next)
		}
	}
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkUsersRowMemory reports the live heap per loaded row of the
// Users screen at 100,000 rows (run with -memprofile to see where).
func BenchmarkUsersRowMemory(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		before := liveHeap()
		m, u := loadAllUsers(b, n)
		after := liveHeap()
		b.ReportMetric(float64(after-before)/n, "bytes/row")
		runtime.KeepAlive(u)
		m.cancel()
	}
}

// TestUsersRowMemory keeps the Users screen's rows compact: a loaded row
// costs its packed text, its filter text and two slice entries. Before
// rows were packed it was 737 bytes; the bound leaves room for the
// allocator's size classes. Not parallel: it reads the whole heap.
func TestUsersRowMemory(t *testing.T) {
	const n = 20_000
	before := liveHeap()
	m, u := loadAllUsers(t, n)
	perRow := float64(int64(liveHeap())-int64(before)) / n
	runtime.KeepAlive(u)
	m.cancel()
	if perRow > 400 {
		t.Fatalf("%.0f live bytes per loaded user row, want at most 400", perRow)
	}
	t.Logf("%.0f live bytes per loaded user row", perRow)
}

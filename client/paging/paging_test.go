package paging

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// source serves rows 0..n-1; total is what it reports (-1: none). Calls
// and the maximum number in flight are counted.
type source struct {
	n, total  int
	mu        sync.Mutex
	calls     []([2]int)
	inFlight  atomic.Int32
	maxFlight atomic.Int32
	gate      chan struct{} // if set, pages after the first wait on it
	fail      int           // offset whose page fails, -1 none
	cap       int           // server page cap (0: none)
	pageCount bool          // total is each page's row count
}

var errPage = errors.New("page failed")

func (s *source) page(ctx context.Context, offset, limit int) ([]int, int, error) {
	s.mu.Lock()
	s.calls = append(s.calls, [2]int{offset, limit})
	s.mu.Unlock()
	cur := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxFlight.Load()
		if cur <= m || s.maxFlight.CompareAndSwap(m, cur) {
			break
		}
	}
	if s.gate != nil && offset > 0 {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
	}
	// Finish out of order: later pages yield less.
	for range 3 - min(offset/100, 3) {
		runtime.Gosched()
	}
	if offset == s.fail {
		return nil, 0, errPage
	}
	if s.cap > 0 {
		limit = min(limit, s.cap)
	}
	var rows []int
	for i := offset; i < min(s.n, offset+limit); i++ {
		rows = append(rows, i)
	}
	if s.pageCount {
		return rows, len(rows), nil
	}
	return rows, s.total, nil
}

func collect(t *testing.T, s *source, opt Options) ([]int, error) {
	t.Helper()
	var got []int
	err := Fetch(context.Background(), opt, s.page, func(rows []int) error {
		got = append(got, rows...)
		return nil
	})
	return got, err
}

func inOrder(t *testing.T, got []int, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("got %d rows, want %d", len(got), n)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("row %d is %d", i, v)
		}
	}
}

func TestOrderAndConcurrency(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 99, 100, 101, 1000, 2345} {
		for _, exact := range []bool{true, false} {
			s := &source{n: n, total: n, fail: -1}
			opt := Options{First: 100, MaxPage: 150, Concurrency: 3, TotalExact: exact}
			got, err := collect(t, s, opt)
			if err != nil {
				t.Fatal(err)
			}
			inOrder(t, got, n)
			if m := s.maxFlight.Load(); m > 3 {
				t.Fatalf("n=%d: %d requests in flight, limit 3", n, m)
			}
		}
	}
}

func TestTotalExactSpendsNoProbe(t *testing.T) {
	t.Parallel()
	s := &source{n: 10000, total: 10000, fail: -1}
	got, err := collect(t, s, Options{TotalExact: true})
	if err != nil {
		t.Fatal(err)
	}
	inOrder(t, got, 10000)
	// Defaults: 500 first, then the rest in at most 6 parallel pages: two
	// sequential round trips for QFieldCloud's 10,000 members.
	if len(s.calls) != 7 {
		t.Fatalf("%d calls: %v", len(s.calls), s.calls)
	}
	for _, c := range s.calls {
		if c[0] >= 10000 {
			t.Fatalf("probed past the total: %v", s.calls)
		}
	}
}

func TestTotalHintDisagreeingFails(t *testing.T) {
	t.Parallel()
	// The server's count is stale (lower than the truth): every row is
	// read, then the disagreement is reported, never a silent list.
	s := &source{n: 730, total: 500, fail: -1}
	got, err := collect(t, s, Options{First: 100, Concurrency: 2})
	var inc *IncompleteError
	if !errors.As(err, &inc) || inc.Expected != 500 || inc.Received != 730 {
		t.Fatalf("got %v, want an IncompleteError 500/730", err)
	}
	inOrder(t, got, 730)
	// No total at all: keeps going until a page comes back empty.
	s = &source{n: 1234, total: -1, fail: -1}
	got, err = collect(t, s, Options{First: 100, MaxPage: 300, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	inOrder(t, got, 1234)
}

func TestShortPageBeforeTheCountFails(t *testing.T) {
	t.Parallel()
	// A short page is no proof of the end while the count says more: the
	// next page is read, and when it is empty the list is incomplete.
	s := &source{n: 150, total: 1000, fail: -1}
	got, err := collect(t, s, Options{First: 100, MaxPage: 100, Concurrency: 1})
	var inc *IncompleteError
	if !errors.As(err, &inc) || inc.Expected != 1000 || inc.Received != 150 {
		t.Fatalf("got %v, want an IncompleteError 1000/150", err)
	}
	inOrder(t, got, 150)
}

func TestServerPageCap(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ n, cap, total int }{
		{5000, 1000, 5000}, // the case: 1,500 rows and exit 0 before
		{5000, 1000, -1},
		{250, 100, 250},
		{250, 100, -1},
		{2000, 100, 2000},
		{999, 500, -1},
		{1000, 500, 1000}, // ends exactly on a capped page
		{1000, 500, -1},
	} {
		s := &source{n: c.n, total: c.total, cap: c.cap, fail: -1}
		got, err := collect(t, s, Options{First: 500, MaxPage: 5000, Concurrency: 4})
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		inOrder(t, got, c.n)
		// The cap is learnt: only the first page and the window that
		// met the cap ask for more than it.
		over := 0
		for _, call := range s.calls {
			if call[1] > c.cap {
				over++
			}
		}
		if over > 1+4 {
			t.Fatalf("%+v: %d pages asked more than the cap: %v", c, over, s.calls)
		}
		if len(s.calls) > c.n/c.cap+12 {
			t.Fatalf("%+v: %d requests: %v", c, len(s.calls), s.calls)
		}
	}
}

// TestPageSizedCountIsIgnored: if data.count is each page's size (the
// API leaves it open), the list is still read whole and not failed.
func TestPageSizedCountIsIgnored(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ n, cap int }{{5000, 0}, {5000, 1000}, {250, 100}, {499, 0}} {
		s := &source{n: c.n, cap: c.cap, pageCount: true, fail: -1}
		got, err := collect(t, s, Options{First: 500, MaxPage: 5000, Concurrency: 4})
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		inOrder(t, got, c.n)
	}
}

func TestOverfullPageFails(t *testing.T) {
	t.Parallel()
	// A server that ignores limit would repeat rows forever.
	fetch := func(_ context.Context, offset, limit int) ([]int, int, error) {
		return make([]int, limit+1), -1, nil
	}
	err := Fetch(context.Background(), Options{First: 10}, fetch, func([]int) error { return nil })
	var of *OverfullError
	if !errors.As(err, &of) {
		t.Fatalf("got %v, want an OverfullError", err)
	}
}

func TestMax(t *testing.T) {
	t.Parallel()
	for _, max := range []int{1, 50, 100, 101, 750} {
		s := &source{n: 1000, total: 1000, fail: -1}
		got, err := collect(t, s, Options{First: 100, MaxPage: 200, Concurrency: 4, TotalExact: true, Max: max})
		if err != nil {
			t.Fatal(err)
		}
		inOrder(t, got, max)
		asked := 0
		for _, c := range s.calls {
			asked += c[1]
		}
		if asked > max+200 {
			t.Fatalf("max %d: asked for %d rows", max, asked)
		}
	}
}

func TestErrorsStopInOrder(t *testing.T) {
	t.Parallel()
	s := &source{n: 1000, total: 1000, fail: 300}
	got, err := collect(t, s, Options{First: 100, MaxPage: 100, Concurrency: 4, TotalExact: true})
	if !errors.Is(err, errPage) {
		t.Fatalf("got %v", err)
	}
	inOrder(t, got, 300) // rows before the failed page, none after
	stop := errors.New("enough")
	s = &source{n: 1000, total: 1000, fail: -1}
	n := 0
	err = Fetch(context.Background(), Options{First: 100, MaxPage: 100, TotalExact: true}, s.page, func(rows []int) error {
		n += len(rows)
		if n >= 200 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 200 {
		t.Fatalf("emit error: %v after %d", err, n)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	s := &source{n: 1000, total: 1000, fail: -1, gate: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Fetch(ctx, Options{First: 100, MaxPage: 100, Concurrency: 3, TotalExact: true}, s.page, func(rows []int) error {
			if rows[0] == 0 {
				cancel() // after the first page, while the rest wait
			}
			return nil
		})
	}()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	// Fetch returned only after its requests did (no goroutine leak).
	if n := s.inFlight.Load(); n != 0 {
		t.Fatalf("%d requests still in flight", n)
	}
}

func TestCappedStopsFetchCleanly(t *testing.T) {
	requests := 0
	fetch := func(_ context.Context, offset, limit int) ([]int, int, error) {
		requests++
		rows := make([]int, limit)
		for i := range rows {
			rows[i] = offset + i
		}
		return rows, 100000, nil
	}
	var got []int
	err := Fetch(context.Background(), Options{First: 10, TotalExact: true, Concurrency: 1},
		fetch, Capped(25, func(rows []int) error { got = append(got, rows...); return nil }))
	if err != nil {
		t.Fatalf("Fetch with a capped emit: %v", err)
	}
	if len(got) != 25 || got[24] != 24 {
		t.Fatalf("got %d rows ending %v, want 25 ending 24", len(got), got[len(got)-1:])
	}
	if requests > 2 {
		t.Fatalf("%d requests after the cap was reached, want at most 2", requests)
	}
}

// Package paging fetches limit/offset lists fast and politely: one small
// first page (rows on screen quickly, and the total), then the rest in a
// few large pages fetched concurrently, delivered strictly in server order.
package paging

import (
	"context"
	"errors"
	"sync"
)

// Page fetches rows [offset, offset+limit). total is the list's size if
// the server says (X-Total-Count), else -1.
type Page[T any] func(ctx context.Context, offset, limit int) (rows []T, total int, err error)

// Options bound the pager.
type Options struct {
	// First is the size of the first page (default 500).
	First int
	// MaxPage caps later pages (default 10,000 rows, about 2 MB of JSON):
	// 100,000 rows still arrive in three round trips, and at most
	// Concurrency pages are decoded and held at once.
	MaxPage int
	// Concurrency bounds requests in flight after the first page. The
	// default, 6, is what browsers allow per host: a server that serves a
	// web UI is built for it.
	Concurrency int
	// TotalExact says the total is authoritative (QFieldCloud), so no
	// request is spent probing past it. Otherwise (Qomon) the server may
	// cap its page size below what was asked, so a short page does not
	// end the list: see fetchCapped.
	TotalExact bool
	// Max stops after this many rows (0 = all).
	Max int
}

func (o *Options) defaults() {
	if o.First <= 0 {
		o.First = 500
	}
	if o.MaxPage <= 0 {
		o.MaxPage = 10000
	}
	if o.MaxPage < o.First {
		o.MaxPage = o.First
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 6
	}
}

// Fetch calls emit with every page in server order. emit runs on the
// caller's goroutine; its error stops the fetch. Cancelling ctx stops
// every request in flight.
func Fetch[T any](ctx context.Context, opt Options, fetch Page[T], emit func([]T) error) error {
	if err := fetch1(ctx, opt, fetch, emit); err != nil && !errors.Is(err, ErrEnough) {
		return err
	}
	return nil
}

func fetch1[T any](ctx context.Context, opt Options, fetch Page[T], emit func([]T) error) error {
	opt.defaults()
	if !opt.TotalExact {
		return fetchCapped(ctx, opt, fetch, emit)
	}
	first := opt.First
	if opt.Max > 0 && opt.Max < first {
		first = opt.Max
	}
	rows, total, err := fetch(ctx, 0, first)
	if err != nil {
		return err
	}
	if opt.Max > 0 && len(rows) > opt.Max {
		rows = rows[:opt.Max]
	}
	if err := emit(rows); err != nil {
		return err
	}
	got := len(rows)
	rows = nil // emitted: let the GC have it while later pages arrive
	if got < first || (opt.Max > 0 && got >= opt.Max) {
		return nil
	}
	if opt.TotalExact && total >= 0 && got >= total {
		return nil
	}
	want := -1 // rows still expected, -1 unknown
	if total >= 0 {
		want = total - got
	}
	if opt.Max > 0 && (want < 0 || got+want > opt.Max) {
		want = opt.Max - got
	}
	for {
		// Plan one window: split what is left into at most Concurrency
		// pages, each no larger than MaxPage and no smaller than First.
		size := opt.MaxPage
		n := opt.Concurrency
		if want > 0 {
			size = (want + opt.Concurrency - 1) / opt.Concurrency
			if size < first {
				size = first
			}
			if size > opt.MaxPage {
				size = opt.MaxPage
			}
			n = (want + size - 1) / size
			if n > opt.Concurrency {
				n = opt.Concurrency
			}
		} else if want == 0 {
			if opt.TotalExact || total < 0 {
				return nil
			}
			// The total was a hint and the last page was full: probe on.
			size, n = first, 1
		} else {
			size = first * 4
			if size > opt.MaxPage {
				size = opt.MaxPage
			}
		}
		full, count, err := window(ctx, fetch, got, size, n, emit, opt.Max)
		got += count
		if err != nil {
			return err
		}
		if !full || (opt.Max > 0 && got >= opt.Max) {
			return nil
		}
		if want > 0 {
			want -= count
			if want < 0 {
				want = 0
			}
		}
	}
}

type result[T any] struct {
	rows []T
	err  error
	done chan struct{}
}

// window fetches n pages of size from offset concurrently and emits them in
// order. full reports whether every page came back full.
func window[T any](ctx context.Context, fetch Page[T], offset, size, n int, emit func([]T) error, max int) (full bool, count int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	res := make([]*result[T], n)
	var wg sync.WaitGroup
	for i := range res {
		res[i] = &result[T]{done: make(chan struct{})}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer close(res[i].done)
			res[i].rows, _, res[i].err = fetch(ctx, offset+i*size, size)
		}(i)
	}
	defer wg.Wait()
	full = true
	for _, r := range res {
		select {
		case <-r.done:
		case <-ctx.Done():
			return false, count, ctx.Err()
		}
		if r.err != nil {
			return false, count, r.err
		}
		rows := r.rows
		if max > 0 && offset+count+len(rows) > max {
			rows = rows[:max-offset-count]
		}
		if len(rows) == 0 {
			return false, count, nil
		}
		if err := emit(rows); err != nil {
			return false, count, err
		}
		count += len(rows)
		short := len(r.rows) < size
		r.rows = nil // emitted: memory stays bounded by the pages in flight
		if short {
			return false, count, nil
		}
	}
	return full, count, nil
}

// ErrEnough is returned by a Capped emit once the cap is reached; Fetch
// treats it as a clean stop, so no more pages are requested.
var ErrEnough = errors.New("enough rows")

// Capped wraps emit so that at most max rows (0 = all) reach it. Callers
// that filter rows locally use it where Options.Max cannot apply (the
// server's page holds rows the filter drops).
func Capped[T any](max int, emit func([]T) error) func([]T) error {
	sent := 0
	return func(rows []T) error {
		if max > 0 && sent+len(rows) > max {
			rows = rows[:max-sent]
		}
		sent += len(rows)
		if len(rows) > 0 {
			if err := emit(rows); err != nil {
				return err
			}
		}
		if max > 0 && sent >= max {
			return ErrEnough
		}
		return nil
	}
}

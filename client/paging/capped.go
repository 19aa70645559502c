package paging

import (
	"context"
	"fmt"
	"sync"
)

// IncompleteError says a list ended with fewer (or more) rows than the
// server's own count: the caller must not present it as the whole list.
type IncompleteError struct {
	Expected, Received int
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("the list is incomplete: the server counted %d but sent %d", e.Expected, e.Received)
}

// OverfullError says a page held more rows than asked: the server ignored
// limit (and maybe offset), so paging on could repeat rows forever.
type OverfullError struct {
	Offset, Limit, Got int
}

func (e *OverfullError) Error() string {
	return fmt.Sprintf("the server sent %d rows for a page of %d at offset %d: it ignores the page size, so the list cannot be read page by page", e.Got, e.Limit, e.Offset)
}

// fetchCapped pages a list whose server may cap the page size below what
// was asked (Qomon's maximum is undocumented) and whose total is a hint.
// A short page is therefore no proof of the end:
//   - the next page always starts at offset + rows received;
//   - the first short page that is not the end gives the server's cap,
//     which then sizes every later page;
//   - the list ends on an empty page, or when the total is reached by a
//     page shorter than asked (a full page may mean the total is only
//     the page's size, so one more page is read);
//   - if the total and the rows received then disagree, the list is
//     incomplete and Fetch fails rather than return part of it.
func fetchCapped[T any](ctx context.Context, opt Options, fetch Page[T], emit func([]T) error) error {
	first := opt.First
	if opt.Max > 0 && opt.Max < first {
		first = opt.Max
	}
	p := cappedState{total: -1}
	size, n := first, 1
	for {
		more, err := cappedWindow(ctx, fetch, &p, size, n, emit, opt.Max)
		if err != nil {
			return err
		}
		if opt.Max > 0 && p.got >= opt.Max {
			return nil
		}
		if !more {
			if p.total >= 0 && p.got != p.total {
				return &IncompleteError{Expected: p.total, Received: p.got}
			}
			return nil
		}
		size, n = p.plan(opt, first)
	}
}

// cappedState is what the pages so far have taught.
type cappedState struct {
	got      int  // rows received (and emitted) so far
	total    int  // the last page's count, -1 unknown
	cap      int  // the server's page cap once seen, 0 unknown
	lastLen  int  // rows in the last page read
	lastFull bool // the last page was as long as asked
	// pageCounts: the server's count is each page's size, not the
	// list's total, so it is ignored.
	pageCounts bool
}

// plan sizes the next window: n pages of size rows from p.got.
func (p *cappedState) plan(opt Options, first int) (size, n int) {
	want := -1 // rows still expected, -1 unknown
	if p.total >= 0 {
		want = p.total - p.got
	}
	if opt.Max > 0 && (want < 0 || p.got+want > opt.Max) {
		want = opt.Max - p.got
	}
	size = first * 4
	n = opt.Concurrency
	if want > 0 {
		size = (want + opt.Concurrency - 1) / opt.Concurrency
		size = max(size, first)
	}
	size = min(size, opt.MaxPage)
	if p.cap > 0 {
		size = min(size, p.cap)
	}
	switch {
	case want > 0:
		n = min((want+size-1)/size, opt.Concurrency)
	case p.total >= 0, !p.lastFull:
		// The count is reached (by a full page), or there is no count
		// and the last page was short: one page tells whether it ends.
		n = 1
	}
	return size, max(n, 1)
}

// cappedWindow fetches n pages of size from p.got concurrently and emits
// them in order, updating p. It stops at the first page that is not full:
// later pages were asked at offsets that assumed it would be. more
// reports whether the list may go on.
func cappedWindow[T any](ctx context.Context, fetch Page[T], p *cappedState, size, n int, emit func([]T) error, max int) (more bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type res struct {
		rows  []T
		total int
		err   error
		done  chan struct{}
	}
	start := p.got
	rs := make([]*res, n)
	var wg sync.WaitGroup
	for i := range rs {
		rs[i] = &res{done: make(chan struct{})}
		wg.Add(1)
		go func(r *res, offset int) {
			defer wg.Done()
			defer close(r.done)
			r.rows, r.total, r.err = fetch(ctx, offset, size)
		}(rs[i], start+i*size)
	}
	defer wg.Wait()
	for i, r := range rs {
		select {
		case <-r.done:
		case <-ctx.Done():
			return false, ctx.Err()
		}
		if r.err != nil {
			return false, r.err
		}
		if len(r.rows) > size {
			return false, &OverfullError{Offset: start + i*size, Limit: size, Got: len(r.rows)}
		}
		offset := start + i*size
		if offset > 0 && r.total == len(r.rows) && r.total < offset+len(r.rows) {
			// Whether count is the list's total or the page's size is
			// unverified (Qomon api §2.3): a later page counting exactly
			// its own rows settles it, and such counts say nothing.
			p.pageCounts = true
		}
		p.total = r.total
		if p.pageCounts {
			p.total = -1
		}
		p.lastLen = len(r.rows)
		p.lastFull = len(r.rows) == size
		if len(r.rows) == 0 {
			return false, nil // past the end
		}
		rows := r.rows
		if max > 0 && p.got+len(rows) > max {
			rows = rows[:max-p.got]
		}
		if err := emit(rows); err != nil {
			return false, err
		}
		p.got += len(rows)
		r.rows = nil // emitted: memory stays bounded by the pages in flight
		if max > 0 && p.got >= max {
			return false, nil
		}
		if !p.lastFull {
			// A short page reaching the count ends the list, unless
			// the count may be this first page's own size (one more
			// page tells).
			if p.total >= 0 && p.got >= p.total && (offset > 0 || p.total != p.lastLen) {
				return false, nil
			}
			// Short but perhaps not the end: the server's cap (the
			// first short page sets it), or the end without a count.
			if p.cap == 0 {
				p.cap = p.lastLen
			}
			return true, nil
		}
	}
	return true, nil
}

package tui

import (
	"context"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-cli/roster/client"
)

// stream hands a provider's pages to the UI one at a time, when the UI
// asks: the listing runs in its own goroutine (started by the first
// command, never in Update) and waits in emit until the next page is
// wanted, so scrolling drives the fetching.
type stream[T any] struct {
	ctx    context.Context
	cancel context.CancelFunc
	list   func(ctx context.Context, emit client.Emit[T]) error
	once   sync.Once
	pages  chan []T
	err    error // set before pages is closed
}

func newStream[T any](parent context.Context, list func(context.Context, client.Emit[T]) error) *stream[T] {
	ctx, cancel := context.WithCancel(parent)
	return &stream[T]{ctx: ctx, cancel: cancel, list: list, pages: make(chan []T)}
}

// pageMsg is one page of a stream (or its end).
type pageMsg[T any] struct {
	to
	req  int
	rows []T
	done bool
	err  error
}

func (st *stream[T]) start() {
	go func() {
		err := st.list(st.ctx, func(page []T) error {
			select {
			case st.pages <- page:
				return nil
			case <-st.ctx.Done():
				return st.ctx.Err()
			}
		})
		st.err = err
		close(st.pages)
	}()
}

// next is a command that waits for the next page.
func (st *stream[T]) next(screen, req int) tea.Cmd {
	return func() tea.Msg {
		st.once.Do(st.start)
		select {
		case rows, ok := <-st.pages:
			if !ok {
				st.cancel()
				return pageMsg[T]{to: to{screen}, req: req, done: true, err: st.err}
			}
			return pageMsg[T]{to: to{screen}, req: req, rows: rows}
		case <-st.ctx.Done():
			return pageMsg[T]{to: to{screen}, req: req, done: true, err: st.ctx.Err()}
		}
	}
}

// stop abandons the listing.
func (st *stream[T]) stop() { st.cancel() }

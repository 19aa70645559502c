package fakehttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"syscall"
)

// ErrReset is what the in-memory transport returns for a dropped
// connection. It matches syscall.ECONNRESET, like a real reset.
var ErrReset = fmt.Errorf("fakehttp: connection reset by peer: %w", syscall.ECONNRESET)

// Transport serves k.Wrap(h) in memory, with no socket: each request runs
// the handler on its own goroutine and the response body streams through
// a pipe. Pass the bare handler; the kit is applied here. Faults behave as
// over a socket: FaultReset fails the round trip with ErrReset,
// FaultTruncated cuts the body with io.ErrUnexpectedEOF, and FaultStall
// waits until the request's context ends.
func (k *Kit) Transport(h http.Handler) http.RoundTripper {
	return &memTransport{h: k.Wrap(h)}
}

type memTransport struct{ h http.Handler }

func (t *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("fakehttp: reading request body: %w", err)
		}
	}
	// The server side sees its own context: it ends when the client's
	// does or when the client closes the response body.
	ctx, cancel := context.WithCancel(req.Context())
	sreq := req.Clone(ctx)
	sreq.Body = io.NopCloser(bytes.NewReader(body))
	sreq.ContentLength = int64(len(body))
	sreq.RequestURI = req.URL.RequestURI()
	sreq.RemoteAddr = "127.0.0.1:40000"
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}
	pr, pw := io.Pipe()
	w := &memWriter{header: make(http.Header), pw: pw, ready: make(chan struct{})}
	go func() {
		defer cancel()
		defer func() {
			rec := recover()
			switch {
			case rec == nil && ctx.Err() != nil:
				// The client gave up mid-answer: the body must not look
				// complete, as a real connection would not.
				w.finish(ctx.Err())
			case rec == nil:
				w.finish(nil)
			case rec == http.ErrAbortHandler:
				w.finish(ErrReset)
			default:
				w.finish(fmt.Errorf("fakehttp: handler panic: %v", rec))
			}
		}()
		t.h.ServeHTTP(w, sreq)
	}()
	select {
	case <-w.ready:
	case <-req.Context().Done():
		cancel()
		pr.Close()
		return nil, req.Context().Err()
	}
	if w.failed != nil {
		cancel()
		pr.Close()
		return nil, w.failed
	}
	resp := &http.Response{
		Status:        fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.sent,
		ContentLength: -1,
		Body:          &memBody{pr: pr, cancel: cancel},
		Request:       req,
	}
	if cl := w.sent.Get("Content-Length"); cl != "" {
		fmt.Sscan(cl, &resp.ContentLength)
	}
	if req.Method == http.MethodHead {
		resp.Body = http.NoBody
		pr.Close()
		cancel()
	}
	return resp, nil
}

// memWriter is the handler's side of an in-memory exchange.
type memWriter struct {
	mu      sync.Mutex
	header  http.Header
	sent    http.Header
	status  int
	written int64
	pw      *io.PipeWriter
	ready   chan struct{} // closed once the status line and headers are final
	failed  error         // set before ready closes when no response was made
}

func (w *memWriter) Header() http.Header { return w.header }

func (w *memWriter) WriteHeader(code int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.sent != nil || code < 200 {
		return
	}
	w.status = code
	w.sent = w.header.Clone()
	close(w.ready)
}

func (w *memWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	n, err := w.pw.Write(p)
	w.mu.Lock()
	w.written += int64(n)
	w.mu.Unlock()
	return n, err
}

// Flush is a no-op: every Write already reaches the reader.
func (w *memWriter) Flush() {}

// finish ends the exchange. err == nil is a normal end; otherwise the
// round trip fails (nothing sent yet) or the body breaks off.
func (w *memWriter) finish(err error) {
	w.mu.Lock()
	started := w.sent != nil
	w.mu.Unlock()
	if !started {
		if err != nil {
			w.mu.Lock()
			w.failed = err
			w.mu.Unlock()
			// Mark the response as failed before releasing RoundTrip.
			close(w.ready)
			w.pw.CloseWithError(err)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
	if err == nil {
		w.mu.Lock()
		short := false
		if cl := w.sent.Get("Content-Length"); cl != "" {
			var n int64
			if _, e := fmt.Sscan(cl, &n); e == nil && w.written < n {
				short = true
			}
		}
		w.mu.Unlock()
		if short {
			err = io.ErrUnexpectedEOF
		}
	} else if errors.Is(err, ErrReset) {
		err = io.ErrUnexpectedEOF // a body cut short, as net/http reports it
	}
	if err != nil {
		w.pw.CloseWithError(err)
		return
	}
	w.pw.Close()
}

// memBody is the client's side: closing it tells the handler to stop.
type memBody struct {
	pr     *io.PipeReader
	cancel context.CancelFunc
}

func (b *memBody) Read(p []byte) (int, error) { return b.pr.Read(p) }

func (b *memBody) Close() error {
	b.cancel()
	return b.pr.Close()
}

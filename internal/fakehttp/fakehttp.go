// Package fakehttp is the kit both fake servers (qfctest, qomontest) wrap
// around their handler: injected latency, a request log with the token
// hidden, and fault injection (error statuses, proxy pages, slow, stalled,
// truncated, malformed, huge and reset responses). Transport serves a
// handler in memory, without a socket, for `roster --demo`.
package fakehttp

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// MaxLog bounds the request log so a long demo session cannot grow it
// without limit; the oldest entries go first.
const MaxLog = 10000

// Request is one request as the fake server received it.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Body     []byte
	// Header is a copy; an Authorization value is replaced by "[present]"
	// so no token ever reaches a test log.
	Header http.Header
	// Faulted says an injected fault answered instead of the handler
	// (FaultSlow requests still reach the handler and are not marked).
	Faulted bool
}

// IsWrite reports whether the request could change state.
func (r Request) IsWrite() bool { return r.Method != http.MethodGet && r.Method != http.MethodHead }

// FaultKind selects what an injected fault does.
type FaultKind int

const (
	// FaultStatus answers a JSON error with Status (default 500).
	FaultStatus FaultKind = iota + 1
	// FaultHTML answers a reverse proxy's HTML page with Status (default 502).
	FaultHTML
	// FaultSlow waits Delay, then lets the handler answer normally.
	FaultSlow
	// FaultStall never answers: it blocks until the client gives up (or
	// the kit is closed).
	FaultStall
	// FaultTruncated sends valid headers and a body cut mid-JSON.
	FaultTruncated
	// FaultMalformed answers 200 with broken JSON.
	FaultMalformed
	// FaultHuge answers 200 and streams ~100 MB of JSON-looking bytes.
	FaultHuge
	// FaultReset drops the connection before a response is complete.
	FaultReset
)

func (k FaultKind) String() string {
	switch k {
	case FaultStatus:
		return "status"
	case FaultHTML:
		return "html"
	case FaultSlow:
		return "slow"
	case FaultStall:
		return "stall"
	case FaultTruncated:
		return "truncated"
	case FaultMalformed:
		return "malformed"
	case FaultHuge:
		return "huge"
	case FaultReset:
		return "reset"
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Fault is one injected failure. It applies to requests whose method is
// Method ("" = any) and whose path starts with PathPrefix ("" = any).
type Fault struct {
	Method     string
	PathPrefix string
	Kind       FaultKind
	Status     int           // FaultStatus, FaultHTML
	Times      int           // how many requests it hits; 0 = every one
	Delay      time.Duration // FaultSlow
	Size       int64         // FaultHuge: bytes to stream; 0 = HugeSize
}

// HugeSize is how many bytes FaultHuge streams by default.
const HugeSize = 100 << 20

type fault struct {
	Fault
	left int // remaining hits when Times > 0
}

// Kit wraps a fake server's handler. The zero value is ready to use; all
// methods are safe for concurrent use.
type Kit struct {
	mu      sync.Mutex
	latency time.Duration
	log     []Request
	faults  []*fault
	stop    chan struct{}
	closed  bool
}

// SetLatency delays every request by d before it is handled (or faulted).
// The wait ends early when the client gives up.
func (k *Kit) SetLatency(d time.Duration) {
	k.mu.Lock()
	k.latency = d
	k.mu.Unlock()
}

// Requests returns a copy of the request log, oldest first.
func (k *Kit) Requests() []Request {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]Request(nil), k.log...)
}

// ResetRequests empties the request log.
func (k *Kit) ResetRequests() {
	k.mu.Lock()
	k.log = nil
	k.mu.Unlock()
}

// CountWrites counts logged requests other than GET and HEAD, faulted or not.
func (k *Kit) CountWrites() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for _, r := range k.log {
		if r.IsWrite() {
			n++
		}
	}
	return n
}

// Inject adds a fault. Faults are tried in the order injected; the first
// that matches a request (and has hits left) answers it.
func (k *Kit) Inject(f Fault) {
	k.mu.Lock()
	k.faults = append(k.faults, &fault{Fault: f, left: f.Times})
	k.mu.Unlock()
}

// ClearFaults removes every injected fault.
func (k *Kit) ClearFaults() {
	k.mu.Lock()
	k.faults = nil
	k.mu.Unlock()
}

// Close releases stalled requests so a server can shut down even if a
// client never gives up. Later stalls end at once.
func (k *Kit) Close() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.closed {
		k.closed = true
		if k.stop == nil {
			k.stop = make(chan struct{})
		}
		close(k.stop)
	}
}

func (k *Kit) stopChan() <-chan struct{} {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.stop == nil {
		k.stop = make(chan struct{})
	}
	return k.stop
}

// take logs the request and picks the fault that answers it, if any.
func (k *Kit) take(r *http.Request, body []byte) (time.Duration, *Fault) {
	h := r.Header.Clone()
	if h.Get("Authorization") != "" {
		h.Set("Authorization", "[present]")
	}
	entry := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Body: body, Header: h}
	k.mu.Lock()
	defer k.mu.Unlock()
	var hit *Fault
	for _, f := range k.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if !strings.HasPrefix(r.URL.Path, f.PathPrefix) {
			continue
		}
		if f.Times > 0 {
			if f.left <= 0 {
				continue
			}
			f.left--
		}
		c := f.Fault
		hit = &c
		break
	}
	entry.Faulted = hit != nil && hit.Kind != FaultSlow
	if len(k.log) >= MaxLog {
		k.log = append(k.log[:0], k.log[len(k.log)-MaxLog+1:]...)
	}
	k.log = append(k.log, entry)
	return k.latency, hit
}

// Wrap returns h behind the kit: every request is logged, delayed by the
// latency, and answered by a matching fault instead of h (except
// FaultSlow, which only delays).
func (k *Kit) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
		if err != nil {
			http.Error(w, "reading request body: "+err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		latency, f := k.take(r, body)
		if !wait(r.Context(), k.stopChan(), latency) {
			return
		}
		if f == nil {
			h.ServeHTTP(w, r)
			return
		}
		k.serveFault(w, r, h, f)
	})
}

// wait sleeps d; false means the client went away (or the kit closed).
func wait(ctx context.Context, stop <-chan struct{}, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-stop:
		return false
	}
}

const proxyPage = `<html>
<head><title>%[1]d %[2]s</title></head>
<body>
<center><h1>%[1]d %[2]s</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

func (k *Kit) serveFault(w http.ResponseWriter, r *http.Request, h http.Handler, f *Fault) {
	switch f.Kind {
	case FaultSlow:
		if wait(r.Context(), k.stopChan(), f.Delay) {
			h.ServeHTTP(w, r)
		}
	case FaultStall:
		select {
		case <-r.Context().Done():
		case <-k.stopChan():
		}
	case FaultHTML:
		status := f.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprintf(w, proxyPage, status, http.StatusText(status))
	case FaultTruncated:
		full := `[{"username":"ana","type":1,"full_name":"Ana Silva"},{"username":"ben","type":1,"full_name":"Ben Okafor"}]`
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(full)))
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, full[:len(full)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		// Aborting closes the connection short of Content-Length, so the
		// client sees an unexpected EOF, as when a proxy dies mid-body.
		panic(http.ErrAbortHandler)
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `[{"username":"ana","type":1,,"full_name":}`)
	case FaultHuge:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		streamHuge(r.Context(), w, cmp.Or(f.Size, HugeSize))
	case FaultReset:
		reset(w)
	default: // FaultStatus
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"code":"injected_fault","message":"Injected fault (HTTP %d)","status":%d}`, status, status)
	}
}

// streamHuge writes HugeSize bytes in fixed chunks, never holding more
// than one chunk, and stops as soon as the client stops reading.
func streamHuge(ctx context.Context, w io.Writer, size int64) {
	row := `{"organization":"huge","member":"xxxxxxxxxxxxxxxx","role":"member","is_public":false},`
	chunk := []byte(strings.Repeat(row, 64<<10/len(row)))
	if _, err := io.WriteString(w, "["); err != nil {
		return
	}
	for n := int64(1); n < size; n += int64(len(chunk)) {
		if ctx.Err() != nil {
			return
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	io.WriteString(w, `{}]`)
}

// reset drops the connection with nothing answered: over a socket it
// hijacks it and closes it with a TCP RST; in memory the transport turns
// the abort into a connection-reset error.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // RST instead of FIN: "connection reset by peer"
	}
	conn.Close()
}

package session

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/roster-cli/roster/client/rest"
	"github.com/roster-cli/roster/internal/sanitize"
)

// DryRun is the HTTP transport of --dry-run: reads go through, every
// write is printed (method, path, body; never a header, so never a token)
// and answered locally with 418, which no client retries, so the caller
// stops right there with nothing sent.
type DryRun struct {
	base http.RoundTripper
	out  io.Writer

	mu   sync.Mutex
	hits int
}

// newDryRun wraps base's transport (nil: the REST clients' default).
func newDryRun(base *http.Client, out io.Writer) (*DryRun, *http.Client) {
	rt := http.RoundTripper(rest.DefaultTransport())
	hc := &http.Client{}
	if base != nil {
		rt = base.Transport
		if rt == nil {
			rt = http.DefaultTransport
		}
		hc.Timeout = base.Timeout
	}
	d := &DryRun{base: rt, out: out}
	hc.Transport = d
	return d, hc
}

// RoundTrip sends reads and prints writes.
func (d *DryRun) RoundTrip(req *http.Request) (*http.Response, error) {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return d.base.RoundTrip(req)
	}
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(req.Body, 1<<20))
		req.Body.Close()
	}
	path := req.URL.EscapedPath()
	if req.URL.RawQuery != "" {
		path += "?" + req.URL.RawQuery
	}
	line := "dry run, not sent: " + req.Method + " " + path
	if len(body) > 0 {
		line += " " + string(bytes.TrimSpace(body))
	}
	d.mu.Lock()
	d.hits++
	fmt.Fprintln(d.out, sanitize.Text(line))
	d.mu.Unlock()
	return &http.Response{
		StatusCode: http.StatusTeapot,
		Status:     "418 dry run",
		Header:     http.Header{"Content-Type": {"text/plain"}},
		Body:       io.NopCloser(strings.NewReader("dry run: not sent")),
		Request:    req,
	}, nil
}

// Take reports (and forgets) whether a write was intercepted since the
// last call.
func (d *DryRun) Take() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	hit := d.hits > 0
	d.hits = 0
	return hit
}

package cmd

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-cli/roster/client/rest"
	"github.com/roster-cli/roster/internal/sanitize"
)

// dryRun is an HTTP transport for --dry-run: reads go through, every
// write is printed (method, path, body; never a header, so never a token)
// and answered locally with 418, which no client retries, so the command
// stops right there with nothing sent.
type dryRun struct {
	base http.RoundTripper
	out  io.Writer

	mu   sync.Mutex
	hits int
}

func (d *dryRun) RoundTrip(req *http.Request) (*http.Response, error) {
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

// take reports (and forgets) whether a write was intercepted since the
// last call.
func (d *dryRun) take() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	hit := d.hits > 0
	d.hits = 0
	return hit
}

func addDryRunFlag(c *cobra.Command, on *bool) {
	c.Flags().BoolVar(on, "dry-run", false, "do the needed reads, print the writes (method, path, body) and send none")
}

// startDryRun switches the HTTP client to the dry-run transport.
func (a *app) startDryRun() {
	base := http.RoundTripper(rest.DefaultTransport())
	var timeout time.Duration
	if hc := a.f.HTTPClient; hc != nil {
		if hc.Transport != nil {
			base = hc.Transport
		} else {
			base = http.DefaultTransport
		}
		timeout = hc.Timeout
	}
	a.dry = &dryRun{base: base, out: a.f.Out}
	a.hc = &http.Client{Transport: a.dry, Timeout: timeout}
}

// write filters the result of one write: under --dry-run the intercepted
// request is the expected outcome, not a failure.
func (a *app) write(err error) error {
	if err != nil && a.dry != nil && a.dry.take() {
		return nil
	}
	return err
}

// done prints the ✓ line of a write (marked under --dry-run).
func (a *app) done(format string, args ...any) {
	if a.dry != nil {
		a.printf(format+" (dry run: nothing sent)\n", args...)
		return
	}
	a.printf("✓ "+format+"\n", args...)
}

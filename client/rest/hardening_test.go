package rest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/rest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// Hostile or mistaken base URLs: only https, or http to a loopback host.
func TestCheckURLLoopbackOnly(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{
		"http://127.1.2.3", "http://127.0.0.1:8000/api/v1/", "http://[::1]", "http://[::1]:8080/x",
		"http://LOCALHOST:1/", "HTTP://localhost", "http://[::ffff:127.0.0.1]/",
		"https://evil.example", "https://10.0.0.1",
	} {
		if _, err := rest.CheckURL(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"http://localhost.evil.com", "http://127.0.0.1.nip.io", "http://localhost@evil.com/",
		"http://evil.com#@localhost", "http://0.0.0.0", "http://[::]", "http://2130706433",
		"http://0x7f000001", "http://128.0.0.1", "http://[::2]", "http://localhost./",
		"http://example.org", "http://192.168.1.1:8000",
	} {
		_, err := rest.CheckURL(bad)
		if !errors.Is(err, rest.ErrInsecureURL) {
			t.Errorf("%s: got %v, want ErrInsecureURL", bad, err)
		}
		if _, err := rest.New(rest.Config{BaseURL: bad, Token: secret}); err == nil {
			t.Errorf("%s: New accepted it", bad)
		} else if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: token in %v", bad, err)
		}
	}
	for _, bad := range []string{"file:///etc/passwd", "javascript:alert(1)", "//example.org", "example.org", "", "ws://localhost"} {
		if _, err := rest.CheckURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// A password in the URL never survives into the base.
	u, err := rest.CheckURL("https://bob:hunter2@example.org/api/")
	if err != nil || strings.Contains(u.String(), "hunter2") {
		t.Errorf("userinfo kept: %v %v", u, err)
	}
	_, err = rest.CheckURL("http://bob:hunter2@example.org/")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("password in the error: %v", err)
	}
}

// No redirect is followed, whatever its status or target, so the
// Authorization header never travels: not to another host, not even to
// another port of the same host.
func TestNoRedirectCarriesTheToken(t *testing.T) {
	t.Parallel()
	var stolen atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
	}))
	defer elsewhere.Close()
	for _, status := range []int{301, 302, 303, 307, 308} {
		home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", elsewhere.URL+"/steal/")
			w.WriteHeader(status)
		}))
		c, sl, dbg := newClient(t, home.URL, nil)
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			_, err := c.Do(context.Background(), rest.Request{Method: m, Path: "x/", Body: map[string]int{"a": 1}})
			if !errors.Is(err, client.ErrServer) || !strings.Contains(err.Error(), "does not follow redirects") {
				t.Errorf("%d %s: %v", status, m, err)
			}
			noToken(t, err, dbg)
		}
		if len(sl.waits) != 0 {
			t.Errorf("%d: a redirect was retried", status)
		}
		home.Close()
	}
	if stolen.Load() != 0 {
		t.Fatalf("%d requests followed a redirect", stolen.Load())
	}
}

// TLS verification is always on: a self-signed certificate is a clear
// error, the handler is never reached, and a write is not called
// "unknown" (nothing was sent).
func TestSelfSignedCertificateRefused(t *testing.T) {
	t.Parallel()
	var reached atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failures are expected
	srv.StartTLS()
	defer srv.Close()
	// Both the private default client and a caller's plain client.
	for _, hc := range []*http.Client{nil, {}} {
		c, sl, dbg := newClient(t, srv.URL, func(cfg *rest.Config) { cfg.HTTPClient = hc })
		_, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"})
		if !errors.Is(err, client.ErrNetwork) || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("GET: %v", err)
		}
		if len(sl.waits) != 0 {
			t.Errorf("a certificate error was retried %d times: it cannot heal", len(sl.waits))
		}
		_, err = c.Do(context.Background(), rest.Request{Method: "POST", Path: "x/", Body: 1})
		if !errors.Is(err, client.ErrNetwork) || errors.Is(err, client.ErrOutcomeUnknown) {
			t.Fatalf("POST: %v (nothing was sent: the outcome is known)", err)
		}
		noToken(t, err, dbg)
	}
	if reached.Load() != 0 {
		t.Fatal("the handler behind a bad certificate was reached")
	}
	// A plain-http server on an https URL is a TLS failure too, not retried.
	plain, _ := server(t, 200)
	c, sl, _ := newClient(t, strings.Replace(plain.URL, "http://", "https://", 1), nil)
	if _, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"}); !errors.Is(err, client.ErrNetwork) || !strings.Contains(err.Error(), "TLS handshake failed") || len(sl.waits) != 0 {
		t.Fatalf("plain http behind https://: %v, %d retries", err, len(sl.waits))
	}
	// DefaultTransport never skips verification.
	if tr := rest.DefaultTransport(); tr.TLSClientConfig != nil && tr.TLSClientConfig.InsecureSkipVerify {
		t.Fatal("DefaultTransport skips TLS verification")
	}
}

// The cap is exact: MaxBody bytes pass, one more is an error.
func TestBodyCapBoundary(t *testing.T) {
	t.Parallel()
	size := atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", int(size.Load()))))
	}))
	defer srv.Close()
	c, _, _ := newClient(t, srv.URL, func(cfg *rest.Config) { cfg.MaxBody = 2 << 20 })
	size.Store(2 << 20)
	if resp, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"}); err != nil || len(resp.Body) != 2<<20 {
		t.Fatalf("at the cap: %v", err)
	}
	size.Store(2<<20 + 1)
	_, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"})
	if !errors.Is(err, client.ErrServer) || !strings.Contains(err.Error(), "larger than 2 MiB") {
		t.Fatalf("one byte over: %v", err)
	}
}

// A server that answers headers at once and then drips the body a byte at
// a time is bounded by the per-attempt timeout too.
func TestTimeoutCoversASlowBody(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		for {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}))
	defer srv.Close()
	const timeout = 100 * time.Millisecond
	c, _, _ := newClient(t, srv.URL, func(cfg *rest.Config) { cfg.Timeout = timeout; cfg.MaxRetries = 3 })
	start := time.Now()
	_, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"})
	if !errors.Is(err, client.ErrNetwork) || !strings.Contains(err.Error(), "no answer within 100ms") {
		t.Fatalf("got %v", err)
	}
	// Two attempts and no real sleep between them (test sleeper). The
	// body never ends, so without the timeout this would not return at
	// all: the bound only has to tell "ended" from "ran on", and is 100
	// times the attempts' total so that no load can reach it.
	if d := time.Since(start); d > 100*2*timeout {
		t.Fatalf("a dripping body held the request for %s", d)
	}
}

// A timed-out read is tried again once, not MaxRetries times: --timeout
// promises a command gives up within about twice the timeout.
func TestTimedOutReadRetriedOnce(t *testing.T) {
	t.Parallel()
	kit := &fakehttp.Kit{}
	kit.Inject(fakehttp.Fault{Kind: fakehttp.FaultStall})
	srv := httptest.NewServer(kit.Wrap(http.NotFoundHandler()))
	defer srv.Close()
	defer kit.Close()
	c, sl, _ := newClient(t, srv.URL, func(cfg *rest.Config) { cfg.Timeout = 50 * time.Millisecond; cfg.MaxRetries = 3 })
	_, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"})
	if !errors.Is(err, client.ErrNetwork) || !strings.Contains(err.Error(), "no answer within 50ms (--timeout)") {
		t.Fatalf("got %v", err)
	}
	if n := len(kit.Requests()); n != 2 {
		t.Fatalf("%d attempts, want 2 (one retry after a timeout)", n)
	}
	if len(sl.waits) != 1 {
		t.Fatalf("waits %v, want one backoff", sl.waits)
	}
	// Other network errors keep their MaxRetries (a reset is not slow;
	// a long timeout so that load cannot turn one into a timeout).
	kit.ClearFaults()
	kit.ResetRequests()
	kit.Inject(fakehttp.Fault{Kind: fakehttp.FaultReset})
	c, sl, _ = newClient(t, srv.URL, func(cfg *rest.Config) { cfg.Timeout = time.Minute; cfg.MaxRetries = 3 })
	if _, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"}); !errors.Is(err, client.ErrNetwork) {
		t.Fatalf("reset: %v", err)
	}
	if n := len(kit.Requests()); n != 4 {
		t.Fatalf("reset: %d attempts, want 1 + 3 retries; %v", n, sl.waits)
	}
}

// A Content-Length over the cap is refused before the body is read, and a
// streamed body over the cap stops at the cap: the server sees the client
// go away long before it has sent everything.
func TestBodyCapStopsEarly(t *testing.T) {
	t.Parallel()
	const limit = 256 << 10
	var sent atomic.Int64
	announce := atomic.Bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		const total = 64 << 20
		if announce.Load() {
			w.Header().Set("Content-Length", fmt.Sprint(total))
		}
		chunk := []byte(strings.Repeat("x", 16<<10))
		for n := 0; n < total; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			sent.Add(int64(len(chunk)))
		}
	}))
	defer srv.Close()
	c, _, _ := newClient(t, srv.URL, func(cfg *rest.Config) { cfg.MaxBody = limit })
	for _, a := range []bool{false, true} {
		announce.Store(a)
		sent.Store(0)
		_, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"})
		if !errors.Is(err, client.ErrServer) || !strings.Contains(err.Error(), "larger than 256 KiB") {
			t.Fatalf("announced=%v: %v", a, err)
		}
		srv.CloseClientConnections()
		// Socket buffers hold a few MiB at most; the whole would be 64.
		if n := sent.Load(); n > 16<<20 {
			t.Errorf("announced=%v: the server sent %d MiB before the client stopped reading", a, n>>20)
		}
	}
}

// Backoff grows exponentially with jitter: 100–200 ms, 200–400 ms,
// 400–800 ms, and the waits differ between runs.
func TestBackoffExponentialWithJitter(t *testing.T) {
	t.Parallel()
	srv, _ := server(t, 503)
	distinct := map[time.Duration]bool{}
	for range 20 {
		c, sl, _ := newClient(t, srv.URL, func(cfg *rest.Config) { cfg.MaxRetries = 3 })
		if _, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"}); !errors.Is(err, client.ErrServer) {
			t.Fatalf("got %v", err)
		}
		if len(sl.waits) != 3 {
			t.Fatalf("waits %v", sl.waits)
		}
		for i, w := range sl.waits {
			lo := 100 * time.Millisecond << i
			if w < lo || w > 2*lo {
				t.Errorf("wait %d = %s, want %s–%s", i+1, w, lo, 2*lo)
			}
		}
		distinct[sl.waits[0]] = true
	}
	if len(distinct) < 2 {
		t.Error("no jitter: every first wait is the same")
	}
}

// The total time spent retrying is bounded by RetryBudget, with real
// sleeps, even when MaxRetries would allow many more tries.
func TestRetryBudgetBoundsTotalTime(t *testing.T) {
	t.Parallel()
	srv, n := server(t, 503)
	c, err := rest.New(rest.Config{BaseURL: srv.URL, Token: secret, MaxRetries: 100, RetryBudget: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"})
	if !errors.Is(err, client.ErrServer) {
		t.Fatalf("got %v", err)
	}
	// Without the budget: 100 retries of up to 5 s. Thirty times the
	// budget tells the two apart under any load.
	if d := time.Since(start); d > 30*300*time.Millisecond {
		t.Fatalf("retried for %s with a 300ms budget", d)
	}
	if n.n.Load() > 4 {
		t.Fatalf("%d tries within a 300ms budget", n.n.Load())
	}
}

// Writes are never retried on a network error or 5xx, whatever the
// method, unless marked idempotent; reads are.
func TestOnlyIdempotentRequestsRetried(t *testing.T) {
	t.Parallel()
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		for _, st := range []int{500, 502, 503, 504} {
			srv, n := server(t, st, 200)
			c, sl, _ := newClient(t, srv.URL, nil)
			_, err := c.Do(context.Background(), rest.Request{Method: m, Path: "x/", Body: 1})
			if err == nil || n.n.Load() != 1 || len(sl.waits) != 0 {
				t.Errorf("%s on %d: %v after %d requests", m, st, err, n.n.Load())
			}
		}
	}
	for _, st := range []int{502, 503, 504} {
		srv, n := server(t, st, 200)
		c, _, _ := newClient(t, srv.URL, nil)
		if _, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"}); err != nil || n.n.Load() != 2 {
			t.Errorf("GET on %d: %v after %d", st, err, n.n.Load())
		}
	}
	// 500 is the server's bug, not a passing outage: not retried.
	srv, n := server(t, 500, 200)
	c, _, _ := newClient(t, srv.URL, nil)
	if _, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"}); !errors.Is(err, client.ErrServer) || n.n.Load() != 1 {
		t.Errorf("GET on 500: %v after %d", err, n.n.Load())
	}
}

// However an error is printed — %v, %+v, %#v, or by a panic — the token
// is not in it.
func TestTokenNotInAnyErrorFormat(t *testing.T) {
	t.Parallel()
	kit := &fakehttp.Kit{}
	srv := httptest.NewServer(kit.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, "echo: "+r.Header.Get("Authorization"))
	})))
	defer srv.Close()
	defer kit.Close()
	c, _, dbg := newClient(t, srv.URL, func(cfg *rest.Config) {
		cfg.Timeout = 50 * time.Millisecond
		cfg.MaxRetries = 1
		cfg.DecodeError = func(status int, _ http.Header, body []byte) *client.APIError {
			return &client.APIError{Message: string(body)}
		}
	})
	var errs []error
	_, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"})
	errs = append(errs, err)
	for _, k := range []fakehttp.FaultKind{fakehttp.FaultStall, fakehttp.FaultReset, fakehttp.FaultTruncated} {
		kit.ClearFaults()
		kit.Inject(fakehttp.Fault{Kind: k})
		for _, m := range []string{"GET", "POST"} {
			_, err := c.Do(context.Background(), rest.Request{Method: m, Path: "x/", Body: 1})
			errs = append(errs, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Do(ctx, rest.Request{Method: "GET", Path: "x/"})
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil {
			t.Fatalf("case %d: no error", i)
		}
		for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			if s := fmt.Sprintf(f, err); strings.Contains(s, secret) {
				t.Errorf("case %d: token in %s: %s", i, f, s)
			}
		}
		var ae *client.APIError
		if errors.As(err, &ae) && ae.Err != nil {
			if s := fmt.Sprintf("%#v", ae.Err); strings.Contains(s, secret) {
				t.Errorf("case %d: token in the wrapped error %%#v: %s", i, s)
			}
		}
		panicked := func() (msg string) {
			defer func() { msg = fmt.Sprint(recover()) }()
			panic(err)
		}()
		if strings.Contains(panicked, secret) {
			t.Errorf("case %d: token in a panic: %s", i, panicked)
		}
	}
	noToken(t, nil, dbg)
}

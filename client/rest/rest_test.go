package rest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/rest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

const secret = "s3cr3t-T0KEN-abcdefghijklmnopqrstuvwxyz"

// sleeper records the waits instead of sleeping.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

type counter struct {
	n    atomic.Int32
	auth atomic.Value
}

func newClient(t *testing.T, url string, mod func(*rest.Config)) (*rest.Client, *sleeper, *bytes.Buffer) {
	t.Helper()
	sl := &sleeper{}
	var dbg bytes.Buffer
	cfg := rest.Config{BaseURL: url, Token: secret, AuthScheme: "Token", UserAgent: "test", Sleep: sl.Sleep, Debug: &syncWriter{w: &dbg}}
	if mod != nil {
		mod(&cfg)
	}
	c, err := rest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, sl, &dbg
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// server answers with the given statuses in turn (the last repeats).
func server(t *testing.T, statuses ...int) (*httptest.Server, *counter) {
	t.Helper()
	c := &counter{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(c.n.Add(1)) - 1
		c.auth.Store(r.Header.Get("Authorization"))
		st := statuses[min(i, len(statuses)-1)]
		if st == 429 {
			w.Header().Set("Retry-After", "7")
		}
		w.WriteHeader(st)
		fmt.Fprintf(w, `{"n":%d}`, i)
	}))
	t.Cleanup(srv.Close)
	return srv, c
}

func noToken(t *testing.T, err error, dbg *bytes.Buffer) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), secret) {
		t.Fatalf("token in error: %v", err)
	}
	if strings.Contains(dbg.String(), secret) {
		t.Fatalf("token in debug log: %s", dbg.String())
	}
}

func TestRedirectIsAnErrorAndTokenStaysHome(t *testing.T) {
	t.Parallel()
	var other atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.Add(1)
	}))
	defer elsewhere.Close()
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(elsewhere.URL, "127.0.0.1", "localhost", 1)+"/steal/", http.StatusFound)
	}))
	defer home.Close()
	// Even a caller's client that follows redirects is overridden.
	follow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	c, _, dbg := newClient(t, home.URL+"/api/v1/", func(cfg *rest.Config) { cfg.HTTPClient = follow })
	for _, m := range []string{"GET", "POST"} {
		_, err := c.Do(context.Background(), rest.Request{Method: m, Path: "users/", Body: map[string]int{"a": 1}})
		var ae *client.APIError
		if !errors.As(err, &ae) || !errors.Is(err, client.ErrServer) || ae.Status != 302 || !strings.Contains(err.Error(), "does not follow redirects") {
			t.Fatalf("%s: %v", m, err)
		}
		noToken(t, err, dbg)
	}
	if other.Load() != 0 {
		t.Fatal("the redirect was followed")
	}
}

func TestBodyCap(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write(bytes.Repeat([]byte("x"), 4096))
	}))
	defer srv.Close()
	c, _, _ := newClient(t, srv.URL, func(cfg *rest.Config) { cfg.MaxBody = 1024 })
	_, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"})
	if !errors.Is(err, client.ErrServer) || !strings.Contains(err.Error(), "response larger than") {
		t.Fatalf("got %v", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("a too-large answer was fetched %d times", hits.Load())
	}
}

func TestReadRetriedOn503(t *testing.T) {
	t.Parallel()
	srv, n := server(t, 503, 502, 200)
	c, sl, _ := newClient(t, srv.URL, nil)
	resp, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"})
	if err != nil || string(resp.Body) != `{"n":2}` || n.n.Load() != 3 || len(sl.waits) != 2 {
		t.Fatalf("%v %v, %d requests, waits %v", resp, err, n.n.Load(), sl.waits)
	}
	if n.auth.Load() != "Token "+secret {
		t.Fatalf("auth header %q", n.auth.Load())
	}
	// Retries are bounded.
	srv2, n2 := server(t, 503)
	c2, _, _ := newClient(t, srv2.URL, func(cfg *rest.Config) { cfg.MaxRetries = 2 })
	if _, err := c2.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"}); !errors.Is(err, client.ErrServer) || n2.n.Load() != 3 {
		t.Fatalf("%v after %d", err, n2.n.Load())
	}
}

func TestWriteNotRetriedOn503(t *testing.T) {
	t.Parallel()
	srv, n := server(t, 503, 200)
	c, sl, _ := newClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), rest.Request{Method: "POST", Path: "x/", Body: map[string]string{}})
	if !errors.Is(err, client.ErrServer) || n.n.Load() != 1 || len(sl.waits) != 0 {
		t.Fatalf("%v after %d requests", err, n.n.Load())
	}
	// An idempotent write may be retried.
	srv2, n2 := server(t, 503, 204)
	c2, _, _ := newClient(t, srv2.URL, nil)
	if _, err := c2.Do(context.Background(), rest.Request{Method: "DELETE", Path: "x/", Idempotent: true}); err != nil || n2.n.Load() != 2 {
		t.Fatalf("%v after %d", err, n2.n.Load())
	}
}

func TestNetworkErrors(t *testing.T) {
	t.Parallel()
	kit := &fakehttp.Kit{}
	var hits atomic.Int32
	srv := httptest.NewServer(kit.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "{}")
	})))
	defer srv.Close()
	defer kit.Close()
	c, _, dbg := newClient(t, srv.URL, nil)
	kit.Inject(fakehttp.Fault{Kind: fakehttp.FaultReset, Method: "GET", Times: 1})
	if _, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"}); err != nil || hits.Load() != 1 {
		t.Fatalf("GET after a reset: %v, %d hits", err, hits.Load())
	}
	kit.Inject(fakehttp.Fault{Kind: fakehttp.FaultReset, Method: "POST"})
	_, err := c.Do(context.Background(), rest.Request{Method: "POST", Path: "x/", Body: 1})
	if !errors.Is(err, client.ErrOutcomeUnknown) || !strings.Contains(err.Error(), "may or may not") {
		t.Fatalf("POST after a reset: %v", err)
	}
	posts := 0
	for _, r := range kit.Requests() {
		if r.Method == "POST" {
			posts++
		}
	}
	if posts != 1 {
		t.Fatalf("POST sent %d times", posts)
	}
	noToken(t, err, dbg)
	// A refused connection never reached the server: not "unknown".
	srv.Close()
	_, err = c.Do(context.Background(), rest.Request{Method: "POST", Path: "x/", Body: 1})
	if !errors.Is(err, client.ErrNetwork) || errors.Is(err, client.ErrOutcomeUnknown) {
		t.Fatalf("refused: %v", err)
	}
	noToken(t, err, dbg)
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	srv, n := server(t, 429, 429, 201)
	c, sl, _ := newClient(t, srv.URL, nil)
	if _, err := c.Do(context.Background(), rest.Request{Method: "POST", Path: "x/", Body: 1}); err != nil {
		t.Fatal(err)
	}
	if n.n.Load() != 3 || len(sl.waits) != 2 || sl.waits[0] != 7*time.Second || sl.waits[1] != 7*time.Second {
		t.Fatalf("%d requests, waits %v", n.n.Load(), sl.waits)
	}
	// Giving up after MaxRateRetries tries.
	srv2, n2 := server(t, 429)
	c2, _, _ := newClient(t, srv2.URL, func(cfg *rest.Config) { cfg.MaxRateRetries = 3 })
	if _, err := c2.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"}); !errors.Is(err, client.ErrRateLimited) || n2.n.Load() != 3 {
		t.Fatalf("%v after %d", err, n2.n.Load())
	}
	// A wait past the context's deadline is not started.
	srv3, _ := server(t, 429)
	c3, sl3, _ := newClient(t, srv3.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := c3.Do(ctx, rest.Request{Method: "GET", Path: "x/"}); !errors.Is(err, client.ErrRateLimited) || len(sl3.waits) != 0 {
		t.Fatalf("%v, waits %v", err, sl3.waits)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":     0,
		"3":    3 * time.Second,
		"0.5":  500 * time.Millisecond,
		"3600": time.Minute,
		"-1":   0,
		"soon": 0,
		now.Add(10 * time.Second).Format(http.TimeFormat): 10 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		if got := rest.RetryAfter(h, now); got != want {
			t.Errorf("RetryAfter(%q) = %s, want %s", v, got, want)
		}
	}
}

func TestTokenNeverLeaks(t *testing.T) {
	t.Parallel()
	// A hostile proxy echoes the request headers in its error page.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		fmt.Fprintf(w, "bad request: %s", r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	c, _, dbg := newClient(t, srv.URL, func(cfg *rest.Config) {
		cfg.DecodeError = func(status int, _ http.Header, body []byte) *client.APIError {
			return &client.APIError{Message: string(body), Detail: string(body)}
		}
	})
	_, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"})
	if err == nil || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("got %v", err)
	}
	noToken(t, err, dbg)
	if !strings.Contains(dbg.String(), "GET") {
		t.Fatal("debug log is empty")
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	t.Parallel()
	kit := &fakehttp.Kit{}
	kit.Inject(fakehttp.Fault{Kind: fakehttp.FaultStall})
	srv := httptest.NewServer(kit.Wrap(http.NotFoundHandler()))
	defer srv.Close()
	defer kit.Close()
	c, _, dbg := newClient(t, srv.URL, func(cfg *rest.Config) { cfg.Timeout = 50 * time.Millisecond; cfg.MaxRetries = 1 })
	_, err := c.Do(context.Background(), rest.Request{Method: "GET", Path: "x/"})
	if !errors.Is(err, client.ErrNetwork) || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Fatalf("timeout: %v", err)
	}
	_, err = c.Do(context.Background(), rest.Request{Method: "PATCH", Path: "x/", Body: 1})
	if !errors.Is(err, client.ErrOutcomeUnknown) {
		t.Fatalf("write timeout: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	c2, _, _ := newClient(t, srv.URL, nil)
	_, err = c2.Do(ctx, rest.Request{Method: "GET", Path: "x/"})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("cancel: %v", err)
	}
	noToken(t, err, dbg)
}

func TestCheckURL(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"https://example.org", "http://localhost:8000", "http://127.0.0.5/x", "http://[::1]:1/"} {
		if _, err := rest.CheckURL(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://example.org", "http://10.0.0.1", "ftp://x", "https://", "::"} {
		if _, err := rest.CheckURL(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if _, err := rest.CheckURL("http://example.org"); !errors.Is(err, rest.ErrInsecureURL) {
		t.Errorf("want ErrInsecureURL, got %v", err)
	}
	u, _ := rest.CheckURL("https://user:pw@example.org/a?b=c#d")
	if u.String() != "https://example.org/a" {
		t.Errorf("userinfo or query kept: %s", u)
	}
}

func TestURLJoin(t *testing.T) {
	t.Parallel()
	c, _, _ := newClient(t, "https://example.org/api/v1/", nil)
	if got := c.URL("members/a%2Fb/", nil).String(); got != "https://example.org/api/v1/members/a%2Fb/" {
		t.Fatalf("escaped segment: %s", got)
	}
	if got := c.URL("/users/", map[string][]string{"q": {"a b"}, "limit": {"2"}}).String(); got != "https://example.org/api/v1/users/?limit=2&q=a+b" {
		t.Fatalf("query: %s", got)
	}
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	l := rest.NewLimiter(1000, 2)
	for range 3 {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	slow := rest.NewLimiter(0.001, 1)
	slow.Wait(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := slow.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

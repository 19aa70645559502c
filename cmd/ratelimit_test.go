package cmd

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
)

// limited answers the first n requests of method with 429 and a
// Retry-After of 50 ms, then lets h answer; it counts what reached h.
type limited struct {
	mu      sync.Mutex
	method  string
	n       int
	reached map[string]int
	h       http.Handler
}

func (l *limited) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	refuse := r.Method == l.method && l.n > 0
	if refuse {
		l.n--
	} else {
		l.reached[r.Method]++
	}
	l.mu.Unlock()
	if refuse {
		w.Header().Set("Retry-After", "0.05")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"code":"throttled","message":"Request was throttled.","detail":"slow down"}`))
		return
	}
	l.h.ServeHTTP(w, r)
}

// A 429 is waited out as Retry-After says, on both providers, for reads
// and writes (a 429 is a refusal: the write did not happen, so sending it
// again is safe), and the write lands exactly once.
func TestRateLimitHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		method string
		args   []string
	}{
		{"qfieldcloud read", "GET", []string{"members", "list", "fieldops"}},
		{"qfieldcloud write", "POST", []string{"members", "add", "fieldops", "david"}},
		{"qomon read", "GET", []string{"teams", "list"}},
		{"qomon write", "POST", []string{"teams", "create", "Sud"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var e *env
			l := &limited{method: c.method, n: 2, reached: map[string]int{}}
			var check func() bool
			if strings.HasPrefix(c.name, "qfieldcloud") {
				srv := qfctest.New(qfctest.WithoutSocket())
				srv.SeedDemo()
				t.Cleanup(srv.Close)
				l.h = srv.Handler()
				front := httptest.NewServer(l)
				t.Cleanup(front.Close)
				e = newEnv(t)
				e.set("QFIELDCLOUD_URL", front.URL+"/api/v1/").set("QFIELDCLOUD_TOKEN", srv.Token("demo"))
				check = func() bool { _, ok := member(srv, "fieldops", "david"); return ok }
			} else {
				w, qe := qom(t)
				l.h = w.srv.Handler()
				front := httptest.NewServer(l)
				t.Cleanup(front.Close)
				e = qe
				e.set("QOMON_URL", front.URL)
				check = func() bool { _, ok := w.teamNamed("Sud"); return ok }
			}
			r := e.run("", append([]string{"--debug"}, c.args...)...)
			expectCode(t, r, 0)
			if n := strings.Count(r.stderr, "in 50ms"); n != 2 {
				t.Errorf("%d waits of 50ms (Retry-After) in the debug log, want 2:\n%s", n, r.stderr)
			}
			if c.method == "POST" {
				if l.reached["POST"] != 1 || !check() {
					t.Errorf("the write reached the server %d times (want 1); applied: %v", l.reached["POST"], check())
				}
			}
		})
	}
}

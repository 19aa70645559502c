package qomon

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/client/rest"
	"github.com/roster-cli/roster/internal/fakehttp"
)

// fake starts an in-memory fake server (no socket) unless socket is
// among the options' needs; it is closed when the test ends.
func fake(t testing.TB, opts ...qomontest.Option) *qomontest.Server {
	t.Helper()
	s := qomontest.New(append([]qomontest.Option{qomontest.WithoutSocket()}, opts...)...)
	t.Cleanup(s.Close)
	return s
}

// noPace lets tests run at full speed; pacing itself is tested apart.
func noPace() *rest.Limiter { return rest.NewLimiter(1e9, 1<<30) }

type clientOpt struct {
	timeout time.Duration
	maxBody int64
	sleep   func(context.Context, time.Duration) error
	socket  bool
}

// as builds a client for a space's user on s.
func as(t testing.TB, s *qomontest.Server, space, email string, o ...clientOpt) *Client {
	t.Helper()
	return withToken(t, s, s.Token(space, email), o...)
}

func withToken(t testing.TB, s *qomontest.Server, token string, o ...clientOpt) *Client {
	t.Helper()
	var opt clientOpt
	if len(o) > 0 {
		opt = o[0]
	}
	cfg := client.Config{URL: s.URL(), Token: token, Timeout: opt.timeout, MaxBody: opt.maxBody, Version: "test"}
	if !opt.socket {
		cfg.HTTPClient = s.HTTPClient()
	}
	c, err := newClient(cfg, noPace(), opt.sleep)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// admin is the Paris superadmin's client.
func admin(t testing.TB, s *qomontest.Server, o ...clientOpt) *Client {
	return as(t, s, qomontest.SpaceParis, qomontest.AdminEmail, o...)
}

// noSleep skips the transport's waits but records them.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// ctx bounds a test's calls: a hang guard, far above what the clients'
// own timeouts allow, so load cannot reach it.
func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

func mustIs(t testing.TB, err, kind error, contains ...string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v: want %v", err, kind)
	}
	for _, c := range contains {
		if !strings.Contains(err.Error(), c) {
			t.Fatalf("error %q lacks %q", err, c)
		}
	}
}

// writes lists the write requests in the kit's log ("PATCH /teams").
func writes(s *qomontest.Server) []string {
	var out []string
	for _, r := range s.Kit().Requests() {
		if r.IsWrite() {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func requests(s *qomontest.Server, method, path string) []fakehttp.Request {
	var out []fakehttp.Request
	for _, r := range s.Kit().Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func teamByName(t testing.TB, s *qomontest.Server, space, name string) qomontest.Team {
	t.Helper()
	for _, tm := range s.Teams(space) {
		if tm.Name == name {
			return tm
		}
	}
	t.Fatalf("no team %q", name)
	return qomontest.Team{}
}

func userID(t testing.TB, s *qomontest.Server, space, email string) int64 {
	t.Helper()
	u, ok := s.UserByMail(space, email)
	if !ok {
		t.Fatalf("no user %s", email)
	}
	return u.ID
}

var _ = http.MethodGet

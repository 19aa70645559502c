package fakehttp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// setup returns a client for the kit-wrapped handler, over a socket or in
// memory, and a counter of requests that reached the handler.
func setup(t *testing.T, memory bool) (*Kit, *http.Client, string, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	})
	k := &Kit{}
	t.Cleanup(k.Close)
	if memory {
		return k, &http.Client{Transport: k.Transport(h)}, "http://127.0.0.1:1/api/", &hits
	}
	srv := httptest.NewServer(k.Wrap(h))
	t.Cleanup(srv.Close)
	t.Cleanup(k.Close) // runs before srv.Close: releases stalls
	return k, srv.Client(), srv.URL + "/api/", &hits
}

func get(ctx context.Context, c *http.Client, method, url string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(`{"a":1}`))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "Token secret-token")
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b), err
}

func both(t *testing.T, f func(t *testing.T, memory bool)) {
	for _, memory := range []bool{false, true} {
		name := "socket"
		if memory {
			name = "memory"
		}
		t.Run(name, func(t *testing.T) { t.Parallel(); f(t, memory) })
	}
}

func TestPassThroughAndLog(t *testing.T) {
	t.Parallel()
	both(t, func(t *testing.T, memory bool) {
		k, c, base, hits := setup(t, memory)
		st, body, err := get(context.Background(), c, "POST", base+"x/?q=1")
		if err != nil || st != 200 || body != `{"ok":true}` {
			t.Fatalf("got %d %q %v", st, body, err)
		}
		get(context.Background(), c, "GET", base+"y/")
		if hits.Load() != 2 {
			t.Fatalf("handler hits = %d", hits.Load())
		}
		log := k.Requests()
		if len(log) != 2 || log[0].Method != "POST" || log[0].Path != "/api/x/" || log[0].RawQuery != "q=1" || string(log[0].Body) != `{"a":1}` {
			t.Fatalf("log = %+v", log)
		}
		if got := log[0].Header.Get("Authorization"); got != "[present]" {
			t.Fatalf("Authorization logged as %q", got)
		}
		if k.CountWrites() != 1 {
			t.Fatalf("writes = %d", k.CountWrites())
		}
		k.ResetRequests()
		if len(k.Requests()) != 0 {
			t.Fatal("log not reset")
		}
	})
}

func TestFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fault   Fault
		check   func(t *testing.T, st int, body string, err error)
		handled bool
	}{
		{Fault{Kind: FaultStatus}, func(t *testing.T, st int, body string, err error) {
			if st != 500 || !strings.Contains(body, `"code"`) {
				t.Fatalf("%d %q %v", st, body, err)
			}
		}, false},
		{Fault{Kind: FaultStatus, Status: 403}, func(t *testing.T, st int, body string, err error) {
			if st != 403 {
				t.Fatalf("%d %q %v", st, body, err)
			}
		}, false},
		{Fault{Kind: FaultHTML, Status: 503}, func(t *testing.T, st int, body string, err error) {
			if st != 503 || !strings.Contains(body, "<html>") {
				t.Fatalf("%d %q %v", st, body, err)
			}
		}, false},
		{Fault{Kind: FaultSlow, Delay: 20 * time.Millisecond}, func(t *testing.T, st int, body string, err error) {
			if st != 200 || body != `{"ok":true}` {
				t.Fatalf("%d %q %v", st, body, err)
			}
		}, true},
		{Fault{Kind: FaultTruncated}, func(t *testing.T, st int, body string, err error) {
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("want unexpected EOF, got %d %q %v", st, body, err)
			}
		}, false},
		{Fault{Kind: FaultMalformed}, func(t *testing.T, st int, body string, err error) {
			if st != 200 || !strings.Contains(body, ",,") {
				t.Fatalf("%d %q %v", st, body, err)
			}
		}, false},
		{Fault{Kind: FaultHuge}, func(t *testing.T, st int, body string, err error) {
			if st != 200 || len(body) != 1<<20 || body[0] != '[' {
				t.Fatalf("%d %d bytes %v", st, len(body), err)
			}
		}, false},
		{Fault{Kind: FaultReset}, func(t *testing.T, st int, body string, err error) {
			if err == nil {
				t.Fatalf("no error: %d %q", st, body)
			}
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.fault.Kind.String(), func(t *testing.T) {
			t.Parallel()
			both(t, func(t *testing.T, memory bool) {
				k, c, base, hits := setup(t, memory)
				f := tc.fault
				f.Method = "POST"
				k.Inject(f)
				st, body, err := get(context.Background(), c, "POST", base+"x/")
				tc.check(t, st, body, err)
				if handled := hits.Load() == 1; handled != tc.handled {
					t.Fatalf("handler reached = %v, want %v", handled, tc.handled)
				}
				if r := k.Requests(); len(r) != 1 || r[0].Faulted == tc.handled {
					t.Fatalf("log = %+v", r)
				}
				// GETs do not match a POST fault.
				if st, _, err := get(context.Background(), c, "GET", base+"x/"); st != 200 || err != nil {
					t.Fatalf("GET: %d %v", st, err)
				}
			})
		})
	}
}

func TestResetIsConnReset(t *testing.T) {
	t.Parallel()
	k, c, base, _ := setup(t, true)
	k.Inject(Fault{Kind: FaultReset})
	_, _, err := get(context.Background(), c, "POST", base)
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("got %v", err)
	}
}

func TestStallEndsWithContext(t *testing.T) {
	t.Parallel()
	both(t, func(t *testing.T, memory bool) {
		k, c, base, hits := setup(t, memory)
		k.Inject(Fault{Kind: FaultStall})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, _, err := get(ctx, c, "GET", base)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v", err)
		}
		if hits.Load() != 0 {
			t.Fatal("stalled request reached the handler")
		}
	})
}

func TestTimesAndClear(t *testing.T) {
	t.Parallel()
	both(t, func(t *testing.T, memory bool) {
		k, c, base, _ := setup(t, memory)
		k.Inject(Fault{Kind: FaultStatus, Status: 503, Times: 2, PathPrefix: "/api/a/"})
		var got []int
		for range 3 {
			st, _, _ := get(context.Background(), c, "GET", base+"a/")
			got = append(got, st)
		}
		if got[0] != 503 || got[1] != 503 || got[2] != 200 {
			t.Fatalf("statuses %v", got)
		}
		k.Inject(Fault{Kind: FaultStatus})
		if st, _, _ := get(context.Background(), c, "GET", base+"b/"); st != 500 {
			t.Fatalf("always fault: %d", st)
		}
		k.ClearFaults()
		if st, _, _ := get(context.Background(), c, "GET", base+"b/"); st != 200 {
			t.Fatalf("after clear: %d", st)
		}
	})
}

func TestLatencyHonoursContext(t *testing.T) {
	t.Parallel()
	both(t, func(t *testing.T, memory bool) {
		k, c, base, hits := setup(t, memory)
		k.SetLatency(30 * time.Millisecond)
		start := time.Now()
		if st, _, err := get(context.Background(), c, "GET", base); st != 200 || err != nil {
			t.Fatalf("%d %v", st, err)
		}
		if time.Since(start) < 30*time.Millisecond {
			t.Fatal("latency not applied")
		}
		k.SetLatency(time.Hour)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if _, _, err := get(ctx, c, "GET", base); err == nil {
			t.Fatal("want a deadline error")
		}
		if hits.Load() != 1 {
			t.Fatalf("hits %d", hits.Load())
		}
	})
}

func TestLogBounded(t *testing.T) {
	t.Parallel()
	k := &Kit{}
	h := k.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for range MaxLog + 5 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x/", nil))
	}
	if n := len(k.Requests()); n != MaxLog {
		t.Fatalf("log has %d entries", n)
	}
}

package qfieldcloud_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
)

// FuzzDecode feeds arbitrary bodies to every decoder: none may panic, and
// DecodeError always yields a usable error of some kind. The seed corpus
// (testdata/fuzz/FuzzDecode) holds the reference's JSON examples.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		if us, err := qfieldcloud.DecodeUsers(body); err != nil && !errors.Is(err, client.ErrServer) {
			t.Fatalf("users: %v", err)
		} else if err == nil && us == nil && json.Valid(body) && strings.HasPrefix(strings.TrimSpace(string(body)), "[") {
			t.Fatal("nil slice for a list")
		}
		if _, err := qfieldcloud.DecodeMembers(body); err != nil && !errors.Is(err, client.ErrServer) {
			t.Fatalf("members: %v", err)
		}
		if _, err := qfieldcloud.DecodeTeams(body); err != nil && !errors.Is(err, client.ErrServer) {
			t.Fatalf("teams: %v", err)
		}
		for _, status := range []int{400, 401, 403, 404, 500, 502} {
			h := http.Header{}
			if strings.Contains(string(body), "<") {
				h.Set("Content-Type", "text/html")
			}
			e := qfieldcloud.DecodeError(status, h, body)
			if e == nil || e.Kind == nil || e.Status != status || e.Error() == "" {
				t.Fatalf("DecodeError(%d) = %+v", status, e)
			}
		}
	})
}

func TestDecodeErrorKinds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		ctype  string
		body   string
		kind   error
		msg    string
	}{
		{401, "", `{"code":"token_authentication_failed","message":"x"}`, client.ErrUnauthenticated, ""},
		{401, "", `{"code":"too_many_failed_login_attempts","message":"x"}`, client.ErrUnauthenticated, ""},
		{403, "", `{"code":"permission_denied","message":"Permission denied"}`, client.ErrForbidden, "Permission denied"},
		{403, "", `{"code":"inactive_subscription","message":"x"}`, client.ErrForbidden, ""},
		{403, "", `{"code":"organization_has_max_number_of_members","message":"x"}`, client.ErrLimitReached, ""},
		{404, "", `{"code":"object_not_found","message":"x"}`, client.ErrNotFound, ""},
		{400, "", `{"code":"validation_error","message":"x","debug":{"detail":{"member":["required"]}}}`, client.ErrInvalid, `{"member":["required"]}`},
		{400, "", `{"code":"api_error","message":"x","debug":{"detail":"why"}}`, client.ErrInvalid, "(why)"},
		{500, "", `{"code":"unknown_error","message":"x"}`, client.ErrServer, ""},
		{404, "text/html", `<html>Not Found</html>`, client.ErrNotFound, "team endpoints need QFieldCloud ≥ 0.30"},
		{502, "text/html", `<html>Bad Gateway</html>`, client.ErrServer, "server unavailable"},
		{504, "", ``, client.ErrServer, "server unavailable"},
		{500, "text/html", `<html>oops</html>`, client.ErrServer, "crashed"},
		{418, "", `teapot`, client.ErrInvalid, "unexpected answer (HTTP 418"},
	}
	for _, tc := range cases {
		h := http.Header{}
		if tc.ctype != "" {
			h.Set("Content-Type", tc.ctype)
		}
		e := qfieldcloud.DecodeError(tc.status, h, []byte(tc.body))
		if !errors.Is(e, tc.kind) || !strings.Contains(e.Error(), tc.msg) {
			t.Errorf("%d %s: %v (kind %v)", tc.status, tc.body, e, e.Kind)
		}
	}
}

// TestSeedCorpusDecodes keeps the committed corpus meaningful: the list
// examples decode as lists.
func TestSeedCorpusDecodes(t *testing.T) {
	t.Parallel()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzDecode", name))
		if err != nil {
			t.Fatal(err)
		}
		line := strings.SplitN(string(b), "\n", 3)[1]
		var s string
		if _, err := fmt.Sscanf(strings.TrimSuffix(strings.TrimPrefix(line, "[]byte("), ")"), "%q", &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return []byte(s)
	}
	us, err := qfieldcloud.DecodeUsers(read("users"))
	if err != nil || len(us) != 3 || us[0].Type != client.AccountTeam || us[0].DisplayName != "surveyors" || us[2].AvatarURL == "" {
		t.Fatalf("users: %+v %v", us, err)
	}
	ms, err := qfieldcloud.DecodeMembers(read("members"))
	if err != nil || len(ms) != 2 || ms[1].Role != "admin" || !ms[1].Public {
		t.Fatalf("members: %+v %v", ms, err)
	}
	ts, err := qfieldcloud.DecodeTeams(read("teams"))
	if err != nil || len(ts) != 1 || len(ts[0].Members) != 2 {
		t.Fatalf("teams: %+v %v", ts, err)
	}
	if _, err := qfieldcloud.DecodeUsers(read("vendor_envelope")); !errors.Is(err, client.ErrServer) {
		t.Fatalf("an envelope is not the server's shape: %v", err)
	}
}

func BenchmarkDecodeMembersPage(b *testing.B) {
	rows := make([]map[string]any, 1000)
	for i := range rows {
		rows[i] = map[string]any{"organization": "fieldops", "member": fmt.Sprintf("user%04d", i), "role": "member", "is_public": i%2 == 0}
	}
	body, _ := json.Marshal(rows)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if ms, err := qfieldcloud.DecodeMembers(body); err != nil || len(ms) != 1000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkFetch10kMembers lists 10,000 members with 50 ms of latency per
// request (in memory) and reports requests and sequential round trips.
func BenchmarkFetch10kMembers(b *testing.B) {
	const latency = 50 * time.Millisecond
	s := qfctest.New(qfctest.WithoutSocket())
	defer s.Close()
	s.SeedGenerated("big", 10000)
	s.Kit().SetLatency(latency)
	c, _ := qfieldcloud.New(client.Config{URL: s.URL(), Token: s.Token("big-owner"), HTTPClient: s.HTTPClient()})
	b.ReportAllocs()
	var elapsed time.Duration
	for b.Loop() {
		s.Kit().ResetRequests()
		start := time.Now()
		ms, err := client.CollectMembers(context.Background(), c, "big")
		elapsed += time.Since(start)
		if err != nil || len(ms) != 10000 {
			b.Fatalf("%d %v", len(ms), err)
		}
	}
	b.ReportMetric(float64(len(s.Kit().Requests())), "requests/op")
	b.ReportMetric(float64(elapsed/time.Duration(b.N)/latency), "round-trips/op")
}

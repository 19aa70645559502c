package cmd

import (
	"strings"
	"testing"
	"time"

	"github.com/roster-cli/roster/internal/fakehttp"
)

// --timeout is per attempt and a timed-out read is tried again once: with
// every answer slower than the timeout, a list gives up after exactly two
// attempts of each request (about twice the timeout), and says which
// timeout it hit. The attempts are counted in the fake's log, not timed.
func TestTimeoutRetriedOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		provider string
		args     []string
	}{
		{"qfieldcloud", []string{"members", "list", "fieldops"}},
		{"qomon", []string{"users", "list"}},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			t.Parallel()
			var w *fakeWorld
			if tc.provider == "qfieldcloud" {
				w = qfcWorld()
			} else {
				w, _, _, _ = qomonWorldFor()
			}
			defer w.close()
			dir := t.TempDir()
			vars := map[string]string{"ROSTER_CONFIG_DIR": dir, "HOME": dir}
			for k, v := range w.env {
				vars[k] = v
			}
			// Slower than the timeout by far: only the timeout ends it.
			w.kit.Inject(fakehttp.Fault{Kind: fakehttp.FaultSlow, Delay: time.Hour})
			r, finished := runIsolated(vars, 2*time.Minute, append([]string{"--timeout", "300ms"}, tc.args...)...)
			if !finished {
				t.Fatal("hung")
			}
			if r.code != 1 || !strings.Contains(r.stderr, "no answer within 300ms (--timeout)") {
				t.Fatalf("exit %d, stderr %q; want exit 1 naming the timeout", r.code, r.stderr)
			}
			// Requests a command sends at once (Qomon reads its roles
			// beside the first page) each get their two attempts.
			attempts := map[string]int{}
			for _, q := range w.kit.Requests() {
				attempts[q.Method+" "+q.Path+"?"+q.RawQuery]++
			}
			for req, n := range attempts {
				if n != 2 {
					t.Errorf("%s: %d attempts, want 2 (one retry after a timeout)", req, n)
				}
			}
		})
	}
}

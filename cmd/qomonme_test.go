package cmd

import (
	"testing"

	"github.com/roster-cli/roster/config"
)

// The Qomon API cannot say whose API key it is: auth login --username
// EMAIL records the person (checked to be a user of the space), so the
// TUI can mark their row and disable what their role cannot do; an
// e-mail that is no user of the space is refused.
func TestQomonLoginRecordsWhoYouAre(t *testing.T) {
	t.Parallel()
	w, e := qom(t)
	tok := e.vars["QOMON_TOKEN"]
	delete(e.vars, "QOMON_TOKEN")
	url := w.srv.URL()
	r := e.run(tok, "auth", "login", "--provider", "qomon", "--url", url, "--with-token", "--username", "nobody@example.org", "--profile", "nord")
	expectCode(t, r, 1)
	expectContains(t, "stderr", r.stderr, "nobody@example.org")
	r = e.run(tok, "auth", "login", "--provider", "qomon", "--url", url, "--with-token", "--username", "ADA@example.org", "--profile", "nord")
	expectCode(t, r, 0)
	cfg, err := config.Load(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := cfg.Get("nord")
	if !ok || p.Username != "ada@example.org" {
		t.Fatalf("profile %+v: want the space's spelling of the e-mail", p)
	}
}

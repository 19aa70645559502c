package tui

import (
	"testing"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qomon"
	"github.com/roster-cli/roster/client/qomon/qomontest"
)

// The Teams header says when the server listed only the public teams.
func TestQomonTeamsHeaderSaysPublicOnly(t *testing.T) {
	t.Parallel()
	for _, status := range []int{403, 404} {
		srv := qomontest.New(qomontest.WithoutSocket(), qomontest.WithTeamsStatus(status))
		t.Cleanup(srv.Close)
		srv.SeedDemo()
		p, err := qomon.New(client.Config{URL: srv.URL(), Token: srv.DemoToken(), HTTPClient: srv.HTTPClient()})
		if err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, Options{Session: &Session{Profile: "demo-qomon", Kind: p.Kind(), URL: srv.URL(), Source: "demo", Provider: p}})
		h.mustSee("1 Users", "2 Teams")
		h.keys("2")
		h.mustSee("Phoning", "public teams only")
	}
}

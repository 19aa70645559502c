// Package demo runs roster on in-process fake servers of both providers,
// seeded with realistic data: no network (the fakes are served by an
// in-memory transport), no keyring, nothing written to disk. The demo and
// the tests share one code path: these are the same fakes the tests use.
//
// It only says where each demo profile is and which token signs in; the
// provider itself is opened by the session layer (internal/session
// OpenDemo), like every other.
package demo

import (
	"fmt"
	"net/http"

	"github.com/roster-cli/roster/client/providers"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/config"
)

// Profile names of the demo.
const (
	QFieldCloudProfile = "demo-qfieldcloud"
	QomonProfile       = "demo-qomon"
)

// World is the running demo: one QFieldCloud and one Qomon fake.
type World struct {
	qfc *qfctest.Server
	qom *qomontest.Server
}

// Endpoint is one demo profile: where it is and the token of the demo
// user, over the fake's in-memory transport.
type Endpoint struct {
	Profile    config.Profile
	Token      string
	HTTPClient *http.Client
}

// Start seeds both fakes.
func Start() (*World, error) {
	w := &World{
		qfc: qfctest.New(qfctest.WithoutSocket()),
		qom: qomontest.New(qomontest.WithoutSocket()),
	}
	w.qfc.SeedDemo()
	w.qom.SeedDemo()
	return w, nil
}

// Close stops the fakes.
func (w *World) Close() {
	w.qfc.Close()
	w.qom.Close()
}

// Profiles lists the demo profiles, in the order the switcher shows them.
func (w *World) Profiles() []config.Profile {
	return []config.Profile{
		{Name: QFieldCloudProfile, Provider: providers.QFieldCloud, URL: w.qfc.URL(), Username: "demo", Org: "fieldops"},
		// A Qomon API key names no one: the demo says who it is, as a
		// profile's username (e-mail) may, so the TUI knows "you".
		{Name: QomonProfile, Provider: providers.Qomon, URL: w.qom.URL(), Username: qomontest.DemoAdminEmail},
	}
}

// Endpoint describes the demo profile name, signed in as the demo user.
func (w *World) Endpoint(name string) (Endpoint, error) {
	for _, p := range w.Profiles() {
		if p.Name != name {
			continue
		}
		switch p.Provider {
		case providers.QFieldCloud:
			return Endpoint{Profile: p, Token: w.qfc.Token(p.Username), HTTPClient: w.qfc.HTTPClient()}, nil
		case providers.Qomon:
			return Endpoint{Profile: p, Token: w.qom.DemoToken(), HTTPClient: w.qom.HTTPClient()}, nil
		}
	}
	return Endpoint{}, fmt.Errorf("no demo profile %q (demo profiles: %s, %s)", name, QFieldCloudProfile, QomonProfile)
}

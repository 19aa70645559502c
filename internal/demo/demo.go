// Package demo runs roster on in-process fake servers of both providers,
// seeded with realistic data: no network (the fakes are served by an
// in-memory transport), no keyring, nothing written to disk. The demo and
// the tests share one code path: these are the same fakes the tests use.
package demo

import (
	"context"
	"fmt"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/providers"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/tui"
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

// Profiles lists the demo profiles for the switcher.
func (w *World) Profiles() []tui.ProfileEntry {
	return []tui.ProfileEntry{
		{Name: QFieldCloudProfile, Kind: "qfieldcloud", URL: w.qfc.URL(), Demo: true},
		{Name: QomonProfile, Kind: "qomon", URL: w.qom.URL(), Demo: true},
	}
}

// Open opens a demo profile as the signed-in demo user.
func (w *World) Open(ctx context.Context, name string, readOnly bool) (*tui.Session, error) {
	var (
		kind, url, org, user string
		cfg                  client.Config
	)
	switch name {
	case QFieldCloudProfile:
		kind, url, org, user = "qfieldcloud", w.qfc.URL(), "fieldops", "demo"
		cfg = client.Config{URL: url, Token: w.qfc.Token(user), HTTPClient: w.qfc.HTTPClient(), Username: user, Version: "demo"}
	case QomonProfile:
		kind, url = "qomon", w.qom.URL()
		cfg = client.Config{URL: url, Token: w.qom.DemoToken(), HTTPClient: w.qom.HTTPClient(), Version: "demo"}
	default:
		return nil, fmt.Errorf("no demo profile %q (demo profiles: %s, %s)", name, QFieldCloudProfile, QomonProfile)
	}
	p, err := providers.Open(kind, cfg)
	if err != nil {
		return nil, fmt.Errorf("opening demo profile %s: %w", name, err)
	}
	if readOnly {
		p = client.ReadOnly(p)
	}
	return &tui.Session{Profile: name, Kind: kind, URL: url, Source: "demo", Org: org, Username: user, Provider: p, ReadOnly: readOnly}, nil
}

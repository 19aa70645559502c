package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/config"
	"github.com/roster-cli/roster/internal/demo"
	"github.com/roster-cli/roster/tui"
)

// A provider reaches a command or a screen by five ways: a command, the
// TUI's start, its profile switcher, its first-run sign-in, and --demo.
// Each is opened here the way roster opens it, then every write of
// client.Provider is called on it: each must be recorded in the audit log
// (the demo excepted: it writes nothing to disk), and under --read-only
// each must be refused with no request sent and nothing recorded.
func TestEverySessionIsAuditedAndReadOnly(t *testing.T) {
	t.Parallel()
	type way struct {
		name    string
		audited bool
		open    func(t *testing.T, srv *qfctest.Server, e *env, readOnly bool) client.Provider
	}
	ways := []way{
		{"command", true, openByCommand},
		{"TUI start", true, openByTUIStart},
		{"switcher", true, openBySwitcher},
		{"sign-in", true, openBySignIn},
		{"demo", false, openByDemo},
	}
	for _, w := range ways {
		for _, readOnly := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/read-only=%v", w.name, readOnly), func(t *testing.T) {
				t.Parallel()
				srv, e := qfc(t)
				delete(e.vars, "QFIELDCLOUD_TOKEN")
				prov := w.open(t, srv, e, readOnly)
				writes := writeMethods(t)
				if len(writes) < 12 {
					t.Fatalf("only %d writes found: the classification is broken", len(writes))
				}
				before := len(e.auditEntries())
				sentBefore := srv.Kit().CountWrites()
				for i, m := range writes {
					err := callZero(prov, m)
					if readOnly {
						if !errors.Is(err, client.ErrReadOnly) {
							t.Errorf("%s under --read-only: %v, want a refusal", m, err)
						}
						continue
					}
					if errors.Is(err, client.ErrReadOnly) {
						t.Errorf("%s refused without --read-only", m)
					}
					got := len(e.auditEntries()) - before
					switch {
					case w.audited && got != i+1:
						t.Fatalf("%s: %d audit entries after %d writes: this write path is not audited", m, got, i+1)
					case !w.audited && got != 0:
						t.Fatalf("%s: the demo wrote %d audit entries", m, got)
					}
				}
				if readOnly {
					if n := len(e.auditEntries()) - before; n != 0 {
						t.Errorf("refused writes were recorded: %d entries", n)
					}
					if n := srv.Kit().CountWrites() - sentBefore; n != 0 {
						t.Errorf("%d writes reached the server under --read-only", n)
					}
				}
			})
		}
	}
}

// A dry run sends no write, so it records none.
func TestDryRunSessionIsNotAudited(t *testing.T) {
	t.Parallel()
	srv, e := qfc(t)
	r := e.run("", "members", "add", "fieldops", "ana", "--dry-run")
	expectCode(t, r, 0)
	expectContains(t, "stdout", r.stdout, "dry run, not sent: POST")
	if n := len(e.auditEntries()); n != 0 {
		t.Errorf("a dry run recorded %d audit entries", n)
	}
	if n := srv.Kit().CountWrites(); n != 0 {
		t.Errorf("a dry run sent %d writes", n)
	}
}

// writeMethods are the Provider methods the read-only guard refuses: the
// guard's own test (client) holds them to the list of writes, so a new
// write added to the interface lands here too and must be audited.
func writeMethods(t *testing.T) []string {
	t.Helper()
	ro := client.ReadOnly(nilProvider{})
	var out []string
	iface := reflect.TypeFor[client.Provider]()
	for i := range iface.NumMethod() {
		name := iface.Method(i).Name
		err := func() (err error) {
			defer func() {
				if recover() != nil {
					err = nil // reached the nil provider: a read
				}
			}()
			return callZero(ro, name)
		}()
		if errors.Is(err, client.ErrReadOnly) {
			out = append(out, name)
		}
	}
	return out
}

// nilProvider panics on every call: only the wrapper may answer.
type nilProvider struct{ client.Provider }

// callZero calls method m of p with zero arguments (a context with a
// timeout, a slice of one zero item)
// and returns its error result, if it has one.
func callZero(p client.Provider, m string) error {
	v := reflect.ValueOf(p).MethodByName(m)
	args := make([]reflect.Value, v.Type().NumIn())
	for i := range args {
		in := v.Type().In(i)
		if in == reflect.TypeFor[context.Context]() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang guard
			defer cancel()
			args[i] = reflect.ValueOf(ctx)
			continue
		}
		if in.Kind() == reflect.Slice {
			args[i] = reflect.MakeSlice(in, 1, 1) // one zero item: a batch of one write
			continue
		}
		args[i] = reflect.Zero(in)
	}
	outs := v.Call(args)
	if len(outs) == 0 {
		return nil
	}
	err, _ := outs[len(outs)-1].Interface().(error)
	return err
}

func saveWork(t *testing.T, srv *qfctest.Server, e *env) {
	t.Helper()
	e.seedProfiles(config.Profile{Name: "work", Provider: "qfieldcloud", URL: srv.URL(), Username: "demo", Org: "fieldops"})
	e.keyring.Set("work", srv.Token("demo"))
}

// testApp is one run of roster with the global flags set as parsed.
func testApp(e *env, readOnly bool) *app {
	a := &app{f: e.factory("", &bytes.Buffer{}, &bytes.Buffer{})}
	a.g.readOnly, a.g.timeout = readOnly, 10*time.Second
	return a
}

func openByCommand(t *testing.T, srv *qfctest.Server, e *env, readOnly bool) client.Provider {
	saveWork(t, srv, e)
	s, err := testApp(e, readOnly).open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.prov
}

// tuiOptions runs `roster` on a terminal and returns what the TUI got.
func tuiOptions(t *testing.T, e *env, readOnly bool, args ...string) *tui.Options {
	t.Helper()
	e.tty = true
	if readOnly {
		args = append(args, "--read-only")
	}
	expectCode(t, e.run("", args...), 0)
	if e.tuiOpts == nil {
		t.Fatal("the TUI did not start")
	}
	return e.tuiOpts
}

func openByTUIStart(t *testing.T, srv *qfctest.Server, e *env, readOnly bool) client.Provider {
	saveWork(t, srv, e)
	o := tuiOptions(t, e, readOnly)
	s, err := o.Start(context.Background())
	if err != nil || s == nil {
		t.Fatalf("start: %v", err)
	}
	return s.Provider
}

func openBySwitcher(t *testing.T, srv *qfctest.Server, e *env, readOnly bool) client.Provider {
	saveWork(t, srv, e)
	o := tuiOptions(t, e, readOnly)
	s, err := o.Open(context.Background(), "work")
	if err != nil {
		t.Fatalf("switcher: %v", err)
	}
	return s.Provider
}

// The first-run sign-in: no profile yet, the TUI opens on the sign-in
// screen, and the session it gets must be wrapped like every other.
func openBySignIn(t *testing.T, srv *qfctest.Server, e *env, readOnly bool) client.Provider {
	o := tuiOptions(t, e, readOnly)
	if o.Start != nil || o.SignIn == nil {
		t.Fatal("no profile, yet the TUI does not open on sign-in")
	}
	var kind string
	for _, p := range o.SignInProviders {
		if p.PasswordLogin {
			kind = p.Kind
		}
	}
	s, err := o.SignIn(context.Background(), tui.SignInRequest{Provider: kind, URL: srv.URL(), Username: "demo", Password: "demo"})
	if err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	return s.Provider
}

func openByDemo(t *testing.T, _ *qfctest.Server, e *env, readOnly bool) client.Provider {
	o := tuiOptions(t, e, readOnly, "--demo")
	if o.Session == nil || o.Session.Source != "demo" {
		t.Fatalf("demo session: %+v", o.Session)
	}
	s, err := o.Open(context.Background(), demo.QomonProfile)
	if err != nil {
		t.Fatal(err)
	}
	if readOnly != client.IsReadOnly(s.Provider) {
		t.Fatalf("demo switcher: read-only %v", client.IsReadOnly(s.Provider))
	}
	return o.Session.Provider
}

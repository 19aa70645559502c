package providers_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/roster-cli/roster/client"
	"github.com/roster-cli/roster/client/providers"
)

// The providers table of the contract (spec/cli.md).
func TestRegistryMatchesTheContract(t *testing.T) {
	t.Parallel()
	want := []providers.Info{
		{Kind: "qfieldcloud", DefaultURL: "https://app.qfield.cloud/api/v1/", TokenEnv: "QFIELDCLOUD_TOKEN", URLEnv: "QFIELDCLOUD_URL", PasswordLogin: true},
		{Kind: "qomon", DefaultURL: "https://incoming.qomon.app", TokenEnv: "QOMON_TOKEN", URLEnv: "QOMON_URL"},
	}
	got := providers.All()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("All = %+v", got)
	}
	got[0].Kind = "changed"
	if p, ok := providers.Lookup(providers.QFieldCloud); !ok || p != want[0] {
		t.Fatalf("All returned shared state: %+v %v", p, ok)
	}
	if _, ok := providers.Lookup("QOMON"); ok {
		t.Fatal("Lookup is case-insensitive")
	}
	if _, err := providers.Open("nope", client.Config{}); !errors.Is(err, client.ErrBadInput) {
		t.Fatalf("Open(nope) = %v", err)
	}
}

// The registry's PasswordLogin is the client's CapPasswordLogin: the
// sign-in flows decide by it, never by a provider's name.
func TestPasswordLoginFollowsTheCapability(t *testing.T) {
	t.Parallel()
	for _, info := range providers.All() {
		p, err := providers.Open(info.Kind, client.Config{URL: info.DefaultURL, Token: "t"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Kind() != info.Kind {
			t.Errorf("%s opens a %s client", info.Kind, p.Kind())
		}
		if got := p.Can(client.CapPasswordLogin); got != info.PasswordLogin {
			t.Errorf("%s: CapPasswordLogin %v, registry PasswordLogin %v", info.Kind, got, info.PasswordLogin)
		}
		if !info.PasswordLogin {
			_, err := providers.Login(context.Background(), info.Kind, client.Config{URL: info.DefaultURL}, "u", "p")
			if !errors.Is(err, client.ErrUnsupported) {
				t.Errorf("%s: password login = %v, want ErrUnsupported", info.Kind, err)
			}
		}
	}
}

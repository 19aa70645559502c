package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"
)

// FuzzLoad feeds arbitrary bytes as config.toml. Load must never panic; a
// refused file must stay untouched and unsaveable; an accepted file must
// survive Save and Load unchanged, and hold every value the input held
// (nothing accepted and then silently dropped).
func FuzzLoad(f *testing.F) {
	f.Add([]byte("active = \"work\"\n\n[profiles.work]\nprovider = \"qfieldcloud\"\nurl = \"https://app.qfield.cloud/api/v1/\"\nusername = \"alice\"\norganization = \"acme\"\n"))
	f.Add([]byte("[profiles.q]\nprovider = \"qomon\"\nurl = \"\"\n"))
	f.Add([]byte("profiles = { a = { provider = \"qomon\", url = 'x' } }\n"))
	f.Add([]byte("[profiles.a]\nprovider = \"qomon\"\nextra = 1\n"))
	f.Add([]byte("active = \"\u202egone\x7f\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, FileName)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(dir)
		if c == nil {
			t.Fatalf("Load returned a nil Config (err %v)", err)
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Path != path {
				t.Fatalf("Load error %v is not a *ParseError for %s", err, path)
			}
			if err := c.Save(); err == nil {
				t.Fatal("Save of a Config from a damaged file succeeded")
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, data) {
				t.Fatal("damaged file changed")
			}
			return
		}
		if err := c.Save(); err != nil {
			t.Fatalf("Save of an accepted file: %v", err)
		}
		saved, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := Load(dir)
		if err != nil {
			t.Fatalf("reloading the saved file: %v\n%s", err, saved)
		}
		if c2.Active != c.Active || !reflect.DeepEqual(c2.Profiles, c.Profiles) {
			t.Fatalf("round trip changed the config:\n%+v\n%+v", c, c2)
		}
		// Compare the generic TOML content: empty strings and empty tables
		// carry no data, so they may go.
		var in, out map[string]any
		if _, err := toml.Decode(string(data), &in); err != nil {
			t.Fatalf("Load accepted what the TOML decoder refuses: %v", err)
		}
		if _, err := toml.Decode(string(saved), &out); err != nil {
			t.Fatal(err)
		}
		if a, b := prune(in), prune(out); !reflect.DeepEqual(a, b) {
			t.Fatalf("saving lost or changed data:\n in %#v\nout %#v", a, b)
		}
	})
}

func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			if p := prune(e); p != nil {
				m[k] = p
			}
		}
		if len(m) == 0 {
			return nil
		}
		return m
	case string:
		if x == "" {
			return nil
		}
	}
	return v
}

package config

import (
	"github.com/roster-cli/roster/client/providers"

	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDir(t *testing.T) {
	t.Parallel()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr bool
	}{
		{"roster dir wins", map[string]string{"ROSTER_CONFIG_DIR": "/r", "XDG_CONFIG_HOME": "/x", "HOME": "/h"}, "/r", false},
		{"relative roster dir made absolute", map[string]string{"ROSTER_CONFIG_DIR": "rel"}, filepath.Join(wd, "rel"), false},
		{"xdg", map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, "/x/roster", false},
		{"relative xdg ignored", map[string]string{"XDG_CONFIG_HOME": "x", "HOME": "/h"}, "/h/.config/roster", false},
		{"home", map[string]string{"HOME": "/h"}, "/h/.config/roster", false},
		{"nothing", map[string]string{}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Dir(envMap(tt.env))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got != filepath.FromSlash(tt.want) {
				t.Fatalf("Dir = %q, want %q", got, tt.want)
			}
		})
	}
}

func testConfig(dir string) *Config {
	c := &Config{Dir: dir}
	c.Set(Profile{Name: "work", Provider: providers.QFieldCloud, URL: "https://qfc.example/api/v1/", Username: "alice", Org: "acme"})
	c.Set(Profile{Name: "campaign", Provider: providers.Qomon, URL: ""})
	c.Active = "work"
	return c
}

func TestSelect(t *testing.T) {
	t.Parallel()
	c := testConfig("/cfg")
	empty := &Config{Dir: "/cfg"}
	qfcTok := map[string]string{"QFIELDCLOUD_TOKEN": "t1"}
	tests := []struct {
		name    string
		c       *Config
		flag    string
		env     map[string]string
		want    Profile
		wantErr []error
		errHas  []string
	}{
		{name: "flag", c: c, flag: "campaign", env: map[string]string{"ROSTER_PROFILE": "work"},
			want: Profile{Name: "campaign", Provider: providers.Qomon, URL: "https://incoming.qomon.app"}},
		{name: "ROSTER_PROFILE", c: c, env: map[string]string{"ROSTER_PROFILE": "campaign"},
			want: Profile{Name: "campaign", Provider: providers.Qomon, URL: "https://incoming.qomon.app"}},
		{name: "active", c: c, env: qfcTok,
			want: Profile{Name: "work", Provider: providers.QFieldCloud, URL: "https://qfc.example/api/v1/", Username: "alice", Org: "acme"}},
		{name: "implicit qfieldcloud default URL", c: empty, env: qfcTok,
			want: Profile{Name: "env", Provider: providers.QFieldCloud, URL: "https://app.qfield.cloud/api/v1/", Implicit: true}},
		{name: "implicit qomon with URL", c: nil, env: map[string]string{"QOMON_TOKEN": "t", "QOMON_URL": "http://127.0.0.1:9/", "QFIELDCLOUD_URL": "http://x"},
			want: Profile{Name: "env", Provider: providers.Qomon, URL: "http://127.0.0.1:9/", Implicit: true}},
		{name: "explicit env profile", c: c, flag: "env", env: qfcTok,
			want: Profile{Name: "env", Provider: providers.QFieldCloud, URL: "https://app.qfield.cloud/api/v1/", Implicit: true}},
		{name: "both tokens", c: empty, env: map[string]string{"QFIELDCLOUD_TOKEN": "a", "QOMON_TOKEN": "b"},
			wantErr: []error{ErrNoProfile, ErrAmbiguousEnv}, errHas: []string{"QFIELDCLOUD_TOKEN", "QOMON_TOKEN", "--profile"}},
		{name: "both tokens but a profile chosen", c: c, flag: "work", env: map[string]string{"QFIELDCLOUD_TOKEN": "a", "QOMON_TOKEN": "b"},
			want: Profile{Name: "work", Provider: providers.QFieldCloud, URL: "https://qfc.example/api/v1/", Username: "alice", Org: "acme"}},
		{name: "empty token counts as unset", c: empty, env: map[string]string{"QFIELDCLOUD_TOKEN": "", "QOMON_TOKEN": "b"},
			want: Profile{Name: "env", Provider: providers.Qomon, URL: "https://incoming.qomon.app", Implicit: true}},
		{name: "nothing", c: empty, env: map[string]string{},
			wantErr: []error{ErrNoProfile}},
		{name: "env profile without tokens", c: c, flag: "env", env: map[string]string{},
			wantErr: []error{ErrNoProfile}},
		{name: "unknown flag profile", c: c, flag: "nope",
			wantErr: []error{ErrUnknownProfile}, errHas: []string{`"nope"`, "--profile", "campaign, work"}},
		{name: "unknown ROSTER_PROFILE", c: c, env: map[string]string{"ROSTER_PROFILE": "gone"},
			wantErr: []error{ErrUnknownProfile}, errHas: []string{"ROSTER_PROFILE", "campaign, work"}},
		{name: "dangling active", c: &Config{Dir: "/cfg", Active: "old"}, env: qfcTok,
			wantErr: []error{ErrUnknownProfile}, errHas: []string{`"old"`, "no profiles are configured"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Select(tt.c, tt.flag, envMap(tt.env))
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("Select = %+v, want error", got)
				}
				for _, w := range tt.wantErr {
					if !errors.Is(err, w) {
						t.Errorf("error %q does not match %v", err, w)
					}
				}
				for _, s := range tt.errHas {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Select = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLoadMissingIsEmpty(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "none")
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Names()) != 0 || c.Active != "" || c.Dir != dir {
		t.Fatalf("Load of a missing file = %+v", c)
	}
	// Saving creates the directory 0700.
	c.Set(Profile{Name: "a", Provider: providers.Qomon, URL: "https://q"})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o700 {
			t.Fatalf("dir mode %v, want 0700", st.Mode().Perm())
		}
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := testConfig(dir)
	c.Set(Profile{Name: "odd.name-1_x", Provider: providers.QFieldCloud, URL: "http://localhost:8000/", Username: "bob \"quoted\" \\ \x01\u202e", Org: "ünïcode"})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.Active != c.Active || !reflect.DeepEqual(got.Profiles, c.Profiles) {
		t.Fatalf("round trip:\n got %+v %+v\nwant %+v %+v", got.Active, got.Profiles, c.Active, c.Profiles)
	}
	p, ok := got.Get("work")
	if !ok || p.Name != "work" || p.Org != "acme" {
		t.Fatalf("Get(work) = %+v, %v", p, ok)
	}
	if want := []string{"campaign", "odd.name-1_x", "work"}; !reflect.DeepEqual(got.Names(), want) {
		t.Fatalf("Names = %v, want %v", got.Names(), want)
	}
	path := filepath.Join(dir, FileName)
	if runtime.GOOS != "windows" {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Fatalf("file mode %v, want 0600", st.Mode().Perm())
		}
	}
	// Saving again over an existing file leaves no temp file behind.
	got.Active = "campaign"
	if err := got.Save(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != FileName {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("config dir holds %v, want only %s", names, FileName)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(string(data)), "token =") {
		t.Fatalf("config file holds a token field:\n%s", data)
	}
}

func TestSaveFailureKeepsOldFile(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a read-only directory, which root ignores")
	}
	dir := t.TempDir()
	c := testConfig(dir)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, FileName))
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	c.Active = "campaign"
	if err := c.Save(); err == nil {
		t.Fatal("Save into a read-only directory succeeded")
	}
	after, _ := os.ReadFile(filepath.Join(dir, FileName))
	if string(before) != string(after) {
		t.Fatal("a failed Save changed the file")
	}
}

func TestWriteFileAtomicCleansUpOnRenameFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// A directory where the file should be makes the rename fail after the
	// temp file was written; the temp file must not stay behind.
	target := filepath.Join(dir, FileName)
	if err := os.Mkdir(target, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "keep"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(target, []byte("x")); err == nil {
		t.Fatal("rename over a non-empty directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temp file left behind: %d entries", len(entries))
	}
}

func TestLoadDamaged(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		content  string
		wantLine int
		errHas   string
	}{
		{"syntax", "active = \"a\"\n\n[profiles.a]\nprovider = \n", 4, "expected value"},
		{"type", "[profiles.a]\nprovider = \"qomon\"\nurl = 3\n", 3, "incompatible types"},
		{"unknown key", "[profiles.a]\nprovider = \"qomon\"\norganisation = \"x\"\n", 3, `unknown setting "profiles.a.organisation"`},
		{"unknown table", "active = \"a\"\n[extra]\nx = 1\n", 2, `unknown setting`},
		{"bad provider", "\n[profiles.a]\nprovider = \"github\"\n", 2, `unknown provider "github"`},
		{"no provider", "[profiles.\"b\"]\nurl = \"https://x\"\n", 1, "no provider"},
		{"bad name", "[profiles.\"has space\"]\nprovider = \"qomon\"\n", 1, "invalid profile name"},
		{"reserved name", "[profiles.env]\nprovider = \"qomon\"\n", 1, "reserved"},
		{"duplicate", "[profiles.a]\nprovider = \"qomon\"\n[profiles.a]\nprovider = \"qomon\"\n", 3, "already"},
		{"implicit is not a setting", "[profiles.a]\nprovider = \"qomon\"\nImplicit = true\n", 3, "unknown setting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(dir)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Load error = %v, want *ParseError", err)
			}
			if pe.Path != path || pe.Line != tt.wantLine {
				t.Errorf("ParseError at %s line %d, want %s line %d (%v)", pe.Path, pe.Line, path, tt.wantLine, err)
			}
			if want := "config file " + path + " line "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start with %q", err, want)
			}
			if !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("error %q does not mention %q", err, tt.errHas)
			}
			if c == nil {
				t.Fatal("Load returned no Config with the ParseError")
			}
			c.Set(Profile{Name: "new", Provider: providers.Qomon})
			serr := c.Save()
			if serr == nil || !errors.As(serr, &pe) {
				t.Fatalf("Save after a damaged Load = %v, want a refusal wrapping the ParseError", serr)
			}
			after, _ := os.ReadFile(path)
			if string(after) != tt.content {
				t.Fatal("Save overwrote the damaged file")
			}
		})
	}
}

func TestSetUseRemove(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "env", "has space", "a/b", "ü", strings.Repeat("x", 65), "new\nline"} {
		t.Run("invalid "+bad, func(t *testing.T) {
			t.Parallel()
			c := &Config{Dir: t.TempDir()}
			if err := ValidateName(bad); !errors.Is(err, ErrInvalidName) {
				t.Fatalf("ValidateName(%q) = %v", bad, err)
			}
			c.Set(Profile{Name: bad, Provider: providers.Qomon})
			if _, ok := c.Get(bad); ok {
				t.Fatal("invalid profile stored")
			}
			if err := c.Save(); !errors.Is(err, ErrInvalidName) {
				t.Fatalf("Save after invalid Set = %v, want ErrInvalidName", err)
			}
		})
	}
	for _, good := range []string{"a", "A.b-c_9", strings.Repeat("x", 64), "ENV", "..", "-x"} {
		if err := ValidateName(good); err != nil {
			t.Errorf("ValidateName(%q) = %v", good, err)
		}
	}

	if err := (&Config{}).Save(); err == nil {
		t.Fatal("Save without a directory succeeded")
	}
	c := &Config{Dir: t.TempDir()}
	c.Set(Profile{Name: "p", Provider: "gitlab"})
	if err := c.Save(); err == nil || !strings.Contains(err.Error(), `unknown provider "gitlab"`) {
		t.Fatalf("Save after Set with unknown provider = %v", err)
	}

	c = testConfig(t.TempDir())
	c.Set(Profile{Name: "work", Provider: providers.Qomon, URL: "https://other", Implicit: true})
	if p, _ := c.Get("work"); p.Provider != providers.Qomon || p.Implicit {
		t.Fatalf("Set did not replace: %+v", p)
	}
	if err := c.Use("missing"); !errors.Is(err, ErrUnknownProfile) || !strings.Contains(err.Error(), "campaign, work") {
		t.Fatalf("Use(missing) = %v", err)
	}
	if err := c.Use("campaign"); err != nil || c.Active != "campaign" {
		t.Fatalf("Use(campaign) = %v, active %q", err, c.Active)
	}
	if err := c.Remove("missing"); !errors.Is(err, ErrUnknownProfile) {
		t.Fatalf("Remove(missing) = %v", err)
	}
	if err := c.Remove("campaign"); err != nil || c.Active != "" {
		t.Fatalf("Remove(active) = %v, active %q", err, c.Active)
	}
	if err := c.Remove("work"); err != nil || len(c.Names()) != 0 {
		t.Fatalf("Remove(work) = %v, names %v", err, c.Names())
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadAcceptsTOMLForms(t *testing.T) {
	t.Parallel()
	want := map[string]Profile{"a": {Name: "a", Provider: providers.Qomon, URL: "http://127.0.0.1:8080"}}
	for name, content := range map[string]string{
		"table":        "[profiles.a]\nprovider = \"qomon\"\nurl = \"http://127.0.0.1:8080\"\n",
		"inline":       "profiles = { a = { provider = \"qomon\", url = 'http://127.0.0.1:8080' } }\n",
		"dotted":       "profiles.a.provider = \"qomon\"\nprofiles.a.url = \"http://127.0.0.1:8080\"\n",
		"parent table": "[profiles]\na = { provider = \"qomon\", url = \"http://127.0.0.1:8080\" }\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, FileName), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.Profiles, want) {
				t.Fatalf("Profiles = %+v", c.Profiles)
			}
		})
	}
	for name, content := range map[string]string{
		"scalar":          "profiles = 0\n",
		"array of tables": "[[profiles]]\nprovider = \"qomon\"\n",
		"miscased":        "Active = \"a\"\n",
	} {
		t.Run("refused "+name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, FileName), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			var pe *ParseError
			if _, err := Load(dir); !errors.As(err, &pe) || pe.Line != 1 {
				t.Fatalf("Load = %v, want a ParseError on line 1", err)
			}
		})
	}
}

// Both token variables set: no profile is guessed, the message says how to
// choose (not garbled), and a provider's name picks its variable's token
// unless a stored profile has that name.
func TestSelectBothEnvTokens(t *testing.T) {
	t.Parallel()
	both := map[string]string{"QFIELDCLOUD_TOKEN": "t1", "QOMON_TOKEN": "t2", "QOMON_URL": "http://127.0.0.1:9/"}
	getenv := func(k string) string { return both[k] }
	_, err := Select(&Config{Dir: "/cfg"}, "", getenv)
	if !errors.Is(err, ErrAmbiguousEnv) || !errors.Is(err, ErrNoProfile) {
		t.Fatalf("err = %v", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "both QFIELDCLOUD_TOKEN and QOMON_TOKEN are set") || !strings.Contains(msg, "--profile qfieldcloud or --profile qomon") {
		t.Errorf("message: %s", msg)
	}
	p, err := Select(&Config{Dir: "/cfg"}, "qomon", getenv)
	if err != nil || p != (Profile{Name: "qomon", Provider: providers.Qomon, URL: "http://127.0.0.1:9/", Implicit: true}) {
		t.Fatalf("--profile qomon = %+v, %v", p, err)
	}
	if ps := EnvProfiles(getenv); len(ps) != 2 || ps[0].Name != "qfieldcloud" || ps[1].Name != "qomon" {
		t.Fatalf("EnvProfiles = %+v", ps)
	}
	// A stored profile named like a provider is the stored one.
	c := &Config{Dir: "/cfg"}
	c.Set(Profile{Name: "qfieldcloud", Provider: providers.QFieldCloud, URL: "https://qfc.example/api/v1/", Username: "al"})
	if p, err := Select(c, "qfieldcloud", getenv); err != nil || p.Implicit || p.Username != "al" {
		t.Fatalf("stored qfieldcloud = %+v, %v", p, err)
	}
	// Without its variable a provider's name is just an unknown profile.
	if _, err := Select(&Config{Dir: "/cfg"}, "qomon", func(string) string { return "" }); !errors.Is(err, ErrUnknownProfile) {
		t.Fatalf("qomon without QOMON_TOKEN: %v", err)
	}
}

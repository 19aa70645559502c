package config

import (
	"github.com/roster-cli/roster/client/providers"

	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// FileName is the profiles file inside the config directory.
const FileName = "config.toml"

// EnvProfile is the name of the implicit profile built from the environment.
const EnvProfile = "env"

// Profile is one account on one server. It never holds a token.
type Profile struct {
	Name     string `toml:"-"` // the table key
	Provider string `toml:"provider"`
	URL      string `toml:"url"`
	Username string `toml:"username,omitempty"`     // QFieldCloud
	Org      string `toml:"organization,omitempty"` // QFieldCloud default organization
	Implicit bool   `toml:"-"`                      // the implicit "env" profile (not stored)
}

// Config is the content of config.toml.
type Config struct {
	Dir      string
	Active   string
	Profiles map[string]Profile

	// loadErr is why the file on disk could not be read; Save refuses to
	// overwrite it, since the user may want to repair it.
	loadErr error
	// setErr is the first invalid Set; Save reports it.
	setErr error
}

// file is the on-disk layout.
type file struct {
	Active   string             `toml:"active,omitempty"`
	Profiles map[string]Profile `toml:"profiles,omitempty"`
}

// ParseError is a config file that could not be understood.
type ParseError struct {
	Path string
	Line int // 1-based; 0 when unknown
	Err  error
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("config file %s line %d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("config file %s: %v", e.Path, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Path is the config file's path.
func (c *Config) Path() string { return filepath.Join(c.Dir, FileName) }

// Load reads <dir>/config.toml. A missing file is an empty config. A damaged
// file gives a *ParseError naming path and line, together with an empty
// Config that refuses Save (so the implicit env profile still works).
func Load(dir string) (*Config, error) {
	c := &Config{Dir: dir, Profiles: map[string]Profile{}}
	path := c.Path()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		c.loadErr = err
		return c, fmt.Errorf("reading config: %w", err)
	}
	f, perr := parse(path, data)
	if perr != nil {
		c.loadErr = perr
		return c, perr
	}
	c.Active = f.Active
	for name, p := range f.Profiles {
		p.Name = name
		c.Profiles[name] = p
	}
	return c, nil
}

// tomlLine matches the line in the decoder's non-ParseError errors
// ("toml: line 3 (last key "profiles.a.url"): incompatible types: …").
var tomlLine = regexp.MustCompile(`^toml: line (\d+)(?: \(last key [^)]*\))?: `)

func parse(path string, data []byte) (*file, *ParseError) {
	var f file
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &ParseError{Path: path, Line: pe.Position.Line, Err: errors.New(pe.Message)}
		}
		msg, line := err.Error(), 0
		if m := tomlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = msg[len(m[0]):]
		}
		return nil, &ParseError{Path: path, Line: line, Err: errors.New(msg)}
	}
	// The decoder silently skips a non-table value for a map field
	// ("profiles = 0", "[[profiles]]"); that would be data accepted and lost.
	if t := md.Type("profiles"); t != "" && t != "Hash" {
		return nil, &ParseError{Path: path, Line: keyLine(data, "profiles"), Err: fmt.Errorf("profiles must be a table ([profiles.NAME]), not %s", strings.ToLower(t))}
	}
	// An unknown key (a typo such as "organisation", or a setting of a
	// newer roster) is refused rather than dropped on the next Save.
	// The decoder also matches keys case-insensitively ("ACTIVE"), which a
	// Save would quietly rename; keys must be spelt exactly.
	for _, k := range append(md.Undecoded(), md.Keys()...) {
		if !knownKey(k) {
			return nil, &ParseError{Path: path, Line: keyLine(data, k[len(k)-1]), Err: fmt.Errorf("unknown setting %q", k.String())}
		}
	}
	names := make([]string, 0, len(f.Profiles))
	for name := range f.Profiles {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := f.Profiles[name]
		if err := ValidateName(name); err != nil {
			return nil, &ParseError{Path: path, Line: keyLine(data, name), Err: err}
		}
		if p.Provider == "" {
			return nil, &ParseError{Path: path, Line: keyLine(data, name), Err: fmt.Errorf("profile %q has no provider (one of %s)", name, providerKinds())}
		}
		if _, ok := providers.Lookup(p.Provider); !ok {
			return nil, &ParseError{Path: path, Line: keyLine(data, name), Err: fmt.Errorf("profile %q: unknown provider %q (one of %s)", name, p.Provider, providerKinds())}
		}
	}
	return &f, nil
}

// knownKey reports whether k is a key of the file format, spelt exactly.
func knownKey(k toml.Key) bool {
	switch len(k) {
	case 1:
		return k[0] == "active" || k[0] == "profiles"
	case 2:
		return k[0] == "profiles"
	case 3:
		switch k[2] {
		case "provider", "url", "username", "organization":
			return k[0] == "profiles"
		}
	}
	return false
}

// keyLine finds, best effort, the first line that names key: as a table
// header ([profiles.key]) or an assignment (key = …, key.x = …). The
// decoder keeps positions private, and an approximate line still saves the
// user a search; 0 means not found.
func keyLine(data []byte, key string) int {
	forms := []string{key, strconv.Quote(key), "'" + key + "'"}
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			for _, f := range forms {
				if strings.Contains(t, "."+f+"]") || strings.Contains(t, "["+f+"]") || strings.Contains(t, "."+f+".") {
					return i + 1
				}
			}
			continue
		}
		for _, f := range forms {
			if rest, ok := strings.CutPrefix(t, f); ok {
				rest = strings.TrimLeft(rest, " \t")
				if strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, ".") {
					return i + 1
				}
			}
		}
	}
	return 0
}

const header = "# roster profiles. Tokens are never stored here: see `roster auth status`.\n"

// Save writes config.toml atomically (temp file + rename), mode 0600,
// creating the directory 0700 when missing. It refuses when the file on
// disk could not be loaded, and reports an earlier invalid Set.
func (c *Config) Save() error {
	if c.Dir == "" {
		return errors.New("saving the configuration: no config directory set")
	}
	path := c.Path()
	if c.loadErr != nil {
		return fmt.Errorf("not overwriting %s, which could not be read; repair or remove it first: %w", path, c.loadErr)
	}
	if c.setErr != nil {
		return fmt.Errorf("saving %s: %w", path, c.setErr)
	}
	f := file{Active: c.Active, Profiles: make(map[string]Profile, len(c.Profiles))}
	for name, p := range c.Profiles {
		if err := ValidateName(name); err != nil {
			return fmt.Errorf("saving %s: %w", path, err)
		}
		if _, ok := providers.Lookup(p.Provider); !ok {
			return fmt.Errorf("saving %s: profile %q: unknown provider %q (one of %s)", path, name, p.Provider, providerKinds())
		}
		f.Profiles[name] = p
	}
	var buf bytes.Buffer
	buf.WriteString(header)
	if err := toml.NewEncoder(&buf).Encode(f); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	return writeFileAtomic(path, buf.Bytes())
}

// Names returns the stored profile names, sorted.
func (c *Config) Names() []string {
	names := make([]string, 0, len(c.Profiles))
	for n := range c.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Get returns the stored profile of that name.
func (c *Config) Get(name string) (Profile, bool) {
	p, ok := c.Profiles[name]
	if ok {
		p.Name = name
	}
	return p, ok
}

// Set adds or replaces a profile. An invalid profile (bad name, the
// reserved name "env", unknown provider, the implicit profile) is not
// stored; the next Save returns why. Call ValidateName first to report a
// bad name before doing any other work.
func (c *Config) Set(p Profile) {
	err := ValidateName(p.Name)
	if err == nil {
		if _, ok := providers.Lookup(p.Provider); !ok {
			err = fmt.Errorf("profile %q: unknown provider %q (one of %s)", p.Name, p.Provider, providerKinds())
		}
	}
	if err != nil {
		if c.setErr == nil {
			c.setErr = err
		}
		return
	}
	if c.Profiles == nil {
		c.Profiles = map[string]Profile{}
	}
	p.Implicit = false
	c.Profiles[p.Name] = p
}

// Remove deletes a profile; if it was the active one, none is active.
func (c *Config) Remove(name string) error {
	if _, ok := c.Profiles[name]; !ok {
		return c.unknown(name, "")
	}
	delete(c.Profiles, name)
	if c.Active == name {
		c.Active = ""
	}
	return nil
}

// Use makes a stored profile the active one.
func (c *Config) Use(name string) error {
	if _, ok := c.Profiles[name]; !ok {
		return c.unknown(name, "")
	}
	c.Active = name
	return nil
}

// ErrInvalidName: a profile name that cannot be stored.
var ErrInvalidName = errors.New("invalid profile name")

// ValidateName checks a profile name: 1 to 64 of A–Z a–z 0–9 _ . -, and
// not "env", which names the implicit profile from the environment.
func ValidateName(name string) error {
	if name == EnvProfile {
		return fmt.Errorf("%w %q: reserved for the profile taken from QFIELDCLOUD_TOKEN/QOMON_TOKEN", ErrInvalidName, name)
	}
	if len(name) < 1 || len(name) > 64 {
		return fmt.Errorf("%w %q: use 1 to 64 letters, digits, '_', '.' or '-'", ErrInvalidName, name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return fmt.Errorf("%w %q: use 1 to 64 letters, digits, '_', '.' or '-'", ErrInvalidName, name)
		}
	}
	return nil
}

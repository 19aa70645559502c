package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/BurntSushi/toml"
)

// CredentialsFileName holds tokens in plain text, written only on
// `auth login --insecure-storage`.
const CredentialsFileName = "credentials.toml"

// CredentialsFile is a SecretStore in <dir>/credentials.toml (mode 0600,
// written atomically).
type CredentialsFile struct {
	path string
}

// NewCredentialsFile is the plain-text token store in dir.
func NewCredentialsFile(dir string) SecretStore {
	return &CredentialsFile{path: filepath.Join(dir, CredentialsFileName)}
}

// Path is the file's path, named in warnings.
func (f *CredentialsFile) Path() string { return f.path }

type credentials struct {
	Tokens map[string]string `toml:"tokens"`
}

// read loads the file; a missing file holds no tokens. Errors never quote
// the file's content: it is made of secrets.
func (f *CredentialsFile) read() (map[string]string, error) {
	data, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading tokens: %w", err)
	}
	var c credentials
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("reading tokens: credentials file %s is damaged at line %d; remove it and log in again", f.path, pe.Position.Line)
		}
		return nil, fmt.Errorf("reading tokens: credentials file %s is damaged; remove it and log in again", f.path)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("reading tokens: credentials file %s has an unknown entry %q; remove it and log in again", f.path, und[0].String())
	}
	if c.Tokens == nil {
		c.Tokens = map[string]string{}
	}
	return c.Tokens, nil
}

func (f *CredentialsFile) write(tokens map[string]string) error {
	if len(tokens) == 0 {
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing %s: %w", f.path, err)
		}
		return nil
	}
	var buf bytes.Buffer
	buf.WriteString("# roster tokens in PLAIN TEXT, written by `roster auth login --insecure-storage`.\n")
	buf.WriteString("# Anyone who can read this file can act as you. Prefer the system keyring.\n")
	// Encode sorts the keys, so the file does not churn.
	if err := toml.NewEncoder(&buf).Encode(credentials{Tokens: tokens}); err != nil {
		return fmt.Errorf("writing %s: encoding failed", f.path)
	}
	return writeFileAtomic(f.path, buf.Bytes())
}

// Get returns the profile's token from the file.
func (f *CredentialsFile) Get(profile string) (string, error) {
	tokens, err := f.read()
	if err != nil {
		return "", err
	}
	tok, ok := tokens[profile]
	if !ok || tok == "" {
		return "", fmt.Errorf("%w for profile %q in %s", ErrNoToken, profile, f.path)
	}
	return tok, nil
}

// Set stores the profile's token, keeping the others. A damaged file is
// never overwritten.
func (f *CredentialsFile) Set(profile, token string) error {
	if err := ValidateName(profile); err != nil {
		return err
	}
	if err := checkToken(token); err != nil {
		return err
	}
	tokens, err := f.read()
	if err != nil {
		return err
	}
	tokens[profile] = token
	return f.write(tokens)
}

// Delete forgets the profile's token; the file goes when it holds none.
func (f *CredentialsFile) Delete(profile string) error {
	tokens, err := f.read()
	if err != nil {
		return err
	}
	if _, ok := tokens[profile]; !ok {
		return fmt.Errorf("%w for profile %q in %s", ErrNoToken, profile, f.path)
	}
	delete(tokens, profile)
	return f.write(tokens)
}

// Profiles lists the profile names with a token in the file, sorted.
func (f *CredentialsFile) Profiles() ([]string, error) {
	tokens, err := f.read()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(tokens))
	for n := range tokens {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}

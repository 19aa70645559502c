package cmd

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-cli/roster/config"
	"github.com/roster-cli/roster/internal/demo"
	"github.com/roster-cli/roster/tui"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// memStore is an in-memory SecretStore; err, when set, makes every call
// fail as an unusable keyring would.
type memStore struct {
	mu  sync.Mutex
	m   map[string]string
	err error
}

func newMemStore() *memStore { return &memStore{m: map[string]string{}} }

func (s *memStore) Get(p string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return "", s.err
	}
	t, ok := s.m[p]
	if !ok {
		return "", config.ErrNoToken
	}
	return t, nil
}

func (s *memStore) Set(p, t string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.m[p] = t
	return nil
}

func (s *memStore) Delete(p string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	delete(s.m, p)
	return nil
}

func (s *memStore) get(p string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[p]
}

// env is one isolated roster "machine": its environment, config dir,
// keyring and terminal facts.
type env struct {
	t       *testing.T
	vars    map[string]string
	dir     string
	keyring *memStore
	tty     bool // stdin, stdout and stderr are terminals
	secrets []string

	tuiOpts *tui.Options // what the last RunTUI got
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	return &env{
		t:       t,
		vars:    map[string]string{"ROSTER_CONFIG_DIR": dir, "HOME": dir},
		dir:     dir,
		keyring: newMemStore(),
	}
}

func (e *env) set(k, v string) *env { e.vars[k] = v; return e }

type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\n--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr
}

// run executes roster in-process with stdin and args. A run that does not
// end within 3 minutes fails the test: a hang detector (a hang is a bug),
// far above any run on a loaded 2-core machine under -race (20 s was not).
func (e *env) run(stdin string, args ...string) result {
	e.t.Helper()
	var out, errb bytes.Buffer
	f := e.factory(stdin, &out, &errb)
	done := make(chan int, 1)
	go func() { done <- Execute(f, args) }()
	select {
	case code := <-done:
		return result{out.String(), errb.String(), code}
	case <-time.After(3 * time.Minute):
		e.t.Fatalf("roster %v hung", args)
	}
	return result{}
}

// factory is the Factory of one run on this machine.
func (e *env) factory(stdin string, out, errb *bytes.Buffer) *Factory {
	secrets := append([]string(nil), e.secrets...)
	return &Factory{
		Version:   "1.2.3-test",
		In:        strings.NewReader(stdin),
		Out:       out,
		ErrOut:    errb,
		StdinTTY:  e.tty,
		StdoutTTY: e.tty,
		StderrTTY: e.tty,
		Getenv:    func(k string) string { return e.vars[k] },
		Keyring:   e.keyring,
		Now:       func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) },
		StartDemo: demo.Start,
		RunTUI: func(o tui.Options) error {
			e.tuiOpts = &o
			return nil
		},
		ReadSecret: func() (string, error) {
			if len(secrets) == 0 {
				return "", context.Canceled
			}
			s := secrets[0]
			secrets = secrets[1:]
			return s, nil
		},
	}
}

// golden compares got with testdata/<name>, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (-update rewrites it)\n--- got\n%s--- want\n%s", name, got, want)
	}
}

func expectCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\n%s", r.code, code, r)
	}
}

func expectContains(t *testing.T, what, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("%s does not contain %q:\n%s", what, sub, s)
	}
}

// oneLineError checks stderr is `roster: …` (plus at most a hint line).
func oneLineError(t *testing.T, r result, sub string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "roster: ") {
		t.Fatalf("stderr does not start with `roster: `\n%s", r)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "hint: ") && !strings.HasPrefix(l, "Run '") && !strings.HasPrefix(l, "Usage: ") {
			t.Errorf("stderr has more than one error line:\n%s", r)
		}
	}
	if !strings.Contains(strings.ToLower(lines[0]), strings.ToLower(sub)) {
		t.Errorf("error line does not name %q:\n%s", sub, r)
	}
	// A classifying sentinel's own text only repeats what the line says.
	if strings.HasSuffix(lines[0], ": bad input") || strings.HasSuffix(lines[0], ": not supported by this provider") {
		t.Errorf("error line ends in a sentinel's text:\n%s", r)
	}
}

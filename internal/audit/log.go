// Package audit is roster's own record of the writes it sends: one JSON
// line per write in $XDG_STATE_HOME/roster/audit.jsonl (else
// ~/.local/state/roster/), appended safely by concurrent processes. It
// never records a token or password: entries hold only names, roles and
// outcomes.
package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Entry is one write roster sent (or tried to send).
type Entry struct {
	Time     time.Time `json:"time"`
	Profile  string    `json:"profile"`
	Provider string    `json:"provider"`
	// Action names the write, e.g. "member.add", "team.member.remove".
	Action string `json:"action"`
	// Org is the QFieldCloud organization ("" on Qomon: the space).
	Org    string `json:"org,omitempty"`
	Target string `json:"target"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Outcome is "ok" or "error"; Error says why it failed.
	Outcome string `json:"outcome"`
	Error   string `json:"error,omitempty"`
}

// Outcomes.
const (
	OK     = "ok"
	Failed = "error"
)

// maxLine caps one entry: a line this long is never a real entry, and a
// single bounded write keeps appends atomic on local file systems.
const maxLine = 64 << 10

// Log is the audit file. The zero value is not usable; see New and Open.
type Log struct {
	path string
	now  func() time.Time
	// Warn receives failures to record a write (nil: dropped); the write
	// itself is never failed because its record could not be kept.
	Warn func(error)
}

// New returns the log at path; now stamps entries (nil: time.Now).
func New(path string, now func() time.Time) *Log {
	if now == nil {
		now = time.Now
	}
	return &Log{path: path, now: now}
}

// DefaultPath is $XDG_STATE_HOME/roster/audit.jsonl, else
// $HOME/.local/state/roster/audit.jsonl.
func DefaultPath(getenv func(string) string) (string, error) {
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "roster", "audit.jsonl"), nil
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("finding the audit log: no $XDG_STATE_HOME or home directory: %w", err)
		}
		home = h
	}
	return filepath.Join(home, ".local", "state", "roster", "audit.jsonl"), nil
}

// Path is where the log lives.
func (l *Log) Path() string { return l.path }

// Append writes one entry as one line: the directory is created 0700 and
// the file 0600; the line goes out in a single O_APPEND write under an
// exclusive lock, so two processes appending at once never interleave.
func (l *Log) Append(e Entry) error {
	if e.Time.IsZero() {
		e.Time = l.now()
	}
	e.Time = e.Time.UTC().Truncate(time.Millisecond)
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("writing the audit log: %w", err)
	}
	if len(line) >= maxLine {
		return fmt.Errorf("writing the audit log: entry of %d bytes is too long", len(line))
	}
	line = append(line, '\n')
	if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
		return fmt.Errorf("writing the audit log: %w", err)
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("writing the audit log: %w", err)
	}
	defer f.Close()
	if err := lock(f); err != nil {
		return fmt.Errorf("writing the audit log: locking %s: %w", l.path, err)
	}
	defer unlock(f)
	if _, err := f.Write(line); err != nil {
		return fmt.Errorf("writing the audit log: %w", err)
	}
	return nil
}

// Damaged describes a line of the log that could not be read.
type Damaged struct {
	Line int
	Err  error
}

// Read returns the entries at or after since (zero: all), in file order.
// A damaged line is skipped and reported through damaged, never fatal. A
// missing file is an empty log.
func (l *Log) Read(since time.Time, damaged func(Damaged)) ([]Entry, error) {
	f, err := os.Open(l.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the audit log: %w", err)
	}
	defer f.Close()
	return read(f, since, damaged)
}

func read(r io.Reader, since time.Time, damaged func(Damaged)) ([]Entry, error) {
	if damaged == nil {
		damaged = func(Damaged) {}
	}
	br := bufio.NewReader(r)
	var out []Entry
	for n := 1; ; n++ {
		line, err := readLine(br)
		if errors.Is(err, io.EOF) && line == nil {
			return out, nil
		}
		switch {
		case errors.Is(err, errLong):
			damaged(Damaged{n, err})
			continue
		case err != nil && !errors.Is(err, io.EOF):
			return out, fmt.Errorf("reading the audit log: %w", err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var e Entry
		if jerr := json.Unmarshal(line, &e); jerr != nil {
			damaged(Damaged{n, jerr})
		} else if e.Time.IsZero() || e.Action == "" {
			damaged(Damaged{n, errors.New("not an audit entry (no time or action)")})
		} else if since.IsZero() || !e.Time.Before(since) {
			out = append(out, e)
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
	}
}

var errLong = errors.New("line too long")

// readLine reads one line without its newline; an over-long line is
// consumed and reported as errLong.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) <= maxLine {
			buf = append(buf, chunk...)
		} else {
			buf = buf[:0:0]
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return []byte{}, errLong
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(buf) == 0 {
				return nil, io.EOF
			}
			return buf, io.EOF
		case err != nil:
			return nil, err
		}
		return bytes.TrimRight(buf, "\r\n"), nil
	}
}

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-cli/roster/internal/pty"
)

// ptyRun is roster on a pseudo-terminal with no terminal emulator behind it: nothing
// answers a query unless the test does. Bare ptys (script runners,
// expect, some CI and SSH set-ups) behave like this.
type ptyRun struct {
	t      *testing.T
	master *os.File
	cmd    *exec.Cmd
	mu     sync.Mutex
	out    bytes.Buffer
	start  time.Time
	// answer, when set, is written back once the query it answers is seen.
	answer func(seen []byte) []byte
}

// startPTY runs roster with args as the foreground process of a new
// session on a fresh pty.
func startPTY(t *testing.T, env []string, answer func([]byte) []byte, args ...string) *ptyRun {
	t.Helper()
	needE2E(t)
	m, s, err := pty.Open(100, 30)
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	p := &ptyRun{t: t, master: m, answer: answer}
	p.cmd = exec.Command(rosterBin, args...)
	p.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "ROSTER_CONFIG_DIR=" + t.TempDir()}, env...)
	pty.Attach(p.cmd, s)
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	go p.read()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		_, _ = p.cmd.Process.Wait()
		m.Close()
	})
	return p
}

func (p *ptyRun) read() {
	buf := make([]byte, 4096)
	answered := false
	for {
		n, err := p.master.Read(buf)
		if n > 0 {
			p.mu.Lock()
			p.out.Write(buf[:n])
			seen := bytes.Clone(p.out.Bytes())
			p.mu.Unlock()
			if p.answer != nil && !answered {
				if a := p.answer(seen); a != nil {
					answered = true
					_, _ = p.master.Write(a)
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// waitFor returns how long after the start want appeared in the output.
func (p *ptyRun) waitFor(want string, limit time.Duration) time.Duration {
	p.t.Helper()
	for time.Since(p.start) < limit {
		p.mu.Lock()
		found := bytes.Contains(p.out.Bytes(), []byte(want))
		p.mu.Unlock()
		if found {
			return time.Since(p.start)
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.t.Fatalf("%q not seen within %s; output:\n%q", want, limit, p.output())
	return 0
}

func (p *ptyRun) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

const bgQuery = "\x1b]11;?"

// Commands never ask the terminal anything: Bubble Tea's init would ask
// for the background colour and wait 5 s on a pty that does not answer.
func TestPTYCommandsDoNotQueryTheTerminal(t *testing.T) {
	t.Parallel()
	p := startPTY(t, []string{"TERM=xterm-256color"}, nil, "version")
	p.waitFor("roster", 3*time.Second)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("roster version: %v\n%q", err, p.output())
		}
	case <-time.After(3 * time.Second):
		t.Fatalf("roster version still running after 3 s on a silent pty:\n%q", p.output())
	}
	if d := time.Since(p.start); d > 2*time.Second {
		t.Errorf("roster version took %s on a silent pty", d.Round(time.Millisecond))
	}
	if strings.Contains(p.output(), bgQuery) {
		t.Errorf("roster version queried the terminal:\n%q", p.output())
	}
}

// The TUI asks for the background once, and a terminal that never answers
// delays its first frame by a bounded moment, not termenv's 5 s.
func TestPTYTUIStartsOnASilentTerminal(t *testing.T) {
	t.Parallel()
	p := startPTY(t, []string{"TERM=xterm-256color"}, nil, "--demo")
	d := p.waitFor("profile demo-", 4*time.Second)
	if d > 2*time.Second {
		t.Errorf("first frame after %s on a silent pty", d.Round(time.Millisecond))
	}
	if n := strings.Count(p.output(), bgQuery); n != 1 {
		t.Errorf("the background was asked %d times, want once", n)
	}
	_, _ = p.master.Write([]byte("q"))
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("quit: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("q did not quit:\n%q", p.output())
	}
}

// A terminal that answers: the palette follows its background, and the
// answer is not read as keys (the app is still on its first screen and
// quits on q).
func TestPTYTUIFollowsTheAnsweredBackground(t *testing.T) {
	t.Parallel()
	frame := func(rgb string) string {
		answer := func(seen []byte) []byte {
			if bytes.Contains(seen, []byte("\x1b[6n")) {
				return []byte("\x1b]11;rgb:" + rgb + "\x1b\\\x1b[30;1R")
			}
			return nil
		}
		p := startPTY(t, []string{"TERM=xterm-256color"}, answer, "--demo")
		d := p.waitFor("profile demo-", 4*time.Second)
		if d > time.Second {
			t.Errorf("first frame after %s with an answering terminal", d.Round(time.Millisecond))
		}
		p.waitFor("USERNAME", 4*time.Second)
		_, _ = p.master.Write([]byte("q"))
		if err := p.cmd.Wait(); err != nil {
			t.Errorf("quit: %v", err)
		}
		out := p.output()
		return out[strings.Index(out, "\x1b[?1049h"):]
	}
	dark, light := frame("0000/0000/0000"), frame("ffff/ffff/ffff")
	if dark == light {
		t.Error("the same colours on a black and on a white background")
	}
}

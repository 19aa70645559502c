package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
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
	limit = hangAfter(limit)
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

// ansiRE matches the escape sequences the renderer writes between texts.
var ansiRE = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)`)

// mark is where the output is now: waitAfter looks only at what follows.
func (p *ptyRun) mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Len()
}

// waitAfter waits until want appears, escape sequences removed, in what
// roster wrote after from, and returns the new mark.
func (p *ptyRun) waitAfter(from int, want string, limit time.Duration) int {
	limit = hangAfter(limit)
	p.t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		out := p.out.Bytes()[from:]
		found := strings.Contains(ansiRE.ReplaceAllString(string(out), ""), want)
		n := p.out.Len()
		p.mu.Unlock()
		if found {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.t.Fatalf("%q not written within %s; output after the mark:\n%q", want, limit, ansiRE.ReplaceAllString(p.output()[from:], ""))
	return 0
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
	case <-time.After(hangAfter(0)):
		t.Fatalf("roster version still running on a silent pty:\n%q", p.output())
	}
	// Waiting on the terminal would mean asking it: the query below is
	// the evidence, not a wall-clock bound.
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
	// roster waits at most 200 ms for the answer, termenv 5 s: 20 times
	// roster's bound still tells the two apart and leaves room for load.
	if d >= 20*200*time.Millisecond {
		t.Errorf("first frame after %s on a silent pty: waited like termenv's 5 s", d.Round(time.Millisecond))
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
	case <-time.After(hangAfter(0)):
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

// Several keys read at once arrive as one message: a burst of j moves once
// per j, and in the role dialog "kk" then enter moves twice before
// choosing (it used to choose the current role). Each burst is one write
// to the pty, as a fast typist, key repeat or a slow SSH link delivers it.
func TestPTYBurstKeys(t *testing.T) {
	t.Parallel()
	f := startFakes(t)
	p := startPTY(t, f.qfcEnv(t.TempDir()), nil)
	p.waitFor("@city-parks/arborists", wait)
	at := p.mark()
	// send writes s in one write, then waits for want on the screen.
	send := func(s, want string) {
		t.Helper()
		if _, err := p.master.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
		if want != "" {
			at = p.waitAfter(at, want, wait)
		}
	}
	send("jjjj", "› @fieldops/surveyors") // the fifth row
	send("\r", "› user @fieldops/surveyors")
	send("\x1b", "search")
	send("2", "ORGANIZATION")
	send("j", "› fieldops")
	send("\r", "you are public")
	send("\r", "12 members")
	send("jjjjj", "› jonas") // elena → jonas, a member
	send("e", "Role of jonas in fieldops")
	send("kk\r", "jonas is now admin of fieldops") // member → creator → admin, then choose
	if strings.Contains(p.output(), "already") {
		t.Fatalf("the burst chose the current role:\n%q", p.output())
	}
	send("qq", "")
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("quit: %v", err)
		}
	case <-time.After(wait):
		t.Fatalf("qq did not quit:\n%q", p.output())
	}
}

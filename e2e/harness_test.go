// Package e2e runs the built roster binary as users and scripts do: in a
// private tmux server for the TUI, with real pipes and exit codes for the
// CLI, inside a private Secret Service session for the keyring.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	rosterBin string // built once in TestMain
	fakeBin   string
)

func TestMain(m *testing.M) {
	if os.Getenv("E2E") == "" && os.Getenv("KEYRING_IT") == "" {
		fmt.Println("e2e: skipped (set E2E=1; scripts/test.sh does)")
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "roster-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rosterBin = filepath.Join(dir, "roster")
	fakeBin = filepath.Join(dir, "rosterfake")
	for bin, pkg := range map[string]string{rosterBin: "..", fakeBin: "../internal/fakeserver"} {
		out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput()
		if err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n%s", pkg, err, out)
			os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needE2E skips unless the suite was asked for; in CI a missing tool fails.
func needE2E(t *testing.T, tools ...string) {
	t.Helper()
	if rosterBin == "" {
		t.Skip("set E2E=1 to run end-to-end tests")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed (scripts/test.sh installs it)", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
}

// tmux is one private tmux server with one session running a command.
type tmux struct {
	t    *testing.T
	sock string
	name string
}

var exitRE = regexp.MustCompile(`\[exited (\d+)\]`)

// startTmux runs argv (with env, on a clean environment plus PATH unless
// env says otherwise) in a w×h pane. The wrapper prints an exit marker and
// keeps the pane open, as docs/tui-testing.md recommends.
func startTmux(t *testing.T, w, h int, env []string, argv ...string) *tmux {
	t.Helper()
	needE2E(t, "tmux")
	tm := &tmux{t: t, sock: fmt.Sprintf("roster-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), name: "s"}
	var quoted []string
	for _, a := range argv {
		quoted = append(quoted, shellQuote(a))
	}
	envCmd := "env -i"
	for _, e := range env {
		envCmd += " " + shellQuote(e)
	}
	cmdline := fmt.Sprintf(`%s %s; echo "[exited $?]"; exec sleep 600`, envCmd, strings.Join(quoted, " "))
	tm.run("new-session", "-d", "-s", tm.name, "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), cmdline)
	t.Cleanup(func() { exec.Command("tmux", "-L", tm.sock, "kill-server").Run() })
	return tm
}

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	full := append([]string{"-L", tm.sock, "-f", "/dev/null"}, args...)
	out, err := exec.Command("tmux", full...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// screen is the visible pane.
func (tm *tmux) screen() string { return tm.run("capture-pane", "-p", "-t", tm.name) }

// history is the pane with its scrollback, wrapped lines joined.
func (tm *tmux) history() string { return tm.run("capture-pane", "-p", "-J", "-S", "-", "-t", tm.name) }

// keys sends key names (Enter, Escape, Down, C-c, …).
func (tm *tmux) keys(keys ...string) {
	tm.run(append([]string{"send-keys", "-t", tm.name}, keys...)...)
}

// typeText sends literal text.
func (tm *tmux) typeText(s string) { tm.run("send-keys", "-t", tm.name, "-l", s) }

func (tm *tmux) resize(w, h int) {
	tm.run("resize-window", "-t", tm.name, "-x", strconv.Itoa(w), "-y", strconv.Itoa(h))
}

// hangAfter turns a test's wait into a hang detector that load cannot
// trip: a wait returns as soon as its text appears, so only a screen that
// never comes waits this long. Speed is measured in scripts/bench.sh.
func hangAfter(d time.Duration) time.Duration {
	const floor = 30 * time.Second
	return max(d, floor)
}

// waitFor polls the visible screen until it contains text.
func (tm *tmux) waitFor(text string, timeout time.Duration) time.Duration {
	tm.t.Helper()
	timeout = hangAfter(timeout)
	start := time.Now()
	for {
		if strings.Contains(tm.screen(), text) {
			return time.Since(start)
		}
		if time.Since(start) > timeout {
			tm.t.Fatalf("timeout after %s waiting for %q; screen:\n%s", timeout, text, tm.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitGone polls until text is no longer on the visible screen.
func (tm *tmux) waitGone(text string, timeout time.Duration) {
	tm.t.Helper()
	timeout = hangAfter(timeout)
	start := time.Now()
	for strings.Contains(tm.screen(), text) {
		if time.Since(start) > timeout {
			tm.t.Fatalf("timeout after %s waiting for %q to go; screen:\n%s", timeout, text, tm.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// exitCode waits for the program to end and returns its exit status.
func (tm *tmux) exitCode(timeout time.Duration) int {
	tm.t.Helper()
	timeout = hangAfter(timeout)
	start := time.Now()
	for {
		if m := exitRE.FindStringSubmatch(tm.history()); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
		if time.Since(start) > timeout {
			tm.t.Fatalf("program did not exit within %s; screen:\n%s", timeout, tm.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// result of one CLI run.
type result struct {
	stdout, stderr string
	code           int
}

// runCLI runs the binary with a clean environment (env plus PATH) and
// optional stdin, with a hard deadline so a hang fails the test.
func runCLI(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*hangAfter(0))
	defer cancel()
	cmd := exec.CommandContext(ctx, rosterBin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("roster %v hung (killed after 30s)\nstderr: %s", args, errb.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running roster: %v", err)
	}
	return result{out.String(), errb.String(), code}
}

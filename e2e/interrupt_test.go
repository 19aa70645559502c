package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startStalledFakes runs the fakes with every request of the given methods
// stalled, and returns them with a channel that receives each request the
// fakes announce.
func startStalledFakes(t *testing.T, methods string) (fakes, <-chan string) {
	t.Helper()
	needE2E(t)
	cmd := exec.Command(fakeBin, "-stall", methods)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill() // stalled handlers would hold it up
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		t.Fatalf("reading the fake servers' address: %v", err)
	}
	var f fakes
	if err := json.Unmarshal(line, &f); err != nil {
		t.Fatalf("fake servers said %q: %v", line, err)
	}
	reqs := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if l := sc.Text(); strings.HasPrefix(l, "request ") {
				reqs <- strings.TrimPrefix(l, "request ")
			}
		}
	}()
	return f, reqs
}

// ctrl+c during a request that never ends: roster exits within a second,
// non-zero, with one line on stderr, and leaves no file with the token.
func TestInterruptDuringStalledRequest(t *testing.T) {
	needE2E(t)
	f, reqs := startStalledFakes(t, "any")
	cases := []struct {
		name string
		env  func(home string) []string
		args []string
	}{
		{"qfieldcloud list", f.qfcEnv, []string{"members", "list", "fieldops"}},
		{"qomon list", f.qomonEnv, []string{"users", "list", "--json"}},
		{"qfieldcloud write", f.qfcEnv, []string{"members", "add", "fieldops", "zoe"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			home := t.TempDir()
			cmd := exec.Command(rosterBin, c.args...)
			cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, c.env(home)...)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			select {
			case r := <-reqs:
				t.Logf("in flight: %s", r)
			case <-time.After(hangAfter(0)):
				t.Fatalf("no request reached the fake\nstderr: %s", errb.String())
			}
			sent := time.Now()
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(hangAfter(0)):
				t.Fatalf("still running after ctrl+c\nstderr: %s", errb.String())
			}
			// Without the interrupt handling the command would wait for its
			// 30 s request timeout: a third of that tells the two apart.
			took := time.Since(sent)
			if took > 10*time.Second {
				t.Errorf("exit took %s after ctrl+c: it waited for the request", took)
			}
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() <= 0 {
				t.Fatalf("exit after ctrl+c: %v (want a non-zero exit code, not death by signal)\nstderr: %s", err, errb.String())
			}
			lines := strings.Split(strings.TrimRight(errb.String(), "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "roster: ") || !strings.Contains(lines[0], "cancel") {
				t.Errorf("stderr after ctrl+c is not one `roster: …cancelled…` line:\n%s", errb.String())
			}
			for _, tok := range []string{f.QFieldCloudToken, f.QomonToken} {
				if strings.Contains(out.String()+errb.String(), tok) {
					t.Error("the token was printed")
				}
			}
			t.Logf("exit %d %s after ctrl+c: %s", ee.ExitCode(), took.Round(time.Millisecond), lines[0])
		})
	}
}

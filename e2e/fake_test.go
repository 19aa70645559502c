package e2e

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"sync"
	"testing"
)

// fakes is a running internal/fakeserver process.
type fakes struct {
	QFieldCloudURL   string `json:"qfieldcloud_url"`
	QFieldCloudToken string `json:"qfieldcloud_token"`
	QomonURL         string `json:"qomon_url"`
	QomonToken       string `json:"qomon_token"`

	// stop ends the servers now (a server gone mid-session).
	stop func()
}

// startFakes runs both fake servers on loopback, seeded with the demo
// data; they stop when the test ends (their stdin closes).
func startFakes(t *testing.T, args ...string) fakes {
	t.Helper()
	needE2E(t)
	cmd := exec.Command(fakeBin, args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	end := func() {
		once.Do(func() {
			stdin.Close()
			if err := cmd.Wait(); err != nil {
				cmd.Process.Kill()
			}
		})
	}
	t.Cleanup(end)
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		t.Fatalf("reading the fake servers' address: %v", err)
	}
	var f fakes
	if err := json.Unmarshal(line, &f); err != nil {
		t.Fatalf("fake servers said %q: %v", line, err)
	}
	f.stop = end
	return f
}

// qfcEnv is the environment of a QFieldCloud session on the fakes.
func (f fakes) qfcEnv(home string) []string {
	return []string{"HOME=" + home, "QFIELDCLOUD_URL=" + f.QFieldCloudURL, "QFIELDCLOUD_TOKEN=" + f.QFieldCloudToken, "TERM=xterm-256color"}
}

func (f fakes) qomonEnv(home string) []string {
	return []string{"HOME=" + home, "QOMON_URL=" + f.QomonURL, "QOMON_TOKEN=" + f.QomonToken, "TERM=xterm-256color"}
}

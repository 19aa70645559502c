// Command benchreport measures the built roster binary against the fake
// servers with injected latency, next to a sequential 20-rows-per-request
// loop (what the official QFieldCloud CLI does) run in the same process on
// the same servers, and prints one Markdown table of figures and ratios.
// scripts/bench.sh builds roster and runs it.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/roster-cli/roster/client/qfieldcloud/qfctest"
	"github.com/roster-cli/roster/client/qomon/qomontest"
	"github.com/roster-cli/roster/internal/fakehttp"
	"github.com/roster-cli/roster/internal/pty"
)

var (
	bin      = flag.String("roster", "./roster", "the built roster binary")
	latency  = flag.Duration("latency", 50*time.Millisecond, "latency injected per request")
	members  = flag.Int("members", 10000, "organization members for the list benchmark")
	users    = flag.Int("users", 100000, "users for the users-list benchmark")
	quick    = flag.Bool("quick", false, "extrapolate the 100k sequential baseline from its first 250 requests")
	runs     = flag.Int("runs", 3, "runs of each roster command (the median is reported)")
	tmuxRuns = flag.Int("tui-runs", 5, "TUI start-ups measured in tmux")
	only     = flag.String("only", "", "run only this part: members, users, huge, projects or tui")
)

// timing wraps a handler and records when each request started and ended,
// so round trips can be counted: a new round starts when a request begins
// after every request of the current round has ended.
type timing struct {
	h    http.Handler
	mu   sync.Mutex
	reqs [][2]time.Time
}

func (t *timing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	t.h.ServeHTTP(w, r)
	t.mu.Lock()
	t.reqs = append(t.reqs, [2]time.Time{start, time.Now()})
	t.mu.Unlock()
}

func (t *timing) reset() { t.mu.Lock(); t.reqs = nil; t.mu.Unlock() }

func (t *timing) rounds() (requests, rounds int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	rs := append([][2]time.Time(nil), t.reqs...)
	sort.Slice(rs, func(i, j int) bool { return rs[i][0].Before(rs[j][0]) })
	var end time.Time
	for _, r := range rs {
		if rounds == 0 || !r[0].Before(end) {
			rounds++
			end = r[1]
		} else if r[1].After(end) {
			end = r[1]
		}
	}
	return len(rs), rounds
}

// server is one seeded fake behind the timing wrapper, on loopback.
type server struct {
	fake  *qfctest.Server
	http  *httptest.Server
	tm    *timing
	url   string
	token string
}

func newServer(org string, n int) *server {
	f := qfctest.New(qfctest.WithoutSocket())
	f.SeedDemo()
	f.AddOrg(org, "demo")
	f.SeedGenerated(org, n)
	tm := &timing{h: f.Kit().Wrap(f.Handler())}
	hs := httptest.NewServer(tm)
	return &server{fake: f, http: hs, tm: tm, url: hs.URL + "/api/v1/", token: f.Token("demo")}
}

func (s *server) close() { s.http.Close(); s.fake.Close() }

type run struct {
	wall     time.Duration
	rssKB    int64
	bytes    int
	requests int
	rounds   int
}

// runRoster runs the binary with the server's credentials and measures
// wall time and peak RSS. The RSS comes from GNU time, whose child is
// forked from a small process: Linux keeps a process's peak RSS across
// exec, so a child forked from this benchmark (which holds the fake's
// 100,000 accounts) would report this process's size, not roster's.
func runRoster(s *server, args ...string) (run, error) {
	s.tm.reset()
	r, code, stderr := runEnv([]string{"QFIELDCLOUD_URL=" + s.url, "QFIELDCLOUD_TOKEN=" + s.token}, args...)
	if code != 0 {
		return run{}, fmt.Errorf("roster %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	r.requests, r.rounds = s.tm.rounds()
	return r, nil
}

// runEnv runs the binary with env added to a clean environment and
// returns its wall time, peak RSS and output size, its exit code and its
// stderr (exit -1: it could not be run).
func runEnv(env []string, args ...string) (run, int, string) {
	home, _ := os.MkdirTemp("", "roster-bench")
	defer os.RemoveAll(home)
	rssFile := filepath.Join(home, "rss")
	argv := append([]string{*bin}, args...)
	gnuTime := false
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		argv = append([]string{"/usr/bin/time", "-f", "%M", "-o", rssFile}, argv...)
		gnuTime = true
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}, env...)
	var out bytes.Buffer
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		return run{}, -1, err.Error()
	}
	var rss int64 = -1
	if gnuTime {
		b, err := os.ReadFile(rssFile)
		if err == nil {
			// On a non-zero exit GNU time writes a line before the figure.
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			rss, _ = strconv.ParseInt(lines[len(lines)-1], 10, 64)
		}
	}
	return run{wall: wall, rssKB: rss, bytes: out.Len()}, code, errb.String()
}

// hugeAnswers measures what a 300 MB answer costs roster on each
// provider: it must stop at its body cap (32 MiB) without holding more
// than that once (goal: peak RSS < 100 MB).
func hugeAnswers(add func(...string)) {
	const size = 300 << 20
	qfc := qfctest.New()
	defer qfc.Close()
	qfc.SeedDemo()
	qfc.Kit().Inject(fakehttp.Fault{Kind: fakehttp.FaultHuge, Size: size})
	qom := qomontest.New()
	defer qom.Close()
	qom.SeedDemo()
	qom.Kit().Inject(fakehttp.Fault{Kind: fakehttp.FaultHuge, Size: size})
	for _, c := range []struct {
		name string
		env  []string
		args []string
	}{
		{"QFieldCloud `members list fieldops`", []string{"QFIELDCLOUD_URL=" + qfc.URL(), "QFIELDCLOUD_TOKEN=" + qfc.Token("demo")}, []string{"members", "list", "fieldops", "--json"}},
		{"Qomon `users list`", []string{"QOMON_URL=" + qom.URL(), "QOMON_TOKEN=" + qom.DemoToken()}, []string{"users", "list", "--json"}},
	} {
		r, code, stderr := runEnv(c.env, c.args...)
		verdict := fmt.Sprintf("exit %d: %s", code, strings.TrimSpace(stderr))
		if code == 0 {
			verdict = "exit 0: a 300 MB answer was accepted"
		}
		add(c.name+" answered with 300 MB of JSON: peak RSS", mb(r.rssKB), "goal < 100 MB", verdict)
	}
}

func median(rs []run) run {
	sort.Slice(rs, func(i, j int) bool { return rs[i].wall < rs[j].wall })
	return rs[len(rs)/2]
}

func measure(s *server, args ...string) run {
	var rs []run
	for range *runs {
		r, err := runRoster(s, args...)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchreport:", err)
			os.Exit(1)
		}
		rs = append(rs, r)
	}
	return median(rs)
}

// sequential is the official CLI's loop: limit=20, follow X-Next-Page
// (reading only limit/offset), one request after another. maxReq > 0 stops
// early; the second result says how many rows were read.
func sequential(s *server, path string, maxReq int) (time.Duration, int, int) {
	hc := &http.Client{}
	start := time.Now()
	offset, rows, reqs := 0, 0, 0
	for {
		u := s.url + path + "?limit=20&offset=" + strconv.Itoa(offset)
		req, _ := http.NewRequestWithContext(context.Background(), "GET", u, nil)
		req.Header.Set("Authorization", "token "+s.token)
		resp, err := hc.Do(req)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchreport: sequential:", err)
			os.Exit(1)
		}
		var page []map[string]any
		err = json.NewDecoder(resp.Body).Decode(&page)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchreport: sequential decode:", err)
			os.Exit(1)
		}
		reqs++
		rows += len(page)
		next := resp.Header.Get("X-Next-Page")
		if next == "" || (maxReq > 0 && reqs >= maxReq) {
			break
		}
		nu, err := url.Parse(next)
		if err != nil {
			break
		}
		offset, _ = strconv.Atoi(nu.Query().Get("offset"))
	}
	return time.Since(start), rows, reqs
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }
func mb(kb int64) string {
	if kb < 0 {
		return "not measured (needs GNU time at /usr/bin/time)"
	}
	return fmt.Sprintf("%.1f MB", float64(kb)/1024)
}

func main() {
	flag.Parse()
	var rows [][]string
	add := func(cols ...string) { rows = append(rows, cols) }

	part := func(name string) bool { return *only == "" || *only == name }

	// 1. 10,000 members at the injected latency.
	if part("members") {
		s1 := newServer("big", *members)
		s1.fake.Kit().SetLatency(*latency)
		m := measure(s1, "members", "list", "big", "--json")
		seqWall, seqRows, seqReqs := sequential(s1, "members/big/", 0)
		rtBound := time.Duration(m.rounds) * *latency
		add(fmt.Sprintf("`members list --json`, %d members, %s latency", *members, *latency),
			fmt.Sprintf("%s, %d requests in %d round trips (bound %s), peak RSS %s", ms(m.wall), m.requests, m.rounds, ms(rtBound), mb(m.rssKB)),
			fmt.Sprintf("sequential 20/request: %s, %d requests, %d rows", ms(seqWall), seqReqs, seqRows),
			fmt.Sprintf("%.1f× faster", float64(seqWall)/float64(m.wall)))
		s1.close()
	}

	if part("projects") {
		projectsBench(add)
	}

	// 2. 100,000 users: speed and memory.
	var s2 *server
	if part("users") || part("tui") {
		s2 = newServer("huge", *users)
	}
	if part("users") {
		s2.fake.Kit().SetLatency(*latency)
		u := measure(s2, "users", "list", "--json")
		var seqU time.Duration
		var seqNote string
		if *quick {
			w, r, n := sequential(s2, "users/", 250)
			seqU = time.Duration(float64(w) * float64(*users) / float64(r))
			seqNote = fmt.Sprintf("sequential 20/request: %s (extrapolated from %d requests)", ms(seqU), n)
		} else {
			w, r, n := sequential(s2, "users/", 0)
			seqU = w
			seqNote = fmt.Sprintf("sequential 20/request: %s, %d requests, %d rows", ms(w), n, r)
		}
		add(fmt.Sprintf("`users list --json`, %d users, %s latency", *users, *latency),
			fmt.Sprintf("%s, %d requests in %d round trips, %d bytes out", ms(u.wall), u.requests, u.rounds, u.bytes),
			seqNote, fmt.Sprintf("%.1f× faster", float64(seqU)/float64(u.wall)))
		add(fmt.Sprintf("`users list --json` peak RSS, %d users", *users), mb(u.rssKB),
			"goal < 100 MB", fmt.Sprintf("%.0f bytes/row", float64(u.rssKB*1024)/float64(*users)))
	}
	if part("huge") {
		hugeAnswers(add)
	}
	if part("tui") {

		// 3. TUI: first frame and first rows on the demo-sized world (the
		// 100k world's fake spends ~0.5 s sorting users per request, which
		// would measure the fake, not roster), and RSS holding 100,000 rows.
		s0 := newServer("small", 1)
		if first, rowsAt, err := tuiStart(s0); err == nil {
			add("TUI first frame (tmux, loopback, no latency)", "median "+ms(first), "goal < 50 ms", "includes tmux's own ~17 ms")
			add("TUI first rows visible", "median "+ms(rowsAt), "goal < 150 ms", "")
		} else {
			add("TUI start", "not measured: "+err.Error(), "", "")
		}
		if first, rowsAt, err := ptyStart(s0); err == nil {
			add("TUI first frame (pty, from exec, terminal answering the background query)", "median "+ms(first), "goal < 50 ms", "")
			add("TUI first rows visible (pty, from exec)", "median "+ms(rowsAt), "goal < 150 ms", "")
		} else {
			add("TUI start on a pty", "not measured: "+err.Error(), "", "")
		}
		s0.close()
		s2.fake.Kit().SetLatency(0)
		if rss, err := tuiRSS(s2); err == nil {
			add(fmt.Sprintf("TUI holding %d rows (Users screen, all pages loaded)", *users), mb(rss),
				"goal < 150 MB", fmt.Sprintf("%.0f bytes/row", float64(rss*1024)/float64(*users)))
		} else {
			add("TUI RSS", "not measured: "+err.Error(), "", "")
		}
	}
	if s2 != nil {
		s2.close()
	}

	for _, h := range tuiHomes {
		os.RemoveAll(h)
	}
	fmt.Println("| measurement | roster | baseline / goal | ratio |")
	fmt.Println("|---|---|---|---|")
	for _, r := range rows {
		fmt.Println("| " + strings.Join(r, " | ") + " |")
	}
}

// firstRow is on the Users screen's first page in the seeded world.
const firstRow = "@city-parks/arborists"

// tuiHomes are removed when the report is printed.
var tuiHomes []string

// tmux helpers: a private server per measurement.
func tmux(sock string, args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
	return string(out), err
}

func startTUI(s *server, sock string) (time.Time, error) {
	home, _ := os.MkdirTemp("", "roster-bench-tui")
	tuiHomes = append(tuiHomes, home)
	cmdline := fmt.Sprintf("env -i HOME=%s TERM=tmux-256color QFIELDCLOUD_URL=%s QFIELDCLOUD_TOKEN=%s %s; sleep 600",
		home, s.url, s.token, *bin)
	t0 := time.Now()
	_, err := tmux(sock, "new-session", "-d", "-s", "b", "-x", "100", "-y", "30", cmdline)
	return t0, err
}

func waitScreen(sock string, pred func(string) bool, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		out, _ := tmux(sock, "capture-pane", "-p", "-t", "b")
		if pred(out) {
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
	return false
}

// tuiStart measures, from tmux new-session, when the header is drawn and
// when the first user rows are on screen.
func tuiStart(s *server) (time.Duration, time.Duration, error) {
	if _, err := exec.LookPath("tmux"); err != nil {
		return 0, 0, fmt.Errorf("tmux not installed")
	}
	var firsts, rowsAt []time.Duration
	for i := range *tmuxRuns {
		sock := fmt.Sprintf("roster-bench-%d-%d", os.Getpid(), i)
		t0, err := startTUI(s, sock)
		if err != nil {
			return 0, 0, err
		}
		ok1 := waitScreen(sock, func(o string) bool { return strings.Contains(o, "roster") }, 10*time.Second)
		f := time.Since(t0)
		ok2 := waitScreen(sock, func(o string) bool { return strings.Contains(o, firstRow) }, 10*time.Second)
		r := time.Since(t0)
		tmux(sock, "kill-server")
		if !ok1 || !ok2 {
			return 0, 0, fmt.Errorf("the TUI did not show its rows within 10 s")
		}
		firsts, rowsAt = append(firsts, f), append(rowsAt, r)
	}
	sort.Slice(firsts, func(i, j int) bool { return firsts[i] < firsts[j] })
	sort.Slice(rowsAt, func(i, j int) bool { return rowsAt[i] < rowsAt[j] })
	return firsts[len(firsts)/2], rowsAt[len(rowsAt)/2], nil
}

// ptyStart measures, from the exec of roster on a pty, when the header is
// written and when the first user rows are: no tmux in between. The test
// side plays the terminal and answers the background question at once.
func ptyStart(s *server) (time.Duration, time.Duration, error) {
	var firsts, rowsAt []time.Duration
	for range *tmuxRuns {
		f, r, err := ptyOnce(s)
		if err != nil {
			return 0, 0, err
		}
		firsts, rowsAt = append(firsts, f), append(rowsAt, r)
	}
	sort.Slice(firsts, func(i, j int) bool { return firsts[i] < firsts[j] })
	sort.Slice(rowsAt, func(i, j int) bool { return rowsAt[i] < rowsAt[j] })
	return firsts[len(firsts)/2], rowsAt[len(rowsAt)/2], nil
}

func ptyOnce(s *server) (first, rows time.Duration, err error) {
	master, slave, err := pty.Open(100, 30)
	if err != nil {
		return 0, 0, err
	}
	defer master.Close()
	home, _ := os.MkdirTemp("", "roster-bench-pty")
	tuiHomes = append(tuiHomes, home)
	cmd := exec.Command(*bin)
	cmd.Env = []string{"HOME=" + home, "TERM=xterm-256color", "QFIELDCLOUD_URL=" + s.url, "QFIELDCLOUD_TOKEN=" + s.token}
	pty.Attach(cmd, slave)
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		slave.Close()
		return 0, 0, err
	}
	slave.Close()
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	var out []byte
	buf := make([]byte, 1<<16)
	answered := false
	for first == 0 || rows == 0 {
		if time.Since(t0) > 10*time.Second {
			return 0, 0, fmt.Errorf("the TUI did not show its rows within 10 s on a pty")
		}
		_ = master.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := master.Read(buf)
		if err != nil {
			return 0, 0, fmt.Errorf("reading the pty: %w", err)
		}
		out = append(out, buf[:n]...)
		if !answered && bytes.Contains(out, []byte("\x1b[6n")) {
			answered = true
			_, _ = master.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[30;1R")
		}
		if first == 0 && bytes.Contains(out, []byte("profile env")) {
			first = time.Since(t0)
		}
		if rows == 0 && bytes.Contains(out, []byte(firstRow)) {
			rows = time.Since(t0)
		}
	}
	return first, rows, nil
}

// tuiRSS starts the TUI, scrolls to the end so every page is loaded, and
// reads the process's peak RSS (VmHWM).
func tuiRSS(s *server) (int64, error) {
	if _, err := exec.LookPath("tmux"); err != nil {
		return 0, fmt.Errorf("tmux not installed")
	}
	sock := fmt.Sprintf("roster-bench-rss-%d", os.Getpid())
	if _, err := startTUI(s, sock); err != nil {
		return 0, err
	}
	defer tmux(sock, "kill-server")
	if !waitScreen(sock, func(o string) bool { return strings.Contains(o, firstRow) }, 10*time.Second) {
		return 0, fmt.Errorf("no rows")
	}
	// G jumps to the end; the Users screen loads more pages as the user
	// nears the end, so keep pressing until the count stops growing.
	last := ""
	for i := 0; i < 200; i++ {
		tmux(sock, "send-keys", "-t", "b", "G")
		time.Sleep(100 * time.Millisecond)
		out, _ := tmux(sock, "capture-pane", "-p", "-t", "b")
		if out == last && strings.Contains(out, "huge-m1000") {
			break
		}
		last = out
	}
	pid, err := rosterPID(sock)
	if err != nil {
		return 0, err
	}
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			return strconv.ParseInt(f[1], 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmHWM")
}

// rosterPID finds the roster process under the pane's shell.
func rosterPID(sock string) (int, error) {
	out, err := tmux(sock, "list-panes", "-t", "b", "-F", "#{pane_pid}")
	if err != nil {
		return 0, err
	}
	shell, _ := strconv.Atoi(strings.TrimSpace(out))
	var walk func(pid int) int
	walk = func(pid int) int {
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if strings.TrimSpace(string(comm)) == filepath.Base(*bin) {
			return pid
		}
		kids, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
		for _, k := range strings.Fields(string(kids)) {
			n, _ := strconv.Atoi(k)
			if p := walk(n); p != 0 {
				return p
			}
		}
		return 0
	}
	if p := walk(shell); p != 0 {
		return p, nil
	}
	return 0, fmt.Errorf("roster process not found")
}

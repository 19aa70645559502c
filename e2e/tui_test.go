package e2e

import (
	"strings"
	"testing"
	"time"
)

// wait is how long one step of a TUI session may take on a loaded CI
// machine; a step normally takes milliseconds.
const wait = 10 * time.Second

// firstData starts the clock at new-session and waits for text that only
// data from the server draws, logging how long that took.
func firstData(t *testing.T, tm *tmux, started time.Time, text string) {
	t.Helper()
	tm.waitFor(text, wait)
	t.Logf("first frame with data after %s", time.Since(started).Round(time.Millisecond))
}

// TestTUIQFieldCloud drives the built binary against the QFieldCloud fake:
// search, a member's role, a team member added and removed, a delete
// cancelled with enter on the default button, help, a resize, quit.
func TestTUIQFieldCloud(t *testing.T) {
	needE2E(t, "tmux")
	f := startFakes(t)
	started := time.Now()
	tm := startTmux(t, 100, 30, f.qfcEnv(t.TempDir()), rosterBin)
	tm.waitFor("profile env · qfieldcloud", wait)
	t.Logf("first frame after %s", time.Since(started).Round(time.Millisecond))
	firstData(t, tm, started, "@city-parks/arborists")

	// Server search as you type; esc leaves and clears it.
	tm.keys("/")
	tm.typeText("elen")
	tm.waitFor(`search "elen"`, wait)
	tm.waitFor("Elena Petrova", wait)
	tm.waitGone("@city-parks/arborists", wait)
	tm.keys("Escape")
	tm.waitFor("@city-parks/arborists", wait)

	// Organizations → fieldops → Members; jonas becomes creator.
	// Keys that must stay apart go in separate steps: a terminal read may
	// deliver "gj" as one message of two runes, and esc followed at once
	// by a letter is alt+letter. Arrows are escape sequences of their own.
	tm.keys("2")
	tm.waitFor("fieldops", wait)
	tm.keys("Down", "Enter")
	tm.waitFor("you are public", wait)
	tm.keys("Enter")
	tm.waitFor("12 members · of fieldops", wait)
	tm.keys("/")
	tm.typeText("jonas")
	tm.waitFor("1 of 12 members", wait)
	tm.keys("Enter", "e")
	tm.waitFor("Role of jonas in fieldops", wait)
	tm.keys("Up", "Enter") // member → creator
	tm.waitFor("jonas is now creator of fieldops", wait)
	if row := lineOf(tm.screen(), "› jonas"); !strings.Contains(row, "creator") {
		t.Fatalf("jonas's row after the change: %q\n%s", row, tm.screen())
	}

	// Back to the hub → Teams → the first team: add pablo, then remove him.
	tm.keys("Escape")
	tm.waitFor("12 members · of fieldops", wait)
	tm.keys("Escape")
	tm.waitFor("you are public", wait)
	tm.keys("Down", "Enter")
	tm.waitFor("surveyors", wait)
	tm.keys("Home", "Enter")
	tm.waitFor("of team fieldops/", wait)
	tm.keys("a")
	tm.waitFor("Add a member to team fieldops/", wait)
	tm.typeText("pablo")
	tm.keys("Enter")
	tm.waitFor("added pablo to team fieldops/", wait)
	tm.keys("/")
	tm.typeText("pablo")
	tm.keys("Enter")
	tm.waitFor("› pablo", wait)
	// d opens the dialog on Cancel: enter cancels, pablo stays.
	tm.keys("d")
	tm.waitFor("Remove pablo from team fieldops/", wait)
	tm.keys("Enter")
	tm.waitFor("cancelled", wait)
	tm.waitGone("Remove pablo from team", wait)
	tm.waitFor("› pablo", wait)
	tm.keys("d")
	tm.waitFor("Remove pablo from team fieldops/", wait)
	tm.keys("Right", "Enter")
	tm.waitFor("removed pablo from team fieldops/", wait)
	tm.waitGone("› pablo", wait)

	// Help, generated from the keymap; ? closes it.
	tm.keys("?")
	tm.waitFor("Everywhere", wait)
	tm.waitFor("remove from the team (asks first)", wait)
	tm.keys("?")
	tm.waitGone("Everywhere", wait)

	// The smallest size that still works, then back.
	tm.resize(40, 10)
	tm.waitGone("d remove", wait) // the footer keeps its most needed hints (? help, q quit) at the width
	tm.waitFor("roster", wait)
	tm.resize(100, 30)
	tm.waitFor("q quit", wait)
	tm.waitFor("of team fieldops/", wait)

	tm.keys("q")
	if code := tm.exitCode(wait); code != 0 {
		t.Fatalf("exit code %d\n%s", code, tm.history())
	}
}

// TestTUIDemoWithoutEnvironment runs roster --demo on an empty
// environment: no HOME, no TERM, no PATH, no keyring.
func TestTUIDemoWithoutEnvironment(t *testing.T) {
	needE2E(t, "tmux")
	started := time.Now()
	tm := startTmux(t, 100, 30, nil, rosterBin, "--demo")
	firstData(t, tm, started, "@city-parks/arborists")
	tm.waitFor("profile demo-qfieldcloud", wait)
	tm.keys("p")
	tm.waitFor("demo-qomon", wait)
	tm.keys("Down", "Enter")
	tm.waitFor("profile demo-qomon · qomon", wait)
	tm.waitFor("Claire Martin", wait)
	tm.keys("q")
	if code := tm.exitCode(wait); code != 0 {
		t.Fatalf("exit code %d\n%s", code, tm.history())
	}
}

// TestTUIQomon changes a user's role and adds a team member on the Qomon
// fake, each verified on screen.
func TestTUIQomon(t *testing.T) {
	needE2E(t, "tmux")
	f := startFakes(t)
	started := time.Now()
	tm := startTmux(t, 100, 30, f.qomonEnv(t.TempDir()), rosterBin)
	firstData(t, tm, started, "Claire Martin")
	tm.waitFor("1 Users", wait)
	tm.waitFor("4 Invitations", wait)

	tm.keys("/")
	tm.typeText("julien")
	tm.waitFor("1 of 40 users", wait)
	tm.keys("Enter", "e")
	tm.waitFor("Role of Julien Bernard in the space", wait)
	tm.keys("Down", "Enter") // Équipe salariée → Organisateur
	tm.waitFor("Julien Bernard is now Organisateur", wait)
	if row := lineOf(tm.screen(), "Julien Bernard"); !strings.Contains(row, "Organisateur") {
		t.Fatalf("Julien's row: %q\n%s", row, tm.screen())
	}

	tm.keys("2")
	tm.waitFor("Phoning", wait)
	tm.keys("Home", "Down", "Down", "Enter")
	tm.waitFor("9 members · of team Phoning", wait)
	tm.keys("a")
	tm.waitFor("User (e-mail or id)", wait)
	tm.typeText("claire.martin@campagne.example")
	tm.keys("Enter")
	tm.waitFor("to team Phoning as", wait)
	tm.keys("Enter") // member (the default)
	tm.waitFor("added claire.martin@campagne.example to team Phoning", wait)
	tm.waitFor("10 members · of team Phoning", wait)
	if row := lineOf(tm.screen(), "Claire Martin"); !strings.Contains(row, "claire.martin@campagne.example") {
		t.Fatalf("Claire's row: %q\n%s", row, tm.screen())
	}

	tm.keys("q")
	if code := tm.exitCode(wait); code != 0 {
		t.Fatalf("exit code %d\n%s", code, tm.history())
	}
}

func lineOf(screen, s string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// screenWith polls until text is on the screen and returns that screen,
// so what else it shows can be checked on the same frame.
func (tm *tmux) screenWith(text string, timeout time.Duration) string {
	tm.t.Helper()
	timeout = hangAfter(timeout)
	start := time.Now()
	for {
		if s := tm.screen(); strings.Contains(s, text) {
			return s
		}
		if time.Since(start) > timeout {
			tm.t.Fatalf("timeout after %s waiting for %q; screen:\n%s", timeout, text, tm.screen())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestTUIListStates: on a slow server the body says what is loading and
// claims no count; "none" comes only with a good answer of zero rows;
// with the server gone a reload keeps the rows, marked stale with the
// time of the good answer; the error goes at the next key and stays
// whole in the messages view.
func TestTUIListStates(t *testing.T) {
	needE2E(t, "tmux")
	f := startFakes(t, "-latency", "300ms")
	tm := startTmux(t, 80, 24, f.qfcEnv(t.TempDir()), rosterBin)
	loading := tm.screenWith("loading users…", wait)
	for _, false_ := range []string{"0 users", "no users"} {
		if strings.Contains(loading, false_) {
			t.Fatalf("while loading the screen claims %q:\n%s", false_, loading)
		}
	}
	tm.waitFor("@city-parks/arborists", wait)

	// A search that matches nobody: the old rows until the answer, then
	// "no users".
	tm.keys("/")
	tm.typeText("zzzz")
	empty := tm.screenWith("no users", wait)
	if !strings.Contains(empty, `0 users · search "zzzz"`) {
		t.Fatalf("empty answer drawn as:\n%s", empty)
	}
	tm.keys("Escape")
	tm.waitFor("@city-parks/arborists", wait)

	// A write's status line: its name while in flight, then its outcome,
	// which goes at the next key.
	tm.keys("2")
	tm.waitFor("› city-parks", wait)
	tm.keys("Down")
	tm.waitFor("› fieldops", wait)
	tm.keys("Enter")
	tm.waitFor("you are public", wait)
	tm.keys("Enter")
	tm.waitFor("12 members · of fieldops", wait)
	tm.keys("/")
	tm.typeText("jonas")
	tm.waitFor("1 of 12 members", wait)
	tm.keys("Enter")
	tm.keys("e")
	tm.waitFor("Role of jonas in fieldops", wait)
	tm.keys("Up", "Enter") // member → creator
	tm.waitFor("making jonas creator of fieldops…", wait)
	tm.waitFor("jonas is now creator of fieldops", wait)
	if strings.Contains(tm.screen(), "making jonas creator") {
		t.Fatalf("the in-flight line outlived the write:\n%s", tm.screen())
	}
	tm.keys("Escape") // clears the filter: a key, so the outcome goes
	tm.waitGone("jonas is now creator of fieldops", wait)
	tm.waitFor("12 members · of fieldops", wait)

	// The server goes; ctrl+r keeps the rows, marked stale.
	f.stop()
	tm.keys("C-r")
	stale := tm.screenWith("STALE: as of ", wait)
	if !strings.Contains(stale, "pablo") || strings.Contains(stale, "no members") {
		t.Fatalf("a failed reload lost the rows:\n%s", stale)
	}
	tm.waitFor("error: listing members of fieldops", wait)
	tm.keys("j") // the error has been seen: it goes, the stale mark stays
	tm.waitGone("error: listing members", wait)
	tm.waitFor("STALE: as of ", wait)
	tm.keys("!")
	tm.waitFor("Messages", wait)
	tm.waitFor("error: listing members of fieldops", wait)
	tm.waitFor("jonas is now creator of fieldops", wait)
	tm.keys("Escape")
	tm.waitFor("STALE: as of ", wait)
	tm.keys("q")
	if code := tm.exitCode(wait); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

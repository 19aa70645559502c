//go:build linux || darwin

package tui

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// askBackground writes backgroundQuery to out and reads the terminal's
// answer from in (raw mode, at most bound); ok is false without a usable
// answer.
func askBackground(in, out *os.File, bound time.Duration) (dark, ok bool) {
	// A background job must not touch the terminal (it would be stopped).
	if pg, err := unix.IoctlGetInt(int(in.Fd()), unix.TIOCGPGRP); err != nil || pg != unix.Getpgrp() {
		return false, false
	}
	state, err := term.MakeRaw(int(in.Fd()))
	if err != nil {
		return false, false
	}
	defer func() { _ = term.Restore(int(in.Fd()), state) }()
	if _, err := out.WriteString(backgroundQuery); err != nil {
		return false, false
	}
	return parseBackground(readReply(int(in.Fd()), bound))
}

// readReply reads what the terminal sends until the cursor-position
// answer (ESC [ … R) ends it or bound passes.
func readReply(fd int, bound time.Duration) []byte {
	deadline := time.Now().Add(bound)
	var got []byte
	buf := make([]byte, 256)
	for len(got) < 1024 {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		var fds unix.FdSet
		fds.Set(fd)
		tv := unix.NsecToTimeval(left.Nanoseconds())
		n, err := unix.Select(fd+1, &fds, nil, nil, &tv)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			break
		}
		k, err := unix.Read(fd, buf)
		if err != nil || k <= 0 {
			break
		}
		got = append(got, buf[:k]...)
		if cursorReply.Match(got) {
			break
		}
	}
	return got
}

//go:build !linux

package pty

import (
	"errors"
	"os"
	"os/exec"
)

// Open is only implemented on Linux (/dev/ptmx with TIOCSPTLCK/TIOCGPTN).
func Open(w, h int) (master, slave *os.File, err error) {
	return nil, nil, errors.New("opening a pty is implemented on Linux only")
}

// Attach is a no-op where Open is not implemented.
func Attach(cmd *exec.Cmd, slave *os.File) {}

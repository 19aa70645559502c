//go:build unix

package audit

import (
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock, so that appends of two roster
// processes are serialised even on file systems where O_APPEND alone is
// not atomic.
func lock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

func unlock(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

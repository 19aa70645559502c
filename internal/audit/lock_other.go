//go:build !unix

package audit

import "os"

// Without flock, appends rely on O_APPEND and a single write per line.
func lock(*os.File) error { return nil }
func unlock(*os.File)     {}

//go:build unix

package filelock

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock of the open file, waiting for
// it; closing the file lets it go.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

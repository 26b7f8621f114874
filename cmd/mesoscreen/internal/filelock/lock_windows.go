//go:build windows

package filelock

import (
	"os"

	"golang.org/x/sys/windows"
)

// lockFile takes an exclusive lock of the open file's first byte, waiting
// for it; closing the file lets it go.
func lockFile(f *os.File) error {
	var ol windows.Overlapped
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &ol)
}

//go:build windows

package filelock

import (
	"os"

	"golang.org/x/sys/windows"
)

// lockFile takes an exclusive lock of one byte far past the end of the
// open file, waiting for it: a Windows lock is mandatory, and one on the
// file's bytes would stop readers of the record. Closing the file lets
// it go.
func lockFile(f *os.File) error {
	ol := windows.Overlapped{Offset: 0xFFFFFFFE, OffsetHigh: 0x7FFFFFFF}
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &ol)
}

// Package filelock gives one writer at a time a saved record: two
// clinicians who clear or re-screen one record at once each add their
// event to what the other wrote, and neither event is lost.
package filelock

import (
	"fmt"
	"os"
)

// Lock waits until no other process holds the lock of the file at path
// (which must exist), takes it, and returns the function that lets it go.
// A writer that replaces the file by renaming a new one over it holds the
// lock until after the rename: a writer that was waiting then finds the
// file it locked replaced, and locks the new one.
func Lock(path string) (unlock func(), err error) {
	for range 1000 {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		if err := lockFile(f); err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("%s: cannot lock: %w", path, err)
		}
		held, err1 := f.Stat()
		now, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return func() { _ = f.Close() }, nil
		}
		_ = f.Close() // replaced while waiting: lock the new one
	}
	return nil, fmt.Errorf("%s: replaced again and again while waiting for its lock", path)
}
